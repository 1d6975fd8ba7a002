"""A seller's own listings through the API: list, create, change, withdraw, photos; and that nobody
else can see or touch them."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from rest_framework.test import APIClient

from listings.models import Grade, Listing, ListingPhoto, ListingStatus, PhotoStatus
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

MINE = "/api/v1/my/listings/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Factories hash a password for every user; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seller():
    return UserFactory(username="seller")


@pytest.fixture
def client(seller) -> APIClient:
    client = APIClient()
    client.force_authenticate(seller)
    return client


@pytest.fixture
def phones():
    return CategoryFactory(slug="phones", name="Phones")


def jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, 800, 20):
        draw.line((x, 0, x, 600), fill="navy", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def new_listing(phones, **changes) -> dict:
    return {
        "title": "iPhone 13, 128 GB",
        "description": "Always in a case.",
        "category": phones.slug,
        "price": "2999.00",
        "grade": "A",
        **changes,
    }


# --- Signed out ---------------------------------------------------------------------------------------


def test_every_selling_endpoint_needs_sign_in(seller):
    listing = ListingFactory(seller=seller)
    photo = ListingPhoto.objects.create(listing=listing, key="a" * 32, width=10, height=10)
    anonymous = APIClient()
    base = f"{MINE}{listing.pk}/"

    responses = [
        anonymous.get(MINE),
        anonymous.post(MINE, {"title": "x"}, format="json"),
        anonymous.get(base),
        anonymous.patch(base, {"title": "Mine now"}, format="json"),
        anonymous.post(f"{base}withdraw/"),
        anonymous.post(f"{base}photos/", {"image": jpeg_upload()}, format="multipart"),
        anonymous.delete(f"{base}photos/{photo.pk}/"),
    ]

    assert [response.status_code for response in responses] == [401] * 7
    listing.refresh_from_db()
    assert listing.title != "Mine now"
    assert listing.status == ListingStatus.ACTIVE
    assert ListingPhoto.objects.filter(pk=photo.pk).exists()


# --- Listing my listings ------------------------------------------------------------------------------


def test_my_listings_are_mine_in_every_status_newest_first(client, seller):
    now = timezone.now()
    draft = ListingFactory(seller=seller, status=ListingStatus.DRAFT, published_at=None, created_at=now)
    withdrawn = ListingFactory(
        seller=seller, status=ListingStatus.WITHDRAWN, created_at=now - timedelta(hours=1)
    )
    on_sale = ListingFactory(seller=seller, created_at=now - timedelta(hours=2))
    ListingFactory()  # someone else's

    response = client.get(MINE)
    only_drafts = client.get(MINE, {"status": "draft"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [draft.pk, withdrawn.pk, on_sale.pk]
    assert [row["status"] for row in response.json()["results"]] == ["draft", "withdrawn", "active"]
    assert [row["id"] for row in only_drafts.json()["results"]] == [draft.pk]


def test_my_listings_page_through_without_gaps(client, seller):
    created = timezone.now()
    category, brand = CategoryFactory(), BrandFactory()
    for _index in range(30):  # the same creation time: the id breaks the tie
        ListingFactory(seller=seller, category=category, brand=brand, created_at=created)

    first = client.get(MINE).json()
    second = client.get(first["next"]).json()

    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 30
    assert second["next"] is None


@pytest.mark.parametrize(
    "query", ["status=sold-out", "cursor=garbage", "cursor=eyJ2IjpbIngiLCJ5Il0sImIiOmZhbHNlfQ"]
)
def test_my_listings_bad_query_is_400(client, query):
    response = client.get(f"{MINE}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize("count", [5, 500])
def test_my_listings_query_count(django_assert_num_queries, seller, count):
    category, brand = CategoryFactory(), BrandFactory()
    Listing.objects.bulk_create(
        Listing(
            seller=seller,
            title=f"Item {index}",
            category=category,
            brand=brand,
            price=Decimal(100 + index),
            grade=Grade.GOOD,
            status=ListingStatus.DRAFT if index % 2 else ListingStatus.ACTIVE,
            published_at=None if index % 2 else timezone.now(),
        )
        for index in range(count)
    )
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "seller", "password": "a-long-test-password"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    # 1: the token with its user, 2: the category tree (cached; the cache starts empty in tests),
    # which names each card's category, 3: the page with the brands joined in. No COUNT(*).
    with django_assert_num_queries(3) as captured:
        response = client.get(MINE)

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 24)
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


# --- Creating -----------------------------------------------------------------------------------------


def test_create_puts_the_listing_on_sale(client, seller, phones):
    apple = BrandFactory(slug="apple")
    iphone = CatalogModelFactory(brand=apple, category=phones, name="iPhone 13")

    response = client.post(
        MINE,
        new_listing(phones, brand="apple", catalog_model=iphone.pk, reference_price="5999.00"),
        format="json",
    )

    assert response.status_code == 201
    listing = Listing.objects.get(pk=response.json()["id"])
    assert listing.seller == seller
    assert listing.status == ListingStatus.ACTIVE
    assert listing.published_at is not None
    assert (listing.title, listing.price, listing.grade) == ("iPhone 13, 128 GB", Decimal("2999.00"), "A")
    assert (listing.brand, listing.catalog_model, listing.reference_price) == (
        apple,
        iphone,
        Decimal("5999.00"),
    )
    assert response.json()["status"] == "active"
    assert response.json()["photos"] == []


def test_create_as_draft(client, phones):
    response = client.post(MINE, new_listing(phones, publish=False), format="json")

    assert response.status_code == 201
    assert Listing.objects.get(pk=response.json()["id"]).status == ListingStatus.DRAFT


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "cheap"}, "price"),
        ({"price": "0"}, "price"),
        ({"price": "1e30"}, "price"),
        ({"price": "99999999999999999999999999"}, "price"),
        ({"price": ["12"]}, "price"),
        ({"grade": "Z"}, "grade"),
        ({"category": "no-such-category"}, "category"),
        ({"category": ["phones"]}, "category"),
        ({"brand": ["apple", "samsung"]}, "brand"),
        ({"catalog_model": 99999999999999999999999}, "catalog_model"),
        ({"catalog_model": "iphone"}, "catalog_model"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"title": {"en": "nested"}}, "title"),
        ({"publish": "perhaps"}, "publish"),
    ],
)
def test_create_with_bad_input_is_a_field_error(client, phones, changes, field):
    response = client.post(MINE, new_listing(phones, **changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Listing.objects.exists()


def test_create_with_a_rule_the_service_enforces_is_400_with_its_code(client, phones):
    CategoryFactory(slug="android", parent=phones)

    response = client.post(MINE, new_listing(phones), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "category_not_leaf"
    assert not Listing.objects.exists()


def test_create_with_a_price_above_the_limit_is_400(client, phones):
    response = client.post(MINE, new_listing(phones, price="50000000.00"), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_price"


def test_create_with_a_body_that_is_not_an_object_is_400(client):
    response = client.post(MINE, ["a", "list"], format="json")

    assert response.status_code == 400


# --- Reading and changing one -------------------------------------------------------------------------


def test_read_my_draft_with_every_photo(client, seller):
    listing = ListingFactory(seller=seller, status=ListingStatus.DRAFT, published_at=None)
    ListingPhoto.objects.create(listing=listing, key="b" * 32, width=10, height=10, status=PhotoStatus.READY)
    ListingPhoto.objects.create(listing=listing, key="c" * 32, width=10, height=10, position=1)

    response = client.get(f"{MINE}{listing.pk}/")

    assert response.status_code == 200
    photos = response.json()["photos"]
    assert [photo["status"] for photo in photos] == ["ready", "processing"]
    assert len(photos[0]["thumbnails"]) == 3
    assert photos[1]["thumbnails"] == []


def test_update_changes_only_what_is_sent(client, seller):
    listing = ListingFactory(seller=seller, title="Old title", price=Decimal("100.00"))

    response = client.patch(f"{MINE}{listing.pk}/", {"price": "80.50"}, format="json")

    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.price == Decimal("80.50")
    assert listing.title == "Old title"
    assert response.json()["price"] == "80.50"


def test_update_with_bad_input_changes_nothing(client, seller):
    listing = ListingFactory(seller=seller, title="Old title", price=Decimal("100.00"))

    response = client.patch(f"{MINE}{listing.pk}/", {"price": "-3", "title": "New"}, format="json")

    assert response.status_code == 400
    assert "price" in response.json()
    listing.refresh_from_db()
    assert (listing.price, listing.title) == (Decimal("100.00"), "Old title")


def test_update_a_sold_listing_is_refused(client, seller):
    listing = ListingFactory(seller=seller, status=ListingStatus.SOLD, title="Sold thing")

    response = client.patch(f"{MINE}{listing.pk}/", {"title": "Renamed"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "listing_not_editable"
    listing.refresh_from_db()
    assert listing.title == "Sold thing"


def test_withdraw(client, seller):
    listing = ListingFactory(seller=seller)

    response = client.post(f"{MINE}{listing.pk}/withdraw/")
    again = client.post(f"{MINE}{listing.pk}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.WITHDRAWN
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    # Withdrawn listings leave the channel at once.
    assert APIClient().get(f"/api/v1/listings/{listing.pk}/").status_code == 404


# --- Photos -------------------------------------------------------------------------------------------


def test_upload_a_photo(client, seller):
    listing = ListingFactory(seller=seller)

    response = client.post(f"{MINE}{listing.pk}/photos/", {"image": jpeg_upload()}, format="multipart")

    assert response.status_code == 201
    photo = ListingPhoto.objects.get(listing=listing)
    assert response.json()["id"] == photo.pk
    assert (photo.width, photo.height) == (800, 600)
    assert response.json()["status"] in ("processing", "ready")


def test_upload_something_that_is_not_a_photo_is_400_with_its_code(client, seller):
    listing = ListingFactory(seller=seller)
    fake = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\necho not a photo\n", content_type="image/jpeg")

    response = client.post(f"{MINE}{listing.pk}/photos/", {"image": fake}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_photo"
    assert not ListingPhoto.objects.exists()


def test_upload_without_a_file_is_a_field_error(client, seller):
    listing = ListingFactory(seller=seller)

    response = client.post(f"{MINE}{listing.pk}/photos/", {"image": "text"}, format="multipart")

    assert response.status_code == 400
    assert "image" in response.json()


def test_remove_a_photo(client, seller):
    listing = ListingFactory(seller=seller)
    photo = ListingPhoto.objects.create(listing=listing, key="d" * 32, width=10, height=10)

    response = client.delete(f"{MINE}{listing.pk}/photos/{photo.pk}/")

    assert response.status_code == 204
    assert not ListingPhoto.objects.filter(pk=photo.pk).exists()


def test_remove_a_photo_through_another_of_my_listings_is_404(client, seller):
    listing, other = ListingFactory(seller=seller), ListingFactory(seller=seller)
    photo = ListingPhoto.objects.create(listing=listing, key="e" * 32, width=10, height=10)

    response = client.delete(f"{MINE}{other.pk}/photos/{photo.pk}/")

    assert response.status_code == 404
    assert ListingPhoto.objects.filter(pk=photo.pk).exists()


# --- Someone else's listing ---------------------------------------------------------------------------


def test_another_sellers_listing_is_404_everywhere_and_unchanged(client):
    theirs = ListingFactory(title="Their camera", price=Decimal("500.00"))
    photo = ListingPhoto.objects.create(listing=theirs, key="f" * 32, width=10, height=10)
    base = f"{MINE}{theirs.pk}/"

    responses = [
        client.get(base),
        client.patch(base, {"title": "Mine now", "price": "1.00"}, format="json"),
        client.post(f"{base}withdraw/"),
        client.post(f"{base}photos/", {"image": jpeg_upload()}, format="multipart"),
        client.delete(f"{base}photos/{photo.pk}/"),
    ]

    assert [response.status_code for response in responses] == [404] * 5
    missing = client.get(f"{MINE}99999999/")
    # Indistinguishable from a listing that does not exist.
    assert {response.json()["detail"] for response in responses} == {missing.json()["detail"]}
    theirs.refresh_from_db()
    assert (theirs.title, theirs.price, theirs.status) == ("Their camera", Decimal("500.00"), "active")
    assert list(ListingPhoto.objects.filter(listing=theirs)) == [photo]
    assert theirs.pk not in [row["id"] for row in client.get(MINE).json()["results"]]


@pytest.mark.parametrize("listing_id", ["99999999999999999999999", "0"])
def test_huge_or_zero_ids_are_404(client, listing_id):
    assert client.get(f"{MINE}{listing_id}/").status_code == 404
    assert client.patch(f"{MINE}{listing_id}/", {"title": "x"}, format="json").status_code == 404
    assert client.post(f"{MINE}{listing_id}/withdraw/").status_code == 404
    assert client.delete(f"{MINE}{listing_id}/photos/{listing_id}/").status_code == 404
