"""`manage.py seed_bench --listings N`: many realistic listings, fast, for benchmarks.

Unlike seed_demo, this writes listing rows directly with bulk inserts (no services, no events, no
photo rows): 100,000 listings take seconds, not hours. Titles, prices, grades, categories and dates
come from the same catalog data as the demo. Each listing's cover points at one of a small set of
real thumbnails drawn once (the same picture for many listings of a kind), so pages show images
without a photo per listing. On PostgreSQL the search document is filled by the table's trigger.

Each run adds N more listings; sellers and cover photos are created only the first time.
"""

import functools
import hashlib
import io
import queue
import random
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import User
from demo import images as demo_images
from listings import catalog_data, photos
from listings.models import Listing, ListingSource, ListingStatus
from listings.search import document_words
from listings.services import listing_counts_in_bulk, search_terms_refresh

# Bulk inserts skip Listing.save, which cuts the search words; the generated texts repeat, so each is
# cut once.
words_of = functools.lru_cache(maxsize=65536)(document_words)

SELLER_PREFIX = "bench-seller-"
COVER_VARIANTS = 2
PUBLISHED_WITHIN_DAYS = 365

FAMILY_NAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
)
GIVEN_NAMES = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明")
ENGLISH_NAMES = (
    "Alex",
    "Mia",
    "Leo",
    "Chloe",
    "Ethan",
    "Grace",
    "Ryan",
    "Zoe",
    "Kevin",
    "Amy",
    "Jason",
    "Lily",
)
CITIES = (
    "上海",
    "北京",
    "深圳",
    "广州",
    "杭州",
    "成都",
    "南京",
    "武汉",
    "Shanghai",
    "Beijing",
    "Shenzhen",
    "Suzhou",
)


class BatchWriter:
    """Inserts batches of listings in one transaction, on a second thread when `threaded`.

    Building rows is Python work and inserting them is database work (the search trigger, the
    indexes); on PostgreSQL a writer thread with its own connection lets the two overlap. Otherwise
    (SQLite, or inside a transaction the writer's connection could not see) the caller's thread
    writes. An error in the writer is raised in the caller when the block ends.
    """

    def __init__(self, *, threaded: bool) -> None:
        self.threaded = threaded
        self.batches: queue.Queue[list[Listing] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="seed-bench-writer", daemon=True)
        self.atomic = transaction.atomic()

    def __enter__(self) -> "BatchWriter":
        if self.threaded:
            self.thread.start()
        else:
            self.atomic.__enter__()
        return self

    def write(self, batch: list[Listing]) -> None:
        if self.error is not None:
            raise self.error
        if self.threaded:
            self.batches.put(batch)
        else:
            Listing.objects.bulk_create(batch)

    def __exit__(self, exc_type, exc, traceback) -> None:
        if not self.threaded:
            self.atomic.__exit__(exc_type, exc, traceback)
            return
        # On failure in the caller, tell the writer to roll back rather than commit.
        self.batches.put(None if exc is None else [])
        self.thread.join()
        if self.error is not None and exc is None:
            raise self.error

    def _run(self) -> None:
        try:
            with transaction.atomic():
                while (batch := self.batches.get()) is not None:
                    if not batch:  # the caller failed: roll back
                        raise _Aborted
                    Listing.objects.bulk_create(batch)
        except _Aborted:
            pass
        except BaseException as error:
            self.error = error
            while self.batches.get():  # take what the caller still puts, up to its final None or []
                pass
        finally:
            connections.close_all()


class _Aborted(Exception):
    pass


def finish_postgresql() -> None:
    """Merge the search index's pending entries (searches would otherwise scan them on every query),
    mark the table's pages all-visible (so that scans of the covering index read no table rows, as
    autovacuum would have it in service) and refresh the planner's statistics, so that pages are
    measured as they would run in service."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
            "JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'gin' AND i.indrelid = 'listings_listing'::regclass"
        )
        # VACUUM cannot run in a transaction (a test's): the statistics alone there.
        cursor.execute(
            "ANALYZE listings_listing" if connection.in_atomic_block else "VACUUM ANALYZE listings_listing"
        )


class Command(BaseCommand):
    help = "Bulk-insert N realistic listings (and, the first time, sellers and cover photos) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listings", type=int, default=100_000, help="How many listings to add.")
        parser.add_argument(
            "--sellers", type=int, default=300, help="How many bench sellers to spread them over."
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT.")
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed (default: a new one each run)."
        )
        parser.add_argument(
            "--no-photos", action="store_true", help="Leave cover_key empty instead of drawing cover photos."
        )

    def handle(
        self,
        *args,
        listings: int,
        sellers: int,
        batch_size: int,
        seed: int | None,
        no_photos: bool,
        **options,
    ) -> None:
        started = time.monotonic()
        rng = random.Random(seed)
        catalog = catalog_data.load_catalog()
        seller_ids = self._sellers(sellers, rng)
        covers = {} if no_photos else self._covers()
        photos_done = time.monotonic()

        leaves = list(catalog_data.LISTING_SHARE)
        weights = [catalog_data.LISTING_SHARE[leaf] for leaf in leaves]
        luxury = {leaf.slug for _top, leaf in catalog_data.leaf_categories() if leaf.is_luxury}
        models_by_leaf: dict[str, list[catalog_data.ModelData]] = {}
        for spec in catalog_data.CATALOG_MODELS:
            models_by_leaf.setdefault(spec.category, []).append(spec)
        today = timezone.localdate()
        now = timezone.now()

        inspected_count = authenticated_count = 0
        batch: list[Listing] = []
        # A second connection cannot see rows of a transaction that is still open (a caller's, or a
        # test's), so the writer thread is used only outside one.
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        with listing_counts_in_bulk(), BatchWriter(threaded=threaded) as writer:
            for _number in range(listings):
                leaf = rng.choices(leaves, weights=weights)[0]
                generic = leaf in catalog_data.GENERIC_ITEMS and rng.random() < 0.1
                model = None if generic else rng.choice(models_by_leaf[leaf])
                item = catalog_data.demo_item(
                    rng, leaf_slug=leaf, model=model, today=today, chinese=rng.random() < 0.3
                )
                source = rng.choices(
                    (ListingSource.PERSON, ListingSource.CONSIGNED, ListingSource.PLATFORM),
                    weights=(70, 15, 15),
                )[0]
                # About a fifth of the channel has been through the inspection centre.
                inspected = source != ListingSource.PERSON and rng.random() < 0.67
                authenticated = inspected and leaf in luxury
                published_at = now - timedelta(seconds=rng.uniform(0, PUBLISHED_WITHIN_DAYS * 86400))
                roll = rng.random()
                status = (
                    ListingStatus.ACTIVE
                    if roll < 0.94
                    else ListingStatus.SOLD
                    if roll < 0.98
                    else ListingStatus.WITHDRAWN
                )
                batch.append(
                    Listing(
                        seller_id=rng.choice(seller_ids),
                        title=item.title,
                        description=item.description,
                        search_words=words_of(item.title, item.description),
                        category=catalog.categories[leaf],
                        brand=catalog.brands[model.brand] if model is not None else None,
                        catalog_model=catalog.models[(model.brand, model.name)]
                        if model is not None
                        else None,
                        price=item.price,
                        reference_price=item.reference_price,
                        grade=item.grade,
                        status=status,
                        source=source,
                        inspected_at=published_at - timedelta(hours=rng.uniform(4, 72))
                        if inspected
                        else None,
                        authenticated=authenticated,
                        cover_key=rng.choice(covers[item.drawing]) if covers else "",
                        created_at=published_at,
                        published_at=published_at,
                    )
                )
                inspected_count += inspected
                authenticated_count += authenticated
                if len(batch) >= batch_size:
                    writer.write(batch)
                    batch = []
            if batch:
                writer.write(batch)

        search_terms = search_terms_refresh()
        if connection.vendor == "postgresql":
            finish_postgresql()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Added {listings:,} listings ({inspected_count:,} inspected, {authenticated_count:,} authenticated) "
            f"over {len(seller_ids)} sellers in {elapsed:.1f} s "
            f"({photos_done - started:.1f} s of it for catalog, sellers and covers); "
            f"{Listing.objects.count():,} listings in total; {search_terms:,} frequent title words."
        )
        if covers:
            self.stdout.write(
                f"Covers: {sum(len(keys) for keys in covers.values())} drawn photos shared by kind of item."
            )
        else:
            self.stdout.write("Covers: none (listings show a placeholder).")

    def _sellers(self, count: int, rng: random.Random) -> list[int]:
        """The bench sellers, created once. They cannot sign in (no usable password)."""
        unusable = make_password(None)
        users = []
        for number in range(count):
            name_rng = random.Random(number)
            if name_rng.random() < 0.7:
                display_name = (
                    name_rng.choice(FAMILY_NAMES)
                    + name_rng.choice(GIVEN_NAMES)
                    + name_rng.choice(("", "的闲置", "小店"))
                )
            else:
                display_name = f"{name_rng.choice(ENGLISH_NAMES)} {chr(ord('A') + number % 26)}."
            users.append(
                User(
                    username=f"{SELLER_PREFIX}{number:04d}",
                    display_name=display_name,
                    city=name_rng.choice(CITIES),
                    password=unusable,
                )
            )
        User.objects.bulk_create(users, ignore_conflicts=True, batch_size=1000)
        return list(
            User.objects.filter(username__startswith=SELLER_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)[:count]
        )

    def _covers(self) -> dict[str, list[str]]:
        """Thumbnails for each kind of drawing, made once and reused by every run (keys are fixed)."""
        drawings = {catalog_data.drawing_for(m, m.category) for m in catalog_data.CATALOG_MODELS}
        drawings |= {leaf.drawing for _top, leaf in catalog_data.leaf_categories()}
        public = photos.public_storage()
        covers: dict[str, list[str]] = {}
        for drawing in sorted(drawings):
            for variant in range(COVER_VARIANTS):
                key = hashlib.sha256(f"reloop-bench:{drawing}:{variant}".encode()).hexdigest()[:32]
                covers.setdefault(drawing, []).append(key)
                if public.exists(photos.thumbnail_name(key, max(settings.LISTING_THUMBNAIL_WIDTHS))):
                    continue
                colour = random.Random(key).choice(
                    ("#2a2a2d", "#8c8780", "#3c5a7d", "#c8202f", "#d9bd8f", "#efefef")
                )
                data = demo_images.product_photo(drawing, seed=variant, colour=colour, size=640)
                if not photos.private_storage().exists(photos.stored_name(key)):
                    photos.store_private(key, photos.check_photo(io.BytesIO(data)))
                photos.make_thumbnails(key)
        return covers
