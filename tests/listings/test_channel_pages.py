"""A channel page with no words to search for is read by SQL written in the selector
(listings.selectors._unsearched_page); it must page exactly as the ORM's keyset pages did."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from listings import selectors
from listings.models import Grade, ListingStatus
from listings.selectors import ChannelFilters, listings_for_channel
from marketplace.keyset import paginate
from tests.factories import BrandFactory, CategoryFactory, ListingFactory, UserFactory


def _by_the_orm(filters: ChannelFilters, sort: str, cursor: str | None, size: int):
    queryset = selectors._filtered(selectors._on_sale(), filters)
    return paginate(
        queryset, order_by=selectors.SORTS[sort], cursor=cursor, size=size, read=selectors._card_list
    )


def _walk(read, filters: ChannelFilters, sort: str, size: int) -> list[tuple]:
    """Every page forward, then back from the last, as (ids, next cursor, previous cursor)."""
    seen, cursor = [], None
    while True:
        page = read(filters, sort, cursor, size)
        seen.append(([card.pk for card in page.items], page.next_cursor, page.previous_cursor))
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    cursor = seen[-1][2]
    while cursor is not None:
        page = read(filters, sort, cursor, size)
        seen.append(([card.pk for card in page.items], page.next_cursor, page.previous_cursor))
        cursor = page.previous_cursor
    return seen


@pytest.mark.parametrize("seed", range(2))
def test_every_page_forward_and_back_is_the_orms(db, seed):
    # given: listings with ties in price and publication time, over a category and its child
    rng = random.Random(seed)
    parent = CategoryFactory(slug="phones")
    child = CategoryFactory(slug="android", parent=parent)
    other = CategoryFactory(slug="bags")
    brands = [BrandFactory(slug="apple"), BrandFactory(slug="huawei"), None]
    seller = UserFactory()
    now = timezone.now()
    for _ in range(40):
        ListingFactory(
            category=rng.choice([parent, child, other]),
            brand=rng.choice(brands),
            grade=rng.choice(Grade.values),
            price=Decimal(rng.choice(["99.00", "500.00", "1299.50", "1299.50", "8000.00"])),
            published_at=now - timedelta(minutes=rng.choice([1, 2, 2, 3, 5])),
            inspected_at=rng.choice([None, now]),
            authenticated=rng.random() < 0.3,
            status=rng.choice([ListingStatus.ACTIVE] * 4 + [ListingStatus.SOLD]),
            seller=seller if rng.random() < 0.3 else UserFactory(),
        )
    cases = [
        ChannelFilters(),
        ChannelFilters(category=parent),
        ChannelFilters(category=child, grades=("A", "B")),
        ChannelFilters(brand_slugs=("apple",), price_min=Decimal("500"), price_max=Decimal("1299.50")),
        ChannelFilters(category=parent, inspected_only=True),
        ChannelFilters(authenticated_only=True),
        ChannelFilters(seller_id=seller.pk),
        ChannelFilters(price_min=Decimal("9000")),
    ]

    for filters in cases:
        for sort in ("newest", "price_asc", "price_desc"):
            # when: each way walks every page, forward and back
            ours = _walk(
                lambda f, s, c, n: listings_for_channel(filters=f, sort=s, cursor=c, size=n), filters, sort, 3
            )
            theirs = _walk(_by_the_orm, filters, sort, 3)

            # then: the same items on the same pages with the same links
            assert ours == theirs, (filters, sort)
