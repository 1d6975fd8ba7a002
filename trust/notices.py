"""What the stores' side tells people (notifications.notify): staff decided a store's details, and a
decided case took part of a deposit. Once per cause."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Group, Kind, register
from notifications.services import notify

register(
    # Parameters: `store` its name, as typed.
    Kind(
        "store.verified",
        Group.SELLING,
        _("Your store's verification is decided"),
        _("Your store is verified"),
        _("Reloop verified the trader details of %(store)s: its page shows the verified badge."),
    ),
    # Parameters: `store` its name, `reason` staff's, as typed.
    Kind(
        "store.rejected",
        Group.SELLING,
        _("Your store's verification is decided"),
        _("Your store's details could not be verified"),
        _("Reloop could not verify the trader details of %(store)s. The reason: %(reason)s"),
    ),
    # Parameters: `amount` taken, `order` the dispute's order number, `reason` staff's, as typed.
    Kind(
        "store.deposit_deducted",
        Group.WALLET,
        _("A decided case took part of your store's deposit"),
        _("%(amount)s taken from your store's deposit"),
        _(
            "For the dispute on order %(order)s, %(amount)s of your deposit was paid to the buyer. The reason: %(reason)s"
        ),
        money=("amount",),
    ),
)


def store_notify_decided(*, store, reason: str, link: str) -> None:
    verified = store.is_verified
    notify(
        recipient=store.owner,
        kind="store.verified" if verified else "store.rejected",
        params={"store": store.name} if verified else {"store": store.name, "reason": reason},
        link=link,
        key=f"store:{store.pk}:decided:{store.events.order_by('-id').values_list('id', flat=True).first()}",
    )


def store_notify_deducted(*, deduction, link: str) -> None:
    notify(
        recipient=deduction.store.owner,
        kind="store.deposit_deducted",
        params={
            "amount": str(deduction.amount),
            "order": deduction.dispute.order.number,
            "reason": deduction.reason,
        },
        link=link,
        key=f"deposit_deduction:{deduction.pk}",
    )
