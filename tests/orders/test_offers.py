"""Offers (议价): make, accept, decline, counter, withdraw, expire; the floor and Reloop's rule; the
limit per shopper; the item reserved at the agreed price; other offers closed when the item sells."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone

from listings.models import Listing, ListingSource, ListingStatus
from notifications.models import Notification
from orders.errors import ItemUnavailable, NotAllowed
from orders.models import Offer, OfferDeclineReason, OfferStatus, Order, OrderStatus
from orders.services.checkout import order_address_set, payment_start, reservations_release_lapsed
from orders.services.offers import (
    OfferError,
    offer_accept,
    offer_counter,
    offer_decline,
    offer_make,
    offer_withdraw,
    offers_expire_due,
)
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO

pytestmark = pytest.mark.django_db


def _listing(price: str = "1000.00", **fields) -> Listing:
    return ListingFactory(price=Decimal(price), **fields)


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


# --- Making an offer ---------------------------------------------------------------------------------


def test_an_offer_waits_for_the_seller_who_is_told():
    listing = _listing()
    shopper = UserFactory()

    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="850")

    assert (offer.status, offer.amount, offer.asking_price) == (
        OfferStatus.PENDING,
        Decimal("850.00"),
        Decimal("1000.00"),
    )
    assert offer.expires_at - offer.created_at == timedelta(hours=48)
    assert _kinds(listing.seller) == ["offer.received"]
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE  # an offer reserves nothing


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "invalid_amount"),
        ("-5", "invalid_amount"),
        ("850.555", "invalid_amount"),
        ("abc", "invalid_amount"),
        ("NaN", "invalid_amount"),
        ("1000", "not_below_price"),
        ("1200", "not_below_price"),
    ],
)
def test_a_bad_amount_is_refused_and_nothing_is_written(amount, code):
    listing = _listing()

    with pytest.raises(OfferError) as refused:
        offer_make(buyer=UserFactory(), listing_id=listing.pk, amount=amount)

    assert refused.value.code == code
    assert refused.value.field == "amount"
    assert not Offer.objects.exists()


def test_no_offer_on_your_own_listing_or_a_sold_or_withdrawn_one():
    listing = _listing()
    with pytest.raises(OfferError) as own:
        offer_make(buyer=listing.seller, listing_id=listing.pk, amount="500")
    assert own.value.code == "own_listing"

    sold = _listing(status=ListingStatus.SOLD)
    with pytest.raises(ItemUnavailable) as gone:
        offer_make(buyer=UserFactory(), listing_id=sold.pk, amount="500")
    assert "sold" in gone.value.message

    withdrawn = _listing(status=ListingStatus.WITHDRAWN)
    with pytest.raises(OfferError) as off_sale:
        offer_make(buyer=UserFactory(), listing_id=withdrawn.pk, amount="500")
    assert off_sale.value.code == "not_on_sale"
    assert not Offer.objects.exists()


def test_a_shopper_makes_at_most_three_offers_on_one_listing():
    listing = _listing()
    shopper = UserFactory()
    for amount in ("500", "600", "700"):
        offer = offer_make(buyer=shopper, listing_id=listing.pk, amount=amount)
        offer_decline(offer_id=offer.pk, by=listing.seller)

    with pytest.raises(OfferError) as refused:
        offer_make(buyer=shopper, listing_id=listing.pk, amount="800")

    assert refused.value.code == "too_many_offers"
    assert Offer.objects.filter(buyer=shopper).count() == 3
    # Another shopper still may.
    assert offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="800").status == OfferStatus.PENDING


def test_one_open_offer_at_a_time():
    listing = _listing()
    shopper = UserFactory()
    offer_make(buyer=shopper, listing_id=listing.pk, amount="500")

    with pytest.raises(OfferError) as refused:
        offer_make(buyer=shopper, listing_id=listing.pk, amount="600")

    assert refused.value.code == "offer_open"
    assert Offer.objects.count() == 1


# --- The floor and Reloop's rule ---------------------------------------------------------------------


def test_an_offer_below_the_sellers_floor_is_declined_at_once_and_the_seller_not_bothered():
    listing = _listing(offer_floor=Decimal("800.00"))

    low = offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="799.99")

    assert (low.status, low.decline_reason) == (OfferStatus.DECLINED, OfferDeclineReason.BELOW_FLOOR)
    assert _kinds(listing.seller) == []
    at_floor = offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="800")
    assert at_floor.status == OfferStatus.PENDING


def test_reloop_stock_answers_by_rule_at_once():
    listing = _listing(source=ListingSource.PLATFORM)
    shopper = UserFactory()

    low = offer_make(buyer=shopper, listing_id=listing.pk, amount="899.99")
    assert low.status == OfferStatus.DECLINED

    near = offer_make(buyer=shopper, listing_id=listing.pk, amount="900")
    assert near.status == OfferStatus.ACCEPTED
    order = near.order
    assert (order.price, order.status, order.buyer) == (
        Decimal("900.00"),
        OrderStatus.PENDING_PAYMENT,
        shopper,
    )
    assert order.reserved_until - timezone.now() > timedelta(hours=23)
    assert _kinds(shopper) == ["offer.accepted"]


def test_a_consigned_item_uses_its_consignment_floor():
    listing = _listing(source=ListingSource.CONSIGNED, offer_floor=Decimal("700.00"))

    assert offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="699").status == OfferStatus.DECLINED
    assert offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="700").status == OfferStatus.ACCEPTED


# --- Answering ---------------------------------------------------------------------------------------


def test_accepting_reserves_the_item_at_the_offer_price_and_the_buyer_pays_that(
    client, django_capture_on_commit_callbacks
):
    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="850")

    accepted = offer_accept(offer_id=offer.pk, by=listing.seller)

    order = accepted.order
    assert (accepted.status, order.price, order.buyer) == (OfferStatus.ACCEPTED, Decimal("850.00"), shopper)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    assert "offer.accepted" in _kinds(shopper)
    # Pay through the hosted page: the payment is the offer's price (and the shipping fee).
    order_address_set(order_id=order.pk, buyer=shopper, address=SHIP_TO)
    payment = payment_start(order_id=order.pk, buyer=shopper, return_url="https://reloop.example/back/")
    assert payment.amount == Decimal("850.00") + order.shipping_fee
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            urlsplit(payment.hosted_url).path,
            {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"},
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_when_the_item_sells_every_other_open_offer_is_declined_and_its_shopper_told(
    client, django_capture_on_commit_callbacks
):
    listing = _listing()
    winner, other = UserFactory(), UserFactory()
    offer = offer_make(buyer=winner, listing_id=listing.pk, amount="900")
    waiting = offer_make(buyer=other, listing_id=listing.pk, amount="800")
    order = offer_accept(offer_id=offer.pk, by=listing.seller).order
    order_address_set(order_id=order.pk, buyer=winner, address=SHIP_TO)
    payment = payment_start(order_id=order.pk, buyer=winner, return_url="https://reloop.example/back/")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            urlsplit(payment.hosted_url).path,
            {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"},
        )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.decline_reason) == (OfferStatus.DECLINED, OfferDeclineReason.SOLD)
    assert "offer.closed" in _kinds(other)


def test_while_one_offer_is_reserved_the_seller_cannot_accept_another():
    listing = _listing()
    first = offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="900")
    second = offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="950")
    offer_accept(offer_id=first.pk, by=listing.seller)

    with pytest.raises(ItemUnavailable):
        offer_accept(offer_id=second.pk, by=listing.seller)

    second.refresh_from_db()
    assert second.status == OfferStatus.PENDING
    assert Order.objects.filter(listing=listing).count() == 1


def test_an_accepted_offer_not_paid_in_time_puts_the_item_back_on_sale():
    listing = _listing()
    offer = offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="900")
    order = offer_accept(offer_id=offer.pk, by=listing.seller).order

    assert reservations_release_lapsed(now=timezone.now() + timedelta(hours=23)) == 0
    assert reservations_release_lapsed(now=timezone.now() + timedelta(hours=25)) == 1

    order.refresh_from_db()
    listing.refresh_from_db()
    assert (order.status, listing.status) == (OrderStatus.EXPIRED, ListingStatus.ACTIVE)
    assert "24 hours" in order.events.last().text


def test_the_seller_counters_and_the_shopper_accepts_the_counter():
    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")

    counter = offer_counter(offer_id=offer.pk, by=listing.seller, amount="920")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.COUNTERED
    assert (counter.status, counter.by_seller, counter.amount, counter.in_reply_to) == (
        OfferStatus.PENDING,
        True,
        Decimal("920.00"),
        offer,
    )
    assert "offer.countered" in _kinds(shopper)
    with pytest.raises(NotAllowed):
        offer_accept(offer_id=counter.pk, by=listing.seller)  # the seller cannot accept their own counter

    accepted = offer_accept(offer_id=counter.pk, by=shopper)

    assert accepted.order.price == Decimal("920.00")
    assert "offer.accepted_by_shopper" in _kinds(listing.seller)


def test_the_shopper_answers_a_counter_with_a_new_offer_which_counts():
    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")
    counter = offer_counter(offer_id=offer.pk, by=listing.seller, amount="950")

    with pytest.raises(OfferError) as too_high:
        offer_make(buyer=shopper, listing_id=listing.pk, amount="960")
    assert too_high.value.code == "not_below_counter"

    again = offer_make(buyer=shopper, listing_id=listing.pk, amount="880")

    counter.refresh_from_db()
    assert counter.status == OfferStatus.COUNTERED
    assert (again.in_reply_to, again.status) == (counter, OfferStatus.PENDING)


@pytest.mark.parametrize("amount", ["800", "799", "1000.01", "0", "1.001"])
def test_a_seller_counter_must_lie_between_the_offer_and_the_price(amount):
    listing = _listing()
    offer = offer_make(buyer=UserFactory(), listing_id=listing.pk, amount="800")

    with pytest.raises(OfferError):
        offer_counter(offer_id=offer.pk, by=listing.seller, amount=amount)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert Offer.objects.count() == 1


def test_the_buyer_cannot_accept_or_decline_their_own_offer_and_strangers_find_nothing():
    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")

    with pytest.raises(NotAllowed):
        offer_accept(offer_id=offer.pk, by=shopper)
    with pytest.raises(NotAllowed):
        offer_decline(offer_id=offer.pk, by=shopper)
    with pytest.raises(Offer.DoesNotExist):
        offer_accept(offer_id=offer.pk, by=UserFactory())
    with pytest.raises(Offer.DoesNotExist):
        offer_withdraw(offer_id=offer.pk, by=UserFactory())

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert not Order.objects.exists()


def test_a_withdrawn_offer_cannot_be_accepted():
    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")
    with pytest.raises(NotAllowed):
        offer_withdraw(offer_id=offer.pk, by=listing.seller)

    offer_withdraw(offer_id=offer.pk, by=shopper)

    with pytest.raises(OfferError) as refused:
        offer_accept(offer_id=offer.pk, by=listing.seller)
    assert refused.value.code == "not_open"


# --- Expiry ------------------------------------------------------------------------------------------


@override_settings(OFFER_HOURS=2)
def test_offers_lapse_after_the_setting_and_a_counter_after_expiry_is_refused():
    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")
    assert offer.expires_at - offer.created_at == timedelta(hours=2)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(OfferError) as late:
        offer_counter(offer_id=offer.pk, by=listing.seller, amount="900")
    assert late.value.code == "expired"
    assert Offer.objects.count() == 1

    assert offers_expire_due() == 1
    assert offers_expire_due() == 0  # a second run finds nothing

    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert _kinds(shopper).count("offer.expired") == 1


def test_taking_the_item_off_sale_declines_its_open_offers_and_tells_the_shoppers(
    django_capture_on_commit_callbacks,
):
    from listings.services import listing_withdraw

    listing = _listing()
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")

    with django_capture_on_commit_callbacks(execute=True):
        listing_withdraw(listing_id=listing.pk, seller=listing.seller)

    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, OfferDeclineReason.OFF_SALE)
    assert "offer.closed" in _kinds(shopper)
