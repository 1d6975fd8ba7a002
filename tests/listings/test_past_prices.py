"""A listing's past prices on sale, recorded by a trigger whatever changes the price, and the
lowest price it asked over a period (a flash sale's cap)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from listings.models import Listing, ListingStatus, PastPrice
from listings.selectors import lowest_price_since
from listings.services import listing_reprice
from tests.factories import ListingFactory


def _month_ago():
    return timezone.now() - timedelta(days=30)


def test_every_change_of_price_on_sale_is_kept_and_the_lowest_is_found(db):
    listing = ListingFactory(price=Decimal("1000.00"))

    listing_reprice(listing_id=listing.pk, price=Decimal("800.00"))
    # a change that goes round the services (an import, the admin) is kept too
    Listing.objects.filter(pk=listing.pk).update(price=Decimal("900.00"))
    listing.refresh_from_db()

    assert sorted(PastPrice.objects.filter(listing=listing).values_list("price", flat=True)) == [
        Decimal("800.00"),
        Decimal("1000.00"),
    ]
    assert all(abs(row.until - timezone.now()) < timedelta(minutes=1) for row in PastPrice.objects.all())
    assert lowest_price_since(listing=listing, since=_month_ago()) == Decimal("800.00")


def test_a_price_asked_before_the_period_does_not_count(db):
    listing = ListingFactory(price=Decimal("500.00"))
    listing_reprice(listing_id=listing.pk, price=Decimal("700.00"))
    PastPrice.objects.filter(listing=listing).update(until=timezone.now() - timedelta(days=31))
    listing.refresh_from_db()

    assert lowest_price_since(listing=listing, since=_month_ago()) == Decimal("700.00")


def test_a_price_never_shown_to_shoppers_is_not_kept(db):
    draft = ListingFactory(status=ListingStatus.DRAFT, price=Decimal("300.00"))
    Listing.objects.filter(pk=draft.pk).update(price=Decimal("200.00"))
    on_sale = ListingFactory(price=Decimal("300.00"))
    Listing.objects.filter(pk=on_sale.pk).update(title="Renamed", price=Decimal("300.00"))

    assert not PastPrice.objects.exists()
    assert lowest_price_since(listing=on_sale, since=_month_ago()) == Decimal("300.00")
