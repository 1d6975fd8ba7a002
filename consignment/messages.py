"""Every message a consignment's events can show (ConsignmentEvent.message), rendered in the reader's
language. Parameters: amounts are strings of Decimals, `date` an ISO date, `order` an order's number,
`carrier` a carrier's code (shipping.carriers), `tracking` as the carrier gave it."""

from django.utils.translation import gettext_lazy as _

from marketplace.status_events import Catalog, Message
from shipping.carriers import CARRIER_NAMES

MESSAGES: Catalog = {
    "sold": Message(_("Sold for %(price)s, order %(order)s."), money=("price",)),
    "returned": _("The buyer returned it; on sale again."),
    "unsold": Message(_("Not sold by %(date)s."), dates=("date",)),
    "sent_back": Message(_("Sent back free: %(carrier)s %(tracking)s"), labels={"carrier": CARRIER_NAMES}),
    "bought_out": _("Sold to Reloop."),
    "settled": Message(
        _("%(payout)s paid to the wallet: %(released)s less %(commission)s commission."),
        money=("payout", "released", "commission"),
    ),
}
