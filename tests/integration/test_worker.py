"""Tasks sent through Redis and run by a real Celery worker process (see conftest.py)."""

import io

import pytest
from django.core.cache import cache
from PIL import Image, ImageDraw

from listings.models import ListingPhoto, PhotoStatus
from listings.services import listing_photo_add
from marketplace.tasks import HEARTBEAT_KEY, worker_heartbeat
from tests.factories import ListingFactory, UserFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_heartbeat_sent_through_redis_makes_healthz_report_the_worker_ok(client, worker):
    # given: no heartbeat yet, and a staff member, who sees each part of the check
    cache.delete(HEARTBEAT_KEY)
    client.force_login(UserFactory(is_staff=True))
    before = client.get("/healthz").json()["checks"]
    assert before["worker"]["status"] == "unknown"
    assert (before["broker"]["status"], before["broker"]["transport"]) == ("ok", "redis")

    # when: the task goes through the broker to the worker process
    worker_heartbeat.delay()
    wait_for(lambda: cache.get(HEARTBEAT_KEY), what="the worker to run the heartbeat", worker=worker)

    # then
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["worker"]["status"] == "ok"
    assert body["checks"]["database"]["engine"] == "postgresql"
    assert body["status"] == "ok"


def _photo(size: tuple[int, int] = (1600, 1200)) -> io.BytesIO:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 40):
        draw.line((x, 0, x, size[1]), fill="navy", width=6)
    draw.ellipse((400, 300, 1200, 900), fill="orange")
    data = io.BytesIO()
    image.save(data, format="JPEG", quality=90)
    data.seek(0)
    data.name = "phone-front.jpg"
    return data


def test_uploaded_photo_gets_its_thumbnails_from_the_worker(worker, settings):
    # given
    listing = ListingFactory()

    # when: the selling service stores the photo and, after commit, sends the thumbnail task
    photo = listing_photo_add(listing_id=listing.pk, seller=listing.seller, upload=_photo())

    # then: the worker process made every thumbnail, marked the photo ready and set the cover
    assert photo.status == PhotoStatus.PROCESSING
    ready = wait_for(
        lambda: ListingPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.READY).first(),
        what="the worker to make the thumbnails",
        worker=worker,
    )
    listing.refresh_from_db()
    assert listing.cover_key == ready.key
    for width in settings.LISTING_THUMBNAIL_WIDTHS:
        path = settings.MEDIA_ROOT / ready.thumbnail_url(width).removeprefix(settings.MEDIA_URL)
        with Image.open(path) as thumbnail:
            assert thumbnail.format == "WEBP"
            assert thumbnail.width == width
