"""The address book pages: /accounts/addresses/ lists a user's own addresses with their actions, and
the add and edit pages show each field's error under it; the fields partial that other forms include."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from accounts.addresses import MAX_ADDRESSES, address_create
from accounts.forms import AddressForm
from accounts.models import Address
from tests.accounts.address_fixtures import HOME, WORK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BOOK = reverse("accounts:addresses")
ADD = reverse("accounts:address_add")


def edit_url(address: Address) -> str:
    return reverse("accounts:address_edit", args=[address.pk])


def delete_url(address: Address) -> str:
    return reverse("accounts:address_delete", args=[address.pk])


def default_url(address: Address) -> str:
    return reverse("accounts:address_default", args=[address.pk])


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_visitors_are_sent_to_sign_in():
    address = address_create(user=UserFactory(), data=HOME)
    client = Client()

    for method, path in [
        ("get", BOOK),
        ("get", ADD),
        ("post", ADD),
        ("get", edit_url(address)),
        ("post", edit_url(address)),
        ("post", delete_url(address)),
        ("post", default_url(address)),
    ]:
        response = getattr(client, method)(path, WORK)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{reverse('accounts:login')}?next="), path

    address.refresh_from_db()
    assert address.postal.as_dict() == HOME
    assert Address.objects.count() == 1


def test_an_empty_book_invites_the_first_address(client, user):
    html = client.get(BOOK).content.decode()

    assert "You have not saved an address yet" in html
    assert f'href="{ADD}"' in html


def test_the_book_lists_the_users_own_addresses_default_first_with_their_actions(client, user):
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)
    someone_elses = address_create(user=UserFactory(), data={**HOME, "name": "Someone Else"})

    response = client.get(BOOK)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Zhou Min") < html.index("周敏")
    assert "Hangzhou, Zhejiang" in html and "+442079460958" in html and "EC2R 8EJ" in html
    assert html.count("Default address") == 1
    assert "Someone Else" not in html and edit_url(someone_elses) not in html
    # the default can be edited and deleted; the other can also be made the default
    assert f'action="{default_url(work)}"' in html and f'action="{default_url(home)}"' not in html
    for address in (home, work):
        assert f'href="{edit_url(address)}"' in html
        assert f'action="{delete_url(address)}"' in html
    assert len(re.findall(r'<form method="post" action="/accounts/addresses/', html)) == 3
    assert html.count('name="csrfmiddlewaretoken"') >= 3
    # the Chinese address is marked as Chinese on the English page
    assert f'id="address-{work.pk}" lang="zh-hans"' in html
    # the header links to the book
    assert f'<a href="{BOOK}">Addresses</a>' in html


@pytest.mark.parametrize("count", [2, 12])
def test_the_book_costs_the_same_queries_for_2_or_12_addresses(
    client, user, count, django_assert_num_queries
):
    for number in range(count):
        address_create(user=user, data={**HOME, "name": f"Person {number}"})

    # the signed-in user and the addresses (the session comes from the cache)
    with django_assert_num_queries(2):
        response = client.get(BOOK)

    assert response.content.decode().count("Person ") == count


def test_the_add_page_shows_the_six_fields_for_autofill(client, user):
    html = client.get(ADD).content.decode()

    for name, autocomplete in [
        ("name", "name"),
        ("phone", "tel"),
        ("region", "address-level1"),
        ("city", "address-level2"),
        ("street", "street-address"),
        ("postcode", "postal-code"),
    ]:
        assert re.search(
            rf'<(input|textarea)[^>]*name="{name}"[^>]*autocomplete="{autocomplete}"', html
        ) or re.search(rf'<(input|textarea)[^>]*autocomplete="{autocomplete}"[^>]*name="{name}"', html), name
    assert 'type="tel"' in html
    assert '<textarea name="street"' in html
    assert 'name="make_default"' in html


def test_adding_the_first_address_saves_it_as_the_default(client, user):
    response = client.post(ADD, {**HOME, "phone": "138 0013 8000"})

    assert response.status_code == 302
    assert response["Location"] == BOOK
    address = Address.objects.get(user=user)
    assert (address.phone, address.is_default) == ("13800138000", True)
    assert "Address added." in messages_of(client.get(BOOK))


def test_a_new_address_can_be_made_the_default(client, user):
    home = address_create(user=user, data=HOME)

    client.post(ADD, {**WORK, "make_default": "on"})

    home.refresh_from_db()
    assert not home.is_default
    assert Address.objects.get(user=user, is_default=True).name == "周敏"


def test_the_add_page_returns_to_where_the_person_came_from(client, user):
    response = client.post(f"{ADD}?next=/orders/", {**HOME, "next": "/orders/"})
    assert response["Location"] == "/orders/"

    response = client.post(ADD, {**WORK, "next": "https://evil.example/"})
    assert response["Location"] == BOOK


def test_bad_input_shows_each_fields_error_under_it_and_saves_nothing(client, user):
    response = client.post(ADD, {**HOME, "name": "", "phone": "12345", "postcode": "1", "street": "a\x00b"})

    html = response.content.decode()
    assert response.status_code == 400
    assert not Address.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"name", "phone", "street", "postcode"}
    for field in ("name", "phone", "street", "postcode"):
        assert f'id="id_{field}_error"' in html
        assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html) or re.search(
            rf'aria-invalid="true"[^>]*name="{field}"', html
        ), field
    assert "Enter the name of the person the parcel is for." in html
    assert "mainland China mobile number (11 digits)" in html
    assert "3 to 10 letters and digits" in html
    assert "control characters" in html
    # what was typed stays in the form
    assert 'value="12345"' in html and "Hangzhou" in html


def test_a_full_book_says_so_on_the_page_and_takes_no_more(client, user):
    for number in range(MAX_ADDRESSES):
        address_create(user=user, data={**HOME, "name": f"Person {number}"})

    html = client.get(BOOK).content.decode()
    assert f'href="{ADD}"' not in html
    assert f"holds {MAX_ADDRESSES} addresses" in html

    response = client.post(ADD, WORK)
    assert response.status_code == 400
    assert "Your address book is full" in response.content.decode()
    assert Address.objects.filter(user=user).count() == MAX_ADDRESSES


def test_the_edit_page_shows_the_address_and_saves_changes(client, user):
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)

    html = client.get(edit_url(work)).content.decode()
    assert 'value="周敏"' in html and 'value="+442079460958"' in html
    assert 'name="make_default"' not in html

    response = client.post(edit_url(work), {**WORK, "street": "2 Poultry", "postcode": "EC2R 8EJ"})

    assert response.status_code == 302
    work.refresh_from_db()
    assert work.street == "2 Poultry"
    assert not work.is_default
    home.refresh_from_db()
    assert home.is_default
    assert "Address saved." in messages_of(client.get(BOOK))


def test_a_bad_edit_shows_the_error_and_changes_nothing(client, user):
    home = address_create(user=user, data=HOME)

    response = client.post(edit_url(home), {**HOME, "city": "x" * 61})

    assert response.status_code == 400
    assert "Use at most 60 characters" in response.content.decode()
    home.refresh_from_db()
    assert home.city == "Hangzhou"


def test_delete_and_make_default_are_posts_that_come_back_to_the_book(client, user):
    home = address_create(user=user, data=HOME)
    work = address_create(user=user, data=WORK)
    spare = address_create(user=user, data={**HOME, "name": "Chen Jing"})

    assert client.get(delete_url(work)).status_code == 405
    assert client.get(default_url(work)).status_code == 405

    response = client.post(default_url(work))
    assert response["Location"] == BOOK
    assert Address.objects.get(user=user, is_default=True) == work
    assert "Default address changed." in messages_of(client.get(BOOK))

    response = client.post(delete_url(work))
    assert response["Location"] == BOOK
    assert Address.objects.get(user=user, is_default=True) == spare  # the newest left
    assert set(Address.objects.filter(user=user)) == {home, spare}
    assert "Address deleted." in messages_of(client.get(BOOK))


def test_another_users_address_is_not_found(client, user):
    theirs = address_create(user=UserFactory(), data=HOME)
    address_create(user=user, data=WORK)

    for method, path in [
        ("get", edit_url(theirs)),
        ("post", edit_url(theirs)),
        ("post", delete_url(theirs)),
        ("post", default_url(theirs)),
    ]:
        assert getattr(client, method)(path, WORK).status_code == 404, (method, path)

    theirs.refresh_from_db()
    assert theirs.postal.as_dict() == HOME
    assert theirs.is_default
    assert client.get(reverse("accounts:address_edit", args=[theirs.pk + 1000])).status_code == 404


def test_the_forms_are_protected_against_cross_site_posts(user):
    address = address_create(user=user, data=HOME)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(ADD, WORK).status_code == 403
    assert client.post(delete_url(address)).status_code == 403
    assert Address.objects.filter(user=user).count() == 1


def test_the_chinese_pages_render(client, user):
    address = address_create(user=user, data=HOME)
    edit = edit_url(address)

    for path in (BOOK, ADD, edit):
        response = client.get(f"/zh-hans{path}")
        html = response.content.decode()
        assert response.status_code == 200, path
        assert '<html lang="zh-hans">' in html
    book = client.get(f"/zh-hans{BOOK}").content.decode()
    assert "编辑" in book  # "Edit"
    assert f'href="/zh-hans{edit}"' in book
    assert 'lang="en"' in book  # the address, written in English, on the Chinese page


# --- The fields partial, as checkout and courier pickup include it ----------------------------------

PARTIAL = Template('{% include "accounts/_address_fields.html" with form=address_form %}')


def test_the_fields_partial_renders_the_six_fields_with_labels_help_and_errors():
    data = {**HOME, "phone": "not a phone"}
    form = AddressForm({f"ship-{name}": value for name, value in data.items()}, prefix="ship")
    form.is_valid()

    html = PARTIAL.render(Context({"address_form": form}))

    assert html.count("<label") == 6
    for name in ("name", "phone", "region", "city", "street", "postcode"):
        assert f'for="id_ship-{name}"' in html and f'id="id_ship-{name}"' in html
    # each aria-describedby points at an element of the partial
    for reference in re.findall(r'aria-describedby="([^"]+)"', html):
        for element_id in reference.split():
            assert f'id="{element_id}"' in html, element_id
    assert 'aria-describedby="id_ship-phone_helptext id_ship-phone_error"' in html
    assert 'id="id_ship-street_helptext"' in html
    assert "mainland China mobile number (11 digits)" in html
    for autocomplete in ("name", "tel", "address-level1", "address-level2", "street-address", "postal-code"):
        assert f'autocomplete="{autocomplete}"' in html
    assert html.count(" required") == 6


def test_the_address_form_cleans_what_it_takes_as_the_services_do():
    form = AddressForm({**HOME, "phone": "138-0013-8000", "postcode": " 310012 "})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "13800138000"
    assert form.postal_address().as_dict() == HOME
