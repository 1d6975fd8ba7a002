from marketplace.errors import DomainError


class ShippingError(DomainError):
    """A shipment cannot be made or changed as asked; `code` says why."""

    code = "shipping_invalid"


class UnknownTrackingNumber(ShippingError):
    code = "unknown_tracking_number"
