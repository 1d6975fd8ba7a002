"""What recycling does with the inspection desk's news (see recycling/receivers.py).

- An inspector started on the item: the submission is INSPECTING.
- The item passed: INSPECTING → OFFERED, with its final offer (recycling.services.offers.offer_make)
  in the same transaction.
- The item failed: INSPECTING → REJECTED, a free return label is booked with the carrier, and the
  submission is RETURNING.

Either way the seller gets an e-mail with the link to the public report. Every step is safe to run
twice: a submission already past the step is left as it is.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from inspection.models import Inspection, InspectionResult, Report
from listings.models import Grade
from listings.photos import private_storage
from marketplace.carriers import INSPECTION_CENTRE, Address, CarrierUnavailable, get_carrier
from marketplace.labels import LabelContent, label_pdf
from marketplace.templatetags.money import money
from recycling.errors import SubmissionError
from recycling.models import (
    Offer,
    OfferKind,
    Shipment,
    ShipmentDirection,
    ShipmentStatus,
    ShippingMethod,
    Submission,
    SubmissionStatus,
)
from recycling.offers import payout
from recycling.services.shipping import _void_booking, label_storage_name
from recycling.services.transitions import ALLOWED, submission_move

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
            note=_("An inspector is checking the item."),
        )


def submission_inspection_completed(*, inspection: Inspection) -> Submission | None:
    """Apply a final inspection result: OFFERED when it passed; REJECTED then RETURNING (with a free
    return label) when it failed. The seller is e-mailed once this has committed.

    A carrier that is down leaves the submission REJECTED; `return_label_book` books the label later.
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
                note=_("An inspector is checking the item."),
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
                note=_("Passed inspection with grade %(grade)s; report %(report)s.")
                % {"grade": inspection.grade, "report": report_code},
            )
            _offer_make(submission=submission, inspection=inspection)
        else:
            submission = submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.REJECTED,
                by=None,
                note=_("Failed inspection: %(reason)s; report %(report)s.")
                % {"reason": inspection.get_fail_reason_display(), "report": report_code},
            )
    shipment = return_label_book_or_later(submission_id=submission.pk) if not passed else None
    submission.refresh_from_db()
    transaction.on_commit(
        lambda: seller_notify_inspection_result(
            submission=submission, inspection=inspection, report_code=report_code, shipment=shipment
        )
    )
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


def return_label_book(*, submission_id: int) -> Shipment:
    """Book a free label to send the item back to its seller, store its PDF, and move the submission
    to RETURNING. A submission with a live return label gets that one back and nothing is booked.

    As for inbound labels, no row lock is held while the carrier is called. Raises CarrierUnavailable
    (worth a retry) and ValueError for a submission that is not due to go back.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("seller").get(pk=submission_id)
        live = _live_return_shipment(submission)
        if live is not None:
            return live
        _check_returnable(submission)

    seller = submission.seller
    seller_address = Address(name=seller.public_name, lines=(), city=seller.city)
    carrier = get_carrier()
    booking = carrier.book(
        reference=submission.code,
        method=ShippingMethod.DROP_OFF,  # the centre hands the parcel in with its daily collection
        sender=INSPECTION_CENTRE,
        recipient=seller_address,
        now=timezone.now(),
    )
    label_name = label_storage_name(submission, booking.tracking_number)
    keep_booking = False
    try:
        content = LabelContent(
            carrier=booking.carrier,
            tracking_number=booking.tracking_number,
            sort_code=booking.sort_code,
            reference_code=submission.code,
            sender=INSPECTION_CENTRE,
            recipient=seller_address,
            method=booking.method,
            method_label=str(ShippingMethod(booking.method).label),
            drop_off_note=booking.drop_off_note,
        )
        saved_name = private_storage().save(label_name, ContentFile(label_pdf(content)))
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=submission_id)
            live = _live_return_shipment(submission)
            if live is not None:  # booked by another run meanwhile: keep that one, void ours
                return live
            _check_returnable(submission)
            shipment = Shipment.objects.create(
                submission=submission,
                direction=ShipmentDirection.RETURN,
                carrier=booking.carrier,
                method=booking.method,
                tracking_number=booking.tracking_number,
                label_path=saved_name,
            )
            submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.RETURNING,
                by=None,
                note=_("Free return booked: %(carrier)s %(tracking)s")
                % {"carrier": booking.carrier, "tracking": booking.tracking_number},
            )
            keep_booking = True
    finally:
        if not keep_booking:
            _void_booking(carrier, booking.tracking_number, label_name)
    return shipment


def return_label_book_or_later(*, submission_id: int) -> Shipment | None:
    """Book the free return label now (no row lock held), or, when the carrier is down, leave it to
    recycling.tasks.book_missing_return_labels: the submission keeps waiting in its status (rejected,
    declined, expired) and None is returned."""
    try:
        return return_label_book(submission_id=submission_id)
    except CarrierUnavailable:
        logger.warning("Carrier down: no return label yet for submission %s", submission_id, exc_info=True)
        return None


def _live_return_shipment(submission: Submission) -> Shipment | None:
    return (
        Shipment.objects.filter(submission=submission, direction=ShipmentDirection.RETURN)
        .exclude(status=ShipmentStatus.CANCELLED)
        .first()
    )


def _check_returnable(submission: Submission) -> None:
    """Caller holds the row lock."""
    if SubmissionStatus.RETURNING not in ALLOWED[SubmissionStatus(submission.status)]:
        raise ValueError(f"{submission.code} is not due to go back (now: {submission.status}).")


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def report_url(report_code: str) -> str:
    """The public report's absolute address, in the active language."""
    return site_url(reverse("reports:detail", kwargs={"code": report_code}))


def seller_language(submission: Submission) -> str:
    """The language to write to the seller in. Accounts hold no preference yet: the site's default."""
    return settings.LANGUAGE_CODE


def seller_notify_inspection_result(
    *, submission: Submission, inspection: Inspection, report_code: str, shipment: Shipment | None
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
                        "payout": money(payout(offer.list_price, offer.commission_rate)),
                        "date": formats.date_format(timezone.localtime(offer.valid_until), "DATE_FORMAT"),
                    },
                    _("Decide here: %(url)s")
                    % {"url": site_url(reverse("recycling:offer", args=[submission.pk]))},
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
            if shipment is not None:
                lines.append(
                    _(
                        "We are sending it back to you free of charge with %(carrier)s, tracking number %(tracking)s."
                    )
                    % {"carrier": shipment.carrier, "tracking": shipment.tracking_number}
                )
            else:
                lines.append(_("We are sending it back to you free of charge; the tracking number follows."))
        if values["report"]:
            lines += ["", _("The inspection report: %(report)s") % values]
        lines += ["", _("The Reloop team")]
        send_mail(subject, "\n".join(lines), None, [seller.email])


# Submissions on their way back whose label the carrier could not issue at the time: rejected at
# inspection, offer declined, or offer expired.
RETURN_DUE = (SubmissionStatus.REJECTED, SubmissionStatus.DECLINED, SubmissionStatus.EXPIRED)


def return_labels_book_missing(*, limit: int = 100) -> int:
    """Book the return label of rejected, declined or expired submissions that have none (the carrier
    was down at the time) and e-mail each seller the tracking number. Returns how many were booked; safe to
    run twice. Raises CarrierUnavailable when the carrier is still down, with what was booked kept."""
    live_return = Shipment.objects.filter(
        submission=OuterRef("pk"), direction=ShipmentDirection.RETURN
    ).exclude(status=ShipmentStatus.CANCELLED)
    waiting = list(
        Submission.objects.filter(status__in=RETURN_DUE)
        .exclude(Exists(live_return))
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    booked = 0
    for submission_id in waiting:
        shipment = return_label_book(submission_id=submission_id)
        seller_notify_return_label(shipment=shipment)
        booked += 1
    return booked


def seller_notify_return_label(*, shipment: Shipment) -> None:
    """E-mail the seller the tracking number of the parcel coming back to them."""
    submission = Submission.objects.select_related("seller").get(pk=shipment.submission_id)
    seller = submission.seller
    if not seller.email:
        return
    with translation.override(seller_language(submission)):
        values = {
            "name": seller.public_name,
            "title": submission.title,
            "code": submission.code,
            "carrier": shipment.carrier,
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
