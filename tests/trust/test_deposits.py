"""Store deposits: paying in from the wallet, the holds on listing while a deposit is short,
deductions only through a decided case, and the refund after a closed store's tail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import RoleRequired
from listings.errors import ListingError
from listings.models import Listing, SellingHold
from listings.services import listing_create, listing_update
from notifications.models import Notification
from orders.models import DisputeOutcome
from tests.factories import CategoryFactory, UserFactory
from tests.trust.helpers import (
    DETAILS,
    applied_store,
    decided_dispute,
    operations_user,
    require,
    shoes_tree,
    verified_store,
)
from tests.wallet.conftest import fund
from trust.errors import DepositError
from trust.models import DepositDeduction, StoreEvent
from trust.selectors import deposit_held
from trust.services.deposits import deposit_deduct, deposit_pay, deposits_refund_due
from trust.services.stores import store_apply, store_close
from wallet.errors import InsufficientFunds
from wallet.models import Account, AccountPurpose, Entry, Transaction

pytestmark = pytest.mark.django_db


def _balance(user, purpose=AccountPurpose.WALLET) -> Decimal:
    return Account.objects.filter(user=user, purpose=purpose).values_list(
        "balance", flat=True
    ).first() or Decimal("0.00")


def _list(seller, category) -> Listing:
    return listing_create(
        seller=seller,
        title="Air Jordan 1 Chicago",
        description="Worn twice.",
        category=category,
        price=Decimal("1200.00"),
        grade="A",
    )


def test_a_store_below_its_deposit_cannot_list_in_that_category_until_it_pays_in():
    # given a verified starter store, and sneakers asking 500 of a starter store
    shoes, sneakers = shoes_tree()
    other = CategoryFactory(slug="books", name="Books")
    owner = UserFactory()
    fund(owner, "800.00")
    store = verified_store(owner)
    require(shoes, "500.00")

    # then it cannot list sneakers (the requirement on the parent covers its leaf), but books it can
    with pytest.raises(ListingError) as held:
        _list(owner, sneakers)
    assert held.value.code == "selling_held"
    assert "needs ¥500.00" in held.value.message and "is ¥0.00" in held.value.message
    assert not Listing.objects.filter(category=sneakers).exists()
    _list(owner, other)

    # when it pays 500 from its wallet
    deposit_pay(owner=owner, amount="500.00", request_key="k1")

    # then the money moved from the wallet to the deposit, and sneakers can be listed
    assert _balance(owner) == Decimal("300.00")
    assert deposit_held(user_id=owner.pk) == Decimal("500.00")
    assert not SellingHold.objects.filter(seller=owner).exists()
    assert _list(owner, sneakers).status == "active"
    assert store.owner_id == owner.pk


def test_moving_a_listing_into_a_held_category_is_refused_too():
    shoes, sneakers = shoes_tree()
    books = CategoryFactory(slug="books", name="Books")
    owner = UserFactory()
    verified_store(owner)
    require(shoes, "500.00")
    listing = _list(owner, books)

    with pytest.raises(ListingError):
        listing_update(listing_id=listing.pk, seller=owner, category=sneakers)
    assert Listing.objects.get(pk=listing.pk).category == books


def test_a_store_waiting_for_verification_lists_as_a_private_seller():
    shoes, sneakers = shoes_tree()
    owner = UserFactory()
    require(shoes, "500.00")
    applied_store(owner)
    assert _list(owner, sneakers).status == "active"


def test_a_payment_above_the_wallet_balance_is_refused_and_moves_nothing():
    owner = UserFactory()
    fund(owner, "100.00")
    verified_store(owner)
    before = Transaction.objects.count()

    with pytest.raises(InsufficientFunds):
        deposit_pay(owner=owner, amount="100.01", request_key="k1")

    assert Transaction.objects.count() == before
    assert _balance(owner) == Decimal("100.00")
    assert deposit_held(user_id=owner.pk) == Decimal("0.00")


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc", "NaN", "Infinity", "200000.01", ""])
def test_a_bad_amount_is_refused_on_the_amount(amount):
    owner = UserFactory()
    fund(owner, "100.00")
    verified_store(owner)
    with pytest.raises(DepositError) as refused:
        deposit_pay(owner=owner, amount=amount, request_key="k1")
    assert refused.value.field == "amount"
    assert deposit_held(user_id=owner.pk) == Decimal("0.00")


def test_the_same_form_sent_twice_pays_in_once():
    owner = UserFactory()
    fund(owner, "100.00")
    verified_store(owner)
    deposit_pay(owner=owner, amount="60.00", request_key="same")
    again = deposit_pay(owner=owner, amount="60.00", request_key="same")
    assert not again.created
    assert deposit_held(user_id=owner.pk) == Decimal("60.00")
    assert _balance(owner) == Decimal("40.00")


def test_without_a_store_there_is_no_deposit_to_pay_into():
    owner = UserFactory()
    fund(owner, "100.00")
    with pytest.raises(DepositError) as refused:
        deposit_pay(owner=owner, amount="10.00", request_key="k1")
    assert refused.value.code == "no_store"


def test_a_decided_dispute_pays_the_buyer_from_the_deposit_and_the_store_is_held_again(
    django_capture_on_commit_callbacks,
):
    # given a store holding exactly what sneakers ask, and a dispute about its sale decided for the buyer
    shoes, sneakers = shoes_tree()
    owner = UserFactory()
    fund(owner, "500.00")
    store = verified_store(owner)
    require(shoes, "500.00")
    deposit_pay(owner=owner, amount="500.00", request_key="k1")
    dispute = decided_dispute(seller=owner)
    buyer = dispute.order.buyer
    buyer_before = _balance(buyer)

    # when operations pay the buyer 200 from the deposit
    with django_capture_on_commit_callbacks(execute=True):
        deduction = deposit_deduct(
            store_id=store.pk,
            dispute_id=dispute.pk,
            amount="200.00",
            reason="Sold as new; it was worn.",
            by=operations_user(),
        )

    # then the buyer's wallet has it, the deposit is 300, the posting balances, and sneakers are held
    assert _balance(buyer) == buyer_before + Decimal("200.00")
    assert deposit_held(user_id=owner.pk) == Decimal("300.00")
    posting = Transaction.objects.get(idempotency_key=f"deposit:deduct:{deduction.pk}")
    assert sum(entry.amount for entry in Entry.objects.filter(transaction=posting)) == 0
    assert SellingHold.objects.filter(seller=owner, category=sneakers).exists()
    assert deduction.paid_to == buyer
    told = Notification.objects.get(recipient=owner, kind="store.deposit_deducted")
    assert told.title == "¥200.00 taken from your store's deposit"
    assert "Sold as new; it was worn." in told.body


def test_a_deduction_without_a_decided_case_is_refused():
    owner = UserFactory()
    fund(owner, "500.00")
    store = verified_store(owner)
    deposit_pay(owner=owner, amount="500.00", request_key="k1")
    staff = operations_user()
    rejected = decided_dispute(seller=owner, outcome=DisputeOutcome.REJECTED)
    someone_elses = decided_dispute(seller=UserFactory())

    for dispute_id, code in (
        (999_999, "no_decided_case"),
        (rejected.pk, "no_decided_case"),
        (someone_elses.pk, "case_not_this_store"),
    ):
        with pytest.raises(DepositError) as refused:
            deposit_deduct(store_id=store.pk, dispute_id=dispute_id, amount="50.00", reason="fine", by=staff)
        assert refused.value.code == code

    assert not DepositDeduction.objects.exists()
    assert deposit_held(user_id=owner.pk) == Decimal("500.00")


def test_a_deduction_is_made_once_within_the_price_and_the_deposit_and_by_operations_alone():
    owner = UserFactory()
    fund(owner, "300.00")
    store = verified_store(owner)
    deposit_pay(owner=owner, amount="300.00", request_key="k1")
    dispute = decided_dispute(seller=owner, price="250.00", outcome=DisputeOutcome.PARTIAL_REFUND)
    staff = operations_user()

    with pytest.raises(RoleRequired):
        deposit_deduct(store_id=store.pk, dispute_id=dispute.pk, amount="10.00", reason="r", by=owner)
    with pytest.raises(DepositError) as above_price:
        deposit_deduct(store_id=store.pk, dispute_id=dispute.pk, amount="250.01", reason="r", by=staff)
    assert above_price.value.code == "amount_above_max"
    with pytest.raises(DepositError) as no_reason:
        deposit_deduct(store_id=store.pk, dispute_id=dispute.pk, amount="10.00", reason=" ", by=staff)
    assert no_reason.value.field == "reason"

    deposit_deduct(store_id=store.pk, dispute_id=dispute.pk, amount="250.00", reason="r", by=staff)
    with pytest.raises(DepositError) as twice:
        deposit_deduct(store_id=store.pk, dispute_id=dispute.pk, amount="10.00", reason="r", by=staff)
    assert twice.value.code == "already_deducted"
    assert deposit_held(user_id=owner.pk) == Decimal("50.00")

    other = decided_dispute(seller=owner, price="900.00")
    with pytest.raises(DepositError) as above_deposit:
        deposit_deduct(store_id=store.pk, dispute_id=other.pk, amount="50.01", reason="r", by=staff)
    assert above_deposit.value.code == "above_deposit"
    assert DepositDeduction.objects.count() == 1


def test_a_closed_stores_deposit_comes_back_after_the_tail_once():
    owner = UserFactory()
    fund(owner, "700.00")
    verified_store(owner)
    deposit_pay(owner=owner, amount="700.00", request_key="k1")
    store = store_close(owner=owner)

    # not before the tail has passed
    assert deposits_refund_due(now=timezone.now() + timedelta(days=89)) == 0
    assert deposit_held(user_id=owner.pk) == Decimal("700.00")

    # then all of it, once
    later = store.deposit_refund_due + timedelta(minutes=1)
    assert deposits_refund_due(now=later) == 1
    assert deposits_refund_due(now=later) == 0
    assert deposit_held(user_id=owner.pk) == Decimal("0.00")
    assert _balance(owner) == Decimal("700.00")
    assert StoreEvent.objects.filter(store=store, message="store.deposit_refunded").get().text == (
        "Deposit of ¥700.00 returned to the wallet."
    )
    with pytest.raises(DepositError):
        deposit_pay(owner=owner, amount="1.00", request_key="k2")


def test_a_closed_store_lists_as_a_private_seller_again():
    shoes, sneakers = shoes_tree()
    owner = UserFactory()
    verified_store(owner)
    require(shoes, "500.00")
    assert SellingHold.objects.filter(seller=owner).exists()
    store_close(owner=owner)
    assert not SellingHold.objects.filter(seller=owner).exists()
    assert _list(owner, sneakers).status == "active"


def test_raising_a_requirement_holds_verified_stores_at_that_level_and_removing_it_frees_them():
    _shoes, sneakers = shoes_tree()
    owners = [UserFactory(), UserFactory()]
    for index, owner in enumerate(owners):
        verified_store(owner, name=f"Store {index}")
    waiting = UserFactory()
    store_apply(owner=waiting, **(DETAILS | {"name": "Waiting"}))

    require(sneakers, "100.00")
    assert SellingHold.objects.filter(category=sneakers).count() == 2
    require(sneakers, "")
    assert not SellingHold.objects.exists()
