"""The for-you feed (兴趣电商): what to show a shopper next, and why.

Candidates come from two places. Items like the shopper's recent history, through each history
item's neighbours learned from everyone's signals (feed.services); and items new or cheaper lately,
which also carry the feed for new shoppers and new items, scored by content similarity to the
history (the same category, the same brand, a similar price) before anyone has signals on them. Every
candidate gets a boost for freshness and one for a recent price drop. Each item shown says why, as a
code and its parameters (REASONS), rendered in the reader's language.

With personalisation off the history is not read at all: the feed ranks by freshness and by how many
shoppers took an interest lately, the same for everyone.

Only items on sale are shown (sold and reserved ones never), never the shopper's own, never one
already shown in this session (the caller passes them as `exclude`).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feed.models import WEIGHTS, InterestSignal, ItemNeighbour, SignalKind
from listings.models import Listing, ListingStatus, PastPrice

# Why an item is shown. "because.<kind>" names the history item it is like.
REASONS = {
    "because.view": _("Because you looked at “%(title)s”"),
    "because.dwell": _("Because you looked closely at “%(title)s”"),
    "because.favourite": _("Because you saved “%(title)s”"),
    "because.message": _("Because you asked about “%(title)s”"),
    "because.offer": _("Because you made an offer on “%(title)s”"),
    "because.purchase": _("Because you bought “%(title)s”"),
    "brand": _("More from %(brand)s, which you like"),
    "category": _("New in %(category)s, which you look at"),
    "new_in": _("New in %(category)s"),
    "price_dropped": _("Price dropped"),
    "popular": _("Popular this week"),
}

PAGE = 12
# How much of the history counts, and how fast an old signal fades (its half-life).
HISTORY = 50
HALF_LIFE_DAYS = 14.0
# How many candidates each source offers before ranking.
NEIGHBOUR_POOL = 400
FRESH_POOL = 300
# What "new" and "lately" mean.
FRESH_DAYS = 14
DROP_DAYS = 7
POPULAR_DAYS = 7
# What each part of a score weighs.
FRESHNESS = 0.25
PRICE_DROP = 0.3
SAME_CATEGORY = 0.35
SAME_BRAND = 0.35
SIMILAR_PRICE = 0.1
POPULARITY = 0.5
# At most this many items of one category on a page.
PER_CATEGORY = 4
# What a reader (a session, or an API client's account) was shown: it is never shown an item twice
# until it starts over. The latest this many, in the cache (a session would be written to the
# database on every page).
SHOWN_MAX = 600
SHOWN_TTL = 24 * 60 * 60


@dataclass
class FeedItem:
    listing: Listing
    score: float
    reason: str
    params: dict = field(default_factory=dict)

    @property
    def why(self) -> str:
        return str(REASONS[self.reason]) % self.params


@dataclass
class _Seen:
    """One item of the shopper's history: how much it counts now, and what it was."""

    listing_id: int
    title: str
    kind: str
    weight: float
    category_id: int
    brand_id: int | None
    brand: str
    price: float


def _fade(at: datetime, now: datetime) -> float:
    return 0.5 ** ((now - at).total_seconds() / 86400 / HALF_LIFE_DAYS)


def _history(*, user_id: int | None, session_key: str, now: datetime) -> list[_Seen]:
    """The shopper's latest signals, one entry per item with the strongest kind and the summed,
    faded weight. One query."""
    who = Q(user_id=user_id) if user_id is not None else Q(user__isnull=True, session_key=session_key)
    rows = (
        InterestSignal.objects.filter(who)
        .order_by("-at", "-id")
        .values(
            "listing_id",
            "kind",
            "at",
            "listing__title",
            "listing__category_id",
            "listing__brand_id",
            "listing__brand__name",
            "listing__price",
        )[:HISTORY]
    )
    by_item: dict[int, _Seen] = {}
    for row in rows:
        weight = WEIGHTS[SignalKind(row["kind"])] * _fade(row["at"], now)
        seen = by_item.get(row["listing_id"])
        if seen is None:
            by_item[row["listing_id"]] = _Seen(
                listing_id=row["listing_id"],
                title=row["listing__title"],
                kind=row["kind"],
                weight=weight,
                category_id=row["listing__category_id"],
                brand_id=row["listing__brand_id"],
                brand=row["listing__brand__name"] or "",
                price=float(row["listing__price"]),
            )
            continue
        if WEIGHTS[SignalKind(row["kind"])] > WEIGHTS[SignalKind(seen.kind)]:
            seen.kind = row["kind"]
        seen.weight += weight
    return list(by_item.values())


def _on_sale(exclude: set[int], user_id: int | None):
    listings = Listing.objects.filter(status=ListingStatus.ACTIVE).exclude(pk__in=exclude)
    if user_id is not None:
        listings = listings.exclude(seller_id=user_id)
    return listings.select_related("brand", "category")


def _fresh(*, exclude: set[int], user_id: int | None, now: datetime) -> list[Listing]:
    """Items new lately or cheaper lately, newest first, each marked `dropped`. One query; a second,
    the newest items whatever their age, in a shop where too few are new."""
    dropped = PastPrice.objects.filter(
        listing_id=OuterRef("pk"), until__gte=now - timedelta(days=DROP_DAYS), price__gt=OuterRef("price")
    )
    on_sale = _on_sale(exclude, user_id).annotate(dropped=Exists(dropped)).order_by("-published_at", "-id")
    fresh = list(
        on_sale.filter(Q(published_at__gte=now - timedelta(days=FRESH_DAYS)) | Q(dropped=True))[:FRESH_POOL]
    )
    if len(fresh) < PAGE:
        fresh = list(on_sale[:FRESH_POOL])
    return fresh


def _freshness(listing: Listing, now: datetime) -> float:
    if listing.published_at is None:
        return 0.0
    return FRESHNESS * math.exp(-(now - listing.published_at).total_seconds() / 86400 / 7)


def feed_page(
    *,
    user_id: int | None,
    session_key: str = "",
    personalised: bool = True,
    exclude: set[int] | frozenset[int] = frozenset(),
    count: int = PAGE,
) -> list[FeedItem]:
    """The next `count` items for the shopper (or the visitor's session), best first, with why.
    Three queries personalised (the history, the neighbours, the fresh items), two otherwise (the
    fresh items, their popularity)."""
    now = timezone.now()
    exclude = set(exclude)
    history = (
        _history(user_id=user_id, session_key=session_key, now=now)
        if personalised and (user_id is not None or session_key)
        else []
    )
    candidates: dict[int, FeedItem] = {}

    def offer(listing: Listing, score: float, reason: str, params: dict) -> None:
        item = candidates.get(listing.pk)
        if item is None:
            candidates[listing.pk] = FeedItem(listing=listing, score=score, reason=reason, params=params)
            return
        if score > item.score:
            item.reason, item.params = reason, params
        item.score += score

    seen_ids = {seen.listing_id for seen in history}
    if history:
        weights = {seen.listing_id: seen for seen in history}
        contributions: dict[int, list[tuple[float, _Seen]]] = defaultdict(list)
        neighbours = (
            ItemNeighbour.objects.filter(listing_id__in=weights.keys())
            .filter(neighbour__status=ListingStatus.ACTIVE)
            .exclude(neighbour_id__in=exclude | seen_ids)
        )
        if user_id is not None:
            neighbours = neighbours.exclude(neighbour__seller_id=user_id)
        listings: dict[int, Listing] = {}
        for row in neighbours.select_related("neighbour__brand", "neighbour__category").order_by("-score")[
            :NEIGHBOUR_POOL
        ]:
            listings[row.neighbour_id] = row.neighbour
            contributions[row.neighbour_id].append(
                (weights[row.listing_id].weight * row.score, weights[row.listing_id])
            )
        for listing_id, parts in contributions.items():
            _strongest, because = max(parts, key=lambda part: part[0])
            offer(
                listings[listing_id],
                sum(part for part, _seen in parts),
                f"because.{because.kind}",
                {"title": because.title},
            )

    fresh = [
        listing for listing in _fresh(exclude=exclude, user_id=user_id, now=now) if listing.pk not in seen_ids
    ]
    popularity: dict[int, int] = {}
    if not history:
        popularity = dict(
            InterestSignal.objects.filter(
                listing_id__in=[listing.pk for listing in fresh], at__gte=now - timedelta(days=POPULAR_DAYS)
            )
            .values("listing_id")
            .annotate(signals=Count("id"))
            .values_list("listing_id", "signals")
        )
    busiest = max(popularity.values(), default=0)
    categories = {seen.category_id for seen in history}
    brands = {seen.brand_id: seen.brand for seen in history if seen.brand_id}
    prices = defaultdict(list)
    for seen in history:
        prices[seen.category_id].append(seen.price)

    for listing in fresh:
        score, reason, params = _freshness(listing, now), "new_in", {"category": listing.category.label}
        if listing.brand_id in brands:
            score += SAME_BRAND
            reason, params = "brand", {"brand": brands[listing.brand_id]}
        if listing.category_id in categories:
            score += SAME_CATEGORY
            if reason == "new_in":
                reason, params = "category", {"category": listing.category.label}
            price = float(listing.price)
            if any(0.7 * seen <= price <= 1.3 * seen for seen in prices[listing.category_id]):
                score += SIMILAR_PRICE
        if popularity.get(listing.pk) and busiest:
            score += POPULARITY * popularity[listing.pk] / busiest
            if popularity[listing.pk] * 2 >= busiest and reason == "new_in":
                reason, params = "popular", {}
        if getattr(listing, "dropped", False):
            score += PRICE_DROP
            if reason in ("new_in", "popular"):
                reason, params = "price_dropped", {}
        offer(listing, score, reason, params)

    ranked = sorted(candidates.values(), key=lambda item: (-item.score, -item.listing.pk))
    page: list[FeedItem] = []
    per_category: dict[int, int] = defaultdict(int)
    for item in ranked:
        if per_category[item.listing.category_id] >= PER_CATEGORY:
            continue
        per_category[item.listing.category_id] += 1
        page.append(item)
        if len(page) == count:
            break
    if len(page) < count:  # a narrow shop: fill with what the category cap left out
        chosen = {item.listing.pk for item in page}
        page += [item for item in ranked if item.listing.pk not in chosen][: count - len(page)]
    return page


def feed_next(
    *, shown_key: str, again: bool, user_id: int | None, session_key: str = "", personalised: bool
) -> list[FeedItem]:
    """The reader's next page (feed_page), leaving out what they were shown under `shown_key`, and
    remembering this page there too; `again` starts over."""
    shown: list[int] = [] if again else cache.get(shown_key, [])
    items = feed_page(user_id=user_id, session_key=session_key, personalised=personalised, exclude=set(shown))
    cache.set(shown_key, (shown + [item.listing.pk for item in items])[-SHOWN_MAX:], SHOWN_TTL)
    return items
