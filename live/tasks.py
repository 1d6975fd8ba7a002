"""Thin Celery tasks for live shows: each calls one service and is safe to run twice."""

from celery import shared_task


@shared_task(ignore_result=True, acks_late=True)
def cut_show_clips(show_id: int) -> int:
    """Cut the explanation clips of an ended show from its recording (live.services.replays)."""
    from live.services.replays import show_clips_cut

    return len(show_clips_cut(show_id=show_id))


@shared_task(ignore_result=True)
def cut_missing_clips() -> int:
    """The sweep: ended shows with a recording and a pin that has no clip yet (a job lost with its
    worker, a recording that arrived late), a bounded batch each run."""
    from live.services.replays import show_clips_cut, shows_missing_clips

    return sum(len(show_clips_cut(show_id=show_id)) for show_id in shows_missing_clips())


# How many batches one daily run of expire_clips deletes at most; what is left waits for the next.
EXPIRE_BATCHES_PER_RUN = 50


@shared_task(ignore_result=True)
def expire_clips() -> int:
    """Daily: delete the clips kept long enough after their item's sale (live.services.replays), in
    bounded batches, each its own transaction, until none is left or the run has done its share."""
    from live.services.replays import EXPIRE_BATCH, clips_expire

    total = 0
    for _batch in range(EXPIRE_BATCHES_PER_RUN):
        deleted = clips_expire(limit=EXPIRE_BATCH)
        total += deleted
        if deleted < EXPIRE_BATCH:
            break
    return total
