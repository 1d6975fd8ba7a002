"""Notifications: recorded once per cause, rendered in the reader's language, e-mailed once with a
one-click unsubscribe, chosen per kind, and seen only by their recipient; and what an order's steps
tell its buyer and seller."""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.status_events import MessageError
from notifications.emails import notification_email_send, unsent_notification_ids
from notifications.models import Notification, Preference
from notifications.services import notify, unsubscribe_token
from orders.models import OrderStatus
from orders.notices import return_windows_remind
from orders.services.checkout import order_address_set, order_place, payment_start
from orders.services.fulfilment import order_confirm_receipt, order_mark_delivered, order_mark_shipped
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO, delivered_order, paid_order
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db

SHIPPED = {"title": "Leica M6", "number": "R123456", "tracking": "SF1234567890"}


def shipped_notice(user, key="order:1:shipped", **params):
    return notify(
        recipient=user, kind="order.shipped", params={**SHIPPED, **params}, link="/orders/R123456/", key=key
    )


# --- Recording -----------------------------------------------------------------------------------


def test_a_cause_notifies_each_recipient_once(django_capture_on_commit_callbacks):
    mei = UserFactory(username="mei")
    with django_capture_on_commit_callbacks(execute=True):
        first = shipped_notice(mei)
        again = shipped_notice(mei)

    assert first is not None and again is None
    assert Notification.objects.filter(recipient=mei).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("order.teleported", SHIPPED),
        ("order.shipped", {"title": "Leica M6", "number": "R1"}),  # no tracking number
        ("order.shipped", {**SHIPPED, "colour": "red"}),
        ("order.paid", {"title": "Leica M6", "number": "R1", "amount": "a lot"}),
    ],
)
def test_a_notification_that_does_not_fit_its_kind_is_refused_and_nothing_is_written(kind, params):
    with pytest.raises(MessageError):
        notify(recipient=UserFactory(), kind=kind, params=params, key="x")
    assert not Notification.objects.exists()


def test_the_text_is_the_readers_language_and_the_link_theirs_too(client):
    mei = UserFactory(username="mei")
    notification = notify(
        recipient=mei,
        kind="order.paid",
        params={"title": "Leica M6", "number": "R123456", "amount": Decimal("1299.00")},
        link="/zh-hans/orders/R123456/",  # written while a Chinese page was open: stored without it
        key="order:1:paid",
    )
    assert notification.link == "/orders/R123456/"
    with translation.override("en"):
        assert notification.title == "Payment received for Leica M6"
        assert "Order R123456 is paid (¥1,299.00)" in notification.body
    with translation.override("zh-hans"):
        assert "Leica M6" in notification.title and "付款" in notification.title
        assert "订单 R123456" in notification.body and "299.00" in notification.body

    client.force_login(mei)
    assert "Payment received for Leica M6" in client.get("/notifications/").content.decode()
    opened = client.get(f"/zh-hans/notifications/{notification.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/zh-hans/orders/R123456/"


# --- E-mail ------------------------------------------------------------------------------------------


def test_the_email_is_sent_once_in_the_recipients_language_with_a_one_click_unsubscribe(
    django_capture_on_commit_callbacks,
):
    mei = UserFactory(username="mei", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        notification = shipped_notice(mei)

    assert notification_email_send(notification_id=notification.pk) is False  # sent already
    (message,) = mail.outbox
    assert message.to == ["mei@example.com"]
    assert "Leica M6" in message.subject and "路上" in message.subject
    assert "SF1234567890" in message.body
    assert "/zh-hans/orders/R123456/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None

    # A mail program's one-click unsubscribe: a POST with no session and no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(urlsplit(unsubscribe).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.filter(user=mei, kind="order.shipped", in_app=True, email=False).exists()

    with django_capture_on_commit_callbacks(execute=True):
        later = shipped_notice(mei, key="order:2:shipped")
    assert later.shown and not later.by_email
    assert len(mail.outbox) == 1


def test_the_unsubscribe_link_asks_first_and_refuses_a_forged_token(client):
    mei = UserFactory(username="mei")
    token = unsubscribe_token(user=mei, kind="order.shipped")

    asked = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert asked.status_code == 200 and "Stop these e-mails" in asked.content.decode()
    assert not Preference.objects.exists()  # a link checker opening the link changes nothing

    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for method in (client.get, client.post):
        response = method(reverse("notifications:unsubscribe", args=[forged]))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_lost_email_job_is_found_by_the_sweep_and_sent_once(django_capture_on_commit_callbacks):
    mei = UserFactory(username="mei")
    notification = shipped_notice(mei)  # its job never ran (no commit callbacks executed)
    assert unsent_notification_ids() == []  # not overdue yet
    later = timezone.now() + timedelta(minutes=11)
    assert unsent_notification_ids(now=later) == [notification.pk]

    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    assert unsent_notification_ids(now=later) == []


def test_someone_with_no_address_is_told_in_the_app_only():
    nobody = UserFactory(username="nomail", email="")
    notification = shipped_notice(nobody)
    assert notification.shown and not notification.by_email


# --- Preferences ---------------------------------------------------------------------------------------


def test_preferences_decide_what_is_recorded_and_what_is_emailed(client, django_capture_on_commit_callbacks):
    mei = UserFactory(username="mei")
    client.force_login(mei)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert re.search(r'name="order.shipped:app" id="[^"]+" checked', page.content.decode())

    # Shipping news: neither in the app nor by e-mail. Payment news: by e-mail as well.
    response = client.post(
        reverse("notifications:preferences"), {"order.paid:app": "on", "order.paid:email": "on"}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert shipped_notice(mei) is None
        paid = notify(
            recipient=mei,
            kind="order.paid",
            params={"title": "Leica M6", "number": "R1", "amount": "10.00"},
            key="order:1:paid",
        )
    assert paid.by_email  # off by default for this kind, on by choice
    assert Notification.objects.filter(recipient=mei).count() == 1
    assert len(mail.outbox) == 1


# --- Pages: only one's own ------------------------------------------------------------------------------


def test_the_pages_show_only_the_readers_own_and_mark_them_read(client):
    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")
    mine = shipped_notice(mei)
    theirs = shipped_notice(lin, title="Lin's camera")
    client.force_login(mei)

    assert client.get(reverse("notifications:bell")).content.decode().count("bell-count") == 1
    listed = client.get(reverse("notifications:list")).content.decode()
    assert "Leica M6" in listed and "Lin&#x27;s camera" not in listed
    assert client.get(reverse("notifications:go", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    assert client.get(reverse("notifications:go", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "bell-count" not in client.get(reverse("notifications:bell")).content.decode()

    shipped_notice(mei, key="order:2:shipped")
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=mei, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=lin, read_at__isnull=True).count() == 1


def test_signed_out_the_pages_ask_to_sign_in_and_the_bell_is_empty(client):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.get(reverse("notifications:preferences")).status_code == 302
    bell = client.get(reverse("notifications:bell"))
    assert bell.status_code == 200 and "bell-count" not in bell.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_notifications_page_costs_the_same_queries_for_3_and_30(client, django_assert_num_queries, rows):
    mei = UserFactory(username="mei")
    for index in range(rows):
        shipped_notice(mei, key=f"order:{index}:shipped")
    client.force_login(mei)
    client.get("/")  # the session is cached, as on any later page
    # 1 the user, 1 the page of notifications
    with django_assert_num_queries(2):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count('class="nt-item') == min(rows, 20)


# --- What an order's steps tell ---------------------------------------------------------------------------


def kinds_for(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def test_a_private_sale_tells_buyer_and_seller_each_step(client, django_capture_on_commit_callbacks):
    listing = ListingFactory(price=Decimal("1000.00"), title="Leica M6")
    buyer = UserFactory(username="buyer")
    order = order_place(buyer=buyer, listing_id=listing.pk)
    order_address_set(order_id=order.pk, buyer=buyer, address=SHIP_TO)
    payment = payment_start(order_id=order.pk, buyer=buyer, return_url="https://reloop.example/back/")
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            urlsplit(payment.hosted_url).path,
            {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"},
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    order_mark_shipped(order_id=order.pk, by=listing.seller, carrier="sf", tracking_number="SF1234567890")
    order_mark_delivered(order_id=order.pk, by=operations_user())
    order_confirm_receipt(order_id=order.pk, buyer=buyer)

    assert kinds_for(buyer) == ["order.paid", "order.shipped", "order.delivered", "order.completed"]
    assert kinds_for(listing.seller) == ["sale.paid", "sale.shipped", "sale.delivered", "sale.completed"]
    completed = Notification.objects.get(recipient=listing.seller, kind="sale.completed")
    with translation.override("en"):
        # ¥1,000.00 less the platform's fee (settings.PLATFORM_FEE_RATE) reached the wallet.
        assert completed.title.startswith("¥") and "for Leica M6 is in your wallet" in completed.title
    assert Decimal(completed.params["amount"]) < Decimal("1000.00")
    delivered = Notification.objects.get(recipient=buyer, kind="order.delivered")
    assert delivered.params["deadline"] == (timezone.localdate() + timedelta(days=7)).isoformat()


def test_reloop_stock_tells_only_the_buyer():
    order = paid_order(source="platform")
    order_mark_shipped(order_id=order.pk, by=operations_user(), carrier="sf", tracking_number="SF1234567890")
    assert kinds_for(order.buyer) == ["order.shipped"]
    assert kinds_for(order.seller) == []


def test_the_return_window_reminder_comes_once_a_day_before_it_closes():
    closing = delivered_order(days_ago=6.5)
    open_long = delivered_order(days_ago=2)

    assert return_windows_remind() == 1
    assert return_windows_remind() == 1  # looked at again, told once
    assert kinds_for(closing.buyer) == ["order.return_window_closing"]
    assert kinds_for(closing.seller) == ["sale.return_window_closing"]
    assert kinds_for(open_long.buyer) == []


# --- The language an account is written to in ----------------------------------------------------------


def test_the_account_remembers_the_language_it_signs_in_with_and_switches_to(client):
    mei = UserFactory(username="mei")
    client.post("/zh-hans/accounts/login/", {"username": "mei", "password": "a-long-test-password"})
    mei.refresh_from_db()
    assert mei.language == "zh-hans"

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    mei.refresh_from_db()
    assert mei.language == "en"
    client.post(reverse("set_language"), {"language": "klingon", "next": "/"})
    mei.refresh_from_db()
    assert mei.language == "en"


# --- The API ----------------------------------------------------------------------------------------------


def test_the_api_lists_counts_and_marks_only_the_callers_notifications():
    from rest_framework.test import APIClient

    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")
    mine = shipped_notice(mei)
    theirs = shipped_notice(lin)
    api = APIClient()
    assert api.get("/api/v1/notifications/").status_code in (401, 403)
    api.force_authenticate(mei)

    listed = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert "路上" in listed["results"][0]["title"] and listed["results"][0]["read"] is False
    assert api.get("/api/v1/notifications/unread/").json() == {"unread": 1}
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read"] is True
    assert api.get("/api/v1/notifications/unread/").json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None

    bad = api.put(
        "/api/v1/notifications/preferences/",
        [{"kind": "order.teleported", "in_app": True, "email": False}],
        format="json",
    )
    assert bad.status_code == 400
    assert not Preference.objects.exists()
    changed = api.put(
        "/api/v1/notifications/preferences/",
        [{"kind": "order.shipped", "in_app": True, "email": False}],
        format="json",
    ).json()
    assert {"kind": "order.shipped", "in_app": True, "email": False}.items() <= next(
        row for row in changed if row["kind"] == "order.shipped"
    ).items()
    assert Preference.objects.get(user=mei).email is False
