"""An outage that fails every request is logged once a minute, not once per request."""

import logging

from marketplace.log_filters import OncePerInterval


def _record(message: str, name: str = "marketplace.cache") -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, message, None, None)


def test_the_same_message_passes_once_per_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("marketplace.log_filters.time.monotonic", lambda: clock[0])
    once = OncePerInterval(seconds=60)

    passed = [once.filter(_record("Exception ignored")) for _ in range(50)]
    clock[0] += 61
    later = once.filter(_record("Exception ignored"))

    assert passed.count(True) == 1
    assert later is True


def test_other_messages_are_not_held_back():
    once = OncePerInterval(seconds=60)

    assert once.filter(_record("Exception ignored")) is True
    assert once.filter(_record("Another error")) is True
    assert once.filter(_record("Exception ignored", name="other.logger")) is True
