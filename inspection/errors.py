from marketplace.errors import DomainError


class InspectionError(DomainError):
    """An inspection step that cannot be done as asked; `code` says why, `field` names the input."""

    code = "inspection_invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class AlreadyClaimed(InspectionError):
    code = "already_claimed"
    status_code = 409
