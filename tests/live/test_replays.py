"""After a show: its recording, and a clip cut from it for each pin whose length is the pin's span."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from listings.photos import private_storage, public_storage
from live.clips import ClipError, cut, duration_of, poster_size, recording_of_bars
from live.models import ShowClip, ShowPin
from live.services.replays import show_clips_cut, show_recording_attach, shows_missing_clips
from live.services.shows import show_end, show_schedule, show_start
from tests.factories import ListingFactory
from tests.live.helpers import a_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(tmp_path) -> Path:
    """A 12-second recorded test stream (colour bars and a tone), as the media server writes it (FLV)."""
    path = tmp_path / "show.flv"
    recording_of_bars(path, seconds=12, label="show")
    return path


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _ended_show_with_pins(spans: list[tuple[float, float]]):
    """A show recorded from `began`, with one pin per (from, to) seconds into the recording."""
    host = a_host(username="host")
    listings = [ListingFactory(seller=host) for _ in spans]
    show = show_schedule(
        host=host,
        title="Bags",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[x.pk for x in listings],
    )
    show_start(show_id=show.pk, by=host)
    began = timezone.now() - timedelta(minutes=5)
    for listing, (start, end) in zip(listings, spans, strict=True):
        ShowPin.objects.create(
            show=show,
            listing=listing,
            pinned_at=began + timedelta(seconds=start),
            unpinned_at=began + timedelta(seconds=end),
        )
    show_end(show_id=show.pk, by=host)
    return show, began, listings


def test_each_pin_becomes_a_clip_as_long_as_its_span(recording, django_capture_on_commit_callbacks):
    show, began, listings = _ended_show_with_pins([(1.0, 4.5), (5.2, 11.0)])

    # when: the media server hands over the recording of the ended show (the job runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        show_recording_attach(show_id=show.pk, source=recording, started_at=began)

    clips = list(ShowClip.objects.filter(show=show).order_by("offset"))
    assert [clip.listing_id for clip in clips] == [x.pk for x in listings]
    for clip, expected in zip(clips, (3.5, 5.8), strict=True):
        video = Path(public_storage().path(clip.video_key))
        # then: the clip's length is unpin - pin, within a second, as its file says
        assert abs(duration_of(video) - expected) < 1, (clip.video_key, duration_of(video))
        assert abs(float(clip.duration) - expected) < 1
        assert poster_size(Path(public_storage().path(clip.poster_key))) == (640, 360)
    assert [float(clip.offset) for clip in clips] == [1.0, 5.2]
    assert private_storage().exists(show.recording.key)

    # and running the job again cuts nothing more
    assert show_clips_cut(show_id=show.pk) == []
    assert ShowClip.objects.count() == 2
    assert shows_missing_clips() == []


def test_a_pin_the_recording_does_not_cover_is_skipped(recording):
    show, began, listings = _ended_show_with_pins([(2.0, 3.0), (30.0, 40.0)])
    show_recording_attach(show_id=show.pk, source=recording, started_at=began)

    made = show_clips_cut(show_id=show.pk)

    assert [clip.listing_id for clip in made] == [listings[0].pk]
    assert shows_missing_clips() == [show.pk]  # the sweep would look again, and skip it again


def test_a_file_that_is_not_a_recording_is_refused(tmp_path):
    junk = tmp_path / "junk.flv"
    junk.write_bytes(b"not a video at all")
    with pytest.raises(ClipError):
        cut(junk, start=0, end=1, video=tmp_path / "out.mp4", poster=tmp_path / "out.jpg")
