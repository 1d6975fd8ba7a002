"""The item's clips as the apps below live read them (listings.explanations, answered by live through
the `listing_explained` signal): newest first, bounded, one query down the clip_listing_newest index."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listings.explanations import clock, explanation_clips
from tests.factories import ListingFactory
from tests.live.clip_fixtures import a_clip

pytestmark = pytest.mark.django_db


def test_an_items_clips_come_newest_first_with_their_show_and_moment(django_assert_num_queries):
    bag, other = ListingFactory(), ListingFactory()
    pinned = timezone.now() - timedelta(days=1)
    older = a_clip(bag, title="First show", pinned_at=pinned - timedelta(days=1), offset="61.00")
    newer = a_clip(bag, title="Second show", pinned_at=pinned, offset="3725.40", seconds="12.25")
    a_clip(other, title="Someone else's show")

    with django_assert_num_queries(1):
        clips = explanation_clips(listing_id=bag.pk)

    assert [clip.show_title for clip in clips] == ["Second show", "First show"]
    first = clips[0]
    assert (first.video_url, first.poster_url) == (newer.video_url, newer.poster_url)
    assert (first.pinned_at, first.offset, first.duration) == (pinned, Decimal("3725.40"), Decimal("12.25"))
    assert (first.width, first.height) == (640, 360)
    assert first.offset_clock == "1:02:05" and clips[1].offset_clock == "0:01:01"
    assert [clip.video_url for clip in explanation_clips(listing_id=bag.pk, limit=1)] == [newer.video_url]
    assert older.video_url in [clip.video_url for clip in clips]
    assert explanation_clips(listing_id=ListingFactory().pk) == []


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00:00"), (59.99, "0:00:59"), (600, "0:10:00"), (36000, "10:00:00")]
)
def test_a_moment_in_the_show_reads_as_a_player_shows_it(seconds, shown):
    assert clock(seconds) == shown


@pytest.mark.postgres
def test_the_clips_of_an_item_are_read_down_their_index_at_a_million_clips():
    listings = [ListingFactory() for _ in range(20)]
    for number in range(100):
        a_clip(listings[number % 20])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE live_showclip")
        # What the planner reads as the table's size, as in tests/listings/test_query_plans.py.
        cursor.execute(
            "UPDATE pg_class SET reltuples = 1000000 WHERE oid = 'live_showclip'::regclass "
            "OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'live_showclip'::regclass)"
        )

    with CaptureQueriesContext(connection) as captured:
        explanation_clips(listing_id=listings[0].pk, limit=3)

    (query,) = captured.captured_queries
    sql = query["sql"]
    if sql.startswith("PREPARE"):  # marketplace/prepared_statements.py: explain its EXECUTE
        sql = sql.rsplit("; ", 1)[1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0][0]["Plan"]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    scans = {node.get("Index Name") for node in nodes(plan) if node.get("Relation Name") == "live_showclip"}
    assert scans == {"clip_listing_newest"}, plan
    assert plan["Total Cost"] < 2_000, plan
