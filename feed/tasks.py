"""Thin Celery tasks for the feed (interest signals, item neighbours) and creators' videos: each calls one
service and is safe to run twice."""

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


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def process_creator_video(video_id: int) -> None:
    """Check and re-encode one creator's video (feed.services.creator_videos). Retries on storage
    errors; a video that is ready, failed or gone is left alone, so running it twice is harmless."""
    from feed.services.creator_videos import creator_video_process

    creator_video_process(video_id=video_id)


@shared_task(ignore_result=True)
def requeue_creator_videos() -> int:
    """Queue the video job again for creators' videos whose job was lost (sent while the broker was
    down, or a worker that died)."""
    from feed.services.creator_videos import creator_videos_requeue_waiting

    return creator_videos_requeue_waiting()


@shared_task(ignore_result=True, acks_late=True)
def settle_creator_commissions() -> int:
    """Pay the creators' commissions on completed orders and reverse those on refunded ones, where the
    order's signal did not (feed.services.commissions)."""
    from feed.services.commissions import commissions_settle_due

    return commissions_settle_due()
