"""The video job for a creator's video, and its sweep.

A creator's video goes through the job every video shares (listings.services.video_job): checked by
its content, re-encoded for the web with its poster, or failed with its reason (a code of
listings.messages.VIDEO_ERRORS). Being ready means nothing more for it than its own row says: a
creator's video is a post of its own, which no later upload replaces. Its rows are made by
feed.services.creators.creator_video_upload, which queues feed.tasks.process_creator_video.
"""

from datetime import datetime

from django.db import transaction

from feed.models import CreatorVideo
from listings.services.video_job import (
    REQUEUE_BATCH,
    video_lock_pending,
    video_mark_ready,
    video_process,
    videos_requeue_waiting,
)
from marketplace.video import Encoded


def creator_video_process(*, video_id: int) -> CreatorVideo | None:
    """The video job for a creator's video: check that the upload is a video within
    LISTING_VIDEO_MAX_SECONDS, re-encode it for the web with its poster, and mark it ready. Safe to
    run twice: a video that is ready, failed or gone is left alone.

    Returns the video, or None when it was removed meanwhile (what the job made is removed then too).
    A file that is no usable video fails the video with its reason; storage errors propagate, for a
    retry."""
    return video_process(model=CreatorVideo, video_id=video_id, ready=_ready)


@transaction.atomic
def _ready(video: CreatorVideo, encoded: Encoded) -> CreatorVideo | None:
    """Mark the made video ready, with its length and size."""
    current = video_lock_pending(video)
    if current is None:
        return None
    return video_mark_ready(current, encoded)


def creator_videos_requeue_waiting(*, now: datetime | None = None, limit: int = REQUEUE_BATCH) -> int:
    """The periodic sweep for `process_creator_video`: queue the job again for up to `limit` creators'
    videos, oldest first, with no sign of life for REQUEUE_AFTER. Returns how many were queued."""
    from feed.tasks import process_creator_video

    return videos_requeue_waiting(model=CreatorVideo, task=process_creator_video, now=now, limit=limit)
