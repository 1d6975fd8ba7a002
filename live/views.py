"""Live pages: the shows coming and live, and a show's room (phone first): the video, the pinned
item's card with its flash sale, the line-up and the chat. The room hears what happens over its
websocket (static/js/room.js); every action is also a plain form, so the room works without it."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.models import thumbnail_url
from live import selectors
from live.consumers import viewers_of
from live.models import Show, ShowClip, ShowStatus
from live.services import chat, flash, shows
from marketplace.errors import DomainError

CHAT_SHOWN = 40


@require_GET
def show_list(request: HttpRequest) -> HttpResponse:
    return render(request, "live/shows.html", {"shows": list(selectors.shows_upcoming())})


def _page(request: HttpRequest, pk: int) -> selectors.ShowPage:
    try:
        return selectors.show_for_page(show_id=pk, viewer=request.user)
    except Show.DoesNotExist:
        raise Http404(_("No such show.")) from None


def _card_context(request: HttpRequest, page: selectors.ShowPage) -> dict:
    """The pinned item's card: the listing, its picture, its report's QR, and the flash sale."""
    pinned = next((item for item in page.items if page.pin and item.listing_id == page.pin.listing_id), None)
    listing = pinned.listing if pinned is not None else None
    qr = ""
    if listing is not None and listing.report_code:
        report = request.build_absolute_uri(reverse("reports:detail", args=[listing.report_code]))
        qr = segno.make(report, error="m").svg_inline(scale=2, omitsize=False)
    flash_sale = (
        page.flash_sale if page.flash_sale and listing and page.flash_sale.listing_id == listing.pk else None
    )
    return {
        "page": page,
        "show": page.show,
        "listing": listing,
        # the smallest thumbnail: 96 px shown, sharp on a 2x screen
        "picture": thumbnail_url(listing.cover_key, min(settings.LISTING_THUMBNAIL_WIDTHS))
        if listing is not None and listing.cover_key
        else "",
        "report_qr": qr,
        "flash_sale": flash_sale,
    }


@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk)
    ended = page.show.status == ShowStatus.ENDED
    context = {
        **_card_context(request, page),
        # An ended show's replay: one chapter per item the host explained.
        "clips": list(ShowClip.objects.filter(show_id=pk).select_related("listing").order_by("offset"))
        if ended
        else [],
        "chat": chat.chat_history(show_id=pk, limit=CHAT_SHOWN),
        "viewers": viewers_of(pk),
        # The room's websocket, where an ASGI server stands behind the page (under WSGI, as in the
        # browse benchmark or the test server, there is none) and the show is not over.
        "socket_path": f"/ws/live/{pk}/" if isinstance(request, ASGIRequest) and not ended else "",
        "open": page.show.status in (ShowStatus.SCHEDULED, ShowStatus.LIVE),
    }
    return render(request, "live/room.html", context)


@require_GET
def room_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The card alone, for the room to fetch again when the pin or the flash sale changes."""
    return render(request, "live/_card.html", _card_context(request, _page(request, pk)))


def _back(pk: int) -> HttpResponse:
    return redirect("live:room", pk=pk)


@require_POST
@login_required
def grab(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        flash_sale_id = int(request.POST.get("flash_sale", ""))
        order = flash.flash_grab(flash_sale_id=flash_sale_id, buyer=request.user)
    except ValueError:
        messages.error(request, _("That flash sale is over."))
        return _back(pk)
    except DomainError as error:
        messages.error(request, str(error))
        return _back(pk)
    messages.success(request, _("It's yours: pay within the reservation to keep it."))
    return redirect("orders:detail", order.number)


@require_POST
@login_required
def waitlist(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        flash.flash_waitlist_join(flash_sale_id=int(request.POST.get("flash_sale", "")), user=request.user)
    except ValueError:
        messages.error(request, _("That flash sale is over."))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You are on the wait-list: if the holder does not pay, it is offered to you.")
        )
    return _back(pk)


@require_POST
@login_required
def chat_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        chat.chat_post(show_id=pk, author=request.user, text=request.POST.get("text", ""))
    except DomainError as error:
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(
                str(error), status=error.status_code, content_type="text/plain; charset=utf-8"
            )
        messages.error(request, str(error))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return _back(pk)


@require_POST
@login_required
def rsvp(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        if request.POST.get("action") == "cancel":
            shows.show_rsvp_cancel(show_id=pk, user=request.user)
        else:
            shows.show_rsvp(show_id=pk, user=request.user)
            messages.success(request, _("We will tell you when it starts."))
    except DomainError as error:
        messages.error(request, str(error))
    return _back(pk)
