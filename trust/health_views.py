"""The account health page (points with their statement of reasons and expiry, restrictions with
their reasons, the store and its deposit) with the seller's appeals, and the staff desk for
violations, appeals and thresholds. Writes go through trust.services.violations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.roles import OPERATIONS
from marketplace.errors import DomainError
from providers.scope import require_platform_role
from trust import selectors
from trust.forms import AppealDecisionForm, AppealForm, ThresholdForm, ViolationForm
from trust.models import Appeal, Rule, Threshold, Violation
from trust.services import violations


@login_required
@require_GET
def health(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "trust/health.html",
        {
            "health": selectors.health_of(user=request.user),
            "appeal_form": AppealForm(),
        },
    )


@login_required
@require_POST
def appeal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        violations.appeal_open(
            violation_id=pk, seller=request.user, statement=request.POST.get("statement", "")
        )
    except Violation.DoesNotExist:
        raise Http404(_("No such decision about you.")) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your appeal is sent: another member of staff decides it."))
    return redirect("trust:health")


def _desk(request: AuthenticatedHttpRequest, form: ViolationForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "trust/violations.html",
        {
            "form": form,
            "appeals": selectors.appeals_open(),
            "recent": selectors.violations_recent(),
            "thresholds": list(Threshold.objects.order_by("points")),
            "rules": list(Rule.objects.order_by("points", "code")),
        },
        status=status,
    )


@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Operations record a violation with its evidence, decide appeals and set the thresholds."""
    require_platform_role(request.user, OPERATIONS)
    rules = list(Rule.objects.order_by("points", "code"))
    form = ViolationForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        seller = User.objects.filter(username=form.cleaned_data["seller"].strip()).first()
        if seller is None:
            form.add_error("seller", _("No user has that username."))
        else:
            try:
                violations.violation_decide(
                    seller_id=seller.pk,
                    rule_code=form.cleaned_data["rule"],
                    evidence=form.cleaned_data["evidence"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("The decision is recorded; the seller is told why and how to appeal.")
                )
                return redirect("trust:violations")
    return _desk(request, form, status=400 if form.errors else 200)


@login_required
@require_POST
def appeal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    form = AppealDecisionForm(request.POST)
    form.is_valid()
    try:
        decided = violations.appeal_decide(
            appeal_id=pk,
            by=request.user,
            overturn=request.POST.get("decision") == "overturn",
            reason=form.cleaned_data.get("reason", ""),
        )
    except Appeal.DoesNotExist:
        raise Http404(_("No such appeal.")) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The appeal is decided: %(status)s.") % {"status": decided.get_status_display()}
        )
    return redirect("trust:violations")


@login_required
@require_POST
def threshold(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    form = ThresholdForm(request.POST)
    form.is_valid()
    try:
        violations.threshold_set(
            kind=form.cleaned_data.get("kind", ""),
            points=form.cleaned_data.get("points", ""),
            cap=form.cleaned_data.get("cap", ""),
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The threshold is saved; sellers' restrictions follow it at once."))
    return redirect("trust:violations")
