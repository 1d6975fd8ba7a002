"""The orders API: buying (one winner, 409 for the rest), paying on the sandbox page, following an
order, shipping, confirming, returns, disputes, ratings and the operations queues; field errors for
bad input (never a 500), 404 for somebody else's order, 403 for an action that is not yours, 409 for
one the order's status rules out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from listings.models import Listing, ListingSource, ListingStatus
from orders.models import Dispute, Order, OrderStatus, Payment, PaymentStatus, Rating, ReturnRequest
from sandbox.payments import CARD_SUCCEEDS, payment_submit
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import delivered_order, paid_order, return_shipment
from tests.orders.test_disputes import inspected_listing
from tests.recycling.shipping_fixtures import operations_user
from wallet.selectors import wallet_summary

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"
ADDRESS = {
    "ship_to_name": "Li Lei",
    "ship_to_phone": "138 0000 0000",
    "ship_to_region": "Shanghai",
    "ship_to_city": "Shanghai",
    "ship_to_address": "18 Fuxing Road, Xuhui, Shanghai",
    "ship_to_postcode": "200031",
}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(order: Order, action: str = "") -> str:
    return f"{ORDERS}{order.number}/{action}"


def delivered_then(status: OrderStatus, **kwargs) -> Order:
    """A delivered order moved on to `status`, as the services would have left its row."""
    order = delivered_order(**kwargs)
    stamps = {"completed_at": timezone.now()} if status == OrderStatus.COMPLETED else {}
    Order.objects.filter(pk=order.pk).update(status=status, **stamps)
    order.refresh_from_db()
    return order


def placed(buyer, **fields) -> Order:
    listing = ListingFactory(**fields)
    response = api(buyer).post(ORDERS, {"listing": listing.pk, **ADDRESS}, format="json")
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])


# --- Buying -------------------------------------------------------------------------------------------


def test_buy_now_reserves_the_item_and_answers_the_order():
    listing = ListingFactory(title="iPhone 13, 128 GB", price=Decimal("2999.00"))
    buyer = UserFactory()

    response = api(buyer).post(ORDERS, {"listing": listing.pk, **ADDRESS}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending_payment"
    assert body["status_label"] == "Awaiting payment"
    assert (body["price"], body["currency"]) == ("2999.00", "CNY")
    assert body["item"]["listing"] == listing.pk
    assert body["item"]["title"] == "iPhone 13, 128 GB"
    assert body["address"] == {
        "name": "Li Lei",
        "phone": "13800000000",
        "region": "Shanghai",
        "city": "Shanghai",
        "address": "18 Fuxing Road, Xuhui, Shanghai",
        "postcode": "200031",
    }
    assert body["actions"] == ["set_address", "pay", "cancel"]
    assert [event["status"] for event in body["timeline"]] == ["pending_payment"]
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED


def test_buying_again_answers_the_same_order_with_200():
    listing = ListingFactory()
    buyer = UserFactory()
    first = api(buyer).post(ORDERS, {"listing": listing.pk}, format="json")

    again = api(buyer).post(ORDERS, {"listing": listing.pk}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert Order.objects.filter(listing=listing).count() == 1


def test_the_next_buyer_gets_409_with_a_clear_message():
    listing = ListingFactory()
    api(UserFactory()).post(ORDERS, {"listing": listing.pk}, format="json")

    response = api(UserFactory()).post(ORDERS, {"listing": listing.pk}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "item_unavailable"
    assert body["reason"] == "reserved"
    assert body["detail"].startswith("Someone else is buying this item right now.")
    assert Order.objects.filter(listing=listing).count() == 1


def test_a_sold_item_is_409_sold():
    order = paid_order()

    response = api(UserFactory()).post(ORDERS, {"listing": order.listing_id}, format="json")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["reason"]) == ("item_unavailable", "sold")


def test_ones_own_listing_is_400_and_a_missing_one_404():
    listing = ListingFactory()

    own = api(listing.seller).post(ORDERS, {"listing": listing.pk}, format="json")
    missing = api(UserFactory()).post(ORDERS, {"listing": listing.pk + 1000}, format="json")
    draft = api(UserFactory()).post(
        ORDERS, {"listing": ListingFactory(status=ListingStatus.DRAFT).pk}, format="json"
    )

    assert own.status_code == 400
    assert own.json()["code"] == "own_listing"
    assert "your own listing" in own.json()["detail"]
    assert (missing.status_code, missing.json()["code"]) == (404, "listing_not_found")
    assert draft.json() == missing.json()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "listing"),
        ({"listing": "abc"}, "listing"),
        ({"listing": "1\x00"}, "listing"),
        ({"listing": 10**30}, "listing"),
        ({"listing": -1}, "listing"),
        ({"listing": [1]}, "listing"),
        ({"listing": True}, "listing"),
    ],
)
def test_a_listing_that_is_not_an_id_is_a_field_error(payload, field):
    response = api(UserFactory()).post(ORDERS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Order.objects.exists()


def test_an_address_comes_whole_or_not_at_all_and_nothing_is_placed_without_it():
    listing = ListingFactory()
    buyer = UserFactory()

    partial = api(buyer).post(ORDERS, {"listing": listing.pk, "ship_to_name": "Li Lei"}, format="json")
    nul = api(buyer).post(
        ORDERS, {"listing": listing.pk, **ADDRESS, "ship_to_address": "18 Fuxing\x00 Road"}, format="json"
    )
    bad_phone = api(buyer).post(
        ORDERS, {"listing": listing.pk, **ADDRESS, "ship_to_phone": "call me"}, format="json"
    )

    assert partial.status_code == 400
    assert set(partial.json()) == {
        "ship_to_phone",
        "ship_to_region",
        "ship_to_city",
        "ship_to_address",
        "ship_to_postcode",
    }
    assert nul.status_code == 400 and "ship_to_address" in nul.json()
    assert bad_phone.status_code == 400
    assert "ship_to_phone" in bad_phone.json() and bad_phone.json()["code"] == "phone_invalid"
    # The phone was checked by the service after the order was placed: both are undone together.
    assert not Order.objects.exists()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE


def test_signed_out_visitors_get_401():
    listing = ListingFactory()

    assert api().post(ORDERS, {"listing": listing.pk}, format="json").status_code == 401
    assert api().get(ORDERS).status_code == 401
    assert api().get("/api/v1/sales/").status_code == 401


# --- Paying -------------------------------------------------------------------------------------------


def test_paying_on_the_sandbox_page_makes_the_order_paid(django_capture_on_commit_callbacks):
    buyer = UserFactory()
    order = placed(buyer)

    response = api(buyer).post(url(order, "pay/"), {}, format="json")

    assert response.status_code == 200
    payment_url = response.json()["payment_url"]
    assert "/sandbox/pay/" in payment_url
    reference = Payment.objects.get(order=order).provider_reference
    assert reference in payment_url
    with django_capture_on_commit_callbacks(execute=True):
        payment_submit(reference=reference, card_number=CARD_SUCCEEDS)
    body = api(buyer).get(url(order)).json()
    assert body["status"] == "paid"
    assert [event["status"] for event in body["timeline"]] == ["pending_payment", "paid"]
    assert body["actions"] == []
    assert Payment.objects.get(order=order).status == PaymentStatus.SUCCEEDED


def test_paying_asks_for_the_address_first():
    buyer = UserFactory()
    order = Order.objects.get(
        number=api(buyer).post(ORDERS, {"listing": ListingFactory().pk}, format="json").json()["number"]
    )

    response = api(buyer).post(url(order, "pay/"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "address_required"
    assert "ship_to_address" in response.json()
    assert not Payment.objects.exists()


def test_the_address_can_be_set_before_paying():
    buyer = UserFactory()
    order = Order.objects.get(
        number=api(buyer).post(ORDERS, {"listing": ListingFactory().pk}, format="json").json()["number"]
    )

    response = api(buyer).post(url(order, "address/"), ADDRESS, format="json")
    missing = api(buyer).post(url(order, "address/"), {"ship_to_name": "Li Lei"}, format="json")

    assert response.status_code == 200
    assert response.json()["address"]["phone"] == "13800000000"
    assert missing.status_code == 400
    assert set(missing.json()) == {
        "ship_to_phone",
        "ship_to_region",
        "ship_to_city",
        "ship_to_address",
        "ship_to_postcode",
    }


def test_a_return_url_on_another_site_is_refused():
    buyer = UserFactory()
    order = placed(buyer)

    response = api(buyer).post(url(order, "pay/"), {"return_url": "https://evil.example/"}, format="json")
    not_a_url = api(buyer).post(url(order, "pay/"), {"return_url": "javascript:alert(1)"}, format="json")

    assert response.status_code == 400 and "return_url" in response.json()
    assert not_a_url.status_code == 400 and "return_url" in not_a_url.json()
    assert not Payment.objects.exists()


def test_a_payment_provider_outage_is_503_and_can_be_retried(settings):
    buyer = UserFactory()
    order = placed(buyer)
    settings.PAYMENT_SANDBOX_FAIL = True

    down = api(buyer).post(url(order, "pay/"), {}, format="json")
    settings.PAYMENT_SANDBOX_FAIL = False
    again = api(buyer).post(url(order, "pay/"), {}, format="json")

    assert down.status_code == 503
    assert down.json()["code"] == "payment_unavailable"
    assert again.status_code == 200
    assert Payment.objects.filter(order=order).count() == 1


def test_paying_a_paid_order_is_refused_and_moves_no_money():
    order = paid_order()

    response = api(order.buyer).post(url(order, "pay/"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "already_paid"
    assert Payment.objects.filter(order=order).count() == 1


def test_cancelling_before_paying_puts_the_item_back_on_sale():
    buyer = UserFactory()
    order = placed(buyer)

    response = api(buyer).post(url(order, "cancel/"))
    again = api(buyer).post(url(order, "cancel/"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["actions"] == []
    assert Listing.objects.get(pk=order.listing_id).status == ListingStatus.ACTIVE
    assert again.status_code in (400, 409)
    assert again.json()["code"]


# --- Reading ------------------------------------------------------------------------------------------


def test_my_orders_and_my_sales_list_only_mine():
    buyer = UserFactory()
    mine = paid_order(buyer=buyer)
    paid_order()  # somebody else's
    sold = paid_order()

    purchases = api(buyer).get(ORDERS).json()
    sales = api(sold.seller).get("/api/v1/sales/").json()

    assert [row["number"] for row in purchases["results"]] == [mine.number]
    assert purchases["next"] is None and purchases["previous"] is None
    assert [row["number"] for row in sales["results"]] == [sold.number]
    assert sales["results"][0]["buyer"]["username"] == sold.buyer.username
    assert "email" not in sales["results"][0]["buyer"]


def test_lists_come_in_keyset_pages():
    buyer = UserFactory()
    orders = [paid_order(buyer=buyer) for _ in range(22)]

    first = api(buyer).get(ORDERS).json()
    second = api(buyer).get(first["next"]).json()
    bad = api(buyer).get(ORDERS, {"cursor": "not-a-cursor\x00"})

    numbers = [row["number"] for row in first["results"] + second["results"]]
    assert sorted(numbers) == sorted(order.number for order in orders)
    assert len(first["results"]) == 20 and second["next"] is None
    assert bad.status_code == 400


def test_the_buyer_and_the_seller_read_the_order_and_nobody_else():
    order = delivered_order()

    as_buyer = api(order.buyer).get(url(order))
    as_seller = api(order.seller).get(url(order))
    as_stranger = api(UserFactory()).get(url(order))

    assert as_buyer.status_code == as_seller.status_code == 200
    body = as_buyer.json()
    assert body["tracking"]["carrier"] == "sf"
    assert body["tracking"]["carrier_name"] == "SF Express"
    assert body["tracking"]["tracking_number"] == "SF1234567890"
    assert body["return_window_closes_at"] is not None
    assert body["actions"] == ["confirm", "request_return", "dispute"]
    assert as_seller.json()["actions"] == []
    assert as_stranger.status_code == 404


@pytest.mark.parametrize("number", ["NOPE", "O%00", "a" * 40, "O1234'--"])
def test_a_number_that_is_no_order_is_404(number):
    assert api(UserFactory()).get(f"{ORDERS}{number}/").status_code == 404


def test_the_item_shows_its_cover_and_inspection_report():
    order = paid_order(
        listing=ListingFactory(source=ListingSource.PLATFORM, cover_key="ab12cd34", report_code="R7KQ2MX4")
    )

    item = api(order.buyer).get(url(order)).json()["item"]

    assert item["cover_url"].endswith("/listings/ab/ab12cd34-240.webp")
    assert item["cover_url"].startswith("http://testserver/")
    assert item["report_code"] == "R7KQ2MX4"
    assert item["report_url"].endswith("/r/R7KQ2MX4/")


# --- Shipping and receipt -----------------------------------------------------------------------------


def test_the_seller_ships_with_a_tracking_number():
    order = paid_order()

    response = api(order.seller).post(
        url(order, "ship/"), {"carrier": "sf", "tracking_number": "sf 1234-5678-90"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "shipped"
    assert body["tracking"]["tracking_number"] == "SF1234567890"
    assert [event["status"] for event in body["timeline"]] == ["paid", "shipped"]


def test_only_the_seller_ships_a_persons_sale():
    order = paid_order()

    as_buyer = api(order.buyer).post(
        url(order, "ship/"), {"carrier": "sf", "tracking_number": "SF1234567890"}, format="json"
    )
    as_stranger = api(UserFactory()).post(
        url(order, "ship/"), {"carrier": "sf", "tracking_number": "SF1234567890"}, format="json"
    )

    assert as_buyer.status_code == 403
    assert as_buyer.json()["code"] == "not_allowed"
    assert as_stranger.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_operations_ship_platform_stock():
    order = paid_order(source=ListingSource.PLATFORM)
    staff = operations_user()

    seen = api(staff).get(url(order))
    response = api(staff).post(
        url(order, "ship/"), {"carrier": "sf", "tracking_number": "SF1234567890"}, format="json"
    )

    assert seen.json()["actions"] == ["ship"]
    assert response.status_code == 200
    assert response.json()["status"] == "shipped"
    assert response.json()["actions"] == ["mark_delivered"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"tracking_number": "SF1234567890"}, "carrier"),
        ({"carrier": "sf"}, "tracking_number"),
        ({"carrier": "sf", "tracking_number": "12"}, "tracking_number"),
        ({"carrier": "SF\x00", "tracking_number": "SF1234567890"}, "carrier"),
        ({"carrier": "sf", "tracking_number": "SF" * 30}, "tracking_number"),
        ({"carrier": ["SF"], "tracking_number": 123456789}, "carrier"),
        ({"carrier": "   ", "tracking_number": "SF1234567890"}, "carrier"),
    ],
)
def test_bad_shipping_input_is_a_field_error(payload, field):
    order = paid_order()

    response = api(order.seller).post(url(order, "ship/"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_shipping_twice_is_409():
    order = paid_order()
    payload = {"carrier": "sf", "tracking_number": "SF1234567890"}
    api(order.seller).post(url(order, "ship/"), payload, format="json")

    again = api(order.seller).post(url(order, "ship/"), payload, format="json")

    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert "Shipped" in again.json()["detail"]


def test_operations_mark_delivered_and_nobody_else():
    order = paid_order(status=OrderStatus.SHIPPED, carrier="sf", tracking_number="SF1234567890")

    as_buyer = api(order.buyer).post(url(order, "delivered/"))
    as_staff = api(operations_user()).post(url(order, "delivered/"))
    unknown = api(operations_user()).post(f"{ORDERS}ONOSUCH123/delivered/")

    assert as_buyer.status_code == 403
    assert as_staff.status_code == 200
    assert as_staff.json()["status"] == "delivered"
    assert unknown.status_code == 404


def test_confirming_receipt_completes_the_sale_and_pays_the_seller(settings):
    settings.PLATFORM_FEE_RATE = Decimal("0.05")
    order = delivered_order(price="1000.00")

    response = api(order.buyer).post(url(order, "confirm/"))
    again = api(order.buyer).post(url(order, "confirm/"))
    as_seller = api(order.seller).post(url(order, "confirm/"))

    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert response.json()["actions"] == ["rate"]
    assert wallet_summary(order.seller).balance == Decimal("950.00")
    assert again.status_code == 409
    assert as_seller.status_code == 403
    assert wallet_summary(order.seller).balance == Decimal("950.00")


# --- Returns ------------------------------------------------------------------------------------------


def test_a_return_of_a_persons_item_from_request_to_refund():
    order = delivered_order()

    requested = api(order.buyer).post(url(order, "return/"), {"reason": "Too small for me."}, format="json")
    tracked = api(order.buyer).post(
        url(order, "return/tracking/"),
        {"carrier": "sf", "tracking_number": "SF9876543210"},
        format="json",
    )
    seller_view = api(order.seller).get(url(order)).json()
    received = api(order.seller).post(url(order, "return/received/"))

    assert requested.status_code == 200
    assert requested.json()["status"] == "return_requested"
    assert requested.json()["return_request"]["reason"] == "Too small for me."
    assert requested.json()["actions"] == ["return_tracking", "withdraw_return"]
    assert tracked.status_code == 200
    assert tracked.json()["return_request"]["tracking_number"] == "SF9876543210"
    assert seller_view["actions"] == ["mark_return_received"]
    assert received.status_code == 200
    assert received.json()["status"] == "refunded"
    assert received.json()["return_request"]["status"] == "received"
    assert Payment.objects.get(order=order).refunded_amount == order.price


def test_the_buyer_may_withdraw_a_return():
    order = delivered_order()
    api(order.buyer).post(url(order, "return/"), {"reason": "Changed my mind."}, format="json")

    response = api(order.buyer).post(url(order, "return/withdraw/"))

    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    assert response.json()["return_request"]["status"] == "withdrawn"


def test_a_return_needs_a_reason_and_the_window_open():
    order = delivered_order()
    late = delivered_order(days_ago=30)

    missing = api(order.buyer).post(url(order, "return/"), {}, format="json")
    nul = api(order.buyer).post(url(order, "return/"), {"reason": "bad\x00"}, format="json")
    too_long = api(order.buyer).post(url(order, "return/"), {"reason": "x" * 501}, format="json")
    after_window = api(late.buyer).post(url(late, "return/"), {"reason": "Too small."}, format="json")

    assert missing.status_code == nul.status_code == too_long.status_code == 400
    assert "reason" in missing.json() and "reason" in nul.json() and "reason" in too_long.json()
    assert after_window.status_code in (400, 409)
    assert after_window.json()["code"]
    assert not ReturnRequest.objects.exists()


def test_the_seller_cannot_ask_for_a_return_and_a_stranger_cannot_find_the_order():
    order = delivered_order()

    as_seller = api(order.seller).post(url(order, "return/"), {"reason": "Hmm."}, format="json")
    as_stranger = api(UserFactory()).post(url(order, "return/"), {"reason": "Hmm."}, format="json")

    assert as_seller.status_code == 403
    assert as_stranger.status_code == 404
    assert not ReturnRequest.objects.exists()


# --- Disputes -----------------------------------------------------------------------------------------


def test_a_dispute_is_opened_and_decided_by_operations():
    order = delivered_order(price="1000.00")
    staff = operations_user()

    opened = api(order.buyer).post(
        url(order, "dispute/"),
        {"reason": "The screen has a crack the listing did not mention."},
        format="json",
    )
    queue = api(staff).get("/api/v1/staff/disputes/").json()
    resolved = api(staff).post(
        f"/api/v1/staff/disputes/{order.number}/resolve/",
        {"outcome": "partial_refund", "refund_amount": "200.00", "note": "A crack, but it works."},
        format="json",
    )

    assert opened.status_code == 200
    assert opened.json()["status"] == "disputed"
    assert opened.json()["dispute"]["checks"] == []
    assert [row["number"] for row in queue["results"]] == [order.number]
    assert queue["results"][0]["dispute"]["reason"].startswith("The screen has a crack")
    assert resolved.status_code == 200
    body = resolved.json()
    assert body["status"] == "resolved"
    assert body["dispute"]["outcome"] == "partial_refund"
    assert body["dispute"]["refund_amount"] == "200.00"
    assert body["dispute"]["resolution_note"] == "A crack, but it works."
    assert Payment.objects.get(order=order).refunded_amount == Decimal("200.00")
    assert api(order.buyer).get(url(order)).json()["actions"] == ["rate"]


def test_a_dispute_on_an_inspected_item_points_at_the_checks_its_order_lists():
    listing, results = inspected_listing()
    order = delivered_order(listing=listing)

    checks = api(order.buyer).get(url(order)).json()["report_checks"]
    opened = api(order.buyer).post(
        url(order, "dispute/"),
        {"reason": "The screen has a crack the report missed.", "checks": [checks[1]["id"]]},
        format="json",
    )
    other = delivered_order(buyer=order.buyer, listing=inspected_listing()[0])
    foreign = api(order.buyer).post(
        url(other, "dispute/"),
        {"reason": "The screen has a crack the report missed.", "checks": [results[0].pk]},
        format="json",
    )

    assert [check["id"] for check in checks] == [result.pk for result in results]
    assert checks[0]["label"] == "Check 0" and checks[0]["outcome"] == "pass"
    assert opened.status_code == 200
    assert opened.json()["dispute"]["checks"] == [results[1].pk]
    assert foreign.status_code == 400  # a check of the other item's report
    assert "checks" in foreign.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "reason"),
        ({"reason": "short"}, "reason"),
        ({"reason": "Not as described at all.", "checks": ["a"]}, "checks"),
        ({"reason": "Not as described at all.", "checks": [10**30]}, "checks"),
        ({"reason": "Not as described at all.", "checks": "1,2"}, "checks"),
        # A person's item had no inspection: there are no report checks to point at.
        ({"reason": "Not as described at all.", "checks": [1]}, "checks"),
    ],
)
def test_bad_dispute_input_is_a_field_error(payload, field):
    order = delivered_order()

    response = api(order.buyer).post(url(order, "dispute/"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Dispute.objects.exists()


def test_a_dispute_after_the_window_is_refused():
    order = delivered_order(days_ago=30)

    response = api(order.buyer).post(
        url(order, "dispute/"), {"reason": "Not as described at all."}, format="json"
    )

    assert response.status_code in (400, 409)
    assert response.json()["code"]
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"outcome": "refund_everything", "note": "x"}, "outcome"),
        ({"outcome": "full_refund"}, "note"),
        ({"outcome": "partial_refund", "note": "Part."}, "refund_amount"),
        ({"outcome": "partial_refund", "refund_amount": "5000.00", "note": "Part."}, "refund_amount"),
        ({"outcome": "partial_refund", "refund_amount": "1e40", "note": "Part."}, "refund_amount"),
        ({"outcome": "partial_refund", "refund_amount": "NaN", "note": "Part."}, "refund_amount"),
        ({"outcome": "partial_refund", "refund_amount": "-1", "note": "Part."}, "refund_amount"),
        ({"outcome": "partial_refund", "refund_amount": "ten", "note": "Part."}, "refund_amount"),
        ({"outcome": "rejected", "refund_amount": "10.00", "note": "As described."}, "refund_amount"),
        ({"outcome": "rejected", "note": "\x00"}, "note"),
    ],
)
def test_bad_resolution_input_is_a_field_error_and_moves_no_money(payload, field):
    order = delivered_then(OrderStatus.DISPUTED, price="1000.00")
    Dispute.objects.create(order=order, reason="Not as described at all.")

    response = api(operations_user()).post(
        f"/api/v1/staff/disputes/{order.number}/resolve/", payload, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert Payment.objects.get(order=order).refunded_amount == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED


def test_only_operations_resolve_disputes():
    order = delivered_then(OrderStatus.DISPUTED)
    Dispute.objects.create(order=order, reason="Not as described at all.")
    payload = {"outcome": "full_refund", "note": "Refunded."}

    as_buyer = api(order.buyer).post(
        f"/api/v1/staff/disputes/{order.number}/resolve/", payload, format="json"
    )
    signed_out = api().post(f"/api/v1/staff/disputes/{order.number}/resolve/", payload, format="json")
    not_disputed = api(operations_user()).post(
        f"/api/v1/staff/disputes/{paid_order().number}/resolve/", payload, format="json"
    )

    assert as_buyer.status_code == 403
    assert signed_out.status_code == 401
    assert not_disputed.status_code == 409
    assert Payment.objects.get(order=order).refunded_amount == 0


# --- Ratings ------------------------------------------------------------------------------------------


def test_the_buyer_rates_the_seller_of_a_completed_order():
    order = delivered_then(OrderStatus.COMPLETED)

    response = api(order.buyer).post(
        url(order, "rating/"),
        {"accuracy": 5, "service": 4, "shipping": "3", "comment": "Fine."},
        format="json",
    )
    again = api(order.buyer).post(
        url(order, "rating/"), {"accuracy": 1, "service": 1, "shipping": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["rating"]["accuracy"] == 5
    assert response.json()["rating"]["shipping"] == 3
    assert response.json()["actions"] == []
    assert again.status_code == 400
    assert again.json()["code"] == "already_rated"
    order.seller.refresh_from_db()
    assert (order.seller.rating_count, order.seller.rating_score) == (1, Decimal("4.0"))


@pytest.mark.parametrize(
    "payload",
    [
        {"accuracy": 6, "service": 4, "shipping": 3},
        {"accuracy": 0, "service": 4, "shipping": 3},
        {"accuracy": "five", "service": 4, "shipping": 3},
        {"accuracy": 10**30, "service": 4, "shipping": 3},
        {"accuracy": 4.5, "service": 4, "shipping": 3},
        {"service": 4, "shipping": 3},
        {"accuracy": 5, "service": 4, "shipping": 3, "comment": "x" * 501},
        {"accuracy": 5, "service": 4, "shipping": 3, "comment": "nul\x00"},
    ],
)
def test_bad_ratings_are_field_errors(payload):
    order = delivered_then(OrderStatus.COMPLETED)

    response = api(order.buyer).post(url(order, "rating/"), payload, format="json")

    assert response.status_code == 400
    assert set(response.json()) & {"accuracy", "comment"}
    assert not Rating.objects.exists()


def test_a_rating_before_completion_or_for_someone_elses_order_is_refused():
    delivered = delivered_order()
    completed = delivered_then(OrderStatus.COMPLETED)
    scores = {"accuracy": 5, "service": 5, "shipping": 5}

    early = api(delivered.buyer).post(url(delivered, "rating/"), scores, format="json")
    stranger = api(UserFactory()).post(url(completed, "rating/"), scores, format="json")

    assert early.status_code == 400 and early.json()["code"] == "not_completed"
    assert stranger.status_code == 404
    assert not Rating.objects.exists()


# --- Operations queues --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/staff/disputes/", "/api/v1/staff/orders/to-ship/", "/api/v1/staff/orders/returns/"]
)
def test_queues_are_for_operations_only(path):
    assert api().get(path).status_code == 401
    assert api(UserFactory()).get(path).status_code == 403
    assert api(operations_user()).get(path).status_code == 200


def test_the_to_ship_queue_lists_paid_inspected_stock_oldest_first():
    older = paid_order(source=ListingSource.PLATFORM, paid_at=timezone.now() - timedelta(hours=2))
    newer = paid_order(source=ListingSource.CONSIGNED)
    paid_order(source=ListingSource.PERSON)

    rows = api(operations_user()).get("/api/v1/staff/orders/to-ship/").json()["results"]

    assert [row["number"] for row in rows] == [older.number, newer.number]
    assert rows[0]["address"]["address"] == "18 Fuxing Road, Xuhui, Shanghai"


def test_the_returns_queue_lists_inspected_items_on_their_way_back():
    order = delivered_then(OrderStatus.RETURN_REQUESTED, source=ListingSource.PLATFORM)
    ReturnRequest.objects.create(order=order, reason="Too big.")
    return_shipment(order, carrier="sf", tracking_number="SF1")
    staff = operations_user()

    rows = api(staff).get("/api/v1/staff/orders/returns/").json()["results"]
    received = api(staff).post(url(order, "return/received/"))

    assert [row["number"] for row in rows] == [order.number]
    assert rows[0]["return_request"]["tracking_number"] == "SF1"
    assert received.status_code == 200
    assert received.json()["status"] == "refunded"
