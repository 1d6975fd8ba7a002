from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import UserFactory
from tests.wallet.conftest import fund
from wallet.errors import InsufficientFunds, UnbalancedTransaction
from wallet.models import Account, AccountPurpose, Cause, Entry, Transaction
from wallet.selectors import account_balance_from_entries
from wallet.services.ledger import ledger_post, platform_account, transaction_reverse, wallet_account

pytestmark = pytest.mark.django_db


def clearing():
    return platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING)


def escrow():
    return platform_account(purpose=AccountPurpose.ESCROW)


def pay_in(amount: str, key: str = "payment:1") -> Transaction:
    value = Decimal(amount)
    return ledger_post(key=key, cause=Cause.PAYMENT, lines=[(clearing(), -value), (escrow(), value)])


def test_a_posting_moves_money_between_accounts_and_keeps_balances_equal_to_entries():
    txn = pay_in("100.00")

    assert txn.created
    assert sum(e.amount for e in txn.entries.all()) == 0
    assert escrow().balance == Decimal("100.00")
    assert clearing().balance == Decimal("-100.00")
    for account in Account.objects.all():
        assert account.balance == account_balance_from_entries(account)
    assert {e.balance_after for e in txn.entries.all()} == {Decimal("100.00"), Decimal("-100.00")}


def test_the_same_key_twice_moves_money_once():
    first = pay_in("100.00")
    again = pay_in("100.00")

    assert (again.pk, again.created) == (first.pk, False)
    assert Entry.objects.count() == 2
    assert escrow().balance == Decimal("100.00")


def test_lines_on_the_same_account_are_merged():
    user = UserFactory()
    txn = ledger_post(
        key="merge",
        cause=Cause.SALE,
        lines=[
            (escrow(), Decimal("10.00")),
            (wallet_account(user=user), Decimal("5.00")),
            (wallet_account(user=user), Decimal("-2.00")),
            (clearing(), Decimal("-13.00")),
        ],
    )

    assert txn.entries.count() == 3
    assert wallet_account(user=user).balance == Decimal("3.00")


@pytest.mark.parametrize(
    "lines",
    [
        [("escrow", "10.00"), ("clearing", "-9.99")],
        [("escrow", "10.00")],
        [("escrow", "10.00"), ("escrow", "-10.00")],
        [("escrow", "10.005"), ("clearing", "-10.005")],
        [("escrow", "NaN"), ("clearing", "NaN")],
        [("escrow", 10.0), ("clearing", -10.0)],
    ],
)
def test_an_unbalanced_or_malformed_posting_is_refused_and_writes_nothing(lines):
    accounts = {"escrow": escrow(), "clearing": clearing()}
    built = [
        (accounts[name], Decimal(amount) if isinstance(amount, str) else amount) for name, amount in lines
    ]

    with pytest.raises(UnbalancedTransaction):
        ledger_post(key="bad", cause=Cause.PAYMENT, lines=built)

    assert not Transaction.objects.exists()
    assert not Entry.objects.exists()


def test_a_wallet_may_not_go_below_zero():
    user = UserFactory()
    fund(user, "10.00")

    with pytest.raises(InsufficientFunds):
        ledger_post(
            key="too-much",
            cause=Cause.WITHDRAWAL,
            lines=[
                (wallet_account(user=user), Decimal("-10.01")),
                (platform_account(purpose=AccountPurpose.PAYOUTS_IN_FLIGHT), Decimal("10.01")),
            ],
        )

    assert wallet_account(user=user).balance == Decimal("10.00")
    assert not Transaction.objects.filter(idempotency_key="too-much").exists()


def test_escrow_may_not_release_more_than_it_holds():
    pay_in("50.00")

    with pytest.raises(InsufficientFunds):
        ledger_post(
            key="release",
            cause=Cause.SALE,
            lines=[(escrow(), Decimal("-50.01")), (clearing(), Decimal("50.01"))],
        )

    assert escrow().balance == Decimal("50.00")


def test_a_correction_reverses_every_entry_once_and_keeps_the_original():
    original = pay_in("80.00")

    reversal = transaction_reverse(transaction_id=original.pk, reason="paid twice by mistake", by=None)
    again = transaction_reverse(transaction_id=original.pk, reason="paid twice by mistake", by=None)

    assert again.pk == reversal.pk
    assert reversal.cause == Cause.REVERSAL and reversal.reverses_id == original.pk
    assert escrow().balance == 0 and clearing().balance == 0
    assert original.entries.count() == 2
    with pytest.raises(UnbalancedTransaction):
        transaction_reverse(transaction_id=reversal.pk, reason="no", by=None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_refuses_an_unbalanced_raw_insert_at_commit():
    txn = pay_in("10.00")

    with pytest.raises(IntegrityError, match="unbalanced"), transaction.atomic():
        Entry.objects.create(transaction=txn, account=escrow(), amount=Decimal("1.00"), balance_after=0)

    assert Entry.objects.filter(transaction=txn).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_refuses_a_negative_wallet_balance_written_by_hand():
    user = UserFactory()
    account = wallet_account(user=user)

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE wallet_account SET balance = -1 WHERE id = %s", [account.pk])

    account.refresh_from_db()
    assert account.balance == 0


def test_releasing_escrow_to_exactly_zero_works_whatever_the_database_sums_in():
    # In floating point 24.25 + 1.59 - 24.25 - 1.59 is a hair below zero; balances are Decimal.
    pay_in("24.25", key="payment:a")
    pay_in("1.59", key="payment:b")
    for key, amount in (("release:a", "24.25"), ("release:b", "1.59")):
        value = Decimal(amount)
        ledger_post(key=key, cause=Cause.SALE, lines=[(escrow(), -value), (clearing(), value)])

    assert escrow().balance == 0
    assert account_balance_from_entries(escrow()) == 0
