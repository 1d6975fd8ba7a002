"""The one place that writes the ledger.

`ledger_post` is the only function that creates transactions and entries. It checks that the lines
sum to zero, locks every account it touches (in id order, so that two postings never deadlock), keeps
each account's cached balance in step, and refuses a posting that would take a wallet, escrow or
payouts in flight below zero. Posting the same idempotency key twice returns the first transaction
and moves nothing: jobs and webhooks may run twice, money moves once.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.money import CENT
from wallet.errors import InsufficientFunds, UnbalancedTransaction
from wallet.models import NON_NEGATIVE_PURPOSES, Account, AccountPurpose, Cause, Entry, Transaction

Line = tuple[Account, Decimal]


def wallet_account(*, user: User) -> Account:
    """The user's wallet account, created on first use (get_or_create survives two first uses at once)."""
    account, _created = Account.objects.get_or_create(user=user, purpose=AccountPurpose.WALLET)
    return account


def deposit_account(*, user: User) -> Account:
    """The account holding the user's store deposit, created on first use."""
    account, _created = Account.objects.get_or_create(user=user, purpose=AccountPurpose.DEPOSIT)
    return account


def platform_account(*, purpose: AccountPurpose) -> Account:
    """The platform's account for a purpose, created on first use."""
    if purpose == AccountPurpose.WALLET:
        raise ValueError("A wallet belongs to a user; use wallet_account().")
    account, _created = Account.objects.get_or_create(purpose=purpose, user=None)
    return account


def lines_merged(*, key: str, lines: Sequence[Line]) -> dict[int, Decimal]:
    """A posting's lines merged per account id, zero lines dropped. Raises UnbalancedTransaction
    unless every amount is a finite Decimal in cents, at least two are left and they sum to zero."""
    amounts: dict[int, Decimal] = {}
    for account, amount in lines:
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise UnbalancedTransaction(f"Amount {amount!r} is not a finite Decimal.")
        if amount != amount.quantize(CENT):
            raise UnbalancedTransaction(f"Amount {amount} has more than two decimal places.")
        amounts[account.pk] = amounts.get(account.pk, Decimal("0")) + amount
    amounts = {pk: amount for pk, amount in amounts.items() if amount != 0}
    if len(amounts) < 2:
        raise UnbalancedTransaction(f"Transaction {key!r} needs at least two non-zero lines.")
    if sum(amounts.values()) != 0:
        raise UnbalancedTransaction(f"Transaction {key!r} does not sum to zero: {amounts}.")
    return amounts


@transaction.atomic
def ledger_post(
    *,
    key: str,
    cause: Cause,
    lines: Sequence[Line],
    reference: str = "",
    detail: str = "",
    by: User | None = None,
    reverses: Transaction | None = None,
) -> Transaction:
    """Record one transaction. `lines` are (account, signed amount) pairs that must sum to zero;
    lines on the same account are merged. Returns the transaction with `created` set to False when
    `key` was already posted (nothing moves then). Raises InsufficientFunds, and changes nothing, when
    an account that may not go negative would."""
    amounts = lines_merged(key=key, lines=lines)

    existing = Transaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        existing.created = False
        return existing
    try:
        with transaction.atomic():
            txn = Transaction.objects.create(
                idempotency_key=key,
                cause=cause,
                reference=reference[:40],
                detail=detail[:200],
                created_by=by,
                reverses=reverses,
            )
    except IntegrityError:
        # Another process posted the same key between our look and our insert: theirs stands.
        existing = Transaction.objects.get(idempotency_key=key)
        existing.created = False
        return existing

    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=amounts).order_by("pk")}
    for pk in sorted(amounts):
        account = locked[pk]
        new_balance = account.balance + amounts[pk]
        if new_balance < 0 and account.purpose in NON_NEGATIVE_PURPOSES:
            if account.purpose == AccountPurpose.WALLET:
                message = _("There is not enough money in the wallet for this.")
            else:
                message = _("There is not enough money held for this.")
            raise InsufficientFunds(message)
    entries = []
    for pk in sorted(amounts):
        account = locked[pk]
        account.balance += amounts[pk]
        # The new balance is worked out here in Decimal, under the row lock taken above, rather than
        # as `F("balance") + amount`: SQLite (development) does that sum in floating point, and
        # 25.84 - 24.25 - 1.59 there is a hair below zero, which the balance constraint refuses.
        Account.objects.filter(pk=pk).update(balance=account.balance)
        entries.append(
            Entry(transaction=txn, account=account, amount=amounts[pk], balance_after=account.balance)
        )
    Entry.objects.bulk_create(entries)
    txn.created = True
    return txn


@transaction.atomic
def transaction_reverse(*, transaction_id: int, reason: str, by: User | None) -> Transaction:
    """Correct a transaction by posting its mirror image: every entry again with the opposite sign.
    The original stays as it was. Reversing twice returns the first reversal."""
    original = Transaction.objects.prefetch_related("entries__account").get(pk=transaction_id)
    if original.cause == Cause.REVERSAL:
        raise UnbalancedTransaction("A reversal is corrected by a new posting, not by reversing it.")
    return ledger_post(
        key=f"reverse:{original.idempotency_key}",
        cause=Cause.REVERSAL,
        lines=[(entry.account, -entry.amount) for entry in original.entries.all()],
        reference=original.reference,
        detail=reason,
        by=by,
        reverses=original,
    )
