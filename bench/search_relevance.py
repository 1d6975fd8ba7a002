"""Search relevance benchmark: whether the channel's search finds what shoppers mean.

    .venv/bin/python bench/search_relevance.py [--queries bench/search_queries.json]
                                               [--database-url postgres://...] [--url http://127.0.0.1:8000]
                                               [--worst 10] [--verbose]
                                               [--min-precision 0.9] [--max-zero-rate 0]

Each query of the query file (bench/search_queries.json: English, Chinese, aliases, typos and pinyin,
each tagged with its `kind`) is sent to the listings API as a client sends it,
`GET /api/v1/listings/?q=...`, with `Accept-Language: zh-hans` for Chinese and pinyin queries and
`en` for the others: in this process through django.test.Client against the configured database
(DATABASE_URL, or --database-url), or with --url over HTTP to a server already running on
127.0.0.1. The first 10 results of the first page are judged against the query's `expect`:

    {"category": slug}   the listing's category has that slug, or one of its parents has
    {"brand": slug}      the listing's brand has that slug
    {"model": name}      the listing's catalog model has that name

For each query, with n the number of results on the first page:

    precision@10   matching results among the first min(10, n), divided by min(10, n);
                   0 when n = 0 (an empty answer finds nothing)
    zero result    n = 0

The figures are means over the queries, per kind and overall; precision@10 is also given over the
queries that had results only, so that an empty answer and a wrong one can be told apart.

The judging reads the database in a fixed number of queries, whatever the number of results: the
category tree, the listings on sale grouped by category, brand and model (how many each query could
find: a query whose expectation has nothing on sale is reported and left out of the figures), and the
catalog model of every result at once. The API's cards carry the category and the brand but not the
model. With --url the server must serve the database given here. In this process everything runs in
one read-only transaction that is rolled back (the benchmark never writes to the database), with a
cache of this process's own (nothing read from or written to a shared Redis).

It prints the figures beside the targets of issue 13 (precision@10 at least 0.9; no zero result for a
query that has items on sale), the queries with no result, and the worst queries with their first
results. The exit status is 0, unless --min-precision or --max-zero-rate is given and missed: then 1.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ROOT / "bench" / "search_queries.json"
HOST = "127.0.0.1"
API_PATH = "/api/v1/listings/"

KINDS = ("english", "chinese", "alias", "typo", "pinyin")
EXPECT_FIELDS = ("category", "brand", "model")
CUTOFF = 10  # precision@10
# Issue 13's targets.
TARGET_PRECISION = 0.9
TARGET_ZERO_RATE = 0.0

# The same ranges as listings.selectors.CJK_CHARACTERS: a query with any of these is Chinese text.
CJK_CHARACTERS = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    expect_field: str  # one of EXPECT_FIELDS
    expect_value: str

    @property
    def language(self) -> str:
        """The Accept-Language a shopper typing this would send."""
        chinese = self.kind in ("chinese", "pinyin") or CJK_CHARACTERS.search(self.q)
        return "zh-hans" if chinese else "en"

    @property
    def expectation(self) -> str:
        return f"{self.expect_field} {self.expect_value}"


@dataclass(frozen=True)
class Result:
    """One card of the API's answer, with what the judging needs."""

    listing_id: int
    title: str
    category_slugs: frozenset[str]  # its category and every parent
    brand: str | None
    model: str | None


@dataclass
class Outcome:
    query: Query
    on_sale: int = 0  # listings on sale that meet the expectation
    status: int = 0
    error: str = ""
    results: list[Result] = field(default_factory=list)  # the first page
    matching: list[bool] = field(default_factory=list)  # for the first min(10, n)
    milliseconds: float = 0.0

    @property
    def n(self) -> int:
        return len(self.results)

    @property
    def zero(self) -> bool:
        return self.n == 0

    @property
    def hits(self) -> int:
        return sum(self.matching)

    @property
    def judged(self) -> int:
        return min(CUTOFF, self.n)

    @property
    def precision(self) -> float:
        return self.hits / self.judged if self.judged else 0.0


# --- The query file ---------------------------------------------------------------------------------


def load_queries(path: Path) -> list[Query]:
    """The queries of the file, checked for shape; SystemExit names the first one at fault."""
    data = json.loads(path.read_text(encoding="utf-8"))
    queries = []
    for position, entry in enumerate(data["queries"], start=1):
        expect = entry.get("expect") or {}
        if entry.get("kind") not in KINDS or len(expect) != 1 or next(iter(expect)) not in EXPECT_FIELDS:
            raise SystemExit(
                f"{path}: query {position} ({entry.get('q')!r}) needs a kind among {', '.join(KINDS)} "
                f"and an expect with one of {', '.join(EXPECT_FIELDS)}."
            )
        ((expect_field, expect_value),) = expect.items()
        queries.append(
            Query(q=entry["q"], kind=entry["kind"], expect_field=expect_field, expect_value=expect_value)
        )
    return queries


# --- Asking the API ---------------------------------------------------------------------------------

# (status, JSON body or None, error text) for one query.
Answer = tuple[int, dict | None, str]


def in_process_client() -> Callable[[Query], Answer]:
    from django.db import transaction
    from django.test import Client

    def ask(query: Query) -> Answer:
        # A client per query: one that failed keeps the failure and would raise it again.
        client = Client(HTTP_HOST=HOST)
        try:
            # A savepoint: a request that fails leaves the benchmark's transaction usable.
            with transaction.atomic():
                response = client.get(API_PATH, {"q": query.q}, HTTP_ACCEPT_LANGUAGE=query.language)
        except Exception as error:  # what a server answers with a 500: reported, and the run goes on
            cause: BaseException = error
            while cause.__context__ is not None:  # the view's own error, if the error page failed too
                cause = cause.__context__
            return 500, None, f"{type(cause).__name__}: {cause}"
        if response.status_code != 200:
            return response.status_code, None, response.content[:200].decode(errors="replace")
        return 200, response.json(), ""

    return ask


def http_client(base: str) -> Callable[[Query], Answer]:
    def ask(query: Query) -> Answer:
        url = f"{base}{API_PATH}?{urllib.parse.urlencode({'q': query.q})}"
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "Accept-Language": query.language}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read()), ""
        except urllib.error.HTTPError as error:
            return error.code, None, error.read()[:200].decode(errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            return 0, None, str(error)

    return ask


# --- Judging ----------------------------------------------------------------------------------------


@dataclass
class Catalog:
    """What the judging reads from the database: three queries in all."""

    slugs_by_category_id: dict[int, frozenset[str]]  # a category's slug and its parents' slugs
    category_id_by_slug: dict[str, int]
    # (category id, brand slug, model name) -> listings on sale with them
    on_sale: dict[tuple[int, str | None, str | None], int]

    @classmethod
    def load(cls) -> "Catalog":
        from django.db.models import Count

        from listings.models import Category, Listing, ListingStatus

        rows = list(Category.objects.values_list("pk", "slug", "parent_id"))
        parent = {pk: parent_id for pk, _slug, parent_id in rows}
        slug = {pk: category_slug for pk, category_slug, _parent in rows}
        lineage: dict[int, frozenset[str]] = {}
        for pk in parent:
            slugs, current, seen = set(), pk, set()
            while current is not None and current not in seen:  # `seen`: a cycle made by hand ends here
                seen.add(current)
                slugs.add(slug[current])
                current = parent[current]
            lineage[pk] = frozenset(slugs)
        groups = (
            Listing.objects.filter(status=ListingStatus.ACTIVE, published_at__isnull=False)
            .values("category_id", "brand__slug", "catalog_model__name")
            .annotate(n=Count("pk"))
            .order_by()
        )
        on_sale: dict[tuple[int, str | None, str | None], int] = {
            (g["category_id"], g["brand__slug"], g["catalog_model__name"]): g["n"] for g in groups
        }
        return cls(
            slugs_by_category_id=lineage,
            category_id_by_slug={category_slug: pk for pk, category_slug in slug.items()},
            on_sale=on_sale,
        )

    def category_slugs(self, category: object) -> frozenset[str]:
        """The card's category (an object with an id or a slug, an id, or a slug) and its parents."""
        if isinstance(category, dict):
            category = category.get("id", category.get("slug"))
        if isinstance(category, str):
            category = self.category_id_by_slug.get(category)
        if isinstance(category, int):
            return self.slugs_by_category_id.get(category, frozenset())
        return frozenset()

    def count_on_sale(self, query: Query) -> int:
        return sum(
            n
            for (category_id, brand, model), n in self.on_sale.items()
            if meets(query, self.slugs_by_category_id.get(category_id, frozenset()), brand, model)
        )


def meets(query: Query, category_slugs: Iterable[str], brand: str | None, model: str | None) -> bool:
    if query.expect_field == "category":
        return query.expect_value in category_slugs
    if query.expect_field == "brand":
        return brand == query.expect_value
    return model == query.expect_value


def models_of(listing_ids: set[int]) -> dict[int, str | None]:
    """Each listing's catalog model name, in one query (the cards do not carry it)."""
    from listings.models import Listing

    return dict(Listing.objects.filter(pk__in=listing_ids).values_list("pk", "catalog_model__name"))


def run(outcomes: list[Outcome], ask: Callable[[Query], Answer], catalog: Catalog) -> None:
    """Ask the API each outcome's query, then judge the first page of each."""
    cards: list[list[dict]] = []
    for outcome in outcomes:
        started = time.perf_counter()
        outcome.status, body, outcome.error = ask(outcome.query)
        outcome.milliseconds = (time.perf_counter() - started) * 1000
        cards.append(list((body or {}).get("results") or []))
    models = models_of({card["id"] for page in cards for card in page})
    for outcome, page in zip(outcomes, cards, strict=True):
        outcome.results = [
            Result(
                listing_id=card["id"],
                title=card.get("title", ""),
                category_slugs=catalog.category_slugs(card.get("category")),
                brand=(card.get("brand") or {}).get("slug"),
                model=models.get(card["id"]),
            )
            for card in page
        ]
        outcome.matching = [
            meets(outcome.query, result.category_slugs, result.brand, result.model)
            for result in outcome.results[:CUTOFF]
        ]


# --- Report -----------------------------------------------------------------------------------------


@dataclass
class Figures:
    queries: int
    precision: float  # mean precision@10, an empty answer counting 0
    precision_answered: float | None  # the same over the queries that had results
    zero: int

    @property
    def zero_rate(self) -> float:
        return self.zero / self.queries if self.queries else 0.0

    @classmethod
    def of(cls, outcomes: list[Outcome]) -> "Figures":
        answered = [o.precision for o in outcomes if not o.zero]
        return cls(
            queries=len(outcomes),
            precision=statistics.fmean(o.precision for o in outcomes) if outcomes else 0.0,
            precision_answered=statistics.fmean(answered) if answered else None,
            zero=sum(o.zero for o in outcomes),
        )


def _width(text: str) -> int:
    """Columns a terminal gives `text`: two for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _cell(text: str, width: int) -> str:
    """`text` cut to `width` columns (with … when cut) and padded to them."""
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def describe(outcome: Outcome) -> str:
    query = outcome.query
    if outcome.status != 200:
        found = f"error {outcome.status or ''}".strip()
    elif outcome.zero:
        found = "no result"
    else:
        found = f"{outcome.hits}/{outcome.judged} of {outcome.n}"
    return (
        f"{outcome.precision:>5.2f}  {found:<12} {outcome.on_sale:>7}  {query.kind:<8} "
        f"{_cell(query.q, 22)} {_cell(query.expectation, 44).rstrip()}"
    )


def first_results(outcome: Outcome, count: int = 3) -> str:
    shown = []
    for result, matching in zip(outcome.results[:count], outcome.matching, strict=False):
        shown.append(f"{'+' if matching else '-'} {_cell(result.title, 48).rstrip()}")
    return "; ".join(shown)


def report(
    outcomes: list[Outcome], *, skipped: list[Outcome], worst: int, verbose: bool, source: str, seconds: float
) -> Figures:
    overall = Figures.of(outcomes)
    timings = [o.milliseconds for o in outcomes]
    print(
        f"{len(outcomes)} queries through {source} in {seconds:.1f} s"
        + (
            f" ({statistics.median(timings):.0f} ms median, {max(timings):.0f} ms max a query)"
            if timings
            else ""
        )
        + "."
    )
    print(
        f"precision@{CUTOFF}: matching results among the first min({CUTOFF}, n), n = results on the first "
        'page; an empty answer counts 0 ("answered": the mean over queries that had results).'
    )
    print()
    header = f"{'kind':<9} {'queries':>7} {'precision@10':>12} {'answered':>9} {'zero results':>13}"
    print(header)
    print("-" * len(header))
    for name, figures in [
        *((kind, Figures.of([o for o in outcomes if o.query.kind == kind])) for kind in KINDS),
        ("overall", overall),
    ]:
        if name == "overall":
            print("-" * len(header))
        answered = "—" if figures.precision_answered is None else f"{figures.precision_answered:.2f}"
        zero_results = f"{figures.zero} ({figures.zero_rate:.0%})"
        print(f"{name:<9} {figures.queries:>7} {figures.precision:>12.2f} {answered:>9} {zero_results:>13}")
    print()
    precision_met = overall.precision >= TARGET_PRECISION
    zero_met = overall.zero_rate <= TARGET_ZERO_RATE
    print(
        f"Targets (issue 13): precision@{CUTOFF} ≥ {TARGET_PRECISION}: {'met' if precision_met else 'MISSED'} "
        f"({overall.precision:.2f}); no zero result for a query with items on sale: "
        f"{'met' if zero_met else 'MISSED'} ({overall.zero} of {overall.queries})."
    )

    columns = f"{'p@10':>5}  {'matching':<12} {'on sale':>7}  {'kind':<8} {'query':<22} expected"
    empty = [o for o in outcomes if o.zero]
    if empty:
        print()
        print(f"No result ({len(empty)}): " + " · ".join(o.query.q for o in empty))
    # Worst first; among equals a wrong answer before an empty one (it hides that nothing was found),
    # then the query that had the most on sale to find.
    ranked = sorted(outcomes, key=lambda o: (o.precision, o.zero, -o.on_sale))
    if worst:
        print()
        print(f"The {min(worst, len(ranked))} worst queries (+ matches, - does not):")
        print(columns)
        for outcome in ranked[:worst]:
            print(describe(outcome))
            if outcome.results:
                print(f"{'':>7}{first_results(outcome)}")
    if verbose:
        print()
        print("Every query:")
        print(columns)
        for outcome in outcomes:
            print(describe(outcome))
    if skipped:
        print()
        print(
            f"Left out, nothing on sale meets their expectation ({len(skipped)}): "
            + " · ".join(f"{o.query.q} ({o.query.expectation})" for o in skipped)
        )
    return overall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="The query file (JSON).")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="The database searched (in this process) and judged against; default: DATABASE_URL.",
    )
    parser.add_argument(
        "--url", help="Ask a running server instead, e.g. http://127.0.0.1:8000 (127.0.0.1 only)."
    )
    parser.add_argument("--worst", type=int, default=10, help="How many of the worst queries to list.")
    parser.add_argument("--verbose", action="store_true", help="Also list every query's figures.")
    parser.add_argument(
        "--min-precision",
        type=float,
        help=f"Exit 1 if the overall precision@{CUTOFF} is below this (issue 13: {TARGET_PRECISION}).",
    )
    parser.add_argument(
        "--max-zero-rate",
        type=float,
        help=f"Exit 1 if the share of queries with no result is above this, 0 to 1 (issue 13: {TARGET_ZERO_RATE:g}).",
    )
    args = parser.parse_args()
    base = None
    if args.url:
        parts = urllib.parse.urlparse(args.url)
        if parts.scheme not in ("http", "https") or parts.hostname != HOST:
            raise SystemExit(f"--url must be a server on {HOST}, e.g. http://{HOST}:8000.")
        base = f"{parts.scheme}://{parts.netloc}"
    queries = load_queries(args.queries)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    # This process's own cache: a shared Redis may hold another database's category tree.
    os.environ["CACHE_URL"] = "locmemcache://"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction

    database = connection.settings_dict["NAME"]
    print(f"Database {database} ({connection.vendor}); queries from {args.queries}.")
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        catalog = Catalog.load()
        outcomes = [Outcome(query=query, on_sale=catalog.count_on_sale(query)) for query in queries]
        # Only queries that could find something are measured; the others are named at the end.
        skipped = [outcome for outcome in outcomes if not outcome.on_sale]
        outcomes = [outcome for outcome in outcomes if outcome.on_sale]
        run(outcomes, http_client(base) if base else in_process_client(), catalog)
        transaction.set_rollback(True)
    source = f"{base}{API_PATH}" if base else f"{API_PATH} in this process (django.test.Client)"
    overall = report(
        outcomes,
        skipped=skipped,
        worst=args.worst,
        verbose=args.verbose,
        source=source,
        seconds=time.perf_counter() - started,
    )
    errors = [o for o in outcomes if o.status != 200]
    if errors:
        print()
        print(f"{len(errors)} queries were not answered with 200 (counted as no result):")
        for outcome in errors:
            print(
                f"  {outcome.query.q}: {outcome.status or 'no answer'} {_cell(outcome.error, 100).rstrip()}"
            )

    missed = []
    if args.min_precision is not None and overall.precision < args.min_precision:
        missed.append(f"precision@{CUTOFF} {overall.precision:.2f} < {args.min_precision}")
    if args.max_zero_rate is not None and overall.zero_rate > args.max_zero_rate:
        missed.append(f"zero-result rate {overall.zero_rate:.2f} > {args.max_zero_rate}")
    if missed:
        print()
        print("MISSED: " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
