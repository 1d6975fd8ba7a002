"""How each service provider works, side by side for the platform's staff: how long its
inspections take, how many of the items it inspected and that sold were disputed, and how many of
its reports a dispute overturned (decided with money back to the buyer), over a rolling window."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone

from inspection.models import Inspection, InspectionStatus, Report
from orders.models import DisputeOutcome, Order
from providers.models import Provider

# The window the figures are taken over, in days.
WINDOW_DAYS = 90
# Dispute outcomes that say the report was wrong: the buyer got money back.
OVERTURNING = (DisputeOutcome.FULL_REFUND, DisputeOutcome.PARTIAL_REFUND)


@dataclass(frozen=True)
class ProviderFigures:
    provider: Provider
    inspections: int  # completed in the window
    turnaround: timedelta | None  # from queued to completed, on average
    orders: int  # of items it inspected, placed in the window
    disputes: int
    overturned: int

    @property
    def turnaround_hours(self) -> Decimal | None:
        if self.turnaround is None:
            return None
        return (Decimal(self.turnaround.total_seconds()) / 3600).quantize(Decimal("0.1"))

    @property
    def overturned_percent(self) -> Decimal | None:
        share = self.overturned_share
        return None if share is None else (share * 100).quantize(Decimal("0.1"))

    @property
    def disputes_per_100_orders(self) -> Decimal | None:
        return (
            None if not self.orders else (Decimal(100 * self.disputes) / self.orders).quantize(Decimal("0.1"))
        )

    @property
    def overturned_share(self) -> Decimal | None:
        """Of its reports on items sold in the window, the share a dispute overturned (0 to 1)."""
        return (
            None if not self.orders else (Decimal(self.overturned) / self.orders).quantize(Decimal("0.001"))
        )


def provider_figures(*, now: datetime | None = None) -> list[ProviderFigures]:
    """Every provider's figures over the last WINDOW_DAYS, Reloop's own first. Three queries."""
    since = (now or timezone.now()) - timedelta(days=WINDOW_DAYS)
    inspections = {
        row["provider_id"]: row
        for row in Inspection.objects.filter(status=InspectionStatus.COMPLETED, completed_at__gte=since)
        .values("provider_id")
        .annotate(
            done=Count("pk"),
            turnaround=Avg(
                ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())
            ),
        )
    }
    # An order's item was inspected by the provider whose inspection published the listing's report.
    inspected_by = Report.objects.filter(code=OuterRef("listing__report_code")).values(
        "inspection__provider_id"
    )[:1]
    sales = {
        row["provider_id"]: row
        for row in Order.objects.filter(created_at__gte=since)
        .exclude(listing__report_code="")
        .annotate(provider_id=Subquery(inspected_by))
        .values("provider_id")
        .annotate(
            orders=Count("pk"),
            disputes=Count("dispute"),
            overturned=Count("dispute", filter=Q(dispute__outcome__in=OVERTURNING)),
        )
    }
    figures = []
    for provider in Provider.objects.order_by("-is_platform", "name"):
        done, sold = inspections.get(provider.pk), sales.get(provider.pk)
        figures.append(
            ProviderFigures(
                provider=provider,
                inspections=done["done"] if done else 0,
                turnaround=done["turnaround"] if done else None,
                orders=sold["orders"] if sold else 0,
                disputes=sold["disputes"] if sold else 0,
                overturned=sold["overturned"] if sold else 0,
            )
        )
    return figures
