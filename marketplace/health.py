"""`/healthz`: is each part of the system up? 200 when the site can serve, 503 when it cannot.

Everyone gets the overall status (`{"status": "ok" | "degraded" | "down"}`) and the HTTP code, which is
what load balancers and monitors read; a signed-in staff member also gets each part's details and how
long its check took (`checks`)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from marketplace.celery import app as celery_app
from marketplace.tasks import HEARTBEAT_KEY


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"status": "down", "error": error.__class__.__name__}
    return {"status": "ok", "engine": connection.vendor}


def _cache() -> dict:
    probe = f"healthz:{time.monotonic_ns()}"
    try:
        cache.set(probe, "1", timeout=5)
        ok = cache.get(probe) == "1"
        cache.delete(probe)
    except Exception as error:
        return {"status": "down", "error": error.__class__.__name__}
    return {
        "status": "ok" if ok else "down",
        "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def _broker() -> dict:
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return {"status": "down", "transport": transport, "error": error.__class__.__name__}
    return {"status": "ok", "transport": transport}


def _worker() -> dict:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as error:
        return {"status": "unknown", "error": error.__class__.__name__}
    if beat is None:
        return {"status": "unknown", "detail": "no heartbeat seen yet"}
    age = round(time.time() - float(beat), 1)
    status = "ok" if age <= settings.WORKER_HEARTBEAT_MAX_AGE else "stale"
    return {"status": status, "last_heartbeat_seconds_ago": age}


def _timed(check: Callable[[], dict]) -> dict:
    started = time.monotonic()
    result = check()
    return {**result, "ms": round((time.monotonic() - started) * 1000, 1)}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        name: _timed(check)
        for name, check in (
            ("database", _database),
            ("cache", _cache),
            ("broker", _broker),
            ("worker", _worker),
        )
    }
    # The site serves pages as long as its database answers; a cache or broker that is down degrades
    # features, not pages, but still answers 503 so that monitoring names the part that failed. A
    # worker not heard from lately is reported and does not fail the check.
    serving = checks["database"]["status"] == "ok"
    failed = any(checks[name]["status"] != "ok" for name in ("database", "cache", "broker"))
    healthy = not failed and checks["worker"]["status"] == "ok"
    body: dict = {"status": "ok" if healthy else ("degraded" if serving else "down")}
    # Which part failed, its error and timings tell an attacker what the site runs on and when it is
    # weak: only staff see them. Everyone else gets the overall status and the HTTP code.
    if request.user.is_staff:
        body["checks"] = checks
    return JsonResponse(body, status=503 if failed else 200)
