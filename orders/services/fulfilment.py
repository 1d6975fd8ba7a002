"""Fulfilment: the item ships, arrives, and the sale completes, which releases the escrow.

    paid ──(seller, or operations for inspected stock: carrier + tracking number)──▶ shipped
    shipped ──(the carrier's "delivered" through shipment_moved, operations, or the buyer's receipt)──▶ delivered
    delivered ──(buyer confirms receipt, or the return window passes untouched)──▶ completed

Completion is the moment the money leaves escrow (`orders.services.money.sale_release_post`, keyed
`sale:order:<id>`, so it is released once however often completion is attempted) and
`orders.signals.order_completed` is sent after commit.

Who may act: every service locks the order and raises Order.DoesNotExist for a user who is neither
its buyer nor its seller nor in operations (the views answer 404, as for an order that does not
exist); a party, or operations, asking for a move that is not theirs gets NotAllowed (403).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from accounts.models import User
from accounts.roles import OPERATIONS, has_role
from accounts.selectors import default_address_of
from marketplace.errors import InvalidTransition
from orders.errors import NotAllowed, OrderError
from orders.models import Order, OrderStatus
from orders.services.money import sale_release_post
from orders.services.transitions import order_move
from orders.signals import order_completed
from shipping.carriers import INSPECTION_CENTRE
from shipping.models import CarrierEvent, Shipment, ShipmentPurpose, ShipmentStatus
from shipping.services import shipment_record

logger = logging.getLogger(__name__)

COMPLETE_BATCH_SIZE = 200


def clean_text(value: object, *, field: str, min_length: int, max_length: int) -> str:
    """`value` stripped, or a field-named OrderError when it is missing, too short, too long or
    holds a NUL character (which PostgreSQL cannot store)."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) < max(min_length, 1):
        if min_length <= 1:
            message = _("This field is required.")
        else:
            message = _("Write at least %(count)d characters.") % {"count": min_length}
        raise OrderError(message, code="required" if not text else "too_short", field=field)
    if len(text) > max_length:
        raise OrderError(
            _("Write at most %(count)d characters.") % {"count": max_length}, code="too_long", field=field
        )
    if "\x00" in text:
        raise OrderError(
            _("This text contains a character that cannot be stored."), code="invalid", field=field
        )
    return text


def order_locked_for(*, order_id: int, user: User) -> Order:
    """The order under a row lock, for its buyer, its seller or someone in operations. Raises
    Order.DoesNotExist for anyone else, exactly as for an order that does not exist.
    Caller is inside a transaction."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if user.pk not in (order.buyer_id, order.seller_id) and not has_role(user, OPERATIONS):
        raise Order.DoesNotExist("No order with this id for this user.")
    return order


def check_buyer(order: Order, user: User) -> None:
    """Raises NotAllowed unless `user` bought the order (the seller, or staff, cannot act for them)."""
    if order.buyer_id != user.pk:
        raise NotAllowed(_("Only the buyer can do this."))


def check_fulfils(order: Order, user: User) -> None:
    """Raises NotAllowed unless `user` is who ships and takes back this order's item: the seller for
    a person-to-person sale, operations for platform and consigned stock (it is at the centre)."""
    if order.is_inspected_stock:
        if not has_role(user, OPERATIONS):
            raise NotAllowed(
                _("Reloop ships this item from the inspection centre; only its staff can do this.")
            )
    elif order.seller_id != user.pk:
        raise NotAllowed(_("Only the seller can do this."))


def seller_address(order: Order) -> PostalAddress:
    """Where the item leaves from: the inspection centre for inspected stock, else the seller's
    default address (or what their profile says)."""
    if order.is_inspected_stock:
        return INSPECTION_CENTRE
    seller = order.seller
    address = default_address_of(seller)
    if address is not None:
        return address.postal
    return PostalAddress(
        name=seller.public_name, phone="", region="", city=seller.city, street="", postcode=""
    )


def buyer_address(order: Order) -> PostalAddress:
    """The address the buyer gave at checkout."""
    return PostalAddress(
        name=order.ship_to_name,
        phone=order.ship_to_phone,
        region=order.ship_to_region,
        city=order.ship_to_city,
        street=order.ship_to_address,
        postcode=order.ship_to_postcode,
    )


@transaction.atomic
def order_mark_shipped(*, order_id: int, by: User, carrier: str, tracking_number: str) -> Order:
    """paid → shipped, with the carrier (from shipping.carriers.CARRIERS) and the tracking number the
    buyer follows. For the seller of a person-to-person sale, for operations on platform and consigned
    stock. Raises a ShippingError naming the field for a carrier not on the list or a malformed number."""
    order = order_locked_for(order_id=order_id, user=by)
    check_fulfils(order, by)
    if order.status != OrderStatus.PAID:
        raise InvalidTransition(order.status, OrderStatus.SHIPPED)
    shipment = shipment_record(
        purpose=ShipmentPurpose.SALE if order.is_inspected_stock else ShipmentPurpose.PERSON_TO_PERSON,
        reference=order.number,
        carrier=carrier,
        tracking_number=tracking_number,
        sender=seller_address(order),
        recipient=buyer_address(order),
    )
    return order_move(
        order_id=order.pk,
        to=OrderStatus.SHIPPED,
        by=by,
        message="order.shipped",
        params={"carrier": shipment.carrier, "tracking": shipment.tracking_number},
        shipment=shipment,
    )


def _delivered(
    order: Order, *, by: User | None, at: datetime | None, message: str, params: dict | None = None
) -> Order:
    """shipped → delivered at `at`, kept between the recorded shipment and now: a carrier's clock or
    a seller who marked it shipped late cannot start the return window early or in the future.
    Caller holds the order's row lock."""
    now = timezone.now()
    at = min(at or now, now)
    if order.shipped_at is not None:
        at = max(at, order.shipped_at)
    return order_move(
        order_id=order.pk, to=OrderStatus.DELIVERED, by=by, message=message, params=params, at=at
    )


@transaction.atomic
def order_mark_delivered(*, order_id: int, by: User | None, at: datetime | None = None) -> Order:
    """shipped → delivered; the return window starts. `by` is None for the carrier or the system,
    otherwise someone in operations (a buyer confirms receipt with `order_confirm_receipt`)."""
    if by is None:
        order = Order.objects.select_for_update().get(pk=order_id)
    else:
        order = order_locked_for(order_id=order_id, user=by)
        if not has_role(by, OPERATIONS):
            raise NotAllowed(_("Only Reloop staff can mark an order delivered."))
    return _delivered(order, by=by, at=at, message="order.delivered")


def order_shipment_moved(*, shipment: Shipment, old_status: str, event: CarrierEvent | None) -> None:
    """The carrier says the parcel of a shipped order arrived: the order is delivered at the time the
    carrier gives (shipment_moved, with the shipment's row lock held; any other news changes nothing).
    A replayed event never arrives here (shipping stores each once), and a delivered order stays so."""
    if shipment.status == old_status or shipment.status != ShipmentStatus.DELIVERED:
        return
    order = Order.objects.select_for_update().filter(shipment_id=shipment.pk).first()
    if order is None or order.status != OrderStatus.SHIPPED:
        return
    _delivered(
        order,
        by=None,
        at=event.occurred_at if event is not None else None,
        message="order.delivered_by_carrier",
        params={"carrier": shipment.carrier},
    )


def _complete(order: Order, *, by: User | None, message: str) -> Order:
    """delivered → completed, the escrow released to the seller side, `order_completed` sent after
    commit. Caller holds the order's row lock."""
    order = order_move(order_id=order.pk, to=OrderStatus.COMPLETED, by=by, message=message)
    sale_release_post(order=order, amount=order.price, by=by)
    transaction.on_commit(lambda: order_completed.send(sender=Order, order=order), robust=True)
    return order


@transaction.atomic
def order_confirm_receipt(*, order_id: int, buyer: User) -> Order:
    """The buyer has the item and is satisfied: shipped → delivered → completed, or delivered →
    completed. The seller side is paid."""
    order = order_locked_for(order_id=order_id, user=buyer)
    check_buyer(order, buyer)
    if order.status == OrderStatus.SHIPPED:
        order = _delivered(order, by=buyer, at=None, message="order.received_by_buyer")
    return _complete(order, by=buyer, message="order.receipt_confirmed")


def orders_complete_due(*, now: datetime | None = None, limit: int = COMPLETE_BATCH_SIZE) -> int:
    """Complete up to `limit` delivered orders whose return window has passed with no return or
    dispute open (either would have moved them out of "delivered"). One short transaction per order;
    an order another run holds is skipped, and one already completed is no longer "delivered", so
    running twice, or two runs at once, completes and pays each order once. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETURN_WINDOW_DAYS)
    due = Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__lte=cutoff)
    completed = 0
    for order_id in due.order_by("delivered_at", "id").values_list("pk", flat=True)[:limit]:
        try:
            with transaction.atomic():
                order = due.select_for_update(skip_locked=True).filter(pk=order_id).first()
                if order is None:  # taken by another run, or changed since the list was read
                    continue
                _complete(order, by=None, message="order.return_window_closed")
                completed += 1
        except Exception:
            # One order that cannot complete must not hold back every order delivered after it.
            logger.exception("Could not complete order %s", order_id)
    return completed
