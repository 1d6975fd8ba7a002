"""/api/v1/addresses/: a signed-in user's own address book; errors carry code and field."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.addresses import MAX_ADDRESSES, address_create
from accounts.models import Address
from tests.accounts.address_fixtures import HOME, WORK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESSES = "/api/v1/addresses/"


def one(address_id: int) -> str:
    return f"{ADDRESSES}{address_id}/"


def make_default(address_id: int) -> str:
    return f"{ADDRESSES}{address_id}/default/"


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_visitors_get_401_and_change_nothing(user):
    address = address_create(user=user, data=HOME)
    client = APIClient()

    for method, path in [
        ("get", ADDRESSES),
        ("post", ADDRESSES),
        ("get", one(address.pk)),
        ("put", one(address.pk)),
        ("patch", one(address.pk)),
        ("delete", one(address.pk)),
        ("post", make_default(address.pk)),
    ]:
        assert getattr(client, method)(path, WORK, format="json").status_code == 401, (method, path)

    address.refresh_from_db()
    assert address.postal.as_dict() == HOME


def test_adding_an_address_answers_201_with_it_as_stored(api, user):
    response = api.post(ADDRESSES, {**HOME, "phone": "138 0013 8000", "postcode": " 310012"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in HOME} == HOME
    assert body["is_default"] is True  # the first address
    assert body["lines"] == ["Zhou Min", "13800138000", HOME["street"], "Hangzhou, Zhejiang", "310012"]
    assert Address.objects.get(user=user).pk == body["id"]


def test_a_new_address_can_be_made_the_default(api, user):
    home = address_create(user=user, data=HOME)

    later = api.post(ADDRESSES, WORK, format="json").json()
    default = api.post(ADDRESSES, {**WORK, "name": "Chen Jing", "is_default": True}, format="json").json()

    assert later["is_default"] is False
    assert default["is_default"] is True
    home.refresh_from_db()
    assert not home.is_default


def test_the_list_holds_only_the_users_own_addresses_default_first(api, user):
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)
    address_create(user=UserFactory(), data={**HOME, "name": "Someone Else"})

    response = api.get(ADDRESSES)

    assert response.status_code == 200
    assert [(row["id"], row["is_default"]) for row in response.json()] == [(home.pk, True), (work.pk, False)]


@pytest.mark.parametrize("count", [2, 15])
def test_the_list_costs_one_query_for_2_or_15_addresses(api, user, count, django_assert_num_queries):
    for number in range(count):
        address_create(user=user, data={**HOME, "name": f"Person {number}"})

    # the user's addresses (force_authenticate spares the token look-up that a real client costs)
    with django_assert_num_queries(1):
        response = api.get(ADDRESSES)

    assert len(response.json()) == count


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"phone": "12345"}, "phone", "phone_invalid"),
        ({"postcode": "1"}, "postcode", "postcode_invalid"),
        ({"name": ""}, "name", "name_required"),
        ({"name": None}, "name", "name_required"),
        ({"street": "x" * 201}, "street", "street_too_long"),
        ({"city": "Hang\x00zhou"}, "city", "city_control_character"),
        ({"region": "\ud83d"}, "region", "region_control_character"),
        ({"phone": ["13800138000"]}, "phone", "phone_invalid"),
    ],
)
def test_bad_input_answers_400_with_the_code_and_field_and_saves_nothing(api, change, field, code):
    # Sent as a JSON client sends it: a lone surrogate travels escaped ("\\ud83d").
    response = api.post(ADDRESSES, json.dumps({**HOME, **change}), content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert body[field] == [body["detail"]]
    assert not Address.objects.exists()


def test_a_missing_field_is_named(api):
    data = dict(HOME)
    del data["postcode"]

    body = api.post(ADDRESSES, data, format="json").json()

    assert (body["code"], body["field"]) == ("postcode_required", "postcode")


def test_a_body_that_is_not_an_object_is_a_400(api):
    for body in (["Zhou Min"], "Zhou Min", 5):
        assert api.post(ADDRESSES, body, format="json").status_code == 400
    assert api.post(ADDRESSES, {**HOME, "is_default": "perhaps"}, format="json").status_code == 400
    assert not Address.objects.exists()


def test_a_full_book_answers_400_too_many_addresses(api, user):
    for number in range(MAX_ADDRESSES):
        address_create(user=user, data={**HOME, "name": f"Person {number}"})

    body = api.post(ADDRESSES, WORK, format="json").json()

    assert body["code"] == "too_many_addresses"
    assert "field" not in body
    assert Address.objects.filter(user=user).count() == MAX_ADDRESSES


def test_put_replaces_every_field_and_requires_them_all(api, user):
    home = address_create(user=user, data=HOME)

    response = api.put(one(home.pk), WORK, format="json")

    assert response.status_code == 200
    home.refresh_from_db()
    assert home.postal.as_dict() == {**WORK, "phone": "+442079460958", "postcode": "EC2R 8EJ"}
    assert home.is_default

    body = api.put(one(home.pk), {"name": "Only a name"}, format="json").json()
    assert (body["code"], body["field"]) == ("phone_required", "phone")
    home.refresh_from_db()
    assert home.name == WORK["name"]


def test_patch_changes_only_the_fields_sent(api, user):
    home = address_create(user=user, data=HOME)

    response = api.patch(one(home.pk), {"street": "20 Wensan Road", "is_default": False}, format="json")

    assert response.status_code == 200
    assert response.json()["street"] == "20 Wensan Road"
    home.refresh_from_db()
    assert home.postal.as_dict() == {**HOME, "street": "20 Wensan Road"}
    assert home.is_default

    body = api.patch(one(home.pk), {"phone": "+1"}, format="json").json()
    assert body["code"] == "phone_invalid"
    home.refresh_from_db()
    assert home.phone == HOME["phone"]


def test_get_reads_one_address(api, user):
    home = address_create(user=user, data=HOME)

    body = api.get(one(home.pk)).json()

    assert body["id"] == home.pk
    assert body["lines"][3] == "Hangzhou, Zhejiang"


def test_delete_hands_the_default_to_the_newest_address_left(api, user):
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)

    response = api.delete(one(home.pk))

    assert response.status_code == 204
    assert list(Address.objects.filter(user=user)) == [work]
    work.refresh_from_db()
    assert work.is_default


def test_make_default_answers_with_the_new_default(api, user):
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)

    response = api.post(make_default(work.pk))

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert [row["id"] for row in api.get(ADDRESSES).json()] == [work.pk, home.pk]


def test_another_users_address_answers_404_exactly_like_a_missing_one(api, user):
    theirs = address_create(user=UserFactory(), data=HOME)
    address_create(user=user, data=WORK)

    for address_id in (theirs.pk, theirs.pk + 1000):
        for method, path in [
            ("get", one(address_id)),
            ("put", one(address_id)),
            ("patch", one(address_id)),
            ("delete", one(address_id)),
            ("post", make_default(address_id)),
        ]:
            response = getattr(api, method)(path, WORK, format="json")
            assert response.status_code == 404, (method, path)
            assert "code" not in response.json()

    theirs.refresh_from_db()
    assert theirs.postal.as_dict() == HOME
    assert theirs.is_default
