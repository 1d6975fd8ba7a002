"""Writes for accounts."""

from datetime import timedelta
from functools import partial

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.email_confirmation import send_already_registered_email, send_confirmation_email
from accounts.models import User
from marketplace.errors import DomainError


class UsernameTaken(DomainError):
    code = "username_taken"


def user_signup(*, username: str, email: str, password: str, display_name: str = "") -> User | None:
    """Create a shopper-and-seller account and send the link that confirms its e-mail address
    (accounts.email_confirmation), after commit.

    The answer never tells whether the address is registered: when it is, no account is made, the
    owner of the address is e-mailed that someone tried, and None is returned; the caller shows the
    same "check your inbox" page either way. The caller has validated the fields; a username taken
    (also by someone signing up at the same moment) raises UsernameTaken and creates nothing."""
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        transaction.on_commit(partial(send_already_registered_email, existing))
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, email=email, password=password, display_name=display_name
            )
    except IntegrityError as error:
        raise UsernameTaken(_("A user with that username already exists.")) from error
    transaction.on_commit(partial(send_confirmation_email, user))
    return user


def email_confirmation_send(*, user: User) -> None:
    """Send the confirmation link again (the person asked for it). Nothing for a confirmed address."""
    if not user.email_confirmed:
        send_confirmation_email(user)


def email_confirm(*, user_id: int, email: str) -> User | None:
    """Mark the address confirmed, from a confirmation link's token (accounts.email_confirmation).
    Returns the user, or None when the account is gone or its address is no longer the one the link
    was sent to. Confirming twice keeps the first time."""
    User.objects.filter(pk=user_id, email=email, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )
    return User.objects.filter(pk=user_id, email=email).first()


def auth_token_issue(*, user: User) -> Token:
    """The user's API token: the one they have while it is within API_TOKEN_DAYS, else a new one
    (an expired token is deleted first)."""
    with transaction.atomic():
        Token.objects.filter(
            user=user, created__lte=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS)
        ).delete()
        token, _created = Token.objects.get_or_create(user=user)
    return token


def auth_token_revoke(*, user: User) -> None:
    """Revoke the user's API token at once (DELETE /api/v1/auth/token/, or a password reset)."""
    Token.objects.filter(user=user).delete()


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
        username=settings.PLATFORM_SELLER_USERNAME,
        defaults={"display_name": "Reloop", "email_confirmed_at": timezone.now()},
    )
    return user


def password_reset_completed(*, user: User) -> None:
    """After a new password set through the e-mailed link: the link proved the mailbox, so the
    address is confirmed; the API token is revoked (whoever held it no longer signs in with it); and
    the account's sign-in lockout is lifted, so the owner can sign in with the new password at once."""
    User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(email_confirmed_at=timezone.now())
    auth_token_revoke(user=user)
    axes_reset(username=user.get_username())


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language the user reads the site in, for what is sent to them (an unknown code is
    ignored)."""
    if language in {code for code, _name in settings.LANGUAGES} and user.language != language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)


def user_partner_staff_set(*, user_id: int, partner: bool) -> None:
    """Record whether the user works for a partner provider (providers.services.member_add calls it)."""
    User.objects.filter(pk=user_id).update(partner_staff=partner)
