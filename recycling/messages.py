"""Every message a submission's timeline can show (SubmissionEvent.message), rendered in the reader's
language, including those the consignment app writes on the submissions it sells. Parameters:
amounts are strings of Decimals; `reason` is an inspection FailReason code; `grade` a grade's code;
`carrier` a carrier's code (shipping.carriers), `tracking` and `report` as the carrier or the report
gave them; `view` a photo view's code (recycling.questionnaire), shown by its label."""

from django.utils.translation import gettext_lazy as _

from inspection.models import FailReason
from marketplace.status_events import Catalog, Message
from recycling.questionnaire import VIEW_LABELS
from shipping.carriers import CARRIER_NAMES

MESSAGES: Catalog = {
    # the seller's photos
    "photo.replaced": Message(_("New photo: %(view)s."), labels={"view": VIEW_LABELS}),
    # shipping to the centre and back
    "shipping.booked": Message(
        _("Free shipping booked: %(carrier)s %(tracking)s"), labels={"carrier": CARRIER_NAMES}
    ),
    "shipping.label_unused": _("The shipping label was not used within %(days)d days."),
    "parcel.received": _("Received at the inspection centre."),
    "return.booked": Message(
        _("Free return booked: %(carrier)s %(tracking)s"), labels={"carrier": CARRIER_NAMES}
    ),
    "return.delivered": _("The carrier delivered the item back to the seller (%(tracking)s)."),
    # inspection
    "inspection.started": _("An inspector is checking the item."),
    "inspection.passed": _("Passed inspection with grade %(grade)s; report %(report)s."),
    "inspection.failed": Message(
        _("Failed inspection: %(reason)s; report %(report)s."), labels={"reason": FailReason}
    ),
    # the final offer
    "offer.cash_accepted": Message(_("Cash offer of %(amount)s accepted."), money=("amount",)),
    "offer.paid": Message(_("%(amount)s paid to the seller's wallet."), money=("amount",)),
    "offer.declined": _("Offer declined; the item goes back to the seller free of charge."),
    "offer.expired": _("No answer before the offer expired; the item goes back free of charge."),
    # consignment
    "consignment.accepted": Message(
        _("Consignment accepted: list price %(price)s, floor %(floor)s."), money=("price", "floor")
    ),
    "consignment.on_sale": Message(_("On sale at %(price)s."), money=("price",)),
    "consignment.sold": Message(_("Bought for %(price)s, order %(order)s."), money=("price",)),
    "consignment.returned": _("The buyer returned it; on sale again."),
    "consignment.unsold": _("Not sold within the term: taken off sale."),
    "consignment.settled": Message(
        _("%(payout)s paid to the wallet: %(released)s less %(commission)s commission."),
        money=("payout", "released", "commission"),
    ),
}
