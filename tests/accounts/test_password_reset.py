"""Password reset: never says whether an address is registered; the e-mailed link sets a new
password, confirms the address, revokes the API token and lifts a sign-in lockout."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S*password-reset/\S+/)", body).group(1)


def test_a_registered_and_an_unknown_address_get_the_same_answer(client, mailoutbox):
    UserFactory(username="ren", email="ren@example.com")

    known = client.post(reverse("accounts:password_reset"), {"email": "REN@example.com"}, follow=True)
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert _main(known) == _main(unknown)
    assert [message.to for message in mailoutbox] == [["ren@example.com"]]


def test_the_link_sets_a_new_password_confirms_the_address_and_lifts_the_lockout(
    client, mailoutbox, settings
):
    user = UserFactory(username="ren", email="ren@example.com", email_confirmed_at=None)
    Token.objects.create(user=user)
    for n in range(settings.SIGN_IN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "ren", "password": f"guess-{n}"})
    client.post(reverse("accounts:password_reset"), {"email": "ren@example.com"})

    form = client.get(_link(mailoutbox[0].body), follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"},
        follow=True,
    )
    signed_in = client.post(
        reverse("accounts:login"), {"username": "ren", "password": "a-brand-new-password"}
    )

    assert "Choose a new password" in form.content.decode()
    assert "Password changed" in done.content.decode()
    assert signed_in.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.email_confirmed
    assert not Token.objects.filter(user=user).exists()


def test_a_used_or_damaged_link_says_so(client):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "not-a-token"]))

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_reset_e_mails_are_rate_limited_per_address(client, mailoutbox, settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    UserFactory(username="ren", email="ren@example.com")

    statuses = [
        client.post(reverse("accounts:password_reset"), {"email": "ren@example.com"}).status_code
        for _ in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert len(mailoutbox) == 2


def test_the_sign_in_page_offers_the_reset_and_it_answers_in_chinese(client):
    reset_url = reverse("accounts:password_reset")
    sign_in = client.get(reverse("accounts:login"))
    chinese = client.get("/zh-hans" + reset_url)

    assert f'href="{reset_url}"' in sign_in.content.decode()
    assert chinese.status_code == 200
    assert '<html lang="zh-hans">' in chinese.content.decode()
