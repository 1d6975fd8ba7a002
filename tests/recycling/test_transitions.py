"""The submission state machine: every move the table allows is recorded; every other one raises and
changes nothing."""

import itertools

import pytest

from marketplace.errors import InvalidTransition
from recycling.models import SubmissionEvent, SubmissionStatus
from recycling.services.transitions import ALLOWED, CANCELLABLE, submission_move
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(SubmissionStatus, SubmissionStatus))
ILLEGAL = [(old, new) for old, new in ALL_PAIRS if new not in ALLOWED[old]]
LEGAL = [(old, new) for old, new in ALL_PAIRS if new in ALLOWED[old]]


def test_the_table_names_every_status():
    assert set(ALLOWED) == set(SubmissionStatus)


@pytest.mark.parametrize(("old", "new"), ILLEGAL, ids=[f"{old}->{new}" for old, new in ILLEGAL])
def test_an_illegal_move_raises_and_changes_nothing(old, new):
    submission = SubmissionFactory(status=old)
    updated_at = submission.updated_at

    with pytest.raises(InvalidTransition):
        submission_move(submission_id=submission.pk, to=new, by=None)

    submission.refresh_from_db()
    assert submission.status == old
    assert submission.updated_at == updated_at
    assert not SubmissionEvent.objects.filter(submission=submission).exists()


@pytest.mark.parametrize(("old", "new"), LEGAL, ids=[f"{old}->{new}" for old, new in LEGAL])
def test_a_legal_move_is_saved_with_its_event(old, new):
    submission = SubmissionFactory(status=old)
    staff = UserFactory()

    submission_move(submission_id=submission.pk, to=new, by=staff, note="checked")

    submission.refresh_from_db()
    assert submission.status == new
    event = SubmissionEvent.objects.get(submission=submission)
    assert (event.old, event.new, event.by, event.note) == (old, new, staff, "checked")


def test_only_states_before_the_centre_can_be_cancelled():
    before_received = {
        SubmissionStatus.DRAFT,
        SubmissionStatus.VALUING,
        SubmissionStatus.ESTIMATED,
        SubmissionStatus.ESTIMATE_EXPIRED,
        SubmissionStatus.SHIPPING,
    }
    assert before_received == CANCELLABLE


def test_the_end_states_are_final():
    for status in (
        SubmissionStatus.PAID,
        SubmissionStatus.SETTLED,
        SubmissionStatus.RETURNED,
        SubmissionStatus.CANCELLED,
    ):
        assert ALLOWED[status] == set()
