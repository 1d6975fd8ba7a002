from decimal import Decimal

import pytest

from sandbox.models import SandboxPayout
from sandbox.payouts import IdempotencyMismatch, SandboxPayoutProvider
from wallet.payouts import PAYOUT_FAILED, PAYOUT_PAID, PAYOUT_PENDING, PayoutUnavailable, get_payout_provider

pytestmark = pytest.mark.django_db

SEND = {"amount": Decimal("120.00"), "currency": "CNY", "destination": "6222020200112233"}


def test_the_configured_provider_is_the_sandbox():
    assert get_payout_provider().name == "sandbox"


def test_a_new_payout_is_pending_and_settles_as_paid_when_asked_later():
    provider = SandboxPayoutProvider()

    sent = provider.send(idempotency_key="withdrawal:1", **SEND)

    assert sent.status == PAYOUT_PENDING
    assert sent.reference.startswith("po_")
    assert provider.status(sent.reference).status == PAYOUT_PAID
    assert provider.status(sent.reference).status == PAYOUT_PAID


def test_the_same_key_answers_with_the_first_payout_and_pays_once():
    provider = SandboxPayoutProvider()

    first = provider.send(idempotency_key="withdrawal:2", **SEND)
    again = provider.send(idempotency_key="withdrawal:2", **SEND)

    assert again.reference == first.reference
    assert SandboxPayout.objects.filter(idempotency_key="withdrawal:2").count() == 1


def test_the_same_key_for_another_amount_is_refused_like_a_real_provider():
    provider = SandboxPayoutProvider()
    provider.send(idempotency_key="withdrawal:3", **SEND)

    with pytest.raises(IdempotencyMismatch):
        provider.send(idempotency_key="withdrawal:3", **{**SEND, "amount": Decimal("121.00")})

    assert SandboxPayout.objects.get(idempotency_key="withdrawal:3").amount == Decimal("120.00")


def test_a_closed_account_fails_at_once_and_stays_failed():
    provider = SandboxPayoutProvider()

    sent = provider.send(idempotency_key="withdrawal:4", **{**SEND, "destination": "6222020200110000"})

    assert (sent.status, sent.failure_reason) == (PAYOUT_FAILED, "account closed")
    assert provider.status(sent.reference).status == PAYOUT_FAILED


def test_a_provider_that_is_down_answers_nothing_and_records_nothing(settings):
    settings.PAYMENT_SANDBOX_FAIL = True
    provider = SandboxPayoutProvider()

    with pytest.raises(PayoutUnavailable):
        provider.send(idempotency_key="withdrawal:5", **SEND)
    with pytest.raises(PayoutUnavailable):
        provider.status("po_anything")

    assert not SandboxPayout.objects.exists()
