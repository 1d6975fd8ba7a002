"""Thin Celery tasks: take ids, call one service, safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def prevalue_submission(submission_id: int) -> None:
    from recycling.services.valuation import submission_prevalue  # returns early if already valued

    submission_prevalue(submission_id=submission_id)


@shared_task(ignore_result=True)
def expire_estimates() -> None:
    from recycling.services.valuation import estimates_expire

    estimates_expire()


@shared_task(ignore_result=True)
def purge_pending_photos() -> None:
    """Photos held by flows nobody finished: kept as long as a session could still use them."""
    from django.conf import settings

    from recycling import pending_photos

    pending_photos.purge_older_than(seconds=settings.SESSION_COOKIE_AGE)


@shared_task(acks_late=True, ignore_result=True)
def pay_recycle_offer(submission_id: int) -> None:
    """The seller took the cash: pay the wallet, list the item as platform stock (each once)."""
    from recycling.services.offers import recycle_payout

    recycle_payout(submission_id=submission_id)


@shared_task(ignore_result=True)
def pay_missing_recycle_offers() -> int:
    """Pay and list the accepted cash offers whose payout job was lost or failed."""
    from recycling.services.offers import recycle_payouts_catch_up

    return recycle_payouts_catch_up()


@shared_task(ignore_result=True)
def expire_offers() -> None:
    """Final offers nobody answered in time go back to their sellers (return labels booked)."""
    from recycling.services.offers import offers_expire

    offers_expire()


@shared_task(ignore_result=True)
def value_waiting_submissions() -> int:
    """Queue the pre-valuation again for submissions whose job was lost (sent while the broker was down)."""
    from recycling.services.valuation import submissions_requeue_valuing

    return submissions_requeue_valuing()


@shared_task(ignore_result=True)
def cancel_labels_left_live() -> int:
    """Queue the label cancellation again for cancelled submissions whose label is still live."""
    from recycling.services.shipping import submission_labels_requeue_cancel

    return submission_labels_requeue_cancel()
