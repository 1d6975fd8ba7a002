"""Authenticators judge with what the seller declared in front of them (recycling answers the
inspection desk's `subjects_described`), and blind: no other verdict is shown before their own."""

import pytest
from django.urls import reverse

from inspection.models import Verdict
from inspection.services.authentication import authenticity_verdict_add
from inspection.services.workbench import inspection_claim, inspection_complete
from recycling.models import SubmissionPhoto
from tests.factories import SubmissionFactory
from tests.inspection.desk_fixtures import answer_all, authenticator, inspector, queued_inspection

pytestmark = pytest.mark.django_db


def _awaiting_verdicts_for_a_submission():
    submission = SubmissionFactory(
        title="Speedy 30 monogram", attributes={}, condition_answers={}, declared_grade="A"
    )
    SubmissionPhoto.objects.create(
        submission=submission, view="front", key="speedy-front", width=800, height=800
    )
    by = inspector()
    item = queued_inspection(
        luxury=True,
        subject_code=submission.code,
        title=submission.title,
        declared_grade=submission.declared_grade,
    )
    inspection_claim(inspection_id=item.pk, inspector=by)
    answer_all(item, by)
    inspection_complete(inspection_id=item.pk, inspector=by, passed=True)
    return submission, item


def test_each_authenticator_sees_the_declarations_and_photos_but_not_the_other_verdict(client):
    submission, item = _awaiting_verdicts_for_a_submission()
    first, second = authenticator(), authenticator()
    authenticity_verdict_add(inspection_id=item.pk, by=first, verdict=Verdict.COUNTERFEIT, note="Stitching")

    client.force_login(second)
    html = client.get(reverse("inspection:authentication")).content.decode()

    assert "What the seller declared: Excellent" in html
    photo = SubmissionPhoto.objects.get(submission=submission)
    assert reverse("recycling:photo", args=[photo.pk]) in html
    # Blind: nothing of the first verdict, and the form to give one's own.
    assert "Counterfeit, by" not in html and "Stitching" not in html
    assert f'id="verdict-{item.pk}"' in html

    client.force_login(first)
    html = client.get(reverse("inspection:authentication")).content.decode()
    assert "Your verdict: Counterfeit." in html and f'id="verdict-{item.pk}"' not in html


def test_the_third_authenticator_of_an_escalation_sees_both_verdicts(client):
    _submission, item = _awaiting_verdicts_for_a_submission()
    authenticity_verdict_add(inspection_id=item.pk, by=authenticator(), verdict=Verdict.GENUINE)
    authenticity_verdict_add(inspection_id=item.pk, by=authenticator(), verdict=Verdict.COUNTERFEIT)

    client.force_login(authenticator())
    html = client.get(reverse("inspection:escalations")).content.decode()

    assert "Genuine, by" in html and "Counterfeit, by" in html
