"""Mixed-workload benchmark: shoppers and sellers using the site at once, and whether every write they
were told succeeded is in the database afterwards.

    .venv/bin/python bench/mixed.py [--listings 100000] [--database-url postgres://...] [--duration 300]
                                    [--users 16] [--workers 2] [--redis-url redis://127.0.0.1:6379/7]

The target run: `--listings 1000000 --database-url postgres://postgres@127.0.0.1:5432/reloop_bench_1m`
(5 minutes, 16 users): 0 errors and no lost write.

It prepares the database as bench/browse.py does (created if missing, migrated, topped up to
--listings with `manage.py seed_bench`), then runs against a copy of it, so that the browse
benchmark's database never sees a write: `CREATE DATABASE <name>_mixed TEMPLATE <name>`, dropped
first if it exists. PostgreSQL copies a template only while nobody is connected to it: stop anything
serving that database (a `make stack`, a browse run) first. The copy stays after the run, for a look
at what the load wrote; it takes as much disk space as the source. In the copy it creates the run's own
accounts (e-mail confirmed, a default address, a password made for the run), one per virtual user.

Then it starts, on 127.0.0.1 only: gunicorn (--workers sync workers, DEBUG off, the Redis cache) on a
free port, and a Celery worker per queue as `make stack` does (scripts/launch.py: media, money,
notify with Celery's default queue), no beat. The cache and the broker are --redis-url, a Redis
database the run takes for its own: the four queues there are emptied before the start, and the run
stops if another worker already listens on it (it would take this run's jobs to its own database).
Uploaded photos go to var/bench-mixed/, emptied at each start; the processes' logs to
var/bench-mixed/logs/. PHOTO_UPLOAD_RATE is raised for the run: a virtual user lists an item every
few seconds, far past what the limit allows a person.

--users virtual users (threads of this process, each with its own HTTP client, cookies and CSRF
token) sign in once, then for --duration seconds pick actions by weight, with no pause between
them, as the Python client of bench/browse.py does:

    80%  browse and search   home · a category's first page · a category's further pages through the
                             pager's "Next" links · search (English, Chinese, typos, pinyin; the
                             queries of bench/search_queries.json) · a listing's page
    10%  favourites, offers  save or forget a favourite (htmx POST) · an offer of 90% of the price on
                             a person's listing (the offer page's form), one in three of them on the
                             listings the buyers share
     5%  buy and pay         the listing's page, "Buy now" (reserves it), the checkout page with the
                             default address, the sandbox provider's hosted page and its test card,
                             then the order's page polled every 2 s (as the browser does) until the
                             payment webhook, sent by the money worker to gunicorn, has marked it paid
     5%  sell with photos    the sell form with 1-3 JPEGs drawn with Pillow, then the listing's edit
                             page; the media worker makes the thumbnails

"Buy now" goes to a shared pool of listings, so that two users sometimes race for one item; a
listing found sold or reserved (no "Buy now" on its page, or the site's "sold" / "someone else is
buying" answer) is an expected refusal, counted apart from errors, and is replaced in the pool.

The report is a table per action: requests, requests per second, p50 and p99 latency, errors (status
500 and above, timeouts, connection errors, an unexpected 4xx or answer) and expected refusals; a
flow of several requests (an offer, buying, selling) has a row of its own, timed end to end, and so
has the wait from the card's submission to the order's page showing it paid. Then the first errors,
with the exceptions the server and workers logged.

Last, with the load stopped and the Celery queues drained (waiting at most --drain-timeout seconds),
it checks the database against what the clients were told: each favourite saved and not forgotten
exists (and none forgotten remains); each offer made exists; each order paid for is paid (its
payment succeeded, its `payment:<id>` transaction in the ledger takes the amount into escrow, the
listing is sold), and no payment the sandbox took was left unapplied; each listing created exists,
on sale, with all its photos processed and a cover; every ledger transaction sums to zero and every
account's balance is the sum of its entries. It prints "lost writes: N" with the details, and exits
with 1 when there were errors or lost writes, or the queues did not drain in time.
"""

import argparse
import contextlib
import html
import io
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPException, HTTPMessage
from pathlib import Path

from browse import (
    DEFAULT_DATABASE_URL,
    HOST,
    ROOT,
    admin_connection,
    ensure_database,
    free_port,
    gunicorn,
    prepare,
    redis_url,
)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
CACHE_PREFIX = "reloop-mixed"
COPY_SUFFIX = "_mixed"
# The static files browse.py collects; this run's uploads and logs go apart, and are emptied each run.
VAR_DIR = ROOT / "var" / "bench"
RUN_DIR = ROOT / "var" / "bench-mixed"
QUEUES = ("media", "money", "notify", "celery")
USER_PREFIX = "mixed-user-"
REQUEST_TIMEOUT = 30  # seconds; gunicorn's own worker timeout
CONFIRMATION_TIMEOUT = 60  # seconds a buyer waits on the order's page for the payment webhook
PAYMENT_POLL_SECONDS = 2.0  # orders.views.pages.PAYMENT_POLL
HOT_LISTINGS = 12  # listings the buyers share, so that some of them race for one
LISTING_SAMPLE = 20_000  # listings on sale the users browse, save and make offers on
OFFER_SHARE = Decimal("0.90")
OFFERS_ON_HOT = 1 / 3  # the share of offers made on the listings the buyers share
CARD_NUMBER = "4242 4242 4242 4242"  # the sandbox's card that succeeds
ERRORS_SHOWN = 10

# What the site answers when another shopper was faster (orders.services.checkout, orders.services.offers).
REFUSALS = ("This item has been sold", "Someone else is buying this item", "Someone is paying for this item")

ADDRESS = {
    "name": "Bench Shopper",
    "phone": "13912345678",
    "region": "上海市",
    "city": "上海市",
    "street": "徐汇区漕溪北路 88 号",
    "postcode": "200030",
}

# Action: (weight in percent, the group it is reported under).
MIX = {
    "home": 8,
    "category": 16,
    "category pages": 12,
    "search": 20,
    "listing": 24,
    "favourite": 6,
    "offer": 4,
    "buy and pay": 5,
    "sell": 5,
}
# How often each kind of query of bench/search_queries.json is searched for.
QUERY_KINDS = {"english": 40, "chinese": 30, "typo": 15, "alias": 10, "pinyin": 5}

# The report's rows: (key, label, kind). A "request" row is one HTTP request; a "flow" row is an
# action of several requests, timed end to end (not added to the totals); a "wait" row is the time
# until something the user waits for happened (its errors count, its count is not a request).
GROUPS = (
    (
        "browse and search",
        ("home", "category", "category pages", "search", "listing"),
        (
            ("home", "home", "request"),
            ("category", "category, first page", "request"),
            ("category.next", "category, next page", "request"),
            ("search", "search", "request"),
            ("listing", "listing", "request"),
        ),
    ),
    (
        "favourites and offers",
        ("favourite", "offer"),
        (
            ("favourite.add", "favourite add", "request"),
            ("favourite.remove", "favourite remove", "request"),
            ("offer", "offer (flow)", "flow"),
            ("offer.form", "  offer page", "request"),
            ("offer.make", "  make offer", "request"),
        ),
    ),
    (
        "buy and pay",
        ("buy and pay",),
        (
            ("buy", "buy and pay (flow)", "flow"),
            ("buy.listing", "  listing page", "request"),
            ("buy.reserve", "  buy now", "request"),
            ("buy.checkout", "  checkout page", "request"),
            ("buy.submit", "  checkout submit", "request"),
            ("buy.payment_page", "  payment page", "request"),
            ("buy.card", "  card submit", "request"),
            ("buy.order", "  order page", "request"),
            ("buy.status", "  payment status", "request"),
            ("buy.confirmed", "  card → paid shown", "wait"),
            ("buy.cancel", "  cancel (after error)", "request"),
        ),
    ),
    (
        "sell with photos",
        ("sell",),
        (
            ("sell", "sell (flow)", "flow"),
            ("sell.form", "  sell form", "request"),
            ("sell.submit", "  put on sale + photos", "request"),
            ("sell.edit", "  edit page", "request"),
        ),
    ),
)
CLIENT_ROW = ("client", "client exceptions", "wait")


# --- Figures ----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` percent of the values at
    or below it. 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def weighted_choice(rng: random.Random, weights: Mapping[str, float]) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[name] for name in names])[0]


@dataclass
class Stat:
    count: int = 0  # attempts, whether or not an answer came
    errors: int = 0
    refused: int = 0
    latencies: list[float] = field(default_factory=list)  # ms, of attempts that got an answer

    def merge(self, other: "Stat") -> None:
        self.count += other.count
        self.errors += other.errors
        self.refused += other.refused
        self.latencies += other.latencies


@dataclass
class ErrorDetail:
    at: float  # seconds since the load started
    key: str
    what: str


class Recorder:
    """One virtual user's figures (no lock: each thread has its own, merged at the end)."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.stats: dict[str, Stat] = {}
        self.errors: list[ErrorDetail] = []

    def stat(self, key: str) -> Stat:
        return self.stats.setdefault(key, Stat())

    def error(self, key: str, what: str) -> None:
        self.stat(key).errors += 1
        if len(self.errors) < 200:
            self.errors.append(ErrorDetail(time.monotonic() - self.started, key, what))

    def merge(self, other: "Recorder") -> None:
        for key, stat in other.stats.items():
            self.stat(key).merge(stat)
        self.errors += other.errors


# --- Reading pages ----------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str = "get"
    # What a browser sends when the form is submitted untouched, in document order.
    fields: list[tuple[str, str]] = field(default_factory=list)
    # The values a select or a group of radio buttons offers.
    choices: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def submission(self, changes: dict[str, str | None]) -> list[tuple[str, str]]:
        """The fields with `changes` applied: a value replaces the field's, None leaves it out."""
        kept = [(key, value) for key, value in self.fields if key not in changes]
        return kept + [(key, value) for key, value in changes.items() if value is not None]


class PageParser(HTMLParser):
    """The parts of a page a virtual user acts on: its forms, the pager's "Next" link, the messages
    the site shows (`<ul class="messages">`) and form errors (`errorlist`, `form-errors`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.next_links: list[str] = []
        self.messages: list[str] = []
        self.form_errors: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._in_option = False
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""
        self._collect: list[str] | None = None  # where the text of the current <li> goes
        self._text = ""
        self._lists: list[list[str] | None] = []  # for each open <ul>: where its items go, if anywhere
        self._error_depth = 0  # how deep inside a <div class="form-errors"> the parser is

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag == "form":
            self._form = Form(
                action=attributes.get("action", ""), method=attributes.get("method", "get").lower()
            )
            self.forms.append(self._form)
        elif tag == "a" and attributes.get("rel") == "next" and attributes.get("href"):
            self.next_links.append(attributes["href"])
        elif tag == "ul":
            target = (
                self.messages
                if "messages" in classes
                else self.form_errors
                if "errorlist" in classes
                else None
            )
            self._lists.append(target)
        elif tag == "li" and self._lists and self._lists[-1] is not None:
            self._collect, self._text = self._lists[-1], ""
        elif tag == "div" and "form-errors" in classes and not self._error_depth:
            self._error_depth = 1
        elif tag == "div" and self._error_depth:
            self._error_depth += 1
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                self._form.choices.setdefault(name, []).append(attributes.get("value", "on"))
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._form.fields.append(
                (name, attributes.get("value", "on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._in_option = True
            self._option_value = attributes.get("value") if "value" in attributes else None
            self._option_text = ""
            self._options.append(("", "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self._collect is not None:
            self._text += data
        if self._error_depth and self._collect is None:
            text = " ".join(data.split())
            if text:
                self.form_errors.append(text)
        if self._in_option:
            self._option_text += data
        if self._textarea is not None:
            self._textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._collect is not None:
            self._collect.append(" ".join(self._text.split()))
            self._collect = None
        elif tag == "ul" and self._lists:
            self._lists.pop()
        elif tag == "div" and self._error_depth:
            self._error_depth -= 1
        elif tag == "option" and self._in_option:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            self._options[-1] = (value, self._options[-1][1])
            self._in_option = False
        elif tag == "select" and self._select is not None and self._form is not None:
            if self._in_option:
                self.handle_endtag("option")
            values = [value for value, _selected in self._options]
            self._form.choices[self._select] = values
            chosen = next(
                (value for value, selected in self._options if selected), values[0] if values else None
            )
            if chosen is not None:
                self._form.fields.append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, self._textarea_text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_page(body: str) -> PageParser:
    parser = PageParser()
    parser.feed(body)
    parser.close()
    return parser


def form_posting_to(page: PageParser, path: str) -> Form | None:
    return next((form for form in page.forms if form.method == "post" and form.action == path), None)


def is_refusal(texts: Sequence[str]) -> bool:
    """Whether the messages a page shows say that another shopper got the item first."""
    return any(refusal in text for text in texts for refusal in REFUSALS)


def multipart_body(
    fields: Sequence[tuple[str, str]], files: Sequence[tuple[str, str, str, bytes]]
) -> tuple[bytes, str]:
    """A multipart/form-data body of `fields` and `files` (field name, file name, content type,
    bytes), and its Content-Type header."""
    boundary = f"----reloop-mixed-{secrets.token_hex(12)}"
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content_type, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def photo_jpeg(rng: random.Random, size: tuple[int, int] = (800, 600)) -> bytes:
    """A small JPEG of coloured shapes, different each time."""
    from PIL import Image, ImageDraw

    def colour() -> tuple[int, int, int]:
        return (rng.randrange(256), rng.randrange(256), rng.randrange(256))

    image = Image.new("RGB", size, colour())
    draw = ImageDraw.Draw(image)
    for _shape in range(rng.randint(3, 8)):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x0, y0, x0 + rng.randint(40, 400), y0 + rng.randint(40, 300))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour())
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


# --- The client -------------------------------------------------------------------------------------


class Failed(Exception):
    """A request or step went wrong; it has been recorded as an error."""


class Refused(Exception):
    """The site said, clearly, that another shopper got there first; recorded as a refusal."""


class CookieJar:
    """The cookies of one site, as a browser keeps them for its pages: set, replaced, and deleted by
    a Max-Age of 0 (Django's delete_cookie)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def update(self, headers: HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            pair, *attributes = header.split(";")
            name, _equals, value = pair.strip().partition("=")
            settings = {
                key.strip().lower(): setting.strip()
                for key, _eq, setting in (attribute.partition("=") for attribute in attributes)
            }
            max_age = settings.get("max-age", "")
            if max_age.lstrip("-").isdigit() and int(max_age) <= 0:
                self.values.pop(name, None)
            else:
                self.values[name] = value.strip()  # quotes and all, as a browser keeps it

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.values.items())


@dataclass
class Answer:
    status: int
    headers: HTTPMessage
    body: bytes
    ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def page(self) -> PageParser:
        return parse_page(self.text)


def summary(body: bytes, limit: int = 160) -> str:
    """A line from an error page: its <title> and first heading, or its first words."""
    text = body.decode("utf-8", "replace")
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    parts = [html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() for m in (title, heading) if m]
    line = " · ".join(part for part in parts if part) or " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return line[:limit]


class Browser:
    """One virtual user's browser: an HTTP/1.1 connection to 127.0.0.1 (kept open while the server
    allows it; gunicorn's sync workers close it after each answer), cookies, and the figures of each
    request it makes."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.origin = f"http://{HOST}:{port}"
        self.recorder = recorder
        self.cookies = CookieJar()
        self.connection = HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    @property
    def csrf_token(self) -> str:
        return self.cookies.values.get("csrftoken", "")

    def close(self) -> None:
        self.connection.close()

    def local_path(self, location: str) -> str:
        """The path of a URL on this site; anything pointing elsewhere is refused (the run stays on
        127.0.0.1)."""
        parts = urllib.parse.urlsplit(location)
        if parts.netloc and parts.netloc != f"{HOST}:{self.port}":
            raise ValueError(f"{location!r} is not on {self.origin}")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def fail(self, key: str, what: str) -> Failed:
        self.recorder.error(key, what)
        return Failed(what)

    def refuse(self, key: str) -> Refused:
        self.recorder.stat(key).refused += 1
        return Refused(key)

    def request(
        self,
        key: str,
        method: str,
        path: str,
        *,
        fields: Sequence[tuple[str, str]] | None = None,
        files: Sequence[tuple[str, str, str, bytes]] = (),
        headers: dict[str, str] | None = None,
        expect: Sequence[int] = (200,),
    ) -> Answer:
        """One request, recorded under `key`. Raises Failed (recorded as an error) when no answer
        came or its status is not in `expect`."""
        stat = self.recorder.stat(key)
        stat.count += 1
        sent = {"Accept-Language": "en", "User-Agent": "reloop-bench-mixed", **(headers or {})}
        if self.cookies.values:
            sent["Cookie"] = self.cookies.header()
        body = None
        if files:
            body, sent["Content-Type"] = multipart_body(fields or [], files)
        elif fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, HTTPException) as error:
            self.connection.close()
            raise self.fail(key, f"{method} {path}: {type(error).__name__}: {error}") from None
        answer = Answer(response.status, response.headers, data, (time.perf_counter() - started) * 1000)
        stat.latencies.append(answer.ms)
        self.cookies.update(response.headers)
        if response.will_close:
            self.connection.close()
        if answer.status not in expect:
            raise self.fail(key, f"{method} {path}: HTTP {answer.status}: {summary(data)}")
        return answer

    def get(self, key: str, path: str, **kwargs) -> Answer:
        return self.request(key, "GET", path, **kwargs)

    def post(self, key: str, path: str, fields: Sequence[tuple[str, str]], **kwargs) -> Answer:
        return self.request(key, "POST", path, fields=fields, **kwargs)

    def redirect_path(self, key: str, answer: Answer) -> str:
        location = answer.headers.get("Location", "")
        try:
            return self.local_path(location)
        except ValueError as error:
            raise self.fail(key, str(error)) from None

    def sign_in(self, username: str, password: str) -> None:
        self.get("sign in", "/accounts/login/")
        answer = self.post(
            "sign in",
            "/accounts/login/",
            [("csrfmiddlewaretoken", self.csrf_token), ("username", username), ("password", password)],
            expect=(302,),
        )
        if "sessionid" not in self.cookies.values:
            raise self.fail("sign in", f"{username}: no session after signing in ({answer.status})")


# --- What the users share and what they were told ---------------------------------------------------


@dataclass(frozen=True)
class ListingInfo:
    id: int
    price: Decimal
    person: bool  # a private seller's, so an offer waits for them rather than being answered by rule


@dataclass
class Catalogue:
    """What the users pick from: listings on sale (a sample), category slugs, search queries."""

    listings: list[ListingInfo]
    categories: list[str]
    queries: dict[str, list[str]]
    person_listings: list[ListingInfo] = field(init=False)

    def __post_init__(self) -> None:
        self.person_listings = [listing for listing in self.listings if listing.person]


class HotListings:
    """The listings the buyers share: each "Buy now" picks one of a few, so two users sometimes race
    for the same item. One found sold or reserved is replaced by another from the sample."""

    def __init__(self, listings: Sequence[ListingInfo], size: int, rng: random.Random) -> None:
        self.lock = threading.Lock()
        self.spare = list(listings)
        rng.shuffle(self.spare)
        self.current = [self.spare.pop() for _n in range(min(size, len(self.spare)))]

    def pick(self, rng: random.Random) -> ListingInfo:
        with self.lock:
            return rng.choice(self.current)

    def retire(self, listing: ListingInfo) -> None:
        with self.lock:
            if listing in self.current and self.spare:
                self.current[self.current.index(listing)] = self.spare.pop()


@dataclass
class Told:
    """What one user's browser was told succeeded, to be found in the database afterwards."""

    user_id: int
    favourites: set[int] = field(default_factory=set)
    forgotten: set[int] = field(default_factory=set)
    # Listings whose last favourite request got no clear answer: left out of the check.
    unsure_favourites: set[int] = field(default_factory=set)
    offers: list[tuple[int, Decimal]] = field(default_factory=list)  # (listing, amount)
    paid_orders: list[tuple[str, int]] = field(default_factory=list)  # (order number, listing)
    orders: set[str] = field(default_factory=set)  # every order placed, paid or not
    listings: list[tuple[int, str, int]] = field(default_factory=list)  # (listing, title, photos)


# --- The virtual user -------------------------------------------------------------------------------


class VirtualUser:
    def __init__(
        self,
        *,
        number: int,
        user_id: int,
        username: str,
        password: str,
        port: int,
        catalogue: Catalogue,
        hot: HotListings,
        started: float,
        seed: int,
    ) -> None:
        self.username = username
        self.password = password
        self.catalogue = catalogue
        self.hot = hot
        self.rng = random.Random(seed * 1000 + number)
        self.recorder = Recorder(started)
        self.browser = Browser(port, self.recorder)
        self.told = Told(user_id=user_id)
        self.recently_seen: list[int] = []
        self.offered: set[int] = set()
        self.stop = threading.Event()  # no new action
        self.abort = threading.Event()  # no more waiting either (Ctrl-C)
        self.actions = {
            "home": self.home,
            "category": self.category,
            "category pages": self.category_pages,
            "search": self.search,
            "listing": self.listing,
            "favourite": self.favourite,
            "offer": lambda: self.flow("offer", self.offer),
            "buy and pay": lambda: self.flow("buy", self.buy_and_pay),
            "sell": lambda: self.flow("sell", self.sell),
        }

    def run(self, begin: threading.Event) -> None:
        begin.wait()
        while not self.stop.is_set():
            action = weighted_choice(self.rng, MIX)
            try:
                self.actions[action]()
            except (Failed, Refused):
                continue  # already counted: by the request that failed or was refused, and by its flow
            except Exception as error:  # a fault of this client, not of the site: shown, not hidden
                self.recorder.error(CLIENT_ROW[0], f"{action}: {type(error).__name__}: {error}")
        self.browser.close()

    def flow(self, key: str, steps: Callable[[], None]) -> None:
        """Run a flow of several requests, timed end to end under `key`."""
        stat = self.recorder.stat(key)
        stat.count += 1
        started = time.perf_counter()
        try:
            steps()
        except Failed:
            stat.errors += 1
            raise
        except Refused:
            stat.refused += 1
            raise
        stat.latencies.append((time.perf_counter() - started) * 1000)

    # Browse and search

    def home(self) -> None:
        self.browser.get("home", "/")

    def category(self) -> tuple[str, str]:
        path = f"/c/{self.rng.choice(self.catalogue.categories)}/"
        return path, self.browser.get("category", path).text

    def category_pages(self) -> None:
        """A category's first page, then one to three more through the pager's "Next" link."""
        path, text = self.category()
        for _page in range(self.rng.randint(1, 3)):
            links = parse_page(text).next_links
            if not links:
                return
            path = self.browser.local_path(urllib.parse.urljoin(path, links[0]))
            text = self.browser.get("category.next", path).text

    def search(self) -> None:
        kind = weighted_choice(
            self.rng, {k: w for k, w in QUERY_KINDS.items() if self.catalogue.queries.get(k)}
        )
        query = self.rng.choice(self.catalogue.queries[kind])
        self.browser.get("search", "/search/?" + urllib.parse.urlencode({"q": query}))

    def listing(self) -> None:
        listing = self.rng.choice(self.catalogue.listings)
        self.browser.get("listing", f"/l/{listing.id}/")
        self.recently_seen = [*self.recently_seen[-9:], listing.id]

    # Favourites and offers

    def favourite(self) -> None:
        told = self.told
        saved = sorted(told.favourites)
        if saved and self.rng.random() < 0.4:
            listing_id, action = self.rng.choice(saved), "remove"
        else:
            candidates = [pk for pk in self.recently_seen if pk not in told.favourites] or [
                self.rng.choice(self.catalogue.listings).id
            ]
            listing_id, action = self.rng.choice(candidates), "add"
        key = f"favourite.{action}"
        told.unsure_favourites.add(listing_id)
        back = f"/l/{listing_id}/"
        answer = self.browser.post(
            key,
            f"/l/{listing_id}/favourite/",
            [("csrfmiddlewaretoken", self.browser.csrf_token), ("action", action), ("next", back)],
            headers={"HX-Request": "true", "HX-Current-URL": self.browser.origin + back},
        )
        pressed = 'aria-pressed="true"' in answer.text
        if pressed != (action == "add"):
            raise self.browser.fail(
                key, f"POST /l/{listing_id}/favourite/ ({action}): the button does not say so"
            )
        told.unsure_favourites.discard(listing_id)
        if action == "add":
            told.favourites.add(listing_id)
            told.forgotten.discard(listing_id)
        else:
            told.favourites.discard(listing_id)
            told.forgotten.add(listing_id)

    def offer(self) -> None:
        """The offer page of a private seller's listing, and an offer of 90% of its price. A user
        offers once per listing (the site limits offers per shopper and listing). One offer in
        three goes to a listing the buyers share, when it is a private seller's, to race a purchase."""
        listing = self.hot.pick(self.rng)
        if not listing.person or listing.id in self.offered or self.rng.random() >= OFFERS_ON_HOT:
            listing = self.rng.choice(self.catalogue.person_listings)
            while listing.id in self.offered:
                listing = self.rng.choice(self.catalogue.person_listings)
        self.offered.add(listing.id)
        path = f"/offers/make/{listing.id}/"
        form = form_posting_to(self.browser.get("offer.form", path).page(), path)
        if form is None:  # no form: the item is reserved or sold
            raise Refused(path)
        amount = (listing.price * OFFER_SHARE).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        answer = self.browser.post(
            "offer.make", path, form.submission({"amount": str(amount)}), expect=(302, 400)
        )
        if answer.status == 400:
            page = answer.page()
            if is_refusal(page.messages):
                raise self.browser.refuse("offer.make")
            raise self.browser.fail(
                "offer.make", f"POST {path}: HTTP 400: {' '.join(page.messages + page.form_errors)}"
            )
        self.told.offers.append((listing.id, amount))

    # Buy and pay

    def buy_and_pay(self) -> None:
        browser = self.browser
        listing = self.hot.pick(self.rng)
        listing_path = f"/l/{listing.id}/"
        buy_path = f"/orders/buy/{listing.id}/"
        buy_form = form_posting_to(browser.get("buy.listing", listing_path).page(), buy_path)
        if buy_form is None:  # no "Buy now": sold or reserved by someone else
            self.hot.retire(listing)
            raise Refused(listing_path)
        answer = browser.post("buy.reserve", buy_path, buy_form.submission({}), expect=(302,))
        target = browser.redirect_path("buy.reserve", answer)
        number_match = re.fullmatch(r"/orders/([A-Z0-9]+)/pay/", target)
        if number_match is None:
            # Sent back to the listing, which says why.
            page = browser.get("buy.listing", target).page()
            if is_refusal(page.messages):
                self.hot.retire(listing)
                raise browser.refuse("buy.reserve")
            raise browser.fail("buy.reserve", f"POST {buy_path}: sent to {target}: {' '.join(page.messages)}")
        number = number_match.group(1)
        self.told.orders.add(number)
        try:
            payment_path = self.checkout(number)
            form = self.payment_form(payment_path)
        except Failed:
            self.cancel(number)
            raise
        self.pay(number, listing, payment_path, form)
        self.hot.retire(listing)

    def checkout(self, number: str) -> str:
        """The checkout page, submitted with the address it offers; the payment page's path."""
        browser = self.browser
        pay_path = f"/orders/{number}/pay/"
        form = form_posting_to(browser.get("buy.checkout", pay_path).page(), pay_path)
        if form is None:
            raise browser.fail("buy.checkout", f"GET {pay_path}: no checkout form")
        changes: dict[str, str | None] = {
            name: value for name, value in ADDRESS.items() if not (form.value(name) or "").strip()
        }
        answer = browser.post("buy.submit", pay_path, form.submission(changes), expect=(302,))
        target = browser.redirect_path("buy.submit", answer)
        if not target.startswith("/sandbox/pay/"):
            raise browser.fail("buy.submit", f"POST {pay_path}: sent to {target}, not to the payment page")
        return target

    def payment_form(self, payment_path: str) -> Form:
        """The provider's hosted page, and its card form."""
        page = self.browser.get("buy.payment_page", payment_path).page()
        form = next((form for form in page.forms if form.value("card_number") is not None), None)
        if form is None:
            raise self.browser.fail("buy.payment_page", f"GET {payment_path}: no card form")
        return form

    def pay(self, number: str, listing: ListingInfo, payment_path: str, form: Form) -> None:
        """The test card on the provider's page, then the order's page until it shows the payment."""
        browser = self.browser
        expiry = f"12/{(time.gmtime().tm_year + 3) % 100:02d}"
        fields = form.submission({"card_number": CARD_NUMBER, "expiry": expiry, "cvc": "123"})
        card_path = self.browser.local_path(urllib.parse.urljoin(payment_path, form.action))
        answer = browser.post("buy.card", card_path, fields, expect=(302,))
        paid_at = time.perf_counter()
        self.told.paid_orders.append((number, listing.id))
        order_path = browser.redirect_path("buy.card", answer)
        browser.get("buy.order", order_path)
        confirmed = self.recorder.stat("buy.confirmed")
        confirmed.count += 1
        status_path = f"/orders/{number}/payment-status/"
        while True:
            status = browser.get("buy.status", status_path, headers={"HX-Request": "true"})
            if status.headers.get("HX-Redirect"):
                confirmed.latencies.append((time.perf_counter() - paid_at) * 1000)
                browser.get("buy.order", browser.local_path(status.headers["HX-Redirect"]))
                return
            if time.perf_counter() - paid_at > CONFIRMATION_TIMEOUT or self.abort.is_set():
                raise browser.fail(
                    "buy.confirmed",
                    f"order {number}: paid, but not shown paid within {CONFIRMATION_TIMEOUT} s",
                )
            time.sleep(PAYMENT_POLL_SECONDS)

    def cancel(self, number: str) -> None:
        """After an error on the way to paying: give the item back, as a person would."""
        path = f"/orders/{number}/pay/"
        with contextlib.suppress(Failed):
            page = self.browser.get("buy.cancel", path).page()
            form = form_posting_to(page, f"/orders/{number}/cancel/")
            if form is not None:
                self.browser.post(
                    "buy.cancel", f"/orders/{number}/cancel/", form.submission({}), expect=(302,)
                )

    # Sell

    def sell(self) -> None:
        browser = self.browser
        path = "/sell/listings/new/"
        form = form_posting_to(browser.get("sell.form", path).page(), path)
        if form is None:
            raise browser.fail("sell.form", f"GET {path}: no form")
        rng = self.rng
        token = secrets.token_hex(4)
        title = rng.choice(
            (f"Desk lamp, barely used {token}", f"Bench test item {token}", f"二手台灯 九成新 {token}")
        )
        categories = [value for value in form.choices.get("category", []) if value]
        grades = form.choices.get("grade", [])
        if not categories or not grades:
            raise browser.fail("sell.form", f"GET {path}: no categories or grades to choose from")
        fields = form.submission(
            {
                "title": title,
                "description": "Listed by the mixed-workload benchmark.",
                "category": rng.choice(categories),
                "price": str(rng.randint(20, 3000)),
                "grade": rng.choice(grades),
            }
        )
        photos = [
            ("photos", f"photo-{n}.jpg", "image/jpeg", photo_jpeg(rng)) for n in range(rng.randint(1, 3))
        ]
        answer = browser.request("sell.submit", "POST", path, fields=fields, files=photos, expect=(302, 200))
        if answer.status == 200:
            page = answer.page()
            raise browser.fail(
                "sell.submit", f"POST {path}: the form came back: {' '.join(page.form_errors)[:200]}"
            )
        edit_path = browser.redirect_path("sell.submit", answer)
        match = re.fullmatch(r"/sell/listings/(\d+)/edit/", edit_path)
        if match is None:
            raise browser.fail("sell.submit", f"POST {path}: sent to {edit_path}")
        self.told.listings.append((int(match.group(1)), title, len(photos)))
        browser.get("sell.edit", edit_path)


# --- Preparing the run ------------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlparse(url)._replace(path=f"/{name}").geturl()


def copy_database(source_url: str, copy_url: str) -> None:
    """Drop the copy if it exists and make it anew from the source, as a template."""
    import psycopg2
    from psycopg2 import sql

    source, copy = database_name(source_url), database_name(copy_url)
    admin = admin_connection(source_url)
    try:
        with admin.cursor() as cursor:
            busy = copy
            try:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(copy)))
                busy = source
                started = time.monotonic()
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(copy), sql.Identifier(source)
                    )
                )
            except psycopg2.errors.ObjectInUse:
                cursor.execute(
                    "SELECT coalesce(nullif(application_name, ''), '?'), count(*) FROM pg_stat_activity "
                    "WHERE datname = %s GROUP BY 1",
                    [busy],
                )
                sessions = ", ".join(f"{name} ({count})" for name, count in cursor.fetchall())
                raise SystemExit(
                    f"Cannot {'copy' if busy == source else 'drop'} {busy}: other sessions are connected to it "
                    f"({sessions or 'gone now; try again'}). Stop what uses that database, then run again."
                ) from None
    finally:
        admin.close()
    print(f"Copied {source} to {copy} in {time.monotonic() - started:.1f} s.")


def use_database(name: str) -> None:
    """From here on this process's ORM works on database `name` (the copy). Every connection must be
    closed first: the change applies to connections opened afterwards."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name


def run_environment(*, database_url: str, redis: str, port: int) -> dict[str, str]:
    """The environment of gunicorn and the Celery workers (and of this process's ORM)."""
    env = dict(os.environ)
    # Whatever would send the run elsewhere than this copy, this Redis database and 127.0.0.1.
    for name in (
        "DATABASE_REPLICA_URL",
        "STORAGE_URL",
        "CELERY_BROKER_URL",
        "CHANNELS_REDIS_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "PAYMENT_SANDBOX_FAIL",
        "CARRIER_SANDBOX_FAIL",
        "EMAIL_BACKEND",
    ):
        env.pop(name, None)
    site = f"http://{HOST}:{port}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "False",
            "SERVE_MEDIA": "False",
            "VAR_DIR": str(VAR_DIR),
            "MEDIA_ROOT": str(RUN_DIR / "media"),
            "PRIVATE_MEDIA_ROOT": str(RUN_DIR / "private"),
            "REDIS_URL": redis,
            "CACHE_URL": "",
            "CACHE_KEY_PREFIX": CACHE_PREFIX,
            "LOG_LEVEL": "WARNING",
            "PORT": str(port),
            "SITE_URL": site,
            "PAYMENT_SANDBOX_WEBHOOK_URL": f"{site}/api/v1/payments/webhook/",
            "PHOTO_UPLOAD_RATE": "100000/hour",
            "PYTHONUNBUFFERED": "1",
            # DEBUG is off, where the site refuses the development secrets: secrets for this run, unless set.
            **{
                secret: os.environ.get(secret) or secrets.token_urlsafe(50)
                for secret in ("SECRET_KEY", "CARRIER_WEBHOOK_SECRET", "PAYMENT_WEBHOOK_SECRET")
            },
        }
    )
    return env


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2)


def empty_queues(url: str) -> int:
    """Drop the jobs an earlier run left in the broker's queues; how many there were."""
    client = redis_client(url)
    left = sum(client.llen(queue) for queue in QUEUES) + client.hlen("unacked")
    client.delete(*QUEUES, "unacked", "unacked_index")
    return left


def queued_jobs(url: str) -> int:
    """Jobs waiting in the queues, or taken by a worker and not yet done (acks_late)."""
    client = redis_client(url)
    return sum(client.llen(queue) for queue in QUEUES) + client.hlen("unacked")


def create_users(count: int, password: str) -> list[tuple[int, str]]:
    """The run's accounts in the copy: e-mail confirmed, a default address. (id, username) each."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.addresses import address_create
    from accounts.models import User

    hashed = make_password(password)  # once: hashing is slow on purpose
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                username=f"{USER_PREFIX}{number:03d}",
                email=f"{USER_PREFIX}{number:03d}@bench.reloop.invalid",
                display_name=f"Bench {number}",
                city="上海",
                password=hashed,
                email_confirmed_at=now,
                language="en",
            )
            for number in range(count)
        ]
    )
    users = list(User.objects.filter(username__startswith=USER_PREFIX).order_by("username"))
    for user in users:
        address_create(user=user, data=ADDRESS, make_default=True)
    return [(user.pk, user.username) for user in users]


def load_catalogue(sample: int) -> Catalogue:
    from listings.models import Category, Listing, ListingSource, ListingStatus

    rows = (
        Listing.objects.filter(status=ListingStatus.ACTIVE)
        .order_by("?")
        .values_list("id", "price", "source", "offer_floor")[:sample]
    )
    listings = [
        ListingInfo(pk, price, person=source == ListingSource.PERSON and floor is None)
        for pk, price, source, floor in rows
        if price >= Decimal("1.00")
    ]
    categories = list(Category.objects.values_list("slug", flat=True))
    document = json.loads((ROOT / "bench" / "search_queries.json").read_text())
    queries: dict[str, list[str]] = {}
    for entry in document["queries"]:
        queries.setdefault(entry["kind"], []).append(entry["q"])
    if len(listings) < HOT_LISTINGS * 2 or not any(listing.person for listing in listings):
        raise SystemExit(f"Too few listings on sale to run on ({len(listings)}): seed more with --listings.")
    return Catalogue(listings=listings, categories=categories, queries=queries)


# --- Processes --------------------------------------------------------------------------------------


@contextlib.contextmanager
def celery_workers(env: dict[str, str], logs: Path) -> Iterator[dict[str, subprocess.Popen]]:
    """A worker per queue, as `make stack` starts them (scripts/launch.py), until the block ends."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from launch import WORKERS, stop, worker

    running: dict[str, subprocess.Popen] = {}
    try:
        for name, (queues, concurrency) in WORKERS.items():
            command = worker(queues, concurrency=concurrency, hostname=f"{name}-mixed@%h")
            with (logs / f"worker-{name}.log").open("w") as log:
                running[name] = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        yield running
    finally:
        stop(running)


def worker_names() -> set[str]:
    """The workers that answer on this process's broker, by name before the '@'."""
    from marketplace.celery import app

    return {name.split("@")[0] for reply in app.control.ping(timeout=1.0) or [] for name in reply}


def wait_for_workers(expected: set[str], running: dict[str, subprocess.Popen], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        exited = [name for name, process in running.items() if process.poll() is not None]
        if exited:
            raise SystemExit(
                f"Celery worker {exited[0]} exited; see {RUN_DIR / 'logs'}/worker-{exited[0]}.log."
            )
        if expected <= worker_names():
            return
    raise SystemExit(f"The Celery workers did not answer within {timeout:.0f} s; see {RUN_DIR / 'logs'}.")


def drain(url: str, timeout: float) -> float | None:
    """Wait until no job is queued or in hand; the seconds it took, or None at the timeout."""
    started = time.monotonic()
    quiet = 0
    while time.monotonic() - started < timeout:
        quiet = quiet + 1 if queued_jobs(url) == 0 else 0
        if quiet >= 2:
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def logged_exceptions(path: Path) -> Counter[str]:
    """The exceptions a log shows, each by its last line ("IntegrityError: duplicate key ...")."""
    found: Counter[str] = Counter()
    if not path.exists():
        return found
    in_traceback = False
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif (
            in_traceback
            and line
            and not line.startswith((" ", "\t", "Traceback", "During handling", "The above"))
        ):
            found[line.strip()[:220]] += 1
            in_traceback = False
    return found


# --- Checking the writes ----------------------------------------------------------------------------


def lost_writes(told: Sequence[Told]) -> dict[str, list[str]]:
    """What the database lacks (or has wrong) of what the clients were told, by kind."""
    from django.db.models import Count, Sum

    from listings.models import Favourite, Listing, ListingStatus, PhotoStatus
    from orders.models import Offer, Order, OrderStatus, Payment, PaymentStatus
    from sandbox.models import SandboxPayment, SandboxPaymentStatus
    from wallet.models import Account, AccountPurpose, Cause, Entry, Transaction

    lost: dict[str, list[str]] = {}

    def note(kind: str, line: str) -> None:
        lost.setdefault(kind, []).append(line)

    user_ids = [entry.user_id for entry in told]
    saved = set(Favourite.objects.filter(user_id__in=user_ids).values_list("user_id", "listing_id"))
    offers = set(
        Offer.objects.filter(buyer_id__in=user_ids, by_seller=False).values_list(
            "buyer_id", "listing_id", "amount"
        )
    )
    for entry in told:
        for listing_id in sorted(entry.favourites - entry.unsure_favourites):
            if (entry.user_id, listing_id) not in saved:
                note(
                    "favourites", f"user {entry.user_id}: favourite of listing {listing_id} saved, not found"
                )
        for listing_id in sorted(entry.forgotten - entry.unsure_favourites):
            if (entry.user_id, listing_id) in saved:
                note(
                    "favourites",
                    f"user {entry.user_id}: favourite of listing {listing_id} forgotten, still there",
                )
        for listing_id, amount in entry.offers:
            if (entry.user_id, listing_id, amount) not in offers:
                note("offers", f"user {entry.user_id}: offer of {amount} on listing {listing_id} not found")

    # Orders: every one paid for is paid, into escrow, its listing sold.
    paid = {number: (entry.user_id, listing_id) for entry in told for number, listing_id in entry.paid_orders}
    orders = {
        order.number: order for order in Order.objects.filter(number__in=paid).select_related("listing")
    }
    payments: dict[int, list[Payment]] = {}
    for payment in Payment.objects.filter(order__number__in=paid):
        payments.setdefault(payment.order_id, []).append(payment)
    postings = {
        txn.idempotency_key: txn
        for txn in Transaction.objects.filter(
            idempotency_key__in=[f"payment:{p.pk}" for group in payments.values() for p in group]
        ).prefetch_related("entries__account")
    }
    unpaid = {OrderStatus.PENDING_PAYMENT, OrderStatus.EXPIRED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}
    for number, (user_id, listing_id) in sorted(paid.items()):
        order = orders.get(number)
        if order is None or order.buyer_id != user_id or order.listing_id != listing_id:
            note("orders", f"order {number} (user {user_id}, listing {listing_id}): not found")
            continue
        if order.status in unpaid:
            note("orders", f"order {number}: paid for, but {order.status}")
        succeeded = [p for p in payments.get(order.pk, []) if p.status == PaymentStatus.SUCCEEDED]
        if len(succeeded) != 1:
            note("orders", f"order {number}: {len(succeeded)} succeeded payments, not 1")
        for payment in succeeded:
            txn = postings.get(f"payment:{payment.pk}")
            escrow = (
                sum(e.amount for e in txn.entries.all() if e.account.purpose == AccountPurpose.ESCROW)
                if txn is not None
                else None
            )
            if txn is None or txn.cause != Cause.PAYMENT or escrow != payment.amount:
                note(
                    "orders",
                    f"order {number}: payment {payment.pk} of {payment.amount} not in escrow (ledger: {escrow})",
                )
        if order.listing.status != ListingStatus.SOLD:
            note("orders", f"order {number}: listing {listing_id} is {order.listing.status}, not sold")

    # Payments the provider took whatever the client saw (a card submit that timed out included).
    placed = [number for entry in told for number in entry.orders]
    references = dict(
        Payment.objects.filter(order__number__in=placed, provider_reference__isnull=False).values_list(
            "provider_reference", "status"
        )
    )
    for reference in SandboxPayment.objects.filter(
        reference__in=references, status=SandboxPaymentStatus.SUCCEEDED
    ).values_list("reference", flat=True):
        if references[reference] not in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
            note(
                "orders",
                f"payment {reference}: taken by the provider, still {references[reference]} at Reloop",
            )
    for listing_id, live in (
        Order.objects.filter(buyer_id__in=user_ids)
        .exclude(status__in=unpaid)
        .values_list("listing_id")
        .annotate(live=Count("id"))
        .filter(live__gt=1)
    ):
        note("orders", f"listing {listing_id}: sold {live} times")

    # Listings put on sale, with their photos processed.
    created = {
        listing.pk: listing
        for listing in Listing.objects.filter(
            pk__in=[pk for entry in told for pk, _t, _n in entry.listings]
        ).prefetch_related("photos")
    }
    on_sale = {ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD}
    for entry in told:
        for pk, title, photo_count in entry.listings:
            listing = created.get(pk)
            if listing is None or listing.seller_id != entry.user_id or listing.title != title:
                note("listings", f"listing {pk} ({title!r}, user {entry.user_id}): not found")
                continue
            photos = list(listing.photos.all())
            ready = [photo for photo in photos if photo.status == PhotoStatus.READY]
            if listing.status not in on_sale:
                note("listings", f"listing {pk}: {listing.status}, not on sale")
            if len(photos) != photo_count or len(ready) != photo_count:
                note(
                    "listings",
                    f"listing {pk}: {len(ready)} of {len(photos)} photos ready, {photo_count} sent",
                )
            elif listing.cover_key != photos[0].key:
                note("listings", f"listing {pk}: cover {listing.cover_key!r}, not its first photo")

    # The ledger: balanced transactions, balances that are the sums of their entries.
    for txn_id, total in (
        Entry.objects.values_list("transaction_id").annotate(total=Sum("amount")).exclude(total=0)
    ):
        note("ledger", f"transaction {txn_id}: entries sum to {total}")
    sums = dict(Entry.objects.values_list("account_id").annotate(total=Sum("amount")))
    for account in Account.objects.all():
        if account.balance != sums.get(account.pk, Decimal("0")):
            note(
                "ledger",
                f"account {account.pk} ({account.purpose}): balance {account.balance}, entries {sums.get(account.pk, 0)}",
            )
    return lost


# --- The report -------------------------------------------------------------------------------------


def table(stats: dict[str, Stat], elapsed: float) -> list[str]:
    header = (
        f"{'action':<30} {'count':>7} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'refused':>8}"
    )
    lines = [header, "-" * len(header)]

    def row(label: str, stat: Stat) -> str:
        return (
            f"{label:<30} {stat.count:>7,} {stat.count / elapsed:>7.1f} {percentile(stat.latencies, 50):>8.0f}"
            f" {percentile(stat.latencies, 99):>8.0f} {stat.errors:>7} {stat.refused:>8}"
        )

    requests, errors = Stat(), 0
    for group, actions, rows in GROUPS:
        share = sum(MIX[action] for action in actions)
        lines.append(f"{group} ({share}%)")
        for key, label, kind in rows:
            stat = stats.get(key, Stat())
            if kind == "request":
                requests.merge(stat)
            if kind != "flow":
                errors += stat.errors
            lines.append(row("  " + label, stat))
    client = stats.get(CLIENT_ROW[0])
    if client is not None:
        errors += client.errors
        lines.append(row(CLIENT_ROW[1], client))
    lines.append("-" * len(header))
    requests.errors = errors
    lines.append(row("total (requests)", requests))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="The database to copy.")
    parser.add_argument("--duration", type=int, default=300, help="Seconds of load.")
    parser.add_argument("--users", type=int, default=16, help="Virtual users (threads).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="A Redis database for the run alone.")
    parser.add_argument("--drain-timeout", type=int, default=120, help="Seconds to wait for the queues.")
    parser.add_argument("--seed", type=int, default=None, help="Random seed (default: a new one each run).")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The mixed benchmark needs PostgreSQL: pass --database-url postgres://...")
    if args.users < 1 or args.duration < 1:
        raise SystemExit("--users and --duration must be at least 1.")
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)

    def stop_on_term(_signum, _frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)

    source_url = args.database_url
    copy_url = with_database(source_url, database_name(source_url) + COPY_SUFFIX)
    port = free_port()
    os.environ["REDIS_URL"] = args.redis_url
    if redis_url(CACHE_PREFIX) is None:
        raise SystemExit(f"Redis at {args.redis_url} does not answer: the run needs it (cache and broker).")
    source_env = run_environment(database_url=source_url, redis=args.redis_url, port=port)
    env = {**source_env, "DATABASE_URL": copy_url}
    os.environ.update(source_env)
    sys.path.insert(0, str(ROOT))

    ensure_database(source_url)
    prepare(source_env, args.listings)
    from django.db import connections

    connections.close_all()
    copy_database(source_url, copy_url)
    use_database(database_name(copy_url))
    os.environ["DATABASE_URL"] = copy_url

    shutil.rmtree(RUN_DIR, ignore_errors=True)
    logs = RUN_DIR / "logs"
    logs.mkdir(parents=True)
    left = empty_queues(args.redis_url)
    if left:
        print(f"Dropped {left} jobs an earlier run left in {args.redis_url}.")
    others = worker_names()
    if others:
        raise SystemExit(
            f"Celery workers already listen on {args.redis_url} ({', '.join(sorted(others))}): they would take "
            "this run's jobs. Stop them, or pass another --redis-url."
        )

    password = secrets.token_urlsafe(16)
    users = create_users(args.users, password)
    catalogue = load_catalogue(LISTING_SAMPLE)
    connections.close_all()
    rng = random.Random(seed)
    print(
        f"{len(users)} users; {len(catalogue.listings):,} listings on sale sampled "
        f"({len(catalogue.person_listings):,} of private sellers, for offers); seed {seed}."
    )

    recorder = Recorder(time.monotonic())
    virtual: list[VirtualUser] = []
    elapsed = 0.0
    interrupted = False
    drained: float | None = None
    with (
        (logs / "gunicorn.log").open("w") as gunicorn_log,
        gunicorn(env, port, args.workers, output=gunicorn_log),
        celery_workers(env, logs) as running,
    ):
        wait_for_workers({f"{name}-mixed" for name in running}, running)
        print(
            f"gunicorn on http://{HOST}:{port}/ ({args.workers} sync workers); Celery workers {', '.join(running)}."
        )
        hot = HotListings(catalogue.listings, HOT_LISTINGS, rng)
        for number, (user_id, username) in enumerate(users):
            virtual.append(
                VirtualUser(
                    number=number,
                    user_id=user_id,
                    username=username,
                    password=password,
                    port=port,
                    catalogue=catalogue,
                    hot=hot,
                    started=time.monotonic(),
                    seed=seed,
                )
            )
        for user in virtual:
            try:
                user.browser.sign_in(user.username, user.password)
            except Failed as error:
                raise SystemExit(f"Signing in failed: {error}") from None
        begin = threading.Event()
        threads = [threading.Thread(target=user.run, args=(begin,), name=user.username) for user in virtual]
        for thread in threads:
            thread.start()
        print(f"Load: {args.users} users for {args.duration} s ...", flush=True)
        started = time.monotonic()
        for user in virtual:
            user.recorder.started = started
        begin.set()
        try:
            while time.monotonic() - started < args.duration:
                time.sleep(0.5)
            for user in virtual:
                user.stop.set()
            for thread in threads:
                thread.join()
        except KeyboardInterrupt:
            interrupted = True
            print("Interrupted: stopping the users ...", flush=True)
            for user in virtual:
                user.stop.set()
                user.abort.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT + 5)
        elapsed = time.monotonic() - started
        if not interrupted:
            print(f"Load done in {elapsed:.1f} s; waiting for the Celery queues ...", flush=True)
            drained = drain(args.redis_url, args.drain_timeout)

    for user in virtual:
        recorder.merge(user.recorder)
    stats = recorder.stats
    sign_in = stats.pop("sign in", Stat())
    print()
    print(
        f"Mixed load: {args.users} users, {args.duration} s (the last actions ended at {elapsed:.1f} s), on "
        f"{args.workers} sync gunicorn workers and Celery workers {', '.join(running)}; "
        f"{database_name(copy_url)} (a copy of {database_name(source_url)}, {args.listings:,} listings)."
    )
    print(f"Users signed in first ({sign_in.count} requests, {sign_in.errors} errors; not in the figures).")
    print()
    print("\n".join(table(stats, elapsed)))
    errors = sum(stat.errors for key, stat in stats.items() if key not in ("offer", "buy", "sell"))
    if recorder.errors:
        print()
        print(f"First errors ({min(ERRORS_SHOWN, len(recorder.errors))} of {errors}):")
        for detail in sorted(recorder.errors, key=lambda detail: detail.at)[:ERRORS_SHOWN]:
            print(f"  {detail.at:6.1f} s  {detail.key}: {detail.what}")
    for log in sorted(logs.glob("*.log")):
        exceptions = logged_exceptions(log)
        if exceptions:
            print(f"Exceptions in {log.relative_to(ROOT)}:")
            for line, count in exceptions.most_common(5):
                print(f"  {count:>4} times  {line}")
    if interrupted:
        print("\nInterrupted: the writes are not checked.")
        return 130

    print()
    print(
        f"Celery queues drained {f'in {drained:.1f} s' if drained is not None else f'NOT within {args.drain_timeout} s'}."
    )
    told = [user.told for user in virtual]
    lost = lost_writes(told)
    connections.close_all()
    print(
        "Told the clients: "
        f"{sum(len(t.favourites) for t in told)} favourites saved, {sum(len(t.forgotten) for t in told)} forgotten, "
        f"{sum(len(t.offers) for t in told)} offers, {sum(len(t.paid_orders) for t in told)} orders paid, "
        f"{sum(len(t.listings) for t in told)} listings put on sale."
    )
    count = sum(len(lines) for lines in lost.values())
    print(f"lost writes: {count}")
    for kind, lines in lost.items():
        print(f"  {kind}: {len(lines)}")
        for line in lines[:10]:
            print(f"    {line}")
    return 1 if errors or count or drained is None else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; every process the run started is stopped.")
        sys.exit(130)
