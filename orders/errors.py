from marketplace.errors import DomainError


class OrderError(DomainError):
    """An order action that cannot be done as asked; `code` says why and `field` names the input."""

    code = "order_invalid"


class ItemUnavailable(OrderError):
    """Somebody else reserved or bought the item first: 409 for everyone but the winner."""

    code = "item_unavailable"
    status_code = 409


class ReservationLimit(OrderError):
    """The buyer holds as many unpaid reservations as one account may (`too_many_reservations`), or
    let several lapse lately and waits out a cooldown (`reservation_cooldown`)."""

    code = "too_many_reservations"
    status_code = 429


class PaymentProviderUnavailable(Exception):
    """The payment provider did not answer: transient, worth a retry."""


class WebhookRejected(OrderError):
    """A payment webhook whose signature or timestamp cannot be trusted."""

    code = "webhook_rejected"
    status_code = 403


class NotAllowed(OrderError):
    """The person is a party to the order but this action is not theirs (a buyer marking it shipped)."""

    code = "not_allowed"
    status_code = 403
