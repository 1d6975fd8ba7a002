"""The payment provider's webhook: only signed, fresh, well-formed events are applied, each once."""

import json
import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from listings.models import ListingSource
from orders.models import Order, OrderStatus, Payment, PaymentStatus, ProviderEvent
from orders.services.checkout import order_address_set, order_place, payment_start
from sandbox.models import SandboxWebhook
from sandbox.payments import redeliver, signed_headers
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO
from wallet.models import AccountPurpose, Transaction
from wallet.services.ledger import platform_account

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/webhook/"


def _started() -> Payment:
    # Reloop's own stock ships free: the payment is for the price alone.
    listing = ListingFactory(price=Decimal("1299.00"), source=ListingSource.PLATFORM)
    order = order_place(buyer=UserFactory(), listing_id=listing.pk)
    order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO)
    return payment_start(order_id=order.pk, buyer=order.buyer, return_url="https://reloop.example/back/")


def _body(payment: Payment, *, kind="payment.succeeded", event_id="evt_test_1", **data) -> bytes:
    document = {
        "id": event_id,
        "type": kind,
        "created": timezone.now().isoformat(),
        "data": {
            "payment": payment.provider_reference,
            "amount": str(payment.amount),
            "currency": "CNY",
            **data,
        },
    }
    return json.dumps(document).encode()


def _post(client, body: bytes, headers: dict | None = None):
    headers = signed_headers(body) if headers is None else headers
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def test_the_route_is_named():
    assert reverse("payments:webhook") == URL


def test_a_signed_success_pays_the_order(client):
    payment = _started()

    response = _post(client, _body(payment))

    assert response.status_code == 200
    assert response.json() == {"event": "evt_test_1", "outcome": "applied"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert Order.objects.get().status == OrderStatus.PAID


@pytest.mark.parametrize(
    "sign",
    [
        lambda body: {},
        lambda body: {"Reloop-Signature": "t=1,v1=00"},
        lambda body: {"Reloop-Signature": f"t={int(time.time())},v1=00"},
        lambda body: signed_headers(b"another body"),
        lambda body: signed_headers(body, secret="not-the-secret"),
    ],
    ids=["missing", "old and wrong", "wrong", "another body", "another secret"],
)
def test_a_bad_signature_is_403_and_nothing_is_read(client, sign):
    payment = _started()
    body = _body(payment)

    response = _post(client, body, sign(body))

    assert response.status_code == 403
    assert response.json()["code"] == "webhook_rejected"
    assert not ProviderEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CREATED


def test_a_stale_timestamp_is_403(client):
    payment = _started()
    body = _body(payment)

    response = _post(client, body, signed_headers(body, timestamp=int(time.time()) - 301))

    assert response.status_code == 403
    assert "too old" in response.json()["detail"]
    assert not ProviderEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"id":"evt_1","type":"payment.succeeded"}',
        b'{"id":"evt_\\u0000","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"1.00"}}',
    ],
)
def test_a_signed_but_malformed_body_is_400(client, body):
    response = _post(client, body)

    assert response.status_code == 400
    assert response.json()["code"] == "malformed"
    assert not ProviderEvent.objects.exists()


def test_only_post_is_answered(client):
    assert client.get(URL).status_code == 405


def test_a_duplicate_delivery_is_one_payment_and_one_ledger_posting(
    client, django_capture_on_commit_callbacks
):
    # given: the buyer paid on the hosted page and the webhook arrived
    payment = _started()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            urlsplit(payment.hosted_url).path,
            {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"},
        )
    event_id = SandboxWebhook.objects.get().event_id

    # when: the provider delivers it again, twice
    redeliver(event_id)
    redeliver(event_id)
    again = _post(client, SandboxWebhook.objects.get().body.encode())

    # then
    assert again.json() == {"event": event_id, "outcome": "duplicate"}
    assert ProviderEvent.objects.count() == 1
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1
    assert Transaction.objects.filter(cause="payment").count() == 1
    assert platform_account(purpose=AccountPurpose.ESCROW).balance == Decimal("1299.00")
    assert SandboxWebhook.objects.get().attempts == 3


def test_the_same_success_under_a_new_event_id_moves_no_money_twice(client):
    payment = _started()

    _post(client, _body(payment, event_id="evt_a"))
    response = _post(client, _body(payment, event_id="evt_b"))

    assert response.json()["outcome"] == "ignored"
    assert Transaction.objects.count() == 1
    assert ProviderEvent.objects.count() == 2


def test_a_failed_event_after_success_keeps_the_order_paid(client):
    payment = _started()

    _post(client, _body(payment, event_id="evt_ok"))
    response = _post(
        client, _body(payment, kind="payment.failed", event_id="evt_late_fail", reason="card_declined")
    )

    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == (PaymentStatus.SUCCEEDED, "")
    assert Order.objects.get().status == OrderStatus.PAID


def test_an_event_for_an_unknown_payment_is_stored_and_ignored(client):
    body = json.dumps(
        {
            "id": "evt_stranger",
            "type": "payment.succeeded",
            "created": timezone.now().isoformat(),
            "data": {"payment": "pay_not_ours", "amount": "10.00"},
        }
    ).encode()

    response = _post(client, body)

    assert response.status_code == 200
    assert response.json() == {"event": "evt_stranger", "outcome": "ignored"}
    assert ProviderEvent.objects.get().provider_reference == "pay_not_ours"
    assert not Transaction.objects.exists()


def test_an_unknown_kind_is_stored_and_moves_nothing(client):
    payment = _started()

    response = _post(client, _body(payment, kind="payment.disputed", event_id="evt_kind"))

    assert response.json()["outcome"] == "ignored"
    assert ProviderEvent.objects.get().kind == "payment.disputed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CREATED


# --- A success for another amount or currency waits for review --------------------------------------


@pytest.mark.parametrize(
    ("data", "reported"),
    [({"amount": "1.00"}, (Decimal("1.00"), "CNY")), ({"currency": "USD"}, (Decimal("1299.00"), "USD"))],
    ids=["amount", "currency"],
)
def test_a_success_that_does_not_match_the_payment_is_held_and_pays_nothing(client, data, reported):
    payment = _started()

    response = _post(client, _body(payment, **data))

    assert response.status_code == 200
    assert response.json() == {"event": "evt_test_1", "outcome": "held_for_review"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REVIEW
    assert (payment.reported_amount, payment.reported_currency) == reported
    order = Order.objects.get()
    assert order.status == OrderStatus.PENDING_PAYMENT and order.paid_at is None
    assert order.listing.status == "reserved"
    assert not Transaction.objects.exists()


def test_a_held_payment_stays_held_when_a_matching_success_follows(client):
    payment = _started()
    _post(client, _body(payment, event_id="evt_wrong", amount="1.00"))

    response = _post(client, _body(payment, event_id="evt_right"))

    assert response.json()["outcome"] == "ignored"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REVIEW
    assert Order.objects.get().status == OrderStatus.PENDING_PAYMENT
    assert not Transaction.objects.exists()


def test_operations_see_the_payments_to_review_on_the_orders_desk(client):
    from tests.recycling.shipping_fixtures import operations_user

    payment = _started()
    _post(client, _body(payment, amount="1.00"))
    client.force_login(operations_user())

    page = client.get("/staff/orders/").content.decode()

    assert "Payments to review" in page
    assert payment.order.number in page
    assert "provider reported ¥1.00, the payment is for ¥1,299.00" in page
    assert payment.provider_reference in page


def test_the_orders_desk_shows_no_review_list_when_nothing_waits(client):
    from tests.recycling.shipping_fixtures import operations_user

    _post(client, _body(_started()))
    client.force_login(operations_user())

    assert "Payments to review" not in client.get("/staff/orders/").content.decode()


def test_the_buyer_is_told_the_payment_is_being_checked(client):
    payment = _started()
    _post(client, _body(payment, currency="USD"))
    client.force_login(payment.order.buyer)

    page = client.get(f"/orders/{payment.order.number}/").content.decode()

    assert "We are checking your last payment" in page
