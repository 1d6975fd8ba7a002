"""The inspectors' workbench: the queue of received items, claiming one, the checklist form, the grade
preview, completing as passed or failed, and handing an item back.

Only the `inspectors` group may use it (superusers too): anonymous visitors are sent to sign in,
anyone else signed in gets 403. An item's checklist page belongs to the inspector who claimed it;
another inspector gets 403 there, and an item nobody holds sends the visitor back to the queue.

Each group of the checklist (identity, screen, function…) is one form, saved with one press: "Save
group" records what was answered in it, "Pass every remaining check in this group" also passes its
checks that have no result yet. All or nothing: one refused answer and nothing of the group is
written. With JavaScript, htmx posts the group and swaps it for its saved state (or its errors) and
the grade preview alongside, and static/js/workbench.js adds keyboard shortcuts; without, it is a
normal POST that comes back to the page at that group. The rules (a value in range, a note for a
defect, every check answered, a reason for an override) are the services'; their errors are shown
next to the field they name. Beside the checklist: what the seller declared, with their photos.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import INSPECTORS, require_role
from inspection.checklists import group_label
from inspection.errors import GroupRefused, InspectionError, group_refused_message
from inspection.forms import CheckForm, CheckGroupForm, FailForm, PassForm
from inspection.grading import GradeOutcome, compute_grade
from inspection.models import (
    Check,
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionResult,
    InspectionStatus,
)
from inspection.selectors import check_rows, inspection_for_staff, queue_for_inspectors
from inspection.services.workbench import (
    CheckAnswer,
    check_group_record,
    check_photo_url,
    inspection_claim,
    inspection_claim_next,
    inspection_complete,
    inspection_release,
)
from inspection.subjects import subject_details
from marketplace.errors import InvalidTransition
from providers.scope import provider_scope, within

# The queue shows the oldest first (they have waited longest) and stops here; the total is shown.
QUEUE_SIZE = 50


def role_required(role: str) -> Callable:
    """Anonymous → sign in; signed in without `role` → 403 (superusers have every role)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            require_role(request.user, role)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def waited(elapsed: timedelta) -> str:
    """How long an item has waited, as a person at the bench says it: "12 min", "3 h", "2 days"."""
    elapsed = max(elapsed, timedelta(0))
    if elapsed < timedelta(hours=1):
        minutes = int(elapsed.total_seconds() // 60)
        return ngettext("%(count)d min", "%(count)d min", minutes) % {"count": minutes}
    if elapsed < timedelta(hours=48):
        hours = int(elapsed.total_seconds() // 3600)
        return ngettext("%(count)d h", "%(count)d h", hours) % {"count": hours}
    return ngettext("%(count)d day", "%(count)d days", elapsed.days) % {"count": elapsed.days}


def _being_inspected() -> QuerySet[Inspection]:
    """Items claimed by any inspector, the one claimed first first, with who holds them."""
    return (
        Inspection.objects.filter(status=InspectionStatus.IN_PROGRESS)
        .select_related("category", "inspector")
        .order_by("claimed_at", "id")
    )


@role_required(INSPECTORS)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    scope = provider_scope(request.user)
    waiting = queue_for_inspectors(scope=scope, now=now)
    # Each row also carries `waited`, the time it has waited as the page says it.
    rows: list[Any] = list(waiting[:QUEUE_SIZE])
    # Items being inspected are bounded by the number of inspectors at work, so the cap is generous.
    claimed: list[Any] = list(within(_being_inspected(), scope)[:QUEUE_SIZE])
    for item in rows:
        item.waited = waited(item.waiting)
    for item in claimed:
        item.waited = waited(now - item.created_at)
    return render(
        request,
        "inspection/queue.html",
        {"items": rows, "total": waiting.count(), "claimed": claimed},
    )


@role_required(INSPECTORS)
@require_POST
def claim_next(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        inspection = inspection_claim_next(inspector=request.user)
    except InspectionError as error:  # e.g. no checklist for the oldest item's category yet
        messages.error(request, error.message)
        return redirect("inspection:queue")
    if inspection is None:
        messages.info(request, _("Nothing is waiting for inspection."))
        return redirect("inspection:queue")
    return redirect("inspection:inspect", pk=inspection.pk)


@role_required(INSPECTORS)
@require_POST
def claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Inspection, pk=pk)
    try:
        inspection = inspection_claim(inspection_id=pk, inspector=request.user)
    except (InspectionError, InvalidTransition) as error:
        messages.error(request, _claim_error_text(error))
        return redirect("inspection:queue")
    return redirect("inspection:inspect", pk=inspection.pk)


def _claim_error_text(error: Exception) -> str:
    if isinstance(error, InspectionError):  # held by someone else, or no longer queued
        return error.message
    return _("This item is no longer waiting for inspection.")


@dataclass
class CheckRow:
    check: Check
    result: CheckResult | None
    form: CheckForm

    @property
    def photo_url(self) -> str:
        return check_photo_url(self.result.photo_key) if self.result and self.result.photo_key else ""

    @property
    def shows_extra(self) -> bool:
        """Whether the note and photo show whatever is chosen: they hold something, or an error. (A
        row otherwise shows them when "defect" is chosen, by CSS.)"""
        form = self.form
        typed = form.is_bound and (form.data.get(form.add_prefix("note")) or "").strip()
        recorded = self.result is not None and bool(self.result.note or self.result.photo_key)
        return bool(typed or recorded or form.errors.get("note") or form.errors.get("photo"))


@dataclass
class CheckGroup:
    """One group of the checklist, saved as one form; `anchor` is its element id on the page."""

    code: str
    name: str
    anchor: str
    rows: list[CheckRow]
    form: CheckGroupForm | None = None
    is_open: bool = False
    # Said on the group after a save with htmx: how many checks it recorded.
    saved_message: str = ""

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.result is not None)

    @property
    def defects(self) -> int:
        return sum(
            1 for row in self.rows if row.result is not None and row.result.outcome == CheckOutcome.DEFECT
        )

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def errors(self) -> list[str]:
        return self.form.group_errors if self.form else []

    @property
    def has_errors(self) -> bool:
        return self.form is not None and self.form.has_errors


def _held(request: AuthenticatedHttpRequest, pk: int) -> Inspection | HttpResponse:
    """The inspection if the signed-in inspector holds it; otherwise the answer to give instead."""
    try:
        inspection = inspection_for_staff(inspection_id=pk, scope=provider_scope(request.user))
    except Inspection.DoesNotExist:
        raise Http404 from None
    if inspection.inspector_id != request.user.pk:
        if inspection.status == InspectionStatus.QUEUED:
            messages.info(request, _("Take this item from the queue before inspecting it."))
            return redirect("inspection:queue")
        raise PermissionDenied
    return inspection


def _groups(
    inspection: Inspection, *, bound: CheckGroupForm | None = None, bound_group: str = ""
) -> list[CheckGroup]:
    """The checklist grouped by group, in checklist order, each check with its saved result and a
    form showing it (or, in `bound_group`, the bound form that was refused, so that its errors and
    what was typed stay). The first group with a check unanswered is open, and so is a refused one."""
    groups: dict[str, CheckGroup] = {}
    for check, result in check_rows(inspection):
        group = groups.get(check.group)
        if group is None:
            group = groups[check.group] = CheckGroup(
                code=check.group, name=group_label(check.group), anchor=f"group-{len(groups) + 1}", rows=[]
            )
        group.rows.append(
            CheckRow(check=check, result=result, form=CheckForm(check=check, initial=_initial(result)))
        )
    for group in groups.values():
        if bound is not None and group.code == bound_group:
            group.form = bound
            group.is_open = True
            for row in group.rows:
                row.form = bound.forms[row.check.pk]
    first_incomplete = next((group for group in groups.values() if not group.complete), None)
    if first_incomplete is not None and not any(group.is_open for group in groups.values()):
        first_incomplete.is_open = True
    return list(groups.values())


def _group_form(group: CheckGroup, request: HttpRequest) -> CheckGroupForm:
    return CheckGroupForm(
        request.POST,
        request.FILES,
        checks=[row.check for row in group.rows],
        initial={row.check.pk: _initial(row.result) for row in group.rows},
    )


def _initial(result: CheckResult | None) -> dict:
    if result is None:
        return {}
    return {"outcome": result.outcome, "note": result.note, "measured_value": result.measured_value}


def _preview(inspection: Inspection) -> GradeOutcome:
    """The grade the recorded results lead to, from the results the selector prefetched (no query)."""
    results = [result for _check, result in check_rows(inspection) if result is not None]
    return compute_grade(results, declared_grade=inspection.declared_grade)


def _page(
    request: HttpRequest,
    inspection: Inspection,
    *,
    bound: CheckGroupForm | None = None,
    bound_group: str = "",
    pass_form: PassForm | None = None,
    fail_form: FailForm | None = None,
    status: int = 200,
) -> HttpResponse:
    groups = _groups(inspection, bound=bound, bound_group=bound_group)
    total = sum(group.total for group in groups)
    answered = sum(group.answered for group in groups)
    declared = subject_details([inspection.subject_code]).get(inspection.subject_code)
    return render(
        request,
        "inspection/inspect.html",
        {
            "inspection": inspection,
            "groups": groups,
            "total": total,
            "answered": answered,
            "preview": _preview(inspection),
            "declared": declared,
            "pass_form": pass_form or PassForm(prefix="pass"),
            "fail_form": fail_form or FailForm(prefix="fail"),
            # After a refused completion, the checks still to answer are marked.
            "mark_unanswered": pass_form is not None and pass_form.errors,
        },
        status=status,
    )


@role_required(INSPECTORS)
@require_GET
def inspect(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection = _held(request, pk)
    if isinstance(inspection, HttpResponse):
        return inspection
    if inspection.status != InspectionStatus.IN_PROGRESS:
        report = getattr(inspection, "report", None)  # joined by the selector; None until published
        return render(
            request,
            "inspection/done.html",
            {"inspection": inspection, "report_code": report.code if report else ""},
        )
    return _page(request, inspection)


def _in_progress(request: AuthenticatedHttpRequest, pk: int) -> Inspection | HttpResponse:
    inspection = _held(request, pk)
    if isinstance(inspection, HttpResponse):
        return inspection
    if inspection.status != InspectionStatus.IN_PROGRESS:
        messages.info(request, _("This inspection is already finished."))
        return redirect("inspection:inspect", pk=pk)
    return inspection


def _saved_text(recorded: list[CheckResult]) -> str:
    if not recorded:
        return _("Nothing to save: no answer in this group changed.")
    return ngettext("%(count)d check saved.", "%(count)d checks saved.", len(recorded)) % {
        "count": len(recorded)
    }


@role_required(INSPECTORS)
@require_POST
def group_save(request: AuthenticatedHttpRequest, pk: int, group: str) -> HttpResponse:
    """Save one group of the checklist: "Save group" records what was answered in it, "Pass every
    remaining check in this group" also passes each of its checks that has no result yet. All or
    nothing: a refused answer shows its error on its row and nothing of the group is written."""
    inspection = _in_progress(request, pk)
    if isinstance(inspection, HttpResponse):
        if is_htmx(request) and inspection.status_code == 302:
            # Not a group to swap in: the whole page goes where the redirect points.
            return HttpResponse(status=204, headers={"HX-Redirect": inspection["Location"]})
        return inspection
    target = next((item for item in _groups(inspection) if item.code == group), None)
    if target is None:
        raise Http404
    form = _group_form(target, request)
    saved: list[CheckResult] | None = None
    if form.is_valid():
        answers = [
            CheckAnswer(
                check_id=check_id,
                outcome=check_form.cleaned_data.get("outcome", ""),
                note=check_form.cleaned_data.get("note", ""),
                measured_value=check_form.cleaned_data.get("measured_value", ""),
                photo=check_form.cleaned_data.get("photo"),
            )
            for check_id, check_form in form.forms.items()
        ]
        try:
            saved = check_group_record(
                inspection_id=inspection.pk,
                inspector=request.user,
                group=target.code,
                answers=answers,
                pass_remaining=form.pass_remaining,
            )
        except GroupRefused as refused:
            for check_id, error in refused.errors.items():
                form.add_check_error(check_id, error.field, error.message)
            form.group_errors.append(refused.message)
        except InspectionError as error:
            form.group_errors.append(error.message)
    elif not form.group_errors:  # a choice or a file the form itself refused, on its check
        at_fault = sum(1 for check_form in form.forms.values() if check_form.errors)
        form.group_errors.append(group_refused_message(at_fault))
    anchor_url = reverse("inspection:inspect", args=[inspection.pk]) + f"#{target.anchor}"
    if is_htmx(request):
        # htmx swaps only 2xx answers, so a refused group is a 200 that shows its errors.
        if saved is not None:
            fresh = inspection_for_staff(inspection_id=inspection.pk, scope=None)  # held: theirs
            groups = _groups(fresh)
            answered_group = next(item for item in groups if item.code == target.code)
            answered_group.saved_message = _saved_text(saved)
            answered_group.is_open = not answered_group.complete
        else:
            fresh = inspection
            groups = _groups(inspection, bound=form, bound_group=target.code)
            answered_group = next(item for item in groups if item.code == target.code)
        return render(
            request,
            "inspection/_check_saved.html",
            {
                "inspection": fresh,
                "group": answered_group,
                "preview": _preview(fresh),
                "answered": sum(item.answered for item in groups),
                "total": sum(item.total for item in groups),
            },
        )
    if saved is not None:
        messages.success(
            request, _("%(group)s: %(saved)s") % {"group": target.name, "saved": _saved_text(saved)}
        )
        return redirect(anchor_url)
    return _page(request, inspection, bound=form, bound_group=target.code, status=400)


@role_required(INSPECTORS)
@require_POST
def complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Two forms post here: "pass" (grade as computed, or another with a reason) and "fail"."""
    inspection = _in_progress(request, pk)
    if isinstance(inspection, HttpResponse):
        return inspection
    passed = request.POST.get("result") != InspectionResult.FAILED
    form = PassForm(request.POST, prefix="pass") if passed else FailForm(request.POST, prefix="fail")
    if form.is_valid():
        data = form.cleaned_data
        try:
            inspection_complete(
                inspection_id=inspection.pk,
                inspector=request.user,
                passed=passed,
                grade_override=data.get("grade_override", ""),
                override_reason=data.get("override_reason", ""),
                fail_reason=data.get("fail_reason", ""),
                note=data["note"],
            )
        except InspectionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("inspection:inspect", pk=inspection.pk)
    if isinstance(form, PassForm):
        return _page(request, inspection, pass_form=form, status=400)
    return _page(request, inspection, fail_form=form, status=400)


@role_required(INSPECTORS)
@require_POST
def release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    inspection = _in_progress(request, pk)
    if isinstance(inspection, HttpResponse):
        return inspection
    try:
        inspection_release(inspection_id=inspection.pk, inspector=request.user)
    except (InspectionError, InvalidTransition) as error:
        messages.error(request, str(error))
        return redirect("inspection:inspect", pk=inspection.pk)
    messages.success(
        request,
        _("%(code)s “%(title)s” is back in the queue.")
        % {"code": inspection.subject_code, "title": inspection.title},
    )
    return redirect("inspection:queue")
