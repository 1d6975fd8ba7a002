"""Writes for accounts."""

from rest_framework.authtoken.models import Token

from accounts.models import User


def auth_token_issue(*, user: User) -> Token:
    """The user's API token, created on first sign-in and reused afterwards."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
