"""Professional stores (商家) and their deposits (保证金).

A store belongs to one seller. Its trader details are what EU DSA art. 30 asks a marketplace to hold
and show about a trader: name, registration number, address and contact. Staff verify them; only a
verified store shows the badge. Levels rank stores (the lowest rank is where every store starts),
and the deposit a store must hold is set per category and level (`DepositRequirement`). The money
itself is in the ledger, in the owner's deposit account (wallet.models.AccountPurpose.DEPOSIT); this
app keeps the rules and the decided cases that may take from it (`DepositDeduction`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
