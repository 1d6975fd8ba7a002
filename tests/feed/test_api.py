"""The feed through the API: the next items with why, never the same twice until asked to start over,
the personalisation switch, and the shopper's history, which they can clear."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from feed.models import FeedSettings, InterestSignal, ItemNeighbour, SignalKind
from feed.ranking import feed_page
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_feed_says_why_and_never_repeats_until_asked(django_assert_num_queries):
    shopper = UserFactory()
    leica = ListingFactory(title="Leica M6", published_at=timezone.now() - timedelta(days=60))
    rollei = ListingFactory(title="Rolleiflex", published_at=timezone.now() - timedelta(days=60))
    ItemNeighbour.objects.create(listing=leica, neighbour=rollei, score=0.9)
    InterestSignal.objects.create(user=shopper, listing=leica, kind=SignalKind.OFFER)
    for n in range(20):
        ListingFactory(title=f"New {n}")
    client = _client(shopper)
    feed_page(user_id=None)  # another reader's page: the process now holds the new and cheaper items

    # the settings; the history; the neighbours; the page's items as they are now
    with django_assert_num_queries(4):
        first = client.get("/api/v1/feed/").json()
    assert first["personalised"] is True and len(first["items"]) == 12
    top = first["items"][0]
    assert (top["title"], top["reason"], top["reason_params"]) == (
        "Rolleiflex",
        "because.offer",
        {"title": "Leica M6"},
    )
    assert top["why"] == "Because you made an offer on “Leica M6”"
    zh = client.get("/api/v1/feed/?again=1", headers={"accept-language": "zh-hans"}).json()
    assert zh["items"][0]["why"] == "因为你对“Leica M6”出过价"

    second = client.get("/api/v1/feed/").json()
    assert not {item["listing"] for item in second["items"]} & {item["listing"] for item in zh["items"]}


def test_the_switch_and_the_history():
    shopper, other = UserFactory(), UserFactory()
    camera = ListingFactory(title="Leica M6")
    InterestSignal.objects.create(user=shopper, listing=camera, kind=SignalKind.FAVOURITE)
    InterestSignal.objects.create(user=other, listing=camera, kind=SignalKind.VIEW)
    client = _client(shopper)

    assert client.get("/api/v1/feed/settings/").json() == {"personalised": True}
    assert client.put("/api/v1/feed/settings/", {"personalised": False}, format="json").json() == {
        "personalised": False
    }
    assert FeedSettings.objects.get(user=shopper).personalised is False
    assert client.get("/api/v1/feed/").json()["personalised"] is False
    refused = client.put("/api/v1/feed/settings/", {"personalised": "maybe"}, format="json")
    assert refused.status_code == 400 and "personalised" in refused.json()

    assert [row["title"] for row in client.get("/api/v1/feed/history/").json()] == ["Leica M6"]
    assert client.delete("/api/v1/feed/history/").status_code == 204
    assert client.get("/api/v1/feed/history/").json() == []
    assert InterestSignal.objects.filter(user=other).count() == 1  # only one's own
    assert _client().get("/api/v1/feed/").status_code in (401, 403)


def test_a_switch_made_through_the_api_reaches_the_pages(client):
    shopper = UserFactory()
    client.force_login(shopper)
    assert "Picked from what you look at." in client.get("/for-you/").content.decode()  # cached: on

    _client(shopper).put("/api/v1/feed/settings/", {"personalised": False}, format="json")

    assert "New and popular, the same for everyone." in client.get("/for-you/").content.decode()
