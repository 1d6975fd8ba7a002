"""Live benchmark: many shoppers grab one flash sale at the same moment.

    .venv/bin/python bench/live.py [--grabs 200] [--workers 4] [--database-url postgres://...]

It migrates a database of its own (reloop_bench_live unless told), makes a host with a live show, a
pinned item and a flash sale, and `--grabs` shoppers, each with an API token. Then it serves the site
with gunicorn on 127.0.0.1 and sends every grab at once (one thread and one connection per shopper,
released together), over HTTP to `POST /api/v1/flash-sales/<id>/grab/`. It prints how the grabs were
answered (the one reservation, the clear refusals, anything else) and their latencies, and checks
the database: one order, the item reserved once, the flash sale held by that order.

The targets: exactly 1 reservation, every other grab a 409 `gone`, 0 errors.
"""

import argparse
import json
import os
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browse import HOST, ROOT, ensure_database, free_port, gunicorn, manage, redis_url
from mixed import percentile, run_environment

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reloop_bench_live"
USER_PREFIX = "live-grabber-"
TIMEOUT = 120


def set_up(grabs: int) -> tuple[int, list[str]]:
    """A live show with a pinned item on a flash sale, and `grabs` shoppers with API tokens. Returns
    the flash sale's id and the tokens. Each run starts from new rows."""
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.models import Permission
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from listings.models import Category, Listing, ListingSource, ListingStatus
    from live.services.flash import flash_sale_start
    from live.services.room import show_pin
    from live.services.shows import show_schedule, show_start

    stamp = int(time.time())
    host = User.objects.create_user(
        username=f"live-host-{stamp}", email=f"live-host-{stamp}@bench.reloop.invalid", password=None
    )
    host.user_permissions.add(Permission.objects.get(codename="host_show"))
    category, _created = Category.objects.get_or_create(
        slug="bench-live", defaults={"name": "Live", "name_zh": "直播"}
    )
    now = timezone.now()
    listing = Listing.objects.create(
        seller=host,
        title="Leica M6, tested on camera",
        description="Shutter speeds checked live.",
        category=category,
        price=Decimal("12000.00"),
        grade="A",
        status=ListingStatus.ACTIVE,
        source=ListingSource.PERSON,
        published_at=now,
    )
    show = show_schedule(
        host=host, title="Bench grab", starts_at=now + timedelta(minutes=1), listing_ids=[listing.pk]
    )
    show_start(show_id=show.pk, by=host)
    show_pin(show_id=show.pk, by=host, listing_id=listing.pk)
    sale = flash_sale_start(show_id=show.pk, by=host, seconds=300, price="9999.00")
    users = User.objects.bulk_create(
        [
            User(
                username=f"{USER_PREFIX}{stamp}-{number:03d}",
                email=f"{USER_PREFIX}{stamp}-{number:03d}@bench.reloop.invalid",
                email_confirmed_at=now,
            )
            for number in range(grabs)
        ]
    )
    tokens = Token.objects.bulk_create([Token(key=Token.generate_key(), user=user) for user in users])
    from django.db import connections

    connections.close_all()
    return sale.pk, [token.key for token in tokens]


def grab_all(port: int, flash_sale_id: int, tokens: list[str]) -> list[tuple[int, str, float]]:
    """Every grab at once: (status, code, seconds) each."""
    start = threading.Barrier(len(tokens))
    answers: list[tuple[int, str, float]] = [(0, "", 0.0)] * len(tokens)
    path = f"/api/v1/flash-sales/{flash_sale_id}/grab/"

    def grab(index: int) -> None:
        connection = HTTPConnection(HOST, port, timeout=TIMEOUT)
        try:
            connection.connect()  # connected before the barrier: the grabs leave together
            start.wait(TIMEOUT)
            began = time.perf_counter()
            connection.request(
                "POST", path, headers={"Authorization": f"Token {tokens[index]}", "Content-Length": "0"}
            )
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - began
            try:
                code = json.loads(body).get("code", "")
            except ValueError:
                code = body[:80].decode(errors="replace")
            answers[index] = (response.status, code, elapsed)
        except Exception as error:  # a dropped connection or a timeout: an error of the run
            answers[index] = (0, repr(error), 0.0)
        finally:
            connection.close()

    threads = [threading.Thread(target=grab, args=(index,)) for index in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return answers


def check(flash_sale_id: int) -> list[str]:
    """What the database says went wrong (nothing, when the grab was fair)."""
    from listings.models import Listing, ListingStatus
    from live.models import FlashSale, FlashSaleStatus
    from orders.models import Order

    sale = FlashSale.objects.get(pk=flash_sale_id)
    orders = list(Order.objects.filter(listing_id=sale.listing_id))
    problems = []
    if len(orders) != 1:
        problems.append(f"{len(orders)} orders for the item, not 1")
    if Listing.objects.get(pk=sale.listing_id).status != ListingStatus.RESERVED:
        problems.append("the item is not reserved")
    if sale.status != FlashSaleStatus.TAKEN or (orders and sale.order_id != orders[0].pk):
        problems.append(f"the flash sale is {sale.status}, held by order {sale.order_id}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grabs", type=int, default=200, help="Shoppers grabbing at once.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    if args.grabs < 2:
        raise SystemExit("--grabs must be at least 2.")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The live benchmark needs PostgreSQL: pass --database-url postgres://...")
    ensure_database(args.database_url)
    port = free_port()
    env = run_environment(database_url=args.database_url, redis=redis_url("reloop-live") or "", port=port)
    env["LOG_LEVEL"] = "ERROR"  # 199 refusals are the expected answer: Django logs each 409 as a warning
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    manage(env, "migrate", "--verbosity", "0")
    flash_sale_id, tokens = set_up(args.grabs)
    print(f"A live show's flash sale (id {flash_sale_id}); {len(tokens)} shoppers with API tokens.")
    with gunicorn(env, port, args.workers):
        print(
            f"gunicorn on http://{HOST}:{port}/ ({args.workers} sync workers); {len(tokens)} grabs at once ..."
        )
        began = time.perf_counter()
        answers = grab_all(port, flash_sale_id, tokens)
        wall = time.perf_counter() - began
    reserved = [a for a in answers if a[0] == 201]
    gone = [a for a in answers if a[0] == 409 and a[1] == "gone"]
    errors = [a for a in answers if a not in reserved and a not in gone]
    latencies = [a[2] for a in answers if a[0]]
    print(f"\n{len(answers)} grabs in {wall:.2f} s:")
    print(f"  reserved (201):      {len(reserved)}")
    print(f"  gone (409):          {len(gone)}")
    print(f"  anything else:       {len(errors)}")
    for status, code, _seconds in errors[:5]:
        print(f"    {status} {code}")
    if latencies:
        print(
            f"  latency p50 / p95 / max: {percentile(latencies, 50) * 1000:.0f} / "
            f"{percentile(latencies, 95) * 1000:.0f} / {max(latencies) * 1000:.0f} ms"
        )
    problems = check(flash_sale_id)
    print(f"  database: {'one order, the item reserved once' if not problems else '; '.join(problems)}")
    met = len(reserved) == 1 and len(gone) == len(answers) - 1 and not problems
    print(
        f"\nTarget (1 reservation, {len(answers) - 1} clear refusals, 0 errors): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
