"""The carrier webhook also follows orders' parcels: "delivered" for a shipped order starts its return
window. Requests are signed by the sandbox carrier, as the real carrier signs them."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from orders.models import Order, OrderStatus, ReturnRequest
from orders.services.fulfilment import order_mark_shipped
from shipping.carriers.sandbox import sandbox_emit
from shipping.models import CarrierEvent, ShipmentPurpose, ShipmentStatus
from tests.orders.helpers import delivered_order, paid_order, return_shipment
from tests.recycling.shipping_fixtures import booked_shipment
from tests.shipping.test_webhook import URL, deliver, signed_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def carrier_client():
    return Client(enforce_csrf_checks=True)


def shipped_order(tracking_number: str = "SBX482901736254") -> Order:
    """An order its seller shipped yesterday."""
    order = paid_order()
    order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sandbox", tracking_number=tracking_number)
    Order.objects.filter(pk=order.pk).update(shipped_at=timezone.now() - timedelta(days=1))
    return Order.objects.get(pk=order.pk)


def test_a_delivered_event_marks_the_shipped_order_delivered_at_the_carriers_time(carrier_client):
    order = shipped_order()
    occurred = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    response = deliver(
        carrier_client,
        sandbox_emit(order.tracking_number, "delivered", occurred_at=occurred, event_ids=["evt_order"]),
    )
    assert response.status_code == 200
    assert response.json() == {"applied": ["evt_order"], "duplicates": [], "ignored": []}
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at == occurred
    assert order.events.get(new=OrderStatus.DELIVERED).by is None
    # The event is kept on the order's parcel, for the buyer's tracking page.
    event = CarrierEvent.objects.get()
    assert (event.shipment_id, event.kind) == (order.shipment_id, "delivered")
    assert event.shipment.purpose == ShipmentPurpose.PERSON_TO_PERSON


def test_events_before_delivery_are_acknowledged_and_change_nothing(carrier_client):
    order = shipped_order()
    response = deliver(carrier_client, sandbox_emit(order.tracking_number, ["picked_up", "in_transit"]))
    assert response.status_code == 200
    assert len(response.json()["applied"]) == 2
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_a_replayed_delivered_event_keeps_the_first_delivery_time(carrier_client):
    order = shipped_order()
    occurred = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    signed = sandbox_emit(order.tracking_number, "delivered", occurred_at=occurred, event_ids=["evt_1"])
    assert deliver(carrier_client, signed).status_code == 200
    again = deliver(carrier_client, signed)
    assert again.status_code == 200
    assert again.json() == {"applied": [], "duplicates": ["evt_1"], "ignored": []}
    order.refresh_from_db()
    assert order.delivered_at == occurred
    assert order.events.filter(new=OrderStatus.DELIVERED).count() == 1


def test_a_return_labels_tracking_number_is_recognised_and_completes_nothing(carrier_client):
    order = delivered_order()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.RETURN_REQUESTED)
    ReturnRequest.objects.create(order=order, reason="Too small")
    return_shipment(order, tracking_number="SBX111111111116")
    response = deliver(carrier_client, sandbox_emit("SBX111111111116", "delivered", event_ids=["evt_r"]))
    assert response.json()["applied"] == ["evt_r"]
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURN_REQUESTED


def test_one_batch_with_a_recycling_parcel_an_order_parcel_and_a_stranger(carrier_client):
    shipment = booked_shipment()
    order = shipped_order()
    events = []
    for tracking, event_id in (
        (shipment.tracking_number, "a"),
        (order.tracking_number, "b"),
        ("SBX000000000000", "c"),
    ):
        events += json.loads(sandbox_emit(tracking, "delivered", event_ids=[event_id]).body)["events"]
    body = json.dumps({"events": events}).encode()
    response = carrier_client.post(
        URL, data=body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.json() == {"applied": ["a", "b"], "duplicates": [], "ignored": ["c"]}
    shipment.refresh_from_db()
    order.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert order.status == OrderStatus.DELIVERED


def test_a_delivery_reported_in_the_future_starts_the_window_now(carrier_client):
    order = shipped_order()
    response = deliver(
        carrier_client,
        sandbox_emit(order.tracking_number, "delivered", occurred_at=timezone.now() + timedelta(days=2)),
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.delivered_at <= timezone.now()
