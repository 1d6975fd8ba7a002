"""Live benchmark: many viewers in one room hear a pin; many shoppers grab one flash sale at once.

    .venv/bin/python bench/live.py [--viewers 500] [--grabs 200] [--workers 4] [--database-url postgres://...]

It migrates a database of its own (reloop_bench_live unless told) and makes a host with a live show.

1. Viewers: it serves the site with daphne (ASGI) on 127.0.0.1 and opens `--viewers` websockets to
   the room (/ws/live/<show>/), then pins an item as the host's console does (the service, in this
   process, through the same Redis channel layer). It measures, for each viewer, the time from the
   pin to that viewer's message, and prints the p50, p95 and the slowest. Target: p95 under 1 s.
2. Grabs: it starts a flash sale on the pinned item and makes `--grabs` shoppers, each with an API
   token, serves the site with gunicorn, and sends every grab at once (one thread and one connection
   per shopper, released together) to `POST /api/v1/flash-sales/<id>/grab/`. It prints how the grabs
   were answered and checks the database: one order, the item reserved once, the flash sale held by
   that order. Target: exactly 1 reservation, every other grab a 409 `gone`, 0 errors.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browse import HOST, ROOT, ensure_database, free_port, gunicorn, manage, redis_url, wait_until_up
from mixed import percentile, run_environment

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reloop_bench_live"
USER_PREFIX = "live-grabber-"
TIMEOUT = 120


def set_up_show() -> tuple[int, int, int]:
    """A live show with one item in its line-up: (show id, host id, listing id). Each run starts from
    new rows."""
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from accounts.models import User
    from listings.models import Category, Listing, ListingSource, ListingStatus
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
    from django.db import connections

    connections.close_all()
    return show.pk, host.pk, listing.pk


def pin(show_id: int, host_id: int, listing_id: int) -> None:
    from accounts.models import User
    from live.services.room import show_pin

    show_pin(show_id=show_id, by=User.objects.get(pk=host_id), listing_id=listing_id)


def set_up_grabs(show_id: int, host_id: int, grabs: int) -> tuple[int, list[str]]:
    """A flash sale on the pinned item, and `grabs` shoppers with API tokens: (flash sale id, tokens)."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from live.services.flash import flash_sale_start

    sale = flash_sale_start(show_id=show_id, by=User.objects.get(pk=host_id), seconds=300, price="9999.00")
    stamp, now = int(time.time()), timezone.now()
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


async def _watch(port: int, show_id: int, count: int, pin_now) -> tuple[list[float], int]:
    """`count` viewers in the room; once all are in, `pin_now` pins. Each viewer's seconds from the pin
    to its message, and how many viewers never heard it."""
    import asyncio

    import websockets

    url = f"ws://{HOST}:{port}/ws/live/{show_id}/"
    origin = f"http://{HOST}:{port}"
    sockets = []
    for _index in range(count):
        sockets.append(await websockets.connect(url, origin=origin, open_timeout=TIMEOUT, max_queue=None))
    heard: list[float] = []
    missed = 0
    pinned_at = 0.0

    async def hear(socket) -> None:
        nonlocal missed
        try:
            while True:
                event = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                if event.get("kind") == "pinned":
                    heard.append(time.perf_counter() - pinned_at)
                    return
        except (TimeoutError, websockets.ConnectionClosed):
            missed += 1

    await asyncio.sleep(1)  # the viewer counts of the last to connect go by
    pinned_at = time.perf_counter()
    listeners = [asyncio.create_task(hear(socket)) for socket in sockets]
    await asyncio.to_thread(pin_now)
    await asyncio.gather(*listeners)
    for socket in sockets:
        await socket.close()
    return heard, missed


@contextlib.contextmanager
def daphne(env: dict[str, str], port: int):
    """daphne serving the ASGI application on 127.0.0.1:`port` until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "--bind", HOST, "--port", str(port), "marketplace.asgi:application"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://{HOST}:{port}/", process)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


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
    parser.add_argument("--viewers", type=int, default=500, help="Websockets open in the room.")
    parser.add_argument("--grabs", type=int, default=200, help="Shoppers grabbing at once.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers for the grabs.")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    if args.grabs < 2 or args.viewers < 1:
        raise SystemExit("--grabs must be at least 2 and --viewers at least 1.")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The live benchmark needs PostgreSQL: pass --database-url postgres://...")
    redis = redis_url("reloop-live")
    if not redis:
        raise SystemExit("The live benchmark needs Redis (REDIS_URL): the room's messages go through it.")
    ensure_database(args.database_url)
    port = free_port()
    env = run_environment(database_url=args.database_url, redis=redis, port=port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    manage(env, "migrate", "--verbosity", "0")
    import asyncio

    import django

    django.setup()
    show_id, host_id, listing_id = set_up_show()
    met = True

    with daphne(env, port):
        print(
            f"daphne on http://{HOST}:{port}/; {args.viewers} viewers open the room, then the host pins ..."
        )
        heard, missed = asyncio.run(
            _watch(port, show_id, args.viewers, lambda: pin(show_id, host_id, listing_id))
        )
    print(f"\n{len(heard)} of {args.viewers} viewers heard the pin ({missed} did not):")
    if heard:
        print(
            f"  from the pin to each viewer, p50 / p95 / slowest: {percentile(heard, 50) * 1000:.0f} / "
            f"{percentile(heard, 95) * 1000:.0f} / {max(heard) * 1000:.0f} ms"
        )
    viewers_met = missed == 0 and bool(heard) and percentile(heard, 95) < 1.0
    print(f"Target (every viewer, p95 under 1 s): {'met' if viewers_met else 'MISSED'}")
    met = met and viewers_met

    flash_sale_id, tokens = set_up_grabs(show_id, host_id, args.grabs)
    print(f"\nA flash sale on the pinned item (id {flash_sale_id}); {len(tokens)} shoppers with API tokens.")
    log = ROOT / "var" / "bench-live-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output, gunicorn(env, port, args.workers, output=output):
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
    print(f"  gunicorn's log (each refusal is a 409 it notes): {log.relative_to(ROOT)}")
    problems = check(flash_sale_id)
    print(f"  database: {'one order, the item reserved once' if not problems else '; '.join(problems)}")
    grabs_met = len(reserved) == 1 and len(gone) == len(answers) - 1 and not problems
    print(
        f"Target (1 reservation, {len(answers) - 1} clear refusals, 0 errors): {'met' if grabs_met else 'MISSED'}"
    )
    return 0 if met and grabs_met else 1


if __name__ == "__main__":
    sys.exit(main())
