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
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import BooleanField, Count, Exists, Expression, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feed.models import WEIGHTS, InterestSignal, ItemNeighbour, SignalKind
from listings.models import Category, Listing, ListingStatus, PastPrice

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
# How long an item's popularity is kept in the cache (_popularity).
POPULARITY_TTL = 60
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
# What a candidate is read with: what an item shows (templates/feed/_items.jinja, feed.api), then what
# ranking takes. Hundreds of candidates make a page of twelve, so they are read as rows of values and
# only the twelve become listings: read as model instances with their category and brand, they were
# over a thousand objects a request and most of its time. A field an item shows that is not named
# here would cost a query per item (the page's query count is pinned).
SHOWN_COLUMNS = (
    "id",
    "title",
    "price",
    "grade",
    "cover_key",
    "video_key",
    "video_width",
    "video_height",
    "inspected_at",
    "published_at",
    "category_id",
    "brand_id",
)
COLUMNS = (*SHOWN_COLUMNS, "category__name", "category__name_zh")


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


# A candidate listing's COLUMNS, by name.
_Row = dict[str, Any]


@dataclass(slots=True)
class _Candidate:
    row: _Row
    score: float
    reason: str
    params: dict


def _listing(row: _Row) -> Listing:
    """The listing an item of the page shows, made from its candidate row with no query; the fields
    not read are deferred."""
    names = [field.attname for field in Listing._meta.concrete_fields if field.attname in row]
    return Listing.from_db(DEFAULT_DB_ALIAS, names, [row[name] for name in names])


class _Among(Expression):
    """`column IN (ids)`, the ids one array parameter on PostgreSQL (`column = ANY(%s::bigint[])`). A
    page's queries name up to SHOWN_MAX shown items or FRESH_POOL candidates; as one parameter each,
    Django building, psycopg2 writing and PostgreSQL parsing them took milliseconds a query. The array
    is cast to the column's type: as the integer[] psycopg2 sends, the planner costed the popularity
    count as work for parallel workers, several times slower."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: Collection[int]) -> None:
        super().__init__()
        # F, until the query resolves it to the column (a Col, with its output field).
        self.column: Any = F(column)
        self.ids = list(ids)

    def get_source_expressions(self) -> list:
        return [self.column]

    def set_source_expressions(self, expressions: Sequence[Any]) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            array = f"{self.column.output_field.db_type(connection)}[]"
            return f"{column} = ANY(%s::{array})", (*params, self.ids)
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)


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
    # On sale as the channel means it (listings.selectors._on_sale): with published_at, newest first
    # is a walk down listing_channel_cover that stops at the pool's size. Without it the planner read
    # every listing on sale, asked PastPrice about each, sorted them all, and compiled the query with
    # the JIT on top: over a second a request at 100k listings.
    listings = Listing.objects.filter(status=ListingStatus.ACTIVE, published_at__isnull=False).exclude(
        _Among("pk", exclude)
    )
    if user_id is not None:
        listings = listings.exclude(seller_id=user_id)
    return listings


def _fresh(*, exclude: set[int], user_id: int | None, now: datetime) -> list[tuple[_Row, bool]]:
    """Items new lately or cheaper lately, newest first, each with whether its price dropped. One
    query; a second, the newest items whatever their age, in a shop where too few are new."""
    dropped = PastPrice.objects.filter(
        listing_id=OuterRef("pk"), until__gte=now - timedelta(days=DROP_DAYS), price__gt=OuterRef("price")
    )
    on_sale = _on_sale(exclude, user_id).annotate(dropped=Exists(dropped)).order_by("-published_at", "-id")
    recent = Q(published_at__gte=now - timedelta(days=FRESH_DAYS)) | Q(dropped=True)
    fresh = list(on_sale.filter(recent).values_list(*COLUMNS, "dropped")[:FRESH_POOL])
    if len(fresh) < PAGE:
        fresh = list(on_sale.values_list(*COLUMNS, "dropped")[:FRESH_POOL])
    return [(dict(zip(COLUMNS, values[:-1], strict=True)), values[-1]) for values in fresh]


def _popularity(listing_ids: list[int], now: datetime) -> dict[int, int]:
    """How many signals each item had in the last POPULAR_DAYS days. An item's count is the same for
    every reader and moves slowly, so it is kept in the cache for POPULARITY_TTL seconds: counting
    read every signal of the pool's items, about 4,000 rows a page at 2M signals, more than the rest
    of the page. One query for the items not in the cache, none when all are."""
    keys = {listing_id: f"feed:popularity:{listing_id}" for listing_id in listing_ids}
    cached = cache.get_many(keys.values())
    counts = {listing_id: cached[key] for listing_id, key in keys.items() if key in cached}
    missing = [listing_id for listing_id in listing_ids if listing_id not in counts]
    if missing:
        found = dict(
            InterestSignal.objects.filter(
                _Among("listing_id", missing), at__gte=now - timedelta(days=POPULAR_DAYS)
            )
            .values("listing_id")
            .annotate(signals=Count("id"))
            .values_list("listing_id", "signals")
        )
        counted = {listing_id: found.get(listing_id, 0) for listing_id in missing}
        cache.set_many({keys[listing_id]: n for listing_id, n in counted.items()}, POPULARITY_TTL)
        counts.update(counted)
    return counts


def _freshness(row: _Row, now: datetime) -> float:
    if row["published_at"] is None:
        return 0.0
    return FRESHNESS * math.exp(-(now - row["published_at"]).total_seconds() / 86400 / 7)


def feed_page(
    *,
    user_id: int | None,
    session_key: str = "",
    personalised: bool = True,
    exclude: set[int] | frozenset[int] = frozenset(),
    count: int = PAGE,
) -> list[FeedItem]:
    """The next `count` items for the shopper (or the visitor's session), best first, with why.
    Three queries personalised (the history, the neighbours, the fresh items), one otherwise (the
    fresh items); with no history, one more for the items' popularity the cache does not hold."""
    now = timezone.now()
    exclude = set(exclude)
    history = (
        _history(user_id=user_id, session_key=session_key, now=now)
        if personalised and (user_id is not None or session_key)
        else []
    )
    candidates: dict[int, _Candidate] = {}

    def offer(row: _Row, score: float, reason: str, params: dict) -> None:
        candidate = candidates.get(row["id"])
        if candidate is None:
            candidates[row["id"]] = _Candidate(row=row, score=score, reason=reason, params=params)
            return
        if score > candidate.score:
            candidate.reason, candidate.params = reason, params
        candidate.score += score

    seen_ids = {seen.listing_id for seen in history}
    if history:
        weights = {seen.listing_id: seen for seen in history}
        contributions: dict[int, list[tuple[float, _Seen]]] = defaultdict(list)
        neighbours = (
            ItemNeighbour.objects.filter(listing_id__in=weights.keys())
            .filter(neighbour__status=ListingStatus.ACTIVE)
            .exclude(_Among("neighbour_id", exclude | seen_ids))
        )
        if user_id is not None:
            neighbours = neighbours.exclude(neighbour__seller_id=user_id)
        rows: dict[int, _Row] = {}
        for listing_id, score, *values in neighbours.order_by("-score").values_list(
            "listing_id", "score", *(f"neighbour__{column}" for column in COLUMNS)
        )[:NEIGHBOUR_POOL]:
            row = dict(zip(COLUMNS, values, strict=True))
            rows[row["id"]] = row
            contributions[row["id"]].append((weights[listing_id].weight * score, weights[listing_id]))
        for neighbour_id, parts in contributions.items():
            _strongest, because = max(parts, key=lambda part: part[0])
            offer(
                rows[neighbour_id],
                sum(part for part, _seen in parts),
                f"because.{because.kind}",
                {"title": because.title},
            )

    fresh = [
        (row, dropped)
        for row, dropped in _fresh(exclude=exclude, user_id=user_id, now=now)
        if row["id"] not in seen_ids
    ]
    popularity = _popularity([row["id"] for row, _dropped in fresh], now) if not history else {}
    busiest = max(popularity.values(), default=0)
    categories = {seen.category_id for seen in history}
    brands = {seen.brand_id: seen.brand for seen in history if seen.brand_id}
    prices = defaultdict(list)
    for seen in history:
        prices[seen.category_id].append(seen.price)
    labels: dict[int, str] = {}  # each category's name in the reader's language, worked out once

    for row, dropped in fresh:
        label = labels.get(row["category_id"])
        if label is None:
            label = Category(name=row["category__name"], name_zh=row["category__name_zh"]).label
            labels[row["category_id"]] = label
        score, reason, params = _freshness(row, now), "new_in", {"category": label}
        if row["brand_id"] in brands:
            score += SAME_BRAND
            reason, params = "brand", {"brand": brands[row["brand_id"]]}
        if row["category_id"] in categories:
            score += SAME_CATEGORY
            if reason == "new_in":
                reason, params = "category", {"category": label}
            price = float(row["price"])
            if any(0.7 * seen <= price <= 1.3 * seen for seen in prices[row["category_id"]]):
                score += SIMILAR_PRICE
        if popularity.get(row["id"]) and busiest:
            score += POPULARITY * popularity[row["id"]] / busiest
            if popularity[row["id"]] * 2 >= busiest and reason == "new_in":
                reason, params = "popular", {}
        if dropped:
            score += PRICE_DROP
            if reason in ("new_in", "popular"):
                reason, params = "price_dropped", {}
        offer(row, score, reason, params)

    ranked = sorted(candidates.values(), key=lambda candidate: (-candidate.score, -candidate.row["id"]))
    page: list[_Candidate] = []
    per_category: dict[int, int] = defaultdict(int)
    for candidate in ranked:
        if per_category[candidate.row["category_id"]] >= PER_CATEGORY:
            continue
        per_category[candidate.row["category_id"]] += 1
        page.append(candidate)
        if len(page) == count:
            break
    if len(page) < count:  # a narrow shop: fill with what the category cap left out
        chosen = {candidate.row["id"] for candidate in page}
        page += [candidate for candidate in ranked if candidate.row["id"] not in chosen][: count - len(page)]
    return [
        FeedItem(
            listing=_listing(candidate.row),
            score=candidate.score,
            reason=candidate.reason,
            params=candidate.params,
        )
        for candidate in page
    ]


def feed_next(
    *, shown_key: str, again: bool, user_id: int | None, session_key: str = "", personalised: bool
) -> list[FeedItem]:
    """The reader's next page (feed_page), leaving out what they were shown under `shown_key`, and
    remembering this page there too; `again` starts over."""
    shown: list[int] = [] if again else cache.get(shown_key, [])
    items = feed_page(user_id=user_id, session_key=session_key, personalised=personalised, exclude=set(shown))
    cache.set(shown_key, (shown + [item.listing.pk for item in items])[-SHOWN_MAX:], SHOWN_TTL)
    return items
