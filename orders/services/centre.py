"""The inspection centre's receiving desk, for inspected deliveries (验货宝): a private seller's parcel
arrives, the order moves to inspecting and the item joins the inspection queue, marked to be checked
against its listing. The desk (recycling) calls this before it looks for a submission; it reaches no
payment code, so the desk need not either. The rest of inspected delivery is in
`orders.services.inspected`."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from inspection.services.workbench import inspection_enqueue
from orders.models import Order, OrderStatus
from orders.services.transitions import order_move
from shipping.carriers import normalise_reference
from shipping.errors import ShippingError
from shipping.models import ShipmentStatus
from shipping.services import shipment_mark_delivered


def _order_at_centre_for_update(reference: str) -> Order | None:
    """The inspected-delivery order a parcel at the desk belongs to, by the order number or the
    tracking number on its label, row-locked."""
    key = normalise_reference(reference)
    if not key:
        return None
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("listing")
        .filter(inspected_delivery=True)
        .filter(Q(number=key) | Q(shipment__tracking_number=key))
        .first()
    )


@transaction.atomic
def order_receive_at_centre(*, reference: str, by: User) -> Order | None:
    """The receiving desk scanned a parcel: if it is an inspected delivery on its way to the centre,
    it is received (to_centre → inspecting), its parcel delivered, and the item queued for inspection
    against its listing. Returns None when the reference names no inspected delivery (the desk then
    looks for a submission); raises ShippingError for one received already or not sent yet."""
    order = _order_at_centre_for_update(reference)
    if order is None:
        return None
    if order.status != OrderStatus.TO_CENTRE:
        if order.status in (OrderStatus.INSPECTING, OrderStatus.INSPECTED):
            message = _("%(number)s was already received (now: %(status)s).")
        else:
            message = _("%(number)s is not on its way to the centre (now: %(status)s).")
        raise ShippingError(
            message % {"number": order.number, "status": order.get_status_display()},
            code="already_received",
        )
    order = order_move(
        order_id=order.pk, to=OrderStatus.INSPECTING, by=by, message="order.received_at_centre"
    )
    if order.shipment is not None and order.shipment.status != ShipmentStatus.DELIVERED:
        shipment_mark_delivered(shipment_id=order.shipment.pk)
    listing = order.listing
    inspection_enqueue(
        subject_code=order.number,
        category=listing.category,
        catalog_model=listing.catalog_model,
        title=order.title,
        declared_grade=listing.grade,
        listing=listing,
        inspected_delivery=True,
        by=by,
    )
    return order
