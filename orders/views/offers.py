"""Offer pages: the offers on my listings and the ones I made, one thread of offers (a listing and its
shopper) with the answers that apply, the form to make an offer, and the thread's panel, which the
conversation page shows too and which asks for itself again when the websocket says it changed.

Every offer is read through orders.selectors.offer_for_party, which filters by the signed-in person's
part in it: somebody else's offer or thread is a 404, the same answer as one that does not exist.
Each answer is a POST to its own URL, which redirects back (to `next` on this site, else the thread)
with a message; on bad input the message says what is wrong and nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.models import Listing, ListingStatus
from marketplace.errors import DomainError, InvalidTransition
from marketplace.pagination import cursor_page, page_links
from marketplace.redirects import safe_next_url
from orders.models import Offer, OfferStatus
from orders.offer_panel import offer_panel_context
from orders.selectors import offer_for_party, offers_for_user
from orders.services.offers import (
    offer_accept,
    offer_counter,
    offer_decline,
    offer_make,
    offer_withdraw,
)

ROLES = ("received", "made")


def _listing_or_404(listing_id: int) -> Listing:
    listing = (
        Listing.objects.only("id", "title", "price", "status", "seller_id", "cover_key", "language", "source")
        .filter(pk=listing_id)
        .exclude(status=ListingStatus.DRAFT)
        .first()
    )
    if listing is None:
        raise Http404(_("No such listing."))
    return listing


@login_required
@require_GET
def offer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    role = request.GET.get("role", "received")
    if role not in ROLES:
        role = "received"
    page = cursor_page(request, lambda cursor: offers_for_user(user=request.user, role=role, cursor=cursor))
    return render(request, "orders/offers.html", {"offers": page.items, "role": role, **page_links(page)})


@login_required
def offer_new(request: AuthenticatedHttpRequest, listing_id: int) -> HttpResponse:
    """The shopper's thread on one listing, with the form to make an offer."""
    listing = _listing_or_404(listing_id)
    if listing.seller_id == request.user.pk:
        messages.info(request, _("This is your own listing: offers on it are under “Offers received”."))
        return redirect("offers:list")
    if request.method == "POST":
        try:
            offer = offer_make(
                buyer=request.user, listing_id=listing.pk, amount=request.POST.get("amount", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            _tell_outcome(request, offer)
            if offer.order is not None:
                return redirect("orders:pay", number=offer.order.number)
            return redirect(safe_next_url(request, reverse("offers:new", args=[listing.pk])))
    else:
        status = 200
    context = offer_panel_context(user=request.user, listing=listing, buyer_id=request.user.pk)
    return render(request, "orders/offer_thread.html", context, status=status)


def _tell_outcome(request: HttpRequest, offer: Offer) -> None:
    if offer.status == OfferStatus.DECLINED:
        messages.warning(
            request,
            _("Declined at once: the seller does not accept offers this low. You may offer more."),
        )
    elif offer.status == OfferStatus.ACCEPTED:
        messages.success(request, _("Accepted! The item is reserved for you at this price: pay to finish."))
    else:
        messages.success(request, _("Offer sent. We tell you when the seller answers."))


@login_required
@require_GET
def offer_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The thread an offer belongs to, for either of its two people."""
    try:
        offer = offer_for_party(offer_id=pk, user=request.user)
    except Offer.DoesNotExist:
        raise Http404(_("No such offer.")) from None
    context = offer_panel_context(user=request.user, listing=offer.listing, buyer_id=offer.buyer_id)
    return render(
        request,
        "orders/offer_thread.html",
        {**context, "other": offer.buyer if context["is_seller"] else offer.seller},
    )


@login_required
@require_GET
def offer_panel(request: AuthenticatedHttpRequest, listing_id: int, buyer_id: int) -> HttpResponse:
    """The thread's panel alone, for the pages that show it to ask for it again."""
    listing = _listing_or_404(listing_id)
    if request.user.pk not in (buyer_id, listing.seller_id) or buyer_id == listing.seller_id:
        raise Http404(_("No such offer."))
    next_url = safe_next_url(request, "")
    context = offer_panel_context(user=request.user, listing=listing, buyer_id=buyer_id, next_url=next_url)
    return render(request, "orders/_offer_panel.html", context)


def _answer(request: AuthenticatedHttpRequest, pk: int, act, success) -> HttpResponse:
    """Run the answer `act`; `success(offer)` is the message when it went through."""
    try:
        offer = act()
    except ObjectDoesNotExist:
        raise Http404(_("No such offer.")) from None
    except InvalidTransition:
        messages.error(request, _("This offer is no longer open."))
        offer = None
    except DomainError as error:
        messages.error(request, error.message)
        offer = None
    else:
        messages.success(request, success(offer))
    if offer is not None and offer.order is not None and offer.buyer_id == request.user.pk:
        return redirect("orders:pay", number=offer.order.number)
    return redirect(safe_next_url(request, reverse("offers:thread", args=[offer.pk if offer else pk])))


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        lambda: offer_accept(offer_id=pk, by=request.user),
        lambda offer: (
            _("Accepted! The item is reserved for you at this price: pay to finish.")
            if offer.by_seller
            else _("Accepted: the item is reserved for the shopper at this price while they pay.")
        ),
    )


@login_required
@require_POST
def decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, lambda: offer_decline(offer_id=pk, by=request.user), lambda offer: _("Offer declined.")
    )


@login_required
@require_POST
def counter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        lambda: offer_counter(offer_id=pk, by=request.user, amount=request.POST.get("amount", "")),
        lambda offer: _("Counter sent. We tell you when they answer."),
    )


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, lambda: offer_withdraw(offer_id=pk, by=request.user), lambda offer: _("Offer withdrawn.")
    )
