"""The filter panel counts only the results: per grade, per price band, inspected and authenticated,
each group with every other filter applied but its own."""

import random
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from listings import facet_sql, selectors
from listings.models import FacetCount, Grade, Listing, ListingStatus
from listings.selectors import ChannelFilters, facet_counts
from listings.services import listing_counts_rebuild
from tests.factories import BrandFactory, CategoryFactory, ListingFactory


def test_the_counts_are_of_the_results_each_group_without_its_own_filter(db):
    # given: three phones and a bag
    phones = CategoryFactory(slug="phones")
    ListingFactory(category=phones, grade="A", price=Decimal("300"), inspected_at=timezone.now())
    ListingFactory(category=phones, grade="A", price=Decimal("1500"), authenticated=True)
    ListingFactory(category=phones, grade="B", price=Decimal("12000"), inspected_at=timezone.now())
    ListingFactory(category=CategoryFactory(slug="bags"), grade="A", price=Decimal("300"))

    # when: phones, grade A only
    counts = facet_counts(ChannelFilters(category=phones, grades=("A",)))

    # then: grades count all phones (the grade filter is their own); the rest count grade-A phones
    assert (counts.grades["A"], counts.grades["B"], counts.grades["C"]) == (2, 1, 0)
    assert [count for _low, _high, count in counts.price_bands] == [1, 1, 0, 0]
    assert (counts.inspected, counts.authenticated) == (1, 1)


def test_the_panel_shows_the_counts_and_price_bands_that_keep_the_other_filters(client, db):
    phones = CategoryFactory(slug="phones")
    ListingFactory(category=phones, grade="A", price=Decimal("300"), inspected_at=timezone.now())

    page = client.get("/c/phones/", {"inspected": "1"}).content.decode()

    assert 'Platform inspected only <span class="facet-count">1</span>' in page
    assert 'href="?inspected=1&amp;price_max=499.99"' in page


def test_the_brand_facet_counts_the_results_of_every_other_filter(client, db):
    phones = CategoryFactory(slug="phones")
    apple, huawei, sony = BrandFactory(name="Apple"), BrandFactory(name="Huawei"), BrandFactory(name="Sony")
    ListingFactory.create_batch(2, category=phones, brand=apple, grade="A")
    ListingFactory(category=phones, brand=huawei, grade="A")
    ListingFactory(category=phones, brand=huawei, grade="C")
    ListingFactory(category=phones, brand=sony, grade="C")

    page = client.get("/c/phones/", {"grade": "A", "brand": huawei.slug}).content.decode()

    # grade A only: Apple 2, Huawei 1 (chosen, and counted without the brand filter); Sony has none
    assert re.search(rf'value="{apple.slug}"> Apple <span class="facet-count">2</span>', page)
    assert re.search(rf'value="{huawei.slug}" checked> Huawei <span class="facet-count">1</span>', page)
    assert f'value="{sony.slug}"' not in page


def test_words_that_match_too_many_listings_show_no_counts(client, db, monkeypatch):
    monkeypatch.setattr(selectors, "FACET_SCAN_LIMIT", 2)
    ListingFactory.create_batch(3, title="Walkman")

    counts = facet_counts(ChannelFilters(q="walkman"))
    assert not counts.exact
    page = client.get("/search/", {"q": "walkman"}).content.decode()
    assert 'class="facet-count"' not in page
    assert page.count("Walkman") >= 3  # the results themselves are all there

    monkeypatch.setattr(selectors, "FACET_SCAN_LIMIT", 3)
    assert facet_counts(ChannelFilters(q="walkman", grades=("B",))).grades["A"] == 3


def test_a_price_range_that_is_not_a_band_is_counted_from_the_listings(db):
    ListingFactory(price=Decimal("300"), grade="A")
    ListingFactory(price=Decimal("800"), grade="B")
    ListingFactory(price=Decimal("1500"), grade="B")

    counts = facet_counts(ChannelFilters(price_min=Decimal("700"), price_max=Decimal("900")))

    assert counts.grades["B"] == 1  # 800 only
    assert [count for _low, _high, count in counts.price_bands] == [1, 2, 0, 0]  # its own filter aside


PRICES = ("120", "499.99", "500", "1999.99", "2000", "9999", "10000", "25000")
# Price ranges: none, whole bands (the facet table's), and ranges that cut through bands (a count of
# the listings).
PRICE_RANGES = (
    (None, None),
    (None, Decimal("499.99")),
    (Decimal("500"), Decimal("9999.99")),
    (Decimal("2000"), None),
    (Decimal("300"), Decimal("2500")),
    (Decimal("1999.99"), None),
)


@pytest.mark.parametrize("seed", range(3))
def test_the_counts_are_a_count_of_the_listings_for_any_filters(db, seed):
    # given: listings in two categories and three brands, half of them Walkmans
    rng = random.Random(seed)
    categories = [CategoryFactory(slug=f"shelf-{n}") for n in range(2)]
    brands = [BrandFactory(name=f"Brand {n}") for n in range(3)]
    for _ in range(40):
        ListingFactory(
            category=rng.choice(categories),
            brand=rng.choice([None, *brands]),
            grade=rng.choice(Grade.values),
            price=Decimal(rng.choice(PRICES)),
            inspected_at=timezone.now() if rng.random() < 0.4 else None,
            authenticated=rng.random() < 0.3,
            title="Walkman" if rng.random() < 0.5 else "Radio",
        )
    listings = list(Listing.objects.select_related("brand"))

    for _ in range(30):
        # when: any mix of the panel's filters, with words or without
        price_min, price_max = rng.choice(PRICE_RANGES)
        filters = ChannelFilters(
            category=rng.choice([None, *categories]),
            brand_slugs=tuple(brand.slug for brand in rng.sample(brands, rng.randint(0, 2))),
            grades=tuple(rng.sample(Grade.values, rng.randint(0, 2))),
            price_min=price_min,
            price_max=price_max,
            inspected_only=rng.random() < 0.3,
            authenticated_only=rng.random() < 0.2,
            q=rng.choice(["", "", "walkman"]),
        )
        counts = facet_counts(filters, brands=brands)

        # then: each group counts the listings that pass every other filter
        assert counts.exact
        expected = _counted_by_hand(listings, filters, brands)
        assert (counts.grades, counts.inspected, counts.authenticated, counts.brand_ids) == expected[:4], (
            filters
        )
        assert [n for _low, _high, n in counts.price_bands] == expected[4], filters


def _counted_by_hand(listings: list[Listing], filters: ChannelFilters, brands: list) -> tuple:
    """The panel's counts for `filters`, from the listings one by one: (grades, inspected,
    authenticated, brand ids, price bands)."""

    def passes(listing: Listing, but: str) -> bool:
        checks = {
            "category": filters.category is None or listing.category_id == filters.category.pk,
            "words": not filters.q or listing.title == "Walkman",
            "grade": not filters.grades or listing.grade in filters.grades,
            "price": (filters.price_min is None or listing.price >= filters.price_min)
            and (filters.price_max is None or listing.price <= filters.price_max),
            "inspected": not filters.inspected_only or listing.inspected_at is not None,
            "authenticated": not filters.authenticated_only or listing.authenticated,
            "brand": not filters.brand_slugs
            or (listing.brand is not None and listing.brand.slug in filters.brand_slugs),
        }
        return all(passed for name, passed in checks.items() if name != but)

    def band(listing: Listing) -> int:
        return sum(listing.price >= edge for edge in facet_sql.BAND_EDGES)

    grades = {
        grade: sum(passes(item, "grade") and item.grade == grade for item in listings)
        for grade in Grade.values
    }
    inspected = sum(passes(item, "inspected") and item.inspected_at is not None for item in listings)
    authenticated = sum(passes(item, "authenticated") and item.authenticated for item in listings)
    by_brand = {
        brand.pk: sum(passes(item, "brand") and item.brand_id == brand.pk for item in listings)
        for brand in brands
    }
    bands = [
        sum(passes(item, "price") and band(item) == index for item in listings)
        for index in range(len(selectors.PRICE_BANDS))
    ]
    return grades, inspected, authenticated, {pk: n for pk, n in by_brand.items() if n}, bands


def _table() -> Counter:
    return Counter(
        {
            (
                row.category_id,
                row.brand_key,
                row.grade,
                row.band,
                row.inspected,
                row.authenticated,
            ): row.listings
            for row in FacetCount.objects.all()
            if row.listings
        }
    )


def _counted() -> Counter:
    """What the table should hold, counted from the listings on sale."""
    return Counter(
        (
            listing.category_id,
            listing.brand_id or 0,
            listing.grade,
            sum(listing.price >= edge for edge in facet_sql.BAND_EDGES),
            listing.inspected_at is not None,
            listing.authenticated,
        )
        for listing in Listing.objects.filter(status=ListingStatus.ACTIVE)
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_facet_table_follows_every_change_to_the_listings(db, seed):
    # given: random listings, changed at random in every way that moves one between cells
    rng = random.Random(seed)
    categories = [CategoryFactory() for _ in range(3)]
    brands = [BrandFactory() for _ in range(2)] + [None]
    listings = [
        ListingFactory(
            category=rng.choice(categories),
            brand=rng.choice(brands),
            price=Decimal(rng.choice([100, 600, 5000, 20000])),
        )
        for _ in range(12)
    ]
    for _ in range(60):
        listing = rng.choice(listings)
        change = rng.choice(
            ["status", "grade", "price", "category", "brand", "inspected", "authenticated", "title"]
        )
        if change == "status":
            listing.status = rng.choice(ListingStatus.values)
        elif change == "grade":
            listing.grade = rng.choice(Grade.values)
        elif change == "price":
            listing.price = Decimal(rng.choice(["499.99", "500", "1999.99", "2000", "10000", "12"]))
        elif change == "category":
            listing.category = rng.choice(categories)
        elif change == "brand":
            listing.brand = rng.choice(brands)
        elif change == "inspected":
            listing.inspected_at = None if listing.inspected_at else timezone.now()
        elif change == "authenticated":
            listing.authenticated = not listing.authenticated
        else:
            listing.title += "!"
        listing.save()
    Listing.objects.filter(pk=listings[0].pk).update(status=ListingStatus.ACTIVE, grade="D")
    Listing.objects.filter(pk=listings[1].pk).delete()

    # then: the table holds what counting the listings gives, and a rebuild changes nothing
    assert _table() == _counted()
    listing_counts_rebuild()
    assert _table() == _counted()
