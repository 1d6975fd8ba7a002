"""After the listing: a buyer pays (the consignment and the submission are sold), or the term ends
unsold (listing withdrawn, a buy-out offer made, the seller told) and the seller takes the item back
free or sells it to Reloop."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from consignment.models import Consignment, ConsignmentEvent, ConsignmentStatus
from consignment.receivers import on_order_paid
from consignment.services.errors import ConsignmentError
from consignment.services.lifecycle import (
    consignment_buyout_accept,
    consignment_return,
    consignment_terms_end,
)
from consignment.settlement import consignments_settle
from consignment.tasks import apply_price_drops, end_consignment_terms
from inspection.models import Inspection
from listings.models import Listing, ListingStatus
from orders.models import Order, OrderStatus, Payment
from orders.services.checkout import order_address_set, order_place, payment_start
from orders.services.fulfilment import order_mark_delivered, order_mark_shipped
from orders.services.returns import return_mark_received, return_request
from orders.signals import order_paid
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus
from recycling.services.offers import offer_accept_recycle
from sandbox.payments import CARD_SUCCEEDS, payment_submit
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus
from tests.consignment.test_agreement import accepted
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO, paid_order
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db


def buy(consignment: Consignment, capture, *, buyer=None) -> Order:
    """A shopper places an order for the consigned listing and pays on the sandbox's page; the
    payment's webhook and `order_paid` run as they would after commit."""
    buyer = buyer or UserFactory()
    order = order_place(buyer=buyer, listing_id=consignment.listing_id)
    order_address_set(order_id=order.pk, buyer=buyer, address=SHIP_TO)
    payment_start(order_id=order.pk, buyer=buyer, return_url="https://reloop.example/back/")
    reference = Payment.objects.get(order=order).provider_reference
    with capture(execute=True):
        payment_submit(reference=reference, card_number=CARD_SUCCEEDS)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order


def _status(model, pk) -> str:
    return model.objects.values_list("status", flat=True).get(pk=pk)


# --- A sale ---------------------------------------------------------------------------------------------


def test_a_paid_order_sells_the_consignment(django_capture_on_commit_callbacks):
    consignment = accepted(list_price="1000.00")

    order = buy(consignment, django_capture_on_commit_callbacks)

    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.SOLD
    assert (consignment.order, consignment.sale_price) == (order, Decimal("1000.00"))
    assert consignment.sold_at == order.paid_at
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.SOLD
    assert _status(Listing, consignment.listing_id) == ListingStatus.SOLD
    assert list(consignment.events.values_list("old", "new")) == [("", "listed"), ("listed", "sold")]


def test_a_consigned_item_returned_by_its_buyer_is_on_sale_again_and_not_settled(
    django_capture_on_commit_callbacks,
):
    consignment = accepted(list_price="1000.00")
    order = buy(consignment, django_capture_on_commit_callbacks)
    order_mark_shipped(order_id=order.pk, by=operations_user(), carrier="sf", tracking_number="SF123456789")
    order_mark_delivered(order_id=order.pk, by=operations_user())
    return_request(order_id=order.pk, buyer=order.buyer, reason="It does not fit my hand.")

    with django_capture_on_commit_callbacks(execute=True):
        return_mark_received(order_id=order.pk, by=operations_user())

    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.LISTED
    assert (consignment.order, consignment.sale_price, consignment.sold_at) == (None, None, None)
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.LISTED
    assert _status(Listing, consignment.listing_id) == ListingStatus.ACTIVE
    assert consignments_settle() == 0
    # The next buyer's sale is the one the consignment records.
    second = buy(consignment, django_capture_on_commit_callbacks)
    consignment.refresh_from_db()
    assert (consignment.status, consignment.order) == (ConsignmentStatus.SOLD, second)


def test_the_sale_price_is_the_price_paid_after_a_drop(django_capture_on_commit_callbacks):
    consignment = accepted(list_price="1000.00")
    Listing.objects.filter(pk=consignment.listing_id).update(price=Decimal("900.00"))

    buy(consignment, django_capture_on_commit_callbacks)

    consignment.refresh_from_db()
    assert consignment.sale_price == Decimal("900.00")


def test_the_news_delivered_twice_sells_once(django_capture_on_commit_callbacks):
    consignment = accepted()
    order = buy(consignment, django_capture_on_commit_callbacks)

    order_paid.send(sender=Order, order=order)

    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.SOLD
    assert consignment.events.count() == 2
    assert Submission.objects.get(pk=consignment.submission_id).events.filter(new="sold").count() == 1


def test_a_person_to_person_sale_leaves_consignments_alone():
    consignment = accepted()
    order = paid_order(listing=ListingFactory())

    order_paid.send(sender=Order, order=order)

    assert _status(Consignment, consignment.pk) == ConsignmentStatus.LISTED


# --- The end of the term -----------------------------------------------------------------------------------


def _term_over(consignment: Consignment):
    return consignment.term_ends_at + timedelta(minutes=1)


def test_an_unsold_item_is_taken_off_sale_with_a_buyout_offer_and_the_seller_told(
    django_capture_on_commit_callbacks,
):
    consignment = accepted(list_price="1000.00")

    with django_capture_on_commit_callbacks(execute=True):
        assert consignment_terms_end(now=_term_over(consignment)) == 1

    assert _status(Consignment, consignment.pk) == ConsignmentStatus.UNSOLD
    assert _status(Listing, consignment.listing_id) == ListingStatus.WITHDRAWN
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.UNSOLD
    buyout = Offer.objects.get(submission_id=consignment.submission_id, kind=OfferKind.BUYOUT)
    assert buyout.cash_amount > 0
    assert buyout.decision == ""
    (message,) = mail.outbox
    assert message.to == [consignment.seller.email]
    assert f"/sell-with-us/consignment/{consignment.submission_id}/unsold/" in message.body


def test_ending_terms_twice_ends_each_once():
    consignment = accepted()

    consignment_terms_end(now=_term_over(consignment))

    assert consignment_terms_end(now=_term_over(consignment) + timedelta(days=1)) == 0
    assert consignment.events.filter(new="unsold").count() == 1
    assert Offer.objects.filter(kind=OfferKind.BUYOUT).count() == 1


def test_a_term_that_has_not_ended_or_an_item_being_paid_for_stays_on_sale():
    running = accepted()
    paying = accepted()
    Listing.objects.filter(pk=paying.listing_id).update(status=ListingStatus.RESERVED)

    assert consignment_terms_end(now=running.term_ends_at - timedelta(minutes=1)) == 0
    assert consignment_terms_end(now=_term_over(paying)) == 1  # the running one, now past its term

    assert _status(Consignment, paying.pk) == ConsignmentStatus.LISTED
    assert _status(Listing, paying.listing_id) == ListingStatus.RESERVED


def test_the_beat_task_ends_nothing_before_the_term():
    consignment = accepted()

    assert end_consignment_terms() == 0
    assert _status(Consignment, consignment.pk) == ConsignmentStatus.LISTED


# --- The seller's choice ----------------------------------------------------------------------------------


def _unsold() -> Consignment:
    consignment = accepted(list_price="1000.00")
    consignment_terms_end(now=_term_over(consignment))
    return Consignment.objects.get(pk=consignment.pk)


def test_the_seller_takes_it_back_free():
    consignment = _unsold()

    consignment = consignment_return(submission_id=consignment.submission_id, seller=consignment.seller)

    assert consignment.status == ConsignmentStatus.ENDED
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.RETURNING
    shipment = Shipment.objects.get(
        reference=Submission.objects.get(pk=consignment.submission_id).code,
        purpose=ShipmentPurpose.SELLER_RETURN,
    )
    assert shipment.tracking_number
    assert Offer.objects.get(submission_id=consignment.submission_id, kind=OfferKind.BUYOUT).decision == (
        OfferDecision.DECLINED
    )


def test_asking_for_the_return_twice_books_one_label():
    consignment = _unsold()

    consignment_return(submission_id=consignment.submission_id, seller=consignment.seller)
    consignment_return(submission_id=consignment.submission_id, seller=consignment.seller)

    assert Shipment.objects.filter(purpose=ShipmentPurpose.SELLER_RETURN).count() == 1
    assert consignment.events.filter(new="ended").count() == 1


def test_the_seller_sells_it_to_reloop():
    consignment = _unsold()

    consignment = consignment_buyout_accept(
        submission_id=consignment.submission_id, seller=consignment.seller
    )

    assert consignment.status == ConsignmentStatus.ENDED
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.RECYCLE_ACCEPTED
    buyout = Offer.objects.get(submission_id=consignment.submission_id, kind=OfferKind.BUYOUT)
    assert buyout.decision == OfferDecision.RECYCLE


def test_after_the_return_the_buyout_is_refused():
    consignment = _unsold()
    consignment_return(submission_id=consignment.submission_id, seller=consignment.seller)

    with pytest.raises(ConsignmentError):
        consignment_buyout_accept(submission_id=consignment.submission_id, seller=consignment.seller)

    assert _status(Submission, consignment.submission_id) == SubmissionStatus.RETURNING


def test_a_listed_item_cannot_be_sent_back_or_bought_out():
    consignment = accepted()

    with pytest.raises(ConsignmentError):
        consignment_return(submission_id=consignment.submission_id, seller=consignment.seller)
    with pytest.raises(ConsignmentError):
        consignment_buyout_accept(submission_id=consignment.submission_id, seller=consignment.seller)

    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_someone_elses_unsold_item_is_not_found():
    consignment = _unsold()
    stranger = UserFactory()

    with pytest.raises(Submission.DoesNotExist):
        consignment_return(submission_id=consignment.submission_id, seller=stranger)
    with pytest.raises(Submission.DoesNotExist):
        consignment_buyout_accept(submission_id=consignment.submission_id, seller=stranger)

    assert _status(Consignment, consignment.pk) == ConsignmentStatus.UNSOLD


def test_accepting_the_buyout_twice_pays_once():
    consignment = _unsold()

    consignment_buyout_accept(submission_id=consignment.submission_id, seller=consignment.seller)
    consignment = consignment_buyout_accept(
        submission_id=consignment.submission_id, seller=consignment.seller
    )

    assert consignment.status == ConsignmentStatus.ENDED
    assert consignment.events.filter(new="ended").count() == 1


def test_cash_taken_on_the_offer_page_still_ends_the_consignment():
    consignment = _unsold()
    offer_accept_recycle(submission_id=consignment.submission_id, seller=consignment.seller)

    consignment = consignment_buyout_accept(
        submission_id=consignment.submission_id, seller=consignment.seller
    )

    assert consignment.status == ConsignmentStatus.ENDED
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.RECYCLE_ACCEPTED


def test_an_item_the_model_cannot_price_still_ends_its_term_with_only_the_free_return():
    consignment = accepted()
    Submission.objects.filter(pk=consignment.submission_id).update(catalog_model=None)
    Inspection.objects.filter(subject_code=consignment.submission.code).update(catalog_model=None)

    assert consignment_terms_end(now=_term_over(consignment)) == 1

    assert _status(Consignment, consignment.pk) == ConsignmentStatus.UNSOLD
    assert not Offer.objects.filter(kind=OfferKind.BUYOUT).exists()
    consignment_return(submission_id=consignment.submission_id, seller=consignment.seller)
    assert _status(Consignment, consignment.pk) == ConsignmentStatus.ENDED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_term_jobs_at_once_end_each_term_once():
    consignments = [accepted() for _i in range(4)]
    now = _term_over(consignments[-1])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            consignment_terms_end(now=now)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert set(Consignment.objects.values_list("status", flat=True)) == {ConsignmentStatus.UNSOLD}
    assert ConsignmentEvent.objects.filter(new=ConsignmentStatus.UNSOLD).count() == 4
    assert Offer.objects.filter(kind=OfferKind.BUYOUT).count() == 4


def test_a_sale_whose_news_was_lost_is_caught_by_the_hourly_sweep(django_capture_on_commit_callbacks):
    consignment = accepted(list_price="1000.00")
    order_paid.disconnect(dispatch_uid="consignment.order_paid", sender=Order)
    try:
        order = buy(consignment, django_capture_on_commit_callbacks)
    finally:
        order_paid.connect(on_order_paid, sender=Order, dispatch_uid="consignment.order_paid")
    assert _status(Consignment, consignment.pk) == ConsignmentStatus.LISTED

    apply_price_drops()

    consignment.refresh_from_db()
    assert (consignment.status, consignment.order_id) == (ConsignmentStatus.SOLD, order.pk)
    assert _status(Submission, consignment.submission_id) == SubmissionStatus.SOLD
