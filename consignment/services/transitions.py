"""The consignment state machine: one table, one function; nothing else assigns `Consignment.status`.

listed → sold      a buyer paid for the listing (orders.signals.order_paid)
listed → unsold    the term ended with the listing still on sale
sold → settled     the settlement job paid the seller
sold → listed      the buyer returned it within the window; it is on sale again
unsold → ended     the seller took the free return or the buy-out offer
"""

from django.db import transaction

from accounts.models import User
from consignment.models import Consignment, ConsignmentEvent
from consignment.models import ConsignmentStatus as Status
from marketplace.errors import InvalidTransition

ALLOWED: dict[Status, set[Status]] = {
    Status.LISTED: {Status.SOLD, Status.UNSOLD},
    Status.SOLD: {Status.SETTLED, Status.LISTED},
    Status.SETTLED: set(),
    Status.UNSOLD: {Status.ENDED},
    Status.ENDED: set(),
}


@transaction.atomic
def consignment_move(
    *,
    consignment_id: int,
    to: Status,
    by: User | None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
) -> Consignment:
    """Lock, check, record, save. `message` is a code of consignment.messages with its `params`;
    `note` is what a person typed. Raises InvalidTransition and changes nothing if `to` is not
    allowed, MessageError for a message the catalog does not list."""
    params = ConsignmentEvent.message_params(message, params)
    consignment = Consignment.objects.select_for_update().get(pk=consignment_id)
    if to not in ALLOWED[Status(consignment.status)]:
        raise InvalidTransition(consignment.status, to)
    ConsignmentEvent.objects.create(
        consignment=consignment,
        old=consignment.status,
        new=to,
        by=by,
        message=message,
        params=params,
        note=note[:300],
    )
    consignment.status = to
    consignment.save(update_fields=["status", "updated_at"])
    return consignment
