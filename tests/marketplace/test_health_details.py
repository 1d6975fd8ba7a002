"""What `/healthz` tells whom: everyone gets the overall status and the HTTP code; only staff get each
part's details (which part failed, its error, the database engine, timings)."""

import pytest

from marketplace import health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_get_the_status_and_nothing_else(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"status"}
    assert response.json()["status"] in {"ok", "degraded"}


def test_a_signed_in_shopper_gets_no_details_either(client):
    client.force_login(UserFactory())

    assert set(client.get("/healthz").json()) == {"status"}


def test_staff_get_each_part_with_how_long_its_check_took(client):
    client.force_login(UserFactory(is_staff=True))

    body = client.get("/healthz").json()

    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}
    for part in body["checks"].values():
        assert part["ms"] >= 0
    assert body["checks"]["database"]["engine"] in {"sqlite", "postgresql"}


def test_a_failed_part_answers_503_and_names_the_part_only_to_staff(client, monkeypatch):
    monkeypatch.setattr(health, "_database", lambda: {"status": "down", "error": "OperationalError"})

    anonymous = client.get("/healthz")
    client.force_login(UserFactory(is_staff=True))
    staff = client.get("/healthz")

    assert anonymous.status_code == 503
    assert anonymous.json() == {"status": "down"}
    assert "OperationalError" not in anonymous.content.decode()
    assert staff.status_code == 503
    assert staff.json()["checks"]["database"]["error"] == "OperationalError"
