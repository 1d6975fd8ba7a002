"""The submission state machine: one table, one function; nothing else assigns `Submission.status`."""

from datetime import datetime
from typing import cast

from django.db import connection, transaction
from django.db.models import Field

from accounts.models import User
from marketplace.errors import InvalidTransition
from recycling.models import Submission, SubmissionEvent
from recycling.models import SubmissionStatus as Status
from wallet.services.ledger_batch import insert_rows

ALLOWED: dict[Status, set[Status]] = {
    Status.DRAFT: {Status.VALUING, Status.CANCELLED},
    Status.VALUING: {Status.ESTIMATED, Status.CANCELLED},
    # Back to VALUING when the seller replaces a flagged photo (recycling.services.photos).
    Status.ESTIMATED: {Status.SHIPPING, Status.ESTIMATE_EXPIRED, Status.VALUING, Status.CANCELLED},
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


# --- In batches, for the consignment settlement job ---------------------------------------------------


def submissions_lock(submission_ids: list[int]) -> dict[int, Status]:
    """The statuses of these submissions, under their row locks taken in id order (as every batch
    takes them, so that two batches cannot deadlock). Caller is inside a transaction."""
    return {
        pk: Status(status)
        for pk, status in Submission.objects.select_for_update()
        .filter(pk__in=submission_ids)
        .order_by("pk")
        .values_list("pk", "status")
    }


def submissions_settle(*, settled: dict[int, tuple[Status, dict]], at: datetime) -> None:
    """SOLD → SETTLED for a batch, {submission_id: (its status, the consignment.settled parameters)},
    as submission_move does it one by one (checked against ALLOWED, one event row each), in two
    statements. Caller holds the rows' locks (`submissions_lock`) and the batch's transaction."""
    rows = []
    params_field = cast(Field, SubmissionEvent._meta.get_field("params"))
    for submission_id, (old, params) in settled.items():
        if Status.SETTLED not in ALLOWED[old]:
            raise InvalidTransition(old, Status.SETTLED)
        stored = SubmissionEvent.message_params("consignment.settled", params)
        # insert_rows passes values to the driver as given: the parameters go prepared as JSON.
        prepared = params_field.get_db_prep_save(stored, connection)
        rows.append((submission_id, old.value, Status.SETTLED.value, "consignment.settled", prepared, "", at))
    insert_rows(SubmissionEvent, ["submission", "old", "new", "message", "params", "note", "at"], rows)
    Submission.objects.filter(pk__in=list(settled)).update(status=Status.SETTLED, updated_at=at)
