"""API tokens expire after API_TOKEN_DAYS and can be revoked with DELETE /api/v1/auth/token/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
CREDENTIALS = {"username": "carol", "password": "a-long-test-password"}


def _token(client: APIClient) -> dict:
    response = client.post(TOKEN_URL, CREDENTIALS, format="json")
    assert response.status_code == 200
    return response.json()


def _age(days: float) -> None:
    Token.objects.update(created=timezone.now() - timedelta(days=days))


def test_the_token_says_when_it_expires(settings):
    UserFactory(username="carol")

    body = _token(APIClient())

    expires = parse_datetime(body["expires_at"])
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((expires - expected).total_seconds()) < 60


def test_an_expired_token_is_refused_and_signing_in_again_gives_a_new_one(settings):
    UserFactory(username="carol")
    old = _token(APIClient())["token"]
    _age(settings.API_TOKEN_DAYS + 0.01)
    holder = APIClient()
    holder.credentials(HTTP_AUTHORIZATION=f"Token {old}")

    refused = holder.get("/api/v1/my/listings/")
    # A client that still sends its old token while signing in again is not turned away.
    fresh = holder.post(TOKEN_URL, CREDENTIALS, format="json").json()["token"]
    holder.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")

    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    assert fresh != old
    assert holder.get("/api/v1/my/listings/").status_code == 200


def test_a_token_within_its_days_is_reused(settings):
    UserFactory(username="carol")
    first = _token(APIClient())["token"]
    _age(settings.API_TOKEN_DAYS - 1)

    assert _token(APIClient())["token"] == first


def test_delete_revokes_the_token_at_once():
    UserFactory(username="carol")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(client)['token']}")

    revoked = client.delete(TOKEN_URL)

    assert revoked.status_code == 204
    assert client.get("/api/v1/my/listings/").status_code == 401
    assert not Token.objects.exists()


def test_delete_without_a_token_is_401():
    UserFactory(username="carol")
    _token(APIClient())

    response = APIClient().delete(TOKEN_URL)

    assert response.status_code == 401
    assert Token.objects.count() == 1
