"""The job that puts items back on sale when their buyer did not pay in time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from listings.models import ListingStatus
from orders.errors import ItemUnavailable
from orders.models import Order, OrderStatus
from orders.services.checkout import order_cancel, order_place, reservations_release_lapsed
from orders.tasks import release_lapsed_reservations
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _placed(*, minutes_ago: float = 0) -> Order:
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory().pk)
    if minutes_ago:
        Order.objects.filter(pk=order.pk).update(
            reserved_until=order.reserved_until - timedelta(minutes=minutes_ago)
        )
        order.refresh_from_db()
    return order


def test_the_job_releases_a_lapsed_reservation_and_the_item_can_be_bought_again():
    # given: an order placed 16 minutes ago and one placed just now
    lapsed = _placed(minutes_ago=16)
    waiting = _placed()

    # when
    released = release_lapsed_reservations.delay().get()

    # then
    assert released == 1
    lapsed.refresh_from_db()
    lapsed.listing.refresh_from_db()
    assert lapsed.status == OrderStatus.EXPIRED
    assert lapsed.listing.status == ListingStatus.ACTIVE
    assert (
        lapsed.events.get(new=OrderStatus.EXPIRED).text
        == "Not paid within 15 minutes: the item went back on sale."
    )
    waiting.refresh_from_db()
    waiting.listing.refresh_from_db()
    assert waiting.status == OrderStatus.PENDING_PAYMENT
    assert waiting.listing.status == ListingStatus.RESERVED
    with pytest.raises(ItemUnavailable):
        order_place(buyer=UserFactory(), listing_id=waiting.listing_id)
    assert (
        order_place(buyer=UserFactory(), listing_id=lapsed.listing_id).status == OrderStatus.PENDING_PAYMENT
    )


def test_running_the_job_twice_releases_once():
    lapsed = _placed(minutes_ago=20)

    assert reservations_release_lapsed() == 1
    assert reservations_release_lapsed() == 0

    lapsed.refresh_from_db()
    assert lapsed.events.filter(new=OrderStatus.EXPIRED).count() == 1
    assert lapsed.listing.events.filter(new=ListingStatus.ACTIVE).count() == 1


def test_the_job_works_in_bounded_batches_oldest_first():
    oldest = _placed(minutes_ago=40)
    older = _placed(minutes_ago=30)
    old = _placed(minutes_ago=20)

    assert reservations_release_lapsed(limit=2) == 2

    statuses = {order.pk: order.status for order in Order.objects.all()}
    assert statuses == {
        oldest.pk: OrderStatus.EXPIRED,
        older.pk: OrderStatus.EXPIRED,
        old.pk: OrderStatus.PENDING_PAYMENT,
    }
    assert reservations_release_lapsed(limit=2) == 1


def test_paid_and_cancelled_orders_are_left_alone():
    cancelled = _placed(minutes_ago=20)
    order_cancel(order_id=cancelled.pk, buyer=cancelled.buyer)

    assert reservations_release_lapsed(now=timezone.now() + timedelta(hours=1)) == 0
    cancelled.refresh_from_db()
    assert cancelled.status == OrderStatus.CANCELLED
