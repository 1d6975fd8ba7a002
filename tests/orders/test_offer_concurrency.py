"""Two of the seller's devices accept two different offers on one item at the same moment, each
through the API in a thread with its own PostgreSQL connection: one order, one clear refusal, no 500,
and the other offer still open."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from listings.models import Listing, ListingStatus
from orders.models import Offer, OfferStatus, Order
from orders.services.offers import offer_make
from tests.factories import ListingFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT = 30


@pytest.mark.parametrize("attempt", range(3))
def test_two_devices_accepting_two_offers_at_once_make_one_order(attempt):
    listing = ListingFactory(title="Fujifilm X100V", price="9000.00")
    offers = [
        offer_make(buyer=UserFactory(), listing_id=listing.pk, amount=amount) for amount in ("8000", "8200")
    ]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def accept(index: int) -> None:
        client = APIClient()  # one device each: nothing shared but the database
        client.force_authenticate(listing.seller)
        try:
            start.wait(TIMEOUT)
            response = client.post(f"/api/v1/offers/{offers[index].pk}/accept/", format="json")
            answers[index] = (response.status_code, response.json())
        except Exception as error:  # an exception escaping the view is what a 500 would be
            answers[index] = (500, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 409], answers
    refused = next(body for status, body in answers if status == 409)
    assert refused["code"] == "reserved"  # ItemUnavailable, 409: somebody holds the item
    assert Order.objects.filter(listing=listing).count() == 1
    order = Order.objects.get(listing=listing)
    accepted = Offer.objects.get(status=OfferStatus.ACCEPTED)
    assert (accepted.order, order.price) == (order, accepted.amount)
    assert Offer.objects.filter(status=OfferStatus.PENDING).count() == 1
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.RESERVED
