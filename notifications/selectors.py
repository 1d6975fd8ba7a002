"""Reading a person's notifications: the page (newest first, keyset pages) and the bell's count."""

from accounts.models import User
from marketplace.keyset import Page, paginate
from notifications.models import Notification

PAGE_SIZE = 20
NEWEST = ("-created_at", "-id")  # index notification_recipient_newest


def notifications_for(*, user: User, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of the user's notifications shown in the app. One query; InvalidCursor for a bad one."""
    queryset = Notification.objects.filter(recipient=user, shown=True)
    return paginate(queryset, order_by=NEWEST, cursor=cursor, size=size)


def unread_count(*, user: User) -> int:
    """How many of the user's notifications shown in the app are unread (partial index
    notification_unread)."""
    return Notification.objects.filter(recipient=user, shown=True, read_at__isnull=True).count()
