"""The e-mail for a notification, in the recipient's language, with a one-click unsubscribe for its
kind (RFC 8058: a List-Unsubscribe header that mail programs offer as a button, and a link in the
text).

`notification_email_send` is the job's service: it sends each notification's e-mail once. The row is
locked while sending and stamped in the same transaction, so two runs of the job send it once; a
failure to send leaves it unstamped for the retry and the sweep.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from accounts.models import User
from marketplace.links import site_link
from notifications.kinds import kind_render
from notifications.models import Notification
from notifications.services import localized_link, unsubscribe_token

# An e-mail not sent this long after its notification was written had its job lost.
UNSENT_AFTER = timedelta(minutes=10)


def recipient_language(user: User) -> str:
    """The language the user last used the site in, or the site's default."""
    languages = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in languages else settings.LANGUAGE_CODE


def notification_email(notification: Notification) -> EmailMessage:
    user = notification.recipient
    with translation.override(recipient_language(user)):
        title, body = kind_render(notification.kind, notification.params)
        unsubscribe = site_link(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(user=user, kind=notification.kind)])
        )
        text = render_to_string(
            "notifications/email.txt",
            {
                "name": user.public_name,
                "body": body,
                "link": site_link(localized_link(notification.link, get_language()))
                if notification.link
                else "",
                "preferences": site_link(reverse("notifications:preferences")),
                "unsubscribe": unsubscribe,
            },
        )
    return EmailMessage(
        subject=title,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def notification_email_send(*, notification_id: int) -> bool:
    """Send the notification's e-mail if it is due and not sent yet. Returns whether it sent one."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, by_email=True, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        notification_email(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def unsent_notification_ids(*, now=None, limit: int = 200) -> list[int]:
    """E-mails due for longer than their job should take: the sweep sends their jobs again."""
    cutoff = (now or timezone.now()) - UNSENT_AFTER
    return list(
        Notification.objects.filter(by_email=True, emailed_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
