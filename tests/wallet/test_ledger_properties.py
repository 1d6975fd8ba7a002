"""Property: any sequence of payments, refunds, completions, withdrawals and store deposits keeps the
books straight.

A hypothesis state machine drives the real services (payment into escrow, some of it bought through
a creator's link at a random rate, refunds of random amounts, release of the rest on completion with
the creator's commission paid, withdrawals requested, approved or refused, paid or failed) and after
every step checks what an auditor would: every transaction sums to zero, every account's balance is
the sum of its entries, no wallet, escrow or payouts in flight is below zero, all accounts together
sum to zero, each wallet holds what the sales, commissions and withdrawals say it should, the
creator's wallet holds exactly the commissions on completed orders, no reversed commission reached
the ledger, the store's deposit holds what was paid in less what decided cases took and the refund
after its close, and an operation that was refused moved nothing (a payment above the wallet, a
deduction without a decided case).

pytest-django wraps the test in one transaction, but hypothesis runs many examples inside it: each
example therefore runs in a savepoint of its own, rolled back in `teardown`, so that no example sees
another's rows. On-commit jobs and receivers never run inside a test transaction: the machine calls
the payout job's service, and the commission services the order signals' receivers call, itself.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.models import User
from feed.models import Commission, CommissionStatus, CreatorLink, LinkClick
from feed.services.commissions import commission_attribute, commission_key, commission_pay, commission_reverse
from listings.models import ListingSource
from marketplace.errors import DomainError
from marketplace.money import quantize
from orders.errors import OrderError
from orders.models import Dispute, DisputeOutcome, Order
from orders.services.money import platform_fee, sale_release_post
from orders.services.refunds import order_refund
from tests.factories import ListingFactory, UserFactory
from tests.feed.creator_helpers import approved_creator, video_of
from tests.orders.helpers import paid_order
from tests.trust.helpers import verified_store
from tests.wallet.conftest import fund
from trust.errors import DepositError
from trust.models import DepositDeduction, Store, StoreStatus
from trust.services.deposits import deposit_deduct, deposit_pay, deposits_refund_due
from trust.services.stores import store_close
from wallet.errors import InsufficientFunds, WalletError
from wallet.models import (
    NON_NEGATIVE_PURPOSES,
    Account,
    AccountPurpose,
    Entry,
    Transaction,
    Withdrawal,
    WithdrawalStatus,
)
from wallet.services.withdrawals import (
    withdrawal_approve,
    withdrawal_check,
    withdrawal_reject,
    withdrawal_request,
    withdrawal_send,
)

pytestmark = pytest.mark.django_db

GOOD_ACCOUNT = "6222020200116789"
CLOSED_ACCOUNT = "6222020200110000"  # the sandbox fails payouts to it

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2)
amounts = st.decimals(min_value=Decimal("-5"), max_value=Decimal("4000"), places=2)
fractions = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1.2"), places=2)
# A creator link's commission rate: 0 to 50%, to the basis point.
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.5"), places=4)


def _balance(user, purpose: AccountPurpose) -> Decimal:
    balance = Account.objects.filter(user=user, purpose=purpose).values_list("balance", flat=True).first()
    return balance if balance is not None else Decimal("0")


def books() -> tuple:
    """Everything a refused operation must leave as it was."""
    return (
        Transaction.objects.count(),
        tuple(Account.objects.order_by("pk").values_list("pk", "balance")),
        Withdrawal.objects.count(),
    )


def _has(status: WithdrawalStatus):
    """A precondition: some withdrawal is in `status`."""
    return lambda machine: Withdrawal.objects.filter(status=status).exists()


class Books(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.sellers = [UserFactory(), UserFactory()]
        self.operations = UserFactory(is_superuser=True)
        # The first seller runs a verified store with a deposit (trust.services.deposits).
        self.store = verified_store(self.sellers[0], by=self.operations)
        self.expected_deposit = Decimal("0")
        self.buyers_paid: dict[int, Decimal] = {}  # a buyer's wallet: what deductions paid them
        self.creator = approved_creator()
        self.expected_creator_wallet = Decimal("0")
        self.open_orders: dict[int, Decimal] = {}  # order id → what is still in escrow for it
        self.completed: set[int] = set()  # order ids whose sale was released
        self.keys = 0
        # Each seller starts with money Reloop paid them for an item, so that withdrawals meet both
        # sides of the balance from the first step.
        self.expected_wallet = {}
        for seller in self.sellers:
            fund(seller, "1000.00", key=f"start:{seller.pk}")
            self.expected_wallet[seller.pk] = Decimal("1000.00")

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def next_key(self) -> str:
        self.keys += 1
        return f"k{self.keys}"

    # --- Orders ---------------------------------------------------------------------------------

    @rule(
        price=prices,
        seller=st.integers(0, 1),
        source=st.sampled_from([ListingSource.PERSON, ListingSource.PERSON, ListingSource.PLATFORM]),
        rate=st.none() | rates,
    )
    def pay(self, price: Decimal, seller: int, source: str, rate: Decimal | None) -> None:
        """A purchase; with a `rate`, the buyer opened the creator's link to the item at that rate first."""
        listing = ListingFactory(seller=self.sellers[seller], source=source, price=price)
        buyer = UserFactory()
        if rate is not None:
            link = CreatorLink.objects.create(
                video=video_of(self.creator),
                listing=listing,
                code=f"c{self.next_key()}",
                rate=rate,
                rate_locked_until=timezone.now() + timedelta(days=30),
            )
            LinkClick.objects.create(link=link, user=buyer)
        order = paid_order(buyer=buyer, listing=listing)
        commission = commission_attribute(order_id=order.pk)  # as the order_paid receiver does
        if rate is None:
            assert commission is None
        else:
            assert commission is not None
            assert (commission.status, commission.amount) == (
                CommissionStatus.PENDING,
                quantize(rate * price),
            )
        self.open_orders[order.pk] = price

    @precondition(lambda self: self.open_orders)
    # Now and then all that is left (1), so that sequences meet orders refunded in full.
    @rule(data=st.data(), fraction=fractions | fractions | st.just(Decimal("1")))
    def refund(self, data, fraction: Decimal) -> None:
        order_id = data.draw(st.sampled_from(sorted(self.open_orders)))
        left = self.open_orders[order_id]
        amount = (left * fraction).quantize(Decimal("0.01"))
        before = books()
        try:
            with transaction.atomic():
                order = Order.objects.select_for_update().get(pk=order_id)
                order_refund(order=order, amount=amount, key=f"refund:{self.next_key()}")
        except OrderError:
            assert amount <= 0 or amount > left
            assert books() == before
            return
        assert 0 < amount <= left
        self.open_orders[order_id] = left - amount
        if self.open_orders[order_id] == 0:
            del self.open_orders[order_id]
            commission_reverse(order_id=order_id)  # as the order_refunded receiver does

    @precondition(lambda self: self.open_orders)
    @rule(data=st.data())
    def complete(self, data) -> None:
        order_id = data.draw(st.sampled_from(sorted(self.open_orders)))
        order = Order.objects.get(pk=order_id)
        left = self.open_orders.pop(order_id)
        sale_release_post(order=order, amount=left)
        self.completed.add(order_id)
        if order.source == ListingSource.PERSON:
            self.expected_wallet[order.seller_id] += left - platform_fee(left)
        commission = commission_pay(order_id=order_id)  # as the order_completed receiver does
        if commission is None:
            return
        # The commission is on what the sale released: the price, less what was refunded.
        assert (commission.status, commission.amount) == (
            CommissionStatus.PAID,
            quantize(commission.rate * left),
        )
        self.expected_creator_wallet += commission.amount
        if order.source == ListingSource.PERSON:
            self.expected_wallet[order.seller_id] -= commission.amount

    # --- Withdrawals ----------------------------------------------------------------------------

    @rule(
        seller=st.integers(0, 1),
        part=fractions,
        odd=st.none() | st.none() | st.none() | amounts,
        closed=st.booleans(),
        replay=st.booleans(),
    )
    def withdraw(self, seller: int, part: Decimal, odd: Decimal | None, closed: bool, replay: bool) -> None:
        """Mostly a share of the balance (up to 120% of it), sometimes any amount at all."""
        user = self.sellers[seller]
        amount = odd if odd is not None else (self.expected_wallet[user.pk] * part).quantize(Decimal("0.01"))
        key = self.next_key()
        destination = CLOSED_ACCOUNT if closed else GOOD_ACCOUNT
        before = books()
        try:
            withdrawal = withdrawal_request(
                user=user, amount=amount, destination=destination, request_key=key
            )
        except (WalletError, InsufficientFunds):
            assert amount <= 0 or amount > self.expected_wallet[user.pk]
            assert books() == before
            return
        self.expected_wallet[user.pk] -= amount
        if replay:
            again = withdrawal_request(user=user, amount=amount, destination=destination, request_key=key)
            assert (again.pk, again.created) == (withdrawal.pk, False)

    def _withdrawal(self, data, status: WithdrawalStatus) -> Withdrawal:
        ids = sorted(Withdrawal.objects.filter(status=status).values_list("pk", flat=True))
        return Withdrawal.objects.get(pk=data.draw(st.sampled_from(ids)))

    @precondition(_has(WithdrawalStatus.REQUESTED))
    @rule(data=st.data(), approve=st.booleans())
    def decide(self, data, approve: bool) -> None:
        withdrawal = self._withdrawal(data, WithdrawalStatus.REQUESTED)
        if approve:
            withdrawal_approve(withdrawal_id=withdrawal.pk, by=self.operations)
            return
        withdrawal_reject(withdrawal_id=withdrawal.pk, by=self.operations, reason="does not match")
        self.expected_wallet[withdrawal.user_id] += withdrawal.amount

    @precondition(_has(WithdrawalStatus.APPROVED))
    @rule(data=st.data(), twice=st.booleans())
    def send(self, data, twice: bool) -> None:
        withdrawal = self._withdrawal(data, WithdrawalStatus.APPROVED)
        withdrawal_send(withdrawal_id=withdrawal.pk)
        if twice:
            withdrawal_send(withdrawal_id=withdrawal.pk)
        withdrawal.refresh_from_db()
        if withdrawal.status == WithdrawalStatus.FAILED:
            self.expected_wallet[withdrawal.user_id] += withdrawal.amount

    @precondition(_has(WithdrawalStatus.SENT))
    @rule(data=st.data())
    def check(self, data) -> None:
        withdrawal = self._withdrawal(data, WithdrawalStatus.SENT)
        assert withdrawal_check(withdrawal_id=withdrawal.pk).status == WithdrawalStatus.CONFIRMED

    @precondition(lambda machine: Withdrawal.objects.exclude(status=WithdrawalStatus.REQUESTED).exists())
    @rule(data=st.data())
    def approve_twice(self, data) -> None:
        """A decision on a withdrawal that is not waiting is refused and moves nothing."""
        ids = list(Withdrawal.objects.exclude(status=WithdrawalStatus.REQUESTED).values_list("pk", flat=True))
        before = books()
        with pytest.raises(DomainError):
            withdrawal_approve(withdrawal_id=data.draw(st.sampled_from(sorted(ids))), by=self.operations)
        assert books() == before

    # --- The store's deposit ----------------------------------------------------------------------

    @rule(part=fractions, odd=st.none() | st.none() | amounts, replay=st.booleans())
    def deposit_in(self, part: Decimal, odd: Decimal | None, replay: bool) -> None:
        """The store's owner pays a share of the wallet (up to 120% of it), or any amount, into the deposit."""
        owner = self.sellers[0]
        amount = odd if odd is not None else (self.expected_wallet[owner.pk] * part).quantize(Decimal("0.01"))
        key = self.next_key()
        before = books()
        try:
            deposit_pay(owner=owner, amount=amount, request_key=key)
        except (DepositError, InsufficientFunds):
            assert amount <= 0 or amount > self.expected_wallet[owner.pk] or self.store_closed()
            assert books() == before
            return
        self.expected_wallet[owner.pk] -= amount
        self.expected_deposit += amount
        if replay:
            assert not deposit_pay(owner=owner, amount=amount, request_key=key).created

    def store_closed(self) -> bool:
        return Store.objects.filter(pk=self.store.pk, status=StoreStatus.CLOSED).exists()

    @precondition(lambda self: self.completed)
    @rule(data=st.data(), fraction=fractions, decided=st.booleans())
    def deduct(self, data, fraction: Decimal, decided: bool) -> None:
        """Operations pay a buyer from the deposit for a dispute on one of the store's sales: only
        once the dispute is decided for the buyer, within the price and what the deposit holds."""
        order = Order.objects.get(pk=data.draw(st.sampled_from(sorted(self.completed))))
        dispute, _created = Dispute.objects.get_or_create(
            order=order, defaults={"reason": "Not as described."}
        )
        if decided and dispute.resolved_at is None:
            dispute.outcome, dispute.resolved_at = DisputeOutcome.PARTIAL_REFUND, timezone.now()
            dispute.save()
        amount = (order.price * fraction).quantize(Decimal("0.01"))
        before = books()
        try:
            deposit_deduct(
                store_id=self.store.pk, dispute_id=dispute.pk, amount=amount, reason="r", by=self.operations
            )
        except DepositError:
            assert (
                dispute.resolved_at is None
                or order.seller_id != self.sellers[0].pk
                or DepositDeduction.objects.filter(dispute=dispute).count() == 1
                or amount <= 0
                or amount > order.price
                or amount > self.expected_deposit
            )
            assert books() == before
            return
        assert dispute.resolved_at is not None and order.seller_id == self.sellers[0].pk
        self.expected_deposit -= amount
        self.buyers_paid[order.buyer_id] = self.buyers_paid.get(order.buyer_id, Decimal("0")) + amount

    @precondition(lambda self: not self.store_closed())
    @rule()
    def close_and_refund(self) -> None:
        """The store closes; after the tail, what is left of the deposit goes back to the wallet, once."""
        store = store_close(owner=self.sellers[0])
        assert deposits_refund_due(now=store.deposit_refund_due - timedelta(seconds=1)) == 0
        assert deposits_refund_due(now=store.deposit_refund_due) == 1
        assert deposits_refund_due(now=store.deposit_refund_due) == 0
        self.expected_wallet[self.sellers[0].pk] += self.expected_deposit
        self.expected_deposit = Decimal("0")

    # --- What must always hold ------------------------------------------------------------------

    @invariant()
    def every_transaction_sums_to_zero(self) -> None:
        # Summed here, in Decimal: SQLite sums decimal columns as floating point.
        totals: dict[int, Decimal] = {}
        for transaction_id, amount in Entry.objects.values_list("transaction_id", "amount"):
            totals[transaction_id] = totals.get(transaction_id, Decimal("0")) + amount
        assert all(total == 0 for total in totals.values()), totals

    @invariant()
    def balances_are_the_sum_of_entries_and_never_negative_where_they_may_not_be(self) -> None:
        sums: dict[int, Decimal] = {}
        for account_id, amount in Entry.objects.values_list("account_id", "amount"):
            sums[account_id] = sums.get(account_id, Decimal("0")) + amount
        total = Decimal("0")
        for account in Account.objects.all():
            assert account.balance == sums.get(account.pk, Decimal("0")), account
            if account.purpose in NON_NEGATIVE_PURPOSES:
                assert account.balance >= 0, account
            total += account.balance
        assert total == 0

    @invariant()
    def escrow_holds_what_open_orders_have_left(self) -> None:
        escrow = Account.objects.filter(purpose="escrow").values_list("balance", flat=True).first()
        assert (escrow or Decimal("0")) == sum(self.open_orders.values(), Decimal("0"))

    @invariant()
    def each_wallet_holds_its_sales_less_its_withdrawals_and_deposits(self) -> None:
        for seller in self.sellers:
            assert _balance(seller, AccountPurpose.WALLET) == self.expected_wallet[seller.pk]

    @invariant()
    def the_deposit_holds_what_was_paid_in_less_deductions_and_the_refund(self) -> None:
        assert _balance(self.sellers[0], AccountPurpose.DEPOSIT) == self.expected_deposit
        for buyer_id, paid in self.buyers_paid.items():
            assert _balance(User.objects.get(pk=buyer_id), AccountPurpose.WALLET) == paid

    @invariant()
    def the_creators_wallet_holds_the_commissions_on_completed_orders(self) -> None:
        balance = _balance(self.creator.user, AccountPurpose.WALLET)
        earned = Commission.objects.filter(order_id__in=self.completed)
        assert not earned.exclude(status=CommissionStatus.PAID).exists()
        assert (
            not Commission.objects.exclude(order_id__in=self.completed)
            .filter(status=CommissionStatus.PAID)
            .exists()
        )
        paid = sum(earned.values_list("amount", flat=True), Decimal("0"))
        assert balance == paid == self.expected_creator_wallet

    @invariant()
    def no_reversed_commission_reached_the_ledger(self) -> None:
        reversed_orders = Commission.objects.filter(status=CommissionStatus.REVERSED).values_list(
            "order_id", flat=True
        )
        keys = [commission_key(order_id) for order_id in reversed_orders]
        assert not Transaction.objects.filter(idempotency_key__in=keys).exists()


def test_any_sequence_of_payments_refunds_completions_and_withdrawals_keeps_the_books(buying_settings):
    run_state_machine_as_test(
        Books,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@pytest.fixture
def buying_settings(settings):
    """A low approval threshold, so that sequences meet both small and large withdrawals."""
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("500")
    settings.PAYMENT_SANDBOX_FAIL = False
    return settings
