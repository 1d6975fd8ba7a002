"""Fifty shoppers press "buy now" on one unique item at the same moment, each through the API in a
thread with its own PostgreSQL connection: exactly one gets the order, the other 49 are told clearly
that somebody else is buying it, nobody sees a 500, and the database holds one order."""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from listings.models import Listing, ListingStatus
from orders.models import Order, OrderStatus
from tests.factories import ListingFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOPPERS = 50
TIMEOUT = 30


def test_fifty_shoppers_at_once_one_order_and_49_clear_refusals():
    listing = ListingFactory(title="Leica M6")
    # Each shopper signs in with their own token, as an app would: the requests share nothing.
    tokens = [Token.objects.create(user=UserFactory()).key for _ in range(SHOPPERS)]
    start = threading.Barrier(SHOPPERS)
    answers: list = [None] * SHOPPERS

    def buy(index: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[index]}")
        try:
            start.wait(TIMEOUT)
            response = client.post("/api/v1/orders/", {"listing": listing.pk}, format="json")
            answers[index] = (response.status_code, response.json())
        except Exception as error:  # an exception escaping the view is what a 500 would be
            answers[index] = (500, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(index,)) for index in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    statuses = sorted(status for status, _body in answers)
    assert statuses == [201] + [409] * (SHOPPERS - 1), answers
    refusals = [body for status, body in answers if status == 409]
    assert all(body["code"] == "item_unavailable" for body in refusals)
    assert all(body["detail"].startswith("Someone else is buying this item right now") for body in refusals)
    winner = next(body for status, body in answers if status == 201)
    order = Order.objects.get(listing=listing)
    assert (order.number, order.status) == (winner["number"], OrderStatus.PENDING_PAYMENT)
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.RESERVED
