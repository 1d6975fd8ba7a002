"""What consignment tells the seller (notifications.notify): an item that did not sell in its term,
and the payout once a sold item is settled. Each once per consignment."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Group, Kind, register
from notifications.services import Notice, notify, notify_many

# Parameters: `title` and `code` the submission's, `price`, `commission` and `amount` strings of
# Decimals.
register(
    Kind(
        "consignment.unsold",
        Group.SELL_WITH_US,
        _("A consigned item did not sell"),
        _("%(title)s did not sell"),
        _(
            "%(title)s (%(code)s) did not sell during its consignment term, and we have taken it off sale. "
            "Choose what happens next: we send it back to you free of charge, or Reloop buys it."
        ),
    ),
    Kind(
        "consignment.settled",
        Group.WALLET,
        _("A consigned item was paid out"),
        _("%(amount)s for %(title)s is in your wallet"),
        _(
            "%(title)s (%(code)s) sold for %(price)s. After our commission of %(commission)s, we paid "
            "%(amount)s into your wallet."
        ),
        money=("price", "commission", "amount"),
    ),
)


def consignment_notify_unsold(
    *, consignment_id: int, seller, submission_id: int, title: str, code: str
) -> None:
    notify(
        recipient=seller,
        kind="consignment.unsold",
        params={"title": title, "code": code},
        link=reverse("consignment:unsold", args=[submission_id]),
        key=f"consignment:{consignment_id}:unsold",
    )


def consignments_notify_settled(settled: list[tuple[int, int, str, str, object, object, object]]) -> None:
    """(consignment id, seller id, title, code, price, commission, payout) for each consignment the
    batch settled: one notification each, written with the batch."""
    link = reverse("wallet:home")
    notify_many(
        [
            Notice(
                recipient_id=seller_id,
                kind="consignment.settled",
                params={
                    "title": title,
                    "code": code,
                    "price": price,
                    "commission": commission,
                    "amount": amount,
                },
                link=link,
                key=f"consignment:{consignment_id}:settled",
            )
            for consignment_id, seller_id, title, code, price, commission, amount in settled
        ]
    )
