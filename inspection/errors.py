from marketplace.errors import DomainError


class InspectionError(DomainError):
    """An inspection step that cannot be done as asked; `code` says why, `field` names the input."""

    code = "inspection_invalid"


class AlreadyClaimed(InspectionError):
    code = "already_claimed"
    status_code = 409
