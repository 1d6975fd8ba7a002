"""Reads for the channel, shared by the browse pages and the API.

Every selector here costs a fixed number of queries whatever the data size (most cost one), and
fetches what the pages show with it: a card needs the listing and its brand, nothing else (the cover
photo is the denormalised `Listing.cover_key`). The category tree and the brand facets change rarely
and are read on every page, so they are kept in the cache for a few minutes.
"""

import dataclasses
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, TypeGuard, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import (
    Case,
    Count,
    F,
    Field,
    FloatField,
    IntegerField,
    Min,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Col, Expression, RawSQL
from django.db.models.functions import Cast

from accounts.models import User
from accounts.roles import roles_of
from listings import facet_sql, search
from listings.models import (
    Brand,
    CatalogModel,
    Category,
    FacetCount,
    Favourite,
    Grade,
    HoldKind,
    Listing,
    ListingPhoto,
    ListingSource,
    ListingStatus,
    ListingVideo,
    PastPrice,
    PhotoStatus,
    SavedSearch,
    SearchTerm,
    SearchTermTrigram,
    SellerCount,
    SellingHold,
)
from marketplace import prepared_statements, process_memo
from marketplace.keyset import Page, cursor_position, page_of, paginate
from marketplace.money import CENT

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Keyset orderings: each ends with the unique id, and each has an index (Listing.Meta.indexes; the
# search ranking is computed over the rows the GIN index matched).
SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-published_at", "-id"),
    "price_asc": ("price", "id"),
    "price_desc": ("-price", "-id"),
    "relevance": ("-rank", "-id"),
}

CHANNEL_PAGE_SIZE = 24
# What the listing pages never show: the search document and the words it is made from.
SEARCH_FIELDS = ("search_vector", "search_words")
BIGINT_MAX = 2**63 - 1
# A search in relevance order ranks the newest this many matches, ten pages (in newest order, every
# match).
RANK_WINDOW = 240
CATEGORY_TREE_TTL = 10 * 60
BRAND_FACETS_TTL = 10 * 60
# How long a process keeps the tree and the brands on sale per category without asking the cache
# (marketplace.process_memo); another process's edit of them shows within this many seconds.
REFERENCE_HOLD = 60
# Bump when the shape of a cached value changes, so that old processes' entries are not misread.
CACHE_VERSION = 1
CATEGORY_TREE_KEY = f"listings:category-tree:v{CACHE_VERSION}"

# Chinese, Japanese or Korean text: a word of it is matched among the words jieba cut the text into
# (Listing.search_words).
CJK_CHARACTERS = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class ChannelFilters:
    """What a shopper narrowed the channel to. `category` includes its descendant categories."""

    category: Category | None = None
    brand_slugs: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    inspected_only: bool = False
    authenticated_only: bool = False
    q: str = ""
    seller_id: int | None = None


# --- Categories and brands ----------------------------------------------------------------------------


class CategoryTree:
    """Every category in display order, with the lookups pages need; built from one query."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = list(categories)
        # Keyed like _children, so that a root's parent_id (None) finds nothing.
        self._by_id: dict[int | None, Category] = {category.pk: category for category in self.categories}
        self._by_slug = {category.slug: category for category in self.categories}
        self._children: dict[int | None, list[Category]] = {}
        for category in self.categories:
            self._children.setdefault(category.parent_id, []).append(category)

    @property
    def roots(self) -> list[Category]:
        return self._children.get(None, [])

    def get(self, slug: str) -> Category | None:
        return self._by_slug.get(slug)

    def by_id(self, category_id: int) -> Category | None:
        return self._by_id.get(category_id)

    def children(self, category: Category) -> list[Category]:
        return self._children.get(category.pk, [])

    def ancestors(self, category: Category) -> list[Category]:
        """From the root down to the category's parent."""
        chain: list[Category] = []
        seen = {category.pk}
        parent = self._by_id.get(category.parent_id)
        while parent is not None and parent.pk not in seen:
            chain.append(parent)
            seen.add(parent.pk)
            parent = self._by_id.get(parent.parent_id)
        return list(reversed(chain))

    def descendant_ids(self, category: Category) -> list[int]:
        """The category's id and those of every category below it."""
        ids, stack = [], [category.pk]
        seen: set[int] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            ids.append(current)
            stack.extend(child.pk for child in self._children.get(current, []))
        return ids


# The tree a request has read, so that the selectors a page calls read it once between them, with
# or without a cache (listings.apps connects the request signals). None outside a request.
_request_tree: ContextVar[list[CategoryTree] | None] = ContextVar("request_tree", default=None)


def category_tree_for_request(*, started: bool) -> None:
    """Start (or end) keeping the category tree for the request being served."""
    _request_tree.set([] if started else None)


def category_tree() -> CategoryTree:
    """The whole tree, held by the process for REFERENCE_HOLD seconds, else from the cache; one query
    when both are cold. Edits show within minutes. Read once per request."""
    kept = _request_tree.get()
    if kept:
        return kept[0]
    tree = process_memo.held(CATEGORY_TREE_KEY, ttl=REFERENCE_HOLD, load=_category_tree_shared)
    if kept is not None:
        kept.append(tree)
    return tree


def _category_tree_shared() -> CategoryTree:
    tree = cache.get(CATEGORY_TREE_KEY)
    if tree is None:
        tree = CategoryTree(list(Category.objects.order_by("position", "name", "id")))
        cache.set(CATEGORY_TREE_KEY, tree, CATEGORY_TREE_TTL)
    return tree


def category_is_luxury(category: Category) -> bool:
    """A category is luxury when it, or any category above it, is marked so (from the cached tree)."""
    return category.is_luxury or any(ancestor.is_luxury for ancestor in category_tree().ancestors(category))


def category_tree_forget() -> None:
    """Drop the cached tree, so that a renamed or moved category shows at once."""
    cache.delete(CATEGORY_TREE_KEY)
    process_memo.forget(CATEGORY_TREE_KEY)
    kept = _request_tree.get()
    if kept:
        kept.clear()


def category_by_slug(slug: str) -> Category:
    """The category with this slug, from the cached tree. Raises Category.DoesNotExist."""
    category = category_tree().get(slug)
    if category is None and Category.objects.filter(slug=slug).exists():
        # Created since the tree was cached: rebuild it rather than answer 404 for minutes.
        category_tree_forget()
        category = category_tree().get(slug)
    if category is None:
        raise Category.DoesNotExist(slug)
    return category


def brands_for_category(category: Category | None) -> list[Brand]:
    """Brands with something on sale in the category (or anywhere, for None), by name; held by the
    process for REFERENCE_HOLD seconds, else cached."""
    key = f"listings:brands:v{CACHE_VERSION}:{category.pk if category is not None else 'all'}"

    def shared() -> list[Brand]:
        brands = cache.get(key)
        if brands is None:
            # From the facet table, which has a row per brand and leaf category with listings on sale.
            on_sale = FacetCount.objects.filter(listings__gt=0)
            if category is not None:
                on_sale = on_sale.filter(category_id__in=category_tree().descendant_ids(category))
            brands = list(Brand.objects.filter(pk__in=on_sale.values("brand_key")).order_by("name", "id"))
            cache.set(key, brands, BRAND_FACETS_TTL)
        return brands

    return process_memo.held(key, ttl=REFERENCE_HOLD, load=shared)


# --- Listings -----------------------------------------------------------------------------------------


# What a card shows (templates/listings/_cards.jinja, the API's ListingCardSerializer) and what the
# pagers order by: a list reads no more (the description and its parts, the largest columns, are for
# the listing's own page).
CARD_COLUMNS = (
    "id",
    "title",
    "language",
    "price",
    "reference_price",
    "grade",
    "status",
    "source",
    "category_id",
    "brand_id",
    "inspected_at",
    "authenticated",
    "cover_key",
    "published_at",
)


class Card:
    """A listing as its card shows it, read as a row of values: a model instance costs about twice
    as much to build, and a page builds 24. `brand` is its Brand (one instance per brand of a list);
    `rank` is its relevance in a ranked search (else None)."""

    __slots__ = (*CARD_COLUMNS, "brand", "rank")

    id: int
    title: str
    language: str
    price: Decimal
    reference_price: Decimal | None
    grade: str
    status: str
    source: str
    category_id: int
    brand_id: int | None
    inspected_at: datetime | None
    authenticated: bool
    cover_key: str
    published_at: datetime | None
    brand: Brand | None
    rank: float | None

    @property
    def pk(self) -> int:
        return self.id

    def __eq__(self, other: object) -> bool:
        """The same listing, as a card or as a Listing."""
        if isinstance(other, Card | Listing):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<Card {self.id}: {self.title}>"

    @property
    def is_inspected(self) -> bool:
        return self.inspected_at is not None

    @property
    def category(self) -> Category:
        return category_tree().by_id(self.category_id) or Category.objects.get(pk=self.category_id)


BRAND_COLUMNS = ("brand__name", "brand__name_zh", "brand__slug")


def _card_list(queryset: QuerySet[Listing]) -> list[Card]:
    """The cards of the listings `queryset` finds, in its order, with their brands (joined). One query."""
    names = (*CARD_COLUMNS, "rank") if "rank" in queryset.query.annotations else CARD_COLUMNS
    return _cards_of(queryset.values_list(*names, *BRAND_COLUMNS), names)


def _cards_of(rows: Iterable[Sequence[Any]], names: Sequence[str]) -> list[Card]:
    """Cards from rows of the columns `names` (CARD_COLUMNS, perhaps with "rank"), then the brand's
    name, Chinese name and slug."""
    ranked = "rank" in names
    brands: dict[int, Brand] = {}
    cards = []
    for row in rows:
        card = Card()
        for name, value in zip(names, row, strict=False):
            setattr(card, name, value)
        if not ranked:
            card.rank = None
        brand_id = card.brand_id
        if brand_id is None:
            card.brand = None
        elif (brand := brands.get(brand_id)) is None:
            name, name_zh, slug = row[-3:]
            brand = brands[brand_id] = Brand(id=brand_id, name=name, name_zh=name_zh, slug=slug)
            card.brand = brand
        else:
            card.brand = brand
        cards.append(card)
    return cards


def _quoted_table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _card_select(source: str, *, rank: str = "") -> str:
    """SELECT of a card's columns (then `rank`, when given, then its brand's) from `source`, SQL whose
    rows are the listings, aliased `listing`; its brand joined."""
    columns = ", ".join(f"listing.{connection.ops.quote_name(name)}" for name in CARD_COLUMNS)
    return (
        f"SELECT {columns}{f', {rank}' if rank else ''}, brand.name, brand.name_zh, brand.slug "  # noqa: S608 - names, not input
        f"FROM {source} LEFT JOIN {_quoted_table(Brand)} AS brand ON brand.id = listing.brand_id"
    )


def _raw_cards(
    sql: str, params: Sequence[Any], names: Sequence[str], *, using: str, prepared: str = ""
) -> list[Card]:
    """The cards SQL written in this module finds (`names` as in `_cards_of`), each value made what
    the ORM would make it: the database's own converters applied, as SQLite's driver leaves dates as
    text and decimals as floats. One query; the prepared statement of that name when `prepared` is
    given (marketplace/prepared_statements.py)."""
    fields = [None if name == "rank" else cast(Field, Listing._meta.get_field(name)) for name in names]
    rows = prepared_statements.fetch(using=using, sql=sql, params=params, fields=fields, name=prepared)
    return _cards_of(rows, names)


def _on_sale() -> QuerySet[Listing]:
    # Active listings always have published_at (listing_move sets it); the filter keeps a hand-made
    # row without one from breaking the keyset order.
    return Listing.objects.filter(status=ListingStatus.ACTIVE, published_at__isnull=False)


def _filtered(queryset: QuerySet[Listing], filters: ChannelFilters) -> QuerySet[Listing]:
    if filters.category is not None:
        ids = category_tree().descendant_ids(filters.category)
        queryset = (
            queryset.filter(category_id__in=ids) if len(ids) > 1 else queryset.filter(category_id=ids[0])
        )
    if filters.brand_slugs:
        queryset = queryset.filter(brand__slug__in=filters.brand_slugs)
    if filters.grades:
        queryset = queryset.filter(grade__in=filters.grades)
    if filters.price_min is not None:
        queryset = queryset.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(price__lte=filters.price_max)
    if filters.inspected_only:
        queryset = queryset.filter(inspected_at__isnull=False)
    if filters.authenticated_only:
        queryset = queryset.filter(authenticated=True)
    if filters.seller_id is not None:
        queryset = queryset.filter(seller_id=filters.seller_id)
    return queryset


def uses_full_text_search(q: str) -> bool:
    """Whether `q` is matched by PostgreSQL full-text search (and so can be ranked): on PostgreSQL,
    always, Chinese words included (the search document holds them cut into words)."""
    return bool(q) and connection.vendor == "postgresql"


@functools.lru_cache(maxsize=2048)
def search_plan(q: str) -> search.QueryPlan:
    """The query as the channel matches it (listings.search), kept per query string."""
    return search.plan(q)


def effective_sort(*, q: str, sort: str) -> str:
    """Relevance needs something to rank by (a full-text match, or words that name what an item is);
    without it it means newest."""
    if sort != "relevance":
        return sort
    q = q.strip()
    query_plan = search_plan(q) if q else None
    if query_plan is None:
        return "newest"
    names_something = any(_is_what_it_names(named.meaning) is not None for named in query_plan.named)
    words = " ".join([*(named.word for named in query_plan.named), *query_plan.text_words])
    if not (names_something or uses_full_text_search(words)):
        return "newest"
    return sort


def _text_match(word: str) -> Q:
    """A word in a listing's title, description or brand names. On SQLite, a Chinese word must be one
    of the words the title or description was cut into (`Listing.search_words`), as on PostgreSQL;
    another word is matched as a substring."""
    if uses_full_text_search(word):
        return Q(search_vector=SearchQuery(word, search_type="plain", config="english"))
    in_text = (
        Q(search_words__contains=f" {word} ")
        if CJK_CHARACTERS.search(word)
        else Q(title__icontains=word) | Q(description__icontains=word)
    )
    return in_text | Q(brand__name__icontains=word) | Q(brand__name_zh__icontains=word)


def _is_what_it_names(meaning: search.Meaning) -> Q | None:
    """Listings that are what `meaning` names: in one of its categories (or below), of one of its
    brands, one of its models. None when nothing it names exists here."""
    parts = []
    if meaning.categories:
        tree = category_tree()
        ids = [
            descendant
            for slug in meaning.categories
            if (category := tree.get(slug)) is not None
            for descendant in tree.descendant_ids(category)
        ]
        if ids:
            parts.append(Q(category_id__in=ids))
    # By id, through a subquery, so that the listings' brand and model indexes answer (a join to
    # compare the brand's slug read every listing of the category).
    if meaning.brands:
        parts.append(Q(brand_id__in=Brand.objects.filter(slug__in=sorted(meaning.brands)).values("pk")))
    if meaning.models:
        parts.append(
            Q(catalog_model_id__in=CatalogModel.objects.filter(name__in=sorted(meaning.models)).values("pk"))
        )
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition &= part
    return condition


def _indexed_words(query_plan: search.QueryPlan) -> str:
    """Every word of the query that the full-text index knows, named ones included ("camera" in a
    title as well as the category it names)."""
    return " ".join(
        word
        for word in (*(named.word for named in query_plan.named), *query_plan.text_words)
        if uses_full_text_search(word)
    )


def _searched(queryset: QuerySet[Listing], q: str, *, ranked: bool) -> QuerySet[Listing]:
    """The listings that match every word of `q`: a word that names a category, brand or model
    (listings.search) by what the listing is or by its text, the others by the text. Ranked, those
    that are what every named word names come first, then by the full-text rank."""
    if not q:
        return queryset
    query_plan = search_plan(q)
    boosts: list[Q] = []
    for named in query_plan.named[:MAX_SEARCH_WORDS]:
        is_it = _is_what_it_names(named.meaning)
        queryset = queryset.filter(
            _text_match(named.word) if is_it is None else is_it | _text_match(named.word)
        )
        if is_it is not None:
            boosts.append(is_it)
    text = " ".join(query_plan.text_words)
    if uses_full_text_search(text):
        queryset = queryset.filter(search_vector=SearchQuery(text, search_type="websearch", config="english"))
    else:
        for word in text.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(_text_match(word))
    if not ranked:
        return queryset
    rank: Expression | None = None
    # Ranked by every word the full-text index knows, named ones included ("camera" in a title
    # before "camera" in a description).
    indexed = _indexed_words(query_plan)
    if indexed:
        # ts_rank is a 4-byte real; as a double it prints and parses back to the same value, so
        # a cursor holding it finds its row again exactly.
        query = SearchQuery(indexed, search_type="websearch", config="english")
        rank = Cast(SearchRank(F("search_vector"), query), FloatField())
    if boosts:
        every = boosts[0]
        for boost in boosts[1:]:
            every &= boost
        named_first = Case(When(every, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        rank = named_first if rank is None else named_first + rank
    return queryset.annotate(rank=rank if rank is not None else Value(0.0, output_field=FloatField()))


# The most frequent title words near a mistyped one that the correction weighs.
NEAR_WORDS = 50
# On SQLite, a word must share this many trigrams with a mistyped one to be weighed.
SHARED_TRIGRAMS = 2


def near_title_words(words: list[str]) -> list[str]:
    """Frequent title words (SearchTerm) alike to any of `words`, for the correction to weigh: by
    pg_trgm's similarity operator (`%`, served by the GIN index) on PostgreSQL, by shared trigrams
    (SearchTermTrigram's index) on SQLite. One query."""
    if connection.vendor == "postgresql":
        alike = Q()
        for word in words:
            alike |= Q(word__trigram_similar=word)
        best: Expression = TrigramSimilarity("word", words[0])
        for word in words[1:]:
            best = best + TrigramSimilarity("word", word)
        return list(
            SearchTerm.objects.filter(alike)
            .annotate(alike=best)
            .order_by("-alike", "-listings")
            .values_list("word", flat=True)[:NEAR_WORDS]
        )
    grams = sorted(set().union(*(search.trigrams(word) for word in words)))
    return list(
        SearchTermTrigram.objects.filter(trigram__in=grams)
        .values("term__word")
        .annotate(shared=Count("pk"))
        .filter(shared__gte=SHARED_TRIGRAMS)
        .order_by("-shared", "term__word")
        .values_list("term__word", flat=True)[:NEAR_WORDS]
    )


def search_correction(filters: "ChannelFilters") -> str:
    """The query as corrected when it finds little and a word of it looks like a known one mistyped
    (listings.search.correct); "" otherwise. One query when a word is not a known one (the frequent
    title words near it), none otherwise."""
    q = filters.q.strip()
    if not q:
        return ""
    corrected = search.correct(q, near=near_title_words)
    if not corrected or corrected == q:
        return ""
    return corrected


def listings_for_channel(
    *, filters: ChannelFilters, sort: str, cursor: str | None, size: int = CHANNEL_PAGE_SIZE
) -> Page:
    """One page of active listings matching `filters`, in `sort` order (a key of SORTS), after
    `cursor`. One query. Raises InvalidCursor for a cursor that does not fit this sort."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort {sort!r}; expected one of {sorted(SORTS)}.")
    q = filters.q.strip()
    sort = effective_sort(q=q, sort=sort)
    order_by = SORTS[sort]
    if not q:
        return _unsearched_page(filters, order_by=order_by, cursor=cursor, size=size)
    queryset = _searched(_filtered(_on_sale(), filters), q, ranked=sort == "relevance")
    if sort == "relevance":
        return _ranked_page(queryset, cursor=cursor, size=size)
    return paginate(queryset, order_by=order_by, cursor=cursor, size=size, read=_card_list)


def _filters_sql(filters: ChannelFilters) -> tuple[list[str], list[Any]]:
    """The conditions of `_filtered(_on_sale(), filters)` as SQL over `listing`, with their
    parameters."""

    def among(column: str, values: Sequence[Any]) -> None:
        conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)

    conditions = ["listing.status = %s", "listing.published_at IS NOT NULL"]
    params: list[Any] = [ListingStatus.ACTIVE.value]
    if filters.category is not None:
        among("listing.category_id", category_tree().descendant_ids(filters.category))
    if filters.brand_slugs:
        conditions.append(
            f"listing.brand_id IN (SELECT brand.id FROM {_quoted_table(Brand)} AS brand "  # noqa: S608 - names, not input
            f"WHERE brand.slug IN ({', '.join(['%s'] * len(filters.brand_slugs))}))"
        )
        params.extend(filters.brand_slugs)
    if filters.grades:
        among("listing.grade", filters.grades)
    price = cast(Field, Listing._meta.get_field("price"))
    for bound, operator in ((filters.price_min, ">="), (filters.price_max, "<=")):
        if bound is not None:
            conditions.append(f"listing.price {operator} %s")
            params.append(price.get_db_prep_value(bound, connection))
    if filters.inspected_only:
        conditions.append("listing.inspected_at IS NOT NULL")
    if filters.authenticated_only:
        conditions.append("listing.authenticated = %s")
        params.append(True)
    if filters.seller_id is not None:
        conditions.append("listing.seller_id = %s")
        params.append(filters.seller_id)
    return conditions, params


def _unsearched_page(
    filters: ChannelFilters, *, order_by: Sequence[str], cursor: str | None, size: int
) -> Page:
    """A page of the channel with no words to search for (a category, filters, a seller's items),
    in `order_by` order after `cursor`, as `paginate` would read it. One query, written here: a
    category page's query cost more for the ORM to build than for the database to run. The page's
    ids are found first, walking an index in the page's order that carries what the filters read
    (listing_channel_cover, listing_price_cover), and only the page's own rows are read from the
    table: a small category's page, or a price order, passes over many listings of other
    categories. Raises InvalidCursor."""
    position = cursor_position(cursor, model=Listing, order_by=order_by)
    conditions, params = _filters_sql(filters)
    descending = order_by[0].startswith("-")
    assert all(name.startswith("-") == descending for name in order_by), "one direction: a row comparison"
    fields = [cast(Field, Listing._meta.get_field(name.lstrip("-"))) for name in order_by]
    names = [connection.ops.quote_name(cast(str, field.column)) for field in fields]
    backwards = position is not None and position.backwards
    if position is not None:
        # Rows after the cursor's in the order: one comparison of the order's columns, which the
        # index in that order reads as a range.
        columns = ", ".join(f"listing.{name}" for name in names)
        conditions.append(
            f"({columns}) {'<' if descending != backwards else '>'} ({', '.join(['%s'] * len(fields))})"
        )
        params.extend(
            field.get_db_prep_value(field.to_python(value), connection)
            for field, value in zip(fields, position.values, strict=True)
        )
    direction = "DESC" if descending != backwards else "ASC"
    found = (
        f"SELECT {', '.join(f'listing.{name}' for name in names)} FROM {_quoted_table(Listing)} AS listing "  # noqa: S608 - names, not input
        f"WHERE {' AND '.join(conditions)} "
        f"ORDER BY {', '.join(f'listing.{name} {direction}' for name in names)} LIMIT %s"
    )
    source = f"({found}) AS page JOIN {_quoted_table(Listing)} AS listing ON listing.id = page.id"
    order = ", ".join(f"page.{name} {direction}" for name in names)
    sql = f"{_card_select(source)} ORDER BY {order}"
    cards = _raw_cards(sql, [*params, size + 1], CARD_COLUMNS, using=Listing.objects.db)
    return page_of(cards, order_by=order_by, position=position, size=size)


def _ranked_page(matches: QuerySet[Listing], *, cursor: str | None, size: int) -> Page:
    """A page of `matches` (annotated with `rank`, `_searched`'s) by relevance, among the newest
    RANK_WINDOW of them: ranking every match of a common word costs what the whole table costs, and
    reading the newest first stops after a page's worth of index. One query, in which the window's
    ranks come from the covering index (listing_channel_cover holds what the rank reads) and only
    the page's own rows are read from the table. Raises InvalidCursor."""
    order_by = SORTS["relevance"]
    position = cursor_position(cursor, model=Listing, order_by=order_by)
    # `rank` is the annotation _searched made (the type checker knows only the model's fields).
    window_query = matches.order_by("-published_at", "-id").values_list("id", "rank")  # type: ignore[misc]
    window, window_params = window_query[:RANK_WINDOW].query.sql_with_params()
    params: list[Any] = list(window_params)
    after = ""
    backwards = position is not None and position.backwards
    if position is not None:
        rank, pk = float(position.values[0]), int(position.values[1])
        beyond = ">" if backwards else "<"
        after = f"WHERE ranked.rank {beyond} %s OR (ranked.rank = %s AND ranked.id {beyond} %s)"
        params += [rank, rank, pk]
    direction = "ASC" if backwards else "DESC"
    page = (
        f"(SELECT ranked.id, ranked.rank FROM ({window}) AS ranked {after} "  # noqa: S608 - names, not input
        f"ORDER BY ranked.rank {direction}, ranked.id {direction} LIMIT %s) AS page "
        f"JOIN {_quoted_table(Listing)} AS listing ON listing.id = page.id"
    )
    sql = f"{_card_select(page, rank='page.rank')} ORDER BY page.rank {direction}, page.id {direction}"
    params.append(size + 1)
    cards = _raw_cards(sql, params, (*CARD_COLUMNS, "rank"), using=matches.db)
    return page_of(cards, order_by=order_by, position=position, size=size)


def _facet_key(name: str, described: object) -> str:
    """The cache key of a facet for the filters `described` (their repr, hashed)."""
    return f"listings:{name}:v{CACHE_VERSION}:{hashlib.sha256(repr(described).encode()).hexdigest()}"


# The price facet's bands, in the deployment's currency: (from, below), either open. The facet
# table files listings under them (listings.facet_sql).
PRICE_BANDS: tuple[tuple[int | None, int | None], ...] = tuple(
    zip((None, *facet_sql.BAND_EDGES), (*facet_sql.BAND_EDGES, None), strict=True)
)
# Past this many listings matching a query's words, the panel's counts are not shown: counting every
# match of a common word costs as much as the page, and a count of the first ones would mislead.
FACET_SCAN_LIMIT = 1000
# ... and when the planner expects this many times more, they are not counted at all.
FACET_ESTIMATE_MARGIN = 2


@dataclass(frozen=True)
class FacetCounts:
    """How many results each choice of the filter panel would give: per grade, per price band,
    inspected or authenticated only, and per brand (by id). Each group counts with every other
    filter applied but its own, so that a shopper sees what widening to another grade would bring.
    `exact` is False when the query's words match more than FACET_SCAN_LIMIT listings: then there
    are no counts to show, and `brand_ids` is empty (the panel offers every brand on sale)."""

    grades: dict[str, int]
    price_bands: tuple[tuple[int | None, int | None, int], ...]  # (from, below, count)
    inspected: int
    authenticated: int
    brand_ids: dict[int, int]
    exact: bool = True


def _bands_chosen(filters: ChannelFilters) -> list[int] | None:
    """The price bands the filters' price range is made of, when it is exactly some bands (no range,
    or one a band link set); None for any other range."""
    edges = (None, *facet_sql.BAND_EDGES, None)
    low = filters.price_min
    high = None if filters.price_max is None else filters.price_max + CENT
    if (low is not None and low not in facet_sql.BAND_EDGES) or (
        high is not None and high not in facet_sql.BAND_EDGES
    ):
        return None
    first = 0 if low is None else edges.index(low)
    last = len(facet_sql.BAND_EDGES) if high is None else edges.index(high) - 1
    return list(range(first, last + 1))


def _facet_source(filters: ChannelFilters) -> tuple[str, list[Any], str] | None:
    """What the panel's counts are summed from: its SQL, the parameters of that SQL and of the
    columns that file each row under brand, grade, band, the filters' own price range and the badges
    (`shape`). The facet table's rows for the category when no words are searched for (the same
    cost at any size of the channel; one row per brand, grade, band and badge), else the newest
    listings that match, up to FACET_SCAN_LIMIT and one (an index-only scan of
    listing_channel_cover on PostgreSQL). None when the words match too many listings to count."""
    q = filters.q.strip()
    bands = _bands_chosen(filters)
    if not q and filters.seller_id is None and bands is not None:
        # Written here rather than by the ORM, whose building of it cost a fifth of the counting.
        sql = f"SELECT {facet_sql.CELL_COLUMNS}, listings FROM {FacetCount._meta.db_table} WHERE listings > 0"  # noqa: S608 - names, not input
        params: list[Any] = []
        if filters.category is not None:
            ids = category_tree().descendant_ids(filters.category)
            sql += f" AND category_id IN ({', '.join(['%s'] * len(ids))})"
            params = list(ids)
        in_range = f"band IN ({', '.join(str(int(band)) for band in bands) or 'NULL'})"
        shape = f"brand_key AS brand, grade, band, {in_range} AS in_range, inspected, authenticated, listings"
        return sql, params, shape
    in_scope = _filtered(_on_sale(), ChannelFilters(category=filters.category, seller_id=filters.seller_id))
    if q and _surely_more_than(in_scope, q, FACET_SCAN_LIMIT):
        return None
    matching = (
        _searched(in_scope, q, ranked=False)
        .order_by("-published_at", "-id")
        .values_list("brand_id", "grade", "price", "inspected_at", "authenticated")[: FACET_SCAN_LIMIT + 1]
    )
    words_sql, words_params = matching.query.sql_with_params()
    limits, limit_params = ["1 = 1"], []
    if filters.price_min is not None:
        limits.append("price >= %s")
        limit_params.append(filters.price_min)
    if filters.price_max is not None:
        limits.append("price <= %s")
        limit_params.append(filters.price_max)
    shape = (
        f"coalesce(brand_id, 0) AS brand, grade, {facet_sql.band_case('matches')} AS band, "
        f"{' AND '.join(limits)} AS in_range, inspected_at IS NOT NULL AS inspected, "
        "authenticated, 1 AS listings"
    )
    return words_sql, [*words_params, *limit_params], shape


# Each group of the panel is counted with every other filter applied but its own (failing a badge
# filter means lacking the badge, which adds nothing to its count); `matches` says how many rows
# were read, to tell whether the words' matches were all counted. The values in the conditions are
# ids and grade codes, written in; the source's own are parameters.
FACET_GROUPS_SQL = """
WITH matches AS ({source}), counted AS (SELECT {shape} FROM matches)
SELECT 'grade', grade, NULL, SUM(listings) FROM counted WHERE in_range AND {inspected} AND {authenticated} AND {brand} GROUP BY grade
UNION ALL SELECT 'band', NULL, band, SUM(listings) FROM counted WHERE {grade} AND {inspected} AND {authenticated} AND {brand} GROUP BY band
UNION ALL SELECT 'brand', NULL, brand, SUM(listings) FROM counted WHERE brand <> 0 AND {grade} AND in_range AND {inspected} AND {authenticated} GROUP BY brand
UNION ALL SELECT 'inspected', NULL, NULL, SUM(listings) FROM counted WHERE inspected AND {grade} AND in_range AND {authenticated} AND {brand}
UNION ALL SELECT 'authenticated', NULL, NULL, SUM(listings) FROM counted WHERE authenticated AND {grade} AND in_range AND {inspected} AND {brand}
UNION ALL SELECT 'matches', NULL, NULL, COUNT(*) FROM counted
"""


def _surely_more_than(queryset: QuerySet[Listing], q: str, count: int) -> bool:
    """Whether PostgreSQL's planner expects far more than `count` of `queryset` to have every word of
    `q` in their search document (FACET_ESTIMATE_MARGIN times more): then counting up to `count`
    matches would read a long stretch of the index for counts the panel does not show. The estimate
    comes from the search index's statistics of the words on sale, which are close for a common word
    (a brand's or category's name is in the document too); words the statistics do not know are
    estimated rare, and counted. One EXPLAIN, which plans and runs nothing; never on SQLite."""
    if connection.vendor != "postgresql":
        return False
    words = _indexed_words(search_plan(q))
    with_words = queryset.filter(search_vector=SearchQuery(words, search_type="websearch", config="english"))
    plan = json.loads(with_words.order_by().explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"] > FACET_ESTIMATE_MARGIN * count


def facet_counts(filters: ChannelFilters, *, brands: list[Brand] | None = None) -> FacetCounts:
    """The filter panel's counts over the listings on sale that match `filters` (FacetCounts). One
    query (and one more for chosen brands unless `brands`, brands_for_category's, names them); the
    counting is done here over the rows it reads (at most a few thousand). Cached as long as the
    brand list."""
    key = _facet_key(
        "facets", (dataclasses.replace(filters, category=None), getattr(filters.category, "pk", None))
    )
    counts = cache.get(key)
    if counts is not None:
        return counts
    known = {brand.slug: brand.pk for brand in brands or ()}
    brand_ids = {known[slug] for slug in filters.brand_slugs if slug in known}
    if len(brand_ids) < len(filters.brand_slugs):
        brand_ids = set(Brand.objects.filter(slug__in=filters.brand_slugs).values_list("pk", flat=True))
    source = _facet_source(filters)
    grades: Counter[str] = Counter()
    bands: Counter[int] = Counter()
    by_brand: dict[int, int] = {}
    inspected = authenticated = matches = 0
    if source is not None:
        sql, params, shape = source
        grades_chosen = ", ".join(f"'{grade}'" for grade in filters.grades if grade in Grade.values)
        brands_chosen = ", ".join(str(int(brand_id)) for brand_id in brand_ids)
        groups = FACET_GROUPS_SQL.format(
            source=sql,
            shape=shape,
            grade=f"grade IN ({grades_chosen or 'NULL'})" if filters.grades else "1 = 1",
            inspected="inspected" if filters.inspected_only else "1 = 1",
            authenticated="authenticated" if filters.authenticated_only else "1 = 1",
            brand=f"brand IN ({brands_chosen or 'NULL'})" if filters.brand_slugs else "1 = 1",
        )
        with connections[Listing.objects.db].cursor() as cursor:
            cursor.execute(groups, params)
            for group, grade, number, count in cursor.fetchall():
                count = int(count or 0)
                if group == "grade":
                    grades[grade] += count
                elif group == "band":
                    bands[int(number)] += count
                elif group == "brand":
                    by_brand[int(number)] = count
                elif group == "inspected":
                    inspected = count
                elif group == "authenticated":
                    authenticated = count
                else:
                    matches = count
    if source is None or (filters.q.strip() and matches > FACET_SCAN_LIMIT):
        counts = FacetCounts(
            grades={},
            price_bands=tuple((low, high, 0) for low, high in PRICE_BANDS),
            inspected=0,
            authenticated=0,
            brand_ids={},
            exact=False,
        )
        cache.set(key, counts, BRAND_FACETS_TTL)
        return counts
    counts = FacetCounts(
        grades={grade: grades[grade] for grade in Grade.values},
        price_bands=tuple((low, high, bands[index]) for index, (low, high) in enumerate(PRICE_BANDS)),
        inspected=inspected,
        authenticated=authenticated,
        brand_ids={brand_id: count for brand_id, count in by_brand.items() if count},
    )
    cache.set(key, counts, BRAND_FACETS_TTL)
    return counts


def brands_in_results(
    filters: ChannelFilters, *, facets: FacetCounts, brands: list[Brand]
) -> list[tuple[Brand, int | None]]:
    """The brand facet, from the brands on sale (`brands`, `brands_for_category`) and the panel's
    counts: the brands among the listings that match every filter but the brand itself (so a shopper
    can widen to another brand) with their counts, plus any brand already chosen. No query. When
    the counts are not exact, every brand on sale, without counts."""
    if not facets.exact:
        return [(brand, None) for brand in brands]
    return [
        (brand, facets.brand_ids.get(brand.pk, 0))
        for brand in brands
        if brand.pk in facets.brand_ids or brand.slug in filters.brand_slugs
    ]


def category_covers(categories: list[Category]) -> dict[int, str]:
    """A picture for each category's tile: the cover photo key of the newest listing on sale in it
    or below it, by category id (a category with nothing on sale has none). One query, built as
    `home_sections` is: one newest-listing subquery per category."""
    if not categories:
        return {}
    tree = category_tree()
    on_sale = Listing.objects.filter(status=ListingStatus.ACTIVE, published_at__isnull=False).exclude(
        cover_key=""
    )
    newest = [
        on_sale.filter(category_id__in=tree.descendant_ids(category))
        .order_by("-published_at", "-id")
        .values("pk")[:1]
        for category in categories
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        picked = Q(pk__in=newest[0].union(*newest[1:], all=True))
    else:
        picked = Q()
        for subquery in newest:
            picked |= Q(pk__in=subquery)
    rows = Listing.objects.filter(picked).values_list("category_id", "cover_key")
    root_of = {}
    for category in categories:
        root_of.update(dict.fromkeys(tree.descendant_ids(category), category.pk))
    return {root_of[category_id]: cover_key for category_id, cover_key in rows}


def home_sections(*, size: int = 10) -> dict[str, list[Card]]:
    """The home page's rows: newest arrivals, newest platform-inspected, newest authenticated.

    One query: the three top-`size` id lists are subqueries (each answered by its own index) and the
    rows they pick are sorted into sections here. A row may appear in several sections."""
    on_sale = Listing.objects.filter(status=ListingStatus.ACTIVE, published_at__isnull=False)
    newest = on_sale.order_by("-published_at", "-id").values("pk")[:size]
    inspected = (
        on_sale.filter(inspected_at__isnull=False).order_by("-inspected_at", "-id").values("pk")[:size]
    )
    authenticated = on_sale.filter(authenticated=True).order_by("-published_at", "-id").values("pk")[:size]
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one IN over a UNION, so each part walks its index and the rows are fetched
        # by primary key (an OR of three IN subqueries would scan the whole table).
        picked = Q(pk__in=newest.union(inspected, authenticated))
    else:
        # SQLite cannot LIMIT the parts of a UNION.
        picked = Q(pk__in=newest) | Q(pk__in=inspected) | Q(pk__in=authenticated)
    rows = _card_list(Listing.objects.filter(picked))
    by_newest = sorted(rows, key=lambda listing: (listing.published_at, listing.pk), reverse=True)
    return {
        "new": by_newest[:size],
        "inspected": sorted(
            (listing for listing in rows if listing.inspected_at is not None),
            key=lambda listing: (listing.inspected_at, listing.pk),
            reverse=True,
        )[:size],
        "authenticated": [listing for listing in by_newest if listing.authenticated][:size],
    }


def _active_listing_count(table: str, column: str) -> RawSQL:
    """How many listings the seller in `table`.`column` has on sale: the sum of the seller's few rows
    in the sellers' count table, which triggers keep in step (listings.seller_count_sql), where
    counting the platform's own stock would read tens of thousands of index entries."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT coalesce(sum(counted.listings), 0) FROM {_quoted_table(SellerCount)} AS counted "  # noqa: S608 - names, not input
        f"WHERE counted.seller_id = {quote(table)}.{quote(column)}"
    )
    return RawSQL(sql, (), output_field=IntegerField())  # noqa: S611 - no user input


def _is_signed_in(viewer: User | AnonymousUser | None) -> TypeGuard[User]:
    return viewer is not None and viewer.is_authenticated


class DetailAnnotations(TypedDict):
    seller_active_count: int
    is_favourite: bool


# What a listing's page never shows of its seller: read only when asked for.
SELLER_PRIVATE_FIELDS = (
    "password",
    "last_login",
    "is_superuser",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "language",
    "email_confirmed_at",
)


def _detail_parts() -> list[tuple[type[Model], str, list[Field]]]:
    """What a listing's page reads, table by table: (model, alias, columns), in the row's order."""
    return [
        (Listing, "listing", [f for f in Listing._meta.concrete_fields if f.name not in SEARCH_FIELDS]),
        (User, "seller", [f for f in User._meta.concrete_fields if f.name not in SELLER_PRIVATE_FIELDS]),
        (Brand, "brand", list(Brand._meta.concrete_fields)),
        (CatalogModel, "model", list(CatalogModel._meta.concrete_fields)),
    ]


@functools.cache
def _detail_sql(vendor: str, signed_in: bool) -> str:
    """The SQL of listing_for_detail, written here: building it with the ORM cost a listing's page
    more than running it. Its parameters: the viewer's id when `signed_in`, then the listing's."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{alias}.{quote(cast(str, field.column))}"
        for _model, alias, fields in _detail_parts()
        for field in fields
    )
    favourite = (
        f"EXISTS (SELECT 1 FROM {_quoted_table(Favourite)} AS saved "  # noqa: S608 - names, not input
        "WHERE saved.listing_id = listing.id AND saved.user_id = %s)"
        if signed_in
        else "false"
    )
    counted = _quoted_table(SellerCount)
    return (
        f"SELECT {columns}, "  # noqa: S608 - names, not input
        f"(SELECT coalesce(sum(counted.listings), 0) FROM {counted} AS counted "
        "WHERE counted.seller_id = listing.seller_id), "
        f"({_ready_photo_rows('listing')}), {favourite} "
        f"FROM {_quoted_table(Listing)} AS listing "
        f"JOIN {_quoted_table(User)} AS seller ON seller.id = listing.seller_id "
        f"LEFT JOIN {_quoted_table(Brand)} AS brand ON brand.id = listing.brand_id "
        f"LEFT JOIN {_quoted_table(CatalogModel)} AS model ON model.id = listing.catalog_model_id "
        "WHERE listing.id = %s"
    )


def listing_for_detail(
    *, listing_id: int, viewer: User | AnonymousUser | None
) -> "WithAnnotations[Listing, DetailAnnotations]":
    """A listing with its seller (public fields only), category, brand, catalog model, ready photos
    (`ready_photos`), the seller's number of listings on sale (`seller_active_count`) and whether the
    viewer saved it (`is_favourite`). One query (a prepared statement on PostgreSQL), and the category
    tree when the process holds none (the category comes from it). Drafts and withdrawn listings
    exist only for their seller; sold and reserved ones stay visible. Raises Listing.DoesNotExist."""
    if not 0 < listing_id <= BIGINT_MAX:  # the ORM finds nothing for these; the database would refuse them
        raise Listing.DoesNotExist(listing_id)
    signed_in = _is_signed_in(viewer)
    database = connections[Listing.objects.db]
    params: list[Any] = [viewer.pk, listing_id] if signed_in else [listing_id]  # type: ignore[union-attr]
    with database.cursor() as cursor:
        prepared_statements.execute(
            cursor,
            "listing_detail_signed_in" if signed_in else "listing_detail",
            _detail_sql(database.vendor, signed_in),
            params,
        )
        row = cursor.fetchone()
    if row is None:
        raise Listing.DoesNotExist(listing_id)
    values = list(row)
    objects: list[Model | None] = []
    start = 0
    for model, _alias, fields in _detail_parts():
        own = values[start : start + len(fields)]
        start += len(fields)
        if own[0] is None:  # no brand, or no catalog model
            objects.append(None)
            continue
        for index, field in enumerate(fields):
            column = Col(model._meta.db_table, field)
            for function in (*database.ops.get_db_converters(column), *field.get_db_converters(database)):
                own[index] = function(own[index], column, database)
        objects.append(model.from_db(database.alias, [field.attname for field in fields], own))
    listing, seller, brand, catalog_model = objects
    assert isinstance(listing, Listing)
    Listing.seller.field.set_cached_value(listing, seller)
    Listing.brand.field.set_cached_value(listing, brand)
    Listing.catalog_model.field.set_cached_value(listing, catalog_model)
    seller_active_count, photo_rows, is_favourite = values[start:]
    listing.seller_active_count = int(seller_active_count)  # type: ignore[attr-defined]
    listing.is_favourite = bool(is_favourite)  # type: ignore[attr-defined]
    # The category from the tree every page reads (a category newer than it is read when shown).
    if (category := category_tree().by_id(listing.category_id)) is not None:
        listing.category = category
    hidden = listing.status in (ListingStatus.DRAFT, ListingStatus.WITHDRAWN)
    if hidden and not (signed_in and viewer.pk == listing.seller_id):  # type: ignore[union-attr]
        raise Listing.DoesNotExist(listing_id)
    listing.ready_photos = [
        ListingPhoto(
            id=pk,
            listing_id=listing.pk,
            key=key,
            position=position,
            width=width,
            height=height,
            status=PhotoStatus.READY,
        )
        for pk, key, position, width, height in _json_rows(photo_rows)
    ]
    return listing  # type: ignore[return-value]


def _ready_photo_rows(listing: str) -> str:
    """SQL for the ready photos of the listing aliased `listing`, in gallery order, as a JSON array of
    [id, key, position, width, height]: read with the listing rather than by a query of their own."""
    photos = _quoted_table(ListingPhoto)
    columns = "photo.id, photo.key, photo.position, photo.width, photo.height"
    where = f"photo.listing_id = {listing}.id AND photo.status = '{PhotoStatus.READY.value}'"
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY photo.position, photo.id), '[]') "  # noqa: S608 - names, not input
            f"FROM {photos} AS photo WHERE {where}"
        )
    else:
        sql = (
            f"SELECT json_group_array(json_array(id, key, position, width, height)) FROM "  # noqa: S608 - names, not input
            f"(SELECT {columns} FROM {photos} AS photo WHERE {where} ORDER BY photo.position, photo.id)"
        )
    return sql


def _json_rows(value: object) -> list[list[Any]]:
    """A JSON array of arrays as PostgreSQL's driver returns it (decoded) or SQLite's (text)."""
    if isinstance(value, str):
        return json.loads(value)
    return list(cast(list, value or []))


def similar_listings(*, listing: Listing, limit: int = 8) -> list[Card]:
    """Other listings on sale in the same category, newest first (listing_category_newest). One
    query, written here and prepared: every listing page asks it, and the ORM's building of it, then
    its planning, cost more than running it (the same plan, the category index's, serves every
    category)."""
    sql = (
        f"{_card_select(f'{_quoted_table(Listing)} AS listing')} "
        "WHERE listing.category_id = %s AND listing.status = %s AND listing.published_at IS NOT NULL "
        "AND listing.id <> %s ORDER BY listing.published_at DESC, listing.id DESC LIMIT %s"
    )
    params = [listing.category_id, ListingStatus.ACTIVE, listing.pk, limit]
    return _raw_cards(sql, params, CARD_COLUMNS, using=Listing.objects.db, prepared="similar_listings")


def lowest_price_since(*, listing: Listing, since: datetime) -> Decimal:
    """The lowest price `listing` asked on sale from `since` until now: its price now, or one it asked
    until a moment after `since` (PastPrice, which a trigger records). One query."""
    past = PastPrice.objects.filter(listing_id=listing.pk, until__gte=since).aggregate(lowest=Min("price"))
    return listing.price if past["lowest"] is None else min(past["lowest"], listing.price)


def seller_for_storefront(username: str) -> User:
    """An active user with `active_listing_count`, their listings on sale. One query.
    Raises User.DoesNotExist."""
    if "\x00" in username:  # no username has one, and PostgreSQL refuses it in a query
        raise User.DoesNotExist(username)
    return User.objects.annotate(active_listing_count=_active_listing_count(User._meta.db_table, "id")).get(
        username=username, is_active=True
    )


STOREFRONT_STATUSES = (ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD)


def listings_for_storefront(*, seller: User, cursor: str | None, size: int = CHANNEL_PAGE_SIZE) -> Page:
    """A seller's listings on sale, reserved or sold, newest first. One query."""
    order_by = SORTS["newest"]
    queryset = Listing.objects.filter(
        seller_id=seller.pk, status__in=STOREFRONT_STATUSES, published_at__isnull=False
    )
    return paginate(queryset, order_by=order_by, cursor=cursor, size=size, read=_card_list)


def favourite_ids(*, user: User | AnonymousUser | None, listing_ids: list[int]) -> set[int]:
    """Which of these listings the user saved. One query; none for a visitor or an empty list."""
    if not _is_signed_in(user) or not listing_ids:
        return set()
    return set(
        Favourite.objects.filter(user_id=user.pk, listing_id__in=listing_ids).values_list(
            "listing_id", flat=True
        )
    )


FAVOURITE_ORDER = ("-created_at", "-id")


def favourites_for_user(*, user: User, cursor: str | None, size: int = CHANNEL_PAGE_SIZE) -> Page:
    """The user's saved listings, last saved first: a page of Favourite rows with `listing` (and its
    brand) loaded. One query. Saved listings that were withdrawn are left out."""
    queryset = (
        Favourite.objects.filter(user_id=user.pk, listing__status__in=STOREFRONT_STATUSES)
        .select_related("listing", "listing__brand")
        .defer(*(f"listing__{name}" for name in SEARCH_FIELDS))
    )
    return paginate(queryset, order_by=FAVOURITE_ORDER, cursor=cursor, size=size)


# --- A seller's own listings ---------------------------------------------------------------------------
# Unlike the channel's reads these include drafts and withdrawn listings, and every photo whatever its
# processing status. Always filtered by seller: that filter is what makes another seller's listing a 404.

OWN_ORDER = ("-created_at", "-id")  # drafts have no published_at, so creation time orders them


def listings_for_owner(*, seller: User, status: str | None = None, cursor: str | None, size: int) -> Page:
    """One page of the seller's listings in any status (or one), newest first, with category and brand.
    One query. Raises InvalidCursor."""
    queryset = (
        Listing.objects.filter(seller_id=seller.pk).defer(*SEARCH_FIELDS).select_related("category", "brand")
    )
    if status:
        queryset = queryset.filter(status=status)
    return paginate(queryset, order_by=OWN_ORDER, cursor=cursor, size=size)


def listing_for_owner(*, listing_id: int, seller: User) -> Listing:
    """The seller's listing with its category, brand, catalog model and every photo. Two queries.
    Another seller's listing raises Listing.DoesNotExist, as a missing one does."""
    return (
        Listing.objects.filter(seller_id=seller.pk)
        .defer(*SEARCH_FIELDS)
        .select_related("seller", "category", "brand", "catalog_model")
        .prefetch_related("photos")
        .get(pk=listing_id)
    )


# Reloop's stock: listings staff look after for the platform (recycled, or consigned to it).
STOCK_SOURCES = (ListingSource.PLATFORM, ListingSource.CONSIGNED)


def listing_for_video(*, listing_id: int, user: User, lock: bool = False) -> Listing:
    """A listing whose video `user` may change: their own, or, for staff (any staff role), Reloop's
    stock. One query (two for staff on the stock, whose roles are read). With `lock`, row-locked
    (caller is inside a transaction). Any other listing raises Listing.DoesNotExist, as a missing one
    does, so that pages answer 404 and reveal nothing."""
    listings = Listing.objects.defer(*SEARCH_FIELDS).select_related("category")
    if lock:
        listings = listings.select_for_update(of=("self",))
    listing = listings.get(pk=listing_id)
    if listing.seller_id == user.pk:
        return listing
    if listing.source in STOCK_SOURCES and roles_of(user):
        return listing
    raise Listing.DoesNotExist(listing_id)


@dataclass(frozen=True)
class VideoState:
    """A listing's video as its seller (or staff) sees it: the one on its page, and the newest upload
    on its way or refused, when there is one."""

    ready: ListingVideo | None
    latest: ListingVideo | None

    @property
    def polling(self) -> bool:
        """Whether the page should ask again: a video is on its way."""
        return self.latest is not None and not self.latest.is_final


def listing_video_state(*, listing_id: int) -> VideoState:
    """The listing's videos: at most one ready and one other (the upload deletes the rest). One query."""
    rows = list(ListingVideo.objects.filter(listing_id=listing_id).order_by("-id"))
    ready = next((video for video in rows if video.status == "ready"), None)
    latest = next((video for video in rows if video.status != "ready"), None)
    return VideoState(ready=ready, latest=latest)


def new_matches_count(filters: ChannelFilters, *, since: datetime, until: datetime) -> int:
    """How many listings on sale match `filters` and were published in (since, until]: what a saved
    search has not told its owner about yet. One query."""
    matching = _searched(_filtered(_on_sale(), filters), filters.q.strip(), ranked=False)
    return matching.filter(published_at__gt=since, published_at__lte=until).count()


def saved_searches_for(user: User) -> list[SavedSearch]:
    """The user's saved searches, newest first, with their categories. One query."""
    return list(
        SavedSearch.objects.filter(user=user).select_related("category").order_by("-created_at", "-id")
    )


def flash_sale_hold(*, seller_id: int) -> SellingHold | None:
    """The hold that keeps the seller's items out of flash sales, if any (no flash sales, or no
    listing at all). One query."""
    return (
        SellingHold.objects.filter(seller_id=seller_id, category__isnull=True)
        .filter(Q(kind=HoldKind.NO_FLASH_SALES) | Q(kind=HoldKind.BLOCK))
        .order_by("id")
        .first()
    )
