"""An open page hears of its user's new notifications over the websocket, through the configured
channel layer (Redis when REDIS_URL is set, as in CI), within 2 seconds; nobody else's page does, and
a signed-out page is refused."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import AsyncClient, Client

from marketplace.asgi import application
from tests.factories import UserFactory
from tests.notifications.test_notifications import shipped_notice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run(scenario) -> None:
    """Run an async scenario on an event loop of its own, in a thread of its own: the browser tests'
    Playwright keeps an event loop in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, scenario()).result()


def socket_for(user=None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


def test_a_new_notification_reaches_its_users_open_page_and_no_one_elses():
    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")

    async def scenario():
        mine, theirs = socket_for(mei), socket_for(lin)
        assert (await mine.connect())[0] and (await theirs.connect())[0]
        await database_sync_to_async(shipped_notice)(mei)
        assert await mine.receive_json_from(timeout=2) == {"type": "notifications.changed", "unread": 1}
        assert await theirs.receive_nothing(timeout=0.5)
        await mine.disconnect()
        await theirs.disconnect()
        await database_sync_to_async(connections.close_all)()  # the consumers' threads' connections

    run(scenario)


def test_a_signed_out_page_and_another_sites_page_are_refused():
    mei = UserFactory(username="mei")

    async def scenario():
        signed_out = socket_for()
        connected, code = await signed_out.connect()
        assert not connected and code == 4401
        foreign = socket_for(mei)
        foreign.scope["headers"] = [(b"origin", b"https://evil.example"), *foreign.scope["headers"][1:]]
        connected, _code = await foreign.connect()
        assert not connected
        await database_sync_to_async(connections.close_all)()

    run(scenario)


def test_only_a_signed_in_page_served_over_asgi_opens_the_socket(client):
    mei = UserFactory(username="mei")
    assert "js/live.js" not in client.get("/").content.decode()  # signed out
    client.force_login(mei)
    assert "js/live.js" not in client.get("/").content.decode()  # WSGI: no websocket behind it

    async def scenario():
        asgi = AsyncClient()
        await asgi.aforce_login(mei)
        response = await asgi.get("/")
        assert "js/live.js" in response.content.decode()
        await database_sync_to_async(connections.close_all)()

    run(scenario)
