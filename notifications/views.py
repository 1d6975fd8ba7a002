"""The notifications pages: the list, opening one, marking all read, the bell's count (htmx asks for
it on every page and again every half minute), preferences and the e-mail's one-click unsubscribe."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from marketplace.pagination import cursor_page, page_links
from notifications.kinds import GROUPS, KINDS
from notifications.models import Notification
from notifications.selectors import notifications_for, unread_count
from notifications.services import (
    BadUnsubscribeLink,
    localized_link,
    notification_open,
    notifications_mark_all_read,
    preferences_for,
    preferences_set,
    unsubscribe,
    unsubscribe_target,
)


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = cursor_page(request, lambda cursor: notifications_for(user=request.user, cursor=cursor))
    context = {"notifications": page.items, "unread": any(n.read_at is None for n in page.items)}
    return render(request, "notifications/list.html", {**context, **page_links(page)})


@login_required
@require_GET
def notification_go(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open a notification: it is read now, and the page it is about opens."""
    try:
        notification = notification_open(notification_id=pk, user=request.user)
    except Notification.DoesNotExist:
        raise Http404(_("No such notification.")) from None
    # The link is a path this site wrote, opened in the reader's language; anything else goes back to
    # the list.
    link = notification.link
    if not link.startswith("/") or link.startswith("//"):
        return redirect("notifications:list")
    return redirect(localized_link(link, get_language()))


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header's bell with the unread count, for htmx to swap in; signed out, the plain bell."""
    count = unread_count(user=request.user) if isinstance(request.user, User) else 0
    response = render(request, "notifications/_bell.html", {"unread_count": count, "polling": True})
    response["Cache-Control"] = "private, no-store"
    return response


class PreferencesForm(forms.Form):
    """Two boxes per kind: in the app, and by e-mail."""

    def __init__(self, *args, initial_choices: dict[str, tuple[bool, bool]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in KINDS:
            in_app, email = initial_choices[code]
            self.fields[f"{code}:app"] = forms.BooleanField(
                label=_("In the app"), required=False, initial=in_app
            )
            self.fields[f"{code}:email"] = forms.BooleanField(
                label=_("By e-mail"), required=False, initial=email
            )

    def chosen(self) -> dict[str, tuple[bool, bool]]:
        return {
            code: (self.cleaned_data[f"{code}:app"], self.cleaned_data[f"{code}:email"]) for code in KINDS
        }

    def groups(
        self,
    ) -> list[tuple[Any, list[tuple[Any, forms.BoundField, forms.BoundField]]]]:
        rows: dict[str, list] = {group: [] for group in GROUPS}
        for code, kind in KINDS.items():
            rows[kind.group].append((kind.label, self[f"{code}:app"], self[f"{code}:email"]))
        return [(GROUPS[group], items) for group, items in rows.items() if items]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = preferences_for(request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        preferences_set(user=request.user, chosen=form.chosen())
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail programs post the one-click form without a session
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link checker or a preview must not unsubscribe anyone); POST, from the page's button
    or a mail program's one-click unsubscribe (RFC 8058), turns the kind's e-mail off."""
    try:
        _user, code = unsubscribe(token=token) if request.method == "POST" else unsubscribe_target(token)
    except BadUnsubscribeLink:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    context = {"kind": KINDS[code], "token": token, "done": request.method == "POST"}
    return render(request, "notifications/unsubscribe.html", context)
