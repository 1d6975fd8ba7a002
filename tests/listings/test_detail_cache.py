"""The detail page's cached body: what is shared, what stays per viewer, and that changes show at once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from listings.models import ListingStatus
from listings.services import favourite_add, listing_update, listing_withdraw
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(listing) -> str:
    return reverse("listings:detail", args=[listing.pk])


def test_a_warm_page_costs_no_query_for_a_visitor(client, django_assert_num_queries):
    listing = ListingFactory(title="Leica Q2")
    client.get(_url(listing))

    with django_assert_num_queries(0):  # everything comes from the cached body
        response = client.get(_url(listing))

    assert "Leica Q2" in response.content.decode()
    assert "Sign in to save" in response.content.decode()


def test_a_warm_page_costs_two_queries_signed_in(client, django_assert_num_queries):
    listing = ListingFactory()
    client.get(_url(listing))
    client.force_login(UserFactory())

    # 1 the user (the session is in the cache), 1 whether they saved this listing
    with django_assert_num_queries(2):
        client.get(_url(listing))


def test_the_favourite_button_belongs_to_each_viewer_not_to_the_cache(client):
    listing = ListingFactory()
    saver, other = UserFactory(), UserFactory()
    favourite_add(user=saver, listing_id=listing.pk)

    client.force_login(saver)
    assert 'aria-pressed="true"' in client.get(_url(listing)).content.decode()
    client.force_login(other)
    page = client.get(_url(listing)).content.decode()

    assert 'aria-pressed="false"' in page
    assert 'aria-pressed="true"' not in page


def test_a_price_change_shows_at_once(client, django_capture_on_commit_callbacks):
    listing = ListingFactory(price=Decimal("1500.00"))
    assert "1,500.00" in client.get(_url(listing)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        listing_update(listing_id=listing.pk, seller=listing.seller, price=Decimal("1350.00"))

    page = client.get(_url(listing)).content.decode()
    assert "1,350.00" in page
    assert "1,500.00" not in page


def test_a_withdrawn_listing_is_gone_at_once_for_shoppers(client, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    assert client.get(_url(listing)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        listing_withdraw(listing_id=listing.pk, seller=listing.seller)

    assert client.get(_url(listing)).status_code == 404
    client.force_login(listing.seller)
    assert client.get(_url(listing)).status_code == 200  # its seller still sees it, uncached


def test_each_language_has_its_own_cached_body(client):
    listing = ListingFactory(status=ListingStatus.ACTIVE)
    client.get(_url(listing))

    page = client.get(f"/zh-hans/l/{listing.pk}/").content.decode()

    assert 'lang="zh-hans"' in page
    assert "登录后收藏" in page
    assert "Sign in to save" not in page
