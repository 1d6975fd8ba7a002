"""Buy now: who gets a unique item, what everyone else is told, the address, cancelling."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import AddressError
from accounts.models import Address
from listings.models import Listing, ListingStatus
from marketplace.errors import DomainError
from orders.errors import ItemUnavailable, OrderError
from orders.models import Order, OrderStatus
from orders.services.checkout import order_address_set, order_cancel, order_place
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO

pytestmark = pytest.mark.django_db


def test_the_first_buyer_gets_the_item_reserved_for_fifteen_minutes(settings):
    # given
    settings.RESERVATION_MINUTES = 15
    listing = ListingFactory(title="iPhone 13, 128 GB")
    buyer = UserFactory()
    before = timezone.now()

    # when
    order = order_place(buyer=buyer, listing_id=listing.pk)

    # then
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert (order.buyer, order.seller, order.listing) == (buyer, listing.seller, listing)
    assert (order.title, order.source, order.price) == ("iPhone 13, 128 GB", listing.source, listing.price)
    assert before + timedelta(minutes=15) <= order.reserved_until <= timezone.now() + timedelta(minutes=15)
    assert order.number.startswith("O") and len(order.number) == 10


def test_the_next_buyer_is_told_someone_else_is_buying_it():
    listing = ListingFactory()
    order_place(buyer=UserFactory(), listing_id=listing.pk)

    with pytest.raises(ItemUnavailable) as caught:
        order_place(buyer=UserFactory(), listing_id=listing.pk)

    assert caught.value.status_code == 409
    assert caught.value.code == "reserved"
    assert "Someone else is buying this item right now" in str(caught.value)
    assert Order.objects.filter(listing=listing).count() == 1


def test_pressing_buy_twice_returns_the_same_order():
    listing = ListingFactory()
    buyer = UserFactory()

    first = order_place(buyer=buyer, listing_id=listing.pk)
    second = order_place(buyer=buyer, listing_id=listing.pk)

    assert second.pk == first.pk
    assert Order.objects.filter(listing=listing).count() == 1


def test_a_sold_item_is_unavailable_with_its_reason():
    listing = ListingFactory(status=ListingStatus.SOLD)

    with pytest.raises(ItemUnavailable, match="This item has been sold") as caught:
        order_place(buyer=UserFactory(), listing_id=listing.pk)

    assert (caught.value.status_code, caught.value.code) == (409, "sold")
    assert not Order.objects.exists()


def test_nobody_buys_their_own_listing():
    listing = ListingFactory()

    with pytest.raises(OrderError, match="your own listing") as caught:
        order_place(buyer=listing.seller, listing_id=listing.pk)

    assert (caught.value.status_code, caught.value.code) == (400, "own_listing")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE


@pytest.mark.parametrize(
    ("status", "code", "status_code"),
    [
        (ListingStatus.DRAFT, "listing_not_found", 404),
        (ListingStatus.WITHDRAWN, "not_on_sale", 400),
    ],
)
def test_a_draft_or_withdrawn_listing_cannot_be_bought(status, code, status_code):
    listing = ListingFactory(status=status)

    with pytest.raises(OrderError) as caught:
        order_place(buyer=UserFactory(), listing_id=listing.pk)

    assert (caught.value.code, caught.value.status_code) == (code, status_code)
    assert not isinstance(caught.value, ItemUnavailable)
    assert not Order.objects.exists()


def test_an_unknown_listing_is_a_404():
    with pytest.raises(OrderError) as caught:
        order_place(buyer=UserFactory(), listing_id=987654)

    assert (caught.value.code, caught.value.status_code) == ("listing_not_found", 404)


def test_a_lapsed_reservation_not_yet_released_gives_way_to_the_next_buyer():
    # given: the first buyer's 15 minutes have passed, the release job has not run yet
    listing = ListingFactory()
    first = order_place(buyer=UserFactory(), listing_id=listing.pk)
    Order.objects.filter(pk=first.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))

    # when
    second = order_place(buyer=UserFactory(), listing_id=listing.pk)

    # then
    first.refresh_from_db()
    listing.refresh_from_db()
    assert first.status == OrderStatus.EXPIRED
    assert second.status == OrderStatus.PENDING_PAYMENT
    assert listing.status == ListingStatus.RESERVED
    assert list(first.events.values_list("old", "new")) == [
        ("", OrderStatus.PENDING_PAYMENT),
        (OrderStatus.PENDING_PAYMENT, OrderStatus.EXPIRED),
    ]


def test_the_address_is_stored_tidied_and_may_be_saved_to_the_address_book():
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory().pk)

    order_address_set(
        order_id=order.pk,
        buyer=order.buyer,
        address={
            **SHIP_TO,
            "name": "  Li   Lei ",
            "phone": "138-0000-0000",
            "street": "18 Fuxing Road,\n Xuhui",
        },
        save_to_book=True,
    )

    order.refresh_from_db()
    assert (
        order.ship_to_name,
        order.ship_to_phone,
        order.ship_to_region,
        order.ship_to_city,
        order.ship_to_address,
        order.ship_to_postcode,
    ) == ("Li Lei", "13800000000", "Shanghai", "Shanghai", "18 Fuxing Road, Xuhui", "200031")
    (saved,) = Address.objects.filter(user=order.buyer)
    assert (saved.street, saved.is_default) == ("18 Fuxing Road, Xuhui", True)
    # The same address again is not saved twice.
    order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO, save_to_book=True)
    assert Address.objects.filter(user=order.buyer).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"region": " "}, "region"),
        ({"city": ""}, "city"),
        ({"street": ""}, "street"),
        ({"street": "x" * 201}, "street"),
        ({"postcode": "2000 31 1"}, "postcode"),
        ({"name": "L" * 61}, "name"),
        ({"name": "Li\x00Lei"}, "name"),
        ({"city": ["Shanghai"]}, "city"),
    ],
)
def test_a_bad_address_names_the_field_and_stores_nothing(change, field):
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory().pk)

    with pytest.raises(AddressError) as caught:
        order_address_set(
            order_id=order.pk, buyer=order.buyer, address={**SHIP_TO, **change}, save_to_book=True
        )

    assert caught.value.field == field
    assert caught.value.status_code == 400
    order.refresh_from_db()
    assert (order.ship_to_name, order.ship_to_phone, order.ship_to_address, order.ship_to_city) == (
        "",
        "",
        "",
        "",
    )
    assert not Address.objects.filter(user=order.buyer).exists()


def test_someone_elses_order_is_not_found():
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory().pk)
    stranger = UserFactory()

    with pytest.raises(Order.DoesNotExist):
        order_address_set(order_id=order.pk, buyer=stranger, address=SHIP_TO)
    with pytest.raises(Order.DoesNotExist):
        order_cancel(order_id=order.pk, buyer=stranger)

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_cancelling_puts_the_item_back_on_sale_for_the_next_buyer():
    listing = ListingFactory()
    order = order_place(buyer=UserFactory(), listing_id=listing.pk)

    order_cancel(order_id=order.pk, buyer=order.buyer)

    order.refresh_from_db()
    listing.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert listing.status == ListingStatus.ACTIVE
    assert order_place(buyer=UserFactory(), listing_id=listing.pk).status == OrderStatus.PENDING_PAYMENT


def test_a_cancelled_order_cannot_be_cancelled_or_addressed_again():
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory().pk)
    order_cancel(order_id=order.pk, buyer=order.buyer)

    with pytest.raises(OrderError) as caught:
        order_cancel(order_id=order.pk, buyer=order.buyer)
    assert caught.value.code == "not_pending"
    with pytest.raises(OrderError):
        order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_at_once_one_order_and_forty_nine_clear_refusals():
    # given: 50 people press "buy now" on one item at the same moment
    listing = ListingFactory()
    buyers = [UserFactory() for _ in range(50)]
    start = threading.Barrier(50)
    orders, unavailable, other = [], [], []

    def attempt(buyer):
        try:
            start.wait()
            orders.append(order_place(buyer=buyer, listing_id=listing.pk))
        except ItemUnavailable as error:
            unavailable.append(error)
        except BaseException as error:  # anything else would be a 500
            other.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=attempt, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert other == []
    assert len(orders) == 1
    assert len(unavailable) == 49
    assert all(error.status_code == 409 and isinstance(error, DomainError) for error in unavailable)
    assert Order.objects.filter(listing=listing).count() == 1
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.RESERVED
