"""Telling a user's open pages that their notifications changed, through the channel layer (Redis, or
in memory for `make run` without Redis). Sent after the transaction that wrote the notification
commits; a channel layer that does not answer is logged and ignored, since the bell asks again on its
own every 30 seconds."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from notifications.consumers import user_group
from notifications.selectors import unread_count_for

logger = logging.getLogger(__name__)


def _push(user_ids: set[int]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    counts = unread_count_for(user_ids=user_ids)
    for user_id in user_ids:
        try:
            async_to_sync(layer.group_send)(
                user_group(user_id), {"type": "notifications.changed", "unread": counts.get(user_id, 0)}
            )
        except Exception:
            logger.warning("Could not tell user %s's pages about a notification", user_id, exc_info=True)


def push_on_commit(user_ids: set[int]) -> None:
    """Tell these users' open pages, once the caller's transaction commits."""
    if user_ids:
        transaction.on_commit(lambda: _push(set(user_ids)), robust=True)
