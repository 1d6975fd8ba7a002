"""Returns and "not as described" disputes, both open only within the return window.

    delivered ──return_request──▶ return_requested ──return_mark_received──▶ returned ──▶ refunded
                                  return_requested ──return_withdraw──▶ delivered (the window runs on)
    delivered ──dispute_open──▶ disputed ──dispute_resolve──▶ resolved

A return of inspected stock goes back to the inspection centre on a free label, booked with the
carrier after the request has committed (`return_label_book`, never under a row lock); if the
carrier is down the request stands and `return_labels_book_missing` books the label later. A
person-to-person buyer sends the item to the seller and enters the tracking number.

Refunds go through `orders.services.refunds.order_refund` with a key naming their cause
(`refund:return:<id>`, `refund:dispute:<id>`); what a dispute leaves for the seller is released with
`sale_release_post`, so a second attempt at either moves no money.
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
from listings.models import ListingSource, ListingStatus
from listings.services import listing_move
from marketplace.carriers import INSPECTION_CENTRE, Address, CarrierUnavailable, get_carrier
from marketplace.errors import InvalidTransition
from marketplace.labels import LabelContent, label_pdf
from marketplace.money import CENT
from orders.errors import NotAllowed, OrderError
from orders.models import Dispute, DisputeOutcome, Order, OrderStatus, ReturnRequest, ReturnStatus
from orders.services.fulfilment import (
    check_buyer,
    check_fulfils,
    clean_shipment,
    clean_text,
    order_locked_for,
)
from orders.services.money import sale_release_post
from orders.services.refunds import order_refund
from orders.services.transitions import order_move
from orders.signals import order_completed, order_returned

logger = logging.getLogger(__name__)

LABEL_BATCH_SIZE = 50
RETURN_METHOD = "drop_off"  # the buyer hands the parcel in at any point of the carrier


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
        note=_("Return requested: %(reason)s") % {"reason": reason},
    )
    # Under the order's lock nobody else writes this order's return: update-or-create is safe here.
    returned, _created = ReturnRequest.objects.update_or_create(
        order=order, defaults={"reason": reason, "status": ReturnStatus.REQUESTED, "received_at": None}
    )
    if order.is_inspected_stock and not returned.tracking_number:
        transaction.on_commit(partial(_label_book_or_leave_for_later, order.pk))
    return returned


def _label_book_or_leave_for_later(order_id: int) -> None:
    try:
        return_label_book(order_id=order_id)
    except CarrierUnavailable:
        logger.warning("Carrier down: no return label yet for order %s", order_id, exc_info=True)


def _needs_label(order: Order) -> ReturnRequest | None:
    """The order's return if it still waits for a free label. Caller holds the order's row lock."""
    if not order.is_inspected_stock or order.status != OrderStatus.RETURN_REQUESTED:
        return None
    returned = ReturnRequest.objects.filter(order=order).first()
    if returned is None or returned.status != ReturnStatus.REQUESTED or returned.tracking_number:
        return None
    return returned


def return_label_book(*, order_id: int) -> ReturnRequest | None:
    """Book the free return label to the inspection centre for an inspected item's return and store
    its carrier, tracking number and PDF on the return. A return that has its label, or no longer
    needs one (withdrawn, received), is returned as it is, and None when the order has no return.

    No row lock is held while the carrier is called: lock and check, release, book, lock and check
    again (a label booked meanwhile by another run is kept, ours voided). Raises CarrierUnavailable,
    worth a retry."""
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("buyer").get(pk=order_id)
        if _needs_label(order) is None:
            return ReturnRequest.objects.filter(order=order).first()

    sender = Address(name=order.buyer.public_name, lines=(), city=order.buyer.city)
    carrier = get_carrier()
    booking = carrier.book(
        reference=order.number,
        method=RETURN_METHOD,
        sender=sender,
        recipient=INSPECTION_CENTRE,
        now=timezone.now(),
    )
    recorded = False
    try:
        pdf = label_pdf(
            LabelContent(
                carrier=booking.carrier,
                tracking_number=booking.tracking_number,
                sort_code=booking.sort_code,
                reference_code=order.number,
                sender=sender,
                recipient=INSPECTION_CENTRE,
                method=booking.method,
                method_label=_("Drop-off"),
                drop_off_note=booking.drop_off_note,
            )
        )
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            returned = _needs_label(order)
            if returned is None:  # booked by another run, or withdrawn, meanwhile
                return ReturnRequest.objects.filter(order=order).first()
            returned.carrier = booking.carrier
            returned.tracking_number = booking.tracking_number
            returned.label_pdf = pdf
            returned.save(update_fields=["carrier", "tracking_number", "label_pdf"])
            recorded = True
    finally:
        if not recorded:
            _void_label(carrier, booking.tracking_number)
    return returned


def _void_label(carrier, tracking_number: str) -> None:
    """Best effort: an unused label costs nothing, and the carrier voids it by itself after a while."""
    try:
        carrier.cancel(tracking_number)
    except Exception:
        logger.warning("Could not cancel unrecorded return label %s", tracking_number, exc_info=True)


def return_labels_book_missing(*, limit: int = LABEL_BATCH_SIZE) -> int:
    """Book the labels that returns of inspected stock are still waiting for (the carrier was down
    when they were requested), oldest first. Stops at the first CarrierUnavailable, which it raises
    for a retry; what was booked stays booked. Returns how many were booked."""
    waiting = (
        ReturnRequest.objects.filter(
            status=ReturnStatus.REQUESTED, tracking_number="", order__status=OrderStatus.RETURN_REQUESTED
        )
        .exclude(order__source=ListingSource.PERSON)
        .order_by("created_at", "id")
        .values_list("order_id", flat=True)[:limit]
    )
    booked = 0
    for order_id in list(waiting):
        returned = return_label_book(order_id=order_id)
        booked += bool(returned is not None and returned.tracking_number)
    return booked


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
    returned.carrier, returned.tracking_number = clean_shipment(
        carrier=carrier, tracking_number=tracking_number
    )
    returned.save(update_fields=["carrier", "tracking_number"])
    return returned


@transaction.atomic
def return_withdraw(*, order_id: int, buyer: User) -> Order:
    """The buyer keeps the item after all: return_requested → delivered. The return window keeps
    running from the delivery, so the order completes when it would have."""
    order = order_locked_for(order_id=order_id, user=buyer)
    check_buyer(order, buyer)
    order = order_move(
        order_id=order.pk, to=OrderStatus.DELIVERED, by=buyer, note=_("The buyer withdrew the return.")
    )
    ReturnRequest.objects.filter(order=order).update(status=ReturnStatus.WITHDRAWN)
    return order


@transaction.atomic
def return_mark_received(*, order_id: int, by: User) -> Order:
    """The item is back with its seller (person-to-person) or at the centre (operations, inspected
    stock): return_requested → returned → refunded, the full price back to the buyer's card. An
    inspected item goes back on sale at the centre (`order_returned` is sent after commit); a
    person-to-person listing stays sold, its seller may list the item again."""
    order = order_locked_for(order_id=order_id, user=by)
    check_fulfils(order, by)
    now = timezone.now()
    order_move(
        order_id=order.pk, to=OrderStatus.RETURNED, by=by, note=_("The returned item arrived."), at=now
    )
    ReturnRequest.objects.filter(order=order).update(status=ReturnStatus.RECEIVED, received_at=now)
    order_refund(order=order, amount=order.price, key=f"refund:return:{order.pk}", by=by)
    order = order_move(
        order_id=order.pk,
        to=OrderStatus.REFUNDED,
        by=by,
        note=_("Refunded in full: %(amount)s.") % {"amount": order.price},
    )
    if order.is_inspected_stock:
        listing_move(
            listing_id=order.listing_id,
            to=ListingStatus.ACTIVE,
            by=by,
            note=_("Returned by the buyer to the inspection centre: back on sale."),
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
        note=_("The buyer says the item is not as described."),
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
        valid = False
    if not valid:
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
    if not has_role(by, OPERATIONS):
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

    if outcome == DisputeOutcome.FULL_REFUND:
        refund = order.price
    if refund is not None:
        order_refund(order=order, amount=refund, key=f"refund:dispute:{order.pk}", by=by)
    released = order.price - (refund or 0)
    if released:
        sale_release_post(order=order, amount=released, by=by)

    order = order_move(
        order_id=order.pk,
        to=OrderStatus.RESOLVED,
        by=by,
        note=_("Dispute resolved: %(outcome)s. %(note)s") % {"outcome": outcome.label, "note": note},
    )
    dispute.outcome = outcome
    dispute.refund_amount = refund
    dispute.resolution_note = note
    dispute.resolved_by = by
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["outcome", "refund_amount", "resolution_note", "resolved_by", "resolved_at"])
    if released:
        transaction.on_commit(lambda: order_completed.send(sender=Order, order=order), robust=True)
    return dispute
