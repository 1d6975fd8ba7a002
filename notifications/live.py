"""Telling a user's open pages that their notifications changed, through the channel layer (Redis, or
in memory for `make run` without Redis). Sent after the transaction that wrote the notification
commits; a channel layer that does not answer is logged and ignored, since the bell asks again on its
own every 30 seconds."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from notifications.consumers import user_group
from notifications.selectors import unread_count_for

logger = logging.getLogger(__name__)


async def _send_all(layer, messages: dict[str, dict]) -> None:
    for group, message in messages.items():
        try:
            await layer.group_send(group, message)
        except Exception:  # a live update is a courtesy; every page that listens also asks again
            logger.warning("Could not reach the open pages of %s", group, exc_info=True)


def _send(layer, messages: dict[str, dict]) -> None:
    """One trip into the event loop for the whole batch (a settlement batch tells hundreds)."""
    async_to_sync(_send_all)(layer, messages)


def send_to_groups(messages: dict[str, dict]) -> None:
    """Send each channel-layer group its message (a dict with the consumer's `type`), now. A channel
    layer that does not answer is logged and ignored: every page that listens also asks again."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _send(layer, messages)  # the usual case: a request, a job or a command, with no event loop here
    else:
        # A thread that runs an event loop (a script driving an async library, say) cannot wait on
        # the layer itself: send from a thread of its own.
        with ThreadPoolExecutor(max_workers=1) as thread:
            thread.submit(_send, layer, messages).result()


def send_to_users(messages: dict[int, dict]) -> None:
    """Send each user's open pages their message (a dict with the consumer's `type`), now."""
    send_to_groups({user_group(user_id): message for user_id, message in messages.items()})


def _push(user_ids: set[int]) -> None:
    counts = unread_count_for(user_ids=user_ids)
    send_to_users(
        {user_id: {"type": "notifications.changed", "unread": counts.get(user_id, 0)} for user_id in user_ids}
    )


def push_on_commit(user_ids: set[int]) -> None:
    """Tell these users' open pages that their notifications changed, once the caller's transaction
    commits."""
    if user_ids:
        transaction.on_commit(lambda: _push(set(user_ids)), robust=True)
