"""Every `next` parameter stays on this site: sign in, sign up, favourites and the language switch."""

import pytest

from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER_HOSTS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example/",
    "http://testserver@evil.example/",
]


def assert_stays_here(response):
    location = response.headers.get("Location", "")
    assert "evil.example" not in location
    assert not location.startswith(("//", "javascript:", "/\\", "\\"))


@pytest.mark.parametrize("target", OTHER_HOSTS)
def test_sign_in_ignores_a_next_on_another_host(client, target):
    UserFactory(username="ann")
    response = client.post(
        f"/accounts/login/?next={target}", {"username": "ann", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", OTHER_HOSTS)
def test_sign_up_ignores_a_next_on_another_host(client, target):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "display_name": "Newcomer",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "next": target,
        },
    )
    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", OTHER_HOSTS)
def test_sign_up_when_signed_in_ignores_a_next_on_another_host(client, target):
    client.force_login(UserFactory())
    response = client.get("/accounts/signup/", {"next": target})
    assert_stays_here(response)


@pytest.mark.parametrize("target", OTHER_HOSTS)
@pytest.mark.parametrize("signed_in", [False, True])
def test_favourites_ignore_a_next_on_another_host(client, target, signed_in):
    listing = ListingFactory()
    if signed_in:
        client.force_login(UserFactory())
    response = client.post(f"/l/{listing.pk}/favourite/", {"action": "add", "next": target})
    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", OTHER_HOSTS)
def test_the_language_switch_ignores_a_next_on_another_host(client, target):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": target})
    assert response.status_code == 302
    assert_stays_here(response)
