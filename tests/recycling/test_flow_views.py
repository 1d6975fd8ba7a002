"""The "Sell with us" steps as a seller walks them: each step's errors, answers kept across steps and
errors, photos held between visits, the final submit (once, even from two tabs)."""

import re
import uuid

import pytest
from django.urls import reverse

from listings.models import Grade
from recycling.models import Submission, SubmissionStatus
from recycling.views.flow import FLOW_KEY
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, UserFactory
from tests.listings import images

pytestmark = pytest.mark.django_db

ATTRIBUTES = {
    "storage": "256 GB",
    "colour": "Sierra Blue",
    "carrier_lock": "unlocked",
    "account_removed": "yes",
}
CONDITION = {
    "usage": "light",
    "screen_cracks": "no",
    "screen_marks": "none",
    "body": "none",
    "battery": "85",
    "works": "all",
    "repairs": "never",
}


def url(step: str) -> str:
    return reverse(f"recycling:flow_{step}")


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
        brand=BrandFactory(slug="apple", name="Apple"), category=phones, name="iPhone 13 Pro"
    )


def _photo(name="photo.jpg"):
    return images.upload(images.jpeg_bytes((1200, 900)), name)


def _walk_to(client, step, phones, iphone):
    """Answer every step before `step`."""
    order = ["category", "item", "attributes", "condition", "photos", "review"]
    posts = {
        "category": {"category": phones.pk},
        "item": {"catalog_model": iphone.pk},
        "attributes": ATTRIBUTES,
        "condition": CONDITION,
        "photos": {"front": _photo(), "back": _photo(), "screen_on": _photo()},
    }
    for name in order[: order.index(step)]:
        response = client.post(url(name), posts[name])
        assert response.status_code == 302, (name, response.content[:2000])


def _token(response) -> str:
    return re.search(rb'name="token" value="([0-9a-f-]+)"', response.content).group(1).decode()


def test_the_start_page_explains_and_starts_the_flow(client):
    response = client.get(reverse("recycling:start"))
    assert response.status_code == 200
    assert b"Recycle: cash now" in response.content and b"Consign" in response.content
    assert url("category").encode() in response.content


def test_steps_need_a_signed_in_user(client):
    response = client.get(url("category"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_seller_walks_every_step_and_submits(
    client, seller, phones, iphone, django_capture_on_commit_callbacks
):
    response = client.get(url("category"))
    assert response.status_code == 200 and b"Phones" in response.content
    _walk_to(client, "review", phones, iphone)

    response = client.get(url("review"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Apple iPhone 13 Pro" in content and "Sierra Blue" in content and "85 to 89%" in content
    assert "Excellent" in content  # "light use" and "85 to 89%" battery cap the grade at A
    token = _token(response)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("recycling:flow_submit"), {"token": token})

    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "recycling:detail", args=[submission.pk]
    )
    assert submission.seller == seller and submission.catalog_model == iphone
    assert submission.declared_grade == Grade.EXCELLENT
    assert submission.photos.count() == 3
    assert submission.status == SubmissionStatus.ESTIMATED  # the eager job ran on commit
    assert FLOW_KEY not in client.session

    # The same form again, from a second tab: no second submission, the first one is shown.
    response = client.post(reverse("recycling:flow_submit"), {"token": token})
    assert response["Location"] == reverse("recycling:detail", args=[submission.pk])
    assert Submission.objects.count() == 1


def test_later_steps_send_back_to_the_first_unanswered_one(client, seller, phones, iphone):
    assert client.get(url("photos"))["Location"] == url("category")
    _walk_to(client, "attributes", phones, iphone)
    assert client.get(url("review"))["Location"] == url("attributes")
    assert client.get(url("item")).status_code == 200  # earlier steps stay open to change


def test_category_step_errors(client, seller, phones):
    response = client.post(url("category"), {})
    assert response.status_code == 200 and b"Please choose a category." in response.content
    response = client.post(url("category"), {"category": phones.parent.pk})  # not a leaf
    assert response.status_code == 200 and b"Please choose one of the categories shown." in response.content


def test_model_step_errors_and_other(client, seller, phones, iphone):
    _walk_to(client, "item", phones, iphone)
    response = client.post(url("item"), {})
    assert response.status_code == 200
    assert b"Choose your model from the list, or choose the brand" in response.content
    assert b"Please say what the item is" in response.content

    foreign = CatalogModelFactory(category=CategoryFactory(slug="laptops"))
    response = client.post(url("item"), {"catalog_model": foreign.pk})
    assert b"This model is not in the list for this category." in response.content

    response = client.post(url("item"), {"brand": iphone.brand.pk, "title": "Old flip phone"})
    assert response["Location"] == url("attributes")
    assert client.session[FLOW_KEY]["item"] == {
        "catalog_model": None,
        "brand": iphone.brand.pk,
        "title": "Old flip phone",
    }


@pytest.mark.parametrize("value", ["abc", "1.5", "a\x00b"])
def test_a_model_that_is_not_an_id_is_a_form_error(client, seller, phones, iphone, value):
    _walk_to(client, "item", phones, iphone)
    response = client.post(url("item"), {"catalog_model": value})
    assert response.status_code == 200
    assert b"iPhone 13 Pro" in response.content
    assert "item" not in client.session[FLOW_KEY]


def test_model_search_filters_by_typed_words(client, seller, phones, iphone):
    CatalogModelFactory(brand=BrandFactory(name="Samsung"), category=phones, name="Galaxy S21")
    _walk_to(client, "item", phones, iphone)
    response = client.get(reverse("recycling:model_search"), {"q": "galaxy"}, HTTP_HX_REQUEST="true")
    assert b"Galaxy S21" in response.content and b"iPhone" not in response.content
    response = client.get(reverse("recycling:model_search"), {"q": "apple 13"})
    assert b"iPhone 13 Pro" in response.content and b"Galaxy" not in response.content
    response = client.get(reverse("recycling:model_search"), {"q": "zzz"})
    assert b"No model matches" in response.content
    # Without JavaScript the step page itself filters.
    response = client.get(url("item"), {"q": "galaxy"})
    assert b"Galaxy S21" in response.content and b"iPhone 13 Pro" not in response.content


def test_model_search_ignores_nul_characters(client, seller, phones, iphone):
    _walk_to(client, "item", phones, iphone)
    response = client.get(reverse("recycling:model_search"), {"q": "apple\x00 13"})
    assert response.status_code == 200 and b"iPhone 13 Pro" in response.content
    response = client.get(url("item"), {"q": "\x00"})
    assert response.status_code == 200 and b"iPhone 13 Pro" in response.content


def test_attribute_step_errors_keep_what_was_typed(client, seller, phones, iphone):
    _walk_to(client, "attributes", phones, iphone)
    response = client.post(url("attributes"), {"colour": "Graphite", "storage": "3 GB"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Please choose one of the answers shown." in content  # storage
    assert "Please answer “Carrier lock”." in content
    assert 'value="Graphite"' in content


def test_condition_step_errors(client, seller, phones, iphone):
    _walk_to(client, "condition", phones, iphone)
    response = client.post(url("condition"), CONDITION | {"battery": ""})
    assert response.status_code == 200
    assert "Please answer “Battery health?”." in response.content.decode()
    assert "checked" in response.content.decode()  # the other answers stay chosen


def test_photos_step_keeps_good_photos_when_one_is_refused(client, seller, phones, iphone):
    _walk_to(client, "photos", phones, iphone)
    response = client.post(
        url("photos"), {"front": _photo(), "back": images.upload(images.SHELL_SCRIPT, "back.jpg")}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a photo we accept" in content
    assert "Please add the photo “Screen on”." in content
    held = client.session[FLOW_KEY]["photos"]
    assert set(held) == {"front"}
    preview = client.get(reverse("recycling:flow_photo", args=["front"]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"

    # Only the missing views are needed now.
    response = client.post(url("photos"), {"back": _photo(), "screen_on": _photo()})
    assert response["Location"] == url("review")
    assert set(client.session[FLOW_KEY]["photos"]) == {"front", "back", "screen_on"}


def test_changing_the_category_forgets_the_old_answers_and_photos(client, seller, phones, iphone, settings):
    _walk_to(client, "review", phones, iphone)
    bags = CategoryFactory(slug="bags", parent=CategoryFactory(slug="luxury"))
    client.post(url("category"), {"category": bags.pk})
    state = client.session[FLOW_KEY]
    assert state["category"] == bags.pk and "item" not in state and not state.get("photos")
    pending = settings.PRIVATE_MEDIA_ROOT / "recycling" / "pending"
    assert not [path for path in pending.rglob("*") if path.is_file()]


def test_a_stale_token_does_not_submit(client, seller, phones, iphone):
    _walk_to(client, "review", phones, iphone)
    response = client.post(reverse("recycling:flow_submit"), {"token": str(uuid.uuid4())})
    assert response["Location"] == url("review")
    assert not Submission.objects.exists()


def test_restart_forgets_everything(client, seller, phones, iphone):
    _walk_to(client, "review", phones, iphone)
    response = client.post(reverse("recycling:flow_restart"))
    assert response["Location"] == url("category")
    assert FLOW_KEY not in client.session


def test_the_pages_answer_in_chinese(client, seller, phones, iphone):
    response = client.get("/zh-hans/sell-with-us/")
    assert response.status_code == 200 and b'lang="zh-hans"' in response.content
    _walk_to(client, "review", phones, iphone)
    response = client.get("/zh-hans/sell-with-us/new/review/")
    assert response.status_code == 200 and "手机".encode() in response.content  # the category's Chinese name
