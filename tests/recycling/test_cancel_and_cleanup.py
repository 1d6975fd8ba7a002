"""Cancelling a submission voids its unused label; photos held by abandoned flows are purged."""

import os
import time

import pytest
from django.core.files.base import ContentFile

from listings.photos import private_storage
from recycling import pending_photos
from recycling.models import SubmissionStatus
from recycling.services.intake import submission_cancel
from shipping.carriers import CarrierUnavailable
from shipping.models import ShipmentStatus
from shipping.services import shipment_cancel
from tests.recycling.shipping_fixtures import RecordingCarrier, booked_shipment, use_carrier

pytestmark = pytest.mark.django_db


def test_cancelling_while_shipping_voids_the_label_with_the_carrier(
    monkeypatch, django_capture_on_commit_callbacks
):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    shipment = booked_shipment()
    submission = shipment.submission

    with django_capture_on_commit_callbacks(execute=True):
        submission_cancel(submission_id=submission.pk, seller=submission.seller)

    shipment.refresh_from_db()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CANCELLED
    assert shipment.status == ShipmentStatus.CANCELLED
    assert carrier.cancelled == [shipment.tracking_number]


def test_voiding_twice_asks_the_carrier_once(monkeypatch):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    shipment = booked_shipment()

    shipment_cancel(shipment_id=shipment.pk)
    shipment_cancel(shipment_id=shipment.pk)

    assert carrier.cancelled == [shipment.tracking_number]


def test_a_carrier_outage_leaves_the_label_live_for_a_retry(monkeypatch):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    shipment = booked_shipment()
    carrier.fail = True  # the carrier goes down after the booking

    with pytest.raises(CarrierUnavailable):
        shipment_cancel(shipment_id=shipment.pk)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.LABEL_CREATED


def test_a_scanned_parcel_is_not_voided(monkeypatch):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    shipment = booked_shipment()
    shipment.status = ShipmentStatus.IN_TRANSIT  # as a carrier scan leaves it
    shipment.save(update_fields=["status"])

    shipment_cancel(shipment_id=shipment.pk)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert carrier.cancelled == []


def test_purge_removes_only_photos_older_than_the_limit():
    old_key = pending_photos.hold(b"old photo bytes")
    fresh_key = pending_photos.hold(b"fresh photo bytes")
    old_path = private_storage().path(pending_photos.pending_name(old_key))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old_path, (two_days_ago, two_days_ago))

    deleted = pending_photos.purge_older_than(seconds=24 * 3600)

    assert deleted == 1
    assert not private_storage().exists(pending_photos.pending_name(old_key))
    assert private_storage().exists(pending_photos.pending_name(fresh_key))


def test_purge_leaves_other_private_files_alone():
    private_storage().save("listings/ab/abcdef.jpg", ContentFile(b"a listing photo"))
    path = private_storage().path("listings/ab/abcdef.jpg")
    os.utime(path, (0, 0))

    assert pending_photos.purge_older_than(seconds=1) == 0
    assert private_storage().exists("listings/ab/abcdef.jpg")
