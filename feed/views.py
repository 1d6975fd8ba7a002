"""Signals of interest from an item's page (its beacon), the shopper's own history, which they can
read and clear, and the switch that turns the feed's personalisation off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from feed import selectors
from feed.models import FeedSettings, SignalKind
from feed.ranking import feed_page
from feed.recording import history_clear, signal_record
from marketplace.redirects import safe_next_url

# What an item's page may say of itself (static/js/interest.js).
PAGE_KINDS = {SignalKind.VIEW.value, SignalKind.DWELL.value}


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
        signal_record(
            kind=SignalKind(kind), listing_id=listing_id, session_key=request.session.session_key or ""
        )
    return HttpResponse(status=204)


# The items a session was shown (it is never shown one twice), the latest this many, kept in the
# cache beside the session (not in it: the session would be written to the database on every page).
SHOWN_MAX = 600
SHOWN_TTL = 24 * 60 * 60


def _shown_key(session_key: str) -> str:
    return f"feed:shown:{session_key}"


# A visitor's choice, and a cached copy of a shopper's (FeedSettings).
PERSONALISED_KEY = "feed_personalised"


def _personalised(request: HttpRequest) -> bool:
    cached = request.session.get(PERSONALISED_KEY)
    if cached is None:
        cached = selectors.is_personalised(user=request.user) if request.user.is_authenticated else True
        request.session[PERSONALISED_KEY] = cached
    return bool(cached)


@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    """The for-you feed: a page of items for this shopper or visitor, each with why; with htmx (the
    list reaching its end, or "Show more"), the next page alone. "Start over" (`?again=1`) forgets
    what this session was shown."""
    if request.session.session_key is None:
        request.session.save()  # a visitor's feed follows their session
    session_key = request.session.session_key or ""
    shown: list[int] = [] if request.GET.get("again") else cache.get(_shown_key(session_key), [])
    personalised = _personalised(request)
    items = feed_page(
        user_id=request.user.pk if request.user.is_authenticated else None,
        session_key=session_key,
        personalised=personalised,
        exclude=set(shown),
    )
    cache.set(_shown_key(session_key), (shown + [item.listing.pk for item in items])[-SHOWN_MAX:], SHOWN_TTL)
    context = {"items": items, "personalised": personalised}
    if request.headers.get("HX-Request"):
        return render(request, "feed/_items.html", context)
    return render(request, "feed/for_you.html", context)


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
        FeedSettings.objects.update_or_create(user=request.user, defaults={"personalised": on})
    request.session[PERSONALISED_KEY] = on
    messages.success(
        request,
        _("Your feed is personalised from what you look at.")
        if on
        else _("Your feed no longer uses your history: it shows what is new and popular."),
    )
    return redirect(safe_next_url(request, fallback=reverse("feed:history")))
