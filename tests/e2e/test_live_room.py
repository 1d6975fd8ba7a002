"""A live room in Chromium: ffmpeg pushes a test pattern into nginx-rtmp as the host's encoder, a
shopper's phone opens the room (served by daphne, with its websocket), the video plays and advances,
and an item the host pins shows on the shopper's card within a second."""

import subprocess
import time
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from live.media_server import MediaServer, running
from live.models import Show, ShowStatus
from live.services.room import show_pin
from live.services.shows import show_schedule
from tests.e2e.conftest import phone_context, sign_in
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host, media_server_in, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRET = "room-test-secret"
PIN_WITHIN = 1.0  # seconds from the host's pin to the shopper's card


@pytest.fixture
def media_server(asgi_live_server, settings, tmp_path):
    server = media_server_in(tmp_path, hook_url=f"{asgi_live_server.url}/live/media/", secret=SECRET)
    origin = f"http://127.0.0.1:{server.http_port}"
    settings.LIVE_MEDIA_SECRET = SECRET
    settings.LIVE_PLAYBACK_URL = server.playback_url
    # The room fetches HLS from the media server: its origin joins the policy, as the settings add it.
    directives = dict(django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["media-src"] = [*directives["media-src"], origin]
    directives["connect-src"] = [*directives["connect-src"], origin]
    settings.CONTENT_SECURITY_POLICY = {**django_settings.CONTENT_SECURITY_POLICY, "DIRECTIVES": directives}
    with running(server):
        yield server


def _playlist(server: MediaServer, name: str) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{server.http_port}/hls/{name}.m3u8", timeout=2
        ) as answer:
            return answer.read().count(b".ts") >= 2
    except OSError:
        return False


def test_the_room_plays_the_stream_and_shows_a_pin_within_a_second(browser, asgi_live_server, media_server):
    host = a_host()
    shopper = UserFactory(username="shopper")
    first = ListingFactory(seller=host, title="Leica M6")
    second = ListingFactory(seller=host, title="Rolleiflex 2.8F")
    show = show_schedule(
        host=host,
        title="Film cameras",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[first.pk, second.pk],
    )
    encoder = subprocess.Popen(
        [
            "ffmpeg", "-v", "error", "-re",
            "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25:duration=40",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=40",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac",
            "-f", "flv", f"{media_server.rtmp_url}/{show.stream_key}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert until(lambda: _playlist(media_server, show.stream_name)), "the media server wrote no HLS"
        assert Show.objects.get(pk=show.pk).status == ShowStatus.LIVE  # the stream started the show

        context = phone_context(browser, asgi_live_server.url, bypass_csp=False)
        sign_in(context, asgi_live_server.url, shopper.username)
        page = context.new_page()
        page.goto(f"/live/{show.pk}/")

        # the video plays, and advances
        page.wait_for_function("() => document.querySelector('#room-video').currentTime > 1", timeout=30_000)
        before = page.evaluate("() => document.querySelector('#room-video').currentTime")
        page.wait_for_timeout(1500)
        assert page.evaluate("() => document.querySelector('#room-video').currentTime") > before

        # the room's websocket is open once it hears the viewer count
        page.wait_for_function("() => document.querySelector('[data-viewers]').textContent.startsWith('1 ')")

        # when: the host pins an item
        pinned_at = time.monotonic()
        show_pin(show_id=show.pk, by=host, listing_id=second.pk)
        page.wait_for_function(
            "() => document.querySelector('#room-card').textContent.includes('Rolleiflex 2.8F')",
            timeout=5_000,
        )
        waited = time.monotonic() - pinned_at

        print(f"the pin reached the shopper's card in {waited:.3f} s")
        # then: it is on the shopper's card within a second
        assert waited < PIN_WITHIN, f"the pin took {waited:.2f} s to reach the card"
        context.close()
    finally:
        encoder.terminate()
        encoder.wait(timeout=10)
