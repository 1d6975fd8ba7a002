"""API plumbing shared by every app: the base view that answers in the client's language, the
exception handler that turns domain errors into 4xx, and the digits of a money field."""

from typing import TypedDict

from django.utils import translation
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.errors import DomainError
from marketplace.rate_limits import RateLimitedMixin


class DecimalDigits(TypedDict):
    max_digits: int
    decimal_places: int


# The digits of every amount, as in the models: `serializers.DecimalField(**MONEY)`.
MONEY: DecimalDigits = {"max_digits": 12, "decimal_places": 2}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """The one answer to a domain error: `{"code", "detail"}`, and where one input is at fault its
    name as `field` and the message under it (`{"field": "amount", "amount": ["…"]}`), the way DRF
    answers a serializer's field errors. A view whose field names differ from the service's argument
    names maps them in `error_fields`. Any other exception is DRF's to answer, or a logged 500."""
    if isinstance(exc, DomainError):
        names = getattr(context.get("view"), "error_fields", {})
        return domain_error_response(exc, [names.get(exc.field, exc.field)] if exc.field else [])
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Throttled) and response is not None:
        # A rate limit is a domain answer too: `{"code": "throttled", "detail"}`, and Retry-After.
        response.data = {"code": "throttled", "detail": str(exc.detail)}
    return response


def domain_error_response(error: DomainError, fields: list[str]) -> Response:
    """The body of every domain error's answer. `fields` are the API names of the inputs at fault: the
    first is `field`, and each carries the message (a photo check may fault several photos at once)."""
    body: dict = {"code": error.code, "detail": str(error)}
    if fields:
        body["field"] = fields[0]
        body.update({field: [str(error)] for field in fields})
    return Response(body, status=error.status_code)


class LocalizedAPIView(RateLimitedMixin, APIView):
    """Answers in the language the client asks for.

    API paths carry no language prefix, and with `prefix_default_language=False` LocaleMiddleware
    reads an unprefixed path as the default language. A client instead says which language it wants
    with Accept-Language (or the site's language cookie); names of categories and brands, grade
    labels and error messages follow it.
    """

    def initial(self, request: Request, *args, **kwargs) -> None:
        translation.activate(translation.get_language_from_request(request._request))
        super().initial(request, *args, **kwargs)
