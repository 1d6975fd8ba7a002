"""The demo seeder (through the selling services, photos with thumbnails, idempotent) and the bench
seeder (bulk rows)."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from accounts.addresses import clean_postal_address
from accounts.models import Address, User
from demo.management.commands import seed_demo
from inspection.checklists import checklists_load
from inspection.models import (
    AuthenticityVerdict,
    Check,
    Checklist,
    CheckResult,
    Inspection,
    InspectionEvent,
    InspectionResult,
    InspectionStatus,
    Report,
)
from listings import catalog_data
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
)
from listings.photos import private_storage, stored_name
from recycling.models import Submission, SubmissionEvent, SubmissionPhoto, SubmissionStatus, Valuation
from shipping.models import Shipment, ShipmentStatus
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

# Enough to cover several categories and, from the 13th on, platform stock that the seeder inspects;
# the full default is checked on its plan.
SEEDED_LISTINGS = 15


def _row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Address,
            Group,
            Category,
            Brand,
            CatalogModel,
            Listing,
            ListingPhoto,
            ListingEvent,
            Submission,
            SubmissionPhoto,
            SubmissionEvent,
            Valuation,
            Shipment,
            Checklist,
            Check,
            Inspection,
            InspectionEvent,
            CheckResult,
            AuthenticityVerdict,
            Report,
        )
    }


def _seed(capsys) -> str:
    call_command("seed_demo", listings=SEEDED_LISTINGS, jobs=0, photo_size=360)
    return capsys.readouterr().out


def _check_listings_with_ready_photos_and_thumbnails() -> None:
    # Every planned listing is in the channel; a few were bought by the demo shopper since. (The items
    # listed from the seller's submissions, by seed_demo_loop, are tested with it.)
    listings = Listing.objects.filter(
        status__in=(ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD)
    ).exclude(
        pk__in=Inspection.objects.filter(listing__isnull=False, inspected_delivery=False)
        .exclude(subject_code__startswith="DEMO-")
        .values("listing_id")
    )
    assert listings.count() == SEEDED_LISTINGS
    assert listings.values("category").distinct().count() >= 3
    for listing in listings.prefetch_related("photos"):
        photos = list(listing.photos.all())
        assert len(photos) == seed_demo.PHOTOS_PER_LISTING
        assert all(photo.status == PhotoStatus.READY for photo in photos)
        assert listing.cover_key == photos[0].key
        assert listing.published_at is not None
        assert listing.price > 0
        if listing.reference_price is not None:
            assert listing.price < listing.reference_price
        for photo in photos:
            for width in settings.LISTING_THUMBNAIL_WIDTHS:
                thumbnail = (
                    Path(settings.MEDIA_ROOT) / "listings" / photo.key[:2] / f"{photo.key}-{width}.webp"
                )
                assert thumbnail.stat().st_size > 0


def _check_the_demo_logins_in_their_groups(out: str) -> None:
    for username in (
        "shopper",
        "seller",
        "inspector",
        "authenticator",
        "authenticator2",
        "operations",
        "admin",
    ):
        user = User.objects.get(username=username)
        assert user.check_password(seed_demo.PASSWORD), username
        assert username in out
    assert User.objects.get(username="inspector").groups.filter(name=roles.INSPECTORS).exists()
    for username in ("authenticator", "authenticator2"):
        assert User.objects.get(username=username).groups.filter(name=roles.AUTHENTICATORS).exists()
    assert User.objects.get(username="operations").groups.filter(name=roles.OPERATIONS).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert User.objects.filter(username__in=["xiaomei", "lucas"]).exclude(city="").count() == 2
    assert "reloop-demo" in out


def _check_the_shopper_and_the_seller_have_a_default_address() -> None:
    for username in ("shopper", "seller"):
        addresses = list(Address.objects.filter(user__username=username))
        assert len(addresses) == 1, username
        assert addresses[0].is_default
        assert clean_postal_address(addresses[0].postal.as_dict()) == addresses[0].postal
    assert Address.objects.get(user__username="seller").language == "zh-hans"


def _check_a_show_on_live_with_its_stream_and_an_ended_one_with_clips(out: str) -> None:
    from live.clips import duration_of
    from live.models import Show, ShowClip, ShowStatus

    live = Show.objects.get(status=ShowStatus.LIVE)
    assert live.host.username == "operations" and live.platform
    assert live.items.count() >= 1 and live.pins.filter(unpinned_at__isnull=True).count() == 1
    assert live.chat.count() >= 2 and live.rsvps.filter(user__username="shopper").exists()
    # its video: an HLS playlist the site serves from its media folder, with its segments
    playlist = Path(settings.MEDIA_ROOT) / live.playback_url.removeprefix(settings.MEDIA_URL)
    assert playlist.name == "index.m3u8" and "#EXT-X-ENDLIST" in playlist.read_text()
    assert len(list(playlist.parent.glob("segment-*.ts"))) >= 10
    ended = Show.objects.get(status=ShowStatus.ENDED)
    clips = list(ShowClip.objects.filter(show=ended))
    assert len(clips) == ended.pins.count() >= 1
    for clip in clips:
        assert abs(duration_of(Path(settings.MEDIA_ROOT) / clip.video_key) - float(clip.duration)) < 1
    assert "Live shows:" in out


def _check_platform_listings_inspected_and_their_reports_public(client, out: str) -> None:
    # real inspections, every check answered, passed with the listing's grade and a public report
    inspections = list(Inspection.objects.filter(subject_code__startswith="DEMO-").select_related("listing"))
    assert inspections
    assert f"Inspections: {len(inspections)} new" in out
    for inspection in inspections:
        listing = inspection.listing
        assert listing.source in (ListingSource.PLATFORM, ListingSource.CONSIGNED)
        assert (inspection.status, inspection.result) == (InspectionStatus.COMPLETED, InspectionResult.PASSED)
        assert inspection.inspector.username == "inspector"
        assert inspection.results.count() == inspection.checklist.checks.count() > 0
        assert inspection.grade == listing.grade
        assert listing.report_code == Report.objects.get(inspection=inspection).code
        assert listing.inspected_at is not None
        page = client.get(f"/r/{listing.report_code}/")
        assert page.status_code == 200
        assert listing.report_code.encode() in page.content
    assert Checklist.objects.filter(category__slug="phones").exists()


def test_demo_luxury_items_are_authenticated_by_two_people():
    # given: the catalog, checklists, demo users and one consigned bag the platform has inspected
    catalog_data.load_catalog()
    checklists_load()
    command = seed_demo.Command()
    command._users()
    bag = ListingFactory(
        seller=User.objects.get(username=seed_demo.PLATFORM_SELLER),
        category=Category.objects.get(slug="bags"),
        source=ListingSource.CONSIGNED,
        grade=Grade.VERY_GOOD,
        inspected_at=timezone.now(),
    )

    # when: run twice, as seed_demo does on every run
    created = command._inspections()
    again = command._inspections()

    # then
    inspection = Inspection.objects.get(subject_code=f"DEMO-{bag.pk}")
    assert (created, again) == (1, 0)
    assert inspection.status == InspectionStatus.COMPLETED and inspection.authenticated is True
    assert sorted(inspection.verdicts.values_list("by__username", "verdict")) == [
        ("authenticator", "genuine"),
        ("authenticator2", "genuine"),
    ]
    assert inspection.results.filter(outcome="defect").count() == 3  # light wear: grade B
    bag.refresh_from_db()
    assert (bag.grade, bag.authenticated, bag.report_code) == (Grade.VERY_GOOD, True, inspection.report.code)


def _check_the_demo_seller_has_submissions_at_each_stage(out: str) -> None:
    # one estimated, one shipping with a label, one received at the desk (and, from
    # seed_demo_loop, the items that went on to an offer: tested with it)
    submissions = {s.status: s for s in Submission.objects.filter(seller__username="seller")}
    assert set(submissions) == {
        SubmissionStatus.ESTIMATED,
        SubmissionStatus.SHIPPING,
        SubmissionStatus.RECEIVED,
        SubmissionStatus.OFFERED,
        SubmissionStatus.PAID,
        SubmissionStatus.LISTED,
        SubmissionStatus.SETTLED,
    }
    for submission in submissions.values():
        assert submission.catalog_model is not None
        valuation = submission.valuations.get()
        assert valuation.cash_low > 0 and valuation.cash_high >= valuation.cash_low
        assert valuation.photo_flags == []  # drawn photos are sharp, lit, large and not re-used
        photos = list(submission.photos.all())
        assert len(photos) >= 3
        assert all(private_storage().exists(stored_name(photo.key)) for photo in photos)
    shipping = Shipment.objects.get(reference=submissions[SubmissionStatus.SHIPPING].code)
    # The carrier has picked it up: the seller's timeline shows its news.
    assert (shipping.method, shipping.status) == ("pickup", ShipmentStatus.IN_TRANSIT)
    assert list(shipping.events.values_list("kind", flat=True)) == ["picked_up", "in_transit"]
    assert shipping.pickup_start is not None
    assert private_storage().exists(shipping.label_path)
    # The courier collects from the seller's address, printed on the label.
    assert shipping.sender["street"] and shipping.sender["postcode"]
    received = submissions[SubmissionStatus.RECEIVED]
    assert Shipment.objects.get(reference=received.code).status == ShipmentStatus.DELIVERED
    assert received.events.get(new=SubmissionStatus.RECEIVED).by.username == "operations"
    waiting = Inspection.objects.get(subject_code=received.code)  # receiving put it in the queue
    assert (waiting.status, waiting.category) == (InspectionStatus.QUEUED, received.category)
    assert "Submissions: 3 new" in out


def test_seed_demo_makes_the_whole_demo_and_a_second_run_creates_nothing_new(client, capsys):
    """One run (it takes half a minute) checked for everything it promises, then a second one."""
    # when
    out = _seed(capsys)

    # then
    _check_listings_with_ready_photos_and_thumbnails()
    _check_the_demo_logins_in_their_groups(out)
    _check_the_shopper_and_the_seller_have_a_default_address()
    _check_a_show_on_live_with_its_stream_and_an_ended_one_with_clips(out)
    _check_platform_listings_inspected_and_their_reports_public(client, out)
    _check_the_demo_seller_has_submissions_at_each_stage(out)

    # when: run again
    before = _row_counts()
    again = _seed(capsys)

    # then
    assert _row_counts() == before
    assert "0 new" in again
    assert "Submissions: 0 new" in again
    assert "Inspections: 0 new" in again


def test_seed_demo_catalog_matches_the_data():
    # when
    catalog_data.load_catalog()

    # then
    assert CatalogModel.objects.count() == len(catalog_data.CATALOG_MODELS) >= 80
    assert Category.objects.get(slug="luxury").is_luxury
    assert Category.objects.get(slug="bags").parent.slug == "luxury"
    assert Category.objects.get(slug="electronics").name_zh == "电子数码"
    assert Brand.objects.get(slug="huawei").name_zh == "华为"
    iphone = CatalogModel.objects.get(brand__slug="apple", name="iPhone 15 Pro 128GB")
    assert (iphone.launch_price, iphone.launch_year, iphone.category.slug) == (7999, 2023, "phones")


def test_the_default_demo_plan_has_300_listings_on_sale_with_trust_signals():
    # given: the plan the command follows without --listings (no database needed)
    parser = seed_demo.Command().create_parser("manage.py", "seed_demo")
    default = parser.parse_args([]).listings
    planned = seed_demo.plan(default, today=date(2025, 6, 1))

    # then
    on_sale = [p for p in planned if not p.sold]
    assert len(on_sale) >= 300
    assert len({(p.seller, p.item.title) for p in planned}) == len(planned)
    assert len({p.item.leaf for p in planned}) == len(catalog_data.LISTING_SHARE)
    assert len({p.item.model for p in planned if p.item.model}) >= 60
    # Consigned listings come only from consignments (seed_demo_loop), never from the plan.
    assert {p.source for p in planned} == {ListingSource.PERSON, ListingSource.PLATFORM}
    assert sum(p.inspected for p in on_sale) >= 30
    assert sum(p.authenticated for p in on_sale) >= 10
    assert all(p.inspected for p in planned if p.authenticated)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in p.item.title) for p in planned)


def test_seed_bench_creates_the_listings_asked_for(capsys):
    # when
    call_command("seed_bench", listings=200, sellers=20, seed=1, no_photos=True)

    # then
    assert Listing.objects.count() == 200
    assert Listing.objects.values("seller").distinct().count() > 10
    assert Listing.objects.filter(status=ListingStatus.ACTIVE).count() > 150
    assert Listing.objects.filter(inspected_at__isnull=False).exists()
    assert "200 listings" in capsys.readouterr().out


def test_seed_bench_covers_point_at_real_thumbnails(capsys):
    # when
    call_command("seed_bench", listings=30, sellers=5, seed=2)

    # then
    for key in set(Listing.objects.values_list("cover_key", flat=True)):
        assert key
        assert (Path(settings.MEDIA_ROOT) / "listings" / key[:2] / f"{key}-240.webp").exists()
