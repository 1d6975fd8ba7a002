"""Live shows through the API: a host schedules and drives a show, shoppers RSVP, grab, wait in line
and chat; refusals carry their code; the list and the show cost a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from listings.models import ListingStatus
from live.models import ChatMessage, Show, ShowStatus
from notifications.models import Notification
from orders.models import Order
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def host():
    user = a_host(username="host")
    return user


def _schedule(host, listings) -> dict:
    response = _client(host).post(
        "/api/v1/shows/",
        {
            "title": "Film cameras, tested live",
            "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "listings": [x.pk for x in listings],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_show_from_schedule_to_a_grab_and_the_wait_list(host):
    listings = [ListingFactory(seller=host, price="1200.00") for _ in range(2)]
    shopper, late, viewer = UserFactory(), UserFactory(), UserFactory()

    # the host schedules; anyone sees it coming, only the host sees the ingest key
    show = _schedule(host, listings)
    assert [item["listing"] for item in show["lineup"]] == [x.pk for x in listings]
    assert show["stream_key"].endswith(Show.objects.get(pk=show["id"]).ingest_key)
    assert show["playback_url"].endswith(".m3u8") and show["rtmp_url"].startswith("rtmp://")
    public = _client().get(f"/api/v1/shows/{show['id']}/").json()
    assert public["stream_key"] is None and public["status"] == "scheduled"
    assert Show.objects.get(pk=show["id"]).ingest_key not in str(public)
    assert [card["id"] for card in _client().get("/api/v1/shows/").json()] == [show["id"]]

    # a shopper RSVPs; the host goes live and they are told
    assert _client(shopper).post(f"/api/v1/shows/{show['id']}/rsvp/").json()["rsvped"] is True
    assert _client(host).post(f"/api/v1/shows/{show['id']}/start/").json()["status"] == "live"
    assert Notification.objects.filter(recipient=shopper, kind="live.started").count() == 1

    # the host pins an item and starts a flash sale
    pinned = _client(host).post(
        f"/api/v1/shows/{show['id']}/pin/", {"listing": listings[0].pk}, format="json"
    )
    assert pinned.json()["pinned"]["listing"] == listings[0].pk
    started = _client(host).post(
        f"/api/v1/shows/{show['id']}/flash-sales/", {"seconds": 30, "price": "999"}, format="json"
    )
    assert started.status_code == 201
    sale = started.json()["flash_sale"]
    assert (sale["price"], sale["status"]) == ("999.00", "open")

    # the first grab reserves it; the next is told it is gone and waits in line
    won = _client(shopper).post(f"/api/v1/flash-sales/{sale['id']}/grab/")
    gone = _client(late).post(f"/api/v1/flash-sales/{sale['id']}/grab/")
    again = _client(shopper).post(f"/api/v1/flash-sales/{sale['id']}/grab/")
    assert won.status_code == 201 and won.json()["price"] == "999.00"
    assert Order.objects.get(number=won.json()["order"]).buyer == shopper
    assert (gone.status_code, gone.json()["code"]) == (409, "gone")
    assert (again.status_code, again.json()["code"]) == (400, "already_yours")
    assert listings[0].__class__.objects.get(pk=listings[0].pk).status == ListingStatus.RESERVED
    assert _client(late).post(f"/api/v1/flash-sales/{sale['id']}/waitlist/").json() == {"place": 1}

    # the chat: contact details hidden, a moderator removes a message
    posted = _client(viewer).post(
        f"/api/v1/shows/{show['id']}/chat/", {"text": "call 13812345678"}, format="json"
    )
    assert posted.status_code == 201 and "13812345678" not in posted.json()["text"]
    assert [m["id"] for m in _client().get(f"/api/v1/shows/{show['id']}/chat/").json()] == [
        posted.json()["id"]
    ]
    assert _client(viewer).delete(f"/api/v1/chat/{posted.json()['id']}/").status_code == 403
    assert _client(host).delete(f"/api/v1/chat/{posted.json()['id']}/").status_code == 204
    assert _client().get(f"/api/v1/shows/{show['id']}/chat/").json() == []

    # the host mutes the viewer, who can no longer write
    assert (
        _client(host)
        .post(f"/api/v1/shows/{show['id']}/mutes/", {"user": viewer.pk}, format="json")
        .status_code
        == 204
    )
    muted = _client(viewer).post(f"/api/v1/shows/{show['id']}/chat/", {"text": "hello"}, format="json")
    assert (muted.status_code, muted.json()["code"]) == (403, "muted")
    assert ChatMessage.objects.filter(removed_at__isnull=True).count() == 0


def test_another_host_cannot_drive_the_show_and_nothing_changes(host):
    show = _schedule(host, [ListingFactory(seller=host)])
    other = a_host(username="other-host")
    own = ListingFactory(seller=other)

    for method, path, data in (
        ("post", "start/", None),
        ("post", "cancel/", None),
        ("put", "lineup/", {"listings": [own.pk]}),
        ("post", "pin/", {"listing": own.pk}),
        ("post", "flash-sales/", {"seconds": 30, "price": "1"}),
        ("post", "moderators/", {"user": other.pk}),
    ):
        response = getattr(_client(other), method)(f"/api/v1/shows/{show['id']}/{path}", data, format="json")
        assert (response.status_code, response.json()["code"]) == (403, "not_your_show"), path
    assert Show.objects.get(pk=show["id"]).status == ShowStatus.SCHEDULED


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"title": "", "listings": []}, "title_missing", "title"),
        ({"title": "Show", "listings": []}, "lineup_empty", "listings"),
        ({"title": "Show", "listings": ["x"]}, None, "listings"),
        ({"title": "Show", "starts_at": "yesterday"}, None, "starts_at"),
    ],
)
def test_bad_schedules_answer_400_with_the_field(host, data, code, field):
    body = {
        "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        "listings": [ListingFactory(seller=host).pk],
    }
    response = _client(host).post("/api/v1/shows/", body | data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if code:
        assert response.json()["code"] == code
    assert not Show.objects.exists()


def test_unknown_things_are_404_and_a_visitor_must_sign_in(host):
    assert _client().get("/api/v1/shows/999999/").status_code == 404
    assert _client(host).post("/api/v1/shows/999999/start/").status_code == 404
    assert _client(host).post("/api/v1/flash-sales/999999/grab/").status_code == 404
    assert _client(host).delete("/api/v1/chat/999999/").status_code == 404
    assert _client().post("/api/v1/shows/", {}, format="json").status_code in (401, 403)


def test_the_list_and_a_show_cost_fixed_queries(host, django_assert_num_queries):
    shows = [_schedule(host, [ListingFactory(seller=host) for _ in range(3)]) for _ in range(4)]
    # the list: 1 (shows with their hosts and line-up sizes), whatever their number
    with django_assert_num_queries(1):
        assert len(_client().get("/api/v1/shows/").json()) == 4
    # a show: the show with its host, the line-up with listings and brands, the pin, the flash sale
    # (a visitor: no RSVP to look up)
    with django_assert_num_queries(4):
        assert len(_client().get(f"/api/v1/shows/{shows[0]['id']}/").json()["lineup"]) == 3


def test_clips_of_a_show_or_an_item_in_one_query(django_assert_num_queries):
    from tests.live.clip_fixtures import a_clip

    bag, watch = ListingFactory(title="Kelly 28"), ListingFactory(title="Datejust")
    first = a_clip(bag, offset="12.00", seconds="30.00")
    a_clip(bag, title="Another show")
    a_clip(watch)

    with django_assert_num_queries(1):
        of_bag = _client().get(f"/api/v1/clips/?listing={bag.pk}").json()
    assert [clip["show_title"] for clip in of_bag] == ["Another show", "Bags and watches, explained"]
    assert of_bag[1]["video_url"] == first.video_url and of_bag[1]["duration"] == "30.00"
    assert of_bag[1]["offset"] == "12.00" and of_bag[1]["title"] == "Kelly 28"

    of_show = _client().get(f"/api/v1/clips/?show={first.show_id}").json()
    assert [clip["id"] for clip in of_show] == [first.pk]

    for query in ("", f"?show={first.show_id}&listing={bag.pk}", "?listing=abc", "?show=0"):
        refused = _client().get(f"/api/v1/clips/{query}")
        assert refused.status_code == 400, query
    assert _client().get("/api/v1/clips/?listing=999999").json() == []


def test_a_show_gives_its_cover(host):
    show = _schedule(host, [ListingFactory(seller=host)])
    assert show["cover"] is None
    Show.objects.filter(pk=show["id"]).update(cover_key="ab" * 16)
    cover = _client().get(f"/api/v1/shows/{show['id']}/").json()["cover"]
    assert cover.endswith(f"/listings/ab/{'ab' * 16}-480.webp")
    assert _client().get("/api/v1/shows/").json()[0]["cover"] == cover
