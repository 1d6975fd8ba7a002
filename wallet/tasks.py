"""Celery tasks for the wallet: thin, take ids, call one service, safe to run twice."""

from celery import shared_task

from wallet.payouts import PayoutUnavailable


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(PayoutUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
)
def send_withdrawal(withdrawal_id: int) -> None:
    """Pay an approved withdrawal; the service does nothing if it is no longer approved, and the
    provider's idempotency key makes a repeated run pay once."""
    from wallet.services.withdrawals import withdrawal_send

    withdrawal_send(withdrawal_id=withdrawal_id)


@shared_task(ignore_result=True)
def check_sent_withdrawals() -> int:
    """Confirm (or return the money of) sent withdrawals the provider has settled, in one bounded batch."""
    from wallet.services.withdrawals import withdrawals_check_sent

    return withdrawals_check_sent()
