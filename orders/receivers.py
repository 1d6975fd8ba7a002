"""orders' side of the signals from below, connected in apps.py.

shipping's `shipment_moved` is sent inside the transaction that moved the parcel, with its row lock
held: a private seller's prepaid label that was issued ships the order (or is refused, and voided),
and a shipped order's parcel that arrived makes the order delivered, in that same transaction.
"""

from django.db import transaction

from orders.services.fulfilment import order_shipment_moved
from shipping.models import CarrierEvent, Shipment, ShipmentPurpose


def on_shipment_moved(
    sender, *, shipment: Shipment, old_status: str, event: CarrierEvent | None = None, **kwargs
) -> None:
    if shipment.purpose in (ShipmentPurpose.SALE, ShipmentPurpose.PERSON_TO_PERSON):
        order_shipment_moved(shipment=shipment, old_status=old_status, event=event)


def on_listing_withdrawn(sender, *, listing_id: int, **kwargs) -> None:
    """The seller took the item off sale: the offers still open on it are declined, their shoppers told."""
    from orders.services.offers import offers_close_for_listing

    with transaction.atomic():
        offers_close_for_listing(listing_id=listing_id, sold=False)


def on_inspection_completed(sender, *, inspection, **kwargs) -> None:
    """An inspected delivery's inspection is done: on to the buyer, or a refund and back to the seller."""
    from orders.services.inspected import order_inspection_completed

    order_inspection_completed(inspection=inspection)


def on_subjects_described(sender, *, codes: list[str], **kwargs) -> dict:
    """What the listings of inspected deliveries say, for the inspector to check the items against."""
    from orders.services.inspected import order_subjects_described

    return order_subjects_described(codes=codes)
