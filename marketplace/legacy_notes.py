"""Notes the system wrote as text, before it stored a message code, turned back into code + parameters.

Such a note was translated into the language active when it was written: English or Simplified
Chinese. A `NotePattern` describes one kind of note as the code wrote it, in each language: its text
with a %(name)s placeholder where each parameter went, and which parameters were amounts, codes shown
by their label, or text a person typed. Each text becomes a regular expression with a named group per
parameter; a note that matches one becomes the pattern's code with the parameters read back, and a
note that matches none stays as it is, a typed note.

Data migrations use this module with patterns they hold themselves, the translations included (the
catalog drops a msgid once no code uses it), so that later changes to the apps' catalogs do not change
what an old migration does. Keep what it does to a given pattern as it is.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

PLACEHOLDER = re.compile(r"(%\(\w+\)[sd])")
NOT_IN_AN_AMOUNT = re.compile(r"[^0-9.\-]")


@dataclass(frozen=True)
class NotePattern:
    code: str  # the message the note becomes
    texts: tuple[str, ...]  # the note as written, English first, then its translations
    money: tuple[str, ...] = ()  # amounts, written with the money filter or as a bare Decimal
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # parameter → {label: code}
    note: str = ""  # the parameter a person typed: it becomes the event's note


@dataclass(frozen=True)
class Found:
    message: str
    params: dict[str, Any]
    note: str


def _expression(text: str) -> re.Pattern[str]:
    pieces = []
    seen: set[str] = set()
    for piece in PLACEHOLDER.split(text):
        placeholder = re.fullmatch(r"%\((\w+)\)([sd])", piece)
        if placeholder is None:
            pieces.append(re.escape(piece))
            continue
        name, kind = placeholder.groups()
        if name in seen:
            pieces.append(f"(?P={name})")
        else:
            pieces.append(f"(?P<{name}>-?[0-9]+)" if kind == "d" else f"(?P<{name}>.*?)")
            seen.add(name)
    return re.compile("".join(pieces), re.DOTALL)


@dataclass(frozen=True)
class _Compiled:
    pattern: NotePattern
    expression: re.Pattern[str]
    integers: frozenset[str]


def compile_patterns(patterns: Sequence[NotePattern]) -> list[_Compiled]:
    """Each text of each pattern as a regular expression, in the order given: the first that matches
    a note wins, so a pattern whose text another's contains comes first."""
    return [
        _Compiled(pattern, _expression(text), frozenset(re.findall(r"%\((\w+)\)d", text)))
        for pattern in patterns
        for text in dict.fromkeys(pattern.texts)
    ]


def _amount(written: str) -> str | None:
    """An amount as a note showed it ("¥1,299.00", or "1299.00") as the string of its Decimal
    ("1299.00"); None when it is no amount."""
    try:
        return str(Decimal(NOT_IN_AN_AMOUNT.sub("", written)))
    except InvalidOperation:
        return None


def _read(compiled: _Compiled, match: re.Match[str]) -> Found | None:
    pattern = compiled.pattern
    params: dict[str, Any] = {}
    note = ""
    for name, value in match.groupdict().items():
        if name == pattern.note:
            note = value.strip()
        elif name in pattern.money:
            amount = _amount(value)
            if amount is None:
                return None
            params[name] = amount
        elif name in pattern.labels:
            if value not in pattern.labels[name]:
                return None
            params[name] = pattern.labels[name][value]
        elif name in compiled.integers:
            params[name] = int(value)
        else:
            params[name] = value
    return Found(pattern.code, params, note)


def note_match(compiled: Sequence[_Compiled], note: str) -> Found | None:
    """The first pattern the whole note matches, with the parameters read back; None for a note that
    matches none (a person typed it, or it was cut short)."""
    for candidate in compiled:
        match = candidate.expression.fullmatch(note)
        if match is not None and (found := _read(candidate, match)) is not None:
            return found
    return None


def note_write(patterns: Sequence[NotePattern], message: str, params: Mapping[str, Any], note: str) -> str:
    """The note as the code wrote it in English, from a message and its parameters: what undoing the
    conversion writes back. The typed note alone for a message no pattern has."""
    for pattern in patterns:
        if pattern.code != message:
            continue
        values: dict[str, Any] = dict(params)
        for name, labels in pattern.labels.items():
            # The English label is listed first.
            values[name] = next((label for label, code in labels.items() if code == params.get(name)), "")
        if pattern.note:
            values[pattern.note] = note
        try:
            text = pattern.texts[0] % values
        except (KeyError, TypeError, ValueError):
            continue
        return text if pattern.note else f"{text} {note}".strip()
    return note


def event_notes_convert(model: Any, patterns: Sequence[NotePattern], *, batch_size: int = 500) -> int:
    """Give every event of `model` (a migration's historical model) whose note is one the system wrote
    its message code and parameters, and keep only the typed part of the note. Returns how many."""
    compiled = compile_patterns(patterns)
    changed: list[Any] = []
    count = 0
    rows = model.objects.filter(message="").exclude(note="").only("pk", "note").order_by("pk")
    for event in rows.iterator(chunk_size=2000):
        found = note_match(compiled, event.note)
        if found is None:
            continue
        event.message, event.params, event.note = found.message, found.params, found.note
        changed.append(event)
        if len(changed) >= batch_size:
            model.objects.bulk_update(changed, ["message", "params", "note"])
            count += len(changed)
            changed = []
    model.objects.bulk_update(changed, ["message", "params", "note"])
    return count + len(changed)


def event_notes_restore(
    model: Any, patterns: Sequence[NotePattern], *, limit: int | None = None, batch_size: int = 500
) -> None:
    """Undo `event_notes_convert`: write the English text back into the note of every event that has a
    message (cut to `limit`, by default the note's length), and clear the message."""
    limit = limit or model._meta.get_field("note").max_length
    changed: list[Any] = []
    rows = model.objects.exclude(message="").only("pk", "message", "params", "note").order_by("pk")
    for event in rows.iterator(chunk_size=2000):
        event.note = note_write(patterns, event.message, event.params, event.note)[:limit]
        event.message, event.params = "", {}
        changed.append(event)
        if len(changed) >= batch_size:
            model.objects.bulk_update(changed, ["message", "params", "note"])
            changed = []
    model.objects.bulk_update(changed, ["message", "params", "note"])


def lines_match(compiled: Sequence[_Compiled], text: str) -> list[Found] | None:
    """A text the system wrote line by line (a generated description), each line read back; None
    unless every line matches, or for a line with typed text in it."""
    found = [note_match(compiled, line) for line in text.strip().splitlines()]
    if not found or any(line is None or line.note for line in found):
        return None
    return [line for line in found if line is not None]
