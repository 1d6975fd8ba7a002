"""Operations' order pages at /staff/orders/: who may use them, shipping stock from the centre, marking
parcels delivered, receiving returns and resolving disputes, with bad input that moves no money."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts import roles
from listings.models import ListingSource
from orders.models import Dispute, DisputeOutcome, Order, OrderStatus, Payment
from orders.services.fulfilment import order_mark_shipped
from orders.services.returns import dispute_open, return_request
from tests.factories import ListingFactory, UserFactory
from tests.live.clip_fixtures import a_clip
from tests.orders.helpers import delivered_order, inspected_listing_with_report, paid_order
from tests.recycling.shipping_fixtures import operations_user, staff_user
from wallet.models import Account, Entry
from wallet.services.ledger import wallet_account

pytestmark = pytest.mark.django_db

QUEUE = "/staff/orders/"


def balance(account: Account) -> Decimal:
    return account.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def staff_url(name: str, order: Order) -> str:
    return reverse(f"orders_staff:{name}", args=[order.number])


def disputed_order(**kwargs) -> Order:
    order = delivered_order(**kwargs)
    dispute_open(order_id=order.pk, buyer=order.buyer, reason="The screen has a crack across it.")
    return order


def test_the_queue_lives_at_staff_orders():
    assert reverse("orders_staff:queue") == QUEUE


@pytest.mark.parametrize(
    ("who", "status"),
    [("shopper", 403), (roles.INSPECTORS, 403), (roles.OPERATIONS, 200), ("superuser", 200)],
)
def test_only_operations_may_use_the_staff_pages(client, who, status):
    order = disputed_order()
    if who == "shopper":
        user = UserFactory()
    elif who == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = staff_user(who)
    client.force_login(user)

    assert client.get(QUEUE).status_code == status
    assert client.get(staff_url("dispute", order)).status_code == status
    response = client.post(
        staff_url("dispute", order),
        {"outcome": DisputeOutcome.FULL_REFUND, "note": "Cracked, as the photos show."},
    )
    assert response.status_code == (302 if status == 200 else 403)
    order.refresh_from_db()
    assert order.status == (OrderStatus.RESOLVED if status == 200 else OrderStatus.DISPUTED)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    order = paid_order(source=ListingSource.PLATFORM)
    for response in (client.get(QUEUE), client.post(staff_url("ship", order))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_queue_lists_what_each_list_is_for(client):
    to_ship = paid_order(source=ListingSource.PLATFORM)
    person_sale = paid_order(source=ListingSource.PERSON)
    returning = delivered_order(source=ListingSource.CONSIGNED)
    return_request(order_id=returning.pk, buyer=returning.buyer, reason="Does not fit.")
    disputed = disputed_order()
    client.force_login(operations_user())

    html = client.get(QUEUE).content.decode()

    assert to_ship.number in html and staff_url("ship", to_ship) in html
    assert person_sale.number not in html  # its seller ships it
    assert staff_url("return_received", returning) in html
    assert staff_url("dispute", disputed) in html and "The screen has a crack" in html


def test_shipping_from_the_centre(client):
    order = paid_order(source=ListingSource.PLATFORM)
    client.force_login(operations_user())

    response = client.post(staff_url("ship", order), {"carrier": "sf", "tracking_number": "SF5550001111"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "SF5550001111")


def test_a_bad_tracking_number_shows_under_that_orders_form(client):
    order = paid_order(source=ListingSource.PLATFORM)
    other = paid_order(source=ListingSource.PLATFORM)
    client.force_login(operations_user())

    response = client.post(staff_url("ship", order), {"carrier": "sf", "tracking_number": "x"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "A tracking number is 6 to 40 letters or digits." in html
    assert html.count('class="od-errors"') == 1
    assert (
        f'id="id_{order.number}_tracking_number"' in html
        and f'id="id_{other.number}_tracking_number"' in html
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_bad_tracking_number_for_an_order_on_a_later_page_still_shows_its_error(client):
    orders = [paid_order(source=ListingSource.PLATFORM) for _i in range(21)]
    last = orders[-1]  # paid last: on the second page of the oldest-first list
    client.force_login(operations_user())
    assert last.number not in client.get(QUEUE).content.decode()

    response = client.post(staff_url("ship", last), {"carrier": "sf", "tracking_number": "x"})

    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{last.number}_tracking_number"' in html
    assert "A tracking number is 6 to 40 letters or digits." in html


def test_marking_a_shipped_order_delivered(client):
    order = paid_order(source=ListingSource.PLATFORM)
    staff = operations_user()
    order_mark_shipped(order_id=order.pk, by=staff, carrier="sf", tracking_number="SF5550001111")
    client.force_login(staff)
    assert staff_url("deliver", order) in client.get(QUEUE).content.decode()

    response = client.post(staff_url("deliver", order), follow=True)

    assert "the return window runs from now" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_delivering_twice_is_a_message_not_an_error(client):
    order = delivered_order(source=ListingSource.PLATFORM)
    client.force_login(operations_user())
    response = client.post(staff_url("deliver", order), follow=True)
    assert response.status_code == 200
    assert "has moved on" in response.content.decode()


def test_receiving_a_return_refunds_the_buyer(client):
    order = delivered_order(source=ListingSource.PLATFORM, price="700.00")
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not for me.")
    client.force_login(operations_user())

    client.post(staff_url("return_received", order))

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Payment.objects.get(order=order).refunded_amount == Decimal("700.00")


def test_the_dispute_page_shows_the_claim_and_what_the_report_said(client):
    listing, (_screen, battery) = inspected_listing_with_report()
    order = delivered_order(listing=listing)
    dispute_open(
        order_id=order.pk,
        buyer=order.buyer,
        reason="The battery dies within an hour.",
        check_ids=[battery.pk],
    )
    client.force_login(operations_user())

    html = client.get(staff_url("dispute", order)).content.decode()

    assert "The battery dies within an hour." in html
    assert "Battery health" in html and "91 %" in html and "Pass" in html
    assert "Screen has no scratches" not in html  # not disputed
    assert reverse("reports:detail", args=[listing.report_code]) in html


def test_the_dispute_page_shows_the_hosts_clips_of_the_item_as_evidence(client):
    # given: the item was explained twice in live shows; another item once
    order = disputed_order()
    pinned = timezone.now() - timedelta(days=3)
    clips = [
        a_clip(order.listing, title="Phones, tested live", pinned_at=pinned, offset="3725.40"),
        a_clip(order.listing, title="Phones again", pinned_at=pinned + timedelta(days=1), offset="247.00"),
    ]
    elsewhere = a_clip(ListingFactory(), title="Cameras, tested live")
    client.force_login(operations_user())

    html = client.get(staff_url("dispute", order)).content.decode()

    # then: each clip plays on the page, with its show, the moment in the show (h:mm:ss) and when
    # the host pinned the item, on the clock; newest first
    assert "How the host explained it in live shows" in html
    for clip in clips:
        assert f'src="{clip.video_url}"' in html and f'poster="{clip.poster_url}"' in html
    assert html.index("Phones again") < html.index("Phones, tested live")
    assert "1:02:05 into the show" in html and "0:04:07 into the show" in html
    at = timezone.localtime(pinned)
    assert (
        f'<time datetime="{at.replace(microsecond=0).isoformat()}">{date_format(at, "SHORT_DATETIME_FORMAT")}</time>'
        in html
    )
    assert elsewhere.video_url not in html and "Cameras, tested live" not in html


def test_the_clips_are_for_staff_alone(client):
    order = disputed_order()
    clip = a_clip(order.listing)
    client.force_login(order.buyer)

    response = client.get(staff_url("dispute", order))

    assert response.status_code == 403
    assert clip.video_url not in response.content.decode()


def test_a_dispute_about_an_item_never_shown_live_has_no_clips_part(client):
    order = disputed_order()
    client.force_login(operations_user())

    assert "How the host explained it" not in client.get(staff_url("dispute", order)).content.decode()


def test_a_partial_refund_needs_an_amount_below_the_price_and_moves_nothing_until_then(client):
    order = disputed_order(price="1000.00")
    client.force_login(operations_user())
    entries = Entry.objects.count()

    for data in (
        {"outcome": DisputeOutcome.PARTIAL_REFUND, "note": "Partly right."},
        {"outcome": DisputeOutcome.PARTIAL_REFUND, "refund_amount": "1000.00", "note": "Partly right."},
        {"outcome": DisputeOutcome.PARTIAL_REFUND, "refund_amount": "-5", "note": "Partly right."},
        {"outcome": DisputeOutcome.PARTIAL_REFUND, "refund_amount": "200.00", "note": ""},
        {"outcome": "maybe", "note": "Unsure."},
    ):
        response = client.post(staff_url("dispute", order), data)
        assert response.status_code == 400, data
        assert 'class="od-errors"' in response.content.decode()

    assert Entry.objects.count() == entries
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED


def test_a_partial_refund_splits_the_price(client):
    order = disputed_order(price="1000.00")
    client.force_login(operations_user())

    response = client.post(
        staff_url("dispute", order),
        {
            "outcome": DisputeOutcome.PARTIAL_REFUND,
            "refund_amount": "200.00",
            "note": "A scratch the photos hid.",
        },
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED
    assert Payment.objects.get(order=order).refunded_amount == Decimal("200.00")
    assert balance(wallet_account(user=order.seller)) == Decimal("760.00")  # 800 less the 5% fee
    dispute = Dispute.objects.get(order=order)
    assert dispute.resolution_note == "A scratch the photos hid."

    client.force_login(order.buyer)
    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "Partial refund" in html and "A scratch the photos hid." in html


def test_a_rejected_dispute_pays_the_seller_and_a_second_decision_is_refused(client):
    order = disputed_order(price="500.00")
    client.force_login(operations_user())
    data = {"outcome": DisputeOutcome.REJECTED, "note": "The item matches the report."}

    client.post(staff_url("dispute", order), data)
    again = client.post(
        staff_url("dispute", order), {**data, "outcome": DisputeOutcome.FULL_REFUND}, follow=True
    )

    assert balance(wallet_account(user=order.seller)) == Decimal("475.00")
    assert Payment.objects.get(order=order).refunded_amount == Decimal("0")
    assert again.status_code == 400
    assert "This dispute was already resolved." in again.content.decode()


def test_an_order_without_a_dispute_has_no_dispute_page(client):
    client.force_login(operations_user())
    assert client.get(staff_url("dispute", paid_order())).status_code == 404
    assert client.get("/staff/orders/O2345ABCDE/dispute/").status_code == 404


def test_the_staff_pages_render_in_chinese(client):
    order = disputed_order()
    client.force_login(operations_user())
    for path in ("/zh-hans/staff/orders/", f"/zh-hans/staff/orders/{order.number}/dispute/"):
        response = client.get(path)
        assert response.status_code == 200
        assert '<html lang="zh-hans">' in response.content.decode()


def test_the_admin_shows_orders_read_only(client):
    order = disputed_order()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for model in ("order", "payment", "dispute"):
        assert client.get(f"/admin/orders/{model}/").status_code == 200
    html = client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert order.number in html and staff_url("dispute", order) in html
    assert 'name="price"' not in html  # nothing to edit
    assert client.get("/admin/orders/order/add/").status_code == 403
