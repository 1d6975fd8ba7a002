"""Reads from a read replica (marketplace/db_router.py), against a replica that visibly lags.

The replica here is a separate PostgreSQL database: a copy of the test database taken when a test
calls `replicate()`, which then receives no write at all, like a replica that has fallen far behind.
A read that wrongly goes to it misses the write, so each test below fails if the router sends a read
there that must see one.

How the second database comes to exist: settings are fixed at import and the suite's have no
replica (DATABASE_REPLICA_URL unset). pytest-django creates a test database for every alias a
collected test names in `databases`, but it would run every migration a second time and give an
empty database, not the primary's rows as they were. So this module adds a `replica` alias to
Django's connections when it is imported, before pytest-django sets up the test databases, as a test
mirror of `default`: pytest-django creates nothing for it, and the tests may name it. `replicate()`
copies the test database as it is at that moment (`CREATE DATABASE … TEMPLATE`, which wants no other
session on it, hence the connections closed first) and points the alias at the copy; the copy is
dropped after the test. The router is installed through the `settings` fixture (Django rebuilds its
routers when DATABASE_ROUTERS changes), so the rest of the suite runs without it.
"""

import concurrent.futures
import copy
import runpy
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from listings.models import Grade, Listing
from marketplace.db_router import PIN_COOKIE, REPLICA, ReplicaPinMiddleware, ReplicaRouter
from tests.factories import ListingFactory, UserFactory

BOTH = [DEFAULT_DB_ALIAS, REPLICA]
SETTINGS = Path(__file__).resolve().parents[2] / "marketplace" / "settings.py"


def _add_replica_alias() -> None:
    replica = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    replica["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = replica
    connections.configure_settings(connections.settings)


_add_replica_alias()


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["marketplace.db_router.ReplicaRouter"]
    settings.REPLICA_PIN_SECONDS = 15
    # No cached pages: every page is read from a database, the one the router picks.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert any(isinstance(installed, ReplicaRouter) for installed in router.routers)


@pytest.fixture
def replicate(replica_router) -> Iterator[Callable[[], None]]:
    """`replicate()`: the replica becomes a copy of the primary as it is now, and stays so."""
    primary = connections[DEFAULT_DB_ALIAS]
    mirrored = connections.settings[REPLICA]["NAME"]
    source = primary.settings_dict["NAME"]
    copy_name = f"{source}_replica"

    def replicate() -> None:
        connections[REPLICA].close()
        primary.close()
        with primary._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
            for _attempt in range(20):
                try:
                    cursor.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{source}"')
                    break
                except OperationalError:
                    # Another session is on the test database. Threads of earlier tests keep idle
                    # connections (channels' database_sync_to_async, for one): they are ended, and
                    # whoever uses one again reconnects (CONN_HEALTH_CHECKS). A busy one is waited for.
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = %s AND state = 'idle' AND pid <> pg_backend_pid()",
                        [source],
                    )
                    time.sleep(0.5)
            else:
                cursor.execute(
                    "SELECT application_name, state, query FROM pg_stat_activity WHERE datname = %s",
                    [source],
                )
                raise AssertionError(f"the test database stays in use: {cursor.fetchall()}")
        connections.settings[REPLICA]["NAME"] = copy_name

    yield replicate
    connections[REPLICA].close()
    connections.settings[REPLICA]["NAME"] = mirrored
    with primary._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')


def _title(response: HttpResponse) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return "old" if "Leica M6, old title" in html else "new" if "Leica M6, new title" in html else "none"


def _edit_form(listing: Listing, title: str) -> dict:
    return {
        "title": title,
        "description": listing.description,
        "category": listing.category_id,
        "price": str(listing.price),
        "grade": Grade.EXCELLENT,
    }


def _over_asgi(client: AsyncClient, path: str) -> HttpResponse:
    """A GET through the ASGI handler, from a thread of its own: a browser test earlier in the run may
    have left an event loop running in this one."""

    async def get() -> HttpResponse:
        response = await client.get(path)
        # The view ran in asgiref's thread for synchronous code, which outlives this call: its
        # connections are closed, or the replica's copy could not be dropped after the test.
        await sync_to_async(connections.close_all)()
        return response

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(get)).result()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_seller_sees_their_edit_at_once_while_visitors_browse_the_replica(client, replicate, settings):
    # given: a listing, its seller signed in, and a replica that has everything so far
    seller = UserFactory()
    listing = ListingFactory(seller=seller, title="Leica M6, old title")
    client.force_login(seller)
    visitor = type(client)()
    detail = reverse("listings:detail", args=[listing.pk])
    replicate()

    # when: the seller changes the title through the edit page
    saved = client.post(
        reverse("selling:listing_edit", args=[listing.pk]), _edit_form(listing, "Leica M6, new title")
    )

    # then: the primary has it, the lagging replica does not
    assert saved.status_code == 302
    assert Listing.objects.using(DEFAULT_DB_ALIAS).get(pk=listing.pk).title == "Leica M6, new title"
    assert Listing.objects.using(REPLICA).get(pk=listing.pk).title == "Leica M6, old title"
    # the seller's browser is pinned to the primary for REPLICA_PIN_SECONDS
    pin = saved.cookies[PIN_COOKIE]
    assert pin["max-age"] == settings.REPLICA_PIN_SECONDS
    assert int(pin.value) == pytest.approx(time.time() + settings.REPLICA_PIN_SECONDS, abs=5)
    # and sees the change on the next pages at once; a visitor is served from the replica
    assert _title(client.get(saved["Location"])) == "new"
    assert _title(client.get(detail)) == "new"
    assert _title(visitor.get(detail)) == "old"
    # the same through the ASGI handler, as daphne serves pages: the request's state goes with its
    # context into the thread that runs the view
    seller_over_asgi = AsyncClient()
    seller_over_asgi.cookies = client.cookies
    assert _title(_over_asgi(seller_over_asgi, detail)) == "new"
    assert _title(_over_asgi(AsyncClient(), detail)) == "old"

    # when: the pin expires (the browser drops the cookie after its max-age)
    del client.cookies[PIN_COOKIE]

    # then: the seller's reads go to the replica again
    assert _title(client.get(detail)) == "old"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_page_cached_from_the_lagging_replica_is_not_what_the_seller_sees(client, replicate, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "replica-pages"}
    }
    seller = UserFactory()
    listing = ListingFactory(seller=seller, title="Leica M6, old title")
    client.force_login(seller)
    visitor = type(client)()
    detail = reverse("listings:detail", args=[listing.pk])
    replicate()
    client.post(
        reverse("selling:listing_edit", args=[listing.pk]), _edit_form(listing, "Leica M6, new title")
    )

    # a visitor opens the page before the change reaches the replica: the page cache keeps that body
    assert _title(visitor.get(detail)) == "old"
    # the seller, pinned to the primary, gets the page rendered afresh, which replaces the cached one
    assert _title(client.get(detail)) == "new"
    assert _title(visitor.get(detail)) == "new"


def _request_reads(method: str = "get", cookies: dict | None = None) -> tuple[HttpResponse, list[str]]:
    """Run one request through the middleware to a view that reads the listing's title outside a
    transaction, then inside one; return the response and the titles the view read."""
    titles: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        titles.append(Listing.objects.get().title)
        with transaction.atomic():
            titles.append(Listing.objects.get().title)
        return HttpResponse()

    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    response = ReplicaPinMiddleware(view)(request)
    return response, titles


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_only_a_safe_request_outside_a_transaction_reads_the_replica(replicate):
    # given: the replica has the listing's old title, the primary the new one
    ListingFactory(title="old")
    replicate()
    Listing.objects.update(title="new")
    now = int(time.time())

    # a GET reads the replica, but the primary inside a transaction; it pins nobody (it wrote nothing)
    response, titles = _request_reads("get")
    assert titles == ["old", "new"]
    assert PIN_COOKIE not in response.cookies
    # an unsafe request, and a browser pinned by one, read the primary throughout
    assert _request_reads("post")[1] == ["new", "new"]
    assert _request_reads("get", cookies={PIN_COOKIE: str(now + 10)})[1] == ["new", "new"]
    # a pin that has ended (sent by a client that ignores max-age), or is garbage, pins nothing
    assert _request_reads("get", cookies={PIN_COOKIE: str(now - 1)})[1] == ["old", "new"]
    assert _request_reads("get", cookies={PIN_COOKIE: "garbage"})[1] == ["old", "new"]
    # outside a request (the Celery worker, beat, management commands) every read is the primary's
    assert Listing.objects.get().title == "new"
    assert router.db_for_read(Listing) == DEFAULT_DB_ALIAS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_go_to_the_primary_only_and_the_request_then_reads_what_it_wrote(replicate):
    listing = ListingFactory(title="old")
    replicate()
    read_after_write: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        Listing.objects.filter(pk=listing.pk).update(title="written in a GET")
        ListingFactory(title="created in a GET")
        read_after_write.append(Listing.objects.get(pk=listing.pk).title)
        return HttpResponse()

    response = ReplicaPinMiddleware(view)(RequestFactory().get("/"))

    assert read_after_write == ["written in a GET"]
    assert set(Listing.objects.using(REPLICA).values_list("title", flat=True)) == {"old"}
    assert set(Listing.objects.using(DEFAULT_DB_ALIAS).values_list("title", flat=True)) == {
        "written in a GET",
        "created in a GET",
    }
    assert PIN_COOKIE in response.cookies  # a GET that wrote pins its browser too


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_an_api_token_issued_a_moment_ago_works_without_a_pin(client, replicate):
    # given: a client that keeps no cookie got a token the replica does not have yet
    user = UserFactory()
    replicate()
    token = Token.objects.create(user=user)

    # when: it uses the token at once
    response = client.get("/api/v1/addresses/", headers={"Authorization": f"Token {token.key}"})

    # then: the token is read from the primary
    assert response.status_code == 200


def test_migrations_run_on_the_primary_only_and_rows_may_relate_across_both():
    replica_router = ReplicaRouter()

    assert replica_router.allow_migrate(DEFAULT_DB_ALIAS, "listings")
    assert not replica_router.allow_migrate(REPLICA, "listings")
    assert replica_router.allow_relation(Listing(), Listing())
    assert replica_router.db_for_write(Listing) == DEFAULT_DB_ALIAS


def _settings(monkeypatch, **environment: str) -> dict:
    """marketplace/settings.py as it reads with `environment`."""
    monkeypatch.setenv("DATABASE_URL", "postgres://reloop@db.example:5432/reloop")
    monkeypatch.setenv("DB_CONN_MAX_AGE", "30")
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_a_replica_url_there_is_no_router_and_the_middleware_steps_aside(monkeypatch):
    values = _settings(monkeypatch)

    assert set(values["DATABASES"]) == {DEFAULT_DB_ALIAS}
    assert "DATABASE_ROUTERS" not in values
    assert "marketplace.db_router.ReplicaPinMiddleware" in values["MIDDLEWARE"]
    with pytest.raises(MiddlewareNotUsed):  # Django leaves it out of the chain
        ReplicaPinMiddleware(HttpResponse)


def test_a_replica_url_adds_the_replica_like_the_primary_and_the_router(monkeypatch):
    values = _settings(
        monkeypatch,
        DATABASE_REPLICA_URL="postgres://reader@replica.example:5432/reloop",
        REPLICA_PIN_SECONDS="20",
    )

    replica = values["DATABASES"][REPLICA]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("replica.example", "reader", "reloop")
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (30, True)
    assert replica["TEST"] == {"MIRROR": DEFAULT_DB_ALIAS}
    assert values["DATABASE_ROUTERS"] == ["marketplace.db_router.ReplicaRouter"]
    assert values["REPLICA_PIN_SECONDS"] == 20
