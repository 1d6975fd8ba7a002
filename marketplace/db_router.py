"""Reads from a read replica where a stale answer cannot surprise anyone (DATABASE_REPLICA_URL).

A replica replays the primary's changes a moment later (its replication lag). So only the reads of a
request that has not written, and whose browser has not written lately, go to it:

- writes, and reads that lock rows (`select_for_update`), go to the primary;
- a read inside `transaction.atomic` goes to the primary: it may depend on what the block wrote;
- outside a request (the Celery worker and beat, management commands, the shell, websockets) every
  read goes to the primary: only a request knows whether it may read a little in the past;
- a request reads the primary throughout when it is unsafe (POST, PUT, PATCH, DELETE), and from its
  first write on when it is not; its response then pins that browser to the primary for
  REPLICA_PIN_SECONDS (a cookie), longer than the replica lags, so that whoever changed something
  sees the change on the next page at once.

The rest, in practice shoppers' GET pages and API reads, comes from the replica. docs/scaling.md
says what this buys and what it costs.

A request's state lives in a context variable, not a thread local: under ASGI (daphne) a request's
synchronous code runs in a thread asgiref picks for it, and the context travels with it.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
PIN_COOKIE = "reloop_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class _RequestReads:
    replica: bool  # the request may read the replica now
    wrote: bool = False


# Set by ReplicaPinMiddleware for the length of one request; None everywhere else (primary only).
_request_reads: ContextVar[_RequestReads | None] = ContextVar("request_reads", default=None)


class ReplicaRouter:
    """Writes and migrations on `default`; reads on the replica only when the request allows it."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        reads = _request_reads.get()
        if reads is None or not reads.replica or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        # An object read from the primary fetches its relations there too: one page never pairs a
        # fresh row with stale ones.
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        reads = _request_reads.get()
        if reads is not None:
            reads.wrote = True
            reads.replica = False  # the rest of the request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: a row from either may point at one from the other

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica gets its schema by replication


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads in this block go to the primary, for a row that may have been written a moment ago by a
    client that keeps no cookie (an API token issued by the previous request)."""
    reads = _request_reads.get()
    if reads is None or not reads.replica:
        yield
        return
    reads.replica = False
    try:
        yield
    finally:
        reads.replica = not reads.wrote


def request_reads_primary() -> bool:
    """Whether this request reads the primary because it wrote, or its browser did lately. A page
    cached from the replica may predate what such a request must show: it renders the page afresh."""
    reads = _request_reads.get()
    return reads is not None and not reads.replica


def _pinned(request: HttpRequest) -> bool:
    """The browser wrote within REPLICA_PIN_SECONDS. The cookie holds the time the pin ends, so a
    client that ignores the cookie's max-age is not pinned for longer."""
    try:
        return int(request.COOKIES[PIN_COOKIE]) > time.time()
    except (KeyError, ValueError):
        return False


class ReplicaPinMiddleware:
    """Decides, per request, whether its reads may go to the replica, and pins a browser that wrote.
    Without the replica router (no DATABASE_REPLICA_URL) Django leaves it out of the chain."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not any(isinstance(installed, ReplicaRouter) for installed in router.routers):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        unsafe = request.method not in SAFE_METHODS
        reads = _RequestReads(replica=not unsafe and not _pinned(request))
        token = _request_reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _request_reads.reset(token)
        if unsafe or reads.wrote:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
