""" "Not as described" disputes: opened by the buyer within the window, pointing at the inspection
report's checks for inspected items, and decided by operations with the money following the decision."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from inspection.models import Check, Checklist, CheckOutcome, CheckResult, Report, Severity
from listings.models import ListingSource
from marketplace.errors import InvalidTransition
from orders.errors import NotAllowed, OrderError
from orders.models import Dispute, DisputeOutcome, Order, OrderStatus, PaymentStatus
from orders.services.returns import dispute_open, dispute_resolve, return_request
from orders.signals import order_completed
from sandbox.models import SandboxPayment, SandboxPaymentStatus, SandboxRefund
from tests.factories import CategoryFactory, InspectionFactory, ListingFactory, UserFactory
from tests.orders.helpers import delivered_order, paid_order
from tests.recycling.shipping_fixtures import operations_user
from wallet.models import AccountPurpose, Cause, Transaction
from wallet.services.ledger import platform_account, wallet_account

pytestmark = pytest.mark.django_db

REASON = "The screen has a crack the listing did not mention."


def platform_balance(purpose: AccountPurpose) -> Decimal:
    total = platform_account(purpose=purpose).entries.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def wallet_balance(user) -> Decimal:
    total = wallet_account(user=user).entries.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def inspected_listing(*, source: str = ListingSource.PLATFORM, price: str = "1299.00"):
    """A listing with a published inspection report of three checks; returns it and the check results."""
    category = CategoryFactory()
    checklist = Checklist.objects.create(category=category, version=1)
    inspection = InspectionFactory(category=category, checklist=checklist)
    inspector = UserFactory()
    results = [
        CheckResult.objects.create(
            inspection=inspection,
            check_item=Check.objects.create(
                checklist=checklist,
                code=f"check-{n}",
                group="screen",
                label=f"Check {n}",
                severity=Severity.MINOR,
            ),
            outcome=CheckOutcome.PASS,
            recorded_by=inspector,
        )
        for n in range(3)
    ]
    report = Report.objects.create(inspection=inspection, content={}, content_hash="0" * 64)
    listing = ListingFactory(source=source, category=category, price=Decimal(price), report_code=report.code)
    return listing, results


def disputed_order(**kwargs) -> Order:
    """A delivered order in dispute, whose payment the sandbox provider holds (so refunds reach it)."""
    order = delivered_order(**kwargs)
    payment = order.payments.get()
    SandboxPayment.objects.create(
        reference=payment.provider_reference,
        idempotency_key=payment.idempotency_key,
        amount=payment.amount,
        currency="CNY",
        return_url="https://reloop.example/orders/",
        status=SandboxPaymentStatus.SUCCEEDED,
    )
    dispute_open(order_id=order.pk, buyer=order.buyer, reason=REASON)
    order.refresh_from_db()
    return order


@pytest.fixture
def completions():
    received = []

    def receiver(sender, order, **kwargs):
        received.append(order.pk)

    order_completed.connect(receiver)
    yield received
    order_completed.disconnect(receiver)


# --- Opening ------------------------------------------------------------------------------------------


def test_the_buyer_opens_a_dispute_within_the_window():
    order = delivered_order(days_ago=6.9)
    dispute = dispute_open(order_id=order.pk, buyer=order.buyer, reason=f"  {REASON}  ")
    assert dispute.reason == REASON
    assert list(dispute.disputed_checks.all()) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED
    assert (order.events.last().new, order.events.last().by) == (OrderStatus.DISPUTED, order.buyer)


@pytest.mark.parametrize("source", [ListingSource.PLATFORM, ListingSource.CONSIGNED])
def test_a_dispute_on_an_inspected_item_points_at_checks_of_its_report(source):
    listing, results = inspected_listing(source=source)
    order = delivered_order(listing=listing)
    dispute = dispute_open(
        order_id=order.pk, buyer=order.buyer, reason=REASON, check_ids=[results[2].pk, str(results[0].pk)]
    )
    assert set(dispute.disputed_checks.all()) == {results[0], results[2]}


def test_checks_of_another_report_are_a_field_error_and_open_nothing():
    listing, _results = inspected_listing()
    _other_listing, other_results = inspected_listing()
    order = delivered_order(listing=listing)
    with pytest.raises(OrderError) as error:
        dispute_open(order_id=order.pk, buyer=order.buyer, reason=REASON, check_ids=[other_results[0].pk])
    assert error.value.field == "check_ids"
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("check_ids", [["abc"], [1.5], [True], "12", [None], [2**70]])
def test_check_ids_that_are_not_ids_are_a_field_error(check_ids):
    listing, _results = inspected_listing()
    order = delivered_order(listing=listing)
    with pytest.raises(OrderError) as error:
        dispute_open(order_id=order.pk, buyer=order.buyer, reason=REASON, check_ids=check_ids)
    assert error.value.field == "check_ids"
    assert not Dispute.objects.exists()


def test_a_person_to_person_item_has_no_checks_to_point_at():
    _listing, results = inspected_listing()
    order = delivered_order()
    with pytest.raises(OrderError) as error:
        dispute_open(order_id=order.pk, buyer=order.buyer, reason=REASON, check_ids=[results[0].pk])
    assert error.value.field == "check_ids"
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("reason", ["", "Too short", "x" * 2001, "Broken \x00 screen here", None])
def test_a_dispute_needs_a_reason_of_10_to_2000_characters(reason):
    order = delivered_order()
    with pytest.raises(OrderError) as error:
        dispute_open(order_id=order.pk, buyer=order.buyer, reason=reason)
    assert error.value.field == "reason"
    assert not Dispute.objects.exists()


def test_a_dispute_after_the_window_is_refused_and_moves_nothing():
    order = delivered_order(days_ago=8)
    with pytest.raises(OrderError) as error:
        dispute_open(order_id=order.pk, buyer=order.buyer, reason=REASON)
    assert error.value.code == "window_closed"
    assert "The return window closed on" in str(error.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert not Dispute.objects.exists()


def test_only_the_buyer_opens_a_dispute():
    order = delivered_order()
    with pytest.raises(NotAllowed):
        dispute_open(order_id=order.pk, buyer=order.seller, reason=REASON)
    with pytest.raises(Order.DoesNotExist):
        dispute_open(order_id=order.pk, buyer=UserFactory(), reason=REASON)
    assert not Dispute.objects.exists()


def test_no_dispute_before_delivery_during_a_return_or_twice():
    order = paid_order()
    with pytest.raises(InvalidTransition):
        dispute_open(order_id=order.pk, buyer=order.buyer, reason=REASON)
    returning = delivered_order()
    return_request(order_id=returning.pk, buyer=returning.buyer, reason="Not what I expected")
    with pytest.raises(InvalidTransition):
        dispute_open(order_id=returning.pk, buyer=returning.buyer, reason=REASON)
    disputed = disputed_order()
    with pytest.raises(InvalidTransition):
        dispute_open(order_id=disputed.pk, buyer=disputed.buyer, reason=REASON)
    assert Dispute.objects.count() == 1


# --- Resolving ----------------------------------------------------------------------------------------


def test_only_operations_resolve_a_dispute():
    order = disputed_order()
    for person in (order.buyer, order.seller, UserFactory()):
        with pytest.raises(NotAllowed):
            dispute_resolve(
                order_id=order.pk,
                by=person,
                outcome=DisputeOutcome.REJECTED,
                refund_amount=None,
                note="As described",
            )
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED
    assert not Transaction.objects.filter(cause__in=(Cause.SALE, Cause.REFUND)).exists()


def test_a_full_refund_gives_the_buyer_everything_back(django_capture_on_commit_callbacks, completions):
    order = disputed_order(price="1299.00")
    staff = operations_user()
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_resolve(
            order_id=order.pk,
            by=staff,
            outcome=DisputeOutcome.FULL_REFUND,
            refund_amount=None,
            note="The crack shows in the buyer's photos.",
        )
    assert (dispute.outcome, dispute.refund_amount, dispute.resolved_by) == (
        DisputeOutcome.FULL_REFUND,
        Decimal("1299.00"),
        staff,
    )
    assert dispute.resolution_note == "The crack shows in the buyer's photos."
    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED
    assert order.payments.get().status == PaymentStatus.REFUNDED
    assert Transaction.objects.get(cause=Cause.REFUND).idempotency_key == f"refund:dispute:{order.pk}"
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert platform_balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("0.00")
    assert wallet_balance(order.seller) == Decimal("0.00")
    # After commit the card is refunded; nothing tells the apps above that a sale completed.
    assert SandboxRefund.objects.get().amount == Decimal("1299.00")
    assert completions == []


def test_a_partial_refund_pays_the_rest_to_the_seller_exact_to_the_cent(
    django_capture_on_commit_callbacks, completions
):
    order = disputed_order(price="1299.00")
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_resolve(
            order_id=order.pk,
            by=operations_user(),
            outcome=DisputeOutcome.PARTIAL_REFUND,
            refund_amount=Decimal("300.55"),
            note="A small crack: part of the price back.",
        )
    assert dispute.refund_amount == Decimal("300.55")
    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED
    payment = order.payments.get()
    assert (payment.refunded_amount, payment.status) == (Decimal("300.55"), PaymentStatus.SUCCEEDED)
    # 998.45 released; the fee is 5% of it, 49.9225, rounded to 49.92.
    assert platform_balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("-998.45")
    assert wallet_balance(order.seller) == Decimal("948.53")
    assert platform_balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("49.92")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert SandboxRefund.objects.get().amount == Decimal("300.55")
    assert completions == [order.pk]


def test_a_partial_refund_on_a_consigned_item_leaves_the_rest_in_consignment_payable():
    listing, _results = inspected_listing(source=ListingSource.CONSIGNED, price="2400.00")
    order = disputed_order(listing=listing)
    dispute_resolve(
        order_id=order.pk,
        by=operations_user(),
        outcome=DisputeOutcome.PARTIAL_REFUND,
        refund_amount="400.10",
        note="A scratch the report missed.",
    )
    assert platform_balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("1999.90")
    assert platform_balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("-1999.90")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")


def test_a_rejection_pays_the_seller_in_full(django_capture_on_commit_callbacks, completions):
    order = disputed_order(price="1299.00")
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_resolve(
            order_id=order.pk,
            by=operations_user(),
            outcome="rejected",
            refund_amount=None,
            note="The item matches the description.",
        )
    assert (dispute.outcome, dispute.refund_amount) == (DisputeOutcome.REJECTED, None)
    assert wallet_balance(order.seller) == Decimal("1234.05")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert not Transaction.objects.filter(cause=Cause.REFUND).exists()
    assert completions == [order.pk]


@pytest.mark.parametrize(
    "amount",
    [
        None,
        Decimal("0"),
        Decimal("-5"),
        Decimal("1299.00"),
        Decimal("1500"),
        Decimal("1.001"),
        "abc",
        1.5,
        Decimal("NaN"),
        "1e999",
    ],
)
def test_a_partial_refund_amount_outside_zero_to_the_price_is_a_field_error(amount):
    order = disputed_order(price="1299.00")
    with pytest.raises(OrderError) as error:
        dispute_resolve(
            order_id=order.pk,
            by=operations_user(),
            outcome=DisputeOutcome.PARTIAL_REFUND,
            refund_amount=amount,
            note="Part back.",
        )
    assert error.value.field == "refund_amount"
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("1299.00")


@pytest.mark.parametrize("outcome", [DisputeOutcome.FULL_REFUND, DisputeOutcome.REJECTED])
def test_an_amount_with_a_full_refund_or_a_rejection_is_a_field_error(outcome):
    order = disputed_order()
    with pytest.raises(OrderError) as error:
        dispute_resolve(
            order_id=order.pk,
            by=operations_user(),
            outcome=outcome,
            refund_amount=Decimal("10"),
            note="Decided.",
        )
    assert error.value.field == "refund_amount"
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("1299.00")


@pytest.mark.parametrize(
    ("outcome", "note", "field"), [("refund_half", "Decided.", "outcome"), ("rejected", "  ", "note")]
)
def test_an_unknown_outcome_or_no_reason_is_a_field_error(outcome, note, field):
    order = disputed_order()
    with pytest.raises(OrderError) as error:
        dispute_resolve(
            order_id=order.pk, by=operations_user(), outcome=outcome, refund_amount=None, note=note
        )
    assert error.value.field == field
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED


def test_resolving_twice_is_a_clear_error_and_moves_no_more_money():
    order = disputed_order()
    staff = operations_user()
    dispute_resolve(
        order_id=order.pk, by=staff, outcome=DisputeOutcome.REJECTED, refund_amount=None, note="As described."
    )
    transactions = Transaction.objects.count()
    with pytest.raises(OrderError) as error:
        dispute_resolve(
            order_id=order.pk,
            by=staff,
            outcome=DisputeOutcome.FULL_REFUND,
            refund_amount=None,
            note="Changed mind.",
        )
    assert (error.value.code, error.value.status_code) == ("already_resolved", 409)
    assert Transaction.objects.count() == transactions
    assert Dispute.objects.get(order=order).outcome == DisputeOutcome.REJECTED
    assert wallet_balance(order.seller) == Decimal("1234.05")


def test_an_order_not_in_dispute_cannot_be_resolved():
    order = delivered_order()
    with pytest.raises(InvalidTransition):
        dispute_resolve(
            order_id=order.pk,
            by=operations_user(),
            outcome=DisputeOutcome.REJECTED,
            refund_amount=None,
            note="No.",
        )
    assert not Transaction.objects.filter(cause=Cause.SALE).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_resolving_at_once_move_the_money_once():
    import threading

    from django.db import connection

    order = disputed_order()
    staff = [operations_user(), operations_user()]
    barrier = threading.Barrier(2)
    outcomes = []

    def resolve(person, outcome):
        try:
            barrier.wait()
            dispute_resolve(
                order_id=order.pk, by=person, outcome=outcome, refund_amount=None, note="Decided."
            )
            outcomes.append(outcome)
        except OrderError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=resolve, args=(staff[0], DisputeOutcome.FULL_REFUND)),
        threading.Thread(target=resolve, args=(staff[1], DisputeOutcome.REJECTED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "already_resolved" in outcomes
    decided = Dispute.objects.get(order=order).outcome
    assert decided in outcomes
    assert Transaction.objects.filter(cause__in=(Cause.SALE, Cause.REFUND)).count() == 1
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
