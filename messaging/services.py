"""Writing messages: starting a conversation about a listing, sending text and photos (contact details
masked first), reading, blocking, reporting, and staff reading a conversation that a dispute or a
report opened to them (logged each time).

Only the conversation's two people may write in it or mark it read; anyone else gets
Conversation.DoesNotExist, which pages and the API answer with 404.
"""

from typing import IO
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from listings.models import Listing, ListingStatus
from listings.photos import CheckedPhoto, check_photo, new_key, private_storage, store_private, stored_name
from marketplace.contact_masking import mask_contacts
from marketplace.text_language import written_language
from messaging.errors import MessagingError
from messaging.live import conversation_push_on_commit
from messaging.models import MAX_MESSAGE_LENGTH, Block, Conversation, Message, Report, StaffRead
from messaging.notices import message_notify
from orders.models import Dispute, Order

# Statuses in which a shopper may still ask about an item: on sale, or held for a buyer who may not pay.
ASKABLE = (ListingStatus.ACTIVE, ListingStatus.RESERVED)


def blocked_between(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _refuse_blocked(a_id: int, b_id: int) -> None:
    if blocked_between(a_id, b_id):
        raise MessagingError(_("You cannot message this person."), code="blocked")


@transaction.atomic
def conversation_start(*, buyer: User, listing_id: int) -> Conversation:
    """The shopper's conversation with the listing's seller: the one they already have, or a new one.
    Raises Listing.DoesNotExist for a listing nobody can see, MessagingError for one's own listing, one
    no longer on sale, or a seller either of them blocked."""
    listing = Listing.objects.get(pk=listing_id, published_at__isnull=False)
    existing = Conversation.objects.filter(listing=listing, buyer=buyer).first()
    if existing is not None:
        return existing
    if listing.seller_id == buyer.pk:
        raise MessagingError(_("This is your own listing."), code="own_listing")
    if listing.status not in ASKABLE:
        raise MessagingError(_("This item is no longer on sale."), code="not_on_sale")
    _refuse_blocked(buyer.pk, listing.seller_id)
    conversation, _created = Conversation.objects.get_or_create(
        listing=listing, buyer=buyer, defaults={"seller_id": listing.seller_id}
    )
    return conversation


def conversation_for(*, conversation_id: int, user: User) -> Conversation:
    """The conversation if `user` is one of its two people; Conversation.DoesNotExist otherwise."""
    return Conversation.objects.select_related("listing", "buyer", "seller", "order").get(
        Q(buyer=user) | Q(seller=user), pk=conversation_id
    )


def _clean_body(body: object) -> str:
    text = str(body or "").strip()
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessagingError(
            _("A message can be at most %(count)d characters long.") % {"count": MAX_MESSAGE_LENGTH},
            code="too_long",
            field="body",
        )
    return text


def message_send(
    *, conversation_id: int, sender: User, body: object = "", photo: IO[bytes] | None = None
) -> Message:
    """Send a message: text (contact details masked before it is stored), a photo (checked and
    re-encoded as a listing photo is, kept private), or both. Tells the other person (a notification, and
    their open pages at once). Raises Conversation.DoesNotExist for someone else's conversation,
    MessagingError for an empty or too long message or a blocked person, PhotoRejected for a file that
    is not a photo. Nothing is stored when anything is refused."""
    conversation = conversation_for(conversation_id=conversation_id, user=sender)
    text = _clean_body(body)
    checked: CheckedPhoto | None = check_photo(photo) if photo is not None else None
    if not text and checked is None:
        raise MessagingError(_("Write a message or add a photo."), code="empty", field="body")
    _refuse_blocked(conversation.buyer_id, conversation.seller_id)
    hidden = mask_contacts(text, allowed_hosts=own_hosts())
    key = new_key() if checked is not None else ""
    stored = False
    try:
        with transaction.atomic():
            if checked is not None:
                store_private(key, checked)
                stored = True
            now = timezone.now()
            message = Message.objects.create(
                conversation=conversation,
                sender=sender,
                body=hidden.text,
                language=written_language(hidden.text),
                masked=sorted(hidden.kinds),
                photo_key=key,
                photo_width=checked.width if checked else 0,
                photo_height=checked.height if checked else 0,
                created_at=now,
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=now, **{conversation.read_field(sender.pk): now}
            )
            message_notify(conversation=conversation, message=message)
            conversation_push_on_commit(conversation, message)
    except BaseException:
        if stored:
            private_storage().delete(stored_name(key))
        raise
    return message


def own_hosts() -> list[str]:
    """Links to Reloop itself are not contact details."""
    return [host for host in [urlsplit(settings.SITE_URL).hostname, *settings.ALLOWED_HOSTS] if host]


def conversation_read(*, conversation: Conversation, user: User) -> None:
    """Everything in the conversation (as conversation_for gave it) is read by `user` now."""
    if user.pk not in (conversation.buyer_id, conversation.seller_id):
        raise Conversation.DoesNotExist
    Conversation.objects.filter(pk=conversation.pk).update(
        **{conversation.read_field(user.pk): timezone.now()}
    )


def user_block(*, blocker: User, blocked_id: int) -> Block:
    if blocker.pk == blocked_id:
        raise MessagingError(_("You cannot block yourself."), code="self")
    User.objects.get(pk=blocked_id)
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked_id=blocked_id)
    return block


def user_unblock(*, blocker: User, blocked_id: int) -> None:
    Block.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()


def user_report(*, reporter: User, conversation_id: int, reason: object) -> Report:
    """Report the other person in a conversation to staff, who may then read it."""
    conversation = conversation_for(conversation_id=conversation_id, user=reporter)
    text = str(reason or "").strip()
    if not 10 <= len(text) <= 1000:
        raise MessagingError(
            _("Tell us what happened in 10 to 1,000 characters."), code="invalid_reason", field="reason"
        )
    return Report.objects.create(
        reporter=reporter, reported_id=conversation.other(reporter.pk), conversation=conversation, reason=text
    )


def staff_conversation_open(*, staff: User, conversation_id: int) -> tuple[Conversation, str]:
    """A member of operations opens a conversation: only one attached to a dispute (on its order) or to
    a report, and each opening is logged with why. Raises Conversation.DoesNotExist otherwise."""
    conversation = Conversation.objects.select_related("listing", "buyer", "seller", "order").get(
        pk=conversation_id
    )
    because = ""
    order = conversation.order
    if order is not None and Dispute.objects.filter(order_id=order.pk).exists():
        because = f"dispute:{order.number}"
    else:
        report = Report.objects.filter(conversation=conversation).order_by("-created_at").first()
        if report is not None:
            because = f"report:{report.pk}"
    if not because:
        raise Conversation.DoesNotExist
    StaffRead.objects.create(staff=staff, conversation=conversation, because=because)
    return conversation, because


def conversations_attach_order(*, order_id: int) -> int:
    """The shopper bought the item they were asking about: their conversation carries on under the
    order. Returns how many conversations were attached (0 or 1)."""
    order = Order.objects.get(pk=order_id)
    return Conversation.objects.filter(
        listing_id=order.listing_id, buyer_id=order.buyer_id, order__isnull=True
    ).update(order=order)
