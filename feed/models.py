"""What shoppers show interest in, and the items like each item learned from it.

A signal is a shopper's act on an item (a view, a long look, a favourite, a message, an offer, a
purchase), each with its weight. They arrive through a buffer (marketplace.interest_buffer) and are
written in batches by a scheduled job; a shopper sees and clears their own (the history page).
Signed-out visitors are known by their session until they sign in.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Listing


class SignalKind(models.TextChoices):
    VIEW = "view", _("Viewed")  # opened the item's page
    DWELL = "dwell", _("Looked at closely")  # stayed on the item's page for a while
    FAVOURITE = "favourite", _("Saved")  # added it to their favourites
    MESSAGE = "message", _("Asked the seller")  # wrote to its seller
    OFFER = "offer", _("Made an offer")  # offered a price
    PURCHASE = "purchase", _("Bought")  # paid for it


# What each kind of signal weighs in the similarity (feed.similarity): buying says more than looking.
WEIGHTS = {
    SignalKind.VIEW: 1.0,
    SignalKind.DWELL: 2.0,
    SignalKind.FAVOURITE: 3.0,
    SignalKind.MESSAGE: 3.0,
    SignalKind.OFFER: 4.0,
    SignalKind.PURCHASE: 5.0,
}


class InterestSignal(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shopper"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.CASCADE,
    )
    # A signed-out visitor's session; empty for a signed-in shopper.
    session_key = models.CharField(_("session"), max_length=40, blank=True)
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SignalKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("signal of interest")
        verbose_name_plural = _("signals of interest")
        indexes = [
            # A shopper's history, newest first; a visitor's.
            models.Index(fields=["user", "-at"], name="signal_user_recent"),
            models.Index(
                fields=["session_key", "-at"],
                name="signal_session_recent",
                condition=models.Q(user__isnull=True),
            ),
            # The similarity job reads the recent window.
            models.Index(fields=["at"], name="signal_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(session_key=""), name="signal_has_someone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id or self.session_key}: {self.kind} {self.listing_id}"

    @property
    def weight(self) -> float:
        return WEIGHTS[SignalKind(self.kind)]


class FeedSettings(models.Model):
    """A shopper's choices for their feed: whether it is personalised (China's rules on recommendation
    algorithms and the EU's DSA art. 27 let them turn it off), and when they last cleared their
    history (signals buffered before then are not written)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shopper"),
        primary_key=True,
        related_name="feed_settings",
        on_delete=models.CASCADE,
    )
    personalised = models.BooleanField(_("personalised"), default=True)
    history_cleared_at = models.DateTimeField(_("history cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed settings")
        verbose_name_plural = _("feed settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {'personalised' if self.personalised else 'not personalised'}"


class ItemNeighbour(models.Model):
    """One of an item's closest items, learned from signals (feed.similarity) by the nightly job and
    its hourly top-up: the feed ranks candidates from a shopper's history through these."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )
    neighbour = models.ForeignKey(
        Listing, verbose_name=_("neighbour"), related_name="+", on_delete=models.CASCADE
    )
    score = models.FloatField(_("score"))

    class Meta:
        verbose_name = _("item neighbour")
        verbose_name_plural = _("item neighbours")
        constraints = [models.UniqueConstraint(fields=["listing", "neighbour"], name="neighbour_once")]

    def __str__(self) -> str:
        return f"{self.listing_id} ~ {self.neighbour_id}: {self.score:.3f}"
