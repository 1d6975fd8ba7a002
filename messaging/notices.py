"""What messages tell (notifications): a new message, to the other person in the conversation; in
the app by default, by e-mail only if they choose. At most once an hour per conversation, however
many messages arrive: the bell already counts it unread."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.models import Conversation, Message
from notifications.kinds import Group, Kind, register
from notifications.services import notify

# Parameters: `name` the sender's public name, `title` the listing's title as its seller typed it.
register(
    Kind(
        "message.new",
        Group.MESSAGES,
        _("A new message"),
        _("New message from %(name)s"),
        _("%(name)s wrote to you about %(title)s."),
        email=False,
    ),
)


def message_notify(*, conversation: Conversation, message: Message) -> None:
    hour = timezone.now().strftime("%Y%m%d%H")
    sender, recipient = (
        (conversation.buyer, conversation.seller)
        if message.sender_id == conversation.buyer_id
        else (conversation.seller, conversation.buyer)
    )
    notify(
        recipient=recipient,
        kind="message.new",
        params={"name": sender.public_name, "title": conversation.listing.title},
        link=reverse("messaging:conversation", args=[conversation.pk]),
        key=f"message:{conversation.pk}:{hour}",
    )
