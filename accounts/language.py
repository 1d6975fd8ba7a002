"""The language a signed-in user reads the site in, remembered on their account (`User.language`) so
that e-mails and notifications sent to them later are written in it: when they sign in, and when they
switch language."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language

from accounts.models import User
from accounts.services import user_language_set


def remember_language_on_sign_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """user_logged_in receiver: the language of the page they signed in on."""
    if request is not None:
        user_language_set(user=user, language=translation.get_language() or "")


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice remembered on the account of a signed-in user."""
    response = set_language(request)
    if request.method == "POST" and isinstance(request.user, User):
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
