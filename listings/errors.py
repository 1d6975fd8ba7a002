from marketplace.errors import DomainError


class ListingError(DomainError):
    code = "listing_invalid"


class PhotoRejected(DomainError):
    """An upload that is not a photo we accept; `code` says which check it failed."""

    code = "photo_rejected"
