"""The cache's Redis stops in the middle of a session and starts again: no page fails, nobody is signed
out, nothing written meanwhile is lost, and the cache is used again once it is back.

The Redis stopped here is a throwaway server of the test's own (tests/outages.py), used as the cache
with the settings REDIS_URL gives (django-redis, errors ignored). Requests commit for real, so that
what runs after commit (forgetting cached pages) runs as in production.
"""

import pytest
import redis
from django.test import Client
from django.urls import reverse

from listings.models import ListingStatus
from orders.models import Order, OrderStatus
from tests.factories import CategoryFactory, ListingFactory, UserFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-password"


def _pages(listing) -> dict[str, str]:
    return {
        "home": reverse("listings:home"),
        "category": reverse("listings:category", args=[listing.category.slug]),
        "search": reverse("listings:search") + "?q=iPhone",
        "listing": reverse("listings:detail", args=[listing.pk]),
        "listings API": "/api/v1/listings/",
        "listing API": f"/api/v1/listings/{listing.pk}/",
    }


def _assert_every_page_serves(client: Client, listing) -> None:
    for name, url in _pages(listing).items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"


def _signed_in_as(client: Client) -> str:
    return client.get(reverse("orders:list")).wsgi_request.user.get_username()


def test_pages_sessions_and_buy_now_survive_the_cache_going_away_and_coming_back(settings, throwaway_redis):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": throwaway_redis.url}}
    cache_server = redis.Redis.from_url(throwaway_redis.url)
    phones = CategoryFactory(slug="phones", name="Phones")
    listing = ListingFactory(category=phones, title="iPhone 13, 128 GB")
    UserFactory(username="shopper")
    UserFactory(username="latecomer")

    # given: a shopper signed in and browsing while the cache is up (pages and the session cached)
    shopper = Client()
    assert (
        shopper.post(reverse("accounts:login"), {"username": "shopper", "password": PASSWORD}).status_code
        == 302
    )
    _assert_every_page_serves(shopper, listing)
    assert cache_server.dbsize() > 0

    # when: the cache's Redis dies
    throwaway_redis.stop()

    # then: every page serves from the database, the shopper is still signed in, a new sign-in works
    _assert_every_page_serves(shopper, listing)
    _assert_every_page_serves(Client(), listing)
    assert _signed_in_as(shopper) == "shopper"
    latecomer = Client()
    assert latecomer.get(reverse("accounts:login")).status_code == 200
    signed_in = latecomer.post(reverse("accounts:login"), {"username": "latecomer", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert _signed_in_as(latecomer) == "latecomer"

    # and "Buy now" reserves the item and opens checkout, once
    bought = shopper.post(reverse("orders:buy", args=[listing.pk]))
    order = Order.objects.get(listing=listing)
    assert bought.status_code == 302
    assert bought["Location"] == reverse("orders:pay", args=[order.number])
    assert (order.buyer.username, order.status) == ("shopper", OrderStatus.PENDING_PAYMENT)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    assert "Buy now" not in latecomer.get(reverse("listings:detail", args=[listing.pk])).content.decode()

    # when: the cache comes back, empty
    throwaway_redis.start()

    # then: both stay signed in, pages show what was written meanwhile, and the cache fills again
    assert _signed_in_as(shopper) == "shopper"
    assert _signed_in_as(latecomer) == "latecomer"
    _assert_every_page_serves(latecomer, listing)
    assert "Buy now" not in latecomer.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert cache_server.dbsize() > 0
    assert Order.objects.filter(listing=listing).count() == 1
