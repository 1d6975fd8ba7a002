"""Submissions: items a seller sends in for recycle (the platform buys) or consignment (the platform
sells), from the first photo to the parcel's arrival at the inspection centre and beyond.

A submission's status moves only through `recycling.services.submission_move` and its table of
allowed transitions; each move leaves a SubmissionEvent, which the pages show as a timeline.
"""

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from listings.models import Brand, CatalogModel, Category, Grade
from providers.models import Provider

if TYPE_CHECKING:
    from shipping.models import Shipment
from marketplace.status_events import Catalog, StatusEvent

# Codes are read aloud and typed at the receiving desk: no 0/O or 1/I/L to confuse.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_submission_code() -> str:
    return "RL" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being described, not yet submitted
    VALUING = "valuing", _("Estimating")  # the pre-valuation job is running
    ESTIMATED = "estimated", _("Estimate ready")  # estimate shown; seller may book shipping
    ESTIMATE_EXPIRED = "estimate_expired", _("Estimate expired")  # 7 days passed; a new estimate is needed
    SHIPPING = "shipping", _("Shipping")  # label issued, parcel not yet received
    RECEIVED = "received", _("Received")  # at the inspection centre, queued
    INSPECTING = "inspecting", _("Inspecting")  # an inspector is checking it
    OFFERED = "offered", _("Offer made")  # final offer waiting for the seller
    RECYCLE_ACCEPTED = "recycle_accepted", _("Sold to Reloop")  # seller took the cash offer
    PAID = "paid", _("Paid")  # cash offer paid to the wallet
    CONSIGN_ACCEPTED = "consign_accepted", _("Consignment agreed")  # seller chose consignment
    LISTED = "listed", _("On sale")  # consigned and listed in the channel
    SOLD = "sold", _("Sold")  # a buyer bought it; return window open
    SETTLED = "settled", _("Settled")  # seller paid, minus commission
    UNSOLD = "unsold", _("Unsold")  # term ended without a sale
    DECLINED = "declined", _("Offer declined")  # seller said no to the final offer
    EXPIRED = "expired", _("Offer expired")  # no answer before the offer expired
    REJECTED = "rejected", _("Rejected")  # failed inspection (counterfeit, not as declared…)
    RETURNING = "returning", _("Returning")  # on its way back to the seller, free
    RETURNED = "returned", _("Returned")  # back with the seller
    CANCELLED = "cancelled", _("Cancelled")  # withdrawn before it reached us


class Submission(models.Model):
    # The live inbound shipment (shipping.models.Shipment), when a page or the API has looked it up.
    inbound_shipment: "Shipment | None"

    code = models.CharField(
        _("code"), max_length=12, unique=True, default=new_submission_code, editable=False
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="submissions",
        on_delete=models.PROTECT,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="submissions", on_delete=models.PROTECT
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        null=True,
        blank=True,
        related_name="submissions",
        on_delete=models.PROTECT,
    )
    catalog_model = models.ForeignKey(
        CatalogModel,
        verbose_name=_("catalog model"),
        null=True,
        blank=True,
        related_name="submissions",
        on_delete=models.PROTECT,
    )
    # The seller's own words when the model is not in the catalog ("other"), or a refinement of it.
    title = models.CharField(_("title"), max_length=120)
    # Answers to the category's questions (recycling.questionnaire): attributes such as storage or
    # size, and condition answers that map to the declared grade. Kept as given, for the record.
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    condition_answers = models.JSONField(_("condition answers"), default=dict, blank=True)
    declared_grade = models.CharField(_("declared grade"), max_length=1, choices=Grade.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # A one-time token the submitting page (or API client) sends: a second submit with the same token
    # (another tab, a retried request) finds this submission instead of making a second one.
    # Who receives, inspects and offers for it: chosen by the routing rules when it is made.
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("service provider"),
        null=True,
        blank=True,
        related_name="submissions",
        on_delete=models.PROTECT,
    )
    client_token = models.UUIDField(_("client token"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(fields=["seller", "-created_at", "-id"], name="submission_seller_newest"),
            models.Index(fields=["status", "updated_at"], name="submission_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SubmissionEvent(StatusEvent):
    """One row per status change: who moved the submission, when, from what, to what, and why."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), related_name="events", on_delete=models.CASCADE
    )
    old = models.CharField(_("old status"), max_length=20, choices=SubmissionStatus.choices)
    new = models.CharField(_("new status"), max_length=20, choices=SubmissionStatus.choices)

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from recycling.messages import MESSAGES  # on first use: a catalog may name choices declared here

        return MESSAGES


class SubmissionPhoto(models.Model):
    """A photo of one view the category asks for (front, back, screen on…). Checked and re-encoded
    without metadata by listings.photos.check_photo; kept in private storage only, since only the
    seller and staff may see it."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), related_name="photos", on_delete=models.CASCADE
    )
    view = models.CharField(_("view"), max_length=30)
    key = models.CharField(_("key"), max_length=40, unique=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    # 64-bit perceptual hash as 16 hex digits, set by the pre-valuation job; finds re-used photos.
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("submission photo")
        verbose_name_plural = _("submission photos")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "view"], name="submission_photo_one_per_view")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.view}"


class Confidence(models.TextChoices):
    HIGH = "high", _("High")  # catalog model known and enough recent comparable sales
    MEDIUM = "medium", _("Medium")  # catalog model known, price from the depreciation curve alone
    LOW = "low", _("Low")  # model unknown or photos flagged: the offer after inspection decides


class Valuation(models.Model):
    """One pre-valuation of a submission: the ranges shown to the seller and everything that produced
    them, so that any estimate can be explained later. A submission may have several (a new one after
    expiry); the newest is current."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), related_name="valuations", on_delete=models.CASCADE
    )
    model_version = models.CharField(_("model version"), max_length=20)
    # Null ranges: no price could be estimated (no catalog model); the offer comes after inspection.
    cash_low = models.DecimalField(
        _("cash offer low"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cash_high = models.DecimalField(
        _("cash offer high"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    consign_low = models.DecimalField(
        _("consignment price low"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    consign_high = models.DecimalField(
        _("consignment price high"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices)
    # Plain-language reasons as message ids with parameters, rendered in the reader's language.
    reasons = models.JSONField(_("reasons"), default=list)
    # Every input and intermediate figure (reference price, age, factors, comparables used…).
    inputs = models.JSONField(_("inputs"), default=dict)
    # Photo check results: [{"view": "front", "code": "blurred", ...}], seen by seller and staff.
    photo_flags = models.JSONField(_("photo flags"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cash_low__isnull=True) & Q(cash_high__isnull=True))
                | Q(cash_low__gt=0, cash_high__gte=models.F("cash_low")),
                name="valuation_cash_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.cash_low} to {self.cash_high}"


class OfferKind(models.TextChoices):
    FINAL = "final", _("Final offer")  # after inspection: cash now or consignment, side by side
    BUYOUT = "buyout", _("Buy-out offer")  # a consigned item unsold at the end of its term


class OfferDecision(models.TextChoices):
    RECYCLE = "recycle", _("Cash offer accepted")  # sold to Reloop
    CONSIGN = "consign", _("Consignment accepted")  # Reloop sells it for the seller
    # the item goes back to the seller, free
    DECLINED = "declined", pgettext_lazy("offer decision", "Declined")
    EXPIRED = "expired", _("Expired")  # no answer in time: treated as declined


class Offer(models.Model):
    """What Reloop offers for an inspected item, priced by the valuation model with the inspected
    grade. Written once by recycling.services.offers and never changed except for its decision."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), related_name="offers", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=8, choices=OfferKind.choices, default=OfferKind.FINAL)
    grade = models.CharField(_("inspected grade"), max_length=1, choices=Grade.choices)
    # Recycle: what Reloop pays now.
    cash_amount = models.DecimalField(_("cash offer"), max_digits=12, decimal_places=2)
    # Consignment terms (empty on a buy-out offer): the proposed list price, the commission on it, the
    # lowest floor the seller may set and the one proposed, the drop schedule and the term.
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2, null=True, blank=True)
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    floor_min = models.DecimalField(_("lowest floor"), max_digits=12, decimal_places=2, null=True, blank=True)
    floor_default = models.DecimalField(
        _("proposed floor"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # [[day, share of the list price taken off], ...], e.g. [[30, "0.10"], [60, "0.10"]].
    drop_schedule = models.JSONField(_("price drops"), default=list, blank=True)
    term_days = models.PositiveSmallIntegerField(_("term (days)"), null=True, blank=True)
    # Why the offer differs from the estimate, as message ids with parameters (like Valuation.reasons).
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    model_version = models.CharField(_("model version"), max_length=20)
    valid_until = models.DateTimeField(_("valid until"))
    decision = models.CharField(_("decision"), max_length=10, choices=OfferDecision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="offer_one_per_kind"),
            models.CheckConstraint(condition=Q(cash_amount__gt=0), name="offer_cash_positive"),
        ]
        indexes = [models.Index(fields=["decision", "valid_until"], name="offer_open_expiring")]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind}"


class RoutingRule(models.Model):
    """Which provider receives the submissions of a category (and its subcategories) from a region.
    The most specific rule that matches wins: category and region, then category, then region; with
    none, Reloop's own centre (recycling.routing). A provider taking no new work passes it to its
    fallback (providers.services.providers.receiver_of). Routing lives here, not in providers, as
    it names categories, which sit above providers."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="routing_rules",
        on_delete=models.CASCADE,
        help_text=_("Empty: every category."),
    )
    region = models.CharField(
        _("province or state"), max_length=60, blank=True, help_text=_("Empty: every region.")
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), related_name="routing_rules", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "region"],
                condition=Q(category__isnull=False),
                name="routing_rule_one_per_place",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(category__isnull=True), name="routing_rule_one_per_region"
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | ~Q(region=""), name="routing_rule_names_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id or '*'}/{self.region or '*'} → {self.provider_id}"
