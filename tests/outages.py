"""Outages for the tests: a broker that does not answer, and a throwaway Redis server to stop mid-test.

The machine's own Redis is shared and never stopped: `ThrowawayRedis` runs a private
`redis-server` on its own port, with nothing saved to disk, that a test may kill and start again.
"""

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from tests.workers import worker_number

# Nothing listens here: connections are refused at once, as with a stopped Redis.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
# One port per test process (tests.workers).
THROWAWAY_PORT = 6391 + worker_number()


def use_broker(app, url: str) -> None:
    """Send this process's tasks to `url`, dropping the connection and producer pools that Celery and
    kombu keep (kombu's are shared by URL, so a pool closed here must not be found again)."""
    from kombu import pools

    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextmanager
def broker_down() -> Iterator[None]:
    """Tasks are sent (not run in-process) to a broker that refuses every connection."""
    from marketplace.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.task_always_eager = False
    use_broker(app, DEAD_REDIS_URL)
    try:
        yield
    finally:
        app.conf.task_always_eager = previous[1]
        use_broker(app, previous[0])


class ThrowawayRedis:
    """A private redis-server on `port`, started and stopped by the test that owns it."""

    def __init__(self, port: int = THROWAWAY_PORT) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("needs redis-server (apt-get install redis-server)")
        command = [
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                if self.process.poll() is not None:
                    pytest.fail(f"redis-server on port {self.port} exited with {self.process.returncode}")
                time.sleep(0.05)
        pytest.fail(f"redis-server on port {self.port} did not answer within 10 s")

    def stop(self) -> None:
        """Kill it, as a crash would: nothing is kept."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def django_redis_cache(url: str) -> dict:
    """A CACHES setting like the one REDIS_URL gives (marketplace/settings.py), pointed at `url`."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
