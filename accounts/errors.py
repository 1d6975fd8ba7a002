from marketplace.errors import DomainError


class AddressError(DomainError):
    """An address that cannot be saved as typed, or an address book that is full; `code` says why and
    `field` names the input to fix (pages show the message under it; the API returns it under that key)."""

    code = "address_invalid"


class EmailNotConfirmed(DomainError):
    """The account has not confirmed its e-mail address yet, and the action (buying, selling) needs it."""

    code = "email_unconfirmed"
    status_code = 403
