"""Postal addresses: the checks every address passes, whoever typed it, and the address book's writes.

`clean_postal_address(data)` turns what a person typed (the address book, a checkout, a courier
pickup booking, an API body) into a `PostalAddress`, or raises AddressError with the `code` and the
`field` at fault; `address_errors(data)` finds every field's error at once, for forms. The rules:

- Every field is required. Whitespace (spaces, tabs, line breaks) is trimmed at both ends, and a run
  of it inside becomes one space: a street typed on two lines is stored on one, as a label prints it.
- No NUL or other control character anywhere.
- Phone: a mainland China mobile number (11 digits: 1, then 3 to 9, then nine more) or an
  international one (+ and 7 to 15 digits). Spaces and dashes typed between the digits are dropped.
- Postcode: 3 to 10 letters and digits, with at most one space or dash between them; letters are
  stored in capitals. China's are six digits, but a postcode from elsewhere is accepted as it is.
- Each field fits its column in accounts.models.Address.

Phone and postcode read full-width digits, letters and "+" (as Chinese input methods type them) as
their ASCII forms. Everything else is stored as typed.

The address book: a user's first address becomes their default; while the book has any address,
exactly one is the default; deleting the default hands it to the newest address left; the book holds
at most MAX_ADDRESSES. Another user's address is treated exactly like a missing one: both raise
Address.DoesNotExist. Each service is one transaction that first locks the user's address book.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.errors import AddressError
from accounts.models import Address, User
from marketplace.text_language import CHINESE, written_language

# The fields of a postal address, in the order forms show them and errors are reported.
FIELDS = ("name", "phone", "region", "city", "street", "postcode")


def _max_length(field: str) -> int:
    column = Address._meta.get_field(field)
    assert isinstance(column, models.CharField) and column.max_length is not None
    return column.max_length


# As long as each column of accounts.models.Address.
MAX_LENGTHS = {field: _max_length(field) for field in FIELDS}
# An address book is for the few places a person ships to: home, work, family.
MAX_ADDRESSES = 20

# Spaces, tabs, line breaks and the wide spaces of other scripts (the ideographic space among them).
WHITESPACE = re.compile(r"[ \t\n\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Control characters, and lone halves of surrogate pairs (which no text encoding can store).
CONTROL_CATEGORIES = frozenset({"Cc", "Cs"})
PHONE_SEPARATORS = re.compile(r"[ \-\u2010-\u2015\u2212]")
MAINLAND_MOBILE = re.compile(r"1[3-9][0-9]{9}")
INTERNATIONAL_PHONE = re.compile(r"\+[0-9]{7,15}")
POSTCODE = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)?")
POSTCODE_MIN = 3


@dataclass(frozen=True)
class PostalAddress:
    """An address that passed the checks: what a shipment, a pickup booking or a label copies.

    Made by `clean_postal_address`, or from a saved row by `Address.postal`.
    """

    name: str  # the recipient
    phone: str  # digits only, with a leading + for an international number
    region: str  # province, autonomous region or municipality; state or county elsewhere
    city: str
    street: str  # district, street, building and room
    postcode: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def lines(self) -> tuple[str, ...]:
        """The address as a label prints it: recipient, phone, street, city and region, postcode."""
        return (self.name, self.phone, self.street, self.locality, self.postcode)

    @property
    def locality(self) -> str:
        """City and region on one line; a city that is its own region (Shanghai, Beijing) once."""
        if self.city.casefold() == self.region.casefold():
            return self.city
        separator = " " if written_language(self.city, self.region) == CHINESE else ", "
        return f"{self.city}{separator}{self.region}"


def _required_message(field: str) -> str:
    return {
        "name": _("Enter the name of the person the parcel is for."),
        "phone": _("Enter a phone number the courier can call."),
        "region": _("Enter the province or state."),
        "city": _("Enter the city."),
        "street": _("Enter the street address: district, street, building and room."),
        "postcode": _("Enter the postcode."),
    }[field]


def _invalid(field: str, message: str, code: str) -> AddressError:
    return AddressError(message, code=code, field=field)


def _clean_field(field: str, raw: object) -> str:
    """One field as it will be stored, or AddressError naming it."""
    if raw is None:
        raw = ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # a phone number or postcode sent as a JSON number
    if not isinstance(raw, str):
        raise _invalid(field, _("Enter this as text."), f"{field}_invalid")
    if field in ("phone", "postcode"):
        raw = unicodedata.normalize("NFKC", raw)
    value = WHITESPACE.sub(" ", raw).strip(" ")
    if not value:
        raise _invalid(field, _required_message(field), f"{field}_required")
    if any(unicodedata.category(character) in CONTROL_CATEGORIES for character in value):
        raise _invalid(
            field, _("Remove the invisible control characters from this text."), f"{field}_control_character"
        )
    if field == "phone":
        value = PHONE_SEPARATORS.sub("", value)
        if not (MAINLAND_MOBILE.fullmatch(value) or INTERNATIONAL_PHONE.fullmatch(value)):
            raise _invalid(
                field,
                _(
                    "Enter a mainland China mobile number (11 digits), or + and the country code for "
                    "a number elsewhere."
                ),
                "phone_invalid",
            )
    if field == "postcode":
        if not (POSTCODE.fullmatch(value) and POSTCODE_MIN <= len(value) <= MAX_LENGTHS["postcode"]):
            raise _invalid(
                field,
                _(
                    "Enter the postcode: 3 to 10 letters and digits, with at most one space or dash "
                    "(in mainland China, 6 digits)."
                ),
                "postcode_invalid",
            )
        value = value.upper()
    if len(value) > MAX_LENGTHS[field]:
        raise _invalid(
            field,
            _("Use at most %(max)s characters (this has %(length)s).")
            % {"max": MAX_LENGTHS[field], "length": len(value)},
            f"{field}_too_long",
        )
    return value


def _check(data: Mapping[str, object]) -> tuple[dict[str, str], dict[str, AddressError]]:
    """Every field, cleaned or with its error, in FIELDS order."""
    values: dict[str, str] = {}
    errors: dict[str, AddressError] = {}
    for field in FIELDS:
        try:
            values[field] = _clean_field(field, data.get(field))
        except AddressError as error:
            errors[field] = error
    return values, errors


def address_errors(data: Mapping[str, object]) -> dict[str, str]:
    """Each field's error message, field → message, in FIELDS order; empty when the address is good."""
    return {field: error.message for field, error in _check(data)[1].items()}


def clean_postal_address(data: Mapping[str, object]) -> PostalAddress:
    """The address in `data` (keys as in FIELDS; others are ignored) as it will be stored. Raises
    AddressError for the first field at fault, with its `code` and `field`. Cleaning a cleaned
    address changes nothing."""
    values, errors = _check(data)
    if errors:
        raise next(iter(errors.values()))
    return PostalAddress(**values)


# --- The address book -------------------------------------------------------------------------------


def _book(user: User) -> list[Address]:
    """Lock the user's address book and read it, default first. The user's row is locked first: that
    lock also covers a book with no address yet, so two first addresses saved at once take turns
    instead of both becoming the default."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
    return list(Address.objects.select_for_update().filter(user_id=user.pk))


def _find(book: list[Address], address_id: int) -> Address:
    for address in book:
        if address.pk == address_id:
            return address
    raise Address.DoesNotExist("No such address in this user's address book.")


def _clear_default(book: list[Address]) -> None:
    """Caller holds the book's lock. Done before another address is made the default: the constraint
    allows one default per user at every moment."""
    for address in book:
        if address.is_default:
            address.is_default = False
            address.save(update_fields=["is_default", "updated_at"])


@transaction.atomic
def address_create(*, user: User, data: Mapping[str, object], make_default: bool = False) -> Address:
    """Add an address to the user's book. It becomes the default when asked, and always when it is the
    user's first. Raises AddressError (a field at fault, or `too_many_addresses`) and saves nothing."""
    postal = clean_postal_address(data)
    book = _book(user)
    if len(book) >= MAX_ADDRESSES:
        raise AddressError(
            _("Your address book is full: it holds %(max)s addresses. Delete one you no longer use first.")
            % {"max": MAX_ADDRESSES},
            code="too_many_addresses",
        )
    is_default = make_default or not book
    if is_default:
        _clear_default(book)
    return Address.objects.create(user=user, is_default=is_default, **postal.as_dict())


@transaction.atomic
def address_update(*, user: User, address_id: int, data: Mapping[str, object]) -> Address:
    """Change one of the user's addresses. A field missing from `data` keeps its value; whether the
    address is the default does not change. Raises Address.DoesNotExist (for another user's address
    too) or AddressError, and saves nothing."""
    address = _find(_book(user), address_id)
    changes = {field: data[field] for field in FIELDS if field in data}
    postal = clean_postal_address({**address.postal.as_dict(), **changes})
    for field, value in postal.as_dict().items():
        setattr(address, field, value)
    address.save(update_fields=[*FIELDS, "updated_at"])
    return address


@transaction.atomic
def address_delete(*, user: User, address_id: int) -> Address | None:
    """Delete one of the user's addresses. When it was the default, the newest address left becomes
    the default. Returns the default afterwards (None once the book is empty). Raises
    Address.DoesNotExist (for another user's address too)."""
    book = _book(user)
    address = _find(book, address_id)
    left = [other for other in book if other.pk != address.pk]
    address.delete()
    if not left:
        return None
    if address.is_default:
        newest = max(left, key=lambda other: (other.created_at, other.pk))
        newest.is_default = True
        newest.save(update_fields=["is_default", "updated_at"])
        return newest
    return next((other for other in left if other.is_default), None)


@transaction.atomic
def address_make_default(*, user: User, address_id: int) -> Address:
    """Make one of the user's addresses their default, in place of the one before. Raises
    Address.DoesNotExist (for another user's address too)."""
    book = _book(user)
    address = _find(book, address_id)
    if not address.is_default:
        _clear_default(book)
        address.is_default = True
        address.save(update_fields=["is_default", "updated_at"])
    return address
