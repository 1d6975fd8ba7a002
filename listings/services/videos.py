"""Writes for a listing's video: upload, the video job, removal, and the job's sweep.

A video moves `uploaded → checking → transcoding → ready`, or to `failed` from any of the first three
with the reason as a code of listings.messages.VIDEO_ERRORS and its parameters. Only the job moves it
(`listing_video_process`), and a new upload or a removal deletes it; nothing else writes its status.

A listing shows one video. A new upload deletes any earlier one that is not ready (its job, finding
its row gone, stops and removes what it made); the ready one stays on the page until the new one is
ready, and is deleted, files and all, in the transaction that puts the new one there. The listing
carries its ready video's key and size (Listing.video_key, video_width, video_height) so that its
page reads them with the listing, and its cached pages are forgotten whenever they change.

Who may: a seller on their own listings; staff (any staff role) on Reloop's stock, listings whose
source is platform or consigned (listings.selectors.listing_for_video). Anyone else's listing is
Listing.DoesNotExist, as a missing one is.
"""

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from listings import videos
from listings.errors import ListingError
from listings.models import Listing, ListingVideo, VideoStatus
from listings.page_cache import listing_pages_forget_on_commit
from listings.photos import new_key
from listings.selectors import listing_for_video
from listings.services import _ensure_editable
from marketplace import video as video_files
from marketplace.jobs import enqueue, enqueue_on_commit

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


class _Gone(Exception):
    """The video was replaced or removed while its job ran."""


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def listing_video_upload(*, listing_id: int, by: User, upload: IO[bytes]) -> ListingVideo:
    """Keep `upload` privately as the listing's new video and queue the video job once committed.
    Any earlier video of the listing that is not ready yet is deleted; the ready one stays until
    this one is ready.

    Raises Listing.DoesNotExist for a listing `by` may not put a video on, ListingError `too_large`
    (field `video`) past LISTING_VIDEO_MAX_BYTES, or `listing_not_editable`. Nothing is left behind
    when it raises."""
    from listings.tasks import process_listing_video

    size = _size_of(upload)
    if size > settings.LISTING_VIDEO_MAX_BYTES:
        raise ListingError(videos.too_large_message(), code="too_large", field="video")
    with transaction.atomic():
        listing = listing_for_video(listing_id=listing_id, user=by, lock=True)
        _ensure_editable(listing)
        key = new_key()
        videos.store_original(key, upload)
        try:
            _delete_pending(listing)
            video = ListingVideo.objects.create(listing=listing, key=key, size=size, uploaded_by=by)
        except Exception:
            videos.delete_original(key)
            raise
        enqueue_on_commit(process_listing_video, video.pk)
    return video


def _delete_pending(listing: Listing) -> None:
    """Delete the listing's videos that are not ready (caller holds the listing's lock); their files
    go once that commits. A job still running on one finds its row gone and stops."""
    pending = list(ListingVideo.objects.filter(listing=listing).exclude(status=VideoStatus.READY))
    if not pending:
        return
    ListingVideo.objects.filter(pk__in=[video.pk for video in pending]).delete()
    for video in pending:
        transaction.on_commit(partial(videos.delete_files, video.key))


@transaction.atomic
def listing_video_remove(*, listing_id: int, by: User) -> None:
    """Remove the listing's video: the one on its page and any on its way; the files go once that
    commits, and the listing's page shows none at once.

    Raises Listing.DoesNotExist for a listing `by` may not change, ListingVideo.DoesNotExist when it
    has no video, ListingError `listing_not_editable`."""
    listing = listing_for_video(listing_id=listing_id, user=by, lock=True)
    _ensure_editable(listing)
    removed = list(ListingVideo.objects.filter(listing=listing))
    if not removed:
        raise ListingVideo.DoesNotExist(listing_id)
    ListingVideo.objects.filter(pk__in=[video.pk for video in removed]).delete()
    if listing.video_key:
        Listing.objects.filter(pk=listing.pk).update(video_key=None, video_width=None, video_height=None)
        listing_pages_forget_on_commit(listing.pk)
    for video in removed:
        transaction.on_commit(partial(videos.delete_files, video.key))


# --- The video job -----------------------------------------------------------------------------------


@dataclass
class _Progress:
    """Writes the job's progress every PROGRESS_STEP percent; raises _Gone once the row is."""

    video_id: int
    written: int = 0

    def __call__(self, done: float) -> None:
        percent = min(99, int(done * 100))
        if percent - self.written < PROGRESS_STEP:
            return
        self.written = percent
        if not _moved(self.video_id, VideoStatus.TRANSCODING, progress=percent):
            raise _Gone


def _moved(video_id: int, status: VideoStatus, *, progress: int = 0) -> bool:
    """Move a video on while the job works on it; False if it was replaced or removed meanwhile."""
    return bool(
        ListingVideo.objects.filter(pk=video_id, status__in=PENDING_STATUSES).update(
            status=status, progress=progress, updated_at=timezone.now()
        )
    )


def _claimed(video_id: int) -> ListingVideo | None:
    """The video, moved to `checking` for this run of the job; None when there is nothing to do (it
    is ready, failed or gone). Past MAX_ATTEMPTS it fails instead."""
    with transaction.atomic():
        video = ListingVideo.objects.select_for_update().filter(pk=video_id).first()
        if video is None or video.status not in PENDING_STATUSES:
            return None
        if video.attempts >= MAX_ATTEMPTS:
            _fail(video, "gave_up", {})
            return None
        video.attempts += 1
        video.status, video.progress, video.updated_at = VideoStatus.CHECKING, 0, timezone.now()
        video.save(update_fields=["attempts", "status", "progress", "updated_at"])
    return video


def _fail(video: ListingVideo, error: str, params: dict) -> None:
    """Caller holds the video's lock. Its upload and anything the job made go once that commits."""
    video.status, video.progress, video.updated_at = VideoStatus.FAILED, 0, timezone.now()
    video.error, video.error_params = error, params
    video.save(update_fields=["status", "progress", "updated_at", "error", "error_params"])
    transaction.on_commit(partial(videos.delete_files, video.key))


def _failed(video_id: int, error: video_files.VideoError) -> ListingVideo | None:
    params: dict = {}
    if error.code == "too_long":
        params = {"seconds": f"{error.seconds or 0:.1f}", "limit": settings.LISTING_VIDEO_MAX_SECONDS}
    logger.info("Listing video %s refused: %s (%s)", video_id, error.code, error)
    with transaction.atomic():
        video = ListingVideo.objects.select_for_update().filter(pk=video_id).first()
        if video is None or video.status not in PENDING_STATUSES:
            return video
        _fail(video, error.code, params)
    return video


def listing_video_process(*, video_id: int) -> ListingVideo | None:
    """The video job: check that the upload is a video within LISTING_VIDEO_MAX_SECONDS, re-encode it
    for the web with its poster, and put it on the listing's page in place of the one before. Safe
    to run twice: a video that is ready, failed or gone is left alone.

    Returns the video, or None when there was nothing to do or it was removed meanwhile (what the
    job made is removed then too). A file that is no usable video fails the video with its reason;
    storage errors propagate, for a retry."""
    video = _claimed(video_id)
    if video is None:
        return ListingVideo.objects.filter(pk=video_id).first()
    limit = settings.LISTING_VIDEO_MAX_SECONDS
    with tempfile.TemporaryDirectory(prefix="reloop-video-") as work:
        source, output, poster = Path(work) / "upload", Path(work) / "video.mp4", Path(work) / "poster.jpg"
        try:
            videos.fetch_original(video.key, source)
        except FileNotFoundError:
            return _failed(video_id, video_files.VideoError("The upload is gone.", code="gave_up"))
        try:
            checked = video_files.probe(source)
            if checked.duration > limit:
                raise video_files.VideoError("Too long.", code="too_long", seconds=checked.duration)
            if not _moved(video_id, VideoStatus.TRANSCODING):
                raise _Gone
            encoded = video_files.transcode(
                source,
                video=output,
                poster=poster,
                max_seconds=limit,
                probed=checked,
                on_progress=_Progress(video_id),
            )
        except video_files.VideoError as error:
            return _failed(video_id, error)
        except _Gone:
            return None
        videos.publish(video.key, video=output, poster=poster)
    return _ready(video, encoded)


@transaction.atomic
def _ready(video: ListingVideo, encoded: video_files.Encoded) -> ListingVideo | None:
    """Put the made video on its listing's page, deleting the one it replaces. Listing, then video:
    the order in which the upload and the removal lock them."""
    Listing.objects.select_for_update().filter(pk=video.listing_id).first()
    current = (
        ListingVideo.objects.select_for_update().filter(pk=video.pk, status__in=PENDING_STATUSES).first()
    )
    if current is None:
        if ListingVideo.objects.filter(pk=video.pk, status=VideoStatus.READY).exists():
            # Another run of the job on this video (a message delivered twice) finished first: the
            # files it put on the page are these same files, and stay.
            return None
        # Replaced or removed while it was being made: nobody will point at these files.
        transaction.on_commit(partial(videos.delete_files, video.key))
        return None
    replaced = list(
        ListingVideo.objects.filter(listing_id=video.listing_id, status=VideoStatus.READY).exclude(
            pk=video.pk
        )
    )
    ListingVideo.objects.filter(pk__in=[old.pk for old in replaced]).delete()
    current.status, current.progress, current.updated_at = VideoStatus.READY, 100, timezone.now()
    current.duration = Decimal(f"{encoded.duration:.2f}")
    current.width, current.height = encoded.width, encoded.height
    current.save(update_fields=["status", "progress", "updated_at", "duration", "width", "height"])
    Listing.objects.filter(pk=video.listing_id).update(
        video_key=current.key, video_width=encoded.width, video_height=encoded.height
    )
    listing_pages_forget_on_commit(video.listing_id)
    for old in replaced:
        transaction.on_commit(partial(videos.delete_files, old.key))
    return current


def listing_videos_requeue_waiting(*, now: datetime | None = None, limit: int = REQUEUE_BATCH) -> int:
    """The periodic sweep for `process_listing_video`: queue the job again for up to `limit` videos,
    oldest first, with no sign of life for REQUEUE_AFTER. Returns how many were queued."""
    from listings.tasks import process_listing_video

    cutoff = (now or timezone.now()) - REQUEUE_AFTER
    waiting = (
        ListingVideo.objects.filter(status__in=PENDING_STATUSES, updated_at__lte=cutoff)
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue(process_listing_video, video_id) for video_id in waiting)
