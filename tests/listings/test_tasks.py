"""The thumbnail task: what exists after it ran, and that running it again changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from listings import photos
from listings.models import ListingPhoto, PhotoStatus
from listings.services import (
    PHOTO_REQUEUE_AFTER,
    listing_photo_add,
    listing_photo_process,
    listing_photos_requeue_waiting,
)
from listings.tasks import make_listing_photo_thumbnails
from tests.factories import ListingFactory
from tests.listings import images
from tests.outages import broker_down

pytestmark = pytest.mark.django_db


def _thumbnail_path(settings, photo, width):
    # The path that photo.thumbnail_url(width) is served from.
    relative = photo.thumbnail_url(width).removeprefix(settings.MEDIA_URL)
    return settings.MEDIA_ROOT / relative


def test_thumbnails_exist_at_each_width_once_the_photo_is_committed(
    settings, django_capture_on_commit_callbacks
):
    listing = ListingFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        photo = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((1200, 900)))
        )

    assert callbacks  # the task was sent on commit (test_nothing_is_sent_before_commit: not before)
    photo.refresh_from_db()
    listing.refresh_from_db()
    assert photo.status == PhotoStatus.READY
    assert listing.cover_key == photo.key
    for width in settings.LISTING_THUMBNAIL_WIDTHS:
        with Image.open(_thumbnail_path(settings, photo, width)) as thumbnail:
            assert thumbnail.format == "WEBP"
            assert thumbnail.width == width
            assert thumbnail.height == round(900 * width / 1200)


def test_nothing_is_sent_before_commit(settings, django_capture_on_commit_callbacks):
    listing = ListingFactory()

    with django_capture_on_commit_callbacks(execute=False):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.PROCESSING
    assert not _thumbnail_path(settings, photo, 240).exists()


def test_gps_never_reaches_the_stored_copy_or_a_thumbnail(settings, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    upload = images.upload(images.jpeg_bytes((1200, 900), gps=True, comment=b"home address"))

    with django_capture_on_commit_callbacks(execute=True):
        photo = listing_photo_add(listing_id=listing.pk, seller=listing.seller, upload=upload)

    files = [settings.PRIVATE_MEDIA_ROOT / photos.stored_name(photo.key)] + [
        _thumbnail_path(settings, photo, width) for width in settings.LISTING_THUMBNAIL_WIDTHS
    ]
    for path in files:
        with Image.open(path) as stored:
            assert len(stored.getexif()) == 0, path
            assert "exif" not in stored.info, path
            assert "comment" not in stored.info, path
            assert "xmp" not in stored.info, path


def test_the_cover_is_the_first_ready_photo_by_position(django_capture_on_commit_callbacks):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=False):
        first = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )
        second = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )

    make_listing_photo_thumbnails.delay(second.pk)
    listing.refresh_from_db()
    assert listing.cover_key == second.key  # the only ready one so far

    make_listing_photo_thumbnails.delay(first.pk)
    listing.refresh_from_db()
    assert listing.cover_key == first.key


def test_running_the_task_twice_changes_nothing(settings, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )
    before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.webp"))

    make_listing_photo_thumbnails.delay(photo.pk)

    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.webp")) == before
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY


def test_a_photo_removed_before_the_task_ran_is_skipped(settings, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=False):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )
    photo_id = photo.pk
    ListingPhoto.objects.filter(pk=photo_id).delete()

    make_listing_photo_thumbnails.delay(photo_id)

    assert not list(settings.MEDIA_ROOT.rglob("*.webp"))


def test_a_photo_whose_stored_copy_is_gone_is_marked_failed(settings, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=False):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )
    (settings.PRIVATE_MEDIA_ROOT / photos.stored_name(photo.key)).unlink()

    result = listing_photo_process(photo_id=photo.pk)

    assert result.status == PhotoStatus.FAILED
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.FAILED
    listing.refresh_from_db()
    assert listing.cover_key == ""


# --- Lost jobs ------------------------------------------------------------------------------------------


def _upload_while_the_broker_is_down(listing, django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        return listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )


def test_a_photo_uploaded_while_the_broker_is_down_is_kept_and_the_sweep_processes_it(
    settings, django_capture_on_commit_callbacks
):
    listing = ListingFactory()

    photo = _upload_while_the_broker_is_down(listing, django_capture_on_commit_callbacks)

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.PROCESSING  # what the seller's page and the API show meanwhile
    assert (settings.PRIVATE_MEDIA_ROOT / photos.stored_name(photo.key)).exists()
    assert listing_photos_requeue_waiting() == 0  # a job only this recent may still be on its way

    later = timezone.now() + PHOTO_REQUEUE_AFTER + timedelta(minutes=1)
    assert listing_photos_requeue_waiting(now=later) == 1

    photo.refresh_from_db()
    listing.refresh_from_db()
    assert photo.status == PhotoStatus.READY
    assert listing.cover_key == photo.key
    assert _thumbnail_path(settings, photo, 240).exists()
    assert listing_photos_requeue_waiting(now=later) == 0  # nothing is left to queue


def test_the_photo_sweep_takes_a_bounded_batch_oldest_first(django_capture_on_commit_callbacks):
    listing = ListingFactory()
    first = _upload_while_the_broker_is_down(listing, django_capture_on_commit_callbacks)
    second = _upload_while_the_broker_is_down(listing, django_capture_on_commit_callbacks)
    later = timezone.now() + PHOTO_REQUEUE_AFTER + timedelta(minutes=1)

    assert listing_photos_requeue_waiting(now=later, limit=1) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (PhotoStatus.READY, PhotoStatus.PROCESSING)
