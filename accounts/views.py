"""Sign up, sign in, sign out, e-mail confirmation, password reset, and the address book.

Signing in and out and resetting a password are Django's own views. Signing up answers with the
same "check your inbox" page whether or not the address already has an account, and signs nobody
in: the new account signs in with its password, and confirms its address (the link in the e-mail)
before it buys or sells (accounts.email_confirmation). Sign-in is guarded by django-axes
(accounts.lockout); sign-up and the e-mails people ask for are rate-limited per address.

The address book pages need a signed-in user and show only that user's addresses: another user's
address is a 404, the same answer as one that does not exist. Changes are POSTs that redirect back
to the list with a message; a form with bad input is shown again with each field's error (400).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import (
    LoginView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import addresses
from accounts.email_confirmation import read_confirmation_token
from accounts.errors import AddressError
from accounts.forms import AddressBookForm, AddressForm, SignupForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Address, User
from accounts.selectors import address_of, addresses_of
from accounts.services import (
    UsernameTaken,
    email_confirm,
    email_confirmation_send,
    password_reset_completed,
    user_signup,
)
from marketplace.rate_limits import AccountEmailLimit, PasswordResetLimit, SignUpLimit, rate_limited_page
from marketplace.redirects import safe_next_url


class SignInView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            # Counted only for a form that would make an account or send an e-mail: typos are free.
            limit = SignUpLimit()
            if not limit.allow_request(request, None):
                return rate_limited_page(request, message=str(limit.message), wait=limit.wait())
            try:
                user_signup(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                )
            except UsernameTaken as error:
                form.add_error("username", error.message)
            else:
                done = reverse("accounts:signup_done")
                return HttpResponseRedirect(done + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    """The same page whether an account was made or the address already had one."""
    return render(request, "accounts/signup_done.html", {"next": safe_next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def email_confirmation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where buying and selling send an account whose address is not confirmed: why, and the link
    sent again on request (rate-limited)."""
    next_url = safe_next_url(request)
    if request.method == "POST" and not request.user.email_confirmed:
        limit = AccountEmailLimit()
        if not limit.allow_request(request, None):
            return rate_limited_page(request, message=str(limit.message), wait=limit.wait())
        email_confirmation_send(user=request.user)
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": request.user.email})
        url = reverse("accounts:email_confirmation")
        return redirect(url + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    return render(request, "accounts/email_confirmation.html", {"next": next_url})


@require_http_methods(["GET", "POST"])
def email_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail. GET shows a button (a mail scanner that opens links confirms
    nothing); POST confirms. A link that is damaged, expired or for an old address says so (400)."""
    found = read_confirmation_token(token)
    user = None
    if found is not None:
        user_id, email = found
        user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        context = {"valid": False, "days": settings.EMAIL_CONFIRMATION_DAYS}
        return render(request, "accounts/email_confirm.html", context, status=400)
    if request.method == "POST":
        email_confirm(user_id=user.pk, email=user.email)
        messages.success(request, _("Your e-mail address is confirmed: you can buy and sell on Reloop."))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return redirect("accounts:login")
    return render(request, "accounts/email_confirm.html", {"valid": True, "confirmed_user": user})


class PasswordReset(PasswordResetView):
    """Asks for an address and always answers "if it has an account, we sent a link": Django's
    form e-mails only an active account with that address. Rate-limited per address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        limit = PasswordResetLimit()
        if not limit.allow_request(request, None):
            return rate_limited_page(request, message=str(limit.message), wait=limit.wait())
        return super().post(request, *args, **kwargs)


class PasswordResetSent(PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(PasswordResetConfirmView):
    """The link from the e-mail: a new password. Having the link proves the mailbox, so the address
    counts as confirmed; the API token is revoked and a sign-in lockout lifted (accounts.services)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_completed(user=form.user)
        return response


class PasswordResetComplete(PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_GET
def address_book(request: AuthenticatedHttpRequest) -> HttpResponse:
    book = addresses_of(request.user)
    return render(
        request,
        "accounts/addresses.html",
        {
            "addresses": book,
            "book_full": len(book) >= addresses.MAX_ADDRESSES,
            "max": addresses.MAX_ADDRESSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_url = safe_next_url(request)
    if request.method == "POST":
        form = AddressBookForm(request.POST)
        if form.is_valid():
            try:
                addresses.address_create(
                    user=request.user, data=form.cleaned_data, make_default=form.cleaned_data["make_default"]
                )
            except AddressError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Address added."))
                return redirect(next_url or "accounts:addresses")
    else:
        form = AddressBookForm()
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "address": None, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: AuthenticatedHttpRequest, address_id: int) -> HttpResponse:
    try:
        address = address_of(request.user, address_id)
    except Address.DoesNotExist as error:
        raise Http404 from error
    next_url = safe_next_url(request)
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                addresses.address_update(user=request.user, address_id=address.pk, data=form.cleaned_data)
            except Address.DoesNotExist as error:  # deleted in another tab meanwhile
                raise Http404 from error
            except AddressError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Address saved."))
                return redirect(next_url or "accounts:addresses")
    else:
        form = AddressForm(initial=address.postal.as_dict())
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "address": address, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def address_delete(request: AuthenticatedHttpRequest, address_id: int) -> HttpResponse:
    try:
        addresses.address_delete(user=request.user, address_id=address_id)
    except Address.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Address deleted."))
    return redirect("accounts:addresses")


@login_required
@require_POST
def address_make_default(request: AuthenticatedHttpRequest, address_id: int) -> HttpResponse:
    try:
        addresses.address_make_default(user=request.user, address_id=address_id)
    except Address.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Default address changed."))
    return redirect("accounts:addresses")
