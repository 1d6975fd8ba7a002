"""Shared set-up for the inspection desk tests: staff in their groups, a small checklist, a queued
item, and a helper that answers every check."""

from decimal import Decimal

from accounts import roles
from inspection.models import Check, Checklist, CheckOutcome, Inspection, MeasureKind, Severity
from inspection.services.workbench import check_record
from tests.factories import CategoryFactory, InspectionFactory
from tests.recycling.shipping_fixtures import staff_user


def inspector(**fields):
    return staff_user(roles.INSPECTORS, **fields)


def authenticator(**fields):
    return staff_user(roles.AUTHENTICATORS, **fields)


def small_checklist(category) -> Checklist:
    """Three checks: one critical, one major with a measured value (0 to 100 %), one minor."""
    checklist = Checklist.objects.create(category=category, version=1)
    Check.objects.create(
        checklist=checklist,
        code="activation-lock",
        group="function",
        label="Activation lock off",
        severity=Severity.CRITICAL,
        position=1,
    )
    Check.objects.create(
        checklist=checklist,
        code="battery-health",
        group="function",
        label="Battery health",
        severity=Severity.MAJOR,
        measure=MeasureKind.NUMBER,
        unit="%",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        position=2,
    )
    Check.objects.create(
        checklist=checklist,
        code="back-glass",
        group="appearance",
        label="Back glass",
        severity=Severity.MINOR,
        position=3,
    )
    return checklist


def queued_inspection(*, luxury: bool = False, **fields) -> Inspection:
    category = fields.pop("category", None) or CategoryFactory(is_luxury=luxury)
    if not Checklist.objects.filter(category=category).exists():
        small_checklist(category)
    return InspectionFactory(category=category, **fields)


def check(inspection: Inspection, code: str) -> Check:
    return Check.objects.get(checklist__inspection=inspection, code=code)


def answer_all(inspection: Inspection, by, *, defects: tuple[str, ...] = ()) -> None:
    """Pass every check of the inspection's checklist except `defects`; battery health reads 92."""
    checklist_id = Inspection.objects.values_list("checklist_id", flat=True).get(pk=inspection.pk)
    for item in Check.objects.filter(checklist_id=checklist_id):
        defect = item.code in defects
        check_record(
            inspection_id=inspection.pk,
            inspector=by,
            check_id=item.pk,
            outcome=CheckOutcome.DEFECT if defect else CheckOutcome.PASS,
            note="Visible scratch" if defect else "",
            measured_value="92" if item.measure == MeasureKind.NUMBER else "",
        )
