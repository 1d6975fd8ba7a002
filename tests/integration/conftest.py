"""A real Celery worker for the integration tests.

The worker is a subprocess running this checkout's code against pytest-django's test database and a
Redis database of its own (DB 15 on the server in REDIS_URL for the first test process, 14 for the
second: tests.workers; flushed before the worker starts), used
as both broker and cache. It shares the media folders with the tests, so that files one side writes
the other can read. It starts once per session, on the first test that asks for it, and stops before
the test database is dropped.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.outages import throwaway_redis  # noqa: F401  (a fixture: a Redis server a test may stop)
from tests.workers import redis_url_for_worker, worker_number

ROOT = Path(__file__).resolve().parents[2]
TEST_REDIS_DB = 15 - worker_number()
READY_TIMEOUT = 60  # seconds; a cold start on a busy 2-core machine takes about 5


@dataclass
class Worker:
    process: subprocess.Popen
    name: str
    redis_url: str
    media_root: Path
    private_media_root: Path
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _test_redis_url() -> str:
    return redis_url_for_worker(os.environ["REDIS_URL"], database=TEST_REDIS_DB)


def _database_url() -> str:
    """The URL of the database this test session uses: pytest-django's test database, by name."""
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def _use_broker(app, url: str) -> None:
    """Send this process's tasks to `url`. Celery builds its connection and producer pools on first
    use (eager unit tests do too) and keeps them; drop them, as Celery itself does after a fork, so
    that the next task is sent over a connection to `url`."""
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


def _wait_until_ready(worker: Worker) -> None:
    from marketplace.celery import app

    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.process.returncode}:\n{worker.log_tail()}")
        if app.control.ping(destination=[worker.name], timeout=1.0):
            return
    pytest.fail(f"the Celery worker did not answer a ping within {READY_TIMEOUT} s:\n{worker.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown: finishes the task in hand
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_worker(worker: Worker, *, var_dir: Path, env: dict[str, str] | None = None) -> None:
    """Start a real Celery worker process for `worker` (its broker, media folders and log), on this
    test database; `env` adds to or overrides its environment. Sets `worker.process`."""
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",  # no idle connection may stop the test database from being dropped
        "REDIS_URL": worker.redis_url,
        "MEDIA_ROOT": str(worker.media_root),
        "PRIVATE_MEDIA_ROOT": str(worker.private_media_root),
        "VAR_DIR": str(var_dir),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo"]
    command += ["--loglevel", "INFO", "--hostname", worker.name, "--without-gossip", "--without-mingle"]
    with worker.log.open("w") as log:
        worker.process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory) -> Worker:
    import redis

    from marketplace.celery import app

    redis_url = _test_redis_url()
    redis.Redis.from_url(redis_url).flushdb()
    previous_broker_url = app.conf.broker_url
    _use_broker(app, redis_url)

    files = tmp_path_factory.mktemp("celery-worker")
    worker = Worker(
        process=None,  # set below
        name=f"integration-{os.getpid()}@{socket.gethostname()}",
        redis_url=redis_url,
        media_root=files / "media",
        private_media_root=files / "private",
        log=files / "worker.log",
    )
    start_worker(worker, var_dir=files / "var")
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        _stop(worker.process)
        _use_broker(app, previous_broker_url)


@pytest.fixture
def worker(celery_worker, _isolated_files_and_cache, settings) -> Worker:
    """The running worker, with this test's settings pointing at the same media folders and cache."""
    settings.MEDIA_ROOT = celery_worker.media_root
    settings.PRIVATE_MEDIA_ROOT = celery_worker.private_media_root
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": celery_worker.redis_url}}
    return celery_worker


def wait_for(condition, *, timeout: float = 30, what: str, worker: Worker):
    """Poll `condition` until it returns something truthy; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}; worker log:\n{worker.log_tail()}")
