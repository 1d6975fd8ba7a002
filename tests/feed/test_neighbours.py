"""The neighbour job: from the signals of the last 90 days, each item keeps the items the same
shoppers took an interest in; the nightly run replaces everything, the hourly top-up only the items
with a new signal; a signal too old, an item since deleted, or a second run change nothing wrong."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feed.models import InterestSignal, ItemNeighbour, SignalKind
from feed.services import neighbours_rebuild
from feed.tasks import rebuild_item_neighbours, top_up_item_neighbours
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _look(shopper, listing, *, kind=SignalKind.VIEW, ago=timedelta(hours=2), session_key=""):
    InterestSignal.objects.create(
        user=shopper, session_key=session_key, listing=listing, kind=kind, at=timezone.now() - ago
    )


def _neighbours_of(listing) -> list[int]:
    return list(
        ItemNeighbour.objects.filter(listing=listing)
        .order_by("-score")
        .values_list("neighbour_id", flat=True)
    )


def test_items_the_same_shoppers_looked_at_become_neighbours():
    leica, rollei, kettle, lens = (ListingFactory() for _ in range(4))
    for _ in range(4):
        shopper = UserFactory()
        _look(shopper, leica)
        _look(shopper, rollei, kind=SignalKind.FAVOURITE)
    stray = UserFactory()
    _look(stray, leica)
    _look(stray, kettle)
    _look(None, lens, session_key="visitor")  # a visitor's session counts as a shopper
    _look(None, leica, session_key="visitor")
    _look(UserFactory(), kettle, ago=timedelta(days=120))  # too old: not learned from

    written = rebuild_item_neighbours()

    assert _neighbours_of(leica)[0] == rollei.pk
    assert set(_neighbours_of(leica)) == {rollei.pk, kettle.pk, lens.pk}
    assert _neighbours_of(rollei) == [leica.pk]
    assert written == ItemNeighbour.objects.count()
    assert rebuild_item_neighbours() == written  # a second run replaces, never doubles
    assert ItemNeighbour.objects.count() == written


def test_the_top_up_rewrites_only_items_with_a_new_signal():
    first, second, third = (ListingFactory() for _ in range(3))
    for _ in range(3):
        shopper = UserFactory()
        _look(shopper, first, ago=timedelta(days=2))
        _look(shopper, second, ago=timedelta(days=2))
    neighbours_rebuild()
    assert _neighbours_of(third) == []

    # within the hour, two shoppers of `first` and `second` look at `third`, new in the shop
    for _ in range(3):
        _look(UserFactory(), third, ago=timedelta(minutes=5))
    for shopper_signal in InterestSignal.objects.filter(listing=first)[:2]:
        _look(shopper_signal.user, third, ago=timedelta(minutes=5))
    before_second = list(ItemNeighbour.objects.filter(listing=second).values_list("neighbour_id", "score"))

    top_up_item_neighbours()

    assert set(_neighbours_of(third)) == {first.pk, second.pk}
    # `second` had no new signal: its rows are the nightly run's
    assert (
        list(ItemNeighbour.objects.filter(listing=second).values_list("neighbour_id", "score"))
        == before_second
    )


def test_no_signals_leave_no_neighbours():
    first, second = ListingFactory(), ListingFactory()
    ItemNeighbour.objects.create(listing=first, neighbour=second, score=0.5)
    assert neighbours_rebuild() == 0
    assert not ItemNeighbour.objects.exists()
