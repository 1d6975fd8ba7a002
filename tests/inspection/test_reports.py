"""Publishing the public inspection report, the report page and its PDF."""

import json
import os
import re
import time
from datetime import UTC, datetime
from functools import partial
from hashlib import sha256

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from reportlab.lib.pagesizes import A4

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
from inspection.reports import authenticity_summary
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
from tests.live.clip_fixtures import a_clip

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


# --- The page and the PDF ------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The text of an uncompressed PDF's string literals, each read as Latin-1 (Helvetica) and as
    UTF-16 (the Chinese CID font's encoding), so that a test can search both."""
    strings = []
    for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", pdf, flags=re.DOTALL):
        raw = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda match: (
                bytes([int(match.group(1), 8)])
                if match.group(1)[:1].isdigit()
                else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(match.group(1), match.group(1))
            ),
            literal,
            flags=re.DOTALL,
        )
        strings.append(raw.decode("latin-1"))
        if len(raw) % 2 == 0:
            strings.append(raw.decode("utf-16-be", errors="replace"))
    return "\n".join(strings)


@pytest.fixture
def uncompressed_pdfs(monkeypatch):
    """Make the PDF view write uncompressed PDFs, so their text can be searched."""
    from inspection import report_pdf

    monkeypatch.setattr(report_pdf, "report_pdf", partial(report_pdf.report_pdf, compress=False))


def test_the_report_page_is_public_and_shows_the_result(client):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    response = client.get(f"/r/{report.code}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Apple iPhone 13" in page
    assert "Phones" in page
    assert "Grade B · Very good" in page
    assert "Light wear you can see up close" in page
    assert "Passed inspection" in page
    assert "L. Y." in page
    assert "Phones, version 3" in page
    assert "3 checked, 1 with a defect" in page
    assert "Activation lock off" in page and "Battery health" in page and "Back glass" in page
    assert "91%" in page
    assert "Hairline scratch near the camera" in page
    assert 'src="/media/inspection/ab/ab12cd34ef56ab12cd34ef56.jpg"' in page
    assert report.content_hash in page
    assert f'href="/r/{report.code}.pdf"' in page
    assert "How our grades compare" in page and "Back Market" in page and "9成新" in page


def test_the_page_and_the_pdf_show_no_personal_data_of_the_seller(client, uncompressed_pdfs):
    inspection, owner, submission = completed_inspection()
    report = report_publish(inspection=inspection)

    page = client.get(f"/r/{report.code}/").content.decode()
    pdf = pdf_text(client.get(f"/r/{report.code}.pdf").content)

    for value in personal_data(owner, submission):
        assert value not in page
        assert value not in pdf


def test_a_failed_report_says_why(client):
    inspection, _owner, _submission = completed_inspection(
        result=InspectionResult.FAILED, grade="", fail_reason=FailReason.COUNTERFEIT
    )
    report = report_publish(inspection=inspection)

    page = client.get(f"/r/{report.code}/").content.decode()

    assert "Failed inspection: Counterfeit" in page
    assert "grade-large" not in page


def test_an_authenticated_report_shows_that_two_authenticators_agreed(client):
    category = CategoryFactory(slug="bags", name="Bags", name_zh="包袋", is_luxury=True)
    inspection, _owner, _submission = completed_inspection(category=category, authenticated=True)
    AuthenticityVerdict.objects.create(inspection=inspection, by=UserFactory(), verdict=Verdict.GENUINE)
    AuthenticityVerdict.objects.create(inspection=inspection, by=UserFactory(), verdict=Verdict.GENUINE)
    report = report_publish(inspection=inspection)

    page = client.get(f"/r/{report.code}/").content.decode()

    assert "two authenticators independently agreed that this item is genuine" in page


def test_a_counterfeit_says_so_without_naming_the_authenticators(client):
    category = CategoryFactory(slug="watches", name="Watches", name_zh="手表", is_luxury=True)
    inspection, _owner, _submission = completed_inspection(
        category=category,
        result=InspectionResult.FAILED,
        grade="",
        fail_reason=FailReason.COUNTERFEIT,
        authenticated=False,
    )
    for name in ("Ada", "Bo"):
        AuthenticityVerdict.objects.create(
            inspection=inspection, by=UserFactory(first_name=name), verdict=Verdict.COUNTERFEIT
        )
    report = report_publish(inspection=inspection)

    page = client.get(f"/r/{report.code}/").content.decode()

    assert report.content["authenticity"] == {"authenticated": False, "two_agreed": True}
    assert "Not authenticated: the authenticators found this item is not genuine." in page
    assert "Failed inspection: Counterfeit" in page
    assert "Ada" not in page


def test_an_unknown_code_is_not_found(client):
    assert client.get("/r/ZZZZ2222/").status_code == 404
    assert client.get("/r/ZZZZ2222.pdf").status_code == 404
    assert client.get("/r/zzzz1111/").status_code == 404  # 1 is not in the alphabet


def test_a_code_typed_in_lower_case_redirects_to_the_canonical_page(client):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    response = client.get(f"/r/{report.code.lower()}/")

    assert response.status_code == 301
    assert response["Location"] == f"/r/{report.code}/"


def test_the_chinese_page_shows_chinese_check_labels_and_names(client):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    response = client.get(f"/zh-hans/r/{report.code}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "激活锁已关闭" in page and "电池健康度" in page and "背部玻璃" in page
    assert "Activation lock off" not in page
    assert "苹果 iPhone 13" in page and "手机" in page
    assert "9成新" in page  # the grade's Chinese label
    assert f'href="/zh-hans/r/{report.code}.pdf"' in page


def test_the_report_page_costs_one_query(client, django_assert_num_queries):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    # One: the report by its code. Everything shown comes from its snapshot; an anonymous visitor
    # has no session to load.
    with django_assert_num_queries(1):
        response = client.get(f"/r/{report.code}/")

    assert response.status_code == 200


def test_the_chinese_report_page_costs_one_query_too(client, django_assert_num_queries):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    with django_assert_num_queries(1):
        response = client.get(f"/zh-hans/r/{report.code}/")

    assert response.status_code == 200


def test_the_report_of_a_listed_item_costs_one_query_more_for_its_clips(client, django_assert_num_queries):
    listing = ListingFactory()
    inspection, _owner, _submission = completed_inspection(listing=listing)
    report = report_publish(inspection=inspection)
    clip = a_clip(listing)

    # 1 the report by its code, with the listing the item became; 1 the item's explanation clips
    # with their shows' titles (listings.explanations, answered by live)
    with django_assert_num_queries(2):
        response = client.get(f"/r/{report.code}/")

    assert clip.video_url in response.content.decode()


def test_the_report_shows_how_the_host_explained_the_item_in_live_shows(client):
    listing = ListingFactory(title="iPhone 13 midnight")
    inspection, _owner, _submission = completed_inspection(listing=listing)
    report = report_publish(inspection=inspection)
    clip = a_clip(listing, title="Phones, tested live")
    other_clip = a_clip(ListingFactory(), title="Another show")

    page = client.get(f"/r/{report.code}/").content.decode()

    assert "Watch the host explain it" in page
    assert f'src="{clip.video_url}"' in page and f'poster="{clip.poster_url}"' in page
    assert '<video controls preload="none" playsinline' in page
    assert "Phones, tested live" in page
    assert 'aria-label="The host explains Apple iPhone 13 in the live show “Phones, tested live”, ' in page
    assert other_clip.video_url not in page and "Another show" not in page


def test_a_report_whose_item_has_no_clips_says_nothing_of_them(client):
    inspection, _owner, _submission = completed_inspection(listing=ListingFactory())
    report = report_publish(inspection=inspection)

    assert "Watch the host explain it" not in client.get(f"/r/{report.code}/").content.decode()


def test_the_listing_page_links_to_the_published_report(client, django_capture_on_commit_callbacks):
    listing = ListingFactory(title="iPhone 13 midnight")
    inspection, _owner, _submission = completed_inspection(listing=listing)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_publish(inspection=inspection)

    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()

    assert f'href="/r/{report.code}/"' in page
    assert client.get(f"/r/{report.code}/").status_code == 200


def test_the_pdf_is_an_a4_pdf_with_the_report_and_page_numbers(client, uncompressed_pdfs):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    response = client.get(f"/r/{report.code}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="reloop-report-{report.code}.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type /Page\b", pdf)
    assert len(pages) >= 1
    media_box = re.search(rb"/MediaBox \[\s*([\d.\s]+)\]", pdf).group(1).split()
    assert [round(float(value)) for value in media_box] == [0, 0, round(A4[0]), round(A4[1])]
    text = pdf_text(pdf)
    assert "Apple iPhone 13" in text
    assert "Battery health" in text and "91%" in text
    assert "Hairline scratch near the camera" in text
    assert "L. Y." in text
    assert report.content_hash in text
    assert f"Page 1 of {len(pages)}" in text
    assert f"http://testserver/r/{report.code}/" in text


def test_a_long_report_runs_over_several_numbered_pages(client, uncompressed_pdfs):
    inspection, _owner, _submission = completed_inspection()
    inspector = inspection.inspector
    for number in range(70):
        check = Check.objects.create(
            checklist=inspection.checklist,
            code=f"extra-{number}",
            group="function",
            label=f"Extra check {number}",
            label_zh=f"附加检查{number}",
            severity=Severity.MINOR,
            position=10 + number,
        )
        CheckResult.objects.create(
            inspection=inspection, check_item=check, outcome=CheckOutcome.PASS, recorded_by=inspector
        )
    report = report_publish(inspection=inspection)

    text = pdf_text(client.get(f"/r/{report.code}.pdf").content)

    total = int(re.search(r"Page 1 of (\d+)", text).group(1))
    assert total >= 2
    assert all(f"Page {number} of {total}" in text for number in range(1, total + 1))
    assert "Extra check 69" in text


def test_the_chinese_pdf_sets_chinese_check_labels_in_the_cjk_font(client, uncompressed_pdfs):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    response = client.get(f"/zh-hans/r/{report.code}.pdf")

    assert response.status_code == 200
    assert b"/BaseFont /STSong-Light" in response.content
    text = pdf_text(response.content)
    assert "激活锁已关闭" in text and "电池健康度" in text
    assert "Activation lock off" not in text
    assert (
        f"http://testserver/zh-hans/r/{report.code}/" in text
    )  # the QR code and link go to the Chinese page


def test_the_pdf_embeds_a_check_photo_when_its_file_exists(client, uncompressed_pdfs, settings):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)
    photo = settings.MEDIA_ROOT / "inspection" / "ab" / "ab12cd34ef56ab12cd34ef56.jpg"
    photo.parent.mkdir(parents=True)
    PILImage.new("RGB", (1600, 1200), (200, 120, 40)).save(photo, format="JPEG")

    pdf = client.get(f"/r/{report.code}.pdf").content

    assert b"/Subtype /Image" in pdf
    assert b"/Width 360" in pdf  # scaled down for print, not the full photo


def test_the_stored_hash_matches_a_recomputation_after_a_round_trip_through_the_database():
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    stored = Report.objects.get(pk=report.pk)

    canonical = json.dumps(stored.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert sha256(canonical.encode("utf-8")).hexdigest() == stored.content_hash


def test_a_counterfeit_found_at_inspection_does_not_credit_authenticators():
    assert (
        authenticity_summary({"authenticated": False, "two_agreed": False})
        == "Found not genuine at inspection."
    )
    assert "authenticators" in authenticity_summary({"authenticated": False, "two_agreed": True})


# --- IMEI and serial numbers: the last 4 characters in public, whole for staff -------------------

IMEI = "356938035643809"
SERIAL = "C02XK1ZJJG5J"


def inspection_with_identifiers():
    """The phone of `completed_inspection`, with its IMEI and serial number recorded as the phone
    checklist records them (text checks "imei-recorded" and "serial-number")."""
    inspection, _owner, _submission = completed_inspection()
    for position, (code, label, value) in enumerate(
        [("imei-recorded", "IMEI recorded", IMEI), ("serial-number", "Serial number recorded", SERIAL)],
        start=20,
    ):
        check = Check.objects.create(
            checklist=inspection.checklist,
            code=code,
            group="identity",
            label=label,
            label_zh=label,
            severity=Severity.MAJOR,
            measure=MeasureKind.TEXT,
            position=position,
        )
        CheckResult.objects.create(
            inspection=inspection,
            check_item=check,
            outcome=CheckOutcome.PASS,
            measured_value=value,
            recorded_by=inspection.inspector,
        )
    return inspection


def test_the_public_page_shows_only_the_last_4_characters_of_the_imei_and_serial(client):
    report = report_publish(inspection=inspection_with_identifiers())

    page = client.get(f"/r/{report.code}/").content.decode()

    assert "•••• 3809" in page and "•••• JG5J" in page
    assert IMEI not in page and SERIAL not in page
    assert "35693803564" not in page and "C02XK1ZJ" not in page
    assert "91%" in page  # other measured values are shown as measured
    assert "Staff view" not in page
    assert Report.objects.get(pk=report.pk).content["checks"][-2]["measured_value"] == IMEI  # stored whole


def test_the_public_pdf_shows_only_the_last_4_characters_of_the_imei_and_serial(client, uncompressed_pdfs):
    report = report_publish(inspection=inspection_with_identifiers())

    text = pdf_text(client.get(f"/r/{report.code}.pdf").content)

    assert "3809" in text and "JG5J" in text
    assert IMEI not in text and "35693803564" not in text
    assert SERIAL not in text and "C02XK1ZJ" not in text


def test_staff_who_open_the_report_see_the_identifiers_whole_on_a_page_no_cache_keeps(client):
    from tests.recycling.shipping_fixtures import staff_user

    report = report_publish(inspection=inspection_with_identifiers())
    client.force_login(staff_user("inspectors"))

    response = client.get(f"/r/{report.code}/")

    page = response.content.decode()
    assert IMEI in page and SERIAL in page
    assert "Staff view: IMEI and serial numbers are shown in full." in page
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_shopper_sees_the_public_report(client):
    report = report_publish(inspection=inspection_with_identifiers())
    client.force_login(UserFactory())

    page = client.get(f"/r/{report.code}/").content.decode()

    assert IMEI not in page and "•••• 3809" in page


def test_the_staff_pdf_is_the_public_one(client, uncompressed_pdfs):
    from tests.recycling.shipping_fixtures import staff_user

    report = report_publish(inspection=inspection_with_identifiers())
    client.force_login(staff_user("inspectors"))

    text = pdf_text(client.get(f"/r/{report.code}.pdf").content)

    assert IMEI not in text and "3809" in text


# --- The PDF is rendered once per report version -------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs rendered, by language."""
    from inspection import report_pdf

    counted: list[str] = []
    render = report_pdf.report_pdf

    def counting(report, **kwargs):
        from django.utils.translation import get_language

        counted.append(get_language())
        return render(report, **kwargs)

    monkeypatch.setattr(report_pdf, "report_pdf", counting)
    return counted


def test_a_second_request_for_the_pdf_is_served_without_rendering_it_again(client, renders):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    first = client.get(f"/r/{report.code}.pdf")
    second = client.get(f"/r/{report.code}.pdf")

    assert renders == ["en"]
    assert second.status_code == 200 and second["Content-Type"] == "application/pdf"
    assert second.content == first.content


def test_each_language_is_rendered_once(client, renders):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)

    for _ in range(2):
        client.get(f"/r/{report.code}.pdf")
        client.get(f"/zh-hans/r/{report.code}.pdf")

    assert sorted(renders) == ["en", "zh-hans"]


def test_a_half_written_pdf_is_never_served_and_a_stale_one_is_replaced(client, renders, settings):
    from inspection.report_pdf import report_pdf_name

    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)
    name = report_pdf_name(report, page_url=f"http://testserver/r/{report.code}/", language="en")
    half = settings.PRIVATE_MEDIA_ROOT / name
    half.parent.mkdir(parents=True)
    half.write_bytes(b"%PDF-1.4\n% a writer stopped here")
    an_hour_ago = time.time() - 3600
    os.utime(half, (an_hour_ago, an_hour_ago))

    responses = [client.get(f"/r/{report.code}.pdf") for _ in range(3)]

    assert all(response.content.rstrip().endswith(b"%%EOF") for response in responses)
    # The first request serves its own render and clears the broken file; the second stores its render;
    # the third is served from storage.
    assert renders == ["en", "en"]


def test_another_version_of_a_report_gets_its_own_pdf(client, renders):
    inspection, _owner, _submission = completed_inspection()
    report = report_publish(inspection=inspection)
    client.get(f"/r/{report.code}.pdf")
    # A report with other content (a corrected snapshot) is another version: its hash differs.
    content = report.content | {"grade": "A"}
    Report.objects.filter(pk=report.pk).update(
        content=content,
        content_hash=sha256(
            json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        ).hexdigest(),
    )

    client.get(f"/r/{report.code}.pdf")
    client.get(f"/r/{report.code}.pdf")

    assert renders == ["en", "en"]  # once for each version
