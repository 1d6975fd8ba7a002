"""The seller's consignment pages: confirming the agreement, choosing what happens to an unsold item,
and the money timeline. Each looks the submission up among the seller's own (anyone else's is a 404,
as if it did not exist), calls one service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from consignment import selectors
from consignment.forms import AcceptForm, UnsoldChoiceForm
from consignment.models import ConsignmentStatus
from consignment.services.agreement import consignment_accept, final_offer_check
from consignment.services.errors import ConsignmentError
from consignment.services.lifecycle import consignment_buyout_accept, consignment_return
from marketplace.errors import DomainError
from recycling.models import Submission
from shipping.carriers import CarrierUnavailable


def _own_submission(request: AuthenticatedHttpRequest, submission_id: int) -> Submission:
    try:
        return selectors.seller_submission(submission_id=submission_id, user=request.user)
    except Submission.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    """GET: the agreement to confirm (list price, commission, drops with dates and prices, floor,
    term, expected payout). POST (from here or the offer page): accept it with the floor given."""
    submission = _own_submission(request, submission_id)
    if selectors.consignment_of(submission=submission) is not None and request.method == "GET":
        return redirect("consignment:money", submission_id=submission.pk)
    offer = selectors.final_offer(submission=submission)
    closed = ""
    try:
        final_offer_check(submission=submission, offer=offer, now=timezone.now())
    except ConsignmentError as error:
        closed = error.message
    if offer is None or offer.list_price is None:
        raise Http404
    form = AcceptForm(request.POST or None, initial={"floor": offer.floor_default})
    if request.method == "POST" and form.is_valid():
        try:
            consignment_accept(
                submission_id=submission.pk, seller=request.user, floor=form.cleaned_data["floor"]
            )
        except ConsignmentError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Agreed: your item is on sale."))
            return redirect("consignment:money", submission_id=submission.pk)
    return render(
        request,
        "consignment/accept.html",
        {
            "submission": submission,
            "offer": offer,
            "terms": selectors.agreement_preview(offer=offer),
            "form": form,
            "closed": closed,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unsold(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    """An item that did not sell in its term: take it back free, or sell it to Reloop."""
    submission = _own_submission(request, submission_id)
    consignment = selectors.consignment_of(submission=submission)
    if consignment is None:
        raise Http404
    if consignment.status != ConsignmentStatus.UNSOLD:
        return redirect("consignment:money", submission_id=submission.pk)
    buyout = selectors.open_buyout_offer(submission=submission)
    form = UnsoldChoiceForm(request.POST or None, buyout_amount=buyout.cash_amount if buyout else None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        try:
            if choice == UnsoldChoiceForm.RETURN:
                consignment_return(submission_id=submission.pk, seller=request.user)
                messages.success(request, _("We are sending your item back to you, free of charge."))
            else:
                consignment_buyout_accept(submission_id=submission.pk, seller=request.user)
                messages.success(request, _("Sold to Reloop: the money is on its way to your wallet."))
        except CarrierUnavailable:
            form.add_error(
                None, _("The carrier is not answering just now. Please try again in a few minutes.")
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("consignment:money", submission_id=submission.pk)
    return render(
        request,
        "consignment/unsold.html",
        {"submission": submission, "consignment": consignment, "buyout": buyout, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def money(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    """Where the item is and what has been paid or is expected for it, with each fee line."""
    try:
        timeline = selectors.money_timeline(submission_id=submission_id, user=request.user)
    except Submission.DoesNotExist:
        raise Http404 from None
    if not timeline.offers:
        raise Http404  # nothing about money to show before an offer
    return render(
        request, "consignment/money.html", {"timeline": timeline, "submission": timeline.submission}
    )
