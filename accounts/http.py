"""The request types of views that only a signed-in user reaches.

Django types `request.user` as `User | AnonymousUser`. Behind `login_required` (pages) or
`IsAuthenticated` (API) it is always a `User`; these say so once instead of at every use.
"""

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The annotation of a page view behind `login_required`: its user is signed in."""

    user: User


def api_user(request: Request) -> User:
    """The user of an API request that passed `IsAuthenticated` (a view without it must not call this)."""
    return cast(User, request.user)
