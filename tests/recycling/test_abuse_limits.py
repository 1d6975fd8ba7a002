"""Limits on "Sell with us": a request's photos have a pixel budget checked before any is decoded,
and photo uploads and estimates are rate-limited per user, on the pages and through the API."""

from unittest import mock

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from recycling.models import Submission, SubmissionStatus
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, SubmissionFactory, UserFactory
from tests.listings import images
from tests.recycling.test_api import phone_form, submit
from tests.recycling.test_flow_views import _photo, _walk_to, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def phones():
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    return CategoryFactory(slug="phones", name="Phones", name_zh="手机", parent=electronics)


@pytest.fixture
def iphone(phones):
    return CatalogModelFactory(
        brand=BrandFactory(slug="apple", name="Apple"), category=phones, name="iPhone 13"
    )


@pytest.fixture
def api(seller) -> APIClient:
    client = APIClient()
    client.force_authenticate(seller)
    return client


def test_photos_past_the_pixel_budget_are_refused_on_the_photo_step(client, seller, phones, iphone, settings):
    settings.PHOTO_REQUEST_MAX_PIXELS = 2_000_000
    _walk_to(client, "photos", phones, iphone)

    with mock.patch("listings.photos.check_photo", side_effect=AssertionError("decoded")) as decode:
        response = client.post(url("photos"), {"front": _photo(), "back": _photo(), "screen_on": _photo()})

    assert response.status_code == 200
    assert "These photos have 3 megapixels together" in response.content.decode()
    decode.assert_not_called()


def test_photos_past_the_pixel_budget_are_refused_by_the_api(api, iphone, settings):
    settings.PHOTO_REQUEST_MAX_PIXELS = 2_000_000

    with mock.patch("recycling.services.intake.check_photo", side_effect=AssertionError("decoded")) as decode:
        response = submit(api, phone_form(iphone))

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_pixels_in_request"
    assert response.json()["field"] == "photos"
    decode.assert_not_called()
    assert not Submission.objects.exists()


def test_the_photo_step_is_rate_limited(client, seller, phones, iphone, settings):
    settings.PHOTO_UPLOAD_RATE = "1/hour"
    _walk_to(client, "photos", phones, iphone)
    client.post(url("photos"), {"front": _photo()})

    response = client.post(url("photos"), {"back": _photo()})

    assert response.status_code == 429
    assert "You have sent a lot of photos in a short while." in response.content.decode()
    assert "Try again in" in response.content.decode()


def test_estimates_are_rate_limited_through_the_api(api, iphone, settings):
    settings.ESTIMATE_RATE = "1/hour"

    first = submit(api, phone_form(iphone, seed=1))
    second = submit(api, phone_form(iphone, seed=2))
    listed = api.get("/api/v1/submissions/")  # reading is never counted

    assert first.status_code == 201
    assert second.status_code == 429
    assert second.json()["code"] == "throttled"
    assert "estimates" in second.json()["detail"]
    assert listed.status_code == 200
    assert Submission.objects.count() == 1


def test_a_new_estimate_on_the_page_shares_the_allowance(client, api, seller, iphone, settings):
    settings.ESTIMATE_RATE = "1/hour"
    submit(api, phone_form(iphone))
    expired = SubmissionFactory(seller=seller, status=SubmissionStatus.ESTIMATE_EXPIRED)

    response = client.post(reverse("recycling:revalue", args=[expired.pk]))

    assert response.status_code == 429
    assert "You have asked for a lot of estimates in a short while." in response.content.decode()
    expired.refresh_from_db()
    assert expired.status == SubmissionStatus.ESTIMATE_EXPIRED


def test_one_photo_past_the_size_limit_on_the_flow_is_413(client, seller, phones, iphone, settings):
    _walk_to(client, "photos", phones, iphone)
    settings.LISTING_PHOTO_MAX_BYTES = 100_000

    response = client.post(
        url("photos"), {"front": images.upload(images.jpeg_bytes((64, 64)) + b"\0" * 200_000, "front.jpg")}
    )

    assert response.status_code == 413
    assert "front.jpg is larger than" in response.content.decode()
