"""The show state machine: one table, one function; nothing else assigns `Show.status`.

scheduled → live        the host started it
scheduled → cancelled   the host called it off before it started
live → ended            the host ended it
"""

from django.db import transaction

from accounts.models import User
from live.models import Show, ShowEvent
from live.models import ShowStatus as Status
from marketplace.errors import InvalidTransition

ALLOWED: dict[Status, set[Status]] = {
    Status.SCHEDULED: {Status.LIVE, Status.CANCELLED},
    Status.LIVE: {Status.ENDED},
    Status.ENDED: set(),
    Status.CANCELLED: set(),
}


@transaction.atomic
def show_move(
    *,
    show_id: int,
    to: Status,
    by: User | None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
) -> Show:
    """Lock, check, record, save. `message` is a code of live.messages with its `params`; `note` is
    what a person typed. Raises InvalidTransition and changes nothing if `to` is not allowed."""
    params = ShowEvent.message_params(message, params)
    show = Show.objects.select_for_update().get(pk=show_id)
    if to not in ALLOWED[Status(show.status)]:
        raise InvalidTransition(show.status, to)
    ShowEvent.objects.create(
        show=show, old=show.status, new=to, by=by, message=message, params=params, note=note[:300]
    )
    show.status = to
    show.save(update_fields=["status", "updated_at"])
    return show
