"""What live shows tell shoppers (notifications.notify): a show they asked about has started. Once
per shopper and show."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Group, Kind, register
from notifications.services import Notice, notify, notify_many

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


# Parameters: `title` the item's, `price` the flash price (a string of a Decimal), `minutes` how long
# the item is kept for them.
register(
    Kind(
        "live.flash_offered",
        Group.BUYING,
        _("An item you waited for in a live show is yours to buy"),
        _("%(title)s is yours at %(price)s"),
        _(
            "The shopper who grabbed %(title)s in the flash sale did not pay, and you were next on the "
            "wait-list. It is reserved for you at %(price)s for %(minutes)s minutes: pay to keep it."
        ),
        money=("price",),
    ),
)


def live_notify_flash_offered(*, recipient, flash_sale_id: int, title: str, price, link: str) -> None:
    notify(
        recipient=recipient,
        kind="live.flash_offered",
        params={"title": title, "price": price, "minutes": settings.RESERVATION_MINUTES},
        link=link,
        key=f"flash:{flash_sale_id}:offered",
    )
