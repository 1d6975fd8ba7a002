"""Publishing the public inspection report, the report page and its PDF."""

import json
from datetime import UTC, datetime
from hashlib import sha256

import pytest

from inspection.errors import InspectionError
from inspection.models import (
    AuthenticityVerdict,
    Check,
    Checklist,
    CheckOutcome,
    CheckResult,
    FailReason,
    InspectionResult,
    InspectionStatus,
    MeasureKind,
    Report,
    Severity,
    Verdict,
)
from inspection.services.reports import initials, report_publish
from listings.models import Grade
from tests.factories import (
    BrandFactory,
    CatalogModelFactory,
    CategoryFactory,
    InspectionFactory,
    ListingFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COMPLETED_AT = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)


def seller():
    return UserFactory(
        username="quillseller",
        display_name="Marguerite Quill",
        email="marguerite.quill@example.org",
        city="Zhangjiakou",
    )


def phone_checklist(category):
    checklist = Checklist.objects.create(category=category, version=3)
    checks = [
        Check.objects.create(
            checklist=checklist,
            code="activation-lock",
            group="function",
            label="Activation lock off",
            label_zh="激活锁已关闭",
            severity=Severity.CRITICAL,
            position=1,
        ),
        Check.objects.create(
            checklist=checklist,
            code="battery-health",
            group="function",
            label="Battery health",
            label_zh="电池健康度",
            severity=Severity.MAJOR,
            measure=MeasureKind.NUMBER,
            unit="%",
            position=2,
        ),
        Check.objects.create(
            checklist=checklist,
            code="back-glass",
            group="appearance",
            label="Back glass",
            label_zh="背部玻璃",
            severity=Severity.MINOR,
            position=3,
        ),
    ]
    return checklist, checks


def completed_inspection(*, result=InspectionResult.PASSED, grade=Grade.VERY_GOOD, **overrides):
    """A phone inspected by Li Yang against a three-check list, completed; the seller's submission
    exists with a code and an owner whose details must never reach the report."""
    owner = seller()
    submission = SubmissionFactory(seller=owner)
    category = CategoryFactory(slug="phones", name="Phones", name_zh="手机")
    model = CatalogModelFactory(
        brand=BrandFactory(slug="apple", name="Apple", name_zh="苹果"), category=category, name="iPhone 13"
    )
    checklist, checks = phone_checklist(category)
    inspector = UserFactory(username="lyang", first_name="Li", last_name="Yang")
    values = {
        "subject_code": submission.code,
        "category": category,
        "catalog_model": model,
        "title": "iPhone 13 128 GB midnight",
        "status": InspectionStatus.COMPLETED,
        "checklist": checklist,
        "inspector": inspector,
        "computed_grade": grade,
        "grade": grade,
        "result": result,
        "completed_at": COMPLETED_AT,
    }
    inspection = InspectionFactory(**(values | overrides))
    CheckResult.objects.create(
        inspection=inspection, check_item=checks[0], outcome=CheckOutcome.PASS, recorded_by=inspector
    )
    CheckResult.objects.create(
        inspection=inspection,
        check_item=checks[1],
        outcome=CheckOutcome.PASS,
        measured_value="91",
        recorded_by=inspector,
    )
    CheckResult.objects.create(
        inspection=inspection,
        check_item=checks[2],
        outcome=CheckOutcome.DEFECT,
        note="Hairline scratch near the camera",
        photo_key="ab12cd34ef56ab12cd34ef56",
        recorded_by=inspector,
    )
    return inspection, owner, submission


def personal_data(owner, submission) -> list[str]:
    return [owner.username, owner.display_name, owner.email, owner.city, submission.code]


# --- Publishing ----------------------------------------------------------------------------------


def test_publishing_snapshots_the_result_and_hashes_its_canonical_json():
    inspection, _owner, _submission = completed_inspection()

    report = report_publish(inspection=inspection)

    content = report.content
    assert content["category"] == {"slug": "phones", "name": "Phones", "name_zh": "手机"}
    assert content["brand"] == {"name": "Apple", "name_zh": "苹果"}
    assert content["catalog_model"] == "iPhone 13"
    assert content["grade"] == "B"
    assert content["result"] == "passed"
    assert content["fail_reason"] == ""
    assert content["authenticity"] is None
    assert content["inspector"] == "L. Y."
    assert content["checklist"] == {"category": "phones", "version": 3}
    assert datetime.fromisoformat(content["completed_at"]) == COMPLETED_AT
    assert [check["code"] for check in content["checks"]] == [
        "activation-lock",
        "battery-health",
        "back-glass",
    ]
    assert content["checks"][1] == {
        "code": "battery-health",
        "group": "function",
        "label": "Battery health",
        "label_zh": "电池健康度",
        "severity": "major",
        "outcome": "pass",
        "note": "",
        "measured_value": "91",
        "unit": "%",
        "photo_key": "",
    }
    assert content["checks"][2]["photo_key"] == "ab12cd34ef56ab12cd34ef56"
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert report.content_hash == sha256(canonical.encode()).hexdigest()


def test_the_stored_content_has_no_personal_data_of_the_seller():
    inspection, owner, submission = completed_inspection()

    report = report_publish(inspection=inspection)

    stored = json.dumps(Report.objects.get(pk=report.pk).content, ensure_ascii=False)
    for value in personal_data(owner, submission):
        assert value not in stored
    assert "lyang" not in stored and "Yang" not in stored


def test_publishing_twice_returns_the_same_report():
    inspection, _owner, _submission = completed_inspection()

    first = report_publish(inspection=inspection)
    second = report_publish(inspection=inspection)

    assert second.pk == first.pk and second.code == first.code
    assert Report.objects.count() == 1


def test_an_inspection_without_a_result_is_not_published():
    inspection, _owner, _submission = completed_inspection(result="", grade="")

    with pytest.raises(InspectionError) as error:
        report_publish(inspection=inspection)

    assert error.value.code == "no_result"
    assert not Report.objects.exists()


def test_a_failed_inspection_records_why_and_leaves_its_listing_alone():
    listing = ListingFactory(grade=Grade.EXCELLENT)
    inspection, _owner, _submission = completed_inspection(
        result=InspectionResult.FAILED, grade="", fail_reason=FailReason.NOT_AS_DECLARED, listing=listing
    )

    report = report_publish(inspection=inspection)

    assert report.content["result"] == "failed"
    assert report.content["fail_reason"] == "not_as_declared"
    listing.refresh_from_db()
    assert listing.report_code == "" and listing.inspected_at is None


def test_a_passed_inspection_with_a_listing_gives_the_listing_its_grade_badges_and_link(
    django_capture_on_commit_callbacks,
):
    listing = ListingFactory(grade=Grade.EXCELLENT)
    inspection, _owner, _submission = completed_inspection(
        grade=Grade.GOOD, listing=listing, authenticated=True
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = report_publish(inspection=inspection)

    listing.refresh_from_db()
    assert listing.report_code == report.code
    assert listing.inspected_at == COMPLETED_AT
    assert listing.grade == Grade.GOOD
    assert listing.authenticated is True
    assert callbacks, "the listing's cached pages are forgotten once the report commits"


def test_authenticity_says_two_authenticators_agreed_without_naming_them():
    category = CategoryFactory(slug="bags", name="Bags", name_zh="包袋", is_luxury=True)
    inspection, _owner, _submission = completed_inspection(category=category, authenticated=True)
    first = UserFactory(username="auth-one", first_name="Ada", last_name="Byron")
    second = UserFactory(username="auth-two", first_name="Bo", last_name="Chen")
    AuthenticityVerdict.objects.create(inspection=inspection, by=first, verdict=Verdict.GENUINE)
    AuthenticityVerdict.objects.create(inspection=inspection, by=second, verdict=Verdict.GENUINE)

    report = report_publish(inspection=inspection)

    assert report.content["authenticity"] == {"authenticated": True, "two_agreed": True}
    stored = json.dumps(report.content, ensure_ascii=False)
    assert "Byron" not in stored and "auth-one" not in stored and "Chen" not in stored


@pytest.mark.parametrize(
    ("first_name", "last_name", "display_name", "expected"),
    [
        ("Li", "Yang", "", "L. Y."),
        ("", "", "wang xiaoming", "W. X."),
        ("", "", "李阳", "李."),
        ("", "", "", "I."),
    ],
)
def test_the_inspector_is_named_by_initials_only(first_name, last_name, display_name, expected):
    user = UserFactory.build(
        username="inspector", first_name=first_name, last_name=last_name, display_name=display_name
    )
    assert initials(user) == expected
