"""Pins and flash sales in a live room: the host pins an item and starts a countdown at a flash price;
the first grab reserves it through checkout, the rest are told it is gone and may wait in line."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from listings.models import Listing, ListingStatus
from listings.services import listing_reprice
from live.errors import LiveError, NotYourShow
from live.models import FlashSale, FlashSaleStatus, ShowPin
from live.services.flash import FlashGone, flash_grab, flash_sale_start, flash_waitlist_join
from live.services.room import show_pin, show_unpin
from live.services.shows import show_end, show_schedule, show_start
from notifications.models import Notification
from orders.errors import ReservationLimit
from orders.models import Order, OrderStatus
from orders.services.checkout import order_address_set, order_cancel, payment_start
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host
from tests.orders.helpers import SHIP_TO

pytestmark = pytest.mark.django_db


def _live_show(items: int = 2, price: str = "1000.00"):
    host = a_host(username="host")
    listings = [ListingFactory(seller=host, price=Decimal(price)) for _ in range(items)]
    show = show_schedule(
        host=host,
        title="Cameras",
        starts_at=timezone.now() + timedelta(minutes=1),
        listing_ids=[x.pk for x in listings],
    )
    show_start(show_id=show.pk, by=host)
    return show, host, listings


def _flash(price: str = "900.00", seconds: int = 60):
    show, host, listings = _live_show()
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    return flash_sale_start(show_id=show.pk, by=host, seconds=seconds, price=price), listings[0]


# --- Pins -----------------------------------------------------------------------------------------


def test_one_item_is_pinned_at_a_time_and_each_pin_keeps_its_span():
    show, host, (first, second) = _live_show()

    show_pin(show_id=show.pk, by=host, listing_id=first.pk)
    show_pin(show_id=show.pk, by=host, listing_id=second.pk)
    show_unpin(show_id=show.pk, by=host)

    pins = list(ShowPin.objects.filter(show=show))
    assert [pin.listing_id for pin in pins] == [first.pk, second.pk]
    assert all(pin.unpinned_at is not None and pin.unpinned_at >= pin.pinned_at for pin in pins)
    assert pins[0].unpinned_at <= pins[1].pinned_at


def test_only_the_host_pins_an_item_of_the_line_up_while_live():
    show, host, (first, _second) = _live_show()
    with pytest.raises(LiveError) as raised:
        show_pin(show_id=show.pk, by=host, listing_id=ListingFactory(seller=host).pk)
    assert raised.value.code == "not_in_lineup"
    with pytest.raises(NotYourShow):
        show_pin(show_id=show.pk, by=UserFactory(), listing_id=first.pk)
    show_end(show_id=show.pk, by=host)
    with pytest.raises(LiveError) as raised:
        show_pin(show_id=show.pk, by=host, listing_id=first.pk)
    assert raised.value.code == "not_live"
    assert not ShowPin.objects.exists()


# --- Starting a flash sale ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "price", "code"),
    [
        (9, "900", "flash_countdown_invalid"),
        (301, "900", "flash_countdown_invalid"),
        (60, "0", "flash_price_invalid"),
        (60, "lots", "flash_price_invalid"),
        (60, "NaN", "flash_price_invalid"),
        (60, "1000.01", "flash_price_too_high"),
    ],
)
def test_a_flash_sale_needs_a_countdown_in_range_and_a_price_at_most_the_lowest(seconds, price, code):
    show, host, (first, _second) = _live_show()
    show_pin(show_id=show.pk, by=host, listing_id=first.pk)

    with pytest.raises(LiveError) as raised:
        flash_sale_start(show_id=show.pk, by=host, seconds=seconds, price=price)

    assert raised.value.code == code
    assert not FlashSale.objects.exists()


def test_the_cap_is_the_lowest_price_of_the_last_30_days_not_todays():
    show, host, (first, _second) = _live_show(price="800.00")
    listing_reprice(listing_id=first.pk, price=Decimal("1000.00"))  # raised just before the show
    show_pin(show_id=show.pk, by=host, listing_id=first.pk)

    with pytest.raises(LiveError) as raised:
        flash_sale_start(show_id=show.pk, by=host, seconds=30, price="850")
    assert raised.value.code == "flash_price_too_high"
    assert "800" in str(raised.value)

    sale = flash_sale_start(show_id=show.pk, by=host, seconds=30, price="800")
    assert (sale.price, sale.status) == (Decimal("800.00"), FlashSaleStatus.OPEN)
    assert sale.ends_at - sale.starts_at == timedelta(seconds=30)


def test_a_flash_sale_is_on_the_pinned_item_and_one_at_a_time():
    show, host, (first, _second) = _live_show()
    with pytest.raises(LiveError) as raised:
        flash_sale_start(show_id=show.pk, by=host, seconds=30, price="900")
    assert raised.value.code == "nothing_pinned"

    show_pin(show_id=show.pk, by=host, listing_id=first.pk)
    flash_sale_start(show_id=show.pk, by=host, seconds=30, price="900")
    for start in (
        lambda: flash_sale_start(show_id=show.pk, by=host, seconds=30, price="800"),
        lambda: show_unpin(show_id=show.pk, by=host),
    ):
        with pytest.raises(LiveError) as raised:
            start()
        assert raised.value.code == "flash_running"
    with pytest.raises(NotYourShow):
        flash_sale_start(show_id=show.pk, by=UserFactory(), seconds=30, price="800")


# --- Grabbing -------------------------------------------------------------------------------------


def test_the_first_grab_reserves_the_item_at_the_flash_price_and_the_next_is_told_it_is_gone():
    sale, listing = _flash(price="900.00")
    first, second = UserFactory(), UserFactory()

    order = flash_grab(flash_sale_id=sale.pk, buyer=first)
    with pytest.raises(FlashGone) as raised:
        flash_grab(flash_sale_id=sale.pk, buyer=second)
    with pytest.raises(LiveError) as again:
        flash_grab(flash_sale_id=sale.pk, buyer=first)

    assert (order.buyer, order.price, order.status) == (first, Decimal("900.00"), OrderStatus.PENDING_PAYMENT)
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.RESERVED
    assert (raised.value.code, raised.value.status_code) == ("gone", 409)
    assert "wait-list" in str(raised.value)
    assert again.value.code == "already_yours"
    assert Order.objects.count() == 1
    assert (
        order.events.first().text
        == "Won in a live show's flash sale at ¥900.00; the item is reserved while the buyer pays."
    )


def test_a_grab_after_the_countdown_changes_nothing():
    sale, listing = _flash()
    FlashSale.objects.filter(pk=sale.pk).update(ends_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(LiveError) as raised:
        flash_grab(flash_sale_id=sale.pk, buyer=UserFactory())

    assert raised.value.code == "flash_over"
    assert not Order.objects.exists()
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.ACTIVE


def test_checkouts_limits_hold_for_a_grab(settings):
    settings.RESERVATIONS_MAX_UNPAID = 1
    sale, _listing = _flash()
    buyer = UserFactory()
    from orders.services.checkout import order_place

    order_place(buyer=buyer, listing_id=ListingFactory().pk)

    with pytest.raises(ReservationLimit):
        flash_grab(flash_sale_id=sale.pk, buyer=buyer)
    sale.refresh_from_db()
    assert (sale.status, sale.order) == (FlashSaleStatus.OPEN, None)


# --- The wait-list --------------------------------------------------------------------------------


def test_when_the_holder_cancels_the_next_in_line_is_offered_the_item(django_capture_on_commit_callbacks):
    sale, listing = _flash(price="900.00")
    holder, second, third = UserFactory(), UserFactory(), UserFactory()
    order = flash_grab(flash_sale_id=sale.pk, buyer=holder)
    with pytest.raises(LiveError) as raised:
        flash_waitlist_join(flash_sale_id=sale.pk, user=holder)
    assert raised.value.code == "already_yours"
    flash_waitlist_join(flash_sale_id=sale.pk, user=second)
    flash_waitlist_join(flash_sale_id=sale.pk, user=third)
    flash_waitlist_join(flash_sale_id=sale.pk, user=second)  # asking twice keeps one place

    # when: the holder gives up
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, buyer=holder)

    # then: the item is reserved for the second in line at the flash price, and they are told
    offered = Order.objects.get(buyer=second)
    sale.refresh_from_db()
    assert (offered.price, offered.status, sale.order, sale.status) == (
        Decimal("900.00"),
        OrderStatus.PENDING_PAYMENT,
        offered,
        FlashSaleStatus.TAKEN,
    )
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.RESERVED
    told = Notification.objects.get(recipient=second, kind="live.flash_offered")
    assert told.title == f"{listing.title} is yours at ¥900.00"
    assert told.link == f"/orders/{offered.number}/"
    assert not Order.objects.filter(buyer=third).exists()

    # when: they give up too, the third; then nobody is left and the item is on sale at its price
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=offered.pk, buyer=second)
    third_order = Order.objects.get(buyer=third)
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=third_order.pk, buyer=third)
    sale.refresh_from_db()
    assert sale.status == FlashSaleStatus.ENDED
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.ACTIVE


def test_a_paid_grab_sells_the_flash_sale(client, django_capture_on_commit_callbacks):
    sale, _listing = _flash(price="900.00")
    buyer = UserFactory()
    order = flash_grab(flash_sale_id=sale.pk, buyer=buyer)
    order_address_set(order_id=order.pk, buyer=buyer, address=SHIP_TO)
    payment = payment_start(order_id=order.pk, buyer=buyer, return_url="https://reloop.example/back/")
    client.force_login(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            urlsplit(payment.hosted_url).path,
            {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"},
        )

    assert response.status_code == 302
    sale.refresh_from_db()
    assert (Order.objects.get(pk=order.pk).status, sale.status) == (OrderStatus.PAID, FlashSaleStatus.SOLD)
    with pytest.raises(FlashGone):
        flash_grab(flash_sale_id=sale.pk, buyer=UserFactory())
