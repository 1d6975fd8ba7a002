"""Settlement: paying the seller of a sold consignment once the buyer can no longer get the money back.

A consignment is settled when it is `sold` and its order's money was released to the seller side:
the order is `completed` (the buyer confirmed, or the return window closed with no return or dispute)
or `resolved` (a dispute decided with money left for the seller), and the order's sale posting
`sale:order:<id>` moved that money from escrow into consignment payable. An order refunded in full,
or still open, has no such posting and is not settled.

The settlement of one consignment is one ledger transaction, keyed `settle:consignment:<id>`:

    consignment payable   -released     (what the sale posting put there: the price, or what a
                                         partial refund left)
    seller's wallet       +payout       released - commission
    commission revenue    +commission   released x the agreement's commission rate, half up to the cent
                                        (less the provider's fee)
    provider's payee      +provider fee for a consignment a partner ran: released x the partner's
                                        fee rate, half up to the cent, at most the commission; paid out
                                        of the commission, so the seller's payout is the same

with the figures recorded on the consignment, and the consignment and its submission moved
sold → settled. The moves are checked against the same ALLOWED tables as `consignment_move` and
`submission_move` and leave the same event rows, but are written for the whole batch at once
(`_moves_to_settled`): one by one they cost six queries per consignment, most of the job's time.

`consignments_settle` does this for one bounded batch in ONE database transaction: it claims up to
`limit` eligible consignments with `SELECT ... FOR UPDATE SKIP LOCKED`, posts their settlements
together (`wallet.services.ledger_batch.ledger_post_many`), and moves them. So:

- a worker that dies midway (SIGKILL, lost connection) leaves nothing of its batch: PostgreSQL rolls
  the whole transaction back, the rows are unlocked, and the next run claims them again;
- two workers at once claim disjoint rows (each skips the rows the other has locked);
- a consignment is settled once even if something posted its key before: the idempotency key is
  unique, an already posted key moves no money, and the row is no longer `sold` once moved;
- a consignment whose submission cannot move to settled (only a data fix gone wrong does that) is
  left out with an error in the log, so that it does not hold back every other seller's payout.

A batch per transaction, rather than one per consignment, is what makes the job fast (a few queries
per batch for the money instead of several per consignment); the price is that a dead worker's
whole batch (at most `limit` rows) is redone by the next run, which is harmless.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.db import connection, transaction
from django.db.models import CharField, Exists, Field, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from consignment.models import Consignment, ConsignmentEvent, ConsignmentStatus
from consignment.notices import consignments_notify_settled
from consignment.pricing import commission_for, payout_for
from consignment.services.transitions import ALLOWED as CONSIGNMENT_ALLOWED
from marketplace.errors import InvalidTransition
from marketplace.money import quantize
from orders.models import OrderStatus
from orders.services.money import SALE_KEY_PREFIX
from recycling.models import SubmissionStatus
from recycling.services.transitions import ALLOWED as SUBMISSION_ALLOWED
from recycling.services.transitions import submissions_lock, submissions_settle
from wallet.models import AccountPurpose, Cause, Entry
from wallet.services.ledger import platform_account
from wallet.services.ledger_batch import Posting, insert_rows, ledger_post_many, update_by_pk, wallet_accounts

logger = logging.getLogger(__name__)

SETTLE_BATCH_SIZE = 500
# Orders whose money may have been released to the seller side; the sale posting says how much was.
RELEASED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.RESOLVED)


def settlement_key(consignment_id: int) -> str:
    return f"settle:consignment:{consignment_id}"


def settlement_split(*, released: Decimal, commission_rate: Decimal) -> tuple[Decimal, Decimal]:
    """(commission, payout) for a released sale amount: 2,000.00 at 0.25 → (500.00, 1,500.00). The
    same figures the agreement and the money timeline show (consignment.pricing)."""
    return (
        commission_for(sale_price=released, rate=commission_rate),
        payout_for(sale_price=released, rate=commission_rate),
    )


def provider_fee_for(*, released: Decimal, fee_rate: Decimal, commission: Decimal) -> Decimal:
    """What the partner that ran a consignment is paid of its commission: released x its fee rate,
    half up to the cent, never more than the commission (2,000.00 at 0.10 of a 500.00 commission →
    200.00)."""
    return min(quantize(released * fee_rate), commission)


def consignments_settleable(*, payable_id: int):
    """Sold consignments whose order released money into consignment payable, annotated with
    `released`: the amount of the order's sale posting on that account. Oldest first.

    Shaped for PostgreSQL's planner: the ledger is asked with EXISTS (a semi-join) and nothing else
    is joined in the filter, so that a LIMIT walks the (status, id) index and stops after `limit`
    rows; a join on the submission's status made it read and sort every sold row on every batch."""
    # orders.services.money.sale_key(order_id), built in SQL for each row.
    key = Concat(
        Value(SALE_KEY_PREFIX), Cast(OuterRef("order_id"), output_field=CharField()), output_field=CharField()
    )
    sale = Entry.objects.filter(account_id=payable_id, transaction__idempotency_key=key, amount__gt=0)
    return (
        Consignment.objects.filter(status=ConsignmentStatus.SOLD, order__status__in=RELEASED_STATUSES)
        .filter(Exists(sale))
        .annotate(released=Subquery(sale.order_by().values("amount")[:1]))
        .order_by("pk")
    )


@dataclass
class _Claimed:
    """A claimed consignment, read as plain values (no model instances: the job handles thousands)."""

    pk: int
    status: str
    seller_id: int
    submission_id: int
    commission_rate: Decimal
    released: Decimal
    code: str
    title: str
    provider_fee_rate: Decimal | None
    payee_id: int | None
    commission: Decimal = Decimal("0")
    payout: Decimal = Decimal("0")
    provider_fee: Decimal = Decimal("0")
    submission_status: str = ""


@transaction.atomic
def consignments_settle(*, limit: int = SETTLE_BATCH_SIZE, now: datetime | None = None) -> int:
    """Settle up to `limit` eligible consignments in one transaction (see the module's docstring):
    post each settlement, record its figures, move the consignment and its submission to settled.
    Rows another run holds are skipped. Returns how many were settled by this call."""
    now = now or timezone.now()
    payable = platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE)
    revenue = platform_account(purpose=AccountPurpose.COMMISSION_REVENUE)
    rows = (
        consignments_settleable(payable_id=payable.pk)
        # Lock only the consignment rows: the order and submission are read, not claimed here.
        .select_for_update(skip_locked=True, of=("self",))
        .values_list(
            "pk", "status", "seller_id", "submission_id", "commission_rate", "released", "submission__code",
            "submission__title", "submission__provider__fee_rate", "submission__provider__payee_id",
        )[:limit]
    )  # fmt: skip
    claimed = [_Claimed(*row) for row in rows]
    for consignment in claimed:
        consignment.released = quantize(consignment.released)  # SQLite returns 2000 for 2000.00
    claimed = _with_submissions_locked(claimed)
    if not claimed:
        return 0

    wallets = wallet_accounts(
        user_ids={consignment.seller_id for consignment in claimed}
        | {consignment.payee_id for consignment in claimed if consignment.payee_id is not None}
    )
    postings = []
    for consignment in claimed:
        consignment.commission, consignment.payout = settlement_split(
            released=consignment.released, commission_rate=consignment.commission_rate
        )
        if consignment.payee_id is not None and consignment.provider_fee_rate:
            consignment.provider_fee = provider_fee_for(
                released=consignment.released,
                fee_rate=consignment.provider_fee_rate,
                commission=consignment.commission,
            )
        lines = [
            (payable, -consignment.released),
            (wallets[consignment.seller_id], consignment.payout),
            (revenue, consignment.commission - consignment.provider_fee),
        ]
        if consignment.provider_fee:
            assert consignment.payee_id is not None
            lines.append((wallets[consignment.payee_id], consignment.provider_fee))
        postings.append(
            Posting(
                key=settlement_key(consignment.pk),
                cause=Cause.CONSIGNMENT_SETTLEMENT,
                lines=lines,
                reference=consignment.code,
                detail=consignment.title,
            )
        )
    transactions = ledger_post_many(postings)
    for consignment, txn in zip(claimed, transactions, strict=True):
        if not txn.created:
            # The key was posted outside this job (a manual fix): the money moved then, not again.
            logger.warning("Consignment %s was already paid by transaction %s", consignment.pk, txn.pk)
    _moves_to_settled(claimed, now=now)
    consignments_notify_settled(
        [(c.pk, c.seller_id, c.title, c.code, c.released, c.commission, c.payout) for c in claimed]
    )
    return len(claimed)


def _with_submissions_locked(claimed: list[_Claimed]) -> list[_Claimed]:
    """Lock the claimed consignments' submissions (in id order) and keep the consignments whose
    submission may move to settled. One whose submission is in another state (a data fix gone wrong)
    is left as it is, with an error in the log, rather than hold back every other seller's payout;
    its row lock ends with the batch."""
    if not claimed:
        return claimed
    statuses = submissions_lock([consignment.submission_id for consignment in claimed])
    kept = []
    for consignment in claimed:
        consignment.submission_status = statuses[consignment.submission_id]
        if SubmissionStatus.SETTLED in SUBMISSION_ALLOWED[SubmissionStatus(consignment.submission_status)]:
            kept.append(consignment)
        else:
            logger.error(
                "Consignment %s is sold but its submission %s is %s: not settled",
                consignment.pk,
                consignment.submission_id,
                consignment.submission_status,
            )
    return kept


def _moves_to_settled(claimed: list[_Claimed], *, now: datetime) -> None:
    """sold → settled for the claimed consignments and their submissions, as consignment_move and
    submission_move do it one by one (checked against their ALLOWED tables, an event row each, under
    row locks), in a few statements for the whole batch. Caller holds the row locks of the
    consignments and their submissions and is inside the batch's transaction."""
    for consignment in claimed:
        if ConsignmentStatus.SETTLED not in CONSIGNMENT_ALLOWED[ConsignmentStatus(consignment.status)]:
            raise InvalidTransition(consignment.status, ConsignmentStatus.SETTLED)
        if (
            SubmissionStatus.SETTLED
            not in SUBMISSION_ALLOWED[SubmissionStatus(consignment.submission_status)]
        ):
            raise InvalidTransition(consignment.submission_status, SubmissionStatus.SETTLED)

    # Both timelines say the same, each from its own catalog, checked as the move functions check
    # it; the parameters go to the driver prepared as JSON, since insert_rows passes values as given.
    params_field = cast(Field, ConsignmentEvent._meta.get_field("params"))
    params = {}
    stored_params = {}
    for c in claimed:
        figures = {"payout": c.payout, "released": c.released, "commission": c.commission}
        stored_params[c.pk] = ConsignmentEvent.message_params("settled", figures)
        params[c.pk] = params_field.get_db_prep_save(stored_params[c.pk], connection)
    insert_rows(
        ConsignmentEvent,
        ["consignment", "old", "new", "message", "params", "note", "at"],
        [
            (c.pk, c.status, ConsignmentStatus.SETTLED.value, "settled", params[c.pk], "", now)
            for c in claimed
        ],
    )
    update_by_pk(
        Consignment,
        ["sale_price", "commission", "payout", "provider_fee"],
        {c.pk: [c.released, c.commission, c.payout, c.provider_fee] for c in claimed},
        same={"status": ConsignmentStatus.SETTLED.value, "settled_at": now, "updated_at": now},
    )
    submissions_settle(
        settled={
            c.submission_id: (SubmissionStatus(c.submission_status), stored_params[c.pk]) for c in claimed
        },
        at=now,
    )
