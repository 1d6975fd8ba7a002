"""Withdrawals under real concurrency: threads with their own PostgreSQL connections press the same
button, empty the same wallet, or run the same payout job at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from sandbox.models import SandboxPayout
from tests.factories import UserFactory
from tests.wallet.conftest import fund
from wallet.errors import InsufficientFunds
from wallet.models import Account, Transaction, Withdrawal, WithdrawalStatus
from wallet.services.withdrawals import withdrawal_request, withdrawal_send

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10
TIMEOUT = 30
ACCOUNT = "6222020200116789"


def at_once(work) -> list:
    """Run `work(index)` in THREADS threads released together; each answer or exception is kept."""
    start = threading.Barrier(THREADS)
    answers: list = [None] * THREADS

    def run(index: int) -> None:
        try:
            start.wait(TIMEOUT)
            answers[index] = work(index)
        except Exception as error:
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return answers


def test_the_same_request_pressed_ten_times_at_once_is_one_withdrawal_and_one_payout(settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("5000")
    user = UserFactory()
    fund(user, "1000.00")

    answers = at_once(
        lambda index: withdrawal_request(user=user, amount="300.00", destination=ACCOUNT, request_key="press")
    )

    assert all(isinstance(answer, Withdrawal) for answer in answers), answers
    assert len({answer.pk for answer in answers}) == 1
    assert sum(answer.created for answer in answers) == 1
    withdrawal = Withdrawal.objects.get()
    # the hold, once; the job that ran after the first commit sent it (the bank settles later)
    assert Transaction.objects.filter(idempotency_key__startswith=f"withdrawal:{withdrawal.pk}").count() == 1
    assert withdrawal.status == WithdrawalStatus.SENT
    assert SandboxPayout.objects.count() == 1
    assert Account.objects.get(user=user).balance == Decimal("700.00")


def test_ten_withdrawals_at_once_never_take_a_wallet_below_zero(settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("5000")
    settings.PAYMENT_SANDBOX_FAIL = True  # the payouts wait; only the holds are being tested
    user = UserFactory()
    fund(user, "1000.00")

    answers = at_once(
        lambda index: withdrawal_request(
            user=user, amount="300.00", destination=ACCOUNT, request_key=f"press-{index}"
        )
    )

    made = [answer for answer in answers if isinstance(answer, Withdrawal)]
    refused = [answer for answer in answers if isinstance(answer, InsufficientFunds)]
    assert (len(made), len(refused)) == (3, 7), answers
    assert Withdrawal.objects.count() == 3
    assert Account.objects.get(user=user).balance == Decimal("100.00")


def test_two_payout_jobs_at_once_pay_and_post_once(settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("5000")
    settings.PAYMENT_SANDBOX_FAIL = True  # the job after commit fails; the threads below are the jobs
    user = UserFactory()
    fund(user, "1000.00")
    withdrawal = withdrawal_request(user=user, amount="300.00", destination=ACCOUNT, request_key="a")
    settings.PAYMENT_SANDBOX_FAIL = False

    answers = at_once(lambda index: withdrawal_send(withdrawal_id=withdrawal.pk))

    assert all(isinstance(answer, Withdrawal) for answer in answers), answers
    assert Withdrawal.objects.get().status == WithdrawalStatus.SENT
    assert SandboxPayout.objects.count() == 1
    assert Withdrawal.objects.get().events.filter(new=WithdrawalStatus.SENT).count() == 1
