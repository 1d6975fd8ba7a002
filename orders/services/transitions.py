"""The order state machine. `order_move` is the only function that assigns `Order.status`."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.errors import InvalidTransition
from orders.models import Order, OrderEvent, OrderStatus
from orders.notices import order_notify
from orders.signals import order_refunded

ALLOWED: dict[OrderStatus, set[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: {OrderStatus.PAID, OrderStatus.EXPIRED, OrderStatus.CANCELLED},
    # A payment that lands after the reservation lapsed: the order is paid if the item is still to be
    # had, and refunded if someone else bought it meanwhile.
    OrderStatus.EXPIRED: {OrderStatus.PAID, OrderStatus.REFUNDED},
    OrderStatus.CANCELLED: {OrderStatus.PAID, OrderStatus.REFUNDED},
    OrderStatus.PAID: {OrderStatus.SHIPPED, OrderStatus.TO_CENTRE, OrderStatus.REFUNDED},
    # Inspected delivery: the seller's parcel to the centre, the inspection, then on to the buyer, or
    # a full refund and the item back to its seller when it is not as described.
    OrderStatus.TO_CENTRE: {OrderStatus.INSPECTING},
    OrderStatus.INSPECTING: {OrderStatus.INSPECTED, OrderStatus.REFUNDED},
    OrderStatus.INSPECTED: {OrderStatus.SHIPPED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: {OrderStatus.COMPLETED, OrderStatus.RETURN_REQUESTED, OrderStatus.DISPUTED},
    OrderStatus.RETURN_REQUESTED: {OrderStatus.RETURNED, OrderStatus.DELIVERED},
    OrderStatus.RETURNED: {OrderStatus.REFUNDED},
    OrderStatus.DISPUTED: {OrderStatus.RESOLVED},
    OrderStatus.COMPLETED: set(),
    OrderStatus.REFUNDED: set(),
    OrderStatus.RESOLVED: set(),
}

# The timestamp each status records when an order first reaches it.
STAMPS = {
    OrderStatus.PAID: "paid_at",
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.COMPLETED: "completed_at",
}


@transaction.atomic
def order_move(
    *,
    order_id: int,
    to: OrderStatus,
    by: User | None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
    at=None,
    **fields: object,
) -> Order:
    """Lock, check, record, save. `message` is a code of orders.messages with its `params`; `note` is
    what a person typed. `fields` are other Order columns to set in the same save (a tracking number
    with `shipped`). Raises InvalidTransition and changes nothing if `to` is not allowed, MessageError
    for a message the catalog does not list."""
    params = OrderEvent.message_params(message, params)
    order = Order.objects.select_for_update().get(pk=order_id)
    if to not in ALLOWED[OrderStatus(order.status)]:
        raise InvalidTransition(order.status, to)
    at = at or timezone.now()
    OrderEvent.objects.create(
        order=order, old=order.status, new=to, by=by, message=message, params=params, note=note[:300], at=at
    )
    order.status = to
    update = ["status", "updated_at"]
    stamp = STAMPS.get(to)
    if stamp and getattr(order, stamp) is None:
        setattr(order, stamp, at)
        update.append(stamp)
    for name, value in fields.items():
        setattr(order, name, value)
        update.append(name)
    order.save(update_fields=update)
    order_notify(order, to)
    if to == OrderStatus.REFUNDED:
        transaction.on_commit(lambda: order_refunded.send(sender=Order, order=order), robust=True)
    return order
