"""Many ledger postings in a few queries, for jobs that post thousands at a time (the consignment
settlement job).

`ledger_post_many` keeps every invariant `ledger_post` keeps, for each posting on its own:

- its lines are finite Decimals in cents, merged per account, at least two non-zero, summing to zero
  (checked before anything is written; PostgreSQL checks the sum again at commit);
- its idempotency key is posted once: a key already in the ledger, or given twice in the same call,
  moves nothing and answers with the first transaction (`created` False);
- the accounts are locked in id order, after the transactions are inserted, in the same order of
  locks as `ledger_post`, so that a batch and single postings never deadlock;
- the postings are applied in the order given, each entry's `balance_after` is the account's balance
  right after it, and each account's cached `balance` ends equal to the sum of its entries;
- no account that may not go negative ever does, even for a moment between two postings of the batch:
  if one posting would, InsufficientFunds is raised and nothing of the whole call is written.

Queries per call, whatever the number of postings: one insert of the transactions, one read of keys
that were already posted (only if some were), one locking read of the accounts, one update of their
balances and one insert of the entries (Django splits the last two on SQLite, which limits parameters).
"""

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import DateTimeField, Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from wallet.errors import InsufficientFunds
from wallet.models import NON_NEGATIVE_PURPOSES, Account, AccountPurpose, Cause, Entry, Transaction
from wallet.services.ledger import lines_merged

# Rows per statement, at most; fewer where the database limits parameters (SQLite).
ROWS_PER_STATEMENT = 1000


def _rows_per_statement(params_per_row: int) -> int:
    limit = connection.features.max_query_params
    return ROWS_PER_STATEMENT if limit is None else max(1, min(ROWS_PER_STATEMENT, limit // params_per_row))


@dataclass(frozen=True)
class Posting:
    """One transaction to post: the same arguments `ledger_post` takes (without `reverses`)."""

    key: str
    cause: Cause
    lines: Sequence[tuple[Account, Decimal]]
    reference: str = ""
    detail: str = ""
    by: User | None = None


def wallet_accounts(*, user_ids: Iterable[int]) -> dict[int, Account]:
    """The wallet accounts of these users by user id, the missing ones created: two queries, or three
    when some were missing (a concurrent first use is absorbed by the unique user and purpose)."""
    wanted = set(user_ids)
    # Read by user_id and purpose, so each has one (the platform's accounts have no user).
    wallets = Account.objects.filter(purpose=AccountPurpose.WALLET)
    found = {cast(int, account.user_id): account for account in wallets.filter(user_id__in=wanted)}
    missing = wanted - found.keys()
    if missing:
        Account.objects.bulk_create(
            [Account(user_id=user_id, purpose=AccountPurpose.WALLET) for user_id in sorted(missing)],
            ignore_conflicts=True,
        )
        found.update({cast(int, account.user_id): account for account in wallets.filter(user_id__in=missing)})
    return found


def _field(model: type[Model], name: str) -> Field:
    """One of the model's own fields. get_field is typed to find reverse relations too, which have no
    column; the names given here are always the model's columns."""
    return cast(Field, model._meta.get_field(name))


def _column(field: Field) -> str:
    """The field's column, quoted (the stubs allow None, for fields that have no column)."""
    return connection.ops.quote_name(cast(str, field.column))


def _prepared(field: Field, value: Any) -> Any:
    """A value as the database driver takes it. Only dates need Django's preparation here (SQLite keeps
    them as UTC text); ints, strings, None and Decimals in cents go to the driver as they are, which
    saves the per-value cost that dominated bulk_create and bulk_update in the settlement job."""
    if isinstance(field, DateTimeField):
        return field.get_db_prep_save(value, connection)
    return value


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts_on: str | None = None,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """INSERT `rows` (values in the order of `fields`) in as few statements as the database allows,
    without building a model instance per row. With `skip_conflicts_on` (a unique column's field),
    rows that would break it are left out (ON CONFLICT DO NOTHING). Returns the `returning` columns of
    the rows inserted, in no particular order. Values: ints, strings, None, Decimals in cents, dates."""
    meta = model._meta
    quote = connection.ops.quote_name
    model_fields = [_field(model, name) for name in fields]
    column_sql = ", ".join(_column(field) for field in model_fields)
    row_sql = "(" + ", ".join(["%s"] * len(model_fields)) + ")"
    suffix = ""
    if skip_conflicts_on:
        suffix += f" ON CONFLICT ({_column(_field(model, skip_conflicts_on))}) DO NOTHING"
    if returning:
        suffix += " RETURNING " + ", ".join(_column(_field(model, name)) for name in returning)
    dates = [index for index, field in enumerate(model_fields) if isinstance(field, DateTimeField)]
    answers: list[tuple] = []
    prepared: dict = {}
    size = _rows_per_statement(len(model_fields))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        params: list = []
        for row in chunk:
            values = list(row)
            for index in dates:
                # A batch stamps its rows with one time: prepare each distinct value once.
                value = values[index]
                if value not in prepared:
                    prepared[value] = _prepared(model_fields[index], value)
                values[index] = prepared[value]
            params += values
        # Names come from the model's metadata, quoted; every value is a parameter.
        sql = f"INSERT INTO {quote(meta.db_table)} ({column_sql}) VALUES {', '.join([row_sql] * len(chunk))}{suffix}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returning:
                answers += cursor.fetchall()
    return answers


def update_by_pk(
    model: type[Model],
    fields: Sequence[str],
    rows: dict[int, Sequence[Any]],
    *,
    same: dict[str, Any] | None = None,
) -> None:
    """Give each row its own values in one UPDATE per many rows, without building an expression per
    value as QuerySet.bulk_update does. `rows` maps a primary key to its values (not None), in the
    order of `fields`; `same` sets columns to one value for every row. On PostgreSQL the values are
    joined as a VALUES list (`UPDATE .. FROM (VALUES ..) v WHERE id = v.id`); elsewhere each column
    is a `CASE id WHEN .. THEN .. END`."""
    meta = model._meta
    quote = connection.ops.quote_name
    pk_column = _column(meta.pk)
    model_fields = [_field(model, name) for name in fields]
    same_fields = [(_field(model, name), value) for name, value in (same or {}).items()]
    constant_sql = [f"{_column(field)} = %s" for field, _value in same_fields]
    constant_params = [_prepared(field, value) for field, value in same_fields]
    items = list(rows.items())
    postgres = connection.vendor == "postgresql"
    size = _rows_per_statement(len(fields) + 1 if postgres else 2 * len(fields) + 1)
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        params: list = list(constant_params)
        if postgres:
            # Each value cast to its column's type: a VALUES list would otherwise guess the types.
            casts = [f"%s::{field.db_type(connection)}" for field in model_fields]
            row_sql = f"(%s::{meta.pk.db_type(connection)}, {', '.join(casts)})"
            names = ", ".join(f"v{index}" for index in range(len(model_fields)))
            assignments = [f"{_column(field)} = v.v{index}" for index, field in enumerate(model_fields)]
            for pk, values in chunk:
                params += [
                    pk,
                    *(_prepared(field, value) for field, value in zip(model_fields, values, strict=True)),
                ]
            # Names come from the model's metadata, quoted; every value is a parameter.
            sql = (
                f"UPDATE {quote(meta.db_table)} SET {', '.join([*assignments, *constant_sql])} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v(pk, {names}) "
                f"WHERE {quote(meta.db_table)}.{pk_column} = v.pk"
            )
        else:
            assignments = []
            case_params: list = []
            for index, field in enumerate(model_fields):
                assignments.append(
                    f"{_column(field)} = CASE {pk_column} {'WHEN %s THEN %s ' * len(chunk)}END"
                )
                for pk, values in chunk:
                    case_params += [pk, _prepared(field, values[index])]
            params = case_params + params + [pk for pk, _values in chunk]
            # Names come from the model's metadata, quoted; every value is a parameter.
            sql = (
                f"UPDATE {quote(meta.db_table)} SET {', '.join([*assignments, *constant_sql])} "  # noqa: S608
                f"WHERE {pk_column} IN ({', '.join(['%s'] * len(chunk))})"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _insert_transactions(postings: list[Posting], now) -> dict[str, int]:
    """Insert a transaction row per posting, skipping keys already in the ledger. Returns the ids of
    the rows inserted here, by key. ON CONFLICT DO NOTHING makes a key being posted by someone else at
    this moment wait for them, then count as theirs; RETURNING names only the rows this call wrote.
    In key order, so that two batches posting overlapping keys wait for each other in the same order."""
    rows = [
        (
            posting.key,
            str(posting.cause),
            posting.reference[:40],
            posting.detail[:200],
            posting.by.pk if posting.by is not None else None,
            now,
        )
        for posting in sorted(postings, key=lambda posting: posting.key)
    ]
    inserted = insert_rows(
        Transaction,
        ["idempotency_key", "cause", "reference", "detail", "created_by", "created_at"],
        rows,
        skip_conflicts_on="idempotency_key",
        returning=["id", "idempotency_key"],
    )
    return {key: pk for pk, key in inserted}


@transaction.atomic
def ledger_post_many(postings: Sequence[Posting]) -> list[Transaction]:
    """Post many transactions at once, each as `ledger_post` would (see the module's docstring).
    Returns one transaction per posting, in the order given, with `created` False for a key that was
    already posted (nothing moved for it). Raises InsufficientFunds, and changes nothing, when an
    account that may not go negative would; UnbalancedTransaction for lines that cannot be posted."""
    if not postings:
        return []
    now = timezone.now()
    amounts = [
        lines_merged(key=posting.key, lines=posting.lines) for posting in postings
    ]  # all checked before anything is written
    first: dict[str, int] = {}  # key → index of the posting that posts it
    for index, posting in enumerate(postings):
        first.setdefault(posting.key, index)

    inserted = _insert_transactions([postings[index] for index in first.values()], now)
    already = [key for key in first if key not in inserted]
    earlier = {txn.idempotency_key: txn for txn in Transaction.objects.filter(idempotency_key__in=already)}
    new = [index for key, index in first.items() if key in inserted]

    account_ids = sorted({pk for index in new for pk in amounts[index]})
    locked = {
        account.pk: account
        for account in Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    }
    entries: list[tuple] = []
    # The postings in the order given: each one's entries carry the balances right after it.
    for index in new:
        txn_id = inserted[postings[index].key]
        for pk in sorted(amounts[index]):
            account = locked[pk]
            account.balance += amounts[index][pk]
            if account.balance < 0 and account.purpose in NON_NEGATIVE_PURPOSES:
                if account.purpose == AccountPurpose.WALLET:
                    message = _("There is not enough money in the wallet for this.")
                else:
                    message = _("There is not enough money held for this.")
                raise InsufficientFunds(message)
            entries.append((txn_id, pk, amounts[index][pk], account.balance, now))
    # The balances were worked out in Decimal under the row locks taken above (not as F() sums, which
    # SQLite does in floating point: see ledger_post).
    update_by_pk(Account, ["balance"], {pk: [locked[pk].balance] for pk in account_ids})
    insert_rows(Entry, ["transaction", "account", "amount", "balance_after", "created_at"], entries)

    answers: dict[str, Transaction] = {}
    for index in new:
        posting = postings[index]
        txn = Transaction(
            pk=inserted[posting.key],
            idempotency_key=posting.key,
            cause=posting.cause,
            reference=posting.reference[:40],
            detail=posting.detail[:200],
            created_by=posting.by,
            created_at=now,
        )
        txn.created = True
        answers[posting.key] = txn
    for key, txn in earlier.items():
        txn.created = False
        answers[key] = txn
    result = []
    for index, posting in enumerate(postings):
        txn = answers[posting.key]
        if first[posting.key] != index and txn.created:
            txn = copy.copy(txn)  # the same key again in this call: posted once, by its first occurrence
            txn.created = False
        result.append(txn)
    return result
