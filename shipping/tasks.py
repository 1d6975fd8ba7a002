"""Thin Celery tasks: take ids, call one service, safe to run twice."""

from celery import shared_task

from shipping.carriers import CarrierUnavailable


@shared_task(ignore_result=True, autoretry_for=(CarrierUnavailable,), retry_backoff=True, max_retries=5)
def book_requested_labels() -> int:
    """Labels the carrier could not issue when they were asked for (returns to sellers and from buyers,
    private sellers' prepaid labels)."""
    from shipping.services import shipments_book_requested

    return shipments_book_requested()


@shared_task(ignore_result=True, autoretry_for=(CarrierUnavailable,), retry_backoff=True, max_retries=5)
def void_unused_labels() -> int:
    """Inbound labels nobody used in time."""
    from shipping.services import labels_void_unused

    return labels_void_unused()


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(CarrierUnavailable,), retry_backoff=True, max_retries=8
)
def cancel_shipment(shipment_id: int) -> None:
    """Void a label that will not be used (what it was for was cancelled)."""
    from shipping.services import shipment_cancel

    shipment_cancel(shipment_id=shipment_id)
