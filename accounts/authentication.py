"""API tokens that expire: `Authorization: Token <key>` works for API_TOKEN_DAYS after the token was
issued (accounts.services.auth_token_issue), then answers 401 until the client signs in again.
`DELETE /api/v1/auth/token/` revokes a token at once."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from marketplace.db_router import primary_reads


def token_expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


def token_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token past its API_TOKEN_DAYS."""

    def authenticate_credentials(self, key):
        # From the primary: a client that keeps no cookie is not pinned to it after signing in, and
        # its token may not have reached the read replica yet (marketplace/db_router.py).
        with primary_reads():
            user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(
                _("This token has expired. Sign in again to get a new one."), code="token_expired"
            )
        return user, token
