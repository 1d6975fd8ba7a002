"""The host's console and the scheduling page: the host drives the show (go live, pin, flash sales,
the end) and moderates the chat with moderators they appoint; nobody else can. Every action is a
form that works without JavaScript, and with htmx answers with the part of the console it changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from listings.photos import public_storage
from live.errors import LiveError
from live.models import ChatMessage, FlashSale, Show, ShowModerator, ShowMute, ShowPin, ShowStatus
from live.services.chat import chat_post
from live.services.room import show_pin
from tests.factories import ListingFactory, UserFactory
from tests.listings.images import jpeg_bytes
from tests.live.helpers import a_host, a_show

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _act(client, show: Show, action: str, data: dict | None = None, **kwargs):
    return client.post(f"/live/{show.pk}/console/do/{action}/", data or {}, **kwargs)


def test_the_host_goes_live_from_the_console_and_reads_the_encoder_settings(client):
    show, host, _listings = a_show(live=False)
    client.force_login(host)

    page = client.get(f"/live/{show.pk}/console/").content.decode()
    assert "Go live now" in page and show.stream_key in page
    assert all(f"Camera {n}" in page for n in range(3))

    answer = _act(client, show, "start", headers=HTMX)

    assert Show.objects.get(pk=show.pk).status == ShowStatus.LIVE
    part = answer.content.decode()
    assert 'id="console-controls"' in part and "You are live." in part and "End the show" in part
    assert "<html" not in part  # htmx gets the part alone


def test_a_pin_made_in_the_console_is_on_every_viewers_card(client):
    show, host, listings = a_show()
    client.force_login(host)

    answer = _act(client, show, "pin", {"listing": listings[2].pk})

    assert answer.status_code == 302 and answer["Location"].endswith(f"/live/{show.pk}/console/")
    assert ShowPin.objects.get(show=show, unpinned_at__isnull=True).listing_id == listings[2].pk
    client.logout()
    card = client.get(f"/live/{show.pk}/card/").content.decode()
    assert "Camera 2" in card

    client.force_login(host)
    _act(client, show, "unpin")
    assert not ShowPin.objects.filter(show=show, unpinned_at__isnull=True).exists()


def test_a_flash_sale_from_the_console_is_capped_at_the_30_day_low(client):
    show, host, listings = a_show()
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    client.force_login(host)

    form = client.get(f"/live/{show.pk}/console/").content.decode()
    assert 'value="1000.00"' in form and "its lowest price in the last 30 days" in form

    refused = _act(
        client, show, "flash", {"seconds": "60", "price": "1000.01"}, headers=HTMX
    ).content.decode()
    assert "cannot be above 1000.00" in refused and "console-failed" in refused
    assert not FlashSale.objects.exists()
    too_short = _act(client, show, "flash", {"seconds": "5", "price": "900"}, headers=HTMX).content.decode()
    assert "Choose a countdown from 10 to 300 seconds" in too_short
    not_a_number = _act(client, show, "flash", {"seconds": "soon", "price": "900"}, follow=True)
    assert "Choose a countdown from 10 to 300 seconds" in not_a_number.content.decode()
    assert not FlashSale.objects.exists()

    started = _act(client, show, "flash", {"seconds": "60", "price": "900"}, headers=HTMX).content.decode()

    sale = FlashSale.objects.get()
    assert sale.price == Decimal("900.00") and "The flash sale is on." in started
    assert "room-countdown" in started and 'name="price"' not in started  # one at a time


def test_bad_input_in_the_console_gets_a_message_and_changes_nothing(client):
    show, host, _listings = a_show()
    client.force_login(host)

    for value in ("", "abc", "-1", str(2**70)):
        answer = _act(client, show, "pin", {"listing": value}, follow=True)
        assert answer.status_code == 200
        assert "That choice is no longer there" in answer.content.decode()
    someone_elses = ListingFactory(title="Not in the show")
    answer = _act(client, show, "pin", {"listing": someone_elses.pk}, headers=HTMX).content.decode()
    assert "console-failed" in answer
    assert not ShowPin.objects.exists()
    assert _act(client, show, "explode").status_code == 404
    assert client.get(f"/live/{show.pk}/console/nothing/").status_code == 404
    assert client.get(f"/live/{show.pk}/console/do/pin/").status_code == 405


def test_another_host_cannot_open_or_drive_youra_show(client):
    show, _host, listings = a_show()
    other = a_host(username="other-host")
    client.force_login(other)

    assert client.get(f"/live/{show.pk}/console/").status_code == 403
    for action, data in (("pin", {"listing": listings[0].pk}), ("end", {}), ("mute", {"user": other.pk})):
        assert _act(client, show, action, data).status_code == 403
    assert not ShowPin.objects.exists()
    assert Show.objects.get(pk=show.pk).status == ShowStatus.LIVE
    client.logout()
    assert client.get(f"/live/{show.pk}/console/").status_code == 302  # sign in first
    assert client.get("/live/999999/console/").status_code in (302, 404)
    client.force_login(other)
    assert client.get("/live/999999/console/").status_code == 404


def test_the_host_removes_a_message_mutes_a_viewer_and_appoints_a_moderator(client):
    show, host, _listings = a_show()
    rude, helpful = UserFactory(display_name="Rude"), UserFactory(display_name="Helpful")
    insult = chat_post(show_id=show.pk, author=rude, text="buy elsewhere")
    chat_post(show_id=show.pk, author=helpful, text="lovely camera")
    client.force_login(host)

    page = client.get(f"/live/{show.pk}/console/").content.decode()
    assert "buy elsewhere" in page and "Make<span" in page

    removed = _act(client, show, "remove", {"message": insult.pk}, headers=HTMX).content.decode()
    assert 'id="console-chat"' in removed and "<del>buy elsewhere</del>" in removed
    assert ChatMessage.objects.get(pk=insult.pk).removed_by == host
    assert "buy elsewhere" not in client.get(f"/live/{show.pk}/").content.decode()

    _act(client, show, "mute", {"user": rude.pk})
    assert ShowMute.objects.filter(show=show, user=rude).exists()
    with pytest.raises(LiveError):  # a muted viewer cannot post
        chat_post(show_id=show.pk, author=rude, text="still here")

    _act(client, show, "moderator", {"user": helpful.pk})
    assert ShowModerator.objects.filter(show=show, user=helpful).exists()

    _act(client, show, "unmute", {"user": rude.pk})
    assert not ShowMute.objects.filter(show=show, user=rude).exists()


def test_a_moderator_moderates_the_chat_but_cannot_drive_thea_show(client):
    show, _host, listings = a_show()
    moderator, viewer = UserFactory(display_name="Mod"), UserFactory(display_name="Loud")
    ShowModerator.objects.create(show=show, user=moderator)
    chat_post(show_id=show.pk, author=viewer, text="AAAA")
    client.force_login(moderator)

    room = client.get(f"/live/{show.pk}/").content.decode()
    assert "Moderate the chat" in room
    page = client.get(f"/live/{show.pk}/console/").content.decode()
    assert "AAAA" in page and "Mute" in page
    assert show.ingest_key not in page and "End the show" not in page and "Make<span" not in page

    _act(client, show, "mute", {"user": viewer.pk})
    assert ShowMute.objects.filter(show=show, user=viewer, by=moderator).exists()

    refused = _act(client, show, "pin", {"listing": listings[0].pk}, headers=HTMX).content.decode()
    assert "Only the show&#x27;s host can do this." in refused
    refused = _act(client, show, "moderator", {"user": viewer.pk}, follow=True).content.decode()
    assert "Only the show&#x27;s host can do this." in refused
    assert not ShowPin.objects.exists() and ShowModerator.objects.filter(show=show).count() == 1


def test_the_host_ends_the_show_from_the_console(client):
    show, host, listings = a_show()
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    client.force_login(host)

    page = client.get(f"/live/{show.pk}/console/").content.decode()
    assert "End the show for everyone?" in page  # the form asks first

    _act(client, show, "end")

    assert Show.objects.get(pk=show.pk).status == ShowStatus.ENDED
    assert not ShowPin.objects.filter(show=show, unpinned_at__isnull=True).exists()
    again = _act(client, show, "end", follow=True).content.decode()
    assert "Only a live show can be ended." in again


def test_the_console_costs_fixed_queries_whatever_the_line_up_and_chat(client, django_assert_num_queries):
    show, host, listings = a_show(items=6)
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    for n in range(5):
        chat_post(show_id=show.pk, author=UserFactory(), text=f"message {n}")
    client.force_login(host)
    client.get(f"/live/{show.pk}/console/")
    # the signed-in user (the session is in the cache); the show with its host; the line-up with listings and brands; the
    # pin; the flash sale; the RSVP; the pinned item's 30-day low; the chat with its authors; the
    # moderators; the muted viewers
    with django_assert_num_queries(10):
        client.get(f"/live/{show.pk}/console/")


def test_a_host_schedules_a_show_with_a_cover_and_a_line_up(client):
    host = a_host()
    mine = [ListingFactory(seller=host, title=f"Lens {n}") for n in range(2)]
    ListingFactory(title="Someone else's lens")
    client.force_login(host)

    page = client.get("/live/hosting/").content.decode()
    assert "Lens 0" in page and "Lens 1" in page and "Someone else" not in page

    cover = SimpleUploadedFile("cover.jpg", jpeg_bytes((1280, 720), gps=True), content_type="image/jpeg")
    answer = client.post(
        "/live/hosting/",
        {
            "title": "Lenses night",
            "starts_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "cover": cover,
            "listings": [mine[1].pk, mine[0].pk],
        },
    )

    show = Show.objects.get(title="Lenses night")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/live/{show.pk}/console/")
    assert show.cover_key and public_storage().exists(
        f"listings/{show.cover_key[:2]}/{show.cover_key}-480.webp"
    )
    assert list(show.items.order_by("position").values_list("listing_id", flat=True)) == [
        mine[1].pk,
        mine[0].pk,
    ]
    listing_page = client.get("/live/").content.decode()
    assert show.cover_url(480) in listing_page


def test_scheduling_refuses_a_bad_cover_or_time_and_writes_nothing(client):
    host = a_host()
    listing = ListingFactory(seller=host)
    client.force_login(host)
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    not_a_photo = SimpleUploadedFile("cover.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    page = client.post(
        "/live/hosting/",
        {"title": "A", "starts_at": tomorrow, "cover": not_a_photo, "listings": [listing.pk]},
    ).content.decode()
    assert "This file is not a photo we accept" in page

    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post("/live/hosting/", {"title": "A", "starts_at": yesterday, "listings": [listing.pk]})
    assert "Choose a start time in the future." in page.content.decode()
    page = client.post("/live/hosting/", {"title": "A", "starts_at": tomorrow, "listings": ["999999"]})
    assert page.status_code == 200
    assert not Show.objects.exists()


def test_only_hosts_may_schedule(client):
    client.force_login(UserFactory())
    assert client.get("/live/hosting/").status_code == 403
    assert "Host a show" not in client.get("/live/").content.decode()
    client.force_login(a_host(username="a-host"))
    assert "Host a show" in client.get("/live/").content.decode()
