"""Writes for a listing's video: upload, removal, the video job's step that puts it on the listing,
and the job's sweep.

A video moves `uploaded → checking → transcoding → ready`, or to `failed` with its reason; only the
video job moves it (listings.services.video_job, which every kind of video shares, through
`listing_video_process` here), and a new upload or a removal deletes it; nothing else writes its
status.

A listing shows one video. A new upload deletes any earlier one that is not ready (its job, finding
its row gone, stops and removes what it made); the ready one stays on the page until the new one is
ready, and is deleted, files and all, in the transaction that puts the new one there. The listing
carries its ready video's key and size (Listing.video_key, video_width, video_height) so that its
page reads them with the listing, and its cached pages are forgotten whenever they change.

Who may: a seller on their own listings; staff (any staff role) on Reloop's stock, listings whose
source is platform or consigned (listings.selectors.listing_for_video). Anyone else's listing is
Listing.DoesNotExist, as a missing one is.
"""

from datetime import datetime
from functools import partial
from typing import IO

from django.conf import settings
from django.db import transaction

from accounts.models import User
from listings import videos
from listings.errors import ListingError
from listings.models import Listing, ListingVideo, VideoStatus
from listings.page_cache import listing_pages_forget_on_commit
from listings.photos import new_key
from listings.selectors import listing_for_video
from listings.services import _ensure_editable
from listings.services.video_job import (
    REQUEUE_BATCH,
    video_lock_pending,
    video_mark_ready,
    video_process,
    videos_requeue_waiting,
)
from marketplace import video as video_files
from marketplace.jobs import enqueue_on_commit


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


# --- The video job (listings.services.video_job), with what being ready means for a listing --------------


def listing_video_process(*, video_id: int) -> ListingVideo | None:
    """The video job for a listing's video (listings.services.video_job): check that the upload is a
    video within LISTING_VIDEO_MAX_SECONDS, re-encode it for the web with its poster, and put it on the
    listing's page in place of the one before. Safe to run twice: a video that is ready, failed or
    gone is left alone.

    Returns the video, or None when there was nothing to do or it was removed meanwhile (what the
    job made is removed then too). A file that is no usable video fails the video with its reason;
    storage errors propagate, for a retry."""
    return video_process(model=ListingVideo, video_id=video_id, ready=_ready)


@transaction.atomic
def _ready(video: ListingVideo, encoded: video_files.Encoded) -> ListingVideo | None:
    """Put the made video on its listing's page, deleting the one it replaces. Listing, then video:
    the order in which the upload and the removal lock them."""
    Listing.objects.select_for_update().filter(pk=video.listing_id).first()
    current = video_lock_pending(video)
    if current is None:
        return None
    replaced = list(
        ListingVideo.objects.filter(listing_id=video.listing_id, status=VideoStatus.READY).exclude(
            pk=video.pk
        )
    )
    ListingVideo.objects.filter(pk__in=[old.pk for old in replaced]).delete()
    video_mark_ready(current, encoded)
    Listing.objects.filter(pk=video.listing_id).update(
        video_key=current.key, video_width=encoded.width, video_height=encoded.height
    )
    listing_pages_forget_on_commit(video.listing_id)
    for old in replaced:
        transaction.on_commit(partial(videos.delete_files, old.key))
    return current


def listing_videos_requeue_waiting(*, now: datetime | None = None, limit: int = REQUEUE_BATCH) -> int:
    """The periodic sweep for `process_listing_video`: queue the job again for up to `limit` listing
    videos, oldest first, with no sign of life for REQUEUE_AFTER. Returns how many were queued."""
    from listings.tasks import process_listing_video

    return videos_requeue_waiting(model=ListingVideo, task=process_listing_video, now=now, limit=limit)
