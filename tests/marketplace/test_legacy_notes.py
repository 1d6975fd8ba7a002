"""Notes the system wrote as text before events had message codes, in English or in Chinese, are read
back into code + parameters by the patterns the data migrations hold; anything else stays a typed note."""

import importlib

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from consignment.messages import MESSAGES as CONSIGNMENT
from inspection.messages import MESSAGES as INSPECTION
from listings.messages import DESCRIPTION
from listings.messages import MESSAGES as LISTINGS
from marketplace.legacy_notes import (
    Found,
    compile_patterns,
    event_notes_convert,
    event_notes_restore,
    lines_match,
    note_match,
    note_write,
)
from marketplace.status_events import Message
from orders.messages import MESSAGES as ORDERS
from recycling.messages import MESSAGES as RECYCLING
from recycling.models import SubmissionEvent, SubmissionStatus
from tests.factories import SubmissionFactory
from wallet.messages import MESSAGES as WALLET


def _migration(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


ORDER_PATTERNS = _migration("orders", "0005_event_notes_to_messages").PATTERNS
SUBMISSION_PATTERNS = _migration("recycling", "0007_event_notes_to_messages").PATTERNS
INSPECTION_PATTERNS = _migration("inspection", "0005_event_notes_to_messages").PATTERNS
LISTINGS_MIGRATION = _migration("listings", "0009_event_notes_to_messages")
MIGRATED = [
    (ORDER_PATTERNS, ORDERS),
    (SUBMISSION_PATTERNS, RECYCLING),
    (INSPECTION_PATTERNS, INSPECTION),
    (_migration("consignment", "0003_event_notes_to_messages").PATTERNS, CONSIGNMENT),
    (_migration("wallet", "0004_event_notes_to_messages").PATTERNS, WALLET),
    (LISTINGS_MIGRATION.PATTERNS, LISTINGS),
    (LISTINGS_MIGRATION.DESCRIPTION_PATTERNS, DESCRIPTION),
]


def written(language: str, msgid: str, **params) -> str:
    """A note as the code used to write it: the msgid translated into the language active then."""
    with translation.override(language):
        return gettext(msgid) % params


def label(language: str, msgid: str, context: str = "") -> str:
    with translation.override(language):
        return pgettext(context, msgid) if context else gettext(msgid)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_order_notes_in_either_language_become_codes(language):
    compiled = compile_patterns(ORDER_PATTERNS)
    lapsed = written(language, "Not paid within %(minutes)d minutes: the item went back on sale.", minutes=15)
    refunded = written(language, "Refunded in full: %(amount)s.", amount="1299.00")
    returned = written(language, "Return requested: %(reason)s", reason="The screen flickers")
    resolved = written(
        language,
        "Dispute resolved: %(outcome)s. %(note)s",
        outcome=label(language, "Rejected", "dispute outcome"),
        note="As described.",
    )

    assert note_match(compiled, lapsed) == Found("order.lapsed", {"minutes": 15}, "")
    assert note_match(compiled, refunded) == Found("refund.full", {"amount": "1299.00"}, "")
    assert note_match(compiled, returned) == Found("return.requested", {}, "The screen flickers")
    assert note_match(compiled, resolved) == Found(
        "dispute.resolved", {"outcome": "rejected"}, "As described."
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_submission_notes_read_amounts_and_labels_back(language):
    compiled = compile_patterns(SUBMISSION_PATTERNS)
    settled = written(
        language,
        "%(payout)s paid to the wallet: %(released)s less %(commission)s commission.",
        payout="¥1,500.00",
        released="¥2,000.00",
        commission="¥500.00",
    )
    failed = written(
        language,
        "Failed inspection: %(reason)s; report %(report)s.",
        reason=label(language, "Not as declared"),
        report="R7K2",
    )

    assert note_match(compiled, settled) == Found(
        "consignment.settled", {"payout": "1500.00", "released": "2000.00", "commission": "500.00"}, ""
    )
    assert note_match(compiled, failed) == Found(
        "inspection.failed", {"reason": "not_as_declared", "report": "R7K2"}, ""
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_note_built_from_two_sentences_is_read_back_with_the_typed_reason_as_note(language):
    compiled = compile_patterns(INSPECTION_PATTERNS)
    changed = written(
        language,
        "Passed. %(grade)s",
        grade=written(
            language,
            "Grade %(grade)s (computed %(computed)s): %(reason)s",
            grade="C",
            computed="A",
            reason="Deep scratch. Battery at 79%.",
        ),
    )
    plain = written(language, "Passed. %(grade)s", grade=written(language, "Grade %(grade)s.", grade="A"))

    assert note_match(compiled, changed) == Found(
        "passed.grade_changed", {"grade": "C", "computed": "A"}, "Deep scratch. Battery at 79%."
    )
    assert note_match(compiled, plain) == Found("passed", {"grade": "A"}, "")


@pytest.mark.parametrize(
    "note",
    ["checked", "Buyer called about the colour", "Refunded in full: whatever the buyer wants.", ""],
)
def test_anything_else_stays_a_typed_note(note):
    compiled = compile_patterns(ORDER_PATTERNS + SUBMISSION_PATTERNS)
    assert note_match(compiled, note) is None


def test_a_note_cut_short_stays_as_it_is():
    compiled = compile_patterns(SUBMISSION_PATTERNS)
    assert note_match(compiled, "Offer declined; the item goes back to the seller free of ch") is None


def test_undoing_writes_the_english_note_back():
    assert (
        note_write(ORDER_PATTERNS, "refund.full", {"amount": "1299.00"}, "") == "Refunded in full: 1299.00."
    )
    assert (
        note_write(ORDER_PATTERNS, "dispute.resolved", {"outcome": "partial_refund"}, "Part back.")
        == "Dispute resolved: Partial refund. Part back."
    )
    assert note_write(ORDER_PATTERNS, "no.such", {}, "Typed") == "Typed"


def test_a_generated_description_is_read_back_line_by_line():
    compiled = compile_patterns(LISTINGS_MIGRATION.DESCRIPTION_PATTERNS)
    text = "\n".join(
        [
            "Inspected by Reloop at its inspection centre.",
            "Grade A (Excellent): Faint signs of use, such as hairline marks, visible only up close.",
            "Two authenticators confirmed that it is genuine.",
            "Inspection report: R7K2Q",
        ]
    )

    found = lines_match(compiled, text)

    assert [(line.message, line.params) for line in found] == [
        ("inspected", {}),
        ("grade", {"grade": "A", "label": "A", "meaning": "A"}),
        ("authenticated", {}),
        ("report", {"code": "R7K2Q"}),
    ]
    assert lines_match(compiled, text + "\nThe box is a little dented.") is None


@pytest.mark.parametrize(("patterns", "catalog"), MIGRATED)
def test_the_frozen_patterns_match_the_catalogs_where_the_text_is_unchanged(patterns, catalog):
    """The migrations hold their own copy of the texts: where a message still has the same English, the
    copy's Chinese is the catalog's translation, and its parameters are the catalog's."""
    for pattern in patterns:
        assert pattern.code in catalog, pattern.code
        entry = catalog[pattern.code]
        entry = entry if isinstance(entry, Message) else Message(entry)
        with translation.override("en"):
            english = str(entry.text)
        if english != pattern.texts[0]:
            continue
        with translation.override("zh-hans"):
            assert pattern.texts[-1] == str(entry.text)
        assert set(pattern.money) == set(entry.money)


@pytest.mark.django_db
def test_converting_and_undoing_the_rows_of_a_table():
    submission = SubmissionFactory()
    received = written("zh-hans", "Received at the inspection centre.")
    paid = written("en", "%(amount)s paid to the seller's wallet.", amount="1200.00")
    events = [
        SubmissionEvent.objects.create(
            submission=submission, old=SubmissionStatus.SHIPPING, new=SubmissionStatus.RECEIVED, note=note
        )
        for note in (received, paid, "checked by hand")
    ]

    assert event_notes_convert(SubmissionEvent, SUBMISSION_PATTERNS) == 2

    rows = [SubmissionEvent.objects.get(pk=event.pk) for event in events]
    assert [(row.message, row.params, row.note) for row in rows] == [
        ("parcel.received", {}, ""),
        ("offer.paid", {"amount": "1200.00"}, ""),
        ("", {}, "checked by hand"),
    ]
    with translation.override("en"):
        assert rows[1].text == "¥1,200.00 paid to the seller's wallet."

    event_notes_restore(SubmissionEvent, SUBMISSION_PATTERNS)

    rows = [SubmissionEvent.objects.get(pk=event.pk) for event in events]
    assert [(row.message, row.note) for row in rows] == [
        ("", "Received at the inspection centre."),
        ("", "1200.00 paid to the seller's wallet."),
        ("", "checked by hand"),
    ]
