"""The channel's queries keep their plans at a million listings: PostgreSQL is told the table holds
1,000,000 rows (pg_class, as ANALYZE of a table that size would say, with the column statistics of
a channel-shaped sample), and EXPLAIN shows each page's query reading an index range, never the
table, and costing what a page costs, not what the table costs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listings.models import ListingStatus
from listings.selectors import (
    ChannelFilters,
    category_by_slug,
    facet_counts,
    listing_for_detail,
    listings_for_channel,
)
from tests.factories import BrandFactory, CategoryFactory, ListingFactory

pytestmark = pytest.mark.postgres

LISTINGS = 1_000_000
# A page's plan costs a few hundred of PostgreSQL's units; reading a million rows costs tens of
# thousands (a sequential scan alone is about 1 per page of 8 kB and 0.01 per row).
PAGE_COST = 2_000
# Counting up to FACET_SCAN_LIMIT matches reads that many rows by their key, a few units each.
BOUNDED_COUNT_COST = 8_000


@pytest.fixture
def channel(db):
    """A channel-shaped sample of 300 listings (a parent category with three leaves and a small one; 94 % on sale),
    analysed, then scaled to a million rows in the planner's eyes."""
    electronics = CategoryFactory(slug="electronics")
    leaves = [CategoryFactory(slug=f"leaf-{index}", parent=electronics) for index in range(3)]
    rare = CategoryFactory(slug="rare")
    brands = [BrandFactory() for _ in range(5)]
    now = timezone.now()
    for index in range(300):
        ListingFactory(
            category=rare if index % 50 == 0 else leaves[index % 3],
            brand=brands[index % 5],
            title=f"{'iPhone' if index % 7 == 0 else 'Camera'} {index}",
            price=Decimal(100 + index * 17 % 20000),
            grade="NSABCD"[index % 6],
            status=ListingStatus.ACTIVE if index % 17 else ListingStatus.SOLD,
            published_at=now - timedelta(minutes=index),
            inspected_at=now if index % 5 == 0 else None,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE listings_listing")
        # What the planner reads as the table's size: rows per page times the pages on disk.
        # The planner scales reltuples by the pages on disk over relpages: with relpages as they are,
        # it reads a million rows.
        cursor.execute(
            "UPDATE pg_class SET reltuples = %s WHERE oid = 'listings_listing'::regclass "
            "OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'listings_listing'::regclass)",
            [LISTINGS],
        )
    return electronics


def _plans(run) -> list[dict]:
    """The plans of the queries `run` makes that read listings."""
    with CaptureQueriesContext(connection) as captured:
        run()
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("PREPARE"):  # marketplace/prepared_statements.py: explain its EXECUTE
                sql = sql.rsplit("; ", 1)[1]
            if ("listings_listing" in query["sql"] or sql.startswith("EXECUTE")) and not sql.startswith(
                "EXPLAIN"
            ):
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plans.append(cursor.fetchone()[0][0]["Plan"])
    assert plans
    return plans


def _nodes(plan: dict, limited: bool = False):
    """Every node of a plan, with whether a Limit above it stops it early."""
    yield plan, limited
    for child in plan.get("Plans", []):
        yield from _nodes(child, limited or plan["Node Type"] == "Limit")


def _assert_reads_a_page(run, *, cost: int = PAGE_COST) -> None:
    for plan in _plans(run):
        # The whole table is read only where a limit stops the scan after a page's worth of rows.
        unbounded = [
            node["Node Type"]
            for node, limited in _nodes(plan)
            if node["Node Type"] == "Seq Scan"
            and node.get("Relation Name") == "listings_listing"
            and not limited
        ]
        assert not unbounded, plan
        assert plan["Total Cost"] < cost, plan


def test_a_category_page_reads_an_index_range_first_page_and_deep(channel):
    filters = ChannelFilters(category=category_by_slug("electronics"))
    _assert_reads_a_page(lambda: listings_for_channel(filters=filters, sort="newest", cursor=None))
    page = listings_for_channel(filters=filters, sort="newest", cursor=None, size=150)
    assert page.next_cursor is not None  # a page deep into the category
    _assert_reads_a_page(
        lambda: listings_for_channel(filters=filters, sort="newest", cursor=page.next_cursor)
    )
    _assert_reads_a_page(lambda: listings_for_channel(filters=filters, sort="price_asc", cursor=None))


def test_a_price_ordered_page_walks_the_price_index_and_reads_only_its_own_rows(channel):
    # A category with subcategories in price order (one leaf has an index of its own) passes over
    # the cheaper listings of other categories and of other grades: the walk reads the covering
    # index alone, and the table only for the page's rows.
    filters = ChannelFilters(category=category_by_slug("electronics"), grades=("N", "S"))
    for sort in ("price_asc", "price_desc"):
        plans = _plans(lambda sort=sort: listings_for_channel(filters=filters, sort=sort, cursor=None))
        nodes = [node for plan in plans for node, _limited in _nodes(plan)]
        walks = [node for node in nodes if node.get("Index Name") == "listing_price_cover"]
        assert [node["Node Type"] for node in walks] == ["Index Only Scan"], nodes
        table_reads = [node for node in nodes if node.get("Relation Name") == "listings_listing"]
        assert {node.get("Index Name") for node in table_reads} == {
            "listing_price_cover",
            "listings_listing_pkey",
        }


def test_a_small_category_and_filters_read_an_index_range(channel):
    rare = ChannelFilters(category=category_by_slug("rare"))
    _assert_reads_a_page(lambda: listings_for_channel(filters=rare, sort="newest", cursor=None))
    filtered = ChannelFilters(
        category=category_by_slug("electronics"),
        grades=("A", "B"),
        price_min=Decimal(500),
        inspected_only=True,
    )
    _assert_reads_a_page(lambda: listings_for_channel(filters=filtered, sort="newest", cursor=None))


def test_search_reads_the_search_index(channel):
    for filters, sort in (
        (ChannelFilters(q="iphone"), "newest"),
        (ChannelFilters(q="camera", category=category_by_slug("electronics")), "newest"),
        (ChannelFilters(q="camera", category=category_by_slug("electronics")), "relevance"),
    ):
        plans = _plans(
            lambda filters=filters, sort=sort: listings_for_channel(filters=filters, sort=sort, cursor=None)
        )
        indexes = {node.get("Index Name") for plan in plans for node, _limited in _nodes(plan)}
        # The newest matches, walked in the covering index of the listings on sale (which reads no
        # table rows once they are all-visible, which rows just written are not), or the words' index.
        assert indexes & {"listing_search_gin", "listing_channel_cover"}, indexes
        # Ranked, only the page's rows are read from the table: the window's ranks come from the index.
        table_reads = [
            node
            for plan in plans
            for node, _limited in _nodes(plan)
            if node.get("Relation Name") == "listings_listing"
        ]
        assert all(node["Node Type"] != "Seq Scan" for node in table_reads), table_reads


def test_a_search_for_inspected_items_walks_the_inspected_listings_alone(channel):
    # "camera" is in most of the sample: the newest matches are found by walking an index, and with
    # the inspected filter that is the index of the inspected listings, a fifth as long to walk.
    for sort in ("newest", "relevance"):
        filters = ChannelFilters(q="camera", inspected_only=True, grades=("A", "B", "C"))
        plans = _plans(
            lambda filters=filters, sort=sort: listings_for_channel(filters=filters, sort=sort, cursor=None)
        )
        indexes = {node.get("Index Name") for plan in plans for node, _limited in _nodes(plan)}
        assert "listing_inspected_cover" in indexes, indexes


def test_the_panel_counts_read_the_facet_table_or_a_bounded_number_of_matches(channel):
    category = ChannelFilters(category=category_by_slug("electronics"), grades=("A",))
    with CaptureQueriesContext(connection) as captured:
        facet_counts(category)
    assert not any("listings_listing" in query["sql"] for query in captured.captured_queries)
    # A word most of a million listings have: the planner's estimate says so, and nothing is counted.
    with CaptureQueriesContext(connection) as captured:
        assert not facet_counts(ChannelFilters(q="camera")).exact
    reads = [
        query["sql"].split()[0] for query in captured.captured_queries if "listings_listing" in query["sql"]
    ]
    assert reads == ["EXPLAIN"]
    # Words the statistics do not know as common are counted, up to FACET_SCAN_LIMIT matches, through
    # the words' index: none of the sample has "walkman", and a million listings might have a few.
    _assert_reads_a_page(lambda: facet_counts(ChannelFilters(q="walkman")), cost=BOUNDED_COUNT_COST)


def test_the_detail_page_reads_one_row(channel):
    listing_id = channel.listings.model.objects.filter(status=ListingStatus.ACTIVE).values_list(
        "pk", flat=True
    )[0]
    _assert_reads_a_page(lambda: listing_for_detail(listing_id=listing_id, viewer=None))
