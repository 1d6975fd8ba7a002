"""Starting background jobs once a transaction commits, without a broker outage failing the request.

A use case commits its rows first and then sends the job's message (`enqueue_on_commit`). When the
broker cannot take the message, the rows are still committed and the request still succeeds: the
failure is logged and swallowed, and the work waits in the database in a status that says so (a
photo "processing", a submission "valuing", a refund not yet sent). Every such job has a periodic
sweep in CELERY_BEAT_SCHEDULE that finds work left waiting longer than its job should take and
sends the message again; the jobs are idempotent, so a message sent twice does the work once.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

# One quick retry, then give up: with the broker down a request must not wait for it, and the
# sweeps send the message again later.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send `task` to the broker. Returns False, and logs, when the broker does not take it."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except (KombuError, OSError) as error:
        logger.warning(
            "Could not queue %s %r %r (%s: %s); its sweep queues it again later.",
            task.name,
            args,
            kwargs,
            error.__class__.__name__,
            error,
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send `task` once the caller's transaction commits (at once outside one); see `enqueue`. Nothing
    raised after the commit reaches the caller (Django logs it): the work is committed, and the
    request that did it succeeds."""

    def send() -> None:
        enqueue(task, *args, **kwargs)

    transaction.on_commit(send, robust=True)
