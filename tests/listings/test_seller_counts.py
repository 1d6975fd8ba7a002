"""A seller's number of listings on sale, kept by triggers in a few rows per seller
(listings.seller_count_sql) and shown on the listing's page and the storefront."""

import random
from collections import Counter

import pytest
from django.db.models import Sum

from listings.models import Listing, ListingStatus, SellerCount
from listings.selectors import listing_for_detail, seller_for_storefront
from listings.services import listing_counts_rebuild
from tests.factories import ListingFactory, UserFactory


def _table() -> Counter:
    sums = SellerCount.objects.values("seller_id").annotate(total=Sum("listings"))
    return Counter({row["seller_id"]: row["total"] for row in sums if row["total"]})


def _counted() -> Counter:
    return Counter(Listing.objects.filter(status=ListingStatus.ACTIVE).values_list("seller_id", flat=True))


@pytest.mark.parametrize("seed", range(3))
def test_the_sellers_counts_follow_every_change_to_the_listings(db, seed):
    # given: three sellers' listings, changed at random: status, seller, deleted, created
    rng = random.Random(seed)
    sellers = [UserFactory() for _ in range(3)]
    listings = [ListingFactory(seller=rng.choice(sellers)) for _ in range(12)]
    for _ in range(60):
        listing = rng.choice(listings)
        change = rng.choice(["status", "status", "seller", "title", "delete", "create"])
        if change == "status":
            listing.status = rng.choice(ListingStatus.values)
        elif change == "seller":
            listing.seller = rng.choice(sellers)
        elif change == "title":
            listing.title += "!"
        elif change == "delete" and len(listings) > 1:
            listings.remove(listing)
            listing.delete()
            continue
        elif change == "create":
            listings.append(
                ListingFactory(seller=rng.choice(sellers), status=rng.choice(ListingStatus.values))
            )
            continue
        listing.save()
    Listing.objects.filter(pk=listings[0].pk).update(status=ListingStatus.ACTIVE)

    # then: the table sums to what counting the listings gives, and a rebuild changes nothing
    assert _table() == _counted()
    listing_counts_rebuild()
    assert _table() == _counted()


def test_a_sellers_listings_spread_over_several_rows(db):
    seller = UserFactory()
    for _ in range(20):
        ListingFactory(seller=seller)

    rows = SellerCount.objects.filter(seller=seller)
    assert rows.count() > 1
    assert sum(row.listings for row in rows) == 20


def test_the_listing_page_and_the_storefront_show_the_sellers_count(client, db):
    seller = UserFactory(username="stock")
    listing = ListingFactory(seller=seller)
    ListingFactory(seller=seller)
    ListingFactory(seller=seller, status=ListingStatus.SOLD)
    ListingFactory(seller=seller, status=ListingStatus.RESERVED)

    assert listing_for_detail(listing_id=listing.pk, viewer=None).seller_active_count == 2
    assert seller_for_storefront("stock").active_listing_count == 2
    assert "2 items on sale" in client.get(f"/l/{listing.pk}/").content.decode()
    assert "2 items on sale" in client.get("/u/stock/").content.decode()

    # when: one is bought
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.RESERVED)

    # then: the storefront counts one
    assert "1 item on sale" in client.get("/u/stock/").content.decode()
