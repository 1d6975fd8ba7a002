from marketplace.errors import DomainError
from shipping.errors import ShippingError

__all__ = ["ShippingError", "SubmissionError"]


class SubmissionError(DomainError):
    """A submission that cannot be made or changed as asked; `code` says why, and `field` names the
    input to fix when there is one (pages show it there; the API returns it under that key)."""

    code = "submission_invalid"
