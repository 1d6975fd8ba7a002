"""The settlement job: a consigned item's sale, once the buyer can no longer get the money back, paid
to the seller less the commission, each line in the ledger, once. And the batch ledger posting it
relies on (`ledger_post_many`), checked against what `ledger_post` does one posting at a time."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse

from consignment.models import Consignment, ConsignmentEvent, ConsignmentStatus
from consignment.settlement import consignments_settle, settlement_split
from consignment.settlement_tasks import settle_consignments
from orders.models import OrderStatus
from recycling.models import Submission, SubmissionEvent, SubmissionStatus
from tests.consignment.helpers import sold_consignment, sold_consignments
from tests.factories import UserFactory
from wallet.errors import InsufficientFunds, UnbalancedTransaction
from wallet.models import Account, AccountPurpose, Cause, Entry, Transaction
from wallet.selectors import account_balance_from_entries, wallet_entries
from wallet.services.ledger import ledger_post, platform_account, wallet_account
from wallet.services.ledger_batch import Posting, ledger_post_many

pytestmark = pytest.mark.django_db


def balance(purpose: AccountPurpose) -> Decimal:
    return platform_account(purpose=purpose).balance


def wallet_balance(user) -> Decimal:
    return Account.objects.get(user=user).balance


def assert_ledger_balanced() -> None:
    """Every transaction sums to zero and every account's cached balance is the sum of its entries."""
    for txn in Transaction.objects.prefetch_related("entries"):
        assert sum(entry.amount for entry in txn.entries.all()) == 0, txn
    for account in Account.objects.all():
        assert account.balance == account_balance_from_entries(account), account


# --- Settling ---------------------------------------------------------------------------------------


def test_a_completed_sale_pays_the_seller_the_price_less_commission_and_books_the_commission():
    # given: sold for 2,000.00 at a 25% commission, the order completed (2,000.00 in payable)
    consignment = sold_consignment(price="2000.00", commission_rate="0.250")
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("2000.00")

    # when
    settled = consignments_settle()

    # then: 500.00 commission, 1,500.00 to the seller, payable emptied
    assert settled == 1
    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.SETTLED
    assert (consignment.sale_price, consignment.commission, consignment.payout) == (
        Decimal("2000.00"),
        Decimal("500.00"),
        Decimal("1500.00"),
    )
    assert consignment.settled_at is not None
    assert wallet_balance(consignment.seller) == Decimal("1500.00")
    assert balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("500.00")
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")
    assert Submission.objects.get(pk=consignment.submission_id).status == SubmissionStatus.SETTLED
    assert_ledger_balanced()


def test_each_line_of_the_settlement_is_an_entry_of_one_keyed_transaction():
    consignment = sold_consignment(price="2000.00", commission_rate="0.250")

    consignments_settle()

    txn = Transaction.objects.get(idempotency_key=f"settle:consignment:{consignment.pk}")
    assert txn.cause == Cause.CONSIGNMENT_SETTLEMENT
    assert (txn.reference, txn.detail) == (consignment.submission.code, "Leica M6")
    lines = {(entry.account.purpose, entry.account.user_id, entry.amount) for entry in txn.entries.all()}
    assert lines == {
        (AccountPurpose.CONSIGNMENT_PAYABLE, None, Decimal("-2000.00")),
        (AccountPurpose.WALLET, consignment.seller_id, Decimal("1500.00")),
        (AccountPurpose.COMMISSION_REVENUE, None, Decimal("500.00")),
    }


def test_the_moves_leave_events_on_the_consignment_and_the_submission_with_the_figures():
    consignment = sold_consignment(price="2000.00", commission_rate="0.250")

    consignments_settle()

    event = ConsignmentEvent.objects.get(consignment=consignment, new=ConsignmentStatus.SETTLED)
    assert event.old == ConsignmentStatus.SOLD
    assert event.by is None
    assert event.text == "¥1,500.00 paid to the wallet: ¥2,000.00 less ¥500.00 commission."
    submission_event = SubmissionEvent.objects.get(
        submission_id=consignment.submission_id, new=SubmissionStatus.SETTLED
    )
    assert (submission_event.old, submission_event.text) == (SubmissionStatus.SOLD, event.text)


@pytest.mark.parametrize(
    ("price", "rate", "commission", "payout"),
    [
        ("2000.00", "0.250", "500.00", "1500.00"),
        ("100.10", "0.250", "25.03", "75.07"),  # 25.025: half up, not to even
        ("1299.99", "0.300", "390.00", "909.99"),  # 389.997
        ("450.00", "0.300", "135.00", "315.00"),
        ("12000.00", "0.150", "1800.00", "10200.00"),
    ],
)
def test_commission_is_rounded_half_up_to_the_cent(price, rate, commission, payout):
    consignment = sold_consignment(price=price, commission_rate=rate)

    consignments_settle()

    consignment.refresh_from_db()
    assert (consignment.commission, consignment.payout) == (Decimal(commission), Decimal(payout))
    assert wallet_balance(consignment.seller) == Decimal(payout)
    assert settlement_split(released=Decimal(price), commission_rate=Decimal(rate)) == (
        Decimal(commission),
        Decimal(payout),
    )


@pytest.mark.parametrize(
    "order_status",
    [
        OrderStatus.PAID,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,  # the return window is still open
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.RETURNED,
        OrderStatus.DISPUTED,
    ],
)
def test_nothing_is_paid_before_the_order_completes(order_status):
    consignment = sold_consignment(order_status=order_status)

    assert consignments_settle() == 0

    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.SOLD
    assert not Account.objects.filter(user=consignment.seller).exists()
    assert not Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).exists()
    assert balance(AccountPurpose.ESCROW) == consignment.order.price  # still held for the buyer


def test_nothing_is_paid_for_a_refunded_order():
    consignment = sold_consignment(order_status=OrderStatus.REFUNDED)

    assert consignments_settle() == 0

    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.SOLD
    assert not Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).exists()
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")


def test_nothing_is_paid_for_a_dispute_resolved_with_a_full_refund():
    consignment = sold_consignment(order_status=OrderStatus.RESOLVED, released="0")

    assert consignments_settle() == 0

    assert Consignment.objects.get(pk=consignment.pk).status == ConsignmentStatus.SOLD


def test_a_dispute_resolved_with_a_partial_refund_settles_what_was_released():
    # given: 2,000.00 paid, 800.00 refunded to the buyer, 1,200.00 released to consignment payable
    consignment = sold_consignment(order_status=OrderStatus.RESOLVED, price="2000.00", released="1200.00")

    assert consignments_settle() == 1

    consignment.refresh_from_db()
    assert (consignment.sale_price, consignment.commission, consignment.payout) == (
        Decimal("1200.00"),
        Decimal("300.00"),
        Decimal("900.00"),
    )
    assert wallet_balance(consignment.seller) == Decimal("900.00")
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")
    assert_ledger_balanced()


def test_running_the_job_twice_pays_once():
    consignment = sold_consignment(price="2000.00")

    first = settle_consignments()
    second = settle_consignments()

    assert (first, second) == (1, 0)
    assert Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).count() == 1
    assert wallet_balance(consignment.seller) == Decimal("1500.00")
    assert (
        ConsignmentEvent.objects.filter(consignment=consignment, new=ConsignmentStatus.SETTLED).count() == 1
    )


def test_a_settlement_key_posted_before_moves_no_money_again():
    # given: the settlement was posted by hand (a data fix) before the job ran
    consignment = sold_consignment(price="2000.00")
    ledger_post(
        key=f"settle:consignment:{consignment.pk}",
        cause=Cause.CONSIGNMENT_SETTLEMENT,
        lines=[
            (platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE), Decimal("-2000.00")),
            (wallet_account(user=consignment.seller), Decimal("1500.00")),
            (platform_account(purpose=AccountPurpose.COMMISSION_REVENUE), Decimal("500.00")),
        ],
    )

    assert consignments_settle() == 1

    assert Consignment.objects.get(pk=consignment.pk).status == ConsignmentStatus.SETTLED
    assert wallet_balance(consignment.seller) == Decimal("1500.00")
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")
    assert_ledger_balanced()


def test_a_consignment_whose_submission_cannot_move_is_left_out_and_the_others_are_paid(caplog):
    # given: three sold consignments, one whose submission was (wrongly) moved on by hand
    ids = sold_consignments(count=3, sellers=1)
    stuck = Consignment.objects.get(pk=ids[0])
    Submission.objects.filter(pk=stuck.submission_id).update(status=SubmissionStatus.LISTED)

    # when: the job runs, twice
    assert settle_consignments(limit=2) == 2
    assert settle_consignments(limit=2) == 0

    # then: the others are paid; that one waits, untouched, with an error in the log
    stuck.refresh_from_db()
    assert stuck.status == ConsignmentStatus.SOLD
    assert not Transaction.objects.filter(idempotency_key=f"settle:consignment:{stuck.pk}").exists()
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("2000.00")
    assert wallet_balance(stuck.seller) == Decimal("3000.00")
    assert f"Consignment {stuck.pk} is sold but its submission" in caplog.text
    assert_ledger_balanced()


def test_a_batch_takes_at_most_its_limit_oldest_first_and_the_next_run_the_rest():
    ids = sold_consignments(count=5, sellers=2)

    assert consignments_settle(limit=2) == 2
    assert set(
        Consignment.objects.filter(status=ConsignmentStatus.SETTLED).values_list("pk", flat=True)
    ) == set(ids[:2])
    assert consignments_settle(limit=2) == 2
    assert consignments_settle(limit=2) == 1
    assert consignments_settle(limit=2) == 0


def test_the_task_runs_batches_until_nothing_is_left():
    sold_consignments(count=7, sellers=3)

    assert settle_consignments(limit=2) == 7

    assert not Consignment.objects.filter(status=ConsignmentStatus.SOLD).exists()
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")


def test_many_consignments_of_a_few_sellers_add_up_in_each_wallet():
    # 10 sales of 2,000.00 at 25% over 3 sellers: 4, 3 and 3 sales → 6,000.00, 4,500.00, 4,500.00
    ids = sold_consignments(count=10, sellers=3)

    assert consignments_settle() == 10

    sellers = Consignment.objects.filter(pk__in=ids).values_list("seller", flat=True).distinct()
    balances = sorted(Account.objects.filter(user__in=sellers).values_list("balance", flat=True))
    assert balances == [Decimal("4500.00"), Decimal("4500.00"), Decimal("6000.00")]
    assert balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("5000.00")
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")
    # each wallet's entries carry its running balance, one settlement after another
    for account in Account.objects.filter(user__in=sellers):
        running = Decimal("0")
        for entry in account.entries.order_by("id"):
            running += entry.amount
            assert entry.balance_after == running
    assert_ledger_balanced()


def test_a_batch_makes_the_same_number_of_queries_whatever_its_size(django_assert_num_queries):
    sold_consignments(count=3, sellers=2)
    platform_account(purpose=AccountPurpose.COMMISSION_REVENUE)
    # Savepoint and release for the batch and for its postings (4); the two platform accounts (2);
    # the claim (1); the sellers' wallets, read, created and read (3); the postings: transactions,
    # account locks, balances, entries (4); the moves: lock the submissions, consignment events,
    # consignment figures, submission events, submission statuses (5); the sellers' notifications:
    # their addresses, their preferences, the rows, which to e-mail (4).
    with django_assert_num_queries(23):
        assert consignments_settle() == 3

    sold_consignments(count=40, sellers=2)  # the same two sellers
    # The same for 40, the wallets now existing (two queries fewer).
    with django_assert_num_queries(21):
        assert consignments_settle() == 40


def test_the_sellers_wallet_shows_the_settlement_in_words(client):
    consignment = sold_consignment(price="2000.00", title="Leica M6")
    consignments_settle()

    [entry] = wallet_entries(consignment.seller).items
    assert entry.words == (
        f"Consigned “Leica M6” sold and settled ({consignment.submission.code}): "
        "sold for ¥2,000.00, less Reloop's commission of ¥500.00"
    )
    client.force_login(consignment.seller)
    page = client.get(reverse("wallet:home")).content.decode()
    assert "Consigned “Leica M6” sold and settled" in page
    assert "less Reloop&#x27;s commission of ¥500.00" in page
    assert "1,500.00" in page


# --- ledger_post_many against ledger_post -----------------------------------------------------------


def _accounts():
    users = [UserFactory(), UserFactory()]
    return {
        "clearing": platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING),
        "escrow": platform_account(purpose=AccountPurpose.ESCROW),
        "revenue": platform_account(purpose=AccountPurpose.COMMISSION_REVENUE),
        "a": wallet_account(user=users[0]),
        "b": wallet_account(user=users[1]),
    }


def _postings(accounts) -> list[Posting]:
    def posting(key, *lines):
        return Posting(key=key, cause=Cause.SALE, lines=[(accounts[name], Decimal(v)) for name, v in lines])

    return [
        posting("p:1", ("clearing", "-300.00"), ("escrow", "300.00")),
        posting("p:2", ("escrow", "-200.00"), ("a", "190.00"), ("revenue", "10.00")),
        posting("p:3", ("clearing", "-50.25"), ("escrow", "50.25")),
        posting("p:4", ("escrow", "-100.00"), ("a", "60.00"), ("b", "35.00"), ("revenue", "5.00")),
        posting("p:5", ("a", "-20.00"), ("a", "-30.00"), ("b", "50.00")),  # lines on one account merge
    ]


def _ledger_state():
    entries = [
        (entry.transaction.idempotency_key, entry.account_id, entry.amount, entry.balance_after)
        for entry in Entry.objects.select_related("transaction").order_by("id")
    ]
    balances = dict(Account.objects.values_list("pk", "balance"))
    return entries, balances


def test_ledger_post_many_leaves_the_ledger_exactly_as_ledger_post_one_by_one():
    accounts = _accounts()
    postings = _postings(accounts)

    # given: what ledger_post leaves, one posting after another (then rolled back)
    with transaction.atomic():
        for posting in postings:
            ledger_post(key=posting.key, cause=posting.cause, lines=posting.lines)
        expected = _ledger_state()
        transaction.set_rollback(True)
    for account in accounts.values():
        account.refresh_from_db()
    assert not Entry.objects.exists()

    # when
    answers = ledger_post_many(postings)

    # then: the same entries, in the same order, with the same running balances and cached balances
    assert _ledger_state() == expected
    assert [txn.idempotency_key for txn in answers] == [posting.key for posting in postings]
    assert all(txn.created for txn in answers)
    assert_ledger_balanced()


def test_ledger_post_many_skips_keys_already_posted_and_keys_given_twice():
    accounts = _accounts()
    postings = _postings(accounts)
    before = ledger_post(key="p:1", cause=Cause.SALE, lines=postings[0].lines)

    answers = ledger_post_many([postings[0], postings[1], postings[1]])

    assert [(txn.pk, txn.created) for txn in answers] == [
        (before.pk, False),
        (answers[1].pk, True),
        (answers[1].pk, False),
    ]
    assert Transaction.objects.count() == 2
    assert Entry.objects.count() == 5
    assert Account.objects.get(pk=accounts["escrow"].pk).balance == Decimal("100.00")
    assert_ledger_balanced()


def test_ledger_post_many_refuses_a_batch_that_would_take_a_wallet_below_zero_even_for_a_moment():
    accounts = _accounts()

    # The wallet would end at +50.00, but the first posting takes it to -50.00 before the second.
    postings = [
        Posting(key="w:1", cause=Cause.SALE, lines=[(accounts["a"], Decimal("-50.00")), (accounts["b"], Decimal("50.00"))]),
        Posting(key="w:2", cause=Cause.SALE, lines=[(accounts["clearing"], Decimal("-100.00")), (accounts["a"], Decimal("100.00"))]),
    ]  # fmt: skip
    with pytest.raises(InsufficientFunds):
        ledger_post_many(postings)

    assert not Transaction.objects.exists()
    assert not Entry.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) == {Decimal("0.00")}


@pytest.mark.parametrize(
    "lines",
    [
        [("clearing", "-10.00"), ("escrow", "9.99")],  # does not sum to zero
        [("clearing", "-10.001"), ("escrow", "10.001")],  # below the cent
        [("escrow", "10.00"), ("escrow", "-10.00")],  # nothing left once merged
    ],
)
def test_ledger_post_many_refuses_lines_ledger_post_refuses_and_writes_nothing(lines):
    accounts = _accounts()
    good = _postings(accounts)[0]
    bad = Posting(key="bad", cause=Cause.SALE, lines=[(accounts[name], Decimal(v)) for name, v in lines])

    with pytest.raises(UnbalancedTransaction):
        ledger_post_many([good, bad])

    assert not Transaction.objects.exists()


def test_ledger_post_many_makes_a_fixed_number_of_queries(django_assert_num_queries):
    accounts = _accounts()
    postings = [
        Posting(
            key=f"n:{index}",
            cause=Cause.PAYMENT,
            lines=[(accounts["clearing"], Decimal("-1.00")), (accounts["escrow"], Decimal("1.00"))],
        )
        for index in range(60)
    ]
    # Savepoint and release (2); insert the transactions (1); lock the accounts (1); update their
    # balances (1); insert the entries (1). No read of earlier keys: none was posted before.
    with django_assert_num_queries(6):
        ledger_post_many(postings)
    assert Account.objects.get(pk=accounts["escrow"].pk).balance == Decimal("60.00")


# --- PostgreSQL: two runs at once -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_pay_each_consignment_once():
    ids = sold_consignments(count=60, sellers=7)
    start = threading.Barrier(2)
    answers: list = [None, None]

    def run(index: int) -> None:
        try:
            start.wait(30)
            answers[index] = settle_consignments(limit=5)
        except Exception as error:  # kept and asserted below
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert all(isinstance(answer, int) for answer in answers), answers
    assert sum(answers) == 60
    assert Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).count() == 60
    assert not Consignment.objects.filter(pk__in=ids).exclude(status=ConsignmentStatus.SETTLED).exists()
    assert ConsignmentEvent.objects.filter(new=ConsignmentStatus.SETTLED).count() == 60
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")
    assert balance(AccountPurpose.COMMISSION_REVENUE) == Decimal("30000.00")
    assert_ledger_balanced()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_run_skips_the_rows_a_first_run_holds_and_settles_the_others():
    ids = sold_consignments(count=12, sellers=3)
    claimed = threading.Event()
    release = threading.Event()
    first: list = []

    def slow_first_run() -> None:
        try:
            with transaction.atomic():
                first.append(consignments_settle(limit=5))  # holds its 5 rows until release
                claimed.set()
                release.wait(30)
        except Exception as error:  # kept and asserted below
            first.append(error)
            claimed.set()
        finally:
            connection.close()

    thread = threading.Thread(target=slow_first_run)
    thread.start()
    assert claimed.wait(30)

    # while the first run's transaction is open: the second skips its rows and takes the other 7
    second = consignments_settle(limit=100)
    release.set()
    thread.join(30)

    assert first == [5]
    assert second == 7
    assert consignments_settle(limit=100) == 0
    assert Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).count() == 12
    assert set(Consignment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        ConsignmentStatus.SETTLED
    }
    assert balance(AccountPurpose.CONSIGNMENT_PAYABLE) == Decimal("0.00")
    assert_ledger_balanced()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ledger_post_many_and_ledger_post_of_the_same_key_at_once_post_it_once():
    accounts = _accounts()
    lines = [(accounts["clearing"], Decimal("-10.00")), (accounts["escrow"], Decimal("10.00"))]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def run(index: int) -> None:
        try:
            start.wait(30)
            if index == 0:
                answers[index] = ledger_post_many([Posting(key="race", cause=Cause.PAYMENT, lines=lines)])[0]
            else:
                answers[index] = ledger_post(key="race", cause=Cause.PAYMENT, lines=lines)
        except Exception as error:  # kept and asserted below
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert all(isinstance(answer, Transaction) for answer in answers), answers
    assert answers[0].pk == answers[1].pk
    assert sorted(answer.created for answer in answers) == [False, True]
    assert Entry.objects.count() == 2
    assert balance(AccountPurpose.ESCROW) == Decimal("10.00")
