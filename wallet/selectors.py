"""Reads for the wallet pages and API, with what they show fetched up front (fixed query counts)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum

from accounts.models import User
from marketplace.keyset import Page, paginate
from marketplace.money import quantize
from wallet.causes import entry_words
from wallet.models import Account, AccountPurpose, Entry, Withdrawal, WithdrawalStatus

# Newest first; the entry_account_newest index answers it.
ENTRY_ORDER = ("-id",)
WITHDRAWAL_ORDER = ("-created_at", "-id")
# Withdrawals whose money is held: requested, approved or sent, not yet paid, refused or failed.
HELD_STATUSES = (WithdrawalStatus.REQUESTED, WithdrawalStatus.APPROVED, WithdrawalStatus.SENT)


@dataclass(frozen=True)
class WalletSummary:
    balance: Decimal  # what the user may withdraw or spend now
    held: Decimal  # in withdrawals on their way out, already taken from the balance
    currency: str


def wallet_summary(user: User) -> WalletSummary:
    """Balance (the wallet account's cached sum of entries) and the amount held in withdrawals not yet
    paid out. Two queries; a user who never had money has a zero balance and no account row yet."""
    balance = (
        Account.objects.filter(user_id=user.pk, purpose=AccountPurpose.WALLET)
        .values_list("balance", flat=True)
        .first()
    )
    held = Withdrawal.objects.filter(user_id=user.pk, status__in=HELD_STATUSES).aggregate(
        total=Sum("amount")
    )["total"]
    return WalletSummary(
        balance=balance if balance is not None else Decimal("0.00"),
        held=held if held is not None else Decimal("0.00"),
        currency=settings.CURRENCY,
    )


def _entries_with_words() -> QuerySet[Entry]:
    """Entries with their transaction, what it corrects, and its other entries (a sale's fee):
    one query for the page and one for the transactions' entries with their accounts."""
    return Entry.objects.select_related("account", "transaction", "transaction__reverses").prefetch_related(
        Prefetch("transaction__entries", queryset=Entry.objects.select_related("account").order_by("id"))
    )


def wallet_entries(user: User, *, cursor: str | None = None, size: int = 25) -> Page:
    """A keyset page of the user's wallet entries, newest first, each with `words` (its cause in the
    active language) and `magnitude` (the amount without its sign, which the page shows with a plus or minus sign).
    Two queries (one when the page is empty). Raises InvalidCursor."""
    queryset = _entries_with_words().filter(account__user_id=user.pk, account__purpose=AccountPurpose.WALLET)
    page = paginate(queryset, order_by=ENTRY_ORDER, cursor=cursor, size=size)
    for entry in page.items:
        entry.words = entry_words(entry)
        entry.magnitude = abs(entry.amount)
    return page


def withdrawals_for_user(user: User, *, cursor: str | None = None, size: int = 20) -> Page:
    """A keyset page of the user's own withdrawals, newest first. One query. Raises InvalidCursor."""
    return paginate(
        Withdrawal.objects.filter(user_id=user.pk), order_by=WITHDRAWAL_ORDER, cursor=cursor, size=size
    )


def withdrawal_for_user(user: User, withdrawal_id: int) -> Withdrawal | None:
    """The user's own withdrawal with its timeline, or None (someone else's is the same as none)."""
    return Withdrawal.objects.filter(user_id=user.pk, pk=withdrawal_id).prefetch_related("events").first()


def withdrawals_awaiting_approval(*, limit: int = 50) -> list[Withdrawal]:
    """Withdrawals waiting for operations, oldest first (they have waited longest), with their user.
    One query."""
    return list(
        Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED)
        .select_related("user")
        .order_by("created_at", "id")[:limit]
    )


def account_balance_from_entries(account: Account) -> Decimal:
    """The sum of the account's entries: what `Account.balance` must equal (for checks and tests)."""
    total = Entry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
    # Rounded to the cent: SQLite (development) sums decimal columns in floating point.
    return quantize(total) if total is not None else Decimal("0.00")
