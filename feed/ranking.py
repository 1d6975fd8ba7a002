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

The fresh items are the same for every reader, so each process holds them for FRESH_HOLD seconds
(marketplace.process_memo) and leaves out a reader's own and shown ones itself: an item put on sale
reaches the feed within that time. The page's items are then read again, so that what it shows is
on sale now, at its price now.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import BooleanField, Count, Exists, Expression, F, Field, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feed.models import WEIGHTS, InterestSignal, ItemNeighbour, SignalKind
from listings.models import Category, Listing, ListingStatus, PastPrice
from marketplace import prepared_statements, process_memo

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
# How long each process holds the fresh items with their popularity (_Held), and how many: enough for
# FRESH_POOL after a reader's SHOWN_MAX shown ones are left out.
FRESH_HOLD = 30
FRESH_HELD = 900
FRESH_KEY = "feed:fresh"
# How long a reader's items like their history are kept in the cache (_liked).
LIKED_TTL = 60
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
    "seller_id",
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


def _fresh_read(
    *, exclude: Collection[int], user_id: int | None, now: datetime, limit: int = FRESH_POOL
) -> tuple[list[tuple[_Row, bool]], list[tuple[_Row, bool]]]:
    """Items new lately or cheaper lately, newest first, each with whether its price dropped; and, in
    a shop where fewer than `limit` are, the newest items whatever their age (else none). One query,
    two in such a shop."""
    dropped = PastPrice.objects.filter(
        listing_id=OuterRef("pk"), until__gte=now - timedelta(days=DROP_DAYS), price__gt=OuterRef("price")
    )
    on_sale = (
        _on_sale(set(exclude), user_id).annotate(dropped=Exists(dropped)).order_by("-published_at", "-id")
    )
    recent = Q(published_at__gte=now - timedelta(days=FRESH_DAYS)) | Q(dropped=True)

    def rows(listings) -> list[tuple[_Row, bool]]:
        return [
            (dict(zip(COLUMNS, values[:-1], strict=True)), values[-1])
            for values in listings.values_list(*COLUMNS, "dropped")[:limit]
        ]

    fresh = rows(on_sale.filter(recent))
    return fresh, rows(on_sale) if len(fresh) < limit else []


@dataclass(frozen=True)
class _Held:
    """What each process holds of the fresh items (_fresh_read, FRESH_HELD of each kind), and how
    popular each of them is."""

    recent: list[tuple[_Row, bool]]
    newest: list[tuple[_Row, bool]]
    popularity: dict[int, int]

    @classmethod
    def read(cls, now: datetime) -> "_Held":
        recent, newest = _fresh_read(exclude=(), user_id=None, now=now, limit=FRESH_HELD)
        ids = {row["id"] for row, _dropped in recent} | {row["id"] for row, _dropped in newest}
        return cls(recent=recent, newest=newest, popularity=_popularity_read(ids, now))


def _held(now: datetime) -> _Held:
    return process_memo.held(FRESH_KEY, ttl=FRESH_HOLD, load=lambda: _Held.read(now))


def _fresh(*, exclude: set[int], user_id: int | None, now: datetime) -> list[tuple[_Row, bool]]:
    """Up to FRESH_POOL items new or cheaper lately (_fresh_read), less the reader's own and shown
    ones, from what this process holds; the newest whatever their age when fewer than a page are
    left. Read from the database (one or two queries) when the reader left out so many of what is
    held that too few remain."""
    held = _held(now)
    rows: list[tuple[_Row, bool]] = []
    for pool in (held.recent, held.newest):
        rows = [
            (row, dropped)
            for row, dropped in pool
            if row["id"] not in exclude and row["seller_id"] != user_id
        ]
        if len(pool) == FRESH_HELD and len(rows) < FRESH_POOL:
            fresh, newest = _fresh_read(exclude=exclude, user_id=user_id, now=now)
            return fresh if len(fresh) >= PAGE else newest
        if len(rows) >= PAGE:
            return rows[:FRESH_POOL]
    return rows[:FRESH_POOL]


def _popularity(listing_ids: list[int], now: datetime) -> dict[int, int]:
    """How many signals each item had in the last POPULAR_DAYS days. An item's count is the same for
    every reader and moves slowly, so it is held with the fresh items (_Held): counting read every
    signal of a page's candidates, about 4,000 rows at 2M signals, more than the rest of the page.
    One query for items read past what is held, none otherwise."""
    known = _held(now).popularity
    missing = [listing_id for listing_id in listing_ids if listing_id not in known]
    counts = _popularity_read(missing, now) if missing else {}
    return {listing_id: known.get(listing_id) or counts.get(listing_id, 0) for listing_id in listing_ids}


def _popularity_read(listing_ids: Collection[int], now: datetime) -> dict[int, int]:
    """How many signals each item had in the last POPULAR_DAYS days (0 for none). One query."""
    found = dict(
        InterestSignal.objects.filter(
            _Among("listing_id", listing_ids), at__gte=now - timedelta(days=POPULAR_DAYS)
        )
        .values("listing_id")
        .annotate(signals=Count("id"))
        .values_list("listing_id", "signals")
    )
    return {listing_id: found.get(listing_id, 0) for listing_id in listing_ids}


def _freshness(row: _Row, now: datetime) -> float:
    if row["published_at"] is None:
        return 0.0
    return FRESHNESS * math.exp(-(now - row["published_at"]).total_seconds() / 86400 / 7)


# A neighbour candidate: its row, its score from the history, why (a reason and its parameters).
_Liked = tuple[_Row, float, str, dict]


def _liked(history: list[_Seen], *, user_id: int | None, exclude: set[int]) -> list[_Liked]:
    """Items like the history, through each history item's neighbours (up to NEIGHBOUR_POOL), less
    the history, the reader's own and `exclude`. The reader's next pages ask the same while their
    history stays as it is, so the candidates are kept in the cache for LIKED_TTL seconds under the
    history's items and kinds, and `exclude` is left out of them here; read again, leaving `exclude`
    out in the query (one query), when that leaves fewer than a page of a pool the limit cut short."""
    key = (
        "feed:liked:"
        + hashlib.blake2b(
            repr((user_id, sorted((seen.listing_id, seen.kind) for seen in history))).encode(), digest_size=16
        ).hexdigest()
    )
    kept: tuple[list[_Liked], bool] | None = cache.get(key)
    if kept is None:
        kept = _liked_read(history, user_id=user_id, exclude=set())
        cache.set(key, kept, LIKED_TTL)
    candidates, cut_short = kept
    liked = [candidate for candidate in candidates if candidate[0]["id"] not in exclude]
    if cut_short and len(liked) < PAGE:
        return _liked_read(history, user_id=user_id, exclude=exclude)[0]
    return liked


def _liked_read(history: list[_Seen], *, user_id: int | None, exclude: set[int]) -> tuple[list[_Liked], bool]:
    """_liked from the database, and whether NEIGHBOUR_POOL cut it short. One query."""
    weights = {seen.listing_id: seen for seen in history}
    contributions: dict[int, list[tuple[float, _Seen]]] = defaultdict(list)
    neighbours = (
        ItemNeighbour.objects.filter(listing_id__in=weights.keys())
        .filter(neighbour__status=ListingStatus.ACTIVE)
        .exclude(_Among("neighbour_id", exclude | weights.keys()))
    )
    if user_id is not None:
        neighbours = neighbours.exclude(neighbour__seller_id=user_id)
    rows: dict[int, _Row] = {}
    read = list(
        neighbours.order_by("-score").values_list(
            "listing_id", "score", *(f"neighbour__{column}" for column in COLUMNS)
        )[:NEIGHBOUR_POOL]
    )
    for listing_id, score, *values in read:
        row = dict(zip(COLUMNS, values, strict=True))
        rows[row["id"]] = row
        contributions[row["id"]].append((weights[listing_id].weight * score, weights[listing_id]))
    liked = []
    for neighbour_id, parts in contributions.items():
        _strongest, because = max(parts, key=lambda part: part[0])
        liked.append(
            (
                rows[neighbour_id],
                sum(part for part, _seen in parts),
                f"because.{because.kind}",
                {"title": because.title},
            )
        )
    return liked, len(read) == NEIGHBOUR_POOL


def feed_page(
    *,
    user_id: int | None,
    session_key: str = "",
    personalised: bool = True,
    exclude: set[int] | frozenset[int] = frozenset(),
    count: int = PAGE,
) -> list[FeedItem]:
    """The next `count` items for the shopper (or the visitor's session), best first, with why.
    Three queries personalised (the history, the neighbours, the page's items as they are now), one
    otherwise (the page's items); a few more when this process reads the fresh items again
    (FRESH_HOLD), or when the reader left out so many of them that it reads past what is held."""
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
        for row, score, reason, params in _liked(history, user_id=user_id, exclude=exclude):
            offer(row, score, reason, params)

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
    now_on_sale: dict[int, _Row] = {}
    read: set[int] = set()
    while True:  # until every item of the page is on sale now; rarely more than once
        page = _choose(ranked, count)
        unread = [candidate.row["id"] for candidate in page if candidate.row["id"] not in read]
        if not unread:
            break
        now_on_sale.update(_now_on_sale(unread))
        read.update(unread)
        ranked = [
            candidate
            for candidate in ranked
            if candidate.row["id"] not in read or candidate.row["id"] in now_on_sale
        ]
    return [
        FeedItem(
            listing=_listing(now_on_sale[candidate.row["id"]]),
            score=candidate.score,
            reason=candidate.reason,
            params=candidate.params,
        )
        for candidate in page
    ]


def _choose(ranked: list[_Candidate], count: int) -> list[_Candidate]:
    """The page: the best `count`, at most PER_CATEGORY of a category unless too few others remain."""
    page: list[_Candidate] = []
    per_category: dict[int, int] = defaultdict(int)
    for candidate in ranked:
        if per_category[candidate.row["category_id"]] >= PER_CATEGORY:
            continue
        per_category[candidate.row["category_id"]] += 1
        page.append(candidate)
        if len(page) == count:
            return page
    # a narrow shop: fill with what the category cap left out
    chosen = {candidate.row["id"] for candidate in page}
    return (
        page + [candidate for candidate in ranked if candidate.row["id"] not in chosen][: count - len(page)]
    )


def _now_on_sale(listing_ids: list[int]) -> dict[int, _Row]:
    """Of these items, the ones on sale now, as they are now. One query, a prepared statement
    (marketplace.prepared_statements): every page asks it, and the ORM took longer to build it than
    PostgreSQL to answer it."""
    fields = [cast(Field, Listing._meta.get_field(name.removesuffix("_id"))) for name in SHOWN_COLUMNS]
    table = connection.ops.quote_name(Listing._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in SHOWN_COLUMNS)
    postgres = connection.vendor == "postgresql"
    among = "id = ANY(%s::bigint[])" if postgres else f"id IN ({', '.join(['%s'] * len(listing_ids))})"
    rows = prepared_statements.fetch(
        using=DEFAULT_DB_ALIAS,
        sql=f"SELECT {columns} FROM {table} WHERE {among} AND status = %s AND published_at IS NOT NULL",  # noqa: S608 - names, not input
        params=[*([listing_ids] if postgres else listing_ids), ListingStatus.ACTIVE.value],
        fields=fields,
        name="feed_now_on_sale" if postgres else "",
    )
    return {values[0]: dict(zip(SHOWN_COLUMNS, values, strict=True)) for values in rows}


def feed_next(
    *, shown_key: str, again: bool, user_id: int | None, session_key: str = "", personalised: bool
) -> list[FeedItem]:
    """The reader's next page (feed_page), leaving out what they were shown under `shown_key`, and
    remembering this page there too; `again` starts over."""
    shown: list[int] = [] if again else cache.get(shown_key, [])
    items = feed_page(user_id=user_id, session_key=session_key, personalised=personalised, exclude=set(shown))
    cache.set(shown_key, (shown + [item.listing.pk for item in items])[-SHOWN_MAX:], SHOWN_TTL)
    return items
