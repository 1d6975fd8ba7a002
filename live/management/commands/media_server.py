"""Run nginx with the RTMP module as the media server of live shows, configured for this site.

    python manage.py media_server [--rtmp-port 1935] [--http-port 8080] [--hook-url URL] [--dir DIR]

It writes the configuration (live/nginx-rtmp.conf) into `--dir` (VAR_DIR/media-server unless told),
with the callbacks to `--hook-url` (this site's /live/media/) carrying LIVE_MEDIA_SECRET, and then
becomes nginx. `make stack` and docker-compose's `media` service run it.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from live.media_server import MediaServer, nginx_binary, render_config


class Command(BaseCommand):
    help = "Run nginx-rtmp as the media server of live shows."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--rtmp-port", type=int, default=1935)
        parser.add_argument("--http-port", type=int, default=8080, help="Where HLS is served.")
        parser.add_argument("--hook-url", default="http://127.0.0.1:8000/live/media/")
        parser.add_argument("--dir", default="", help="Its configuration, logs, HLS and recordings.")
        parser.add_argument("--check", action="store_true", help="Write the configuration and test it only.")

    def handle(self, *args, **options) -> None:
        binary = nginx_binary()
        if binary is None:
            raise CommandError(
                "nginx with the RTMP module is not installed (Debian: nginx libnginx-mod-rtmp)."
            )
        if not settings.LIVE_MEDIA_SECRET:
            raise CommandError("Set LIVE_MEDIA_SECRET: the media server's callbacks are refused without it.")
        folder = Path(options["dir"] or settings.VAR_DIR / "media-server")
        server = MediaServer(
            run_dir=folder / "nginx",
            hls_dir=folder / "hls",
            record_dir=folder / "recordings",
            rtmp_port=options["rtmp_port"],
            http_port=options["http_port"],
            hook_url=options["hook_url"],
            secret=settings.LIVE_MEDIA_SECRET,
            host=options["host"],
        )
        config = render_config(server)
        self.stdout.write(f"RTMP in at {server.rtmp_url}, HLS out at {server.playback_url}")
        if options["check"]:
            os.execv(binary, [binary, "-e", "stderr", "-t", "-c", str(config)])  # noqa: S606 - nginx, found above
        # -e: nginx's own log before it reads the configuration (its default may not be writable).
        os.execv(binary, [binary, "-e", "stderr", "-c", str(config)])  # noqa: S606 - nginx, found above
