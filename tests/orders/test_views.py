"""The buyer's and the seller's order pages: checkout, my purchases and sales, an order's page and each
action on it, with who may see what and what bad input shows."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from listings.models import ListingSource, ListingStatus
from orders.models import Dispute, Order, OrderStatus, Payment, PaymentStatus, Rating, ReturnRequest
from orders.services.checkout import order_address_set, order_place, payment_start
from orders.services.fulfilment import order_confirm_receipt
from orders.services.returns import return_request
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import delivered_order, inspected_listing_with_report, paid_order, return_shipment
from wallet.models import Account, Entry
from wallet.services.ledger import wallet_account

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "Han Meimei",
    "phone": "13900000000",
    "region": "Shanghai",
    "city": "Shanghai",
    "street": "1 Nanjing Road, Huangpu",
    "postcode": "200001",
}


def balance(account: Account) -> Decimal:
    return account.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def pending_order(*, buyer=None, **listing_fields) -> Order:
    """An order just placed with "Buy now": the listing reserved, nothing paid."""
    buyer = buyer or UserFactory()
    listing = ListingFactory(**listing_fields)
    return order_place(buyer=buyer, listing_id=listing.pk)


def completed_order(**kwargs) -> Order:
    order = delivered_order(**kwargs)
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    order.refresh_from_db()
    return order


def url(name: str, order: Order) -> str:
    return reverse(f"orders:{name}", args=[order.number])


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Who sees what -----------------------------------------------------------------------------------


def test_order_pages_live_under_orders():
    assert reverse("orders:list") == "/orders/"
    assert reverse("orders:sales") == "/orders/sales/"
    assert reverse("orders:detail", args=["O2345ABCDE"]) == "/orders/O2345ABCDE/"
    assert reverse("orders:return_label", args=["O2345ABCDE"]) == "/orders/O2345ABCDE/return-label.pdf"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    order = paid_order()
    for path in ("/orders/", "/orders/sales/", url("detail", order), url("pay", order)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(url("confirm_receipt", order))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_someone_elses_order_is_a_404_on_every_page_and_action(client):
    order = delivered_order()
    client.force_login(UserFactory())
    for path in (
        url("detail", order),
        url("pay", order),
        url("return_label", order),
        url("payment_status", order),
    ):
        assert client.get(path).status_code == 404
    for name in ("confirm_receipt", "return_request", "dispute", "rate", "ship", "cancel"):
        assert client.post(url(name, order), {"reason": "Not what I ordered at all"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_an_unknown_or_malformed_order_number_is_a_404(client):
    client.force_login(UserFactory())
    assert client.get("/orders/O2345ABCDE/").status_code == 404
    assert client.get("/orders/o2345abcde/").status_code == 404
    assert client.get("/orders/%00/").status_code == 404


def test_the_buyer_and_the_seller_both_see_the_order(client):
    order = paid_order(price="880.00")

    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert order.title in html and "880.00" in html
    assert "Paid" in html and "18 Fuxing Road" in html
    assert url("ship", order) not in html  # the buyer does not ship

    client.force_login(order.seller)
    html = page(client, url("detail", order))
    assert "18 Fuxing Road" in html  # where to send it
    assert url("ship", order) in html
    assert order.buyer.public_name in html


# --- Lists --------------------------------------------------------------------------------------------


def test_my_purchases_lists_my_orders_with_status_and_next_step(client):
    buyer = UserFactory()
    paid = paid_order(buyer=buyer)
    delivered = delivered_order(buyer=buyer)
    someone_elses = paid_order()
    client.force_login(buyer)

    html = page(client, "/orders/")

    assert paid.title in html and delivered.title in html
    assert someone_elses.title not in html
    assert "Waiting for the seller to ship" in html
    assert "Confirm receipt, or return it" in html
    assert url("detail", paid) in html


def test_my_sales_lists_what_to_do_next_and_who_bought(client):
    seller = UserFactory()
    order = paid_order(listing=ListingFactory(seller=seller), buyer=UserFactory(display_name="Wei Ming"))
    client.force_login(seller)

    html = page(client, "/orders/sales/")

    assert order.title in html
    assert "ship it and enter the tracking number" in html
    assert "bought by Wei Ming" in html


def test_an_empty_list_says_so(client):
    client.force_login(UserFactory())
    assert "You have not bought anything yet." in page(client, "/orders/")
    assert "Nobody has bought one of your items yet." in page(client, "/orders/sales/")


def test_a_broken_page_link_shows_the_first_page_with_a_message(client):
    buyer = UserFactory()
    paid_order(buyer=buyer)
    client.force_login(buyer)
    html = page(client, "/orders/?cursor=not-a-cursor")
    assert "This page link is no longer valid" in html
    assert 'class="od-row"' in html


def test_my_purchases_pages_through_older_orders(client):
    buyer = UserFactory()
    for _i in range(21):
        paid_order(buyer=buyer)
    client.force_login(buyer)
    first = page(client, "/orders/")
    assert first.count('class="od-row"') == 20
    next_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert page(client, "/orders/" + next_link).count('class="od-row"') == 1


# --- Checkout -----------------------------------------------------------------------------------------


def test_checkout_shows_the_item_the_countdown_and_the_last_address(client):
    buyer = UserFactory()
    paid_order(buyer=buyer)  # ships to Li Lei, 18 Fuxing Road
    order = pending_order(buyer=buyer, price=Decimal("450.00"))
    client.force_login(buyer)

    html = page(client, url("pay", order))

    assert order.title in html and "450.00" in html
    assert 'role="timer"' in html and 'data-seconds="' in html
    assert "14:5" in html or "15:00" in html  # the server's figure, counted down by the script
    assert 'value="Li Lei"' in html and "18 Fuxing Road" in html
    assert url("cancel", order) in html


def test_paying_saves_the_address_and_sends_the_buyer_to_the_payment_page(client):
    order = pending_order()
    client.force_login(order.buyer)

    response = client.post(url("pay", order), ADDRESS)

    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert response["Location"] == payment.hosted_url
    assert "/sandbox/pay/" in payment.hosted_url
    order.refresh_from_db()
    assert (order.ship_to_name, order.ship_to_address) == (ADDRESS["name"], ADDRESS["street"])


def test_a_missing_address_is_a_form_error_and_opens_no_payment(client):
    order = pending_order()
    client.force_login(order.buyer)

    response = client.post(url("pay", order), {"name": "", "phone": "", "street": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the name of the person the parcel is for." in html
    assert "Enter the street address: district, street, building and room." in html
    assert not Payment.objects.filter(order=order).exists()


def test_a_phone_the_service_refuses_is_shown_under_the_phone_field(client):
    order = pending_order()
    client.force_login(order.buyer)

    response = client.post(url("pay", order), {**ADDRESS, "phone": "call me"})

    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index("address-field-phone") :]
    assert 'class="address-errors"' in field[: field.index("</div>")]
    assert not Payment.objects.filter(order=order).exists()


def test_a_payment_provider_outage_is_a_message_not_an_error_page(client, settings):
    settings.PAYMENT_SANDBOX_FAIL = True
    order = pending_order()
    client.force_login(order.buyer)

    response = client.post(url("pay", order), ADDRESS)

    assert response.status_code == 503
    assert "The payment service is not answering" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_a_lapsed_reservation_gets_a_clear_page(client):
    order = pending_order()
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(minutes=1))
    client.force_login(order.buyer)

    for response in (client.get(url("pay", order)), client.post(url("pay", order), ADDRESS)):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Your reservation ran out" in html
        assert "went back on sale" in html
    assert not Payment.objects.filter(order=order).exists()


def test_a_paid_order_has_no_checkout(client):
    order = paid_order()
    client.force_login(order.buyer)
    response = client.get(url("pay", order))
    assert response.status_code == 302 and response["Location"] == url("detail", order)


def test_the_seller_cannot_open_the_buyers_checkout(client):
    order = pending_order()
    client.force_login(order.listing.seller)
    assert client.get(url("pay", order)).status_code == 404


def test_cancelling_puts_the_item_back_on_sale(client):
    order = pending_order()
    client.force_login(order.buyer)

    response = client.post(url("cancel", order), follow=True)

    assert "Your order is cancelled and the item is back on sale." in response.content.decode()
    order.refresh_from_db()
    order.listing.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.listing.status == ListingStatus.ACTIVE


def test_cancelling_a_paid_order_is_a_message_and_changes_nothing(client):
    order = paid_order()
    client.force_login(order.buyer)
    response = client.post(url("cancel", order), follow=True)
    assert "already been paid" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def _started_payment(order: Order) -> Payment:
    order_address_set(order_id=order.pk, buyer=order.buyer, address=ADDRESS)
    return payment_start(order_id=order.pk, buyer=order.buyer, return_url="http://testserver/")


def test_back_from_the_payment_page_the_order_page_waits_for_the_webhook(
    client, django_capture_on_commit_callbacks
):
    from sandbox.payments import payment_submit

    order = pending_order()
    payment = _started_payment(order)
    client.force_login(order.buyer)

    html = page(client, url("detail", order))
    assert "Waiting for the payment to be confirmed" in html
    assert f'data-hx-get="{url("payment_status", order)}"' in html and 'data-hx-trigger="every 2s"' in html
    assert 'http-equiv="refresh"' in html  # without JavaScript the page reloads itself
    still_waiting = client.get(url("payment_status", order))
    assert "Waiting for the payment" in still_waiting.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the provider's webhook, after its commit
        payment_submit(reference=payment.provider_reference, card_number="4242424242424242")

    answer = client.get(url("payment_status", order))
    assert answer["HX-Redirect"] == url("detail", order)
    html = page(client, url("detail", order))
    assert "Waiting for the payment" not in html
    assert "Payment received" in html


def test_a_declined_card_says_so_and_offers_another_try(client, django_capture_on_commit_callbacks):
    from sandbox.payments import payment_submit

    order = pending_order()
    payment = _started_payment(order)
    with django_capture_on_commit_callbacks(execute=True):
        payment_submit(reference=payment.provider_reference, card_number="4000000000000002")
    client.force_login(order.buyer)

    html = page(client, url("detail", order))

    assert "Your payment did not go through." in html
    assert "Try paying again" in html
    assert "payment-status" not in html  # the page stops asking for the payment's status


# --- Receipt, returns, disputes ----------------------------------------------------------------------


def test_confirming_receipt_completes_the_order_and_pays_the_seller(client):
    order = delivered_order(price="1000.00")
    client.force_login(order.buyer)
    assert url("confirm_receipt", order) in page(client, url("detail", order))

    response = client.post(url("confirm_receipt", order), follow=True)

    assert "The order is complete and the seller is paid." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert balance(wallet_account(user=order.seller)) == Decimal("950.00")  # the price less the 5% fee


def test_the_seller_cannot_confirm_receipt_for_the_buyer(client):
    order = delivered_order()
    client.force_login(order.seller)
    assert client.post(url("confirm_receipt", order)).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_the_return_window_shows_its_end_and_a_return_needs_a_reason(client):
    order = delivered_order(days_ago=2)
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert "you can return the item or say it is not as described" in html

    entries = Entry.objects.count()
    response = client.post(url("return_request", order), {"reason": "  "})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please say why you are returning the item." in html
    assert '<details class="od-more" open>' in html  # the form with the error is open
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert Entry.objects.count() == entries


def test_a_person_to_person_return_then_its_tracking_number(client):
    order = delivered_order()
    client.force_login(order.buyer)

    response = client.post(url("return_request", order), {"reason": "The strap is a different colour."})
    assert response.status_code == 302
    html = page(client, url("detail", order))
    assert "Send the item back to the seller" in html

    bad = client.post(url("return_tracking", order), {"carrier": "sf", "tracking_number": "12"})
    assert bad.status_code == 400
    assert "A tracking number is 6 to 40 letters or digits." in bad.content.decode()

    client.post(url("return_tracking", order), {"carrier": "sf", "tracking_number": "sf 998-877-665"})
    returned = ReturnRequest.objects.get(order=order)
    assert (returned.carrier, returned.tracking_number) == ("sf", "SF998877665")
    client.force_login(order.seller)
    assert "SF998877665" in page(client, url("detail", order))


def test_a_return_after_the_window_is_refused_with_a_message(client):
    order = delivered_order(days_ago=30)
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert url("return_request", order) not in html
    assert "closed on" in html

    response = client.post(url("return_request", order), {"reason": "Changed my mind about it."})

    assert response.status_code == 400
    assert "The return window closed on" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_the_buyer_may_keep_the_item_after_all(client):
    order = delivered_order()
    return_request(order_id=order.pk, buyer=order.buyer, reason="Too small.")
    client.force_login(order.buyer)

    client.post(url("return_withdraw", order))

    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert "Return withdrawn: the buyer keeps the item" in page(client, url("detail", order))


def test_the_seller_marks_the_return_received_and_the_buyer_is_refunded(client):
    order = delivered_order(price="600.00")
    return_request(order_id=order.pk, buyer=order.buyer, reason="Scratched screen.")
    client.force_login(order.seller)
    assert url("return_received", order) in page(client, url("detail", order))

    response = client.post(url("return_received", order), follow=True)

    assert "the buyer is refunded" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Payment.objects.get(order=order).refunded_amount == Decimal("600.00")


def test_the_buyer_downloads_the_free_return_label_of_an_inspected_item(client):
    order = delivered_order(source=ListingSource.PLATFORM)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Battery drains fast.")
    return_shipment(order, tracking_number="RL12345678", label=b"%PDF-1.4 label")
    client.force_login(order.buyer)
    assert url("return_label", order) in page(client, url("detail", order))

    response = client.get(url("return_label", order))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF")
    client.force_login(order.seller)
    assert client.get(url("return_label", order)).status_code == 404


def test_a_dispute_on_an_inspected_item_points_at_the_reports_checks(client):
    listing, (screen, _battery) = inspected_listing_with_report()
    order = delivered_order(listing=listing)
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert "Screen has no scratches" in html and "Battery health" in html
    assert f'value="{screen.pk}"' in html

    response = client.post(
        url("dispute", order),
        {"reason": "There is a deep scratch across the screen.", "check_ids": [screen.pk]},
        follow=True,
    )

    assert "Your claim is with Reloop." in response.content.decode()
    dispute = Dispute.objects.get(order=order)
    assert list(dispute.disputed_checks.all()) == [screen]
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED
    assert "Screen has no scratches" in page(client, url("detail", order))


def test_a_dispute_needs_a_real_description_and_checks_from_this_report(client):
    listing, _results = inspected_listing_with_report()
    _other_listing, (other_check, _) = inspected_listing_with_report()
    order = delivered_order(listing=listing)
    client.force_login(order.buyer)

    short = client.post(url("dispute", order), {"reason": "bad"})
    foreign = client.post(
        url("dispute", order), {"reason": "There is a deep scratch on it.", "check_ids": [other_check.pk]}
    )

    garbage = client.post(
        url("dispute", order), {"reason": "There is a deep scratch on it.", "check_ids": "abc"}
    )

    assert short.status_code == 400 and foreign.status_code == 400 and garbage.status_code == 400
    assert 'id="field-dispute_reason"' in short.content.decode()
    assert "Choose checks from this item" in foreign.content.decode()
    assert not Dispute.objects.filter(order=order).exists()


def test_a_dispute_on_a_person_to_person_item_has_no_checks_to_tick(client):
    order = delivered_order()
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert 'name="check_ids"' not in html

    client.post(url("dispute", order), {"reason": "It is a different model from the photos."})

    assert Dispute.objects.filter(order=order).exists()


# --- Ratings and shipping ------------------------------------------------------------------------------


def test_the_buyer_rates_the_seller_once_the_order_is_complete(client):
    order = completed_order()
    client.force_login(order.buyer)
    assert url("rate", order) in page(client, url("detail", order))

    client.post(url("rate", order), {"accuracy": "5", "service": "4", "shipping": "4", "comment": "Great"})

    rating = Rating.objects.get(order=order)
    assert (rating.accuracy, rating.service, rating.shipping) == (5, 4, 4)
    order.seller.refresh_from_db()
    assert order.seller.rating_count == 1
    html = page(client, url("detail", order))
    assert "Your rating" in html and url("rate", order) not in html


def test_a_score_outside_one_to_five_is_a_form_error(client):
    order = completed_order()
    client.force_login(order.buyer)

    response = client.post(url("rate", order), {"accuracy": "9", "service": "", "shipping": "3"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "A score is a whole number from 1 to 5." in html
    assert "Give a score from 1 to 5 for each." in html
    assert not Rating.objects.filter(order=order).exists()


def test_rating_an_order_that_is_not_complete_is_refused(client):
    order = delivered_order()
    client.force_login(order.buyer)
    response = client.post(url("rate", order), {"accuracy": "5", "service": "5", "shipping": "5"})
    assert response.status_code == 400
    assert "once the order is completed" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_seller_marks_it_shipped_with_a_tracking_number(client):
    order = paid_order()
    client.force_login(order.seller)

    bad = client.post(url("ship", order), {"carrier": "", "tracking_number": "SF1"})
    assert bad.status_code == 400
    assert "Which carrier is taking the parcel?" in bad.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    client.post(url("ship", order), {"carrier": "sf", "tracking_number": "SF1234567890"})
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "SF1234567890")
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert "SF1234567890" in html and "by the seller" in html


def test_the_buyer_cannot_mark_it_shipped(client):
    order = paid_order()
    client.force_login(order.buyer)
    response = client.post(url("ship", order), {"carrier": "sf", "tracking_number": "SF1234567890"})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_acting_on_an_order_that_has_moved_on_is_a_message(client):
    order = completed_order()
    client.force_login(order.buyer)
    response = client.post(url("confirm_receipt", order), follow=True)
    assert response.status_code == 200
    assert "This order has moved on" in response.content.decode()


def test_the_timeline_says_who_did_what(client):
    order = completed_order()
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    assert "Order placed" in html
    assert "Payment received" in html
    assert "Completed" in html and "by you" in html


# --- Chinese -------------------------------------------------------------------------------------------


def test_the_order_pages_render_in_chinese(client):
    order = delivered_order()
    client.force_login(order.buyer)
    for path in ("/zh-hans/orders/", "/zh-hans/orders/sales/", f"/zh-hans/orders/{order.number}/"):
        html = page(client, path)
        assert '<html lang="zh-hans">' in html
    assert f'href="/zh-hans/orders/{order.number}/"' in page(client, "/zh-hans/orders/")
    assert f'action="/zh-hans/orders/{order.number}/confirm-receipt/"' in page(
        client, f"/zh-hans/orders/{order.number}/"
    )


def test_checkout_renders_in_chinese_and_pays_from_there(client):
    order = pending_order()
    client.force_login(order.buyer)
    html = page(client, f"/zh-hans/orders/{order.number}/pay/")
    assert '<html lang="zh-hans">' in html
    assert f'action="/zh-hans/orders/{order.number}/pay/"' in html

    response = client.post(f"/zh-hans/orders/{order.number}/pay/", ADDRESS)

    assert response.status_code == 302 and "/sandbox/pay/" in response["Location"]


def test_a_chinese_shopper_sees_the_reports_checks_in_chinese(client):
    listing, _results = inspected_listing_with_report()
    order = delivered_order(listing=listing)
    client.force_login(order.buyer)
    assert "屏幕无划痕" in page(client, f"/zh-hans/orders/{order.number}/")


def test_the_nav_links_to_orders_and_the_wallet(client):
    client.force_login(UserFactory())
    html = page(client, "/orders/")
    assert 'href="/orders/"' in html and 'href="/wallet/"' in html


def test_no_money_moves_on_bad_input(client):
    order = delivered_order()
    client.force_login(order.buyer)
    entries, payments = Entry.objects.count(), list(Payment.objects.values_list("status", "refunded_amount"))

    client.post(url("return_request", order), {"reason": ""})
    client.post(url("dispute", order), {"reason": "short"})
    client.post(url("rate", order), {"accuracy": "0"})
    client.post(url("return_received", order))

    assert Entry.objects.count() == entries
    assert list(Payment.objects.values_list("status", "refunded_amount")) == payments
    assert PaymentStatus.SUCCEEDED in [status for status, _amount in payments]


def test_every_id_on_the_order_page_is_unique(client):
    listing, _results = inspected_listing_with_report()
    order = delivered_order(listing=listing)
    client.force_login(order.buyer)
    html = page(client, url("detail", order))
    ids = re.findall(r' id="([^"]+)"', html)
    assert "return_reason" in ids and "dispute_reason" in ids
    assert len(ids) == len(set(ids))


def test_before_the_free_label_is_booked_the_page_says_it_is_coming(client):
    order = delivered_order(source=ListingSource.CONSIGNED)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Battery drains fast.")  # label after commit
    client.force_login(order.buyer)

    html = page(client, url("detail", order))

    assert "Your free return label is being prepared." in html
    assert url("return_label", order) not in html
    assert client.get(url("return_label", order)).status_code == 404


def test_odd_input_is_a_message_or_a_404_never_a_500(client):
    order = delivered_order()
    pending = pending_order(buyer=order.buyer)
    client.force_login(order.buyer)
    huge = "9" * 30

    assert client.post(f"/orders/buy/{huge}/").status_code == 404
    assert client.get("/orders/?cursor=%00").status_code == 200
    assert client.get(f"/orders/?cursor={huge}").status_code == 200
    nul = client.post(url("pay", pending), {**ADDRESS, "name": "Han\x00Meimei"})
    assert (
        nul.status_code == 400
        and "Remove the invisible control characters from this text." in nul.content.decode()
    )
    assert client.post(url("return_request", order), {"reason": "bad\x00input"}).status_code == 400
    too_long = client.post(url("dispute", order), {"reason": "x" * 5000})
    assert too_long.status_code == 400
    assert client.post(url("rate", order), {"accuracy": "\x00"}).status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert not Payment.objects.filter(order=pending).exists()


def test_a_script_in_a_title_shows_as_text(client):
    order = paid_order(listing=ListingFactory(title="<script>alert(1)</script>"))
    client.force_login(order.buyer)
    for path in ("/orders/", url("detail", order)):
        html = page(client, path)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_past_the_reservation_the_order_page_stops_offering_to_pay(client):
    order = pending_order()
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))
    client.force_login(order.buyer)

    html = page(client, url("detail", order))

    assert "Your reservation ran out before the payment arrived" in html
    assert url("pay", order) not in html


def test_the_payment_poll_reads_only_the_order_and_its_latest_payment(client, django_assert_num_queries):
    order = pending_order()
    _started_payment(order)
    client.force_login(order.buyer)
    # the user, the order, its latest payment's status (the session is in the cache): the poll runs
    # every two seconds
    with django_assert_num_queries(3):
        response = client.get(url("payment_status", order))
    assert "Waiting for the payment" in response.content.decode()
