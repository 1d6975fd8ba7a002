"""The inspectors' workbench and the authenticators' pages, through the real services: the queue,
claiming, recording checks (a group of the checklist at a time) with htmx and without, the grade
preview, completing, handing back, and the verdicts. Assertions are on what a person sees and on the
rows the services wrote. tests/inspection/test_workbench_groups.py has the rest of the group forms."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspection.models import (
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionResult,
    InspectionStatus,
    Report,
    Verdict,
)
from inspection.services.authentication import authenticity_verdict_add
from inspection.services.workbench import inspection_claim, inspection_complete
from inspection.views.workbench import waited
from tests.factories import CategoryFactory, InspectionFactory
from tests.inspection.desk_fixtures import answer_all, authenticator, check, inspector, queued_inspection

pytestmark = pytest.mark.django_db

QUEUE = "/staff/inspection/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _claimed(by, **fields) -> Inspection:
    item = queued_inspection(**fields)
    inspection_claim(inspection_id=item.pk, inspector=by)
    item.refresh_from_db()
    return item


def _check_url(item: Inspection, code: str) -> str:
    """Where the form of the check's group posts (one check answered, the others left as they are)."""
    return reverse("inspection:group_save", args=[item.pk, check(item, code).group])


def _fields(item: Inspection, code: str, **values) -> dict:
    prefix = f"check-{check(item, code).pk}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


def _jpeg() -> io.BytesIO:
    output = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 120, 150)).save(output, format="JPEG")
    output.seek(0)
    output.name = "scratch.jpg"
    return output


# --- The queue -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "text"),
    [
        (timedelta(minutes=12), "12 min"),
        (timedelta(hours=3, minutes=40), "3 h"),
        (timedelta(hours=47), "47 h"),
        (timedelta(days=2, hours=5), "2 days"),
        (timedelta(days=1, hours=0) * 30, "30 days"),
        (timedelta(seconds=-5), "0 min"),
    ],
)
def test_waiting_times_read_as_people_say_them(elapsed, text):
    assert waited(elapsed) == text


def test_the_queue_shows_the_oldest_first_how_long_each_waited_and_who_holds_the_claimed(client):
    # given
    category = CategoryFactory(name="Phones")
    now = timezone.now()
    queued_inspection(category=category, subject_code="RLNEW", created_at=now - timedelta(hours=3))
    queued_inspection(category=category, subject_code="RLOLD", created_at=now - timedelta(days=2, hours=1))
    colleague = inspector(display_name="Zhang Wei")
    _claimed(colleague, category=category, subject_code="RLHELD")
    me = inspector()
    client.force_login(me)
    # when
    html = client.get(QUEUE).content.decode()
    # then
    waiting = html[html.index('id="queue"') : html.index('id="claimed"')]
    assert waiting.index("RLOLD") < waiting.index("RLNEW")
    assert "2 days" in waiting and "3 h" in waiting
    assert "RLHELD" not in waiting
    claimed = html[html.index('id="claimed"') :]
    assert "RLHELD" in claimed and "held by Zhang Wei" in claimed
    assert "Take the next item" in html
    assert html.count("Take this one") == 2


@pytest.mark.parametrize("count", [5, 500])
def test_the_queue_runs_the_same_queries_for_5_or_500_items(client, django_assert_num_queries, count):
    category = CategoryFactory()
    Inspection.objects.bulk_create(
        Inspection(
            subject_code=f"RLQ{number:05d}", category=category, title=f"Item {number}", declared_grade="B"
        )
        for number in range(count)
    )
    client.force_login(inspector())
    # 1 the user (sessions live in the cache), 2 is the user an inspector, 3 whose items they see
    # (providers.scope), 4 the waiting items (category and model joined, the wait computed in SQL),
    # 5 their count, 6 the items being inspected (category and inspector joined). The list stops at
    # 50, so 500 costs what 5 does.
    with django_assert_num_queries(6):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count("Take this one") == min(count, 50)


def test_taking_the_next_item_claims_the_oldest_and_opens_its_checklist(client):
    now = timezone.now()
    newer = queued_inspection(created_at=now - timedelta(hours=1))
    older = queued_inspection(category=newer.category, created_at=now - timedelta(hours=5))
    me = inspector()
    client.force_login(me)

    response = client.post(reverse("inspection:claim_next"))

    assert response.status_code == 302
    assert response["Location"] == reverse("inspection:inspect", args=[older.pk])
    older.refresh_from_db()
    assert (older.status, older.inspector) == (InspectionStatus.IN_PROGRESS, me)
    html = client.get(response["Location"]).content.decode()
    assert "Activation lock off" in html and "Battery health" in html and "Back glass" in html
    # grouped by group, in checklist order: function (two checks) before appearance
    assert html.index("Function") < html.index("Activation lock off") < html.index("Appearance")
    assert "Measured value (%)" in html and "Between 0 and 100 %" in html


def test_taking_the_next_item_when_nothing_waits_says_so(client):
    client.force_login(inspector())
    response = client.post(reverse("inspection:claim_next"), follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Nothing is waiting for inspection." in response.content.decode()


def test_taking_an_item_someone_else_took_says_who_has_it(client):
    item = _claimed(inspector())
    client.force_login(inspector())
    response = client.post(reverse("inspection:claim", args=[item.pk]), follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    assert f"{item.subject_code} is being inspected by someone else." in response.content.decode()


def test_the_checklist_page_belongs_to_the_inspector_who_holds_it(client):
    item = _claimed(inspector())
    waiting = queued_inspection(category=item.category)
    client.force_login(inspector())
    assert client.get(reverse("inspection:inspect", args=[item.pk])).status_code == 403
    response = client.get(reverse("inspection:inspect", args=[waiting.pk]), follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Take this item from the queue before inspecting it." in response.content.decode()
    assert client.get(reverse("inspection:inspect", args=[999_999])).status_code == 404


# --- Recording checks --------------------------------------------------------------------------------


def test_recording_a_pass_with_htmx_returns_the_saved_group_and_the_new_grade(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)

    response = client.post(
        _check_url(item, "back-glass"), _fields(item, "back-glass", outcome="pass", note=""), **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="group-2" class="ib-group is-complete"')
    assert f'id="check-{check(item, "back-glass").pk}"' in html
    assert "Saved: Pass" in html and "1 check saved." in html
    assert 'id="ib-preview"' in html and 'data-hx-swap-oob="true"' in html
    assert "1 of 3 checks answered" in html
    assert "Like new" in html
    assert CheckResult.objects.get(inspection=item).outcome == CheckOutcome.PASS


def test_recording_a_defect_with_htmx_updates_the_grade_preview(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)

    html = client.post(
        _check_url(item, "back-glass"),
        _fields(item, "back-glass", outcome="defect", note="Hairline scratch, lower left"),
        **HTMX,
    ).content.decode()

    assert "Saved: Defect" in html
    assert "Excellent" in html  # one minor defect
    result = CheckResult.objects.get(inspection=item)
    assert (result.outcome, result.note) == (CheckOutcome.DEFECT, "Hairline scratch, lower left")


def test_recording_without_javascript_comes_back_to_the_group(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    url = _check_url(item, "battery-health")

    response = client.post(url, _fields(item, "battery-health", outcome="pass", measured_value="91 %"))

    assert response.status_code == 302
    assert response["Location"] == reverse("inspection:inspect", args=[item.pk]) + "#group-1"
    assert CheckResult.objects.get(inspection=item).measured_value == "91"
    html = client.get(response["Location"]).content.decode()
    assert "1 of 3 checks answered" in html


def test_a_defect_without_a_note_is_refused_next_to_the_note(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    html = client.post(
        _check_url(item, "back-glass"), _fields(item, "back-glass", outcome="defect"), **HTMX
    ).content.decode()
    note_field = html[html.index('name="check-') :]
    assert "Describe the defect in the note." in note_field
    assert not CheckResult.objects.exists()


@pytest.mark.parametrize("value", ["150", "-3", "ninety"])
def test_a_bad_measured_value_is_explained_with_and_without_javascript(client, value):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    data = _fields(item, "battery-health", outcome="pass", measured_value=value)

    with_htmx = client.post(_check_url(item, "battery-health"), data, **HTMX)
    without = client.post(_check_url(item, "battery-health"), data)

    assert with_htmx.status_code == 200  # htmx swaps only 2xx answers: the row shows the error
    assert without.status_code == 400
    for html in (with_htmx.content.decode(), without.content.decode()):
        measured = html[html.index(f'name="check-{check(item, "battery-health").pk}-measured_value"') :]
        errors = measured[: measured.index("</div>")]
        assert 'class="ib-errors"' in errors
        assert "Battery health" in errors
        assert f'value="{value}"' in html  # what was typed stays, to be corrected
    assert not CheckResult.objects.exists()


def test_an_outcome_that_is_neither_pass_nor_defect_is_refused(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    response = client.post(_check_url(item, "back-glass"), _fields(item, "back-glass", outcome="maybe"))
    assert response.status_code == 400
    assert "Choose pass or defect." in response.content.decode()


def test_a_check_of_another_checklist_is_refused(client):
    me = inspector()
    item = _claimed(me)
    other = _claimed(me)  # a category of its own, so a checklist of its own
    client.force_login(me)
    response = client.post(_check_url(item, "back-glass"), _fields(other, "back-glass", outcome="pass"))
    assert response.status_code == 400
    assert "That check is not in this group of this item&#x27;s checklist." in response.content.decode()
    assert not CheckResult.objects.exists()
    unknown_group = reverse("inspection:group_save", args=[item.pk, "no-such-group"])
    assert client.post(unknown_group, _fields(item, "back-glass", outcome="pass")).status_code == 404


def test_a_photo_is_kept_and_shown_on_its_row(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    data = _fields(item, "back-glass", outcome="defect", note="Scratch", photo=_jpeg())

    html = client.post(_check_url(item, "back-glass"), data, **HTMX).content.decode()

    result = CheckResult.objects.get(inspection=item)
    assert result.photo_key
    assert f"{result.photo_key}.jpg" in html


def test_a_file_that_is_not_a_photo_is_refused_next_to_the_photo(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    upload = io.BytesIO(b"not an image at all")
    upload.name = "notes.jpg"
    data = _fields(item, "back-glass", outcome="pass", photo=upload)
    response = client.post(_check_url(item, "back-glass"), data)
    assert response.status_code == 400
    html = response.content.decode()
    photo = html[html.index(f'name="check-{check(item, "back-glass").pk}-photo"') :]
    assert 'class="ib-errors"' in photo[: photo.index("</div>")]


# --- Completing and handing back -------------------------------------------------------------------------


def test_completing_with_checks_unanswered_says_how_many_and_marks_them(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    client.post(_check_url(item, "back-glass"), _fields(item, "back-glass", outcome="pass"))

    response = client.post(reverse("inspection:complete", args=[item.pk]), {"result": "passed"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "2 checks are still unanswered" in html
    assert html.count("Not answered yet") == 2
    item.refresh_from_db()
    assert item.status == InspectionStatus.IN_PROGRESS


def test_a_grade_override_needs_a_reason(client):
    me = inspector()
    item = _claimed(me)
    answer_all(item, me)
    client.force_login(me)

    response = client.post(
        reverse("inspection:complete", args=[item.pk]), {"result": "passed", "pass-grade_override": "B"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    reason = html[html.index('name="pass-override_reason"') :]
    assert "Give a reason for changing the computed grade." in reason[: reason.index("</div>")]


def test_failing_needs_a_reason_and_a_note(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    response = client.post(reverse("inspection:complete", args=[item.pk]), {"result": "failed"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose why the item fails." in html
    assert "Describe what you found: the seller reads it." in html
    assert "<details open>" in html


def test_completing_as_passed_shows_the_grade_and_the_public_report(client):
    # given every check answered, the battery at 92 %
    me = inspector()
    item = _claimed(me)
    answer_all(item, me)
    client.force_login(me)
    # when
    response = client.post(
        reverse("inspection:complete", args=[item.pk]),
        {"result": "passed", "pass-grade_override": "A", "pass-override_reason": "Box and receipt included"},
        follow=True,
    )
    # then
    assert response.redirect_chain == [(reverse("inspection:inspect", args=[item.pk]), 302)]
    html = response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.result, item.grade) == (
        InspectionStatus.COMPLETED,
        InspectionResult.PASSED,
        "A",
    )
    report = Report.objects.get(inspection=item)
    assert "Passed" in html and "Excellent" in html
    assert f"/r/{report.code}/" in html


def test_completing_as_failed_records_the_reason(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    response = client.post(
        reverse("inspection:complete", args=[item.pk]),
        {"result": "failed", "fail-fail_reason": "not_as_declared", "fail-note": "It is a 64 GB model."},
        follow=True,
    )
    assert "Failed: Not as declared" in response.content.decode()
    item.refresh_from_db()
    assert (item.result, item.fail_reason, item.result_note) == (
        InspectionResult.FAILED,
        "not_as_declared",
        "It is a 64 GB model.",
    )


def test_a_finished_inspection_takes_no_more_answers(client):
    me = inspector()
    item = _claimed(me)
    answer_all(item, me)
    inspection_complete(inspection_id=item.pk, inspector=me, passed=True)
    client.force_login(me)
    response = client.post(_check_url(item, "back-glass"), _fields(item, "back-glass", outcome="pass"))
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection:inspect", args=[item.pk])


def test_handing_an_item_back_puts_it_in_the_queue_with_its_answers(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    client.post(_check_url(item, "back-glass"), _fields(item, "back-glass", outcome="pass"))

    response = client.post(reverse("inspection:release", args=[item.pk]), follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert f"{item.subject_code} “{item.title}” is back in the queue." in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.inspector) == (InspectionStatus.QUEUED, None)
    assert CheckResult.objects.filter(inspection=item).count() == 1


def test_a_luxury_item_passed_by_its_inspector_waits_for_the_authenticators(client):
    me = inspector()
    item = _claimed(me, luxury=True)
    answer_all(item, me)
    client.force_login(me)
    response = client.post(reverse("inspection:complete", args=[item.pk]), {"result": "passed"}, follow=True)
    assert "waiting for two authenticators" in response.content.decode()


def test_the_workbench_renders_in_chinese(client):
    me = inspector()
    item = _claimed(me)
    client.force_login(me)
    assert client.get("/zh-hans/staff/inspection/").status_code == 200
    assert client.get(f"/zh-hans/staff/inspection/{item.pk}/").status_code == 200


# --- Authentication ---------------------------------------------------------------------------------


def _awaiting_verdicts() -> Inspection:
    by = inspector()
    item = _claimed(by, luxury=True, title="Speedy 30 monogram")
    answer_all(item, by, defects=("back-glass",))
    inspection_complete(inspection_id=item.pk, inspector=by, passed=True)
    item.refresh_from_db()
    return item


def _verdict(client, item: Inspection, verdict: str, note: str = ""):
    return client.post(
        reverse("inspection:verdict", args=[item.pk]),
        {f"item-{item.pk}-verdict": verdict, f"item-{item.pk}-note": note},
    )


def test_the_authentication_page_shows_what_the_inspection_found(client):
    item = _awaiting_verdicts()
    client.force_login(authenticator())
    html = client.get(reverse("inspection:authentication")).content.decode()
    entry = html[html.index(f'id="item-{item.pk}"') :]
    assert "Speedy 30 monogram" in entry
    assert "2 checks passed" in entry and "1 defect" in entry
    assert "Back glass" in entry and "Visible scratch" in entry
    assert "Battery health" in entry and "92 %" in entry
    assert "Genuine" in entry and "Counterfeit" in entry


def test_two_authenticators_who_agree_decide_the_item(client):
    item = _awaiting_verdicts()
    client.force_login(authenticator())
    response = _verdict(client, item, "genuine", "Heat stamp and date code match")
    assert response.status_code == 302
    client.force_login(authenticator())
    _verdict(client, item, "genuine")
    item.refresh_from_db()
    assert (item.status, item.authenticated) == (InspectionStatus.COMPLETED, True)


def test_the_same_person_cannot_give_both_verdicts(client):
    item = _awaiting_verdicts()
    client.force_login(authenticator())
    _verdict(client, item, "genuine")

    response = _verdict(client, item, "genuine")

    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index(f'id="verdict-{item.pk}"') :]
    assert "a different authenticator must give the next one" in form
    assert item.verdicts.count() == 1
    # Back on the list, the verdict given shows instead of the form.
    html = client.get(reverse("inspection:authentication")).content.decode()
    assert "Your verdict: Genuine." in html
    assert f'id="verdict-{item.pk}"' not in html


def test_a_verdict_must_be_chosen(client):
    item = _awaiting_verdicts()
    client.force_login(authenticator())
    response = _verdict(client, item, "")
    assert response.status_code == 400
    assert "Choose genuine or counterfeit." in response.content.decode()


def test_a_disagreement_goes_to_the_escalations_and_a_third_authenticator_decides(client):
    # given two authenticators who disagree
    item = _awaiting_verdicts()
    first, second = authenticator(), authenticator()
    authenticity_verdict_add(inspection_id=item.pk, by=first, verdict=Verdict.GENUINE)
    authenticity_verdict_add(inspection_id=item.pk, by=second, verdict=Verdict.COUNTERFEIT)
    client.force_login(authenticator())
    assert f'id="item-{item.pk}"' not in client.get(reverse("inspection:authentication")).content.decode()
    html = client.get(reverse("inspection:escalations")).content.decode()
    assert "Speedy 30 monogram" in html and "Genuine, by" in html and "Counterfeit, by" in html
    url = reverse("inspection:resolve", args=[item.pk])

    # when the third decides without a note, then with one
    refused = client.post(url, {f"item-{item.pk}-verdict": "counterfeit"})
    decided = client.post(
        url, {f"item-{item.pk}-verdict": "counterfeit", f"item-{item.pk}-note": "Stitch count is wrong"}
    )

    # then
    assert refused.status_code == 400
    assert "Say why you decided this way." in refused.content.decode()
    assert decided.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.result, item.fail_reason) == (
        InspectionStatus.COMPLETED,
        InspectionResult.FAILED,
        "counterfeit",
    )


def test_one_of_the_two_who_disagreed_cannot_decide(client):
    item = _awaiting_verdicts()
    first, second = authenticator(), authenticator()
    authenticity_verdict_add(inspection_id=item.pk, by=first, verdict=Verdict.GENUINE)
    authenticity_verdict_add(inspection_id=item.pk, by=second, verdict=Verdict.COUNTERFEIT)
    client.force_login(first)
    html = client.get(reverse("inspection:escalations")).content.decode()
    assert "You gave one of the two verdicts" in html
    response = client.post(
        reverse("inspection:resolve", args=[item.pk]),
        {f"item-{item.pk}-verdict": "genuine", f"item-{item.pk}-note": "Looks fine"},
    )
    assert response.status_code == 400
    assert "a different authenticator must give the next one" in response.content.decode()


def test_a_verdict_on_an_item_no_longer_waiting_is_explained(client):
    item = InspectionFactory()
    client.force_login(authenticator())
    response = _verdict(client, item, "genuine")
    assert response.status_code == 400
    assert "is not waiting for authentication" in response.content.decode()


# --- Query counts of the per-item pages -------------------------------------------------------------


@pytest.mark.parametrize("answered", [0, 3])
def test_the_checklist_page_runs_the_same_queries_however_many_checks_are_answered(
    client, django_assert_num_queries, answered
):
    me = inspector()
    item = _claimed(me)
    if answered:
        answer_all(item, me)
    client.force_login(me)
    # 1 the user, 2 is the user an inspector, 3 whose items they see (providers.scope), 4 the
    # inspection (category, model, inspector, checklist, listing and report joined), 5-7 its checks,
    # results and verdicts (prefetched; the grade preview is computed from them), 8 what the seller
    # declared (recycling, by subject code; none here, so no query for photos).
    with django_assert_num_queries(8):
        response = client.get(reverse("inspection:inspect", args=[item.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_the_authentication_page_runs_the_same_queries_for_1_or_8_items(
    client, django_assert_num_queries, count
):
    for _number in range(count):
        _awaiting_verdicts()
    client.force_login(authenticator())
    # 1 the user, 2 is the user an authenticator, 3 whose items they see (providers.scope), 4 the
    # items (category, model, inspector joined; verdicts counted), 5 their verdicts with who gave
    # them, 6 their results with their checks, 7 the total, 8 what the sellers declared (recycling,
    # by subject code; their photos are one more when any item came from a submission).
    with django_assert_num_queries(8):
        response = client.get(reverse("inspection:authentication"))
    assert response.content.decode().count('class="ib-verdict"') == count


def test_a_check_saved_with_htmx_after_the_item_was_finished_sends_the_page_to_its_result(client):
    me = inspector()
    item = _claimed(me)
    answer_all(item, me)
    inspection_complete(inspection_id=item.pk, inspector=me, passed=True)
    client.force_login(me)
    response = client.post(
        _check_url(item, "back-glass"), _fields(item, "back-glass", outcome="pass"), **HTMX
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("inspection:inspect", args=[item.pk])


def test_taking_the_next_item_without_a_checklist_for_its_category_says_so(client):
    # given: the oldest waiting item is in a category that has no checklist yet
    client.force_login(inspector())
    waiting = InspectionFactory(category=CategoryFactory())
    # when
    response = client.post(reverse("inspection:claim_next"), follow=True)
    # then
    assert response.status_code == 200
    assert "no inspection checklist" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == InspectionStatus.QUEUED
