"""Many shoppers grab a flash sale at the same moment, each in a thread with its own PostgreSQL
connection: one reservation, every other grab a clear "gone", no error, the item reserved once."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from listings.models import Listing, ListingStatus
from live.models import FlashSale, FlashSaleStatus
from live.services.flash import FlashGone, flash_grab, flash_sale_start
from live.services.room import show_pin
from live.services.shows import show_schedule, show_start
from orders.models import Order
from tests.factories import ListingFactory, UserFactory
from tests.live.helpers import a_host

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GRABS = 20
TIMEOUT = 60


def test_simultaneous_grabs_make_one_reservation():
    host = a_host(username="host")
    listing = ListingFactory(seller=host, price=Decimal("1000.00"))
    show = show_schedule(
        host=host, title="Grab", starts_at=timezone.now() + timedelta(minutes=1), listing_ids=[listing.pk]
    )
    show_start(show_id=show.pk, by=host)
    show_pin(show_id=show.pk, by=host, listing_id=listing.pk)
    sale = flash_sale_start(show_id=show.pk, by=host, seconds=60, price="499.00")
    buyers = [UserFactory() for _ in range(GRABS)]
    start = threading.Barrier(GRABS)
    outcomes: list = [None] * GRABS

    def grab(index: int) -> None:
        try:
            start.wait(TIMEOUT)
            order = flash_grab(flash_sale_id=sale.pk, buyer=buyers[index])
            outcomes[index] = ("won", order.pk)
        except FlashGone as gone:
            outcomes[index] = ("gone", gone.code)
        except Exception as error:  # anything else is what a 500 would be
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=grab, args=(index,)) for index in range(GRABS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    won = [outcome for outcome in outcomes if outcome[0] == "won"]
    assert len(won) == 1, outcomes
    assert sorted(outcomes, key=str).count(("gone", "gone")) == GRABS - 1, outcomes
    order = Order.objects.get(listing=listing)
    assert (order.pk, order.price) == (won[0][1], Decimal("499.00"))
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.RESERVED
    sale.refresh_from_db()
    assert (sale.status, sale.order_id) == (FlashSaleStatus.TAKEN, order.pk)
    assert FlashSale.objects.count() == 1
