"""A live room's websocket: anyone watching hears a pin, a flash sale, a chat message and the show
ending within a second, through the configured channel layer (Redis in CI), and how many watch; a
show that is over, or unknown, refuses the socket."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.utils import timezone

from live.services.chat import chat_post, chat_remove
from live.services.flash import flash_grab, flash_sale_start
from live.services.room import show_pin
from live.services.shows import show_end, show_schedule, show_start
from marketplace.asgi import application
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run(scenario) -> None:
    """An async scenario on an event loop of its own, in a thread of its own (Playwright keeps one in
    the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, scenario()).result()


def room(show_id: int) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    return WebsocketCommunicator(application, f"/ws/live/{show_id}/", headers=headers)


def _live_show():
    host = a_host(username="host")
    listing = ListingFactory(seller=host, price="2000.00", title="Rolex Datejust")
    show = show_schedule(
        host=host, title="Watches", starts_at=timezone.now() + timedelta(minutes=1), listing_ids=[listing.pk]
    )
    show_start(show_id=show.pk, by=host)
    return show, host, listing


async def _next(socket: WebsocketCommunicator, kind: str) -> dict:
    """The next event of `kind` (viewer counts may come in between), within a second."""
    while True:
        event = await socket.receive_json_from(timeout=1)
        if event["kind"] == kind:
            return event


def test_what_the_host_does_reaches_every_viewer_within_a_second():
    show, host, listing = _live_show()
    viewer, buyer = UserFactory(), UserFactory()

    async def scenario():
        first, second = room(show.pk), room(show.pk)
        assert (await first.connect())[0]
        assert (await first.receive_json_from(timeout=1)) == {"kind": "viewers", "viewers": 1}
        assert (await second.connect())[0]
        assert (await second.receive_json_from(timeout=1)) == {"kind": "viewers", "viewers": 2}

        await database_sync_to_async(show_pin)(show_id=show.pk, by=host, listing_id=listing.pk)
        for socket in (first, second):
            pinned = await _next(socket, "pinned")
            assert (pinned["listing"], pinned["title"], pinned["price"]) == (
                listing.pk,
                "Rolex Datejust",
                "2000.00",
            )

        sale = await database_sync_to_async(flash_sale_start)(
            show_id=show.pk, by=host, seconds=30, price="1800"
        )
        flashed = await _next(first, "flash")
        assert (flashed["id"], flashed["price"], flashed["status"]) == (sale.pk, "1800.00", "open")
        await database_sync_to_async(flash_grab)(flash_sale_id=sale.pk, buyer=buyer)
        assert (await _next(first, "flash"))["status"] == "taken"

        message = await database_sync_to_async(chat_post)(
            show_id=show.pk, author=viewer, text="call 13812345678"
        )
        said = await _next(second, "chat")
        assert said["id"] == message.pk and "13812345678" not in said["text"]
        await database_sync_to_async(chat_remove)(message_id=message.pk, by=host)
        assert (await _next(second, "chat_removed"))["id"] == message.pk

        await database_sync_to_async(show_end)(show_id=show.pk, by=host)
        assert (await _next(first, "status"))["status"] == "ended"
        await first.disconnect()
        await second.disconnect()
        await database_sync_to_async(connections.close_all)()

    run(scenario)


def test_a_refused_change_is_not_heard():
    show, host, _listing = _live_show()

    async def scenario():
        socket = room(show.pk)
        assert (await socket.connect())[0]
        await socket.receive_json_from(timeout=1)  # the viewer count
        with pytest.raises(Exception):  # noqa: B017 - any refusal: the point is what the room hears
            await database_sync_to_async(flash_sale_start)(show_id=show.pk, by=host, seconds=30, price="1800")
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()
        await database_sync_to_async(connections.close_all)()

    run(scenario)


def test_an_ended_or_unknown_show_refuses_the_socket():
    show, host, _listing = _live_show()
    show_end(show_id=show.pk, by=host)

    async def scenario():
        for show_id in (show.pk, 999999):
            connected, code = await room(show_id).connect()
            assert not connected and code == 4404
        await database_sync_to_async(connections.close_all)()

    run(scenario)


def test_the_hosts_console_hears_the_room_without_being_counted_as_a_viewer():
    show, host, listing = _live_show()

    async def scenario():
        viewer = room(show.pk)
        assert (await viewer.connect())[0]
        assert (await viewer.receive_json_from(timeout=1)) == {"kind": "viewers", "viewers": 1}
        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        console = WebsocketCommunicator(application, f"/ws/live/{show.pk}/?console=1", headers=headers)
        assert (await console.connect())[0]
        # the console reads the count, and does not add itself to it
        assert (await console.receive_json_from(timeout=1)) == {"kind": "viewers", "viewers": 1}
        await database_sync_to_async(show_pin)(show_id=show.pk, by=host, listing_id=listing.pk)
        assert (await _next(console, "pinned"))["listing"] == listing.pk
        await console.disconnect()
        second = room(show.pk)
        assert (await second.connect())[0]
        assert (await second.receive_json_from(timeout=1)) == {"kind": "viewers", "viewers": 2}
        await viewer.disconnect()
        await second.disconnect()
        await database_sync_to_async(connections.close_all)()

    run(scenario)
