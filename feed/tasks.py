"""Thin Celery tasks for the interest feed: each calls one service and is safe to run twice."""

from celery import shared_task


@shared_task(ignore_result=True)
def flush_interest_signals() -> int:
    """Write the buffered signals of interest, a bounded batch each run (feed.recording)."""
    from feed.recording import signals_flush

    return signals_flush()
