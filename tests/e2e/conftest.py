"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server (WSGI), or
against `asgi_live_server` (daphne: websockets too) for the tests of live updates.

Each test gets a fresh browser context sized like a phone, since the pages are mobile-first. When a
test fails, a screenshot of the page goes to test-results/.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.e2e.asgi_server import AsgiLiveServer, connections_closed_after_use

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # a shared 2-core CI machine is slower than a laptop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _asgi_server(django_db_setup) -> Iterator[AsgiLiveServer]:
    """One daphne for the session (Twisted's reactor cannot start twice); stopped before the test
    database is dropped, which is why it asks for django_db_setup."""
    server = AsgiLiveServer()
    with connections_closed_after_use():
        server.start()
        yield server
        server.stop()


@pytest.fixture
def asgi_live_server(_asgi_server, transactional_db) -> Iterator[AsgiLiveServer]:
    """The project's ASGI application (pages, static files and websockets) served over HTTP at
    `asgi_live_server.url`, against the test database: the server sees what the test commits, hence
    transactional_db. Signed-in pages it serves open the websocket (live.js) and update at once."""
    from django.test.utils import modify_settings

    with modify_settings(ALLOWED_HOSTS={"append": _asgi_server.host}):
        yield _asgi_server


def phone_context(browser, base_url: str, **options):
    """A fresh browser context sized like a phone (the pages are mobile-first); `options` go to
    Playwright's new_context."""
    settings = {
        "base_url": base_url,
        "locale": "en-US",
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }
    return browser.new_context(**{**settings, **options})


def sign_in(context, base_url: str, username: str) -> None:
    """Give the context a signed-in session for `username`, as the sign-in page would."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.fixture
def page(request, browser, live_server) -> Iterator:
    context = phone_context(browser, live_server.url)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS / f"{request.node.name}.png", full_page=True)
    context.close()
