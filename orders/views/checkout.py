"""Buying: "Buy now" on a listing, the checkout page (address, countdown, pay), cancelling before
paying, and the page that says a reservation ran out.

The payment itself happens on the provider's hosted page: "Pay" saves the address, asks the provider
for a payment (orders.services.checkout.payment_start, which calls it after its own transaction) and
sends the buyer there. The provider brings them back to the order's page, which waits for the
webhook that marks the order paid.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.addresses import FIELDS
from accounts.errors import AddressError
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Address
from accounts.selectors import default_address_of
from listings.models import ListingStatus
from marketplace.errors import InvalidTransition
from orders.errors import ItemUnavailable, NotAllowed, OrderError
from orders.forms import CheckoutAddressForm
from orders.models import Order, OrderStatus
from orders.selectors import order_for_participant
from orders.services.checkout import order_address_set, order_cancel, order_place, payment_start
from orders.services.inspected import inspected_delivery_offered, order_inspection_choose

LAPSED_CODE = "reservation_lapsed"


@require_POST
def buy(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Reserve the listing for the signed-in shopper and go to checkout. Whoever is too late (or the
    seller themselves) is sent back to the listing with the reason."""
    listing_url = reverse("listings:detail", args=[listing_id])
    if not request.user.is_authenticated:
        return redirect_to_login(listing_url)
    if not request.user.email_confirmed:
        return redirect(f"{reverse('accounts:email_confirmation')}?{urlencode({'next': listing_url})}")
    try:
        order = order_place(buyer=request.user, listing_id=listing_id)
    except ItemUnavailable as error:
        messages.error(request, error.message)
        return redirect(listing_url)
    except OrderError as error:
        if error.status_code == 404:  # no such listing, or one only its seller may see
            raise Http404(error.message) from None
        messages.error(request, error.message)
        return redirect(listing_url)
    return redirect("orders:pay", number=order.number)


def _buyers_order(request: AuthenticatedHttpRequest, number: str) -> Order:
    """The signed-in buyer's order; anyone else's (the seller's included) is a 404 here."""
    try:
        order = order_for_participant(number=number, user=request.user)
    except Order.DoesNotExist:
        raise Http404(_("No such order.")) from None
    if order.buyer_id != request.user.pk:
        raise Http404(_("No such order."))
    return order


def _address_to_offer(order: Order) -> dict[str, object]:
    """What the address form starts with: this order's own address, else the buyer's default
    address, else the one they used last time; saving to the address book is offered while their
    book is empty."""
    fields = (
        "ship_to_name",
        "ship_to_phone",
        "ship_to_region",
        "ship_to_city",
        "ship_to_address",
        "ship_to_postcode",
    )
    empty_book = not Address.objects.filter(user_id=order.buyer_id).exists()
    if order.ship_to_address:
        values = [getattr(order, field) for field in fields]
    else:
        default = default_address_of(order.buyer)
        if default is not None:
            return {**default.postal.as_dict()}
        last = (
            Order.objects.filter(buyer_id=order.buyer_id)
            .exclude(pk=order.pk)
            .exclude(ship_to_address="")
            .order_by("-created_at", "-id")
            .values_list(*fields)
            .first()
        )
        if last is None:
            return {"save_to_book": empty_book}
        values = list(last)
    return {**dict(zip(FIELDS, values, strict=True)), "save_to_book": empty_book}


def _seconds_left(order: Order) -> int:
    return max(0, int((order.reserved_until - timezone.now()).total_seconds()))


def _lapsed_page(request: HttpRequest, order: Order) -> HttpResponse:
    """The reservation ran out: nothing was paid and the item went back on sale."""
    listing_on_sale = order.listing.status == ListingStatus.ACTIVE
    return render(request, "orders/lapsed.html", {"order": order, "listing_on_sale": listing_on_sale})


def _checkout_page(
    request: HttpRequest, order: Order, form: CheckoutAddressForm, *, status: int = 200
) -> HttpResponse:
    seconds = _seconds_left(order)
    without = order.price + order.shipping_fee
    return render(
        request,
        "orders/checkout.html",
        {
            "order": order,
            "form": form,
            "inspection_offered": inspected_delivery_offered(order.listing),
            "inspection_fee": settings.INSPECTED_DELIVERY_FEE,
            "total_without": without,
            "total_with": without + settings.INSPECTED_DELIVERY_FEE,
            "seconds_left": seconds,
            "minutes_left": seconds // 60,
            "clock": f"{seconds // 60}:{seconds % 60:02d}",
        },
        status=status,
    )


def _is_lapsed(order: Order) -> bool:
    return order.status == OrderStatus.EXPIRED or (
        order.status == OrderStatus.PENDING_PAYMENT and order.reserved_until <= timezone.now()
    )


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = _buyers_order(request, number)
    if _is_lapsed(order):
        return _lapsed_page(request, order)
    if order.status != OrderStatus.PENDING_PAYMENT:
        # Paid, cancelled or further along: the order's page says where it stands.
        return redirect("orders:detail", number=order.number)
    if request.method != "POST":
        initial = {**_address_to_offer(order), "inspected_delivery": order.inspected_delivery}
        return _checkout_page(request, order, CheckoutAddressForm(initial=initial))
    form = CheckoutAddressForm(request.POST)
    if not form.is_valid():
        return _checkout_page(request, order, form, status=400)
    return_url = request.build_absolute_uri(reverse("orders:detail", args=[order.number]))
    try:
        order_address_set(
            order_id=order.pk,
            buyer=request.user,
            address=form.cleaned_data,
            save_to_book=form.cleaned_data["save_to_book"],
        )
        order_inspection_choose(
            order_id=order.pk,
            buyer=request.user,
            chosen=form.cleaned_data["inspected_delivery"],  # refused (a form error) where not offered
        )
        payment = payment_start(order_id=order.pk, buyer=request.user, return_url=return_url)
    except Order.DoesNotExist:
        raise Http404(_("No such order.")) from None
    except InvalidTransition:
        return redirect("orders:detail", number=order.number)
    except (OrderError, AddressError) as error:
        if error.code == LAPSED_CODE:
            order.refresh_from_db()
            return _lapsed_page(request, order)
        form.add_service_error(error)
        return _checkout_page(request, order, form, status=error.status_code)
    return redirect(payment.hosted_url)


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = _buyers_order(request, number)
    try:
        order_cancel(order_id=order.pk, buyer=request.user)
    except Order.DoesNotExist:
        raise Http404(_("No such order.")) from None
    except NotAllowed as error:
        messages.error(request, error.message)
    except InvalidTransition:
        messages.error(request, _("This order can no longer be cancelled."))
    except OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your order is cancelled and the item is back on sale."))
    return redirect("orders:detail", number=order.number)
