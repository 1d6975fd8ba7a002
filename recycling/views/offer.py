"""The final offer page: the inspected grade and report, the cash offer and the consignment terms side
by side, why the offer differs from the estimate, and the seller's three answers (take the cash,
consign it, decline and get it back). Consigning is answered by the consignment app's view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from recycling.errors import SubmissionError
from recycling.models import OfferKind, Submission, SubmissionStatus
from recycling.offers import offer_figures
from recycling.selectors import offer_to_answer, offers_for, report_code_for, submissions_visible_to
from recycling.services.offers import offer_accept_recycle, offer_decline


@login_required
@require_GET
def offer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Four queries after the session and user: the submission, its offers, the report's code (and
    none in the template)."""
    submission = get_object_or_404(submissions_visible_to(request.user), pk=pk)
    offers = offers_for(submission)
    current = offer_to_answer(offers, submission)
    final = offers.get(OfferKind.FINAL)
    now = timezone.now()
    today = timezone.localdate()
    is_owner = submission.seller_id == request.user.pk
    figures = offer_figures(final, now=now, listed_on=today) if final is not None else None
    buyout = offers.get(OfferKind.BUYOUT)
    can_answer = (
        is_owner
        and current is not None
        and not current.decision
        and current.valid_until > now
        and submission.status in (SubmissionStatus.OFFERED, SubmissionStatus.UNSOLD)
    )
    return render(
        request,
        "recycling/offer.html",
        {
            "submission": submission,
            "offer": final,
            "figures": figures,
            "buyout": buyout,
            "buyout_figures": offer_figures(buyout, now=now, listed_on=today) if buyout else None,
            "current": current,
            "can_answer": can_answer,
            "can_consign": can_answer and current is not None and current.kind == OfferKind.FINAL,
            "report_code": report_code_for(submission),
        },
    )


def _answer(request: AuthenticatedHttpRequest, pk: int, service) -> HttpResponse:
    try:
        service(submission_id=pk, seller=request.user)
    except Submission.DoesNotExist as error:  # someone else's: as if it did not exist
        raise Http404 from error
    except SubmissionError as error:
        messages.error(request, error.message)
    return redirect("recycling:offer", pk=pk)


@login_required
@require_POST
def offer_recycle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take the cash."""
    return _answer(request, pk, offer_accept_recycle)


@login_required
@require_POST
def offer_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Decline and get the item back free."""
    return _answer(request, pk, offer_decline)
