"""Pre-valuation benchmark: estimates per second through a real Celery worker, and the photo checks'
speed per megapixel.

    .venv/bin/python bench/valuation.py [--submissions 40] [--photos 5] [--database-url postgres://...]
                                        [--redis-url redis://127.0.0.1:6379/14] [--concurrency 2]

It prepares a PostgreSQL database (created if missing, migrated, the demo catalog loaded, a few sold
listings per catalog model so that comparables are queried and blended), then creates --submissions
submissions in VALUING, each with --photos different 12-megapixel JPEGs (4000 by 3000, drawn: a
device on a textured, lit table, with noise like a phone camera's; stored as intake stores them,
re-encoded at quality 88 in private storage under a temporary folder).

It starts a real worker, `celery -A marketplace worker -c <concurrency>`, with the Redis database in
--redis-url as broker (flushed first: the benchmark owns it), and measures:

    latency     one submission at a time on an idle worker: enqueue → ESTIMATED seen in the database
    throughput  the rest enqueued at once: estimates per second from the first enqueue to the last
                ESTIMATED, end to end (task transport, photo decoding and checks, queries, writes)

and, in this process on one core, the photo checks alone (recycling.photo_checks.analyse_photo on the
stored files, read into memory first): milliseconds and megapixels per second. The worker is stopped
and the photo folder removed at the end; the database keeps its rows.
"""

import argparse
import contextlib
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
CELERY = ROOT / ".venv" / "bin" / "celery"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reloop_bench_valuation"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
PHOTO_SIZE = (4000, 3000)  # 12 megapixels, a phone camera's default
VIEWS = ("front", "back", "screen_on", "side", "detail", "box", "label", "serial")
LATENCY_SAMPLES = 3
BENCH_USERNAME = "bench-valuation-seller"
WORKER_NAME = "bench-valuation@%h"


# --- Preparing the database -------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating database {name}.")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True
    )


def catalog_and_comparables():
    """The demo catalog, a bench seller, and four sold listings per model (once)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import User
    from listings.catalog_data import load_catalog
    from listings.models import Grade, Listing, ListingEvent, ListingStatus

    catalog = load_catalog()
    seller, _created = User.objects.get_or_create(
        username=BENCH_USERNAME, defaults={"email": f"{BENCH_USERNAME}@example.com"}
    )
    models = sorted(catalog.models.values(), key=lambda model: model.pk)
    if not Listing.objects.filter(seller=seller, status=ListingStatus.SOLD).exists():
        rng = random.Random(7)
        now = timezone.now()
        for model in models:
            for _i in range(4):
                grade = rng.choice([Grade.EXCELLENT, Grade.VERY_GOOD, Grade.GOOD])
                listing = Listing.objects.create(
                    seller=seller,
                    title=f"{model} (sold)",
                    category=model.category,
                    brand=model.brand,
                    catalog_model=model,
                    price=(model.launch_price * Decimal(rng.uniform(0.35, 0.8))).quantize(Decimal(1)),
                    grade=grade,
                    status=ListingStatus.SOLD,
                    published_at=now - timedelta(days=100),
                )
                ListingEvent.objects.create(
                    listing=listing,
                    old=ListingStatus.RESERVED,
                    new=ListingStatus.SOLD,
                    at=now - timedelta(days=rng.randint(1, 170)),
                )
    return seller, models


# --- Photos -----------------------------------------------------------------------------------------


def _backgrounds(count: int):
    """Table tops: a lit gradient with grain, different for each; drawn once, copied per photo."""
    from PIL import Image, ImageChops

    width, height = PHOTO_SIZE
    backgrounds = []
    for index in range(count):
        rng = random.Random(1000 + index)
        light = Image.radial_gradient("L").resize(PHOTO_SIZE).point(lambda v: 255 - v // 2)
        tints = [rng.uniform(0.55, 0.9) for _channel in range(3)]
        base = Image.merge("RGB", [light.point(lambda v, k=tint: int(v * k)) for tint in tints])
        grain = Image.effect_noise((width // 4, height // 4), 28).resize(PHOTO_SIZE).convert("RGB")
        backgrounds.append(ImageChops.add(base, grain, scale=1.6, offset=-60))
    return backgrounds


def draw_photo(background, rng: random.Random) -> bytes:
    """One photo of "a device on a table": unique shapes and text over a shared table top."""
    import io

    from PIL import ImageDraw, ImageFilter

    width, height = PHOTO_SIZE
    image = background.copy()
    draw = ImageDraw.Draw(image)
    for _i in range(25):  # things lying around, reflections
        x, y, radius = rng.randint(0, width), rng.randint(0, height), rng.randint(40, 500)
        colour = tuple(rng.randint(0, 255) for _c in range(3))
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), outline=colour, width=rng.randint(3, 14)
        )
    left, top = rng.randint(600, 1600), rng.randint(200, 700)
    device = (left, top, left + rng.randint(1100, 1700), top + rng.randint(1700, 2200))
    draw.rounded_rectangle(device, radius=140, fill=(28, 28, 32), outline=(190, 190, 200), width=12)
    screen = (device[0] + 60, device[1] + 120, device[2] - 60, device[3] - 160)
    draw.rounded_rectangle(screen, radius=60, fill=tuple(rng.randint(30, 200) for _c in range(3)))
    for row in range(rng.randint(6, 14)):  # icons and text on the screen
        y = screen[1] + 80 + row * 110
        for column in range(4):
            x = screen[0] + 60 + column * 240
            draw.rounded_rectangle(
                (x, y, x + 150, y + 80), radius=20, fill=tuple(rng.randint(0, 255) for _c in range(3))
            )
    for line in range(6):
        draw.text(
            (200, height - 600 + line * 70),
            f"SN {rng.getrandbits(48):012X} IMEI {rng.getrandbits(40)}",
            fill=(20, 20, 20),
        )
    image = image.filter(ImageFilter.SMOOTH)  # a lens, not a vector drawing
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=88)
    return output.getvalue()


def create_submissions(seller, models, *, count: int, photos_per: int) -> list[int]:
    from listings.models import Grade
    from listings.photos import CheckedPhoto, new_key, store_private
    from recycling.models import Submission, SubmissionPhoto, SubmissionStatus

    rng = random.Random(42)
    backgrounds = _backgrounds(4)
    ids = []
    started = time.perf_counter()
    for index in range(count):
        model = rng.choice(models)
        submission = Submission.objects.create(
            seller=seller,
            category=model.category,
            brand=model.brand,
            catalog_model=model,
            title=str(model),
            declared_grade=rng.choice(list(Grade.values)),
            status=SubmissionStatus.VALUING,
        )
        for view in VIEWS[:photos_per]:
            data = draw_photo(rng.choice(backgrounds), rng)
            key = new_key()
            store_private(key, CheckedPhoto(data=data, width=PHOTO_SIZE[0], height=PHOTO_SIZE[1]))
            SubmissionPhoto.objects.create(
                submission=submission, view=view, key=key, width=PHOTO_SIZE[0], height=PHOTO_SIZE[1]
            )
        ids.append(submission.pk)
        if (index + 1) % 10 == 0:
            print(f"  {index + 1} submissions drawn ({time.perf_counter() - started:.0f} s)")
    return ids


# --- The worker -------------------------------------------------------------------------------------


def flush_broker(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@contextmanager
def worker(env: dict[str, str], *, concurrency: int, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "marketplace",
                "worker",
                "-c",
                str(concurrency),
                "-n",
                WORKER_NAME,
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for_worker(process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    from marketplace.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The worker exited:\n{log.read_text(errors='replace')[-3000:]}")
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit(
        f"The worker did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


def wait_estimated(ids: list[int], timeout: float) -> float:
    """Poll until every submission is ESTIMATED; returns the monotonic time it was first seen so."""
    from recycling.models import Submission, SubmissionStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Submission.objects.filter(pk__in=ids, status=SubmissionStatus.ESTIMATED).count()
        if done == len(ids):
            return time.monotonic()
        time.sleep(0.01)
    raise SystemExit(f"Only some of {len(ids)} submissions were estimated within {timeout:.0f} s.")


# --- Measuring --------------------------------------------------------------------------------------


def measure_photo_checks(ids: list[int], samples: int) -> tuple[float, float, int]:
    """(ms per photo, megapixels per second, photos) for analyse_photo in this process, one core."""
    from listings.photos import private_storage, stored_name
    from recycling.models import SubmissionPhoto
    from recycling.photo_checks import analyse_photo

    keys = list(SubmissionPhoto.objects.filter(submission_id__in=ids).values_list("key", flat=True)[:samples])
    storage = private_storage()
    blobs = []
    for key in keys:
        with storage.open(stored_name(key), "rb") as stored:
            blobs.append(stored.read())
    analyse_photo(blobs[0])  # imports and first-call costs
    megapixels = 0.0
    started = time.perf_counter()
    for blob in blobs:
        megapixels += analyse_photo(blob).megapixels
    elapsed = time.perf_counter() - started
    return elapsed * 1000 / len(blobs), megapixels / elapsed, len(blobs)


def machine() -> str:
    from PIL import __version__ as pillow_version
    from PIL import features

    model = "unknown CPU"
    with contextlib.suppress(OSError):  # no /proc/cpuinfo (not Linux): keep "unknown CPU"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    turbo = "libjpeg-turbo" if features.check_feature("libjpeg_turbo") else "libjpeg"
    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"Pillow {pillow_version} ({turbo}); {platform.system()} {platform.release()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--photos", type=int, default=5, help=f"Photos per submission (1 to {len(VIEWS)}).")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help="Broker; this Redis database is flushed."
    )
    parser.add_argument("--concurrency", type=int, default=2, help="Worker processes.")
    parser.add_argument("--check-samples", type=int, default=25, help="Photos timed in-process.")
    args = parser.parse_args()
    if not 1 <= args.photos <= len(VIEWS):
        raise SystemExit(f"--photos must be between 1 and {len(VIEWS)}.")
    if args.submissions <= LATENCY_SAMPLES:
        raise SystemExit(f"--submissions must be more than {LATENCY_SAMPLES}.")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The valuation benchmark needs PostgreSQL: pass --database-url postgres://...")

    var_dir = ROOT / "var" / "bench-valuation"
    var_dir.mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(prefix="photos-", dir=var_dir))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media / "public"),
        "PRIVATE_MEDIA_ROOT": str(media / "private"),
        "CELERY_TASK_ALWAYS_EAGER": "False",
        # DEBUG is off, where the site refuses the development secrets: secrets for this run, unless set.
        **{
            secret: os.environ.get(secret) or secrets.token_urlsafe(50)
            for secret in ("SECRET_KEY", "CARRIER_WEBHOOK_SECRET", "PAYMENT_WEBHOOK_SECRET")
        },
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, env, var_dir)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def run(args, env: dict[str, str], var_dir: Path) -> int:
    ensure_database(args.database_url)
    migrate(env)
    import django

    django.setup()
    from django.db import connections

    from recycling.models import Valuation
    from recycling.tasks import prevalue_submission

    seller, models = catalog_and_comparables()
    print(
        f"Drawing {args.submissions} submissions x {args.photos} photos of "
        f"{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} ({PHOTO_SIZE[0] * PHOTO_SIZE[1] / 1e6:.0f} MP)."
    )
    ids = create_submissions(seller, models, count=args.submissions, photos_per=args.photos)
    connections.close_all()

    flush_broker(args.redis_url)
    log = var_dir / "worker.log"
    with worker(env, concurrency=args.concurrency, log=log) as process:
        wait_for_worker(process, log)

        latencies = []
        for submission_id in ids[:LATENCY_SAMPLES]:
            started = time.monotonic()
            prevalue_submission.delay(submission_id)
            latencies.append(wait_estimated([submission_id], timeout=60) - started)

        batch = ids[LATENCY_SAMPLES:]
        started = time.monotonic()
        for submission_id in batch:
            prevalue_submission.delay(submission_id)
        finished = wait_estimated(batch, timeout=max(120, 5 * len(batch)))
        elapsed = finished - started

    valuations = Valuation.objects.filter(submission_id__in=ids)
    flagged = sum(1 for flags in valuations.values_list("photo_flags", flat=True) if flags)
    with_comparables = sum(
        1 for inputs in valuations.values_list("inputs", flat=True) if "comparables_median" in inputs
    )
    ms_per_photo, megapixels_per_second, sampled = measure_photo_checks(ids, args.check_samples)
    photo_megapixels = PHOTO_SIZE[0] * PHOTO_SIZE[1] / 1e6

    print()
    print(f"Machine: {machine()}")
    print(f"Worker: celery -c {args.concurrency}, broker {args.redis_url}; database {args.database_url}")
    print(
        f"Submissions: {len(ids)} x {args.photos} photos ({photo_megapixels:.0f} MP JPEG, quality 88); "
        f"{with_comparables} priced with comparables, {flagged} with photo flags"
    )
    print(
        f"Latency, idle worker (enqueue → ESTIMATED): "
        f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"over {len(latencies)} (target: under 2 s)"
    )
    print(
        f"Throughput: {len(batch)} estimates in {elapsed:.2f} s = {len(batch) / elapsed:.1f} estimates/s "
        f"({len(batch) * args.photos * photo_megapixels / elapsed:.0f} MP/s across the worker)"
    )
    print(
        f"Photo checks in-process, one core: {ms_per_photo:.1f} ms per {photo_megapixels:.0f} MP photo = "
        f"{ms_per_photo / photo_megapixels:.2f} ms/MP, {megapixels_per_second:.0f} MP/s "
        f"over {sampled} photos (target: at least 100 MP/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
