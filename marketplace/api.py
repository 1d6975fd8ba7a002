"""API plumbing shared by every app: the exception handler that turns domain errors into 4xx."""

from rest_framework import status
from rest_framework.response import Response
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
