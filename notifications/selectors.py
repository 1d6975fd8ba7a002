"""Reading a person's notifications: the page (newest first, keyset pages) and the bell's count."""

from django.db.models import Count

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


def unread_count_for(*, user_ids: set[int]) -> dict[int, int]:
    """The bell's count for each of these users, in one query (users with none are left out)."""
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, shown=True, read_at__isnull=True)
        .values("recipient_id")
        .annotate(unread=Count("id"))
        .values_list("recipient_id", "unread")
    )
    return dict(rows)
