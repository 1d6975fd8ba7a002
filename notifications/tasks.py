"""Thin Celery tasks: take ids, call one service, safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> None:
    from notifications.emails import notification_email_send  # sends once, whatever runs it

    notification_email_send(notification_id=notification_id)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> None:
    """A batch's e-mails (notify_many): one message on the queue for the whole batch."""
    from notifications.emails import notification_email_send

    for notification_id in notification_ids:
        notification_email_send(notification_id=notification_id)


@shared_task(ignore_result=True)
def send_unsent_notification_emails() -> int:
    """Queue again the e-mails whose job was lost (the broker was down when they were written)."""
    from marketplace.jobs import enqueue
    from notifications.emails import unsent_notification_ids

    ids = unsent_notification_ids()
    for notification_id in ids:
        enqueue(send_notification_email, notification_id)
    return len(ids)
