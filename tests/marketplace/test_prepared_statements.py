"""The hottest lookups by key run as PostgreSQL prepared statements, planned once per connection."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.selectors import listing_for_detail
from marketplace import prepared_statements
from tests.factories import ListingFactory, UserFactory

SQL = "SELECT %s::int * 2, 'a%%b', %s::text"


def _run(value: int) -> tuple:
    with connection.cursor() as cursor:
        prepared_statements.execute(cursor, "test_double", SQL, [value, "x"])
        return cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the connection is closed in between: no test transaction around it
def test_a_statement_is_prepared_once_per_connection():
    # given: a connection that has not seen the statement
    connection.close()

    # when: it runs three times
    with CaptureQueriesContext(connection) as captured:
        results = [_run(value) for value in (1, 2, 3)]

    # then: the answers are the query's, each run is one query, and only the first prepares
    assert results == [(2, "a%b", "x"), (4, "a%b", "x"), (6, "a%b", "x")]
    sent = [query["sql"] for query in captured.captured_queries]
    assert len(sent) == 3
    assert sent[0].startswith(
        "PREPARE test_double AS SELECT $1::int * 2, 'a%b', $2::text; EXECUTE test_double("
    )
    assert all(sql.startswith("EXECUTE test_double(") for sql in sent[1:])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'test_double'")
        assert cursor.fetchone() == (1,)

    # when: the connection is replaced (CONN_MAX_AGE, an error), the new one prepares again
    connection.close()
    with CaptureQueriesContext(connection) as captured:
        assert _run(5) == (10, "a%b", "x")
    assert captured.captured_queries[0]["sql"].startswith("PREPARE test_double AS")


@pytest.mark.postgres
def test_switched_off_the_sql_runs_as_it_is(db, settings):
    settings.DB_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as captured:
        assert _run(4) == (8, "a%b", "x")
    assert captured.captured_queries[0]["sql"].startswith("SELECT 4::int * 2")


def test_a_listing_page_reads_the_same_prepared_or_not(db, settings):
    seller, viewer = UserFactory(), UserFactory()
    listing = ListingFactory(seller=seller)
    for prepared in (True, False, True):
        settings.DB_PREPARED_STATEMENTS = prepared
        for who in (None, viewer):
            found = listing_for_detail(listing_id=listing.pk, viewer=who)
            assert (found.pk, found.seller.pk, found.price, found.title) == (
                listing.pk,
                seller.pk,
                listing.price,
                listing.title,
            )
            assert found.is_favourite is False
