"""Celery tasks for orders: thin, take ids, call one service, safe to run twice."""

from decimal import Decimal

from celery import shared_task

from orders.errors import PaymentProviderUnavailable


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(PaymentProviderUnavailable,),
    retry_backoff=True,
    max_retries=10,
)
def send_refund(*, payment_id: int, key: str, amount: str) -> None:
    """Refund the card at the provider; the idempotency key makes a repeated run refund once."""
    from orders.services.refunds import refund_send

    refund_send(payment_id=payment_id, key=key, amount=Decimal(amount))


@shared_task(ignore_result=True)
def release_lapsed_reservations() -> int:
    """Put items whose buyer did not pay within the reservation back on sale (one bounded batch)."""
    from orders.services.checkout import reservations_release_lapsed

    return reservations_release_lapsed()


@shared_task(ignore_result=True)
def complete_delivered_orders() -> int:
    """Complete delivered orders whose return window passed with no return or dispute."""
    from orders.services.fulfilment import orders_complete_due

    return orders_complete_due()


@shared_task(ignore_result=True)
def send_unsent_refunds() -> int:
    """Send the refunds whose job was lost (queued while the broker was down) or gave up."""
    from orders.services.refunds import refunds_send_unsent

    return refunds_send_unsent()


@shared_task(ignore_result=True)
def remind_return_windows() -> int:
    """Tell buyers (and private sellers) whose return window closes within 24 hours; once per order."""
    from orders.notices import return_windows_remind

    return return_windows_remind()


@shared_task(ignore_result=True)
def expire_offers() -> int:
    """Lapse offers and counters nobody answered within OFFER_HOURS, and tell their makers."""
    from orders.services.offers import offers_expire_due

    return offers_expire_due()
