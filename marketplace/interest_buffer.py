"""A buffer for shoppers' signals of interest (a view, a favourite, an offer…), so that recording one
costs a request almost nothing: `push` appends it, and a scheduled job (feed.tasks) `drain`s the
buffer and writes what it held in batches.

With REDIS_URL, the buffer is a Redis list (RPUSH, then LPOP of a batch); without it (the embedded
default), a file of JSON lines under VAR_DIR, appended to (one write per signal, each whole) and
renamed aside before it is read. Signals are a measure of interest, not a record anyone relies on: one
that cannot be buffered (Redis down) is dropped and logged, and never fails the request.
"""

import contextlib
import json
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "interest:buffer"
# How long a push may wait on Redis before the signal is dropped.
TIMEOUT = 0.25

_client = None


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
    return _client


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "interest"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def push(signal: dict) -> None:
    """Buffer one signal (a dict of JSON values). Never raises."""
    line = json.dumps(signal, separators=(",", ":"))
    try:
        if settings.REDIS_URL:
            _redis().rpush(KEY, line)
        else:
            # O_APPEND: each line lands whole even with several processes writing.
            descriptor = os.open(_folder() / "buffer.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, (line + "\n").encode())
            finally:
                os.close(descriptor)
    except Exception:
        logger.warning("A signal of interest was dropped: the buffer did not take it", exc_info=True)


def drain(limit: int) -> list[dict]:
    """Take up to `limit` signals out of the buffer, oldest first. Each is taken once."""
    lines = (_redis().lpop(KEY, limit) or []) if settings.REDIS_URL else _drain_file(limit)
    signals = []
    for line in lines:
        try:
            signals.append(json.loads(line))
        except ValueError:
            logger.warning("A buffered signal of interest was not JSON and is dropped")
    return signals


def _drain_file(limit: int) -> list[bytes]:
    """Rename the buffer aside (new signals start a new file), read it, and put back what is past
    `limit` for the next run."""
    folder = _folder()
    taking = folder / f"draining-{secrets.token_hex(6)}.jsonl"
    lines: list[bytes] = []
    for leftover in sorted(folder.glob("draining-*.jsonl")):  # a run that died mid-way
        lines += leftover.read_bytes().splitlines()
        leftover.unlink()
    with contextlib.suppress(FileNotFoundError):  # nothing buffered since the last run
        (folder / "buffer.jsonl").rename(taking)
        lines += taking.read_bytes().splitlines()
        taking.unlink()
    lines = [line for line in lines if line.strip()]
    if len(lines) > limit:
        rest = folder / f"draining-{secrets.token_hex(6)}.jsonl"
        rest.write_bytes(b"\n".join(lines[limit:]) + b"\n")
        lines = lines[:limit]
    return lines


def pending() -> int:
    """How many signals wait in the buffer (Redis), or -1 where it cannot say cheaply (a file)."""
    if settings.REDIS_URL:
        return int(_redis().llen(KEY))
    return -1
