"""What happens to a consignment after it is listed: it sells, or its term ends and the seller
chooses between a free return and Reloop's buy-out offer. (Scheduled price drops: services.pricing;
paying the seller after a sale: consignment.settlement.)"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consignment.models import Consignment, ConsignmentStatus
from consignment.notices import consignment_notify_unsold
from consignment.services.errors import ConsignmentError
from consignment.services.transitions import consignment_move
from listings.models import Listing, ListingStatus
from listings.services import listing_move
from marketplace.errors import DomainError
from orders.models import Order
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus
from recycling.services.offers import buyout_offer_make, buyout_offers_close, offer_accept_recycle
from recycling.services.outcome import return_label_book
from recycling.services.transitions import submission_move

logger = logging.getLogger(__name__)


@transaction.atomic
def consignment_sold(*, order_id: int) -> Consignment | None:
    """A buyer paid for a consigned listing: the consignment is SOLD with the order, its price and
    when, and the submission SOLD. None for a listing that is not consigned. Safe to run twice: a
    consignment already sold is returned as it is."""
    order = Order.objects.get(pk=order_id)
    consignment = Consignment.objects.select_for_update().filter(listing_id=order.listing_id).first()
    if consignment is None or consignment.status != ConsignmentStatus.LISTED:
        return consignment
    consignment = consignment_move(
        consignment_id=consignment.pk,
        to=ConsignmentStatus.SOLD,
        by=None,
        message="sold",
        params={"price": order.price, "order": order.number},
    )
    consignment.order = order
    consignment.sale_price = order.price
    consignment.sold_at = order.paid_at or timezone.now()
    consignment.save(update_fields=["order", "sale_price", "sold_at", "updated_at"])
    submission_move(
        submission_id=consignment.submission_id,
        to=SubmissionStatus.SOLD,
        by=None,
        message="consignment.sold",
        params={"price": order.price, "order": order.number},
    )
    return consignment


@transaction.atomic
def consignment_relisted(*, order_id: int) -> Consignment | None:
    """The buyer returned the consigned item within the window and was refunded; the listing is on
    sale again (orders did that). The consignment and the submission go back to LISTED, the sale
    forgotten, so a later sale is settled instead. None for an order that is not a consignment's
    sale; safe to run twice."""
    consignment = (
        Consignment.objects.select_for_update()
        .filter(order_id=order_id, status=ConsignmentStatus.SOLD)
        .first()
    )
    if consignment is None:
        return None
    consignment = consignment_move(
        consignment_id=consignment.pk, to=ConsignmentStatus.LISTED, by=None, message="returned"
    )
    consignment.order = None
    consignment.sale_price = None
    consignment.sold_at = None
    consignment.save(update_fields=["order", "sale_price", "sold_at", "updated_at"])
    submission_move(
        submission_id=consignment.submission_id,
        to=SubmissionStatus.LISTED,
        by=None,
        message="consignment.returned",
    )
    return consignment


def consignments_sold_catch_up(*, limit: int = 200) -> int:
    """Mark sold the listed consignments whose listing a buyer has paid for, in case `order_paid`
    was lost (its receiver runs after commit and a failure there is only logged). Without this such a
    consignment would stay LISTED, and its seller would never be paid. Returns how many were caught."""
    stuck = list(
        Consignment.objects.filter(status=ConsignmentStatus.LISTED, listing__status=ListingStatus.SOLD)
        .order_by("id")
        .values_list("listing_id", flat=True)[:limit]
    )
    caught = 0
    for listing_id in stuck:
        order_id = (
            Order.objects.filter(listing_id=listing_id, paid_at__isnull=False)
            .order_by("-paid_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if order_id is None:
            continue
        consignment = consignment_sold(order_id=order_id)
        if consignment is not None and consignment.status == ConsignmentStatus.SOLD:
            logger.warning(
                "Consignment %s marked sold by the catch-up: order_paid was missed", consignment.pk
            )
            caught += 1
    return caught


def _term_end(consignment_id: int, *, now: datetime) -> Consignment | None:
    """End one consignment's term if it is still due; caller is inside a transaction."""
    consignment = (
        Consignment.objects.select_for_update(skip_locked=True)
        .filter(pk=consignment_id, status=ConsignmentStatus.LISTED, term_ends_at__lte=now)
        .first()
    )
    if consignment is None:
        return None
    listing = Listing.objects.select_for_update().get(pk=consignment.listing_id)
    if listing.status != ListingStatus.ACTIVE:
        return None  # a buyer is paying for it: the sale decides
    listing_move(listing_id=listing.pk, to=ListingStatus.WITHDRAWN, by=None, message="consignment.term_ended")
    consignment = consignment_move(
        consignment_id=consignment.pk,
        to=ConsignmentStatus.UNSOLD,
        by=None,
        message="unsold",
        params={"date": consignment.term_ends_at.date()},
    )
    submission_move(
        submission_id=consignment.submission_id,
        to=SubmissionStatus.UNSOLD,
        by=None,
        message="consignment.unsold",
    )
    try:
        with transaction.atomic():
            buyout_offer_make(submission_id=consignment.submission_id)
    except DomainError:
        # An item the model cannot price (no catalog model) still ends its term: the seller can take
        # it back free, and the page says there is no buy-out offer.
        logger.warning("No buy-out offer for submission %s", consignment.submission_id, exc_info=True)
    return consignment


def consignment_terms_end(*, now: datetime | None = None, limit: int = 200) -> int:
    """End the term of listed consignments past term_ends_at whose listing is still on sale: the
    listing is withdrawn, the consignment and the submission are UNSOLD, a buy-out offer is made, and
    the seller is e-mailed to choose. At most `limit` per run, each in its own transaction; rows another
    run holds are skipped. Returns how many terms were ended."""
    now = now or timezone.now()
    due = list(
        Consignment.objects.filter(
            status=ConsignmentStatus.LISTED, term_ends_at__lte=now, listing__status=ListingStatus.ACTIVE
        )
        .order_by("term_ends_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    ended = 0
    for consignment_id in due:
        try:
            with transaction.atomic():
                consignment = _term_end(consignment_id, now=now)
                if consignment is None:
                    continue
                submission = consignment.submission
                consignment_notify_unsold(
                    consignment_id=consignment.pk,
                    seller=consignment.seller,
                    submission_id=submission.pk,
                    title=submission.title,
                    code=submission.code,
                )
        except DomainError:
            # Nothing of this one was written; it is tried again on the next run.
            logger.exception("Could not end the term of consignment %s", consignment_id)
            continue
        ended += 1
    return ended


def _unsold_for_seller(*, submission_id: int, seller: User) -> tuple[Submission, Consignment]:
    """The seller's submission and its consignment, row-locked. Someone else's raises
    Submission.DoesNotExist; one without a consignment, Consignment.DoesNotExist. Caller is inside a
    transaction."""
    submission = Submission.objects.select_for_update().get(pk=submission_id, seller=seller)
    consignment = Consignment.objects.select_for_update().get(submission=submission)
    return submission, consignment


def _not_unsold() -> ConsignmentError:
    return ConsignmentError(_("This item is not waiting for your choice."), code="not_unsold")


def _buyout_offer_close(submission: Submission, *, decision: OfferDecision, now: datetime) -> None:
    buyout_offers_close(submission_id=submission.pk, decision=decision, at=now)


def consignment_return(*, submission_id: int, seller: User) -> Consignment:
    """The seller of an unsold item takes it back: a free return label is booked (as for a declined
    offer), the submission is RETURNING and the consignment ENDED. Asking twice changes nothing more.

    The carrier is called with no row lock held; CarrierUnavailable (try again later) leaves the
    consignment UNSOLD, and a later call finishes the job with the label booked by then.
    """
    with transaction.atomic():
        submission, consignment = _unsold_for_seller(submission_id=submission_id, seller=seller)
        if consignment.status == ConsignmentStatus.ENDED and submission.status in (
            SubmissionStatus.RETURNING,
            SubmissionStatus.RETURNED,
        ):
            return consignment
        if consignment.status != ConsignmentStatus.UNSOLD or submission.status not in (
            SubmissionStatus.UNSOLD,
            SubmissionStatus.RETURNING,
        ):
            raise _not_unsold()
    shipment = return_label_book(submission_id=submission_id)
    with transaction.atomic():
        submission, consignment = _unsold_for_seller(submission_id=submission_id, seller=seller)
        if consignment.status != ConsignmentStatus.UNSOLD:
            return consignment
        _buyout_offer_close(submission, decision=OfferDecision.DECLINED, now=timezone.now())
        return consignment_move(
            consignment_id=consignment.pk,
            to=ConsignmentStatus.ENDED,
            by=seller,
            message="sent_back",
            params={"carrier": shipment.carrier, "tracking": shipment.tracking_number},
        )


@transaction.atomic
def consignment_buyout_accept(*, submission_id: int, seller: User) -> Consignment:
    """The seller of an unsold item accepts Reloop's buy-out offer: the recycle purchase goes ahead
    (payout to the wallet, platform stock) and the consignment is ENDED. Someone else's submission
    raises Submission.DoesNotExist; an expired buy-out offer, ConsignmentError or the offer's error."""
    submission, consignment = _unsold_for_seller(submission_id=submission_id, seller=seller)
    taken = Offer.objects.filter(
        submission=submission, kind=OfferKind.BUYOUT, decision=OfferDecision.RECYCLE
    ).exists()
    if consignment.status == ConsignmentStatus.ENDED and taken:
        return consignment  # asked twice
    if consignment.status != ConsignmentStatus.UNSOLD:
        raise _not_unsold()
    if submission.status == SubmissionStatus.UNSOLD:
        offer_accept_recycle(submission_id=submission.pk, seller=seller)
    elif not (taken and submission.status in (SubmissionStatus.RECYCLE_ACCEPTED, SubmissionStatus.PAID)):
        raise _not_unsold()
    # else: the cash was taken on the offer page already; only the consignment is left to end.
    return consignment_move(
        consignment_id=consignment.pk, to=ConsignmentStatus.ENDED, by=seller, message="bought_out"
    )
