"""The carrier interface: what Reloop needs from a parcel carrier for free-shipping intake
and free return labels, and the list of carriers people may name when they ship a parcel themselves.

A carrier books a parcel (a courier pickup in a slot, or a drop-off at one of its points) and answers
with a tracking number; it can cancel a label nobody used; and it reports progress through signed
webhooks. `get_carrier()` returns the one configured by `settings.CARRIER`. Only the sandbox carrier
exists today; a real one implements the same `Carrier` protocol and gets its own line in
`get_carrier()`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accounts.addresses import PostalAddress
from marketplace.errors import DomainError

# Where every inbound parcel goes. Printed on labels and sent to the carrier with each booking.
INSPECTION_CENTRE = PostalAddress(
    name="Reloop Inspection Centre",
    phone="+86 21 5080 1234",
    region="Shanghai",
    city="Shanghai",
    street="Building 3, 188 Huanke Road, Zhangjiang, Pudong",
    postcode="201203",
)

# Carriers a parcel may travel with when its sender books it (the orders desk shipping platform stock,
# a private seller, a buyer sending an item back): a code stored on the shipment and its name, shown in
# the reader's language. The first is the carrier Reloop books labels with.
CARRIERS = (
    ("sandbox", _("Sandbox Express")),
    ("sf", _("SF Express")),
    ("jd", _("JD Logistics")),
    ("ems", _("China Post EMS")),
    ("zto", _("ZTO Express")),
    ("yto", _("YTO Express")),
    ("sto", _("STO Express")),
    ("yunda", _("Yunda Express")),
)
CARRIER_NAMES = dict(CARRIERS)


def carrier_name(code: str) -> str:
    """A carrier's name in the active language; a name someone typed before the list existed as it is."""
    return str(CARRIER_NAMES.get(code, code))


def normalise_reference(reference: str) -> str:
    """A tracking number (or a code on a label) as typed or scanned, as stored: upper case, without
    spaces or dashes."""
    return re.sub(r"[\s\-]+", "", reference or "").upper()


@dataclass(frozen=True)
class Booking:
    """What the carrier answers to a booking: enough to print the label and follow the parcel."""

    carrier: str
    tracking_number: str
    method: str  # "pickup" or "drop_off" (shipping.models.ShippingMethod)
    # The carrier's routing code, printed large on the label for its sorting centres.
    sort_code: str
    pickup_start: datetime | None = None
    pickup_end: datetime | None = None
    # How the seller hands the parcel in when there is no pickup ("any point, within 14 days").
    drop_off_note: str = ""


@dataclass(frozen=True)
class TrackingEvent:
    """One event from a carrier webhook, in Reloop's words."""

    event_id: str
    tracking_number: str
    # picked_up, in_transit, out_for_delivery, delivered; anything else is stored but moves nothing.
    kind: str
    occurred_at: datetime
    location: str = ""
    payload: dict = field(default_factory=dict)


class CarrierUnavailable(Exception):
    """The carrier did not answer: a transient failure, worth a retry."""


class WebhookRejected(DomainError):
    """A carrier webhook whose signature or body cannot be trusted."""

    code = "webhook_rejected"
    status_code = 403


class SlotUnavailable(Exception):
    """The pickup slot asked for is not offered (any more): in the past, full or out of range."""


class MalformedWebhook(ValueError):
    """A correctly signed webhook whose body is not what the carrier documents: answered with 400."""


class Carrier(Protocol):
    name: str

    def pickup_slots(self, *, now: datetime) -> list[tuple[datetime, datetime]]:
        """Pickup windows still bookable at `now`, earliest first."""
        ...

    def book(
        self,
        *,
        reference: str,
        method: str,
        sender: PostalAddress,
        recipient: PostalAddress,
        pickup_start: datetime | None = None,
        now: datetime | None = None,
    ) -> Booking:
        """Book a parcel. Raises SlotUnavailable for a slot not offered, CarrierUnavailable when the
        carrier does not answer."""
        ...

    def cancel(self, tracking_number: str) -> None:
        """Void a label. Cancelling one already cancelled is not an error."""
        ...

    def verify_webhook(self, body: bytes, headers: Mapping[str, str], *, now: datetime | None = None) -> None:
        """Raises WebhookRejected unless the raw body carries a valid, fresh signature."""
        ...

    def parse_webhook(self, body: bytes) -> list[TrackingEvent]:
        """The events in a verified body. Raises MalformedWebhook when it cannot be read."""
        ...


def get_carrier() -> Carrier:
    """The carrier named by settings.CARRIER."""
    if settings.CARRIER == "sandbox":
        from shipping.carriers.sandbox import SandboxCarrier

        return SandboxCarrier(secret=settings.CARRIER_WEBHOOK_SECRET)
    raise ImproperlyConfigured(f"Unknown CARRIER {settings.CARRIER!r}; the only carrier is 'sandbox'.")
