"""Recording signals of interest: what a shopper does on an item goes into the buffer after the
transaction that did it commits (marketplace.interest_buffer), and a scheduled job writes the buffer
in batches (`signals_flush`). Favourites, a shopper's messages and offers are heard as their rows are
made (connected in feed.apps), purchases through orders' `order_paid`; views and long looks come
from the item's page (feed.views)."""

from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from feed.models import FeedSettings, InterestSignal, SignalKind
from feed.selectors import personalised_key
from listings.models import Listing
from marketplace import interest_buffer

# How many buffered signals one run of the job writes at most.
FLUSH_BATCH = 5000


def signal_record(
    *, kind: SignalKind, listing_id: int, user_id: int | None = None, session_key: str = ""
) -> None:
    """Buffer one signal once the caller's transaction commits (a rolled-back favourite was never
    made). A signal of nobody (no user, no session) is not recorded."""
    if user_id is None and not session_key:
        return
    signal = {
        "kind": str(kind),
        "listing": listing_id,
        "user": user_id,
        "session": "" if user_id is not None else session_key,
        "at": timezone.now().isoformat(),
    }
    transaction.on_commit(lambda: interest_buffer.push(signal))


def signals_flush(*, limit: int = FLUSH_BATCH) -> int:
    """Write up to `limit` buffered signals in one insert, leaving out those of items or shoppers that
    are gone, of an unknown kind, and those a shopper made before they cleared their history. Returns
    how many were written. Each buffered signal is taken once, so running it twice writes nothing
    twice."""
    taken = interest_buffer.drain(limit)
    kinds = set(SignalKind.values)
    rows = []
    for signal in taken:
        at = parse_datetime(str(signal.get("at", "")))
        listing = signal.get("listing")
        user = signal.get("user")
        session = str(signal.get("session") or "")[:40]
        if signal.get("kind") not in kinds or at is None or not isinstance(listing, int):
            continue
        if not isinstance(user, int) and not session:
            continue
        rows.append(
            InterestSignal(
                user_id=user if isinstance(user, int) else None,
                session_key="" if isinstance(user, int) else session,
                listing_id=listing,
                kind=signal["kind"],
                at=at,
            )
        )
    if not rows:
        return 0
    listings = set(
        Listing.objects.filter(pk__in={row.listing_id for row in rows}).values_list("pk", flat=True)
    )
    users = {row.user_id for row in rows if row.user_id is not None}
    known = set(User.objects.filter(pk__in=users).values_list("pk", flat=True))
    cleared: dict[int, datetime] = {
        user_id: at
        for user_id, at in FeedSettings.objects.filter(
            user_id__in=known, history_cleared_at__isnull=False
        ).values_list("user_id", "history_cleared_at")
        if at is not None
    }
    kept = [
        row
        for row in rows
        if row.listing_id in listings
        and (row.user_id is None or row.user_id in known)
        and not (row.user_id in cleared and row.at <= cleared[row.user_id])
    ]
    InterestSignal.objects.bulk_create(kept, batch_size=1000)
    return len(kept)


@transaction.atomic
def history_clear(*, user: User) -> int:
    """Forget a shopper's signals: those written, and those still in the buffer (from before now).
    Returns how many rows went."""
    now = timezone.now()
    FeedSettings.objects.update_or_create(user=user, defaults={"history_cleared_at": now})
    deleted, _by_model = InterestSignal.objects.filter(user=user, at__lte=now).delete()
    return deleted


def personalisation_set(*, user: User, on: bool) -> FeedSettings:
    """Turn the shopper's personalised feed on or off; the choice is kept with the account, and the
    cached copy the feed reads (feed.selectors.is_personalised) is forgotten now and again once it
    commits (a page read in between may have cached the old choice)."""
    settings, _created = FeedSettings.objects.update_or_create(user=user, defaults={"personalised": on})
    cache.delete(personalised_key(user.pk))
    transaction.on_commit(lambda: cache.delete(personalised_key(user.pk)))
    return settings


# The receivers (connected in feed.apps): each hears a row made by the app below and records it.


def on_favourite_saved(sender, instance, created: bool, **kwargs) -> None:
    if created:
        signal_record(kind=SignalKind.FAVOURITE, listing_id=instance.listing_id, user_id=instance.user_id)


def on_offer_saved(sender, instance, created: bool, **kwargs) -> None:
    if created and not instance.by_seller:
        signal_record(kind=SignalKind.OFFER, listing_id=instance.listing_id, user_id=instance.buyer_id)


def on_message_saved(sender, instance, created: bool, **kwargs) -> None:
    """A shopper's message to a seller (not the seller's answer)."""
    if not created:
        return
    conversation = instance.conversation
    if instance.sender_id == conversation.buyer_id:
        signal_record(kind=SignalKind.MESSAGE, listing_id=conversation.listing_id, user_id=instance.sender_id)


def on_order_paid(sender, order, **kwargs) -> None:
    signal_record(kind=SignalKind.PURCHASE, listing_id=order.listing_id, user_id=order.buyer_id)
