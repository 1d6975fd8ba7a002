"""The base of every app's domain errors.

A domain error is bad input or a forbidden move that the user can understand and fix. It carries a
stable `code` for API clients, a translated message for people and, when one input is at fault, the
`field` that holds it (the service's argument name). The API turns it into
`400 {"code", "detail", "field", <field>: [detail]}` (see marketplace.api); pages show it as a form
error.
"""


class DomainError(Exception):
    code = "invalid"
    status_code = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)


class InvalidTransition(DomainError):
    """A state machine was asked for a move its table does not allow."""

    code = "invalid_transition"
    status_code = 409

    def __init__(self, current: str, requested: str) -> None:
        super().__init__(f"Cannot move from {current!r} to {requested!r}.")
        self.current = current
        self.requested = requested
