from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "worker:heartbeat"


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Beat sends this every 15 s; /healthz reads the time the worker last ran it."""
    cache.set(HEARTBEAT_KEY, timezone.now().timestamp(), timeout=24 * 3600)
