"""What every status-change row has in common, and the text the system writes on it.

A state machine records each transition as an event row (who, when, from, to). What the system says
about the move is stored as a message code from the app's catalog (`<app>/messages.py`) with its
parameters, and rendered when shown, in the reader's language; what a person typed (a dispute's
resolution, an override reason) is stored as typed in `note` and shown after the message.

A catalog maps codes to gettext_lazy texts with %(name)s parameters. Parameters hold plain values,
never text in some language: a code, a name, a number, an amount as the string of its Decimal, a date
in ISO form. An entry that needs a parameter shown otherwise than as stored says so with `Message`:

    MESSAGES = {
        "offer.declined": _("Offer declined; the item goes back to the seller free of charge."),
        "dispute.resolved": Message(_("Dispute resolved: %(outcome)s."), labels={"outcome": DisputeOutcome}),
        "refund.full": Message(_("Refunded in full: %(amount)s."), money=("amount",)),
    }

`labels` name the parameters that are codes of a choices class, or keys of a mapping of code to
label, and are shown by their label: a choices code must be valid when written, while a mapping may
meet a value it does not list (a carrier someone typed), shown as stored. `money` names the amounts,
shown with the money filter; `dates` the ISO dates, shown in the reader's date format.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from marketplace.templatetags.money import money

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class MessageError(ValueError):
    """A status event was written with a code its catalog does not list, or with parameters that do
    not fit the message. A programming error: it raises at write time so that no row is unreadable."""


@dataclass(frozen=True)
class Message:
    text: str | Promise
    money: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)


Catalog = Mapping[str, "str | Promise | Message"]


def _entry(catalog: Catalog, code: str) -> Message:
    entry = catalog[code]
    return entry if isinstance(entry, Message) else Message(entry)


def placeholders(text: str | Promise) -> set[str]:
    return set(PLACEHOLDER.findall(str(text)))


def _labels(lookup: Any) -> Mapping[Any, Any]:
    """A choices class or a mapping of code to label, as a mapping."""
    return dict(lookup.choices) if isinstance(lookup, type) and issubclass(lookup, models.Choices) else lookup


def _plain(value: Any) -> Any:
    """A parameter as stored: JSON-ready, and in no language."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int):
        return value
    raise MessageError(f"A message parameter must be a plain value, not {type(value).__name__}: {value!r}")


def message_params(catalog: Catalog, message: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters to store with `message`, checked against the catalog: the code must be listed,
    the parameters must be exactly the message's placeholders, and amounts, dates and codes must be
    what the entry says they are. Raises MessageError otherwise. No message, no parameters."""
    params = dict(params or {})
    if not message:
        if params:
            raise MessageError("Parameters were given without a message.")
        return {}
    if message not in catalog:
        raise MessageError(f"Unknown message {message!r}.")
    entry = _entry(catalog, message)
    stored = {name: _plain(value) for name, value in params.items()}
    expected = placeholders(entry.text)
    if set(stored) != expected:
        raise MessageError(f"Message {message!r} takes {sorted(expected)}, got {sorted(stored)}.")
    try:
        for name in entry.money:
            Decimal(stored[name])
        for name in entry.dates:
            date.fromisoformat(stored[name])
    except (InvalidOperation, TypeError, ValueError):
        raise MessageError(f"Message {message!r} got an amount or date it cannot read: {stored}.") from None
    for name, lookup in entry.labels.items():
        if isinstance(lookup, type) and stored[name] not in _labels(lookup):
            raise MessageError(f"Message {message!r}: {stored[name]!r} is not one of {lookup.__name__}.")
    return stored


def _shown(entry: Message, name: str, value: Any) -> Any:
    try:
        if name in entry.money:
            return money(Decimal(value))
        if name in entry.dates:
            return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (InvalidOperation, TypeError, ValueError):
        return value
    if name in entry.labels:
        return str(_labels(entry.labels[name]).get(value, value))
    return value


def message_render(catalog: Catalog, message: str, params: Mapping[str, Any]) -> str:
    """The message in the active language with its parameters shown. Lenient, since rows outlive
    code: an unknown code renders as nothing, a missing parameter as an empty string."""
    if message not in catalog:
        return ""
    entry = _entry(catalog, message)
    shown = defaultdict(str, {name: _shown(entry, name, value) for name, value in (params or {}).items()})
    try:
        return str(entry.text) % shown
    except (TypeError, ValueError):
        return str(entry.text)


def with_note(said: str, note: str) -> str:
    """The system's message followed by what a person typed: after a space, or straight after a message
    that ends in a full-width character (Chinese punctuation takes its own space)."""
    if not said or not note:
        return said or note
    wide = unicodedata.east_asian_width(said[-1]) in ("W", "F")
    return f"{said}{'' if wide else ' '}{note}"


class StatusEvent(models.Model):
    """One row per status change. Each concrete model adds the row it belongs to and its `old` and
    `new` statuses (with its own choices), and says which catalog its messages come from."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    message = models.CharField(_("message"), max_length=60, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def catalog(cls) -> Catalog:
        """The app's message catalog (`<app>/messages.py`); every concrete event model names its own."""
        raise NotImplementedError(f"{cls.__name__} must say which catalog its messages come from.")

    @classmethod
    def message_params(cls, message: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """`params` as stored with `message`; raises MessageError for a code the catalog does not list."""
        return message_params(cls.catalog(), message, params)

    @property
    @admin.display(description=_("note"))
    def text(self) -> str:
        """The message in the reader's language, then the note as typed."""
        said = message_render(self.catalog(), self.message, self.params) if self.message else ""
        return with_note(said, self.note)
