"""The checklist page saves a group of checks at a time: one POST records every answer of a group,
"Pass every remaining check in this group" passes what has no result yet and leaves recorded results
alone, bad input is refused with a clear message and nothing of the group written, and only the
inspector holding the item may save. The page shows groups folded once answered, the first one with
checks to answer open, and what the seller declared beside them, in a pinned number of queries."""

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspection.checklists import checklists_load
from inspection.models import (
    Check,
    Checklist,
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionEvent,
    MeasureKind,
    Severity,
)
from inspection.services.workbench import check_record, inspection_claim
from inspection.subjects import SubjectDetails
from recycling.models import SubmissionPhoto, Valuation
from recycling.selectors import submission_declarations
from tests.factories import CategoryFactory, InspectionFactory, SubmissionFactory
from tests.inspection.desk_fixtures import answer_all, inspector, queued_inspection

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bench():
    """A category whose checklist has two groups: "screen" (four checks, one measured) and
    "identity" (one check); an inspector holding an item of it."""
    category = CategoryFactory(name="Phones", slug="test-phones")
    checklist = Checklist.objects.create(category=category, version=1)
    for position, (code, group, severity, measure) in enumerate(
        [
            ("glass-scratches", "screen", Severity.MINOR, MeasureKind.NONE),
            ("dead-pixels", "screen", Severity.MAJOR, MeasureKind.NONE),
            ("brightness", "screen", Severity.MAJOR, MeasureKind.NUMBER),
            ("touch", "screen", Severity.MAJOR, MeasureKind.NONE),
            ("imei-clean", "identity", Severity.CRITICAL, MeasureKind.NONE),
        ],
        start=1,
    ):
        Check.objects.create(
            checklist=checklist,
            code=code,
            group=group,
            label=code.replace("-", " ").capitalize(),
            severity=severity,
            measure=measure,
            unit="nits" if measure == MeasureKind.NUMBER else "",
            min_value=Decimal(0) if measure == MeasureKind.NUMBER else None,
            max_value=Decimal(2000) if measure == MeasureKind.NUMBER else None,
            position=position,
        )
    me = inspector()
    item = InspectionFactory(category=category, title="Pixel 7")
    inspection_claim(inspection_id=item.pk, inspector=me)
    item.refresh_from_db()
    return item, me


def _check(item: Inspection, code: str) -> Check:
    return Check.objects.get(checklist_id=item.checklist_id, code=code)


def _url(item: Inspection, group: str = "screen") -> str:
    return reverse("inspection:group_save", args=[item.pk, group])


def _answer(item: Inspection, code: str, **values) -> dict:
    prefix = f"check-{_check(item, code).pk}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


def _recorded(item: Inspection) -> dict[str, tuple[str, str, str]]:
    return {
        result.check_item.code: (result.outcome, result.note, result.measured_value)
        for result in CheckResult.objects.filter(inspection=item).select_related("check_item")
    }


def _check_events(item: Inspection) -> int:
    return InspectionEvent.objects.filter(inspection=item, message="check.recorded").count()


# --- One save per group ------------------------------------------------------------------------------


def test_one_post_saves_every_answer_of_a_group(client, bench):
    # given
    item, me = bench
    client.force_login(me)
    data = {
        **_answer(item, "glass-scratches", outcome="defect", note="Two light scratches"),
        **_answer(item, "dead-pixels", outcome="pass"),
        **_answer(item, "brightness", outcome="pass", measured_value="620 nits"),
        **_answer(item, "touch", outcome="pass"),
        "action": "save",
    }
    # when
    response = client.post(_url(item), data)
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection:inspect", args=[item.pk]) + "#group-1"
    assert _recorded(item) == {
        "glass-scratches": ("defect", "Two light scratches", ""),
        "dead-pixels": ("pass", "", ""),
        "brightness": ("pass", "", "620"),
        "touch": ("pass", "", ""),
    }
    assert _check_events(item) == 4
    html = client.get(response["Location"]).content.decode()
    assert "Screen: 4 checks saved." in html
    # the group is folded now that it is answered, and the next one is open
    assert '<details class="ib-group-details">' in html.split('id="group-2"')[0].split('id="group-1"')[1]
    assert '<details class="ib-group-details" open>' in html.split('id="group-2"')[1]


def test_with_htmx_the_group_swaps_itself_with_the_grade_preview_alongside(client, bench):
    item, me = bench
    client.force_login(me)
    data = {
        **_answer(item, "dead-pixels", outcome="pass"),
        **_answer(item, "touch", outcome="pass"),
        "action": "save",
    }

    response = client.post(_url(item), data, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="group-1" class="ib-group"')
    assert "2 checks saved." in html
    assert "2 of 4 answered" in html
    # still checks to answer: the group stays open, with its "pass the rest" button
    assert '<details class="ib-group-details" open>' in html
    assert "Pass every remaining check in this group" in html
    assert 'id="ib-preview"' in html and 'data-hx-swap-oob="true"' in html
    assert "2 of 5 checks answered" in html


def test_saving_the_same_answers_again_changes_nothing(client, bench):
    item, me = bench
    check_record(inspection_id=item.pk, inspector=me, check_id=_check(item, "touch").pk, outcome="pass")
    before = CheckResult.objects.get(inspection=item).recorded_at
    client.force_login(me)

    response = client.post(_url(item), {**_answer(item, "touch", outcome="pass", note=""), "action": "save"})

    assert response.status_code == 302
    assert CheckResult.objects.get(inspection=item).recorded_at == before
    assert _check_events(item) == 1
    assert (
        "Nothing to save: no answer in this group changed."
        in client.get(response["Location"]).content.decode()
    )


# --- Pass every remaining check in this group --------------------------------------------------------


def test_pass_remaining_leaves_a_recorded_defect_as_it_is_and_passes_the_rest(client, bench):
    # given a defect recorded on one check of the group, and the measured value typed for another
    item, me = bench
    check_record(
        inspection_id=item.pk,
        inspector=me,
        check_id=_check(item, "dead-pixels").pk,
        outcome="defect",
        note="Stuck pixel, upper left",
    )
    defect = CheckResult.objects.get(inspection=item)
    client.force_login(me)
    # the form as the browser sends it: the recorded defect comes back as it was shown
    data = {
        **_answer(item, "glass-scratches", note=""),
        **_answer(item, "dead-pixels", outcome="defect", note="Stuck pixel, upper left"),
        **_answer(item, "brightness", measured_value="540"),
        **_answer(item, "touch", note=""),
        "action": "pass_remaining",
    }
    # when
    response = client.post(_url(item), data)
    # then
    assert response.status_code == 302
    assert _recorded(item) == {
        "glass-scratches": ("pass", "", ""),
        "dead-pixels": ("defect", "Stuck pixel, upper left", ""),
        "brightness": ("pass", "", "540"),
        "touch": ("pass", "", ""),
    }
    unchanged = CheckResult.objects.get(pk=defect.pk)
    assert (unchanged.recorded_at, unchanged.recorded_by) == (defect.recorded_at, defect.recorded_by)
    assert _check_events(item) == 1 + 3
    # the other group is not touched
    assert "imei-clean" not in _recorded(item)


def test_pass_remaining_needs_the_measured_value_of_a_check_that_takes_one(client, bench):
    item, me = bench
    client.force_login(me)

    response = client.post(_url(item), {"action": "pass_remaining"})

    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index(f'name="check-{_check(item, "brightness").pk}-measured_value"') :]
    assert "Enter the measured value to pass this check." in field[: field.index("</div>")]
    assert "1 check could not be saved; nothing in this group was saved." in html
    assert not CheckResult.objects.exists()


# --- Bad input ---------------------------------------------------------------------------------------


def _other_inspections_check(item: Inspection) -> int:
    other = queued_inspection()  # a category and a checklist of its own
    inspection_claim(inspection_id=other.pk, inspector=item.inspector)
    return Check.objects.filter(checklist__category=other.category).first().pk


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown check", "That check is not in this group of this item&#x27;s checklist."),
        ("check of another group", "That check is not in this group of this item&#x27;s checklist."),
        ("check of another inspection", "That check is not in this group of this item&#x27;s checklist."),
        ("malformed check input", "That check is not in this group of this item&#x27;s checklist."),
        ("invalid choice", "Choose pass or defect."),
        ("defect without a note", "Describe the defect in the note."),
        ("value out of range", "between 0 and 2000"),
        ("note without an outcome", "Choose pass or defect."),
        ("nothing chosen", "Choose pass or defect for a check, or pass every remaining check in this group."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_input_is_explained_and_nothing_of_the_group_is_written(client, bench, case, message, htmx):
    # given a valid answer in the same POST, which must not be saved either
    item, me = bench
    valid = _answer(item, "touch", outcome="pass")
    bad = {
        "unknown check": {"check-999999-outcome": "pass"},
        "check of another group": _answer(item, "imei-clean", outcome="pass"),
        "check of another inspection": {f"check-{_other_inspections_check(item)}-outcome": "pass"},
        "malformed check input": {f"check-{_check(item, 'touch').pk}-grade": "A"},
        "invalid choice": _answer(item, "dead-pixels", outcome="maybe"),
        "defect without a note": _answer(item, "dead-pixels", outcome="defect", note="  "),
        "value out of range": _answer(item, "brightness", outcome="pass", measured_value="9000"),
        "note without an outcome": _answer(item, "dead-pixels", note="Looks odd"),
        "nothing chosen": {},
    }[case]
    if case == "nothing chosen":
        valid = {}
    client.force_login(me)
    # when
    response = client.post(_url(item), {**valid, **bad, "action": "save"}, **(HTMX if htmx else {}))
    # then: htmx swaps only 2xx answers, so there the refused group is a 200 that shows its errors
    assert response.status_code == (200 if htmx else 400)
    html = response.content.decode()
    assert message in html
    assert 'class="ib-group has-errors"' in html
    assert 'role="alert"' in html
    assert not CheckResult.objects.filter(inspection=item).exists()
    assert _check_events(item) == 0


def test_a_refused_group_keeps_what_was_typed_and_says_which_check_is_at_fault(client, bench):
    item, me = bench
    client.force_login(me)
    data = {
        **_answer(item, "glass-scratches", outcome="defect", note="Light scratch"),
        **_answer(item, "dead-pixels", outcome="defect", note=""),
        "action": "save",
    }

    response = client.post(_url(item), data)

    assert response.status_code == 400
    html = response.content.decode()
    row = html[html.index(f'id="check-{_check(item, "dead-pixels").pk}"') :]
    assert "Describe the defect in the note." in row[: row.index('id="check-', 10)]
    assert 'value="Light scratch"' in html
    assert "1 check could not be saved; nothing in this group was saved." in html
    assert not CheckResult.objects.exists()


def test_a_photo_of_a_refused_group_is_not_kept(client, bench):
    item, me = bench
    client.force_login(me)
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 120, 150)).save(photo, format="JPEG")
    photo.seek(0)
    photo.name = "scratch.jpg"
    data = {
        **_answer(item, "glass-scratches", outcome="defect", note="Scratch", photo=photo),
        **_answer(item, "brightness", outcome="pass", measured_value="-1"),
        "action": "save",
    }

    response = client.post(_url(item), data)

    assert response.status_code == 400
    assert not CheckResult.objects.exists()
    stored = Path(settings.MEDIA_ROOT) / "inspection"
    assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))


def test_a_group_made_in_the_admin_with_any_name_saves_too(client, bench):
    # given a group code typed in the admin: a slash, a space, Chinese
    item, me = bench
    Check.objects.filter(checklist_id=item.checklist_id, group="identity").update(group="锁/ID check")
    client.force_login(me)
    page = client.get(reverse("inspection:inspect", args=[item.pk])).content.decode()
    url = _url(item, "锁/ID check")
    assert f'action="{url}"' in page
    # when
    response = client.post(url, {"action": "pass_remaining"})
    # then
    assert response.status_code == 302
    assert _recorded(item) == {"imei-clean": ("pass", "", "")}


def test_an_unknown_group_is_not_found(client, bench):
    item, me = bench
    client.force_login(me)
    assert client.post(_url(item, "no-such-group"), {"action": "save"}).status_code == 404


# --- Who may save ------------------------------------------------------------------------------------


def test_another_inspector_cannot_save_a_group_of_an_item_they_do_not_hold(client, bench):
    item, _holder = bench
    client.force_login(inspector())
    data = {**_answer(item, "touch", outcome="pass"), "action": "pass_remaining"}

    assert client.post(_url(item), data).status_code == 403
    assert client.post(_url(item), data, **HTMX).status_code == 403
    assert not CheckResult.objects.exists()


def test_an_item_nobody_holds_sends_the_page_to_the_queue(client):
    waiting = queued_inspection()
    client.force_login(inspector())
    url = reverse("inspection:group_save", args=[waiting.pk, "function"])

    plain = client.post(url, {"action": "pass_remaining"})
    with_htmx = client.post(url, {"action": "pass_remaining"}, **HTMX)

    assert plain.status_code == 302 and plain["Location"] == reverse("inspection:queue")
    assert with_htmx.status_code == 204 and with_htmx["HX-Redirect"] == reverse("inspection:queue")
    assert not CheckResult.objects.exists()


def test_someone_outside_the_inspectors_group_is_refused(client, bench):
    item, _holder = bench
    client.force_login(SubmissionFactory().seller)
    assert client.post(_url(item), {"action": "pass_remaining"}).status_code == 403
    assert not CheckResult.objects.exists()


# --- The page -------------------------------------------------------------------------------------------


def test_the_page_folds_answered_groups_and_opens_the_first_with_checks_to_answer(client):
    # given the small checklist: "function" (2 checks) answered, "appearance" (1) not
    me = inspector()
    item = queued_inspection()
    inspection_claim(inspection_id=item.pk, inspector=me)
    answer_all(item, me)
    CheckResult.objects.filter(inspection=item, check_item__group="appearance").delete()
    client.force_login(me)
    # when
    html = client.get(reverse("inspection:inspect", args=[item.pk])).content.decode()
    # then
    assert html.count('<form class="ib-group-form"') == 2
    function, appearance = html.split('id="group-2"')
    assert '<details class="ib-group-details">' in function and "2 of 2 answered" in function
    assert "Pass every remaining check in this group" not in function  # nothing remains there
    assert '<details class="ib-group-details" open>' in appearance and "0 of 1 answered" in appearance
    assert "Pass every remaining check in this group" in appearance
    assert html.count('type="radio"') == 2 * 3  # pass and defect for each check


def _submission_for(item: Inspection):
    submission = SubmissionFactory(
        category=item.category,
        attributes={"storage": "256 GB"},
        condition_answers={"screen_cracks": "no"},
    )
    for view in ("front", "back"):
        SubmissionPhoto.objects.create(
            submission=submission, view=view, key=f"{submission.code}-{view}", width=800, height=800
        )
    Inspection.objects.filter(pk=item.pk).update(subject_code=submission.code)
    return submission


def test_the_page_shows_what_the_seller_declared_with_their_photos(client):
    me = inspector()
    item = queued_inspection(category=CategoryFactory(name="Phones", slug="phones"))
    inspection_claim(inspection_id=item.pk, inspector=me)
    submission = _submission_for(item)
    client.force_login(me)

    html = client.get(reverse("inspection:inspect", args=[item.pk])).content.decode()

    seller = html[html.index('class="ib-seller') : html.index('class="ib-checks"')]
    assert "What the seller declared" in seller
    declared = submission_declarations(codes=[submission.code])[submission.code]
    assert declared.answers  # the storage, and the screen answer
    for question, answer in declared.answers:
        assert str(question) in seller and str(answer) in seller
    for photo in SubmissionPhoto.objects.filter(submission=submission):
        assert reverse("recycling:photo", args=[photo.pk]) + "?w=320" in seller
    # before the checklist in the page, so that a phone shows it above (folded)
    assert html.index("What the seller declared") < html.index('class="ib-group')


def _a_fitting_value(check: Check) -> str:
    if check.measure == MeasureKind.NUMBER:
        return str(check.max_value if check.max_value is not None else check.min_value or 1)
    if check.measure == MeasureKind.TEXT:
        return "356938035643809" if "imei" in check.code else "SN-12345"
    return ""


def test_the_page_shows_what_the_photo_checks_flagged_on_the_sellers_photos(client):
    # The flags come with the seller's declarations (SubjectDetails.photo_flags), from recycling.
    if "photo_flags" not in SubjectDetails.__dataclass_fields__:
        pytest.skip("needs the intake photo flags in inspection.subjects.SubjectDetails")
    me = inspector()
    item = queued_inspection(category=CategoryFactory(name="Phones", slug="phones"))
    inspection_claim(inspection_id=item.pk, inspector=me)
    submission = _submission_for(item)
    Valuation.objects.create(
        submission=submission,
        model_version="test",
        confidence="low",
        photo_flags=[
            {"view": "back", "code": "blurred", "strong": False, "params": {}},
            {"view": "front", "code": "duplicate", "strong": True, "params": {}},
        ],
        expires_at=timezone.now() + timedelta(days=7),
    )
    client.force_login(me)

    html = client.get(reverse("inspection:inspect", args=[item.pk])).content.decode()

    seller = html[html.index('class="ib-seller') : html.index('class="ib-checks"')]
    assert "2 photo flags" in seller  # said on the folded heading too
    flags = seller[seller.index('class="ib-photo-flags"') :]
    assert flags.index('class="is-strong"') < flags.index("Blurred")  # the strong one first


@pytest.mark.parametrize("answered", [False, True], ids=["nothing-answered", "all-answered"])
@pytest.mark.parametrize("from_a_submission", [False, True], ids=["no-submission", "submission"])
def test_the_checklist_page_of_a_phone_runs_a_pinned_number_of_queries(
    client, django_assert_max_num_queries, answered, from_a_submission
):
    # given the real phone checklist (69 checks in 7 groups), answered or not
    phones = CategoryFactory(name="Phones", slug="phones")
    checklists_load()
    me = inspector()
    item = InspectionFactory(category=phones)
    inspection_claim(inspection_id=item.pk, inspector=me)
    item.refresh_from_db()
    if from_a_submission:
        _submission_for(item)
    if answered:
        for each in Check.objects.filter(checklist_id=item.checklist_id):
            check_record(
                inspection_id=item.pk,
                inspector=me,
                check_id=each.pk,
                outcome=CheckOutcome.PASS,
                measured_value=_a_fitting_value(each),
            )
    client.force_login(me)
    # 1 the user, 2 is the user an inspector, 3 whose items they see (providers.scope), 4 the
    # inspection (category, model, inspector, checklist, listing and report joined), 5-7 its checks,
    # results and verdicts (prefetched; the grade preview is computed from them, not read again), 8
    # the submission the seller described (recycling answers by subject code), 9 its photos (only
    # when there is a submission).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("inspection:inspect", args=[item.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(" data-check>") == Check.objects.filter(checklist_id=item.checklist_id).count() == 69
    assert html.count('<form class="ib-group-form"') == 7
    if answered:
        assert CheckResult.objects.filter(inspection=item).count() == 69
        assert CheckResult.objects.filter(outcome=CheckOutcome.PASS).count() == 69


@pytest.mark.parametrize(("group", "size"), [("screen", 9), ("function", 22)])
def test_saving_a_group_runs_the_same_queries_for_9_or_22_checks(
    client, django_assert_num_queries, group, size
):
    phones = CategoryFactory(name="Phones", slug="phones")
    checklists_load()
    me = inspector()
    item = InspectionFactory(category=phones)
    inspection_claim(inspection_id=item.pk, inspector=me)
    client.force_login(me)
    url = reverse("inspection:group_save", args=[item.pk, group])
    # 1 the user, 2 is the user an inspector, 3 whose items they see (providers.scope), 4-7 the
    # inspection with its checks, results and verdicts; then the service: 8 is the user an
    # inspector, 9 a savepoint (its transaction, inside the test's), 10 the inspection locked, 11 the
    # group's checks, 12 their results so far, 13 the new results in one insert, 14 their events in
    # one insert, 15 the savepoint released; 16-19 the inspection read again for the answer. A
    # changed result is one update more each.
    with django_assert_num_queries(19):
        response = client.post(url, {"action": "pass_remaining"}, **HTMX)
    assert response.status_code == 200
    assert CheckResult.objects.filter(inspection=item).count() == size
    assert _check_events(item) == size
