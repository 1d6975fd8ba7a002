"""The live side of notifications: a signed-in page keeps a websocket open at /ws/notifications/ and
hears, within a moment, that something new arrived for its user; the page then asks for the bell again
(htmx). Without websockets the bell still asks every 30 seconds."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's open pages."""
    return f"user.{user_id}"


class NotificationsConsumer(AsyncJsonWebsocketConsumer):
    group = ""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)  # signed out: nothing to hear
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """The page says nothing that needs an answer."""

    async def notifications_changed(self, event: dict) -> None:
        await self.send_json({"type": "notifications.changed", "unread": event["unread"]})

    async def conversation_message(self, event: dict) -> None:
        """A message in one of the user's conversations (messaging): the page that shows it asks for it."""
        await self.send_json({"type": "conversation.message", "conversation": event["conversation"]})

    async def offer_changed(self, event: dict) -> None:
        """An offer in a thread the user is in (orders): pages showing that thread ask for it again."""
        await self.send_json({"type": "offer.changed", "thread": event["thread"]})
