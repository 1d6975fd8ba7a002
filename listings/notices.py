"""What saved items tell the people who saved them (notifications): a price drop, and an item back on
sale (a buyer did not pay, or a returned item was put on sale again). Each watcher hears of a listing's
drops at most once a day, however many land that day, and of its return to sale once a day."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.filters import saved_filters
from listings.models import Favourite, Listing, SavedSearch, SearchFrequency
from listings.selectors import new_matches_count
from notifications.kinds import Group, Kind, register
from notifications.services import Notice, notify_many

# Parameters: `title` the listing's title as its seller typed it, `price` and `old_price` strings of
# Decimals, `count` a number of items, `first` a saved search's words or category as its owner chose.
register(
    Kind(
        "watch.price_drop",
        Group.WATCHING,
        _("A saved item is cheaper"),
        _("%(title)s is now %(price)s"),
        _("An item you saved dropped from %(old_price)s to %(price)s."),
        money=("price", "old_price"),
    ),
    Kind(
        "search.matches",
        Group.WATCHING,
        _("New items for your saved searches"),
        _("New items for your saved searches: %(count)s"),
        _("%(count)s new items match your saved searches, “%(first)s” among them."),
    ),
    Kind(
        "watch.back_on_sale",
        Group.WATCHING,
        _("A saved item is on sale again"),
        _("%(title)s is on sale again"),
        _("An item you saved is on sale again, at %(price)s."),
        money=("price",),
    ),
)


def _watchers(listing: Listing) -> list[int]:
    return list(
        Favourite.objects.filter(listing_id=listing.pk)
        .exclude(user_id=listing.seller_id)
        .values_list("user_id", flat=True)
    )


def watchers_notify_price_drop(*, listing: Listing, old_price: Decimal) -> None:
    """Tell everyone who saved `listing` (on sale, now cheaper than `old_price`); once a day each."""
    day = timezone.localdate().isoformat()
    link = reverse("listings:detail", args=[listing.pk])
    params = {"title": listing.title, "price": listing.price, "old_price": old_price}
    notify_many(
        [
            Notice(user_id, "watch.price_drop", params, link, f"watch:{listing.pk}:drop:{day}")
            for user_id in _watchers(listing)
        ]
    )


def watchers_notify_back_on_sale(*, listing: Listing) -> None:
    """Tell everyone who saved `listing` that it is on sale again; once a day each."""
    day = timezone.localdate().isoformat()
    link = reverse("listings:detail", args=[listing.pk])
    params = {"title": listing.title, "price": listing.price}
    notify_many(
        [
            Notice(user_id, "watch.back_on_sale", params, link, f"watch:{listing.pk}:back:{day}")
            for user_id in _watchers(listing)
        ]
    )


def _due(search: SavedSearch, now: datetime) -> bool:
    wait = WAIT[SearchFrequency(search.frequency)]
    return search.checked_until <= now - wait


# How long a saved search waits between two looks: instant searches are looked at on every run of the
# job (every 10 minutes).
WAIT = {
    SearchFrequency.INSTANT: timedelta(0),
    SearchFrequency.DAILY: timedelta(days=1),
    SearchFrequency.WEEKLY: timedelta(days=7),
}


def search_label(search: SavedSearch) -> str:
    """What a saved search is called in a notification: its words, else its category, else "All"."""
    words = QueryDict(search.query).get("q", "")
    if words:
        return words
    return search.category.name if search.category is not None else search.query


def saved_searches_notify(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Look for new items for every saved search that is due (instant ones each run, daily ones once a
    day, weekly once a week), and tell each user of all their due searches' new items in one
    notification: one digest per user per run, however many searches matched. Every search looked at is
    then checked up to `now`. Returns how many users were told."""
    now = now or timezone.now()
    searches = [
        search
        for search in SavedSearch.objects.select_related("category").order_by("user_id", "id")[:limit]
        if _due(search, now)
    ]
    found: dict[int, list[tuple[SavedSearch, int]]] = {}
    for search in searches:
        count = new_matches_count(
            saved_filters(search.query, category=search.category), since=search.checked_until, until=now
        )
        if count:
            found.setdefault(search.user_id, []).append((search, count))
    link = reverse("listings:saved_searches")
    with transaction.atomic():
        notify_many(
            [
                Notice(
                    user_id,
                    "search.matches",
                    {"count": sum(count for _search, count in matched), "first": search_label(matched[0][0])},
                    link,
                    f"searches:{user_id}:{now.isoformat(timespec='minutes')}",
                )
                for user_id, matched in found.items()
            ]
        )
        SavedSearch.objects.filter(pk__in=[search.pk for search in searches]).update(checked_until=now)
    return len(found)
