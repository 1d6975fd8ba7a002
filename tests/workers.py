"""`make test` runs the suite on several processes (pytest-xdist). Each has its own test database
(pytest-django names it after the worker), and this module gives each its own share of the shared
Redis and ports, so that no process sees another's cache keys, channel groups, broker queues or
servers. Without xdist there is one process, number 0.
"""

import os
from urllib.parse import urlsplit, urlunsplit

# Redis has 16 databases. The processes use REDIS_URL's database plus their number for the cache,
# channels and the settlement worker's broker, and 15 minus their number for the integration
# tests' Celery worker: up to MAX_WORKERS processes, none sharing a database.
MAX_WORKERS = 7


def worker_number() -> int:
    """0 for the first process (or the only one), 1 for the second..."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(name.removeprefix("gw") or 0)
    if number >= MAX_WORKERS:
        raise RuntimeError(
            f"The suite runs on at most {MAX_WORKERS} processes (Redis databases per process)."
        )
    return number


def redis_url_for_worker(url: str, *, database: int) -> str:
    """`url` pointed at `database` of the same server."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def own_redis_url(url: str) -> str:
    """REDIS_URL moved to this process's database: its own database number plus the process's."""
    path = urlsplit(url).path.strip("/")
    base = int(path) if path.isdigit() else 0
    return redis_url_for_worker(url, database=base + worker_number())
