"""A shopper and a private seller, each on a phone, talk through Reloop in real time: the shopper asks
about the seller's item from its page, the seller's open page counts it on the bell at once, the
seller's open conversation shows the next message as it is sent, and the shopper's shows the reply;
each within 2 seconds of the send (daphne's websocket, asgi_live_server). Without websockets (a page
from the WSGI live_server) the bell still asks for its count every 30 seconds.

The helpers (a signed-in phone, opening a page once it listens, sending a message, the bell's count,
a step timed from a send) are the person-to-person flow's vocabulary; offers, counters and paying
build on them.
"""

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from tests.e2e.conftest import RESULTS, phone_context, sign_in
from tests.factories import ListingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# From a send to the other person's open page showing it: the websocket's promise.
REAL_TIME = 2.0  # seconds
# What the bell answers to once its first count is in: its poll, and the websocket's nudge.
BELL_TRIGGER = "every 30s, notifications-changed from:body"
# Keeps the page's websockets where the test can see whether one is open yet; injected by the browser
# before the page's own scripts, so the Content-Security-Policy does not apply to it.
WATCH_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.testSockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.testSockets.push(this); }
  };
})();
"""
SOCKET_OPEN = "() => window.testSockets.some(socket => socket.readyState === WebSocket.OPEN)"
CONVERSATION = re.compile(r"/messages/\d+/$")
SEND = re.compile(r"/messages/\d+/send/$")


def _phones(request, browser, base_url: str) -> Iterator[Callable[[User], Page]]:
    """A signed-in phone (a browser context of its own) for each person; each page's screenshot goes
    to test-results/ when the test fails."""
    pages: list[Page] = []

    def open_for(user: User) -> Page:
        context = phone_context(browser, base_url)
        context.add_init_script(WATCH_SOCKETS)
        sign_in(context, base_url, user.username)
        pages.append(context.new_page())
        return pages[-1]

    yield open_for
    report = getattr(request.node, "report_call", None)
    for number, page in enumerate(pages, start=1):
        if report is not None and report.failed:
            RESULTS.mkdir(exist_ok=True)
            page.screenshot(path=RESULTS / f"{request.node.name}-{number}.png", full_page=True)
        page.context.close()


@pytest.fixture
def phone(request, browser, asgi_live_server) -> Iterator[Callable[[User], Page]]:
    """`phone(user)`: that person's signed-in phone on the ASGI server, whose pages listen."""
    yield from _phones(request, browser, asgi_live_server.url)


@pytest.fixture
def phone_without_websockets(request, browser, live_server) -> Iterator[Callable[[User], Page]]:
    """`phone_without_websockets(user)`: the same on the WSGI live_server, whose pages only poll."""
    yield from _phones(request, browser, live_server.url)


class Latencies:
    """Times the real-time steps: each from the moment a send completed (its response was in) to the
    other page showing it. Each is kept as a property of the test, which --junitxml's report lists."""

    def __init__(self, properties: list[tuple[str, object]]) -> None:
        self.properties = properties

    @contextmanager
    def step(self, name: str, sent_at: float) -> Iterator[int]:
        """The expectations inside get REAL_TIME as their timeout (ms); the step fails if they took
        longer in all."""
        yield int(REAL_TIME * 1000)
        latency = time.monotonic() - sent_at
        self.properties.append((f"latency: {name}", f"{latency:.3f}"))
        assert latency < REAL_TIME, f"{name}: {latency:.2f} s after the send, over {REAL_TIME} s"


@pytest.fixture
def latencies(request) -> Latencies:
    # The test's user_properties, as the record_property fixture would keep them, without its warning
    # that the default junit_family (xunit2) does not define them.
    return Latencies(request.node.user_properties)


def open_page(page: Page, path: str, *, live: bool = True) -> None:
    """Go to `path` and wait until the page listens (see `listening`)."""
    page.goto(path)
    listening(page, live=live)


def listening(page: Page, *, live: bool = True) -> None:
    """Wait until the page just opened listens: the bell has its first count in (from then on it
    answers to the websocket's nudge), and with `live` the websocket is open (the consumer has joined
    the user's group before it accepts). A mark on the page tells later whether it was loaded again."""
    expect(page.locator("a.bell")).to_have_attribute("data-hx-trigger", BELL_TRIGGER)
    if live:
        page.wait_for_function(SOCKET_OPEN)
    page.evaluate("() => { window.testNotReloaded = true; }")


def expect_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.testNotReloaded === true"), "the page was loaded again"


def expect_bell(page: Page, unread: int, *, timeout: float | None = None) -> None:
    """The header's bell shows `unread` (no count at all for none)."""
    count = page.locator("a.bell .bell-count")
    if unread:
        expect(count).to_have_text(f"{unread} unread", timeout=timeout)
    else:
        expect(count).to_have_count(0, timeout=timeout)


def ask_the_seller(page: Page, *, live: bool = True) -> str:
    """On a listing's page, "Ask the seller" (in the buy slot): the conversation opens. Returns its
    path once it listens."""
    page.locator(".ask-seller").get_by_role("button", name="Ask the seller").click()
    expect(page).to_have_url(CONVERSATION)
    listening(page, live=live)
    return urlsplit(page.url).path


def send_message(page: Page, text: str) -> float:
    """Write `text` in the open conversation's message box and send it; returns the moment the send
    completed (the server's answer was in: the other person's pages were told on commit, before it),
    from which the other person's page is timed. The sender's own thread shows it."""
    form = page.locator("form.msg-form")
    form.get_by_label("Your message").fill(text)
    with page.expect_response(
        lambda response: response.request.method == "POST" and SEND.search(response.url) is not None
    ) as sent:
        form.get_by_role("button", name="Send", exact=True).click()
    sent_at = time.monotonic()
    assert sent.value.ok, sent.value.status
    expect(message_in_thread(page, text)).to_be_visible()
    return sent_at


def message_in_thread(page: Page, text: str) -> Locator:
    """The message with `text` in the conversation's thread."""
    return page.locator("#msg-thread .msg-body", has_text=text)


def expect_notification(page: Page, title: str) -> None:
    """The notifications page lists one with `title`."""
    page.goto("/notifications/")
    # .first: a conversation tells at most once an hour, so an hour that turns meanwhile makes two
    expect(page.locator(".nt-list .nt-title", has_text=title).first).to_be_visible()


@pytest.fixture
def people() -> tuple[User, User, int]:
    """Lin, a private seller with a camera on sale, and Mei, a shopper; and the listing's id."""
    lin = UserFactory(username="lin", display_name="Lin")
    mei = UserFactory(username="mei", display_name="Mei")
    listing = ListingFactory(seller=lin, title="Leica M6, black paint", price=Decimal("9000.00"))
    return lin, mei, listing.pk


def test_a_shopper_asks_and_the_seller_answers_each_seeing_the_other_within_2_seconds(
    phone, latencies, people
):
    # given the seller on their inbox, and the shopper on the item's page
    lin, mei, listing_id = people
    seller, shopper = phone(lin), phone(mei)
    open_page(seller, "/messages/")
    expect_bell(seller, 0)
    open_page(shopper, f"/l/{listing_id}/")

    # when the shopper asks the seller about it
    conversation = ask_the_seller(shopper)
    sent_at = send_message(shopper, "Is the shutter accurate at 1/1000?")

    # then the seller's bell counts it without a reload
    with latencies.step("seller's bell", sent_at) as timeout:
        expect_bell(seller, 1, timeout=timeout)
    expect_not_reloaded(seller)

    # the seller opens it from the bell: the notification leads to the conversation
    seller.locator("a.bell").click()
    expect(seller.get_by_role("heading", name="Notifications")).to_be_visible()
    seller.get_by_role("link", name=re.compile("New message from Mei")).click()
    expect(seller).to_have_url(re.compile(rf"{conversation}$"))
    listening(seller)
    expect(message_in_thread(seller, "Is the shutter accurate at 1/1000?")).to_be_visible()

    # a message sent while the seller has the conversation open appears in it without a reload
    sent_at = send_message(shopper, "And does the meter work?")
    with latencies.step("seller's conversation", sent_at) as timeout:
        expect(message_in_thread(seller, "And does the meter work?")).to_be_visible(timeout=timeout)
    expect_not_reloaded(seller)

    # the seller replies: the shopper's open conversation shows it, and their bell counts it
    expect_bell(shopper, 0)
    sent_at = send_message(seller, "Yes to both, serviced last spring.")
    with latencies.step("shopper's conversation", sent_at) as timeout:
        expect(message_in_thread(shopper, "Yes to both, serviced last spring.")).to_be_visible(
            timeout=timeout
        )
    with latencies.step("shopper's bell", sent_at) as timeout:
        expect_bell(shopper, 1, timeout=timeout)
    expect_not_reloaded(shopper)

    # each was told in their notifications
    expect_notification(shopper, "New message from Lin")
    expect_notification(seller, "New message from Mei")


def test_without_websockets_the_bell_asks_for_its_count_every_30_seconds(phone_without_websockets, people):
    """The WSGI live_server has no websocket behind it: its pages do not open one, and the bell's own
    poll brings the count. The seller's clock is Playwright's, so the half minute passes at once."""
    lin, mei, listing_id = people
    seller, shopper = phone_without_websockets(lin), phone_without_websockets(mei)
    seller.clock.install()
    open_page(seller, "/messages/", live=False)
    expect(seller.locator("script[src$='js/live.js']")).to_have_count(0)
    assert seller.evaluate("() => window.testSockets.length") == 0
    expect_bell(seller, 0)

    open_page(shopper, f"/l/{listing_id}/", live=False)
    ask_the_seller(shopper, live=False)
    send_message(shopper, "Is the shutter accurate at 1/1000?")

    # the bell's endpoint has the new count at once; the open page shows it at its next poll
    bell = seller.request.get("/notifications/bell/")
    assert bell.ok and re.search(r'class="bell-count">1<', bell.text())
    expect_bell(seller, 0)  # not yet: nothing told the page
    seller.clock.run_for("00:31")
    expect_bell(seller, 1)
    expect_not_reloaded(seller)


OFFER = re.compile(r"/offers/make/\d+/$")
ANSWER = re.compile(r"/offers/\d+/(counter|accept|decline)/$")


def offer_panel(page: Page) -> Locator:
    return page.locator("#offer-panel")


def make_offer(page: Page, amount: str) -> float:
    """In the open conversation's offer panel, offer `amount`; returns the moment the offer was in
    (the page is back on the conversation, listening)."""
    panel = offer_panel(page)
    panel.get_by_label("Your offer").fill(amount)
    with page.expect_response(
        lambda response: response.request.method == "POST" and OFFER.search(response.url) is not None
    ) as sent:
        panel.get_by_role("button", name="Make an offer").click()
    sent_at = time.monotonic()
    assert sent.value.status == 302, sent.value.status
    listening(page)  # the form post came back to the conversation, a page load of its own
    return sent_at


def counter_offer(page: Page, amount: str) -> float:
    """Answer the open offer in the panel with another price; returns the moment the counter was in."""
    panel = offer_panel(page)
    panel.locator("#counter-amount").fill(amount)
    with page.expect_response(
        lambda response: response.request.method == "POST" and ANSWER.search(response.url) is not None
    ) as sent:
        panel.get_by_role("button", name="Counter", exact=True).click()
    sent_at = time.monotonic()
    assert sent.value.status == 302, sent.value.status
    listening(page)
    return sent_at


def pay_on_the_sandbox(page: Page, total: str) -> None:
    """On the order's checkout: the address, then the sandbox's card page, back to the order paid."""
    page.get_by_label("Recipient").fill("Mei")
    page.get_by_label("Phone").fill("13912345678")
    page.get_by_label("Province or state").fill("Shanghai")
    page.get_by_label("City").fill("Shanghai")
    page.get_by_label("Street address").fill("Room 501, 12 Anfu Road, Xuhui")
    page.get_by_label("Postcode").fill("200031")
    page.get_by_role("button", name=f"Pay {total}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay by card")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name=f"Pay {total}").click()
    expect(page.locator(".od-status")).to_have_text("Paid")


def test_a_shopper_offers_the_seller_counters_and_the_shopper_accepts_and_pays(
    phone, latencies, people, asgi_live_server, settings
):
    # The sandbox posts its payment webhook to the running site, as a real provider would.
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{asgi_live_server.url}/api/v1/payments/webhook/"
    settings.SITE_URL = asgi_live_server.url
    lin, mei, listing_id = people
    seller, shopper = phone(lin), phone(mei)

    # given a conversation about the item, open on both phones
    open_page(shopper, f"/l/{listing_id}/")
    conversation = ask_the_seller(shopper)
    send_message(shopper, "Would you take less for it?")
    open_page(seller, conversation)
    expect(offer_panel(seller).get_by_text("No offers yet.")).to_be_visible()
    expect_bell(seller, 1)  # the message

    # when the shopper offers 8,000 from the conversation
    sent_at = make_offer(shopper, "8000")
    expect(
        offer_panel(shopper).get_by_text("Your offer of ¥8,000.00 is waiting for an answer")
    ).to_be_visible()

    # then the seller's open conversation shows it, ready to answer, without a reload
    with latencies.step("offer on the seller's conversation", sent_at) as timeout:
        expect(offer_panel(seller).get_by_role("button", name="Accept ¥8,000.00")).to_be_visible(
            timeout=timeout
        )
    with latencies.step("offer on the seller's bell", sent_at) as timeout:
        expect_bell(seller, 2, timeout=timeout)
    expect_not_reloaded(seller)

    # the seller counters with 8,600: the shopper's open conversation shows it
    sent_at = counter_offer(seller, "8600")
    with latencies.step("counter on the shopper's conversation", sent_at) as timeout:
        expect(offer_panel(shopper).get_by_role("button", name="Accept ¥8,600.00")).to_be_visible(
            timeout=timeout
        )
    expect_not_reloaded(shopper)

    # the shopper accepts the counter and pays the agreed price (and the shipping fee)
    offer_panel(shopper).get_by_role("button", name="Accept ¥8,600.00").click()
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Checkout")
    pay_on_the_sandbox(shopper, "¥8,612.00")

    # both were told, each in their own notifications
    expect_notification(shopper, "The seller offers Leica M6, black paint for ¥8,600.00")
    expect_notification(shopper, "Payment received for Leica M6, black paint")
    expect_notification(seller, "Offer of ¥8,000.00 for Leica M6, black paint")
    expect_notification(seller, "Leica M6, black paint: your counter of ¥8,600.00 is accepted")
    expect_notification(seller, "Leica M6, black paint sold")
