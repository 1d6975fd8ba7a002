"""A new message reaches both people's open pages at once: it goes to their user groups on the channel
layer (the ones notifications' websocket joins), and the conversation page asks for its new messages
when it hears of one in its conversation. Without the layer the page polls."""

from django.db import transaction

from messaging.models import Conversation, Message
from notifications.live import send_to_users


def conversation_push_on_commit(conversation: Conversation, message: Message) -> None:
    """Tell both people's open pages (the sender's other tabs too) once the message is committed."""
    event = {"type": "conversation.message", "conversation": conversation.pk}
    users = {conversation.buyer_id: event, conversation.seller_id: event}
    transaction.on_commit(lambda: send_to_users(users), robust=True)
