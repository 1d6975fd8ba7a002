"""After a show: its recordings, the explanation clips (讲解回放) cut from them, one per pin, and the
end of each clip's keeping.

The media server hands over a recording each time a stream ends (`show_recording_attach`): a show has
one per stream, so an encoder that reconnects adds another. The clips are cut by a job on the media
queue once the show has ended and a recording is here, whichever comes last (`show_clips_cut`), each
pin from the recording that holds its start. Each pin becomes one clip, at most once: running the job
again cuts only what is missing. A clip is kept while its item may still be disputed and a while
after (`clips_expire`).
"""

import logging
import secrets
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from listings.models import ListingStatus
from listings.page_cache import listing_pages_forget_on_commit
from listings.photos import private_storage, public_storage
from live.clips import ClipError, Cut, cut, duration_of
from live.errors import LiveError
from live.models import Show, ShowClip, ShowPin, ShowRecording, ShowStatus
from marketplace.jobs import enqueue_on_commit
from orders.models import Dispute, Order

logger = logging.getLogger(__name__)

CENTI = Decimal("0.01")
# How many expired clips one run of the keeping job deletes.
EXPIRE_BATCH = 100


def _seconds(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENTI)


@transaction.atomic
def show_recording_attach(
    *, show_id: int, source: Path, started_at: datetime, duration: float | None = None
) -> ShowRecording:
    """Keep a recording of one of the show's streams (copied into private storage) with the moment
    its first frame was live and its length (`duration`, measured from the file when not given), and
    cut the clips once the show has ended. The same file handed over again (the media server's
    callback retried) is kept once: the recording kept the first time is returned. Raises LiveError
    for a file that is not a recording."""
    show = Show.objects.select_for_update().get(pk=show_id)
    name = str(source)
    # The show's row lock orders two handovers of one file; the constraint is the last word.
    kept = ShowRecording.objects.filter(show=show, source=name).first()
    if kept is not None:
        return kept
    if duration is None:
        try:
            duration = duration_of(source)
        except ClipError as error:
            raise LiveError(_("The recording cannot be read."), code="unreadable") from error
    with source.open("rb") as handle:
        key = private_storage().save(
            f"live/recordings/{show.pk}/{secrets.token_hex(8)}{source.suffix}", File(handle)
        )
    recording = ShowRecording.objects.create(
        show=show, key=key, source=name, started_at=started_at, duration=_seconds(duration)
    )
    if show.status == ShowStatus.ENDED:
        clips_cut_soon(show.pk)
    return recording


def clips_cut_soon(show_id: int) -> None:
    """Queue the clip job for the show, after the caller's transaction commits."""
    from live.tasks import cut_show_clips

    enqueue_on_commit(cut_show_clips, show_id)


def _pins_to_cut(show_id: int | OuterRef) -> QuerySet[ShowPin]:
    """The show's pins that are over, have no clip and never had one deleted."""
    return ShowPin.objects.filter(
        show_id=show_id, unpinned_at__isnull=False, clip__isnull=True, clip_expired_at__isnull=True
    )


def _recording_of(pin: ShowPin, recordings: list[ShowRecording]) -> ShowRecording | None:
    """The recording that holds the pin's start; else, for a pin put up while the encoder was away,
    the first recording that began while the pin was still on. None when no recording covers it."""
    assert pin.unpinned_at is not None
    for recording in recordings:
        if recording.started_at <= pin.pinned_at <= recording.ends_at:
            return recording
    for recording in recordings:
        if pin.pinned_at < recording.started_at < pin.unpinned_at:
            return recording
    return None


def show_clips_cut(*, show_id: int) -> list[ShowClip]:
    """Cut a clip for every pin of the ended show that has none, each from the recording that covers
    it, up to the unpin or the recording's end, whichever comes first. Returns the clips made now. A
    pin no recording covers (before the first stream, after the last, in a gap between two) is logged
    and skipped. Safe to run twice."""
    show = Show.objects.get(pk=show_id)
    if show.status != ShowStatus.ENDED:
        return []
    recordings = list(ShowRecording.objects.filter(show=show).order_by("started_at", "id"))
    pins = list(_pins_to_cut(show.pk).order_by("pinned_at", "id")) if recordings else []
    if not pins:
        return []
    # A clip's offset counts from the first frame of the show's first stream.
    show_began = recordings[0].started_at
    plan: dict[int, list[tuple[ShowPin, float, float]]] = {}
    for pin in pins:
        assert pin.unpinned_at is not None
        recording = _recording_of(pin, recordings)
        if recording is None:
            logger.warning("No recording of show %s covers pin %s", show.pk, pin.pk)
            continue
        start = (max(pin.pinned_at, recording.started_at) - recording.started_at).total_seconds()
        end = (min(pin.unpinned_at, recording.ends_at) - recording.started_at).total_seconds()
        plan.setdefault(recording.pk, []).append((pin, start, end))
    made = []
    with tempfile.TemporaryDirectory(prefix="reloop-clips-") as work:
        folder = Path(work)
        for recording in recordings:
            if recording.pk not in plan:
                continue
            # One recording on local disk at a time: a show's streams may be long.
            source = _local_copy(recording.key, folder / f"recording{Path(recording.key).suffix}")
            into_show = (recording.started_at - show_began).total_seconds()
            for pin, start, end in plan[recording.pk]:
                video, poster = folder / f"{pin.pk}.mp4", folder / f"{pin.pk}.jpg"
                try:
                    result = cut(source, start=start, end=end, video=video, poster=poster)
                except ClipError:
                    logger.warning("No clip for pin %s of show %s", pin.pk, show.pk, exc_info=True)
                    continue
                made_clip = _clip_store(
                    show=show, pin=pin, video=video, poster=poster, offset=into_show + start, result=result
                )
                if made_clip is not None:
                    made.append(made_clip)
            source.unlink()
    return made


def _local_copy(key: str, path: Path) -> Path:
    """The private file `key`, copied to `path` (PyAV reads files, not storage objects)."""
    with private_storage().open(key, "rb") as stored, path.open("wb") as local:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            local.write(chunk)
    return path


def _clip_store(
    *, show: Show, pin: ShowPin, video: Path, poster: Path, offset: float, result: Cut
) -> ShowClip | None:
    storage = public_storage()
    name = secrets.token_hex(10)
    with video.open("rb") as handle:
        video_key = storage.save(f"live/clips/{name[:2]}/{name}.mp4", File(handle))
    with poster.open("rb") as handle:
        poster_key = storage.save(f"live/clips/{name[:2]}/{name}.jpg", File(handle))
    try:
        with transaction.atomic():
            clip = ShowClip.objects.create(
                show=show,
                pin=pin,
                listing_id=pin.listing_id,
                video_key=video_key,
                poster_key=poster_key,
                offset=_seconds(offset),
                duration=_seconds(result.duration),
                width=result.width,
                height=result.height,
            )
            # The item's page shows its clips, in a body the cache keeps.
            listing_pages_forget_on_commit(pin.listing_id)
            return clip
    except IntegrityError:  # another run cut this pin meanwhile: keep theirs
        storage.delete(video_key)
        storage.delete(poster_key)
        return None


def shows_missing_clips(*, limit: int = 20) -> list[int]:
    """Ended shows with a recording and a pin that has no clip, oldest first."""
    return list(
        Show.objects.filter(status=ShowStatus.ENDED)
        .filter(
            Exists(ShowRecording.objects.filter(show=OuterRef("pk"))),
            Exists(_pins_to_cut(OuterRef("pk"))),
        )
        .order_by("ended_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def clips_expire(*, now: datetime | None = None, limit: int = EXPIRE_BATCH) -> int:
    """Delete the clips whose keeping is over, with their video and poster files: a bounded batch,
    oldest first; returns how many. A clip is kept while its item is not sold (unsold, on sale again
    after a return, or sold with no order to date it by), and after a sale for RETURN_WINDOW_DAYS (the
    buyer's window for a return or a dispute) plus LIVE_CLIP_KEEP_DAYS from the delivery of the item's
    latest order (its completion, or its creation when it was never delivered); and as long as a
    dispute about the item is open, whatever the dates. Safe to run twice, and beside another run:
    each claims the clips it deletes (locked, skipping those another holds)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETURN_WINDOW_DAYS + settings.LIVE_CLIP_KEEP_DAYS)
    latest_order = Order.objects.filter(listing=OuterRef("listing_id")).order_by("-created_at", "-id")
    with transaction.atomic():
        clips = list(
            ShowClip.objects.filter(listing__status=ListingStatus.SOLD)
            .annotate(
                sold_on=Subquery(
                    latest_order.values(on=Coalesce("delivered_at", "completed_at", "created_at"))[:1]
                )
            )
            .filter(sold_on__lt=cutoff)
            .exclude(
                Exists(
                    Dispute.objects.filter(order__listing=OuterRef("listing_id"), resolved_at__isnull=True)
                )
            )
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",))[:limit]
        )
        if not clips:
            return 0
        storage = public_storage()
        for clip in clips:
            # The files go first: should the commit fail, the row is still here and the next run
            # deletes it (deleting a file that is gone is no error), so no file outlives its row.
            storage.delete(clip.video_key)
            storage.delete(clip.poster_key)
            listing_pages_forget_on_commit(clip.listing_id)
        ShowPin.objects.filter(pk__in=[clip.pin_id for clip in clips]).update(clip_expired_at=now)
        ShowClip.objects.filter(pk__in=[clip.pk for clip in clips]).delete()
    logger.info("Deleted %s clips at the end of their keeping", len(clips))
    return len(clips)
