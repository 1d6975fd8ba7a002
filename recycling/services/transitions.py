"""The submission state machine: one table, one function; nothing else assigns `Submission.status`."""

from django.db import transaction

from accounts.models import User
from marketplace.errors import InvalidTransition
from recycling.models import Submission, SubmissionEvent
from recycling.models import SubmissionStatus as Status

ALLOWED: dict[Status, set[Status]] = {
    Status.DRAFT: {Status.VALUING, Status.CANCELLED},
    Status.VALUING: {Status.ESTIMATED, Status.CANCELLED},
    Status.ESTIMATED: {Status.SHIPPING, Status.ESTIMATE_EXPIRED, Status.CANCELLED},
    Status.ESTIMATE_EXPIRED: {Status.VALUING, Status.CANCELLED},
    Status.SHIPPING: {Status.RECEIVED, Status.CANCELLED},
    Status.RECEIVED: {Status.INSPECTING},
    Status.INSPECTING: {Status.OFFERED, Status.REJECTED},
    Status.OFFERED: {Status.RECYCLE_ACCEPTED, Status.CONSIGN_ACCEPTED, Status.DECLINED, Status.EXPIRED},
    Status.RECYCLE_ACCEPTED: {Status.PAID},
    Status.PAID: set(),
    Status.CONSIGN_ACCEPTED: {Status.LISTED},
    Status.LISTED: {Status.SOLD, Status.UNSOLD},
    # Back on sale when the buyer returned it within the return window.
    Status.SOLD: {Status.SETTLED, Status.LISTED},
    Status.SETTLED: set(),
    Status.UNSOLD: {Status.RETURNING, Status.RECYCLE_ACCEPTED},
    Status.DECLINED: {Status.RETURNING},
    Status.EXPIRED: {Status.RETURNING},
    Status.REJECTED: {Status.RETURNING},
    Status.RETURNING: {Status.RETURNED},
    Status.RETURNED: set(),
    Status.CANCELLED: set(),
}

# Before the parcel reaches the centre the seller may still cancel.
CANCELLABLE = frozenset(status for status, targets in ALLOWED.items() if Status.CANCELLED in targets)


@transaction.atomic
def submission_move(
    *,
    submission_id: int,
    to: Status,
    by: User | None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
) -> Submission:
    """Lock, check, record, save. `message` is a code of recycling.messages with its `params`; `note`
    is what a person typed. Raises InvalidTransition and changes nothing if `to` is not allowed,
    MessageError for a message the catalog does not list."""
    params = SubmissionEvent.message_params(message, params)
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if to not in ALLOWED[Status(submission.status)]:
        raise InvalidTransition(submission.status, to)
    SubmissionEvent.objects.create(
        submission=submission,
        old=submission.status,
        new=to,
        by=by,
        message=message,
        params=params,
        note=note[:300],
    )
    submission.status = to
    submission.save(update_fields=["status", "updated_at"])
    return submission
