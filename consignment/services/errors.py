from marketplace.errors import DomainError


class ConsignmentError(DomainError):
    """A consignment that cannot be agreed or changed as asked; `code` says why, and `field` names the
    input to fix when there is one (pages show the message next to it)."""

    code = "consignment_invalid"
