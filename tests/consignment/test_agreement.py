"""The seller accepts the consignment terms of a final offer: the floor's limits, an expired offer,
accepting twice and someone else's submission; what a successful acceptance leaves behind.

`offered` (used by the other consignment tests too) makes an inspected submission with a final offer,
as recycling leaves it after inspection."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from consignment.models import Consignment, ConsignmentStatus
from consignment.services.agreement import consignment_accept
from consignment.services.errors import ConsignmentError
from inspection.models import InspectionResult, InspectionStatus
from listings.models import Listing, ListingSource, ListingStatus
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionEvent, SubmissionStatus
from recycling.valuation import commission_rate
from tests.factories import CatalogModelFactory, InspectionFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHEDULE = [[30, "0.10"], [60, "0.10"]]


def offered(
    *, seller=None, list_price: str = "1000.00", floor_min: str | None = None, valid_for=timedelta(days=7)
) -> Offer:
    """A submission that passed inspection (grade B) with its final offer, waiting for the seller."""
    catalog_model = CatalogModelFactory()
    submission = SubmissionFactory(
        seller=seller or UserFactory(),
        status=SubmissionStatus.OFFERED,
        category=catalog_model.category,
        brand=catalog_model.brand,
        catalog_model=catalog_model,
    )
    now = timezone.now()
    InspectionFactory(
        subject_code=submission.code,
        category=submission.category,
        catalog_model=catalog_model,
        title=submission.title,
        status=InspectionStatus.COMPLETED,
        result=InspectionResult.PASSED,
        grade="B",
        completed_at=now,
    )
    price = Decimal(list_price)
    minimum = Decimal(floor_min) if floor_min else (price * Decimal("0.60")).quantize(Decimal("0.01"))
    return Offer.objects.create(
        submission=submission,
        kind=OfferKind.FINAL,
        grade="B",
        cash_amount=(price * Decimal("0.5")).quantize(Decimal("0.01")),
        list_price=price,
        commission_rate=commission_rate(price),
        floor_min=minimum,
        floor_default=minimum,
        drop_schedule=SCHEDULE,
        term_days=90,
        model_version="test",
        valid_until=now + valid_for,
    )


def accepted(*, list_price: str = "1000.00", floor: str | None = None, seller=None) -> Consignment:
    offer = offered(list_price=list_price, seller=seller)
    return consignment_accept(submission_id=offer.submission_id, seller=offer.submission.seller, floor=floor)


def _nothing_written(offer: Offer) -> None:
    offer.refresh_from_db()
    assert offer.decision == ""
    assert Submission.objects.get(pk=offer.submission_id).status == SubmissionStatus.OFFERED
    assert not Consignment.objects.exists()
    assert not Listing.objects.filter(source=ListingSource.CONSIGNED).exists()


def test_accepting_lists_the_item_and_starts_the_term():
    offer = offered(list_price="1000.00")
    seller = offer.submission.seller

    consignment = consignment_accept(submission_id=offer.submission_id, seller=seller, floor="700")

    assert consignment.status == ConsignmentStatus.LISTED
    assert (consignment.list_price, consignment.floor_price) == (Decimal("1000.00"), Decimal("700.00"))
    assert consignment.commission_rate == Decimal("0.250")
    assert consignment.drop_schedule == SCHEDULE
    assert consignment.term_ends_at - consignment.listed_at == timedelta(days=90)
    listing = consignment.listing
    assert (listing.status, listing.source, listing.price) == (
        ListingStatus.ACTIVE,
        ListingSource.CONSIGNED,
        Decimal("1000.00"),
    )
    assert listing.seller.username == "reloop"
    assert listing.seller != seller
    offer.refresh_from_db()
    assert offer.decision == OfferDecision.CONSIGN
    events = list(SubmissionEvent.objects.filter(submission_id=offer.submission_id).values_list("old", "new"))
    assert events == [("offered", "consign_accepted"), ("consign_accepted", "listed")]
    assert list(consignment.events.values_list("old", "new")) == [("", "listed")]


def test_the_floor_defaults_to_the_proposed_one():
    consignment = accepted(list_price="1000.00", floor=None)

    assert consignment.floor_price == Decimal("600.00")


@pytest.mark.parametrize(
    ("floor", "code"),
    [
        ("1000.01", "floor_above_list_price"),
        ("5000", "floor_above_list_price"),
        ("599.99", "floor_below_minimum"),
        ("0", "floor_below_minimum"),
        ("-700", "floor_below_minimum"),
        ("700.005", "floor_too_precise"),
        ("seven hundred", "floor_not_a_number"),
        ("NaN", "floor_not_a_number"),
        ("Infinity", "floor_not_a_number"),
        ("1e999999", "floor_above_list_price"),
        ("7\x0000", "floor_not_a_number"),
    ],
)
def test_a_floor_out_of_bounds_is_a_clear_field_error_and_writes_nothing(floor, code):
    offer = offered(list_price="1000.00")

    with pytest.raises(ConsignmentError) as error:
        consignment_accept(submission_id=offer.submission_id, seller=offer.submission.seller, floor=floor)

    assert (error.value.code, error.value.field) == (code, "floor")
    _nothing_written(offer)


def test_a_floor_above_the_list_price_names_the_list_price():
    offer = offered(list_price="1000.00")

    with pytest.raises(ConsignmentError, match=re.escape("above the list price of ¥1,000.00")):
        consignment_accept(submission_id=offer.submission_id, seller=offer.submission.seller, floor="1200")


def test_the_floor_may_equal_either_limit():
    assert accepted(list_price="1000.00", floor="1000").floor_price == Decimal("1000.00")
    assert accepted(list_price="1000.00", floor="600.00").floor_price == Decimal("600.00")


def test_an_expired_offer_cannot_be_accepted():
    offer = offered(valid_for=timedelta(seconds=-1))

    with pytest.raises(ConsignmentError, match="This offer expired on") as error:
        consignment_accept(submission_id=offer.submission_id, seller=offer.submission.seller, floor=None)

    assert error.value.code == "offer_expired"
    _nothing_written(offer)


def test_accepting_twice_is_refused_and_lists_once():
    offer = offered()
    seller = offer.submission.seller
    consignment_accept(submission_id=offer.submission_id, seller=seller, floor=None)

    with pytest.raises(ConsignmentError) as error:
        consignment_accept(submission_id=offer.submission_id, seller=seller, floor="700")

    assert error.value.code == "already_accepted"
    assert Consignment.objects.get().floor_price == Decimal("600.00")
    assert Listing.objects.filter(source=ListingSource.CONSIGNED).count() == 1


def test_after_the_cash_offer_was_taken_consignment_is_refused():
    offer = offered()
    Offer.objects.filter(pk=offer.pk).update(decision=OfferDecision.RECYCLE)

    with pytest.raises(ConsignmentError) as error:
        consignment_accept(submission_id=offer.submission_id, seller=offer.submission.seller, floor=None)

    assert error.value.code == "offer_decided"
    assert not Consignment.objects.exists()


def test_someone_elses_submission_does_not_exist_for_you():
    offer = offered()

    with pytest.raises(Submission.DoesNotExist):
        consignment_accept(submission_id=offer.submission_id, seller=UserFactory(), floor=None)

    _nothing_written(offer)


def test_no_offer_yet_is_a_clear_error():
    submission = SubmissionFactory(status=SubmissionStatus.INSPECTING)

    with pytest.raises(ConsignmentError) as error:
        consignment_accept(submission_id=submission.pk, seller=submission.seller, floor=None)

    assert error.value.code == "no_offer"
