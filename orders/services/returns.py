"""Returns and "not as described" disputes, both open only within the return window.

    delivered ──return_request──▶ return_requested ──return_mark_received──▶ returned ──▶ refunded
                                  return_requested ──return_withdraw──▶ delivered (the window runs on)
    delivered ──dispute_open──▶ disputed ──dispute_resolve──▶ resolved

A return of inspected stock goes back to the inspection centre on a free label: shipping books it
after the request has committed (never under a row lock); if the carrier is down the request stands
and shipping's job books the label later. A person-to-person buyer sends the item to the seller and
picks the carrier and enters the tracking number.

Refunds go through `orders.services.refunds.order_refund` with a key naming their cause
(`refund:return:<id>`, `refund:dispute:<id>`); a full refund is everything the buyer paid, the
shipping fee included (`order_refund_in_full`), a partial one is on the price. What a dispute leaves
for the seller is released with `sale_release_post` (and the shipping fee with
`shipping_fee_to_seller_post` when the seller sent the parcel themselves), so a second attempt at
either moves no money.
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OPERATIONS, has_role
from inspection.models import CheckResult
from listings.models import ListingStatus
from listings.services import listing_move
from marketplace.errors import InvalidTransition
from marketplace.money import CENT
from orders.errors import NotAllowed, OrderError
from orders.models import Dispute, DisputeOutcome, Order, OrderStatus, ReturnRequest, ReturnStatus
from orders.services.fulfilment import (
    buyer_address,
    check_buyer,
    check_fulfils,
    clean_text,
    order_locked_for,
    seller_address,
)
from orders.services.money import inspection_fee_post, sale_release_post, shipping_fee_to_seller_post
from orders.services.refunds import order_refund, order_refund_in_full
from orders.services.transitions import order_move
from orders.signals import order_completed, order_refunded, order_returned
from providers.scope import provider_scope
from shipping.carriers import INSPECTION_CENTRE, CarrierUnavailable
from shipping.models import ShipmentPurpose, ShipmentStatus, ShippingMethod
from shipping.services import shipment_book, shipment_cancel, shipment_record, shipment_request

logger = logging.getLogger(__name__)


def check_window_open(order: Order, *, now: datetime | None = None) -> None:
    """Raises OrderError (code window_closed) once the return window of a delivered order has closed.
    An order in any other state is left to the state machine to refuse."""
    closes_at = order.return_window_closes_at
    if (
        order.status == OrderStatus.DELIVERED
        and closes_at is not None
        and (now or timezone.now()) >= closes_at
    ):
        raise OrderError(
            _("The return window closed on %(date)s.")
            % {"date": date_format(timezone.localtime(closes_at), "DATE_FORMAT")},
            code="window_closed",
        )


# --- Returns -----------------------------------------------------------------------------------------


@transaction.atomic
def return_request(*, order_id: int, buyer: User, reason: str) -> ReturnRequest:
    """delivered → return_requested, within the return window. For inspected stock a free label to
    the inspection centre is booked once this commits. A buyer who withdrew a return may ask again
    while the window is open; the same return (and its label) is used."""
    reason = clean_text(reason, field="reason", min_length=1, max_length=500)
    order = order_locked_for(order_id=order_id, user=buyer)
    check_buyer(order, buyer)
    check_window_open(order)
    order_move(
        order_id=order.pk,
        to=OrderStatus.RETURN_REQUESTED,
        by=buyer,
        message="return.requested",
        note=reason,
    )
    # Under the order's lock nobody else writes this order's return: update-or-create is safe here.
    returned, _created = ReturnRequest.objects.update_or_create(
        order=order, defaults={"reason": reason, "status": ReturnStatus.REQUESTED, "received_at": None}
    )
    if order.is_inspected_stock and returned.shipment_id is None:
        shipment = shipment_request(
            purpose=ShipmentPurpose.BUYER_RETURN,
            reference=order.number,
            sender=buyer_address(order),
            recipient=INSPECTION_CENTRE,
            method=ShippingMethod.DROP_OFF,  # the buyer hands the parcel in at any point of the carrier
        )
        returned.shipment = shipment
        returned.save(update_fields=["shipment"])
        transaction.on_commit(partial(_label_book_or_leave_for_later, shipment.pk))
    return returned


def _label_book_or_leave_for_later(shipment_id: int) -> None:
    try:
        shipment_book(shipment_id=shipment_id)
    except CarrierUnavailable:
        logger.warning("Carrier down: return label %s is left for shipping's job", shipment_id, exc_info=True)


def return_label_book(*, order_id: int) -> ReturnRequest | None:
    """Book the free return label an inspected item's return asked for (now, with no row lock held)
    and return the return with it; None when the order has no return. Raises CarrierUnavailable,
    worth a retry (shipping's job retries by itself)."""
    returned = ReturnRequest.objects.filter(order_id=order_id).first()
    if returned is None or returned.shipment_id is None:
        return returned
    shipment_book(shipment_id=returned.shipment_id)
    return ReturnRequest.objects.select_related("shipment").get(pk=returned.pk)


@transaction.atomic
def return_tracking_set(*, order_id: int, buyer: User, carrier: str, tracking_number: str) -> ReturnRequest:
    """The person-to-person buyer has sent the item back to the seller: record the carrier and
    tracking number (again, to correct a typo, until the seller has it back)."""
    order = order_locked_for(order_id=order_id, user=buyer)
    check_buyer(order, buyer)
    if order.is_inspected_stock:
        raise OrderError(
            _("This item goes back on the free label Reloop provides; its tracking number is on the label."),
            code="label_provided",
        )
    returned = ReturnRequest.objects.filter(order=order, status=ReturnStatus.REQUESTED).first()
    if order.status != OrderStatus.RETURN_REQUESTED or returned is None:
        raise InvalidTransition(order.status, OrderStatus.RETURN_REQUESTED)
    returned.shipment = shipment_record(
        purpose=ShipmentPurpose.BUYER_RETURN,
        reference=order.number,
        carrier=carrier,
        tracking_number=tracking_number,
        sender=buyer_address(order),
        recipient=seller_address(order),
    )
    returned.save(update_fields=["shipment"])
    return returned


@transaction.atomic
def return_withdraw(*, order_id: int, buyer: User) -> Order:
    """The buyer keeps the item after all: return_requested → delivered. The return window keeps
    running from the delivery, so the order completes when it would have."""
    order = order_locked_for(order_id=order_id, user=buyer)
    check_buyer(order, buyer)
    order = order_move(order_id=order.pk, to=OrderStatus.DELIVERED, by=buyer, message="return.withdrawn")
    returned = ReturnRequest.objects.filter(order=order).first()
    if returned is not None:
        returned.status = ReturnStatus.WITHDRAWN
        if (
            returned.shipment_id is not None
            and shipment_cancel(shipment_id=returned.shipment_id, requested_only=True).status
            == ShipmentStatus.CANCELLED
        ):
            returned.shipment = None  # no label was issued: a new request asks for one again
        returned.save(update_fields=["status", "shipment"])
    return order


@transaction.atomic
def return_mark_received(*, order_id: int, by: User) -> Order:
    """The item is back with its seller (person-to-person) or at the centre (operations, inspected
    stock): return_requested → returned → refunded, everything the buyer paid (the price and the
    shipping fee) back to their card. An
    inspected item goes back on sale at the centre (`order_returned` is sent after commit); a
    person-to-person listing stays sold, its seller may list the item again."""
    order = order_locked_for(order_id=order_id, user=by)
    check_fulfils(order, by)
    now = timezone.now()
    order_move(order_id=order.pk, to=OrderStatus.RETURNED, by=by, message="return.arrived", at=now)
    ReturnRequest.objects.filter(order=order).update(status=ReturnStatus.RECEIVED, received_at=now)
    refunded = order_refund_in_full(order=order, key=f"refund:return:{order.pk}", by=by)
    order = order_move(
        order_id=order.pk,
        to=OrderStatus.REFUNDED,
        by=by,
        message="refund.full",
        params={"amount": refunded},
    )
    if order.is_inspected_stock:
        listing_move(
            listing_id=order.listing_id,
            to=ListingStatus.ACTIVE,
            by=by,
            message="order.returned",
        )
        transaction.on_commit(lambda: order_returned.send(sender=Order, order=order), robust=True)
    return order


# --- Disputes ----------------------------------------------------------------------------------------


def _clean_check_ids(order: Order, check_ids: Sequence[int]) -> list[int]:
    """The disputed checks' ids, all from the inspection report behind the order's listing; none for
    a person-to-person item, which had no inspection. Raises a field-named OrderError."""
    ids: set[int] = set()
    valid_input = not isinstance(check_ids, str | bytes)
    for value in check_ids if valid_input else ():
        # Ids as a form or JSON sends them; a float, a bool or "1.5" is not an id.
        if isinstance(value, bool) or not isinstance(value, int | str):
            valid_input = False
            break
        try:
            ids.add(int(value))
        except ValueError:
            valid_input = False
            break
    if not valid_input:
        raise OrderError(_("Choose checks from the inspection report."), code="check_ids", field="check_ids")
    if not ids:
        return []
    if not order.is_inspected_stock:
        raise OrderError(
            _("This item was not inspected by Reloop, so there are no report checks to point at."),
            code="check_ids",
            field="check_ids",
        )
    report_code = order.listing.report_code
    found = set(
        CheckResult.objects.filter(
            pk__in=[pk for pk in ids if 0 < pk < 2**63], inspection__report__code=report_code
        ).values_list("pk", flat=True)
        if report_code
        else ()
    )
    if found != ids:
        raise OrderError(
            _("Some of the chosen checks are not in this item's inspection report."),
            code="check_ids",
            field="check_ids",
        )
    return sorted(ids)


@transaction.atomic
def dispute_open(*, order_id: int, buyer: User, reason: str, check_ids: Sequence[int] = ()) -> Dispute:
    """delivered → disputed, within the return window: the item is not as described. For an
    inspected item the buyer may point at checks of its inspection report."""
    reason = clean_text(reason, field="reason", min_length=10, max_length=2000)
    order = order_locked_for(order_id=order_id, user=buyer)
    check_buyer(order, buyer)
    check_window_open(order)
    ids = _clean_check_ids(order, check_ids)
    order_move(
        order_id=order.pk,
        to=OrderStatus.DISPUTED,
        by=buyer,
        message="dispute.opened",
    )
    dispute = Dispute.objects.create(order=order, reason=reason)
    dispute.disputed_checks.set(ids)
    return dispute


def _clean_refund_amount(outcome: DisputeOutcome, amount: object, price: Decimal) -> Decimal | None:
    """The partial refund as a Decimal of cents strictly between zero and the price; None for the
    other outcomes, which take no amount. Raises a field-named OrderError."""
    if outcome != DisputeOutcome.PARTIAL_REFUND:
        if amount is not None:
            raise OrderError(
                _("Enter a refund amount only for a partial refund."),
                code="refund_amount",
                field="refund_amount",
            )
        return None
    value: Decimal | None
    try:
        value = (
            amount
            if isinstance(amount, Decimal)
            else Decimal(amount)
            if isinstance(amount, int | str)
            else None
        )
        valid = (
            value is not None and value.is_finite() and 0 < value < price and value == value.quantize(CENT)
        )
    except (InvalidOperation, ValueError):
        value, valid = None, False
    if value is None or not valid:
        raise OrderError(
            _("A partial refund is more than 0 and less than the price (%(price)s), in cents at most.")
            % {"price": price},
            code="refund_amount",
            field="refund_amount",
        )
    return value.quantize(CENT)


@transaction.atomic
def dispute_resolve(
    *, order_id: int, by: User, outcome: DisputeOutcome, refund_amount: Decimal | None, note: str
) -> Dispute:
    """Operations decide a dispute, with the reason: a full refund; a partial refund, the rest paid
    to the seller side; or a rejection, the seller side paid in full. disputed → resolved.
    `order_completed` is sent after commit when the seller side was paid."""
    # A provider is judged on the disputes about its reports: it decides none of them.
    if not has_role(by, OPERATIONS) or provider_scope(by) is not None:
        raise NotAllowed(_("Only Reloop staff can resolve a dispute."))
    try:
        outcome = DisputeOutcome(outcome)
    except ValueError:
        raise OrderError(_("Choose an outcome."), code="outcome", field="outcome") from None
    note = clean_text(note, field="note", min_length=1, max_length=2000)
    order = Order.objects.select_for_update().get(pk=order_id)
    dispute = Dispute.objects.filter(order=order).first()
    if dispute is not None and dispute.resolved_at is not None:
        error = OrderError(_("This dispute was already resolved."), code="already_resolved")
        error.status_code = 409
        raise error
    if order.status != OrderStatus.DISPUTED or dispute is None:
        raise InvalidTransition(order.status, OrderStatus.RESOLVED)
    refund = _clean_refund_amount(outcome, refund_amount, order.price)

    key = f"refund:dispute:{order.pk}"
    if outcome == DisputeOutcome.FULL_REFUND:
        # Everything the buyer paid, the shipping fee included; nothing is left for the seller.
        refund = order_refund_in_full(order=order, key=key, by=by)
        released = Decimal("0")
    else:
        # A partial refund is on the price; the seller side keeps the rest, and the shipping fee.
        if refund is not None:
            order_refund(order=order, amount=refund, key=key, by=by)
        released = order.price - (refund or 0)
    if released:
        sale_release_post(order=order, amount=released, by=by)
        shipping_fee_to_seller_post(order=order, by=by)
        inspection_fee_post(order=order, by=by)

    order = order_move(
        order_id=order.pk,
        to=OrderStatus.RESOLVED,
        by=by,
        message="dispute.resolved",
        params={"outcome": outcome},
        note=note,
    )
    dispute.outcome = outcome
    dispute.refund_amount = refund
    dispute.resolution_note = note
    dispute.resolved_by = by
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["outcome", "refund_amount", "resolution_note", "resolved_by", "resolved_at"])
    if released:
        transaction.on_commit(lambda: order_completed.send(sender=Order, order=order), robust=True)
    else:
        transaction.on_commit(lambda: order_refunded.send(sender=Order, order=order), robust=True)
    return dispute
