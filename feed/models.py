"""What shoppers show interest in, and the items like each item learned from it.

A signal is a shopper's act on an item (a view, a long look, a favourite, a message, an offer, a
purchase), each with its weight. They arrive through a buffer (marketplace.interest_buffer) and are
written in batches by a scheduled job; a shopper sees and clears their own (the history page).
Signed-out visitors are known by their session until they sign in.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from listings.models import Listing, VideoFile


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


class ShopperOrVisitor(models.Model):
    """Who did something: a signed-in shopper, or a signed-out visitor known by their session until
    they sign in."""

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

    class Meta:
        abstract = True


class InterestSignal(ShopperOrVisitor):
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


# --- Creators (达人): videos that sell other people's items, and their commission ---------------------


class CreatorStatus(models.TextChoices):
    APPLIED = "applied", _("Waiting for review")  # applied; staff have not decided yet
    APPROVED = "approved", _("Approved")  # may post videos and earn commission
    REFUSED = "refused", _("Refused")  # staff said no, with their reason; may apply again


class Creator(models.Model):
    """A user who applied to post videos that sell items on Reloop (跟着买), and staff's decision."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="creator", on_delete=models.CASCADE
    )
    # The name their videos carry, "@handle".
    handle = models.SlugField(_("handle"), max_length=30, unique=True)
    # What they would post about, as they typed it.
    pitch = models.TextField(_("what you will post about"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=CreatorStatus.choices, default=CreatorStatus.APPLIED
    )
    # Staff's reason for a refusal, as typed.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        indexes = [models.Index(fields=["status", "created_at"], name="creator_status_oldest")]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def is_approved(self) -> bool:
        return self.status == CreatorStatus.APPROVED


class CreatorVideo(VideoFile):
    """A creator's short video featuring items on sale, each through a tracked link (CreatorLink).
    Its file goes through the same video job as a listing's (listings.services.video_job)."""

    creator = models.ForeignKey(
        Creator, verbose_name=_("creator"), related_name="videos", on_delete=models.CASCADE
    )
    caption = models.CharField(_("caption"), max_length=200)

    class Meta:
        verbose_name = _("creator video")
        verbose_name_plural = _("creator videos")
        indexes = [
            models.Index(fields=["creator", "-created_at"], name="creator_video_newest"),
            models.Index(
                fields=["updated_at"],
                name="creator_video_waiting",
                condition=models.Q(status__in=["uploaded", "checking", "transcoding"]),
            ),
        ]


def rate_percent(rate) -> str:
    """A rate as people read it: 0.0800 as "8", 0.1250 as "12.5"."""
    return f"{(rate * 100).normalize():f}"


class CreatorLink(models.Model):
    """The tracked link to one item in one creator's video: `/go/<code>/` counts a click and opens the
    item. It keeps the commission rate of the moment it was shared, which holds for
    CREATOR_RATE_LOCK_DAYS whatever the rate becomes meanwhile."""

    video = models.ForeignKey(
        CreatorVideo, verbose_name=_("video"), related_name="links", on_delete=models.CASCADE
    )
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="creator_links", on_delete=models.CASCADE
    )
    code = models.CharField(_("code"), max_length=12, unique=True)
    rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    rate_locked_until = models.DateTimeField(_("rate held until"))
    created_at = models.DateTimeField(_("shared at"), default=timezone.now)

    # Not a column: the dashboard sets it, the link with this site's scheme and host.
    share_url: str

    class Meta:
        verbose_name = _("creator link")
        verbose_name_plural = _("creator links")
        constraints = [
            models.UniqueConstraint(fields=["video", "listing"], name="creator_link_once_per_video"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte="0.5"), name="creator_link_rate_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def percent(self) -> str:
        return rate_percent(self.rate)

    @property
    def share_path(self) -> str:
        """The link's path in the default language (no /zh-hans/): one link for everyone it is
        shared with, whose page then follows each visitor's own language."""
        with translation.override(settings.LANGUAGE_CODE):
            return reverse("feed:creator_link", args=[self.code])


class LinkClick(ShopperOrVisitor):
    """Someone opened a creator's link. A purchase of the item within CREATOR_ATTRIBUTION_DAYS of their
    latest click on any creator's link to it earns that link's creator the commission. A signed-out
    visitor's clicks become theirs when they sign in (feed.services.creators.link_clicks_claim)."""

    link = models.ForeignKey(
        CreatorLink, verbose_name=_("link"), related_name="clicks", on_delete=models.CASCADE
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("link click")
        verbose_name_plural = _("link clicks")
        indexes = [
            models.Index(fields=["user", "-at"], name="click_user_recent"),
            models.Index(fields=["session_key"], name="click_session", condition=models.Q(user__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} at {self.at:%Y-%m-%d %H:%M}"


class CommissionRate(models.Model):
    """A commission rate for creators' sales, from 0 to 50%."""

    rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    updated_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte="0.5"), name="%(class)s_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rate}"


class CategoryCommissionRate(CommissionRate):
    """The commission rate Reloop sets for creators' sales in a category (CREATOR_COMMISSION_RATE
    where none is set)."""

    category = models.OneToOneField(
        "listings.Category", verbose_name=_("category"), related_name="+", on_delete=models.CASCADE
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta(CommissionRate.Meta):
        verbose_name = _("category commission rate")
        verbose_name_plural = _("category commission rates")


class ListingCommissionRate(CommissionRate):
    """A private seller's higher rate for creators who sell one of their items."""

    listing = models.OneToOneField(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )

    class Meta(CommissionRate.Meta):
        verbose_name = _("item commission rate")
        verbose_name_plural = _("item commission rates")


class CommissionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # the order is paid; earned once it completes
    PAID = "paid", _("Paid")  # the order completed: the commission is in the creator's wallet
    REVERSED = "reversed", _("Reversed")  # the order was refunded: nothing is paid
    REFUSED = "refused", _("No commission")  # self-dealing; `refusal` says which rule


class Commission(models.Model):
    """What a creator earns on one order bought through their link (the last click within
    CREATOR_ATTRIBUTION_DAYS). Booked through the ledger when the order completes (feed.creators)."""

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("order"), related_name="creator_commission", on_delete=models.PROTECT
    )
    creator = models.ForeignKey(
        Creator, verbose_name=_("creator"), related_name="commissions", on_delete=models.PROTECT
    )
    link = models.ForeignKey(
        CreatorLink, verbose_name=_("link"), related_name="commissions", on_delete=models.PROTECT
    )
    rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    # rate times the price while pending; rate times what the sale released once paid (less after a partial
    # refund); 0 when reversed or refused.
    amount = models.DecimalField(_("commission"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=CommissionStatus.choices, default=CommissionStatus.PENDING
    )
    # Why a purchase through the link earns nothing: a code of feed.creators.REFUSALS.
    refusal = models.CharField(_("why no commission"), max_length=20, blank=True)
    clicked_at = models.DateTimeField(_("clicked at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        indexes = [models.Index(fields=["creator", "-created_at"], name="commission_creator_newest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="commission_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount} ({self.status})"

    @property
    def percent(self) -> str:
        return rate_percent(self.rate)

    @property
    def refusal_text(self) -> str:
        """Why it earns nothing, in the reader's language ("" when it earns)."""
        from feed.creators import REFUSALS  # on first use: the catalog reads these models

        return str(REFUSALS.get(self.refusal, "")) if self.refusal else ""
