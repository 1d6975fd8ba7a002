"""What saved items tell the people who saved them (notifications): a price drop, and an item back on
sale (a buyer did not pay, or a returned item was put on sale again). Each watcher hears of a listing's
drops at most once a day, however many land that day, and of its return to sale once a day."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
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


def _tell_watchers(listing: Listing, *, kind: str, params: dict, cause: str) -> None:
    """Everyone who saved `listing` but its seller, once a day per `cause`."""
    watchers = Favourite.objects.filter(listing_id=listing.pk).exclude(user_id=listing.seller_id)
    link = reverse("listings:detail", args=[listing.pk])
    key = f"watch:{listing.pk}:{cause}:{timezone.localdate().isoformat()}"
    notify_many(
        [Notice(user_id, kind, params, link, key) for user_id in watchers.values_list("user_id", flat=True)]
    )


def watchers_notify_price_drop(*, listing: Listing, old_price: Decimal) -> None:
    """Tell everyone who saved `listing` (on sale, now cheaper than `old_price`); once a day each."""
    params = {"title": listing.title, "price": listing.price, "old_price": old_price}
    _tell_watchers(listing, kind="watch.price_drop", params=params, cause="drop")


def watchers_notify_back_on_sale(*, listing: Listing) -> None:
    """Tell everyone who saved `listing` that it is on sale again; once a day each."""
    params = {"title": listing.title, "price": listing.price}
    _tell_watchers(listing, kind="watch.back_on_sale", params=params, cause="back")


# How long a saved search waits between two looks: instant searches are looked at on every run of the
# job (every 10 minutes).
WAIT = {
    SearchFrequency.INSTANT: timedelta(0),
    SearchFrequency.DAILY: timedelta(days=1),
    SearchFrequency.WEEKLY: timedelta(days=7),
}


def _due(now: datetime) -> Q:
    """The saved searches due for a look at `now` (index saved_search_due)."""
    due = Q()
    for frequency, wait in WAIT.items():
        due |= Q(frequency=frequency, checked_until__lte=now - wait)
    return due


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
    # The longest waiting first, so that a backlog beyond `limit` is worked off over the next runs.
    searches = list(
        SavedSearch.objects.filter(_due(now))
        .select_related("category")
        .order_by("checked_until", "id")[:limit]
    )
    found: dict[int, list[tuple[SavedSearch, int]]] = {}
    for search in searches:  # one count each: every search has filters of its own
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
                    {
                        "count": sum(count for _search, count in matched),
                        "first": search_label(min(matched, key=lambda pair: pair[0].pk)[0]),
                    },
                    link,
                    f"searches:{user_id}:{now.isoformat(timespec='minutes')}",
                )
                for user_id, matched in found.items()
            ]
        )
        SavedSearch.objects.filter(pk__in=[search.pk for search in searches]).update(checked_until=now)
    return len(found)
