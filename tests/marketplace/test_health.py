import time

import pytest
from django.core.cache import cache

from marketplace.tasks import HEARTBEAT_KEY, worker_heartbeat
from tests.factories import UserFactory
from tests.outages import DEAD_REDIS_URL, broker_down, django_redis_cache

pytestmark = pytest.mark.django_db


def _health(client) -> tuple[int, dict]:
    # Each part's details are for staff; test_health_details.py shows what everyone else gets.
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_reports_each_part_of_the_system(client):
    status, body = _health(client)

    assert status == 200
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"


def test_worker_is_unknown_before_any_heartbeat(client):
    _status, body = _health(client)

    assert body["checks"]["worker"]["status"] == "unknown"
    assert body["status"] == "degraded"


def test_worker_is_ok_after_the_heartbeat_task_ran(client):
    worker_heartbeat.delay()  # eager in unit tests: runs here, as the worker would

    status, body = _health(client)

    assert status == 200
    assert body["checks"]["worker"]["status"] == "ok"
    assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] < 5
    assert body["status"] == "ok"


def test_worker_is_stale_when_the_last_heartbeat_is_old(client, settings):
    cache.set(HEARTBEAT_KEY, time.time() - settings.WORKER_HEARTBEAT_MAX_AGE - 30)

    status, body = _health(client)

    assert status == 200  # pages still serve; background jobs are what suffers
    assert body["checks"]["worker"]["status"] == "stale"
    assert body["status"] == "degraded"


def test_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_a_cache_that_does_not_answer_is_named_and_the_check_fails(client, settings):
    settings.CACHES = django_redis_cache(DEAD_REDIS_URL)

    status, body = _health(client)

    assert status == 503
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["status"] == "degraded"  # pages still serve, from the database


def test_a_broker_that_does_not_answer_is_named_and_the_check_fails(client):
    with broker_down():
        status, body = _health(client)

    assert status == 503
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["status"] == "degraded"
