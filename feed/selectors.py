"""Reads for the interest feed, shared by its pages and API."""

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import User
from feed.models import FeedSettings, InterestSignal

# How much of their history a shopper's page shows at once.
HISTORY_SHOWN = 100


def history_of(*, user: User, limit: int = HISTORY_SHOWN) -> QuerySet[InterestSignal]:
    """A shopper's signals, newest first, with each item's title and photo. One query (signal_user_recent)."""
    return (
        InterestSignal.objects.filter(user=user)
        .select_related("listing")
        .only("id", "kind", "at", "listing__id", "listing__title", "listing__cover_key", "listing__status")
        .order_by("-at", "-id")[:limit]
    )


# How long the cached choice is kept at most (it is forgotten whenever it changes).
PERSONALISED_TTL = 24 * 60 * 60


def personalised_key(user_id: int) -> str:
    return f"feed:personalised:{user_id}"


def is_personalised(*, user: User) -> bool:
    """Whether the shopper's feed is personalised (it is, until they turn it off). Kept in the cache
    (feed.recording.personalisation_set forgets it); one query when it is not there."""
    cached = cache.get(personalised_key(user.pk))
    if cached is None:
        found = FeedSettings.objects.filter(user=user).values_list("personalised", flat=True).first()
        cached = True if found is None else found
        cache.set(personalised_key(user.pk), cached, PERSONALISED_TTL)
    return bool(cached)
