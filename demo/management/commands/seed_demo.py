"""`manage.py seed_demo`: a realistic demo marketplace: catalog, personas, listings with photos.

Listings and photos are created through the selling services (`listing_create`, `listing_photo_add`),
exactly as a seller's would be, and their thumbnails are made before the command ends so that the
site shows pictures at once, with or without a Celery worker running.

The demo seller also gets a few "sell to us" submissions, one at each stage the seller's dashboard
and the receiving desk show (estimated, shipping, received), made through the recycling services:
submission_create with drawn photos, the pre-valuation run here, shipping_book with the sandbox
carrier, and submission_receive by the `operations` user.

Demo inspections run through the inspection services too: the checklists are loaded once the
categories exist (`checklists_load`, as `manage.py load_checklists`), then up to DEMO_INSPECTIONS of
the platform's inspected listings (own stock and consignments) are enqueued, claimed by `inspector`,
checked one check at a time (mostly passes; a few wear defects that give the listing's grade) and
passed. Luxury ones then get two agreeing verdicts from `authenticator` and `authenticator2`. Passing
publishes each public report, which gives the listing its report code, grade and badges. The seller's
received submission is in the inspection queue (receiving enqueues it).

Last, `seed_demo_orders` gives the demo shopper past orders in several states and the demo seller a
wallet with sales and a withdrawal, through the order, payment and wallet services; then
`seed_demo_loop` takes four more of the seller's submissions through inspection to the final offer:
one sold for cash (paid to the wallet, listed as platform stock), one consigned, bought by the shopper
and settled, one consigned with a price drop behind it, and one whose offer waits for an answer.
Then `seed_demo_live` puts a live show on now (its video made here) and an ended one with its clips.

Running it again creates nothing new: catalog rows are found by slug (brand + name for models), users
by username (a demo address goes only into an empty address book), a demo listing by its seller and
title, which are fixed by the plan below (a seeded random generator, so the plan is the same on every
run), a demo submission by its client token, fixed per planned submission, and a demo inspection by
its subject code (DEMO-<listing id>); an inspection an earlier run left half-done is taken on from
where it stopped.
"""

import dataclasses
import io
import logging
import multiprocessing
import os
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import cast

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings
from django.utils import timezone

from accounts import roles
from accounts.addresses import address_create
from accounts.models import User
from demo import images as demo_images
from demo.parcels import parcel_on_its_way
from demo.permission import demo_data_allowed_or_refuse
from inspection.checklists import checklists_load
from inspection.models import (
    Check,
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionStatus,
    MeasureKind,
    Severity,
    Verdict,
)
from inspection.services.authentication import authenticity_verdict_add
from inspection.services.workbench import (
    check_record,
    grade_preview,
    inspection_claim,
    inspection_complete,
    inspection_enqueue,
)
from listings import catalog_data, photos
from listings.models import (
    Brand,
    CatalogModel,
    Category,
    Grade,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingSource,
    ListingStatus,
    PhotoStatus,
    SavedSearch,
)
from listings.services import (
    listing_create,
    listing_move,
    listing_photo_add,
    listing_photo_process,
    saved_search_add,
    search_terms_refresh,
)
from marketplace.celery import app as celery_app
from marketplace.money import quantize
from messaging.models import Conversation
from messaging.services import conversation_start, message_send
from orders.models import Offer
from orders.services.offers import (
    offer_accept,
    offer_counter,
    offer_decline,
    offer_make,
    offer_withdraw,
    offers_expire_due,
)
from recycling.models import Submission, SubmissionStatus
from recycling.questionnaire import questionnaire_for
from recycling.services.intake import submission_create
from recycling.services.shipping import live_inbound_shipment, pickup_slots, shipping_book, submission_receive
from recycling.services.valuation import submission_prevalue
from shipping.models import ShippingMethod

# Every demo account shares this published password; demo data is for local and staging sites only.
PASSWORD = "reloop-demo"  # noqa: S105
DEFAULT_LISTINGS = 330
PHOTOS_PER_LISTING = 2
PUBLISHED_WITHIN_DAYS = 60


@dataclasses.dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    city: str
    role: str
    bio: str = ""
    group: str = ""
    writes_chinese: float = 0.0  # share of their listings written in Chinese
    sells: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona("shopper", "Zhou Min", "Shanghai", "shopper", bio="Looking for a good second-hand camera."),
    Persona(
        "seller",
        "Chen Jing",
        "Shanghai",
        "seller",
        bio="Photographer; selling gear I no longer use.",
        writes_chinese=0.3,
        sells=True,
    ),
    Persona(
        "xiaomei", "小美的闲置", "杭州", "seller", bio="闲置好物 自用爱惜", writes_chinese=0.85, sells=True
    ),
    Persona(
        "laozhang",
        "数码老张",
        "深圳",
        "seller",
        bio="十年数码玩家 只卖自己用过的",
        writes_chinese=0.85,
        sells=True,
    ),
    Persona("wangfang", "王芳", "北京", "seller", bio="搬家清仓。", writes_chinese=0.8, sells=True),
    Persona(
        "lucas",
        "Lucas Martin",
        "Shanghai",
        "seller",
        bio="Moving back to Lyon in the summer.",
        writes_chinese=0.05,
        sells=True,
    ),
    Persona(
        "emma",
        "Emma Li",
        "Chengdu",
        "seller",
        bio="Sneakers and outdoor gear.",
        writes_chinese=0.2,
        sells=True,
    ),
    Persona(
        "reloop",
        "Reloop 官方",
        "Suzhou",
        "seller: platform stock, consignments",
        bio="Items bought through recycling or consigned to us, inspected at our Suzhou centre.",
        writes_chinese=0.3,
        sells=True,
    ),
    # Creators (达人): their videos sell other people's items for a commission (seed_demo_creators).
    Persona("creator", "Maya Chen", "Shanghai", "creator", bio="Film cameras, tested and explained."),
    Persona("creator2", "阿杰数码", "深圳", "creator", bio="数码好物 真实测评"),
    Persona("inspector", "Liu Yang", "Suzhou", "staff: inspectors", group=roles.INSPECTORS),
    Persona("authenticator", "Sun Li", "Suzhou", "staff: authenticators", group=roles.AUTHENTICATORS),
    # Luxury items need two different authenticators to agree before the badge shows.
    Persona("authenticator2", "Zhao Lei", "Suzhou", "staff: authenticators", group=roles.AUTHENTICATORS),
    Persona("operations", "Guo Hui", "Suzhou", "staff: operations", group=roles.OPERATIONS),
)
PLATFORM_SELLER = "reloop"

# One address each for the demo shopper and seller, the default of their address book: what checkout
# and courier pickup fill in. Added only to a book that is empty, so a second run adds none.
DEMO_ADDRESSES = {
    "shopper": {
        "name": "Zhou Min",
        "phone": "138 0013 8000",
        "region": "Shanghai",
        "city": "Shanghai",
        "street": "Room 1203, Building 2, 100 Century Avenue, Pudong New Area",
        "postcode": "200120",
    },
    "seller": {
        "name": "陈静",
        "phone": "139 0139 0000",
        "region": "上海市",
        "city": "上海市",
        "street": "徐汇区漕溪北路 88 号 5 楼 502 室",
        "postcode": "200030",
    },
}


@dataclasses.dataclass(frozen=True)
class DemoSubmission:
    """A "sell to us" submission of the demo seller, taken as far as `stage` through the services."""

    key: str  # names the submission's client token, so that a second run finds it
    brand: str
    model: str  # a catalog model's name (listings.catalog_data)
    drawing: str  # demo.images drawing for its photos
    colour: str
    stage: SubmissionStatus  # ESTIMATED, SHIPPING or RECEIVED
    attributes: dict
    condition: dict  # answers that differ from the best one (the rest: the questionnaire's first)
    method: ShippingMethod | None = None

    @property
    def client_token(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"https://reloop.example/demo/submissions/{self.key}")


SUBMITTER = "seller"
RECEIVER = "operations"
SUBMISSION_PHOTO_SIZE = 1000  # the pre-valuation asks for at least 800 px on the shorter side
# Far from the listings' seeds (their plan index), so that no submission photo looks re-used.
SUBMISSION_PHOTO_SEED = 900_000
DEMO_SUBMISSIONS: tuple[DemoSubmission, ...] = (
    DemoSubmission(
        key="iphone-15-pro",
        brand="apple",
        model="iPhone 15 Pro 128GB",
        drawing="phone",
        colour="#8a8680",
        stage=SubmissionStatus.ESTIMATED,
        attributes={
            "storage": "128 GB",
            "colour": "Natural Titanium",
            "carrier_lock": "unlocked",
            "account_removed": "yes",
        },
        condition={"usage": "light", "body": "light", "battery": "85"},
    ),
    DemoSubmission(
        key="sony-a7-iv",
        brand="sony",
        model="Alpha 7 IV body",
        drawing="camera",
        colour="#26272a",
        stage=SubmissionStatus.SHIPPING,
        attributes={"kit": "body", "shutter_count": "18,400"},
        condition={"usage": "regular"},
        method=ShippingMethod.PICKUP,
    ),
    DemoSubmission(
        key="macbook-air-m2",
        brand="apple",
        model="MacBook Air 13-inch M2 8GB/256GB",
        drawing="laptop",
        colour="#c9ccd1",
        stage=SubmissionStatus.RECEIVED,
        attributes={"cpu": "Apple M2", "ram": "8 GB", "storage": "256 GB", "charger": "yes"},
        condition={"usage": "light", "battery": "90"},
        method=ShippingMethod.DROP_OFF,
    ),
)


INSPECTOR = "inspector"
AUTHENTICATORS = ("authenticator", "authenticator2")
DEMO_INSPECTIONS = 40  # enough for every category to show reports; each one records every check
# Defects a passed item plausibly shows: wear, not faults. Their counts pick the grade (inspection.grading).
WEAR_GROUPS = ("appearance", "materials", "case", "hardware", "screen", "cleanliness", "set")
DEFECTS_FOR_GRADE: dict[str, tuple[int, int]] = {  # (majors, minors)
    Grade.NEW: (0, 0),
    Grade.LIKE_NEW: (0, 0),
    Grade.EXCELLENT: (0, 1),
    Grade.VERY_GOOD: (0, 3),
    Grade.GOOD: (1, 3),
    Grade.FAIR: (3, 1),
}
# Measured values within what a healthy item shows, so that no measurement implies a defect.
MEASURED_RANGES: dict[str, tuple[int, int]] = {
    "battery-health": (88, 100),
    "battery-cycle-count": (40, 420),
    "shutter-count": (1500, 42000),
    "movement-accuracy": (-4, 6),
    "movement-amplitude": (262, 305),
    "metal-purity": (750, 750),
    "weight": (4, 38),
}


def demo_imei(rng: random.Random) -> str:
    """Fifteen digits whose last is the Luhn check digit, as a real IMEI has."""
    body = f"35{rng.randrange(10**12):012d}"
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:  # doubled: the check digit will sit to the right of this one
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return f"{body}{(10 - total % 10) % 10}"


def demo_measured_value(check: Check, listing: Listing, rng: random.Random) -> str:
    """What the inspector reads for a check that takes a measured value ("" for pass-or-defect checks)."""
    if check.measure == MeasureKind.NONE:
        return ""
    if check.code == "imei-recorded":
        return demo_imei(rng)
    if check.measure == MeasureKind.TEXT:
        if check.code == "isbn-edition":
            return f"ISBN 978-7-{rng.randrange(100, 999)}-{rng.randrange(10000, 99999)}-{rng.randrange(10)}"
        return f"{rng.choice('ACDFHKMNPRTXY')}{rng.choice('ACDFHKMNPRTXY')}{rng.randrange(10**6):06d}"
    if check.code == "storage-capacity":
        name = listing.catalog_model.name if listing.catalog_model is not None else listing.title
        # "MacBook Air 13-inch M2 8GB/256GB": memory comes first, storage last.
        sizes = re.findall(r"(\d+)\s*(GB|TB)\b", name.replace("/", " "), flags=re.IGNORECASE)
        if sizes:
            number, unit = sizes[-1]
            size = int(number) * (1024 if unit.upper() == "TB" else 1)
            if check.max_value is None or size <= check.max_value:
                return str(size)
        return _within_range(check, preferred=128)
    measured = MEASURED_RANGES.get(check.code)
    return str(rng.randint(*measured)) if measured is not None else _within_range(check)


def _within_range(check: Check, *, preferred: int | None = None) -> str:
    """A reading that fits the check's range, for numbers the demo has no better guess for: a pass is
    only recorded with its value."""
    low = check.min_value if check.min_value is not None else 0
    high = check.max_value if check.max_value is not None else low + 100
    if preferred is not None and low <= preferred <= high:
        return str(preferred)
    return str(int((low + high) / 2))


def demo_defects(checks: list[Check], grade: str, rng: random.Random) -> dict[int, str]:
    """The checks a demo item fails, with the inspector's note: wear that gives `grade`."""
    majors, minors = DEFECTS_FOR_GRADE.get(grade, (0, 0))
    defects: dict[int, str] = {}
    for severity, count, note in (
        (Severity.MAJOR, majors, "clear wear, shown in the photos."),
        (Severity.MINOR, minors, "faint marks, seen only up close."),
    ):
        candidates = [c for c in checks if c.severity == severity and c.measure == MeasureKind.NONE]
        wear = [c for c in candidates if c.group in WEAR_GROUPS]
        chosen = rng.sample(wear, min(count, len(wear)))
        if len(chosen) < count:
            others = [c for c in candidates if c not in wear and c.group not in ("authenticity", "identity")]
            chosen += rng.sample(others, min(count - len(chosen), len(others)))
        for check in chosen:
            defects[check.pk] = f"{check.label}: {note}"
    return defects


@dataclasses.dataclass(frozen=True)
class PlannedListing:
    index: int
    seller: str
    item: catalog_data.DemoItem
    source: str
    inspected: bool
    authenticated: bool
    age: timedelta  # how long ago it was published
    sold: bool


def plan(count: int, *, today) -> list[PlannedListing]:
    """The demo listings, the same on every run. Item i depends only on i and the items before it, so
    a run with fewer listings plans a prefix of a run with more."""
    sellers = [p for p in PERSONAS if p.sells and p.username != PLATFORM_SELLER]
    leaves = list(catalog_data.LISTING_SHARE)
    luxury = {leaf.slug for _top, leaf in catalog_data.leaf_categories() if leaf.is_luxury}
    models_by_leaf: dict[str, list[catalog_data.ModelData]] = {}
    for spec in catalog_data.CATALOG_MODELS:
        models_by_leaf.setdefault(spec.category, []).append(spec)

    planned: list[PlannedListing] = []
    taken: set[tuple[str, str]] = set()
    for index in range(count):
        rng = random.Random(f"reloop-demo:{index}")
        leaf = rng.choices(leaves, weights=[catalog_data.LISTING_SHARE[name] for name in leaves])[0]
        is_luxury = leaf in luxury
        # Private sellers' items or Reloop's own stock. A consigned listing belongs to a consignment
        # (its owner, floor and commission): seed_demo_loop consigns items through the services.
        source = rng.choices(
            [ListingSource.PERSON, ListingSource.PLATFORM], weights=(40, 60) if is_luxury else (70, 30)
        )[0]
        persona = (
            next(p for p in PERSONAS if p.username == PLATFORM_SELLER)
            if source != ListingSource.PERSON
            else rng.choice(sellers)
        )
        generic = leaf in catalog_data.GENERIC_ITEMS and rng.random() < 0.1
        for _attempt in range(8):
            model = None if generic else rng.choice(models_by_leaf[leaf])
            item = catalog_data.demo_item(
                rng, leaf_slug=leaf, model=model, today=today, chinese=rng.random() < persona.writes_chinese
            )
            if (persona.username, item.title) not in taken:
                break
        else:
            item = dataclasses.replace(item, title=f"{item.title[:110]} · {index}")
        taken.add((persona.username, item.title))
        inspected = source != ListingSource.PERSON and rng.random() < 0.85
        planned.append(
            PlannedListing(
                index=index,
                seller=persona.username,
                item=item,
                source=source,
                inspected=inspected,
                authenticated=inspected and is_luxury,
                age=timedelta(seconds=rng.uniform(0, PUBLISHED_WITHIN_DAYS * 86400)),
                sold=index % 30 == 29,
            )
        )
    return planned


def render_photos(planned: PlannedListing, size: int) -> list[photos.CheckedPhoto]:
    """Draw a listing's photos and put them through the upload checks (pure image work, no database)."""
    item = planned.item
    label = item.model.name if item.model is not None else item.title
    checked = []
    for view in range(PHOTOS_PER_LISTING):
        data = demo_images.product_photo(
            item.drawing, seed=planned.index, colour=item.colour_hex, view=view, size=size, label=label
        )
        checked.append(photos.check_photo(io.BytesIO(data)))
    return checked


@contextmanager
def rendered(
    batch: list[PlannedListing], *, size: int, jobs: int
) -> Iterator[Iterator[list[photos.CheckedPhoto]]]:
    """Each planned listing's photos, in order, drawn ahead by `jobs` worker processes (none: here).

    Workers only draw: every database write stays in the command's process, which also makes the
    thumbnails. Drawing is about a third of the work, so one worker keeps well ahead of the writer;
    more would only take CPU time from it.
    """
    if jobs < 1 or len(batch) < 8:
        yield (render_photos(planned, size) for planned in batch)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield pool.imap(partial(render_photos, size=size), batch, chunksize=4)


class Command(BaseCommand):
    help = "Seed a demo marketplace: catalog, demo users (password reloop-demo) and listings with photos."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--listings",
            type=int,
            default=DEFAULT_LISTINGS,
            help=f"How many demo listings to plan (default {DEFAULT_LISTINGS}).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Worker processes that draw photos ahead of the writer (default: 1 with 2+ CPUs, else 0).",
        )
        parser.add_argument(
            "--photo-size", type=int, default=720, help="Width and height of each drawn photo, in pixels."
        )

    def handle(self, *args, listings: int, jobs: int | None, photo_size: int, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo")
        started = time.monotonic()
        previous_eager = celery_app.conf.task_always_eager
        # One log line per in-process thumbnail task would bury the summary.
        task_log = logging.getLogger("celery.app.trace")
        previous_level = task_log.level
        task_log.setLevel(logging.WARNING)
        # The offers and reports the seeding sends the demo seller go to a mailbox in memory, not to
        # the console backend, where they would bury the progress lines.
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                before = len(getattr(mail, "outbox", []))
                self._seed(listings, jobs, photo_size)
                sent = len(getattr(mail, "outbox", [])) - before
                if sent:
                    self.stdout.write(f"E-mails: {sent} sent to demo users while seeding (not shown).")
        finally:
            celery_app.conf.task_always_eager = previous_eager
            task_log.setLevel(previous_level)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")

    def _step(self, text: str) -> None:
        """A progress line: what the seeder starts on now."""
        self.stdout.write(f"{text}…")

    def _seed(self, count: int, jobs: int | None, photo_size: int) -> None:
        catalog = catalog_data.load_catalog()
        checklists_created = checklists_load()
        users_created = self._users()
        addresses_created = self._addresses()
        searches_created = self._saved_searches()
        now = timezone.now()
        planned = plan(count, today=timezone.localdate())
        existing = set(
            Listing.objects.filter(seller__username__in={p.seller for p in planned}).values_list(
                "seller__username", "title"
            )
        )
        missing = [p for p in planned if (p.seller, p.item.title) not in existing]

        if missing:
            self._step(f"Listing {len(missing)} items with drawn photos and their thumbnails")
        created = self._listings(
            missing, photo_size=photo_size, jobs=min((os.cpu_count() or 1) - 1, 1) if jobs is None else jobs
        )
        self._age_and_trust(created, now)
        thumbnails_made = self._finish_photos()
        self._step("Sending in the demo seller's items")
        submissions_created = self._submissions()
        self._step("Inspecting Reloop's items and publishing their reports")
        inspections_created = self._inspections()
        conversations_created = self._conversations()
        # Before the orders, which leave alone the items with an offer waiting for an answer.
        self._step("The shopper's offers to private sellers")
        offers_created = self._offers()
        # The shopper's past orders and the seller's wallet, through the order and wallet services.
        self._step("Orders, payments and the seller's wallet")
        call_command("seed_demo_orders", stdout=self.stdout)
        # Items the demo seller sent in that went through the whole loop (offers, payout, consignment).
        self._step("Offers, a payout and consignments")
        call_command("seed_demo_loop", stdout=self.stdout)
        # A live show on now (its video made here, served by the site) and an ended one with clips.
        self._step("Live shows and their replays")
        call_command("seed_demo_live", stdout=self.stdout)
        # Videos on a few listings, and signals for the for-you feed to learn from.
        self._step("Listing videos and the for-you feed")
        call_command("seed_demo_feed", stdout=self.stdout)
        call_command("seed_demo_creators", stdout=self.stdout)
        # A verified store with its deposit, and one waiting on the stores desk.
        self._step("Stores and their deposits")
        call_command("seed_demo_stores", stdout=self.stdout)
        # What the beat job does every few hours: the title words that typos are corrected to.
        search_terms = search_terms_refresh()

        self.stdout.write(
            f"Catalog: {Category.objects.count()} categories, {Brand.objects.count()} brands, "
            f"{CatalogModel.objects.count()} catalog models ({catalog.created} new)."
        )
        demo_listings = Listing.objects.filter(seller__username__in={p.username for p in PERSONAS})
        self.stdout.write(
            f"Listings: {len(created)} new; demo sellers now have {demo_listings.count()} "
            f"({demo_listings.filter(status=ListingStatus.ACTIVE).count()} on sale, "
            f"{demo_listings.filter(inspected_at__isnull=False).count()} inspected, "
            f"{demo_listings.filter(authenticated=True).count()} authenticated); "
            f"{ListingPhoto.objects.filter(listing__in=demo_listings).count()} photos"
            + (f", {thumbnails_made} thumbnails finished afterwards." if thumbnails_made else ".")
        )
        counts = Counter(
            Submission.objects.filter(seller__username=SUBMITTER).values_list("status", flat=True)
        )
        by_status = ", ".join(
            f"{counts[status]} {status.label.lower()}" for status in SubmissionStatus if counts[status]
        )
        self.stdout.write(f"Submissions: {submissions_created} new; {SUBMITTER} has {by_status}.")
        self.stdout.write(f"Search: {search_terms} frequent title words for corrections.")
        demo_inspections = Inspection.objects.filter(subject_code__startswith="DEMO-")
        self.stdout.write(
            f"Inspections: {inspections_created} new; "
            f"{demo_inspections.filter(status=InspectionStatus.COMPLETED).count()} demo listings inspected "
            f"with a public report ({demo_listings.exclude(report_code='').filter(authenticated=True).count()} "
            f"authenticated); {Inspection.objects.filter(status=InspectionStatus.QUEUED).count()} waiting in "
            f"the queue; checklists: {checklists_created} new."
        )
        self.stdout.write(
            f"Users: {users_created} new; addresses: {addresses_created} new; saved searches: {searches_created} new; "
            f"conversations: {conversations_created} new; offers: {offers_created} new."
        )
        self.stdout.write("")
        self.stdout.write("Demo logins (password for all: reloop-demo)")
        self.stdout.write(f"  {'username':<15} {'role':<32} name")
        self.stdout.write(f"  {'admin':<15} {'superuser':<32} Admin")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:<15} {persona.role:<32} {persona.display_name}")

    def _listings(
        self, batch: list[PlannedListing], *, photo_size: int, jobs: int
    ) -> list[tuple[PlannedListing, int]]:
        """Create planned listings with their photos through the selling services, as their sellers
        would. Each photo's thumbnails are made as its transaction commits (Celery's eager mode runs the
        thumbnail task in this process)."""
        categories = {c.slug: c for c in Category.objects.all()}
        brands = {b.slug: b for b in Brand.objects.all()}
        models = {(m.brand.slug, m.name): m for m in CatalogModel.objects.select_related("brand")}
        sellers = {u.username: u for u in User.objects.filter(username__in={p.seller for p in batch})}
        created = []
        celery_app.conf.task_always_eager = True
        with rendered(batch, size=photo_size, jobs=jobs) as uploads:
            for planned, checked in zip(batch, uploads, strict=True):
                item, seller = planned.item, sellers[planned.seller]
                model = item.model
                listing = listing_create(
                    seller=seller,
                    title=item.title,
                    description=item.description,
                    category=categories[item.leaf],
                    brand=brands[model.brand] if model is not None else None,
                    catalog_model=models[(model.brand, model.name)] if model is not None else None,
                    price=item.price,
                    reference_price=item.reference_price,
                    grade=item.grade,
                )
                for upload in checked:
                    listing_photo_add(listing_id=listing.pk, seller=seller, upload=upload)
                created.append((planned, listing.pk))
                if len(created) % 50 == 0:
                    self.stdout.write(f"  {len(created)} of {len(batch)} listings…")
        return created

    def _submissions(self) -> int:
        """Take each planned submission of the demo seller to its stage through the recycling
        services, resuming where an earlier run stopped. Returns how many were created."""
        seller = User.objects.get(username=SUBMITTER)
        receiver = User.objects.get(username=RECEIVER)
        celery_app.conf.task_always_eager = True  # the pre-valuation is also run below, in any case
        created = 0
        for planned in DEMO_SUBMISSIONS:
            submission = Submission.objects.filter(client_token=planned.client_token).first()
            if submission is None:
                submission = self._submit(planned, seller)
                created += 1
            if submission.status == SubmissionStatus.VALUING:
                submission_prevalue(submission_id=submission.pk)
                submission.refresh_from_db()
            if (
                planned.stage != SubmissionStatus.ESTIMATED
                and submission.status == SubmissionStatus.ESTIMATED
                and planned.method is not None  # every plan past the estimate names its method
            ):
                pickup_start = pickup_slots()[0][0] if planned.method == ShippingMethod.PICKUP else None
                shipping_book(
                    submission_id=submission.pk,
                    seller=seller,
                    method=planned.method,
                    pickup_start=pickup_start,
                )
                submission.refresh_from_db()
            if planned.stage == SubmissionStatus.SHIPPING and submission.status == SubmissionStatus.SHIPPING:
                parcel_on_its_way(live_inbound_shipment(submission))
            if planned.stage == SubmissionStatus.RECEIVED and submission.status == SubmissionStatus.SHIPPING:
                submission_receive(reference=submission.code, by=receiver)
        return created

    def _inspections(self) -> int:
        """Inspect the platform's first DEMO_INSPECTIONS inspected listings through the inspection
        services, resuming any an earlier run left half-done; make sure the seller's received
        submission waits in the queue. Returns how many inspections were created."""
        inspector = User.objects.get(username=INSPECTOR)
        authenticators = list(User.objects.filter(username__in=AUTHENTICATORS).order_by("username"))
        receiver = User.objects.get(username=RECEIVER)
        # Receiving a parcel enqueues it; enqueueing is idempotent, so this only matters for a
        # submission received before the inspection desk existed.
        for submission in Submission.objects.filter(
            seller__username=SUBMITTER, status=SubmissionStatus.RECEIVED
        ).select_related("category", "catalog_model"):
            inspection_enqueue(
                subject_code=submission.code,
                category=submission.category,
                catalog_model=submission.catalog_model,
                title=submission.title,
                declared_grade=submission.declared_grade,
                by=receiver,
            )

        listings = (
            Listing.objects.filter(
                seller__username=PLATFORM_SELLER,
                source__in=(ListingSource.PLATFORM, ListingSource.CONSIGNED),
                inspected_at__isnull=False,
            )
            # Items listed from a submission (seed_demo_loop) were inspected as that submission.
            .exclude(
                pk__in=Inspection.objects.filter(listing__isnull=False)
                .exclude(subject_code__startswith="DEMO-")
                .values("listing_id")
            )
            .select_related("category", "catalog_model")
            .order_by("pk")[:DEMO_INSPECTIONS]
        )
        existing = {
            inspection.subject_code: inspection
            for inspection in Inspection.objects.filter(subject_code__startswith="DEMO-")
        }
        created = 0
        for listing in listings:
            inspection = existing.get(f"DEMO-{listing.pk}")
            if inspection is not None and inspection.status == InspectionStatus.COMPLETED:
                continue
            if inspection is None:
                inspection = inspection_enqueue(
                    subject_code=f"DEMO-{listing.pk}",
                    category=listing.category,
                    catalog_model=listing.catalog_model,
                    title=listing.title,
                    declared_grade=listing.grade,
                    listing=listing,
                    by=receiver,
                )
                created += 1
            if inspection.status == InspectionStatus.QUEUED:
                inspection = inspection_claim(inspection_id=inspection.pk, inspector=inspector)
            if inspection.status == InspectionStatus.IN_PROGRESS and inspection.inspector_id == inspector.pk:
                inspection = self._inspect(inspection, listing, inspector)
            if inspection.status == InspectionStatus.AWAITING_SECOND_OPINION and not inspection.escalated:
                given = set(inspection.verdicts.values_list("by_id", flat=True))
                for authenticator in authenticators:
                    if authenticator.pk not in given:
                        authenticity_verdict_add(
                            inspection_id=inspection.pk,
                            by=authenticator,
                            verdict=Verdict.GENUINE,
                            note="Materials, stamps and hardware match the maker's references.",
                        )
        return created

    @staticmethod
    def _inspect(inspection: Inspection, listing: Listing, inspector: User) -> Inspection:
        """Record every check still unanswered and pass the item with the listing's grade."""
        rng = random.Random(f"reloop-demo-inspection:{listing.pk}")
        # Claimed by now, so it has its checklist.
        checklist_id = cast(int, inspection.checklist_id)
        checks = list(Check.objects.filter(checklist_id=checklist_id).order_by("position", "id"))
        defects = demo_defects(checks, listing.grade, rng)
        answered = set(
            CheckResult.objects.filter(inspection=inspection).values_list("check_item_id", flat=True)
        )
        for check in checks:
            measured_value = demo_measured_value(check, listing, rng)
            if check.pk in answered:
                continue
            note = defects.get(check.pk, "")
            check_record(
                inspection_id=inspection.pk,
                inspector=inspector,
                check_id=check.pk,
                outcome=CheckOutcome.DEFECT if note else CheckOutcome.PASS,
                note=note,
                measured_value=measured_value,
            )
        # A short checklist may not have enough wear checks for the listing's grade; the inspector then
        # keeps the listed grade and says why, as a person at the bench would.
        computed = grade_preview(inspection_id=inspection.pk).grade
        override = "" if computed == listing.grade else listing.grade
        return inspection_complete(
            inspection_id=inspection.pk,
            inspector=inspector,
            passed=True,
            grade_override=override,
            override_reason="The wear seen matches the condition described in the listing."
            if override
            else "",
        )

    @staticmethod
    def _submit(planned: DemoSubmission, seller: User) -> Submission:
        model = CatalogModel.objects.select_related("category", "brand").get(
            brand__slug=planned.brand, name=planned.model
        )
        questionnaire = questionnaire_for(model.category)
        condition = {question.name: question.answers[0].value for question in questionnaire.questions}
        condition.update(planned.condition)
        photos = {}
        for index, view in enumerate(questionnaire.required_views(planned.attributes)):
            data = demo_images.product_photo(
                planned.drawing,
                seed=SUBMISSION_PHOTO_SEED + DEMO_SUBMISSIONS.index(planned) * 10 + index,
                colour=planned.colour,
                view=index % 2,
                size=SUBMISSION_PHOTO_SIZE,
                label=model.name,
            )
            photos[view.name] = SimpleUploadedFile(f"{view.name}.jpg", data, content_type="image/jpeg")
        return submission_create(
            seller=seller,
            category=model.category,
            catalog_model=model,
            attributes=planned.attributes,
            condition_answers=condition,
            photos=photos,
            client_token=planned.client_token,
        )

    def _users(self) -> int:
        # Hashing is deliberately slow; every demo account has the same password, so hash it once.
        password = make_password(PASSWORD)
        created = 0
        for persona in PERSONAS:
            user, made = User.objects.get_or_create(
                username=persona.username,
                defaults={
                    "display_name": persona.display_name,
                    "city": persona.city,
                    "bio": persona.bio,
                    "email": f"{persona.username}@example.com",
                    "email_confirmed_at": timezone.now(),
                    "is_staff": bool(persona.group),
                },
            )
            if made:
                user.password = password
                user.save(update_fields=["password"])
                created += 1
            if user.email_confirmed_at is None:  # made before, e.g. the platform's account on first use
                User.objects.filter(pk=user.pk).update(email_confirmed_at=timezone.now())
            if persona.group:
                user.groups.add(Group.objects.get_or_create(name=persona.group)[0])
        admin, made = User.objects.get_or_create(
            username="admin",
            defaults={
                "display_name": "Admin",
                "email": "admin@example.com",
                "email_confirmed_at": timezone.now(),
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if made:
            admin.password = password
            admin.save(update_fields=["password"])
            created += 1
        return created

    def _addresses(self) -> int:
        """Give each persona in DEMO_ADDRESSES their address, through the address book's service."""
        created = 0
        for user in User.objects.filter(username__in=DEMO_ADDRESSES, addresses__isnull=True):
            address_create(user=user, data=DEMO_ADDRESSES[user.username])
            created += 1
        return created

    def _conversations(self) -> int:
        """The demo shopper asks two private sellers about their items, through the messaging services,
        and one answers (one conversation per listing: a second run adds nothing)."""
        shopper = User.objects.get(username="shopper")
        if Conversation.objects.filter(buyer=shopper).exists():
            return 0
        talks = [
            ("xiaomei", ["请问还在吗？可以看一下侧面的照片吗？", "在的，侧面有一点点使用痕迹，我拍给你看。"]),  # noqa: RUF001 (Chinese punctuation)
            ("laozhang", ["Does it come with the original box and charger?"]),
        ]
        created = 0
        for seller_name, lines in talks:
            listing = (
                Listing.objects.filter(seller__username=seller_name, status=ListingStatus.ACTIVE)
                .order_by("pk")
                .first()
            )
            if listing is None:
                continue
            conversation = conversation_start(buyer=shopper, listing_id=listing.pk)
            for index, line in enumerate(lines):
                sender = shopper if index % 2 == 0 else listing.seller
                message_send(conversation_id=conversation.pk, sender=sender, body=line)
            created += 1
        return created

    def _offers(self) -> int:
        """The demo shopper haggles with the private sellers, through the offer services, so that every
        state of an offer shows: one waiting for the seller, a seller's counter waiting for the shopper,
        one accepted (the item reserved at that price), one declined, one lapsed and one withdrawn. A
        second run adds nothing."""
        shopper = User.objects.get(username="shopper")
        if Offer.objects.filter(buyer=shopper).exists():
            return 0
        on_sale = (
            Listing.objects.filter(source=ListingSource.PERSON, status=ListingStatus.ACTIVE, price__gte=50)
            .exclude(seller=shopper)
            .select_related("seller")
            .order_by("pk")
        )
        # The demo seller's own item first: the offer waiting for an answer is theirs to answer.
        mine = on_sale.filter(seller__username="seller").order_by("-pk").first()
        # The others from the other private sellers: the demo seller's items are for seed_demo_orders.
        listings = ([mine] if mine else []) + list(on_sale.exclude(seller__username="seller")[:5])

        def offer(listing: Listing, share: str) -> Offer:
            return offer_make(
                buyer=shopper, listing_id=listing.pk, amount=quantize(listing.price * Decimal(share))
            )

        steps = [
            lambda listing: offer(listing, "0.85"),  # waiting for the seller
            lambda listing: offer_counter(
                offer_id=offer(listing, "0.80").pk,
                by=listing.seller,
                amount=quantize(listing.price * Decimal("0.92")),
            ),
            lambda listing: offer_accept(offer_id=offer(listing, "0.90").pk, by=listing.seller),
            lambda listing: offer_decline(offer_id=offer(listing, "0.60").pk, by=listing.seller),
            lambda listing: Offer.objects.filter(pk=offer(listing, "0.75").pk).update(
                expires_at=timezone.now()
            ),
            lambda listing: offer_withdraw(offer_id=offer(listing, "0.70").pk, by=shopper),
        ]
        # Declined, lapsed and withdrawn offers leave their item free: with few items on sale they
        # share the fourth (one shopper may make three offers on one item).
        for index, step in enumerate(steps):
            if index < len(listings):
                step(listings[index])
            elif len(listings) > 3:
                step(listings[3])
        offers_expire_due()
        return Offer.objects.filter(buyer=shopper).count()

    def _saved_searches(self) -> int:
        """The demo shopper keeps two searches, through the listings service (saving again changes
        nothing): iPhones with a report, daily, and authenticated luxury, weekly."""
        shopper = User.objects.get(username="shopper")
        before = SavedSearch.objects.filter(user=shopper).count()
        saved_search_add(user=shopper, query="q=iphone&inspected=1", category=None, frequency="daily")
        luxury = Category.objects.filter(slug="luxury").first()
        if luxury is not None:
            saved_search_add(user=shopper, query="authenticated=1", category=luxury, frequency="weekly")
        return SavedSearch.objects.filter(user=shopper).count() - before

    def _age_and_trust(self, created: list[tuple[PlannedListing, int]], now) -> None:
        """Spread the new listings over the last weeks and record what the platform checked.

        There is no service for either yet: publishing dates are demo history, and inspection results
        belong to the inspection app (which will also issue report codes; none are set here).
        """
        rows = []
        for planned, listing_id in created:
            published_at = now - planned.age
            inspected_at = (
                published_at - timedelta(hours=6 + planned.index % 60) if planned.inspected else None
            )
            rows.append(
                Listing(
                    pk=listing_id,
                    source=planned.source,
                    inspected_at=inspected_at,
                    authenticated=planned.authenticated,
                    published_at=published_at,
                    created_at=published_at - timedelta(minutes=20),
                )
            )
            ListingEvent.objects.filter(listing_id=listing_id).update(at=published_at)
        Listing.objects.bulk_update(
            rows, ["source", "inspected_at", "authenticated", "published_at", "created_at"], batch_size=500
        )
        shopper = User.objects.get(username="shopper")
        for planned, listing_id in created:
            if planned.sold:
                listing_move(
                    listing_id=listing_id, to=ListingStatus.RESERVED, by=shopper, message="order.reserved"
                )
                listing_move(listing_id=listing_id, to=ListingStatus.SOLD, by=shopper, message="order.paid")

    def _finish_photos(self) -> int:
        """Make any thumbnails the in-process task did not (a failure is retried here, synchronously)."""
        pending = ListingPhoto.objects.filter(
            listing__seller__username__in={p.username for p in PERSONAS}
        ).exclude(status=PhotoStatus.READY)
        done = 0
        for photo_id in pending.values_list("pk", flat=True):
            photo = listing_photo_process(photo_id=photo_id)
            done += photo is not None and photo.status == PhotoStatus.READY
        return done
