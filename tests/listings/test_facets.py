"""The filter panel counts only the results: per grade, per price band, inspected and authenticated,
each group with every other filter applied but its own."""

from decimal import Decimal

from django.utils import timezone

from listings.selectors import ChannelFilters, facet_counts
from tests.factories import CategoryFactory, ListingFactory


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
