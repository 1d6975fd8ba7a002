"""Signals of interest from an item's page (its beacon), the shopper's own history, which they can
read and clear, and the switch that turns the feed's personalisation off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from feed import selectors
from feed.models import SignalKind
from feed.ranking import feed_next
from feed.recording import history_clear, personalisation_set, signal_record
from marketplace.redirects import safe_next_url

# What an item's page may say of itself (static/js/interest.js).
PAGE_KINDS = {SignalKind.VIEW.value, SignalKind.DWELL.value}
# A visitor's choice (a shopper's is kept with their account: FeedSettings).
PERSONALISED_KEY = "feed_personalised"
# Whether a visitor's session has signals: until it does, their feed does not look for a history.
HAS_HISTORY = "feed_history"


@require_POST
def seen(request: HttpRequest) -> HttpResponse:
    """An item's page was seen, or looked at closely: a signal of the signed-in shopper, or of the
    visitor's session (made now if they have none, so that their feed can follow it). 204, or 400
    for anything else."""
    kind = request.POST.get("kind", "")
    try:
        listing_id = int(request.POST.get("listing", ""))
    except ValueError:
        listing_id = 0
    if kind not in PAGE_KINDS or not 0 < listing_id < 2**63:
        return HttpResponseBadRequest("kind: view or dwell; listing: an item's number")
    if request.user.is_authenticated:
        signal_record(kind=SignalKind(kind), listing_id=listing_id, user_id=request.user.pk)
    else:
        if request.session.session_key is None:
            request.session.save()
        if not request.session.get(HAS_HISTORY):
            request.session[HAS_HISTORY] = True
        signal_record(
            kind=SignalKind(kind), listing_id=listing_id, session_key=request.session.session_key or ""
        )
    return HttpResponse(status=204)


def _personalised(request: HttpRequest) -> bool:
    if request.user.is_authenticated:
        return selectors.is_personalised(user=request.user)
    return bool(request.session.get(PERSONALISED_KEY, True))


@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    """The for-you feed: a page of items for this shopper or visitor, each with why; with htmx (the
    list reaching its end, or "Show more"), the next page alone. "Start over" (`?again=1`) forgets
    what this session was shown."""
    if request.session.session_key is None:
        request.session.save()  # a visitor's feed follows their session
    session_key = request.session.session_key or ""
    personalised = _personalised(request)
    items = feed_next(
        shown_key=f"feed:shown:{session_key}",
        again=bool(request.GET.get("again")),
        user_id=request.user.pk if request.user.is_authenticated else None,
        session_key=session_key if request.session.get(HAS_HISTORY) else "",
        personalised=personalised,
    )
    # The items by Jinja2 (templates/feed/_items.jinja), as the channel renders its cards.
    items_html = render_to_string("feed/_items.jinja", {"items": items}, request=request, using="jinja2")
    if request.headers.get("HX-Request"):
        return HttpResponse(items_html)
    return render(
        request,
        "feed/for_you.html",
        {
            "items": items,
            "items_html": mark_safe(items_html),  # noqa: S308 - rendered by an autoescaping template
            "personalised": personalised,
        },
    )


@login_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "feed/history.html",
        {
            "signals": list(selectors.history_of(user=request.user)),
            "personalised": selectors.is_personalised(user=request.user),
            "shown": selectors.HISTORY_SHOWN,
        },
    )


@login_required
@require_POST
def history_forget(request: AuthenticatedHttpRequest) -> HttpResponse:
    history_clear(user=request.user)
    messages.success(request, _("Your history is cleared: the feed starts afresh."))
    return redirect("feed:history")


@require_POST
def personalisation(request: HttpRequest) -> HttpResponse:
    """Turn personalisation on or off; the choice is kept with the account (a visitor's, with their
    session)."""
    on = request.POST.get("personalised") == "on"
    if request.user.is_authenticated:
        personalisation_set(user=request.user, on=on)
    else:
        request.session[PERSONALISED_KEY] = on
    messages.success(
        request,
        _("Your feed is personalised from what you look at.")
        if on
        else _("Your feed no longer uses your history: it shows what is new and popular."),
    )
    return redirect(safe_next_url(request, fallback=reverse("feed:history")))
