"""Shipping, delivery, the buyer's receipt and completion: who may do what, and where the money goes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from listings.models import ListingSource, ListingStatus
from marketplace.errors import DomainError, InvalidTransition
from orders.errors import NotAllowed
from orders.models import Dispute, Order, OrderStatus, ReturnRequest
from orders.services.fulfilment import (
    order_confirm_receipt,
    order_mark_delivered,
    order_mark_shipped,
    orders_complete_due,
)
from orders.signals import order_completed
from shipping.errors import UnknownTrackingNumber
from shipping.models import ShipmentPurpose
from tests.factories import UserFactory
from tests.orders.helpers import delivered_order, paid_order
from tests.recycling.shipping_fixtures import operations_user
from tests.shipping.helpers import record_event
from wallet.models import Account, AccountPurpose, Cause, Transaction
from wallet.services.ledger import platform_account, wallet_account

pytestmark = pytest.mark.django_db


def balance(account: Account) -> Decimal:
    """The account's balance as its entries sum it (not the cached column)."""
    return account.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def platform_balance(purpose: AccountPurpose) -> Decimal:
    return balance(platform_account(purpose=purpose))


def shipped_order(**kwargs) -> Order:
    order = paid_order(**kwargs)
    return order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF123456789")


@pytest.fixture
def completions():
    """Orders announced by order_completed, in the order they were sent."""
    received = []

    def receiver(sender, order, **kwargs):
        received.append(order.pk)

    order_completed.connect(receiver)
    yield received
    order_completed.disconnect(receiver)


# --- Shipping -----------------------------------------------------------------------------------------


def test_the_seller_marks_a_person_to_person_sale_shipped_with_its_tracking_number():
    order = paid_order()
    shipped = order_mark_shipped(
        order_id=order.pk, by=order.seller, carrier="sf", tracking_number="sf 1234-5678 90"
    )
    assert (shipped.carrier, shipped.tracking_number) == ("sf", "SF1234567890")
    assert shipped.shipment.purpose == ShipmentPurpose.PERSON_TO_PERSON
    assert shipped.shipment.reference == order.number
    assert shipped.shipped_at is not None
    event = shipped.events.last()
    assert (event.old, event.new, event.by) == (OrderStatus.PAID, OrderStatus.SHIPPED, order.seller)
    assert "SF1234567890" in event.text


def test_the_buyer_cannot_mark_it_shipped_and_a_stranger_does_not_find_it():
    order = paid_order()
    with pytest.raises(NotAllowed):
        order_mark_shipped(order_id=order.pk, by=order.buyer, carrier="sf", tracking_number="SF123456789")
    with pytest.raises(Order.DoesNotExist):
        order_mark_shipped(order_id=order.pk, by=UserFactory(), carrier="sf", tracking_number="SF123456789")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.tracking_number == ""


@pytest.mark.parametrize("source", [ListingSource.PLATFORM, ListingSource.CONSIGNED])
def test_inspected_stock_is_shipped_by_operations_not_by_the_listing_owner(source):
    order = paid_order(source=source)
    with pytest.raises(NotAllowed):
        order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF123456789")
    shipped = order_mark_shipped(
        order_id=order.pk, by=operations_user(), carrier="sf", tracking_number="SF123456789"
    )
    assert shipped.status == OrderStatus.SHIPPED


def test_operations_do_not_ship_a_person_to_person_sale():
    order = paid_order()
    with pytest.raises(NotAllowed):
        order_mark_shipped(
            order_id=order.pk, by=operations_user(), carrier="sf", tracking_number="SF123456789"
        )


@pytest.mark.parametrize(
    ("carrier", "tracking_number", "field"),
    [
        ("", "SF123456789", "carrier"),
        ("   ", "SF123456789", "carrier"),
        ("x" * 41, "SF123456789", "carrier"),
        ("SF\x00", "SF123456789", "carrier"),
        ("SF Express", "SF123456789", "carrier"),
        ("sf", "", "tracking_number"),
        ("sf", "12345", "tracking_number"),
        ("sf", "1" * 41, "tracking_number"),
        ("sf", "SF12345#789", "tracking_number"),
        ("sf", "顺丰123456789", "tracking_number"),
        ("sf", None, "tracking_number"),
    ],
)
def test_a_bad_carrier_or_tracking_number_is_a_field_error_and_changes_nothing(
    carrier, tracking_number, field
):
    order = paid_order()
    with pytest.raises(DomainError) as error:
        order_mark_shipped(
            order_id=order.pk, by=order.seller, carrier=carrier, tracking_number=tracking_number
        )
    assert error.value.field == field
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.events.count() == 1


def test_shipping_twice_is_an_invalid_transition():
    order = shipped_order()
    with pytest.raises(InvalidTransition):
        order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF999999999")
    order.refresh_from_db()
    assert order.tracking_number == "SF123456789"


# --- Delivery -----------------------------------------------------------------------------------------


def test_the_system_marks_a_shipped_order_delivered_at_the_time_given():
    order = shipped_order()
    at = timezone.now() - timedelta(seconds=1)
    Order.objects.filter(pk=order.pk).update(shipped_at=at - timedelta(days=1))
    delivered = order_mark_delivered(order_id=order.pk, by=None, at=at)
    assert delivered.status == OrderStatus.DELIVERED
    assert delivered.delivered_at == at
    assert delivered.return_window_closes_at == at + timedelta(days=7)


def test_a_delivery_time_in_the_future_or_before_shipping_is_kept_between_the_two():
    order = shipped_order()
    delivered = order_mark_delivered(order_id=order.pk, by=None, at=timezone.now() + timedelta(days=3))
    assert delivered.delivered_at <= timezone.now()
    other = shipped_order()
    delivered = order_mark_delivered(order_id=other.pk, by=None, at=timezone.now() - timedelta(days=30))
    assert delivered.delivered_at == other.shipped_at


def test_only_operations_mark_an_order_delivered_by_hand():
    order = shipped_order()
    with pytest.raises(NotAllowed):
        order_mark_delivered(order_id=order.pk, by=order.buyer)
    with pytest.raises(NotAllowed):
        order_mark_delivered(order_id=order.pk, by=order.seller)
    with pytest.raises(Order.DoesNotExist):
        order_mark_delivered(order_id=order.pk, by=UserFactory())
    staff = operations_user()
    delivered = order_mark_delivered(order_id=order.pk, by=staff)
    assert delivered.status == OrderStatus.DELIVERED
    assert delivered.events.last().by == staff


def test_a_paid_order_not_yet_shipped_cannot_be_delivered():
    order = paid_order()
    with pytest.raises(InvalidTransition):
        order_mark_delivered(order_id=order.pk, by=None)


def test_a_carrier_delivered_event_marks_the_shipped_order_delivered():
    order = shipped_order()
    occurred = timezone.now()
    record_event(event_id="e1", tracking_number="SF123456789", kind="delivered", occurred_at=occurred)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at == occurred
    assert order.events.last().by is None


def test_other_carrier_events_and_replays_change_nothing():
    order = shipped_order()
    record_event(event_id="e1", tracking_number="SF123456789", kind="in_transit")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    occurred = timezone.now()
    record_event(event_id="e2", tracking_number="SF123456789", kind="delivered", occurred_at=occurred)
    assert record_event(event_id="e2", tracking_number="SF123456789", kind="delivered") is None
    record_event(
        event_id="e3",
        tracking_number="SF123456789",
        kind="delivered",
        occurred_at=occurred + timedelta(hours=1),
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at == occurred
    assert order.events.filter(new=OrderStatus.DELIVERED).count() == 1


def test_a_tracking_number_no_parcel_has_is_unknown():
    paid_order()
    with pytest.raises(UnknownTrackingNumber):
        record_event(event_id="e1", tracking_number="SBX000000000000", kind="delivered")


def test_of_two_orders_with_one_tracking_number_the_shipped_one_is_delivered():
    earlier = shipped_order()
    Order.objects.filter(pk=earlier.pk).update(status=OrderStatus.COMPLETED)
    later = shipped_order()
    record_event(event_id="e1", tracking_number="SF123456789", kind="delivered")
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert later.status == OrderStatus.DELIVERED
    assert earlier.status == OrderStatus.COMPLETED
    assert earlier.events.filter(new=OrderStatus.DELIVERED).count() == 0


# --- Receipt and completion ---------------------------------------------------------------------------


def test_the_buyer_confirms_receipt_of_a_shipped_order_and_the_seller_is_paid_less_the_fee(
    django_capture_on_commit_callbacks, completions
):
    order = shipped_order(price="1299.00")
    with django_capture_on_commit_callbacks(execute=True):
        completed = order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert completed.status == OrderStatus.COMPLETED
    assert completed.completed_at is not None
    assert [(e.old, e.new) for e in completed.events.all()][-2:] == [
        (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
        (OrderStatus.DELIVERED, OrderStatus.COMPLETED),
    ]
    # 5% of 1299.00 is 64.95.
    assert balance(wallet_account(user=order.seller)) == Decimal("1234.05")
    assert platform_balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("64.95")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert platform_balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("-1299.00")
    assert completions == [order.pk]


def test_confirming_a_delivered_order_completes_it_in_one_step():
    order = delivered_order()
    completed = order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert completed.status == OrderStatus.COMPLETED
    assert completed.events.filter(new=OrderStatus.DELIVERED).count() == 0


def test_a_fee_that_is_not_a_whole_cent_rounds_half_up():
    order = delivered_order(price="10.10")  # 5% is 0.505
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert balance(wallet_account(user=order.seller)) == Decimal("9.59")
    assert platform_balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("0.51")


def test_platform_stock_goes_to_sales_revenue():
    order = delivered_order(source=ListingSource.PLATFORM, price="800.00")
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert platform_balance(AccountPurpose.SALES_REVENUE) == Decimal("800.00")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert not Account.objects.filter(user=order.seller).exists()


def test_a_consigned_item_waits_in_consignment_payable():
    order = delivered_order(source=ListingSource.CONSIGNED, price="2400.00")
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert platform_balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("2400.00")
    assert platform_balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("0.00")
    assert not Account.objects.filter(user=order.seller).exists()


def test_only_the_buyer_confirms_receipt():
    order = delivered_order()
    with pytest.raises(NotAllowed):
        order_confirm_receipt(order_id=order.pk, buyer=order.seller)
    with pytest.raises(Order.DoesNotExist):
        order_confirm_receipt(order_id=order.pk, buyer=UserFactory())
    with pytest.raises(NotAllowed):
        order_confirm_receipt(order_id=order.pk, buyer=operations_user())
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert not Transaction.objects.filter(cause=Cause.SALE).exists()


def test_a_paid_order_not_shipped_cannot_be_confirmed_and_moves_no_money():
    order = paid_order()
    with pytest.raises(InvalidTransition):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("1299.00")


def test_confirming_twice_pays_once(django_capture_on_commit_callbacks, completions):
    order = delivered_order()
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    with pytest.raises(InvalidTransition), django_capture_on_commit_callbacks(execute=True):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert orders_complete_due(now=timezone.now() + timedelta(days=30)) == 0
    assert Transaction.objects.filter(cause=Cause.SALE).count() == 1
    assert balance(wallet_account(user=order.seller)) == Decimal("1234.05")
    assert completions == [order.pk]


def test_the_listing_stays_sold_after_completion():
    order = delivered_order()
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    order.listing.refresh_from_db()
    assert order.listing.status == ListingStatus.SOLD


# --- Completion by itself -----------------------------------------------------------------------------


def test_an_order_completes_by_itself_once_the_window_has_passed_and_not_before(
    django_capture_on_commit_callbacks, completions
):
    order = delivered_order(days_ago=1)
    now = timezone.now()
    assert orders_complete_due(now=now + timedelta(days=5, hours=23)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_complete_due(now=now + timedelta(days=6, minutes=1)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.events.last().by is None
    assert balance(wallet_account(user=order.seller)) == Decimal("1234.05")
    assert completions == [order.pk]


def test_completion_by_itself_runs_twice_and_pays_once():
    orders = [delivered_order(days_ago=8) for _ in range(3)]
    assert orders_complete_due() == 3
    assert orders_complete_due() == 0
    assert Transaction.objects.filter(cause=Cause.SALE).count() == 3
    for order in orders:
        assert balance(wallet_account(user=order.seller)) == Decimal("1234.05")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")


def test_completion_by_itself_works_in_bounded_batches():
    for _ in range(3):
        delivered_order(days_ago=8)
    assert orders_complete_due(limit=2) == 2
    assert orders_complete_due(limit=2) == 1
    assert Order.objects.filter(status=OrderStatus.COMPLETED).count() == 3


def test_orders_with_a_return_or_a_dispute_do_not_complete_by_themselves():
    returning = delivered_order(days_ago=8)
    Order.objects.filter(pk=returning.pk).update(status=OrderStatus.RETURN_REQUESTED)
    ReturnRequest.objects.create(order=returning, reason="Too small")
    disputed = delivered_order(days_ago=8)
    Order.objects.filter(pk=disputed.pk).update(status=OrderStatus.DISPUTED)
    Dispute.objects.create(order=disputed, reason="The screen has a crack")
    shipped_order()
    assert orders_complete_due(now=timezone.now() + timedelta(days=30)) == 0
    assert set(Order.objects.values_list("status", flat=True)) == {
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.DISPUTED,
        OrderStatus.SHIPPED,
    }
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("3897.00")


def test_one_order_that_cannot_complete_does_not_hold_back_the_others():
    broken = delivered_order(days_ago=9)
    fine = delivered_order(days_ago=8)
    # A price that no longer matches what escrow holds: releasing it would overdraw escrow.
    Order.objects.filter(pk=broken.pk).update(price=Decimal("99999.00"))
    assert orders_complete_due() == 1
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.status, fine.status) == (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
    assert broken.events.count() == 1  # its completion was rolled back whole


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_buyer_confirming_while_the_job_completes_pays_once():
    """The job and the buyer's click reach the same order at once: the row lock lets one complete it,
    the other finds it completed (the buyer's click is an invalid transition, the job skips it)."""
    import threading

    from django.db import connection

    order = delivered_order(days_ago=8)
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm():
        try:
            barrier.wait()
            order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
            outcomes.append("buyer")
        except InvalidTransition:
            outcomes.append("buyer too late")
        finally:
            connection.close()

    def job():
        try:
            barrier.wait()
            outcomes.append(f"job completed {orders_complete_due()}")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm), threading.Thread(target=job)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["buyer", "job completed 0"], ["buyer too late", "job completed 1"])
    assert Transaction.objects.filter(cause=Cause.SALE).count() == 1
    assert balance(wallet_account(user=order.seller)) == Decimal("1234.05")
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
