"""Two-person authenticity verdicts on luxury items, and the escalation queue."""

import pytest
from django.core.exceptions import PermissionDenied

from inspection.errors import InspectionError
from inspection.models import (
    AuthenticityVerdict,
    FailReason,
    InspectionEvent,
    InspectionResult,
    InspectionStatus,
    Report,
    Verdict,
)
from inspection.reports import authenticity_summary
from inspection.selectors import authentication_queue, escalation_queue
from inspection.services.authentication import authenticity_escalation_resolve, authenticity_verdict_add
from inspection.services.workbench import inspection_claim, inspection_complete
from inspection.signals import inspection_completed
from tests.factories import UserFactory
from tests.inspection.desk_fixtures import answer_all, authenticator, inspector, queued_inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed_ids():
    seen = []

    def on_completed(sender, inspection, **kwargs):
        seen.append(inspection.pk)

    inspection_completed.connect(on_completed, dispatch_uid="test.auth.completed")
    yield seen
    inspection_completed.disconnect(dispatch_uid="test.auth.completed")


def awaiting():
    """A luxury item its inspector has passed with grade S; it waits for two authenticators."""
    staff = inspector()
    inspection = queued_inspection(luxury=True)
    inspection_claim(inspection_id=inspection.pk, inspector=staff)
    answer_all(inspection, staff)
    return inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)


def test_two_genuine_verdicts_authenticate_and_complete(django_capture_on_commit_callbacks, completed_ids):
    inspection = awaiting()
    first, second = authenticator(), authenticator()
    after_one = authenticity_verdict_add(inspection_id=inspection.pk, by=first, verdict=Verdict.GENUINE)
    assert after_one.status == InspectionStatus.AWAITING_SECOND_OPINION
    assert [row.pk for row in authentication_queue(scope=None)] == [inspection.pk]

    with django_capture_on_commit_callbacks(execute=True):
        done = authenticity_verdict_add(
            inspection_id=inspection.pk, by=second, verdict="genuine", note="Heat stamp and date code match"
        )
    done.refresh_from_db()
    assert done.status == InspectionStatus.COMPLETED
    assert (done.result, done.authenticated, done.grade) == (InspectionResult.PASSED, True, "S")
    assert Report.objects.get(inspection=done).content["authenticity"] == {
        "authenticated": True,
        "two_agreed": True,
    }
    assert completed_ids == [inspection.pk]
    assert InspectionEvent.objects.filter(inspection=done, by=second).exists()


def test_two_counterfeit_verdicts_fail_it_as_counterfeit():
    inspection = awaiting()
    authenticity_verdict_add(inspection_id=inspection.pk, by=authenticator(), verdict=Verdict.COUNTERFEIT)
    done = authenticity_verdict_add(
        inspection_id=inspection.pk, by=authenticator(), verdict=Verdict.COUNTERFEIT, note="Wrong font"
    )
    assert done.status == InspectionStatus.COMPLETED
    assert (done.result, done.fail_reason, done.authenticated) == (
        InspectionResult.FAILED,
        FailReason.COUNTERFEIT,
        False,
    )
    assert done.grade == ""
    assert Report.objects.get(inspection=done).content["fail_reason"] == "counterfeit"


def test_the_same_person_cannot_give_both_verdicts():
    inspection = awaiting()
    person = authenticator()
    authenticity_verdict_add(inspection_id=inspection.pk, by=person, verdict=Verdict.GENUINE)
    with pytest.raises(InspectionError) as error:
        authenticity_verdict_add(inspection_id=inspection.pk, by=person, verdict=Verdict.GENUINE)
    assert error.value.code == "same_person"
    assert "different authenticator" in str(error.value)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.AWAITING_SECOND_OPINION
    assert inspection.authenticated is None
    assert AuthenticityVerdict.objects.count() == 1


def test_disagreement_escalates_and_a_third_person_resolves(
    django_capture_on_commit_callbacks, completed_ids
):
    inspection = awaiting()
    first, second, senior = authenticator(), authenticator(), authenticator()
    authenticity_verdict_add(inspection_id=inspection.pk, by=first, verdict=Verdict.GENUINE)
    escalated = authenticity_verdict_add(inspection_id=inspection.pk, by=second, verdict=Verdict.COUNTERFEIT)
    assert escalated.escalated and escalated.status == InspectionStatus.AWAITING_SECOND_OPINION
    assert [row.pk for row in escalation_queue(scope=None)] == [inspection.pk]
    assert list(authentication_queue(scope=None)) == []

    with pytest.raises(InspectionError) as error:  # a third verdict goes through the escalation
        authenticity_verdict_add(inspection_id=inspection.pk, by=senior, verdict=Verdict.GENUINE)
    assert error.value.code == "escalated"
    with pytest.raises(InspectionError) as error:
        authenticity_escalation_resolve(inspection_id=inspection.pk, by=first, verdict="genuine", note="Mine")
    assert error.value.code == "same_person"
    with pytest.raises(InspectionError) as error:
        authenticity_escalation_resolve(inspection_id=inspection.pk, by=senior, verdict="genuine", note="  ")
    assert (error.value.code, error.value.field) == ("note_required", "note")
    assert completed_ids == []

    with django_capture_on_commit_callbacks(execute=True):
        done = authenticity_escalation_resolve(
            inspection_id=inspection.pk,
            by=senior,
            verdict=Verdict.COUNTERFEIT,
            note="Serial belongs to another bag",
        )
    assert done.status == InspectionStatus.COMPLETED
    assert (done.result, done.fail_reason) == (InspectionResult.FAILED, FailReason.COUNTERFEIT)
    assert list(escalation_queue(scope=None)) == []
    assert completed_ids == [inspection.pk]
    # The public report tells what happened: not "two agreed", but a disagreement a third decided.
    authenticity = Report.objects.get(inspection=inspection).content["authenticity"]
    assert authenticity == {"authenticated": False, "two_agreed": False, "escalated": True}
    summary = authenticity_summary(authenticity)
    assert "the first two authenticators disagreed" in summary and "not genuine" in summary


def test_only_authenticators_give_verdicts_and_only_while_waiting():
    inspection = awaiting()
    with pytest.raises(PermissionDenied):
        authenticity_verdict_add(inspection_id=inspection.pk, by=UserFactory(), verdict=Verdict.GENUINE)
    with pytest.raises(PermissionDenied):
        authenticity_verdict_add(inspection_id=inspection.pk, by=inspector(), verdict=Verdict.GENUINE)
    with pytest.raises(InspectionError) as error:
        authenticity_verdict_add(inspection_id=inspection.pk, by=authenticator(), verdict="maybe")
    assert error.value.field == "verdict"
    queued = queued_inspection(luxury=True)
    with pytest.raises(InspectionError) as error:
        authenticity_verdict_add(inspection_id=queued.pk, by=authenticator(), verdict=Verdict.GENUINE)
    assert error.value.code == "not_awaiting_authentication"
    assert not AuthenticityVerdict.objects.exists()


def test_the_queues_read_in_two_queries(django_assert_num_queries):
    for _number in range(3):
        authenticity_verdict_add(inspection_id=awaiting().pk, by=authenticator(), verdict=Verdict.GENUINE)
    # 1 the rows (category, model, brand, inspector joined), 2 their verdicts with who gave them
    with django_assert_num_queries(2):
        rows = list(authentication_queue(scope=None))
        assert [len(row.verdicts.all()) for row in rows] == [1, 1, 1]
        assert all(row.verdicts.all()[0].by.username for row in rows)
