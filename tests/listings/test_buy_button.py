"""The listing page's "Buy now" and the seller's rating on the listing and the storefront."""

import pytest
from django.urls import reverse

from listings.models import ListingStatus
from orders.models import Order, OrderStatus
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _detail(listing) -> str:
    return reverse("listings:detail", args=[listing.pk])


def _buy(listing) -> str:
    return reverse("orders:buy", args=[listing.pk])


def test_a_signed_in_shopper_gets_a_buy_now_form(client):
    listing = ListingFactory()
    client.force_login(UserFactory())
    html = client.get(_detail(listing)).content.decode()
    assert f'<form class="buy" method="post" action="{_buy(listing)}">' in html
    assert "Buy now" in html and "csrfmiddlewaretoken" in html


def test_a_visitor_is_asked_to_sign_in_and_comes_back_to_the_listing(client):
    listing = ListingFactory()
    html = client.get(_detail(listing)).content.decode()
    assert (
        f'class="button button-primary buy-button" href="{reverse("accounts:login")}?next={_detail(listing)}"'
        in html
    )

    response = client.post(_buy(listing))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={_detail(listing)}"
    assert not Order.objects.exists()


def test_the_seller_gets_no_buy_button_even_from_the_cached_page(client):
    listing = ListingFactory()
    client.get(_detail(listing))  # a visitor fills the cache
    client.force_login(listing.seller)
    assert "Buy now" not in client.get(_detail(listing)).content.decode()
    client.force_login(UserFactory())
    assert "Buy now" in client.get(_detail(listing)).content.decode()


@pytest.mark.parametrize("status", [ListingStatus.RESERVED, ListingStatus.SOLD])
def test_an_item_not_on_sale_has_no_buy_button(client, status):
    listing = ListingFactory(status=status)
    client.force_login(UserFactory())
    assert "Buy now" not in client.get(_detail(listing)).content.decode()


def test_buy_now_reserves_the_item_and_opens_checkout(client):
    listing = ListingFactory()
    buyer = UserFactory()
    client.force_login(buyer)

    response = client.post(_buy(listing))

    order = Order.objects.get(listing=listing)
    assert (order.buyer, order.status) == (buyer, OrderStatus.PENDING_PAYMENT)
    assert response["Location"] == reverse("orders:pay", args=[order.number])
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED


def test_the_one_who_is_too_late_is_sent_back_with_a_message(client):
    listing = ListingFactory()
    client.force_login(UserFactory())
    client.post(_buy(listing))
    client.force_login(UserFactory())

    response = client.post(_buy(listing), follow=True)

    assert response.redirect_chain[-1][0] == _detail(listing)
    assert "Someone else is buying this item right now." in response.content.decode()
    assert Order.objects.filter(listing=listing).count() == 1


def test_buying_your_own_listing_is_a_message(client):
    listing = ListingFactory()
    client.force_login(listing.seller)
    response = client.post(_buy(listing), follow=True)
    assert "This is your own listing" in response.content.decode()
    assert not Order.objects.exists()


def test_buying_a_listing_that_does_not_exist_is_a_404(client):
    client.force_login(UserFactory())
    assert client.post(reverse("orders:buy", args=[999999])).status_code == 404
    assert client.get(_buy(ListingFactory())).status_code == 405


def test_the_sellers_rating_shows_on_the_listing_and_the_storefront(client):
    seller = UserFactory(rating_count=12, rating_points=155)  # 155 / 36 = 4.3
    listing = ListingFactory(seller=seller)

    for path in (_detail(listing), reverse("listings:storefront", args=[seller.username])):
        html = client.get(path).content.decode()
        assert "4.3 ★ (12 ratings)" in html


def test_a_seller_without_ratings_says_so(client):
    listing = ListingFactory()
    for path in (_detail(listing), reverse("listings:storefront", args=[listing.seller.username])):
        assert "No ratings yet" in client.get(path).content.decode()


def test_one_rating_is_singular(client):
    listing = ListingFactory(seller=UserFactory(rating_count=1, rating_points=15))
    assert "5.0 ★ (1 rating)" in client.get(_detail(listing)).content.decode()


def test_the_chinese_listing_page_buys_through_the_chinese_checkout(client):
    listing = ListingFactory()
    client.force_login(UserFactory())
    html = client.get(f"/zh-hans{_detail(listing)}").content.decode()
    assert f'action="/zh-hans/orders/buy/{listing.pk}/"' in html

    response = client.post(f"/zh-hans/orders/buy/{listing.pk}/")

    order = Order.objects.get(listing=listing)
    assert response["Location"] == f"/zh-hans/orders/{order.number}/pay/"
