"""Text the system writes on listings, rendered in the reader's language.

MESSAGES: every message a listing's status events can show (ListingEvent.message), including those the
apps above write when an order reserves, sells or releases the item.
DESCRIPTION: the lines of the description the platform writes for an item it inspected
(Listing.description_parts); a seller's own description is stored as typed.
"""

from django.utils.translation import gettext_lazy as _

from listings.models import GRADE_MEANINGS, Grade
from marketplace.status_events import Catalog, Message

MESSAGES: Catalog = {
    "seller.withdrew": _("Taken off sale by the seller."),
    "order.reserved": _("Reserved by an order."),
    "order.lapsed": _("Not paid within %(minutes)d minutes: the item went back on sale."),
    "order.lapsed_offer": _(
        "Not paid within %(hours)d hours of the offer being accepted: the item went back on sale."
    ),
    "order.cancelled": _("The order was cancelled."),
    "order.paid": _("Paid by the buyer."),
    "order.paid_late": _("Paid late."),
    "order.returned": _("Returned by the buyer to the inspection centre: back on sale."),
    "consignment.term_ended": _("Consignment term ended."),
}

# `grade`, `label` and `meaning` all hold the grade's code: the line shows the code, its label and
# what it means.
DESCRIPTION: Catalog = {
    "inspected": _("Inspected by Reloop at its inspection centre."),
    "grade": Message(
        _("Grade %(grade)s (%(label)s): %(meaning)s"), labels={"label": Grade, "meaning": GRADE_MEANINGS}
    ),
    "authenticated": _("Two authenticators confirmed that it is genuine."),
    "report": _("Inspection report: %(code)s"),
}
