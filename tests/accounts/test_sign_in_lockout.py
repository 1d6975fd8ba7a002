"""Sign-in lockout (django-axes): per account and per address, on the sign-in page, the admin's
and the API token endpoint. Seen before: 40 wrong passwords, then the right one signed in; a
rotating X-Forwarded-For got past the token endpoint's throttle every time."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _sign_in(client, username, password, **headers):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **headers)


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client, settings):
    UserFactory(username="ren")

    wrong = [_sign_in(client, "ren", f"guess-{n}").status_code for n in range(40)]
    right = _sign_in(client, "ren", PASSWORD)

    limit = settings.SIGN_IN_FAILURE_LIMIT
    assert wrong == [200] * (limit - 1) + [429] * (40 - limit + 1)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    html = right.content.decode()
    assert "Sign-in paused" in html
    assert f"in {settings.SIGN_IN_LOCKOUT_MINUTES} minutes" in html
    assert right["Retry-After"] == str(settings.SIGN_IN_LOCKOUT_MINUTES * 60)


def test_a_locked_account_is_locked_from_another_address_too(client, settings):
    UserFactory(username="ren")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        _sign_in(client, "ren", f"guess-{n}", REMOTE_ADDR="203.0.113.5")

    response = _sign_in(client, "ren", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_does_not_reset_the_count_with_no_trusted_proxy(client, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    UserFactory(username="ren")
    # One address guessing a different account each time, claiming a new address in the header each time.
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        _sign_in(client, f"someone-{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1")

    response = _sign_in(client, "ren", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_one_trusted_proxy_the_address_it_appends_is_the_one_counted(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="ren")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        # Whatever the client wrote on the left, the proxy appended 203.0.113.5.
        _sign_in(client, f"someone-{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1, 203.0.113.5")

    blocked = _sign_in(client, "ren", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    other_client = _sign_in(client, "ren", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")

    assert blocked.status_code == 429
    assert other_client.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_the_right_password_works_again_after_the_pause(client, settings):
    UserFactory(username="ren")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        _sign_in(client, "ren", f"guess-{n}")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES, seconds=1)
    )

    response = _sign_in(client, "ren", PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_admin_sign_in_locks_out_too(client, settings):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "boss", "password": f"guess-{n}"})

    response = client.post(reverse("admin:login"), {"username": "boss", "password": PASSWORD})

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_answers_in_chinese(client, settings):
    UserFactory(username="ren")
    url = "/zh-hans" + reverse("accounts:login")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        client.post(url, {"username": "ren", "password": f"guess-{n}"})

    response = client.post(url, {"username": "ren", "password": PASSWORD})

    assert response.status_code == 429
    assert '<html lang="zh-hans">' in response.content.decode()


# --- The API token endpoint ---------------------------------------------------------------------------


def test_the_token_endpoint_locks_out_with_a_json_answer(api, settings):
    UserFactory(username="carol")
    wrong = [
        api.post(TOKEN_URL, {"username": "carol", "password": f"guess-{n}"}, format="json")
        for n in range(settings.SIGN_IN_FAILURE_LIMIT)
    ]

    right = api.post(TOKEN_URL, {"username": "carol", "password": PASSWORD}, format="json")

    assert [response.status_code for response in wrong[:-1]] == [400] * (settings.SIGN_IN_FAILURE_LIMIT - 1)
    assert wrong[-1].status_code == 429
    assert right.status_code == 429
    body = right.json()
    assert body["code"] == "locked_out"
    assert body["retry_after"] == settings.SIGN_IN_LOCKOUT_MINUTES * 60
    assert "Try again after" in body["detail"]
    assert right["Retry-After"] == str(settings.SIGN_IN_LOCKOUT_MINUTES * 60)
    assert "token" not in body


def test_rotating_x_forwarded_for_does_not_reset_the_token_lockout(api, settings):
    UserFactory(username="carol")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        api.post(
            TOKEN_URL,
            {"username": f"someone-{n}", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",
        )

    response = api.post(
        TOKEN_URL, {"username": "carol", "password": PASSWORD}, format="json", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_rotating_x_forwarded_for_does_not_reset_the_token_throttle(api, settings):
    """Seen: 14 tries with a new X-Forwarded-For each got past the throttle 14 times out of 14."""
    settings.AXES_FAILURE_LIMIT = 100  # the throttle alone
    UserFactory(username="carol")

    statuses = [
        api.post(
            TOKEN_URL,
            {"username": "carol", "password": f"guess-{n}"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",
        ).status_code
        for n in range(14)
    ]

    assert statuses == [400] * 10 + [429] * 4


def test_the_token_lockout_answers_in_the_clients_language(api, settings):
    UserFactory(username="carol")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        api.post(TOKEN_URL, {"username": "carol", "password": f"guess-{n}"}, format="json")

    english = api.post(TOKEN_URL, {"username": "carol", "password": PASSWORD}, format="json")
    chinese = api.post(
        TOKEN_URL, {"username": "carol", "password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert english.json()["code"] == chinese.json()["code"] == "locked_out"
    assert english.json()["detail"].startswith("Too many wrong passwords")
