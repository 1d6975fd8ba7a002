from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.errors import InvalidTransition
from sandbox.models import SandboxPayout
from tests.factories import UserFactory
from tests.wallet.conftest import fund
from wallet.errors import InsufficientFunds, WalletError
from wallet.models import Account, AccountPurpose, Transaction, Withdrawal, WithdrawalStatus
from wallet.selectors import account_balance_from_entries, wallet_summary
from wallet.services.withdrawals import (
    WithdrawalNotAllowed,
    withdrawal_approve,
    withdrawal_check,
    withdrawal_reject,
    withdrawal_request,
    withdrawal_send,
    withdrawals_check_sent,
)
from wallet.tasks import check_sent_withdrawals, send_withdrawal

pytestmark = pytest.mark.django_db

ACCOUNT = "6222020200116789"


def balance(user) -> Decimal:
    return Account.objects.get(user=user).balance


def in_flight() -> Decimal:
    account = Account.objects.filter(purpose=AccountPurpose.PAYOUTS_IN_FLIGHT).first()
    return account.balance if account else Decimal("0")


def ledger_is_consistent() -> bool:
    return all(account.balance == account_balance_from_entries(account) for account in Account.objects.all())


def request(user, amount, *, key="k1", destination=ACCOUNT):
    return withdrawal_request(user=user, amount=amount, destination=destination, request_key=key)


def test_a_small_withdrawal_is_paid_once_even_when_the_job_runs_twice(
    seller, django_capture_on_commit_callbacks
):
    fund(seller, "800.00")

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = request(seller, Decimal("300.00"))
    send_withdrawal(withdrawal.pk)
    withdrawal_send(withdrawal_id=withdrawal.pk)
    check_sent_withdrawals()
    check_sent_withdrawals()

    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CONFIRMED
    assert [e.new for e in withdrawal.events.all()] == ["requested", "approved", "sent", "confirmed"]
    assert withdrawal.events.all()[1].text == "Below the approval threshold: no approval needed."
    assert SandboxPayout.objects.count() == 1
    assert balance(seller) == Decimal("500.00")
    assert in_flight() == 0
    assert Transaction.objects.filter(idempotency_key__startswith=f"withdrawal:{withdrawal.pk}").count() == 2
    assert wallet_summary(seller).held == 0
    assert ledger_is_consistent()


def test_a_crash_between_the_payout_and_its_record_still_pays_and_posts_once(seller):
    # given: the provider took the payout but the job died before recording it
    fund(seller, "800.00")
    withdrawal = request(seller, Decimal("300.00"))
    from wallet.payouts import get_payout_provider

    get_payout_provider().send(
        idempotency_key=f"withdrawal:{withdrawal.pk}",
        amount=Decimal("300.00"),
        currency="CNY",
        destination=ACCOUNT,
    )

    # when: the job runs again
    withdrawal_send(withdrawal_id=withdrawal.pk)
    withdrawal_check(withdrawal_id=withdrawal.pk)

    # then
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CONFIRMED
    assert SandboxPayout.objects.count() == 1
    assert balance(seller) == Decimal("500.00")
    assert ledger_is_consistent()


def test_a_large_withdrawal_waits_for_operations_and_is_paid_after_approval(
    seller, operations, settings, django_capture_on_commit_callbacks
):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("1000")
    fund(seller, "3000.00")

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = request(seller, Decimal("2000.00"))
    assert withdrawal.status == WithdrawalStatus.REQUESTED
    assert not SandboxPayout.objects.exists()
    assert balance(seller) == Decimal("1000.00")
    assert wallet_summary(seller).held == Decimal("2000.00")

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_approve(withdrawal_id=withdrawal.pk, by=operations)
    withdrawals_check_sent()

    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CONFIRMED
    assert withdrawal.events.get(new="approved").by == operations
    assert SandboxPayout.objects.get().amount == Decimal("2000.00")
    assert in_flight() == 0


def test_only_operations_may_approve_or_refuse(seller, settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    fund(seller, "3000.00")
    withdrawal = request(seller, Decimal("2000.00"))

    for who in (seller, UserFactory()):
        with pytest.raises(WithdrawalNotAllowed) as raised:
            withdrawal_approve(withdrawal_id=withdrawal.pk, by=who)
        assert raised.value.status_code == 403
        with pytest.raises(WithdrawalNotAllowed):
            withdrawal_reject(withdrawal_id=withdrawal.pk, by=who, reason="no")

    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.REQUESTED


def test_a_refused_withdrawal_gives_the_money_back(seller, operations, settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    fund(seller, "3000.00")
    withdrawal = request(seller, Decimal("2000.00"))

    with pytest.raises(WalletError) as raised:
        withdrawal_reject(withdrawal_id=withdrawal.pk, by=operations, reason="  ")
    assert raised.value.field == "reason"
    withdrawal_reject(withdrawal_id=withdrawal.pk, by=operations, reason="name does not match the account")

    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.REJECTED
    assert balance(seller) == Decimal("3000.00")
    assert in_flight() == 0
    assert wallet_summary(seller).held == 0
    with pytest.raises(InvalidTransition):
        withdrawal_approve(withdrawal_id=withdrawal.pk, by=operations)
    assert ledger_is_consistent()


def test_a_failed_payout_gives_the_money_back(seller, django_capture_on_commit_callbacks):
    fund(seller, "800.00")

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = request(seller, Decimal("300.00"), destination="6222020200110000")

    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.FAILED
    assert withdrawal.failure_reason == "account closed"
    assert balance(seller) == Decimal("800.00")
    assert in_flight() == 0
    assert ledger_is_consistent()


def test_a_provider_that_is_down_is_retried_and_nothing_is_lost(
    seller, settings, django_capture_on_commit_callbacks
):
    fund(seller, "800.00")
    settings.PAYMENT_SANDBOX_FAIL = True

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = request(seller, Decimal("300.00"))
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.APPROVED
    assert balance(seller) == Decimal("500.00")
    assert in_flight() == Decimal("300.00")

    settings.PAYMENT_SANDBOX_FAIL = False
    send_withdrawal(withdrawal.pk)
    check_sent_withdrawals()

    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CONFIRMED
    assert SandboxPayout.objects.count() == 1
    assert in_flight() == 0


def test_the_same_request_twice_is_one_withdrawal_and_one_posting(seller):
    fund(seller, "800.00")

    first = request(seller, "300.00", key="press-1")
    again = request(seller, "300.00", key="press-1")

    assert (first.created, again.created, again.pk) == (True, False, first.pk)
    assert Withdrawal.objects.count() == 1
    assert Transaction.objects.filter(idempotency_key=f"withdrawal:{first.pk}").count() == 1
    assert balance(seller) == Decimal("500.00")


def test_a_reused_request_key_with_another_amount_is_refused(seller):
    fund(seller, "800.00")
    request(seller, "300.00", key="press-1")

    with pytest.raises(WalletError) as raised:
        request(seller, "200.00", key="press-1")

    assert raised.value.code == "request_key_reused"
    assert balance(seller) == Decimal("500.00")


@pytest.mark.parametrize(
    ("amount", "destination", "field", "code"),
    [
        ("-5", ACCOUNT, "amount", "amount_not_positive"),
        ("0", ACCOUNT, "amount", "amount_not_positive"),
        ("0.00", ACCOUNT, "amount", "amount_not_positive"),
        ("10.005", ACCOUNT, "amount", "amount_decimals"),
        ("900.00", ACCOUNT, "amount", "insufficient_funds"),
        ("60000", ACCOUNT, "amount", "amount_above_max"),
        ("1e999999", ACCOUNT, "amount", "amount_above_max"),
        ("NaN", ACCOUNT, "amount", "amount_invalid"),
        ("Infinity", ACCOUNT, "amount", "amount_invalid"),
        ("12\x00", ACCOUNT, "amount", "amount_invalid"),
        ("abc", ACCOUNT, "amount", "amount_invalid"),
        ("100", "1234567", "destination", "destination_invalid"),
        ("100", "1" * 31, "destination", "destination_invalid"),
        ("100", "62220202\x0001", "destination", "destination_invalid"),
        ("100", "\uff16" * 8, "destination", "destination_invalid"),  # full-width digits
    ],
)
def test_bad_input_is_a_clear_error_and_moves_no_money(seller, amount, destination, field, code):
    fund(seller, "800.00")
    transactions = Transaction.objects.count()

    with pytest.raises(WalletError) as raised:
        request(seller, amount, destination=destination)

    assert (raised.value.field, raised.value.code) == (field, code)
    assert str(raised.value)
    assert balance(seller) == Decimal("800.00")
    assert not Withdrawal.objects.exists()
    assert Transaction.objects.count() == transactions


def test_above_the_balance_says_how_much_there_is(seller):
    fund(seller, "80.00")

    with pytest.raises(InsufficientFunds) as raised:
        request(seller, "80.01")

    assert "80.00" in str(raised.value)


def test_a_bad_request_key_is_a_clear_error(seller):
    fund(seller, "80.00")
    for key in ("", "x" * 65, "a\x00b"):
        with pytest.raises(WalletError) as raised:
            request(seller, "10", key=key)
        assert raised.value.field == "request_key"
    assert not Withdrawal.objects.exists()


def test_the_periodic_check_sends_again_an_approved_withdrawal_whose_job_was_lost(seller):
    # given: approved 15 minutes ago, and its job never ran (the after-commit job is not run here)
    fund(seller, "800.00")
    withdrawal = request(seller, Decimal("300.00"))
    Withdrawal.objects.filter(pk=withdrawal.pk).update(updated_at=timezone.now() - timedelta(minutes=15))

    # when
    changed = check_sent_withdrawals()

    # then
    withdrawal.refresh_from_db()
    assert changed == 1
    assert withdrawal.status == WithdrawalStatus.SENT
    assert SandboxPayout.objects.count() == 1


def test_the_periodic_check_leaves_recent_approved_ones_and_stops_when_the_provider_is_down(seller, settings):
    fund(seller, "800.00")
    recent = request(seller, Decimal("100.00"), key="a")
    sent = request(seller, Decimal("100.00"), key="b")
    withdrawal_send(withdrawal_id=sent.pk)
    settings.PAYMENT_SANDBOX_FAIL = True

    assert withdrawals_check_sent() == 0

    settings.PAYMENT_SANDBOX_FAIL = False
    assert withdrawals_check_sent() == 1
    assert Withdrawal.objects.get(pk=recent.pk).status == WithdrawalStatus.APPROVED
    assert Withdrawal.objects.get(pk=sent.pk).status == WithdrawalStatus.CONFIRMED
