"""Professional stores (商家) and their deposits (保证金).

A store belongs to one seller. Its trader details are what EU DSA art. 30 asks a marketplace to hold
and show about a trader: name, registration number, address and contact. Staff verify them; only a
verified store shows the badge. Levels rank stores (the lowest rank is where every store starts),
and the deposit a store must hold is set per category and level (`DepositRequirement`). The money
itself is in the ledger, in the owner's deposit account (wallet.models.AccountPurpose.DEPOSIT); this
app keeps the rules and the decided cases that may take from it (`DepositDeduction`).

Violation points: a seller who breaks a rule (`Rule`, data in both languages) gets its points for 90
days (`Violation`); past published thresholds (`Threshold`) they lose flash sales, then have a
listing cap, then are suspended. Every decision carries its statement of reasons, and the seller may
appeal it for 6 months (`Appeal`), decided by another member of staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from listings.models import Category, LocalizedNameMixin
from marketplace.status_events import Catalog, StatusEvent


class StoreStatus(models.TextChoices):
    APPLIED = "applied", _("Waiting for verification")  # trader details sent, not yet checked by staff
    VERIFIED = "verified", _("Verified")  # staff checked the trader details; the store shows the badge
    REJECTED = "rejected", _("Not verified")  # staff could not verify the details; the owner may apply again
    CLOSED = "closed", _("Closed")  # the owner closed it; the deposit's rest is refunded after the tail


class Level(LocalizedNameMixin):
    """A published rank of stores. Rank 1 is where every store starts."""

    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["rank"]


class Store(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), related_name="store", on_delete=models.PROTECT
    )
    name = models.CharField(_("store name"), max_length=60, unique=True)
    slug = models.SlugField(_("address"), max_length=40, unique=True)
    description = models.TextField(_("about the store"), max_length=2000, blank=True)
    policies = models.TextField(_("policies"), max_length=2000, blank=True)
    # The logo's key in public storage (trust.logos), empty for none.
    logo_key = models.CharField(_("logo"), max_length=40, blank=True)
    # The trader's details (EU DSA art. 30), as the owner typed them.
    legal_name = models.CharField(_("legal name"), max_length=120)
    registration_number = models.CharField(_("registration number"), max_length=40)
    address = models.CharField(_("registered address"), max_length=300)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=StoreStatus.choices, default=StoreStatus.APPLIED
    )
    level = models.ForeignKey(Level, verbose_name=_("level"), related_name="stores", on_delete=models.PROTECT)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When what is left of the deposit goes back to the owner's wallet: the close plus the tail.
    deposit_refund_due = models.DateTimeField(_("deposit refunded from"), null=True, blank=True)
    deposit_refunded_at = models.DateTimeField(_("deposit refunded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        indexes = [
            models.Index(fields=["status", "created_at"], name="store_status_oldest"),
            models.Index(
                fields=["deposit_refund_due"],
                name="store_refund_due",
                condition=Q(status="closed", deposit_refunded_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == StoreStatus.VERIFIED

    @property
    def logo_url(self) -> str:
        from trust.logos import logo_url

        return logo_url(self.logo_key) if self.logo_key else ""


class StoreEvent(StatusEvent):
    store = models.ForeignKey(Store, verbose_name=_("store"), related_name="events", on_delete=models.CASCADE)
    old = models.CharField(_("from"), max_length=10, choices=StoreStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=10, choices=StoreStatus.choices)

    class Meta:
        verbose_name = _("store event")
        verbose_name_plural = _("store events")
        ordering = ["at", "id"]

    @classmethod
    def catalog(cls) -> Catalog:
        from trust.messages import MESSAGES

        return MESSAGES


class DepositRequirement(models.Model):
    """What a store of `level` must hold as deposit to list in `category` and the categories under
    it. The nearest category up the tree that has a requirement for the level decides."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="deposit_requirements", on_delete=models.CASCADE
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), related_name="deposit_requirements", on_delete=models.CASCADE
    )
    amount = models.DecimalField(_("deposit required"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("deposit requirement")
        verbose_name_plural = _("deposit requirements")
        constraints = [
            models.UniqueConstraint(fields=["category", "level"], name="deposit_requirement_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="deposit_requirement_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.level_id}: {self.amount}"


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")  # a "not as described" dispute decided for the buyer


class DepositDeduction(models.Model):
    """Part of a store's deposit paid to whoever a decided case found was harmed. Made only by
    trust.services.deposits.deposit_deduct, which checks the case; one per case."""

    store = models.ForeignKey(
        Store, verbose_name=_("store"), related_name="deductions", on_delete=models.PROTECT
    )
    kind = models.CharField(_("case"), max_length=10, choices=CaseKind.choices)
    dispute = models.OneToOneField(
        "orders.Dispute",
        verbose_name=_("dispute"),
        null=True,
        blank=True,
        related_name="deposit_deduction",
        on_delete=models.PROTECT,
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paid to"), related_name="+", on_delete=models.PROTECT
    )
    # Staff's reason, as typed: shown to the store owner with the case.
    reason = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("deducted at"), default=timezone.now)

    class Meta:
        verbose_name = _("deposit deduction")
        verbose_name_plural = _("deposit deductions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_deduction_positive"),
            models.CheckConstraint(
                condition=~Q(kind=CaseKind.DISPUTE) | Q(dispute__isnull=False),
                name="deposit_deduction_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}: {self.amount}"


class Rule(models.Model):
    """A rule of the marketplace a seller can break, and the points a violation of it carries. Data
    in both languages (migration 0003); a violation names its rule in the statement of reasons."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    description = models.TextField(_("what it forbids"), max_length=600)
    description_zh = models.TextField(_("what it forbids (Chinese)"), max_length=600)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return self.title_zh if (get_language() or "").startswith("zh") else self.title

    @property
    def explanation(self) -> str:
        return self.description_zh if (get_language() or "").startswith("zh") else self.description


class RestrictionKind(models.TextChoices):
    NO_FLASH_SALES = "no_flash_sales", _("No flash sales")  # their items are kept out of flash sales
    LISTING_CAP = "listing_cap", _("Listing cap")  # a few items on sale at once
    SUSPENSION = "suspension", _("Suspended from selling")  # no new listings at all


# From the lightest to the heaviest: each threshold must ask more points than the one before.
RESTRICTION_ORDER = (RestrictionKind.NO_FLASH_SALES, RestrictionKind.LISTING_CAP, RestrictionKind.SUSPENSION)


class Threshold(models.Model):
    """The points at which a restriction starts (published data, set by operations)."""

    kind = models.CharField(_("restriction"), max_length=16, choices=RestrictionKind.choices, unique=True)
    points = models.PositiveSmallIntegerField(_("from points"))
    # For the listing cap: how many items may be on sale at once.
    cap = models.PositiveIntegerField(_("items on sale at most"), null=True, blank=True)

    class Meta:
        verbose_name = _("restriction threshold")
        verbose_name_plural = _("restriction thresholds")
        ordering = ["points"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="listing_cap") | Q(cap__gte=1), name="threshold_listing_cap_has_cap"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.points}"


class Violation(models.Model):
    """A decision that a seller broke a rule: its points count for 90 days. The seller may appeal
    within 6 months; an appeal decided for them takes the points back (`overturned_at`)."""

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="violations",
        on_delete=models.PROTECT,
    )
    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), related_name="violations", on_delete=models.PROTECT
    )
    # The rule's points when it was decided: a later change of the rule does not change a decision.
    points = models.PositiveSmallIntegerField(_("points"))
    # What staff found, as they typed it: part of the statement of reasons.
    evidence = models.TextField(_("evidence"), max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    expires_at = models.DateTimeField(_("points expire at"))
    appeal_until = models.DateTimeField(_("appeal until"))
    overturned_at = models.DateTimeField(_("overturned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["seller", "expires_at"], name="violation_seller_expiry")]

    def __str__(self) -> str:
        return f"{self.seller_id}: {self.rule_id} ({self.points})"

    def counts_at(self, moment) -> bool:
        """Whether its points count at `moment`: not overturned and not yet expired."""
        return self.overturned_at is None and self.expires_at > moment


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")  # the seller appealed; a different staff member decides
    UPHELD = "upheld", _("Decision upheld")  # the violation stands
    OVERTURNED = "overturned", _("Decision overturned")  # the violation's points no longer count


class Appeal(models.Model):
    violation = models.OneToOneField(
        Violation, verbose_name=_("violation"), related_name="appeal", on_delete=models.CASCADE
    )
    # The seller's side, as they typed it.
    statement = models.TextField(_("why the decision is wrong"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    # The reason for the decision, as typed by whoever decided the appeal.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("appealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["status", "created_at"], name="appeal_status_oldest")]

    def __str__(self) -> str:
        return f"appeal on {self.violation_id}"
