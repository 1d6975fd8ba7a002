"""Signals of interest: what a shopper does on an item is buffered once the act commits (Redis when
configured, a file in the embedded default), and a scheduled job writes the buffer in batches. The
shopper reads and clears their own history, and turns personalisation off; the choice is kept."""

import pytest
from django.db import transaction

from feed.models import FeedSettings, InterestSignal, SignalKind
from feed.recording import signal_record, signals_flush
from feed.tasks import flush_interest_signals
from listings.services import favourite_add
from marketplace import interest_buffer
from messaging.services import conversation_start, message_send
from orders.models import Order
from orders.services.offers import offer_counter, offer_make
from orders.signals import order_paid
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["redis", "file"])
def buffer(request, settings, tmp_path):
    """The buffer as configured: Redis (skipped without REDIS_URL), or the embedded default's file."""
    settings.VAR_DIR = tmp_path
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("needs REDIS_URL")
        interest_buffer._redis().delete(interest_buffer.KEY)
    else:
        settings.REDIS_URL = ""
    return request.param


def _signals(user=None):
    rows = InterestSignal.objects.order_by("id")
    if user is not None:
        rows = rows.filter(user=user)
    return [(row.kind, row.listing_id) for row in rows]


def test_a_favourite_a_message_an_offer_and_a_purchase_are_written_by_the_job(
    buffer, django_capture_on_commit_callbacks
):
    shopper, seller = UserFactory(), UserFactory()
    camera = ListingFactory(seller=seller, price="1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        favourite_add(user=shopper, listing_id=camera.pk)
        conversation = conversation_start(buyer=shopper, listing_id=camera.pk)
        message_send(conversation_id=conversation.pk, sender=shopper, body="Is the shutter accurate?")
        message_send(conversation_id=conversation.pk, sender=seller, body="Yes")  # the seller's: no signal
        offer = offer_make(buyer=shopper, listing_id=camera.pk, amount="900")
        offer_counter(offer_id=offer.pk, by=seller, amount="950")  # the seller's: no signal
        order = paid_order(buyer=shopper)
        order_paid.send(sender=Order, order=order)

    assert InterestSignal.objects.count() == 0  # buffered, not yet written
    assert flush_interest_signals() == 4

    assert _signals(shopper) == [
        (SignalKind.FAVOURITE, camera.pk),
        (SignalKind.MESSAGE, camera.pk),
        (SignalKind.OFFER, camera.pk),
        (SignalKind.PURCHASE, order.listing_id),
    ]
    assert _signals(seller) == []
    assert signals_flush() == 0  # each buffered signal is written once


def test_a_rolled_back_act_records_nothing(buffer, django_capture_on_commit_callbacks):
    shopper, camera = UserFactory(), ListingFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        favourite_add(user=shopper, listing_id=camera.pk)
        raise RuntimeError("the request failed")
    assert signals_flush() == 0


def test_the_job_drops_what_it_cannot_write_and_keeps_visitors_by_session(
    buffer, django_capture_on_commit_callbacks
):
    camera, shopper = ListingFactory(), UserFactory()
    gone = ListingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signal_record(kind=SignalKind.VIEW, listing_id=camera.pk, session_key="visitor-session")
        signal_record(kind=SignalKind.VIEW, listing_id=gone.pk, user_id=shopper.pk)
        signal_record(kind=SignalKind.VIEW, listing_id=camera.pk)  # nobody: not even buffered
    interest_buffer.push(
        {"kind": "stare", "listing": camera.pk, "user": shopper.pk, "at": "2026-12-07T10:00:00+00:00"}
    )
    interest_buffer.push({"kind": "view", "listing": "1; drop table", "user": None, "session": "s"})
    gone.delete()

    assert signals_flush() == 1
    row = InterestSignal.objects.get()
    assert (row.user_id, row.session_key, row.listing_id) == (None, "visitor-session", camera.pk)


def test_the_job_writes_a_bounded_batch_and_the_rest_next_time(buffer, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    items = [ListingFactory() for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        for item in items:
            signal_record(kind=SignalKind.VIEW, listing_id=item.pk, user_id=shopper.pk)
    assert signals_flush(limit=3) == 3
    assert signals_flush(limit=3) == 2
    assert sorted(listing for _kind, listing in _signals(shopper)) == sorted(item.pk for item in items)


def test_a_shopper_reads_and_clears_their_own_history(buffer, client, django_capture_on_commit_callbacks):
    shopper, other = UserFactory(), UserFactory()
    mine, theirs = ListingFactory(title="Leica M6"), ListingFactory(title="Someone else's bag")
    with django_capture_on_commit_callbacks(execute=True):
        favourite_add(user=shopper, listing_id=mine.pk)
        favourite_add(user=other, listing_id=theirs.pk)
    signals_flush()
    client.force_login(shopper)

    page = client.get("/feed/history/").content.decode()
    assert "Leica M6" in page and "Saved" in page and "Someone else" not in page

    # a signal still in the buffer when the shopper clears their history is not written after
    with django_capture_on_commit_callbacks(execute=True):
        signal_record(kind=SignalKind.VIEW, listing_id=mine.pk, user_id=shopper.pk)
    client.post("/feed/history/clear/")
    assert signals_flush() == 0
    assert _signals(shopper) == [] and _signals(other) == [(SignalKind.FAVOURITE, theirs.pk)]
    assert "Nothing yet" in client.get("/feed/history/").content.decode()
    assert client.get("/feed/history/clear/").status_code == 405


def test_the_history_page_costs_fixed_queries(client, django_assert_num_queries):
    shopper = UserFactory()
    for _ in range(6):
        InterestSignal.objects.create(user=shopper, listing=ListingFactory(), kind=SignalKind.VIEW)
    client.force_login(shopper)
    client.get("/feed/history/")
    # the signed-in user; the signals with their items (the personalisation setting is in the cache)
    with django_assert_num_queries(2):
        client.get("/feed/history/")


def test_personalisation_is_a_kept_choice(client):
    shopper = UserFactory()
    client.force_login(shopper)
    assert "checked" in client.get("/feed/history/").content.decode()  # on until turned off

    client.post("/feed/personalisation/", {"next": "https://elsewhere.example/"})
    assert FeedSettings.objects.get(user=shopper).personalised is False
    assert 'name="personalised" checked' not in client.get("/feed/history/").content.decode()
    answer = client.post("/feed/personalisation/", {"personalised": "on", "next": "/feed/history/"})
    assert answer["Location"] == "/feed/history/"
    assert FeedSettings.objects.get(user=shopper).personalised is True
    client.logout()
    assert client.get("/feed/history/").status_code == 302


def test_an_items_page_says_it_was_seen_and_looked_at_closely(
    buffer, client, django_capture_on_commit_callbacks
):
    shopper, camera = UserFactory(), ListingFactory(title="Leica M6")
    client.force_login(shopper)
    page = client.get(f"/l/{camera.pk}/").content.decode()
    assert f'<meta name="interest-listing" content="{camera.pk}" data-url="/feed/seen/">' in page
    assert "js/interest.js" in page

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/feed/seen/", {"listing": camera.pk, "kind": "view"}).status_code == 204
        assert client.post("/feed/seen/", {"listing": camera.pk, "kind": "dwell"}).status_code == 204
        for bad in (
            {"listing": camera.pk, "kind": "purchase"},
            {"listing": "x", "kind": "view"},
            {"kind": "view"},
        ):
            assert client.post("/feed/seen/", bad).status_code == 400
    signals_flush()
    assert _signals(shopper) == [(SignalKind.VIEW, camera.pk), (SignalKind.DWELL, camera.pk)]

    # the seller's own looks are not signals
    client.force_login(camera.seller)
    assert "interest-listing" not in client.get(f"/l/{camera.pk}/").content.decode()


def test_a_visitor_is_followed_by_a_session_made_for_them(buffer, client, django_capture_on_commit_callbacks):
    camera = ListingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/feed/seen/", {"listing": camera.pk, "kind": "view"}).status_code == 204
    signals_flush()
    row = InterestSignal.objects.get()
    assert row.user_id is None and row.session_key == client.session.session_key != ""


def test_the_beacon_needs_the_pages_csrf_token(buffer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    camera = ListingFactory()
    assert strict.post("/feed/seen/", {"listing": camera.pk, "kind": "view"}).status_code == 403
