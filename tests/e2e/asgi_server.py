"""A live server for the browser tests that need websockets: daphne serves the project's ASGI
application (marketplace.asgi, pages and /ws/notifications/) from a thread of the test process, on
127.0.0.1 and a free port, against the test database, with static files served from the finders as
pytest-django's live_server serves them.

A thread rather than channels' ChannelsLiveServerTestCase, which forks a DaphneProcess: sharing the
process, the server and the test share the channel layer even when it lives in memory (no REDIS_URL),
the settings a test overrides, and the in-memory cache the sessions are read from. Twisted's reactor
runs once per process, so the server starts once per session and stops at its end (pytest-django's
live_server is session-scoped too); each test asks for transactional_db, since the server sees only
what the test commits.

Under ASGI each request runs in a thread of its own, and the consumers' database calls in one shared
thread: a connection kept for CONN_MAX_AGE is never reused by the first, and stays open in the second,
and PostgreSQL refuses to drop a test database that still has connections at the end of the session.
As Django's documentation advises for ASGI, the server runs with CONN_MAX_AGE = 0: each request, and
each database call of a consumer, closes its connection when it is done.
"""

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.test.utils import modify_settings

TIMEOUT = 10.0  # seconds to start or stop; a shared 2-core CI machine is slower than a laptop


class AsgiLiveServer:
    """Daphne serving marketplace.asgi.application in a thread; `url` once started."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __str__(self) -> str:
        return self.url

    def start(self) -> None:
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        # The websocket's origin check reads ALLOWED_HOSTS when marketplace.asgi is first imported.
        with modify_settings(ALLOWED_HOSTS={"append": self.host}):
            from marketplace.asgi import application

        server = Server(
            application=ASGIStaticFilesHandler(application),
            endpoints=build_endpoint_description_strings(host=self.host, port=0),
            signal_handlers=False,  # not the main thread; the test process keeps its own handlers
            verbosity=0,
        )
        self._thread = threading.Thread(
            target=self._serve, args=(server,), name="asgi-live-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + TIMEOUT
        while not server.listening_addresses:
            if self.error is not None or not self._thread.is_alive():
                raise RuntimeError("The ASGI live server did not start") from self.error
            if time.monotonic() > deadline:
                raise RuntimeError(f"The ASGI live server was not listening after {TIMEOUT:.0f} s")
            time.sleep(0.05)
        self.port = server.listening_addresses[0][1]

    def _serve(self, server) -> None:
        try:
            server.run()
        except BaseException as error:  # start() raises it
            self.error = error

    def stop(self) -> None:
        """Stop the reactor (daphne cancels what is still running first) and wait for the thread."""
        from twisted.internet import reactor

        if self._thread is None:
            return
        if self._thread.is_alive():
            reactor.callFromThread(reactor.stop)
            self._thread.join(timeout=TIMEOUT)
        self._thread = None
        # A request cut short never closes its connection; its thread is gone, and the connection goes
        # with the garbage (Django's connection objects refer to each other, so only the collector
        # frees them).
        gc.collect()


@contextmanager
def connections_closed_after_use() -> Iterator[None]:
    """CONN_MAX_AGE = 0 for the connections opened meanwhile (every connection shares its alias's
    settings dict, and reads CONN_MAX_AGE when it connects)."""
    before = {alias: connections.settings[alias].get("CONN_MAX_AGE", 0) for alias in connections}
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = 0
    try:
        yield
    finally:
        for alias, age in before.items():
            connections.settings[alias]["CONN_MAX_AGE"] = age
