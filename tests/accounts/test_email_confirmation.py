"""E-mail confirmation: a new account signs in at once but buys and sells only once its address is
confirmed; sign-up never tells whether an address is registered; sign-up is rate-limited."""

import re
import time
from unittest import mock

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.email_confirmation import confirmation_token
from accounts.models import User
from listings.models import Listing
from orders.models import Order
from recycling.models import Submission
from tests.factories import CategoryFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "mei",
    "email": "mei@example.com",
    "display_name": "Mei L.",
    "password1": "a-long-fresh-password",
    "password2": "a-long-fresh-password",
}


@pytest.fixture
def newcomer() -> User:
    return UserFactory(username="newcomer", email="newcomer@example.com", email_confirmed_at=None)


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+/)", body).group(1)


# --- What an unconfirmed account may not do ------------------------------------------------------------


def test_an_unconfirmed_account_is_sent_to_confirm_before_buying(client, newcomer):
    listing = ListingFactory()
    client.force_login(newcomer)

    response = client.post(reverse("orders:buy", args=[listing.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:email_confirmation"))
    page = client.get(response["Location"])
    assert "newcomer@example.com" in page.content.decode()
    # After confirming, the page leads back to the item.
    assert f'value="{reverse("listings:detail", args=[listing.pk])}"' in page.content.decode()
    assert not Order.objects.exists()


def test_an_unconfirmed_account_cannot_buy_through_the_api(newcomer):
    listing = ListingFactory()
    api = APIClient()
    api.force_authenticate(newcomer)

    response = api.post("/api/v1/orders/", {"listing": listing.pk}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "email_unconfirmed"
    assert not Order.objects.exists()


def test_an_unconfirmed_account_cannot_list_or_submit(client, newcomer):
    client.force_login(newcomer)
    api = APIClient()
    api.force_authenticate(newcomer)

    sell_page = client.get(reverse("selling:listing_create"))
    flow_page = client.get(reverse("recycling:flow_category"))
    listed = api.post(
        "/api/v1/my/listings/",
        {"title": "Camera", "category": CategoryFactory().slug, "price": "100", "grade": "A"},
        format="json",
    )

    assert sell_page.status_code == 302
    assert sell_page["Location"].startswith(reverse("accounts:email_confirmation"))
    assert flow_page.status_code == 302
    assert flow_page["Location"].startswith(reverse("accounts:email_confirmation"))
    assert listed.status_code == 403
    assert listed.json()["code"] == "email_unconfirmed"
    assert not Listing.objects.exists()
    assert not Submission.objects.exists()


def test_an_unconfirmed_account_may_browse_and_keep_an_address_book(client, newcomer):
    client.force_login(newcomer)

    assert client.get(reverse("listings:home")).status_code == 200
    assert client.get(reverse("accounts:addresses")).status_code == 200


# --- The link ----------------------------------------------------------------------------------------


def test_the_link_from_the_sign_up_email_confirms_and_then_buying_works(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
    link = _link(mailoutbox[0].body)
    client.post(reverse("accounts:login"), {"username": "mei", "password": "a-long-fresh-password"})

    shown = client.get(link)
    confirmed = client.post(link)
    bought = client.post(reverse("orders:buy", args=[ListingFactory().pk]))

    assert shown.status_code == 200
    assert "Confirm my address" in shown.content.decode()
    assert confirmed.status_code == 302
    assert User.objects.get(username="mei").email_confirmed
    assert bought.status_code == 302
    assert Order.objects.filter(buyer__username="mei").exists()


def test_opening_the_link_alone_confirms_nothing(client, newcomer):
    client.get(reverse("accounts:email_confirm", args=[confirmation_token(newcomer)]))

    newcomer.refresh_from_db()
    assert not newcomer.email_confirmed


def test_an_expired_link_says_so(client, newcomer, settings):
    then = time.time() - settings.EMAIL_CONFIRMATION_DAYS * 24 * 60 * 60 - 60
    with mock.patch("django.core.signing.time.time", return_value=then):
        token = confirmation_token(newcomer)

    response = client.post(reverse("accounts:email_confirm", args=[token]))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.email_confirmed


def test_a_link_for_an_old_address_or_a_damaged_link_says_so(client, newcomer):
    token = confirmation_token(newcomer)
    User.objects.filter(pk=newcomer.pk).update(email="elsewhere@example.com")

    old_address = client.post(reverse("accounts:email_confirm", args=[token]))
    damaged = client.get(reverse("accounts:email_confirm", args=[token[:-3] + "abc"]))

    assert old_address.status_code == damaged.status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.email_confirmed


def test_the_link_can_be_sent_again_a_few_times(client, newcomer, mailoutbox, settings):
    settings.ACCOUNT_EMAIL_RATE = "2/hour"
    client.force_login(newcomer)
    url = reverse("accounts:email_confirmation")

    sent = [client.post(url).status_code for _ in range(3)]

    assert sent == [302, 302, 429]
    assert len(mailoutbox) == 2
    assert all(message.to == ["newcomer@example.com"] for message in mailoutbox)


# --- Sign-up says nothing about which addresses are registered ----------------------------------------


def test_signing_up_with_a_registered_address_looks_the_same_and_tells_its_owner(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="owner", email="mei@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(reverse("accounts:signup"), {**SIGNUP, "email": "MEI@example.com"})
        fresh = client.post(
            reverse("accounts:signup"), {**SIGNUP, "username": "lin", "email": "lin@example.com"}
        )

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert not User.objects.filter(username="mei").exists()
    assert User.objects.filter(username="lin", email_confirmed_at__isnull=True).exists()
    to_owner, to_lin = mailoutbox
    assert to_owner.to == ["mei@example.com"]
    assert "already has one" in to_owner.body
    assert "owner" in to_owner.body
    assert to_lin.to == ["lin@example.com"]


def test_signing_up_is_rate_limited_per_address(client, settings):
    settings.SIGN_UP_RATE = "2/hour"
    accounts = [
        client.post(
            reverse("accounts:signup"),
            {**SIGNUP, "username": f"user{n}", "email": f"user{n}@example.com"},
            HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",  # ignored: no trusted proxy
        )
        for n in range(3)
    ]

    assert [response.status_code for response in accounts] == [302, 302, 429]
    assert "Try again in" in accounts[-1].content.decode()
    assert User.objects.count() == 2


def test_a_form_with_mistakes_does_not_use_up_the_sign_up_limit(client, settings):
    settings.SIGN_UP_RATE = "1/hour"
    client.post(reverse("accounts:signup"), {**SIGNUP, "password2": "something-else-entirely"})

    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 302
    assert User.objects.filter(username="mei").exists()


def test_the_check_your_inbox_page_answers_in_chinese(client):
    response = client.get("/zh-hans" + reverse("accounts:signup_done"))

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
