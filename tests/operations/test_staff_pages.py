"""The staff menu, the branded error pages and how a refusal is logged."""

import logging
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from accounts import roles
from tests.factories import UserFactory
from tests.recycling.shipping_fixtures import staff_user

pytestmark = pytest.mark.django_db


def desks(html: str) -> list[str]:
    menu = re.search(r'<nav class="staff-nav"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r">([^<]+)</a>", menu.group(1)) if menu else []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # every staff role may host Reloop's live shows
        (roles.INSPECTORS, ["Inspection", "Live shows", "Dashboard"]),
        (roles.AUTHENTICATORS, ["Authentication", "Live shows", "Dashboard"]),
        (
            roles.OPERATIONS,
            [
                "Receiving",
                "Orders desk",
                "Payouts",
                "Reported conversations",
                "Creators",
                "Stores",
                "Violations",
                "Live shows",
                "Dashboard",
            ],
        ),
    ],
)
def test_the_staff_menu_lists_the_desks_the_users_roles_open(client, role, expected):
    client.force_login(staff_user(role, is_staff=True))
    assert desks(client.get("/").content.decode()) == expected


def test_a_superuser_sees_every_desk_and_a_shopper_none(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    every = [
        "Receiving",
        "Inspection",
        "Authentication",
        "Orders desk",
        "Payouts",
        "Reported conversations",
        "Creators",
        "Stores",
        "Violations",
        "Live shows",
        "Dashboard",
    ]
    assert desks(client.get("/").content.decode()) == every
    client.force_login(UserFactory())
    assert desks(client.get("/").content.decode()) == []


def test_the_current_desk_is_marked(client):
    client.force_login(staff_user(roles.OPERATIONS, is_staff=True))
    html = client.get("/staff/payouts/").content.decode()
    assert re.search(r'<a href="/staff/payouts/" aria-current="page">Payouts</a>', html)


@pytest.mark.parametrize(("prefix", "role_text"), [("", "Operations"), ("/zh-hans", "运营")])
def test_a_shopper_on_a_staff_desk_is_told_which_role_it_needs_and_the_way_back(
    client, caplog, prefix, role_text
):
    shopper = UserFactory(username="mei")
    client.force_login(shopper)
    with caplog.at_level(logging.INFO):
        response = client.get(f"{prefix}/staff/receiving/")

    assert response.status_code == 403
    html = response.content.decode()
    assert role_text in html
    assert f'href="{prefix}/"' in html  # back to the channel
    refusals = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage() for record in refusals] == [
        f"refused GET {prefix}/staff/receiving/ to mei: needs operations"
    ]
    assert refusals[0].exc_info is None


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "We could not find that page"), ("/zh-hans", "没有找到这个页面")]
)
def test_an_unknown_page_is_the_branded_404_in_the_readers_language(client, prefix, title):
    response = client.get(f"{prefix}/l/999999999/")
    assert response.status_code == 404
    assert title in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Something went wrong on our side"), ("zh-hans", "我们这边出了问题")]
)
def test_the_500_page_renders_without_a_request(language, title):
    with translation.override(language):
        html = render_to_string("500.html")
    assert title in html
    assert f'<html lang="{language}">' in html
