"""The inspectors' workbench: the queue of received items, claiming one, the checklist form, the grade
preview, completing as passed or failed, and handing an item back.

Only the `inspectors` group may use it (superusers too): anonymous visitors are sent to sign in,
anyone else signed in gets 403. An item's checklist page belongs to the inspector who claimed it;
another inspector gets 403 there, and an item nobody holds sends the visitor back to the queue.

Each check is its own small form. With JavaScript, htmx posts it and swaps the row for its saved
state (or its error) and the grade preview alongside; without, it is a normal POST that comes back
to the page at that row. The rules (a value in range, a note for a defect, every check answered, a
reason for an override) are the services'; their errors are shown next to the field they name.
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
from inspection.errors import InspectionError
from inspection.forms import CheckForm, FailForm, PassForm
from inspection.models import Check, CheckResult, Inspection, InspectionResult, InspectionStatus
from inspection.selectors import inspection_for_staff, queue_for_inspectors
from inspection.services.workbench import (
    check_photo_url,
    check_record,
    grade_preview,
    inspection_claim,
    inspection_claim_next,
    inspection_complete,
    inspection_release,
)
from marketplace.errors import InvalidTransition

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
    waiting = queue_for_inspectors(now=now)
    # Each row also carries `waited`, the time it has waited as the page says it.
    rows: list[Any] = list(waiting[:QUEUE_SIZE])
    # Items being inspected are bounded by the number of inspectors at work, so the cap is generous.
    claimed: list[Any] = list(_being_inspected()[:QUEUE_SIZE])
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


@dataclass
class CheckGroup:
    name: str
    rows: list[CheckRow]


def _held(request: AuthenticatedHttpRequest, pk: int) -> Inspection | HttpResponse:
    """The inspection if the signed-in inspector holds it; otherwise the answer to give instead."""
    try:
        inspection = inspection_for_staff(inspection_id=pk)
    except Inspection.DoesNotExist:
        raise Http404 from None
    if inspection.inspector_id != request.user.pk:
        if inspection.status == InspectionStatus.QUEUED:
            messages.info(request, _("Take this item from the queue before inspecting it."))
            return redirect("inspection:queue")
        raise PermissionDenied
    return inspection


def _groups(inspection: Inspection, bound: dict[int, CheckForm] | None = None) -> list[CheckGroup]:
    """The checklist grouped by group, in checklist order, each check with its saved result and a
    form showing it (or the bound form that failed, so its error and what was typed stay)."""
    bound = bound or {}
    results = {result.check_item_id: result for result in inspection.results.all()}
    groups: dict[str, CheckGroup] = {}
    for check in inspection.checklist.checks.all() if inspection.checklist else ():
        result = results.get(check.pk)
        form = bound.get(check.pk) or CheckForm(check=check, initial=_initial(result))
        groups.setdefault(check.group, CheckGroup(name=group_label(check.group), rows=[])).rows.append(
            CheckRow(check=check, result=result, form=form)
        )
    return list(groups.values())


def _initial(result: CheckResult | None) -> dict:
    if result is None:
        return {}
    return {"outcome": result.outcome, "note": result.note, "measured_value": result.measured_value}


def _page(
    request: HttpRequest,
    inspection: Inspection,
    *,
    bound: dict[int, CheckForm] | None = None,
    pass_form: PassForm | None = None,
    fail_form: FailForm | None = None,
    status: int = 200,
) -> HttpResponse:
    groups = _groups(inspection, bound)
    total = sum(len(group.rows) for group in groups)
    answered = sum(1 for group in groups for row in group.rows if row.result is not None)
    return render(
        request,
        "inspection/inspect.html",
        {
            "inspection": inspection,
            "groups": groups,
            "total": total,
            "answered": answered,
            "preview": grade_preview(inspection_id=inspection.pk),
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


@role_required(INSPECTORS)
@require_POST
def check_save(request: AuthenticatedHttpRequest, pk: int, check_id: int) -> HttpResponse:
    inspection = _in_progress(request, pk)
    if isinstance(inspection, HttpResponse):
        if is_htmx(request) and inspection.status_code == 302:
            # Not a row to swap in: the whole page goes where the redirect points.
            return HttpResponse(status=204, headers={"HX-Redirect": inspection["Location"]})
        return inspection
    check = get_object_or_404(Check, pk=check_id, checklist_id=inspection.checklist_id)
    form = CheckForm(request.POST, request.FILES, check=check)
    if form.is_valid():
        try:
            check_record(
                inspection_id=inspection.pk,
                inspector=request.user,
                check_id=check.pk,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                measured_value=form.cleaned_data.get("measured_value", ""),
                photo=form.cleaned_data["photo"],
            )
        except InspectionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    saved = form.is_valid()
    if is_htmx(request):
        # htmx swaps only 2xx answers, so a refused check is a 200 whose row shows the error.
        result = CheckResult.objects.filter(inspection_id=inspection.pk, check_item_id=check.pk).first()
        return render(
            request,
            "inspection/_check_saved.html",
            {
                "inspection": inspection,
                "row": CheckRow(
                    check=check,
                    result=result,
                    form=CheckForm(check=check, initial=_initial(result)) if saved else form,
                ),
                "saved": saved,
                "preview": grade_preview(inspection_id=inspection.pk),
                # Counted afresh: the inspection's prefetched results predate this save.
                "answered": CheckResult.objects.filter(inspection_id=inspection.pk).count(),
                "total": len(inspection.checklist.checks.all()) if inspection.checklist else 0,
            },
        )
    if saved:
        return redirect(reverse("inspection:inspect", args=[inspection.pk]) + f"#check-{check.pk}")
    return _page(request, inspection, bound={check.pk: form}, status=400)


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
