"""The live pages: the shows, a show's room (its video, the item on show with its flash sale, the chat
and the line-up), and the room's forms, which work without JavaScript."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from live.models import ChatMessage, ShowRsvp
from live.services.chat import chat_post
from live.services.flash import flash_sale_start
from live.services.room import show_pin
from live.services.shows import show_schedule
from orders.models import Order
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_show

pytestmark = pytest.mark.django_db


def test_the_room_shows_the_video_the_item_on_show_the_chat_and_the_line_up(client):
    show, host, listings = a_show()
    show_pin(show_id=show.pk, by=host, listing_id=listings[1].pk)
    chat_post(show_id=show.pk, author=UserFactory(display_name="Mei"), text="<b>how old?</b>")

    page = client.get(f"/live/{show.pk}/").content.decode()

    assert f'data-src="{show.playback_url}"' in page and "hls.light.min.js" in page
    assert "Film cameras" in page and "Hosted by Camera Wang" in page
    card = page[page.index('id="room-card"') :]
    assert "Camera 1" in card[: card.index("</div>")]
    assert "&lt;b&gt;how old?&lt;/b&gt;" in page  # what viewers type is escaped
    assert all(f"Camera {n}" in page for n in range(3))
    assert "Sign in to chat" in page
    assert show.ingest_key not in page


def test_the_room_costs_fixed_queries_whatever_the_line_up(client, django_assert_num_queries):
    show, host, listings = a_show(items=6)
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    for n in range(5):
        chat_post(show_id=show.pk, author=UserFactory(), text=f"message {n}")
    client.get(f"/live/{show.pk}/")
    # the show with its host; the line-up with listings and brands; the pin; the flash sale; the chat
    # with its authors (a visitor: no session, no RSVP)
    with django_assert_num_queries(5):
        client.get(f"/live/{show.pk}/")


def test_grabbing_with_the_form_opens_the_order_and_the_next_one_is_told_it_is_gone(client):
    show, host, listings = a_show()
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    sale = flash_sale_start(show_id=show.pk, by=host, seconds=60, price="800")
    first, second = UserFactory(), UserFactory()

    card = client.get(f"/live/{show.pk}/card/").content.decode()
    assert "Flash sale" in card and "Grab it" in card and "¥800.00" in card

    client.force_login(first)
    won = client.post(f"/live/{show.pk}/grab/", {"flash_sale": sale.pk})
    order = Order.objects.get(buyer=first)
    assert won.status_code == 302 and won["Location"].endswith(f"/orders/{order.number}/")

    client.force_login(second)
    gone = client.post(f"/live/{show.pk}/grab/", {"flash_sale": sale.pk}, follow=True).content.decode()
    assert "Gone: someone grabbed it first" in gone and "Join the wait-list" in gone
    assert Order.objects.count() == 1
    assert client.post(f"/live/{show.pk}/grab/", {"flash_sale": "nonsense"}).status_code == 302


def test_chat_and_rsvp_forms(client):
    show, _host, _listings = a_show()
    viewer = UserFactory()
    client.force_login(viewer)

    assert (
        client.post(
            f"/live/{show.pk}/chat/", {"text": "hello"}, headers={"X-Requested-With": "fetch"}
        ).status_code
        == 204
    )
    empty = client.post(f"/live/{show.pk}/chat/", {"text": " "}, headers={"X-Requested-With": "fetch"})
    assert empty.status_code == 400 and "Write something first" in empty.content.decode()
    assert client.post(f"/live/{show.pk}/chat/", {"text": "plain form"}).status_code == 302
    assert list(ChatMessage.objects.values_list("text", flat=True)) == ["hello", "plain form"]

    upcoming = show_schedule(
        host=show.host,
        title="Next week",
        starts_at=timezone.now() + timedelta(days=7),
        listing_ids=[ListingFactory(seller=show.host).pk],
    )
    page = client.get(f"/live/{upcoming.pk}/").content.decode()
    assert "Remind me when it starts" in page and "room-video" in page
    client.post(f"/live/{upcoming.pk}/rsvp/")
    assert ShowRsvp.objects.filter(show=upcoming, user=viewer).exists()
    assert "Don't remind me" in client.get(f"/live/{upcoming.pk}/").content.decode()


def test_the_shows_page_lists_live_then_coming_and_unknown_rooms_are_404(client):
    show, _host, _listings = a_show()
    page = client.get("/live/").content.decode()
    assert "Film cameras" in page and f"/live/{show.pk}/" in page
    assert client.get("/live/999999/").status_code == 404
    assert client.get("/zh-hans/live/").status_code == 200


def test_the_home_page_shows_live_and_coming_shows_at_the_top(client):
    assert "Live now and coming up" not in client.get("/").content.decode()  # none: no row
    cache.clear()
    show, _host, _listings = a_show()

    page = client.get("/").content.decode()

    assert "Live now and coming up" in page and f"/live/{show.pk}/" in page
    assert page.index("Live now and coming up") < page.index("sell-with-us-banner")
