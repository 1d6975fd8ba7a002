"""Upload limits on the selling pages and API: an oversized body is refused (413) before it is
stored, a request's photos have a pixel budget checked before any is decoded, and photo uploads are
rate-limited per user, pages and API together. Seen before: a 200 MB upload written to disk in full
before the 15 MB check, and 12 near-40-megapixel PNGs holding a web worker for 25 s."""

import io
from unittest import mock

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from listings.models import Grade, Listing, ListingPhoto
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.listings import images

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def stored_bytes(monkeypatch) -> list[int]:
    """How many bytes of uploaded files reached the handler that writes them to temporary files."""
    written: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    monkeypatch.setattr("django.conf.settings.FILE_UPLOAD_MAX_MEMORY_SIZE", 0)  # every file to disk
    return written


def _form(category, **overrides):
    return {
        "title": "Leica Q2",
        "description": "Boxed.",
        "category": category.pk,
        "price": "24500.00",
        "grade": Grade.EXCELLENT,
    } | overrides


def _near_40_megapixel_png() -> bytes:
    """A real 7,000 x 5,700 PNG (39.9 megapixels), one bit per pixel so that it is quick to make."""
    output = io.BytesIO()
    Image.new("1", (7000, 5700), 1).save(output, format="PNG")
    return output.getvalue()


# --- Bytes -------------------------------------------------------------------------------------------


def test_a_200_megabyte_body_is_refused_before_a_byte_is_read(client, seller, stored_bytes, settings):
    body = b'--x\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n\r\n'

    response = client.post(
        reverse("selling:listing_create"),
        data=body,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * MB),  # what the client declares; the middleware reads nothing
    )

    assert response.status_code == 413
    # 101 MB by default: a video at its limit (LISTING_VIDEO_MAX_BYTES, 100 MB) and its form
    assert settings.UPLOAD_REQUEST_MAX_BYTES == 101 * MB
    assert "at most 101.0" in response.content.decode()
    assert stored_bytes == []
    assert not Listing.objects.exists()


def test_one_file_past_the_photo_limit_stops_being_stored_at_the_limit(
    client, seller, stored_bytes, settings
):
    settings.LISTING_PHOTO_MAX_BYTES = 1 * MB
    huge = images.jpeg_bytes((64, 64)) + b"\0" * (6 * MB)

    response = client.post(
        reverse("selling:listing_create"),
        _form(CategoryFactory(), photos=[images.upload(huge, "huge.jpg")]),
    )

    assert response.status_code == 413
    assert "huge.jpg is larger than 1.0" in response.content.decode()
    assert sum(stored_bytes) <= 1 * MB  # the rest of the file was never written
    assert not Listing.objects.exists()


def test_the_api_answers_413_as_json_under_the_field(seller, settings):
    settings.LISTING_PHOTO_MAX_BYTES = 100_000
    listing = ListingFactory(seller=seller)
    api = APIClient()
    api.force_authenticate(seller)
    big = images.jpeg_bytes((64, 64)) + b"\0" * 200_000

    response = api.post(
        f"/api/v1/my/listings/{listing.pk}/photos/",
        {"image": images.upload(big, "big.jpg")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["field"] == "image"
    assert "big.jpg is larger than" in response.json()["image"][0]
    assert not ListingPhoto.objects.exists()


def test_the_whole_request_has_a_limit_too(seller, settings):
    settings.UPLOAD_REQUEST_MAX_BYTES = 300_000
    listing = ListingFactory(seller=seller)
    api = APIClient()
    api.force_authenticate(seller)

    response = api.post(
        f"/api/v1/my/listings/{listing.pk}/photos/",
        {"image": images.upload(images.jpeg_bytes((64, 64)) + b"\0" * 400_000, "big.jpg")},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_the_413_page_answers_in_chinese(client, seller):
    url = "/zh-hans" + reverse("selling:listing_create")

    response = client.post(
        url, data=b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(200 * MB)
    )

    assert response.status_code == 413
    assert '<html lang="zh-hans">' in response.content.decode()


# --- Pixels ------------------------------------------------------------------------------------------


def test_twelve_near_40_megapixel_pngs_are_refused_before_any_is_decoded(client, seller):
    png = _near_40_megapixel_png()
    uploads = [images.upload(png, f"big-{n}.png", "image/png") for n in range(12)]

    with mock.patch("listings.photos.check_photo", side_effect=AssertionError("decoded")) as decode:
        response = client.post(reverse("selling:listing_create"), _form(CategoryFactory(), photos=uploads))

    assert response.status_code == 200
    assert "These photos have 478 megapixels together" in response.content.decode()
    assert "at most 150" in response.content.decode()
    decode.assert_not_called()
    assert not Listing.objects.exists()


def test_photos_within_the_budget_are_accepted(client, seller, settings, django_capture_on_commit_callbacks):
    settings.PHOTO_REQUEST_MAX_PIXELS = 4_000_000
    uploads = [images.upload(images.jpeg_bytes((1600, 1200)), f"p{n}.jpg") for n in range(2)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selling:listing_create"), _form(CategoryFactory(), photos=uploads))

    assert response.status_code == 302
    assert ListingPhoto.objects.count() == 2


def test_the_pixel_budget_holds_for_the_service_too(seller, settings):
    from listings.errors import PhotoRejected
    from listings.services import listing_create

    settings.PHOTO_REQUEST_MAX_PIXELS = 3_000_000
    uploads = [io.BytesIO(images.jpeg_bytes((1600, 1200))) for _ in range(2)]

    with pytest.raises(PhotoRejected) as refused:
        listing_create(
            seller=seller,
            title="Two photos",
            description="",
            category=CategoryFactory(),
            price="100",
            grade=Grade.EXCELLENT,
            uploads=uploads,
        )

    assert refused.value.code == "too_many_pixels_in_request"
    assert not Listing.objects.exists()


# --- Rate -------------------------------------------------------------------------------------------


def test_photo_uploads_are_limited_per_user_across_the_api_and_the_pages(client, seller, settings):
    settings.PHOTO_UPLOAD_RATE = "2/hour"
    listing = ListingFactory(seller=seller)
    api = APIClient()
    api.force_authenticate(seller)

    through_api = [
        api.post(
            f"/api/v1/my/listings/{listing.pk}/photos/",
            {"image": images.upload(images.jpeg_bytes((800, 600)), f"{n}.jpg")},
            format="multipart",
        )
        for n in range(3)
    ]
    page = client.post(
        reverse("selling:photo_add", args=[listing.pk]),
        {"photos": [images.upload(images.jpeg_bytes((800, 600)), "page.jpg")]},
    )

    assert [response.status_code for response in through_api] == [201, 201, 429]
    assert through_api[-1].json()["code"] == "throttled"
    assert "Try again in" in through_api[-1].json()["detail"]
    assert through_api[-1]["Retry-After"]
    assert page.status_code == 429
    assert "You have sent a lot of photos in a short while." in page.content.decode()
    assert ListingPhoto.objects.count() == 2


def test_another_seller_has_their_own_allowance(settings):
    settings.PHOTO_UPLOAD_RATE = "1/hour"
    statuses = []
    for _ in range(2):
        seller = UserFactory()
        api = APIClient()
        api.force_authenticate(seller)
        statuses.append(
            api.post(
                f"/api/v1/my/listings/{ListingFactory(seller=seller).pk}/photos/",
                {"image": images.upload(images.jpeg_bytes((800, 600)))},
                format="multipart",
            ).status_code
        )

    assert statuses == [201, 201]
