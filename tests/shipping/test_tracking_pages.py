"""Where people follow their parcels: the submission's timeline and the buyer's order page show the
tracking number and the carrier's news, in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import timezone

from listings.models import ListingSource
from orders.services.fulfilment import order_mark_shipped
from tests.orders.helpers import paid_order
from tests.recycling.shipping_fixtures import booked_shipment, operations_user
from tests.shipping.helpers import record_event

pytestmark = pytest.mark.django_db


def test_the_submission_timeline_shows_the_carriers_news_in_both_languages(client):
    shipment = booked_shipment()
    record_event(
        event_id="e1", tracking_number=shipment.tracking_number, kind="picked_up", location="Hangzhou"
    )
    client.force_login(shipment.submission.seller)
    path = reverse("recycling:detail", args=[shipment.submission.pk])

    english = client.get(path).content.decode()
    chinese = client.get(f"/zh-hans{path}").content.decode()

    assert "Picked up by the carrier" in english and "Sandbox Express · Hangzhou" in english
    assert "快递员已揽收" in chinese and "沙盒快递 · Hangzhou" in chinese
    assert "Picked up by the carrier" not in chinese


def test_the_buyer_follows_the_parcel_on_the_order_page(client):
    order = paid_order()
    order = order_mark_shipped(
        order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF 1234 5678 90"
    )
    record_event(event_id="e1", tracking_number="SF1234567890", kind="in_transit", occurred_at=timezone.now())
    client.force_login(order.buyer)
    path = reverse("orders:detail", args=[order.number])

    english = client.get(path).content.decode()
    chinese = client.get(f"/zh-hans{path}").content.decode()

    assert "SF1234567890" in english and "SF Express" in english
    assert '<li class="od-parcel">' in english and "In transit" in english
    assert "顺丰速运" in chinese and "运输中" in chinese
    # The API says the same, with the events.
    tracking = client.get(f"/api/v1/orders/{order.number}/").json()["tracking"]
    assert (tracking["carrier"], tracking["tracking_number"]) == ("sf", "SF1234567890")
    assert [event["kind"] for event in tracking["events"]] == ["in_transit"]


def test_the_orders_desk_offers_the_carriers_as_a_list(client):
    from tests.orders.helpers import paid_order as order_of

    order_of(source=ListingSource.PLATFORM)
    client.force_login(operations_user())
    html = client.get("/staff/orders/").content.decode()
    assert '<select name="carrier"' in html
    assert '<option value="sf">SF Express</option>' in html
