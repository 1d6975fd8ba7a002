"""What the creators' side tells people (notifications.notify): staff decided an application, and a
commission was paid. Once per cause."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Group, Kind, register
from notifications.services import notify

register(
    Kind(
        "creator.approved",
        Group.SELLING,
        _("Your creator application is decided"),
        _("You are a Reloop creator"),
        _(
            "Your application was approved. Post a video of items on sale and earn a commission on what it sells."
        ),
    ),
    # Parameters: `reason` staff's, as typed.
    Kind(
        "creator.refused",
        Group.SELLING,
        _("Your creator application is decided"),
        _("Your creator application was not approved"),
        _("Reloop did not approve your application; you may apply again. The reason: %(reason)s"),
    ),
    # Parameters: `title` the item's, `amount` the commission (a string of a Decimal), `order` its number.
    Kind(
        "creator.commission_paid",
        Group.WALLET,
        _("A commission is paid to your wallet"),
        _("Commission of %(amount)s paid"),
        _("%(title)s (order %(order)s), sold through your video, is complete: %(amount)s is in your wallet."),
        money=("amount",),
    ),
)


def creator_notify_decided(*, creator, link: str) -> None:
    approved = creator.is_approved
    notify(
        recipient=creator.user,
        kind="creator.approved" if approved else "creator.refused",
        params={} if approved else {"reason": creator.reason},
        link=link,
        key=f"creator:{creator.pk}:decided:{creator.decided_at:%Y%m%d%H%M%S%f}",
    )


def creator_notify_paid(*, commission, link: str) -> None:
    notify(
        recipient=commission.creator.user,
        kind="creator.commission_paid",
        params={
            "title": commission.order.title,
            "amount": str(commission.amount),
            "order": commission.order.number,
        },
        link=link,
        key=f"commission:{commission.pk}:paid",
    )
