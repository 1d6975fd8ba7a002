"""The shopper's own signals of interest, which they can read and clear, and the switch that turns
the feed's personalisation off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from feed import selectors
from feed.models import FeedSettings
from feed.recording import history_clear
from marketplace.redirects import safe_next_url


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


@login_required
@require_POST
def personalisation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn personalisation on or off; the choice is kept with the account."""
    on = request.POST.get("personalised") == "on"
    FeedSettings.objects.update_or_create(user=request.user, defaults={"personalised": on})
    messages.success(
        request,
        _("Your feed is personalised from what you look at.")
        if on
        else _("Your feed no longer uses your history: it shows what is new and popular."),
    )
    return redirect(safe_next_url(request, fallback=reverse("feed:history")))
