"""A sandbox card payment provider that behaves like a real one (think Stripe Checkout), for
development, the demo and tests.

- `create_payment` opens a payment and answers with its hosted page, `{SITE_URL}/sandbox/pay/<ref>/`.
  It is idempotent by key: the same key answers with the same payment; the same key with another
  amount or currency is refused (IdempotencyKeyReused), as a real provider refuses it.
- The hosted page (sandbox.views) takes a test card. 4242 4242 4242 4242 succeeds,
  4000 0000 0000 0002 is declined ("card_declined"), 4000 0000 0000 9995 too ("insufficient_funds").
  Each outcome is sent to Reloop as a signed webhook, then the buyer goes back to the return URL.
- `refund` is idempotent by key and never refunds more than was paid (PaymentDeclined); each refund
  sends a refund.succeeded webhook.
- Webhooks are signed like the big providers sign theirs: HMAC-SHA256 over "<timestamp>." + raw body,
  sent as `Reloop-Signature: t=<unix>,v1=<hex>`, and refused when more than 5 minutes off. The body is
  signed again at each delivery attempt, as real providers do, so a retry an hour later is fresh.
- `settings.PAYMENT_SANDBOX_FAIL = True` makes every call raise PaymentProviderUnavailable.
- Deliveries go to `settings.PAYMENT_SANDBOX_WEBHOOK_URL`; when it is empty they are handed to the
  webhook view in-process, through the same signature check. `redeliver(event_id)` sends an event
  again (a duplicate), and `settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True` keeps new events undelivered
  until `deliver(event_id)` is called, so a test can deliver them in any order.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from marketplace.jobs import enqueue, enqueue_on_commit
from marketplace.links import site_link
from marketplace.money import CENT
from marketplace.webhooks import SignatureInvalid, contains_nul, post_json, signature_check, signature_header
from orders.errors import PaymentProviderUnavailable, WebhookRejected
from orders.payments import (
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    REFUND_SUCCEEDED,
    HostedPayment,
    MalformedWebhook,
    PaymentDeclined,
    PaymentWebhookEvent,
)
from sandbox.models import SandboxPayment, SandboxPaymentStatus, SandboxRefund, SandboxWebhook, new_reference

logger = logging.getLogger(__name__)

NAME = "sandbox"
SIGNATURE_HEADER = "Reloop-Signature"
# A signature older (or newer) than this is refused, so that a captured request cannot be replayed later.
TIMESTAMP_TOLERANCE_SECONDS = 300
DELIVERY_TIMEOUT_SECONDS = 10

# The test cards the hosted page lists, and what each does. Any other number is refused on the page:
# the sandbox never takes a real card.
CARD_SUCCEEDS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_INSUFFICIENT_FUNDS = "4000000000009995"
TEST_CARDS = {
    CARD_SUCCEEDS: "",
    CARD_DECLINED: "card_declined",
    CARD_INSUFFICIENT_FUNDS: "insufficient_funds",
}

# Largest amount a payment may carry: what Payment.amount (12 digits, 2 places) can store.
MAX_AMOUNT = Decimal("9999999999.99")


class IdempotencyKeyReused(PaymentDeclined):
    """The same idempotency key was sent with other parameters: a programming error, never retried."""


class WebhookDeliveryFailed(Exception):
    """Reloop did not answer a webhook with 2xx: the delivery job tries again later."""


def signed_headers(body: bytes, *, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
    """The headers a webhook request carries: the signature of `body` at `timestamp` (now)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {SIGNATURE_HEADER: signature_header(body, timestamp, secret or settings.PAYMENT_WEBHOOK_SECRET)}


class SandboxPaymentProvider:
    name = NAME

    def __init__(self, *, secret: str, fail: bool | None = None) -> None:
        self.secret = secret
        self.fail = settings.PAYMENT_SANDBOX_FAIL if fail is None else fail

    def _answer_or_fail(self) -> None:
        if self.fail:
            raise PaymentProviderUnavailable("The sandbox payment provider is set to fail.")

    def create_payment(
        self, *, idempotency_key: str, amount: Decimal, currency: str, description: str, return_url: str
    ) -> HostedPayment:
        self._answer_or_fail()
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
            raise PaymentDeclined(f"Invalid amount {amount!r}.")
        if not return_url.startswith(("http://", "https://")) or len(return_url) > 500:
            raise PaymentDeclined(
                f"The return URL must be an absolute URL of at most 500 characters: {return_url!r}."
            )
        with transaction.atomic():
            payment, created = SandboxPayment.objects.get_or_create(
                idempotency_key=idempotency_key,
                defaults={
                    "reference": new_reference("pay"),
                    "amount": amount,
                    "currency": currency,
                    "description": description[:200],
                    "return_url": return_url,
                },
            )
        if not created and (payment.amount != amount or payment.currency != currency):
            raise IdempotencyKeyReused(
                f"Idempotency key {idempotency_key!r} was first used for {payment.amount} {payment.currency}."
            )
        return HostedPayment(reference=payment.reference, hosted_url=hosted_url(payment.reference))

    def refund(self, *, idempotency_key: str, reference: str, amount: Decimal) -> str:
        self._answer_or_fail()
        with transaction.atomic():
            payment = SandboxPayment.objects.select_for_update().filter(reference=reference).first()
            if payment is None:
                raise PaymentDeclined(f"No payment {reference!r}.")
            existing = SandboxRefund.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if existing.payment_id != payment.pk or existing.amount != amount:
                    raise IdempotencyKeyReused(
                        f"Idempotency key {idempotency_key!r} was used for another refund."
                    )
                return existing.reference
            if payment.status != SandboxPaymentStatus.SUCCEEDED:
                raise PaymentDeclined(f"Payment {reference} was not paid.")
            if amount <= 0 or payment.refunded + amount > payment.amount:
                raise PaymentDeclined(
                    f"Cannot refund {amount} of {reference}: {payment.amount - payment.refunded} is left."
                )
            refund = SandboxRefund.objects.create(
                reference=new_reference("re"), idempotency_key=idempotency_key, payment=payment, amount=amount
            )
            payment.refunded += amount  # in Decimal, under the row lock
            payment.save(update_fields=["refunded"])
            event_emit(payment=payment, kind=REFUND_SUCCEEDED, amount=amount, refund=refund.reference)
        return refund.reference

    def verify_webhook(self, body: bytes, headers: Mapping[str, str], *, now: datetime | None = None) -> None:
        try:
            signature_check(
                body,
                headers.get(SIGNATURE_HEADER) or "",
                self.secret,
                now=now,
                tolerance=TIMESTAMP_TOLERANCE_SECONDS,
            )
        except SignatureInvalid as error:
            raise WebhookRejected(str(error)) from None

    def parse_webhook(self, body: bytes) -> PaymentWebhookEvent:
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise MalformedWebhook("The body is not JSON.") from None
        if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
            raise MalformedWebhook('The body must be an object with a "data" object.')
        if contains_nul(document):  # PostgreSQL cannot store U+0000 in text or jsonb
            raise MalformedWebhook("The event contains a NUL character.")
        data = document["data"]
        texts = {
            "id": (document.get("id"), 64),
            "type": (document.get("type"), 40),
            "created": (document.get("created"), 40),
            "payment": (data.get("payment"), 64),
            "amount": (data.get("amount"), 20),
        }
        for key, (value, limit) in texts.items():
            if not isinstance(value, str) or not value or len(value) > limit:
                raise MalformedWebhook(f"{key} is missing or invalid.")
        try:
            amount = Decimal(data["amount"])
        except InvalidOperation:
            raise MalformedWebhook("amount is not a number.") from None
        if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(CENT):
            raise MalformedWebhook("amount must be a positive amount in cents.")
        currency = data.get("currency", "")
        if not isinstance(currency, str) or len(currency) > 3:
            raise MalformedWebhook("currency must be a three-letter code.")
        try:
            occurred_at = parse_datetime(document["created"])
            if occurred_at is not None and not timezone.is_naive(occurred_at):
                occurred_at = occurred_at.astimezone(UTC)  # year 1 or 9999 may not survive the move
        except (ValueError, OverflowError):
            occurred_at = None
        if occurred_at is None or timezone.is_naive(occurred_at):
            raise MalformedWebhook("created must be an ISO 8601 time with a zone.")
        return PaymentWebhookEvent(
            event_id=document["id"],
            kind=document["type"],
            reference=data["payment"],
            amount=amount,
            occurred_at=occurred_at,
            payload=document,
            currency=currency,
        )


def hosted_url(reference: str) -> str:
    """The page the buyer pays on, in the language active when the payment was opened."""
    return site_link(reverse("sandbox:pay", kwargs={"reference": reference}))


# --- The hosted page's side ------------------------------------------------------------------------


class PaymentAlreadyMade(Exception):
    """The hosted page of a payment that succeeded was submitted again: nothing is charged twice."""


@transaction.atomic
def payment_submit(*, reference: str, card_number: str) -> SandboxPayment:
    """Charge a test card for the payment behind the hosted page: record the outcome and send Reloop
    its webhook after commit. `card_number` is one of TEST_CARDS (the page's form checks that).
    Raises SandboxPayment.DoesNotExist for an unknown reference and PaymentAlreadyMade once paid."""
    payment = SandboxPayment.objects.select_for_update().get(reference=reference)
    if payment.status == SandboxPaymentStatus.SUCCEEDED:
        raise PaymentAlreadyMade(reference)
    decline = TEST_CARDS[card_number]
    payment.card_last4 = card_number[-4:]
    payment.decline_reason = decline
    payment.status = SandboxPaymentStatus.DECLINED if decline else SandboxPaymentStatus.SUCCEEDED
    payment.save(update_fields=["card_last4", "decline_reason", "status"])
    event_emit(
        payment=payment,
        kind=PAYMENT_FAILED if decline else PAYMENT_SUCCEEDED,
        amount=payment.amount,
        reason=decline,
    )
    return payment


# --- Webhooks --------------------------------------------------------------------------------------


def event_emit(
    *, payment: SandboxPayment, kind: str, amount: Decimal, reason: str = "", refund: str = ""
) -> SandboxWebhook:
    """Store an event about `payment` and deliver it after commit (unless deliveries are held)."""
    event_id = new_reference("evt")
    data = {"payment": payment.reference, "amount": str(amount), "currency": payment.currency}
    if reason:
        data["reason"] = reason
    if refund:
        data["refund"] = refund
    document = {
        "id": event_id,
        "type": kind,
        "created": timezone.now().astimezone(UTC).isoformat(),
        "data": data,
    }
    webhook = SandboxWebhook.objects.create(
        event_id=event_id, body=json.dumps(document, separators=(",", ":"))
    )
    if not settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS:
        from sandbox.tasks import deliver_webhook

        enqueue_on_commit(deliver_webhook, event_id)
    return webhook


def deliver(event_id: str) -> int:
    """Send a stored event to Reloop once, signed now; returns the HTTP status. Raises
    WebhookDeliveryFailed when the answer is not 2xx (or nobody answers), for the job to retry."""
    webhook = SandboxWebhook.objects.get(event_id=event_id)
    body = webhook.body.encode()
    headers = signed_headers(body)
    url = settings.PAYMENT_SANDBOX_WEBHOOK_URL
    try:
        status = (
            post_json(url, body, headers, timeout=DELIVERY_TIMEOUT_SECONDS)[0]
            if url
            else _post_in_process(body, headers)
        )
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        status = None
        logger.warning("Sandbox webhook %s not delivered to %s: %s", event_id, url, error)
    delivered = status is not None and 200 <= status < 300
    SandboxWebhook.objects.filter(pk=webhook.pk).update(
        attempts=F("attempts") + 1,
        last_status=status,
        **({"delivered_at": timezone.now()} if delivered else {}),
    )
    if status is None or not delivered:
        raise WebhookDeliveryFailed(f"Webhook {event_id}: answered {status}.")
    return status


# An event never attempted this long after it was stored lost its delivery job (the broker was
# down when it was queued); a provider would send it anyway, so the sandbox does too.
LOST_DELIVERY_AFTER = timedelta(minutes=5)
LOST_DELIVERY_BATCH = 100


def deliveries_requeue_lost(*, now: datetime | None = None, limit: int = LOST_DELIVERY_BATCH) -> int:
    """Queue delivery again for up to `limit` events, oldest first, stored LOST_DELIVERY_AFTER ago and
    never attempted. Reloop applies each event once by its id, so one delivered twice changes
    nothing. Returns how many were queued."""
    from sandbox.tasks import deliver_webhook

    cutoff = (now or timezone.now()) - LOST_DELIVERY_AFTER
    lost = (
        SandboxWebhook.objects.filter(delivered_at__isnull=True, attempts=0, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("event_id", flat=True)[:limit]
    )
    return sum(enqueue(deliver_webhook, event_id) for event_id in lost)


def redeliver(event_id: str) -> int:
    """Send an event again, as providers do when they are unsure it arrived: Reloop sees a duplicate."""
    return deliver(event_id)


def _post_in_process(body: bytes, headers: dict[str, str]) -> int:
    """No server to post to: hand the signed request to the webhook view found at its URL, so that the
    signature is checked exactly as over HTTP."""
    from django.test import RequestFactory

    path = reverse("payments:webhook")
    request = RequestFactory().post(path, data=body, content_type="application/json", headers=headers)
    return resolve(path).func(request).status_code
