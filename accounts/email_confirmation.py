"""E-mail confirmation: the link a new account opens to prove its address, and the gate in front of
buying and selling.

A new account may sign in at once, browse, keep favourites and an address book; it buys and sells
once its address is confirmed. A resale platform needs a way to reach both sides of every order
(dispatch, disputes, payouts), and a throwaway address is what a reservation hoarder or a fake seller
would use; holding only these actions back keeps a typo or a slow mailbox from locking anyone out.

The link carries a signed token of the account and the address it was sent to (Django's signing,
salted, valid EMAIL_CONFIRMATION_DAYS), so it needs no table and stops working if the address
changes. Sign-up never says whether an address is registered: when it is, its owner gets an e-mail
saying so instead of a new account being made (accounts.services.user_signup).
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.errors import EmailNotConfirmed
from accounts.models import User
from marketplace.links import site_link

SALT = "accounts.email-confirmation"


def confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, str] | None:
    """(user id, address) of a genuine token still within EMAIL_CONFIRMATION_DAYS; None otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CONFIRMATION_DAYS * 24 * 60 * 60)
    except signing.BadSignature:  # expired links are a BadSignature too
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("user"), int)
        or not isinstance(data.get("email"), str)
    ):
        return None
    return data["user"], data["email"]


def send_confirmation_email(user: User) -> None:
    """The confirmation link, in the active language (the one the person signed up in)."""
    link = site_link(reverse("accounts:email_confirm", args=[confirmation_token(user)]))
    context = {"user": user, "link": link, "days": settings.EMAIL_CONFIRMATION_DAYS}
    send_mail(
        _("Confirm your e-mail address for Reloop"),
        render_to_string("accounts/email/confirm_email.txt", context),
        None,
        [user.email],
    )


def send_already_registered_email(user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner, tell the form nothing."""
    context = {
        "user": user,
        "sign_in": site_link(reverse("accounts:login")),
        "reset": site_link(reverse("accounts:password_reset")),
    }
    send_mail(
        _("You already have a Reloop account"),
        render_to_string("accounts/email/already_registered.txt", context),
        None,
        [user.email],
    )


def require_confirmed_email(user: User) -> None:
    """Raises EmailNotConfirmed (403) unless the user has confirmed their address."""
    if not user.email_confirmed:
        raise EmailNotConfirmed(
            _("Confirm your e-mail address first: open the link we sent to %(email)s.")
            % {"email": user.email}
        )


def email_confirmed_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view decorator: a visitor is sent to sign in; an account with no confirmed address to
    the page that explains and sends the link again, and comes back here afterwards."""

    @wraps(view)
    def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.email_confirmed:
            back = request.get_full_path() if request.method == "GET" else request.headers.get("referer", "")
            query = f"?{urlencode({'next': back})}" if back else ""
            return redirect(reverse("accounts:email_confirmation") + query)
        return view(request, *args, **kwargs)

    return gated
