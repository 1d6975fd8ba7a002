"""The buyer's and the seller's order pages: my purchases, my sales, an order's page with its timeline
and the actions that apply, the free return label and a private seller's prepaid label.

Every order is read through orders.selectors.order_for_participant, which filters by the signed-in
person's part in it: somebody else's order is a 404, the same answer as one that does not exist. Each
action is a POST to its own URL; on bad input the order's page is shown again with the form's errors
(status 400) and nothing changed, on success it redirects back to the page with a message.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from listings.models import ListingSource
from listings.photos import private_file_response
from marketplace.errors import InvalidTransition
from marketplace.pagination import cursor_page, page_links
from orders.actions import OrderAction, order_actions
from orders.errors import NotAllowed, OrderError
from orders.forms import DisputeForm, OrderForm, RatingForm, ReturnForm, ReturnTrackingForm, ShipForm
from orders.models import Order, OrderStatus, PaymentStatus
from orders.payments import decline_reason_text
from orders.selectors import (
    inspection_report_code,
    order_for_participant,
    orders_for_buyer,
    report_check_results,
    sales_for_seller,
)
from orders.services.fulfilment import order_confirm_receipt, order_label_book, order_mark_shipped
from orders.services.ratings import rating_submit
from orders.services.returns import (
    dispute_open,
    return_mark_received,
    return_request,
    return_tracking_set,
    return_withdraw,
)
from shipping.carriers import INSPECTION_CENTRE, carrier_name
from shipping.errors import ShippingError
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus
from shipping.services import label_file

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What the buyer does next, or waits for, shown under each order in "My purchases".
BUYER_NEXT = {
    OrderStatus.PENDING_PAYMENT: gettext_lazy("Pay before the reservation runs out."),
    OrderStatus.PAID: gettext_lazy("Paid. Waiting for the seller to ship."),
    OrderStatus.TO_CENTRE: gettext_lazy("On its way to Reloop's inspection centre."),
    OrderStatus.INSPECTING: gettext_lazy("At the inspection centre, being checked against the listing."),
    OrderStatus.INSPECTED: gettext_lazy("Passed inspection. Reloop ships it to you next."),
    OrderStatus.SHIPPED: gettext_lazy("On its way. Confirm receipt when it arrives."),
    OrderStatus.DELIVERED: gettext_lazy("Delivered. Confirm receipt, or return it within the return window."),
    OrderStatus.RETURN_REQUESTED: gettext_lazy("Send the item back."),
    OrderStatus.RETURNED: gettext_lazy("The seller has it back. Your refund is on its way."),
    OrderStatus.DISPUTED: gettext_lazy("Reloop is looking at your claim."),
    OrderStatus.COMPLETED: gettext_lazy("Done. You can rate the seller."),
    OrderStatus.RESOLVED: gettext_lazy("Your claim has been decided."),
    OrderStatus.REFUNDED: gettext_lazy("Refunded to your card."),
    OrderStatus.EXPIRED: gettext_lazy("Not paid in time; the item went back on sale."),
    OrderStatus.CANCELLED: gettext_lazy("Cancelled before payment."),
}
# The same for the seller, in "My sales".
SELLER_NEXT = {
    OrderStatus.PENDING_PAYMENT: gettext_lazy("The buyer is paying."),
    OrderStatus.PAID: gettext_lazy("Paid: ship it and enter the tracking number."),
    OrderStatus.SHIPPED: gettext_lazy("On its way to the buyer."),
    OrderStatus.TO_CENTRE: gettext_lazy("On its way to Reloop's inspection centre."),
    OrderStatus.INSPECTING: gettext_lazy("At the inspection centre, being checked against your listing."),
    OrderStatus.INSPECTED: gettext_lazy("Passed inspection. Reloop ships it on to the buyer."),
    OrderStatus.DELIVERED: gettext_lazy(
        "Delivered. You are paid when the buyer confirms or the return window ends."
    ),
    OrderStatus.RETURN_REQUESTED: gettext_lazy(
        "The buyer is sending it back: mark it received when it arrives."
    ),
    OrderStatus.RETURNED: gettext_lazy("Returned. The buyer is refunded."),
    OrderStatus.DISPUTED: gettext_lazy("The buyer says it is not as described; Reloop is looking at it."),
    OrderStatus.COMPLETED: gettext_lazy("Done. The money is in your wallet."),
    OrderStatus.RESOLVED: gettext_lazy("The buyer's claim has been decided."),
    OrderStatus.REFUNDED: gettext_lazy("Refunded to the buyer."),
    OrderStatus.EXPIRED: gettext_lazy("Not paid in time."),
    OrderStatus.CANCELLED: gettext_lazy("Cancelled by the buyer."),
}
# A paid sale whose buyer paid for shipping: the seller may have Reloop book the label.
SELLER_NEXT_TO_CENTRE = gettext_lazy("Paid with inspected delivery: send it to Reloop's inspection centre.")
SELLER_NEXT_LABEL = gettext_lazy("Paid: book the prepaid label, or ship it and enter the tracking number.")
# What each status change means on the timeline.
EVENT_WORDS: dict[str, "StrOrPromise"] = {
    OrderStatus.PAID: gettext_lazy("Payment received"),
    OrderStatus.EXPIRED: gettext_lazy("The reservation ran out"),
    OrderStatus.CANCELLED: gettext_lazy("Cancelled"),
    OrderStatus.SHIPPED: gettext_lazy("Shipped"),
    OrderStatus.TO_CENTRE: gettext_lazy("Sent to the inspection centre"),
    OrderStatus.INSPECTING: gettext_lazy("Received at the inspection centre"),
    OrderStatus.INSPECTED: gettext_lazy("Passed inspection"),
    OrderStatus.DELIVERED: gettext_lazy("Delivered"),
    OrderStatus.COMPLETED: gettext_lazy("Completed"),
    OrderStatus.RETURN_REQUESTED: gettext_lazy("Return requested"),
    OrderStatus.RETURNED: gettext_lazy("Return received"),
    OrderStatus.REFUNDED: gettext_lazy("Refunded"),
    OrderStatus.DISPUTED: gettext_lazy("Dispute opened"),
    OrderStatus.RESOLVED: gettext_lazy("Dispute resolved"),
}
PAYMENT_POLL = "2s"
# The order's page holds several forms, two of them with a "reason": each form's ids get its own prefix.
FORM_IDS = {
    "ship": "ship_%s",
    "return": "return_%s",
    "return_tracking": "tracking_%s",
    "dispute": "dispute_%s",
    "rate": "rate_%s",
}


@login_required
@require_GET
def purchases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My purchases, newest first."""
    page = cursor_page(request, lambda cursor: orders_for_buyer(buyer=request.user, cursor=cursor))
    rows = [{"order": order, "next_step": BUYER_NEXT.get(order.status, "")} for order in page.items]
    return render(request, "orders/purchases.html", {"rows": rows, **page_links(page)})


@login_required
@require_GET
def sales(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My sales (items I listed myself), newest first, with what to do next."""
    page = cursor_page(request, lambda cursor: sales_for_seller(seller=request.user, cursor=cursor))
    rows = [{"order": order, "next_step": _seller_next(order)} for order in page.items]
    return render(request, "orders/sales.html", {"rows": rows, **page_links(page)})


def _seller_next(order: Order) -> "StrOrPromise":
    if order.status == OrderStatus.PAID and order.inspected_delivery:
        return SELLER_NEXT_TO_CENTRE
    if order.status == OrderStatus.PAID and order.shipping_fee > 0 and order.shipment_id is None:
        return SELLER_NEXT_LABEL
    return SELLER_NEXT.get(OrderStatus(order.status), "")


def _prepaid_label(order: Order) -> Shipment | None:
    """The prepaid label Reloop booked for a person-to-person order (joined by the selectors), or
    None when there is none (not asked for, not issued yet, or the seller sent the parcel themselves)."""
    shipment = order.shipment
    if (
        shipment is None
        or shipment.purpose != ShipmentPurpose.PERSON_TO_PERSON
        or not shipment.booked
        or not shipment.tracking_number
        or shipment.status == ShipmentStatus.CANCELLED
    ):
        return None
    return shipment


def _awaiting_webhook(order: Order, latest_payment_status: str | None, *, user, now) -> bool:
    """The buyer came back from the payment page and its webhook has not arrived yet."""
    return (
        order.buyer_id == user.pk
        and order.status == OrderStatus.PENDING_PAYMENT
        and latest_payment_status == PaymentStatus.CREATED
        and order.reserved_until > now
    )


def _participant_order(request: AuthenticatedHttpRequest, number: str) -> Order:
    try:
        return order_for_participant(number=number, user=request.user)
    except Order.DoesNotExist:
        raise Http404(_("No such order.")) from None


def _who(event, order: Order, user) -> str:
    if event.by_id is not None and event.by_id == user.pk:
        return _("you")
    if event.by_id is not None and event.by_id == order.seller_id:
        return _("the seller")
    if event.by_id is not None and event.by_id == order.buyer_id:
        return _("the buyer")
    return _("Reloop")


def _timeline(order: Order, user) -> list[dict]:
    lines = [{"at": order.created_at, "what": _("Order placed"), "who": "", "note": ""}]
    for event in order.events.all():
        what: StrOrPromise
        if event.old == OrderStatus.RETURN_REQUESTED and event.new == OrderStatus.DELIVERED:
            what = _("Return withdrawn: the buyer keeps the item")
        else:
            what = EVENT_WORDS.get(event.new, event.get_new_display())
        lines.append({"at": event.at, "what": what, "who": _who(event, order, user), "note": event.text})
    returned = _related(order, "return_request")
    for shipment in (order.shipment, returned.shipment if returned is not None else None):
        if shipment is None:
            continue
        for carrier_event in shipment.events.all():
            lines.append(
                {
                    "at": carrier_event.occurred_at,
                    "what": carrier_event.text,
                    "who": carrier_name(shipment.carrier),
                    "note": carrier_event.location,
                    "parcel": True,
                }
            )
    return sorted(lines, key=lambda line: line["at"])


def _related(order: Order, name: str):
    """A one-to-one row the selector joined (return, dispute, rating), or None when there is none."""
    try:
        return getattr(order, name)
    except ObjectDoesNotExist:
        return None


def _detail_context(
    request: AuthenticatedHttpRequest, order: Order, bound: dict[str, forms.Form] | None = None
) -> dict:
    """Everything the order's page shows for this viewer; `bound` holds a submitted form with errors."""
    user = request.user
    bound = bound or {}
    now = timezone.now()
    is_buyer = order.buyer_id == user.pk
    is_seller = order.seller_id == user.pk and not is_buyer
    person_sale = order.source == ListingSource.PERSON
    returned = _related(order, "return_request")
    dispute = _related(order, "dispute")
    rating = _related(order, "rating")
    payments = list(order.payments.all())
    latest_payment = payments[-1] if payments else None
    window_closes = order.return_window_closes_at
    in_window = order.status == OrderStatus.DELIVERED and window_closes is not None and now < window_closes
    pending = order.status == OrderStatus.PENDING_PAYMENT
    awaiting_webhook = _awaiting_webhook(
        order, latest_payment.status if latest_payment else None, user=user, now=now
    )
    # The page's buttons are the API's actions (orders.actions), seen as the buyer or the seller:
    # operations act on inspected stock from the staff pages.
    allowed = set(order_actions(order, user=user, operations=False))
    # The seller asked for a prepaid label and the carrier has not issued it yet.
    label_pending = (
        is_seller
        and order.status == OrderStatus.PAID
        and order.shipment is not None
        and order.shipment.purpose == ShipmentPurpose.PERSON_TO_PERSON
        and order.shipment.status == ShipmentStatus.REQUESTED
    )
    can = {
        "pay": OrderAction.PAY in allowed,
        "cancel": OrderAction.CANCEL in allowed,
        "confirm": OrderAction.CONFIRM in allowed,
        "return": OrderAction.REQUEST_RETURN in allowed,
        "dispute": OrderAction.DISPUTE in allowed,
        "return_tracking": OrderAction.RETURN_TRACKING in allowed,
        "return_label": is_buyer
        and order.status == OrderStatus.RETURN_REQUESTED
        and not person_sale
        and returned is not None
        # The label is booked with its tracking number, both stored at once.
        and bool(returned.tracking_number),
        "return_withdraw": OrderAction.WITHDRAW_RETURN in allowed,
        "rate": OrderAction.RATE in allowed,
        "ship": OrderAction.SHIP in allowed,
        "book_label": OrderAction.BOOK_LABEL in allowed and not label_pending,
        # Printed until the parcel has arrived: a torn or lost print is printed again.
        "label": is_seller and order.status == OrderStatus.SHIPPED and _prepaid_label(order) is not None,
        "return_received": OrderAction.MARK_RETURN_RECEIVED in allowed,
    }
    # A submitted form whose action no longer applies (the window closed meanwhile) is not drawn
    # again: its errors go above everything else instead.
    action_errors = [
        str(error)
        for name, form in bound.items()
        if not can.get(name, False)
        for errors in form.errors.values()
        for error in errors
    ]
    check_results = report_check_results(order=order) if can["dispute"] else []
    return {
        "order": order,
        "is_buyer": is_buyer,
        "is_seller": is_seller,
        "timeline": _timeline(order, user),
        "return_request": returned,
        "dispute": dispute,
        "disputed_checks": [
            result.check_item.display_label for result in dispute.disputed_checks.select_related("check_item")
        ]
        if dispute is not None
        else [],
        "rating": rating,
        "latest_payment": latest_payment,
        "payment_failed": pending
        and latest_payment is not None
        and latest_payment.status == PaymentStatus.FAILED,
        "payment_failure": decline_reason_text(latest_payment.failure_reason) if latest_payment else "",
        "payment_in_review": is_buyer
        and latest_payment is not None
        and latest_payment.status == PaymentStatus.REVIEW,
        "awaiting_webhook": awaiting_webhook,
        # Past the reservation but not yet expired by the job: paying is no longer offered.
        "reservation_over": is_buyer and pending and order.reserved_until <= now,
        "poll_every": PAYMENT_POLL,
        "window_closes": window_closes,
        "centre": INSPECTION_CENTRE,
        # An inspected delivery's report, passed or failed (one query, for those orders only).
        "inspection_report": inspection_report_code(order.number) if order.inspected_delivery else "",
        "in_window": in_window,
        "can": can,
        "label_pending": label_pending,
        "ship_form": bound.get("ship") or ShipForm(auto_id=FORM_IDS["ship"]),
        "return_form": bound.get("return") or ReturnForm(auto_id=FORM_IDS["return"]),
        "tracking_form": bound.get("return_tracking")
        or ReturnTrackingForm(auto_id=FORM_IDS["return_tracking"]),
        "dispute_form": bound.get("dispute")
        or DisputeForm(check_results=check_results, auto_id=FORM_IDS["dispute"]),
        "rating_form": bound.get("rate") or RatingForm(auto_id=FORM_IDS["rate"]),
        "open_form": next(iter(bound), ""),
        "action_errors": action_errors,
    }


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = _participant_order(request, number)
    return render(request, "orders/detail.html", _detail_context(request, order))


@login_required
@require_GET
def payment_status(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """What the order's page asks every two seconds after the buyer comes back from the payment page:
    the waiting notice while the webhook has not arrived, else a redirect (HX-Redirect) to the page,
    which then shows the paid order or the declined payment."""
    # Asked every two seconds: two small reads, not the whole page's.
    user_id = request.user.pk
    order = (
        Order.objects.filter(Q(buyer_id=user_id) | Q(seller_id=user_id), number=number)
        .only("pk", "number", "status", "reserved_until", "buyer_id")
        .first()
    )
    if order is None:
        raise Http404(_("No such order."))
    latest = order.payments.order_by("-id").values_list("status", flat=True).first()
    if _awaiting_webhook(order, latest, user=request.user, now=timezone.now()):
        return render(request, "orders/_awaiting_payment.html", {"order": order, "poll_every": PAYMENT_POLL})
    return HttpResponse(headers={"HX-Redirect": reverse("orders:detail", args=[order.number])})


def _act(
    request: AuthenticatedHttpRequest,
    number: str,
    *,
    name: str,
    make_form: Callable[[Order], OrderForm] | None,
    call: Callable[[Order, dict], object],
    done: str,
) -> HttpResponse:
    """Run one action on the order: check the form (`make_form` builds it for the order), call the
    service, redirect with `done`; or show the page again with the form's errors. Someone else's
    order is a 404, an action that is not the viewer's to take a 403, and an order that has moved on
    a message."""
    order = _participant_order(request, number)
    form = make_form(order) if make_form is not None else None
    if form is None or form.is_valid():
        try:
            call(order, form.cleaned_data if form is not None else {})
        except Order.DoesNotExist:
            raise Http404(_("No such order.")) from None
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except InvalidTransition:
            messages.error(request, _("This order has moved on; here is where it stands now."))
            return redirect("orders:detail", number=order.number)
        except (OrderError, ShippingError) as error:
            if form is None:
                messages.error(request, error.message)
                return redirect("orders:detail", number=order.number)
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("orders:detail", number=order.number)
    return render(request, "orders/detail.html", _detail_context(request, order, {name: form}), status=400)


@login_required
@require_POST
def confirm_receipt(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="confirm",
        make_form=None,
        call=lambda order, data: order_confirm_receipt(order_id=order.pk, buyer=request.user),
        done=_("Thank you. The order is complete and the seller is paid."),
    )


@login_required
@require_POST
def return_create(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="return",
        make_form=lambda order: ReturnForm(request.POST, auto_id=FORM_IDS["return"]),
        call=lambda order, data: return_request(order_id=order.pk, buyer=request.user, reason=data["reason"]),
        done=_("Your return is requested. The next step is below."),
    )


@login_required
@require_POST
def return_tracking(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="return_tracking",
        make_form=lambda order: ReturnTrackingForm(request.POST, auto_id=FORM_IDS["return_tracking"]),
        call=lambda order, data: return_tracking_set(
            order_id=order.pk,
            buyer=request.user,
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
        ),
        done=_("Thank you. The seller can now follow the parcel."),
    )


@login_required
@require_POST
def return_cancel(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="return_withdraw",
        make_form=None,
        call=lambda order, data: return_withdraw(order_id=order.pk, buyer=request.user),
        done=_("Your return is withdrawn: you keep the item."),
    )


@login_required
@require_POST
def dispute_create(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="dispute",
        make_form=lambda order: DisputeForm(
            request.POST, check_results=report_check_results(order=order), auto_id=FORM_IDS["dispute"]
        ),
        call=lambda order, data: dispute_open(
            order_id=order.pk,
            buyer=request.user,
            reason=data["reason"],
            check_ids=tuple(result.pk for result in data.get("check_ids", ())),
        ),
        done=_("Your claim is with Reloop. We will write to you both once we have looked at it."),
    )


@login_required
@require_POST
def rate(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="rate",
        make_form=lambda order: RatingForm(request.POST, auto_id=FORM_IDS["rate"]),
        call=lambda order, data: rating_submit(
            order_id=order.pk,
            buyer=request.user,
            accuracy=data["accuracy"],
            service=data["service"],
            shipping=data["shipping"],
            comment=data["comment"],
        ),
        done=_("Thank you for rating the seller."),
    )


@login_required
@require_POST
def ship(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="ship",
        make_form=lambda order: ShipForm(request.POST, auto_id=FORM_IDS["ship"]),
        call=lambda order, data: order_mark_shipped(
            order_id=order.pk,
            by=request.user,
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
        ),
        done=_("Marked as shipped. The buyer can follow the parcel."),
    )


@login_required
@require_POST
def return_received(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="return_received",
        make_form=None,
        call=lambda order, data: return_mark_received(order_id=order.pk, by=request.user),
        done=_("The return is received and the buyer is refunded."),
    )


@login_required
@require_GET
def return_label(request: AuthenticatedHttpRequest, number: str) -> HttpResponseBase:
    """The free return label of an inspected item, for its buyer only."""
    order = _participant_order(request, number)
    returned = _related(order, "return_request")
    shipment = returned.shipment if returned is not None else None
    if (
        order.buyer_id != request.user.pk
        or shipment is None
        or not shipment.booked
        or not shipment.tracking_number
    ):
        raise Http404(_("This order has no return label."))
    return private_file_response(
        label_file(shipment),
        content_type="application/pdf",
        cache_control="private, no-store",
        filename=f"reloop-return-{order.number}.pdf",
    )


@login_required
@require_POST
def label_book(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        name="book_label",
        make_form=None,
        call=lambda order, data: order_label_book(order_id=order.pk, by=request.user),
        done=_("Prepaid label requested. Print it from this page as soon as it is ready."),
    )


@login_required
@require_GET
def shipping_label(request: AuthenticatedHttpRequest, number: str) -> HttpResponseBase:
    """The prepaid label of a person-to-person order, for its seller only."""
    order = _participant_order(request, number)
    shipment = _prepaid_label(order)
    if order.seller_id != request.user.pk or shipment is None:
        raise Http404(_("This order has no prepaid label."))
    return private_file_response(
        label_file(shipment),
        content_type="application/pdf",
        cache_control="private, no-store",
        filename=f"reloop-label-{order.number}.pdf",
    )
