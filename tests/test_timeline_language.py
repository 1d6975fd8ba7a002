"""Timelines read in the reader's language: the same order, submission and consignment, shown at / and at
/zh-hans/ (and through the API), carry no system-written English on the Chinese page and no Chinese on
the English one. Every message of each catalog is on its timeline; what people typed and what is a
code (numbers, tracking numbers) is set to neutral values that belong to neither language."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from listings.messages import DESCRIPTION
from listings.models import Grade, ListingSource
from marketplace.status_events import Message, message_render, placeholders
from marketplace.text_language import HAN
from orders.messages import MESSAGES as ORDER_MESSAGES
from orders.models import OrderEvent, OrderStatus
from recycling.messages import MESSAGES as SUBMISSION_MESSAGES
from recycling.models import Offer, OfferDecision, SubmissionEvent, SubmissionStatus
from tests.factories import ListingFactory, SubmissionFactory, UserFactory
from tests.orders.helpers import paid_order

pytestmark = pytest.mark.django_db

NEUTRAL = "2468"  # a tracking number, an order number, a report code
TYPED = "#7 · 3/4"  # what a person typed
# Words allowed in Latin letters on a Chinese page: the platform's name.
BRAND = "Reloop"
SECTION = re.compile(r'<section[^>]*aria-labelledby="timeline-heading".*?</section>', re.DOTALL)


def sample(entry) -> dict:
    """Parameters for a catalog entry: a real code for a choices parameter, neutral values otherwise."""
    message = entry if isinstance(entry, Message) else Message(entry)
    params: dict = {}
    for name in placeholders(message.text):
        lookup = message.labels.get(name)
        if name in message.money:
            params[name] = "1299.00"
        elif name in message.dates:
            params[name] = "2026-03-01"
        elif isinstance(lookup, type):
            params[name] = lookup.values[-1]
        elif f"%({name})d" in str(message.text):
            params[name] = 15
        else:
            params[name] = NEUTRAL
    return params


def timeline_text(page: str) -> str:
    section = SECTION.search(page)
    assert section is not None, "the page has a timeline"
    return html.unescape(re.sub(r"<[^>]+>", " ", section.group()))


def assert_in_language(text: str, language: str, *, allowed: tuple[str, ...] = ()) -> None:
    for value in (TYPED, BRAND, NEUTRAL, *allowed):
        text = text.replace(value, " ")
    if language == "en":
        assert not HAN.search(text), text
    else:
        assert not re.search(r"[A-Za-z]{2,}", text), text


def rendered(catalog, events, language: str) -> list[str]:
    with translation.override(language):
        return [message_render(catalog, event.message, event.params) for event in events]


def get(client: Client, name: str, args: list, language: str) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def order_with_every_message():
    buyer = UserFactory(display_name="1357")
    order = paid_order(buyer=buyer, listing=ListingFactory(title="1357"))
    events = [
        OrderEvent.objects.create(
            order=order,
            old=OrderStatus.PAID,
            new=OrderStatus.SHIPPED,
            message=code,
            params=sample(entry),
            note=TYPED if code == "return.requested" else "",
        )
        for code, entry in ORDER_MESSAGES.items()
    ]
    return order, events


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_order_timeline_is_in_the_readers_language(client, order_with_every_message, language):
    order, events = order_with_every_message
    client.force_login(order.buyer)

    text = timeline_text(get(client, "orders:detail", [order.number], language))

    for message in rendered(ORDER_MESSAGES, events, language):
        assert " ".join(message.split()) in " ".join(text.split())
    assert TYPED in text
    assert_in_language(text, language, allowed=(order.number,))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_order_api_gives_the_timeline_in_the_requests_language(
    client, order_with_every_message, language
):
    order, events = order_with_every_message
    client.force_login(order.buyer)

    body = client.get(f"/api/v1/orders/{order.number}/", HTTP_ACCEPT_LANGUAGE=language).json()

    lines = {line["message"]: line for line in body["timeline"] if line["message"]}
    assert lines["refund.full"]["params"] == {"amount": "1299.00"}
    for event, message in zip(events, rendered(ORDER_MESSAGES, events, language), strict=True):
        note = lines[event.message]["note"]
        assert note == (f"{message}{'' if language == 'zh-hans' else ' '}{TYPED}" if event.note else message)
        assert_in_language(note, language)


def submission_with_every_message(seller, *, codes=None):
    submission = SubmissionFactory(seller=seller, title="1357", status=SubmissionStatus.LISTED)
    events = [
        SubmissionEvent.objects.create(
            submission=submission,
            old=SubmissionStatus.CONSIGN_ACCEPTED,
            new=SubmissionStatus.LISTED,
            message=code,
            params=sample(SUBMISSION_MESSAGES[code]),
        )
        for code in codes or SUBMISSION_MESSAGES
    ]
    SubmissionEvent.objects.create(
        submission=submission, old=SubmissionStatus.LISTED, new=SubmissionStatus.SOLD, note=TYPED
    )
    return submission, events


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_submission_timeline_is_in_the_readers_language(client, language):
    seller = UserFactory(display_name="1357")
    submission, events = submission_with_every_message(seller)
    client.force_login(seller)

    text = timeline_text(get(client, "recycling:detail", [submission.pk], language))

    for message in rendered(SUBMISSION_MESSAGES, events, language):
        assert " ".join(message.split()) in " ".join(text.split())
    assert_in_language(text, language, allowed=(submission.code,))

    body = client.get(f"/api/v1/submissions/{submission.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
    notes = [line["note"] for line in body["timeline"]]
    assert notes == [*rendered(SUBMISSION_MESSAGES, events, language), TYPED]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_consignment_timeline_is_in_the_readers_language(client, language):
    seller = UserFactory(display_name="1357")
    consigned = [
        code for code in SUBMISSION_MESSAGES if code.startswith(("consignment.", "offer.", "inspection."))
    ]
    submission, events = submission_with_every_message(seller, codes=consigned)
    Offer.objects.create(
        submission=submission,
        grade=Grade.EXCELLENT,
        cash_amount=Decimal("900.00"),
        list_price=Decimal("1299.00"),
        commission_rate=Decimal("0.250"),
        model_version="1",
        valid_until=timezone.now() + timedelta(days=7),
        decision=OfferDecision.CONSIGN,
    )
    client.force_login(seller)

    text = timeline_text(get(client, "consignment:money", [submission.pk], language))

    for message in rendered(SUBMISSION_MESSAGES, events, language):
        assert " ".join(message.split()) in " ".join(text.split())
    assert_in_language(text, language, allowed=(submission.code,))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_inspected_listing_describes_itself_in_the_readers_language(client, language):
    parts = [
        {"message": "inspected", "params": {}},
        {"message": "grade", "params": {"grade": "A", "label": "A", "meaning": "A"}},
        {"message": "authenticated", "params": {}},
        {"message": "report", "params": {"code": NEUTRAL}},
    ]
    listing = ListingFactory(
        title="1357", description="", description_parts=parts, source=ListingSource.PLATFORM
    )
    with translation.override(language):
        lines = [message_render(DESCRIPTION, part["message"], part["params"]) for part in parts]

    page = get(client, "listings:detail", [listing.pk], language)
    description = re.search(r'<section class="description">.*?</section>', page, re.DOTALL).group()
    body = client.get(f"/api/v1/listings/{listing.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()

    for line in lines:
        assert html.escape(line, quote=False) in description
    assert body["description"] == "\n".join(lines)
    assert_in_language(html.unescape(re.sub(r"<[^>]+>", " ", description)), language, allowed=("A",))
