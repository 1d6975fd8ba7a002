"""The grade an item earns from its inspection results, and the validation of measured values.

Both are pure: no queries, no writes; the workbench calls them with the results it has loaded.

How a grade is computed
-----------------------
1. Every check counts at most once. A check answered "defect" counts at its severity. A measured
   value can make a check a defect by itself (MEASURE_RULES: battery health below 80 % is a major
   defect even when the inspector ticked "pass"); when both apply, the more severe one counts.
2. Any critical defect: the item cannot be graded. `grade` is None and `failing_checks` names the
   checks; the inspector fails the item (activation lock on, blacklisted IMEI, swollen battery,
   counterfeit marker…). Critical means "cannot be sold as is", never "sell it as D".
3. Otherwise the numbers of major and minor defects pick a row of GRADE_TABLE, first match wins.
4. No defects at all and declared "new with tags" (N): the item keeps N; otherwise no defects is S.
   N is never computed from a used item, because inspection cannot see "unused", only "no defects".

| majors | minors | grade | why                                                   |
| ------ | ------ | ----- | ----------------------------------------------------- |
| 0      | 0      | S (N) | nothing found (N only when declared new)              |
| 0      | 1-2    | A     | faint signs of use                                    |
| 0      | 3-5    | B     | light wear visible up close                           |
| 0      | 6+     | C     | many small marks add up to clear wear                 |
| 1      | 0-2    | B     | one clear fault or worn part, otherwise good          |
| 1      | 3+     | C     |                                                       |
| 2      | 0-2    | C     |                                                       |
| 2      | 3+     | D     |                                                       |
| 3+     | any    | D     | heavy wear or several faults, each stated             |
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspection.errors import InspectionError
from inspection.models import CheckOutcome, MeasureKind, Severity
from listings.models import Grade

SEVERITY_RANK = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


@dataclass(frozen=True)
class GradeRow:
    majors_min: int
    majors_max: int | None  # None: no upper bound
    minors_min: int
    minors_max: int | None
    grade: Grade

    def matches(self, majors: int, minors: int) -> bool:
        return (
            self.majors_min <= majors
            and (self.majors_max is None or majors <= self.majors_max)
            and self.minors_min <= minors
            and (self.minors_max is None or minors <= self.minors_max)
        )


GRADE_TABLE: tuple[GradeRow, ...] = (
    GradeRow(0, 0, 0, 0, Grade.LIKE_NEW),
    GradeRow(0, 0, 1, 2, Grade.EXCELLENT),
    GradeRow(0, 0, 3, 5, Grade.VERY_GOOD),
    GradeRow(0, 0, 6, None, Grade.GOOD),
    GradeRow(1, 1, 0, 2, Grade.VERY_GOOD),
    GradeRow(1, 1, 3, None, Grade.GOOD),
    GradeRow(2, 2, 0, 2, Grade.GOOD),
    GradeRow(2, 2, 3, None, Grade.FAIR),
    GradeRow(3, None, 0, None, Grade.FAIR),
)


@dataclass(frozen=True)
class MeasureRule:
    """A measured value below `below` or above `above` makes the check a defect of `severity`."""

    code: str  # the check code, the same on every checklist that has the check
    severity: Severity
    below: Decimal | None = None
    above: Decimal | None = None

    def flags(self, value: Decimal) -> bool:
        return (self.below is not None and value < self.below) or (
            self.above is not None and value > self.above
        )


# Per check, the most severe rule comes first; the first rule that flags a value applies.
MEASURE_RULES: tuple[MeasureRule, ...] = (
    # Apple and Android makers call a battery "consumed" below 80 % of its design capacity.
    MeasureRule("battery-health", Severity.MAJOR, below=Decimal(80)),
    MeasureRule("battery-health", Severity.MINOR, below=Decimal(85)),
    # Mechanical watches: within ±15 s/day is normal for a used watch, beyond ±30 it needs a service.
    MeasureRule("movement-accuracy", Severity.MAJOR, below=Decimal(-30), above=Decimal(30)),
    MeasureRule("movement-accuracy", Severity.MINOR, below=Decimal(-15), above=Decimal(15)),
    # Balance amplitude (degrees, dial up): below 200° the movement is tired and due for a service.
    MeasureRule("movement-amplitude", Severity.MAJOR, below=Decimal(200)),
    MeasureRule("movement-amplitude", Severity.MINOR, below=Decimal(220)),
    # Most enthusiast camera bodies are rated for 150,000-200,000 shutter actuations.
    MeasureRule("shutter-count", Severity.MAJOR, above=Decimal(150_000)),
    MeasureRule("shutter-count", Severity.MINOR, above=Decimal(100_000)),
)


@dataclass(frozen=True)
class GradedResult:
    """One answered check, as grading needs it. CheckResult rows (with check_item) are accepted too."""

    code: str
    severity: str
    outcome: str
    measured_value: str = ""
    label: str = ""  # what reasons call the check; its code when blank


@dataclass(frozen=True)
class Defect:
    code: str
    severity: Severity
    measured: bool  # True when the measured value made (or worsened) the defect


@dataclass(frozen=True)
class GradeOutcome:
    grade: Grade | None  # None when a critical defect means the item cannot be graded
    defects: tuple[Defect, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    @property
    def fails(self) -> bool:
        return self.grade is None

    @property
    def failing_checks(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.defects if d.severity == Severity.CRITICAL)

    @property
    def majors(self) -> int:
        return sum(d.severity == Severity.MAJOR for d in self.defects)

    @property
    def minors(self) -> int:
        return sum(d.severity == Severity.MINOR for d in self.defects)


def _as_graded(result: Any) -> GradedResult:
    check = getattr(result, "check_item", None)
    if check is None:
        return result
    return GradedResult(
        code=check.code,
        severity=check.severity,
        outcome=result.outcome,
        measured_value=result.measured_value,
        label=check.display_label,
    )


def measured_severity(code: str, measured_value: str) -> Severity | None:
    """The defect severity a measured value implies on its own, or None when it implies none."""
    if not measured_value:
        return None
    try:
        value = Decimal(measured_value)
    except InvalidOperation:
        return None  # text values (serials, IMEI) imply nothing
    if not value.is_finite():
        return None
    for rule in MEASURE_RULES:
        if rule.code == code and rule.flags(value):
            return rule.severity
    return None


def compute_grade(results: Iterable[Any], *, declared_grade: str = "") -> GradeOutcome:
    """The grade the answered checks lead to, with the defects that count and readable reasons.

    `results` are GradedResult or CheckResult rows (with `check_item` loaded); unanswered checks are
    the caller's concern. `declared_grade` is the seller's; only "N" changes anything (see above).
    """
    defects: list[Defect] = []
    reasons: list[str] = []
    for result in map(_as_graded, results):
        severity = Severity(result.severity) if result.outcome == CheckOutcome.DEFECT else None
        implied = measured_severity(result.code, result.measured_value)
        measured = False
        if implied is not None and (severity is None or SEVERITY_RANK[implied] > SEVERITY_RANK[severity]):
            severity, measured = implied, True
            if implied == Severity.CRITICAL:
                message = _("%(check)s measured %(value)s: counts as a critical defect.")
            elif implied == Severity.MAJOR:
                message = _("%(check)s measured %(value)s: counts as a major defect.")
            else:
                message = _("%(check)s measured %(value)s: counts as a minor defect.")
            reasons.append(message % {"check": result.label or result.code, "value": result.measured_value})
        if severity is not None:
            defects.append(Defect(code=result.code, severity=severity, measured=measured))

    critical = [d.code for d in defects if d.severity == Severity.CRITICAL]
    if critical:
        reasons.append(
            _("Critical defect (%(checks)s): the item cannot be graded and fails.")
            % {"checks": ", ".join(critical)}
        )
        return GradeOutcome(grade=None, defects=tuple(defects), reasons=tuple(reasons))

    majors = sum(d.severity == Severity.MAJOR for d in defects)
    minors = sum(d.severity == Severity.MINOR for d in defects)
    grade = next(row.grade for row in GRADE_TABLE if row.matches(majors, minors))
    if not defects:
        if declared_grade == Grade.NEW:
            grade = Grade.NEW
            reasons.append(_("No defects, and declared new with tags."))
        else:
            reasons.append(_("No defects."))
    else:
        reasons.append(
            _("%(majors)s, %(minors)s.")
            % {
                "majors": ngettext("%(count)d major defect", "%(count)d major defects", majors)
                % {"count": majors},
                "minors": ngettext("%(count)d minor defect", "%(count)d minor defects", minors)
                % {"count": minors},
            }
        )
    return GradeOutcome(grade=grade, defects=tuple(defects), reasons=tuple(reasons))


IMEI_CODE = "imei-recorded"


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def validate_measured_value(check: Any, raw: str) -> str:
    """The measured value for `check` (a Check or CheckData), cleaned, or InspectionError.

    Numbers: an optional trailing unit ("85 %"), a comma or a point for decimals, within the check's
    min and max (inclusive). IMEI: 15 digits with a valid check digit (spaces and dashes dropped).
    Other text: trimmed, inner whitespace collapsed. Blank gives "": whether a blank is acceptable is
    the caller's decision. Error codes: measured_value_invalid, measured_value_out_of_range.
    """
    text = " ".join(str(raw or "").split())
    if not text:
        return ""
    label = getattr(check, "display_label", None) or check.label
    if check.measure == MeasureKind.NONE:
        raise InspectionError(
            _("%(check)s is pass or defect only; it takes no measured value.") % {"check": label},
            code="measured_value_invalid",
            field="measured_value",
        )
    if check.measure == MeasureKind.TEXT:
        if check.code == IMEI_CODE:
            digits = re.sub(r"[\s-]", "", text)
            if not (len(digits) == 15 and digits.isascii() and digits.isdigit() and _luhn_valid(digits)):
                raise InspectionError(
                    _("An IMEI is 15 digits with a valid check digit; dial *#06# to read it."),
                    code="measured_value_invalid",
                    field="measured_value",
                )
            return digits
        return text

    number_text = text
    if check.unit and number_text.lower().endswith(check.unit.lower()):
        number_text = number_text[: -len(check.unit)].strip()
    number_text = number_text.replace(",", ".").replace("−", "-")  # noqa: RUF001 (a typed minus sign)
    try:
        value = Decimal(number_text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not re.fullmatch(r"[+-]?\d+(\.\d+)?", number_text):
        raise InspectionError(
            _("Enter %(check)s as a number, for example 85.") % {"check": label},
            code="measured_value_invalid",
            field="measured_value",
        )
    low, high = check.min_value, check.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        unit = f" {check.unit}" if check.unit else ""
        if low is not None and high is not None:
            message = _("%(check)s must be between %(low)s and %(high)s%(unit)s.")
        elif low is not None:
            message = _("%(check)s must be at least %(low)s%(unit)s.")
        else:
            message = _("%(check)s must be at most %(high)s%(unit)s.")
        raise InspectionError(
            message
            % {
                "check": label,
                "low": "" if low is None else _number_text(Decimal(low)),
                "high": "" if high is None else _number_text(Decimal(high)),
                "unit": unit,
            },
            code="measured_value_out_of_range",
            field="measured_value",
        )
    return _number_text(value)
