"""Running nginx-rtmp as live shows' media server: its configuration, and where it keeps things.

`render_config` fills in live/nginx-rtmp.conf; `make stack` (scripts/launch.py) and the media tests
start `nginx -c` on the result. Reloop itself only needs the callbacks (live.media_hooks) and, in
the settings, where encoders send (LIVE_RTMP_URL) and where viewers play (LIVE_PLAYBACK_URL).
"""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("nginx-rtmp.conf")
# Where Debian's libnginx-mod-rtmp puts the module; nginx loads it itself when it is enabled.
DEBIAN_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


@dataclass(frozen=True)
class MediaServer:
    run_dir: Path  # pid, logs, temp files, the rendered configuration
    hls_dir: Path
    record_dir: Path
    rtmp_port: int
    http_port: int
    hook_url: str  # Reloop's /live/media/ URL, ending in a slash
    secret: str
    host: str = "127.0.0.1"

    @property
    def config_path(self) -> Path:
        return self.run_dir / "nginx.conf"

    @property
    def rtmp_url(self) -> str:
        return f"rtmp://{self.host}:{self.rtmp_port}/live"

    @property
    def playback_url(self) -> str:
        """LIVE_PLAYBACK_URL for this server."""
        return f"http://{self.host}:{self.http_port}/hls/{{stream}}.m3u8"


def nginx_binary() -> str | None:
    """nginx, if it is installed and can load the RTMP module."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    return binary if binary and DEBIAN_MODULE.exists() else None


def render_config(server: MediaServer) -> Path:
    """Write the configuration for `server` and make its folders (writable by nginx's workers, which
    run as another user when nginx starts as root). Returns the configuration's path."""
    for folder in (server.run_dir, server.hls_dir, server.record_dir):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o777)
    as_root = os.geteuid() == 0
    text = Template(TEMPLATE.read_text()).substitute(
        # With a configuration of its own (-c), nginx loads no module from /etc/nginx/modules-enabled.
        load_module=f"load_module {DEBIAN_MODULE};",
        user="user root;" if as_root else "",
        run_dir=server.run_dir,
        hls_dir=server.hls_dir,
        record_dir=server.record_dir,
        rtmp_listen=f"{server.host}:{server.rtmp_port}",
        http_listen=f"{server.host}:{server.http_port}",
        hook_url=server.hook_url,
        secret=server.secret,
    )
    server.config_path.write_text(text)
    return server.config_path


@contextmanager
def running(server: MediaServer) -> Iterator[subprocess.Popen]:
    """nginx serving `server` until the block ends (the tests run it this way)."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx with the RTMP module is not installed")
    command = [binary, "-e", "stderr", "-c", str(render_config(server))]
    process = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - nginx, found above
    try:
        deadline = time.monotonic() + 10
        while not (server.run_dir / "nginx.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
