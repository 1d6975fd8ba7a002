"""Settlement benchmark: how fast the settlement job pays sellers for many sold consignments.

    .venv/bin/python bench/settlement.py [--consignments 10000] [--sellers 2000] [--batch 500]
                                         [--processes 1] [--database-url postgres://...]

It prepares a PostgreSQL database (created if missing, migrated), then creates --consignments sold
consignments spread over --sellers sellers, each with its submission, accepted offer, consigned
listing, completed order and payment, with bulk inserts (tests.consignment.helpers.sold_consignments),
and posts their money as the orders app does (each payment into escrow, each sale from escrow into
consignment payable, key `sale:order:<id>`) through `wallet.services.ledger_batch.ledger_post_many`,
so the ledger is balanced before the job starts. Then it runs ANALYZE and times the settlement job
(`consignment.tasks.settle_consignments`, called in this process, batches of --batch) until no
eligible consignment is left: seconds and consignments settled per second. With --processes N, N
processes run the job at the same moment (they share the rows through SKIP LOCKED).

Last it checks the outcome: every consignment created settled once (one `settle:consignment:<id>`
transaction each), consignment payable back to what it held before, each account's cached balance
equal to the sum of its entries. The database keeps its rows; each run adds --consignments more.
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reloop_bench_settlement"
CHUNK = 2500  # consignments created per bulk round (keeps memory and statement sizes modest)


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating database {name}.")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def setup_django() -> None:
    import django

    django.setup()


def create(count: int, sellers: int, run: str) -> list[int]:
    from tests.consignment.helpers import sold_consignments

    ids: list[int] = []
    started = time.perf_counter()
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        ids += sold_consignments(count=size, sellers=sellers, seller_prefix=f"bench-{run}")
        print(f"  {len(ids)} sold consignments created ({time.perf_counter() - started:.1f} s)")
    return ids


def settle(batch: int) -> int:
    """The job, as the beat runs it, until nothing eligible is left; in a process of its own when
    several run at once."""
    from django.db import connections

    from consignment.settlement_tasks import settle_consignments

    try:
        return settle_consignments(limit=batch, max_batches=1_000_000)
    finally:
        connections.close_all()


def _settle_in_child(batch: int, start, answers) -> None:
    setup_django()
    start.wait()
    answers.put(settle(batch))


def run_job(batch: int, processes: int) -> tuple[int, float]:
    if processes == 1:
        started = time.perf_counter()
        settled = settle(batch)
        return settled, time.perf_counter() - started
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes + 1)
    answers = context.Queue()
    children = [
        context.Process(target=_settle_in_child, args=(batch, start, answers)) for _i in range(processes)
    ]
    for child in children:
        child.start()
    start.wait()  # every child has imported Django; the clock starts when they are released
    started = time.perf_counter()
    settled = sum(answers.get() for _child in children)
    elapsed = time.perf_counter() - started
    for child in children:
        child.join()
    return settled, elapsed


def check(ids: list[int], payable_before) -> list[str]:
    from django.db.models import Sum

    from consignment.models import Consignment, ConsignmentStatus
    from wallet.models import Account, AccountPurpose, Entry, Transaction

    problems = []
    unsettled = Consignment.objects.filter(pk__in=ids).exclude(status=ConsignmentStatus.SETTLED).count()
    if unsettled:
        problems.append(f"{unsettled} consignments not settled")
    keys = [f"settle:consignment:{pk}" for pk in ids]
    posted = Transaction.objects.filter(idempotency_key__in=keys).count()
    if posted != len(ids):
        problems.append(f"{posted} settlement transactions for {len(ids)} consignments")
    payable = Account.objects.get(purpose=AccountPurpose.CONSIGNMENT_PAYABLE, user=None).balance
    if payable != payable_before:
        problems.append(f"consignment payable holds {payable}, {payable_before} before")
    sums = dict(
        Entry.objects.values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total")
    )
    wrong = [a.pk for a in Account.objects.all() if a.balance != sums.get(a.pk, 0)]
    if wrong:
        problems.append(f"{len(wrong)} accounts whose balance is not the sum of their entries")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--consignments", type=int, default=10_000)
    parser.add_argument("--sellers", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=500, help="Consignments per committed batch.")
    parser.add_argument("--processes", type=int, default=1, help="Processes running the job at once.")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The settlement benchmark needs PostgreSQL: pass --database-url postgres://...")

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "DATABASE_URL": args.database_url,
            "DEBUG": "False",
            "LOG_LEVEL": "WARNING",
            # The sellers' notification e-mails go to the broker (one message per batch), as in
            # production: sending them is the worker's work, not the settlement job's.
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "VAR_DIR": str(Path(tempfile.mkdtemp(prefix="reloop-bench-settlement-"))),
        }
    )
    sys.path.insert(0, str(ROOT))
    ensure_database(args.database_url)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from consignment.settlement import consignments_settle
    from wallet.models import Account, AccountPurpose

    call_command("migrate", verbosity=0)
    leftover = consignments_settle(limit=1_000_000)  # anything an interrupted earlier run left
    if leftover:
        print(f"Settled {leftover} consignments left by an earlier run first.")
    payable_before = Account.objects.get_or_create(purpose=AccountPurpose.CONSIGNMENT_PAYABLE, user=None)[
        0
    ].balance

    print(f"Creating {args.consignments} sold consignments over {args.sellers} sellers (bulk inserts).")
    started = time.perf_counter()
    ids = create(args.consignments, args.sellers, run=str(int(time.time())))
    created_in = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()

    settled, elapsed = run_job(args.batch, args.processes)
    problems = check(ids, payable_before)

    print()
    print(f"Database: {args.database_url}; {os.cpu_count()} cores")
    print(f"Created {len(ids)} sold consignments with their ledger postings in {created_in:.1f} s")
    print(
        f"Settled {settled} consignments in {elapsed:.2f} s = {settled / elapsed:,.0f} consignments/s "
        f"(batches of {args.batch}, {args.processes} process{'es' if args.processes > 1 else ''}; "
        f"target: 10,000 in under 10 s)"
    )
    if problems:
        print("PROBLEMS: " + "; ".join(problems))
        return 1
    print(
        "Checked: each consignment settled once, consignment payable back to its balance before, "
        "every account's balance equal to the sum of its entries."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
