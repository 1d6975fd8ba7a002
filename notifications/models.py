"""A notification (a kind, its parameters and a link, rendered in the reader's language when shown or
sent) and a person's choice, per kind, of in-app and e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.kinds import kind_render


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=40)  # a code of notifications.kinds.KINDS
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)  # a path on this site
    # What caused it, e.g. "order:42:paid": the same cause notifies a recipient once.
    key = models.CharField(_("key"), max_length=100)
    shown = models.BooleanField(_("shown in the app"), default=True)
    by_email = models.BooleanField(_("to be e-mailed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_cause")
        ]
        indexes = [
            # The notifications page: a recipient's, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_newest"),
            # The bell: a recipient's unread ones.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, shown=True),
                name="notification_unread",
            ),
            # The sweep: e-mails whose job was lost.
            models.Index(
                fields=["created_at"],
                condition=Q(by_email=True, emailed_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def title(self) -> str:
        return kind_render(self.kind, self.params)[0]

    @property
    def body(self) -> str:
        return kind_render(self.kind, self.params)[1]


class Preference(models.Model):
    """What a person chose for one kind; a kind with no row follows its defaults (in the app, and
    e-mail as the kind says)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="notification_preferences",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=40)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
