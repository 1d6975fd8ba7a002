"""The offer pages and the offers API: what each of the two people sees and may do, bad input answered
with a message and nothing changed, somebody else's offer a 404 everywhere, and pinned query counts."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from listings.models import ListingStatus
from orders.models import Offer, OfferStatus, Order
from orders.services.offers import offer_counter, offer_make
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNTS = [3, 30]


def _thread(price: str = "1000.00"):
    listing = ListingFactory(price=Decimal(price), title="Sony A7 III")
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="800")
    return listing, shopper, offer


# --- Pages -------------------------------------------------------------------------------------------


def test_the_listing_page_offers_to_make_an_offer(client):
    listing = ListingFactory()
    client.force_login(UserFactory())

    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()

    assert reverse("offers:new", args=[listing.pk]) in page
    assert "Make an offer" in page


def test_a_shopper_makes_an_offer_from_the_page_and_the_seller_answers_with_a_counter(client):
    listing = ListingFactory(price=Decimal("1000.00"))
    shopper = UserFactory()
    client.force_login(shopper)

    response = client.post(reverse("offers:new", args=[listing.pk]), {"amount": "850"}, follow=True)

    assert "Offer sent" in response.content.decode()
    offer = Offer.objects.get()
    client.force_login(listing.seller)
    page = client.get(reverse("offers:thread", args=[offer.pk])).content.decode()
    assert "Accept" in page and "Counter" in page
    client.post(reverse("offers:counter", args=[offer.pk]), {"amount": "930"})
    counter = Offer.objects.get(status=OfferStatus.PENDING)
    assert (counter.amount, counter.by_seller) == (Decimal("930.00"), True)

    client.force_login(shopper)
    response = client.post(reverse("offers:accept", args=[counter.pk]))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:pay", args=[order.number])
    assert order.price == Decimal("930.00")


@pytest.mark.parametrize("amount", ["0", "-1", "850.555", "1000.01", "", "lots"])
def test_a_bad_offer_on_the_page_says_why_and_changes_nothing(client, amount):
    listing = ListingFactory(price=Decimal("1000.00"))
    client.force_login(UserFactory())

    response = client.post(reverse("offers:new", args=[listing.pk]), {"amount": amount})

    assert response.status_code == 400
    assert 'class="messages' in response.content.decode() or 'role="alert"' in response.content.decode()
    assert not Offer.objects.exists()


def test_a_counter_after_expiry_says_so_and_changes_nothing(client):
    listing, _shopper, offer = _thread()
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.created_at)
    client.force_login(listing.seller)

    response = client.post(reverse("offers:counter", args=[offer.pk]), {"amount": "900"}, follow=True)

    assert "expired" in response.content.decode()
    assert Offer.objects.count() == 1


def test_an_accept_by_the_buyer_of_their_own_offer_says_so(client):
    _listing, shopper, offer = _thread()
    client.force_login(shopper)

    response = client.post(reverse("offers:accept", args=[offer.pk]), follow=True)

    assert "Only the seller can answer this offer." in response.content.decode()
    assert not Order.objects.exists()


def test_someone_elses_offer_is_a_404_on_every_page():
    listing, shopper, offer = _thread()
    from django.test import Client

    stranger = Client()
    stranger.force_login(UserFactory())
    for name in ("thread",):
        assert stranger.get(reverse(f"offers:{name}", args=[offer.pk])).status_code == 404
    for name in ("accept", "decline", "counter", "withdraw"):
        assert stranger.post(reverse(f"offers:{name}", args=[offer.pk]), {"amount": "900"}).status_code == 404
    assert stranger.get(reverse("offers:panel", args=[listing.pk, shopper.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_the_conversation_page_shows_the_offers_between_the_two(client):
    listing, shopper, offer = _thread()
    client.force_login(shopper)
    conversation_url = client.post(reverse("messaging:start", args=[listing.pk]))["Location"]
    client.force_login(listing.seller)

    page = client.get(conversation_url).content.decode()

    assert 'id="offer-panel"' in page
    assert f"offers-{listing.pk}-{shopper.pk}" in page
    assert reverse("offers:accept", args=[offer.pk]) in page


def test_a_private_seller_sets_a_floor_that_buyers_never_see(client):
    listing = ListingFactory(price=Decimal("1000.00"), offer_floor=Decimal("777.00"))
    client.force_login(UserFactory())

    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    offer_page = client.get(reverse("offers:new", args=[listing.pk])).content.decode()

    assert "777" not in page and "777" not in offer_page


@pytest.mark.parametrize("count", COUNTS)
def test_offer_list_queries(client, django_assert_num_queries, count):
    seller = UserFactory()
    for _i in range(count):
        offer_make(buyer=UserFactory(), listing_id=ListingFactory(seller=seller).pk, amount="10")
    client.force_login(seller)

    # 1 the user, 1 one page of offers with their listing, shopper, seller and order joined
    with django_assert_num_queries(2):
        response = client.get(reverse("offers:list"))
    assert response.content.decode().count('class="od-row"') == min(count, 20)


@override_settings(OFFERS_PER_LISTING=100)  # a long haggle, to show the count does not grow with it
@pytest.mark.parametrize("count", COUNTS)
def test_offer_thread_queries(client, django_assert_num_queries, count):
    listing = ListingFactory(price=Decimal("100000.00"))
    shopper = UserFactory()
    offer = offer_make(buyer=shopper, listing_id=listing.pk, amount="100")
    for step in range(count - 1):
        offer = offer_counter(
            offer_id=offer.pk,
            by=shopper if offer.by_seller else listing.seller,
            amount=str(99000 - step if not offer.by_seller else 100 + step),
        )
    client.force_login(listing.seller)

    # 1 the user, 1 the offer with its listing, 2 the thread and its history
    with django_assert_num_queries(4):
        response = client.get(reverse("offers:thread", args=[offer.pk]))
    assert response.status_code == 200


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_makes_counters_and_accepts(client):
    listing = ListingFactory(price=Decimal("1000.00"))
    shopper = UserFactory()
    client.force_login(shopper)

    made = client.post(
        "/api/v1/offers/", {"listing": listing.pk, "amount": "850.00"}, content_type="application/json"
    )

    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["amount"], body["yours_to_answer"]) == ("pending", "850.00", False)
    client.force_login(listing.seller)
    received = client.get("/api/v1/offers/?role=received").json()
    assert [row["id"] for row in received["results"]] == [body["id"]]
    assert received["results"][0]["yours_to_answer"] is True
    countered = client.post(
        f"/api/v1/offers/{body['id']}/counter/", {"amount": "920"}, content_type="application/json"
    )
    assert countered.status_code == 200, countered.content
    counter_id = countered.json()["id"]
    client.force_login(shopper)
    accepted = client.post(f"/api/v1/offers/{counter_id}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["order"] == Order.objects.get().number
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0", "amount"), ("-3", "amount"), ("850.555", "amount"), ("1000.00", "amount"), ("1200", "amount")],
)
def test_the_api_answers_a_bad_offer_with_400_under_amount(client, amount, field):
    listing = ListingFactory(price=Decimal("1000.00"))
    client.force_login(UserFactory())

    response = client.post(
        "/api/v1/offers/", {"listing": listing.pk, "amount": amount}, content_type="application/json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Offer.objects.exists()


def test_the_api_refuses_an_accept_by_the_buyer_and_hides_others_offers(client):
    _listing, shopper, offer = _thread()
    client.force_login(shopper)

    assert client.post(f"/api/v1/offers/{offer.pk}/accept/").status_code == 403

    client.force_login(UserFactory())
    assert client.get(f"/api/v1/offers/{offer.pk}/").status_code == 404
    for action in ("accept", "decline", "counter", "withdraw"):
        response = client.post(
            f"/api/v1/offers/{offer.pk}/{action}/", {"amount": "x"}, content_type="application/json"
        )
        assert response.status_code == 404, action
    assert client.get("/api/v1/offers/?role=made").json()["results"] == []
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


@pytest.mark.parametrize("count", COUNTS)
def test_offer_api_list_queries(client, django_assert_num_queries, count):
    shopper = UserFactory()
    for _i in range(count):
        offer_make(buyer=shopper, listing_id=ListingFactory().pk, amount="10")
    client.force_login(shopper)

    # 1 the user, 1 one page of offers with everything a row shows joined
    with django_assert_num_queries(2):
        response = client.get("/api/v1/offers/?role=made")
    assert len(response.json()["results"]) == min(count, 20)


def test_the_listing_page_says_what_shipping_costs_before_buy_now(client):
    from listings.models import ListingSource

    private = ListingFactory(source=ListingSource.PERSON)
    stock = ListingFactory(source=ListingSource.PLATFORM)
    client.force_login(UserFactory())

    assert "Shipping ¥12.00." in client.get(reverse("listings:detail", args=[private.pk])).content.decode()
    assert "Free shipping." in client.get(reverse("listings:detail", args=[stock.pk])).content.decode()
