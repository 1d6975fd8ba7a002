"""Writing notifications: `notify` (what the other apps call), reading them, and preferences.

`notify` records the notification in the caller's transaction, once per recipient and cause (`key`),
and sends the e-mail after commit when the recipient wants e-mail for that kind and has an address.
A kind the recipient turned off in the app is still recorded, unshown, so that the e-mail and the
record agree; one turned off everywhere is not recorded at all. `notify_many` does the same for a
batch.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import translate_url
from django.utils import timezone, translation

from accounts.models import User
from marketplace.jobs import enqueue_on_commit
from notifications.kinds import KINDS, kind_params
from notifications.live import push_on_commit
from notifications.models import Notification, Preference

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def neutral_link(path: str) -> str:
    """A path on this site without its language prefix (the default language's): each reader gets it
    in theirs (`localized_link`) when the notification is opened or e-mailed."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def localized_link(path: str, language: str) -> str:
    """`neutral_link`'s path in `language`: with its language prefix where the page has one."""
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def preferences_for(user: User) -> dict[str, tuple[bool, bool]]:
    """(in the app, by e-mail) for every kind, the user's choice or the kind's default."""
    chosen = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=user)}
    return {code: chosen.get(code, (True, kind.email)) for code, kind in KINDS.items()}


def _wants(user: User, kind: str) -> tuple[bool, bool]:
    preference = Preference.objects.filter(user=user, kind=kind).values_list("in_app", "email").first()
    return preference if preference is not None else (True, KINDS[kind].email)


def _notification(
    *,
    recipient_id: int,
    kind: str,
    params: dict,
    link: str,
    key: str,
    wants: Callable[[], tuple[bool, bool]],
    address: str,
) -> Notification | None:
    """The row to write for one notice: its parameters checked first (MessageError, an unknown kind
    too), then the recipient's choice for its kind (`wants()`: in the app, by e-mail) and their
    e-mail address. None when they want it nowhere."""
    stored = kind_params(kind, params)
    in_app, email = wants()
    email = email and bool(address)
    if not in_app and not email:
        return None
    return Notification(
        recipient_id=recipient_id,
        kind=kind,
        params=stored,
        link=neutral_link(link),
        key=key[:100],
        shown=in_app,
        by_email=email,
    )


def notify(*, recipient: User, kind: str, params: dict, link: str = "", key: str) -> Notification | None:
    """Tell `recipient` what happened. `params` must fit the kind (MessageError otherwise: a
    programming error); `link` is a path on this site; `key` names the cause, and a second call with
    the same recipient and key does nothing. Returns the notification, or None when the recipient
    wants this kind neither in the app nor by e-mail, or was told already."""
    notification = _notification(
        recipient_id=recipient.pk,
        kind=kind,
        params=params,
        link=link,
        key=key,
        wants=lambda: _wants(recipient, kind),
        address=recipient.email,
    )
    if notification is None:
        return None
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None  # told already
    if notification.by_email:
        from notifications.tasks import send_notification_email

        enqueue_on_commit(send_notification_email, notification.pk)
    if notification.shown:
        push_on_commit({recipient.pk})
    return notification


def notification_open(*, notification_id: int, user: User) -> Notification:
    """Mark the user's notification read and return it. Someone else's raises DoesNotExist."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def preferences_set(*, user: User, chosen: dict[str, tuple[bool, bool]]) -> None:
    """Store the user's choice (in the app, by e-mail) for each kind given; unknown kinds raise
    KeyError before anything is written."""
    for kind in chosen:
        KINDS[kind]
    with transaction.atomic():
        for kind, (in_app, email) in chosen.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_app": in_app, "email": email}
            )


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A token for the e-mail's one-click unsubscribe link: the user and the kind, signed."""
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


class BadUnsubscribeLink(Exception):
    """An unsubscribe token that was not made here, was altered, or names a user or kind gone since."""


def unsubscribe_target(token: str) -> tuple[User, str]:
    """The user and kind an unsubscribe token names. Raises BadUnsubscribeLink."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        kind = data["kind"]
        KINDS[kind]
        return User.objects.get(pk=data["user"]), kind
    except (signing.BadSignature, KeyError, TypeError, User.DoesNotExist):
        raise BadUnsubscribeLink from None


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn off e-mail for the token's user and kind (their in-app choice stays). Raises
    BadUnsubscribeLink."""
    user, kind = unsubscribe_target(token)
    in_app, _email = _wants(user, kind)
    preferences_set(user=user, chosen={kind: (in_app, False)})
    return user, kind


@dataclass(frozen=True)
class Notice:
    """One notification for `notify_many`: the arguments `notify` takes."""

    recipient_id: int
    kind: str
    params: dict
    link: str
    key: str


def notify_many(notices: list[Notice]) -> int:
    """`notify` for a batch (a job that settles many consignments in one transaction): the same checks
    and choices, in four queries whatever the batch's size (the recipients' addresses, their choices,
    the rows, the ones to e-mail). Returns how many were written or had been already."""
    if not notices:
        return 0
    recipients = {notice.recipient_id for notice in notices}
    addresses = dict(User.objects.filter(pk__in=recipients).values_list("pk", "email"))
    chosen = {
        (user_id, kind): (in_app, email)
        for user_id, kind, in_app, email in Preference.objects.filter(user_id__in=recipients).values_list(
            "user_id", "kind", "in_app", "email"
        )
    }

    def choice(notice: Notice) -> tuple[bool, bool]:
        return chosen.get((notice.recipient_id, notice.kind), (True, KINDS[notice.kind].email))

    rows = []
    for notice in notices:
        row = _notification(
            recipient_id=notice.recipient_id,
            kind=notice.kind,
            params=notice.params,
            link=notice.link,
            key=notice.key,
            wants=partial(choice, notice),
            address=addresses.get(notice.recipient_id, ""),
        )
        if row is not None:
            rows.append(row)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # a cause told already stays told
    to_email = list(
        Notification.objects.filter(
            recipient_id__in={row.recipient_id for row in rows if row.by_email},
            key__in={row.key for row in rows if row.by_email},
            by_email=True,
            emailed_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    if to_email:
        from notifications.tasks import send_notification_emails

        enqueue_on_commit(send_notification_emails, to_email)
    push_on_commit({row.recipient_id for row in rows if row.shown})
    return len(rows)
