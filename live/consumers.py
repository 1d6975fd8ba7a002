"""A live room's websocket, /ws/live/<show id>/: anyone watching (signed in or not) hears what the
show's services commit (live.realtime), and how many are watching. Like a view, it only relays: the
page acts over HTTP (grab, chat, the host's console), and reads the show again over HTTP when the
socket cannot open."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.cache import cache

from live.models import Show, ShowStatus
from live.realtime import room_group

# How long a room's viewer count is kept when nobody connects or leaves (a process that died with
# viewers counted stops counting them after this).
VIEWERS_TTL = 6 * 60 * 60


def viewers_key(show_id: int) -> str:
    return f"live:viewers:{show_id}"


def viewers_of(show_id: int) -> int:
    """How many rooms of the show are open now (as far as the cache knows)."""
    return max(0, int(cache.get(viewers_key(show_id)) or 0))


# The room hears the count at most this often (a show opening to hundreds at once would otherwise tell
# each of them of each of the others).
VIEWERS_EVERY = 2


def _count(show_id: int, step: int) -> tuple[int, bool]:
    """The show's viewer count moved by `step`, and whether it is time to tell the room."""
    key = viewers_key(show_id)
    cache.add(key, 0, VIEWERS_TTL)
    try:
        value = cache.incr(key, step)
    except ValueError:  # expired between add and incr
        cache.set(key, max(0, step), VIEWERS_TTL)
        value = max(0, step)
    cache.touch(key, VIEWERS_TTL)
    return max(0, value), cache.add(f"live:viewers-told:{show_id}", 1, VIEWERS_EVERY)


@database_sync_to_async
def _open_show(show_id: int) -> bool:
    return Show.objects.filter(pk=show_id, status__in=(ShowStatus.SCHEDULED, ShowStatus.LIVE)).exists()


class LiveRoomConsumer(AsyncJsonWebsocketConsumer):
    show_id = 0
    group = ""
    # The host's console hears the room too (`?console=1`) but does not watch it: it is not counted.
    counted = False

    async def connect(self) -> None:
        self.show_id = int(self.scope["url_route"]["kwargs"]["show_id"])
        if not await _open_show(self.show_id):
            await self.close(code=4404)  # no such show, or it is over: nothing more will happen
            return
        self.group = room_group(self.show_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        if b"console=1" in self.scope.get("query_string", b""):
            await self.send_json(
                {"kind": "viewers", "viewers": await database_sync_to_async(viewers_of)(self.show_id)}
            )
            return
        self.counted = True
        watching, tell = await database_sync_to_async(_count)(self.show_id, 1)
        if tell:  # everyone hears the new count, this room too
            await self.channel_layer.group_send(self.group, {"type": "room.viewers", "viewers": watching})
        else:  # this room hears it at once; the others with the next count told
            await self.send_json({"kind": "viewers", "viewers": watching})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.counted:
            watching, tell = await database_sync_to_async(_count)(self.show_id, -1)
            if tell:
                await self.channel_layer.group_send(self.group, {"type": "room.viewers", "viewers": watching})

    async def receive_json(self, content, **kwargs) -> None:
        """The page acts over HTTP; nothing it sends here needs an answer."""

    async def room_event(self, message: dict) -> None:
        await self.send_json(message["event"])

    async def room_viewers(self, message: dict) -> None:
        await self.send_json({"kind": "viewers", "viewers": message["viewers"]})
