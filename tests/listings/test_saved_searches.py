"""Saved searches: kept from the page the shopper is on, changed and removed only by their owner,
and one digest per user per run of the job for every due search with new items."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from listings.models import SavedSearch, SearchFrequency
from listings.notices import saved_searches_notify
from listings.services import MAX_SAVED_SEARCHES
from notifications.models import Notification
from tests.factories import BrandFactory, CategoryFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phones():
    return CategoryFactory(name="Phones", name_zh="手机", slug="phones")


def save(client, query="q=iphone", frequency="daily", **extra):
    return client.post(reverse("listings:search_save"), {"query": query, "frequency": frequency, **extra})


def test_a_search_is_saved_from_the_page_once_and_in_one_canonical_form(client, phones):
    BrandFactory(slug="apple")
    mei = UserFactory(username="mei")
    client.force_login(mei)
    page = client.get(reverse("listings:search"), {"q": "iphone", "inspected": "1"}).content.decode()
    assert "Save this search" in page

    response = save(
        client, "inspected=1&q=iphone&sort=price_asc&brand=apple&cursor=abc", next="/search/?q=iphone"
    )
    assert response.status_code == 302 and response["Location"] == "/search/?q=iphone"
    save(client, "q=iphone&brand=apple&inspected=on", frequency="instant")  # the same search again
    save(client, "", category="phones", frequency="weekly")

    searches = list(SavedSearch.objects.filter(user=mei).order_by("id"))
    assert [(s.query, s.category_id, s.frequency) for s in searches] == [
        ("q=iphone&brand=apple&inspected=1", None, SearchFrequency.INSTANT),
        ("", phones.pk, SearchFrequency.WEEKLY),
    ]
    listed = client.get(reverse("listings:saved_searches")).content.decode()
    assert "“iphone”" in listed and "Platform inspected" in listed
    assert 'href="/search/?q=iphone&amp;brand=apple&amp;inspected=1"' in listed
    assert 'href="/c/phones/"' in listed


@pytest.mark.parametrize(
    ("query", "frequency", "message"),
    [
        ("", "daily", "Search for some words, or choose a category or a filter"),
        ("sort=price_asc", "daily", "Search for some words, or choose a category or a filter"),
        ("q=iphone", "hourly", "Choose how often to hear of new items."),
        ("q=iphone", "", "Choose how often to hear of new items."),
    ],
)
def test_a_search_with_nothing_in_it_or_a_bad_frequency_is_refused(client, query, frequency, message):
    client.force_login(UserFactory(username="mei"))
    response = save(client, query, frequency)
    assert response.status_code == 302
    assert message in client.get(response["Location"]).content.decode()
    assert not SavedSearch.objects.exists()


def test_a_shopper_keeps_at_most_twenty(client):
    mei = UserFactory(username="mei")
    client.force_login(mei)
    for index in range(MAX_SAVED_SEARCHES + 1):
        save(client, f"q=camera{index}")
    assert SavedSearch.objects.filter(user=mei).count() == MAX_SAVED_SEARCHES


def test_only_the_owner_changes_or_removes_a_saved_search(client):
    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")
    theirs = SavedSearch.objects.create(user=lin, query="q=leica")
    client.force_login(mei)
    change = reverse("listings:saved_search_change", args=[theirs.pk])
    assert client.post(change, {"frequency": "instant"}).status_code == 404
    assert client.post(change, {"action": "remove"}).status_code == 404
    assert "leica" not in client.get(reverse("listings:saved_searches")).content.decode()
    theirs.refresh_from_db()
    assert theirs.frequency == SearchFrequency.DAILY

    mine = SavedSearch.objects.create(user=mei, query="q=fuji")
    client.post(reverse("listings:saved_search_change", args=[mine.pk]), {"frequency": "weekly"})
    mine.refresh_from_db()
    assert mine.frequency == SearchFrequency.WEEKLY
    client.post(reverse("listings:saved_search_change", args=[mine.pk]), {"action": "remove"})
    assert not SavedSearch.objects.filter(user=mei).exists()


def test_signed_out_the_pages_ask_to_sign_in(client):
    assert client.get(reverse("listings:saved_searches")).status_code == 302
    assert save(client).status_code == 302
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("rows", [3, 20])
def test_the_saved_searches_page_costs_the_same_queries_for_3_and_20(
    client, django_assert_num_queries, rows, phones
):
    mei = UserFactory(username="mei")
    for index in range(rows):
        SavedSearch.objects.create(
            user=mei, query=f"q=camera{index}&grade=A", category=phones if index % 2 else None
        )
    client.force_login(mei)
    client.get("/")
    # 1 the user, 1 the saved searches with their categories
    with django_assert_num_queries(2):
        response = client.get(reverse("listings:saved_searches"))
    assert response.content.decode().count('class="od-card ss-item"') == rows


# --- The job ------------------------------------------------------------------------------------------


def test_due_searches_with_new_items_send_one_digest_per_user(phones):
    now = timezone.now()
    earlier = now - timedelta(hours=2)
    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")
    SavedSearch.objects.create(
        user=mei, query="q=iphone", frequency=SearchFrequency.INSTANT, checked_until=earlier
    )
    SavedSearch.objects.create(
        user=mei,
        query="",
        category=phones,
        frequency=SearchFrequency.DAILY,
        checked_until=now - timedelta(days=2),
    )
    SavedSearch.objects.create(
        user=mei, query="q=leica", frequency=SearchFrequency.WEEKLY, checked_until=now - timedelta(days=2)
    )
    SavedSearch.objects.create(
        user=lin, query="q=hasselblad", frequency=SearchFrequency.INSTANT, checked_until=earlier
    )
    ListingFactory(
        title="iPhone 13", category=phones, price=Decimal("3000"), published_at=now - timedelta(hours=1)
    )
    ListingFactory(title="iPhone 12", category=phones, published_at=now - timedelta(days=3))  # seen before
    ListingFactory(title="Leica M6", published_at=now - timedelta(hours=1))  # weekly search not due

    assert saved_searches_notify(now=now) == 1

    (digest,) = Notification.objects.filter(kind="search.matches")
    assert digest.recipient == mei
    # the iPhone 13 counts once for each of the two due searches it matches
    assert digest.params == {"count": 2, "first": "iphone"}
    assert digest.link == "/searches/"
    assert saved_searches_notify(now=now + timedelta(minutes=10)) == 0  # nothing new since
    weekly = SavedSearch.objects.get(query="q=leica")
    assert weekly.checked_until == now - timedelta(days=2)  # not due, not looked at


def test_a_daily_search_waits_a_day_between_digests(phones):
    now = timezone.now()
    mei = UserFactory(username="mei")
    SavedSearch.objects.create(
        user=mei, query="q=iphone", frequency=SearchFrequency.DAILY, checked_until=now - timedelta(days=1)
    )
    ListingFactory(title="iPhone 13", published_at=now - timedelta(hours=1))
    assert saved_searches_notify(now=now) == 1
    ListingFactory(title="iPhone 14", published_at=now + timedelta(hours=1))
    assert saved_searches_notify(now=now + timedelta(hours=2)) == 0
    assert saved_searches_notify(now=now + timedelta(days=1, minutes=1)) == 1
    assert Notification.objects.filter(recipient=mei, kind="search.matches").count() == 2


def test_the_api_keeps_changes_and_removes_only_the_callers_searches(phones):
    from rest_framework.test import APIClient

    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")
    theirs = SavedSearch.objects.create(user=lin, query="q=leica")
    api = APIClient()
    assert api.get("/api/v1/saved-searches/").status_code in (401, 403)
    api.force_authenticate(mei)

    made = api.post(
        "/api/v1/saved-searches/",
        {"query": "q=iphone&inspected=1", "category": "phones", "frequency": "instant"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["query"] == "q=iphone&inspected=1"
    empty = api.post("/api/v1/saved-searches/", {"query": "", "frequency": "daily"}, format="json")
    assert empty.status_code == 400 and empty.json()["code"] == "empty_search"
    bad = api.post("/api/v1/saved-searches/", {"query": "q=x", "frequency": "hourly"}, format="json")
    assert bad.status_code == 400
    assert [row["id"] for row in api.get("/api/v1/saved-searches/").json()] == [made.json()["id"]]

    mine = f"/api/v1/saved-searches/{made.json()['id']}/"
    assert api.patch(mine, {"frequency": "weekly"}, format="json").json()["frequency"] == "weekly"
    assert (
        api.patch(f"/api/v1/saved-searches/{theirs.pk}/", {"frequency": "weekly"}, format="json").status_code
        == 404
    )
    assert api.delete(f"/api/v1/saved-searches/{theirs.pk}/").status_code == 404
    assert api.delete(mine).status_code == 204
    assert list(SavedSearch.objects.values_list("user__username", "frequency")) == [("lin", "daily")]


def test_searches_not_yet_due_do_not_crowd_out_due_ones():
    now = timezone.now()
    mei = UserFactory(username="mei")
    for index in range(3):  # checked an hour ago, daily: not due
        SavedSearch.objects.create(user=mei, query=f"q=camera{index}", checked_until=now - timedelta(hours=1))
    due = SavedSearch.objects.create(
        user=UserFactory(username="lin"),
        query="q=iphone",
        frequency=SearchFrequency.INSTANT,
        checked_until=now - timedelta(hours=1),
    )
    ListingFactory(title="iPhone 13", published_at=now - timedelta(minutes=30))

    assert saved_searches_notify(now=now, limit=2) == 1
    due.refresh_from_db()
    assert due.checked_until == now
    assert Notification.objects.get(kind="search.matches").recipient.username == "lin"
