"""Reference data every page reads and that rarely changes (the category tree, the brands on sale in
a category), held by each process for a short while, in front of the shared cache.

Without it, every request of every page reads them again (from the cache, or with no cache from the
database): about 2 ms of a channel page. What a page shows of listings, its results, counts and
cards, is never held here: only what is the same for every request.

A process sees another's change once its copy expires (`ttl`); its own at once, as whoever changes a
value calls `forget`. Values are shared by the threads of a process and must not be changed.
"""

import time
from collections.abc import Callable
from threading import Lock
from typing import TypeVar

T = TypeVar("T")

_held: dict[str, tuple[float, object]] = {}
_lock = Lock()


def held(key: str, *, ttl: float, load: Callable[[], T]) -> T:
    """The value under `key`, loaded by `load` when this process has none younger than `ttl` seconds."""
    entry = _held.get(key)
    now = time.monotonic()
    if entry is not None and entry[0] > now:
        return entry[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _held[key] = (now + ttl, value)
    return value


def forget(prefix: str = "") -> None:
    """Drop the values whose key starts with `prefix` (every value, with none), in this process."""
    with _lock:
        for key in [key for key in _held if key.startswith(prefix)]:
            del _held[key]
