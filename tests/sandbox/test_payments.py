"""The sandbox payment provider behaves like a real one: idempotent calls, refunds within what was
paid, signed webhooks, and a hosted page that takes only its test cards."""

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.templatetags.money import money
from orders.errors import PaymentProviderUnavailable, WebhookRejected
from orders.models import ProviderEvent
from orders.payments import MalformedWebhook, PaymentDeclined
from sandbox.models import SandboxPayment, SandboxPaymentStatus, SandboxRefund, SandboxWebhook
from sandbox.payments import (
    LOST_DELIVERY_AFTER,
    IdempotencyKeyReused,
    SandboxPaymentProvider,
    WebhookDeliveryFailed,
    deliver,
    deliveries_requeue_lost,
    signed_headers,
)
from tests.outages import broker_down

pytestmark = pytest.mark.django_db

SECRET = "sandbox-payment-webhook-secret"
RETURN_URL = "https://shop.example/orders/O1/"


@pytest.fixture
def provider(settings) -> SandboxPaymentProvider:
    settings.PAYMENT_WEBHOOK_SECRET = SECRET
    settings.SITE_URL = "https://reloop.example"
    return SandboxPaymentProvider(secret=SECRET)


def _open(provider, *, key="order:1:payment:1", amount="1299.00"):
    return provider.create_payment(
        idempotency_key=key,
        amount=Decimal(amount),
        currency="CNY",
        description="iPhone 13 · O1",
        return_url=RETURN_URL,
    )


def _pay(client, reference, card="4242 4242 4242 4242", *, expiry="12/39", cvc="123", language=""):
    url = f"{language}{reverse('sandbox:pay', kwargs={'reference': reference})}"
    return client.post(url, {"card_number": card, "expiry": expiry, "cvc": cvc})


def _events():
    return [json.loads(webhook.body) for webhook in SandboxWebhook.objects.order_by("id")]


# --- The provider's calls ---------------------------------------------------------------------------


def test_creating_a_payment_twice_with_one_key_opens_one_payment(provider):
    first = _open(provider)
    second = _open(provider)

    assert first == second
    assert first.hosted_url == f"https://reloop.example/sandbox/pay/{first.reference}/"
    assert SandboxPayment.objects.count() == 1


def test_one_key_with_another_amount_is_an_idempotency_error(provider):
    _open(provider)

    with pytest.raises(IdempotencyKeyReused):
        _open(provider, amount="1.00")

    assert SandboxPayment.objects.get().amount == Decimal("1299.00")


def test_a_failing_sandbox_refuses_every_call(provider, settings):
    hosted = _open(provider)
    settings.PAYMENT_SANDBOX_FAIL = True
    down = SandboxPaymentProvider(secret=SECRET)

    with pytest.raises(PaymentProviderUnavailable):
        _open(down, key="order:2:payment:1")
    with pytest.raises(PaymentProviderUnavailable):
        down.refund(idempotency_key="refund:x", reference=hosted.reference, amount=Decimal("1.00"))


def test_refunds_are_idempotent_and_never_exceed_the_payment(
    provider, client, django_capture_on_commit_callbacks
):
    hosted = _open(provider, amount="100.00")
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, hosted.reference)

    with django_capture_on_commit_callbacks(execute=True):
        first = provider.refund(
            idempotency_key="refund:return:1", reference=hosted.reference, amount=Decimal("60.00")
        )
    again = provider.refund(
        idempotency_key="refund:return:1", reference=hosted.reference, amount=Decimal("60.00")
    )
    with pytest.raises(PaymentDeclined):
        provider.refund(
            idempotency_key="refund:dispute:1", reference=hosted.reference, amount=Decimal("40.01")
        )
    with pytest.raises(IdempotencyKeyReused):
        provider.refund(idempotency_key="refund:return:1", reference=hosted.reference, amount=Decimal("1.00"))

    assert again == first
    assert SandboxRefund.objects.count() == 1
    assert SandboxPayment.objects.get().refunded == Decimal("60.00")
    refund_events = [event for event in _events() if event["type"] == "refund.succeeded"]
    assert [(event["data"]["amount"], event["data"]["refund"]) for event in refund_events] == [
        ("60.00", first)
    ]


def test_an_unpaid_payment_cannot_be_refunded(provider):
    hosted = _open(provider)

    with pytest.raises(PaymentDeclined):
        provider.refund(idempotency_key="refund:1", reference=hosted.reference, amount=Decimal("1.00"))


# --- Webhook signatures and bodies ------------------------------------------------------------------


def test_a_signed_fresh_body_is_accepted_and_anything_else_refused(provider):
    body = b'{"id":"evt_1"}'
    now = int(time.time())

    provider.verify_webhook(body, signed_headers(body, timestamp=now, secret=SECRET))

    refused = [
        {},
        {"Reloop-Signature": "nonsense"},
        signed_headers(body + b" ", timestamp=now, secret=SECRET),
        signed_headers(body, timestamp=now, secret="another-secret"),
        signed_headers(body, timestamp=now - 301, secret=SECRET),
        signed_headers(body, timestamp=now + 301, secret=SECRET),
        {"Reloop-Signature": f"t={'9' * 400},v1=abc"},
        {"Reloop-Signature": f"t={now},v1=é"},
        {"Reloop-Signature": f"t={now},t={now},v1=abc"},
    ]
    for headers in refused:
        with pytest.raises(WebhookRejected):
            provider.verify_webhook(body, headers)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"id":"evt_1","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00"}',
        b'{"id":"evt_1","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"-1"}}',
        b'{"id":"evt_1","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"1.001"}}',
        b'{"id":"evt_1","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"NaN"}}',
        b'{"id":"evt_1","type":"payment.succeeded","created":"2026-01-01T00:00:00","data":{"payment":"p","amount":"1.00"}}',
        b'{"id":"evt_\\u0000","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"1.00"}}',
        b'{"id":"evt_1","type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"1.00","x":"\\u0000"}}',
        b'{"id":7,"type":"payment.succeeded","created":"2026-01-01T00:00:00+00:00","data":{"payment":"p","amount":"1.00"}}',
        b'{"id":"evt_1","type":"payment.succeeded","created":"99999-01-01T00:00:00+00:00","data":{"payment":"p","amount":"1.00"}}',
        b"[" * 100000,
    ],
)
def test_an_odd_body_is_malformed(provider, body):
    with pytest.raises(MalformedWebhook):
        provider.parse_webhook(body)


def test_a_documented_body_is_parsed(provider):
    body = (
        b'{"id":"evt_1","type":"payment.failed","created":"2026-01-01T08:00:00+08:00",'
        b'"data":{"payment":"pay_1","amount":"1299.00","currency":"CNY","reason":"card_declined"}}'
    )

    event = provider.parse_webhook(body)

    assert (event.event_id, event.kind, event.reference, event.amount) == (
        "evt_1",
        "payment.failed",
        "pay_1",
        Decimal("1299.00"),
    )
    assert event.occurred_at.isoformat() == "2026-01-01T00:00:00+00:00"
    assert event.payload["data"]["reason"] == "card_declined"


# --- The hosted page --------------------------------------------------------------------------------


def test_the_page_shows_the_amount_the_description_and_the_test_cards(provider, client):
    hosted = _open(provider)

    response = client.get(hosted.hosted_url.removeprefix("https://reloop.example"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sandbox payment provider" in html
    assert "¥1,299.00" in html
    assert "iPhone 13 · O1" in html
    for number in ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000 0000 0000 9995"):
        assert number in html


def test_a_good_card_pays_and_goes_back_with_a_webhook(provider, client, django_capture_on_commit_callbacks):
    hosted = _open(provider)

    with django_capture_on_commit_callbacks(execute=True):
        response = _pay(client, hosted.reference)

    assert response.status_code == 302
    assert response["Location"] == RETURN_URL
    payment = SandboxPayment.objects.get()
    assert (payment.status, payment.card_last4) == (SandboxPaymentStatus.SUCCEEDED, "4242")
    [event] = _events()
    assert event["type"] == "payment.succeeded"
    assert event["data"] == {"payment": hosted.reference, "amount": "1299.00", "currency": "CNY"}
    # Delivered in-process through the webhook view: a payment Reloop does not know is stored, ignored.
    webhook = SandboxWebhook.objects.get()
    assert (webhook.attempts, webhook.last_status, webhook.delivered_at is not None) == (1, 200, True)
    assert ProviderEvent.objects.get().event_id == event["id"]


@pytest.mark.parametrize(
    ("card", "reason"),
    [("4000 0000 0000 0002", "card_declined"), ("4000-0000-0000-9995", "insufficient_funds")],
)
def test_a_declined_card_is_reported_and_the_page_can_be_tried_again(
    provider, client, django_capture_on_commit_callbacks, card, reason
):
    hosted = _open(provider)

    with django_capture_on_commit_callbacks(execute=True):
        response = _pay(client, hosted.reference, card)

    assert response.status_code == 302
    payment = SandboxPayment.objects.get()
    assert (payment.status, payment.decline_reason) == (SandboxPaymentStatus.DECLINED, reason)
    [event] = _events()
    assert (event["type"], event["data"]["reason"]) == ("payment.failed", reason)
    page = client.get(reverse("sandbox:pay", kwargs={"reference": hosted.reference})).content.decode()
    assert f"The last card was declined ({reason})" in page
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, hosted.reference)
    assert SandboxPayment.objects.get().status == SandboxPaymentStatus.SUCCEEDED


@pytest.mark.parametrize(
    ("card", "expiry", "cvc", "message"),
    [
        ("4242 4242 4242 4241", "12/39", "123", "This card number is not valid"),
        ("4242", "12/39", "123", "12 to 19 digits"),
        ("5555 5555 5555 4444", "12/39", "123", "use one of the test cards"),
        ("4242 4242 4242 4242", "13/39", "123", "MM/YY"),
        ("4242 4242 4242 4242", "01/20", "123", "This card has expired"),
        ("4242 4242 4242 4242", "12/39", "12", "3 or 4 digits"),
        ("\uff14\uff12\uff14\uff12" * 4, "12/39", "123", "12 to 19 digits"),  # full-width digits
    ],
)
def test_a_bad_card_is_a_form_error_and_charges_nothing(provider, client, card, expiry, cvc, message):
    hosted = _open(provider)

    response = _pay(client, hosted.reference, card, expiry=expiry, cvc=cvc)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert SandboxPayment.objects.get().status == SandboxPaymentStatus.OPEN
    assert not SandboxWebhook.objects.exists()


def test_a_paid_page_cannot_be_paid_again(provider, client, django_capture_on_commit_callbacks):
    hosted = _open(provider)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, hosted.reference)

    page = client.get(reverse("sandbox:pay", kwargs={"reference": hosted.reference}))
    again = _pay(client, hosted.reference, "4000 0000 0000 0002")

    for response in (page, again):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Already paid" in html
        assert RETURN_URL in html
        assert 'name="card_number"' not in html
    assert SandboxPayment.objects.get().status == SandboxPaymentStatus.SUCCEEDED
    assert SandboxWebhook.objects.count() == 1


def test_an_unknown_payment_page_is_a_404(client):
    assert client.get(reverse("sandbox:pay", kwargs={"reference": "pay_nope"})).status_code == 404


def test_the_chinese_page_renders(provider, client):
    hosted = _open(provider)

    response = client.get(f"/zh-hans/sandbox/pay/{hosted.reference}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    with translation.override("zh-hans"):
        assert money(Decimal("1299.00")) in html


# --- Delivery --------------------------------------------------------------------------------------


def test_an_unanswered_delivery_is_recorded_for_a_retry(provider, client, settings):
    settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True
    hosted = _open(provider)
    _pay(client, hosted.reference)
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = "http://127.0.0.1:9/api/v1/payments/webhook/"
    webhook = SandboxWebhook.objects.get()

    with pytest.raises(WebhookDeliveryFailed):
        deliver(webhook.event_id)

    webhook.refresh_from_db()
    assert (webhook.attempts, webhook.last_status, webhook.delivered_at) == (1, None, None)
    assert not ProviderEvent.objects.exists()


def test_a_held_event_is_delivered_when_asked(provider, client, settings):
    settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True
    hosted = _open(provider)
    _pay(client, hosted.reference)
    webhook = SandboxWebhook.objects.get()
    assert webhook.attempts == 0

    assert deliver(webhook.event_id) == 200

    assert ProviderEvent.objects.get().event_id == webhook.event_id


def test_the_page_reads_one_row(provider, client, django_assert_num_queries):
    hosted = _open(provider)
    path = reverse("sandbox:pay", kwargs={"reference": hosted.reference})

    # The payment itself; a visitor without a session costs nothing more.
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 200


def test_an_event_whose_delivery_job_was_lost_is_delivered_by_the_sweep(
    provider, client, django_capture_on_commit_callbacks
):
    hosted = _open(provider)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = _pay(client, hosted.reference)
    assert response.status_code == 302  # the buyer is sent back to the shop as usual
    webhook = SandboxWebhook.objects.get()
    assert (webhook.attempts, webhook.delivered_at) == (0, None)
    assert deliveries_requeue_lost() == 0  # its job may still be on its way

    later = timezone.now() + LOST_DELIVERY_AFTER + timedelta(minutes=1)
    assert deliveries_requeue_lost(now=later) == 1

    webhook.refresh_from_db()
    assert webhook.delivered_at is not None
    assert ProviderEvent.objects.get().event_id == webhook.event_id
    assert deliveries_requeue_lost(now=later) == 0
