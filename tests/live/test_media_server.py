"""A real media server: nginx with the RTMP module takes a host's stream only when Reloop says so,
writes HLS under the show's public name (never its ingest key), and hands over the recording, from
which each pin's clip is cut. ffmpeg plays the host's encoder, pushing a test pattern."""

import os
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from listings.photos import public_storage
from live.clips import duration_of
from live.media_server import MediaServer, running
from live.models import Show, ShowClip, ShowRecording, ShowStatus
from live.services.room import show_pin, show_unpin
from live.services.shows import show_end, show_schedule
from tests.factories import ListingFactory
from tests.live.helpers import a_host, media_server_in, until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "media-test-secret"


@pytest.fixture
def media_server(live_server, settings, tmp_path):
    server = media_server_in(tmp_path, hook_url=f"{live_server.url}/live/media/", secret=SECRET)
    settings.LIVE_MEDIA_SECRET = SECRET
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with running(server):
        yield server


def _encoder(server: MediaServer, stream_key: str, seconds: int) -> subprocess.Popen:
    """ffmpeg as the host's encoder: a test pattern with a tone, in real time, a keyframe a second."""
    return subprocess.Popen(
        [
            "ffmpeg", "-v", "error", "-re",
            "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac",
            "-f", "flv", f"{server.rtmp_url}/{stream_key}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def _playlist(server: MediaServer, name: str) -> str | None:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{server.http_port}/hls/{name}.m3u8", timeout=2
        ) as answer:
            return answer.read().decode()
    except OSError:
        return None


def test_a_hosts_stream_goes_live_as_hls_and_its_recording_becomes_clips(media_server):
    host = a_host(username="host")
    listing = ListingFactory(seller=host)
    show = show_schedule(
        host=host, title="Cameras", starts_at=timezone.now() + timedelta(minutes=1), listing_ids=[listing.pk]
    )

    # when: the host's encoder streams with the show's stream key
    encoder = _encoder(media_server, show.stream_key, seconds=8)

    # then: the show goes live and its HLS playlist appears under the public name, and grows
    first = until(lambda: _playlist(media_server, show.stream_name), timeout=20)
    assert first is not None, encoder.stderr.read().decode() if encoder.poll() is not None else "no playlist"
    show.refresh_from_db()
    assert show.status == ShowStatus.LIVE and show.streaming_since is not None
    show_pin(show_id=show.pk, by=host, listing_id=listing.pk)
    time.sleep(2.5)
    show_unpin(show_id=show.pk, by=host)
    later = _playlist(media_server, show.stream_name)
    assert later is not None and later.count(".ts") >= 2 and later != first
    assert not any(show.ingest_key in path.name for path in media_server.hls_dir.iterdir())

    # when: the stream ends, the recording is handed over; the host ends the show
    encoder.wait(timeout=30)
    recording = until(lambda: ShowRecording.objects.filter(show=show).first(), timeout=20)
    assert recording is not None, (media_server.run_dir / "error.log").read_text()
    show_end(show_id=show.pk, by=host)

    # then: the pin's clip is cut from it, as long as the pin was on the card (within a second)
    clip = until(lambda: ShowClip.objects.filter(show=show).first(), timeout=20)
    assert clip is not None
    assert abs(duration_of(Path(public_storage().path(clip.video_key))) - 2.5) < 1


def test_a_stream_with_a_wrong_key_or_for_a_show_that_is_over_is_refused(media_server):
    host = a_host(username="host")
    show = show_schedule(
        host=host,
        title="Watches",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[ListingFactory(seller=host).pk],
    )

    wrong = _encoder(media_server, f"{show.stream_name}?key=not-the-key", seconds=3)
    wrong.wait(timeout=30)

    assert _playlist(media_server, show.stream_name) is None
    assert Show.objects.get(pk=show.pk).status == ShowStatus.SCHEDULED


def test_the_stack_runs_the_media_server_with_a_configuration_nginx_accepts(media_server, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import launch

    command = launch.processes("stack", "127.0.0.1", 8000)["rtmp"]
    assert command[2] == "media_server" and "--hook-url" in command
    checked = subprocess.run(
        [*command, "--dir", str(tmp_path / "stack"), "--check"],
        env={**os.environ, "LIVE_MEDIA_SECRET": "a-secret", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
    assert "a-secret" in (tmp_path / "stack" / "nginx" / "nginx.conf").read_text()
