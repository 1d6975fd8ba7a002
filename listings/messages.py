"""Text the system writes on listings, rendered in the reader's language.

MESSAGES: every message a listing's status events can show (ListingEvent.message), including those the
apps above write when an order reserves, sells or releases the item.
VIDEO_ERRORS: why a listing's video was refused or not made (ListingVideo.error).
HOLDS: why a seller may not list new items (SellingHold.reason), written by the app that decides it.
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

# `seconds` holds the video's length to a tenth of a second, `limit` LISTING_VIDEO_MAX_SECONDS, both
# as written when it failed.
VIDEO_ERRORS: Catalog = {
    "not_a_video": _("This file is not a video we can read. Please send an MP4, MOV or WebM video."),
    "damaged": _("This video is damaged or incomplete and cannot be read. Please send it again."),
    "too_long": _("This video is %(seconds)s seconds long; a video may be at most %(limit)s seconds."),
    "too_many_pixels": _("This video's picture is larger than 8K; please send a smaller one."),
    "gave_up": _("This video could not be prepared. Please send it again, or another file."),
}

# `held` and `required` are amounts as written when the hold was set; the hold is set again whenever
# either changes.
HOLDS: Catalog = {
    "deposit_short": Message(
        _(
            "Your store's deposit is %(held)s, and listing in this category needs %(required)s. "
            "Pay in the rest on your store's page, then list the item."
        ),
        money=("held", "required"),
    ),
    # `points`: the seller's violation points when the hold was set; `date`: when enough expire.
    "points_suspended": Message(
        _(
            "Your account is suspended from selling: it has %(points)s violation points. "
            "Points expire 90 days after each decision; see your account health page."
        ),
    ),
    "points_listing_cap": Message(
        _(
            "With %(points)s violation points you may have at most %(cap)s items on sale at once. "
            "Points expire 90 days after each decision; see your account health page."
        ),
    ),
    "points_no_flash_sales": Message(
        _(
            "With %(points)s violation points your items cannot be sold in flash sales. "
            "Points expire 90 days after each decision; see your account health page."
        ),
    ),
}
