"""Fulfilment: the item ships, arrives, and the sale completes, which releases the escrow.

    paid ──(seller, or operations for inspected stock: carrier + tracking number)──▶ shipped
    paid ──(seller of a person-to-person sale: prepaid label booked with Reloop's carrier)──▶ shipped
    shipped ──(the carrier's "delivered" through shipment_moved, operations, or the buyer's receipt)──▶ delivered
    delivered ──(buyer confirms receipt, or the return window passes untouched)──▶ completed

Completion is the moment the money leaves escrow (`orders.services.money.sale_release_post`, keyed
`sale:order:<id>`, so it is released once however often completion is attempted) and
`orders.signals.order_completed` is sent after commit.

A private seller may book a prepaid label instead of typing a tracking number (`order_label_book`):
the label is asked for under the order's lock and booked with the carrier once that has committed
(never under a lock; if the carrier is down the request stays and shipping's job books it later).
When the carrier has issued it, shipping's `shipment_moved` arrives here (`order_shipment_moved`):
the shipping fee the buyer paid leaves escrow for the label (`shipping_label_post`, keyed
`shipping:order:<id>`) and the order moves paid → shipped in the same transaction. A seller who
sends the parcel themselves gets the fee with the sale instead (`shipping_fee_to_seller_post`).

Who may act: every service locks the order and raises Order.DoesNotExist for a user who is neither
its buyer nor its seller nor in operations (the views answer 404, as for an order that does not
exist); a party, or operations, asking for a move that is not theirs gets NotAllowed (403).
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from accounts.models import User
from accounts.roles import OPERATIONS, has_role
from accounts.selectors import default_address_of
from listings.models import ListingSource
from marketplace.errors import DomainError, InvalidTransition
from orders.errors import NotAllowed, OrderError
from orders.models import Order, OrderStatus
from orders.services.money import (
    inspection_fee_post,
    sale_release_post,
    shipping_fee_to_seller_post,
    shipping_label_post,
)
from orders.services.transitions import order_move
from orders.signals import order_completed
from shipping.carriers import INSPECTION_CENTRE, CarrierUnavailable
from shipping.models import CarrierEvent, Shipment, ShipmentPurpose, ShipmentStatus, ShippingMethod
from shipping.services import shipment_book, shipment_record, shipment_request

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
    a person-to-person sale, operations for platform and consigned stock and for an inspected delivery
    that passed (it is at the centre)."""
    if order.ships_from_centre:
        if not has_role(user, OPERATIONS):
            raise NotAllowed(
                _("Reloop ships this item from the inspection centre; only its staff can do this.")
            )
    elif order.seller_id != user.pk:
        raise NotAllowed(_("Only the seller can do this."))


def seller_address(order: Order) -> PostalAddress:
    """Where the item leaves from: the inspection centre for inspected stock, else the seller's
    default address (or what their profile says)."""
    if order.ships_from_centre:
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


def recipient_address(order: Order) -> PostalAddress:
    """Where the parcel goes next: the inspection centre for an inspected delivery still with its
    seller, else the buyer."""
    if order.inspected_delivery and order.status == OrderStatus.PAID:
        return INSPECTION_CENTRE
    return buyer_address(order)


def shipped_status(order: Order) -> OrderStatus:
    """What handing the parcel to the carrier makes the order: on its way to inspection for an
    inspected delivery still with its seller, else shipped (to the buyer)."""
    if order.inspected_delivery and order.status == OrderStatus.PAID:
        return OrderStatus.TO_CENTRE
    return OrderStatus.SHIPPED


@transaction.atomic
def order_mark_shipped(*, order_id: int, by: User, carrier: str, tracking_number: str) -> Order:
    """paid → shipped, with the carrier (from shipping.carriers.CARRIERS) and the tracking number the
    buyer follows. For the seller of a person-to-person sale, for operations on platform and consigned
    stock. Raises a ShippingError naming the field for a carrier not on the list or a malformed number."""
    order = order_locked_for(order_id=order_id, user=by)
    check_fulfils(order, by)
    if order.status not in (OrderStatus.PAID, OrderStatus.INSPECTED):
        raise InvalidTransition(order.status, OrderStatus.SHIPPED)
    to = shipped_status(order)
    shipment = shipment_record(
        purpose=ShipmentPurpose.SALE if order.ships_from_centre else ShipmentPurpose.PERSON_TO_PERSON,
        reference=order.number,
        carrier=carrier,
        tracking_number=tracking_number,
        sender=seller_address(order),
        recipient=recipient_address(order),
    )
    return order_move(
        order_id=order.pk,
        to=to,
        by=by,
        message="order.sent_to_centre" if to == OrderStatus.TO_CENTRE else "order.shipped",
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


def _label_book_or_leave_for_later(shipment_id: int) -> None:
    """Book a requested label now that the request has committed. A carrier that is down leaves it
    to shipping's job; a refusal by `order_shipment_moved` (the order moved on meanwhile) has
    cancelled it. Nothing is raised to the seller's request, which has committed."""
    try:
        shipment_book(shipment_id=shipment_id)
    except CarrierUnavailable:
        logger.warning("Carrier down: label %s is left for shipping's job", shipment_id, exc_info=True)
    except DomainError:
        logger.info("Label %s was refused and is cancelled", shipment_id, exc_info=True)


@transaction.atomic
def order_label_book(*, order_id: int, by: User) -> Shipment:
    """The seller of a paid person-to-person order asks for a prepaid label, paid from the shipping
    fee the buyer paid: a drop-off label from the seller's address to the buyer's, booked with the
    carrier once this commits. When the carrier has issued it the order is shipped
    (`order_shipment_moved`). Asking again while the label is on its way returns the same request
    (and tries the carrier again); nothing is booked twice.

    Raises Order.DoesNotExist for someone who is not party to the order; NotAllowed for a buyer, for
    Reloop's own stock (shipped from the centre) and for anyone but the seller; InvalidTransition for
    an order that is not paid; OrderError `already_shipped` once it has shipped and `no_shipping_fee`
    for an order the buyer paid no shipping fee for."""
    order = order_locked_for(order_id=order_id, user=by)
    if order.source != ListingSource.PERSON:
        raise NotAllowed(_("Reloop ships this item from the inspection centre on its own label."))
    if order.seller_id != by.pk:
        raise NotAllowed(_("Only the seller can do this."))
    if order.status != OrderStatus.PAID:
        if order.shipped_at is not None:
            error = OrderError(_("This order has already been shipped."), code="already_shipped")
            error.status_code = 409
            raise error
        raise InvalidTransition(order.status, OrderStatus.SHIPPED)
    if order.shipping_fee <= 0:
        raise OrderError(
            _(
                "The buyer paid no shipping fee for this order, so there is no prepaid label: send the "
                "parcel yourself and enter the tracking number."
            ),
            code="no_shipping_fee",
        )
    shipment = shipment_request(
        purpose=ShipmentPurpose.PERSON_TO_PERSON,
        reference=order.number,
        sender=seller_address(order),
        recipient=recipient_address(order),
        method=ShippingMethod.DROP_OFF,  # the seller hands the parcel in at any point of the carrier
    )
    if order.shipment_id != shipment.pk:
        # The order points at its label from the request on, so that its page shows it coming.
        order.shipment = shipment
        order.save(update_fields=["shipment", "updated_at"])
    if shipment.status == ShipmentStatus.REQUESTED:
        transaction.on_commit(partial(_label_book_or_leave_for_later, shipment.pk))
    return shipment


def order_label_issue(*, order_id: int) -> Shipment | None:
    """Book the prepaid label the seller of the order asked for, now (with no row lock held), and
    return the order's parcel; None when it has none. Safe to call again: a label booked already is
    returned as it is. Raises CarrierUnavailable, worth a retry (shipping's job retries by itself),
    and the OrderError with which an order that moved on refuses the label (which is then voided)."""
    shipment_id = (
        Order.objects.filter(
            pk=order_id, shipment__purpose=ShipmentPurpose.PERSON_TO_PERSON, shipment__booked=False
        )
        .values_list("shipment_id", flat=True)
        .first()
    )
    if shipment_id is not None:
        shipment_book(shipment_id=shipment_id)
    order = Order.objects.select_related("shipment").get(pk=order_id)
    return order.shipment


def _label_created(shipment: Shipment) -> None:
    """The carrier issued the prepaid label of a person-to-person order: the shipping fee pays for it
    and the order is shipped, with the label's carrier and tracking number. An order that can no
    longer ship (a tracking number typed meanwhile, a refund) refuses it with an OrderError, and
    shipping cancels the request and voids the label. Caller holds the shipment's row lock."""
    order = Order.objects.select_for_update().filter(number=shipment.reference).first()
    if order is None or order.source != ListingSource.PERSON or order.shipping_fee <= 0:
        raise OrderError(_("No order can use this label."), code="label_not_wanted")
    if order.status != OrderStatus.PAID:
        raise OrderError(
            _("This order can no longer ship on a prepaid label: it is %(status)s.")
            % {"status": order.get_status_display()},
            code="label_not_wanted",
        )
    shipping_label_post(order=order, by=order.seller)
    to = shipped_status(order)
    order_move(
        order_id=order.pk,
        to=to,
        by=order.seller,
        message="order.label_to_centre" if to == OrderStatus.TO_CENTRE else "order.label_booked",
        params={"carrier": shipment.carrier, "tracking": shipment.tracking_number},
        shipment=shipment,
    )


def order_shipment_moved(*, shipment: Shipment, old_status: str, event: CarrierEvent | None) -> None:
    """shipment_moved, with the shipment's row lock held. The prepaid label of a person-to-person
    order was issued: the order is shipped (`_label_created`). The carrier says the parcel of a
    shipped order arrived: the order is delivered at the time the carrier gives. Any other news
    changes nothing. A replayed event never arrives here (shipping stores each once), and a delivered
    order stays so."""
    if (
        shipment.purpose == ShipmentPurpose.PERSON_TO_PERSON
        and shipment.booked
        and old_status == ShipmentStatus.REQUESTED
        and shipment.status == ShipmentStatus.LABEL_CREATED
    ):
        _label_created(shipment)
        return
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
    """delivered → completed, the escrow released to the seller side (the price, and the shipping fee
    when no prepaid label used it), `order_completed` sent after commit. Caller holds the order's row
    lock."""
    order = order_move(order_id=order.pk, to=OrderStatus.COMPLETED, by=by, message=message)
    sale_release_post(order=order, amount=order.price, by=by)
    shipping_fee_to_seller_post(order=order, by=by)
    inspection_fee_post(order=order, by=by)
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
