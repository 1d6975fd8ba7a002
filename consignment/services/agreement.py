"""The seller accepts the consignment side of a final offer: the agreement is made, the item listed."""

from datetime import timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from consignment.models import Consignment, ConsignmentEvent, ConsignmentStatus
from consignment.pricing import consign_terms, schedule_json
from consignment.services.errors import ConsignmentError
from listings.models import ListingSource
from marketplace.money import CENT
from marketplace.templatetags.money import money
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus
from recycling.services.listing import submission_listing_create
from recycling.services.offers import offer_decide
from recycling.services.transitions import submission_move


def floor_parse(value: Decimal | str | None, *, offer: Offer) -> Decimal:
    """The floor the seller asked for, checked against the offer's limits; the proposed floor when
    they left it empty. Raises ConsignmentError (field "floor") with what to type instead."""
    terms = consign_terms(offer)
    if value is None or (isinstance(value, str) and not value.strip()):
        return terms.floor_default
    try:
        floor = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        floor = None
    if floor is None or not floor.is_finite():
        raise ConsignmentError(
            _("Enter the floor as an amount, for example %(example)s.") % {"example": terms.floor_default},
            code="floor_not_a_number",
            field="floor",
        )
    if floor > terms.list_price:
        raise ConsignmentError(
            _("The floor cannot be above the list price of %(price)s.") % {"price": money(terms.list_price)},
            code="floor_above_list_price",
            field="floor",
        )
    if floor < terms.floor_min:
        raise ConsignmentError(
            _("The floor cannot be below %(minimum)s.") % {"minimum": money(terms.floor_min)},
            code="floor_below_minimum",
            field="floor",
        )
    # Checked after the bounds, so that quantize never meets an absurdly large number.
    if floor != floor.quantize(CENT, rounding=ROUND_DOWN):
        raise ConsignmentError(
            _("The floor can have at most two decimal places."), code="floor_too_precise", field="floor"
        )
    return floor.quantize(CENT)


def final_offer_check(*, submission: Submission, offer: Offer | None, now) -> Offer:
    """The offer if its consignment terms can still be accepted; else ConsignmentError saying why.
    Caller holds the submission's row lock."""
    if offer is None or offer.list_price is None:
        raise ConsignmentError(_("There is no consignment offer for this item."), code="no_offer")
    if offer.decision == OfferDecision.CONSIGN:
        raise ConsignmentError(_("You have already accepted this consignment."), code="already_accepted")
    if offer.decision == OfferDecision.RECYCLE:
        raise ConsignmentError(_("You have already sold this item to Reloop."), code="offer_decided")
    if offer.decision == OfferDecision.DECLINED:
        raise ConsignmentError(_("You have already declined this offer."), code="offer_decided")
    if (
        offer.decision == OfferDecision.EXPIRED
        or offer.valid_until <= now
        or submission.status == SubmissionStatus.EXPIRED
    ):
        raise ConsignmentError(
            _("This offer expired on %(date)s.")
            % {"date": date_format(timezone.localtime(offer.valid_until), "SHORT_DATETIME_FORMAT")},
            code="offer_expired",
        )
    if submission.status != SubmissionStatus.OFFERED:
        raise ConsignmentError(_("This offer can no longer be accepted."), code="offer_closed")
    return offer


@transaction.atomic
def consignment_accept(*, submission_id: int, seller: User, floor: Decimal | str | None) -> Consignment:
    """The seller accepts the consignment terms of their final offer, with a floor within its limits
    (the proposed floor when None). The item is listed at the offer's list price under the platform's
    account, and the consignment's term and price-drop schedule start now.

    Someone else's submission raises Submission.DoesNotExist; an expired or already decided offer or a
    floor out of bounds raises ConsignmentError. Either way nothing is written.
    """
    submission = Submission.objects.select_for_update().get(pk=submission_id, seller=seller)
    now = timezone.now()
    offer = Offer.objects.filter(submission=submission, kind=OfferKind.FINAL).first()
    offer = final_offer_check(submission=submission, offer=offer, now=now)
    terms = consign_terms(offer)
    floor_price = floor_parse(floor, offer=offer)

    offer_decide(offer_id=offer.pk, decision=OfferDecision.CONSIGN, at=now)
    submission_move(
        submission_id=submission.pk,
        to=SubmissionStatus.CONSIGN_ACCEPTED,
        by=seller,
        message="consignment.accepted",
        params={"price": terms.list_price, "floor": floor_price},
    )
    listing = submission_listing_create(
        submission_id=submission.pk,
        source=ListingSource.CONSIGNED,
        price=terms.list_price,
        offer_floor=floor_price,
    )
    term_days = offer.term_days or settings.CONSIGNMENT_TERM_DAYS
    consignment = Consignment.objects.create(
        submission=submission,
        offer=offer,
        seller=seller,
        listing=listing,
        status=ConsignmentStatus.LISTED,
        list_price=terms.list_price,
        floor_price=floor_price,
        commission_rate=terms.commission_rate,
        drop_schedule=schedule_json(offer.drop_schedule or settings.CONSIGNMENT_PRICE_DROPS),
        listed_at=now,
        term_ends_at=now + timedelta(days=term_days),
        created_at=now,
    )
    ConsignmentEvent.objects.create(
        consignment=consignment, old="", new=ConsignmentStatus.LISTED, by=seller, at=now
    )
    submission_move(
        submission_id=submission.pk,
        to=SubmissionStatus.LISTED,
        by=None,
        message="consignment.on_sale",
        params={"price": terms.list_price},
    )
    return consignment
