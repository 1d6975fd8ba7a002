"""What templates/orders/_offer_panel.html shows: one thread of offers (a listing and its shopper), as
one of its two people sees it. The offer pages and the conversation page (messaging) both show it; it
reads only, so a page above orders may include it without reaching the services."""

from django.conf import settings
from django.urls import reverse

from listings.models import Listing, ListingStatus
from orders.live import offer_thread as thread_name
from orders.models import OfferStatus
from orders.selectors import offer_thread


def offer_panel_context(*, user, listing: Listing, buyer_id: int, next_url: str = "") -> dict:
    """What templates/orders/_offer_panel.html shows one of the thread's two people: the offers so far,
    the open one with the answers that are theirs, and for the shopper the form for another offer.
    Three queries."""
    thread = offer_thread(listing_id=listing.pk, buyer_id=buyer_id)
    is_seller = user.pk == listing.seller_id
    open_offer = next((offer for offer in thread if offer.status == OfferStatus.PENDING), None)
    made = sum(1 for offer in thread if not offer.by_seller)
    remaining = max(0, settings.OFFERS_PER_LISTING - made)
    return {
        "listing": listing,
        "thread": thread,
        "open_offer": open_offer,
        "is_seller": is_seller,
        "can_answer": open_offer is not None and open_offer.answerer_id() == user.pk,
        "can_offer": not is_seller
        and listing.status == ListingStatus.ACTIVE
        and remaining > 0
        and (open_offer is None or open_offer.by_seller),
        "remaining": remaining,
        "offer_hours": settings.OFFER_HOURS,
        "accepted": next((offer for offer in reversed(thread) if offer.status == OfferStatus.ACCEPTED), None),
        "panel_url": reverse("offers:panel", args=[listing.pk, buyer_id]),
        "thread_name": thread_name(listing.pk, buyer_id),
        "next_url": next_url,
    }
