"""The reads behind the operations dashboard (/staff/dashboard/).

Every figure is one aggregate query (GROUP BY in the database), so the page costs the same number of
queries whatever the size of the tables. Days are calendar days in the site's time zone
(settings.TIME_ZONE): a period of N days is today and the N - 1 days before it, from local midnight.

Definitions, shown on the page in words as well:

- Items per state are counts now, not over the period. "On sale" listings are those in the channel
  (status active), by source.
- Inspection throughput: inspections completed per day, passed and failed, by `completed_at`.
- Sales: orders paid per day (by `paid_at`, whatever happened to them later) and their value.
- Take rate: commission booked in the period ÷ the value of the sales it was booked on. Commission is
  the commission revenue account in the ledger: the fee on a person-to-person sale (booked when the
  order completes) and on a consigned sale (booked when it is settled). The value is what those same
  transactions took out of escrow or consignment payable. Platform stock sales are not commissioned
  (Reloop owns the item) and are shown beside it, with what Reloop paid for recycled items.
- Recycle vs consignment: final offers decided in the period, by decision (buy-out offers at the end
  of a consignment term are another choice and are left out).
- Days to sell: for orders paid in the period and not refunded, the mean time from the listing's
  first day on sale (`published_at`) to the payment, by the listing's source.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from consignment.models import Consignment, ConsignmentStatus
from inspection.models import Inspection, InspectionResult, InspectionStatus
from listings.models import Listing, ListingSource, ListingStatus
from marketplace.money import quantize
from orders.models import Order, OrderStatus
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus
from wallet.models import AccountPurpose, Entry

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
ZERO = Decimal("0.00")
PERCENT = Decimal("0.1")
DAY_SECONDS = Decimal(86400)


@dataclass(frozen=True)
class Period:
    days: int
    start: datetime  # local midnight of the first day (inclusive)
    end: datetime  # local midnight after the last day, today (exclusive)
    dates: list[date]  # every day of the period, oldest first


@dataclass(frozen=True)
class StateCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class InspectionDay:
    day: date
    passed: int
    failed: int

    @property
    def total(self) -> int:
        return self.passed + self.failed


@dataclass(frozen=True)
class SalesDay:
    day: date
    orders: int
    value: Decimal


@dataclass(frozen=True)
class SalesBySource:
    source: str
    label: str
    orders: int
    value: Decimal


@dataclass(frozen=True)
class TakeRate:
    commission: Decimal  # net commission revenue booked in the period
    commissioned_sales: Decimal  # value of the sales that commission was booked on
    platform_stock_sales: Decimal  # Reloop's own stock sold (no commission)
    recycle_purchases: Decimal  # what Reloop paid sellers for recycled items
    rate: Decimal | None  # percent, one decimal; None when nothing commissioned was sold


@dataclass(frozen=True)
class OfferChoice:
    decision: str
    label: str
    count: int
    share: Decimal | None  # percent of decided offers, one decimal


@dataclass(frozen=True)
class DaysToSell:
    source: str
    label: str
    sold: int
    mean_days: Decimal | None  # one decimal; None when nothing of this source sold


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal, half up; None for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def dashboard_period(*, days: int, now: datetime | None = None) -> Period:
    """The last `days` calendar days up to today, in the site's time zone."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=days - 1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return Period(days=days, start=start, end=end, dates=[first + timedelta(days=i) for i in range(days)])


def _states(choices, rows: dict[str, int], *, keep_zero: bool) -> list[StateCount]:
    return [
        StateCount(value=value, label=str(label), count=rows.get(value, 0))
        for value, label in choices
        if keep_zero or rows.get(value, 0)
    ]


def submissions_by_status() -> list[StateCount]:
    """Submissions now in each status that has any, in the order of the loop."""
    rows = dict(Submission.objects.order_by().values_list("status").annotate(n=Count("id")))
    return _states(SubmissionStatus.choices, rows, keep_zero=False)


def listings_on_sale_by_source() -> list[StateCount]:
    """Listings in the channel now, by where they come from (every source, zeros included)."""
    rows = dict(
        Listing.objects.filter(status=ListingStatus.ACTIVE)
        .order_by()
        .values_list("source")
        .annotate(n=Count("id"))
    )
    return _states(ListingSource.choices, rows, keep_zero=True)


def consignments_by_status() -> list[StateCount]:
    """Consignments now in each status (every status, zeros included)."""
    rows = dict(Consignment.objects.order_by().values_list("status").annotate(n=Count("id")))
    return _states(ConsignmentStatus.choices, rows, keep_zero=True)


def inspections_per_day(*, period: Period) -> list[InspectionDay]:
    """Inspections completed on each day of the period, passed and failed (zeros for quiet days)."""
    rows = (
        Inspection.objects.filter(
            status=InspectionStatus.COMPLETED, completed_at__gte=period.start, completed_at__lt=period.end
        )
        .annotate(day=TruncDate("completed_at"))
        .order_by()
        .values("day")
        .annotate(
            passed=Count("id", filter=Q(result=InspectionResult.PASSED)),
            failed=Count("id", filter=Q(result=InspectionResult.FAILED)),
        )
    )
    by_day: dict[date, Mapping[str, Any]] = {row["day"]: row for row in rows}
    return [
        InspectionDay(
            day=day,
            passed=by_day.get(day, {}).get("passed", 0),
            failed=by_day.get(day, {}).get("failed", 0),
        )
        for day in period.dates
    ]


def sales_in_period(*, period: Period) -> tuple[list[SalesDay], list[SalesBySource]]:
    """Orders paid on each day of the period with their value, and the same totals by source."""
    rows = (
        Order.objects.filter(paid_at__gte=period.start, paid_at__lt=period.end)
        .annotate(day=TruncDate("paid_at"))
        .order_by()
        .values("day", "source")
        .annotate(orders=Count("id"), value=Sum("price"))
    )
    per_day: dict[date, list] = defaultdict(lambda: [0, ZERO])
    per_source: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for row in rows:
        value = quantize(row["value"])
        for bucket in (per_day[row["day"]], per_source[row["source"]]):
            bucket[0] += row["orders"]
            bucket[1] += value
    days = [SalesDay(day=day, orders=per_day[day][0], value=per_day[day][1]) for day in period.dates]
    sources = [
        SalesBySource(source=value, label=str(label), orders=per_source[value][0], value=per_source[value][1])
        for value, label in ListingSource.choices
    ]
    return days, sources


def take_rate(*, period: Period) -> TakeRate:
    """Commission, the sales it was taken on, platform stock sales and recycle purchases in the period,
    from the ledger's entries (one query)."""
    has_commission = Entry.objects.filter(
        transaction_id=OuterRef("transaction_id"), account__purpose=AccountPurpose.COMMISSION_REVENUE
    )
    sums = Entry.objects.filter(created_at__gte=period.start, created_at__lt=period.end).aggregate(
        commission=Sum("amount", filter=Q(account__purpose=AccountPurpose.COMMISSION_REVENUE)),
        # A sale's value leaves escrow (person to person) or consignment payable (consigned): a
        # negative entry there, in a transaction that also books commission. A reversal adds it back.
        released=Sum(
            "amount",
            filter=Q(account__purpose__in=[AccountPurpose.ESCROW, AccountPurpose.CONSIGNMENT_PAYABLE])
            & Q(Exists(has_commission)),
        ),
        stock_sales=Sum("amount", filter=Q(account__purpose=AccountPurpose.SALES_REVENUE)),
        # Recycle purchases is debited (negative) by what Reloop pays for an item.
        purchases=Sum("amount", filter=Q(account__purpose=AccountPurpose.RECYCLE_PURCHASES)),
    )
    commission = quantize(sums["commission"] or 0)
    commissioned_sales = quantize(-(sums["released"] or 0))
    return TakeRate(
        commission=commission,
        commissioned_sales=commissioned_sales,
        platform_stock_sales=quantize(sums["stock_sales"] or 0),
        recycle_purchases=quantize(-(sums["purchases"] or 0)),
        rate=percent(commission, commissioned_sales) if commissioned_sales > 0 else None,
    )


def offer_choices(*, period: Period) -> list[OfferChoice]:
    """Final offers decided in the period, by decision, with each decision's share."""
    rows = dict(
        Offer.objects.filter(kind=OfferKind.FINAL, decided_at__gte=period.start, decided_at__lt=period.end)
        .exclude(decision="")
        .order_by()
        .values_list("decision")
        .annotate(n=Count("id"))
    )
    total = sum(rows.values())
    return [
        OfferChoice(
            decision=value,
            label=str(label),
            count=rows.get(value, 0),
            share=percent(rows.get(value, 0), total),
        )
        for value, label in OfferDecision.choices
    ]


def days_to_sell(*, period: Period) -> list[DaysToSell]:
    """Mean days from a listing's first day on sale to its payment, for orders paid in the period
    (refunded ones left out: the item did not stay sold), by source."""
    waited = ExpressionWrapper(F("paid_at") - F("listing__published_at"), output_field=DurationField())
    rows = {
        row["source"]: row
        for row in Order.objects.filter(
            paid_at__gte=period.start, paid_at__lt=period.end, listing__published_at__isnull=False
        )
        .exclude(status=OrderStatus.REFUNDED)
        .order_by()
        .values("source")
        .annotate(sold=Count("id"), mean=Avg(waited))
    }
    result = []
    for value, label in ListingSource.choices:
        row = rows.get(value)
        mean = None
        if row is not None and row["mean"] is not None:
            seconds = Decimal(str(row["mean"].total_seconds()))
            mean = (seconds / DAY_SECONDS).quantize(PERCENT, rounding=ROUND_HALF_UP)
        result.append(
            DaysToSell(source=value, label=str(label), sold=row["sold"] if row else 0, mean_days=mean)
        )
    return result


@dataclass(frozen=True)
class Dashboard:
    period: Period
    submissions: list[StateCount]
    listings: list[StateCount]
    consignments: list[StateCount]
    inspections: list[InspectionDay]
    sales_days: list[SalesDay]
    sales_sources: list[SalesBySource]
    take: TakeRate
    offers: list[OfferChoice]
    selling_days: list[DaysToSell]

    @property
    def inspections_passed(self) -> int:
        return sum(day.passed for day in self.inspections)

    @property
    def inspections_failed(self) -> int:
        return sum(day.failed for day in self.inspections)

    @property
    def inspections_total(self) -> int:
        return self.inspections_passed + self.inspections_failed

    @property
    def pass_rate(self) -> Decimal | None:
        return percent(self.inspections_passed, self.inspections_total)

    @property
    def orders_paid(self) -> int:
        return sum(day.orders for day in self.sales_days)

    @property
    def sales_value(self) -> Decimal:
        return sum((day.value for day in self.sales_days), ZERO)

    @property
    def offers_decided(self) -> int:
        return sum(choice.count for choice in self.offers)

    @property
    def recycle_share(self) -> Decimal | None:
        return next(c.share for c in self.offers if c.decision == OfferDecision.RECYCLE)

    @property
    def consign_share(self) -> Decimal | None:
        return next(c.share for c in self.offers if c.decision == OfferDecision.CONSIGN)


def dashboard_figures(*, days: int, now: datetime | None = None) -> Dashboard:
    """Every figure of the dashboard for the last `days` days, in eight queries."""
    period = dashboard_period(days=days, now=now)
    sales_days, sales_sources = sales_in_period(period=period)
    return Dashboard(
        period=period,
        submissions=submissions_by_status(),
        listings=listings_on_sale_by_source(),
        consignments=consignments_by_status(),
        inspections=inspections_per_day(period=period),
        sales_days=sales_days,
        sales_sources=sales_sources,
        take=take_rate(period=period),
        offers=offer_choices(period=period),
        selling_days=days_to_sell(period=period),
    )
