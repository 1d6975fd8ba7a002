"""Query counts of the orders API's lists and detail: the same for 3 rows as for 30, so a long list
never costs a query per row. Clients are signed in with force_authenticate, which reads nothing: the
counts are the endpoints' own."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from listings.models import ListingSource
from orders.models import Dispute, OrderStatus, ReturnRequest
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import delivered_order, paid_order, return_shipment
from tests.orders.test_disputes import inspected_listing
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _to_ship(count: int) -> None:
    for _ in range(count):
        paid_order(source=ListingSource.PLATFORM)


def _returns(count: int) -> None:
    for _ in range(count):
        order = delivered_order(source=ListingSource.CONSIGNED)
        order.status = OrderStatus.RETURN_REQUESTED
        order.save(update_fields=["status"])
        ReturnRequest.objects.create(order=order, reason="Too big.")
        return_shipment(order, carrier="sf", tracking_number="SF123456")


def _disputes(count: int) -> None:
    for _ in range(count):
        order = delivered_order()
        order.status = OrderStatus.DISPUTED
        order.save(update_fields=["status"])
        Dispute.objects.create(order=order, reason="Not as described at all.")


@pytest.mark.parametrize("rows", [3, 30])
def test_my_orders_cost_one_query(rows, django_assert_num_queries):
    buyer = UserFactory()
    for _ in range(rows):
        paid_order(buyer=buyer, listing=ListingFactory(cover_key="ab12cd34", report_code="R7KQ2MX4"))
    client = api(buyer)

    # 1: the page of orders with their listing joined (orders_for_buyer).
    with django_assert_num_queries(1):
        response = client.get("/api/v1/orders/")

    assert len(response.json()["results"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [3, 30])
def test_my_sales_cost_one_query(rows, django_assert_num_queries):
    seller = UserFactory()
    for _ in range(rows):
        paid_order(listing=ListingFactory(seller=seller))
    client = api(seller)

    # 1: the page of sales with their listing and buyer joined (sales_for_seller).
    with django_assert_num_queries(1):
        response = client.get("/api/v1/sales/")

    assert len(response.json()["results"]) == min(rows, 20)


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("/api/v1/staff/disputes/", _disputes),
        ("/api/v1/staff/orders/to-ship/", _to_ship),
        ("/api/v1/staff/orders/returns/", _returns),
    ],
)
@pytest.mark.parametrize("rows", [3, 30])
def test_operations_queues_cost_three_queries(path, make, rows, django_assert_num_queries):
    make(rows)
    client = api(operations_user())

    # 1: the group check (operations only); 2: whose provider they work for (none: every order);
    # 3: the page with what a row shows joined (buyer, seller and dispute; or the return).
    with django_assert_num_queries(3):
        response = client.get(path)

    assert len(response.json()["results"]) == min(rows, 20)


def test_an_order_costs_the_same_whatever_its_timeline(django_assert_num_queries):
    order = delivered_order()
    for _ in range(10):
        order.events.create(old=OrderStatus.PAID, new=OrderStatus.PAID, at=timezone.now())
    client = api(order.buyer)

    # 1: the order with listing, buyer, seller, shipment, return, dispute and rating joined; 2: its
    # timeline; 3: its payments; 4: its parcel's carrier events (order_for_participant); 5: whether the
    # reader is in operations (for `actions`).
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/orders/{order.number}/")

    assert len(response.json()["timeline"]) == 11


def test_an_inspected_order_in_dispute_costs_two_more(django_assert_num_queries):
    listing, results = inspected_listing()
    order = delivered_order(listing=listing)
    order.status = OrderStatus.DISPUTED
    order.save(update_fields=["status"])
    Dispute.objects.create(order=order, reason="Not as described at all.").disputed_checks.set(results)
    client = api(order.buyer)

    # The five of any shipped order, and 6: the report's checks (report_checks); 7: the disputed checks.
    with django_assert_num_queries(7):
        response = client.get(f"/api/v1/orders/{order.number}/")

    assert len(response.json()["report_checks"]) == len(response.json()["dispute"]["checks"]) == 3
