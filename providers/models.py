"""A service provider is an organisation that works items for Reloop: an inspection centre, a
consignment partner or a recycler. Reloop's own centre is one of them (`is_platform`), made by a
migration; its members are the platform's staff and see every provider's queues. A partner's members
see only their own (providers.scope)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    INSPECTION_CENTRE = "inspection_centre", _("Inspection centre")
    CONSIGNMENT_PARTNER = "consignment_partner", _("Consignment partner")
    RECYCLER = "recycler", _("Recycler")


# What a provider may be paid of a consigned item's price at most (its provider fee).
MAX_FEE_RATE = Decimal("0.5")


class Provider(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=ProviderKind.choices)
    is_platform = models.BooleanField(_("Reloop's own"), default=False, editable=False)
    region = models.CharField(_("province or state"), max_length=60, blank=True)
    # Of a consigned item's price, what the provider that ran the consignment is paid.
    fee_rate = models.DecimalField(
        _("provider fee rate"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    active = models.BooleanField(_("takes new work"), default=True)
    # Whose wallet its provider fees are paid into (the partner's business account).
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid to"),
        null=True,
        blank=True,
        related_name="paid_for_providers",
        on_delete=models.PROTECT,
    )
    # Who receives the work routed to this provider while it takes none (providers.services).
    fallback = models.ForeignKey(
        "self",
        verbose_name=_("fallback"),
        null=True,
        blank=True,
        related_name="covers_for",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        constraints = [
            models.UniqueConstraint(
                fields=["is_platform"], condition=Q(is_platform=True), name="provider_one_platform"
            ),
            models.CheckConstraint(
                condition=Q(fee_rate__gte=0) & Q(fee_rate__lte=MAX_FEE_RATE), name="provider_fee_rate_range"
            ),
            models.CheckConstraint(condition=~Q(fallback=F("pk")), name="provider_not_its_own_fallback"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Its name in the reader's language: Reloop's own centre's is ours to translate; a
        partner's is as it writes it."""
        return str(_("Reloop inspection centre")) if self.is_platform else self.name


class MemberRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    INSPECTOR = "inspector", _("Inspector")
    AUTHENTICATOR = "authenticator", _("Authenticator")
    OPERATIONS = "operations", _("Operations")


class ProviderMember(models.Model):
    """A person working for a provider, in one role. A person works for one provider at most; what
    they may do on a desk is still their staff role (accounts.roles); which items, their provider."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), related_name="members", on_delete=models.CASCADE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="provider_membership",
        on_delete=models.CASCADE,
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("provider member")
        verbose_name_plural = _("provider members")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.provider_id}"
