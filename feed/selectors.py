"""Reads for the interest feed, shared by its pages and API."""

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


def is_personalised(*, user: User) -> bool:
    """Whether the shopper's feed is personalised (it is, until they turn it off). One query."""
    settings = FeedSettings.objects.filter(user=user).values_list("personalised", flat=True).first()
    return True if settings is None else settings
