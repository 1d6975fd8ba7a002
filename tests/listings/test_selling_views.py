"""The selling pages, as a seller (and a stranger) sees them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from listings.models import Grade, Listing, ListingEvent, ListingPhoto, ListingStatus, PhotoStatus
from listings.services import listing_photo_add
from tests.factories import CatalogModelFactory, CategoryFactory, ListingFactory, UserFactory
from tests.listings import images

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Outside DEBUG the manifest storage needs `collectstatic` first; pages here only need URLs.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _form(leaf, **overrides):
    data = {
        "title": "Leica Q2",
        "description": "Boxed, two batteries.",
        "category": leaf.pk,
        "price": "24500.00",
        "reference_price": "38000",
        "grade": Grade.EXCELLENT,
    }
    return data | overrides


def test_pages_need_a_signed_in_user(client):
    listing = ListingFactory()
    for url in [
        reverse("selling:listing_list"),
        reverse("selling:listing_create"),
        reverse("selling:listing_edit", args=[listing.pk]),
        reverse("selling:listing_withdraw", args=[listing.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_create_with_photos_puts_the_listing_on_sale(
    client, seller, settings, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    photos = [
        images.upload(images.jpeg_bytes((800, 600)), "front.jpg"),
        images.upload(images.png_bytes(), "back.png"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selling:listing_create"), _form(category, photos=photos))

    listing = Listing.objects.get(seller=seller)
    assert response.status_code == 302
    assert response["Location"] == reverse("selling:listing_edit", args=[listing.pk])
    assert listing.status == ListingStatus.ACTIVE
    assert (listing.title, listing.price, listing.reference_price) == (
        "Leica Q2",
        Decimal("24500.00"),
        Decimal("38000.00"),
    )
    assert listing.photos.filter(status=PhotoStatus.READY).count() == 2
    assert listing.cover_key == listing.photos.get(position=0).key


def test_create_form_offers_only_leaf_categories_and_explains_grades(client, seller):
    phones = CategoryFactory(name="Phones")
    CategoryFactory(name="Smartphones", parent=phones)

    response = client.get(reverse("selling:listing_create"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Phones / Smartphones" in html
    assert f'value="{phones.pk}"' not in html
    assert "Faint signs of use" in html
    assert "multiple" in html and 'type="file"' in html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (images.SHELL_SCRIPT, "holiday.jpg", "not a photo we accept"),
        (images.gif_bytes(), "funny.gif", "not a photo we accept"),
        (images.png_bomb_bytes(), "bomb.png", "too many pixels"),
        (images.truncated_jpeg_bytes(), "cut.jpg", "damaged or incomplete"),
    ],
)
def test_a_rejected_photo_names_the_file_and_creates_nothing(client, seller, settings, data, name, message):
    category = CategoryFactory()
    photos = [images.upload(images.jpeg_bytes((400, 300)), "good.jpg"), images.upload(data, name)]

    response = client.post(reverse("selling:listing_create"), _form(category, photos=photos))

    assert response.status_code == 200
    html = response.content.decode()
    assert name in html
    assert message in html
    assert "good.jpg" not in html
    assert not Listing.objects.exists()
    assert not ListingPhoto.objects.exists()
    assert not settings.PRIVATE_MEDIA_ROOT.exists() or not any(settings.PRIVATE_MEDIA_ROOT.rglob("*.jpg"))


def test_a_30_megabyte_photo_is_refused_with_the_limit(client, seller):
    category = CategoryFactory()
    huge = images.jpeg_bytes((64, 64)) + b"\0" * (30 * 1024 * 1024)

    response = client.post(
        reverse("selling:listing_create"), _form(category, photos=[images.upload(huge, "huge.jpg")])
    )

    # Refused as it arrives (marketplace.upload_limits), before the rest of it is stored.
    assert response.status_code == 413
    assert "huge.jpg is larger than 15.0" in response.content.decode()
    assert not Listing.objects.exists()


def test_more_photos_than_the_limit_are_refused(client, seller, settings):
    settings.LISTING_PHOTO_MAX_COUNT = 2
    category = CategoryFactory()
    photos = [images.upload(images.jpeg_bytes((100, 100)), f"{n}.jpg") for n in range(3)]

    response = client.post(reverse("selling:listing_create"), _form(category, photos=photos))

    assert response.status_code == 200
    assert "You can add 2 more photos; you chose 3." in response.content.decode()
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"price": "0"}, "greater than or equal to 0.01"),
        ({"price": "-3"}, "greater than or equal to 0.01"),
        ({"price": "100000000"}, "less than or equal to"),
        ({"price": "abc"}, "Enter a number."),
        ({"grade": "Z"}, "Select a valid choice."),
        ({"category": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_details_show_form_errors(client, seller, overrides, message):
    response = client.post(reverse("selling:listing_create"), _form(CategoryFactory(), **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Listing.objects.exists()


def test_a_model_from_another_category_is_a_form_error(client, seller):
    model = CatalogModelFactory(name="Q2")

    response = client.post(
        reverse("selling:listing_create"),
        _form(CategoryFactory(), brand=model.brand.pk, catalog_model=model.pk),
    )

    assert response.status_code == 200
    assert "does not belong in the category" in response.content.decode()
    assert not Listing.objects.exists()


def test_edit_saves_the_changes(client, seller):
    listing = ListingFactory(seller=seller, title="Old title")

    response = client.post(
        reverse("selling:listing_edit", args=[listing.pk]),
        _form(listing.category, title="New title", price="999.50"),
    )

    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.price) == ("New title", Decimal("999.50"))


def test_edit_page_shows_the_current_details_and_photos(client, seller, django_capture_on_commit_callbacks):
    listing = ListingFactory(seller=seller, title="Canon AE-1")
    with django_capture_on_commit_callbacks(execute=True):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=seller, upload=images.upload(images.jpeg_bytes((300, 200)))
        )

    response = client.get(reverse("selling:listing_edit", args=[listing.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Canon AE-1"' in html
    assert photo.thumbnail_url(240) in html
    assert reverse("selling:photo_remove", args=[photo.pk]) in html


def test_edit_with_bad_input_shows_errors_and_changes_nothing(client, seller):
    listing = ListingFactory(seller=seller, price=Decimal("100.00"))

    response = client.post(
        reverse("selling:listing_edit", args=[listing.pk]), _form(listing.category, price="-1")
    )

    assert response.status_code == 200
    assert "greater than or equal to 0.01" in response.content.decode()
    listing.refresh_from_db()
    assert listing.price == Decimal("100.00")


def test_a_sold_listing_cannot_be_edited(client, seller):
    listing = ListingFactory(seller=seller, status=ListingStatus.SOLD, title="Sold thing")

    page = client.get(reverse("selling:listing_edit", args=[listing.pk]))
    response = client.post(
        reverse("selling:listing_edit", args=[listing.pk]), _form(listing.category, title="Changed")
    )

    assert "can no longer be changed" in page.content.decode()
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    listing.refresh_from_db()
    assert listing.title == "Sold thing"


def test_photo_add_and_remove(client, seller, settings, django_capture_on_commit_callbacks):
    listing = ListingFactory(seller=seller)

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            reverse("selling:photo_add", args=[listing.pk]),
            {"photos": [images.upload(images.webp_bytes(), "a.webp", "image/webp")]},
        )
    photo = listing.photos.get()
    listing.refresh_from_db()
    assert added.status_code == 302
    assert listing.cover_key == photo.key

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(reverse("selling:photo_remove", args=[photo.pk]))

    assert removed.status_code == 302
    assert removed["Location"] == reverse("selling:listing_edit", args=[listing.pk])
    assert not listing.photos.exists()
    listing.refresh_from_db()
    assert listing.cover_key == ""
    assert not list(settings.MEDIA_ROOT.rglob("*.webp"))


def test_photo_add_with_a_bad_file_shows_why(client, seller):
    listing = ListingFactory(seller=seller)

    response = client.post(
        reverse("selling:photo_add", args=[listing.pk]),
        {"photos": [images.upload(images.SHELL_SCRIPT, "cat.jpg")]},
    )

    assert response.status_code == 200
    assert "cat.jpg: This file is not a photo we accept" in response.content.decode()
    assert not listing.photos.exists()


def test_photo_add_with_no_file_shows_why(client, seller):
    listing = ListingFactory(seller=seller)

    response = client.post(reverse("selling:photo_add", args=[listing.pk]), {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_withdraw_asks_then_moves_the_listing_and_records_it(client, seller):
    listing = ListingFactory(seller=seller, title="Road bike")

    page = client.get(reverse("selling:listing_withdraw", args=[listing.pk]))
    response = client.post(reverse("selling:listing_withdraw", args=[listing.pk]))

    assert page.status_code == 200
    assert "Road bike" in page.content.decode()
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.WITHDRAWN
    event = ListingEvent.objects.get(listing=listing)
    assert (event.old, event.new, event.by) == (ListingStatus.ACTIVE, ListingStatus.WITHDRAWN, seller)


def test_withdrawing_a_sold_listing_says_why(client, seller):
    listing = ListingFactory(seller=seller, status=ListingStatus.SOLD)

    response = client.post(reverse("selling:listing_withdraw", args=[listing.pk]), follow=True)

    assert response.status_code == 200
    assert "cannot be withdrawn" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SOLD


def test_another_users_listing_is_404_everywhere_and_unchanged(
    client, seller, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    listing = ListingFactory(seller=owner, title="Not yours", price=Decimal("100.00"))
    with django_capture_on_commit_callbacks(execute=True):
        photo = listing_photo_add(
            listing_id=listing.pk, seller=owner, upload=images.upload(images.jpeg_bytes((200, 200)))
        )

    responses = [
        client.get(reverse("selling:listing_edit", args=[listing.pk])),
        client.post(
            reverse("selling:listing_edit", args=[listing.pk]), _form(listing.category, title="Mine now")
        ),
        client.get(reverse("selling:listing_withdraw", args=[listing.pk])),
        client.post(reverse("selling:listing_withdraw", args=[listing.pk])),
        client.post(
            reverse("selling:photo_add", args=[listing.pk]),
            {"photos": [images.upload(images.jpeg_bytes((200, 200)))]},
        ),
        client.post(reverse("selling:photo_remove", args=[photo.pk])),
    ]

    assert [response.status_code for response in responses] == [404] * 6
    listing.refresh_from_db()
    assert (listing.title, listing.price, listing.status) == (
        "Not yours",
        Decimal("100.00"),
        ListingStatus.ACTIVE,
    )
    assert list(listing.photos.all()) == [photo]
    assert not ListingEvent.objects.filter(listing=listing).exists()


def test_my_listings_shows_only_mine(client, seller):
    ListingFactory(seller=seller, title="My camera", price=Decimal("1299.00"))
    ListingFactory(title="Someone else's bag")

    response = client.get(reverse("selling:listing_list"))

    html = response.content.decode()
    assert "My camera" in html
    assert "1,299.00" in html
    assert "Someone else&#x27;s bag" not in html and "Someone else's bag" not in html


def test_my_listings_pages_with_a_cursor(client, seller):
    ListingFactory.create_batch(25, seller=seller)

    first = client.get(reverse("selling:listing_list"))
    second = client.get(reverse("selling:listing_list") + first.context["next_url"])
    broken = client.get(reverse("selling:listing_list") + "?cursor=not-a-cursor")

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 5
    assert not {row["listing"].pk for row in first.context["rows"]} & {
        row["listing"].pk for row in second.context["rows"]
    }
    assert broken.status_code == 200
    assert len(broken.context["rows"]) == 20


@pytest.mark.parametrize("count", [5, 500])
def test_my_listings_query_count_does_not_grow(client, seller, django_assert_num_queries, count):
    ListingFactory.create_batch(count, seller=seller, category=CategoryFactory(), cover_key="ab" * 16)

    # 1: the signed-in user (the session comes from the cache)
    # 2: one page of listings with their category joined in; covers come from cover_key, no photo query
    with django_assert_num_queries(2):
        response = client.get(reverse("selling:listing_list"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 20)
