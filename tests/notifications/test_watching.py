"""Saved items tell the people who saved them when they get cheaper or come back on sale: each
watcher once a day per listing, never the seller."""

from decimal import Decimal

import pytest
from django.utils import translation

from listings.models import ListingStatus
from listings.services import favourite_add, listing_move, listing_reprice, listing_update
from notifications.models import Notification
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def watched(**fields):
    listing = ListingFactory(price=Decimal("1000.00"), title="Leica M6", **fields)
    watchers = [UserFactory(username=name) for name in ("mei", "lin")]
    for watcher in watchers:
        favourite_add(user=watcher, listing_id=listing.pk)
    favourite_add(user=listing.seller, listing_id=listing.pk)  # a seller saving their own item
    return listing, watchers


def told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_price_drop_tells_each_watcher_once_a_day_and_not_the_seller():
    listing, _watchers = watched()

    listing_update(listing_id=listing.pk, seller=listing.seller, price=Decimal("900.00"))
    listing_update(listing_id=listing.pk, seller=listing.seller, price=Decimal("850.00"))  # same day
    listing_update(listing_id=listing.pk, seller=listing.seller, price=Decimal("950.00"))  # a rise

    assert told("watch.price_drop") == ["lin", "mei"]
    notification = Notification.objects.filter(kind="watch.price_drop").first()
    with translation.override("en"):
        assert notification.title == "Leica M6 is now ¥900.00"
        assert notification.body == "An item you saved dropped from ¥1,000.00 to ¥900.00."
    assert notification.link == f"/l/{listing.pk}/"


def test_a_scheduled_price_drop_tells_the_watchers_too():
    listing, _watchers = watched()
    listing_reprice(listing_id=listing.pk, price=Decimal("800.00"))
    assert told("watch.price_drop") == ["lin", "mei"]


def test_an_item_back_on_sale_tells_its_watchers():
    listing, _watchers = watched()
    listing_move(listing_id=listing.pk, to=ListingStatus.RESERVED, by=None)
    assert told("watch.back_on_sale") == []

    listing_move(listing_id=listing.pk, to=ListingStatus.ACTIVE, by=None)  # the buyer did not pay

    assert told("watch.back_on_sale") == ["lin", "mei"]
    with translation.override("zh-hans"):
        assert "Leica M6" in Notification.objects.filter(kind="watch.back_on_sale").first().title
