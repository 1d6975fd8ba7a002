"""What live shows tell shoppers (notifications.notify): a show they asked about has started. Once
per shopper and show."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Group, Kind, register
from notifications.services import Notice, notify_many

# Parameters: `title` the show's, `host` the host's public name.
register(
    Kind(
        "live.started",
        Group.WATCHING,
        _("A live show you asked about starts"),
        _("%(title)s is live now"),
        _("%(host)s has started %(title)s. Join to see the items shown live and grab a deal."),
        email=False,  # it is about now: an e-mail read later would be about a show already over
    ),
)


def live_notify_started(*, show_id: int, title: str, host: str, recipient_ids: list[int], link: str) -> int:
    """Tell each shopper who asked that the show has started; returns how many were told."""
    return notify_many(
        [
            Notice(
                recipient_id=recipient_id,
                kind="live.started",
                params={"title": title, "host": host},
                link=link,
                key=f"show:{show_id}:started",
            )
            for recipient_id in recipient_ids
        ]
    )
