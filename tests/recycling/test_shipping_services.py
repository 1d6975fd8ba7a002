"""Booking free shipping, carrier events, the receiving desk's service and unused-label cancellation."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from accounts import roles
from listings.photos import private_storage
from recycling.errors import ShippingError
from recycling.models import Submission, SubmissionEvent, SubmissionStatus
from recycling.services.shipping import (
    pickup_slots,
    shipping_book,
    submission_receive,
)
from shipping.errors import UnknownTrackingNumber
from shipping.models import CarrierEvent, Shipment, ShipmentStatus, ShippingMethod
from shipping.services import labels_void_unused
from shipping.tasks import void_unused_labels
from tests.factories import UserFactory
from tests.recycling.shipping_fixtures import (
    RecordingCarrier,
    booked_shipment,
    estimated_submission,
    operations_user,
    staff_user,
    use_carrier,
)
from tests.shipping.helpers import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def carrier(monkeypatch):
    recording = RecordingCarrier()
    use_carrier(monkeypatch, recording)
    return recording


# --- Booking --------------------------------------------------------------------------------------


def test_a_drop_off_booking_creates_the_shipment_stores_the_label_and_moves_to_shipping(carrier):
    submission = estimated_submission()
    shipment = shipping_book(
        submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SHIPPING
    assert shipment.tracking_number == carrier.booked[0]
    assert (shipment.method, shipment.status, shipment.pickup_start) == ("drop_off", "label_created", None)
    with private_storage().open(shipment.label_path, "rb") as label:
        assert label.read(5) == b"%PDF-"
    event = SubmissionEvent.objects.get(submission=submission)
    assert (event.old, event.new, event.by) == ("estimated", "shipping", submission.seller)
    assert shipment.tracking_number in event.text


def test_a_pickup_booking_keeps_the_slot(carrier):
    submission = estimated_submission()
    start, end = pickup_slots()[2]
    shipment = shipping_book(
        submission_id=submission.pk, seller=submission.seller, method="pickup", pickup_start=start
    )
    assert (shipment.pickup_start, shipment.pickup_end) == (start, end)


def test_someone_elses_submission_cannot_be_booked(carrier):
    submission = estimated_submission()
    with pytest.raises(Submission.DoesNotExist):
        shipping_book(submission_id=submission.pk, seller=UserFactory(), method=ShippingMethod.DROP_OFF)
    assert carrier.booked == []


@pytest.mark.parametrize(
    "status", [SubmissionStatus.DRAFT, SubmissionStatus.VALUING, SubmissionStatus.CANCELLED]
)
def test_only_an_estimated_submission_can_be_booked(carrier, status):
    submission = estimated_submission()
    Submission.objects.filter(pk=submission.pk).update(status=status)
    with pytest.raises(ShippingError) as error:
        shipping_book(submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF)
    assert error.value.code == "not_estimated"
    assert carrier.booked == [] and not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_an_expired_estimate_cannot_be_booked(carrier):
    submission = estimated_submission(valid_for=timedelta(seconds=-1))
    with pytest.raises(ShippingError) as error:
        shipping_book(submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF)
    assert error.value.code == "estimate_expired"
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


@pytest.mark.parametrize(
    ("method", "code"), [("pickup", "slot_required"), ("by_pigeon", "method_invalid"), ("", "method_invalid")]
)
def test_a_pickup_needs_a_slot_and_the_method_must_be_known(carrier, method, code):
    submission = estimated_submission()
    with pytest.raises(ShippingError) as error:
        shipping_book(submission_id=submission.pk, seller=submission.seller, method=method)
    assert error.value.code == code


def test_a_slot_that_is_gone_is_refused_with_a_clear_code(carrier):
    submission = estimated_submission()
    with pytest.raises(ShippingError) as error:
        shipping_book(
            submission_id=submission.pk,
            seller=submission.seller,
            method="pickup",
            pickup_start=timezone.now() - timedelta(hours=3),
        )
    assert error.value.code == "slot_unavailable"
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_a_carrier_outage_is_a_503_shipping_error_and_leaves_nothing(monkeypatch):
    use_carrier(monkeypatch, RecordingCarrier(fail=True))
    submission = estimated_submission()
    with pytest.raises(ShippingError) as error:
        shipping_book(submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF)
    assert (error.value.code, error.value.status_code) == ("carrier_unavailable", 503)
    submission.refresh_from_db()
    assert (
        submission.status == SubmissionStatus.ESTIMATED
        and not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()
    )


def test_a_double_click_returns_the_live_shipment_and_books_once(carrier):
    submission = estimated_submission()
    first = shipping_book(
        submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF
    )
    second = shipping_book(submission_id=submission.pk, seller=submission.seller, method="pickup")
    assert first == second
    assert len(carrier.booked) == 1 and Shipment.objects.count() == 1


def test_a_booking_that_loses_the_race_is_cancelled_with_the_carrier(monkeypatch):
    # given: while our request waits for the carrier, another tab books the same submission
    submission = estimated_submission()
    other_tab = RecordingCarrier()

    def book_in_another_tab():
        use_carrier(monkeypatch, other_tab)
        shipping_book(submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF)

    ours = RecordingCarrier(before_answer=book_in_another_tab)
    use_carrier(monkeypatch, ours)
    # when
    shipment = shipping_book(
        submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF
    )
    # then: the other tab's shipment stands, ours is voided with the carrier and leaves no label behind
    assert shipment.tracking_number == other_tab.booked[0]
    assert ours.cancelled == ours.booked
    assert Shipment.objects.count() == 1
    assert not private_storage().exists(f"labels/{submission.code}/{ours.booked[0]}.pdf")


def test_a_submission_cancelled_while_the_carrier_answers_cancels_the_booking(monkeypatch):
    submission = estimated_submission()

    def seller_cancels():
        Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.CANCELLED)

    carrier = RecordingCarrier(before_answer=seller_cancels)
    use_carrier(monkeypatch, carrier)
    with pytest.raises(ShippingError) as error:
        shipping_book(submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF)
    assert error.value.code == "not_estimated"
    assert (
        carrier.cancelled == carrier.booked
        and not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()
    )


# --- Carrier events -------------------------------------------------------------------------------


def _apply(shipment, kind, event_id, minutes=0):
    return record_event(
        event_id=event_id,
        tracking_number=shipment.tracking_number,
        kind=kind,
        occurred_at=timezone.now() + timedelta(minutes=minutes),
        payload={"type": kind},
    )


def test_events_move_the_shipment_forward_and_a_replay_changes_nothing():
    shipment = booked_shipment()
    assert _apply(shipment, "picked_up", "e1") is not None
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert _apply(shipment, "picked_up", "e1") is None
    assert CarrierEvent.objects.count() == 1


def test_events_out_of_order_end_at_the_furthest_state():
    shipment = booked_shipment()
    _apply(shipment, "delivered", "e3", minutes=30)
    _apply(shipment, "in_transit", "e2", minutes=10)
    _apply(shipment, "picked_up", "e1")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert list(shipment.events.values_list("kind", flat=True)) == ["picked_up", "in_transit", "delivered"]


def test_an_unknown_kind_is_kept_but_moves_nothing():
    shipment = booked_shipment()
    _apply(shipment, "address_corrected", "e1")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.LABEL_CREATED and CarrierEvent.objects.count() == 1


def test_an_event_for_an_unknown_tracking_number_is_a_clear_error():
    with pytest.raises(UnknownTrackingNumber):
        record_event(
            event_id="e1",
            tracking_number="SBX000000000000",
            kind="delivered",
            occurred_at=timezone.now(),
            payload={},
        )
    assert not CarrierEvent.objects.exists()


def test_a_cancelled_label_stays_cancelled_when_a_late_event_arrives():
    shipment = booked_shipment()
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.CANCELLED)
    _apply(shipment, "picked_up", "e1")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED and CarrierEvent.objects.count() == 1


# --- Receiving ------------------------------------------------------------------------------------


def test_receiving_by_code_ignores_case_and_spaces_and_marks_the_parcel_delivered():
    shipment = booked_shipment()
    clerk = operations_user()
    code = shipment.submission.code
    typed = f" {code[:4].lower()} {code[4:]} "
    submission = submission_receive(reference=typed, by=clerk)
    assert submission.status == SubmissionStatus.RECEIVED
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    event = submission.events.last()
    assert (event.old, event.new, event.by) == ("shipping", "received", clerk)


def test_receiving_by_tracking_number_works_without_any_carrier_event():
    shipment = booked_shipment()
    submission = submission_receive(reference=shipment.tracking_number.lower(), by=operations_user())
    assert submission.pk == shipment.submission.pk and submission.status == SubmissionStatus.RECEIVED


def test_receiving_twice_says_it_was_already_received():
    shipment = booked_shipment()
    clerk = operations_user()
    submission_receive(reference=shipment.tracking_number, by=clerk)
    with pytest.raises(ShippingError, match="already received") as error:
        submission_receive(reference=shipment.submission.code, by=clerk)
    assert error.value.code == "already_received"
    assert shipment.submission.events.filter(new=SubmissionStatus.RECEIVED).count() == 1


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("", "reference_required"),
        ("   ", "reference_required"),
        ("RLNOPE2345", "unknown_reference"),
        ("x" * 200, "unknown_reference"),
    ],
)
def test_receiving_an_unknown_reference_says_so(reference, code):
    with pytest.raises(ShippingError) as error:
        submission_receive(reference=reference, by=operations_user())
    assert error.value.code == code


def test_receiving_a_submission_that_never_shipped_or_was_cancelled_is_refused():
    estimated = estimated_submission()
    with pytest.raises(ShippingError) as error:
        submission_receive(reference=estimated.code, by=operations_user())
    assert error.value.code == "not_shipping"
    shipment = booked_shipment()
    Submission.objects.filter(pk=shipment.submission.pk).update(status=SubmissionStatus.CANCELLED)
    with pytest.raises(ShippingError) as error:
        submission_receive(reference=shipment.tracking_number, by=operations_user())
    assert error.value.code == "submission_cancelled"


@pytest.mark.parametrize("role", [None, roles.INSPECTORS, roles.AUTHENTICATORS])
def test_only_operations_staff_can_receive(role):
    shipment = booked_shipment()
    with pytest.raises(PermissionDenied):
        submission_receive(reference=shipment.tracking_number, by=staff_user(role))
    shipment.submission.refresh_from_db()
    assert shipment.submission.status == SubmissionStatus.SHIPPING


# --- Unused labels --------------------------------------------------------------------------------


def _age(shipment, days):
    Shipment.objects.filter(pk=shipment.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_labels_unused_for_fourteen_days_are_cancelled_with_their_submissions(carrier):
    old = booked_shipment()
    recent = booked_shipment()
    moving = booked_shipment()
    _age(old, 15)
    _age(recent, 13)
    _age(moving, 20)
    _apply(moving, "picked_up", "e1")
    carrier.cancelled.clear()

    assert labels_void_unused() == 1

    assert carrier.cancelled == [old.tracking_number]
    old.refresh_from_db()
    assert old.status == ShipmentStatus.CANCELLED
    submission = Submission.objects.get(pk=old.submission.pk)
    assert submission.status == SubmissionStatus.CANCELLED
    assert "14 days" in submission.events.last().text
    for untouched in (recent, moving):
        assert Submission.objects.get(pk=untouched.submission.pk).status == SubmissionStatus.SHIPPING
    assert labels_void_unused() == 0  # safe to run twice


def test_the_periodic_task_cancels_in_batches(carrier, monkeypatch):
    monkeypatch.setattr("shipping.services.BATCH_SIZE", 2)
    shipments = [booked_shipment() for _i in range(5)]
    for shipment in shipments:
        _age(shipment, 30)
    void_unused_labels.delay()
    assert Shipment.objects.filter(status=ShipmentStatus.CANCELLED).count() == 5


def test_a_carrier_outage_keeps_what_was_cancelled_and_the_rest_for_the_retry(monkeypatch):
    shipments = [booked_shipment() for _i in range(3)]
    for shipment in shipments:
        _age(shipment, 30)
    flaky = RecordingCarrier()
    original_cancel = flaky.cancel

    def cancel_once(tracking_number):
        if flaky.cancelled:
            flaky.fail = True
        original_cancel(tracking_number)

    flaky.cancel = cancel_once
    use_carrier(monkeypatch, flaky)
    from shipping.carriers import CarrierUnavailable

    with pytest.raises(CarrierUnavailable):
        labels_void_unused()
    assert Shipment.objects.filter(status=ShipmentStatus.CANCELLED).count() == 1
    use_carrier(monkeypatch, RecordingCarrier())
    assert labels_void_unused() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_label_locked_by_another_run_is_skipped_not_waited_for(carrier):
    locked, free = booked_shipment(), booked_shipment()
    _age(locked, 30)
    _age(free, 30)
    holding = threading.Event()
    release = threading.Event()

    def other_run():
        try:
            with transaction.atomic():
                Shipment.objects.select_for_update().get(pk=locked.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert holding.wait(10)
        assert labels_void_unused() == 1
    finally:
        release.set()
        thread.join()
    assert Shipment.objects.get(pk=free.pk).status == ShipmentStatus.CANCELLED
    assert Shipment.objects.get(pk=locked.pk).status == ShipmentStatus.LABEL_CREATED
