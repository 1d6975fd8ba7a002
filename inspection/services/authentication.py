"""Authenticity of luxury items: two different authenticators give a verdict each.

Both genuine: the item passes, authenticated, with the grade its inspector gave. Both counterfeit: it
fails as counterfeit. They disagree: the inspection is escalated and waits in the escalation queue
until a third authenticator, different from both, decides with a note. Every verdict is a row of its
own (AuthenticityVerdict) and an entry in the audit trail.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import AUTHENTICATORS, has_role
from inspection.errors import InspectionError
from inspection.models import AuthenticityVerdict, FailReason, Inspection, InspectionResult, Verdict
from inspection.models import InspectionStatus as Status
from inspection.services.workbench import NOTE_MAX_LENGTH, inspection_finish, record_event
from providers.scope import scoped

VERDICTS_NEEDED = 2


def require_authenticator(user: User) -> None:
    if not has_role(user, AUTHENTICATORS):
        raise PermissionDenied(_("Only authenticators can do this."))


def _valid_verdict(verdict: str) -> Verdict:
    try:
        return Verdict(verdict)
    except ValueError:
        raise InspectionError(
            _("Choose genuine or counterfeit."), code="verdict_invalid", field="verdict"
        ) from None


def _locked_awaiting(inspection_id: int, by: User) -> Inspection:
    """The inspection under a row lock, if it is waiting for authenticators and of `by`'s provider
    (another's is as missing as none); caller is in a transaction."""
    inspection = scoped(Inspection.objects.select_for_update(), by).filter(pk=inspection_id).first()
    if inspection is None:
        raise InspectionError(_("There is no such inspection."), code="not_found")
    if inspection.status != Status.AWAITING_SECOND_OPINION:
        raise InspectionError(
            _("%(code)s is not waiting for authentication (now: %(status)s).")
            % {"code": inspection.subject_code, "status": inspection.get_status_display()},
            code="not_awaiting_authentication",
        )
    return inspection


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InspectionError(
            _("Keep the note under %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )
    return note


def _add_verdict(inspection: Inspection, *, by: User, verdict: Verdict, note: str) -> None:
    """Caller holds the row lock and has checked that `by` gave no verdict yet."""
    try:
        with transaction.atomic():
            AuthenticityVerdict.objects.create(inspection=inspection, by=by, verdict=verdict, note=note)
    except IntegrityError:  # the unique (inspection, by) constraint, should a check be bypassed
        raise _same_person() from None
    record_event(inspection, by=by, message="verdict.given", params={"verdict": verdict}, note=note)


def _same_person() -> InspectionError:
    return InspectionError(
        _("You have already given a verdict on this item; a different authenticator must give the next one."),
        code="same_person",
    )


def _decide(inspection: Inspection, *, verdict: Verdict, by: User, note: str) -> Inspection:
    """Complete with the agreed verdict. Caller holds the row lock."""
    if verdict == Verdict.GENUINE:
        inspection.authenticated = True
        inspection.result = InspectionResult.PASSED
        return inspection_finish(inspection, by=by, message="authenticated.genuine", note=note)
    inspection.authenticated = False
    inspection.result = InspectionResult.FAILED
    inspection.fail_reason = FailReason.COUNTERFEIT
    inspection.grade = ""
    inspection.computed_grade = ""
    inspection.grade_override_reason = ""
    inspection.result_note = note or _("Authenticators found the item counterfeit.")
    return inspection_finish(inspection, by=by, message="authenticated.counterfeit", note=note)


def authenticity_verdict_add(
    *, inspection_id: int, by: User, verdict: Verdict | str, note: str = ""
) -> Inspection:
    """Give one authenticity verdict on a luxury item waiting for a second opinion.

    The same person cannot give both verdicts (InspectionError `same_person`, nothing changes). After
    the second verdict: agreement completes the inspection (report and signal); disagreement escalates.
    """
    require_authenticator(by)
    verdict = _valid_verdict(verdict)
    note = _check_note(note)
    with transaction.atomic():
        inspection = _locked_awaiting(inspection_id, by)
        if inspection.escalated:
            raise InspectionError(
                _(
                    "The authenticators disagreed; a third authenticator resolves this in the escalation queue."
                ),
                code="escalated",
            )
        given = list(inspection.verdicts.all())
        if any(existing.by_id == by.pk for existing in given):
            raise _same_person()
        _add_verdict(inspection, by=by, verdict=verdict, note=note)
        given_verdicts = [existing.verdict for existing in given] + [verdict]
        if len(given_verdicts) < VERDICTS_NEEDED:
            return inspection
        if len(set(given_verdicts)) == 1:
            return _decide(inspection, verdict=verdict, by=by, note=note)
        inspection.escalated = True
        inspection.save(update_fields=["escalated", "updated_at"])
        record_event(inspection, by=by, message="authenticators.disagree")
        return inspection


def authenticity_escalation_resolve(
    *, inspection_id: int, by: User, verdict: Verdict | str, note: str
) -> Inspection:
    """A third authenticator, different from the two who disagreed, decides an escalated item; the
    note explaining the decision is required."""
    require_authenticator(by)
    verdict = _valid_verdict(verdict)
    note = _check_note(note)
    if not note:
        raise InspectionError(_("Explain the decision in the note."), code="note_required", field="note")
    with transaction.atomic():
        inspection = _locked_awaiting(inspection_id, by)
        if not inspection.escalated:
            raise InspectionError(
                _("%(code)s is not escalated.") % {"code": inspection.subject_code}, code="not_escalated"
            )
        if inspection.verdicts.filter(by=by).exists():
            raise _same_person()
        _add_verdict(inspection, by=by, verdict=verdict, note=note)
        return _decide(inspection, verdict=verdict, by=by, note=note)
