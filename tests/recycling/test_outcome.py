"""What recycling does with the inspection desk's news: receiving enqueues, a claim moves the
submission to inspecting, a pass to offered, a failure to rejected and back to the seller for free;
the seller is e-mailed the result with the link to the public report."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import User
from inspection.models import Inspection, InspectionStatus, Report
from inspection.services.workbench import inspection_claim_next, inspection_complete
from listings.photos import private_storage
from notifications.models import Notification
from recycling.models import SubmissionEvent, SubmissionStatus
from recycling.services.outcome import (
    return_label_book,
    submission_inspection_completed,
)
from recycling.services.shipping import submission_receive
from shipping.carriers import CarrierUnavailable
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus
from shipping.services import shipments_book_requested
from tests.inspection.desk_fixtures import answer_all, inspector, small_checklist
from tests.recycling.shipping_fixtures import booked_shipment, operations_user

pytestmark = pytest.mark.django_db


def received(**fields):
    shipment = booked_shipment(**fields)
    small_checklist(shipment.submission.category)
    return submission_receive(reference=shipment.tracking_number, by=operations_user())


def claimed_submission(capture):
    submission = received()
    staff = inspector()
    with capture(execute=True):
        inspection = inspection_claim_next(inspector=staff)
    answer_all(inspection, staff)
    return submission, inspection, staff


def test_receiving_enqueues_an_inspection_in_the_same_transaction():
    submission = received()
    inspection = Inspection.objects.get(subject_code=submission.code)
    assert inspection.status == InspectionStatus.QUEUED
    assert inspection.category_id == submission.category_id
    assert (inspection.title, inspection.declared_grade) == (submission.title, submission.declared_grade)
    assert submission.status == SubmissionStatus.RECEIVED


def test_a_claim_moves_the_submission_to_inspecting(django_capture_on_commit_callbacks):
    submission, _inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.INSPECTING
    assert submission.events.last().by == staff


def test_a_pass_moves_to_offered_and_notifies_the_seller(django_capture_on_commit_callbacks):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OFFERED
    (notification,) = Notification.objects.filter(recipient=submission.seller)
    # No catalog model here, so no priced offer yet: the notification says it follows.
    assert (notification.kind, notification.link) == ("submission.passed", f"/sell-with-us/{submission.pk}/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [submission.seller.email]
    assert "passed inspection" in message.subject
    assert f"/sell-with-us/{submission.pk}/" in message.body
    assert "grade S (Like new)" in message.body


def test_a_failure_is_rejected_then_returned_with_a_free_label_and_a_mail(django_capture_on_commit_callbacks):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(
            inspection_id=inspection.pk,
            inspector=staff,
            passed=False,
            fail_reason="not_as_declared",
            note="A different model from the one declared",
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNING
    moves = list(SubmissionEvent.objects.filter(submission=submission).values_list("new", flat=True))
    assert moves[-3:] == ["inspecting", "rejected", "returning"]
    label = Shipment.objects.get(reference=submission.code, purpose=ShipmentPurpose.SELLER_RETURN)
    assert private_storage().exists(label.label_path)
    # The result, then the parcel coming back with its tracking number.
    result, parcel = mail.outbox
    assert "did not pass inspection" in result.subject
    assert f"/sell-with-us/{submission.pk}/" in result.body
    assert "Not as declared" in result.body
    assert "on its way back" in parcel.subject
    assert label.tracking_number in parcel.body


def test_a_carrier_outage_leaves_it_rejected_and_the_sweep_books_the_label_later(
    django_capture_on_commit_callbacks, settings
):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    settings.CARRIER_SANDBOX_FAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(
            inspection_id=inspection.pk,
            inspector=staff,
            passed=False,
            fail_reason="prohibited",
            note="Not allowed",
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    # Asked for, not booked: shipping's job books it once the carrier answers.
    (requested,) = Shipment.objects.filter(purpose=ShipmentPurpose.SELLER_RETURN)
    assert (requested.status, requested.tracking_number) == (ShipmentStatus.REQUESTED, "")
    assert "tracking number follows" in mail.outbox[0].body

    with pytest.raises(CarrierUnavailable):  # still down: the sweep fails and is retried
        shipments_book_requested()
    settings.CARRIER_SANDBOX_FAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        assert shipments_book_requested() == 1
    assert shipments_book_requested() == 0
    shipment = Shipment.objects.get(reference=submission.code, purpose=ShipmentPurpose.SELLER_RETURN)
    assert return_label_book(submission_id=submission.pk).pk == shipment.pk
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNING
    assert len(mail.outbox) == 2
    assert shipment.tracking_number in mail.outbox[1].body


def test_the_news_applied_twice_changes_nothing_more(django_capture_on_commit_callbacks):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    events = SubmissionEvent.objects.filter(submission=submission).count()
    with django_capture_on_commit_callbacks(execute=True):
        submission_inspection_completed(inspection=Inspection.objects.get(pk=inspection.pk))
    assert SubmissionEvent.objects.filter(submission=submission).count() == events
    assert len(mail.outbox) == 1


def test_the_mail_is_written_in_the_sellers_language(django_capture_on_commit_callbacks):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    User.objects.filter(pk=submission.seller_id).update(language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    (message,) = mail.outbox
    assert "通过质检" in message.subject
    assert f"/zh-hans/sell-with-us/{submission.pk}/" in message.body


def test_the_seller_finds_the_report_on_the_submission_page_once_complete(
    client, django_capture_on_commit_callbacks
):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    client.force_login(submission.seller)
    page = f"/sell-with-us/{submission.pk}/"
    assert "Read the inspection report" not in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)

    report = Report.objects.get(inspection=inspection)
    html = client.get(page).content.decode()
    assert f'href="/r/{report.code}/"' in html
    assert "Read the inspection report" in html


def test_the_api_gives_the_report_url_once_complete(django_capture_on_commit_callbacks):
    submission, inspection, staff = claimed_submission(django_capture_on_commit_callbacks)
    api = APIClient()
    api.force_authenticate(submission.seller)
    assert api.get(f"/api/v1/submissions/{submission.pk}/").json()["report_url"] is None

    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)

    report = Report.objects.get(inspection=inspection)
    assert (
        api.get(f"/api/v1/submissions/{submission.pk}/").json()["report_url"].endswith(f"/r/{report.code}/")
    )
