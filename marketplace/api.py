"""API plumbing shared by every app: the base view that answers in the client's language, and the
exception handler that turns domain errors into 4xx."""

from django.utils import translation
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.errors import DomainError


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": str(exc)}, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, ValueError | TypeError):
        # Malformed values that slipped past a serializer are still the client's mistake.
        return Response({"code": "invalid", "detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return response


class LocalizedAPIView(APIView):
    """Answers in the language the client asks for.

    API paths carry no language prefix, and with `prefix_default_language=False` LocaleMiddleware
    reads an unprefixed path as the default language. A client instead says which language it wants
    with Accept-Language (or the site's language cookie); names of categories and brands, grade
    labels and error messages follow it.
    """

    def initial(self, request: Request, *args, **kwargs) -> None:
        translation.activate(translation.get_language_from_request(request._request))
        super().initial(request, *args, **kwargs)
