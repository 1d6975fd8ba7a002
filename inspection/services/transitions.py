"""The inspection state machine: one table, one function; nothing else assigns `Inspection.status`."""

from django.db import transaction

from accounts.models import User
from inspection.models import Inspection, InspectionEvent
from inspection.models import InspectionStatus as Status
from marketplace.errors import InvalidTransition

ALLOWED: dict[Status, set[Status]] = {
    Status.QUEUED: {Status.IN_PROGRESS},
    # An inspector may hand an item back to the queue; luxury items wait for authenticators.
    Status.IN_PROGRESS: {Status.QUEUED, Status.AWAITING_SECOND_OPINION, Status.COMPLETED},
    Status.AWAITING_SECOND_OPINION: {Status.COMPLETED},
    Status.COMPLETED: set(),
}


@transaction.atomic
def inspection_move(
    *,
    inspection_id: int,
    to: Status,
    by: User | None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
) -> Inspection:
    """Lock, check, record, save. `message` is a code of inspection.messages with its `params`; `note`
    is what a person typed. Raises InvalidTransition and changes nothing if `to` is not allowed,
    MessageError for a message the catalog does not list."""
    params = InspectionEvent.message_params(message, params)
    inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
    if to not in ALLOWED[Status(inspection.status)]:
        raise InvalidTransition(inspection.status, to)
    InspectionEvent.objects.create(
        inspection=inspection,
        old=inspection.status,
        new=to,
        by=by,
        message=message,
        params=params,
        note=note[:300],
    )
    inspection.status = to
    inspection.save(update_fields=["status", "updated_at"])
    return inspection
