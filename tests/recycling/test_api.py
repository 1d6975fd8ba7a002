"""A seller's submissions through the API: submit with photos, read the estimate, book shipping,
cancel; bad input answers 400 and leaves nothing behind; nobody else can see or touch them."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import roles
from demo import images as demo_images
from listings.models import Grade
from recycling.models import (
    Confidence,
    Submission,
    SubmissionEvent,
    SubmissionPhoto,
    SubmissionStatus,
    Valuation,
)
from shipping.models import Shipment, ShipmentStatus
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/v1/submissions/"
PHONE_VIEWS = ("front", "back", "screen_on")
PHONE_ATTRIBUTES = {
    "storage": "128 GB",
    "colour": "Midnight",
    "carrier_lock": "unlocked",
    "account_removed": "yes",
}
PHONE_CONDITION = {
    "usage": "light",
    "screen_cracks": "no",
    "screen_marks": "none",
    "body": "light",
    "battery": "90",
    "works": "all",
    "repairs": "never",
}


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
    return CategoryFactory(slug="phones", name="Phones", name_zh="手机")


@pytest.fixture
def iphone(phones):
    apple = BrandFactory(slug="apple", name="Apple")
    return CatalogModelFactory(
        brand=apple, category=phones, name="iPhone 15 Pro 128GB", launch_price=Decimal("7999.00")
    )


def photo(view: str, *, seed: int = 1, drawing: str = "phone") -> SimpleUploadedFile:
    """A drawn product photo, 1000 px square: sharp, well lit, different for every seed and view."""
    index = PHONE_VIEWS.index(view) if view in PHONE_VIEWS else 0
    data = demo_images.product_photo(drawing, seed=seed, view=min(index, 1), size=1000, label=view)
    return SimpleUploadedFile(f"{view}.jpg", data, content_type="image/jpeg")


def phone_form(iphone, *, seed: int = 1, **changes) -> dict:
    form = {
        "category": "phones",
        "catalog_model": iphone.pk,
        "attributes": json.dumps(PHONE_ATTRIBUTES),
        "condition_answers": json.dumps(PHONE_CONDITION),
        **{f"photo_{view}": photo(view, seed=seed) for view in PHONE_VIEWS},
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def submit(client, form: dict):
    return client.post(SUBMISSIONS, form, format="multipart")


def estimated(seller, iphone, **valuation) -> Submission:
    """A submission whose estimate is ready, made without photos or the job."""
    submission = SubmissionFactory(
        seller=seller, category=iphone.category, brand=iphone.brand, catalog_model=iphone
    )
    for status in (SubmissionStatus.VALUING, SubmissionStatus.ESTIMATED):
        SubmissionEvent.objects.create(submission=submission, old=submission.status, new=status)
        submission.status = status
    submission.save()
    Valuation.objects.create(
        submission=submission,
        model_version="test",
        cash_low=Decimal("3100.00"),
        cash_high=Decimal("3500.00"),
        consign_low=Decimal("3600.00"),
        consign_high=Decimal("4100.00"),
        confidence=Confidence.MEDIUM,
        expires_at=timezone.now() + timedelta(days=7),
        **valuation,
    )
    return submission


# --- Signed out ---------------------------------------------------------------------------------------


def test_every_submission_endpoint_needs_sign_in(seller, iphone):
    submission = estimated(seller, iphone)
    anonymous = APIClient()
    base = f"{SUBMISSIONS}{submission.pk}/"

    responses = [
        anonymous.get(SUBMISSIONS),
        anonymous.post(SUBMISSIONS, phone_form(iphone), format="multipart"),
        anonymous.get(base),
        anonymous.post(f"{base}shipping/", {"method": "drop_off"}, format="json"),
        anonymous.post(f"{base}cancel/"),
    ]

    assert [response.status_code for response in responses] == [401] * 5
    assert Submission.objects.count() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_token_authentication(seller, iphone):
    estimated(seller, iphone)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "seller", "password": "a-long-test-password"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(SUBMISSIONS)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


# --- Submitting ---------------------------------------------------------------------------------------


def test_submit_creates_the_submission_with_its_photos_and_starts_the_estimate(client, seller, iphone):
    # when
    response = submit(client, phone_form(iphone))

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    submission = Submission.objects.get(pk=body["id"])
    assert submission.seller == seller
    assert (body["code"], body["status"]) == (submission.code, "valuing")
    assert submission.catalog_model == iphone
    assert submission.brand == iphone.brand
    assert submission.attributes["storage"] == "128 GB"
    assert submission.condition_answers == PHONE_CONDITION
    assert submission.declared_grade == Grade.EXCELLENT  # light use and light body marks cap at A
    assert sorted(
        SubmissionPhoto.objects.filter(submission=submission).values_list("view", flat=True)
    ) == sorted(PHONE_VIEWS)
    assert sorted(p["view"] for p in body["photos"]) == sorted(PHONE_VIEWS)
    assert all(p["width"] == 1000 for p in body["photos"])
    assert body["valuation"] is None
    assert [event["status"] for event in body["timeline"]] == ["valuing"]
    assert body["can_cancel"] is True


def test_the_estimate_appears_once_the_job_has_run(client, iphone, django_capture_on_commit_callbacks):
    # when: the transaction commits, and the (eager) job values the submission
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(client, phone_form(iphone))
    response = client.get(f"{SUBMISSIONS}{created.json()['id']}/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "estimated"
    valuation = body["valuation"]
    assert Decimal(valuation["cash_low"]) > 0
    assert Decimal(valuation["cash_high"]) >= Decimal(valuation["cash_low"])
    assert Decimal(valuation["consign_high"]) >= Decimal(valuation["consign_low"]) > 0
    assert valuation["confidence"] in Confidence.values
    assert valuation["model_version"]
    assert valuation["reasons"] and all(reason["code"] and reason["text"] for reason in valuation["reasons"])
    assert valuation["expired"] is False
    assert [event["status"] for event in body["timeline"]] == ["valuing", "estimated"]
    assert body["can_book_shipping"] is True


def test_reasons_and_labels_follow_the_request_language(
    client, seller, iphone, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(client, phone_form(iphone)).json()

    english = client.get(f"{SUBMISSIONS}{created['id']}/").json()
    chinese = client.get(f"{SUBMISSIONS}{created['id']}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert [r["code"] for r in english["valuation"]["reasons"]] == [
        r["code"] for r in chinese["valuation"]["reasons"]
    ]
    assert english["valuation"]["reasons"] != chinese["valuation"]["reasons"]
    assert any("\u4e00" <= ch <= "\u9fff" for r in chinese["valuation"]["reasons"] for ch in r["text"])
    assert chinese["category"]["name"] == "手机"


def test_other_item_with_brand_and_title(client, phones):
    BrandFactory(slug="nokia", name="Nokia")

    response = submit(
        client,
        {
            "category": "phones",
            "brand": "nokia",
            "title": "Nokia 8110 4G, yellow",
            "attributes": json.dumps(PHONE_ATTRIBUTES),
            "condition_answers": json.dumps(PHONE_CONDITION),
            **{f"photo_{view}": photo(view, seed=9) for view in PHONE_VIEWS},
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "Nokia 8110 4G, yellow"
    assert response.json()["catalog_model"] is None
    assert response.json()["brand"]["slug"] == "nokia"


def test_the_same_client_token_twice_makes_one_submission(client, iphone):
    token = "6f1c2b8e-3d6a-4b0f-9a51-0c8e2f4d7a10"

    first = submit(client, phone_form(iphone, client_token=token))
    second = submit(client, phone_form(iphone, seed=2, client_token=token))

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Submission.objects.count() == 1


def _not_a_photo(view: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{view}.jpg", b"%PDF-1.4 not a photo at all", content_type="image/jpeg")


BAD_FORMS = {
    "bad JSON": ({"attributes": "{storage: 128"}, "attributes"),
    "attributes not an object": ({"attributes": "[1, 2]"}, "attributes"),
    "huge attributes": ({"attributes": json.dumps({"colour": "x" * 20_000})}, "attributes"),
    "nested answers": ({"condition_answers": json.dumps({"usage": {"a": 1}})}, "condition_answers"),
    "unknown attribute value": (
        {"attributes": json.dumps({**PHONE_ATTRIBUTES, "storage": "3 TB"})},
        "attributes",
    ),
    "unanswered condition question": (
        {"condition_answers": json.dumps({"usage": "light"})},
        "condition_answers",
    ),
    "NUL in a text answer": (
        {"attributes": json.dumps({**PHONE_ATTRIBUTES, "colour": "Mid\u0000night"})},
        "attributes",
    ),
    "NUL in an answer's name": (
        {"attributes": json.dumps({**PHONE_ATTRIBUTES, "col\u0000our": "Midnight"})},
        "attributes",
    ),
    "unknown category": ({"category": "spaceships"}, "category"),
    "category not a slug": ({"category": "phones; DROP TABLE"}, "category"),
    "unknown catalog model": ({"catalog_model": 999_999}, "catalog_model"),
    "catalog model not a number": ({"catalog_model": "iphone"}, "catalog_model"),
    "missing view": ({"photo_screen_on": None}, "photo_screen_on"),
    "wrong file type": ({"photo_back": "not-a-photo"}, "photo_back"),
    "view the category does not ask for": ({"photo_sole": "photo"}, "photo_sole"),
    "bad client token": ({"client_token": "not-a-uuid"}, "client_token"),
}


@pytest.mark.parametrize("changes, field", BAD_FORMS.values(), ids=BAD_FORMS.keys())
def test_bad_input_is_400_under_the_field_to_fix_and_leaves_nothing(client, iphone, settings, changes, field):
    changes = dict(changes)
    for name, value in changes.items():
        if value == "not-a-photo":
            changes[name] = _not_a_photo(name)
        elif value == "photo":
            changes[name] = photo("front", seed=5)

    response = submit(client, phone_form(iphone, **changes))

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert response.json()[field]
    assert not Submission.objects.exists()
    assert not SubmissionPhoto.objects.exists()
    private = settings.PRIVATE_MEDIA_ROOT
    assert not private.exists() or not any(path.is_file() for path in private.rglob("*"))


def test_a_parent_category_is_not_precise_enough(client, iphone):
    CategoryFactory(slug="electronics", name="Electronics")
    iphone.category.parent = CategoryFactory(slug="electronics")
    iphone.category.save()

    response = submit(client, phone_form(iphone, category="electronics"))

    assert response.status_code == 400
    assert response.json()["code"] == "category_not_leaf"
    assert response.json()["category"]


def test_json_body_is_refused_politely(client, iphone):
    response = client.post(SUBMISSIONS, {"category": "phones"}, format="json")

    assert response.status_code == 415
    assert not Submission.objects.exists()


def test_too_many_fields_is_400_not_an_error_page(client, iphone, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20

    response = submit(client, {**phone_form(iphone), **{f"extra{index}": "x" for index in range(50)}})

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Submission.objects.exists()


def test_a_field_past_the_upload_limit_is_400(client, iphone, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000

    response = submit(client, phone_form(iphone, title="x" * 6_000))

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Submission.objects.exists()


def test_a_photo_past_the_size_limit_is_413_under_its_field(client, iphone, settings):
    settings.LISTING_PHOTO_MAX_BYTES = 10_000

    response = submit(client, phone_form(iphone))

    # Refused as it arrives (marketplace.upload_limits), before the rest of it is stored.
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["photo_front"]
    assert not Submission.objects.exists()


# --- Reading ------------------------------------------------------------------------------------------


def test_my_submissions_are_mine_newest_first(client, seller, iphone):
    now = timezone.now()
    older = SubmissionFactory(seller=seller, created_at=now - timedelta(hours=2))
    newer = estimated(seller, iphone)
    SubmissionFactory()  # someone else's

    response = client.get(SUBMISSIONS)
    only_estimated = client.get(SUBMISSIONS, {"status": "estimated"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[0]["estimate"]["cash_low"] == "3100.00"
    assert rows[0]["estimate"]["currency"]
    assert rows[1]["estimate"] is None
    assert [row["id"] for row in only_estimated.json()["results"]] == [newer.pk]


def test_my_submissions_page_through_without_gaps(client, seller):
    created = timezone.now()
    category, brand = CategoryFactory(), BrandFactory()
    for _index in range(30):  # the same creation time: the id breaks the tie
        SubmissionFactory(seller=seller, category=category, brand=brand, created_at=created)

    first = client.get(SUBMISSIONS).json()
    second = client.get(first["next"]).json()

    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 30
    assert second["next"] is None


@pytest.mark.parametrize("query", ["status=lost", "cursor=garbage"])
def test_my_submissions_bad_query_is_400(client, query):
    assert client.get(f"{SUBMISSIONS}?{query}").status_code == 400


@pytest.mark.parametrize("count", [5, 500])
def test_my_submissions_query_count(django_assert_num_queries, seller, iphone, count):
    submissions = Submission.objects.bulk_create(
        Submission(
            seller=seller,
            category=iphone.category,
            brand=iphone.brand,
            catalog_model=iphone if index % 2 else None,
            title=f"Item {index}",
            declared_grade=Grade.GOOD,
            status=SubmissionStatus.ESTIMATED,
        )
        for index in range(count)
    )
    Valuation.objects.bulk_create(
        Valuation(
            submission=submission,
            model_version="test",
            cash_low=Decimal("100.00"),
            cash_high=Decimal("120.00"),
            confidence=Confidence.MEDIUM,
            expires_at=timezone.now() + timedelta(days=7),
        )
        for submission in submissions
    )
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "seller", "password": "a-long-test-password"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    # 1: the token with its user, 2: the page with category, brand and catalog model joined in,
    # 3: the page's valuations (the newest is each row's estimate). No COUNT(*).
    with django_assert_num_queries(3) as captured:
        response = client.get(SUBMISSIONS)

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 24)
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_detail_query_count(django_assert_num_queries, client, seller, iphone):
    submission = estimated(seller, iphone)

    # 1: is the reader staff (groups), 2: the submission with its joins, then one each for its
    # timeline, photos, valuations and shipments.
    with django_assert_num_queries(6):
        response = client.get(f"{SUBMISSIONS}{submission.pk}/")

    assert response.status_code == 200


def test_someone_elses_submission_is_404_but_staff_see_it(seller, iphone):
    submission = estimated(seller, iphone)
    stranger, operator = APIClient(), APIClient()
    stranger.force_authenticate(UserFactory())
    staff_member = UserFactory()
    staff_member.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    operator.force_authenticate(staff_member)
    url = f"{SUBMISSIONS}{submission.pk}/"

    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{SUBMISSIONS}999999/").status_code == 404
    assert operator.get(url).status_code == 200
    assert operator.get(url).json()["code"] == submission.code
    assert stranger.get(SUBMISSIONS).json()["results"] == []


def test_photo_flags_are_shown_on_their_photo(client, seller, iphone):
    submission = estimated(seller, iphone, photo_flags=[{"view": "back", "code": "blurred"}])
    for view in PHONE_VIEWS:
        SubmissionPhoto.objects.create(
            submission=submission, view=view, key=f"{view}-key", width=1000, height=1000
        )

    body = client.get(f"{SUBMISSIONS}{submission.pk}/").json()

    flags = {p["view"]: p["flags"] for p in body["photos"]}
    assert flags["front"] == flags["screen_on"] == []
    assert [flag["code"] for flag in flags["back"]] == ["blurred"]
    assert flags["back"][0]["message"]


# --- Shipping and cancelling --------------------------------------------------------------------------


def test_book_drop_off_returns_tracking_and_an_absolute_label_url(client, seller, iphone):
    SubmissionFactory()  # so that the submission's id and the shipment's differ
    submission = estimated(seller, iphone)

    response = client.post(f"{SUBMISSIONS}{submission.pk}/shipping/", {"method": "drop_off"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    shipment = Shipment.objects.get(reference=submission.code)
    assert body["tracking_number"] == shipment.tracking_number
    assert body["method"] == "drop_off"
    assert body["label_url"].startswith("http://testserver/")
    browser = Client()
    browser.force_login(seller)
    label = browser.get(body["label_url"])
    assert label.status_code == 200
    assert label["Content-Type"] == "application/pdf"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SHIPPING
    detail = client.get(f"{SUBMISSIONS}{submission.pk}/").json()
    assert detail["shipment"]["tracking_number"] == shipment.tracking_number
    assert detail["can_book_shipping"] is False


PICKUP = {
    "name": "Li Wei",
    "phone": "138 1234 5678",
    "region": "Zhejiang",
    "city": "Hangzhou",
    "street": "88 Wensan Road, Xihu District",
    "postcode": "310012",
}


def test_book_pickup_in_an_offered_slot(client, seller, iphone):
    submission = estimated(seller, iphone)
    slots = client.get("/api/v1/shipping/pickup-slots/").json()
    start, end = slots[0]["start"], slots[0]["end"]

    url = f"{SUBMISSIONS}{submission.pk}/shipping/"
    without_address = client.post(url, {"method": "pickup", "pickup_start": start}, format="json")
    bad_address = client.post(
        url,
        {"method": "pickup", "pickup_start": start, "address": {**PICKUP, "phone": "call me"}},
        format="json",
    )
    response = client.post(url, {"method": "pickup", "pickup_start": start, "address": PICKUP}, format="json")

    assert without_address.status_code == 400
    assert without_address.json()["code"] == "address_required"
    assert bad_address.status_code == 400
    assert (bad_address.json()["code"], bad_address.json()["field"]) == ("phone_invalid", "phone")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["method"] == "pickup"
    assert (body["pickup_start"], body["pickup_end"]) == (start, end)
    shipment = Shipment.objects.get(reference=submission.code)
    assert shipment.sender == {**PICKUP, "phone": "13812345678"}


def test_booking_again_returns_the_live_shipment(client, seller, iphone):
    submission = estimated(seller, iphone)
    url = f"{SUBMISSIONS}{submission.pk}/shipping/"

    first = client.post(url, {"method": "drop_off"}, format="json")
    again = client.post(url, {"method": "drop_off"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_number"] == again.json()["tracking_number"]
    assert Shipment.objects.count() == 1


def test_booking_before_the_estimate_is_refused(client, seller):
    valuing = SubmissionFactory(seller=seller, status=SubmissionStatus.VALUING)

    response = client.post(f"{SUBMISSIONS}{valuing.pk}/shipping/", {"method": "drop_off"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "not_estimated"
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_booking_with_an_expired_estimate_is_refused(client, seller, iphone):
    submission = estimated(seller, iphone)
    Valuation.objects.filter(submission=submission).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(f"{SUBMISSIONS}{submission.pk}/shipping/", {"method": "drop_off"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "estimate_expired"
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"method": "teleport"}, {"method": "pickup", "pickup_start": "tomorrow"}],
    ids=["no method", "unknown method", "bad date"],
)
def test_bad_booking_is_400(client, seller, iphone, body):
    submission = estimated(seller, iphone)

    response = client.post(f"{SUBMISSIONS}{submission.pk}/shipping/", body, format="json")

    assert response.status_code == 400
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_someone_elses_submission_cannot_be_shipped_or_cancelled(seller, iphone):
    submission = estimated(seller, iphone)
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    shipping = stranger.post(f"{SUBMISSIONS}{submission.pk}/shipping/", {"method": "drop_off"}, format="json")
    cancel = stranger.post(f"{SUBMISSIONS}{submission.pk}/cancel/")

    assert (shipping.status_code, cancel.status_code) == (404, 404)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_cancel_before_shipping(client, seller, iphone):
    submission = estimated(seller, iphone)

    response = client.post(f"{SUBMISSIONS}{submission.pk}/cancel/")
    again = client.post(f"{SUBMISSIONS}{submission.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["can_cancel"] is False
    assert again.status_code in (400, 409)
    assert again.json()["code"]
