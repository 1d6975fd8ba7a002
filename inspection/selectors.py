"""Reads for the inspection desk's pages and API, with what they show already joined or prefetched."""

from datetime import datetime

from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    QuerySet,
    Value,
)
from django.utils import timezone

from accounts.models import User
from inspection.models import AuthenticityVerdict, Check, CheckResult, Inspection
from inspection.models import InspectionStatus as Status
from providers.scope import within

# What every list row shows: the item, its category and model, and who holds it.
_ROW_RELATIONS = ("category", "category__parent", "catalog_model", "catalog_model__brand", "inspector")


def _with_waiting(queryset: QuerySet[Inspection], now: datetime | None) -> QuerySet[Inspection]:
    """Annotate `waiting`: how long since the item was received (a timedelta)."""
    now = now or timezone.now()
    return queryset.annotate(
        waiting=ExpressionWrapper(
            Value(now, output_field=DateTimeField()) - F("created_at"), output_field=DurationField()
        )
    )


def queue_for_inspectors(*, scope: int | None, now: datetime | None = None) -> QuerySet[Inspection]:
    """Items of the provider `scope` (every provider's: None, providers.scope) waiting for an
    inspector, the one that has waited longest first, each with `waiting`."""
    queryset = (
        within(Inspection.objects.filter(status=Status.QUEUED), scope)
        .select_related(*_ROW_RELATIONS)
        .order_by("created_at", "id")
    )
    return _with_waiting(queryset, now)


def inspections_claimed_by(*, inspector: User, now: datetime | None = None) -> QuerySet[Inspection]:
    """The items this inspector holds, the one claimed first first."""
    queryset = (
        Inspection.objects.filter(status=Status.IN_PROGRESS, inspector=inspector)
        .select_related(*_ROW_RELATIONS)
        .order_by("claimed_at", "id")
    )
    return _with_waiting(queryset, now)


def inspection_for_staff(*, inspection_id: int, scope: int | None) -> Inspection:
    """One inspection with everything the workbench page shows: its checklist's checks, the results
    recorded (with who recorded them), the verdicts and the report. Another provider's than `scope`
    is as missing as one that does not exist. Raises Inspection.DoesNotExist."""
    return (
        within(Inspection.objects.all(), scope)
        .select_related(*_ROW_RELATIONS, "checklist", "checklist__category", "listing", "report")
        .prefetch_related(
            Prefetch("checklist__checks", queryset=Check.objects.order_by("position", "id")),
            Prefetch(
                "results",
                queryset=CheckResult.objects.select_related("check_item", "recorded_by").order_by(
                    "check_item__position", "id"
                ),
            ),
            Prefetch(
                "verdicts", queryset=AuthenticityVerdict.objects.select_related("by").order_by("at", "id")
            ),
        )
        .get(pk=inspection_id)
    )


def check_rows(inspection: Inspection) -> list[tuple[Check, CheckResult | None]]:
    """Each check of the inspection's checklist with its result (None while unanswered), in checklist
    order. Makes no query on an inspection from `inspection_for_staff`."""
    if inspection.checklist is None:
        return []
    results = {result.check_item_id: result for result in inspection.results.all()}
    return [(check, results.get(check.pk)) for check in inspection.checklist.checks.all()]


def _awaiting(*, escalated: bool, scope: int | None, now: datetime | None) -> QuerySet[Inspection]:
    queryset = (
        within(Inspection.objects.filter(status=Status.AWAITING_SECOND_OPINION, escalated=escalated), scope)
        .select_related(*_ROW_RELATIONS)
        .prefetch_related(
            Prefetch(
                "verdicts", queryset=AuthenticityVerdict.objects.select_related("by").order_by("at", "id")
            )
        )
        .order_by("created_at", "id")
    )
    return _with_waiting(queryset, now)


def authentication_queue(*, scope: int | None, now: datetime | None = None) -> QuerySet[Inspection]:
    """Luxury items of the provider `scope` (every provider's: None) inspected and waiting for
    authenticity verdicts, oldest first, with their verdicts so far (`verdicts`) and `waiting`."""
    return _awaiting(escalated=False, scope=scope, now=now)


def escalation_queue(*, scope: int | None, now: datetime | None = None) -> QuerySet[Inspection]:
    """Luxury items of the provider `scope` whose two authenticators disagreed, waiting for a third,
    oldest first."""
    return _awaiting(escalated=True, scope=scope, now=now)
