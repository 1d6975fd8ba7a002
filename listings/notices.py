"""What saved items tell the people who saved them (notifications): a price drop, and an item back on
sale (a buyer did not pay, or a returned item was put on sale again). Each watcher hears of a listing's
drops at most once a day, however many land that day, and of its return to sale once a day."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Favourite, Listing
from notifications.kinds import Group, Kind, register
from notifications.services import Notice, notify_many

# Parameters: `title` the listing's title as its seller typed it, `price` and `old_price` strings of
# Decimals.
register(
    Kind(
        "watch.price_drop",
        Group.WATCHING,
        _("A saved item is cheaper"),
        _("%(title)s is now %(price)s"),
        _("An item you saved dropped from %(old_price)s to %(price)s."),
        money=("price", "old_price"),
    ),
    Kind(
        "watch.back_on_sale",
        Group.WATCHING,
        _("A saved item is on sale again"),
        _("%(title)s is on sale again"),
        _("An item you saved is on sale again, at %(price)s."),
        money=("price",),
    ),
)


def _watchers(listing: Listing) -> list[int]:
    return list(
        Favourite.objects.filter(listing_id=listing.pk)
        .exclude(user_id=listing.seller_id)
        .values_list("user_id", flat=True)
    )


def watchers_notify_price_drop(*, listing: Listing, old_price: Decimal) -> None:
    """Tell everyone who saved `listing` (on sale, now cheaper than `old_price`); once a day each."""
    day = timezone.localdate().isoformat()
    link = reverse("listings:detail", args=[listing.pk])
    params = {"title": listing.title, "price": listing.price, "old_price": old_price}
    notify_many(
        [
            Notice(user_id, "watch.price_drop", params, link, f"watch:{listing.pk}:drop:{day}")
            for user_id in _watchers(listing)
        ]
    )


def watchers_notify_back_on_sale(*, listing: Listing) -> None:
    """Tell everyone who saved `listing` that it is on sale again; once a day each."""
    day = timezone.localdate().isoformat()
    link = reverse("listings:detail", args=[listing.pk])
    params = {"title": listing.title, "price": listing.price}
    notify_many(
        [
            Notice(user_id, "watch.back_on_sale", params, link, f"watch:{listing.pk}:back:{day}")
            for user_id in _watchers(listing)
        ]
    )
