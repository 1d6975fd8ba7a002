"""Publishing the public inspection report.

A report is a snapshot: `content` holds everything the page and the PDF show, so a report reads the
same after the checklist, the catalog or the inspector's account change. It stores codes (grade,
outcome, severity, fail reason) and both languages of the names it copies, and the page renders
labels in the reader's language. It never holds personal data of the seller: no name, username,
e-mail, address or submission code, and of the staff only the inspector's initials.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspection.errors import InspectionError
from inspection.models import (
    CheckResult,
    Inspection,
    InspectionResult,
    Report,
    Verdict,
)
from listings.selectors import category_is_luxury
from listings.services import listing_mark_inspected

# Bumped when the shape of `content` changes, so that a reader can tell old snapshots apart.
CONTENT_SCHEMA = 1


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 (hex) of the content's canonical JSON: what the page and the PDF print for checking."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def initials(user: User | None) -> str:
    """ "Li Yang" → "L. Y."; a name written without spaces (李阳) gives its first character."""
    if user is None:
        return ""
    name = (user.get_full_name() or user.display_name or user.username).strip()
    return " ".join(f"{word[0].upper()}." for word in name.split()[:3])


def _authenticity(inspection: Inspection) -> dict[str, Any] | None:
    """For luxury categories (or wherever verdicts were given): the outcome and whether two different
    authenticators agreed on it. No names."""
    verdicts = list(inspection.verdicts.all())
    if not verdicts and inspection.authenticated is None and not category_is_luxury(inspection.category):
        return None
    genuine = {verdict.by_id for verdict in verdicts if verdict.verdict == Verdict.GENUINE}
    counterfeit = {verdict.by_id for verdict in verdicts if verdict.verdict == Verdict.COUNTERFEIT}
    if inspection.authenticated is True:
        agreeing = len(genuine)
    elif inspection.authenticated is False:
        agreeing = len(counterfeit)
    else:
        agreeing = 0
    authenticity: dict[str, Any] = {
        "authenticated": inspection.authenticated,
        "two_agreed": agreeing >= 2 and not inspection.escalated,
    }
    if inspection.escalated:
        # The first two disagreed and a third decided: the report says so rather than "two agreed".
        authenticity["escalated"] = True
    return authenticity


def _check(result: CheckResult) -> dict[str, Any]:
    check = result.check_item
    return {
        "code": check.code,
        "group": check.group,
        "label": check.label,
        "label_zh": check.label_zh,
        "severity": check.severity,
        "outcome": result.outcome,
        "note": result.note,
        "measured_value": result.measured_value,
        "unit": check.unit if result.measured_value else "",
        "photo_key": result.photo_key,
    }


def report_content(inspection: Inspection, *, completed_at: datetime) -> dict[str, Any]:
    """The public snapshot of a completed inspection (see the module docstring for what it leaves out)."""
    category = inspection.category
    catalog_model = inspection.catalog_model
    brand = catalog_model.brand if catalog_model is not None else None
    checklist = inspection.checklist
    results = inspection.results.select_related("check_item").order_by("check_item__position", "id")
    if checklist is not None:
        # Only the answers to the checklist the inspection was completed with.
        results = results.filter(check_item__checklist=checklist)
    return {
        "schema": CONTENT_SCHEMA,
        "category": {"slug": category.slug, "name": category.name, "name_zh": category.name_zh},
        "brand": {"name": brand.name, "name_zh": brand.name_zh} if brand is not None else None,
        "catalog_model": catalog_model.name if catalog_model is not None else "",
        "title": inspection.title,
        "grade": inspection.grade,
        "result": inspection.result,
        "fail_reason": inspection.fail_reason if inspection.result == InspectionResult.FAILED else "",
        "authenticity": _authenticity(inspection),
        "checks": [_check(result) for result in results],
        "inspector": initials(inspection.inspector),
        "completed_at": completed_at.isoformat(),
        "checklist": (
            {"category": checklist.category.slug, "version": checklist.version}
            if checklist is not None
            else None
        ),
    }


@transaction.atomic
def report_publish(*, inspection: Inspection) -> Report:
    """Publish the inspection's public report and return it; publishing again returns the same report.

    The caller holds the inspection's row lock (select_for_update) inside its transaction and has set
    the result (and grade, fail reason, authenticity, completed_at). When the inspection has a listing
    and passed, the listing gets the report's code, the grade and the badges.
    """
    if not inspection.result:
        raise InspectionError(_("An inspection is published only once it has a result."), code="no_result")
    existing = Report.objects.filter(inspection=inspection).first()
    if existing is not None:
        return existing
    # The caller's instance, not a fresh read: it carries the result the caller has just decided.
    completed_at = inspection.completed_at or timezone.now()
    content = report_content(inspection, completed_at=completed_at)
    report = Report.objects.create(inspection=inspection, content=content, content_hash=content_hash(content))
    if inspection.listing_id is not None and inspection.result == InspectionResult.PASSED:
        listing_mark_inspected(
            listing_id=inspection.listing_id,
            report_code=report.code,
            inspected_at=completed_at,
            grade=inspection.grade,
            authenticated=inspection.authenticated is True,
        )
    return report
