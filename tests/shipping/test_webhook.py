"""The carrier webhook at /api/v1/carrier/webhook/, fed by the sandbox carrier's signed requests."""

import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from marketplace.webhooks import signature_for
from recycling.models import SubmissionStatus
from shipping.carriers.sandbox import SIGNATURE_HEADER, TIMESTAMP_HEADER, sandbox_emit
from shipping.models import CarrierEvent, ShipmentStatus
from tests.recycling.shipping_fixtures import booked_shipment

pytestmark = pytest.mark.django_db

URL = "/api/v1/carrier/webhook/"


@pytest.fixture
def carrier_client():
    # A carrier sends no CSRF token: the webhook must not need one.
    return Client(enforce_csrf_checks=True)


def deliver(client, signed, *, body=None, headers=None):
    return client.post(
        URL,
        data=signed.body if body is None else body,
        content_type="application/json",
        headers=signed.headers if headers is None else headers,
    )


def signed_headers(body: bytes) -> dict[str, str]:
    """Headers that sign any body, for bodies sandbox_emit would never build."""
    timestamp = int(time.time())
    signature = signature_for(body, timestamp, settings.CARRIER_WEBHOOK_SECRET)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"t={timestamp},v1={signature}"}


def test_a_signed_event_moves_the_parcel_in_transit(carrier_client):
    shipment = booked_shipment()
    response = deliver(
        carrier_client, sandbox_emit(shipment.tracking_number, "picked_up", event_ids=["evt_1"])
    )
    assert response.status_code == 200
    assert response.json() == {"applied": ["evt_1"], "duplicates": [], "ignored": []}
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    event = CarrierEvent.objects.get()
    assert (event.kind, event.payload["location"]) == ("picked_up", "Shanghai")
    # The carrier's "delivered" is not the desk's "received": the submission waits for the scan.
    assert shipment.submission.status == SubmissionStatus.SHIPPING


def test_a_bad_signature_is_403_and_stores_nothing(carrier_client):
    shipment = booked_shipment()
    signed = sandbox_emit(shipment.tracking_number, "delivered", secret="not-the-shared-secret")
    response = deliver(carrier_client, signed)
    assert response.status_code == 403
    assert response.json()["code"] == "webhook_rejected"
    assert not CarrierEvent.objects.exists()


def test_a_body_changed_after_signing_is_403(carrier_client):
    shipment = booked_shipment()
    signed = sandbox_emit(shipment.tracking_number, "in_transit")
    response = deliver(carrier_client, signed, body=signed.body.replace(b"in_transit", b"delivered"))
    assert response.status_code == 403
    assert not CarrierEvent.objects.exists()


def test_a_missing_signature_is_403(carrier_client):
    shipment = booked_shipment()
    response = deliver(carrier_client, sandbox_emit(shipment.tracking_number, "delivered"), headers={})
    assert response.status_code == 403


def test_a_stale_timestamp_is_403_even_with_a_valid_signature(carrier_client):
    shipment = booked_shipment()
    signed = sandbox_emit(shipment.tracking_number, "delivered", timestamp=int(time.time()) - 600)
    response = deliver(carrier_client, signed)
    assert response.status_code == 403
    assert not CarrierEvent.objects.exists()


def test_a_replayed_delivery_answers_200_and_stores_no_second_event(carrier_client):
    shipment = booked_shipment()
    signed = sandbox_emit(shipment.tracking_number, "in_transit", event_ids=["evt_replayed"])
    assert deliver(carrier_client, signed).status_code == 200
    again = deliver(carrier_client, signed)
    assert again.status_code == 200
    assert again.json()["duplicates"] == ["evt_replayed"]
    assert CarrierEvent.objects.count() == 1


def test_events_out_of_order_end_delivered(carrier_client):
    shipment = booked_shipment()
    start = timezone.now() - timedelta(hours=5)
    delivered = sandbox_emit(shipment.tracking_number, "delivered", occurred_at=start + timedelta(hours=4))
    late = sandbox_emit(
        shipment.tracking_number, ["picked_up", "in_transit", "out_for_delivery"], occurred_at=start
    )
    assert deliver(carrier_client, delivered).status_code == 200
    assert deliver(carrier_client, late).status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert list(shipment.events.values_list("kind", flat=True)) == [
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]


def test_an_unknown_tracking_number_is_acknowledged_as_ignored(carrier_client):
    response = deliver(
        carrier_client, sandbox_emit("SBX000000000000", "delivered", event_ids=["evt_stranger"])
    )
    assert response.status_code == 200
    assert response.json() == {"applied": [], "duplicates": [], "ignored": ["evt_stranger"]}
    assert not CarrierEvent.objects.exists()


def test_a_batch_mixing_known_and_unknown_parcels_applies_what_it_can(carrier_client):
    shipment = booked_shipment()
    ours = json.loads(sandbox_emit(shipment.tracking_number, "picked_up", event_ids=["a"]).body)["events"]
    theirs = json.loads(sandbox_emit("SBX000000000000", "picked_up", event_ids=["b"]).body)["events"]
    body = json.dumps({"events": ours + theirs}).encode()
    response = carrier_client.post(
        URL, data=body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.json() == {"applied": ["a"], "duplicates": [], "ignored": ["b"]}


@pytest.mark.parametrize("body", [b"{not json", b'{"events": "nope"}', b"\x00\xff"])
def test_a_signed_but_malformed_body_is_400(carrier_client, body):
    response = carrier_client.post(
        URL, data=body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_is_allowed(carrier_client, method):
    assert getattr(carrier_client, method)(URL).status_code == 405


def test_a_timestamp_too_large_for_a_float_is_403(carrier_client):
    body = b'{"events": []}'
    huge = "9" * 400
    response = carrier_client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={TIMESTAMP_HEADER: huge, SIGNATURE_HEADER: f"t={huge},v1=00"},
    )
    assert response.status_code == 403


def test_a_non_ascii_signature_is_403(carrier_client):
    body = b'{"events": []}'
    timestamp = int(time.time())
    response = carrier_client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"t={timestamp},v1=\u00e9\u00e9"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt\u0000", "type": "delivered", "occurred_at": "2026-01-01T00:00:00+00:00"},
        {
            "id": "evt_nul",
            "type": "delivered",
            "occurred_at": "2026-01-01T00:00:00+00:00",
            "note": "a\u0000b",
        },
        {"id": "evt_far", "type": "delivered", "occurred_at": "9999-12-31T23:59:59-14:00"},
        {"id": "evt_early", "type": "delivered", "occurred_at": "0001-01-01T00:00:00+14:00"},
    ],
)
def test_a_signed_event_with_nul_characters_or_an_unstorable_time_is_400(carrier_client, event):
    shipment = booked_shipment()
    body = json.dumps({"events": [{**event, "tracking_number": shipment.tracking_number}]}).encode()
    response = carrier_client.post(
        URL, data=body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.status_code == 400
    assert CarrierEvent.objects.count() == 0
