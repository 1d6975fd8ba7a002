"""What recycling does with the inspection desk's news (see recycling/receivers.py).

- An inspector started on the item: the submission is INSPECTING.
- The item passed: INSPECTING → OFFERED, with its final offer (recycling.services.offers.offer_make)
  in the same transaction.
- The item failed: INSPECTING → REJECTED, a free return label is booked with the carrier, and the
  submission is RETURNING (the seller gets the tracking number in a second e-mail).

Either way the seller gets an e-mail with the link to the public report. Every step is safe to run
twice: a submission already past the step is left as it is.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from inspection.models import Inspection, InspectionResult, Report
from listings.models import Grade
from marketplace.links import site_link
from marketplace.templatetags.money import money
from recycling.errors import SubmissionError
from recycling.models import Offer, OfferKind, Submission, SubmissionStatus
from recycling.offers import payout
from recycling.services.transitions import ALLOWED, submission_move
from shipping.carriers import INSPECTION_CENTRE, CarrierUnavailable, carrier_name
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus, ShippingMethod
from shipping.services import address_of, live_shipment, shipment_book, shipment_request

logger = logging.getLogger(__name__)

# The public site's address, for links in e-mails (no request is at hand when they are sent).


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
    transaction.on_commit(
        lambda: seller_notify_inspection_result(
            submission=submission, inspection=inspection, report_code=report_code
        )
    )
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
    shipment_id = shipment.pk
    transaction.on_commit(lambda: seller_notify_return_label(shipment=Shipment.objects.get(pk=shipment_id)))


def _check_returnable(submission: Submission) -> None:
    """Caller holds the row lock."""
    if SubmissionStatus.RETURNING not in ALLOWED[SubmissionStatus(submission.status)]:
        raise SubmissionError(
            _("%(code)s is not due to go back (now: %(status)s).")
            % {"code": submission.code, "status": submission.get_status_display()},
            code="not_returnable",
        )


def report_url(report_code: str) -> str:
    """The public report's absolute address, in the active language."""
    return site_link(reverse("reports:detail", kwargs={"code": report_code}))


def seller_language(submission: Submission) -> str:
    """The language to write to the seller in. Accounts hold no preference yet: the site's default."""
    return settings.LANGUAGE_CODE


def seller_notify_inspection_result(
    *, submission: Submission, inspection: Inspection, report_code: str
) -> None:
    """E-mail the seller the result and the link to the public report, in their language."""
    seller = submission.seller
    if not seller.email:
        return
    with translation.override(seller_language(submission)):
        values = {
            "name": seller.public_name,
            "title": submission.title,
            "code": submission.code,
            "report": report_url(report_code) if report_code else "",
        }
        if inspection.result == InspectionResult.PASSED:
            subject = _("%(title)s passed inspection") % values
            lines = [
                _("Hello %(name)s,") % values,
                "",
                _(
                    "Your item %(title)s (%(code)s) passed our inspection with grade %(grade)s (%(grade_label)s)."
                )
                % {**values, "grade": inspection.grade, "grade_label": Grade(inspection.grade).label},
            ]
            if inspection.authenticated:
                lines.append(_("Two authenticators confirmed that it is genuine."))
            offer = Offer.objects.filter(submission=submission, kind=OfferKind.FINAL).first()
            if offer is None:
                lines.append(_("Your final offer follows shortly; you will find it on your submission page."))
            else:
                lines += [
                    "",
                    _(
                        "Our offer: %(cash)s in cash now, or we sell it for you at %(price)s and pay you "
                        "%(payout)s once it sells. It is valid until %(date)s."
                    )
                    % {
                        "cash": money(offer.cash_amount),
                        "price": money(offer.list_price),
                        "payout": money(
                            payout(offer.list_price, offer.commission_rate)
                            if offer.list_price is not None and offer.commission_rate is not None
                            else None
                        ),
                        "date": formats.date_format(timezone.localtime(offer.valid_until), "DATE_FORMAT"),
                    },
                    _("Decide here: %(url)s")
                    % {"url": site_link(reverse("recycling:offer", args=[submission.pk]))},
                ]
        else:
            subject = _("%(title)s did not pass inspection") % values
            lines = [
                _("Hello %(name)s,") % values,
                "",
                _("Your item %(title)s (%(code)s) did not pass our inspection: %(reason)s.")
                % {**values, "reason": inspection.get_fail_reason_display()},
            ]
            if inspection.result_note:
                lines.append(inspection.result_note)
            lines.append(_("We are sending it back to you free of charge; the tracking number follows."))
        if values["report"]:
            lines += ["", _("The inspection report: %(report)s") % values]
        lines += ["", _("The Reloop team")]
        send_mail(subject, "\n".join(lines), None, [seller.email])


def seller_notify_return_label(*, shipment: Shipment) -> None:
    """E-mail the seller the tracking number of the parcel coming back to them."""
    submission = Submission.objects.select_related("seller").get(code=shipment.reference)
    seller = submission.seller
    if not seller.email:
        return
    with translation.override(seller_language(submission)):
        values = {
            "name": seller.public_name,
            "title": submission.title,
            "code": submission.code,
            "carrier": carrier_name(shipment.carrier),
            "tracking": shipment.tracking_number,
        }
        subject = _("%(title)s is on its way back to you") % values
        lines = [
            _("Hello %(name)s,") % values,
            "",
            _(
                "We are sending %(title)s (%(code)s) back to you free of charge with %(carrier)s, "
                "tracking number %(tracking)s."
            )
            % values,
            "",
            _("The Reloop team"),
        ]
        send_mail(subject, "\n".join(lines), None, [seller.email])
