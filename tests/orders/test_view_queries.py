"""Pinned query counts of the order pages: the same number for 3 rows as for 30.

In every count the session comes from the cache (SESSION_ENGINE is the cache) and "the user" is the
one query that loads the signed-in user."""

import pytest
from django.urls import reverse
from django.utils import timezone

from listings.models import ListingSource
from orders.models import OrderEvent, OrderStatus
from orders.services.returns import dispute_open, return_request
from shipping.models import CarrierEvent
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import delivered_order, paid_order
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db

COUNTS = [3, 30]


@pytest.mark.parametrize("count", COUNTS)
def test_my_purchases_queries(client, django_assert_num_queries, count):
    buyer = UserFactory()
    for _i in range(count):
        paid_order(buyer=buyer)
    client.force_login(buyer)

    # 1 the user, 1 one page of orders with their listings joined
    with django_assert_num_queries(2):
        response = client.get(reverse("orders:list"))
    assert response.content.decode().count('class="od-row"') == min(count, 20)


@pytest.mark.parametrize("count", COUNTS)
def test_my_sales_queries(client, django_assert_num_queries, count):
    seller = UserFactory()
    for _i in range(count):
        paid_order(listing=ListingFactory(seller=seller))
    client.force_login(seller)

    # 1 the user, 1 one page of sales with their listings and buyers joined
    with django_assert_num_queries(2):
        response = client.get(reverse("orders:sales"))
    assert response.content.decode().count('class="od-row"') == min(count, 20)


@pytest.mark.parametrize("count", COUNTS)
def test_order_page_queries(client, django_assert_num_queries, count):
    order = delivered_order()
    # A long timeline: the events are one prefetch however many there are.
    OrderEvent.objects.bulk_create(
        [OrderEvent(order=order, old=OrderStatus.PAID, new=OrderStatus.SHIPPED, by=order.seller)] * count
    )
    for _i in range(count):
        paid_order(buyer=order.buyer)
    # and as long a list of the carrier's news about the parcel: one prefetch too.
    CarrierEvent.objects.bulk_create(
        CarrierEvent(
            shipment=order.shipment, event_id=f"e{number}", kind="in_transit", occurred_at=order.shipped_at
        )
        for number in range(count)
    )
    client.force_login(order.buyer)

    # 1 the user, 1 the order with listing, buyer, seller, shipment, return, dispute and rating
    # joined, 1 its events with who moved them, 1 its payments, 1 its parcel's carrier events
    with django_assert_num_queries(5):
        response = client.get(reverse("orders:detail", args=[order.number]))
    assert response.status_code == 200
    html = response.content.decode()
    # placed, paid and the added events, and the carrier's news
    assert html.count("<time ") == count + 2 + count
    assert html.count('class="od-parcel"') == count


@pytest.mark.parametrize("count", COUNTS)
def test_staff_queue_queries(client, django_assert_num_queries, count):
    for _i in range(count):
        paid_order(source=ListingSource.PLATFORM)
        paid_order(source=ListingSource.PLATFORM, status=OrderStatus.SHIPPED, shipped_at=timezone.now())
        returning = delivered_order(source=ListingSource.CONSIGNED)
        return_request(order_id=returning.pk, buyer=returning.buyer, reason="Does not fit.")
        disputed = delivered_order()
        dispute_open(order_id=disputed.pk, buyer=disputed.buyer, reason="Not the colour in the photos.")
    client.force_login(operations_user())

    # 1 the user, 1 their groups (the operations check), 1 whose provider they work for (none: every
    # order), then one page of each list, with what its rows show joined: to ship, on the way,
    # returns to receive (with the return), disputes (with the dispute, buyer and seller), and the
    # payments held for review (with their order)
    with django_assert_num_queries(8):
        response = client.get(reverse("orders_staff:queue"))
    html = response.content.decode()
    assert html.count('class="od-card od-queue-row"') == 3 * min(count, 20)
    assert html.count('<li class="od-card">') == min(count, 20)
