"""Shipments: ask for a label, book it, follow the parcel, void what will not be used.

The carrier is outside the system and may be slow or down, so `shipment_book` never holds a row lock
while it calls the carrier: lock and check, release, book, render the label, then lock and check
again and record the booking, or void it. A label that cannot be booked now stays REQUESTED, and
`shipments_book_requested` (a periodic job) books it later.

Every status change goes through `_move`, which sends `shipping.signals.shipment_moved` in the same
transaction; the apps that own what is inside the parcel follow it from there.
"""

import logging
from dataclasses import fields
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from listings.photos import private_storage
from marketplace.errors import DomainError
from shipping.carriers import (
    CARRIER_NAMES,
    Booking,
    Carrier,
    SlotUnavailable,
    TrackingEvent,
    carrier_name,
    get_carrier,
    normalise_reference,
)
from shipping.errors import ShippingError, UnknownTrackingNumber
from shipping.labels import LabelContent, label_pdf
from shipping.models import (
    PROGRESS,
    CarrierEvent,
    Shipment,
    ShipmentPurpose,
    ShipmentStatus,
    ShippingMethod,
)
from shipping.signals import shipment_moved

logger = logging.getLogger(__name__)

# What the carrier's event kinds say about how far a parcel got.
EVENT_STATUS = {
    "picked_up": ShipmentStatus.IN_TRANSIT,
    "in_transit": ShipmentStatus.IN_TRANSIT,
    "out_for_delivery": ShipmentStatus.IN_TRANSIT,
    "delivered": ShipmentStatus.DELIVERED,
}
TRACKING_NUMBER_LENGTH = (6, 40)
BATCH_SIZE = 100


def address_of(data: dict) -> PostalAddress:
    """A stored address (PostalAddress.as_dict()) as a PostalAddress; missing parts stay empty."""
    return PostalAddress(**{field.name: str(data.get(field.name) or "") for field in fields(PostalAddress)})


def _move(shipment: Shipment, to: ShipmentStatus, *, event: CarrierEvent | None = None) -> Shipment:
    """Save `shipment` at status `to` and send shipment_moved. Caller holds the shipment's row lock."""
    old_status = shipment.status
    shipment.status = to
    shipment.save()
    shipment_moved.send(sender=Shipment, shipment=shipment, old_status=old_status, event=event)
    return shipment


def shipment_request(
    *,
    purpose: ShipmentPurpose,
    reference: str,
    sender: PostalAddress,
    recipient: PostalAddress,
    method: ShippingMethod = ShippingMethod.DROP_OFF,
    pickup_start: datetime | None = None,
) -> Shipment:
    """Ask for a label for the parcel `reference` (booked by `shipment_book`, now or later). A live
    shipment with this purpose and reference is returned as it is: a second click books nothing."""
    live = live_shipment(purpose=purpose, reference=reference)
    if live is not None:
        return live
    try:
        with transaction.atomic():
            return Shipment.objects.create(
                purpose=purpose,
                reference=reference,
                carrier=settings.CARRIER,
                method=method,
                pickup_start=pickup_start if method == ShippingMethod.PICKUP else None,
                sender=sender.as_dict(),
                recipient=recipient.as_dict(),
            )
    except IntegrityError:  # made by a concurrent request meanwhile
        found = live_shipment(purpose=purpose, reference=reference)
        if found is None:
            raise
        return found


def live_shipment(*, purpose: ShipmentPurpose, reference: str) -> Shipment | None:
    """The shipment for `reference` with this purpose that is not cancelled (at most one exists)."""
    return (
        Shipment.objects.filter(purpose=purpose, reference=reference)
        .exclude(status=ShipmentStatus.CANCELLED)
        .first()
    )


def label_storage_name(shipment: Shipment, tracking_number: str) -> str:
    return f"labels/{shipment.reference}/{tracking_number}.pdf"


def label_content(shipment: Shipment, *, sort_code: str = "", drop_off_note: str = "") -> LabelContent:
    method = shipment.method or ShippingMethod.DROP_OFF
    return LabelContent(
        carrier=carrier_name(shipment.carrier),
        tracking_number=shipment.tracking_number,
        sort_code=sort_code,
        reference_code=shipment.reference,
        sender=address_of(shipment.sender),
        recipient=address_of(shipment.recipient),
        method=method,
        method_label=str(ShippingMethod(method).label),
        pickup_start=shipment.pickup_start,
        pickup_end=shipment.pickup_end,
        drop_off_note=drop_off_note,
    )


def shipment_book(*, shipment_id: int) -> Shipment:
    """Book the label of a REQUESTED shipment with the carrier, store its PDF, and move it to
    LABEL_CREATED. A shipment that is no longer REQUESTED (booked by another run, cancelled) is
    returned as it is, and a booking made meanwhile is voided.

    Raises SlotUnavailable and CarrierUnavailable (the request stays, for a retry), and whatever
    DomainError a shipment_moved receiver raises to refuse the label (the request is then cancelled).
    """
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.status != ShipmentStatus.REQUESTED:
            return shipment

    carrier = get_carrier()
    booking = carrier.book(
        reference=shipment.reference,
        method=shipment.method or ShippingMethod.DROP_OFF,
        sender=address_of(shipment.sender),
        recipient=address_of(shipment.recipient),
        pickup_start=shipment.pickup_start,
        now=timezone.now(),
    )
    saved_name = ""
    recorded = False
    try:
        _take_booking(shipment, booking)
        content = label_content(shipment, sort_code=booking.sort_code, drop_off_note=booking.drop_off_note)
        saved_name = private_storage().save(
            label_storage_name(shipment, booking.tracking_number), ContentFile(label_pdf(content))
        )
        try:
            with transaction.atomic():
                current = Shipment.objects.select_for_update().get(pk=shipment_id)
                if current.status != ShipmentStatus.REQUESTED:
                    return current
                _take_booking(current, booking)
                current.label_path = saved_name
                current.booked = True
                shipment = _move(current, ShipmentStatus.LABEL_CREATED)
                recorded = True
        except DomainError:
            # A receiver refused the label (what it was for can no longer ship): nobody will want it.
            with transaction.atomic():
                refused = Shipment.objects.select_for_update().get(pk=shipment_id)
                if refused.status == ShipmentStatus.REQUESTED:
                    _move(refused, ShipmentStatus.CANCELLED)
            raise
    finally:
        if not recorded:
            _void_unrecorded(carrier, booking.tracking_number, saved_name)
    return shipment


def _take_booking(shipment: Shipment, booking: Booking) -> None:
    """Copy what the carrier answered onto the shipment (unsaved)."""
    shipment.carrier = booking.carrier
    shipment.tracking_number = booking.tracking_number
    shipment.method = booking.method
    shipment.pickup_start, shipment.pickup_end = booking.pickup_start, booking.pickup_end


def _void_unrecorded(carrier: Carrier, tracking_number: str, label_name: str) -> None:
    """Undo a booking that will not be recorded, and remove its label file if one was stored. Best
    effort: an unused label costs nothing, and the carrier voids it by itself after a while."""
    try:
        carrier.cancel(tracking_number)
    except Exception:
        logger.warning("Could not cancel unrecorded booking %s", tracking_number, exc_info=True)
    if label_name:
        private_storage().delete(label_name)


def shipment_cancel(*, shipment_id: int, requested_only: bool = False) -> Shipment:
    """Cancel a shipment that will not travel: a request is dropped, a booked label is voided with the
    carrier (the row lock is held across the call, so that a carrier scan arriving meanwhile waits for
    the outcome); with `requested_only`, only a request is dropped (a label booked meanwhile stays).
    A parcel the carrier has already scanned is left alone: it is on its way. Safe to run twice.
    Raises CarrierUnavailable, worth a retry."""
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if requested_only and shipment.status != ShipmentStatus.REQUESTED:
            return shipment
        if shipment.status == ShipmentStatus.LABEL_CREATED and shipment.booked:
            get_carrier().cancel(shipment.tracking_number)
        elif shipment.status not in (ShipmentStatus.REQUESTED, ShipmentStatus.LABEL_CREATED):
            return shipment
        return _move(shipment, ShipmentStatus.CANCELLED)


def shipment_record(
    *,
    purpose: ShipmentPurpose,
    reference: str,
    carrier: object,
    tracking_number: object,
    sender: PostalAddress,
    recipient: PostalAddress,
) -> Shipment:
    """A parcel its sender handed to a carrier themselves, with the carrier picked from CARRIERS and
    the tracking number they were given. It replaces the live one with the same purpose and reference
    (a corrected typo). Caller's transaction. Raises a ShippingError naming the field at fault."""
    carrier_code, number = clean_carrier_and_tracking(carrier=carrier, tracking_number=tracking_number)
    live = live_shipment(purpose=purpose, reference=reference)
    if live is not None:
        if live.carrier == carrier_code and live.tracking_number == number:
            return live
        live = Shipment.objects.select_for_update().get(pk=live.pk)
        _move(live, ShipmentStatus.CANCELLED)
    shipment = Shipment.objects.create(
        purpose=purpose,
        reference=reference,
        carrier=carrier_code,
        tracking_number=number,
        sender=sender.as_dict(),
        recipient=recipient.as_dict(),
        status=ShipmentStatus.IN_TRANSIT,
    )
    shipment_moved.send(sender=Shipment, shipment=shipment, old_status=ShipmentStatus.REQUESTED, event=None)
    return shipment


def clean_carrier_and_tracking(*, carrier: object, tracking_number: object) -> tuple[str, str]:
    """A carrier code from CARRIERS and a tracking number of 6 to 40 letters or digits (upper case;
    spaces and dashes dropped as people type them), or a ShippingError naming the field."""
    if not isinstance(carrier, str) or carrier not in CARRIER_NAMES:
        raise ShippingError(_("Choose the carrier from the list."), code="carrier", field="carrier")
    number = normalise_reference(tracking_number if isinstance(tracking_number, str) else "")
    low, high = TRACKING_NUMBER_LENGTH
    if not (low <= len(number) <= high and number.isascii() and number.isalnum()):
        raise ShippingError(
            _("A tracking number is 6 to 40 letters or digits."),
            code="tracking_number",
            field="tracking_number",
        )
    return carrier, number


def shipment_mark_delivered(*, shipment_id: int) -> Shipment:
    """The parcel is in the recipient's hands (the receiving desk scanned it), whatever the carrier
    said. A cancelled shipment stays cancelled. Caller's transaction."""
    shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
    if shipment.status in (ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED):
        return shipment
    return _move(shipment, ShipmentStatus.DELIVERED)


def _shipment_for_tracking(number: str) -> Shipment | None:
    """The shipment a carrier event is about, under its row lock: the label Reloop booked with this
    number, else the newest live parcel someone typed it for (typed numbers are not unique)."""
    live_first = Case(
        When(status=ShipmentStatus.CANCELLED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        Shipment.objects.select_for_update()
        .filter(tracking_number=number)
        .order_by("-booked", live_first, "-created_at", "-id")
        .first()
    )


@transaction.atomic
def carrier_event_record(*, event: TrackingEvent) -> CarrierEvent | None:
    """Store one carrier event and move its shipment forward if the parcel got further than before.

    Idempotent by event id: a replay returns None and changes nothing. Order does not matter: the
    status is the furthest any stored event reached, so a late "in_transit" after "delivered" moves
    nothing. A cancelled shipment keeps its status (the event is still stored). shipment_moved is
    sent for every stored event. Raises UnknownTrackingNumber for a parcel that is not ours.
    """
    number = normalise_reference(event.tracking_number)
    # The row lock serialises concurrent deliveries of events for one parcel.
    shipment = _shipment_for_tracking(number) if number else None
    if shipment is None:
        raise UnknownTrackingNumber(
            _("No shipment has the tracking number %(tracking)s.") % {"tracking": event.tracking_number}
        )
    stored, created = CarrierEvent.objects.get_or_create(
        event_id=event.event_id,
        defaults={
            "shipment": shipment,
            "kind": event.kind,
            "location": event.location,
            "occurred_at": event.occurred_at,
            "payload": event.payload,
        },
    )
    if not created:
        return None
    reached = EVENT_STATUS.get(event.kind)
    current = ShipmentStatus(shipment.status)
    if reached is not None and current != ShipmentStatus.CANCELLED and PROGRESS[reached] > PROGRESS[current]:
        _move(shipment, reached, event=stored)
    else:
        shipment_moved.send(sender=Shipment, shipment=shipment, old_status=shipment.status, event=stored)
    return stored


def shipments_book_requested(*, limit: int = BATCH_SIZE) -> int:
    """The one job for labels not booked yet (the carrier was down when they were asked for): book
    them, oldest first. A request refused by its owner is cancelled and skipped; the first
    CarrierUnavailable stops the run and is raised for a retry, with what was booked kept. Returns
    how many were booked; safe to run twice and alongside another run."""
    waiting = (
        Shipment.objects.filter(status=ShipmentStatus.REQUESTED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    booked = 0
    for shipment_id in list(waiting):
        try:
            shipment = shipment_book(shipment_id=shipment_id)
        except DomainError:
            logger.info("Label request %s was refused and is cancelled", shipment_id, exc_info=True)
            continue
        except SlotUnavailable:  # the pickup slot passed while the carrier was down: ask again
            shipment_cancel(shipment_id=shipment_id, requested_only=True)
            continue
        booked += shipment.status == ShipmentStatus.LABEL_CREATED
    return booked


def labels_void_unused(*, now: datetime | None = None) -> int:
    """Void inbound labels still unused LABEL_UNUSED_CANCEL_DAYS after booking, with the carrier and
    here (recycling then cancels their submissions). Returns how many; safe to run twice and alongside
    another run (each claims its rows with skip_locked). One short transaction per label: a carrier
    outage stops the run with what was done kept, and the task retries."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.LABEL_UNUSED_CANCEL_DAYS)
    stale = Shipment.objects.filter(
        purpose=ShipmentPurpose.INBOUND, status=ShipmentStatus.LABEL_CREATED, created_at__lt=cutoff
    )
    carrier = get_carrier()
    voided = 0
    after_id = 0
    while True:
        batch = list(stale.filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not batch:
            return voided
        after_id = batch[-1]
        for shipment_id in batch:
            with transaction.atomic():
                shipment = stale.select_for_update(skip_locked=True).filter(pk=shipment_id).first()
                if shipment is None:  # claimed by another run, or used meanwhile
                    continue
                carrier.cancel(shipment.tracking_number)
                _move(shipment, ShipmentStatus.CANCELLED)
                voided += 1


def label_file(shipment: Shipment) -> str:
    """The name of the stored label PDF in private storage (listings.photos.private_file_response
    serves it). Should the file be lost, it is drawn again from the shipment (without the carrier's
    sort code, which only the booking answer had: carriers route by the barcode too)."""
    storage = private_storage()
    if shipment.label_path and storage.exists(shipment.label_path):
        return shipment.label_path
    data = label_pdf(
        label_content(shipment, drop_off_note=_("Hand the parcel in at any point of the carrier."))
    )
    name = storage.save(label_storage_name(shipment, shipment.tracking_number), ContentFile(data))
    Shipment.objects.filter(pk=shipment.pk).update(label_path=name, updated_at=timezone.now())
    shipment.label_path = name
    return name


def label_bytes(shipment: Shipment) -> bytes:
    """The label PDF itself (label_file), drawn again should it be lost."""
    with private_storage().open(label_file(shipment), "rb") as stored:
        return stored.read()
