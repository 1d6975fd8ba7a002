"""Thin Celery tasks for the interest feed: each calls one service and is safe to run twice."""

from datetime import timedelta

from celery import shared_task


@shared_task(ignore_result=True)
def flush_interest_signals() -> int:
    """Write the buffered signals of interest, a bounded batch each run (feed.recording)."""
    from feed.recording import signals_flush

    return signals_flush()


# How far back the hourly top-up looks for items with new signals: a little more than its interval.
TOP_UP_WINDOW = timedelta(minutes=70)


@shared_task(ignore_result=True, acks_late=True)
def rebuild_item_neighbours() -> int:
    """The nightly run: every item's neighbours, learned afresh (feed.services)."""
    from feed.services import neighbours_rebuild

    return neighbours_rebuild()


@shared_task(ignore_result=True, acks_late=True)
def top_up_item_neighbours() -> int:
    """The hourly top-up: the neighbours of the items with a new signal."""
    from django.utils import timezone

    from feed.services import neighbours_rebuild

    return neighbours_rebuild(touched_since=timezone.now() - TOP_UP_WINDOW)
