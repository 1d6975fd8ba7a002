from marketplace.errors import DomainError


class SubmissionError(DomainError):
    """A submission that cannot be made or changed as asked; `code` says why."""

    code = "submission_invalid"


class ShippingError(DomainError):
    code = "shipping_invalid"


class CarrierUnavailable(Exception):
    """The carrier did not answer: a transient failure, worth a retry."""


class WebhookRejected(DomainError):
    """A carrier webhook whose signature or body cannot be trusted."""

    code = "webhook_rejected"
    status_code = 403
