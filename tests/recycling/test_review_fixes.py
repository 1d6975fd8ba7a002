"""Staff who read a submission are offered no seller actions; the desk lists received parcels by the
time they arrived."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import roles
from recycling.models import SubmissionEvent, SubmissionStatus
from recycling.selectors import submissions_received
from tests.factories import SubmissionFactory
from tests.recycling.shipping_fixtures import estimated_submission, staff_user

pytestmark = pytest.mark.django_db


def test_staff_reading_a_submission_are_not_offered_the_sellers_actions():
    submission = estimated_submission()
    api = APIClient()

    api.force_authenticate(staff_user(roles.OPERATIONS))
    as_staff = api.get(f"/api/v1/submissions/{submission.pk}/").json()
    api.force_authenticate(submission.seller)
    as_seller = api.get(f"/api/v1/submissions/{submission.pk}/").json()

    assert (as_staff["can_cancel"], as_staff["can_book_shipping"]) == (False, False)
    assert (as_seller["can_cancel"], as_seller["can_book_shipping"]) == (True, True)


def test_received_parcels_are_listed_by_when_they_arrived_not_by_their_last_change():
    now = timezone.now()
    early, late = (
        SubmissionFactory(status=SubmissionStatus.RECEIVED),
        SubmissionFactory(status=SubmissionStatus.RECEIVED),
    )
    for submission, hours_ago in ((early, 5), (late, 1)):
        SubmissionEvent.objects.create(
            submission=submission,
            old=SubmissionStatus.SHIPPING,
            new=SubmissionStatus.RECEIVED,
            at=now - timedelta(hours=hours_ago),
        )
    early.save()  # touched after the later arrival: updated_at alone would put it last

    assert [submission.pk for submission in submissions_received(None)] == [early.pk, late.pk]
