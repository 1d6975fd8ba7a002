"""Kinds of notification: what each says (a title and a body, each a message with %(name)s
parameters, see marketplace.status_events), and whether it is e-mailed unless the recipient says
otherwise. A notification row stores the kind's code and its parameters; the text is rendered when
shown or sent, in the reader's language.

The apps that notify declare their kinds in their own `notices` module and `register` them when they
load, as they keep their status messages in `messages.py`: the texts and the choices their parameters
name (a grade, a reason) belong to them. The kinds are grouped by what the recipient was doing (buying,
selling, selling to Reloop, the wallet) on the preferences page.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.status_events import Message, MessageError, message_params, message_render


class Group:
    BUYING = "buying"
    SELLING = "selling"
    SELL_WITH_US = "sell_with_us"
    WALLET = "wallet"
    WATCHING = "watching"
    MESSAGES = "messages"


GROUPS = {
    Group.BUYING: _("Buying"),
    Group.SELLING: _("Selling"),
    Group.SELL_WITH_US: pgettext_lazy("notification group", "Selling to Reloop"),
    Group.WALLET: _("Wallet"),
    Group.WATCHING: _("Saved items"),
    Group.MESSAGES: _("Messages"),
}


@dataclass(frozen=True)
class Kind:
    code: str
    group: str
    label: str | Promise  # what the preference is about, on the preferences page
    title: str | Promise
    body: str | Promise
    money: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    email: bool = True  # e-mailed unless the recipient turns it off

    def message(self, text: str | Promise) -> Message:
        return Message(text, money=self.money, dates=self.dates, labels=self.labels)


# Every kind, by code, as the apps registered them (each app's `notices` module, imported by its
# AppConfig.ready).
KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        if kind.code in KINDS and KINDS[kind.code] != kind:
            raise ValueError(f"Two notification kinds are called {kind.code!r}.")
        if kind.group not in GROUPS:
            raise ValueError(f"Notification kind {kind.code!r} has an unknown group {kind.group!r}.")
        KINDS[kind.code] = kind


def kind_params(code: str, params: dict) -> dict:
    """The parameters to store for a notification of kind `code`: exactly the title's and the body's
    placeholders, amounts and dates readable. Raises MessageError otherwise, or for an unknown kind."""
    kind = KINDS.get(code)
    if kind is None:
        raise MessageError(f"Unknown notification kind {code!r}.")
    return message_params(_both(code), code, params)


@functools.cache
def _both(code: str) -> dict[str, Message]:
    """The kind's title and body as one message, to check parameters against: their placeholders are
    the same in every language, so the English text is read once."""
    kind = KINDS[code]
    with translation.override("en"):
        return {code: kind.message(f"{kind.title} {kind.body}")}


def kind_render(code: str, params: dict) -> tuple[str, str]:
    """The title and the body in the active language; empty for a kind that no longer exists."""
    kind = KINDS.get(code)
    if kind is None:
        return "", ""
    return (
        message_render({code: kind.message(kind.title)}, code, params),
        message_render({code: kind.message(kind.body)}, code, params),
    )
