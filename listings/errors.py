from marketplace.errors import DomainError


class ListingError(DomainError):
    code = "listing_invalid"


class PhotoRejected(DomainError):
    """An upload that is not a photo we accept; `code` says which check it failed."""

    code = "photo_rejected"
    # Set only by a check of several photos at once (recycling's intake): the view at fault.
    view: str
