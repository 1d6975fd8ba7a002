"""A broker that does not answer when a seller sends an item, cancels it or takes the cash: what they
did is kept and shown as waiting, and the periodic sweeps finish it once the broker is back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from listings.photos import private_storage, stored_name
from recycling.models import SubmissionStatus
from recycling.services.intake import submission_cancel, submission_create
from recycling.services.offers import PAYOUT_CATCH_UP_AFTER, offer_accept_recycle, recycle_payouts_catch_up
from recycling.services.shipping import LABEL_CANCEL_REQUEUE_AFTER, submission_labels_requeue_cancel
from recycling.services.valuation import VALUATION_REQUEUE_AFTER, submissions_requeue_valuing
from shipping.models import ShipmentStatus
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, UserFactory
from tests.listings import images
from tests.outages import broker_down
from tests.recycling.shipping_fixtures import RecordingCarrier, booked_shipment, use_carrier
from tests.recycling.test_intake import PHONE_ATTRIBUTES, PHONE_CONDITION
from tests.recycling.test_offers import offered_submission

pytestmark = pytest.mark.django_db


def _send_a_phone(django_capture_on_commit_callbacks):
    phones = CategoryFactory(slug="phones", name="Phones")
    iphone = CatalogModelFactory(
        brand=BrandFactory(slug="apple", name="Apple"),
        category=phones,
        name="iPhone 13 Pro",
        launch_price=Decimal("7999.00"),
        launch_year=2021,
    )
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        return submission_create(
            seller=UserFactory(),
            category=phones,
            catalog_model=iphone,
            attributes=dict(PHONE_ATTRIBUTES),
            condition_answers=dict(PHONE_CONDITION),
            photos={
                view: images.upload(images.jpeg_bytes((1200, 900))) for view in ("front", "back", "screen_on")
            },
        )


def test_an_item_sent_while_the_broker_is_down_waits_valuing_and_the_sweep_estimates_it(
    django_capture_on_commit_callbacks,
):
    submission = _send_a_phone(django_capture_on_commit_callbacks)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.VALUING  # the page says the estimate is on its way
    assert all(private_storage().exists(stored_name(photo.key)) for photo in submission.photos.all())
    assert submission.photos.count() == 3
    assert submissions_requeue_valuing() == 0  # a job only this recent may still be on its way

    later = timezone.now() + VALUATION_REQUEUE_AFTER + timedelta(minutes=1)
    assert submissions_requeue_valuing(now=later) == 1

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert submission.valuations.count() == 1
    assert submissions_requeue_valuing(now=later) == 0


def test_a_label_left_live_by_a_lost_cancellation_is_voided_by_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    shipment = booked_shipment()
    submission = shipment.submission

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        submission_cancel(submission_id=submission.pk, seller=submission.seller)

    shipment.refresh_from_db()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CANCELLED
    assert shipment.status == ShipmentStatus.LABEL_CREATED
    assert submission_labels_requeue_cancel() == 0

    later = timezone.now() + LABEL_CANCEL_REQUEUE_AFTER + timedelta(minutes=1)
    assert submission_labels_requeue_cancel(now=later) == 1

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    assert carrier.cancelled == [shipment.tracking_number]
    assert submission_labels_requeue_cancel(now=later) == 0


def test_cash_taken_while_the_broker_is_down_is_accepted_and_paid_by_the_catch_up(
    django_capture_on_commit_callbacks,
):
    submission = offered_submission(django_capture_on_commit_callbacks)

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECYCLE_ACCEPTED
    assert recycle_payouts_catch_up(now=timezone.now() + PAYOUT_CATCH_UP_AFTER) == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PAID
