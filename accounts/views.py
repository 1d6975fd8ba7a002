"""Sign up, sign in, sign out, and the address book. Signing in and out are Django's own views;
signing up logs the new account in and returns to where the person came from.

The address book pages need a signed-in user and show only that user's addresses: another user's
address is a 404, the same answer as one that does not exist. Changes are POSTs that redirect back
to the list with a message; a form with bad input is shown again with each field's error (400).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import addresses
from accounts.errors import AddressError
from accounts.forms import AddressBookForm, AddressForm, SignupForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Address
from accounts.selectors import address_of, addresses_of
from accounts.services import UsernameTaken, user_signup
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
            try:
                user = user_signup(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                )
            except UsernameTaken as error:
                form.add_error("username", error.message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


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
