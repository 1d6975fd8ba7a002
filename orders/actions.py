"""What a person may do with an order now: the buttons on the order's page and the API's `actions`.

Each action is one form on the page and one endpoint under /api/v1/orders/<number>/ (or the staff one
for a dispute). The list is worked out from the order's status and the person's part in it; the
services check the same rules again when the action is taken, and stay the last word.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from orders.models import Order, OrderStatus, ReturnStatus


class OrderAction(models.TextChoices):
    SET_ADDRESS = "set_address", _("Enter the address")  # buyer, before paying: POST …/address/
    PAY = "pay", _("Pay")  # buyer: POST …/pay/ while the item is reserved
    CANCEL = "cancel", _("Cancel")  # buyer: POST …/cancel/ before paying
    SHIP = "ship", _("Mark as shipped")  # seller, or operations for inspected stock: POST …/ship/
    BOOK_LABEL = "book_label", _("Book a prepaid label")  # seller of a person-to-person sale: POST …/label/
    MARK_DELIVERED = "mark_delivered", _("Mark as delivered")  # operations: POST …/delivered/
    CONFIRM = "confirm", _("Confirm receipt")  # buyer, once shipped: POST …/confirm/
    REQUEST_RETURN = "request_return", _("Return it")  # buyer, in the return window: POST …/return/
    RETURN_TRACKING = "return_tracking", _("Add the return tracking number")  # POST …/return/tracking/
    WITHDRAW_RETURN = "withdraw_return", _("Keep it after all")  # buyer: POST …/return/withdraw/
    MARK_RETURN_RECEIVED = "mark_return_received", _("Mark the return as received")  # …/return/received/
    DISPUTE = "dispute", _("Not as described")  # buyer, in the return window: POST …/dispute/
    RATE = "rate", _("Rate the seller")  # buyer, once completed or resolved: POST …/rating/
    RESOLVE_DISPUTE = "resolve_dispute", _("Resolve the dispute")  # operations: staff/disputes/…/resolve/


def order_actions(order: Order, *, user: User, operations: bool) -> list[OrderAction]:
    """The actions `user` may take on `order` now. `operations` says whether they are in that group.
    Reads only the order and its joined return and rating (no query)."""
    now = timezone.now()
    actions: list[OrderAction] = []
    is_buyer = order.buyer_id == user.pk
    # Inspected stock is shipped and takes returns at the centre; a person's item, at its seller's.
    # So is an inspected delivery once it passed (it is at the centre).
    handles_parcel = operations if order.ships_from_centre else order.seller_id == user.pk
    window_open = order.return_window_closes_at is not None and order.return_window_closes_at > now
    returned = getattr(order, "return_request", None)

    if is_buyer:
        if order.status == OrderStatus.PENDING_PAYMENT and order.reserved_until > now:
            actions += [OrderAction.SET_ADDRESS, OrderAction.PAY, OrderAction.CANCEL]
        if order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            actions.append(OrderAction.CONFIRM)
        if order.status == OrderStatus.DELIVERED and window_open:
            actions += [OrderAction.REQUEST_RETURN, OrderAction.DISPUTE]
        if (
            order.status == OrderStatus.RETURN_REQUESTED
            and returned
            and returned.status == ReturnStatus.REQUESTED
        ):
            if not order.is_inspected_stock:  # again, to correct a typo, until the seller has it
                actions.append(OrderAction.RETURN_TRACKING)
            actions.append(OrderAction.WITHDRAW_RETURN)
        if (
            order.status in (OrderStatus.COMPLETED, OrderStatus.RESOLVED)
            and getattr(order, "rating", None) is None
        ):
            actions.append(OrderAction.RATE)
    if handles_parcel:
        if order.status in (OrderStatus.PAID, OrderStatus.INSPECTED):
            actions.append(OrderAction.SHIP)
        # The buyer paid for the parcel: the private seller may have Reloop book its label.
        if order.status == OrderStatus.PAID and not order.is_inspected_stock and order.shipping_fee > 0:
            actions.append(OrderAction.BOOK_LABEL)
        if order.status == OrderStatus.RETURN_REQUESTED:
            actions.append(OrderAction.MARK_RETURN_RECEIVED)
    if operations:
        if order.status == OrderStatus.SHIPPED:
            actions.append(OrderAction.MARK_DELIVERED)
        if order.status == OrderStatus.DISPUTED:
            actions.append(OrderAction.RESOLVE_DISPUTE)
    return actions
