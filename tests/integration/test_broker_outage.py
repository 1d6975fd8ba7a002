"""The broker's Redis stops while a real Celery worker is running and sellers keep working: a photo
upload and a new recycle submission still succeed and say their work is waiting, nothing they sent
is lost, and once Redis is back the sweeps queue the lost jobs and the worker finishes them.

The broker is a throwaway Redis of the test's own (tests/outages.py), killed and started again; the
worker is started by the test against it, as in test_settlement_worker.py, and shares the media
folders and the test database with this process, which plays the web server.
"""

import json
import os
import socket
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from demo import images as demo_images
from listings.models import ListingPhoto, PhotoStatus
from listings.photos import stored_name
from listings.services import PHOTO_REQUEUE_AFTER, listing_photos_requeue_waiting
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus
from recycling.services.valuation import VALUATION_REQUEUE_AFTER, submissions_requeue_valuing
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, ListingFactory, UserFactory
from tests.integration.conftest import Worker, _stop, _wait_until_ready, start_worker, wait_for
from tests.outages import use_broker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_VIEWS = ("front", "back", "screen_on")


@pytest.fixture
def outage_worker(throwaway_redis, tmp_path, settings):
    """A worker whose broker is the throwaway Redis; this process sends its tasks there too."""
    from marketplace.celery import app

    previous_broker_url = app.conf.broker_url
    use_broker(app, throwaway_redis.url)
    worker = Worker(
        process=None,  # set below
        name=f"outage-{os.getpid()}@{socket.gethostname()}",
        redis_url=throwaway_redis.url,
        media_root=tmp_path / "media",
        private_media_root=tmp_path / "private",
        log=tmp_path / "worker.log",
    )
    settings.MEDIA_ROOT = worker.media_root
    settings.PRIVATE_MEDIA_ROOT = worker.private_media_root
    # The broker is what goes down here; the worker's cache stays out of it.
    start_worker(worker, var_dir=tmp_path / "var", env={"CACHE_URL": "locmemcache://"})
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        _stop(worker.process)
        use_broker(app, previous_broker_url)


def _jpeg(view: str, index: int) -> SimpleUploadedFile:
    data = demo_images.product_photo("phone", seed=77, view=min(index, 1), size=1000, label=view)
    return SimpleUploadedFile(f"{view}.jpg", data, content_type="image/jpeg")


def _submission_form(iphone) -> dict:
    return {
        "category": "phones",
        "catalog_model": iphone.pk,
        "attributes": json.dumps(
            {"storage": "128 GB", "colour": "Midnight", "carrier_lock": "unlocked", "account_removed": "yes"}
        ),
        "condition_answers": json.dumps(
            {
                "usage": "light",
                "screen_cracks": "no",
                "screen_marks": "none",
                "body": "light",
                "battery": "90",
                "works": "all",
                "repairs": "never",
            }
        ),
        **{f"photo_{view}": _jpeg(view, index) for index, view in enumerate(PHONE_VIEWS)},
    }


def test_work_sent_while_the_broker_is_down_is_kept_and_finished_after_it_returns(
    outage_worker, throwaway_redis, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    phones = CategoryFactory(slug="phones", name="Phones")
    iphone = CatalogModelFactory(
        brand=BrandFactory(slug="apple", name="Apple"),
        category=phones,
        name="iPhone 15 Pro 128GB",
        launch_price=Decimal("7999.00"),
        launch_year=2023,
    )
    seller = UserFactory(username="outage-seller")
    listing = ListingFactory(seller=seller, category=phones)
    api = APIClient()
    api.force_authenticate(seller)
    photos_url = f"/api/v1/my/listings/{listing.pk}/photos/"

    # given: with the broker up, a photo is processed by the worker as usual
    first = api.post(photos_url, {"image": _jpeg("front", 0)}, format="multipart")
    assert first.status_code == 201, first.content
    wait_for(
        lambda: ListingPhoto.objects.filter(pk=first.json()["id"], status=PhotoStatus.READY).exists(),
        what="the worker to process the first photo",
        worker=outage_worker,
    )

    # when: the broker dies, and the seller uploads a photo and sends an item for an estimate
    throwaway_redis.stop()
    second = api.post(photos_url, {"image": _jpeg("back", 1)}, format="multipart")
    sent = api.post("/api/v1/submissions/", _submission_form(iphone), format="multipart")

    # then: both succeed and say their work is waiting; what was sent is stored
    assert second.status_code == 201, second.content
    assert second.json()["status"] == PhotoStatus.PROCESSING
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == SubmissionStatus.VALUING
    photo = ListingPhoto.objects.get(pk=second.json()["id"])
    submission = Submission.objects.get(pk=sent.json()["id"])
    assert (outage_worker.private_media_root / stored_name(photo.key)).exists()
    stored = SubmissionPhoto.objects.filter(submission=submission)
    assert stored.count() == len(PHONE_VIEWS)
    assert all((outage_worker.private_media_root / stored_name(each.key)).exists() for each in stored)

    # when: the broker comes back (empty: the lost messages are gone) and the sweeps run, as beat
    # runs them, late enough to count the jobs as lost
    throwaway_redis.start()
    _wait_until_ready(outage_worker)
    later = timezone.now() + max(PHOTO_REQUEUE_AFTER, VALUATION_REQUEUE_AFTER) + timedelta(minutes=1)
    assert listing_photos_requeue_waiting(now=later) == 1
    assert submissions_requeue_valuing(now=later) == 1

    # then: the worker finishes both, once
    wait_for(
        lambda: (
            api.get(f"/api/v1/my/listings/{listing.pk}/").json()["photos"][1]["status"] == PhotoStatus.READY
        ),
        what="the worker to process the photo sent while the broker was down",
        worker=outage_worker,
    )
    wait_for(
        lambda: (
            api.get(f"/api/v1/submissions/{submission.pk}/").json()["status"] == SubmissionStatus.ESTIMATED
        ),
        what="the worker to value the submission sent while the broker was down",
        worker=outage_worker,
    )
    assert submission.valuations.count() == 1
    assert ListingPhoto.objects.filter(listing=listing, status=PhotoStatus.READY).count() == 2
