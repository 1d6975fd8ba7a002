"""Writes for accounts."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from marketplace.errors import DomainError


class UsernameTaken(DomainError):
    code = "username_taken"


def user_signup(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create a shopper-and-seller account. The caller has validated the fields; a username taken
    by someone signing up at the same moment raises UsernameTaken and creates nothing."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, email=email, password=password, display_name=display_name
            )
    except IntegrityError as error:
        raise UsernameTaken(_("A user with that username already exists.")) from error


def auth_token_issue(*, user: User) -> Token:
    """The user's API token, created on first sign-in and reused afterwards."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def seller_rating_add(*, seller_id: int, points: int) -> None:
    """Count one more rating of the seller, worth `points` (the sum of its three scores). With F(), so
    that ratings arriving together all count."""
    User.objects.filter(pk=seller_id).update(
        rating_count=F("rating_count") + 1, rating_points=F("rating_points") + points
    )


def platform_seller() -> User:
    """The account that lists platform stock and consigned items (settings.PLATFORM_SELLER_USERNAME),
    made on first use so that a fresh installation needs no setup step."""
    user, _created = User.objects.get_or_create(
        username=settings.PLATFORM_SELLER_USERNAME, defaults={"display_name": "Reloop"}
    )
    return user
