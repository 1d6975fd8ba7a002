"""After a show: its recording, and a clip cut from it for each pin whose length is the pin's span."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from listings.photos import private_storage, public_storage
from live.clips import ClipError, cut, duration_of, poster_size, recording_of_bars
from live.models import Show, ShowClip, ShowPin, ShowStatus
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
    assert private_storage().exists(show.recordings.get().key)

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


# --- A show with more than one stream: the encoder reconnected -------------------------------------


def _pin(show, listing, began, start: float, end: float) -> ShowPin:
    return ShowPin.objects.create(
        show=show,
        listing=listing,
        pinned_at=began + timedelta(seconds=start),
        unpinned_at=began + timedelta(seconds=end),
    )


def test_each_pin_is_cut_from_the_recording_of_the_stream_it_was_in(tmp_path):
    # given: a show whose encoder streamed 10 s, dropped for 5 s, then streamed 8 s more; each stream
    # recorded on its own (told apart here by their picture sizes)
    first, second = tmp_path / "first.flv", tmp_path / "second.flv"
    recording_of_bars(first, seconds=10, label="first")
    recording_of_bars(second, seconds=8, size=(320, 180), label="second")
    host = a_host(username="host")
    listings = [ListingFactory(seller=host) for _ in range(5)]
    show = show_schedule(
        host=host,
        title="Cameras",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[x.pk for x in listings],
    )
    show_start(show_id=show.pk, by=host)
    began = timezone.now() - timedelta(minutes=5)
    in_first = _pin(show, listings[0], began, 2.0, 5.0)
    in_second = _pin(show, listings[1], began, 17.0, 21.0)
    into_the_gap = _pin(show, listings[2], began, 8.0, 13.0)  # the first stream ends under it
    in_the_gap = _pin(show, listings[3], began, 11.0, 14.0)  # no stream at all
    out_of_the_gap = _pin(show, listings[4], began, 13.0, 18.0)  # the second stream begins under it
    show_end(show_id=show.pk, by=host)
    show_recording_attach(show_id=show.pk, source=first, started_at=began)
    show_recording_attach(show_id=show.pk, source=second, started_at=began + timedelta(seconds=15))

    # when
    made = show_clips_cut(show_id=show.pk)

    # then: each pin's clip comes from the stream it was in, as long as the pin was on that stream
    clips = {clip.pin_id: clip for clip in made}
    assert set(clips) == {in_first.pk, in_second.pk, into_the_gap.pk, out_of_the_gap.pk}
    expected = {
        # pin: (seconds into the show, seconds long, picture size of its recording)
        in_first.pk: (2.0, 3.0, (640, 360)),
        in_second.pk: (17.0, 4.0, (320, 180)),
        into_the_gap.pk: (8.0, 2.0, (640, 360)),
        out_of_the_gap.pk: (15.0, 3.0, (320, 180)),
    }
    for pin_id, (offset, seconds, size) in expected.items():
        clip = clips[pin_id]
        video = Path(public_storage().path(clip.video_key))
        assert abs(float(clip.offset) - offset) < 0.05, (pin_id, clip.offset)
        assert abs(duration_of(video) - seconds) < 1, (pin_id, duration_of(video))
        assert abs(float(clip.duration) - seconds) < 1
        assert (clip.width, clip.height) == size
        assert poster_size(Path(public_storage().path(clip.poster_key))) == size
    assert not ShowClip.objects.filter(pin=in_the_gap).exists()
    assert show.recordings.count() == 2


def test_the_same_file_handed_over_twice_is_kept_once(recording):
    show, began, _listings = _ended_show_with_pins([(1.0, 2.0)])

    kept = show_recording_attach(show_id=show.pk, source=recording, started_at=began)
    again = show_recording_attach(show_id=show.pk, source=recording, started_at=began + timedelta(seconds=3))

    assert again == kept
    assert list(show.recordings.values_list("key", "started_at")) == [(kept.key, began)]
    assert abs(float(kept.duration) - 12) < 0.5  # measured from the file
    assert len(private_storage().listdir(f"live/recordings/{show.pk}")[1]) == 1


def _live_show(settings):
    settings.LIVE_MEDIA_SECRET = "hook-secret"
    host = a_host(username="host")
    show = show_schedule(
        host=host,
        title="Watches",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[ListingFactory(seller=host).pk],
    )
    return show


def _hook(client, name: str, show, **data):
    return client.post(
        f"/live/media/{name}/?secret=hook-secret",
        {"name": show.stream_name, "key": show.ingest_key, **data},
    )


def test_every_publish_starts_the_current_stream_again(client, settings):
    show = _live_show(settings)

    assert _hook(client, "publish", show).status_code == 204
    show.refresh_from_db()
    first = show.streaming_since
    assert show.status == ShowStatus.LIVE and first is not None

    # when: the encoder reconnects
    assert _hook(client, "publish", show).status_code == 204

    show.refresh_from_db()
    assert show.streaming_since > first


def test_a_recording_starts_when_its_stream_began(client, settings, recording):
    # given: the stream began a minute ago and its 12-second recording arrives
    show = _live_show(settings)
    _hook(client, "publish", show)
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    Show.objects.filter(pk=show.pk).update(streaming_since=a_minute_ago)

    assert _hook(client, "record-done", show, path=str(recording)).status_code == 204

    assert show.recordings.get().started_at == a_minute_ago


def test_a_recording_that_arrives_after_the_encoder_reconnected_starts_before_its_end(
    client, settings, recording
):
    # given: the encoder reconnected (a new stream began just now) before the media server handed
    # over the 12-second recording of the stream before
    show = _live_show(settings)
    _hook(client, "publish", show)
    _hook(client, "publish", show)
    show.refresh_from_db()

    before = timezone.now()
    assert _hook(client, "record-done", show, path=str(recording)).status_code == 204

    # then: the recording began its own length before it was handed over, not when the new stream did
    started = show.recordings.get().started_at
    assert started < show.streaming_since
    assert abs((before - started).total_seconds() - 12) < 1


def test_the_media_server_handing_over_a_file_twice_keeps_it_once(client, settings, recording):
    show = _live_show(settings)
    _hook(client, "publish", show)

    for _ in range(2):
        assert _hook(client, "record-done", show, path=str(recording)).status_code == 204

    assert show.recordings.count() == 1


def test_a_new_clip_shows_on_its_items_page_at_once(client, recording, django_capture_on_commit_callbacks):
    show, began, (listing,) = _ended_show_with_pins([(1.0, 3.0)])
    page = reverse("listings:detail", args=[listing.pk])
    assert "Watch the host explain it" not in client.get(page).content.decode()  # cached now
    show_recording_attach(show_id=show.pk, source=recording, started_at=began)

    with django_capture_on_commit_callbacks(execute=True):
        (clip,) = show_clips_cut(show_id=show.pk)

    html = client.get(page).content.decode()
    assert "Watch the host explain it" in html and clip.video_url in html
