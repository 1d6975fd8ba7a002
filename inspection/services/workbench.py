"""The inspectors' workbench: received items wait in a queue, an inspector claims one, records a result
for every check of the category's checklist, and completes it as passed (with a grade) or failed.

Every action needs the `inspectors` group and the claim: only the inspector holding an item may record
on it, release it or complete it. Every action leaves an InspectionEvent (who, when): status changes
through `inspection_move`, other actions as an event whose old and new status are the same. Signals
(and whatever the apps above do on them) run only after the transaction has committed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import INSPECTORS, has_role
from inspection.checklists import current_checklist
from inspection.errors import AlreadyClaimed, GroupRefused, InspectionError
from inspection.grading import GradeOutcome, compute_grade, validate_measured_value
from inspection.models import (
    Check,
    CheckOutcome,
    CheckResult,
    FailReason,
    Inspection,
    InspectionEvent,
    InspectionResult,
    MeasureKind,
)
from inspection.models import InspectionStatus as Status
from inspection.services.reports import report_publish
from inspection.services.transitions import inspection_move
from inspection.signals import inspection_completed, inspection_started
from listings.errors import PhotoRejected
from listings.models import CatalogModel, Category, Grade, Listing
from listings.photos import CheckedPhoto, check_photo, check_pixel_budget, new_key, public_storage
from listings.selectors import category_is_luxury
from providers.models import Provider
from providers.scope import platform_provider, provider_scope, within

NOTE_MAX_LENGTH = 300
RESULT_NOTE_MAX_LENGTH = 500
MEASURED_VALUE_MAX_LENGTH = 60


def check_photo_name(key: str) -> str:
    """Where a check's photo lives in public storage (it appears on the public report)."""
    return f"inspection/{key[:2]}/{key}.jpg"


def check_photo_url(key: str) -> str:
    return public_storage().url(check_photo_name(key))


def require_inspector(user: User) -> None:
    if not has_role(user, INSPECTORS):
        raise PermissionDenied(_("Only inspectors can do this."))


def record_event(
    inspection: Inspection, *, by: User | None, message: str, params: dict | None = None, note: str = ""
) -> InspectionEvent:
    """An action that does not change the status, in the audit trail: `message` is a code of
    inspection.messages with its `params`, `note` what the person typed. Caller holds the row lock."""
    return InspectionEvent.objects.create(
        inspection=inspection,
        old=inspection.status,
        new=inspection.status,
        by=by,
        message=message,
        params=InspectionEvent.message_params(message, params),
        note=note[:NOTE_MAX_LENGTH],
    )


def _locked(inspection_id: int) -> Inspection:
    """The inspection under a row lock; caller is inside a transaction."""
    try:
        return (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=inspection_id)
        )
    except Inspection.DoesNotExist:
        raise InspectionError(_("There is no such inspection."), code="not_found") from None


def _checklist_id(inspection: Inspection) -> int:
    """The checklist version the inspection is worked against: set when it is claimed, so every
    inspection past the queue has one."""
    return cast(int, inspection.checklist_id)


def _check_holds_claim(inspection: Inspection, inspector: User) -> None:
    """Caller holds the row lock."""
    if inspection.status != Status.IN_PROGRESS:
        raise InspectionError(
            _("%(code)s is not being inspected (now: %(status)s).")
            % {"code": inspection.subject_code, "status": inspection.get_status_display()},
            code="not_in_progress",
        )
    if inspection.inspector_id != inspector.pk:
        raise AlreadyClaimed(
            _("%(code)s is being inspected by someone else.") % {"code": inspection.subject_code}
        )


def _send_on_commit(signal, inspection: Inspection) -> None:
    transaction.on_commit(partial(signal.send, sender=Inspection, inspection=inspection))


def inspection_enqueue(
    *,
    subject_code: str,
    category: Category,
    catalog_model: CatalogModel | None = None,
    title: str,
    declared_grade: Grade | str,
    listing: Listing | None = None,
    inspected_delivery: bool = False,
    provider: Provider | None = None,
    by: User | None = None,
) -> Inspection:
    """Put a received item in the inspection queue of `provider` (Reloop's own centre by default).
    Idempotent by `subject_code`: enqueueing the same item again returns the inspection that exists.
    `inspected_delivery` marks an item sold by a private seller, checked against its `listing` before
    it goes on to the buyer."""
    with transaction.atomic():
        inspection, created = Inspection.objects.get_or_create(
            subject_code=subject_code,
            defaults={
                "category": category,
                "catalog_model": catalog_model,
                "title": title[:120],
                "declared_grade": declared_grade,
                "listing": listing,
                "inspected_delivery": inspected_delivery,
                "provider": provider or platform_provider(),
            },
        )
        if created:
            record_event(inspection, by=by, message="queued")
    return inspection


def _claim(inspection: Inspection, inspector: User) -> Inspection:
    """QUEUED → IN_PROGRESS for `inspector`. Caller holds the row lock and has checked the status.

    An item handed back and claimed again keeps the checklist version its results were recorded on.
    """
    checklist = inspection.checklist or current_checklist(inspection.category)
    inspection = inspection_move(
        inspection_id=inspection.pk,
        to=Status.IN_PROGRESS,
        by=inspector,
        message="claimed",
        params={"name": inspector.public_name},
    )
    inspection.checklist = checklist
    inspection.inspector = inspector
    inspection.claimed_at = timezone.now()
    inspection.save(update_fields=["checklist", "inspector", "claimed_at", "updated_at"])
    _send_on_commit(inspection_started, inspection)
    return inspection


def inspection_claim_next(*, inspector: User) -> Inspection | None:
    """Claim the item of the inspector's provider that has waited longest, or None when its queue
    is empty.

    Items another inspector is claiming at this moment are skipped (skip_locked), so two inspectors
    asking at once never get the same item.
    """
    require_inspector(inspector)
    scope = provider_scope(inspector)
    with transaction.atomic():
        inspection = (
            within(Inspection.objects.select_for_update(skip_locked=True, of=("self",)), scope)
            .select_related("category")
            .filter(status=Status.QUEUED)
            .order_by("created_at", "id")
            .first()
        )
        if inspection is None:
            return None
        return _claim(inspection, inspector)


def inspection_claim(*, inspection_id: int, inspector: User) -> Inspection:
    """Claim one item from the queue. Claiming one's own claim again returns it unchanged; an item
    someone else holds raises AlreadyClaimed."""
    require_inspector(inspector)
    scope = provider_scope(inspector)
    with transaction.atomic():
        inspection = _locked(inspection_id)
        if scope is not None and inspection.provider_id != scope:
            raise InspectionError(_("There is no such inspection."), code="not_found")
        if inspection.status == Status.IN_PROGRESS:
            if inspection.inspector_id == inspector.pk:
                return inspection
            raise AlreadyClaimed(
                _("%(code)s is being inspected by someone else.") % {"code": inspection.subject_code}
            )
        if inspection.status != Status.QUEUED:
            raise InspectionError(
                _("%(code)s is not waiting for inspection (now: %(status)s).")
                % {"code": inspection.subject_code, "status": inspection.get_status_display()},
                code="not_queued",
            )
        return _claim(inspection, inspector)


def inspection_release(*, inspection_id: int, inspector: User) -> Inspection:
    """Hand a claimed item back to the queue. The results recorded so far are kept for whoever
    claims it next."""
    require_inspector(inspector)
    with transaction.atomic():
        inspection = _locked(inspection_id)
        _check_holds_claim(inspection, inspector)
        inspection = inspection_move(
            inspection_id=inspection.pk,
            to=Status.QUEUED,
            by=inspector,
            message="released",
            params={"name": inspector.public_name},
        )
        inspection.inspector = None
        inspection.claimed_at = None
        inspection.save(update_fields=["inspector", "claimed_at", "updated_at"])
    return inspection


def _valid_outcome(outcome: str) -> CheckOutcome:
    try:
        return CheckOutcome(outcome)
    except ValueError:
        raise InspectionError(_("Choose pass or defect."), code="outcome_invalid", field="outcome") from None


def _clean_answer(
    *, outcome: CheckOutcome | str, note: str, measured_value: str
) -> tuple[CheckOutcome, str, str]:
    """An answer's outcome, note and measured value as typed, checked for what needs no database:
    a known outcome, a note within its limit, a note for a defect. InspectionError naming the field."""
    outcome = _valid_outcome(outcome)
    note = (note or "").strip()
    measured_value = (measured_value or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InspectionError(
            _("Keep the note under %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )
    if outcome == CheckOutcome.DEFECT and not note:
        raise InspectionError(_("Describe the defect in the note."), code="note_required", field="note")
    return outcome, note, measured_value


def _checked_photo(photo: Any) -> CheckedPhoto | None:
    """The upload checked by content and re-encoded without metadata, or None without one."""
    if photo is None:
        return None
    try:
        return check_photo(photo)
    except PhotoRejected as error:
        raise InspectionError(str(error), code=f"photo_{error.code}", field="photo") from None


def _valid_measured_value(check: Check, outcome: CheckOutcome, measured_value: str) -> str:
    """The measured value cleaned for `check`, or InspectionError naming the field."""
    if measured_value:
        measured_value = validate_measured_value(check, measured_value)
    elif check.measure != MeasureKind.NONE and outcome == CheckOutcome.PASS:
        # A pass is a statement about the value (battery health, IMEI): it must be on record.
        # A defect may have none (a battery that cannot be read at all).
        raise InspectionError(
            _("Enter the measured value to pass this check."),
            code="measured_value_required",
            field="measured_value",
        )
    if len(measured_value) > MEASURED_VALUE_MAX_LENGTH:
        raise InspectionError(
            _("Keep the measured value under %(limit)d characters.") % {"limit": MEASURED_VALUE_MAX_LENGTH},
            code="measured_value_too_long",
            field="measured_value",
        )
    return measured_value


def _write_result(
    inspection: Inspection,
    check: Check,
    *,
    inspector: User,
    outcome: CheckOutcome,
    note: str,
    measured_value: str,
    photo: CheckedPhoto | None,
    previous: CheckResult | None,
    saved_names: list[str],
) -> CheckResult:
    """Write one check's result, replacing `previous`, and its event. The answer has been checked.
    Caller holds the row lock inside a transaction, and deletes the files named in `saved_names`
    (a new photo is appended there once stored) if that transaction does not commit."""
    photo_key = previous.photo_key if previous else ""
    if photo is not None:
        photo_key = new_key()
        saved_names.append(public_storage().save(check_photo_name(photo_key), ContentFile(photo.data)))
        if previous and previous.photo_key:
            old_name = check_photo_name(previous.photo_key)
            transaction.on_commit(partial(public_storage().delete, old_name))
    result, _created = CheckResult.objects.update_or_create(
        inspection=inspection,
        check_item=check,
        defaults={
            "outcome": outcome,
            "note": note,
            "measured_value": measured_value,
            "photo_key": photo_key,
            "recorded_by": inspector,
            "recorded_at": timezone.now(),
        },
    )
    record_event(
        inspection,
        by=inspector,
        message="check.recorded",
        params={"check": check.code, "outcome": outcome},
    )
    return result


def _write_results(
    inspection: Inspection,
    writes: list[tuple[Check, CheckOutcome, str, str, CheckedPhoto | None, CheckResult | None]],
    *,
    inspector: User,
    saved_names: list[str],
) -> list[CheckResult]:
    """`_write_result` for many checks at once, in a few queries: new results and the events in one
    insert each, a changed result in one update each. Each write is (check, outcome, note, measured
    value, photo, previous result). Same contract as `_write_result`."""
    now = timezone.now()
    recorded: list[CheckResult] = []
    created: list[CheckResult] = []
    for check, outcome, note, measured_value, photo, previous in writes:
        photo_key = previous.photo_key if previous else ""
        if photo is not None:
            photo_key = new_key()
            saved_names.append(public_storage().save(check_photo_name(photo_key), ContentFile(photo.data)))
            if previous and previous.photo_key:
                transaction.on_commit(partial(public_storage().delete, check_photo_name(previous.photo_key)))
        values = {
            "outcome": outcome,
            "note": note,
            "measured_value": measured_value,
            "photo_key": photo_key,
            "recorded_by": inspector,
            "recorded_at": now,
        }
        if previous is None:
            result = CheckResult(inspection=inspection, check_item=check, **values)
            created.append(result)
        else:
            result = previous
            for name, value in values.items():
                setattr(result, name, value)
            result.save(update_fields=list(values))
        recorded.append(result)
    CheckResult.objects.bulk_create(created)
    InspectionEvent.objects.bulk_create(
        InspectionEvent(
            inspection=inspection,
            old=inspection.status,
            new=inspection.status,
            by=inspector,
            message="check.recorded",
            params=InspectionEvent.message_params(
                "check.recorded", {"check": check.code, "outcome": outcome}
            ),
        )
        for check, outcome, *_rest in writes
    )
    return recorded


def _delete_files(names: list[str]) -> None:
    for name in names:
        public_storage().delete(name)


def check_record(
    *,
    inspection_id: int,
    inspector: User,
    check_id: int,
    outcome: CheckOutcome | str,
    note: str = "",
    measured_value: str = "",
    photo=None,
) -> CheckResult:
    """Record the result of one check; recording a check again replaces its result.

    Only the inspector holding the claim, only while the item is being inspected, only for a check
    of the inspection's checklist. A defect needs a note; a measured value must fit the check
    (InspectionError naming the field otherwise). A photo is checked by content and kept in public
    storage without metadata, since it appears on the public report; recording again without a photo
    keeps the one recorded before.
    """
    require_inspector(inspector)
    outcome, note, measured_value = _clean_answer(outcome=outcome, note=note, measured_value=measured_value)
    checked_photo = _checked_photo(photo)

    saved_names: list[str] = []
    try:
        with transaction.atomic():
            inspection = _locked(inspection_id)
            _check_holds_claim(inspection, inspector)
            check = Check.objects.filter(pk=check_id, checklist_id=_checklist_id(inspection)).first()
            if check is None:
                raise InspectionError(
                    _("That check is not on this item's checklist."), code="check_unknown", field="check_id"
                )
            measured_value = _valid_measured_value(check, outcome, measured_value)
            previous = CheckResult.objects.filter(inspection=inspection, check_item=check).first()
            result = _write_result(
                inspection,
                check,
                inspector=inspector,
                outcome=outcome,
                note=note,
                measured_value=measured_value,
                photo=checked_photo,
                previous=previous,
                saved_names=saved_names,
            )
    except Exception:
        _delete_files(saved_names)  # nothing half-written: the photo goes with the rolled-back result
        raise
    return result


@dataclass(frozen=True)
class CheckAnswer:
    """One check's answer in a group: `outcome` blank means "not answered here"."""

    check_id: int
    outcome: str = ""
    note: str = ""
    measured_value: str = ""
    photo: Any = None


def check_group_record(
    *,
    inspection_id: int,
    inspector: User,
    group: str,
    answers: Sequence[CheckAnswer],
    pass_remaining: bool = False,
) -> list[CheckResult]:
    """Record the answers to one group of the checklist at once, all or nothing; return the results
    it wrote (new or changed), in checklist order.

    Each answer is checked and recorded as `check_record` would, but only when it differs from the
    result on record: the same answer again is left alone (no new event, same time and author). An
    answer with a blank outcome does not answer its check, and may carry nothing else. With
    `pass_remaining`, each check of the group that has no result yet and no outcome here is recorded
    as a pass, with the note, measured value and photo typed for it if any; checks already recorded
    stay as they are unless this request answers them differently. A request that answers nothing
    and passes nothing is refused (InspectionError "nothing_answered").

    Only the inspector holding the claim, while the item is being inspected; every answer must name
    a check of this group of the inspection's checklist (InspectionError "check_unknown" otherwise).
    When any answer does not fit, GroupRefused carries each check's error and nothing is written:
    no result, no event, no photo.
    """
    require_inspector(inspector)
    given = {answer.check_id: answer for answer in answers}
    try:  # from the files' headers, before any photo is decoded
        check_pixel_budget([answer.photo for answer in given.values() if answer.photo is not None])
    except PhotoRejected as error:
        raise InspectionError(str(error), code=f"photo_{error.code}", field="photo") from None
    errors: dict[int, InspectionError] = {}
    cleaned: dict[int, tuple[CheckOutcome, str, str, CheckedPhoto | None]] = {}
    for answer in given.values():
        typed = bool((answer.note or "").strip() or (answer.measured_value or "").strip() or answer.photo)
        if not answer.outcome and not (pass_remaining and typed):
            if typed:  # what was typed would be lost without an outcome to record it with
                errors[answer.check_id] = InspectionError(
                    _("Choose pass or defect."), code="outcome_required", field="outcome"
                )
            continue
        try:
            outcome, note, measured_value = _clean_answer(
                outcome=answer.outcome or CheckOutcome.PASS,
                note=answer.note,
                measured_value=answer.measured_value,
            )
            cleaned[answer.check_id] = (outcome, note, measured_value, _checked_photo(answer.photo))
        except InspectionError as error:
            errors[answer.check_id] = error

    saved_names: list[str] = []
    writes: list[tuple[Check, CheckOutcome, str, str, CheckedPhoto | None, CheckResult | None]] = []
    try:
        with transaction.atomic():
            inspection = _locked(inspection_id)
            _check_holds_claim(inspection, inspector)
            checks = list(
                Check.objects.filter(checklist_id=_checklist_id(inspection), group=group).order_by(
                    "position", "id"
                )
            )
            in_group = {check.pk for check in checks}
            if not checks or not set(given) <= in_group:
                raise InspectionError(
                    _("That check is not in this group of this item's checklist."),
                    code="check_unknown",
                    field="check_id",
                )
            if not pass_remaining and not errors and not any(answer.outcome for answer in answers):
                raise InspectionError(
                    _("Choose pass or defect for a check, or pass every remaining check in this group."),
                    code="nothing_answered",
                    field="outcome",
                )
            previous = {
                result.check_item_id: result
                for result in CheckResult.objects.filter(inspection=inspection, check_item_id__in=in_group)
            }
            for check in checks:
                old = previous.get(check.pk)
                if check.pk in errors:
                    continue
                if check.pk in cleaned and (given[check.pk].outcome or old is None):
                    outcome, note, measured_value, photo = cleaned[check.pk]
                elif pass_remaining and old is None:
                    outcome, note, measured_value, photo = CheckOutcome.PASS, "", "", None
                else:
                    continue
                try:
                    measured_value = _valid_measured_value(check, outcome, measured_value)
                except InspectionError as error:
                    errors[check.pk] = error
                    continue
                if (
                    old is not None
                    and photo is None
                    and (old.outcome, old.note, old.measured_value) == (outcome, note, measured_value)
                ):
                    continue  # the same answer again: the record stays as it is
                writes.append((check, outcome, note, measured_value, photo, old))
            if errors:
                raise GroupRefused(errors)
            recorded = _write_results(inspection, writes, inspector=inspector, saved_names=saved_names)
    except Exception:
        _delete_files(saved_names)  # nothing half-written: stored photos go with the rolled-back results
        raise
    return recorded


def _results(inspection: Inspection) -> list[CheckResult]:
    return list(
        CheckResult.objects.filter(inspection=inspection, check_item__checklist_id=_checklist_id(inspection))
        .select_related("check_item")
        .order_by("check_item__position", "check_item_id")
    )


def _grade_of(inspection: Inspection, results: list[CheckResult]) -> GradeOutcome:
    return compute_grade(results, declared_grade=inspection.declared_grade)


def grade_preview(*, inspection_id: int) -> GradeOutcome:
    """The grade the results recorded so far lead to, with its defects and reasons (what the workbench
    shows while inspecting); `grade` is None once a critical defect means the item must fail."""
    inspection = Inspection.objects.get(pk=inspection_id)
    return _grade_of(inspection, _results(inspection))


def inspection_finish(
    inspection: Inspection, *, by: User, message: str, params: dict | None = None, note: str = ""
) -> Inspection:
    """Move to COMPLETED with the result already set on `inspection`, publish the report in the same
    transaction, and announce it once committed; `message`, `params` and `note` go on the event.
    Caller holds the row lock and has set the result fields; they are saved here."""
    result_fields = {
        name: getattr(inspection, name)
        for name in (
            "computed_grade",
            "grade",
            "grade_override_reason",
            "result",
            "fail_reason",
            "result_note",
            "authenticated",
            "escalated",
        )
    }
    inspection = inspection_move(
        inspection_id=inspection.pk,
        to=Status.COMPLETED,
        by=by,
        message=message,
        params=params,
        note=note[:NOTE_MAX_LENGTH],
    )
    for name, value in result_fields.items():
        setattr(inspection, name, value)
    inspection.completed_at = timezone.now()
    inspection.save(update_fields=[*result_fields, "completed_at", "updated_at"])
    report_publish(inspection=inspection)
    _send_on_commit(inspection_completed, inspection)
    return inspection


def _check_pass(
    inspection: Inspection, results: list[CheckResult], *, grade_override: str, override_reason: str
) -> tuple[str, str]:
    """The computed and the final grade for a pass, or InspectionError. Caller holds the row lock."""
    total = Check.objects.filter(checklist_id=_checklist_id(inspection)).count()
    unanswered = total - len(results)
    if unanswered > 0:
        raise InspectionError(
            ngettext(
                "%(count)d check is still unanswered; answer every check before passing the item.",
                "%(count)d checks are still unanswered; answer every check before passing the item.",
                unanswered,
            )
            % {"count": unanswered},
            code="checks_unanswered",
        )
    outcome = _grade_of(inspection, results)
    if outcome.grade is None:
        raise InspectionError(
            _("A critical defect (%(checks)s) cannot pass; fail the item instead.")
            % {"checks": ", ".join(outcome.failing_checks)},
            code="critical_defect",
        )
    computed = str(outcome.grade)
    if not grade_override:
        return computed, computed
    try:
        override = Grade(grade_override)
    except ValueError:
        raise InspectionError(
            _("Choose one of the grades."), code="grade_invalid", field="grade_override"
        ) from None
    if override != computed and not override_reason:
        raise InspectionError(
            _("Give a reason for changing the computed grade."),
            code="override_reason_required",
            field="override_reason",
        )
    return computed, str(override)


def inspection_complete(
    *,
    inspection_id: int,
    inspector: User,
    passed: bool,
    grade_override: str = "",
    override_reason: str = "",
    fail_reason: str = "",
    note: str = "",
) -> Inspection:
    """Finish an inspection as passed or failed.

    Passed: every check answered, no critical defect; the grade is computed from the results or
    overridden with a reason. A luxury item then waits for two authenticators
    (AWAITING_SECOND_OPINION); anything else is COMPLETED with its report published.
    Failed: a reason (counterfeit, not as declared, prohibited) and a note; COMPLETED, report published.
    Raises InspectionError (with `code` and `field`) and changes nothing when the input does not fit.
    """
    require_inspector(inspector)
    note = (note or "").strip()
    override_reason = (override_reason or "").strip()
    grade_override = (grade_override or "").strip()
    if len(note) > RESULT_NOTE_MAX_LENGTH:
        raise InspectionError(
            _("Keep the note under %(limit)d characters.") % {"limit": RESULT_NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )
    if len(override_reason) > NOTE_MAX_LENGTH:
        raise InspectionError(
            _("Keep the reason under %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH},
            code="override_reason_too_long",
            field="override_reason",
        )
    with transaction.atomic():
        inspection = _locked(inspection_id)
        _check_holds_claim(inspection, inspector)
        if not passed:
            try:
                reason = FailReason(fail_reason)
            except ValueError:
                raise InspectionError(
                    _("Choose why the item fails: counterfeit, not as declared or prohibited."),
                    code="fail_reason_required",
                    field="fail_reason",
                ) from None
            if not note:
                raise InspectionError(
                    _("Explain in the note why the item fails."), code="note_required", field="note"
                )
            inspection.result = InspectionResult.FAILED
            inspection.fail_reason = reason
            inspection.result_note = note
            if reason == FailReason.COUNTERFEIT:
                inspection.authenticated = False
            return inspection_finish(inspection, by=inspector, message="failed", params={"reason": reason})

        results = _results(inspection)
        computed, grade = _check_pass(
            inspection, results, grade_override=grade_override, override_reason=override_reason
        )
        inspection.computed_grade = computed
        inspection.grade = grade
        inspection.grade_override_reason = override_reason if grade != computed else ""
        inspection.result_note = note
        # The event says which grade it got; a changed grade is followed by the inspector's reason.
        changed = grade != computed
        grade_params = {"grade": grade, "computed": computed} if changed else {"grade": grade}
        reason_note = override_reason if changed else ""
        if category_is_luxury(inspection.category):
            fields = ["computed_grade", "grade", "grade_override_reason", "result_note"]
            inspection = inspection_move(
                inspection_id=inspection.pk,
                to=Status.AWAITING_SECOND_OPINION,
                by=inspector,
                message="awaiting_authenticators.grade_changed" if changed else "awaiting_authenticators",
                params=grade_params,
                note=reason_note,
            )
            inspection.computed_grade = computed
            inspection.grade = grade
            inspection.grade_override_reason = override_reason if grade != computed else ""
            inspection.result_note = note
            inspection.save(update_fields=[*fields, "updated_at"])
            return inspection
        inspection.result = InspectionResult.PASSED
        return inspection_finish(
            inspection,
            by=inspector,
            message="passed.grade_changed" if changed else "passed",
            params=grade_params,
            note=reason_note,
        )
