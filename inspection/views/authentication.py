"""The authenticators' pages: luxury items awaiting a verdict, and the escalations where two
authenticators disagreed and a third decides.

Only the `authenticators` group may use them (superusers too). Each item shows what the inspection
found (defects, measured values, photos) and what the seller declared, with their photos, next to its
verdict form; a refused verdict (the same person twice, an item no longer waiting) is shown on that
item's form, with the page answering 400. Authentication is blind: an authenticator sees no other
verdict before giving their own, and once they have, sees their own verdict instead of the form. The
third authenticator of an escalation sees both verdicts: deciding between them is their job.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import AUTHENTICATORS
from inspection.errors import InspectionError
from inspection.forms import ResolveForm, VerdictForm
from inspection.models import CheckOutcome, CheckResult, Inspection
from inspection.selectors import authentication_queue, escalation_queue
from inspection.services.authentication import authenticity_escalation_resolve, authenticity_verdict_add
from inspection.services.workbench import check_photo_url
from inspection.subjects import subject_details
from inspection.views.workbench import role_required, waited
from marketplace.errors import InvalidTransition
from providers.scope import provider_scope

# Oldest first; the total is shown when there are more.
LIST_SIZE = 30


@dataclass
class Findings:
    """What the inspection found, as an authenticator reads it before giving a verdict."""

    passed: int
    defects: list[CheckResult]
    measured: list[CheckResult]
    photos: list[tuple[str, str]]  # (url, the check's label)


def _findings(inspection: Inspection) -> Findings:
    results = list(inspection.results.all())
    return Findings(
        passed=sum(1 for result in results if result.outcome == CheckOutcome.PASS),
        defects=[result for result in results if result.outcome == CheckOutcome.DEFECT],
        measured=[result for result in results if result.measured_value],
        photos=[
            (check_photo_url(result.photo_key), result.check_item.display_label)
            for result in results
            if result.photo_key
        ],
    )


def _render_list(
    request: HttpRequest,
    *,
    template: str,
    items: QuerySet[Inspection],
    form_class: type[Form],
    bound: dict[int, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    items = items.prefetch_related(
        Prefetch(
            "results",
            queryset=CheckResult.objects.select_related("check_item").order_by("check_item__position", "id"),
        )
    )
    # Each row also carries what the page shows beside the inspection: its form, findings, the time it
    # has waited and whether this authenticator already gave a verdict.
    rows: list[Any] = list(items[:LIST_SIZE])
    shown = {item.pk for item in rows}
    # A refused verdict on an item that left the list (decided meanwhile) is said at the top.
    errors = [
        error
        for pk, form in bound.items()
        if pk not in shown
        for errors in form.errors.values()
        for error in errors
    ]
    declared = subject_details(item.subject_code for item in rows)
    for item in rows:
        item.form = bound.get(item.pk) or form_class(prefix=f"item-{item.pk}")
        item.findings = _findings(item)
        item.declared = declared.get(item.subject_code)
        item.waited = waited(item.waiting)
        item.my_verdict = next(
            (given for given in item.verdicts.all() if given.by_id == request.user.pk), None
        )
    return render(request, template, {"items": rows, "total": items.count(), "errors": errors}, status=status)


@role_required(AUTHENTICATORS)
@require_GET
def authentication(request: HttpRequest) -> HttpResponse:
    return _render_list(
        request,
        template="inspection/authentication.html",
        items=authentication_queue(scope=provider_scope(request.user)),
        form_class=VerdictForm,
    )


@role_required(AUTHENTICATORS)
@require_POST
def verdict(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=VerdictForm,
        service=authenticity_verdict_add,
        done=_("Your verdict on %(code)s “%(title)s” is recorded."),
        template="inspection/authentication.html",
        queue=authentication_queue,
        back_to="inspection:authentication",
    )


@role_required(AUTHENTICATORS)
@require_GET
def escalations(request: HttpRequest) -> HttpResponse:
    return _render_list(
        request,
        template="inspection/escalations.html",
        items=escalation_queue(scope=provider_scope(request.user)),
        form_class=ResolveForm,
    )


@role_required(AUTHENTICATORS)
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        form_class=ResolveForm,
        service=authenticity_escalation_resolve,
        done=_("%(code)s “%(title)s” is decided."),
        template="inspection/escalations.html",
        queue=escalation_queue,
        back_to="inspection:escalations",
    )


def _decide(request, pk, *, form_class, service, done, template, queue, back_to) -> HttpResponse:
    """A verdict or an escalation decision: call the service, then back to its list with a message,
    or the list again with the form's errors on that item."""
    inspection = get_object_or_404(Inspection, pk=pk)
    form = form_class(request.POST, prefix=f"item-{pk}")
    if form.is_valid():
        try:
            service(
                inspection_id=pk,
                by=request.user,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
            )
        except (InspectionError, InvalidTransition) as error:
            form.add_error(_field(error, form), _error_text(error))
        else:
            messages.success(request, done % {"code": inspection.subject_code, "title": inspection.title})
            return redirect(back_to)
    return _render_list(
        request,
        template=template,
        items=queue(scope=provider_scope(request.user)),
        form_class=form_class,
        bound={pk: form},
        status=400,
    )


def _field(error: Exception, form: Form) -> str | None:
    field = getattr(error, "field", None)
    return field if field in form.fields else None


def _error_text(error: InspectionError | InvalidTransition) -> str:
    if isinstance(error, InvalidTransition):
        return _("This item is no longer waiting for a verdict.")
    return error.message
