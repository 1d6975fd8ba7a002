"""The payout provider interface: how money leaves a wallet for the user's bank card or account.

`send` is called with the withdrawal's idempotency key, never while a row lock is held; a repeated key
answers with the first payout, so a job that runs twice pays once. Payouts may settle later:
`status` tells where one stands. `get_payout_provider()` returns the configured provider; only the
sandbox exists today (`sandbox.payouts`).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PAYOUT_PENDING = "pending"
PAYOUT_PAID = "paid"
PAYOUT_FAILED = "failed"


@dataclass(frozen=True)
class PayoutResult:
    reference: str
    status: str  # pending, paid or failed
    failure_reason: str = ""


class PayoutUnavailable(Exception):
    """The payout provider did not answer: transient, worth a retry."""


class PayoutProvider(Protocol):
    name: str

    def send(self, *, idempotency_key: str, amount: Decimal, currency: str, destination: str) -> PayoutResult:
        """Raises PayoutUnavailable."""

    def status(self, reference: str) -> PayoutResult:
        """Raises PayoutUnavailable."""


def get_payout_provider() -> PayoutProvider:
    if settings.PAYOUT_PROVIDER == "sandbox":
        from sandbox.payouts import SandboxPayoutProvider

        return SandboxPayoutProvider()
    raise ImproperlyConfigured(f"Unknown PAYOUT_PROVIDER {settings.PAYOUT_PROVIDER!r}.")
