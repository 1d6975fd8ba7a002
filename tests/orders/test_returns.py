"""Returns within the window: the request, the free label for inspected stock, withdrawing it, and the
full refund once the item is back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from listings.models import ListingSource, ListingStatus
from marketplace.errors import InvalidTransition
from orders.errors import NotAllowed, OrderError
from orders.models import Order, OrderStatus, PaymentStatus, ReturnRequest, ReturnStatus
from orders.services.checkout import order_place
from orders.services.fulfilment import orders_complete_due
from orders.services.returns import (
    return_label_book,
    return_mark_received,
    return_request,
    return_tracking_set,
    return_withdraw,
)
from orders.signals import order_returned
from shipping.errors import ShippingError
from shipping.models import ShipmentPurpose, ShipmentStatus
from shipping.services import label_bytes, shipments_book_requested
from tests.factories import UserFactory
from tests.orders.helpers import delivered_order
from tests.recycling.shipping_fixtures import RecordingCarrier, operations_user
from wallet.models import AccountPurpose, Cause, Transaction
from wallet.services.ledger import platform_account, wallet_account

pytestmark = pytest.mark.django_db


def platform_balance(purpose: AccountPurpose) -> Decimal:
    total = platform_account(purpose=purpose).entries.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def use_carrier(monkeypatch, carrier) -> None:
    monkeypatch.setattr("shipping.services.get_carrier", lambda: carrier)


# --- Asking for a return ------------------------------------------------------------------------------


def test_the_buyer_asks_for_a_return_within_the_window():
    order = delivered_order(days_ago=6)
    returned = return_request(order_id=order.pk, buyer=order.buyer, reason="  It is smaller than I thought. ")
    assert returned.reason == "It is smaller than I thought."
    assert returned.status == ReturnStatus.REQUESTED
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURN_REQUESTED
    event = order.events.last()
    assert (event.new, event.by) == (OrderStatus.RETURN_REQUESTED, order.buyer)
    assert returned.tracking_number == ""  # a person-to-person buyer sends it to the seller themselves


def test_after_the_window_a_return_is_refused_with_the_date_it_closed():
    order = delivered_order(days_ago=7.01)
    with pytest.raises(OrderError) as error:
        return_request(order_id=order.pk, buyer=order.buyer, reason="Changed my mind")
    assert error.value.code == "window_closed"
    closes = timezone.localtime(order.return_window_closes_at)
    assert str(error.value).startswith("The return window closed on ")
    assert str(closes.year) in str(error.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert not ReturnRequest.objects.exists()


def test_only_the_buyer_asks_for_a_return():
    order = delivered_order()
    with pytest.raises(NotAllowed):
        return_request(order_id=order.pk, buyer=order.seller, reason="Changed my mind")
    with pytest.raises(Order.DoesNotExist):
        return_request(order_id=order.pk, buyer=UserFactory(), reason="Changed my mind")
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501, "a\x00b", None])
def test_a_return_needs_a_reason_that_fits(reason):
    order = delivered_order()
    with pytest.raises(OrderError) as error:
        return_request(order_id=order.pk, buyer=order.buyer, reason=reason)
    assert error.value.field == "reason"
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


@pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED])
def test_a_return_before_delivery_or_after_completion_is_an_invalid_transition(status):
    order = delivered_order()
    Order.objects.filter(pk=order.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        return_request(order_id=order.pk, buyer=order.buyer, reason="Changed my mind")
    assert not ReturnRequest.objects.exists()


# --- The free label for inspected stock ---------------------------------------------------------------


@pytest.mark.parametrize("source", [ListingSource.PLATFORM, ListingSource.CONSIGNED])
def test_inspected_stock_gets_a_free_label_to_the_centre_once_the_request_commits(
    source, django_capture_on_commit_callbacks
):
    order = delivered_order(source=source)
    with django_capture_on_commit_callbacks(execute=True):
        return_request(order_id=order.pk, buyer=order.buyer, reason="The strap is scratched")
    returned = ReturnRequest.objects.get(order=order)
    assert returned.carrier == "sandbox"
    assert returned.tracking_number.startswith("SBX")
    assert label_bytes(returned.shipment).startswith(b"%PDF")
    assert returned.shipment.purpose == ShipmentPurpose.BUYER_RETURN
    assert returned.shipment.reference == order.number


def test_a_carrier_outage_leaves_the_request_standing_and_the_label_is_booked_later(
    settings, django_capture_on_commit_callbacks
):
    order = delivered_order(source=ListingSource.PLATFORM)
    settings.CARRIER_SANDBOX_FAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        return_request(order_id=order.pk, buyer=order.buyer, reason="The strap is scratched")
    returned = ReturnRequest.objects.get(order=order)
    assert (returned.status, returned.tracking_number, returned.shipment.status) == (
        ReturnStatus.REQUESTED,
        "",
        ShipmentStatus.REQUESTED,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURN_REQUESTED

    settings.CARRIER_SANDBOX_FAIL = False
    assert shipments_book_requested() == 1
    assert shipments_book_requested() == 0
    returned = ReturnRequest.objects.select_related("shipment").get(order=order)
    assert returned.tracking_number.startswith("SBX")
    assert label_bytes(returned.shipment).startswith(b"%PDF")


def test_booking_the_label_twice_books_one(monkeypatch, django_capture_on_commit_callbacks):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    order = delivered_order(source=ListingSource.PLATFORM)
    with django_capture_on_commit_callbacks(execute=True):
        return_request(order_id=order.pk, buyer=order.buyer, reason="The strap is scratched")
    first = ReturnRequest.objects.get(order=order).tracking_number
    assert return_label_book(order_id=order.pk).tracking_number == first
    assert carrier.booked == [first]


def test_a_return_withdrawn_while_the_carrier_books_keeps_no_label(monkeypatch, settings):
    order = delivered_order(source=ListingSource.PLATFORM)
    settings.CARRIER_SANDBOX_FAIL = True
    return_request(order_id=order.pk, buyer=order.buyer, reason="The strap is scratched")
    settings.CARRIER_SANDBOX_FAIL = False
    carrier = RecordingCarrier(before_answer=lambda: return_withdraw(order_id=order.pk, buyer=order.buyer))
    use_carrier(monkeypatch, carrier)
    returned = return_label_book(order_id=order.pk)
    assert returned.status == ReturnStatus.WITHDRAWN
    assert returned.tracking_number == ""
    assert carrier.cancelled == carrier.booked
    assert len(carrier.booked) == 1


def test_a_person_to_person_return_books_no_label(monkeypatch, django_capture_on_commit_callbacks):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    order = delivered_order()
    with django_capture_on_commit_callbacks(execute=True):
        return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    assert return_label_book(order_id=order.pk).tracking_number == ""
    assert carrier.booked == []


# --- The buyer's own tracking number for a person-to-person return ------------------------------------


def test_the_buyer_enters_the_return_tracking_number_and_may_correct_it():
    order = delivered_order()
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    return_tracking_set(order_id=order.pk, buyer=order.buyer, carrier="sf", tracking_number="sf1234567")
    returned = return_tracking_set(
        order_id=order.pk, buyer=order.buyer, carrier="zto", tracking_number="ZTO7654321"
    )
    assert (returned.carrier, returned.tracking_number) == ("zto", "ZTO7654321")


def test_a_return_tracking_number_is_checked_and_only_the_buyers():
    order = delivered_order()
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    with pytest.raises(ShippingError) as error:
        return_tracking_set(order_id=order.pk, buyer=order.buyer, carrier="sf", tracking_number="12")
    assert error.value.field == "tracking_number"
    with pytest.raises(NotAllowed):
        return_tracking_set(order_id=order.pk, buyer=order.seller, carrier="sf", tracking_number="SF1234567")
    with pytest.raises(Order.DoesNotExist):
        return_tracking_set(order_id=order.pk, buyer=UserFactory(), carrier="sf", tracking_number="SF1234567")
    assert ReturnRequest.objects.get(order=order).tracking_number == ""


def test_no_return_tracking_number_before_a_return_or_for_a_free_label():
    order = delivered_order()
    with pytest.raises(InvalidTransition):
        return_tracking_set(order_id=order.pk, buyer=order.buyer, carrier="sf", tracking_number="SF1234567")
    inspected = delivered_order(source=ListingSource.PLATFORM)
    return_request(order_id=inspected.pk, buyer=inspected.buyer, reason="The strap is scratched")
    with pytest.raises(OrderError) as error:
        return_tracking_set(
            order_id=inspected.pk, buyer=inspected.buyer, carrier="sf", tracking_number="SF1234567"
        )
    assert error.value.code == "label_provided"


# --- Withdrawing --------------------------------------------------------------------------------------


def test_withdrawing_goes_back_to_delivered_and_the_window_keeps_running():
    order = delivered_order(days_ago=3)
    delivered_at = order.delivered_at
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    withdrawn = return_withdraw(order_id=order.pk, buyer=order.buyer)
    assert withdrawn.status == OrderStatus.DELIVERED
    assert withdrawn.delivered_at == delivered_at
    assert ReturnRequest.objects.get(order=order).status == ReturnStatus.WITHDRAWN
    # The window still closes 7 days after delivery: 4 days from now, not 7.
    assert orders_complete_due(now=timezone.now() + timedelta(days=3)) == 0
    assert orders_complete_due(now=timezone.now() + timedelta(days=4, minutes=1)) == 1


def test_a_withdrawn_return_may_be_asked_for_again_within_the_window():
    order = delivered_order()
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    return_withdraw(order_id=order.pk, buyer=order.buyer)
    again = return_request(order_id=order.pk, buyer=order.buyer, reason="It does not fit after all")
    assert (again.status, again.reason) == (ReturnStatus.REQUESTED, "It does not fit after all")
    assert ReturnRequest.objects.count() == 1


def test_only_the_buyer_withdraws_and_only_a_requested_return():
    order = delivered_order()
    with pytest.raises(InvalidTransition):
        return_withdraw(order_id=order.pk, buyer=order.buyer)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    with pytest.raises(NotAllowed):
        return_withdraw(order_id=order.pk, buyer=order.seller)
    with pytest.raises(Order.DoesNotExist):
        return_withdraw(order_id=order.pk, buyer=UserFactory())
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURN_REQUESTED


# --- The item is back ---------------------------------------------------------------------------------


def test_the_seller_receives_the_item_back_and_the_buyer_is_refunded_in_full():
    order = delivered_order(price="1299.00")
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    refunded = return_mark_received(order_id=order.pk, by=order.seller)
    assert refunded.status == OrderStatus.REFUNDED
    assert [e.new for e in refunded.events.all()][-2:] == [OrderStatus.RETURNED, OrderStatus.REFUNDED]
    returned = ReturnRequest.objects.get(order=order)
    assert returned.status == ReturnStatus.RECEIVED
    assert returned.received_at is not None
    payment = order.payments.get()
    assert (payment.refunded_amount, payment.status) == (Decimal("1299.00"), PaymentStatus.REFUNDED)
    refund = Transaction.objects.get(cause=Cause.REFUND)
    assert refund.idempotency_key == f"refund:return:{order.pk}"
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert platform_balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("0.00")
    assert wallet_account(user=order.seller).balance == Decimal("0.00")
    order.listing.refresh_from_db()
    assert order.listing.status == ListingStatus.SOLD


def test_operations_receive_inspected_stock_back_at_the_centre():
    order = delivered_order(source=ListingSource.CONSIGNED)
    return_request(order_id=order.pk, buyer=order.buyer, reason="The strap is scratched")
    with pytest.raises(NotAllowed):
        return_mark_received(order_id=order.pk, by=order.seller)
    refunded = return_mark_received(order_id=order.pk, by=operations_user())
    assert refunded.status == OrderStatus.REFUNDED
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("0.00")
    assert platform_balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")


def test_inspected_stock_returned_to_the_centre_is_on_sale_again(django_capture_on_commit_callbacks):
    order = delivered_order(source=ListingSource.PLATFORM)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Smaller than I thought")
    received = []
    order_returned.connect(lambda sender, order, **kwargs: received.append(order.pk), weak=False)

    with django_capture_on_commit_callbacks(execute=True):
        return_mark_received(order_id=order.pk, by=operations_user())

    order.listing.refresh_from_db()
    assert order.listing.status == ListingStatus.ACTIVE
    assert order.listing.events.last().text == "Returned by the buyer to the inspection centre: back on sale."
    assert received == [order.pk]
    # Another shopper can buy it now: the refunded order no longer holds the listing.
    again = order_place(buyer=UserFactory(), listing_id=order.listing_id)
    assert again.status == OrderStatus.PENDING_PAYMENT


def test_nobody_else_marks_a_return_received_and_no_money_moves():
    order = delivered_order()
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    with pytest.raises(NotAllowed):
        return_mark_received(order_id=order.pk, by=order.buyer)
    with pytest.raises(NotAllowed):
        return_mark_received(order_id=order.pk, by=operations_user())
    with pytest.raises(Order.DoesNotExist):
        return_mark_received(order_id=order.pk, by=UserFactory())
    assert not Transaction.objects.filter(cause=Cause.REFUND).exists()
    assert platform_balance(AccountPurpose.ESCROW) == Decimal("1299.00")


def test_receiving_twice_or_without_a_return_refunds_nothing_more():
    order = delivered_order()
    with pytest.raises(InvalidTransition):
        return_mark_received(order_id=order.pk, by=order.seller)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    return_mark_received(order_id=order.pk, by=order.seller)
    with pytest.raises(InvalidTransition):
        return_mark_received(order_id=order.pk, by=order.seller)
    assert Transaction.objects.filter(cause=Cause.REFUND).count() == 1
    assert order.payments.get().refunded_amount == Decimal("1299.00")
