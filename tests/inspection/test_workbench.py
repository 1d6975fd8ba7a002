"""The inspectors' workbench services and the selectors its pages read."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from PIL import Image

from inspection.errors import AlreadyClaimed, InspectionError
from inspection.models import (
    CheckOutcome,
    CheckResult,
    FailReason,
    Inspection,
    InspectionEvent,
    InspectionResult,
    InspectionStatus,
    Report,
)
from inspection.selectors import check_rows, inspection_for_staff, queue_for_inspectors
from inspection.services.workbench import (
    check_photo_name,
    check_record,
    grade_preview,
    inspection_claim,
    inspection_claim_next,
    inspection_complete,
    inspection_enqueue,
    inspection_release,
)
from inspection.signals import inspection_completed, inspection_started
from listings.models import Grade
from listings.photos import public_storage
from tests.factories import CategoryFactory, UserFactory
from tests.inspection.desk_fixtures import answer_all, check, inspector, queued_inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    """The inspections each signal announced, in order."""
    seen = {"started": [], "completed": []}

    def on_started(sender, inspection, **kwargs):
        seen["started"].append(inspection.pk)

    def on_completed(sender, inspection, **kwargs):
        seen["completed"].append(inspection.pk)

    inspection_started.connect(on_started, dispatch_uid="test.started")
    inspection_completed.connect(on_completed, dispatch_uid="test.completed")
    yield seen
    inspection_started.disconnect(dispatch_uid="test.started")
    inspection_completed.disconnect(dispatch_uid="test.completed")


def claimed(**fields):
    staff = inspector()
    inspection = queued_inspection(**fields)
    return inspection_claim(inspection_id=inspection.pk, inspector=staff), staff


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (640, 480), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def test_enqueue_is_idempotent_by_subject_code():
    category = CategoryFactory()
    first = inspection_enqueue(
        subject_code="RLAAAA2222", category=category, title="Phone", declared_grade="B"
    )
    again = inspection_enqueue(
        subject_code="RLAAAA2222", category=category, title="Other", declared_grade="A"
    )
    assert again.pk == first.pk
    assert Inspection.objects.get().title == "Phone"
    assert first.status == InspectionStatus.QUEUED


def test_the_whole_path_from_queue_to_report(django_capture_on_commit_callbacks, announced):
    # given an item in the queue
    staff = inspector(first_name="Li", last_name="Yang")
    inspection = queued_inspection(declared_grade=Grade.VERY_GOOD)

    # when an inspector claims it, answers every check and passes it
    with django_capture_on_commit_callbacks(execute=True):
        claimed_item = inspection_claim_next(inspector=staff)
    assert claimed_item.pk == inspection.pk
    assert announced["started"] == [inspection.pk]
    answer_all(claimed_item, staff, defects=("back-glass",))
    preview = grade_preview(inspection_id=inspection.pk)
    with django_capture_on_commit_callbacks(execute=True):
        done = inspection_complete(
            inspection_id=inspection.pk, inspector=staff, passed=True, note="Clean unit"
        )

    # then it is completed with its grade, results and public report, and the news went out once
    done.refresh_from_db()
    assert done.status == InspectionStatus.COMPLETED
    assert done.result == InspectionResult.PASSED
    assert preview.grade == Grade.EXCELLENT  # one minor defect
    assert done.computed_grade == done.grade == Grade.EXCELLENT
    assert done.completed_at is not None
    assert done.inspector == staff and done.claimed_at is not None
    assert CheckResult.objects.filter(inspection=done).count() == 3
    report = Report.objects.get(inspection=done)
    assert report.content["grade"] == "A"
    assert len(report.content["checks"]) == 3
    assert announced["completed"] == [inspection.pk]
    moves = list(
        InspectionEvent.objects.filter(inspection=done).exclude(old=F("new")).values_list("old", "new")
    )
    assert moves == [("queued", "in_progress"), ("in_progress", "completed")]
    # every action is in the audit trail with who did it
    assert InspectionEvent.objects.filter(inspection=done, by=staff).count() == 2 + 3


def test_the_queue_is_oldest_first_with_waiting_time(django_assert_num_queries):
    older = queued_inspection()
    newer = queued_inspection()
    Inspection.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2025))
    # one query: the rows with category (and its parent), model, brand and inspector joined
    with django_assert_num_queries(1):
        rows = list(queue_for_inspectors(scope=None))
        assert [row.pk for row in rows] == [older.pk, newer.pk]
        assert rows[0].waiting > rows[1].waiting
        assert [str(row.category.parent) for row in rows] == ["None", "None"]


def test_claim_next_takes_the_oldest_and_none_when_empty():
    staff = inspector()
    assert inspection_claim_next(inspector=staff) is None
    first = queued_inspection()
    queued_inspection()
    assert inspection_claim_next(inspector=staff).pk == first.pk


def test_only_inspectors_claim():
    queued_inspection()
    with pytest.raises(PermissionDenied):
        inspection_claim_next(inspector=UserFactory())
    assert Inspection.objects.get().status == InspectionStatus.QUEUED


def test_an_item_held_by_someone_else_cannot_be_claimed():
    inspection, holder = claimed()
    with pytest.raises(AlreadyClaimed) as error:
        inspection_claim(inspection_id=inspection.pk, inspector=inspector())
    assert error.value.status_code == 409
    assert inspection_claim(inspection_id=inspection.pk, inspector=holder).inspector_id == holder.pk


def test_release_puts_it_back_with_its_results():
    inspection, staff = claimed()
    check_record(
        inspection_id=inspection.pk,
        inspector=staff,
        check_id=check(inspection, "back-glass").pk,
        outcome="pass",
    )
    released = inspection_release(inspection_id=inspection.pk, inspector=staff)
    assert released.status == InspectionStatus.QUEUED and released.inspector is None
    other = inspector()
    again = inspection_claim_next(inspector=other)
    assert again.pk == inspection.pk and again.checklist_id == inspection.checklist_id
    assert CheckResult.objects.filter(inspection=inspection).count() == 1


def test_a_second_inspector_cannot_record_on_someone_elses_claim():
    inspection, _staff = claimed()
    with pytest.raises(AlreadyClaimed):
        check_record(
            inspection_id=inspection.pk,
            inspector=inspector(),
            check_id=check(inspection, "back-glass").pk,
            outcome="pass",
        )
    assert not CheckResult.objects.exists()


def test_a_measured_value_out_of_range_is_a_clear_error():
    inspection, staff = claimed()
    with pytest.raises(InspectionError) as error:
        check_record(
            inspection_id=inspection.pk,
            inspector=staff,
            check_id=check(inspection, "battery-health").pk,
            outcome="pass",
            measured_value="140",
        )
    assert error.value.code == "measured_value_out_of_range"
    assert error.value.field == "measured_value"
    assert "between 0 and 100" in str(error.value)
    assert not CheckResult.objects.exists()


def test_passing_a_measured_check_needs_its_value_but_a_defect_may_have_none():
    inspection, staff = claimed()
    battery = check(inspection, "battery-health")
    with pytest.raises(InspectionError) as error:
        check_record(inspection_id=inspection.pk, inspector=staff, check_id=battery.pk, outcome="pass")
    assert (error.value.code, error.value.field) == ("measured_value_required", "measured_value")
    assert not CheckResult.objects.exists()

    result = check_record(
        inspection_id=inspection.pk,
        inspector=staff,
        check_id=battery.pk,
        outcome="defect",
        note="Battery cannot be read: swollen",
    )
    assert (result.outcome, result.measured_value) == ("defect", "")


def test_a_defect_needs_a_note_and_the_check_must_be_on_the_checklist():
    inspection, staff = claimed()
    with pytest.raises(InspectionError) as error:
        check_record(
            inspection_id=inspection.pk,
            inspector=staff,
            check_id=check(inspection, "back-glass").pk,
            outcome="defect",
        )
    assert (error.value.code, error.value.field) == ("note_required", "note")
    foreign = queued_inspection()
    other_check = foreign.category.checklists.get().checks.first()
    with pytest.raises(InspectionError) as error:
        check_record(inspection_id=inspection.pk, inspector=staff, check_id=other_check.pk, outcome="pass")
    assert error.value.code == "check_unknown"
    with pytest.raises(InspectionError) as error:
        check_record(
            inspection_id=inspection.pk,
            inspector=staff,
            check_id=check(inspection, "back-glass").pk,
            outcome="meh",
        )
    assert error.value.code == "outcome_invalid"


def test_recording_again_replaces_the_result():
    inspection, staff = claimed()
    back = check(inspection, "back-glass")
    check_record(
        inspection_id=inspection.pk, inspector=staff, check_id=back.pk, outcome="defect", note="Scratch"
    )
    check_record(inspection_id=inspection.pk, inspector=staff, check_id=back.pk, outcome="pass")
    result = CheckResult.objects.get()
    assert (result.outcome, result.note) == (CheckOutcome.PASS, "")


def test_a_photo_is_stored_publicly_without_metadata():
    inspection, staff = claimed()
    upload = SimpleUploadedFile("defect.jpg", jpeg_with_exif(), content_type="image/jpeg")
    result = check_record(
        inspection_id=inspection.pk,
        inspector=staff,
        check_id=check(inspection, "back-glass").pk,
        outcome="defect",
        note="Crack in the corner",
        photo=upload,
    )
    assert result.photo_key
    with public_storage().open(check_photo_name(result.photo_key), "rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert not image.getexif()


def test_a_file_that_is_not_a_photo_is_refused():
    inspection, staff = claimed()
    upload = SimpleUploadedFile("defect.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(InspectionError) as error:
        check_record(
            inspection_id=inspection.pk,
            inspector=staff,
            check_id=check(inspection, "back-glass").pk,
            outcome="pass",
            photo=upload,
        )
    assert error.value.field == "photo"
    assert not CheckResult.objects.exists()


def test_passing_with_checks_unanswered_says_how_many():
    inspection, staff = claimed()
    check_record(
        inspection_id=inspection.pk,
        inspector=staff,
        check_id=check(inspection, "back-glass").pk,
        outcome="pass",
    )
    with pytest.raises(InspectionError) as error:
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    assert error.value.code == "checks_unanswered"
    assert "2 checks are still unanswered" in str(error.value)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS and inspection.result == ""


def test_an_override_needs_a_reason():
    inspection, staff = claimed()
    answer_all(inspection, staff)
    with pytest.raises(InspectionError) as error:
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True, grade_override="B")
    assert (error.value.code, error.value.field) == ("override_reason_required", "override_reason")
    assert Inspection.objects.get().status == InspectionStatus.IN_PROGRESS

    done = inspection_complete(
        inspection_id=inspection.pk,
        inspector=staff,
        passed=True,
        grade_override="B",
        override_reason="Faint dent on the frame the checklist does not cover",
    )
    assert (done.computed_grade, done.grade) == ("S", "B")
    assert done.grade_override_reason.startswith("Faint dent")


def test_a_critical_defect_cannot_pass_and_a_failure_needs_reason_and_note(
    django_capture_on_commit_callbacks,
):
    inspection, staff = claimed()
    answer_all(inspection, staff, defects=("activation-lock",))
    assert grade_preview(inspection_id=inspection.pk).grade is None
    with pytest.raises(InspectionError) as error:
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    assert error.value.code == "critical_defect"
    with pytest.raises(InspectionError) as error:
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=False, fail_reason="broken")
    assert error.value.field == "fail_reason"
    with pytest.raises(InspectionError) as error:
        inspection_complete(
            inspection_id=inspection.pk, inspector=staff, passed=False, fail_reason=FailReason.NOT_AS_DECLARED
        )
    assert (error.value.code, error.value.field) == ("note_required", "note")

    with django_capture_on_commit_callbacks(execute=True):
        done = inspection_complete(
            inspection_id=inspection.pk,
            inspector=staff,
            passed=False,
            fail_reason=FailReason.NOT_AS_DECLARED,
            note="Activation lock is on",
        )
    assert done.status == InspectionStatus.COMPLETED
    assert (done.result, done.fail_reason) == (InspectionResult.FAILED, FailReason.NOT_AS_DECLARED)
    assert Report.objects.get(inspection=done).content["result"] == "failed"


def test_a_luxury_item_that_passes_waits_for_authenticators():
    bags = CategoryFactory(is_luxury=True)
    inspection, staff = claimed(category=CategoryFactory(parent=bags))  # luxury through its parent
    answer_all(inspection, staff)
    done = inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    assert done.status == InspectionStatus.AWAITING_SECOND_OPINION
    assert done.grade == "S" and done.result == ""
    assert not Report.objects.exists()


def test_only_the_holder_completes_and_only_in_progress():
    inspection, staff = claimed()
    answer_all(inspection, staff)
    with pytest.raises(AlreadyClaimed):
        inspection_complete(inspection_id=inspection.pk, inspector=inspector(), passed=True)
    inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    with pytest.raises(InspectionError) as error:
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    assert error.value.code == "not_in_progress"


def test_the_staff_page_reads_everything_in_few_queries(django_assert_num_queries):
    inspection, staff = claimed()
    answer_all(inspection, staff)
    # 1 the inspection with category, parent, model, brand, inspector, checklist, listing and report
    # joined; then one each: the checklist's checks, the results (check and recorder joined), the
    # verdicts. The audit trail is not shown on the page, so it is not loaded.
    with django_assert_num_queries(4):
        loaded = inspection_for_staff(inspection_id=inspection.pk, scope=None)
        rows = check_rows(loaded)
        assert [row[1] is not None for row in rows] == [True, True, True]
    assert [event.by.username for event in loaded.events.order_by("at", "id")][-1] == staff.username


def test_the_longest_reason_fits_the_audit_trail():
    inspection, staff = claimed()
    answer_all(inspection, staff)
    reason = "x" * 300
    done = inspection_complete(
        inspection_id=inspection.pk, inspector=staff, passed=True, grade_override="C", override_reason=reason
    )
    assert done.grade_override_reason == reason
    assert len(InspectionEvent.objects.filter(inspection=done).last().note) == 300
