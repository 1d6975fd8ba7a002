"""Every message an order's timeline can show (OrderEvent.message), rendered in the reader's language.
Parameters: `amount` is the string of a Decimal; `outcome` a DisputeOutcome code; `carrier` a carrier's
code (shipping.carriers; one someone typed is shown as typed), `tracking` its tracking number. What the buyer or staff typed (a return reason, a dispute's
resolution) is the event's note, shown after the message."""

from django.utils.translation import gettext_lazy as _

from marketplace.status_events import Catalog, Message
from orders.models import DisputeOutcome
from shipping.carriers import CARRIER_NAMES

MESSAGES: Catalog = {
    # checkout and payment
    "order.placed": _("Ordered; the item is reserved while the buyer pays."),
    "order.lapsed": _("Not paid within %(minutes)d minutes: the item went back on sale."),
    "order.placed_at_offer": Message(
        _("Offer of %(amount)s accepted; the item is reserved while the buyer pays."), money=("amount",)
    ),
    "order.placed_flash": Message(
        _("Won in a live show's flash sale at %(amount)s; the item is reserved while the buyer pays."),
        money=("amount",),
    ),
    "order.lapsed_offer": _(
        "Not paid within %(hours)d hours of the offer being accepted: the item went back on sale."
    ),
    "order.cancelled": _("Cancelled by the buyer."),
    "payment.received": _("Payment received."),
    "payment.received_late": _(
        "Payment received after the reservation had ended; the item was still available."
    ),
    "payment.late_taken_off_sale": _(
        "Your payment arrived after the reservation had ended and the seller had taken the item "
        "off sale. The full amount is being refunded to your card."
    ),
    "payment.late_sold": _(
        "Your payment arrived after the reservation had ended and the item had been sold to "
        "someone else. The full amount is being refunded to your card."
    ),
    # shipping to the buyer
    "order.shipped": Message(
        _("Shipped with %(carrier)s, tracking number %(tracking)s."), labels={"carrier": CARRIER_NAMES}
    ),
    "order.label_booked": Message(
        _("Shipped on a prepaid label from %(carrier)s, tracking number %(tracking)s."),
        labels={"carrier": CARRIER_NAMES},
    ),
    # inspected delivery (验货宝)
    "order.sent_to_centre": Message(
        _("Sent to the inspection centre with %(carrier)s, tracking number %(tracking)s."),
        labels={"carrier": CARRIER_NAMES},
    ),
    "order.label_to_centre": Message(
        _("Sent to the inspection centre on a prepaid label from %(carrier)s, tracking number %(tracking)s."),
        labels={"carrier": CARRIER_NAMES},
    ),
    "order.received_at_centre": _("Received at the inspection centre: it is checked against the listing."),
    "order.inspection_passed": _(
        "Passed inspection: as described (report %(report)s). Reloop ships it on to the buyer."
    ),
    "order.inspection_failed": _(
        "Not as described at inspection (report %(report)s): the buyer is refunded in full and the item "
        "goes back to the seller."
    ),
    "order.delivered": _("Delivered."),
    "order.delivered_by_carrier": Message(
        _("Delivered, says %(carrier)s."), labels={"carrier": CARRIER_NAMES}
    ),
    "order.received_by_buyer": _("The buyer has received the item."),
    "order.receipt_confirmed": _("The buyer confirmed receipt."),
    "order.return_window_closed": _("The return window closed; the sale is complete."),
    # returns and disputes; the buyer's reason and the staff's resolution are the typed note
    "return.requested": _("Return requested:"),
    "return.withdrawn": _("The buyer withdrew the return."),
    "return.arrived": _("The returned item arrived."),
    "refund.full": Message(_("Refunded in full: %(amount)s."), money=("amount",)),
    "dispute.opened": _("The buyer says the item is not as described."),
    "dispute.resolved": Message(_("Dispute resolved: %(outcome)s."), labels={"outcome": DisputeOutcome}),
}

# Every message an offer's history can show (OfferEvent.message). `amount` is the string of a Decimal.
OFFER_MESSAGES: Catalog = {
    "offer.made": Message(_("Offered %(amount)s."), money=("amount",)),
    "offer.countered": Message(_("Countered with %(amount)s."), money=("amount",)),
    "offer.accepted": _("Accepted: the item is reserved for the buyer at this price."),
    "offer.accepted_by_rule": _("Accepted at once: Reloop accepts offers this close to the price."),
    "offer.declined": _("Declined."),
    "offer.declined_below_floor": _("Declined at once: below the lowest price the seller accepts."),
    "offer.declined_sold": _("Declined: the item was sold."),
    "offer.declined_off_sale": _("Declined: the item is no longer on sale."),
    "offer.expired": _("Nobody answered within %(hours)d hours."),
    "offer.withdrawn": _("Withdrawn."),
    "offer.answered": _("Answered with another price."),
}
