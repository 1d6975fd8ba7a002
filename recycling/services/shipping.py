"""Free-shipping intake for submissions: booking the inbound label, the receiving desk, and what the
parcels' news means for a submission.

The labels themselves are shipping's (`shipping.services`): this module asks for them with the
submission's code as the reference, and follows them through `shipment_moved`
(`submission_shipment_moved`, connected in recycling/apps.py).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from accounts.models import User
from accounts.roles import OPERATIONS, has_role
from accounts.selectors import default_address_of
from inspection.services.workbench import inspection_enqueue
from marketplace.jobs import enqueue, enqueue_on_commit
from providers.scope import scoped
from recycling.errors import ShippingError
from recycling.models import Submission, SubmissionStatus
from recycling.services.transitions import submission_move
from shipping.carriers import (
    INSPECTION_CENTRE,
    CarrierUnavailable,
    SlotUnavailable,
    get_carrier,
    normalise_reference,
)
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus, ShippingMethod
from shipping.services import (
    live_shipment,
    shipment_book,
    shipment_cancel,
    shipment_mark_delivered,
    shipment_request,
)

logger = logging.getLogger(__name__)

# A submission at or past the inspection centre: its parcel was received already.
RECEIVED_OR_LATER = frozenset(SubmissionStatus) - {
    SubmissionStatus.DRAFT,
    SubmissionStatus.VALUING,
    SubmissionStatus.ESTIMATED,
    SubmissionStatus.ESTIMATE_EXPIRED,
    SubmissionStatus.SHIPPING,
    SubmissionStatus.CANCELLED,
}


def pickup_slots(*, now: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """Pickup windows the carrier offers now, earliest first. Raises CarrierUnavailable."""
    return get_carrier().pickup_slots(now=now or timezone.now())


def live_inbound_shipment(submission: Submission) -> Shipment | None:
    """The submission's inbound shipment that is not cancelled (at most one exists)."""
    return live_shipment(purpose=ShipmentPurpose.INBOUND, reference=submission.code)


def seller_address(seller: User) -> PostalAddress:
    """Where a seller's parcels come from and go back to: their default address, else what the
    profile says (name and city)."""
    address = default_address_of(seller)
    if address is not None:
        return address.postal
    return PostalAddress(
        name=seller.public_name, phone="", region="", city=seller.city, street="", postcode=""
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
    address: PostalAddress | None = None,
) -> Shipment:
    """Book free shipping for the seller's estimated submission: a courier pickup in one of
    `pickup_slots()` at `address`, or a drop-off from it; without `address`, the seller's default
    address (a pickup needs one of the two). The address is printed on the label and is where the
    item comes back to. Stores the label PDF and moves the submission to SHIPPING.

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

    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("seller")
            .get(pk=submission_id, seller_id=seller.pk)
        )
        live = live_inbound_shipment(submission)
        if live is not None and live.status != ShipmentStatus.REQUESTED:
            return live
        _check_bookable(submission, now=timezone.now())
        if method == ShippingMethod.PICKUP and pickup_start is None:
            raise ShippingError(_("Choose a pickup slot."), code="slot_required")
        sender = address or seller_address(submission.seller)
        if method == ShippingMethod.PICKUP and not sender.street:
            raise ShippingError(
                _("Enter the address the courier collects the parcel from."),
                code="address_required",
                field="address",
            )
        if live is None:
            live = shipment_request(
                purpose=ShipmentPurpose.INBOUND,
                reference=submission.code,
                sender=sender,
                recipient=INSPECTION_CENTRE,
                method=method,
                pickup_start=pickup_start,
            )

    # shipping books with no lock held; submission_shipment_moved checks again and moves the
    # submission when the label is recorded.
    try:
        return shipment_book(shipment_id=live.pk)
    except (SlotUnavailable, CarrierUnavailable) as error:
        # Nothing was booked: drop the request, so that the seller can choose again.
        shipment_cancel(shipment_id=live.pk, requested_only=True)
        if isinstance(error, SlotUnavailable):
            raise ShippingError(
                _("That pickup slot is no longer available. Please choose another."), code="slot_unavailable"
            ) from None
        raise _carrier_unavailable() from None


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
        code = (
            key
            if Submission.objects.filter(code=key).exists()
            else Shipment.objects.filter(tracking_number=key, purpose=ShipmentPurpose.INBOUND)
            .values_list("reference", flat=True)
            .first()
        )
        # Another provider's parcel is as unknown here as one that does not exist.
        submission_id = (
            scoped(Submission.objects.filter(code=code), by).values_list("pk", flat=True).first()
            if code
            else None
        )
        if submission_id is None:
            raise ShippingError(
                _("Nothing matches “%(reference)s”. Check the tracking number or code on the label.")
                % {"reference": key},
                code="unknown_reference",
            )
        # Lock in the order the label jobs use (shipment, then submission), so that a scan arriving
        # while labels_void_unused or shipment_cancel holds the label waits for it instead of
        # deadlocking; afterwards the submission shows as cancelled if its label was voided.
        inbound = list(
            Shipment.objects.select_for_update()
            .filter(reference=code, purpose=ShipmentPurpose.INBOUND)
            .exclude(status=ShipmentStatus.CANCELLED)
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
            message="parcel.received",
        )
        for shipment in inbound:
            shipment_mark_delivered(shipment_id=shipment.pk)
        inspection_enqueue(
            subject_code=submission.code,
            category=submission.category,
            catalog_model=submission.catalog_model,
            title=submission.title,
            declared_grade=submission.declared_grade,
            provider=submission.provider,
            by=by,
        )
    return Submission.objects.select_related("seller", "category").get(pk=submission.pk)


def submission_shipment_moved(*, shipment: Shipment, old_status: str) -> None:
    """A parcel of a submission moved (shipment_moved, with the shipment's row lock held; the
    submission's lock is taken after it, as everywhere). A label recorded for an inbound parcel moves
    the submission to SHIPPING, or is refused with a ShippingError when it can no longer ship; a voided
    inbound label cancels a submission still waiting for it; a return label moves it to RETURNING; a
    return delivered to the seller moves it to RETURNED."""
    if shipment.status == old_status:
        return
    submission = Submission.objects.select_for_update().filter(code=shipment.reference).first()
    if submission is None:
        return
    if shipment.purpose == ShipmentPurpose.INBOUND:
        if shipment.status == ShipmentStatus.LABEL_CREATED:
            _check_bookable(submission, now=timezone.now())
            submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.SHIPPING,
                by=submission.seller,
                message="shipping.booked",
                params={"carrier": shipment.carrier, "tracking": shipment.tracking_number},
            )
        elif shipment.status == ShipmentStatus.CANCELLED and submission.status == SubmissionStatus.SHIPPING:
            submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.CANCELLED,
                by=None,
                message="shipping.label_unused",
                params={"days": settings.LABEL_UNUSED_CANCEL_DAYS},
            )
    elif shipment.purpose == ShipmentPurpose.SELLER_RETURN:
        from recycling.services.outcome import submission_return_label_recorded

        if shipment.status == ShipmentStatus.LABEL_CREATED:
            submission_return_label_recorded(submission=submission, shipment=shipment)
        elif shipment.status == ShipmentStatus.DELIVERED and submission.status == SubmissionStatus.RETURNING:
            submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.RETURNED,
                by=None,
                message="return.delivered",
                params={"tracking": shipment.tracking_number},
            )


def submission_cancel_labels(*, submission: Submission) -> None:
    """Void the submission's inbound label after commit (the submission was cancelled); retried by the
    task when the carrier is down, so that cancelling never waits on the carrier."""
    from shipping.tasks import cancel_shipment

    live = live_inbound_shipment(submission)
    if live is not None and live.status in (ShipmentStatus.REQUESTED, ShipmentStatus.LABEL_CREATED):
        enqueue_on_commit(cancel_shipment, live.pk)


# A cancelled submission whose inbound label is still live this long after the cancel lost its
# cancellation job (the broker was down, or the carrier stayed down through every retry).
LABEL_CANCEL_REQUEUE_AFTER = timedelta(minutes=30)
LABEL_CANCEL_REQUEUE_BATCH = 100


def submission_labels_requeue_cancel(
    *, now: datetime | None = None, limit: int = LABEL_CANCEL_REQUEUE_BATCH
) -> int:
    """The periodic sweep for `cancel_shipment`: queue it again for up to `limit` inbound labels, oldest
    first, still requested or booked for submissions cancelled LABEL_CANCEL_REQUEUE_AFTER ago. The job
    leaves a parcel alone once the carrier has scanned it, and does nothing twice. Returns how many
    were queued."""
    from shipping.tasks import cancel_shipment

    cutoff = (now or timezone.now()) - LABEL_CANCEL_REQUEUE_AFTER
    cancelled = Submission.objects.filter(status=SubmissionStatus.CANCELLED, updated_at__lte=cutoff)
    left_live = (
        Shipment.objects.filter(
            purpose=ShipmentPurpose.INBOUND,
            status__in=(ShipmentStatus.REQUESTED, ShipmentStatus.LABEL_CREATED),
            reference__in=cancelled.values("code"),
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue(cancel_shipment, shipment_id) for shipment_id in left_live)
