"""Conversations between a shopper and a seller about one listing, their messages, blocks, reports,
and the log of every time staff read a conversation.

A conversation is one per listing and shopper; once the shopper buys the item it carries on under the
order (`order`). What people write is stored as written, except contact details, which are masked
before the message is stored (marketplace.contact_masking): nobody, staff included, reads them later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from orders.models import Order

MAX_MESSAGE_LENGTH = 2000


class Conversation(models.Model):
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="conversations", on_delete=models.CASCADE
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shopper"),
        related_name="conversations_as_buyer",
        on_delete=models.CASCADE,
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="conversations_as_seller",
        on_delete=models.CASCADE,
    )
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        null=True,
        blank=True,
        related_name="conversations",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message at"), default=timezone.now)
    buyer_read_at = models.DateTimeField(_("read by the shopper"), null=True, blank=True)
    seller_read_at = models.DateTimeField(_("read by the seller"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["listing", "buyer"], name="conversation_once_per_listing")
        ]
        indexes = [
            models.Index(fields=["buyer", "-last_message_at", "-id"], name="conversation_buyer_newest"),
            models.Index(fields=["seller", "-last_message_at", "-id"], name="conversation_seller_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.buyer_id} ↔ {self.seller_id}"

    def other(self, user_id: int) -> int:
        return self.seller_id if user_id == self.buyer_id else self.buyer_id

    def read_field(self, user_id: int) -> str:
        """The column that says when `user_id` last read the conversation."""
        return "buyer_read_at" if user_id == self.buyer_id else "seller_read_at"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), related_name="messages", on_delete=models.CASCADE
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), related_name="+", on_delete=models.CASCADE
    )
    body = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH, blank=True)
    # The language the text is written in (marketplace.text_language), marked on pages in the other one.
    language = models.CharField(_("language"), max_length=8, default="en", editable=False)
    # What the masking hid: phone, email, wechat, qq, link (the page says why it is hidden).
    masked = models.JSONField(_("hidden contact details"), default=list, blank=True)
    photo_key = models.CharField(_("photo"), max_length=40, blank=True)
    photo_width = models.PositiveIntegerField(default=0)
    photo_height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(condition=~Q(body="") | ~Q(photo_key=""), name="message_has_text_or_photo")
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at", "id"], name="message_conversation_order")
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.body[:40]}"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: neither can start or continue a conversation with the
    other."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Report(models.Model):
    """A user reports another, about a conversation: staff may then read that conversation."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    reported = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), related_name="reports", on_delete=models.CASCADE
    )
    reason = models.TextField(_("what happened"), max_length=1000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.reporter_id} reports {self.reported_id}"


class StaffRead(models.Model):
    """Every time a member of staff opened a conversation, and why it was open to them (a dispute on
    its order, or a report about it)."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    conversation = models.ForeignKey(Conversation, related_name="staff_reads", on_delete=models.CASCADE)
    because = models.CharField(_("because of"), max_length=40)  # "dispute:<order number>" or "report:<id>"
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("staff reading")
        verbose_name_plural = _("staff readings")

    def __str__(self) -> str:
        return f"{self.staff_id} read {self.conversation_id} ({self.because})"
