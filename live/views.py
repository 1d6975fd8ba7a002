"""Live pages: the shows coming and live, and a show's room (phone first): the video, the pinned
item's card with its flash sale, the line-up and the chat. The room hears what happens over its
websocket (static/js/room.js); every action is also a plain form, so the room works without it."""

from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.errors import PhotoRejected
from listings.models import thumbnail_url
from live import selectors
from live.consumers import viewers_of
from live.errors import LiveError
from live.forms import ScheduleForm
from live.models import Show, ShowStatus
from live.services import chat, flash, room, shows
from marketplace.errors import DomainError

CHAT_SHOWN = 40


@require_GET
def show_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "live/shows.html",
        {"shows": list(selectors.shows_upcoming()), "may_host": shows.may_host(request.user)},
    )


def _page(request: HttpRequest, pk: int) -> selectors.ShowPage:
    try:
        return selectors.show_for_page(show_id=pk, viewer=request.user)
    except Show.DoesNotExist:
        raise Http404(_("No such show.")) from None


def _card_context(request: HttpRequest, page: selectors.ShowPage) -> dict:
    """The pinned item's card: the listing, its picture, its report's QR, and the flash sale."""
    listing = page.pinned
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
def show_room(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk)
    ended = page.show.status == ShowStatus.ENDED
    context = {
        **_card_context(request, page),
        # An ended show's replay: one chapter per item the host explained.
        "clips": list(selectors.clips_of(show_id=pk)) if ended else [],
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


# The host's side: their shows, scheduling one, and the console that drives it.


def _may_host_or_403(user) -> None:
    if not shows.may_host(user):
        raise PermissionDenied(_("Your account cannot host live shows."))


@login_required
def hosting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A host's shows, and the form to schedule the next."""
    _may_host_or_403(request.user)
    platform = shows.is_platform_host(request.user)
    choices = selectors.lineup_choices(host=request.user, platform=platform)
    form = ScheduleForm(request.POST or None, request.FILES or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            show = shows.show_schedule(
                host=request.user,
                title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"],
                listing_ids=form.listing_ids(),
                cover=form.cleaned_data["cover"],
            )
        except DomainError as error:
            field = (
                "cover"
                if isinstance(error, PhotoRejected)
                else {"listing_ids": "listings"}.get(error.field or "", error.field)
            )
            form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(
                request, _("Your show is scheduled: shoppers can ask to be told when it starts.")
            )
            return redirect("live:console", pk=show.pk)
    return render(
        request,
        "live/hosting.html",
        {"form": form, "shows": list(selectors.shows_hosted_by(host=request.user)), "platform": platform},
    )


def _console_allowed(request: AuthenticatedHttpRequest, pk: int) -> None:
    """404 for no such show, 403 for anyone but its host and its moderators. Two queries at most."""
    show = Show.objects.filter(pk=pk).first()
    if show is None:
        raise Http404(_("No such show."))
    if not selectors.may_moderate(show, request.user):
        raise PermissionDenied(_("Only the show's host and its moderators can open its console."))


def _console(request: AuthenticatedHttpRequest, pk: int) -> selectors.ConsolePage:
    try:
        console = selectors.console_for(show_id=pk, viewer=request.user)
    except Show.DoesNotExist:
        raise Http404(_("No such show.")) from None
    if not console.page.moderates:
        raise PermissionDenied(_("Only the show's host and its moderators can open its console."))
    return console


def _console_context(request: AuthenticatedHttpRequest, console: selectors.ConsolePage) -> dict:
    show = console.page.show
    return {
        "console": console,
        "page": console.page,
        "show": show,
        "is_host": console.page.is_host,
        "flash_sale": console.page.flash_sale,
        "seconds_min": flash.FLASH_SECONDS_MIN,
        "seconds_max": flash.FLASH_SECONDS_MAX,
        "rtmp_url": settings.LIVE_RTMP_URL,
        "viewers": viewers_of(show.pk),
    }


@login_required
@require_GET
def console(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The host's console (a moderator's, with the chat alone): go live, pin, flash sales, the chat's
    moderation, the end. It hears the room's websocket and asks for its parts again."""
    context = _console_context(request, _console(request, pk))
    show = context["show"]
    open_show = show.status in (ShowStatus.SCHEDULED, ShowStatus.LIVE)
    context["socket_path"] = (
        f"/ws/live/{pk}/?console=1" if isinstance(request, ASGIRequest) and open_show else ""
    )
    return render(request, "live/console.html", context)


CONSOLE_PARTS = {"controls": "live/_console_controls.html", "chat": "live/_console_chat.html"}


@login_required
@require_GET
def console_part(request: AuthenticatedHttpRequest, pk: int, part: str) -> HttpResponse:
    if part not in CONSOLE_PARTS:
        raise Http404
    return render(request, CONSOLE_PARTS[part], _console_context(request, _console(request, pk)))


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        value = int(request.POST.get(name, ""))
    except ValueError:
        value = 0
    if not 0 < value < 2**63:
        raise LiveError(_("That choice is no longer there: reload the console."), code="choice_missing")
    return value


def _flash_seconds(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("seconds", ""))
    except ValueError:
        return 0  # flash_sale_start names the range


# Each console action: the part of the console it changes, what it does, and what the host reads.
CONSOLE_ACTIONS: dict[str, tuple[str, Callable[[AuthenticatedHttpRequest, int], object], Promise]] = {
    "start": (
        "controls",
        lambda r, pk: shows.show_start(show_id=pk, by=r.user),
        gettext_lazy("You are live."),
    ),
    "end": (
        "controls",
        lambda r, pk: shows.show_end(show_id=pk, by=r.user),
        gettext_lazy("The show has ended."),
    ),
    "cancel": (
        "controls",
        lambda r, pk: shows.show_cancel(show_id=pk, by=r.user),
        gettext_lazy("The show is called off."),
    ),
    "pin": (
        "controls",
        lambda r, pk: room.show_pin(show_id=pk, by=r.user, listing_id=_posted_id(r, "listing")),
        gettext_lazy("Pinned: every viewer sees it on their card."),
    ),
    "unpin": ("controls", lambda r, pk: room.show_unpin(show_id=pk, by=r.user), gettext_lazy("Taken down.")),
    "flash": (
        "controls",
        lambda r, pk: flash.flash_sale_start(
            show_id=pk, by=r.user, seconds=_flash_seconds(r), price=r.POST.get("price", "")
        ),
        gettext_lazy("The flash sale is on."),
    ),
    "remove": (
        "chat",
        lambda r, pk: chat.chat_remove(message_id=_posted_id(r, "message"), by=r.user),
        gettext_lazy("The message is removed."),
    ),
    "mute": (
        "chat",
        lambda r, pk: chat.viewer_mute(show_id=pk, user_id=_posted_id(r, "user"), by=r.user),
        gettext_lazy("Muted: they can watch, not write."),
    ),
    "unmute": (
        "chat",
        lambda r, pk: chat.viewer_unmute(show_id=pk, user_id=_posted_id(r, "user"), by=r.user),
        gettext_lazy("They can write again."),
    ),
    "moderator": (
        "chat",
        lambda r, pk: chat.moderator_appoint(show_id=pk, user_id=_posted_id(r, "user"), by=r.user),
        gettext_lazy("They moderate the chat now."),
    ),
    "unmoderator": (
        "chat",
        lambda r, pk: chat.moderator_remove(show_id=pk, user_id=_posted_id(r, "user"), by=r.user),
        gettext_lazy("They no longer moderate the chat."),
    ),
}


@login_required
@require_POST
def console_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """One console action. With htmx, the part it changed comes back with the outcome in it; without,
    the console again with the outcome as a message."""
    if action not in CONSOLE_ACTIONS:
        raise Http404
    part, act, done = CONSOLE_ACTIONS[action]
    _console_allowed(request, pk)  # the service checks the rest
    outcome, failed = str(done), False
    try:
        act(request, pk)
    except DomainError as error:
        outcome, failed = str(error), True
    if request.headers.get("HX-Request"):
        context = _console_context(request, _console(request, pk))
        return render(request, CONSOLE_PARTS[part], {**context, "outcome": outcome, "failed": failed})
    (messages.error if failed else messages.success)(request, outcome)
    return redirect("live:console", pk=pk)
