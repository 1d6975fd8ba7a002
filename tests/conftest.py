"""Shared test set-up.

Tests that need a real service carry a marker: `postgres`, `redis`, `integration` (a real Celery
worker: needs both) or `browser` (Chromium). When the service is missing they are skipped, unless
REQUIRE_SERVICES=1 (CI), where they fail: a green CI run has really exercised them.
"""

import os
import shutil
from functools import cache

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside
# one unless told that this is deliberate. Only the tests' own thread is affected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@cache
def _postgres_missing() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    return None


@cache
def _redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "needs Redis: set REDIS_URL=redis://..."
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer: {error}"
    return None


@cache
def _browser_missing() -> str | None:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright package"
    return None


REQUIREMENTS = {
    "postgres": (_postgres_missing,),
    "redis": (_redis_missing,),
    "integration": (_postgres_missing, _redis_missing),
    "browser": (_browser_missing,),
}


def _commits(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return any(name in getattr(item, "fixturenames", ()) for name in ("transactional_db", "live_server"))


def _restores_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """pytest-django runs the tests that commit for real after the others; of those, the ones with
    serialized_rollback go first. Each of them puts back the rows migrations left, by their ids,
    which fails once a test without it has emptied the database and Django has made the content
    types again under new ids."""
    restoring = [item for item in items if _restores_the_database(item)]
    rest = [item for item in items if not _restores_the_database(item)]
    first_commit = next((index for index, item in enumerate(rest) if _commits(item)), len(rest))
    items[:] = rest[:first_commit] + restoring + rest[first_commit:]


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, checks in REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        for check in checks:
            reason = check()
            if reason is None:
                continue
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _test_speed_and_static(settings):
    """Hash passwords cheaply (hashing dominates user creation) and serve static files without the
    manifest that only `collectstatic` writes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _isolated_files_and_cache(request, settings, tmp_path):
    """Every test gets its own media folders and an empty in-process cache, so that query counts are
    measured cold and nothing a test writes reaches var/. Tests marked `redis` keep the real cache.
    What the process holds in front of the cache (marketplace.process_memo) is dropped too."""
    from marketplace import process_memo

    process_memo.forget()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    if (
        request.node.get_closest_marker("redis") is None
        and request.node.get_closest_marker("integration") is None
    ):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": request.node.nodeid,
            }
        }


@pytest.fixture(autouse=True)
def _default_language():
    """A request to a /zh-hans/ page leaves Chinese active in the test thread; start each test in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Unit tests run Celery tasks in-process; integration tests send them to a real worker."""
    from marketplace.celery import app

    eager = request.node.get_closest_marker("integration") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _payment_webhooks_in_process(request, settings):
    """The sandbox payment provider posts its signed webhooks to the site over HTTP; with no server
    running (unit tests) it hands the same signed body to the webhook view in-process. Browser and
    integration tests, which have a server, set the URL themselves."""
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = ""
