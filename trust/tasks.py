"""Thin Celery tasks for stores: each calls one service and is safe to run twice."""

from celery import shared_task


@shared_task(ignore_result=True, acks_late=True)
def refund_due_deposits() -> int:
    """Closed stores' deposits whose tail has passed, back to their owners (trust.services.deposits)."""
    from trust.services.deposits import deposits_refund_due

    return deposits_refund_due()


@shared_task(ignore_result=True, acks_late=True)
def expire_violation_points() -> int:
    """Sellers held for their points, held again as their points stand today (trust.services.violations)."""
    from trust.services.violations import points_expire

    return points_expire()
