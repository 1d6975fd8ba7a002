"""Keyset (cursor) pagination for pages and the API.

An OFFSET scan reads and throws away every row before the page, so page 4,000 of a category costs
4,000 times page 1. A keyset page instead asks for the rows that sort after the last row seen
(`WHERE (published_at, id) < (:t, :id) ORDER BY published_at DESC, id DESC LIMIT 25`), which an index
answers in the same time at any depth.

The ordering must end with a unique field (`id`) so that every row has exactly one position.
A cursor is an opaque, URL-safe token holding the sort values of one row and a direction.
"""

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError


class InvalidCursor(DomainError):
    code = "invalid_cursor"


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def _parse_order(order_by: Sequence[str]) -> list[tuple[str, bool]]:
    fields = [(name.lstrip("-"), name.startswith("-")) for name in order_by]
    if not fields or fields[-1][0] not in ("id", "pk"):
        raise ValueError("A keyset ordering must end with the unique id field.")
    return fields


def encode_cursor(values: Sequence[Any], *, backwards: bool = False) -> str:
    payload = {"v": [None if v is None else str(v) for v in values], "b": backwards}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, width: int) -> tuple[list[str], bool]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values, backwards = payload["v"], bool(payload["b"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise InvalidCursor(str(INVALID_LINK)) from error
    if not isinstance(values, list) or len(values) != width or any(v is None for v in values):
        raise InvalidCursor(str(INVALID_LINK))
    return values, backwards


INVALID_LINK = _("This page link is no longer valid; start from the first page.")


def _check_values(model: type[Model], fields: list[tuple[str, bool]], values: list[str]) -> None:
    """Raise InvalidCursor unless each value fits its field, so that a hand-edited or stale token (say,
    from another sort) is the same message as an unreadable one rather than a database error.
    A name that is not a model field is an annotation; the only ones ordered by are numbers (a search
    rank), so they must be finite floats."""
    for (name, _descending), value in zip(fields, values, strict=True):
        if not isinstance(value, str) or "\x00" in value:
            raise InvalidCursor(str(INVALID_LINK))
        field: Field | None
        try:
            # An ordering names the model's own fields (or annotations), never a reverse relation.
            field = cast(Field, model._meta.get_field(name))
        except FieldDoesNotExist:
            field = None
        try:
            parsed = float(value) if field is None else field.to_python(value)
        except (ValidationError, ValueError, TypeError, ArithmeticError) as error:
            raise InvalidCursor(str(INVALID_LINK)) from error
        if parsed is None or (isinstance(parsed, Decimal | float) and not math.isfinite(parsed)):
            raise InvalidCursor(str(INVALID_LINK))


def _after(fields: list[tuple[str, bool]], values: list[str], *, backwards: bool) -> Q:
    """Rows strictly after `values` in the ordering (before them when `backwards`)."""
    condition = Q()
    for index, (name, descending) in enumerate(fields):
        goes_down = descending != backwards
        step = Q(**{f"{name}__{'lt' if goes_down else 'gt'}": values[index]})
        for earlier_index, (earlier_name, _descending) in enumerate(fields[:index]):
            step &= Q(**{earlier_name: values[earlier_index]})
        condition |= step
    return condition


def _values_of(item: Any, fields: list[tuple[str, bool]]) -> list[Any]:
    return [getattr(item, name) for name, _descending in fields]


def paginate(
    queryset: QuerySet,
    *,
    order_by: Sequence[str],
    cursor: str | None,
    size: int,
    read: Callable[[QuerySet], list] = list,
) -> Page:
    """One page of `queryset` in `order_by` order, starting after `cursor` (or at the start), its rows
    made into items by `read` (the queryset's own instances unless told; each item must have the
    ordering's values as attributes).

    Costs one query. Raises InvalidCursor for a token that cannot be read.
    """
    fields = _parse_order(order_by)
    position = cursor_position(cursor, model=queryset.model, order_by=order_by)
    if position is not None:
        queryset = queryset.filter(_after(fields, position.values, backwards=position.backwards))
    if position is not None and position.backwards:
        reversed_order = [name[1:] if name.startswith("-") else f"-{name}" for name in order_by]
        rows = read(queryset.order_by(*reversed_order)[: size + 1])
    else:
        rows = read(queryset.order_by(*order_by)[: size + 1])
    return page_of(rows, order_by=order_by, position=position, size=size)


@dataclass(frozen=True)
class Position:
    """Where a cursor points: the ordering's values of the row it is next to, and whether the page
    wanted is the one before that row."""

    values: list[str]
    backwards: bool


def cursor_position(cursor: str | None, *, model: type[Model], order_by: Sequence[str]) -> Position | None:
    """The position `cursor` names in `order_by` order over `model`'s rows (None for no cursor),
    each value checked to fit its field. Raises InvalidCursor."""
    if not cursor:
        return None
    fields = _parse_order(order_by)
    values, backwards = decode_cursor(cursor, width=len(fields))
    _check_values(model, fields, values)
    return Position(values=values, backwards=backwards)


def page_of(rows: list, *, order_by: Sequence[str], position: Position | None, size: int) -> Page:
    """The page made of `rows`: up to size + 1 items read from `position` in `order_by` order (or
    in the reverse order when it looks backwards), the extra one saying that more follow."""
    fields = _parse_order(order_by)
    if position is not None and position.backwards:
        more_before = len(rows) > size
        items = list(reversed(rows[:size]))
        next_cursor = encode_cursor(_values_of(items[-1], fields)) if items else None
        previous_cursor = (
            encode_cursor(_values_of(items[0], fields), backwards=True) if items and more_before else None
        )
        return Page(items=items, next_cursor=next_cursor, previous_cursor=previous_cursor)
    items = rows[:size]
    next_cursor = encode_cursor(_values_of(items[-1], fields)) if len(rows) > size else None
    previous_cursor = (
        encode_cursor(_values_of(items[0], fields), backwards=True)
        if position is not None and items
        else None
    )
    return Page(items=items, next_cursor=next_cursor, previous_cursor=previous_cursor)
