"""The video job, for every kind of video (a VideoFile model): a listing's (listings.services.videos)
and a creator's (feed.services.creator_videos) go through this same job.

A video moves `uploaded → checking → transcoding → ready`, or to `failed` from any of the first three
with the reason as a code of listings.messages.VIDEO_ERRORS and its parameters. Only the job moves it
(`video_process`); its owner's upload or removal may delete it, and a job still running on it, finding
its row gone, stops and removes what it made.

The job checks the upload by its content and length (at most LISTING_VIDEO_MAX_SECONDS, whatever the
kind), re-encodes it for the web with its poster (marketplace.video), publishes both (listings.videos),
then hands the result to its kind's "ready" step. That step runs in one transaction: it takes the
locks its kind needs first, then the video's own (`video_lock_pending`), marks it ready
(`video_mark_ready`) and does whatever else being ready means for that kind (a listing shows it in
place of the one before).

Each kind has a task that calls its job and a periodic sweep (`videos_requeue_waiting`) that queues
that task again for videos whose message was lost.
"""

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TypeVar

from celery import Task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from listings import videos
from listings.models import VideoFile, VideoStatus
from marketplace import video as video_files
from marketplace.jobs import enqueue

logger = logging.getLogger(__name__)

# The job gives a video up after starting on it this many times (a file that stops the worker).
MAX_ATTEMPTS = 3
# A video still waiting this long after its last sign of life lost its job (the broker was down, or
# the worker died): the sweep queues it again. The job writes its progress every few percent.
REQUEUE_AFTER = timedelta(minutes=30)
REQUEUE_BATCH = 50
# How many percent the job's progress moves between two writes of it.
PROGRESS_STEP = 5

PENDING_STATUSES = (VideoStatus.UPLOADED, VideoStatus.CHECKING, VideoStatus.TRANSCODING)

VideoT = TypeVar("VideoT", bound=VideoFile)
# A kind's "ready" step: given the video as the job claimed it and what the job made, it puts the
# video in its place and returns it, or returns None when it was replaced or removed meanwhile.
ReadyStep = Callable[[VideoT, video_files.Encoded], VideoT | None]


class _Gone(Exception):
    """The video was replaced or removed while its job ran."""


@dataclass
class _Progress:
    """Writes the job's progress every PROGRESS_STEP percent; raises _Gone once the row is."""

    model: type[VideoFile]
    video_id: int
    written: int = 0

    def __call__(self, done: float) -> None:
        percent = min(99, int(done * 100))
        if percent - self.written < PROGRESS_STEP:
            return
        self.written = percent
        if not _moved(self.model, self.video_id, VideoStatus.TRANSCODING, progress=percent):
            raise _Gone


def _moved(model: type[VideoFile], video_id: int, status: VideoStatus, *, progress: int = 0) -> bool:
    """Move a video on while the job works on it; False if it was replaced or removed meanwhile."""
    return bool(
        model._default_manager.filter(pk=video_id, status__in=PENDING_STATUSES).update(
            status=status, progress=progress, updated_at=timezone.now()
        )
    )


def _claimed(model: type[VideoT], video_id: int) -> VideoT | None:
    """The video, moved to `checking` for this run of the job; None when there is nothing to do (it
    is ready, failed or gone). Past MAX_ATTEMPTS it fails instead."""
    with transaction.atomic():
        video = model._default_manager.select_for_update().filter(pk=video_id).first()
        if video is None or video.status not in PENDING_STATUSES:
            return None
        if video.attempts >= MAX_ATTEMPTS:
            _fail(video, "gave_up", {})
            return None
        video.attempts += 1
        video.status, video.progress, video.updated_at = VideoStatus.CHECKING, 0, timezone.now()
        video.save(update_fields=["attempts", "status", "progress", "updated_at"])
    return video


def _fail(video: VideoFile, error: str, params: dict) -> None:
    """Caller holds the video's lock. Its upload and anything the job made go once that commits."""
    video.status, video.progress, video.updated_at = VideoStatus.FAILED, 0, timezone.now()
    video.error, video.error_params = error, params
    video.save(update_fields=["status", "progress", "updated_at", "error", "error_params"])
    transaction.on_commit(partial(videos.delete_files, video.key))


def _failed(model: type[VideoT], video_id: int, error: video_files.VideoError) -> VideoT | None:
    params: dict = {}
    if error.code == "too_long":
        params = {"seconds": f"{error.seconds or 0:.1f}", "limit": settings.LISTING_VIDEO_MAX_SECONDS}
    logger.info("%s %s refused: %s (%s)", model._meta.label, video_id, error.code, error)
    with transaction.atomic():
        video = model._default_manager.select_for_update().filter(pk=video_id).first()
        if video is None or video.status not in PENDING_STATUSES:
            return video
        _fail(video, error.code, params)
    return video


def video_process(*, model: type[VideoT], video_id: int, ready: ReadyStep[VideoT]) -> VideoT | None:
    """The video job for one video of `model`: check that the upload is a video within
    LISTING_VIDEO_MAX_SECONDS, re-encode it for the web with its poster, publish both, and hand the
    result to `ready`. Safe to run twice: a video that is ready, failed or gone is left alone.

    Returns what `ready` returned; the video as it is when there was nothing to do; None when it was
    removed meanwhile (what the job made is removed then too). A file that is no usable video fails
    the video with its reason; storage errors propagate, for a retry."""
    video = _claimed(model, video_id)
    if video is None:
        return model._default_manager.filter(pk=video_id).first()
    limit = settings.LISTING_VIDEO_MAX_SECONDS
    with tempfile.TemporaryDirectory(prefix="reloop-video-") as work:
        source, output, poster = Path(work) / "upload", Path(work) / "video.mp4", Path(work) / "poster.jpg"
        try:
            videos.fetch_original(video.key, source)
        except FileNotFoundError:
            return _failed(model, video_id, video_files.VideoError("The upload is gone.", code="gave_up"))
        try:
            checked = video_files.probe(source)
            if checked.duration > limit:
                raise video_files.VideoError("Too long.", code="too_long", seconds=checked.duration)
            if not _moved(model, video_id, VideoStatus.TRANSCODING):
                raise _Gone
            encoded = video_files.transcode(
                source,
                video=output,
                poster=poster,
                max_seconds=limit,
                probed=checked,
                on_progress=_Progress(model, video_id),
            )
        except video_files.VideoError as error:
            return _failed(model, video_id, error)
        except _Gone:
            return None
        videos.publish(video.key, video=output, poster=poster)
    return ready(video, encoded)


def video_lock_pending(video: VideoT) -> VideoT | None:
    """For a "ready" step: the video's row, locked, while it still waits for its job. Caller is in the
    transaction that makes it ready and already holds any lock its kind takes before the video's.

    None when it no longer waits: removed or replaced meanwhile, so nobody will point at what the job
    made, which is deleted once that commits; or made ready by another run of the job on it (a message
    delivered twice) that finished first, whose files are these same files, and stay."""
    model = type(video)
    current = (
        model._default_manager.select_for_update().filter(pk=video.pk, status__in=PENDING_STATUSES).first()
    )
    if current is None and not model._default_manager.filter(pk=video.pk, status=VideoStatus.READY).exists():
        transaction.on_commit(partial(videos.delete_files, video.key))
    return current


def video_mark_ready(video: VideoT, encoded: video_files.Encoded) -> VideoT:
    """Mark the video ready with the length and size of what the job made. Caller holds its lock
    (`video_lock_pending`)."""
    video.status, video.progress, video.updated_at = VideoStatus.READY, 100, timezone.now()
    video.duration = Decimal(f"{encoded.duration:.2f}")
    video.width, video.height = encoded.width, encoded.height
    video.save(update_fields=["status", "progress", "updated_at", "duration", "width", "height"])
    return video


def videos_requeue_waiting(
    *, model: type[VideoFile], task: Task, now: datetime | None = None, limit: int = REQUEUE_BATCH
) -> int:
    """The periodic sweep of a kind of video: queue its job's `task` again for up to `limit` videos of
    `model`, oldest first, with no sign of life for REQUEUE_AFTER. Returns how many were queued."""
    cutoff = (now or timezone.now()) - REQUEUE_AFTER
    waiting = (
        model._default_manager.filter(status__in=PENDING_STATUSES, updated_at__lte=cutoff)
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue(task, video_id) for video_id in waiting)
