"""Free-shipping intake: booking a label, carrier events, the receiving desk, and unused labels.

The carrier is outside the system and may be slow or down, so no row lock is ever held while it is
called by `shipping_book`: lock and check, release, call the carrier, then lock again and check again.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OPERATIONS, has_role
from inspection.services.workbench import inspection_enqueue
from listings.photos import private_storage
from marketplace.carriers import (
    INSPECTION_CENTRE,
    Address,
    CarrierUnavailable,
    SlotUnavailable,
    get_carrier,
    normalise_reference,
)
from marketplace.labels import LabelContent, label_pdf
from recycling.errors import ShippingError
from recycling.models import (
    CarrierEvent,
    Shipment,
    ShipmentDirection,
    ShipmentStatus,
    ShippingMethod,
    Submission,
    SubmissionStatus,
)
from recycling.services.transitions import submission_move

logger = logging.getLogger(__name__)

# How far along the parcel is, by the carrier's event kinds. A shipment's status is the furthest any
# stored event reached, so events that arrive late or out of order never move it back.
EVENT_STATUS = {
    "picked_up": ShipmentStatus.IN_TRANSIT,
    "in_transit": ShipmentStatus.IN_TRANSIT,
    "out_for_delivery": ShipmentStatus.IN_TRANSIT,
    "delivered": ShipmentStatus.DELIVERED,
}
PROGRESS = {ShipmentStatus.LABEL_CREATED: 0, ShipmentStatus.IN_TRANSIT: 1, ShipmentStatus.DELIVERED: 2}

# A submission at or past the inspection centre: its parcel was received already.
RECEIVED_OR_LATER = frozenset(SubmissionStatus) - {
    SubmissionStatus.DRAFT,
    SubmissionStatus.VALUING,
    SubmissionStatus.ESTIMATED,
    SubmissionStatus.ESTIMATE_EXPIRED,
    SubmissionStatus.SHIPPING,
    SubmissionStatus.CANCELLED,
}

CANCEL_BATCH_SIZE = 100


def pickup_slots(*, now: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """Pickup windows the carrier offers now, earliest first. Raises CarrierUnavailable."""
    return get_carrier().pickup_slots(now=now or timezone.now())


def live_inbound_shipment(submission: Submission) -> Shipment | None:
    """The submission's inbound shipment that is not cancelled (at most one exists)."""
    return (
        Shipment.objects.filter(submission=submission, direction=ShipmentDirection.INBOUND)
        .exclude(status=ShipmentStatus.CANCELLED)
        .first()
    )


def label_storage_name(submission: Submission, tracking_number: str) -> str:
    return f"labels/{submission.code}/{tracking_number}.pdf"


def label_content(
    submission: Submission,
    *,
    carrier: str,
    tracking_number: str,
    method: str,
    pickup_start: datetime | None,
    pickup_end: datetime | None,
    sort_code: str = "",
    drop_off_note: str = "",
) -> LabelContent:
    seller = submission.seller
    return LabelContent(
        carrier=carrier,
        tracking_number=tracking_number,
        sort_code=sort_code,
        reference_code=submission.code,
        sender=Address(name=seller.public_name, lines=(), city=seller.city),
        recipient=INSPECTION_CENTRE,
        method=method,
        method_label=str(ShippingMethod(method).label),
        pickup_start=pickup_start,
        pickup_end=pickup_end,
        drop_off_note=drop_off_note,
    )


def _check_bookable(submission: Submission, *, now: datetime) -> None:
    """Caller holds the submission's row lock."""
    if submission.status != SubmissionStatus.ESTIMATED:
        raise ShippingError(
            _("Free shipping can be booked only while the estimate is ready (now: %(status)s).")
            % {"status": submission.get_status_display()},
            code="not_estimated",
        )
    valuation = submission.valuations.first()
    if valuation is None or valuation.expires_at <= now:
        raise ShippingError(
            _("The estimate has expired; ask for a new one before booking shipping."), code="estimate_expired"
        )


def _carrier_unavailable() -> ShippingError:
    error = ShippingError(
        _("The carrier is not answering right now. Please try again in a few minutes."),
        code="carrier_unavailable",
    )
    error.status_code = 503
    return error


def shipping_book(
    *,
    submission_id: int,
    seller: User,
    method: ShippingMethod | str,
    pickup_start: datetime | None = None,
) -> Shipment:
    """Book free shipping for the seller's estimated submission: a courier pickup in one of
    `pickup_slots()`, or a drop-off. Stores the label PDF and moves the submission to SHIPPING.

    Only the owner may book (anyone else gets Submission.DoesNotExist, as for a missing one). A second
    booking while one is live (a double click, two tabs) returns the live shipment and books nothing.
    Raises ShippingError when the submission is not bookable, the slot is gone or the carrier is down.
    """
    try:
        method = ShippingMethod(method)
    except ValueError:
        raise ShippingError(_("Choose a courier pickup or a drop-off."), code="method_invalid") from None
    if method == ShippingMethod.DROP_OFF:
        pickup_start = None
    now = timezone.now()

    # 1. Lock, check, release.
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("seller")
            .get(pk=submission_id, seller_id=seller.pk)
        )
        live = live_inbound_shipment(submission)
        if live is not None:
            return live
        _check_bookable(submission, now=now)
        if method == ShippingMethod.PICKUP and pickup_start is None:
            raise ShippingError(_("Choose a pickup slot."), code="slot_required")

    # 2. The carrier, with no lock held.
    carrier = get_carrier()
    try:
        booking = carrier.book(
            reference=submission.code,
            method=method,
            sender=Address(name=submission.seller.public_name, lines=(), city=submission.seller.city),
            recipient=INSPECTION_CENTRE,
            pickup_start=pickup_start,
            now=now,
        )
    except SlotUnavailable:
        raise ShippingError(
            _("That pickup slot is no longer available. Please choose another."), code="slot_unavailable"
        ) from None
    except CarrierUnavailable:
        raise _carrier_unavailable() from None

    storage = private_storage()
    label_name = label_storage_name(submission, booking.tracking_number)
    keep_booking = False
    try:
        content = label_content(
            submission,
            carrier=booking.carrier,
            tracking_number=booking.tracking_number,
            method=booking.method,
            pickup_start=booking.pickup_start,
            pickup_end=booking.pickup_end,
            sort_code=booking.sort_code,
            drop_off_note=booking.drop_off_note,
        )
        saved_name = storage.save(label_name, ContentFile(label_pdf(content)))
        # 3. Lock again, check again, record.
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=submission_id, seller_id=seller.pk)
            live = live_inbound_shipment(submission)
            if live is not None:  # another request booked meanwhile: keep that one, void ours
                return live
            _check_bookable(submission, now=timezone.now())
            shipment = Shipment.objects.create(
                submission=submission,
                direction=ShipmentDirection.INBOUND,
                carrier=booking.carrier,
                method=method,
                pickup_start=booking.pickup_start,
                pickup_end=booking.pickup_end,
                tracking_number=booking.tracking_number,
                label_path=saved_name,
            )
            submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.SHIPPING,
                by=seller,
                note=_("Free shipping booked: %(carrier)s %(tracking)s")
                % {"carrier": booking.carrier, "tracking": booking.tracking_number},
            )
            keep_booking = True
    finally:
        if not keep_booking:
            _void_booking(carrier, booking.tracking_number, label_name)
    return shipment


def _void_booking(carrier, tracking_number: str, label_name: str) -> None:
    """Undo a booking that will not be recorded. Best effort: an unused label costs nothing, and the
    carrier voids it by itself after a while."""
    try:
        carrier.cancel(tracking_number)
    except Exception:
        logger.warning("Could not cancel unrecorded booking %s", tracking_number, exc_info=True)
    private_storage().delete(label_name)


def label_bytes(shipment: Shipment) -> bytes:
    """The stored label PDF. Should the file be lost, it is drawn again from the shipment (without the
    carrier's sort code, which only the booking answer had: carriers route by the barcode too)."""
    storage = private_storage()
    if shipment.label_path and storage.exists(shipment.label_path):
        with storage.open(shipment.label_path, "rb") as label_file:
            return label_file.read()
    content = label_content(
        shipment.submission,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        method=shipment.method,
        pickup_start=shipment.pickup_start,
        pickup_end=shipment.pickup_end,
        drop_off_note=_("Hand the parcel in at any point of the carrier."),
    )
    data = label_pdf(content)
    name = storage.save(label_storage_name(shipment.submission, shipment.tracking_number), ContentFile(data))
    Shipment.objects.filter(pk=shipment.pk).update(label_path=name, updated_at=timezone.now())
    return data


class UnknownTrackingNumber(ShippingError):
    code = "unknown_tracking_number"


@transaction.atomic
def carrier_event_apply(
    *,
    event_id: str,
    tracking_number: str,
    kind: str,
    occurred_at: datetime,
    payload: dict,
) -> CarrierEvent | None:
    """Record one carrier event and move the shipment forward if it got further than before.

    Idempotent by `event_id`: a replay returns None and changes nothing. Order does not matter: the
    shipment's status is the furthest any stored event reached, so a late "in_transit" after
    "delivered" changes nothing. A cancelled shipment keeps its status (the event is still stored).
    Raises UnknownTrackingNumber for a parcel that is not ours.
    """
    # The shipment's row lock serialises concurrent deliveries of events for one parcel.
    shipment = Shipment.objects.select_for_update().filter(tracking_number=tracking_number).first()
    if shipment is None:
        raise UnknownTrackingNumber(
            _("No shipment has the tracking number %(tracking)s.") % {"tracking": tracking_number}
        )
    event, created = CarrierEvent.objects.get_or_create(
        event_id=event_id,
        defaults={"shipment": shipment, "kind": kind, "occurred_at": occurred_at, "payload": payload},
    )
    if not created:
        return None
    reached = EVENT_STATUS.get(kind)
    if (
        reached is not None
        and shipment.status != ShipmentStatus.CANCELLED
        and PROGRESS[reached] > PROGRESS[ShipmentStatus(shipment.status)]
    ):
        shipment.status = reached
        shipment.save(update_fields=["status", "updated_at"])
        if reached == ShipmentStatus.DELIVERED and shipment.direction == ShipmentDirection.RETURN:
            _submission_returned(shipment)
    return event


def _submission_returned(shipment: Shipment) -> None:
    """The return parcel reached the seller: RETURNING → RETURNED. Caller holds the shipment's lock."""
    submission = Submission.objects.select_for_update().get(pk=shipment.submission_id)
    if submission.status == SubmissionStatus.RETURNING:
        submission_move(
            submission_id=submission.pk,
            to=SubmissionStatus.RETURNED,
            by=None,
            note=_("The carrier delivered the item back to the seller (%(tracking)s).")
            % {"tracking": shipment.tracking_number},
        )


def submission_receive(*, reference: str, by: User) -> Submission:
    """The receiving desk: the parcel with this tracking number or submission code is in the hands of
    operations staff, so the submission is RECEIVED and, in the same transaction, joins the inspection
    queue. Works whether or not the carrier said "delivered"; marks the inbound shipment delivered.

    Raises PermissionDenied for anyone outside the operations group, ShippingError for an unknown
    reference or a submission that is not on its way (already received, cancelled, never shipped).
    """
    if not has_role(by, OPERATIONS):
        raise PermissionDenied
    key = normalise_reference(reference)
    if not key:
        raise ShippingError(
            _("Scan or type a tracking number or submission code."), code="reference_required"
        )
    if len(key) > 40:
        raise ShippingError(_("That is too long to be a tracking number or code."), code="unknown_reference")
    with transaction.atomic():
        submission_id = (
            Submission.objects.filter(code=key).values_list("pk", flat=True).first()
            or Shipment.objects.filter(tracking_number=key, direction=ShipmentDirection.INBOUND)
            .values_list("submission_id", flat=True)
            .first()
        )
        if submission_id is None:
            raise ShippingError(
                _("Nothing matches “%(reference)s”. Check the tracking number or code on the label.")
                % {"reference": key},
                code="unknown_reference",
            )
        # Lock in the order the label jobs use (shipment, then submission), so that a scan arriving
        # while labels_cancel_unused or shipment_void holds the label waits for it instead of
        # deadlocking; afterwards the submission shows as cancelled if its label was voided.
        list(
            Shipment.objects.select_for_update()
            .filter(submission_id=submission_id, direction=ShipmentDirection.INBOUND)
            .order_by("pk")
        )
        # Two people scanning the same parcel: the second waits here, then sees it received.
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status in RECEIVED_OR_LATER:
            raise ShippingError(
                _("%(code)s was already received (now: %(status)s).")
                % {"code": submission.code, "status": submission.get_status_display()},
                code="already_received",
            )
        if submission.status == SubmissionStatus.CANCELLED:
            raise ShippingError(
                _("%(code)s was cancelled. Set the parcel aside and contact the seller.")
                % {"code": submission.code},
                code="submission_cancelled",
            )
        if submission.status != SubmissionStatus.SHIPPING:
            raise ShippingError(
                _("%(code)s has no free shipping booked (now: %(status)s).")
                % {"code": submission.code, "status": submission.get_status_display()},
                code="not_shipping",
            )
        submission = submission_move(
            submission_id=submission.pk,
            to=SubmissionStatus.RECEIVED,
            by=by,
            note=_("Received at the inspection centre."),
        )
        Shipment.objects.filter(submission=submission, direction=ShipmentDirection.INBOUND).exclude(
            status=ShipmentStatus.CANCELLED
        ).update(status=ShipmentStatus.DELIVERED, updated_at=timezone.now())
        inspection_enqueue(
            subject_code=submission.code,
            category=submission.category,
            catalog_model=submission.catalog_model,
            title=submission.title,
            declared_grade=submission.declared_grade,
            by=by,
        )
    return Submission.objects.select_related("seller", "category").get(pk=submission.pk)


def labels_cancel_unused(*, now: datetime | None = None) -> int:
    """Cancel inbound labels still unused LABEL_UNUSED_CANCEL_DAYS after booking, with the carrier
    and here, and cancel their submissions. Returns how many were cancelled; safe to run twice and
    alongside another run (each claims its rows with skip_locked).

    One short transaction per label: a carrier outage stops the run with what was done kept, and the
    task retries. The row lock is held while the carrier cancels, so that the desk cannot receive a
    parcel whose label is being voided.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LABEL_UNUSED_CANCEL_DAYS)
    stale = Shipment.objects.filter(
        direction=ShipmentDirection.INBOUND, status=ShipmentStatus.LABEL_CREATED, created_at__lt=cutoff
    )
    carrier = get_carrier()
    cancelled = 0
    after_id = 0
    while True:
        batch = list(
            stale.filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)[:CANCEL_BATCH_SIZE]
        )
        if not batch:
            return cancelled
        after_id = batch[-1]
        for shipment_id in batch:
            with transaction.atomic():
                shipment = stale.select_for_update(skip_locked=True).filter(pk=shipment_id).first()
                if shipment is None:  # claimed by another run, or used meanwhile
                    continue
                carrier.cancel(shipment.tracking_number)
                shipment.status = ShipmentStatus.CANCELLED
                shipment.save(update_fields=["status", "updated_at"])
                submission = Submission.objects.select_for_update().get(pk=shipment.submission_id)
                if submission.status == SubmissionStatus.SHIPPING:
                    submission_move(
                        submission_id=submission.pk,
                        to=SubmissionStatus.CANCELLED,
                        by=None,
                        note=_("The shipping label was not used within %(days)d days.")
                        % {"days": settings.LABEL_UNUSED_CANCEL_DAYS},
                    )
                cancelled += 1


def shipment_void(*, shipment_id: int) -> Shipment:
    """Void a label that will not be used (its submission was cancelled): with the carrier, then here.

    Safe to run twice. A parcel the carrier has already scanned is not voided (it is on its way and
    the desk deals with it when it arrives). Raises CarrierUnavailable for a retry.
    """
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.status != ShipmentStatus.LABEL_CREATED:
            return shipment
        # The row lock is held across the carrier call so that a carrier scan arriving meanwhile
        # waits for the outcome instead of racing it; the call is short and bounded by the client.
        get_carrier().cancel(shipment.tracking_number)
        shipment.status = ShipmentStatus.CANCELLED
        shipment.save(update_fields=["status", "updated_at"])
    return shipment
