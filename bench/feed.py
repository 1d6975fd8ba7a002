"""Feed benchmark: does item-to-item similarity learned from signals find what simulated shoppers go
on to want, and how long does learning it take? With a database, how long the neighbour job takes,
and how fast the for-you page is.

    .venv/bin/python bench/feed.py [--items 100000] [--shoppers 100000] [--signals-each 20]
                                   [--evaluate 5000] [--seed 1]
                                   [--database-url postgres://... [--page [--duration 10] [--profile]]]

Simulated shoppers with planted preferences: items fall into `--clusters` tastes (a kind of camera,
a brand of bag), popular or obscure within them (Zipf); each shopper has two tastes, and 85 % of
their signals (views, favourites, offers, purchases, each with its weight) fall on those, the rest
on what is popular everywhere. Each shopper's next favourite or purchase is drawn the same way and
held out. For `--evaluate` shoppers, the 20 items most like their history (feed.similarity) and the 20
most popular items they have not touched (the baseline) are checked against it: hit rate@20.

Prints the figures; the targets are: hit rate at least 2x the baseline's, and learning from 100k
items and 2M signals within 60 s. No database, no network.

With `--database-url postgres://postgres@127.0.0.1:5432/reloop_bench` it also prepares that
database as bench/browse.py does (created if missing, migrated, topped up to --items listings),
writes the simulated signals into it and times the neighbour job on them. With `--page` as well, it
then measures the for-you page (/for-you/) at those listings, with those signals and the neighbours
the job wrote (the two tables ANALYZEd first, as autovacuum would soon after writes that size), for
three readers, each with a session of their own made in-process:

    visitor               signed out, no history yet: the fresh items ranked by their popularity
    visitor with history  signed out, HISTORY signals in their session (those of simulated shoppers)
    shopper               signed in, HISTORY signals of their own: the neighbours, then fresh items

For each it counts the SQL queries of one request made in-process (django.test.Client with the
reader's cookie, caches warm, as under load) and times such requests, then starts gunicorn as
bench/browse.py does (2 sync workers, DEBUG off, Redis) and loads /for-you/ with the reader's session
cookie for --duration seconds (wrk, or its Python client), twice (LOADS): "first pages", where every
fifth request starts over (`?again=1`), and "deep", where every request is the next page, so that
each leaves out the SHOWN_MAX items shown before it. The signals, the neighbours and the readers are
removed at the end. Targets: at most 5 queries and at least 200 requests/s.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browse import (
    HOST,
    Load,
    ensure_database,
    find_wrk,
    free_port,
    gunicorn,
    load_with_python,
    load_with_wrk,
    prepare,
    redis_url,
    server_env,
    trim_profile,
)

from feed.similarity import interest_matrix, item_neighbours, recommend

# What each kind of signal weighs, as feed.signals will record them: a view, a favourite, an offer,
# a purchase.
WEIGHTS = np.array([1.0, 3.0, 4.0, 5.0], dtype=np.float32)
KIND_SHARES = [0.7, 0.2, 0.05, 0.05]
OWN_TASTE = 0.85
TOP = 20


def simulate(args, rng: np.random.Generator):
    """Signals (shopper, item, weight) and one held-out item per shopper."""
    taste_of = rng.integers(0, args.clusters, args.items)
    by_taste = np.argsort(taste_of, kind="stable")  # items grouped by taste
    sizes = np.bincount(taste_of, minlength=args.clusters)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    # Within a taste, and over everything, a few items draw most of the interest.
    everywhere = rng.permutation(args.items)
    popularity = 1.0 / np.arange(1, args.items + 1) ** 0.8
    popularity /= popularity.sum()
    likes = np.stack(
        [rng.integers(0, args.clusters, args.shoppers), rng.integers(0, args.clusters, args.shoppers)],
        axis=1,
    )

    def draw(shoppers: np.ndarray) -> np.ndarray:
        own = rng.random(shoppers.size) < OWN_TASTE
        taste = likes[shoppers, rng.integers(0, 2, shoppers.size)]
        rank = np.minimum(rng.zipf(1.3, shoppers.size) - 1, sizes[taste] - 1)
        picked = by_taste[starts[taste] + rank]
        anywhere = everywhere[rng.choice(args.items, shoppers.size, p=popularity)]
        return np.where(own, picked, anywhere)

    shoppers = np.repeat(np.arange(args.shoppers), args.signals_each)
    items = draw(shoppers)
    weights = WEIGHTS[rng.choice(len(WEIGHTS), shoppers.size, p=KIND_SHARES)]
    held_out = draw(np.arange(args.shoppers))
    return shoppers, items, weights, held_out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument("--signals-each", type=int, default=20)
    parser.add_argument("--clusters", type=int, default=500)
    parser.add_argument("--neighbours", type=int, default=50)
    parser.add_argument("--evaluate", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="Also time the neighbour job against this PostgreSQL database (one bench/browse.py seeded): "
        "its listings take the simulated items' places, the signals are written into it (COPY), and "
        "feed.services.neighbours_rebuild reads them, learns and writes the neighbours.",
    )
    parser.add_argument(
        "--page",
        action="store_true",
        help="Then measure /for-you/ served by gunicorn on that database (needs --database-url).",
    )
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per reader.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--renders", type=int, default=20, help="In-process renders timed per reader.")
    parser.add_argument("--profile", action="store_true", help="Print a cProfile summary of those renders.")
    parser.add_argument(
        "--python-client", action="store_true", help="Use the Python client even if wrk exists."
    )
    args = parser.parse_args()
    if args.page and not args.database_url:
        raise SystemExit("--page measures the page on a database: pass --database-url postgres://...")
    rng = np.random.default_rng(args.seed)

    began = time.perf_counter()
    shoppers, items, weights, held_out = simulate(args, rng)
    print(
        f"Simulated {shoppers.size:,} signals of {args.shoppers:,} shoppers on {args.items:,} items "
        f"in {time.perf_counter() - began:.1f} s."
    )

    began = time.perf_counter()
    interest = interest_matrix(shoppers, items, weights, n_shoppers=args.shoppers, n_items=args.items)
    neighbours = item_neighbours(interest, k=args.neighbours)
    learned = time.perf_counter() - began
    print(f"Learned item-to-item similarity in {learned:.1f} s ({neighbours.matrix.nnz:,} neighbour pairs).")

    counts = np.bincount(items, minlength=args.items)
    popular = np.argsort(-counts, kind="stable")[: TOP + args.signals_each]  # enough past any history
    similar_hits = popular_hits = 0
    evaluated = rng.choice(args.shoppers, min(args.evaluate, args.shoppers), replace=False)
    for shopper in evaluated:
        row = interest.getrow(shopper)
        history = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        wanted = int(held_out[shopper])
        if wanted in history:
            continue  # already seen: not a discovery either way
        ranked = [item for item, _score in recommend(neighbours, history, count=TOP)]
        similar_hits += wanted in ranked
        baseline = [item for item in popular.tolist() if item not in history][:TOP]
        popular_hits += wanted in baseline
    shown = len(evaluated)
    similar_rate, popular_rate = similar_hits / shown, popular_hits / shown
    print()
    print(f"{'':32}{'hit rate@20':>12}")
    print(f"{'item-to-item similarity':32}{similar_rate:>12.3f}")
    print(f"{'popularity (baseline)':32}{popular_rate:>12.3f}")
    ratio = similar_rate / popular_rate if popular_rate else float("inf")
    print(
        f"\nSimilarity finds {ratio:.1f}x what popularity finds (target ≥ 2x); "
        f"learning took {learned:.1f} s (target ≤ 60 s for 100k items and 2M signals)."
    )

    if args.database_url:
        with_database(args, shoppers, items, weights)


def with_database(args, shoppers: np.ndarray, items: np.ndarray, weights: np.ndarray) -> None:
    """Prepare the database as bench/browse.py does, write the signals there, time the neighbour
    job, and with --page measure the feed's page; then remove the signals and neighbours."""
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "The job and the page are measured on PostgreSQL: pass --database-url postgres://..."
        )
    print()
    ensure_database(args.database_url)
    cache_url = redis_url()
    env = server_env(args.database_url, cache_url)
    os.environ.update(env)
    print(
        f"Database {args.database_url}; cache: {'Redis ' + cache_url if cache_url else 'file-based (no Redis)'}."
    )
    prepare(env, args.items)  # also sets Django up in this process
    listing_ids = signals_write(shoppers, items, weights)
    if listing_ids is None:
        return
    try:
        time_the_job()
        if args.page:
            measure_page(args, env, items=items, weights=weights, listing_ids=listing_ids)
    finally:
        signals_remove()


KINDS_BY_WEIGHT = {1.0: "view", 3.0: "favourite", 4.0: "offer", 5.0: "purchase"}
SESSION_PREFIX = "bench-"


def signals_write(shoppers: np.ndarray, items: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
    """Write the simulated signals into the database (visitors' sessions, on its listings); the
    listing id of each simulated item, or None when the database has too few listings."""
    from django.db import connection
    from django.utils import timezone

    from feed.models import InterestSignal
    from listings.models import Listing

    listing_ids = np.asarray(Listing.objects.order_by("pk").values_list("pk", flat=True)[: items.max() + 1])
    if listing_ids.size <= items.max():
        print(
            f"\nThe database has {listing_ids.size:,} listings, fewer than the {items.max() + 1:,} items: seed it first."
        )
        return None
    at = timezone.now().isoformat()
    rows = io.StringIO()
    for shopper, item, weight in zip(shoppers.tolist(), items.tolist(), weights.tolist(), strict=True):
        rows.write(
            f"{SESSION_PREFIX}{shopper}\t{listing_ids[item]}\t{KINDS_BY_WEIGHT[float(weight)]}\t{at}\n"
        )
    rows.seek(0)
    signals_remove()
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_from(
            rows, InterestSignal._meta.db_table, columns=("session_key", "listing_id", "kind", "at")
        )
    print(f"\nWrote {shoppers.size:,} signals into the database in {time.perf_counter() - began:.1f} s.")
    return listing_ids


def signals_remove() -> None:
    from feed.models import InterestSignal, ItemNeighbour

    InterestSignal.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    ItemNeighbour.objects.all().delete()


def time_the_job() -> None:
    """Time the nightly neighbour job on the signals in the database."""
    from feed.services import neighbours_rebuild

    began = time.perf_counter()
    written = neighbours_rebuild()
    took = time.perf_counter() - began
    print(
        f"The neighbour job (read, learn, write) took {took:.1f} s and wrote {written:,} neighbours "
        f"(target ≤ 60 s for 100k items and 2M signals)."
    )


# --- The feed's page --------------------------------------------------------------------------------

PAGE_PATH = "/for-you/"
MAX_QUERIES = 5
MIN_REQUESTS_PER_SECOND = 200
SHOPPER_USERNAME = "bench-feed-shopper"
# How the load reads a reader's feed. "first pages": every fifth request starts over (`?again=1`),
# so the page leaves out at most the few dozen items shown just before, as for someone who opens the
# feed and scrolls a little. "deep": every request is the next page, so within the first second
# each leaves out the SHOWN_MAX items shown before, as for someone fifty pages down.
LOADS = {
    "first pages": [f"{PAGE_PATH}?again=1", PAGE_PATH, PAGE_PATH, PAGE_PATH, PAGE_PATH],
    "deep": [PAGE_PATH],
}


@dataclass
class Reader:
    """One reader of the feed: their session, and what was measured on their page."""

    name: str
    client: object  # django.test.Client holding the reader's session
    cookie: str = ""
    status: int = 0
    queries: list[str] = field(default_factory=list)
    render_ms: float = 0.0
    loads: dict[str, Load] = field(default_factory=dict)


def make_readers(*, items: np.ndarray, weights: np.ndarray, listing_ids: np.ndarray) -> list[Reader]:
    """A visitor with no history, a visitor with a history in their session, and a signed-in shopper
    with a history of their own. Each history is HISTORY simulated signals (of a few simulated
    shoppers, so a few tastes), the latest an hour old and each one an hour older."""
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from feed.models import InterestSignal
    from feed.ranking import HISTORY
    from feed.views import HAS_HISTORY

    def history(start: int, **who) -> None:
        now = timezone.now()
        InterestSignal.objects.bulk_create(
            InterestSignal(
                listing_id=int(listing_ids[item]),
                kind=KINDS_BY_WEIGHT[float(weight)],
                at=now - timedelta(hours=1 + n),
                **who,
            )
            for n, (item, weight) in enumerate(
                zip(
                    items[start : start + HISTORY].tolist(),
                    weights[start : start + HISTORY].tolist(),
                    strict=True,
                )
            )
        )

    readers_remove()  # a run stopped before its end leaves its shopper
    shopper = User.objects.create(
        username=SHOPPER_USERNAME,
        email=f"{SHOPPER_USERNAME}@bench.reloop.invalid",
        email_confirmed_at=timezone.now(),
    )
    readers = [
        Reader(name, Client(HTTP_HOST=HOST)) for name in ("visitor", "visitor with history", "shopper")
    ]
    for reader in readers:
        if reader.name == "shopper":
            reader.client.force_login(shopper)
            history(0, user=shopper)
        reader.client.get(PAGE_PATH)  # a visitor's session is made by their first page
        reader.cookie = reader.client.cookies[settings.SESSION_COOKIE_NAME].value
        if reader.name == "visitor with history":
            history(HISTORY, session_key=reader.cookie)
            session = reader.client.session  # as the item pages' beacon marks it (feed.views.seen)
            session[HAS_HISTORY] = True
            session.save()
    return readers


def readers_remove(readers: Sequence[Reader] = ()) -> None:
    """The shopper (their signals go with them) and the visitors' signals."""
    from accounts.models import User
    from feed.models import InterestSignal

    User.objects.filter(username=SHOPPER_USERNAME).delete()
    InterestSignal.objects.filter(
        user__isnull=True, session_key__in=[reader.cookie for reader in readers if reader.cookie]
    ).delete()


def measure_in_process(reader: Reader, *, renders: int, profile: bool) -> None:
    """The queries of one request and the median time of `renders` requests, for a reader deep in
    their feed (SHOWN_MAX items left out) with their caches warm, as under load: the session, what
    they were shown, the personalisation choice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from feed.ranking import PAGE, SHOWN_MAX

    for _page in range(SHOWN_MAX // PAGE):
        reader.client.get(PAGE_PATH)
    with CaptureQueriesContext(connection) as captured:
        response = reader.client.get(PAGE_PATH)
    reader.status = response.status_code
    reader.queries = [query["sql"] for query in captured.captured_queries]
    timings = []
    for _render in range(renders):
        started = time.perf_counter()
        reader.client.get(PAGE_PATH)
        timings.append((time.perf_counter() - started) * 1000)
    reader.render_ms = statistics.median(timings)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _render in range(renders):
            reader.client.get(PAGE_PATH)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print(f"\n--- profile: {reader.name}, {renders} renders, by own time ---")
        print(trim_profile(out.getvalue()))


def measure_page(
    args, env: dict[str, str], *, items: np.ndarray, weights: np.ndarray, listing_ids: np.ndarray
) -> None:
    """Make the readers, count and time their page in-process, then load it through gunicorn: each
    reader with each of LOADS for args.duration seconds."""
    from django.conf import settings
    from django.db import connection, connections

    from feed.models import InterestSignal, ItemNeighbour

    # The statistics autovacuum gathers within a minute or so of writes this size. Without them the
    # planner takes the two tables for what they were before the signals and neighbours were written.
    with connection.cursor() as cursor:
        for model in (InterestSignal, ItemNeighbour):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    wrk = find_wrk(python_client=args.python_client)
    readers: list[Reader] = []
    try:
        readers = make_readers(items=items, weights=weights, listing_ids=listing_ids)
        for reader in readers:
            measure_in_process(reader, renders=args.renders, profile=args.profile)
        connections.close_all()

        port = free_port()
        base = f"http://{HOST}:{port}"
        print(f"\nLoading {PAGE_PATH} through gunicorn, {args.duration} s per reader and load:")
        load_before = os.getloadavg()[0]
        with gunicorn(env, port, args.workers):
            for reader in readers:
                headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={reader.cookie}"}
                # Both workers answer the reader's page before the clock starts (templates compiled,
                # the session and the popularity of what they are shown in the cache).
                for _request in range(4 * args.workers):
                    with urllib.request.urlopen(
                        urllib.request.Request(base + PAGE_PATH, headers=headers), timeout=30
                    ) as response:
                        response.read()
                for load_name, paths in LOADS.items():
                    if wrk:
                        figures = load_with_wrk(
                            wrk,
                            base,
                            paths,
                            duration=args.duration,
                            connections=args.connections,
                            threads=args.threads,
                            headers=headers,
                        )
                    else:
                        figures = load_with_python(
                            base, paths, duration=args.duration, connections=args.connections, headers=headers
                        )
                    load = Load(figures["rps"], figures["p50"], figures["p99"], figures["errors"])
                    reader.loads[load_name] = load
                    print(f"  {reader.name}, {load_name}: {load.requests_per_second:.0f} req/s")
        load_after = os.getloadavg()[0]
    finally:
        readers_remove(readers)
    report_page(
        readers,
        args,
        client=f"wrk -t{args.threads}" if wrk else "the Python client",
        machine=f"{os.cpu_count()} cores, load average (1 min) {load_before:.2f} before, {load_after:.2f} after",
    )


def report_page(readers: list[Reader], args, *, client: str, machine: str) -> None:
    print()
    print(
        f"{PAGE_PATH} at {args.items:,} listings: {client}, {args.connections} connections, {args.duration} s"
        f" per reader and load, against {args.workers} sync gunicorn workers; one session per reader."
    )
    print(f"  {'machine:':<13} {machine} (what else runs takes its share).")
    print(f"  {'first pages:':<13} every fifth request starts over (?again=1), the others are the next page.")
    print(f"  {'deep:':<13} every request the next page: each leaves out the last 600 items shown.")
    print("  queries and render ms: one request in-process, deep, caches warm.")
    print()
    groups = f"{'reader':<22} {'queries':>7} {'render ms':>9}" + "".join(
        f" {('-- ' + name + ' ').ljust(30, '-')}" for name in LOADS
    )
    columns = (
        f"{'':<22} {'':>7} {'':>9}"
        + "".join(f" {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}" for _name in LOADS)
        + "  target"
    )
    rows = []
    for reader in readers:
        figures = ""
        verdicts = []
        for name in LOADS:
            load = reader.loads.get(name, Load())
            figures += (
                f" {load.requests_per_second:>7.1f} {load.p50_ms:>7.1f} {load.p99_ms:>7.1f} {load.errors:>6}"
            )
            met = (
                len(reader.queries) <= MAX_QUERIES
                and load.requests_per_second >= MIN_REQUESTS_PER_SECOND
                and load.errors == 0
                and reader.status == 200
            )
            verdicts.append(f"{'met' if met else 'MISSED'} {name}")
        rows.append(
            f"{reader.name:<22} {len(reader.queries):>7} {reader.render_ms:>9.1f}{figures}"
            f"  ≤{MAX_QUERIES} queries, ≥{MIN_REQUESTS_PER_SECOND} req/s: {', '.join(verdicts)}"
        )
    print(groups)
    print(columns)
    print("-" * max(len(row) for row in [columns, *rows]))
    print("\n".join(rows))
    for reader in readers:
        print(f"\n{reader.name}'s queries:")
        for sql in reader.queries:
            print(f"  {sql[:150]}{'…' if len(sql) > 150 else ''}")


if __name__ == "__main__":
    main()
