"""The payment provider interface: what Reloop needs from a card payment provider.

A provider opens a hosted payment page for an amount (Reloop never sees card numbers), refunds all or
part of a payment, and reports outcomes through signed webhooks. Every call that moves money carries
an idempotency key: the provider answers a repeated key with the first answer. `get_payment_provider()`
returns the configured one; only the sandbox exists today (`sandbox.payments`), and a real provider
implements the same protocol and gets its own line there.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

# Webhook event kinds, in Reloop's words.
PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
REFUND_SUCCEEDED = "refund.succeeded"


def decline_reason_text(code: str) -> str:
    """A provider's decline code in words the buyer understands (codes as card networks and most
    providers name them); an unknown code gets the general sentence."""
    reasons = {
        "card_declined": _("Your bank declined the card. Try another card, or ask your bank why."),
        "insufficient_funds": _("The card does not have enough funds for this payment."),
        "expired_card": _("The card has expired."),
        "incorrect_cvc": _("The security code (CVC) was not right."),
    }
    return reasons.get(code, _("The payment was not accepted. Try again, or use another card."))


@dataclass(frozen=True)
class HostedPayment:
    """The provider's answer to "create a payment": its id and the page the buyer pays on."""

    reference: str
    hosted_url: str


@dataclass(frozen=True)
class PaymentWebhookEvent:
    event_id: str
    kind: str  # one of the kinds above; anything else is stored and moves nothing
    reference: str  # the provider's payment id
    amount: Decimal
    occurred_at: datetime
    payload: dict = field(default_factory=dict)
    currency: str = ""  # ISO 4217, as the provider reported it; empty when it names none


class MalformedWebhook(ValueError):
    """A correctly signed webhook whose body is not what the provider documents: answered with 400."""


class PaymentDeclined(Exception):
    """The provider refused the call for good (a refund above what was paid): not worth a retry."""


class PaymentProvider(Protocol):
    name: str

    def create_payment(
        self, *, idempotency_key: str, amount: Decimal, currency: str, description: str, return_url: str
    ) -> HostedPayment:
        """Raises orders.errors.PaymentProviderUnavailable when the provider does not answer."""

    def refund(self, *, idempotency_key: str, reference: str, amount: Decimal) -> str:
        """Refund `amount` of payment `reference` to the card; returns the refund's id. Raises
        PaymentProviderUnavailable (retry) or PaymentDeclined."""

    def verify_webhook(self, body: bytes, headers: Mapping[str, str], *, now: datetime | None = None) -> None:
        """Raises orders.errors.WebhookRejected unless the raw body carries a valid, fresh signature."""

    def parse_webhook(self, body: bytes) -> PaymentWebhookEvent:
        """Raises MalformedWebhook."""


def get_payment_provider() -> PaymentProvider:
    if settings.PAYMENT_PROVIDER == "sandbox":
        from sandbox.payments import SandboxPaymentProvider

        return SandboxPaymentProvider(secret=settings.PAYMENT_WEBHOOK_SECRET)
    raise ImproperlyConfigured(f"Unknown PAYMENT_PROVIDER {settings.PAYMENT_PROVIDER!r}.")
