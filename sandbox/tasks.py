"""The sandbox provider's own job: delivering its webhooks, retried with backoff like a real provider."""

from celery import shared_task

from sandbox.payments import WebhookDeliveryFailed


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(WebhookDeliveryFailed,),
    retry_backoff=True,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_webhook(event_id: str) -> None:
    """Post one stored event to Reloop; any answer but 2xx is tried again later. Reloop applies each
    event once by its id, so a delivery that arrived but was not acknowledged is harmless to repeat."""
    from sandbox.payments import deliver

    deliver(event_id)


@shared_task(ignore_result=True)
def deliver_lost_webhooks() -> int:
    """Queue delivery again for events whose delivery job was lost (queued while the broker was down)."""
    from sandbox.payments import deliveries_requeue_lost

    return deliveries_requeue_lost()
