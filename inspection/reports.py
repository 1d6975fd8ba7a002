"""Reading a published report and presenting its snapshot in the reader's language.

The page and the PDF show the same thing, so both are built from `report_display`: it turns the stored
codes (grade, outcome, severity, fail reason) and the two-language names into labels for the active
language, and groups the checks. Nothing here queries the database beyond `report_by_code`.

The snapshot keeps the IMEI and serial numbers the inspector recorded; the public view shows only their
last 4 characters (`identifiers_in_full=False`, the default). Only staff pages ask for them whole.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inspection.checklist_data import holds_identifier
from inspection.checklists import group_label
from inspection.crosswalk import CrosswalkRow, crosswalk_rows
from inspection.models import (
    REPORT_CODE_ALPHABET,
    CheckOutcome,
    FailReason,
    InspectionResult,
    Report,
    Severity,
)
from inspection.services.workbench import check_photo_url
from listings.models import GRADE_MEANINGS, Grade
from marketplace.masking import mask_tail


def report_by_code(code: str) -> Report | None:
    """The published report with this code, or None. Codes are printed in capitals; a reader who types
    one in lower case still finds it. One query, which also reads the listing the item became
    (`report.inspection.listing_id`, for the page's explanation clips)."""
    code = code.strip().upper()
    if not code or any(character not in REPORT_CODE_ALPHABET for character in code):
        return None
    return (
        Report.objects.filter(code=code)
        .select_related("inspection")
        .only("code", "content", "content_hash", "published_at", "inspection__listing")
        .first()
    )


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _localized(names: dict | None) -> str:
    if not names:
        return ""
    if _chinese() and names.get("name_zh"):
        return names["name_zh"]
    return names.get("name", "")


def measured(value: str, unit: str) -> str:
    """ "91" and "%" → "91%"; "3.2" and "s/day" → "3.2 s/day"."""
    if not value:
        return ""
    if not unit:
        return value
    return f"{value}{unit}" if unit in {"%", "°"} else f"{value} {unit}"


@dataclass(frozen=True)
class CheckLine:
    code: str
    label: str
    severity: str
    severity_label: str
    outcome: str
    outcome_label: str
    note: str
    measured: str
    photo_key: str
    photo_url: str

    @property
    def is_defect(self) -> bool:
        return self.outcome == CheckOutcome.DEFECT


@dataclass(frozen=True)
class CheckGroup:
    label: str
    checks: list[CheckLine] = field(default_factory=list)

    @property
    def defects(self) -> int:
        return sum(1 for check in self.checks if check.is_defect)


@dataclass(frozen=True)
class ReportDisplay:
    code: str
    content_hash: str
    published_at: datetime
    category: str
    brand: str
    catalog_model: str
    title: str
    grade: str
    grade_label: str
    grade_meaning: str
    passed: bool
    result_label: str
    fail_reason_label: str
    authenticity: dict | None
    authenticity_text: str
    groups: list[CheckGroup]
    checks_total: int
    defects_total: int
    inspector: str
    completed_at: datetime | None
    checklist_version: int | None
    crosswalk: list[CrosswalkRow]
    identifiers_in_full: bool

    @property
    def heading(self) -> str:
        """ "Apple iPhone 13" when the catalog model is known, the item's title otherwise."""
        if self.catalog_model:
            return f"{self.brand} {self.catalog_model}".strip()
        return self.title


def _check_line(check: dict, *, identifiers_in_full: bool) -> CheckLine:
    label = check["label_zh"] if _chinese() and check.get("label_zh") else check.get("label", "")
    severity = check.get("severity", "")
    outcome = check.get("outcome", "")
    photo_key = check.get("photo_key", "")
    value = check.get("measured_value", "")
    if not identifiers_in_full and holds_identifier(check.get("code", "")):
        value = mask_tail(value)
    return CheckLine(
        code=check.get("code", ""),
        label=label,
        severity=severity,
        severity_label=str(Severity(severity).label) if severity in Severity.values else severity,
        outcome=outcome,
        outcome_label=str(CheckOutcome(outcome).label) if outcome in CheckOutcome.values else outcome,
        note=check.get("note", ""),
        measured=measured(value, check.get("unit", "")),
        photo_key=photo_key,
        photo_url=check_photo_url(photo_key) if photo_key else "",
    )


def _groups(checks: list[dict], *, identifiers_in_full: bool) -> list[CheckGroup]:
    """Checks grouped in the order their groups first appear in the checklist."""
    groups: dict[str, CheckGroup] = {}
    for check in checks:
        group = check.get("group", "")
        if group not in groups:
            groups[group] = CheckGroup(label=group_label(group))
        groups[group].checks.append(_check_line(check, identifiers_in_full=identifiers_in_full))
    return list(groups.values())


def authenticity_summary(authenticity: dict | None) -> str:
    """One sentence for the page and the PDF; empty when the item was not authenticated."""
    if not authenticity:
        return ""
    if authenticity.get("escalated") and authenticity.get("authenticated") is True:
        return str(
            _(
                "Authenticated: the first two authenticators disagreed; a third examined the item and "
                "found it genuine."
            )
        )
    if authenticity.get("escalated") and authenticity.get("authenticated") is False:
        return str(
            _(
                "Not authenticated: the first two authenticators disagreed; a third examined the item and "
                "found it not genuine."
            )
        )
    if authenticity.get("authenticated") is True:
        if authenticity.get("two_agreed"):
            return str(_("Authenticated: two authenticators independently agreed that this item is genuine."))
        return str(_("Authenticated as genuine."))
    if authenticity.get("authenticated") is False:
        if authenticity.get("two_agreed"):
            return str(_("Not authenticated: the authenticators found this item is not genuine."))
        # Failed as counterfeit by the inspector, before any authenticator gave a verdict.
        return str(_("Found not genuine at inspection."))
    return str(_("Authenticity was not confirmed."))


def report_display(report: Report, *, identifiers_in_full: bool = False) -> ReportDisplay:
    """The report's snapshot with every label in the active language. IMEI and serial numbers show
    only their last 4 characters unless `identifiers_in_full` (staff only)."""
    content = report.content
    grade = content.get("grade", "")
    passed = content.get("result") == InspectionResult.PASSED
    fail_reason = content.get("fail_reason", "")
    completed_at = content.get("completed_at")
    checklist = content.get("checklist") or {}
    groups = _groups(content.get("checks", []), identifiers_in_full=identifiers_in_full)
    return ReportDisplay(
        code=report.code,
        content_hash=report.content_hash,
        published_at=report.published_at,
        category=_localized(content.get("category")),
        brand=_localized(content.get("brand")),
        catalog_model=content.get("catalog_model", ""),
        title=content.get("title", ""),
        grade=grade,
        grade_label=str(Grade(grade).label) if grade in Grade.values else "",
        grade_meaning=str(GRADE_MEANINGS[Grade(grade)]) if grade in Grade.values else "",
        passed=passed,
        result_label=str(InspectionResult.PASSED.label if passed else InspectionResult.FAILED.label),
        fail_reason_label=str(FailReason(fail_reason).label) if fail_reason in FailReason.values else "",
        authenticity=content.get("authenticity"),
        authenticity_text=authenticity_summary(content.get("authenticity")),
        groups=groups,
        checks_total=sum(len(group.checks) for group in groups),
        defects_total=sum(group.defects for group in groups),
        inspector=content.get("inspector", ""),
        completed_at=timezone.localtime(datetime.fromisoformat(completed_at)) if completed_at else None,
        checklist_version=checklist.get("version"),
        crosswalk=crosswalk_rows(current=grade),
        identifiers_in_full=identifiers_in_full,
    )
