"""Browse benchmark: how fast the channel's pages are with many listings, and how many queries each makes.

    .venv/bin/python bench/browse.py [--listings 100000] [--database-url postgres://...] [--duration 10]
                                     [--passes warm,uncached] [--detail-listings 2000]

It prepares a PostgreSQL database (created if missing, migrated, topped up to --listings with
`manage.py seed_bench`), starts gunicorn (2 sync workers, DEBUG off) on a free port of 127.0.0.1,
and loads seven pages from a second process, `wrk` (or a small Python client when wrk is not
installed), for a fixed time each:

    home · the first and the last page of the largest category · a search · that category with
    filters and words · the listings API · a listing

It does so in two passes, each with its own gunicorn:

    warm      the configured cache (Redis when it answers). Each page is loaded once before the
              load starts, so the category, search and home figures are cache hits: wrk asks for
              the same URL again and again.
    uncached  CACHE_URL=dummycache://: nothing is cached, so every request runs all its queries and
              renders the whole page.

The detail load rotates over --detail-listings different listings (wrk with a Lua script, or the
Python client, going round them in turn); before the warm pass each of them is loaded once, so the
warm detail figure is many different cached pages, not one.

Before that it renders each page in this process through django.test.Client to count its SQL
queries, cold (empty cache) and warm (as served under load), and to time renders (--profile prints
where that time goes). The figures are printed as a table beside the targets. Traffic goes only to
127.0.0.1; gunicorn is stopped at the end of each pass.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reloop_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
CACHE_PREFIX = "reloop-bench"

PASSES = ("warm", "uncached")
# The cache each pass runs gunicorn with: "" leaves the settings' choice (Redis, else files).
PASS_CACHE_URL = {"warm": "", "uncached": "dummycache://"}

MAX_QUERIES = 5
# Requests per second each page should reach on a 2-core machine (None: no target).
RPS_TARGETS = {
    "home": None,
    "category": 350,
    "category, last page": 350,
    "search": 200,
    "filters": 150,
    "listings API": 150,
    "detail": 400,
}
FILTERS = {"grade": ["A", "B"], "price_min": "500", "price_max": "5000", "inspected": "1", "q": "apple"}


@dataclass
class Load:
    """What one pass of load measured on one page."""

    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0


@dataclass
class Page:
    name: str
    path: str
    # Paths the load goes round in turn instead of `path` alone (the detail page: many listings).
    rotation: list[str] = field(default_factory=list)
    queries_cold: int = 0
    queries_warm: int = 0
    cold_ms: float = 0.0
    warm_ms: float = 0.0
    status: int = 0
    loads: dict[str, Load] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return self.rotation or [self.path]


# --- Preparing the database -------------------------------------------------------------------------


def admin_connection(url: str):
    """A connection in autocommit to the `postgres` database of the server `url` names, for creating
    and dropping databases."""
    import psycopg2

    parts = urllib.parse.urlparse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        host=parts.hostname or HOST,
        port=parts.port or 5432,
    )
    admin.autocommit = True
    return admin


def ensure_database(url: str) -> None:
    from psycopg2 import sql

    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating database {name}.")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def redis_url(prefix: str = CACHE_PREFIX) -> str | None:
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
        # Pages cached by an earlier run over other data must not be served as this run's.
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    except Exception:  # any failure means: run without Redis
        return None
    return url


def server_env(database_url: str, cache_url: str | None) -> dict[str, str]:
    """The environment gunicorn (and this process, to render in-process) runs the site with: DEBUG
    off, the benchmark's database, Redis when `cache_url` names it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SERVE_MEDIA": "False",
        "VAR_DIR": str(ROOT / "var" / "bench"),
        "CACHE_KEY_PREFIX": CACHE_PREFIX,
        # Empty: the settings choose (Redis when it answers); the uncached pass sets its own.
        "CACHE_URL": "",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": cache_url or "",
        # DEBUG is off, where the site refuses the development secrets: secrets for this run, unless set.
        **{
            secret: os.environ.get(secret) or secrets.token_urlsafe(50)
            for secret in ("SECRET_KEY", "CARRIER_WEBHOOK_SECRET", "PAYMENT_WEBHOOK_SECRET")
        },
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PYTHON), str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def prepare(env: dict[str, str], listings: int) -> None:
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    import django
    from django.db import connections

    django.setup()
    from listings.models import Listing

    existing = Listing.objects.count()
    connections.close_all()
    if existing < listings:
        print(f"Seeding {listings - existing:,} listings (the database has {existing:,}).")
        manage(env, "seed_bench", "--listings", str(listings - existing))
    else:
        print(f"The database already has {existing:,} listings.")


# --- Choosing the pages -----------------------------------------------------------------------------


def choose_pages(query: str, *, detail_listings: int) -> list[Page]:
    """The seven pages, found from the data: the largest top-level category, the cursor of its last
    page (computed from the rows, as the pager would reach it after hundreds of clicks), a listing,
    and `detail_listings` listings spread evenly over all those on sale for the detail load."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from listings.models import Category, Listing, ListingStatus
    from listings.selectors import CHANNEL_PAGE_SIZE, SORTS, category_tree
    from marketplace.keyset import encode_cursor

    tree = category_tree()
    on_sale = Q(listings__status=ListingStatus.ACTIVE)
    counts = dict(
        Category.objects.filter(on_sale).annotate(n=Count("listings", filter=on_sale)).values_list("pk", "n")
    )
    totals = {root.pk: sum(counts.get(pk, 0) for pk in tree.descendant_ids(root)) for root in tree.roots}
    largest = max(tree.roots, key=lambda root: totals[root.pk])

    in_largest = Listing.objects.filter(
        status=ListingStatus.ACTIVE, category_id__in=tree.descendant_ids(largest)
    )
    total = totals[largest.pk]
    last_page_size = total % CHANNEL_PAGE_SIZE or CHANNEL_PAGE_SIZE
    order = SORTS["newest"]
    # The row just before the last page: the pager's "next" cursor on the page before it.
    before_last = in_largest.order_by(*order).values_list("published_at", "id")[total - last_page_size - 1]
    cursor = encode_cursor(list(before_last))

    listing = (
        Listing.objects.filter(status=ListingStatus.ACTIVE)
        .exclude(cover_key="")
        .order_by("-published_at", "-id")
        .first()
        or Listing.objects.filter(status=ListingStatus.ACTIVE).order_by("-published_at", "-id").first()
    )
    on_sale_ids = list(
        Listing.objects.filter(status=ListingStatus.ACTIVE).order_by("id").values_list("id", flat=True)
    )
    step = max(1, len(on_sale_ids) // max(1, detail_listings))
    rotation_ids = on_sale_ids[::step][:detail_listings]
    if listing.pk not in rotation_ids:
        rotation_ids[0] = listing.pk
    category_url = reverse("listings:category", args=[largest.slug])
    return [
        Page("home", reverse("listings:home")),
        Page("category", category_url),
        Page(
            "category, last page",
            f"{category_url}?{urllib.parse.urlencode({'cursor': cursor})}",
            notes=[f"{largest.name}: {total:,} on sale, page {-(-total // CHANNEL_PAGE_SIZE):,}"],
        ),
        Page("search", f"{reverse('listings:search')}?{urllib.parse.urlencode({'q': query})}"),
        # Category, grades, a price range, inspected only and words: a combination nobody cached.
        Page("filters", f"{category_url}?{urllib.parse.urlencode(FILTERS, doseq=True)}"),
        Page("listings API", f"/api/v1/listings/?{urllib.parse.urlencode({'category': largest.slug})}"),
        Page(
            "detail",
            reverse("listings:detail", args=[listing.pk]),
            rotation=[reverse("listings:detail", args=[pk]) for pk in rotation_ids],
            notes=[f"load goes round {len(rotation_ids):,} listings, one in {step:,} on sale by id"],
        ),
    ]


# --- Measuring in-process ---------------------------------------------------------------------------


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def measure_in_process(pages: list[Page], *, renders: int, profile: bool) -> None:
    """Queries per page cold (empty cache) and warm (second request); the time to render a page
    cold (no cache at all) and warm (the configured cache, as gunicorn serves it under load)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)

    def median_ms() -> float:
        timings = []
        for _render in range(renders):
            started = time.perf_counter()
            client.get(page.path)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)

    from marketplace import process_memo

    for page in pages:
        with override_settings(CACHES=LOCAL_CACHE):
            caches["default"].clear()
            # Cold is a process that has just started: nothing held in front of the cache either.
            process_memo.forget()
            with CaptureQueriesContext(connection) as cold:
                response = client.get(page.path)
            with CaptureQueriesContext(connection) as warm:
                client.get(page.path)
            caches["default"].clear()
        page.status = response.status_code
        page.queries_cold, page.queries_warm = len(cold), len(warm)
        with override_settings(CACHES=NO_CACHE):
            page.cold_ms = median_ms()
        client.get(page.path)
        page.warm_ms = median_ms()
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _render in range(renders):
                client.get(page.path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
            print(f"\n--- profile: {page.name}, {renders} warm renders, by own time ---")
            print(trim_profile(out.getvalue()))


def trim_profile(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:])


# --- The server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int, *, output: IO | None = None
) -> Iterator[subprocess.Popen]:
    """gunicorn on 127.0.0.1:`port` until the block ends; its log goes to `output` (else this
    process's own)."""
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "marketplace.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=output,
        stderr=output,
    )
    try:
        wait_until_up(f"http://{HOST}:{port}/", process)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode} before answering.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s.")


# --- Load -------------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


# Each wrk thread goes round the paths in turn (one Lua state per thread, shared by its connections).
ROTATION_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do paths[#paths + 1] = line end
local next_index = 0
request = function()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
"""


def load_with_wrk(
    wrk: str,
    base: str,
    paths: Sequence[str],
    *,
    duration: int,
    connections: int,
    threads: int,
    headers: Mapping[str, str] | None = None,
) -> dict:
    """Load `paths` for `duration` seconds; every request carries `headers` (a session's cookie)."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="reloop-bench-") as folder:
        if len(paths) > 1:
            paths_file = Path(folder) / "paths.txt"
            paths_file.write_text("\n".join(paths) + "\n")
            script = Path(folder) / "rotate.lua"
            script.write_text(ROTATION_SCRIPT)
            env["BENCH_PATHS_FILE"] = str(paths_file)
            command += ["-s", str(script)]
        result = subprocess.run(
            [*command, base + paths[0]],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 60,
            env=env,
        )
    out = result.stdout
    figures = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),
        "errors": 0,
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["errors"] = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    )
    return figures


def load_with_python(
    base: str,
    paths: Sequence[str],
    *,
    duration: int,
    connections: int,
    headers: Mapping[str, str] | None = None,
) -> dict:
    """A fallback when wrk is missing: keep-alive connections on threads, going round `paths` in
    turn, every request with `headers`. Python's own overhead makes it a weaker load generator than
    wrk, so its figures are a lower bound."""
    parts = urllib.parse.urlsplit(base)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def run(first: int) -> None:
        conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        index = first
        while time.monotonic() < stop_at:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=dict(headers or {}))
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn.close()
                conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    # Connections start at different points of the rotation, as wrk's connections do.
    workers = [
        threading.Thread(target=run, args=(n * len(paths) // connections,)) for n in range(connections)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:
        return {"rps": 0.0, "p50": 0.0, "p99": 0.0, "errors": errors[0]}
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": errors[0],
    }


def find_wrk(*, python_client: bool) -> str | None:
    """wrk's path, or None for the Python client (asked for, or wrk not installed)."""
    if python_client:
        return None
    return shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)


# --- Report -----------------------------------------------------------------------------------------


def fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status


def prewarm(base: str, paths: Sequence[str], *, connections: int) -> float:
    """Load every path once so that its page is in the cache; the seconds it took."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(fetch, [base + path for path in paths]))
    return time.monotonic() - started


def run_pass(name: str, pages: list[Page], env: dict[str, str], *, wrk: str | None, args) -> None:
    """Start gunicorn with the pass's cache and load each page for args.duration seconds."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    print(f"Pass {name!r}: gunicorn with CACHE_URL={PASS_CACHE_URL[name] or '(unset: settings choose)'}.")
    with gunicorn({**env, "CACHE_URL": PASS_CACHE_URL[name]}, port, args.workers):
        for page in pages:
            if name == "warm":
                seconds = prewarm(base, page.paths, connections=args.connections)
                if len(page.paths) > 1:
                    print(
                        f"  {page.name}: {len(page.paths):,} pages loaded once into the cache in {seconds:.1f} s"
                    )
            else:
                fetch(base + page.path)  # the page answers before the clock starts
            if wrk:
                figures = load_with_wrk(
                    wrk,
                    base,
                    page.paths,
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                )
            else:
                figures = load_with_python(
                    base, page.paths, duration=args.duration, connections=args.connections
                )
            load = Load(figures["rps"], figures["p50"], figures["p99"], figures["errors"])
            page.loads[name] = load
            print(f"  {page.name}: {load.requests_per_second:.0f} req/s {name}")


def report(
    pages: list[Page], *, passes: Sequence[str], client: str, duration: int, connections: int, workers: int
) -> None:
    print()
    print(
        f"Load: {client}, {connections} connections, {duration} s per page and pass,"
        f" against {workers} sync gunicorn workers."
    )
    described = {
        "warm": "the configured cache; each page loaded once first, then asked for again and again.",
        "uncached": "CACHE_URL=dummycache://, nothing cached: every request runs its queries and renders.",
    }
    for name in passes:
        print(f"  {name + ':':<9} {described[name]}")
    detail = next((page for page in pages if len(page.paths) > 1), None)
    if detail is not None:
        print(
            f"  {detail.name}: the load goes round {len(detail.paths):,} different listings in turn"
            + ("; the warm pass loads each once before its load starts." if "warm" in passes else ".")
        )
    print()
    groups = f"{'page':<21} {'queries':>9} {'render ms':>11}" + "".join(
        f" {('-- ' + name + ' ').ljust(30, '-')}" for name in passes
    )
    columns = (
        f"{'':<21} {'cold/warm':>9} {'cold/warm':>11}"
        + "".join(f" {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}" for _name in passes)
        + "  target"
    )
    rows = []
    for page in pages:
        target = RPS_TARGETS[page.name]
        goal = f"≤{MAX_QUERIES} queries" + (f", ≥{target} req/s" if target else "")
        verdicts = []
        figures = ""
        for name in passes:
            load = page.loads.get(name, Load())
            met = (
                page.queries_cold <= MAX_QUERIES
                and (target is None or load.requests_per_second >= target)
                and load.errors == 0
                and page.status == 200
            )
            verdicts.append(f"{'met' if met else 'MISSED'} {name}")
            figures += (
                f" {load.requests_per_second:>7.1f} {load.p50_ms:>7.1f} {load.p99_ms:>7.1f} {load.errors:>6}"
            )
        rows.append(
            f"{page.name:<21} {f'{page.queries_cold}/{page.queries_warm}':>9}"
            f" {f'{page.cold_ms:.1f}/{page.warm_ms:.1f}':>11}{figures}  {goal}: {', '.join(verdicts)}"
        )
    print(groups)
    print(columns)
    print("-" * max(len(row) for row in [columns, *rows]))
    print("\n".join(rows))
    print()
    for page in pages:
        notes = "; ".join(page.notes)
        print(f"  {page.name:<21} {page.path}" + (f"  ({notes})" if notes else ""))
    print()
    print(
        "For comparison: django-oscar 3.2.3 serves about 9 requests/s on its category page with 100k "
        "products on such a machine, with 37 queries per page, and about 1.5 requests/s on search."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page and pass.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--query", default="iphone", help="What the search page searches for.")
    parser.add_argument("--renders", type=int, default=20, help="In-process renders timed per page.")
    parser.add_argument("--profile", action="store_true", help="Print a cProfile summary of warm renders.")
    parser.add_argument(
        "--passes",
        default=",".join(PASSES),
        help="Which load passes to run, comma-separated: warm (the configured cache), uncached (none).",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="Only the uncached pass (same as --passes uncached)."
    )
    parser.add_argument(
        "--detail-listings", type=int, default=2000, help="Listings the detail load goes round."
    )
    parser.add_argument(
        "--python-client", action="store_true", help="Use the Python client even if wrk exists."
    )
    args = parser.parse_args()
    passes = (
        ["uncached"] if args.no_cache else [name.strip() for name in args.passes.split(",") if name.strip()]
    )
    if args.detail_listings < 1:
        raise SystemExit("--detail-listings must be at least 1.")
    unknown = set(passes) - set(PASSES)
    if unknown or not passes:
        raise SystemExit(
            f"--passes takes {', '.join(PASSES)}; not {', '.join(sorted(unknown)) or 'nothing'}."
        )

    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The browse benchmark needs PostgreSQL: pass --database-url postgres://...")
    ensure_database(args.database_url)
    cache_url = redis_url()
    env = server_env(args.database_url, cache_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(
        f"Database {args.database_url}; cache: {'Redis ' + cache_url if cache_url else 'file-based (no Redis)'}."
    )

    prepare(env, args.listings)
    pages = choose_pages(args.query, detail_listings=args.detail_listings)
    measure_in_process(pages, renders=args.renders, profile=args.profile)
    from django.db import connections

    connections.close_all()

    wrk = find_wrk(python_client=args.python_client)
    for name in passes:
        run_pass(name, pages, env, wrk=wrk, args=args)

    report(
        pages,
        passes=passes,
        client=f"wrk -t{args.threads}"
        if wrk
        else "Python client" + ("" if args.python_client else " (wrk not found)"),
        duration=args.duration,
        connections=args.connections,
        workers=args.workers,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
