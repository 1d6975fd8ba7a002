"""The grade computation, row by row, and the validation of measured values."""

from decimal import Decimal

import pytest

from inspection.checklist_data import CheckData, number_check, text_check
from inspection.errors import InspectionError
from inspection.grading import GRADE_TABLE, GradedResult, compute_grade, validate_measured_value
from listings.models import Grade


def results(*, majors: int = 0, minors: int = 0, criticals: int = 0, passes: int = 3) -> list[GradedResult]:
    rows = [GradedResult(f"pass-{n}", "minor", "pass") for n in range(passes)]
    rows += [GradedResult(f"major-{n}", "major", "defect") for n in range(majors)]
    rows += [GradedResult(f"minor-{n}", "minor", "defect") for n in range(minors)]
    rows += [GradedResult(f"critical-{n}", "critical", "defect") for n in range(criticals)]
    return rows


@pytest.mark.parametrize(
    ("majors", "minors", "declared", "grade"),
    [
        (0, 0, "A", Grade.LIKE_NEW),
        (0, 0, "S", Grade.LIKE_NEW),
        (0, 0, "N", Grade.NEW),
        (0, 1, "N", Grade.EXCELLENT),  # declared new but used: graded as what was found
        (0, 1, "A", Grade.EXCELLENT),
        (0, 2, "A", Grade.EXCELLENT),
        (0, 3, "A", Grade.VERY_GOOD),
        (0, 5, "A", Grade.VERY_GOOD),
        (0, 6, "A", Grade.GOOD),
        (0, 20, "A", Grade.GOOD),
        (1, 0, "A", Grade.VERY_GOOD),
        (1, 2, "A", Grade.VERY_GOOD),
        (1, 3, "A", Grade.GOOD),
        (1, 9, "A", Grade.GOOD),
        (2, 0, "A", Grade.GOOD),
        (2, 2, "A", Grade.GOOD),
        (2, 3, "A", Grade.FAIR),
        (3, 0, "A", Grade.FAIR),
        (7, 12, "A", Grade.FAIR),
    ],
)
def test_grade_table(majors, minors, declared, grade):
    outcome = compute_grade(results(majors=majors, minors=minors), declared_grade=declared)

    assert outcome.grade == grade
    assert (outcome.majors, outcome.minors) == (majors, minors)
    assert not outcome.fails
    assert outcome.reasons


def test_every_count_of_defects_has_exactly_one_row():
    for majors in range(8):
        for minors in range(15):
            assert sum(row.matches(majors, minors) for row in GRADE_TABLE) == 1, (majors, minors)


@pytest.mark.parametrize("majors", [0, 2])
def test_a_critical_defect_fails_whatever_else_was_found(majors):
    outcome = compute_grade(results(criticals=1, majors=majors), declared_grade="N")

    assert outcome.grade is None
    assert outcome.fails
    assert outcome.failing_checks == ("critical-0",)
    assert "critical-0" in outcome.reasons[-1]


def test_no_results_is_no_defects():
    assert compute_grade([]).grade == Grade.LIKE_NEW


@pytest.mark.parametrize(
    ("code", "severity", "outcome", "value", "majors", "minors"),
    [
        # battery health: below 80 % major, below 85 % minor, even when ticked "pass"
        ("battery-health", "major", "pass", "100", 0, 0),
        ("battery-health", "major", "pass", "85", 0, 0),
        ("battery-health", "major", "pass", "84.9", 0, 1),
        ("battery-health", "major", "pass", "80", 0, 1),
        ("battery-health", "major", "pass", "79", 1, 0),
        # the more severe of the answer and the measurement counts, once
        ("battery-health", "minor", "defect", "79", 1, 0),
        ("battery-health", "major", "defect", "84", 1, 0),
        # watches: ±15 s/day fine, beyond minor, beyond ±30 major
        ("movement-accuracy", "major", "pass", "15", 0, 0),
        ("movement-accuracy", "major", "pass", "-15", 0, 0),
        ("movement-accuracy", "major", "pass", "16", 0, 1),
        ("movement-accuracy", "major", "pass", "30", 0, 1),
        ("movement-accuracy", "major", "pass", "-30", 0, 1),
        ("movement-accuracy", "major", "pass", "31", 1, 0),
        ("movement-accuracy", "major", "pass", "-45", 1, 0),
        ("movement-amplitude", "major", "pass", "260", 0, 0),
        ("movement-amplitude", "major", "pass", "210", 0, 1),
        ("movement-amplitude", "major", "pass", "190", 1, 0),
        ("shutter-count", "minor", "pass", "100000", 0, 0),
        ("shutter-count", "minor", "pass", "120000", 0, 1),
        ("shutter-count", "minor", "pass", "180000", 1, 0),
        # values no rule covers imply nothing
        ("battery-cycle-count", "minor", "pass", "1200", 0, 0),
        ("imei-recorded", "critical", "pass", "490154203237518", 0, 0),
        ("storage-capacity", "major", "pass", "", 0, 0),
    ],
)
def test_measured_values_imply_defects(code, severity, outcome, value, majors, minors):
    graded = compute_grade([GradedResult(code, severity, outcome, value)])

    assert (graded.majors, graded.minors) == (majors, minors)


def test_a_measured_defect_is_explained_with_the_check_label():
    graded = compute_grade([GradedResult("battery-health", "major", "pass", "78", label="Battery health")])

    assert graded.grade == Grade.VERY_GOOD
    assert graded.defects[0].measured
    assert "Battery health measured 78: counts as a major defect." in graded.reasons


@pytest.mark.django_db
def test_compute_grade_takes_check_result_rows():
    from inspection.checklists import checklists_load
    from inspection.models import Check, CheckResult, Inspection
    from listings.catalog_data import load_catalog
    from tests.factories import UserFactory

    load_catalog()
    checklists_load()
    battery = Check.objects.get(checklist__category__slug="phones", code="battery-health")
    inspection = Inspection.objects.create(
        subject_code="RL-GRADE1", category=battery.checklist.category, title="iPhone", declared_grade="A"
    )
    row = CheckResult.objects.create(
        inspection=inspection,
        check_item=battery,
        outcome="pass",
        measured_value="82",
        recorded_by=UserFactory(),
    )

    assert compute_grade([row]).grade == Grade.EXCELLENT


BATTERY = number_check(
    "battery-health", "battery", "major", "Battery health", "电池健康度", unit="%", low="0", high="100"
)
ACCURACY = number_check(
    "movement-accuracy", "movement", "major", "Rate", "走时误差", unit="s/day", low="-60", high="60"
)
CYCLES = number_check(
    "battery-cycle-count", "battery", "minor", "Battery cycle count", "电池循环次数", low="0"
)
IMEI = text_check("imei-recorded", "identity", "critical", "IMEI", "IMEI")
SERIAL = text_check("serial-number", "authenticity", "critical", "Serial", "序列号")
PLAIN = CheckData("frame-dents", "appearance", "minor", "Frame", "边框")


@pytest.mark.parametrize(
    ("check", "raw", "cleaned"),
    [
        (BATTERY, "85", "85"),
        (BATTERY, " 85 % ", "85"),
        (BATTERY, "85%", "85"),
        (BATTERY, "85,5", "85.5"),
        (BATTERY, "0", "0"),
        (BATTERY, "100", "100"),
        (BATTERY, "100.0", "100"),
        (ACCURACY, "-60", "-60"),
        (ACCURACY, "−12 s/day", "-12"),  # noqa: RUF001 (a typed minus sign)
        (ACCURACY, "+4", "4"),
        (CYCLES, "123456", "123456"),
        (IMEI, "49-015420-323751-8", "490154203237518"),
        (SERIAL, "  SP 1019  ", "SP 1019"),
        (BATTERY, "", ""),
        (PLAIN, "   ", ""),
    ],
)
def test_valid_measured_values_are_cleaned(check, raw, cleaned):
    assert validate_measured_value(check, raw) == cleaned


@pytest.mark.parametrize(
    ("check", "raw", "code", "message"),
    [
        (BATTERY, "101", "measured_value_out_of_range", "Battery health must be between 0 and 100 %."),
        (BATTERY, "-1", "measured_value_out_of_range", "Battery health must be between 0 and 100 %."),
        (ACCURACY, "61", "measured_value_out_of_range", "Rate must be between -60 and 60 s/day."),
        (CYCLES, "-3", "measured_value_out_of_range", "Battery cycle count must be at least 0."),
        (BATTERY, "good", "measured_value_invalid", "Enter Battery health as a number, for example 85."),
        (BATTERY, "NaN", "measured_value_invalid", "Enter Battery health as a number, for example 85."),
        (BATTERY, "1e2", "measured_value_invalid", "Enter Battery health as a number, for example 85."),
        (BATTERY, "Infinity", "measured_value_invalid", "Enter Battery health as a number, for example 85."),
        (IMEI, "490154203237519", "measured_value_invalid", "An IMEI is 15 digits with a valid check digit"),
        (IMEI, "49015420323751", "measured_value_invalid", "An IMEI is 15 digits with a valid check digit"),
        (PLAIN, "3", "measured_value_invalid", "Frame is pass or defect only; it takes no measured value."),
    ],
)
def test_bad_measured_values_get_a_clear_message(check, raw, code, message):
    with pytest.raises(InspectionError) as caught:
        validate_measured_value(check, raw)

    assert caught.value.code == code
    assert caught.value.field == "measured_value"
    assert message in str(caught.value)


def test_limits_come_from_the_check():
    check = CheckData(
        "x", "function", "minor", "Capacity", "容量", measure="number", max_value=Decimal("4096")
    )

    assert validate_measured_value(check, "-5") == "-5"
    with pytest.raises(InspectionError, match="must be at most 4096"):
        validate_measured_value(check, "5000")
