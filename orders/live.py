"""An offer's news reaches both people's open pages at once: the thread's shopper and seller hear
`offer.changed` on their user groups (the ones notifications' websocket joins), and any page showing
that thread asks for it again. Without the channel layer those pages ask every 30 seconds."""

from django.db import transaction

from notifications.live import send_to_users
from orders.models import Offer


def offer_thread(listing_id: int, buyer_id: int) -> str:
    """The name pages use for one thread of offers (a listing and its shopper)."""
    return f"{listing_id}-{buyer_id}"


def offers_push_on_commit(offer: Offer) -> None:
    """Tell both people's open pages once the change is committed."""
    event = {"type": "offer.changed", "thread": offer_thread(offer.listing_id, offer.buyer_id)}
    users = {offer.buyer_id: event, offer.seller_id: event}
    transaction.on_commit(lambda: send_to_users(users), robust=True)
