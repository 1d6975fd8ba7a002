"""Consignments: an inspected item Reloop sells for its owner, who is paid after the sale, minus
commission.

A consignment's status moves only through `consignment.services.transitions.consignment_move` and its table;
each move leaves a ConsignmentEvent. Price drops are rows of their own, one per step of the schedule,
so that the job applying them is idempotent by construction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from marketplace.status_events import Catalog, StatusEvent
from orders.models import Order
from recycling.models import Offer, Submission


class ConsignmentStatus(models.TextChoices):
    LISTED = "listed", _("On sale")  # the listing is in the channel
    SOLD = "sold", _("Sold")  # a buyer paid; waiting for the return window to close
    SETTLED = "settled", _("Settled")  # the seller was paid, minus commission
    UNSOLD = "unsold", _("Unsold")  # the term ended without a sale; the seller chooses what next
    ENDED = "ended", _("Ended")  # unsold and returned to the seller, or bought out by Reloop


class Consignment(models.Model):
    """The agreement the seller accepted, and what became of it."""

    submission = models.OneToOneField(
        Submission, verbose_name=_("submission"), related_name="consignment", on_delete=models.PROTECT
    )
    offer = models.OneToOneField(
        Offer, verbose_name=_("offer"), related_name="consignment", on_delete=models.PROTECT
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="consignments",
        on_delete=models.PROTECT,
    )
    listing = models.OneToOneField(
        Listing, verbose_name=_("listing"), related_name="consignment", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ConsignmentStatus.choices, default=ConsignmentStatus.LISTED
    )
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2)
    floor_price = models.DecimalField(_("floor price"), max_digits=12, decimal_places=2)
    # Fixed by the initial list price when the agreement is made (DESIGN: commission tiers).
    commission_rate = models.DecimalField(_("commission rate"), max_digits=4, decimal_places=3)
    drop_schedule = models.JSONField(_("price drops"), default=list)
    listed_at = models.DateTimeField(_("listed at"))
    term_ends_at = models.DateTimeField(_("term ends at"))
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    sale_price = models.DecimalField(_("sale price"), max_digits=12, decimal_places=2, null=True, blank=True)
    commission = models.DecimalField(_("commission"), max_digits=12, decimal_places=2, null=True, blank=True)
    payout = models.DecimalField(_("payout"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Of the commission, what the partner that ran the consignment was paid (its provider's fee_rate
    # of the sale); Reloop kept the rest. 0 for Reloop's own consignments.
    provider_fee = models.DecimalField(
        _("provider fee"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    sold_at = models.DateTimeField(_("sold at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("consignment")
        verbose_name_plural = _("consignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_price__gt=0) & Q(floor_price__lte=models.F("list_price")),
                name="consignment_floor_within_list_price",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="consignment_status"),
            models.Index(fields=["status", "term_ends_at"], name="consignment_term"),
        ]

    def __str__(self) -> str:
        return f"C{self.pk}"


class ConsignmentEvent(StatusEvent):
    consignment = models.ForeignKey(
        Consignment, verbose_name=_("consignment"), related_name="events", on_delete=models.CASCADE
    )
    old = models.CharField(_("old status"), max_length=10, choices=ConsignmentStatus.choices, blank=True)
    new = models.CharField(_("new status"), max_length=10, choices=ConsignmentStatus.choices)

    class Meta:
        verbose_name = _("consignment event")
        verbose_name_plural = _("consignment events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from consignment.messages import MESSAGES  # on first use: a catalog may name choices declared here

        return MESSAGES


class PriceDrop(models.Model):
    """One step of the schedule, applied: the listing's price went from `old_price` to `new_price`."""

    consignment = models.ForeignKey(
        Consignment, verbose_name=_("consignment"), related_name="price_drops", on_delete=models.CASCADE
    )
    step = models.PositiveSmallIntegerField(_("step"))
    old_price = models.DecimalField(_("old price"), max_digits=12, decimal_places=2)
    new_price = models.DecimalField(_("new price"), max_digits=12, decimal_places=2)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)

    class Meta:
        verbose_name = _("price drop")
        verbose_name_plural = _("price drops")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["consignment", "step"], name="price_drop_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"C{self.consignment_id} step {self.step}"
