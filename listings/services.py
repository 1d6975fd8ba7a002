"""Writes for listings. One function per use case; views and the API call these and nothing else."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from listings.models import Favourite, Listing, ListingEvent, ListingStatus
from marketplace.errors import InvalidTransition

# Listing: draft → active ⇄ reserved → sold; active → withdrawn (a draft may be discarded too).
ALLOWED = {
    ListingStatus.DRAFT: {ListingStatus.ACTIVE, ListingStatus.WITHDRAWN},
    ListingStatus.ACTIVE: {ListingStatus.RESERVED, ListingStatus.WITHDRAWN},
    ListingStatus.RESERVED: {ListingStatus.ACTIVE, ListingStatus.SOLD},
    ListingStatus.SOLD: set(),
    ListingStatus.WITHDRAWN: set(),
}


@transaction.atomic
def listing_move(*, listing_id: int, to: ListingStatus, by: User | None, note: str = "") -> Listing:
    """Lock, check, record, save. Raises InvalidTransition and changes nothing if `to` is not allowed."""
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    if to not in ALLOWED[ListingStatus(listing.status)]:
        raise InvalidTransition(listing.status, to)
    ListingEvent.objects.create(listing=listing, old=listing.status, new=to, by=by, note=note)
    listing.status = to
    fields = ["status", "updated_at"]
    if to == ListingStatus.ACTIVE and listing.published_at is None:
        listing.published_at = timezone.now()
        fields.append("published_at")
    listing.save(update_fields=fields)
    return listing


def favourite_add(*, user: User, listing_id: int) -> Favourite:
    """Save a listing to the user's favourites; saving it twice keeps one row."""
    listing = Listing.objects.get(
        pk=listing_id, status__in=[ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD]
    )
    try:
        with transaction.atomic():
            favourite, _created = Favourite.objects.get_or_create(user=user, listing=listing)
    except IntegrityError:  # the same user saved it in another tab at the same moment
        favourite = Favourite.objects.get(user=user, listing=listing)
    return favourite


def favourite_remove(*, user: User, listing_id: int) -> None:
    """Forget a saved listing; removing one that is not saved is not an error."""
    Favourite.objects.filter(user=user, listing_id=listing_id).delete()
