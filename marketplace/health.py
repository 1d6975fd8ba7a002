"""`/healthz`: is each part of the system up? 200 when the site can serve, 503 when it cannot."""

import time

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


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache(), "broker": _broker(), "worker": _worker()}
    # The site serves pages as long as its database answers; the rest degrades features, not pages.
    serving = checks["database"]["status"] == "ok"
    healthy = serving and all(checks[name]["status"] == "ok" for name in ("cache", "broker", "worker"))
    body = {"status": "ok" if healthy else ("degraded" if serving else "down"), "checks": checks}
    return JsonResponse(body, status=200 if serving else 503)
