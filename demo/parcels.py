"""The carrier's news on the demo's parcels, as its signed webhook would bring it."""

from datetime import timedelta

from django.utils import timezone

from shipping.carriers import TrackingEvent
from shipping.models import Shipment
from shipping.services import carrier_event_record

ON_ITS_WAY = ("picked_up", "in_transit")


def parcel_on_its_way(shipment: Shipment | None) -> None:
    """The carrier has picked the parcel up and it is in transit. Event ids name the parcel, so
    seeding again stores nothing twice."""
    if shipment is None or not shipment.tracking_number:
        return
    for minutes, kind in enumerate(ON_ITS_WAY):
        carrier_event_record(
            event=TrackingEvent(
                event_id=f"demo-{shipment.tracking_number}-{kind}",
                tracking_number=shipment.tracking_number,
                kind=kind,
                occurred_at=timezone.now() - timedelta(hours=3 - minutes),
                location="Hangzhou" if kind == "picked_up" else "Shanghai",
            )
        )
