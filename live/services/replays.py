"""After a show: its recording, and the explanation clips (讲解回放) cut from it, one per pin.

The media server hands over the recording when the stream ends (`show_recording_attach`); the clips
are cut by a job on the media queue once the show has ended and its recording is here, whichever
comes last (`show_clips_cut`). Each pin becomes one clip, at most once: running the job again cuts
only what is missing.
"""

import logging
import secrets
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction

from listings.photos import private_storage, public_storage
from live.clips import ClipError, cut
from live.errors import LiveError
from live.models import Show, ShowClip, ShowPin, ShowRecording, ShowStatus
from marketplace.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

CENTI = Decimal("0.01")


def _seconds(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENTI)


@transaction.atomic
def show_recording_attach(*, show_id: int, source: Path, started_at: datetime) -> ShowRecording:
    """Keep the show's recording (copied into private storage) with the moment its first frame was
    live, and cut the clips once the show has ended. A show has one recording: a second is refused."""
    show = Show.objects.select_for_update().get(pk=show_id)
    if ShowRecording.objects.filter(show=show).exists():
        raise LiveError("This show has a recording already.", code="recorded")
    with source.open("rb") as handle:
        key = private_storage().save(
            f"live/recordings/{show.pk}/{secrets.token_hex(8)}{source.suffix}", File(handle)
        )
    recording = ShowRecording.objects.create(show=show, key=key, started_at=started_at)
    if show.status == ShowStatus.ENDED:
        clips_cut_soon(show.pk)
    return recording


def clips_cut_soon(show_id: int) -> None:
    """Queue the clip job for the show, after the caller's transaction commits."""
    from live.tasks import cut_show_clips

    enqueue_on_commit(cut_show_clips, show_id)


def show_clips_cut(*, show_id: int) -> list[ShowClip]:
    """Cut a clip for every pin of the ended show that has none, from its recording. Returns the clips
    made now. A pin the recording does not cover (before it started, after it stopped) is logged and
    skipped. Safe to run twice."""
    show = Show.objects.get(pk=show_id)
    recording = ShowRecording.objects.filter(show=show).first()
    if recording is None or show.status != ShowStatus.ENDED:
        return []
    pins = list(
        ShowPin.objects.filter(show=show, unpinned_at__isnull=False, clip__isnull=True).order_by("pinned_at")
    )
    if not pins:
        return []
    made = []
    with tempfile.TemporaryDirectory(prefix="reloop-clips-") as work:
        folder = Path(work)
        source = folder / f"recording{Path(recording.key).suffix}"
        with private_storage().open(recording.key, "rb") as stored, source.open("wb") as local:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                local.write(chunk)
        for pin in pins:
            assert pin.unpinned_at is not None
            start = (pin.pinned_at - recording.started_at).total_seconds()
            end = (pin.unpinned_at - recording.started_at).total_seconds()
            video, poster = folder / f"{pin.pk}.mp4", folder / f"{pin.pk}.jpg"
            try:
                result = cut(source, start=max(0.0, start), end=end, video=video, poster=poster)
            except ClipError:
                logger.warning("No clip for pin %s of show %s", pin.pk, show.pk, exc_info=True)
                continue
            made_clip = _clip_store(
                show=show, pin=pin, video=video, poster=poster, offset=start, result=result
            )
            if made_clip is not None:
                made.append(made_clip)
    return made


def _clip_store(
    *, show: Show, pin: ShowPin, video: Path, poster: Path, offset: float, result
) -> ShowClip | None:
    storage = public_storage()
    name = secrets.token_hex(10)
    with video.open("rb") as handle:
        video_key = storage.save(f"live/clips/{name[:2]}/{name}.mp4", File(handle))
    with poster.open("rb") as handle:
        poster_key = storage.save(f"live/clips/{name[:2]}/{name}.jpg", File(handle))
    try:
        with transaction.atomic():
            return ShowClip.objects.create(
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
    except IntegrityError:  # another run cut this pin meanwhile: keep theirs
        storage.delete(video_key)
        storage.delete(poster_key)
        return None


def shows_missing_clips(*, limit: int = 20) -> list[int]:
    """Ended shows with a recording and a pin that has no clip, oldest first."""
    return list(
        Show.objects.filter(
            status=ShowStatus.ENDED,
            recording__isnull=False,
            pins__unpinned_at__isnull=False,
            pins__clip__isnull=True,
        )
        .order_by("ended_at", "id")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
