"""The settlement job on a real Celery worker that is killed (SIGKILL) in the middle of its batches,
then restarted: every consignment ends settled exactly once and the ledger balanced.

The worker here is not the session's shared one (conftest.py): it is started by the test, so that it
can be killed without a warm shutdown, and a second one started after it. It uses its own Redis
database as broker (the one in REDIS_URL, flushed first), imports the settlement task module
itself (`--include`), and connects to the test database under an application name of its own, so
that the test can see in pg_stat_activity when it waits for a lock the test holds: that is how the
test stops a batch midway, deterministically, before killing the worker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, transaction

from consignment.models import Consignment, ConsignmentEvent, ConsignmentStatus
from recycling.models import SubmissionEvent, SubmissionStatus
from tests.consignment.helpers import sold_consignments
from tests.integration.conftest import READY_TIMEOUT, ROOT, _database_url
from wallet.models import Account, AccountPurpose, Cause, Entry, Transaction
from wallet.selectors import account_balance_from_entries

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONSIGNMENTS = 300
SELLERS = 20
APPLICATION = f"settlement-worker-{os.getpid()}"
TASK = "consignment.tasks.settle_consignments"  # the name the beat schedule uses


def _broker_url() -> str:
    """REDIS_URL's own database (not the session worker's, tests.workers), so that only our worker takes the task."""
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=parts.path or "/0"))


def _start_worker(name: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"{_database_url()}?application_name={APPLICATION}",
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": _broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo"]
    command += ["--include", "consignment.settlement_tasks", "--hostname", name, "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle"]
    with log.open("a") as output:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_ready(app, process: subprocess.Popen, name: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        if app.control.ping(destination=[name], timeout=1.0):
            return
    pytest.fail(f"the worker did not answer a ping within {READY_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _worker_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
            [APPLICATION],
        )
        return cursor.fetchone()[0] > 0


def _worker_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION])
        return cursor.fetchone()[0]


def _settled() -> int:
    return Consignment.objects.filter(status=ConsignmentStatus.SETTLED).count()


def _until(condition, *, timeout: float, what: str, log: Path, poll: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = condition()
        if answer:
            return answer
        time.sleep(poll)
    pytest.fail(f"timed out after {timeout} s waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


def _settlements() -> int:
    return Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).count()


@pytest.fixture
def sender():
    """A Celery app of its own on our broker, to send the task and ping our worker: the project's app
    keeps its broker (the session worker's) and its connection pools untouched."""
    import redis
    from celery import Celery

    url = _broker_url()
    redis.Redis.from_url(url).flushdb()
    app = Celery("settlement-test", broker=url, set_as_current=False)
    yield app
    app.close()


def test_a_worker_killed_mid_batch_and_restarted_settles_every_consignment_exactly_once(sender, tmp_path):
    # given: 300 sold consignments (2,000.00 at 25%) of 20 sellers, the money in consignment payable
    ids = sold_consignments(count=CONSIGNMENTS, sellers=SELLERS)
    assert Account.objects.get(purpose=AccountPurpose.CONSIGNMENT_PAYABLE).balance == Decimal("600000.00")
    log = tmp_path / "worker.log"
    first_name = f"settlement-1-{os.getpid()}@{socket.gethostname()}"
    first = _start_worker(first_name, log)
    second = None
    try:
        _wait_ready(sender, first, first_name, log)

        # when: the job runs in small batches, each its own transaction; once some have committed, the
        # test holds consignment payable's row lock, so that the worker's next batch stops midway
        # (rows claimed, transactions inserted, waiting to lock the accounts), and kills the worker
        sender.send_task(TASK, kwargs={"limit": 3})
        _until(lambda: _settled() >= 30, timeout=60, what="the first batches to commit", log=log)
        with transaction.atomic():
            Account.objects.select_for_update().get(purpose=AccountPurpose.CONSIGNMENT_PAYABLE)
            _until(_worker_waits_for_a_lock, timeout=30, what="a batch waiting midway", log=log)
            free = set(
                Consignment.objects.select_for_update(skip_locked=True)
                .filter(status=ConsignmentStatus.SOLD)
                .values_list("pk", flat=True)
            )
            in_flight = (
                set(Consignment.objects.filter(status=ConsignmentStatus.SOLD).values_list("pk", flat=True))
                - free
            )
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
            transaction.set_rollback(True)  # release the locks: the dead worker's session may end

        # then: PostgreSQL ends the dead worker's session and rolls its open batch back
        _until(lambda: _worker_sessions() == 0, timeout=30, what="the dead worker's session to end", log=log)
        assert len(in_flight) == 3
        assert set(Consignment.objects.filter(pk__in=in_flight).values_list("status", flat=True)) == {
            ConsignmentStatus.SOLD
        }
        assert not Transaction.objects.filter(
            idempotency_key__in=[f"settle:consignment:{pk}" for pk in in_flight]
        ).exists()
        settled_at_kill = _settled()
        assert 30 <= settled_at_kill < CONSIGNMENTS
        # nothing half-written: as many settlement transactions as settled consignments, no more
        assert _settlements() == settled_at_kill
        assert ConsignmentEvent.objects.filter(new=ConsignmentStatus.SETTLED).count() == settled_at_kill
        payable = Account.objects.get(purpose=AccountPurpose.CONSIGNMENT_PAYABLE).balance
        assert payable == Decimal("2000.00") * (CONSIGNMENTS - settled_at_kill)

        # when: a new worker runs the job again (as the next beat would)
        second_name = f"settlement-2-{os.getpid()}@{socket.gethostname()}"
        second = _start_worker(second_name, log)
        _wait_ready(sender, second, second_name, log)
        sender.send_task(TASK, kwargs={"limit": 50})
        _until(
            lambda: _settled() == CONSIGNMENTS,
            timeout=120,
            what="every consignment settled",
            log=log,
            poll=0.2,
        )
    finally:
        _stop(first)
        if second is not None:
            _stop(second)

    # then: every consignment settled exactly once
    keys = Counter(
        Transaction.objects.filter(cause=Cause.CONSIGNMENT_SETTLEMENT).values_list(
            "idempotency_key", flat=True
        )
    )
    assert keys == Counter({f"settle:consignment:{pk}": 1 for pk in ids})
    events = Counter(
        ConsignmentEvent.objects.filter(new=ConsignmentStatus.SETTLED).values_list(
            "consignment_id", flat=True
        )
    )
    assert events == Counter(dict.fromkeys(ids, 1))
    assert SubmissionEvent.objects.filter(new=SubmissionStatus.SETTLED).count() == CONSIGNMENTS
    # each seller has 15 sales of 1,500.00 net; the commission is 300 of 500.00; payable is back to zero
    wallets = Account.objects.filter(
        purpose=AccountPurpose.WALLET, user__consignments__isnull=False
    ).distinct()
    assert [wallet.balance for wallet in wallets] == [Decimal("22500.00")] * SELLERS
    assert Account.objects.get(purpose=AccountPurpose.COMMISSION_REVENUE).balance == Decimal("150000.00")
    assert Account.objects.get(purpose=AccountPurpose.CONSIGNMENT_PAYABLE).balance == Decimal("0.00")
    # the ledger balanced: every transaction sums to zero, every balance is the sum of its entries
    for txn in Transaction.objects.prefetch_related("entries"):
        assert sum(entry.amount for entry in txn.entries.all()) == 0
    for account in Account.objects.all():
        assert account.balance == account_balance_from_entries(account)
    assert Entry.objects.filter(transaction__cause=Cause.CONSIGNMENT_SETTLEMENT).count() == 3 * CONSIGNMENTS
