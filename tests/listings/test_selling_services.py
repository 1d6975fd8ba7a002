"""Selling use cases: create, update, withdraw, and a listing's photos."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from listings import photos
from listings.errors import ListingError, PhotoRejected
from listings.models import Grade, Listing, ListingEvent, ListingPhoto, ListingStatus, PhotoStatus
from listings.services import (
    listing_create,
    listing_photo_add,
    listing_photo_remove,
    listing_photos_add,
    listing_update,
    listing_withdraw,
)
from marketplace.errors import InvalidTransition
from tests.factories import (
    BrandFactory,
    CatalogModelFactory,
    CategoryFactory,
    ListingFactory,
    UserFactory,
)
from tests.listings import images

pytestmark = pytest.mark.django_db


def _details(**overrides):
    details = {
        "seller": UserFactory(),
        "title": "iPhone 14, 128 GB",
        "description": "Screen perfect, battery 91%.",
        "category": CategoryFactory(),
        "price": Decimal("3899.00"),
        "grade": Grade.EXCELLENT,
    }
    return details | overrides


def _files(settings, root) -> list:
    folder = settings.MEDIA_ROOT if root == "public" else settings.PRIVATE_MEDIA_ROOT
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def test_create_publishes_by_default_and_records_the_move():
    listing = listing_create(**_details())

    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE
    assert listing.published_at is not None
    event = ListingEvent.objects.get(listing=listing)
    assert (event.old, event.new, event.by) == (ListingStatus.DRAFT, ListingStatus.ACTIVE, listing.seller)


def test_create_can_keep_a_draft():
    listing = listing_create(**_details(publish=False))

    assert listing.status == ListingStatus.DRAFT
    assert listing.published_at is None
    assert not ListingEvent.objects.exists()


def test_create_fills_the_brand_from_the_catalog_model():
    model = CatalogModelFactory()

    listing = listing_create(**_details(category=model.category, catalog_model=model))

    assert listing.brand == model.brand


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": "   "}, "title_required"),
        ({"title": "x" * 121}, "title_too_long"),
        ({"price": Decimal("0")}, "invalid_price"),
        ({"price": Decimal("-5")}, "invalid_price"),
        ({"price": Decimal("10000000")}, "invalid_price"),
        ({"price": Decimal("12.345")}, "invalid_price"),
        ({"price": "lots"}, "invalid_price"),
        ({"reference_price": Decimal("0")}, "invalid_price"),
        ({"grade": "Z"}, "grade_required"),
    ],
)
def test_create_refuses_invalid_details(overrides, code):
    with pytest.raises(ListingError) as raised:
        listing_create(**_details(**overrides))

    assert raised.value.code == code
    assert str(raised.value)
    assert not Listing.objects.exists()


def test_create_refuses_a_category_that_has_children():
    phones = CategoryFactory(name="Phones")
    CategoryFactory(parent=phones)

    with pytest.raises(ListingError) as raised:
        listing_create(**_details(category=phones))

    assert raised.value.code == "category_not_leaf"
    assert "Phones" in str(raised.value)


def test_create_refuses_a_model_of_another_brand_or_category():
    model = CatalogModelFactory()

    with pytest.raises(ListingError) as other_brand:
        listing_create(**_details(category=model.category, brand=BrandFactory(), catalog_model=model))
    with pytest.raises(ListingError) as other_category:
        listing_create(**_details(category=CategoryFactory(), catalog_model=model))

    assert other_brand.value.code == "catalog_model_brand_mismatch"
    assert other_category.value.code == "catalog_model_category_mismatch"
    assert not Listing.objects.exists()


def test_create_with_photos_stores_them_in_order(settings, django_capture_on_commit_callbacks):
    uploads = [images.upload(images.jpeg_bytes((400, 300)), f"{n}.jpg") for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        listing = listing_create(**_details(uploads=uploads))

    listing.refresh_from_db()
    stored = list(listing.photos.order_by("position"))
    assert [photo.position for photo in stored] == [0, 1, 2]
    assert all(photo.status == PhotoStatus.READY for photo in stored)
    assert listing.cover_key == stored[0].key
    assert len(_files(settings, "private")) == 3
    assert len(_files(settings, "public")) == 3 * len(settings.LISTING_THUMBNAIL_WIDTHS)


def test_create_with_a_rejected_photo_creates_nothing(settings):
    uploads = [images.upload(images.jpeg_bytes()), images.upload(images.SHELL_SCRIPT, "evil.jpg")]

    with pytest.raises(PhotoRejected):
        listing_create(**_details(uploads=uploads))

    assert not Listing.objects.exists()
    assert not ListingPhoto.objects.exists()
    assert _files(settings, "private") == []


def test_create_leaves_no_file_when_the_database_write_fails(settings, monkeypatch):
    def broken_create(**kwargs):
        raise IntegrityError("the database went away")

    monkeypatch.setattr(ListingPhoto.objects, "create", broken_create)

    with pytest.raises(IntegrityError):
        listing_create(**_details(uploads=[images.upload(images.jpeg_bytes())]))

    assert not Listing.objects.exists()
    assert _files(settings, "private") == []


def test_photo_add_leaves_no_row_when_the_file_write_fails(monkeypatch):
    listing = ListingFactory()

    def full_disk(key, photo):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(photos, "store_private", full_disk)

    with pytest.raises(OSError):
        listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes())
        )

    assert not ListingPhoto.objects.exists()


def test_photo_add_refuses_more_than_the_limit(settings):
    settings.LISTING_PHOTO_MAX_COUNT = 2
    listing = ListingFactory()
    listing_photos_add(
        listing_id=listing.pk,
        seller=listing.seller,
        uploads=[images.upload(images.jpeg_bytes((200, 200))) for _ in range(2)],
    )

    with pytest.raises(ListingError) as raised:
        listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((200, 200)))
        )

    assert raised.value.code == "too_many_photos"
    assert listing.photos.count() == 2
    assert len(_files(settings, "private")) == 2


def test_photo_add_reports_the_check_that_failed():
    listing = ListingFactory()

    with pytest.raises(PhotoRejected) as raised:
        listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.gif_bytes(), "a.gif")
        )

    assert raised.value.code == "not_a_photo"
    assert not ListingPhoto.objects.exists()


def test_photo_add_to_someone_elses_listing_does_not_exist(settings):
    listing = ListingFactory()

    with pytest.raises(Listing.DoesNotExist):
        listing_photo_add(
            listing_id=listing.pk, seller=UserFactory(), upload=images.upload(images.jpeg_bytes())
        )

    assert not ListingPhoto.objects.exists()
    assert _files(settings, "private") == []


def test_update_changes_the_details():
    listing = ListingFactory(price=Decimal("100.00"))

    updated = listing_update(
        listing_id=listing.pk, seller=listing.seller, title="  New title ", price=Decimal("80")
    )

    listing.refresh_from_db()
    assert (listing.title, listing.price) == ("New title", Decimal("80.00"))
    assert updated.title == "New title"


def test_update_of_someone_elses_listing_does_not_exist():
    listing = ListingFactory(title="Mine")

    with pytest.raises(Listing.DoesNotExist):
        listing_update(listing_id=listing.pk, seller=UserFactory(), title="Yours now")

    listing.refresh_from_db()
    assert listing.title == "Mine"


@pytest.mark.parametrize("status", [ListingStatus.SOLD, ListingStatus.WITHDRAWN, ListingStatus.RESERVED])
def test_update_refuses_a_listing_off_sale(status):
    listing = ListingFactory(status=status, title="As it was")

    with pytest.raises(ListingError) as raised:
        listing_update(listing_id=listing.pk, seller=listing.seller, title="Changed")

    assert raised.value.code == "listing_not_editable"
    listing.refresh_from_db()
    assert listing.title == "As it was"


def test_update_validates_like_create():
    listing = ListingFactory(price=Decimal("100.00"))

    with pytest.raises(ListingError):
        listing_update(listing_id=listing.pk, seller=listing.seller, price=Decimal("-1"))

    listing.refresh_from_db()
    assert listing.price == Decimal("100.00")


def test_update_to_another_brand_drops_the_old_brands_model():
    model = CatalogModelFactory()
    listing = ListingFactory(category=model.category, brand=model.brand, catalog_model=model)
    other_brand = BrandFactory()

    listing_update(listing_id=listing.pk, seller=listing.seller, brand=other_brand)

    listing.refresh_from_db()
    assert (listing.brand, listing.catalog_model) == (other_brand, None)


def test_update_refuses_fields_that_are_not_details():
    listing = ListingFactory()

    with pytest.raises(TypeError):
        listing_update(listing_id=listing.pk, seller=listing.seller, status=ListingStatus.SOLD)


def test_withdraw_moves_the_listing_and_records_who():
    listing = ListingFactory()

    listing_withdraw(listing_id=listing.pk, seller=listing.seller)

    listing.refresh_from_db()
    assert listing.status == ListingStatus.WITHDRAWN
    event = ListingEvent.objects.get(listing=listing)
    assert (event.old, event.new, event.by) == (ListingStatus.ACTIVE, ListingStatus.WITHDRAWN, listing.seller)


def test_withdraw_of_someone_elses_listing_does_not_exist():
    listing = ListingFactory()

    with pytest.raises(Listing.DoesNotExist):
        listing_withdraw(listing_id=listing.pk, seller=UserFactory())

    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE
    assert not ListingEvent.objects.exists()


def test_withdraw_of_a_sold_listing_is_refused():
    listing = ListingFactory(status=ListingStatus.SOLD)

    with pytest.raises(InvalidTransition):
        listing_withdraw(listing_id=listing.pk, seller=listing.seller)

    listing.refresh_from_db()
    assert listing.status == ListingStatus.SOLD


def test_photo_remove_deletes_its_files_and_moves_the_cover(settings, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first, second = listing_photos_add(
            listing_id=listing.pk,
            seller=listing.seller,
            uploads=[images.upload(images.jpeg_bytes((300, 200))) for _ in range(2)],
        )
    listing.refresh_from_db()
    assert listing.cover_key == first.key

    with django_capture_on_commit_callbacks(execute=True):
        listing_photo_remove(photo_id=first.pk, seller=listing.seller)

    listing.refresh_from_db()
    assert listing.cover_key == second.key
    assert list(listing.photos.all()) == [second]
    assert not any(first.key in name for name in _files(settings, "public") + _files(settings, "private"))
    assert any(second.key in name for name in _files(settings, "public"))

    with django_capture_on_commit_callbacks(execute=True):
        listing_photo_remove(photo_id=second.pk, seller=listing.seller)

    listing.refresh_from_db()
    assert listing.cover_key == ""
    assert _files(settings, "public") == _files(settings, "private") == []


def test_photo_remove_of_someone_elses_photo_does_not_exist(django_capture_on_commit_callbacks):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=listing.seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )

    with pytest.raises(ListingPhoto.DoesNotExist):
        listing_photo_remove(photo_id=photo.pk, seller=UserFactory())

    assert ListingPhoto.objects.filter(pk=photo.pk).exists()
