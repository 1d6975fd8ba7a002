"""Inspected delivery (验货宝): the buyer of a private seller's item pays Reloop to inspect it on the way.

    checkout: the buyer chooses it (INSPECTED_DELIVERY_FEE on top of the price and shipping)
    paid ──(the seller ships to the inspection centre)──▶ to_centre ──(the receiving desk)──▶ inspecting
    inspecting ──(as described: report published)──▶ inspected ──(operations ship it on)──▶ shipped …
    inspecting ──(not as described)──▶ refunded: everything the buyer paid, and the item back to its seller

The item is inspected with its category's checklist, against the listing's description and photos
(the inspector sees them beside the checklist, through `order_subjects_described`). The money stays in
escrow throughout: the inspection fee goes to the platform only when the sale is released, so a refund
in full (a failed inspection, a return, a dispute) returns it with the rest.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from inspection.checklists import current_checklist
from inspection.errors import InspectionError
from inspection.models import Inspection, InspectionResult, Report
from inspection.subjects import SubjectDetails
from listings.models import Listing, ListingSource, PhotoStatus, thumbnail_url
from notifications.services import notify
from orders.errors import OrderError
from orders.models import Order, OrderStatus, PaymentStatus, is_order_number
from orders.services.checkout import _buyer_order_for_update, _require_pending
from orders.services.fulfilment import _label_book_or_leave_for_later, seller_address
from orders.services.refunds import order_refund_in_full
from orders.services.transitions import order_move
from shipping.carriers import INSPECTION_CENTRE
from shipping.models import ShipmentPurpose, ShipmentStatus
from shipping.services import shipment_request


def inspected_delivery_offered(listing: Listing) -> bool:
    """Whether a buyer of `listing` may choose inspected delivery: a private seller's item in a
    category the centre has a checklist for."""
    if listing.source != ListingSource.PERSON:
        return False
    try:
        current_checklist(listing.category)
    except InspectionError:
        return False
    return True


@transaction.atomic
def order_inspection_choose(*, order_id: int, buyer: User, chosen: bool) -> Order:
    """The buyer chooses (or drops) inspected delivery before paying: the order then costs
    INSPECTED_DELIVERY_FEE more. Raises OrderError `not_inspectable` for an item it is not offered for,
    `payment_open` when a payment page for the other amount is already open, and the checkout's errors
    for an order that can no longer change."""
    order = _buyer_order_for_update(order_id=order_id, buyer=buyer)
    _require_pending(order)
    if chosen == order.inspected_delivery:
        return order
    if chosen and not inspected_delivery_offered(order.listing):
        raise OrderError(
            _("Inspected delivery is offered for private sellers' items in inspected categories only."),
            code="not_inspectable",
        )
    if order.payments.filter(status=PaymentStatus.CREATED).exclude(hosted_url="").exists():
        raise OrderError(
            _("A payment for this order is already open. Pay it, or wait until it lapses, to change this."),
            code="payment_open",
            field="inspected_delivery",
        )
    order.inspected_delivery = chosen
    order.inspection_fee = settings.INSPECTED_DELIVERY_FEE if chosen else 0
    order.save(update_fields=["inspected_delivery", "inspection_fee", "updated_at"])
    return order


def order_inspection_completed(*, inspection: Inspection) -> None:
    """inspection_completed, for an inspected delivery (the subject code is the order number): passed,
    the order is inspected and waits for operations to ship it on, with the report; failed, the buyer
    is refunded everything they paid and a free label takes the item back to its seller. Anything else
    changes nothing, and a second call finds the order moved on."""
    if not inspection.inspected_delivery:
        return
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .select_related("buyer", "seller")
            .filter(number=inspection.subject_code, status=OrderStatus.INSPECTING)
            .first()
        )
        if order is None:
            return
        report = Report.objects.filter(inspection=inspection).values_list("code", flat=True).first() or ""
        params = {"title": order.title, "number": order.number, "report": report}
        link = reverse("orders:detail", args=[order.number])
        if inspection.result == InspectionResult.PASSED:
            order_move(
                order_id=order.pk,
                to=OrderStatus.INSPECTED,
                by=None,
                message="order.inspection_passed",
                params={"report": report},
            )
            notify(
                recipient=order.buyer,
                kind="order.inspection_passed",
                params=params,
                link=link,
                key=f"order:{order.pk}:inspected",
            )
            return
        order_refund_in_full(order=order, key=f"refund:inspection:{order.pk}")
        order_move(
            order_id=order.pk,
            to=OrderStatus.REFUNDED,
            by=None,
            message="order.inspection_failed",
            params={"report": report},
        )
        back = shipment_request(
            purpose=ShipmentPurpose.SELLER_RETURN,
            reference=order.number,
            sender=INSPECTION_CENTRE,
            recipient=seller_address(order),
        )
        if back.status == ShipmentStatus.REQUESTED:
            transaction.on_commit(partial(_label_book_or_leave_for_later, back.pk))
        for recipient, kind in (
            (order.buyer, "order.inspection_failed"),
            (order.seller, "sale.inspection_failed"),
        ):
            notify(recipient=recipient, kind=kind, params=params, link=link, key=f"order:{order.pk}:failed")


def order_subjects_described(*, codes: list[str]) -> dict[str, SubjectDetails]:
    """subjects_described, for inspected deliveries: what the listing says of the item (its grade and
    description) and its photos, for the inspector to check it against. Two queries whatever the
    number of codes."""
    numbers = [code for code in codes if is_order_number(code)]
    if not numbers:
        return {}  # submissions and the like: no query
    orders = list(
        Order.objects.filter(number__in=numbers, inspected_delivery=True)
        .select_related("listing")
        .prefetch_related("listing__photos")
    )
    found = {}
    for order in orders:
        listing = order.listing
        answers: list[tuple[str | Promise, str | Promise]] = [
            (
                _("Sold with inspected delivery"),
                _("Check it against the listing: %(title)s") % {"title": listing.title},
            ),
            (_("Condition the seller listed"), listing.get_grade_display()),
        ]
        if listing.description:
            answers.append((_("The listing's description"), listing.description))
        photos: list[tuple[str, str | Promise]] = [
            (thumbnail_url(photo.key, 960), _("Listing photo"))
            for photo in listing.photos.all()
            if photo.status == PhotoStatus.READY
        ]
        found[order.number] = SubjectDetails(answers=answers, photos=photos)
    return found
