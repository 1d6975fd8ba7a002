"""Rate limits: how often one user (or, for people not signed in, one address) may do something
costly, counted in the cache with DRF's throttles. The API declares them as `throttle_classes`;
pages use the same throttle through `page_rate_limit`, so a person who switches between the API and
the pages draws on one allowance.

Each limit reads its rate from a setting (`"60/hour"`: a number per second, minute, hour or day),
listed in the README. Only requests that change something are counted: reading a page or a list
never uses up the allowance. The count lives in the default cache; a cache that does not answer
counts nothing, and the request goes through.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from marketplace.client_ip import client_ip


def whole_seconds(wait: float | None) -> int | None:
    """A throttle's wait rounded up to whole seconds, at least one (what Retry-After carries)."""
    return None if wait is None else max(1, int(wait + 0.999))


def retry_text(seconds: float | None) -> str:
    """'Try again in 14 minutes.', in the active language."""
    if not seconds or seconds < 1:
        return _("Try again in a moment.")
    moment = timezone.now() + timedelta(seconds=seconds + 1)
    return _("Try again in %(time)s.") % {"time": timeuntil(moment, depth=1)}


class RateLimited(Throttled):
    """429 with the limit's own message and when to try again; DRF adds `Retry-After`."""

    def __init__(self, *, message: str, wait: float | None) -> None:
        wait = whole_seconds(wait)
        super().__init__(detail=f"{message} {retry_text(wait)}", code="throttled")
        self.wait = wait


class RateLimit(SimpleRateThrottle):
    """A limit per signed-in user (per address for anyone else) on requests that change something.
    Subclasses name the setting that holds the rate and the message a person sees."""

    rate_setting = ""
    message = gettext_lazy("You have done this many times in a short while.")
    per_address = False  # count per address even for signed-in users (sign-up, password reset)

    def get_rate(self) -> str | None:
        # Read when checked, so that a changed setting (tests, a deployment) takes effect.
        return getattr(settings, self.rate_setting)

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self.per_address:
            ident = f"user:{user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"rate-limit:{self.rate_setting}:{ident}"


class PhotoUploadLimit(RateLimit):
    rate_setting = "PHOTO_UPLOAD_RATE"
    message = gettext_lazy("You have sent a lot of photos in a short while.")


class EstimateLimit(RateLimit):
    rate_setting = "ESTIMATE_RATE"
    message = gettext_lazy("You have asked for a lot of estimates in a short while.")


class SignUpLimit(RateLimit):
    rate_setting = "SIGN_UP_RATE"
    message = gettext_lazy("Many accounts have been created from your network in a short while.")
    per_address = True


class PasswordResetLimit(RateLimit):
    rate_setting = "PASSWORD_RESET_RATE"
    message = gettext_lazy("Many password reset e-mails have been asked for from your network.")
    per_address = True


class AccountEmailLimit(RateLimit):
    """Confirmation e-mails sent again on request."""

    rate_setting = "ACCOUNT_EMAIL_RATE"
    message = gettext_lazy("We have sent you several e-mails in a short while.")


def rate_limited_page(request: HttpRequest, *, message: str, wait: float | None) -> HttpResponse:
    """The page a person sees over a limit: what happened and when to try again (429)."""
    wait = whole_seconds(wait)
    response = render(request, "429.html", {"message": message, "retry": retry_text(wait)}, status=429)
    if wait is not None:
        response["Retry-After"] = str(wait)
    return response


def page_rate_limit(*limits: type[RateLimit]) -> Callable:
    """A page view decorator: a POST over any of `limits` gets the 429 page and the view is not run."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            for limit_class in limits:
                limit = limit_class()
                if not limit.allow_request(request, None):
                    return rate_limited_page(request, message=str(limit.message), wait=limit.wait())
            return view(request, *args, **kwargs)

        return limited

    return decorator


class RateLimitedMixin:
    """For API views: a request over a limit answers 429 `{"code": "throttled", "detail"}` naming the
    limit and when to try again. Put it before APIView in the bases."""

    def check_throttles(self, request) -> None:
        for throttle in self.get_throttles():  # type: ignore[attr-defined]
            if not throttle.allow_request(request, self):
                message = getattr(throttle, "message", "") or _("Too many requests.")
                raise RateLimited(message=str(message), wait=throttle.wait())
