"""Reading conversations: a user's inbox (newest first, with the other person, the listing, the last
message and how many are unread, in one query) and a conversation's messages."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from marketplace.keyset import Page, paginate
from messaging.models import Conversation, Message

INBOX_PAGE = 20
MESSAGES_PAGE = 50
NEWEST = ("-last_message_at", "-id")


def _unread(user: User) -> Q:
    """Messages from the other person after the user last read the conversation."""
    buyer_side = Q(buyer=user) & (
        Q(buyer_read_at__isnull=True) | Q(messages__created_at__gt=F("buyer_read_at"))
    )
    seller_side = Q(seller=user) & (
        Q(seller_read_at__isnull=True) | Q(messages__created_at__gt=F("seller_read_at"))
    )
    return (buyer_side | seller_side) & ~Q(messages__sender=user)


def inbox(*, user: User, cursor: str | None, size: int = INBOX_PAGE) -> Page:
    """One page of the user's conversations, newest message first. One query."""
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    queryset: QuerySet[Conversation] = (
        Conversation.objects.filter(Q(buyer=user) | Q(seller=user))
        .select_related("listing", "buyer", "seller")
        .annotate(
            unread=Coalesce(Count("messages", filter=_unread(user), distinct=True), 0),
            last_body=Subquery(last.values("body")[:1]),
            last_photo=Subquery(last.values("photo_key")[:1]),
            last_language=Subquery(last.values("language")[:1]),
        )
    )
    return paginate(queryset, order_by=NEWEST, cursor=cursor, size=size)


def unread_conversations(*, user: User) -> int:
    """How many of the user's conversations have messages they have not read."""
    return (
        Conversation.objects.filter(Q(buyer=user) | Q(seller=user)).filter(_unread(user)).distinct().count()
    )


def messages_of(
    conversation: Conversation, *, after_id: int | None = None, limit: int = MESSAGES_PAGE
) -> list[Message]:
    """The conversation's last `limit` messages, oldest first (or those after `after_id`). One query."""
    queryset = Message.objects.filter(conversation=conversation)
    if after_id is not None:
        return list(queryset.filter(id__gt=after_id).order_by("created_at", "id")[:limit])
    return list(reversed(queryset.order_by("-created_at", "-id")[:limit]))


def conversations_for_staff(*, limit: int = 100) -> list[Conversation]:
    """The conversations staff may open: those someone reported, and those whose order is in dispute,
    newest message first, with the people and the listing. One query."""
    return list(
        Conversation.objects.filter(Q(reports__isnull=False) | Q(order__dispute__isnull=False))
        .select_related("listing", "buyer", "seller", "order")
        .annotate(report_count=Count("reports", distinct=True))
        .order_by("-last_message_at", "-id")[:limit]
    )
