"""The settlement beat job (consignment.settlement), registered under the name the beat schedule uses.
consignment.tasks imports this module so that workers know the task."""

from celery import shared_task

from consignment.settlement import SETTLE_BATCH_SIZE

# Batches per run: a run settles at most this many times SETTLE_BATCH_SIZE consignments, and the next
# run (every 10 minutes) takes the rest.
MAX_BATCHES = 40


@shared_task(name="consignment.tasks.settle_consignments", ignore_result=True)
def settle_consignments(limit: int = SETTLE_BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int:
    """Settle eligible consignments, `limit` per committed batch, until a batch finds none left (or
    `max_batches` batches ran). Safe to run twice or on two workers at once; returns how many were
    settled."""
    from consignment.settlement import consignments_settle

    settled = 0
    for _batch in range(max_batches):
        done = consignments_settle(limit=limit)
        settled += done
        if not done:
            break
    return settled
