"""Scheduling and running a live show: who may host, the line-up, RSVPs and the show's timeline."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import OPERATIONS
from listings.models import ListingSource, ListingStatus
from live.errors import LiveError, NotYourShow
from live.models import Show, ShowItem, ShowRsvp, ShowStatus
from live.services.shows import (
    show_cancel,
    show_end,
    show_lineup_set,
    show_rsvp,
    show_rsvp_cancel,
    show_schedule,
    show_start,
)
from marketplace.errors import InvalidTransition
from notifications.models import Notification
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host

pytestmark = pytest.mark.django_db


def _host(username: str = "host"):
    user = a_host(username=username)
    return user


def _soon():
    return timezone.now() + timedelta(hours=2)


def _scheduled(host=None, items: int = 2) -> Show:
    host = host or _host()
    listings = [ListingFactory(seller=host) for _ in range(items)]
    return show_schedule(
        host=host, title="Phones, tested live", starts_at=_soon(), listing_ids=[x.pk for x in listings]
    )


def test_an_allowed_seller_schedules_a_show_of_their_own_listings():
    host = _host()
    first, second = ListingFactory(seller=host), ListingFactory(seller=host)

    show = show_schedule(
        host=host,
        title="  Phones,   tested live ",
        starts_at=_soon(),
        listing_ids=[second.pk, first.pk, second.pk],
    )

    assert show.status == ShowStatus.SCHEDULED
    assert show.title == "Phones, tested live"
    assert list(show.items.values_list("listing_id", "position")) == [(second.pk, 0), (first.pk, 1)]
    assert show.playback_url == f"/hls/{show.stream_name}.m3u8"
    assert show.ingest_key not in show.playback_url and len(show.ingest_key) >= 32
    assert [(event.old, event.new, event.text) for event in show.events.all()] == [
        ("", "scheduled", "Scheduled with 2 items in the line-up.")
    ]


def test_someone_without_the_permission_cannot_host():
    seller = UserFactory()
    listing = ListingFactory(seller=seller)

    with pytest.raises(LiveError) as raised:
        show_schedule(host=seller, title="Mine", starts_at=_soon(), listing_ids=[listing.pk])

    assert (raised.value.code, raised.value.status_code) == ("not_a_host", 403)
    assert not Show.objects.exists()


def test_a_staff_host_shows_reloops_stock_and_not_a_private_sellers_item():
    staff = UserFactory(username="staff")
    staff.groups.add(Group.objects.get(name=OPERATIONS))
    stock = ListingFactory(source=ListingSource.PLATFORM)
    consigned = ListingFactory(source=ListingSource.CONSIGNED)
    private = ListingFactory(source=ListingSource.PERSON)

    show = show_schedule(
        host=staff, title="Reloop picks", starts_at=_soon(), listing_ids=[stock.pk, consigned.pk]
    )
    assert show.platform is True
    with pytest.raises(LiveError) as raised:
        show_lineup_set(show_id=show.pk, by=staff, listing_ids=[stock.pk, private.pk])

    assert raised.value.code == "lineup_not_yours"
    assert list(show.items.values_list("listing_id", flat=True)) == [stock.pk, consigned.pk]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"title": " "}, "title_missing"),
        ({"title": "x" * 121}, "title_too_long"),
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_in_the_past"),
        ({"starts_at": timezone.now() + timedelta(days=31)}, "starts_too_far_ahead"),
        ({"listing_ids": []}, "lineup_empty"),
        ({"listing_ids": [99999999]}, "lineup_not_found"),
        ({"listing_ids": "someone else's"}, "lineup_not_yours"),
        ({"listing_ids": "sold"}, "lineup_not_on_sale"),
        ({"listing_ids": "draft"}, "lineup_not_found"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_writes_nothing(change, code):
    host = _host()
    own = ListingFactory(seller=host)
    others = {
        "someone else's": [ListingFactory().pk],
        "sold": [ListingFactory(seller=host, status=ListingStatus.SOLD).pk],
        "draft": [ListingFactory(seller=host, status=ListingStatus.DRAFT).pk],
    }
    arguments = {"title": "Show", "starts_at": _soon(), "listing_ids": [own.pk]} | change
    if isinstance(arguments["listing_ids"], str):
        arguments["listing_ids"] = others[arguments["listing_ids"]]

    with pytest.raises(LiveError) as raised:
        show_schedule(host=host, **arguments)

    assert raised.value.code == code
    assert raised.value.field in {"title", "starts_at", "listing_ids"}
    assert not Show.objects.exists() and not ShowItem.objects.exists()


def test_a_line_up_is_at_most_its_limit(settings):
    settings.LIVE_LINEUP_MAX = 2
    host = _host()
    listings = [ListingFactory(seller=host) for _ in range(3)]

    with pytest.raises(LiveError) as raised:
        show_schedule(host=host, title="Show", starts_at=_soon(), listing_ids=[x.pk for x in listings])

    assert raised.value.code == "lineup_too_long"
    assert "at most 2 items" in str(raised.value)


def test_going_live_tells_every_shopper_who_asked_once():
    show = _scheduled()
    shoppers = [UserFactory() for _ in range(3)]
    for shopper in shoppers:
        show_rsvp(show_id=show.pk, user=shopper)
    show_rsvp(show_id=show.pk, user=shoppers[0])  # asking twice keeps one RSVP
    show_rsvp_cancel(show_id=show.pk, user=shoppers[2])

    show = show_start(show_id=show.pk, by=show.host)

    assert show.status == ShowStatus.LIVE and show.started_at is not None
    told = Notification.objects.filter(kind="live.started")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([shoppers[0].pk, shoppers[1].pk])
    assert told.first().title == "Phones, tested live is live now"
    assert told.first().link == f"/live/{show.pk}/"  # the room, in each reader's language when opened
    assert show.events.last().text == "The host went live; 2 shoppers who asked were told."


def test_a_show_runs_scheduled_then_live_then_ended_and_no_other_way():
    show = _scheduled()
    host = show.host
    with pytest.raises(LiveError):
        show_end(show_id=show.pk, by=host)

    show_start(show_id=show.pk, by=host)
    with pytest.raises(LiveError):
        show_cancel(show_id=show.pk, by=host)
    show = show_end(show_id=show.pk, by=host)

    assert show.ended_at is not None
    assert [(event.old, event.new) for event in show.events.all()] == [
        ("", "scheduled"),
        ("scheduled", "live"),
        ("live", "ended"),
    ]
    with pytest.raises(LiveError) as raised:
        show_lineup_set(show_id=show.pk, by=host, listing_ids=[show.items.first().listing_id])
    assert raised.value.code == "show_over"
    with pytest.raises(LiveError) as raised:
        show_rsvp(show_id=show.pk, user=UserFactory())
    assert raised.value.code == "show_over"


def test_the_transition_table_refuses_a_move_it_does_not_list():
    from live.services.transitions import show_move

    show = _scheduled()
    with pytest.raises(InvalidTransition):
        show_move(show_id=show.pk, to=ShowStatus.ENDED, by=None)
    show.refresh_from_db()
    assert show.status == ShowStatus.SCHEDULED


def test_another_host_cannot_drive_your_show():
    show = _scheduled()
    other = _host("other-host")
    own = ListingFactory(seller=other)

    for drive in (
        lambda: show_start(show_id=show.pk, by=other),
        lambda: show_cancel(show_id=show.pk, by=other),
        lambda: show_lineup_set(show_id=show.pk, by=other, listing_ids=[own.pk]),
    ):
        with pytest.raises(NotYourShow) as raised:
            drive()
        assert raised.value.status_code == 403

    show.refresh_from_db()
    assert show.status == ShowStatus.SCHEDULED
    assert own.pk not in show.items.values_list("listing_id", flat=True)


def test_rsvp_rules():
    show = _scheduled()
    with pytest.raises(LiveError) as raised:
        show_rsvp(show_id=show.pk, user=show.host)
    assert raised.value.code == "own_show"
    with pytest.raises(LiveError) as raised:
        show_rsvp(show_id=999999, user=UserFactory())
    assert (raised.value.code, raised.value.status_code) == ("show_not_found", 404)
    show_start(show_id=show.pk, by=show.host)
    with pytest.raises(LiveError) as raised:
        show_rsvp(show_id=show.pk, user=UserFactory())
    assert raised.value.code == "already_live"
    assert not ShowRsvp.objects.exists()
