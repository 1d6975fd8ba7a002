"""What recycling does with the inspection desk's news (see recycling/receivers.py).

- An inspector started on the item: the submission is INSPECTING.
- The item passed: INSPECTING → OFFERED, with its final offer (recycling.services.offers.offer_make)
  in the same transaction.
- The item failed: INSPECTING → REJECTED, a free return label is booked with the carrier, and the
  submission is RETURNING (the seller is told the tracking number next).

Either way the seller is notified (recycling.notices): in the app, and by e-mail unless they chose not. Every step is safe to run
twice: a submission already past the step is left as it is.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from inspection.models import Inspection, InspectionResult, Report
from recycling.errors import SubmissionError
from recycling.models import Submission, SubmissionStatus
from recycling.notices import submission_notify_result, submission_notify_returning
from recycling.services.transitions import ALLOWED, submission_move
from shipping.carriers import INSPECTION_CENTRE, CarrierUnavailable
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus, ShippingMethod
from shipping.services import address_of, live_shipment, shipment_book, shipment_request

logger = logging.getLogger(__name__)


def _submission_for(inspection: Inspection) -> Submission | None:
    """The submission the inspection is about, under a row lock; None for an item that did not come
    through recycling. Caller is inside a transaction."""
    return Submission.objects.select_for_update().filter(code=inspection.subject_code).first()


def submission_inspection_started(*, inspection: Inspection) -> Submission | None:
    """RECEIVED → INSPECTING. An item claimed again after being handed back changes nothing."""
    with transaction.atomic():
        submission = _submission_for(inspection)
        if submission is None or submission.status != SubmissionStatus.RECEIVED:
            return submission
        return submission_move(
            submission_id=submission.pk,
            to=SubmissionStatus.INSPECTING,
            by=inspection.inspector,
            message="inspection.started",
        )


def submission_inspection_completed(*, inspection: Inspection) -> Submission | None:
    """Apply a final inspection result: OFFERED when it passed; REJECTED then RETURNING (with a free
    return label) when it failed. The seller is e-mailed once this has committed.

    A carrier that is down leaves the submission REJECTED; shipping's job books the label later.
    """
    passed = inspection.result == InspectionResult.PASSED
    with transaction.atomic():
        submission = _submission_for(inspection)
        if submission is None:
            return None
        if submission.status == SubmissionStatus.RECEIVED:  # the "started" news never arrived
            submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.INSPECTING,
                by=None,
                message="inspection.started",
            )
        elif submission.status != SubmissionStatus.INSPECTING:
            return submission  # applied already
        report_code = (
            Report.objects.filter(inspection=inspection).values_list("code", flat=True).first() or ""
        )
        if passed:
            submission = submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.OFFERED,
                by=None,
                message="inspection.passed",
                params={"grade": inspection.grade, "report": report_code},
            )
            _offer_make(submission=submission, inspection=inspection)
        else:
            submission = submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.REJECTED,
                by=None,
                message="inspection.failed",
                params={"reason": inspection.fail_reason, "report": report_code},
            )
        submission_notify_result(submission=submission, inspection=inspection)
    if not passed:
        return_label_book_or_later(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def _offer_make(*, submission: Submission, inspection: Inspection) -> None:
    """Price the final offer in the caller's transaction. An item the model cannot price (no catalog
    model on either side) stays OFFERED without an offer, for staff to price; it is logged."""
    # offers imports this module (return labels), so it is imported here.
    from recycling.services.offers import offer_make

    try:
        with transaction.atomic():
            offer_make(submission_id=submission.pk, inspection=inspection)
    except SubmissionError:
        logger.warning("No offer could be priced for %s", submission.code, exc_info=True)


def return_address(submission: Submission) -> PostalAddress:
    """Where the item goes back to: the address its inbound parcel came from, else the seller's."""
    from recycling.services.shipping import seller_address

    inbound = (
        Shipment.objects.filter(purpose=ShipmentPurpose.INBOUND, reference=submission.code)
        .exclude(status=ShipmentStatus.CANCELLED)
        .first()
    )
    if inbound is not None and inbound.sender.get("street"):
        return address_of(inbound.sender)
    return seller_address(submission.seller)


def return_label_book(*, submission_id: int) -> Shipment:
    """Ask for the free label that sends the item back to its seller and book it; once it is
    recorded the submission is RETURNING and the seller is e-mailed the tracking number
    (`submission_return_label_recorded`). A submission with a live return label gets that one back.

    As for inbound labels, no row lock is held while the carrier is called. Raises CarrierUnavailable:
    the request stays, and shipping's job books it later. Raises SubmissionError for a submission
    that is not due to go back.
    """
    live = return_label_request(submission_id=submission_id)
    if live.status != ShipmentStatus.REQUESTED:
        return live
    return shipment_book(shipment_id=live.pk)


@transaction.atomic
def return_label_request(*, submission_id: int) -> Shipment:
    """Ask shipping for the free return label (booked by `return_label_book` now, or by shipping's
    job later); the live return shipment when there is one. Raises SubmissionError for a submission
    that is not due to go back."""
    submission = Submission.objects.select_for_update().select_related("seller").get(pk=submission_id)
    live = live_shipment(purpose=ShipmentPurpose.SELLER_RETURN, reference=submission.code)
    if live is not None:
        return live
    _check_returnable(submission)
    return shipment_request(
        purpose=ShipmentPurpose.SELLER_RETURN,
        reference=submission.code,
        sender=INSPECTION_CENTRE,
        recipient=return_address(submission),
        method=ShippingMethod.DROP_OFF,  # the centre hands parcels in with its daily collection
    )


def return_label_book_or_later(*, submission_id: int) -> Shipment | None:
    """Book the free return label now (no row lock held), or, when the carrier is down, leave the
    request to shipping's job: the submission keeps waiting in its status (rejected, declined,
    expired) and None is returned."""
    try:
        return return_label_book(submission_id=submission_id)
    except CarrierUnavailable:
        logger.warning("Carrier down: no return label yet for submission %s", submission_id, exc_info=True)
        return None


def submission_return_label_recorded(*, submission: Submission, shipment: Shipment) -> None:
    """The return label is booked: the submission is RETURNING, and the seller is told the tracking
    number after commit. Refused with a SubmissionError when it is not due to go back any more.
    Caller holds the shipment's and the submission's row locks."""
    _check_returnable(submission)
    submission_move(
        submission_id=submission.pk,
        to=SubmissionStatus.RETURNING,
        by=None,
        message="return.booked",
        params={"carrier": shipment.carrier, "tracking": shipment.tracking_number},
    )
    submission_notify_returning(submission=submission, shipment=shipment)


def _check_returnable(submission: Submission) -> None:
    """Caller holds the row lock."""
    if SubmissionStatus.RETURNING not in ALLOWED[SubmissionStatus(submission.status)]:
        raise SubmissionError(
            _("%(code)s is not due to go back (now: %(status)s).")
            % {"code": submission.code, "status": submission.get_status_display()},
            code="not_returnable",
        )
