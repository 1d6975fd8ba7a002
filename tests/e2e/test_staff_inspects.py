"""An inspector's shift at the bench on a phone-sized screen: sign in, take the next item from the
queue, answer every check (each group saved with htmx, the grade preview following), complete it as
passed, and open the public report, which shows the grade.

The checklist is made here, small and explicit, so the test reads on its own.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspection.models import Check, Checklist, Inspection, InspectionStatus, MeasureKind, Severity
from tests.factories import CategoryFactory, InspectionFactory
from tests.inspection.desk_fixtures import inspector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def queued_item() -> Inspection:
    phones = CategoryFactory(name="Phones", name_zh="手机", slug="phones")
    checklist = Checklist.objects.create(category=phones, version=3)
    for position, (code, group, label, severity, measure) in enumerate(
        [
            ("screen-cracks", "screen", "No cracks in the screen", Severity.MAJOR, MeasureKind.NONE),
            ("battery-health", "function", "Battery health", Severity.MAJOR, MeasureKind.NUMBER),
            ("back-glass", "appearance", "Back glass", Severity.MINOR, MeasureKind.NONE),
        ],
        start=1,
    ):
        Check.objects.create(
            checklist=checklist,
            code=code,
            group=group,
            label=label,
            severity=severity,
            measure=measure,
            unit="%" if measure == MeasureKind.NUMBER else "",
            min_value=Decimal(0) if measure == MeasureKind.NUMBER else None,
            max_value=Decimal(100) if measure == MeasureKind.NUMBER else None,
            position=position,
        )
    # Someone else's item that came in later, to show that "next" means the oldest.
    InspectionFactory(category=phones, title="Galaxy S21", created_at=timezone.now() - timedelta(hours=1))
    return InspectionFactory(
        category=phones, title="iPhone 13 Pro 256GB", created_at=timezone.now() - timedelta(days=2)
    )


def test_an_inspector_inspects_the_next_item_and_the_public_report_shows_the_grade(page, queued_item):
    inspector(username="mei", password=PASSWORD)

    page.goto("/staff/inspection/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inspection queue")
    expect(page.locator("#queue li").first).to_contain_text("iPhone 13 Pro 256GB")
    expect(page.locator("#queue li").first).to_contain_text("2 days")
    page.get_by_role("button", name="Take the next item").click()

    expect(page).to_have_url(re.compile(rf"/staff/inspection/{queued_item.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("iPhone 13 Pro 256GB")
    expect(page.locator("#ib-preview")).to_contain_text("0 of 3 checks answered")

    # The first group is open; each group is saved with its own button.
    screen = _row(page, "No cracks in the screen")
    screen.get_by_text("Pass", exact=True).click()
    _save_group(page, "No cracks in the screen")
    expect(_row(page, "No cracks in the screen")).to_contain_text("Saved: Pass")
    expect(page.locator("#ib-preview")).to_contain_text("1 of 3 checks answered")

    # A value out of range is explained on the row and nothing is saved; then the right one is. The
    # next group opened by itself when the first was done.
    battery = _row(page, "Battery health")
    expect(battery).to_be_visible()
    expect(battery).to_contain_text("Between 0 and 100 %")
    battery.get_by_text("Pass", exact=True).click()
    battery.get_by_label("Measured value (%)").fill("190")
    _save_group(page, "Battery health")
    battery = _row(page, "Battery health")
    expect(battery.locator(".ib-errors")).to_be_visible()
    expect(page.locator("#ib-preview")).to_contain_text("1 of 3 checks answered")
    battery.get_by_label("Measured value (%)").fill("91")
    _save_group(page, "Battery health")
    expect(_row(page, "Battery health")).to_contain_text("Saved: Pass")

    back = _row(page, "Back glass")
    back.get_by_text("Defect", exact=True).click()
    back.get_by_label(re.compile("^Note")).fill("Hairline scratch near the camera")
    _save_group(page, "Back glass")
    expect(_row(page, "Back glass")).to_contain_text("Saved: Defect")
    expect(page.locator("#ib-preview")).to_contain_text("3 of 3 checks answered")
    expect(page.locator("#ib-grade")).to_have_text("Excellent")

    page.get_by_role("button", name="Complete as passed").click()
    expect(page.locator(".ib-result")).to_contain_text("Passed")
    queued_item.refresh_from_db()
    assert (queued_item.status, queued_item.grade) == (InspectionStatus.COMPLETED, "A")

    page.locator("a.ib-report-link").click()
    expect(page).to_have_url(re.compile(rf"/r/{queued_item.report.code}/$"))
    expect(page.locator("main")).to_contain_text("Grade A · Excellent")
    expect(page.locator("main")).to_contain_text("Hairline scratch near the camera")


def _row(page, label: str):
    """One check of the checklist, found by its label."""
    return page.locator("[data-check]", has_text=label)


def _save_group(page, label: str) -> None:
    """Press "Save group" in the group of the check labelled `label`."""
    page.locator("section.ib-group", has=_row(page, label)).get_by_role("button", name="Save group").click()
