"""Explanation clips as the clip job leaves them, for tests that are about where clips show or how
long they are kept, not about cutting them: a show that ended, the item's pin and its clip, with small
stand-in files in public storage (no video is encoded)."""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from listings.photos import public_storage
from live.models import Show, ShowClip, ShowPin, ShowStatus
from tests.factories import UserFactory


def a_clip(
    listing,
    *,
    title: str = "Bags and watches, explained",
    pinned_at: datetime | None = None,
    offset: str = "247.00",
    seconds: str = "42.50",
) -> ShowClip:
    """A clip of `listing` from an ended show called `title`, pinned at `pinned_at` (an hour ago by
    default), `offset` seconds into the show."""
    pinned_at = pinned_at or timezone.now() - timedelta(hours=1)
    show = Show.objects.create(
        host=UserFactory(),
        title=title,
        starts_at=pinned_at - timedelta(minutes=5),
        status=ShowStatus.ENDED,
        ingest_key=secrets.token_hex(16),
        stream_name=secrets.token_hex(8),
        playback_url="/hls/test.m3u8",
        started_at=pinned_at - timedelta(minutes=5),
        ended_at=pinned_at + timedelta(minutes=30),
    )
    pin = ShowPin.objects.create(
        show=show, listing=listing, pinned_at=pinned_at, unpinned_at=pinned_at + timedelta(seconds=42)
    )
    storage = public_storage()
    name = secrets.token_hex(10)
    video_key = storage.save(f"live/clips/{name[:2]}/{name}.mp4", ContentFile(b"not really a video"))
    poster_key = storage.save(f"live/clips/{name[:2]}/{name}.jpg", ContentFile(b"not really a picture"))
    return ShowClip.objects.create(
        show=show,
        pin=pin,
        listing=listing,
        video_key=video_key,
        poster_key=poster_key,
        offset=Decimal(offset),
        duration=Decimal(seconds),
        width=640,
        height=360,
    )
