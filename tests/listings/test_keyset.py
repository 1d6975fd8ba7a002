"""Keyset pagination over the channel: every row exactly once, forwards and backwards, even when many
rows share the sort value; and links that cannot be read are refused with InvalidCursor."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from listings.selectors import ChannelFilters, listings_for_channel
from marketplace.keyset import InvalidCursor, encode_cursor
from tests.factories import CategoryFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def walk_forward(*, sort: str, size: int, filters: ChannelFilters) -> list:
    pages, cursor = [], None
    while True:
        page = listings_for_channel(filters=filters, sort=sort, cursor=cursor, size=size)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


def ids(page) -> list[int]:
    return [listing.pk for listing in page.items]


@pytest.fixture
def tied_listings():
    """Seven listings in one category; five share a publication time and three share a price."""
    category, seller = CategoryFactory(), UserFactory()
    moment = timezone.now()
    listings = [ListingFactory(category=category, seller=seller, published_at=moment) for _ in range(5)]
    listings.append(ListingFactory(category=category, seller=seller, published_at=moment - timedelta(days=1)))
    listings.append(ListingFactory(category=category, seller=seller, published_at=moment + timedelta(days=1)))
    for listing, price in zip(listings, ["10", "10", "10", "5", "20", "7", "30"], strict=True):
        listing.price = Decimal(price)
        listing.save(update_fields=["price"])
    return ChannelFilters(category=category), listings


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("newest", lambda listing: (-listing.published_at.timestamp(), -listing.pk)),
        ("price_asc", lambda listing: (listing.price, listing.pk)),
        ("price_desc", lambda listing: (-listing.price, -listing.pk)),
    ],
)
def test_next_links_visit_every_listing_once_in_order_across_ties(tied_listings, sort, key):
    filters, listings = tied_listings

    pages = walk_forward(sort=sort, size=2, filters=filters)

    seen = [pk for page in pages for pk in ids(page)]
    assert seen == [listing.pk for listing in sorted(listings, key=key)]
    assert [len(page.items) for page in pages] == [2, 2, 2, 1]
    assert not pages[0].has_previous
    assert all(page.has_previous for page in pages[1:])


def test_previous_links_walk_back_through_the_same_pages(tied_listings):
    filters, _listings = tied_listings
    forward = walk_forward(sort="newest", size=2, filters=filters)

    backward, page = [], forward[-1]
    while page.has_previous:
        page = listings_for_channel(filters=filters, sort="newest", cursor=page.previous_cursor, size=2)
        backward.append(ids(page))

    assert backward == [ids(page) for page in reversed(forward[:-1])]
    assert not page.has_previous
    assert page.has_next


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        encode_cursor(["2024-01-01T00:00:00+00:00"]),  # too few values for the ordering
        encode_cursor(["yesterday", "12"]),  # not a date
        encode_cursor(["2024-01-01T00:00:00+00:00", "twelve"]),  # not an id
    ],
)
def test_unreadable_cursor_is_refused(cursor):
    ListingFactory()

    with pytest.raises(InvalidCursor):
        listings_for_channel(filters=ChannelFilters(), sort="newest", cursor=cursor)


@pytest.mark.parametrize("price", ["NaN", "Infinity", "cheap"])
def test_cursor_with_an_unusable_price_is_refused(price):
    ListingFactory()

    with pytest.raises(InvalidCursor):
        listings_for_channel(filters=ChannelFilters(), sort="price_asc", cursor=encode_cursor([price, "1"]))


def test_cursor_from_another_sort_is_refused_rather_than_failing_in_the_database():
    ListingFactory()
    ListingFactory()
    by_price = listings_for_channel(filters=ChannelFilters(), sort="price_asc", cursor=None, size=1)

    with pytest.raises(InvalidCursor):
        listings_for_channel(filters=ChannelFilters(), sort="newest", cursor=by_price.next_cursor, size=1)
