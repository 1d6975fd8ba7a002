"""A sandbox payout provider that behaves like a real one, for development, the demo and tests.

- `send` is idempotent by key: the same key answers with the payout that key created (its reference
  and where it stands now), however often it is asked. The same key with a different amount or
  destination is refused with IdempotencyMismatch, as real providers refuse a reused key.
- A destination ending in "0000" belongs to a closed account: the payout fails at once.
- Any other payout starts `pending`, like a bank transfer that settles later; the first `status`
  call after that finds it `paid`.
- `settings.PAYMENT_SANDBOX_FAIL = True` (or `SandboxPayoutProvider(fail=True)`) makes every call raise
  PayoutUnavailable, as a provider that is down does.

The sandbox keeps its books in `sandbox.models.SandboxPayout`, which stands in for the provider's own
database: Reloop's apps never read it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from sandbox.models import SandboxPayout, SandboxPayoutStatus, new_reference
from wallet.payouts import PayoutResult, PayoutUnavailable

NAME = "sandbox"
CLOSED_ACCOUNT_SUFFIX = "0000"
CLOSED_ACCOUNT_REASON = "account closed"


class IdempotencyMismatch(ValueError):
    """The key was used before for a different payout: a programming error, never worth a retry."""


class UnknownPayout(LookupError):
    """No payout has this reference."""


def _result(payout: SandboxPayout) -> PayoutResult:
    return PayoutResult(
        reference=payout.reference, status=payout.status, failure_reason=payout.failure_reason
    )


class SandboxPayoutProvider:
    name = NAME

    def __init__(self, *, fail: bool | None = None) -> None:
        self.fail = getattr(settings, "PAYMENT_SANDBOX_FAIL", False) if fail is None else fail

    def _answer_or_fail(self) -> None:
        if self.fail:
            raise PayoutUnavailable("The sandbox payout provider is set to fail.")

    def send(self, *, idempotency_key: str, amount: Decimal, currency: str, destination: str) -> PayoutResult:
        self._answer_or_fail()
        closed = destination.endswith(CLOSED_ACCOUNT_SUFFIX)
        try:
            # A savepoint of its own: a caller's transaction survives a lost race on the key.
            with transaction.atomic():
                payout, _created = SandboxPayout.objects.get_or_create(
                    idempotency_key=idempotency_key,
                    defaults={
                        "reference": new_reference("po"),
                        "amount": amount,
                        "currency": currency,
                        "destination": destination,
                        "status": SandboxPayoutStatus.FAILED if closed else SandboxPayoutStatus.PENDING,
                        "failure_reason": CLOSED_ACCOUNT_REASON if closed else "",
                    },
                )
        except IntegrityError:
            payout = SandboxPayout.objects.get(idempotency_key=idempotency_key)
        if payout.amount != amount or payout.currency != currency or payout.destination != destination:
            raise IdempotencyMismatch(
                f"Key {idempotency_key!r} was used for a payout of {payout.amount} {payout.currency} "
                f"to {payout.destination}."
            )
        return _result(payout)

    def status(self, reference: str) -> PayoutResult:
        self._answer_or_fail()
        # The bank settles a pending payout by the time anyone asks again.
        SandboxPayout.objects.filter(reference=reference, status=SandboxPayoutStatus.PENDING).update(
            status=SandboxPayoutStatus.PAID
        )
        payout = SandboxPayout.objects.filter(reference=reference).first()
        if payout is None:
            raise UnknownPayout(f"No sandbox payout {reference!r}.")
        return _result(payout)
