"""What a locked-out person is told (django-axes' AXES_LOCKOUT_CALLABLE).

After SIGN_IN_FAILURE_LIMIT wrong passwords for one account or from one address, sign-in is paused
for SIGN_IN_LOCKOUT_MINUTES after the last try (a try during the pause starts it again, so guessing
on does not run the clock down). The sign-in page and the admin's answer with a page that says until
when; the API token endpoint with `429 {"code": "locked_out", "detail", "retry_after"}`. Both carry
`Retry-After`.
"""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_until() -> datetime:
    return timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)


def lockout_message(until: datetime) -> str:
    return _(
        "Too many wrong passwords: signing in to this account, or from your network, is paused. "
        "Try again after %(time)s (in %(minutes)s minutes), or reset your password."
    ) % {"time": date_format(until, "H:i"), "minutes": settings.SIGN_IN_LOCKOUT_MINUTES}


def lockout_json(request: HttpRequest) -> JsonResponse:
    """The API's answer, in the language the client asks for."""
    until = lockout_until()
    seconds = cooloff_seconds()
    with translation.override(translation.get_language_from_request(request)):
        body = {"code": "locked_out", "detail": lockout_message(until), "retry_after": seconds}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return lockout_json(request)
    until = lockout_until()
    response = render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message(until), "until": until},
        status=429,
    )
    response["Retry-After"] = str(cooloff_seconds())
    return response
