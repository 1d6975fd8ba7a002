"""Logging filters named in settings.LOGGING."""

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Passes a message the first time, then at most once every `seconds` per process: an outage that
    fails every request (the cache down) is logged, not repeated on every request."""

    def __init__(self, seconds: float = 60.0) -> None:
        super().__init__()
        self.seconds = seconds
        self._last: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                return False
            self._last[key] = now
        return True
