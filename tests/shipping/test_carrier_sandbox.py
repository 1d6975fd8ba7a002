"""The sandbox carrier behaves like a real one: tracking numbers, slots, refusals, outages, signatures."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.addresses import PostalAddress
from shipping.carriers import (
    INSPECTION_CENTRE,
    CarrierUnavailable,
    MalformedWebhook,
    SlotUnavailable,
    WebhookRejected,
    get_carrier,
)
from shipping.carriers.sandbox import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SandboxCarrier,
    is_tracking_number,
    luhn_digit,
    new_tracking_number,
    sandbox_emit,
)
from shipping.models import CarrierEvent, ShipmentStatus
from tests.recycling.shipping_fixtures import booked_shipment

SECRET = "test-secret"
SENDER = PostalAddress(name="Li Wei", phone="", region="", city="Hangzhou", street="", postcode="")


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def carrier():
    return SandboxCarrier(secret=SECRET)


def test_tracking_numbers_are_prefixed_with_twelve_digits_and_a_valid_check_digit():
    numbers = {new_tracking_number() for _i in range(50)}
    assert len(numbers) == 50
    for number in numbers:
        assert number.startswith("SBX") and len(number) == 15 and number[3:].isdigit()
        assert is_tracking_number(number)


def test_a_mistyped_digit_fails_the_check_digit():
    number = new_tracking_number()
    wrong = number[:-2] + str((int(number[-2]) + 1) % 10) + number[-1]
    assert not is_tracking_number(wrong)
    assert not is_tracking_number("SBX123")
    assert luhn_digit("7992739871") == "3"  # the textbook example


def test_pickup_slots_are_two_hour_windows_from_nine_to_seven_over_three_days(carrier):
    now = local(2026, 3, 2, 10, 30)  # Monday morning, Shanghai time
    slots = carrier.pickup_slots(now=now)
    # Today: 11:00 is within the hour of notice, so 13, 15, 17; then five slots on each of two days.
    assert len(slots) == 3 + 5 + 5
    assert slots[0] == (local(2026, 3, 2, 13), local(2026, 3, 2, 15))
    assert slots[-1] == (local(2026, 3, 4, 17), local(2026, 3, 4, 19))
    for start, end in slots:
        assert end - start == timedelta(hours=2)
        assert start > now
        assert timezone.localtime(start).hour >= 9 and timezone.localtime(end).hour <= 19


def test_late_in_the_evening_no_slot_is_left_today(carrier):
    slots = carrier.pickup_slots(now=local(2026, 3, 2, 18, 30))
    assert slots[0][0] == local(2026, 3, 3, 9)
    assert len(slots) == 10


def test_booking_a_pickup_slot_gives_its_window_and_a_tracking_number(carrier):
    now = local(2026, 3, 2, 10, 30)
    booking = carrier.book(
        reference="RLTEST2345",
        method="pickup",
        sender=SENDER,
        recipient=INSPECTION_CENTRE,
        pickup_start=local(2026, 3, 3, 9),
        now=now,
    )
    assert is_tracking_number(booking.tracking_number)
    assert (booking.pickup_start, booking.pickup_end) == (local(2026, 3, 3, 9), local(2026, 3, 3, 11))
    assert booking.carrier == "sandbox"


@pytest.mark.parametrize(
    "start",
    [
        (2026, 3, 2, 9),  # already started
        (2026, 3, 2, 11),  # within the hour of notice
        (2026, 3, 3, 10),  # not on a slot boundary
        (2026, 3, 3, 19),  # after hours
        (2026, 3, 9, 9),  # too far ahead
    ],
)
def test_a_slot_that_is_not_offered_is_refused(carrier, start):
    with pytest.raises(SlotUnavailable):
        carrier.book(
            reference="RLTEST2345",
            method="pickup",
            sender=SENDER,
            recipient=INSPECTION_CENTRE,
            pickup_start=local(*start),
            now=local(2026, 3, 2, 10, 30),
        )


def test_a_drop_off_needs_no_slot_and_says_where_to_go(carrier):
    booking = carrier.book(
        reference="RLTEST2345", method="drop_off", sender=SENDER, recipient=INSPECTION_CENTRE
    )
    assert booking.pickup_start is None
    assert "14 days" in booking.drop_off_note


def test_a_carrier_set_to_fail_is_unavailable_for_everything(settings):
    settings.CARRIER_SANDBOX_FAIL = True
    carrier = get_carrier()
    with pytest.raises(CarrierUnavailable):
        carrier.pickup_slots(now=timezone.now())
    with pytest.raises(CarrierUnavailable):
        carrier.book(reference="RL", method="drop_off", sender=SENDER, recipient=INSPECTION_CENTRE)
    with pytest.raises(CarrierUnavailable):
        carrier.cancel(new_tracking_number())


def test_a_signed_request_verifies_and_parses(carrier):
    signed = sandbox_emit("SBX000000000000", ["picked_up", "in_transit"], secret=SECRET)
    carrier.verify_webhook(signed.body, signed.headers)
    events = carrier.parse_webhook(signed.body)
    assert [event.kind for event in events] == ["picked_up", "in_transit"]
    assert events[1].occurred_at - events[0].occurred_at == timedelta(minutes=1)
    assert signed.headers[SIGNATURE_HEADER].startswith(f"t={signed.headers[TIMESTAMP_HEADER]},v1=")


def test_a_changed_body_or_another_secret_fails_verification(carrier):
    signed = sandbox_emit("SBX000000000000", "delivered", secret=SECRET)
    with pytest.raises(WebhookRejected):
        carrier.verify_webhook(signed.body.replace(b"delivered", b"in_transit"), signed.headers)
    with pytest.raises(WebhookRejected):
        SandboxCarrier(secret="another").verify_webhook(signed.body, signed.headers)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {SIGNATURE_HEADER: "v1=abc"},
        {SIGNATURE_HEADER: "t=notanumber,v1=abc"},
        {SIGNATURE_HEADER: "t=1,t=2,v1=abc"},
        {SIGNATURE_HEADER: "garbage"},
    ],
)
def test_missing_or_malformed_signatures_are_rejected(carrier, headers):
    with pytest.raises(WebhookRejected):
        carrier.verify_webhook(b"{}", headers)


def test_a_timestamp_header_that_disagrees_with_the_signed_one_is_rejected(carrier):
    signed = sandbox_emit("SBX000000000000", "delivered", secret=SECRET)
    headers = {**signed.headers, TIMESTAMP_HEADER: "12345"}
    with pytest.raises(WebhookRejected):
        carrier.verify_webhook(signed.body, headers)


def test_signatures_older_or_newer_than_five_minutes_are_rejected(carrier):
    signed = sandbox_emit("SBX000000000000", "delivered", secret=SECRET, timestamp=1_800_000_000)
    at = datetime.fromtimestamp(1_800_000_000, tz=timezone.get_current_timezone())
    carrier.verify_webhook(signed.body, signed.headers, now=at + timedelta(seconds=299))
    with pytest.raises(WebhookRejected):
        carrier.verify_webhook(signed.body, signed.headers, now=at + timedelta(seconds=301))
    with pytest.raises(WebhookRejected):
        carrier.verify_webhook(signed.body, signed.headers, now=at - timedelta(seconds=301))


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"events": {}}',
        b'{"events": [1]}',
        json.dumps({"events": [{"id": "e1", "type": "delivered", "tracking_number": "SBX1"}]}).encode(),
        json.dumps(
            {
                "events": [
                    {"id": "e1", "type": "delivered", "tracking_number": "SBX1", "occurred_at": "yesterday"}
                ]
            }
        ).encode(),
        json.dumps(
            {
                "events": [
                    {
                        "id": "e1",
                        "type": "delivered",
                        "tracking_number": "SBX1",
                        "occurred_at": "2026-03-02T10:00:00",
                    }
                ]
            }
        ).encode(),
        json.dumps(
            {
                "events": [
                    {
                        "id": "x" * 65,
                        "type": "delivered",
                        "tracking_number": "SBX1",
                        "occurred_at": "2026-03-02T10:00:00Z",
                    }
                ]
            }
        ).encode(),
    ],
)
def test_bodies_that_are_not_what_the_carrier_documents_are_malformed(carrier, body):
    with pytest.raises(MalformedWebhook):
        carrier.parse_webhook(body)


@pytest.mark.django_db
def test_advance_moves_a_parcel_one_step_through_the_real_webhook(capsys):
    shipment = booked_shipment()
    call_command("carrier_sandbox", "advance", shipment.tracking_number)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert list(CarrierEvent.objects.values_list("kind", flat=True)) == ["picked_up"]
    call_command("carrier_sandbox", "advance", shipment.submission.code.lower(), "--to", "delivered")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    kinds = list(CarrierEvent.objects.order_by("occurred_at", "id").values_list("kind", flat=True))
    assert kinds == ["picked_up", "in_transit", "out_for_delivery", "delivered"]
    with pytest.raises(CommandError, match="already delivered"):
        call_command("carrier_sandbox", "advance", shipment.tracking_number)


@pytest.mark.django_db
def test_advance_names_an_unknown_parcel():
    with pytest.raises(CommandError, match="No shipment"):
        call_command("carrier_sandbox", "advance", "SBX000000000000")
