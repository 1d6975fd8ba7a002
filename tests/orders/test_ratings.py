"""The buyer rates the seller once per completed order; the seller's score follows."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from accounts.models import User
from listings.page_cache import detail_key
from orders.errors import OrderError
from orders.models import Order, OrderStatus, Rating
from orders.services.fulfilment import order_confirm_receipt
from orders.services.ratings import rating_submit
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import delivered_order

pytestmark = pytest.mark.django_db


def completed_order(**kwargs) -> Order:
    order = delivered_order(**kwargs)
    return order_confirm_receipt(order_id=order.pk, buyer=order.buyer)


def test_a_rating_updates_the_sellers_score():
    seller = UserFactory()
    first = completed_order(listing=ListingFactory(seller=seller))
    second = completed_order(listing=ListingFactory(seller=seller))
    rating = rating_submit(
        order_id=first.pk,
        buyer=first.buyer,
        accuracy=5,
        service=4,
        shipping=3,
        comment="  Fast and friendly. ",
    )
    assert (rating.seller, rating.comment) == (seller, "Fast and friendly.")
    seller.refresh_from_db()
    assert (seller.rating_count, seller.rating_points, seller.rating_score) == (1, 12, Decimal("4.0"))
    rating_submit(order_id=second.pk, buyer=second.buyer, accuracy=4, service=4, shipping=4)
    seller.refresh_from_db()
    assert (seller.rating_count, seller.rating_points, seller.rating_score) == (2, 24, Decimal("4.0"))


def test_a_resolved_order_may_be_rated():
    order = delivered_order()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.RESOLVED)
    rating_submit(order_id=order.pk, buyer=order.buyer, accuracy=1, service=2, shipping=2)
    assert User.objects.get(pk=order.seller_id).rating_score == Decimal("1.7")


def test_a_second_rating_is_refused_and_counts_once():
    order = completed_order()
    rating_submit(order_id=order.pk, buyer=order.buyer, accuracy=5, service=5, shipping=5)
    with pytest.raises(OrderError) as error:
        rating_submit(order_id=order.pk, buyer=order.buyer, accuracy=1, service=1, shipping=1)
    assert error.value.code == "already_rated"
    seller = User.objects.get(pk=order.seller_id)
    assert (seller.rating_count, seller.rating_points) == (1, 15)
    assert Rating.objects.get().accuracy == 5


def test_a_rating_for_someone_elses_order_moves_nothing():
    order = completed_order()
    for person in (UserFactory(), order.seller):
        with pytest.raises(Order.DoesNotExist):
            rating_submit(order_id=order.pk, buyer=person, accuracy=5, service=5, shipping=5)
    seller = User.objects.get(pk=order.seller_id)
    assert (seller.rating_count, seller.rating_points) == (0, 0)
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "status", [OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.REFUNDED]
)
def test_an_order_not_completed_cannot_be_rated(status):
    order = delivered_order()
    Order.objects.filter(pk=order.pk).update(status=status)
    with pytest.raises(OrderError) as error:
        rating_submit(order_id=order.pk, buyer=order.buyer, accuracy=5, service=5, shipping=5)
    assert error.value.code == "not_completed"
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"accuracy": 0}, "accuracy"),
        ({"service": 6}, "service"),
        ({"shipping": -1}, "shipping"),
        ({"accuracy": 4.5}, "accuracy"),
        ({"service": "5"}, "service"),
        ({"shipping": True}, "shipping"),
        ({"accuracy": None}, "accuracy"),
    ],
)
def test_each_score_is_a_whole_number_from_1_to_5(scores, field):
    order = completed_order()
    with pytest.raises(OrderError) as error:
        rating_submit(
            order_id=order.pk, buyer=order.buyer, **{"accuracy": 5, "service": 5, "shipping": 5, **scores}
        )
    assert error.value.field == field
    assert not Rating.objects.exists()
    assert User.objects.get(pk=order.seller_id).rating_count == 0


@pytest.mark.parametrize("comment", ["x" * 501, "nice\x00"])
def test_a_comment_over_500_characters_or_unstorable_is_a_field_error(comment):
    order = completed_order()
    with pytest.raises(OrderError) as error:
        rating_submit(
            order_id=order.pk, buyer=order.buyer, accuracy=5, service=5, shipping=5, comment=comment
        )
    assert error.value.field == "comment"
    assert not Rating.objects.exists()


def test_the_listing_page_is_forgotten_once_the_rating_commits(django_capture_on_commit_callbacks):
    order = completed_order()
    key = detail_key(order.listing_id, translation.get_language())
    cache.set(key, "the page with the old score")
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(order_id=order.pk, buyer=order.buyer, accuracy=5, service=5, shipping=5)
    assert cache.get(key) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_ratings_at_once_store_one_and_count_once():
    """Two requests for the same order race past the status check; the OneToOne constraint keeps one."""
    import threading

    order = completed_order()
    barrier = threading.Barrier(2)
    outcomes = []

    def rate():
        try:
            barrier.wait()
            rating_submit(order_id=order.pk, buyer=order.buyer, accuracy=4, service=4, shipping=4)
            outcomes.append("rated")
        except OrderError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_rated", "rated"]
    seller = User.objects.get(pk=order.seller_id)
    assert (seller.rating_count, seller.rating_points) == (1, 12)
