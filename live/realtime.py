"""What a live room hears: every change a service commits (a pin, a flash sale's countdown and its
outcome, a chat message or its removal, the show going live or ending) is sent to the room's
channel-layer group once the transaction commits, and each open room (live.consumers) passes it on
to its page. Nobody hears of a change that rolled back. A channel layer that does not answer is
logged and ignored: the room's page also reads the show again over HTTP."""

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from notifications.live import send_to_groups

logger = logging.getLogger(__name__)


def room_group(show_id: int) -> str:
    """The channel-layer group of a show's open rooms."""
    return f"live.show.{show_id}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def publish_on_commit(show_id: int, kind: str, **data: Any) -> None:
    """Tell the show's open rooms about `kind` (with `data`, made JSON-ready) after the caller's
    transaction commits."""
    event = {
        "type": "room.event",
        "event": {"kind": kind, **{name: _plain(value) for name, value in data.items()}},
    }
    transaction.on_commit(lambda: send_to_groups({room_group(show_id): event}))
