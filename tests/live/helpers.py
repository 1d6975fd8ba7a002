"""What the live tests share: a user the platform allows to host."""

from live.services.shows import host_permission
from tests.factories import UserFactory


def a_host(username: str = "host", **fields):
    """A seller with the `live.host_show` permission."""
    user = UserFactory(username=username, **fields)
    user.user_permissions.add(host_permission())
    return user


def a_show(*, items: int = 3, live: bool = True):
    """A host's show of `items` cameras at 1000.00 each, started unless `live` is False. Returns the
    show, its host and the listings of its line-up."""
    from datetime import timedelta

    from django.utils import timezone

    from live.services.shows import show_schedule, show_start
    from tests.factories import ListingFactory

    host = a_host(username="host", display_name="Camera Wang")
    listings = [ListingFactory(seller=host, title=f"Camera {n}", price="1000.00") for n in range(items)]
    show = show_schedule(
        host=host,
        title="Film cameras",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[x.pk for x in listings],
    )
    if live:
        show_start(show_id=show.pk, by=host)
    return show, host, listings


def media_server_in(folder, *, hook_url: str, secret: str):
    """A media server's settings under `folder`, on free ports, for a test that runs nginx-rtmp
    (live.media_server.running) and pushes into it with ffmpeg: skipped where either is missing,
    failed instead under REQUIRE_SERVICES=1 (CI)."""
    import os
    import shutil
    import socket

    import pytest

    from live.media_server import MediaServer, nginx_binary

    missing = [
        name
        for name, found in (("nginx-rtmp", nginx_binary()), ("ffmpeg", shutil.which("ffmpeg")))
        if not found
    ]
    if missing:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {', '.join(missing)} is not installed")
        pytest.skip(f"needs {', '.join(missing)}")

    def free_port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    return MediaServer(
        run_dir=folder / "nginx",
        hls_dir=folder / "hls",
        record_dir=folder / "recordings",
        rtmp_port=free_port(),
        http_port=free_port(),
        hook_url=hook_url,
        secret=secret,
    )


def until(check, timeout: float = 30):
    """`check()`'s first true answer within `timeout` seconds, asked every 0.2 s; None if none."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return None
