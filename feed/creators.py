"""Creators' commission: which rate applies, and the rules that refuse it.

The rate of a sale through a creator's link is, in order: the rate the link was shared with, while it
holds (CREATOR_RATE_LOCK_DAYS from sharing); else the private seller's own rate for the item, when
they offered more; else staff's rate for the item's category; else CREATOR_COMMISSION_RATE. Every rate
lies from 0 to 50%.

A purchase earns nothing when the creator is on both sides of it (self-dealing): the buyer is the
creator, the item is the creator's own, the buyer's delivery address is one of the creator's, or the
buyer and the creator have been paid out to the same account. The commission then records which rule
refused it, and the creator's dashboard says so.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consignment.models import Consignment
from feed.errors import CreatorError
from feed.models import CategoryCommissionRate, ListingCommissionRate
from listings.models import Listing

MAX_RATE = Decimal("0.5")

# Why a purchase through a link earns no commission (Commission.refusal).
REFUSALS = {
    "own_link": gettext_lazy("You bought this through your own link."),
    "own_item": gettext_lazy("The item is your own: a creator earns nothing on what they sell themselves."),
    "shared_address": gettext_lazy("The buyer's delivery address is one of yours."),
    "shared_payout": gettext_lazy("The buyer is paid out to the same account as you."),
}


def rate_from_percent(value: object, *, field: str = "rate") -> Decimal:
    """A rate typed as a percentage ("8", "12.5") as a fraction. Raises CreatorError unless it is a
    number from 0 to 50 with at most two decimals."""
    try:
        percent = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        percent = None
    if percent is None or not percent.is_finite():
        raise CreatorError(_("Give the rate as a percentage, such as 8 or 12.5."), code="rate", field=field)
    # The range first: quantizing a huge number ("1e30") to cents raises InvalidOperation.
    if not 0 <= percent <= MAX_RATE * 100:
        raise CreatorError(_("A commission rate must be from 0% to 50%."), code="rate_range", field=field)
    if percent != percent.quantize(Decimal("0.01")):
        raise CreatorError(_("Give the rate as a percentage, such as 8 or 12.5."), code="rate", field=field)
    return percent / 100


def category_rate(listing: Listing) -> Decimal:
    """Staff's rate for the item's category, or CREATOR_COMMISSION_RATE where none is set."""
    row = CategoryCommissionRate.objects.filter(category_id=listing.category_id).only("rate").first()
    return row.rate if row is not None else settings.CREATOR_COMMISSION_RATE


def current_rate(listing: Listing) -> Decimal:
    """The rate a link to the item shared now would carry: the seller's own when it is higher than
    the category's (only a private seller sets one)."""
    base = category_rate(listing)
    own = ListingCommissionRate.objects.filter(listing_id=listing.pk).only("rate").first()
    return max(base, own.rate) if own is not None else base


def is_own_item(listing: Listing, user_id: int) -> bool:
    """Whether the item is the user's: they list it themselves, or Reloop sells it for them on
    consignment (under Reloop's account, so its seller is not them)."""
    return (
        listing.seller_id == user_id
        or Consignment.objects.filter(listing_id=listing.pk, seller_id=user_id).exists()
    )
