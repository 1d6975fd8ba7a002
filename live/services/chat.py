"""A live show's chat and the people who keep it civil.

Viewers write while the show is live. Contact details are masked before a message is stored, as in
conversations, because a sale agreed off the platform loses its buyer protection. One viewer may
write at most LIVE_CHAT_BURST messages in LIVE_CHAT_BURST_SECONDS, and not the same text twice within
CHAT_REPEAT_SECONDS (flooding). The host, and moderators the host appoints, mute viewers and remove
messages; a muted viewer watches but cannot write. Nobody mutes the host or a moderator but the host.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from live.errors import LiveError, NotYourShow
from live.models import ChatMessage, Show, ShowModerator, ShowMute, ShowStatus
from live.realtime import publish_on_commit
from live.selectors import may_moderate
from live.services.shows import hosted
from marketplace.contact_masking import mask_contacts
from marketplace.rate_limits import retry_text
from messaging.services import own_hosts

CHAT_MAX = 200
CHAT_REPEAT_SECONDS = 30


class ChatFlood(LiveError):
    code = "chat_flood"
    status_code = 429


def _show(show_id: int) -> Show:
    show = Show.objects.filter(pk=show_id).first()
    if show is None:
        error = LiveError(_("No such show."), code="show_not_found")
        error.status_code = 404
        raise error
    return show


def _clean(text: object) -> str:
    """One line of printable text: control characters dropped, runs of spaces made one."""
    printable = "".join(
        character for character in str(text) if character.isprintable() or character.isspace()
    )
    return " ".join(printable.split())


@transaction.atomic
def chat_post(*, show_id: int, author: User, text: object) -> ChatMessage:
    """Post to a live show's chat. Raises LiveError for an empty or too long message, a show that is
    not live or a muted viewer (403), ChatFlood (429) past the limits. Nothing is stored then."""
    show = _show(show_id)
    if show.status != ShowStatus.LIVE:
        raise LiveError(_("The chat opens when the show is live."), code="not_live")
    cleaned = _clean(text)
    if not cleaned:
        raise LiveError(_("Write something first."), code="chat_empty", field="text")
    if len(cleaned) > CHAT_MAX:
        raise LiveError(
            _("Keep a message to %(count)s characters.") % {"count": CHAT_MAX},
            code="chat_too_long",
            field="text",
        )
    if ShowMute.objects.filter(show=show, user=author).exists():
        error = LiveError(_("You have been muted in this show's chat."), code="muted")
        error.status_code = 403
        raise error
    # One viewer's messages are counted one at a time, so that two at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=author.pk).values_list("pk", flat=True).get()
    now = timezone.now()
    window = timedelta(seconds=settings.LIVE_CHAT_BURST_SECONDS)
    recent = list(
        ChatMessage.objects.filter(
            show=show, author=author, at__gt=now - max(window, timedelta(seconds=CHAT_REPEAT_SECONDS))
        )
        .order_by("-at")
        .values_list("at", "text")
    )
    in_window = [at for at, _text in recent if at > now - window]
    if len(in_window) >= settings.LIVE_CHAT_BURST:
        wait = (in_window[settings.LIVE_CHAT_BURST - 1] + window - now).total_seconds()
        raise ChatFlood(_("You are writing too fast.") + " " + retry_text(wait))
    masked = mask_contacts(cleaned, allowed_hosts=own_hosts())
    if any(previous == masked.text for _at, previous in recent):
        raise ChatFlood(_("You just wrote that."), code="chat_repeat")
    message = ChatMessage.objects.create(
        show=show, author=author, text=masked.text, masked=sorted(masked.kinds), at=now
    )
    publish_on_commit(show.pk, "chat", id=message.pk, author=author.public_name, text=message.text, at=now)
    return message


def chat_history(*, show_id: int, limit: int = 50) -> list[ChatMessage]:
    """The latest messages still shown, oldest first, with their authors. One query."""
    latest = (
        ChatMessage.objects.filter(show_id=show_id, removed_at__isnull=True)
        .select_related("author")
        .only("id", "text", "masked", "at", "author__id", "author__username", "author__display_name")
        .order_by("-at", "-id")[:limit]
    )
    return list(reversed(latest))


def _moderated(show_id: int, by: User) -> Show:
    show = _show(show_id)
    if not may_moderate(show, by):
        raise NotYourShow(_("Only the host and the show's moderators can do this."))
    return show


@transaction.atomic
def chat_remove(*, message_id: int, by: User) -> ChatMessage:
    """Take a message out of the chat (it stays on record, as removed, and by whom). The host or a
    moderator. Removing it twice keeps the first removal."""
    message = ChatMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        error = LiveError(_("No such message."), code="message_not_found")
        error.status_code = 404
        raise error
    _moderated(message.show_id, by)
    if message.removed_at is None:
        message.removed_at = timezone.now()
        message.removed_by = by
        message.save(update_fields=["removed_at", "removed_by"])
        publish_on_commit(message.show_id, "chat_removed", id=message.pk)
    return message


def viewer_mute(*, show_id: int, user_id: int, by: User) -> ShowMute:
    """Stop a viewer writing in the show's chat. The host or a moderator; the host and moderators can
    be muted by nobody (the host removes a moderator first)."""
    show = _moderated(show_id, by)
    if user_id == show.host_id or ShowModerator.objects.filter(show=show, user_id=user_id).exists():
        raise LiveError(_("The host and the show's moderators cannot be muted."), code="cannot_mute")
    if not User.objects.filter(pk=user_id).exists():
        error = LiveError(_("No such viewer."), code="viewer_not_found")
        error.status_code = 404
        raise error
    try:
        with transaction.atomic():
            mute, _created = ShowMute.objects.get_or_create(show=show, user_id=user_id, defaults={"by": by})
    except IntegrityError:  # muted by someone else at the same moment
        mute = ShowMute.objects.get(show=show, user_id=user_id)
    return mute


def viewer_unmute(*, show_id: int, user_id: int, by: User) -> None:
    show = _moderated(show_id, by)
    ShowMute.objects.filter(show=show, user_id=user_id).delete()


@transaction.atomic
def moderator_appoint(*, show_id: int, user_id: int, by: User) -> ShowModerator:
    """The host appoints a viewer to moderate the chat (and lifts a mute on them)."""
    show = hosted(show_id, by)
    if user_id == show.host_id:
        raise LiveError(_("The host moderates the show already."), code="own_show")
    if not User.objects.filter(pk=user_id, is_active=True).exists():
        error = LiveError(_("No such viewer."), code="viewer_not_found")
        error.status_code = 404
        raise error
    ShowMute.objects.filter(show=show, user_id=user_id).delete()
    moderator, _created = ShowModerator.objects.get_or_create(show=show, user_id=user_id)
    return moderator


@transaction.atomic
def moderator_remove(*, show_id: int, user_id: int, by: User) -> None:
    show = hosted(show_id, by)
    ShowModerator.objects.filter(show=show, user_id=user_id).delete()
