"""The wallet pages: a user's own wallet, and operations' queue of withdrawals awaiting approval.

/wallet/ needs a signed-in user and shows only their own money. /staff/payouts/ needs the operations
role: visitors are sent to sign in, anyone else signed in gets 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import OPERATIONS, require_platform_role
from marketplace.errors import InvalidTransition
from marketplace.keyset import InvalidCursor
from marketplace.templatetags.money import money
from wallet.errors import WalletError
from wallet.forms import RejectForm, WithdrawForm, new_request_key
from wallet.models import Withdrawal, WithdrawalStatus
from wallet.selectors import (
    wallet_entries,
    wallet_summary,
    withdrawals_awaiting_approval,
    withdrawals_for_user,
)
from wallet.services.withdrawals import withdrawal_approve, withdrawal_reject, withdrawal_request

ENTRIES_PER_PAGE = 25
WITHDRAWALS_SHOWN = 10
QUEUE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                withdrawal = withdrawal_request(
                    user=request.user,
                    amount=form.cleaned_data["amount"],
                    destination=form.cleaned_data["destination"],
                    request_key=form.cleaned_data["request_key"],
                )
            except WalletError as error:
                field = getattr(error, "field", None)
                form.add_error(
                    field if field in form.fields and field != "request_key" else None, error.message
                )
            else:
                values = {
                    "withdrawal": withdrawal,
                    "amount": money(withdrawal.amount),
                    "status": withdrawal.get_status_display(),
                    "threshold": money(settings.WITHDRAWAL_APPROVAL_THRESHOLD),
                    "hours": settings.WITHDRAWAL_APPROVAL_HOURS,
                }
                if withdrawal.status == WithdrawalStatus.REQUESTED:
                    text = _(
                        "Withdrawal %(withdrawal)s of %(amount)s is waiting for approval: a person on our "
                        "team checks every withdrawal above %(threshold)s, in case someone else is using "
                        "your account. That takes up to %(hours)s hours; the money is held meanwhile."
                    )
                else:
                    text = _("Withdrawal %(withdrawal)s of %(amount)s: %(status)s.")
                messages.success(request, text % values)
                return redirect("wallet:home")
    else:
        form = WithdrawForm(initial={"request_key": new_request_key()})

    cursor_error = ""
    try:
        entries = wallet_entries(request.user, cursor=request.GET.get("cursor"), size=ENTRIES_PER_PAGE)
    except InvalidCursor as error:
        cursor_error = error.message
        entries = wallet_entries(request.user, size=ENTRIES_PER_PAGE)
    return render(
        request,
        "wallet/home.html",
        {
            "summary": wallet_summary(request.user),
            "entries": entries,
            "cursor_error": cursor_error,
            "withdrawals": withdrawals_for_user(request.user, size=WITHDRAWALS_SHOWN).items,
            "form": form,
            "approval_threshold": settings.WITHDRAWAL_APPROVAL_THRESHOLD,
            "approval_hours": settings.WITHDRAWAL_APPROVAL_HOURS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET"])
def staff_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    return render(
        request,
        "wallet/staff_queue.html",
        {"withdrawals": withdrawals_awaiting_approval(limit=QUEUE_SIZE), "reject_form": RejectForm()},
    )


@login_required
@require_POST
def staff_approve(request: AuthenticatedHttpRequest, withdrawal_id: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    if not Withdrawal.objects.filter(pk=withdrawal_id).exists():
        raise Http404
    try:
        withdrawal = withdrawal_approve(withdrawal_id=withdrawal_id, by=request.user)
    except InvalidTransition:
        messages.error(request, _("This withdrawal is no longer waiting for approval."))
    else:
        messages.success(
            request,
            _("Withdrawal %(withdrawal)s approved; it is being paid out.") % {"withdrawal": withdrawal},
        )
    return redirect("wallet_staff:queue")


@login_required
@require_POST
def staff_reject(request: AuthenticatedHttpRequest, withdrawal_id: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    if not Withdrawal.objects.filter(pk=withdrawal_id).exists():
        raise Http404
    form = RejectForm(request.POST)
    if not form.is_valid():
        for error in form.errors["reason"]:
            messages.error(request, error)  # type: ignore[arg-type]  # an ErrorList yields its messages (the stubs type the stored errors)
        return redirect("wallet_staff:queue")
    try:
        withdrawal = withdrawal_reject(
            withdrawal_id=withdrawal_id, by=request.user, reason=form.cleaned_data["reason"]
        )
    except InvalidTransition:
        messages.error(request, _("This withdrawal is no longer waiting for approval."))
    except WalletError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Withdrawal %(withdrawal)s refused; the money is back in the wallet.")
            % {"withdrawal": withdrawal},
        )
    return redirect("wallet_staff:queue")
