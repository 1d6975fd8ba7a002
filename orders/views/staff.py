"""Operations' order pages: ship platform and consigned stock from the centre, mark parcels delivered,
receive returns (which refunds the buyer) and resolve disputes.

Only the operations group may use them: anonymous visitors are sent to sign in, anyone else signed in
gets 403. The queue shows four lists, oldest first, each paged on its own, under the short list of
payments held for review (the provider reported another amount or currency than ours).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import OPERATIONS, require_role
from listings.explanations import explanation_clips
from marketplace.errors import InvalidTransition
from marketplace.keyset import InvalidCursor, Page
from marketplace.templatetags.money import money
from orders.errors import OrderError
from orders.forms import ResolveForm, ShipForm
from orders.models import Order, Payment
from orders.selectors import (
    disputes_open,
    order_for_staff,
    orders_in_transit,
    orders_to_ship_from_centre,
    payments_to_review,
    returns_to_receive,
)
from orders.services.fulfilment import order_mark_delivered, order_mark_shipped
from orders.services.returns import dispute_resolve, return_mark_received
from providers.scope import provider_scope, require_platform_role
from shipping.errors import ShippingError

# Each list of the queue: its query parameter for the cursor and its read.
LISTS: dict[str, Callable[..., Page]] = {
    "to_ship": orders_to_ship_from_centre,
    "shipped": orders_in_transit,
    "returns": returns_to_receive,
    "disputes": disputes_open,
}


def _ship_form(number: str, data=None) -> ShipForm:
    # One form per row: ids carry the order number so that labels stay unique on the page.
    return ShipForm(data, auto_id=f"id_{number}_%s")


def _list_link(request: HttpRequest, name: str, cursor: str | None) -> str:
    """A link to another page of one list that keeps the other lists on the pages they show."""
    if not cursor:
        return ""
    others = [(key, value) for key, value in request.GET.items() if key in LISTS and key != name]
    return "?" + urlencode([*others, (name, cursor)])


def _queue_context(request: HttpRequest, *, failed: tuple[Order, ShipForm] | None = None) -> dict:
    """The four lists; `failed` is an order whose ship form came back with errors, shown first with
    them whichever page of the list it is on."""
    context: dict = {}
    scope = provider_scope(request.user)
    for name, load in LISTS.items():
        try:
            page = load(cursor=request.GET.get(name) or None, provider_id=scope)
        except InvalidCursor as error:
            messages.info(request, error.message)
            page = load(cursor=None, provider_id=scope)
        context[name] = {
            "items": page.items,
            "next_url": _list_link(request, name, page.next_cursor),
            "previous_url": _list_link(request, name, page.previous_cursor),
        }
    rows = [{"order": order, "form": _ship_form(order.number)} for order in context["to_ship"]["items"]]
    if failed is not None:
        order, form = failed
        rows = [{"order": order, "form": form}, *(row for row in rows if row["order"].pk != order.pk)]
    context["to_ship"]["rows"] = rows
    # Payments belong to the platform's account with the payment provider: its own staff review them.
    context["payments_to_review"] = (
        [{"payment": payment, "reported": _reported(payment)} for payment in payments_to_review()]
        if scope is None
        else []
    )
    return context


def _reported(payment: Payment) -> str:
    """What the provider said was paid: in the site's money format when in the site's currency."""
    amount = payment.reported_amount if payment.reported_amount is not None else payment.amount
    currency = payment.reported_currency.upper()
    if not currency or currency == settings.CURRENCY.upper():
        return money(amount)
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)} {currency}"


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, OPERATIONS)
    return render(request, "orders/staff/queue.html", _queue_context(request))


def _staff_order(request: AuthenticatedHttpRequest, number: str) -> Order:
    """The order, if the user's provider holds its item (any, for the platform's staff); 404 else."""
    try:
        return order_for_staff(number=number, provider_id=provider_scope(request.user))
    except Order.DoesNotExist:
        raise Http404(_("No such order.")) from None


def _simple_action(
    request: AuthenticatedHttpRequest, number: str, call: Callable[[Order], object], done: str
) -> HttpResponse:
    require_role(request.user, OPERATIONS)
    order = _staff_order(request, number)
    try:
        call(order)
    except InvalidTransition:
        messages.error(
            request, _("Order %(number)s has moved on; the lists below are up to date.") % {"number": number}
        )
    except OrderError as error:
        messages.error(request, f"{order.number}: {error.message}")
    else:
        messages.success(request, done % {"number": order.number, "title": order.title})
    return redirect("orders_staff:queue")


@login_required
@require_POST
def ship(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    require_role(request.user, OPERATIONS)
    order = _staff_order(request, number)
    form = _ship_form(order.number, request.POST)
    if form.is_valid():
        try:
            order_mark_shipped(
                order_id=order.pk,
                by=request.user,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
        except InvalidTransition:
            messages.error(
                request,
                _("Order %(number)s has moved on; the lists below are up to date.") % {"number": number},
            )
            return redirect("orders_staff:queue")
        except (OrderError, ShippingError) as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(number)s “%(title)s” is shipped.") % {"number": order.number, "title": order.title},
            )
            return redirect("orders_staff:queue")
    context = _queue_context(request, failed=(order, form))
    return render(request, "orders/staff/queue.html", context, status=400)


@login_required
@require_POST
def deliver(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _simple_action(
        request,
        number,
        lambda order: order_mark_delivered(order_id=order.pk, by=request.user),
        _("%(number)s “%(title)s” is delivered; the return window runs from now."),
    )


@login_required
@require_POST
def return_received(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _simple_action(
        request,
        number,
        lambda order: return_mark_received(order_id=order.pk, by=request.user),
        _("The return of %(number)s “%(title)s” is received and the buyer is refunded."),
    )


def _dispute_page(
    request: HttpRequest, order: Order, form: ResolveForm, *, status: int = 200
) -> HttpResponse:
    try:
        dispute = order.dispute
    except Order.dispute.RelatedObjectDoesNotExist:
        raise Http404(_("This order has no dispute.")) from None
    checks = [
        {
            "label": result.check_item.display_label,
            "outcome": result.get_outcome_display(),
            "is_defect": result.outcome == "defect",
            "measured": " ".join(part for part in (result.measured_value, result.check_item.unit) if part),
            "note": result.note,
        }
        for result in dispute.disputed_checks.select_related("check_item")
    ]
    # Evidence: how hosts explained the item on camera in live shows (listings.explanations), every
    # clip still kept, whichever order of the listing is disputed.
    clips = explanation_clips(listing_id=order.listing_id)
    return render(
        request,
        "orders/staff/dispute.html",
        {"order": order, "dispute": dispute, "checks": checks, "form": form, "clips": clips},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """A dispute: the buyer's claim, the checks they point at with what the report said, and the
    decision (full or partial refund, or rejection) with its reason."""
    require_platform_role(request.user, OPERATIONS)  # a provider decides no dispute on its own reports
    order = _staff_order(request, number)
    if request.method != "POST":
        return _dispute_page(request, order, ResolveForm(price=order.price))
    form = ResolveForm(request.POST, price=order.price)
    if form.is_valid():
        try:
            dispute_resolve(
                order_id=order.pk,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                refund_amount=form.cleaned_data["refund_amount"],
                note=form.cleaned_data["note"],
            )
        except InvalidTransition:
            messages.error(request, _("This dispute has already been decided."))
            return redirect("orders_staff:queue")
        except (OrderError, ShippingError) as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The dispute on %(number)s is resolved.") % {"number": order.number})
            return redirect("orders_staff:queue")
    return _dispute_page(request, order, form, status=400)
