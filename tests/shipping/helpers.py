"""A carrier event as the webhook would record it, for tests that play the carrier."""

from datetime import datetime

from django.utils import timezone

from shipping.carriers import TrackingEvent
from shipping.models import CarrierEvent
from shipping.services import carrier_event_record


def record_event(
    *,
    event_id: str,
    tracking_number: str,
    kind: str,
    occurred_at: datetime | None = None,
    payload: dict | None = None,
    location: str = "",
) -> CarrierEvent | None:
    return carrier_event_record(
        event=TrackingEvent(
            event_id=event_id,
            tracking_number=tracking_number,
            kind=kind,
            occurred_at=occurred_at or timezone.now(),
            location=location,
            payload=payload or {},
        )
    )
