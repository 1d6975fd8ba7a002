"""Messages between a shopper and a seller: one conversation per listing and shopper, contact details
masked before they are stored, photos checked and kept private, unread counts, blocking and
reporting, staff reading only what a dispute or a report opened to them (logged), and nobody else's
conversation, ever."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from listings.models import ListingStatus
from listings.photos import private_storage, stored_name
from messaging.models import Conversation, Message, StaffRead
from messaging.selectors import inbox
from messaging.services import (
    conversation_start,
    message_send,
    staff_conversation_open,
    user_block,
    user_report,
)
from notifications.models import Notification
from tests.factories import ListingFactory, UserFactory
from tests.listings.images import jpeg_bytes
from tests.orders.helpers import paid_order
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk():
    listing = ListingFactory(title="Leica M6", price=Decimal("9000.00"))
    shopper = UserFactory(username="mei")
    conversation = conversation_start(buyer=shopper, listing_id=listing.pk)
    return conversation, shopper, listing.seller


def test_asking_a_seller_opens_one_conversation_per_listing_and_tells_the_seller(client, talk):
    conversation, shopper, seller = talk
    client.force_login(shopper)
    again = client.post(reverse("messaging:start", args=[conversation.listing_id]))
    assert again["Location"] == reverse("messaging:conversation", args=[conversation.pk])
    assert Conversation.objects.count() == 1

    response = client.post(
        reverse("messaging:send", args=[conversation.pk]), {"body": "Is the shutter accurate?"}
    )
    assert response.status_code == 302
    (message,) = Message.objects.all()
    assert (message.sender, message.body, message.masked) == (shopper, "Is the shutter accurate?", [])
    (told,) = Notification.objects.filter(recipient=seller, kind="message.new")
    assert told.link == reverse("messaging:conversation", args=[conversation.pk])

    client.force_login(seller)
    inbox_page = client.get(reverse("messaging:inbox")).content.decode()
    assert "Leica M6" in inbox_page and 'class="msg-count">1' in inbox_page
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "Is the shutter accurate?" in page
    assert 'class="msg-count"' not in client.get(reverse("messaging:inbox")).content.decode()  # read now


def test_contact_details_are_masked_before_they_are_stored(talk):
    conversation, shopper, _seller = talk
    message = message_send(
        conversation_id=conversation.pk,
        sender=shopper,
        body="加我微信 leica_fan88 或者打 138 0013 8000，mail me at mei@example.com",  # noqa: RUF001 (Chinese punctuation)
    )
    message.refresh_from_db()
    assert "leica_fan88" not in message.body
    assert "8000" not in message.body and "mei@example.com" not in message.body
    assert {"wechat", "phone", "email"} <= set(message.masked)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message or add a photo."),
        ("   ", "Write a message or add a photo."),
        ("x" * 2001, "A message can be at most 2000 characters long."),
    ],
)
def test_an_empty_or_oversized_message_is_refused_and_nothing_is_stored(client, talk, body, error):
    conversation, shopper, _seller = talk
    client.force_login(shopper)
    response = client.post(
        reverse("messaging:send", args=[conversation.pk]), {"body": body}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert not Message.objects.exists()


def test_a_photo_is_checked_kept_private_and_seen_only_by_the_two(client, talk):
    conversation, shopper, seller = talk
    client.force_login(shopper)
    not_a_photo = SimpleUploadedFile("shutter.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(
        reverse("messaging:send", args=[conversation.pk]), {"photo": not_a_photo}, HTTP_HX_REQUEST="true"
    )
    assert 'role="alert"' in response.content.decode()
    assert not Message.objects.exists()

    photo = SimpleUploadedFile("shutter.jpg", jpeg_bytes(gps=True), content_type="image/jpeg")
    client.post(reverse("messaging:send", args=[conversation.pk]), {"body": "Here", "photo": photo})
    (message,) = Message.objects.all()
    assert private_storage().exists(stored_name(message.photo_key))
    url = reverse("messaging:photo", args=[conversation.pk, message.pk])
    assert client.get(url).status_code == 200
    client.force_login(seller)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="lin"))
    assert client.get(url).status_code == 404


def test_nobody_else_reads_or_writes_a_conversation(client, talk):
    conversation, _shopper, _seller = talk
    client.force_login(UserFactory(username="lin"))
    for name in ("conversation", "messages"):
        assert client.get(reverse(f"messaging:{name}", args=[conversation.pk])).status_code == 404
    for name in ("send", "block", "report"):
        response = client.post(
            reverse(f"messaging:{name}", args=[conversation.pk]), {"body": "hi", "reason": "x" * 20}
        )
        assert response.status_code == 404
    assert "Leica M6" not in client.get(reverse("messaging:inbox")).content.decode()
    assert not Message.objects.exists()


def test_one_cannot_ask_about_ones_own_or_a_sold_listing(client):
    listing = ListingFactory()
    with pytest.raises(Exception, match="your own listing"):
        conversation_start(buyer=listing.seller, listing_id=listing.pk)
    sold = ListingFactory(status=ListingStatus.SOLD)
    client.force_login(UserFactory(username="mei"))
    response = client.post(reverse("messaging:start", args=[sold.pk]))
    assert response["Location"] == reverse("listings:detail", args=[sold.pk])
    assert "no longer on sale" in client.get(response["Location"]).content.decode()
    assert not Conversation.objects.exists()


def test_a_block_stops_both_ways_until_it_is_lifted(client, talk):
    conversation, shopper, seller = talk
    user_block(blocker=seller, blocked_id=shopper.pk)
    client.force_login(shopper)
    response = client.post(
        reverse("messaging:send", args=[conversation.pk]), {"body": "Hello?"}, HTTP_HX_REQUEST="true"
    )
    assert "You cannot message this person." in response.content.decode()
    other = ListingFactory(seller=seller)
    with pytest.raises(Exception, match="cannot message"):
        conversation_start(buyer=shopper, listing_id=other.pk)
    assert not Message.objects.exists()

    client.force_login(seller)
    assert "Unblock" in client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    client.post(reverse("messaging:unblock", args=[conversation.pk]))
    client.force_login(shopper)
    client.post(reverse("messaging:send", args=[conversation.pk]), {"body": "Hello again"})
    assert Message.objects.filter(body="Hello again").exists()


def test_staff_read_only_a_reported_or_disputed_conversation_and_each_read_is_logged(client, talk):
    conversation, shopper, _seller = talk
    staff = operations_user()
    with pytest.raises(Conversation.DoesNotExist):
        staff_conversation_open(staff=staff, conversation_id=conversation.pk)
    assert not StaffRead.objects.exists()

    user_report(
        reporter=shopper,
        conversation_id=conversation.pk,
        reason="The seller asked me to pay by bank transfer.",
    )
    _opened, because = staff_conversation_open(staff=staff, conversation_id=conversation.pk)
    assert because.startswith("report:")
    assert StaffRead.objects.filter(staff=staff, conversation=conversation).count() == 1


def test_the_conversation_carries_on_under_the_order(talk, django_capture_on_commit_callbacks):
    from orders.models import Order
    from orders.signals import order_paid

    conversation, shopper, _seller = talk
    order = paid_order(buyer=shopper, listing=conversation.listing)
    order_paid.send(sender=Order, order=order)
    conversation.refresh_from_db()
    assert conversation.order == order


@pytest.mark.parametrize("rows", [3, 20])
def test_the_inbox_and_a_conversation_cost_the_same_queries_for_3_and_20(
    client, django_assert_num_queries, rows
):
    mei = UserFactory(username="mei")
    conversations = []
    for index in range(rows):
        conversation = conversation_start(buyer=mei, listing_id=ListingFactory(title=f"Camera {index}").pk)
        message_send(conversation_id=conversation.pk, sender=conversation.seller, body=f"Hello {index}")
        message_send(conversation_id=conversation.pk, sender=mei, body="Thanks")
        conversations.append(conversation)
    client.force_login(mei)
    client.get("/")
    # 1 the user, 1 the page of conversations with the people, listings, last messages and unread counts
    with django_assert_num_queries(2):
        response = client.get(reverse("messaging:inbox"))
    assert response.content.decode().count('class="msg-row') == rows
    for _ in range(rows):
        message_send(conversation_id=conversations[0].pk, sender=conversations[0].seller, body="More")
    # 1 the user, 1 the conversation, 1 marking it read, 1 the messages, 1 whether the reader blocked,
    # 1 the thread of offers between the two (none here; its history is a second query when it has some)
    with django_assert_num_queries(6):
        client.get(reverse("messaging:conversation", args=[conversations[0].pk]))
    assert inbox(user=mei, cursor=None).items


def test_the_api_asks_writes_and_reads_only_ones_own_conversations():
    from rest_framework.test import APIClient

    listing = ListingFactory(title="Leica M6")
    mei, lin = UserFactory(username="mei"), UserFactory(username="lin")
    api = APIClient()
    assert api.get("/api/v1/conversations/").status_code in (401, 403)
    api.force_authenticate(mei)

    started = api.post("/api/v1/conversations/", {"listing": listing.pk}, format="json")
    assert started.status_code == 201
    conversation_id = started.json()["id"]
    assert api.post("/api/v1/conversations/", {"listing": listing.pk}, format="json").status_code == 200
    assert api.post("/api/v1/conversations/", {"listing": 999999}, format="json").status_code == 404

    sent = api.post(
        f"/api/v1/conversations/{conversation_id}/messages/", {"body": "微信 leica_fan88"}, format="json"
    )
    assert (
        sent.status_code == 201
        and "leica_fan88" not in sent.json()["body"]
        and sent.json()["masked"] == ["wechat"]
    )
    empty = api.post(f"/api/v1/conversations/{conversation_id}/messages/", {"body": " "}, format="json")
    assert empty.status_code == 400 and empty.json()["code"] == "empty"
    listed = api.get(f"/api/v1/conversations/{conversation_id}/messages/").json()
    assert [row["mine"] for row in listed] == [True]

    api.force_authenticate(lin)
    assert api.get(f"/api/v1/conversations/{conversation_id}/messages/").status_code == 404
    assert (
        api.post(
            f"/api/v1/conversations/{conversation_id}/messages/", {"body": "hi"}, format="json"
        ).status_code
        == 404
    )
    assert api.get("/api/v1/conversations/").json()["results"] == []
    assert Message.objects.count() == 1


def test_the_staff_pages_show_only_reported_or_disputed_conversations_to_operations(client, talk):
    conversation, shopper, seller = talk
    quiet = conversation_start(buyer=UserFactory(username="lin"), listing_id=conversation.listing_id)
    staff = operations_user()
    client.force_login(staff)
    assert client.get(reverse("messaging_staff:conversation", args=[conversation.pk])).status_code == 404
    user_report(reporter=shopper, conversation_id=conversation.pk, reason="Asked me to pay by bank transfer.")

    listed = client.get(reverse("messaging_staff:list")).content.decode()
    assert reverse("messaging_staff:conversation", args=[conversation.pk]) in listed
    assert reverse("messaging_staff:conversation", args=[quiet.pk]) not in listed
    page = client.get(reverse("messaging_staff:conversation", args=[conversation.pk]))
    assert page.status_code == 200 and "Asked me to pay by bank transfer." in page.content.decode()
    assert StaffRead.objects.filter(staff=staff, conversation=conversation).count() == 1
    assert client.get(reverse("messaging_staff:conversation", args=[quiet.pk])).status_code == 404

    client.force_login(seller)  # not staff
    assert client.get(reverse("messaging_staff:list")).status_code == 403
    assert client.get(reverse("messaging_staff:conversation", args=[conversation.pk])).status_code == 403
    assert StaffRead.objects.count() == 1


def test_a_message_written_in_chinese_is_marked_so_on_an_english_page(client, talk):
    conversation, shopper, seller = talk
    message_send(conversation_id=conversation.pk, sender=shopper, body="请问还在吗？")  # noqa: RUF001 (Chinese punctuation)
    message_send(conversation_id=conversation.pk, sender=shopper, body="Is it still available?")
    client.force_login(seller)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert '<p class="msg-body" lang="zh-hans">请问还在吗？</p>' in page  # noqa: RUF001
    assert '<p class="msg-body">Is it still available?</p>' in page
    chinese_page = client.get(
        "/zh-hans" + reverse("messaging:conversation", args=[conversation.pk])
    ).content.decode()
    assert '<p class="msg-body" lang="en">Is it still available?</p>' in chinese_page
