"""orders' side of the signals from below, connected in apps.py.

shipping's `shipment_moved` is sent inside the transaction that moved the parcel, with its row lock
held: a shipped order's parcel that arrived makes the order delivered in that same transaction.
"""

from orders.services.fulfilment import order_shipment_moved
from shipping.models import CarrierEvent, Shipment, ShipmentPurpose


def on_shipment_moved(
    sender, *, shipment: Shipment, old_status: str, event: CarrierEvent | None = None, **kwargs
) -> None:
    if shipment.purpose in (ShipmentPurpose.SALE, ShipmentPurpose.PERSON_TO_PERSON):
        order_shipment_moved(shipment=shipment, old_status=old_status, event=event)
