"""A creator's commission on a purchase through their link: attributed when the order is paid (the
buyer's last click within CREATOR_ATTRIBUTION_DAYS wins, at the rate the link was shared with while
that holds), refused when the creator is on both sides of the sale, paid through the ledger when the
order completes, reversed when it is refunded, and caught up by the sweep when a receiver did not
run.

Orders announce completion and refunds after commit: the tests that follow an order there run its
on-commit callbacks (`django_capture_on_commit_callbacks(execute=True)`), as the commit would."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from accounts.addresses import address_create
from feed.creators import REFUSALS
from feed.models import Commission, CommissionStatus, Creator, CreatorLink, CreatorStatus
from feed.receivers import SESSION_CLICKS
from feed.services.commissions import (
    commission_attribute,
    commission_key,
    commission_pay,
    commissions_settle_due,
)
from feed.services.creators import category_rate_set, link_click, listing_rate_set
from listings.models import ListingSource
from notifications.models import Notification
from orders.models import DisputeOutcome, Order, OrderStatus
from orders.services.fulfilment import order_confirm_receipt, orders_complete_due
from orders.services.money import seller_share
from orders.services.refunds import order_refund_in_full
from orders.services.returns import dispute_open, dispute_resolve, return_mark_received, return_request
from orders.services.transitions import order_move
from sandbox.models import SandboxPayment, SandboxPaymentStatus
from tests.consignment.test_agreement import accepted
from tests.factories import ListingFactory, UserFactory
from tests.feed.creator_helpers import (
    approved_creator,
    bought,
    clicked,
    operations_staff,
    shared_link,
    video_of,
)
from tests.orders.helpers import SHIP_TO
from tests.wallet.conftest import fund
from wallet.causes import entry_words
from wallet.models import AccountPurpose, Cause, Entry, Transaction
from wallet.services.ledger import platform_account, wallet_account
from wallet.services.withdrawals import withdrawal_request

pytestmark = pytest.mark.django_db

PAYOUT_ACCOUNT = "6222020200116789"


def wallet(user) -> Decimal:
    return wallet_account(user=user).balance


def creator_commissions() -> Decimal:
    """What Reloop paid creators on its stock and consigned items (negative: money out)."""
    total = platform_account(purpose=AccountPurpose.CREATOR_COMMISSIONS).entries.aggregate(
        total=Sum("amount")
    )
    return total["total"] or Decimal("0.00")


def commission_postings(order: Order):
    return Transaction.objects.filter(idempotency_key=commission_key(order.pk))


def provider_holds(order: Order) -> None:
    """The sandbox provider has the order's payment, so that a refund sent to it after commit lands."""
    payment = order.payments.get()
    SandboxPayment.objects.create(
        reference=payment.provider_reference,
        idempotency_key=payment.idempotency_key,
        amount=payment.amount,
        currency="CNY",
        return_url="https://reloop.example/orders/",
        status=SandboxPaymentStatus.SUCCEEDED,
    )


def sale_through_a_link(*, price: str = "1000.00", delivered: bool = True):
    """A creator's link to a private seller's item, clicked by a shopper who then bought it (and has it,
    by default)."""
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal(price), title="Leica M6")
    link = shared_link(creator, listing)
    clicked(link, buyer, days_ago=1)
    order = bought(listing, buyer, delivered=delivered)
    return creator, order


# --- Attribution: which click earns -------------------------------------------------------------------


def test_a_purchase_within_seven_days_of_a_click_earns_a_pending_commission():
    # given
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal("1299.00"))
    link = shared_link(creator, listing)
    click = clicked(link, buyer, days_ago=6.9)

    # when
    order = bought(listing, buyer)

    # then
    commission = Commission.objects.get()
    assert (commission.order, commission.creator, commission.link, commission.clicked_at) == (
        order,
        creator,
        link,
        click.at,
    )
    assert (commission.status, commission.rate, commission.amount, commission.refusal) == (
        CommissionStatus.PENDING,
        Decimal("0.05"),
        Decimal("64.95"),  # 5% of 1,299.00
        "",
    )
    assert commission.refusal_text == ""
    assert commission_attribute(order_id=order.pk) == commission  # run again: still the one
    assert Commission.objects.count() == 1


def test_a_click_eight_days_before_payment_earns_nothing():
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory()
    clicked(shared_link(creator, listing), buyer, days_ago=8)

    bought(listing, buyer)

    assert not Commission.objects.exists()


def test_only_the_buyers_own_clicks_on_a_link_to_that_item_count():
    creator, buyer = approved_creator(), UserFactory()
    listing, other_item = ListingFactory(), ListingFactory()
    clicked(shared_link(creator, listing), UserFactory())  # someone else clicked
    clicked(shared_link(creator, other_item), buyer)  # the buyer clicked a link to another item

    bought(listing, buyer)

    assert not Commission.objects.exists()


def test_the_last_click_wins_between_two_creators():
    # given
    first, second, buyer = approved_creator(), approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal("1000.00"))
    category_rate_set(category_id=listing.category_id, by=operations_staff(), rate="8")
    clicked(shared_link(first, listing), buyer, days_ago=1)
    latest = clicked(shared_link(second, listing), buyer, days_ago=0.5)
    clicked(shared_link(first, listing), buyer, days_ago=3)  # an older click again on the first's link

    # when
    bought(listing, buyer)

    # then
    commission = Commission.objects.get()
    assert (commission.creator, commission.link, commission.clicked_at) == (second, latest.link, latest.at)
    assert (commission.rate, commission.amount) == (Decimal("0.08"), Decimal("80.00"))


def test_a_creator_no_longer_approved_earns_nothing_from_old_clicks():
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory()
    clicked(shared_link(creator, listing), buyer, days_ago=1)
    Creator.objects.filter(pk=creator.pk).update(status=CreatorStatus.REFUSED)

    bought(listing, buyer)

    assert not Commission.objects.exists()


def test_a_signed_out_click_counts_once_the_shopper_signs_in():
    # given: a visitor opens the link signed out; the link's page keeps the click in their session
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal("1000.00"))
    link = shared_link(creator, listing)
    browser = Client()
    session = browser.session
    _link, click = link_click(code=link.code, user=None, session_key=session.session_key)
    session[SESSION_CLICKS] = [click.pk]
    session.save()

    # when: they sign in, then buy
    browser.force_login(buyer)
    order = bought(listing, buyer)

    # then
    click.refresh_from_db()
    assert (click.user, click.session_key) == (buyer, "")
    assert SESSION_CLICKS not in browser.session
    commission = Commission.objects.get()
    assert (commission.order, commission.creator, commission.amount) == (order, creator, Decimal("50.00"))


def test_a_signed_out_click_never_claimed_earns_nothing():
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory()
    link_click(code=shared_link(creator, listing).code, user=None, session_key="s" * 32)

    bought(listing, buyer)

    assert not Commission.objects.exists()


# --- The rate a link keeps for 30 days ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("shared_at", "now", "days_ago", "earned"),
    [
        # Within 30 days of sharing, the link keeps its rate, whether the category's rose or fell.
        ("5", "10", 10, "5"),
        ("20", "10", 10, "20"),
        # After 30 days, the rate of the day.
        ("5", "10", 31, "10"),
        ("20", "10", 31, "10"),
    ],
)
def test_a_link_keeps_the_rate_it_was_shared_with_for_thirty_days(shared_at, now, days_ago, earned):
    # given: a link shared at one rate, the category's rate changed since
    staff, creator, buyer = operations_staff(), approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal("1000.00"))
    category_rate_set(category_id=listing.category_id, by=staff, rate=shared_at)
    link = shared_link(creator, listing, days_ago=days_ago)
    category_rate_set(category_id=listing.category_id, by=staff, rate=now)
    clicked(link, buyer)

    # when: bought `days_ago` days after sharing
    bought(listing, buyer)

    # then
    commission = Commission.objects.get()
    assert (commission.rate, commission.amount) == (Decimal(earned) / 100, Decimal(earned) * 10)


# --- Self-dealing -------------------------------------------------------------------------------------


def test_a_creator_buying_through_their_own_link_earns_nothing(django_capture_on_commit_callbacks):
    # given
    creator = approved_creator()
    listing = ListingFactory(price=Decimal("1000.00"), title="Leica M6")
    clicked(shared_link(creator, listing), creator.user)
    order = bought(listing, creator.user, delivered=True)

    # when: the order completes, and the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=creator.user)
    commissions_settle_due()

    # then
    commission = Commission.objects.get()
    assert (commission.status, commission.refusal, commission.amount) == (
        CommissionStatus.REFUSED,
        "own_link",
        Decimal("0"),
    )
    assert commission.refusal_text == str(REFUSALS["own_link"]) == "You bought this through your own link."
    assert wallet(creator.user) == Decimal("0.00")
    assert wallet(order.seller) == seller_share(Decimal("1000.00"))
    assert not commission_postings(order).exists()


def test_a_buyer_shipping_to_one_of_the_creators_addresses_earns_the_creator_nothing():
    # given: the creator's address book has the buyer's delivery address, typed a little differently
    creator, buyer = approved_creator(), UserFactory()
    address_create(user=creator.user, data={**SHIP_TO, "postcode": "200030"})
    address_create(user=creator.user, data=SHIP_TO)
    listing = ListingFactory()
    clicked(shared_link(creator, listing), buyer)

    # when
    bought(
        listing,
        buyer,
        ship_to_region="shanghai",
        ship_to_city="Shanghai ",
        ship_to_address="18  Fuxing Road,  Xuhui",
        ship_to_postcode="200031",
    )

    # then
    commission = Commission.objects.get()
    assert (commission.status, commission.refusal, commission.amount) == (
        CommissionStatus.REFUSED,
        "shared_address",
        Decimal("0"),
    )
    assert commission.refusal_text == "The buyer's delivery address is one of yours."


def test_a_buyer_shipping_elsewhere_earns_the_creator_their_commission():
    creator, buyer = approved_creator(), UserFactory()
    address_create(user=creator.user, data=SHIP_TO)
    listing = ListingFactory()
    clicked(shared_link(creator, listing), buyer)

    bought(listing, buyer, ship_to_region="Shanghai", ship_to_city="Shanghai", ship_to_postcode="200040")

    assert Commission.objects.get().status == CommissionStatus.PENDING


def test_a_sale_of_an_item_the_creator_consigned_earns_them_nothing():
    # given: a link to the creator's consigned camera (made before such links were refused)
    creator, buyer = approved_creator(), UserFactory()
    consigned = accepted(seller=creator.user).listing
    link = CreatorLink.objects.create(
        video=video_of(creator),
        listing=consigned,
        code="oldlink234",
        rate=Decimal("0.05"),
        rate_locked_until=timezone.now() + timedelta(days=30),
    )
    clicked(link, buyer)

    # when
    bought(consigned, buyer)

    # then
    commission = Commission.objects.get()
    assert (commission.status, commission.refusal, commission.amount) == (
        CommissionStatus.REFUSED,
        "own_item",
        Decimal("0"),
    )


@pytest.mark.parametrize(
    ("buyers_account", "refusal"), [(PAYOUT_ACCOUNT, "shared_payout"), ("6222020200119999", "")]
)
def test_a_buyer_paid_out_to_the_creators_account_earns_the_creator_nothing(buyers_account, refusal):
    # given: the creator and the buyer withdrew from their wallets
    creator, buyer = approved_creator(), UserFactory()
    for user, account in ((creator.user, PAYOUT_ACCOUNT), (buyer, buyers_account)):
        fund(user, "100.00")
        withdrawal_request(user=user, amount="100.00", destination=account, request_key=f"w{user.pk}")
    listing = ListingFactory()
    clicked(shared_link(creator, listing), buyer)

    # when
    bought(listing, buyer)

    # then
    commission = Commission.objects.get()
    assert commission.refusal == refusal
    assert commission.status == (CommissionStatus.REFUSED if refusal else CommissionStatus.PENDING)


# --- Completion pays through the ledger ---------------------------------------------------------------


def test_completion_pays_the_creator_from_a_private_sellers_wallet(django_capture_on_commit_callbacks):
    # given
    creator, order = sale_through_a_link(price="1000.00")
    seller = order.seller

    # when
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer)

    # then
    commission = Commission.objects.get()
    assert (commission.status, commission.amount) == (CommissionStatus.PAID, Decimal("50.00"))
    assert commission.settled_at is not None
    assert wallet(seller) == Decimal("900.00")  # 1,000.00 less the 5% platform fee, less 50.00 to the creator
    assert wallet(creator.user) == Decimal("50.00")
    posting = commission_postings(order).get()
    assert (posting.cause, posting.reference, posting.detail) == (
        Cause.CREATOR_COMMISSION,
        order.number,
        "Leica M6",
    )
    lines = {(entry.account.user_id, entry.amount) for entry in posting.entries.select_related("account")}
    assert lines == {(seller.pk, Decimal("-50.00")), (creator.user_id, Decimal("50.00"))}
    assert sum(amount for _user, amount in lines) == 0
    notice = Notification.objects.get(recipient=creator.user, kind="creator.commission_paid")
    assert notice.params == {"title": "Leica M6", "amount": "50.00", "order": order.number}


def test_the_commission_is_paid_once_however_often_it_is_asked(django_capture_on_commit_callbacks):
    creator, order = sale_through_a_link(price="1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer)

    assert commission_pay(order_id=order.pk) is None
    assert commissions_settle_due() == 0

    assert commission_postings(order).count() == 1
    assert wallet(creator.user) == Decimal("50.00")
    assert wallet(order.seller) == Decimal("900.00")


def test_a_statement_says_what_the_commission_was_to_the_creator_and_to_the_seller(
    django_capture_on_commit_callbacks,
):
    creator, order = sale_through_a_link(price="1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer)

    entries = Entry.objects.filter(transaction__idempotency_key=commission_key(order.pk)).select_related(
        "account", "transaction"
    )
    words = {entry.account.user_id: entry_words(entry) for entry in entries}
    assert words == {
        creator.user_id: f"Your commission on “Leica M6”, sold through your video (order {order.number})",
        order.seller_id: f"Commission to the creator whose video sold “Leica M6” (order {order.number})",
    }


def test_a_private_sellers_higher_rate_is_what_the_creator_earns(django_capture_on_commit_callbacks):
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal("1000.00"))
    listing_rate_set(listing_id=listing.pk, by=listing.seller, rate="12")
    clicked(shared_link(creator, listing), buyer)
    order = bought(listing, buyer, delivered=True)

    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=buyer)

    assert Commission.objects.get().amount == Decimal("120.00")
    assert (wallet(order.seller), wallet(creator.user)) == (Decimal("830.00"), Decimal("120.00"))


@pytest.mark.parametrize("source", [ListingSource.PLATFORM, ListingSource.CONSIGNED])
def test_reloop_pays_the_commission_on_its_stock_and_consigned_items(
    source, django_capture_on_commit_callbacks
):
    # given: delivered, and the return window has passed
    creator, buyer = approved_creator(), UserFactory()
    listing = ListingFactory(price=Decimal("1299.00"), source=source)
    clicked(shared_link(creator, listing), buyer)
    order = bought(listing, buyer, delivered=True, days_ago=8)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_complete_due() == 1

    # then
    assert Commission.objects.get().status == CommissionStatus.PAID
    assert wallet(creator.user) == Decimal("64.95")
    assert creator_commissions() == Decimal("-64.95")
    assert wallet(order.seller) == Decimal("0.00")
    lines = {
        (entry.account.purpose, entry.amount) for entry in commission_postings(order).get().entries.all()
    }
    assert lines == {
        (AccountPurpose.CREATOR_COMMISSIONS, Decimal("-64.95")),
        (AccountPurpose.WALLET, Decimal("64.95")),
    }


# --- Refunds reverse ----------------------------------------------------------------------------------


def test_a_return_refunded_in_full_reverses_the_commission(django_capture_on_commit_callbacks):
    # given
    creator, order = sale_through_a_link(price="1000.00")
    provider_holds(order)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")

    # when: the seller has it back; later the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        return_mark_received(order_id=order.pk, by=order.seller)
    commissions_settle_due()

    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    commission = Commission.objects.get()
    assert (commission.status, commission.amount) == (CommissionStatus.REVERSED, Decimal("0.00"))
    assert commission.settled_at is not None
    assert wallet(creator.user) == Decimal("0.00")
    assert wallet(order.seller) == Decimal("0.00")
    assert not commission_postings(order).exists()


def test_a_paid_order_refunded_before_shipping_reverses_the_commission(django_capture_on_commit_callbacks):
    creator, order = sale_through_a_link(delivered=False)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        order_refund_in_full(order=locked, key=f"refund:test:{order.pk}")
        order_move(order_id=order.pk, to=OrderStatus.REFUNDED, by=None)
    commissions_settle_due()

    assert Commission.objects.get().status == CommissionStatus.REVERSED
    assert wallet(creator.user) == Decimal("0.00")
    assert not commission_postings(order).exists()


def test_a_dispute_decided_with_a_full_refund_reverses_the_commission(django_capture_on_commit_callbacks):
    creator, order = sale_through_a_link(price="1000.00")
    provider_holds(order)
    dispute_open(order_id=order.pk, buyer=order.buyer, reason="The shutter does not fire at all.")

    with django_capture_on_commit_callbacks(execute=True):
        dispute_resolve(
            order_id=order.pk,
            by=operations_staff(),
            outcome=DisputeOutcome.FULL_REFUND,
            refund_amount=None,
            note="Shutter broken",
        )
    commissions_settle_due()

    assert Commission.objects.get().status == CommissionStatus.REVERSED
    assert wallet(creator.user) == Decimal("0.00")
    assert not commission_postings(order).exists()


def test_a_dispute_decided_with_a_partial_refund_pays_the_commission_on_what_the_sale_released(
    django_capture_on_commit_callbacks,
):
    # given
    creator, order = sale_through_a_link(price="1000.00")
    provider_holds(order)
    dispute_open(order_id=order.pk, buyer=order.buyer, reason="A scratch the listing did not mention.")

    # when: 400.00 back to the buyer, 600.00 released to the seller
    with django_capture_on_commit_callbacks(execute=True):
        dispute_resolve(
            order_id=order.pk,
            by=operations_staff(),
            outcome=DisputeOutcome.PARTIAL_REFUND,
            refund_amount=Decimal("400.00"),
            note="Scratch on the top plate",
        )

    # then
    commission = Commission.objects.get()
    assert (commission.status, commission.amount) == (CommissionStatus.PAID, Decimal("30.00"))  # 5% of 600.00
    assert wallet(creator.user) == Decimal("30.00")
    assert wallet(order.seller) == seller_share(Decimal("600.00")) - Decimal("30.00")


# --- The sweep ----------------------------------------------------------------------------------------


def test_the_sweep_pays_a_commission_whose_order_completed_without_the_receiver():
    # given: the order completed, but its on-commit callbacks never ran
    creator, order = sale_through_a_link(price="1000.00")
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert Commission.objects.get().status == CommissionStatus.PENDING

    # when
    assert commissions_settle_due() == 1
    assert commissions_settle_due() == 0

    # then
    assert Commission.objects.get().status == CommissionStatus.PAID
    assert wallet(creator.user) == Decimal("50.00")
    assert wallet(order.seller) == Decimal("900.00")
    assert commission_postings(order).count() == 1


def test_the_sweep_reverses_a_commission_whose_order_was_refunded_without_the_receiver():
    creator, order = sale_through_a_link()
    provider_holds(order)
    dispute_open(order_id=order.pk, buyer=order.buyer, reason="The shutter does not fire at all.")
    dispute_resolve(
        order_id=order.pk,
        by=operations_staff(),
        outcome=DisputeOutcome.FULL_REFUND,
        refund_amount=None,
        note="Shutter broken",
    )

    assert commissions_settle_due() == 1

    assert Commission.objects.get().status == CommissionStatus.REVERSED
    assert wallet(creator.user) == Decimal("0.00")


def test_a_seller_who_withdrew_meanwhile_pays_the_commission_once_their_wallet_can(
    django_capture_on_commit_callbacks,
):
    # given: the order completed, the receiver did not run, and the seller withdrew all of the sale
    creator, order = sale_through_a_link(price="1000.00")
    seller = order.seller
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    withdrawal_request(user=seller, amount="950.00", destination=PAYOUT_ACCOUNT, request_key="all")

    # when: the sweep finds the wallet short, then money arrives and it runs again
    assert commissions_settle_due() == 0
    assert (Commission.objects.get().status, wallet(creator.user)) == (
        CommissionStatus.PENDING,
        Decimal("0.00"),
    )
    fund(seller, "80.00")
    assert commissions_settle_due() == 1

    # then
    assert Commission.objects.get().status == CommissionStatus.PAID
    assert (wallet(seller), wallet(creator.user)) == (Decimal("30.00"), Decimal("50.00"))
