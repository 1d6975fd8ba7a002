"""Scheduled price drops: each step of the schedule (default -10% of the list price at day 30 and at
day 60) applies once, rounds down to a whole yuan, never goes below the seller's floor, never raises
the price, and waits while a buyer is paying."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consignment.models import Consignment, ConsignmentStatus, PriceDrop
from consignment.pricing import planned_drops, step_price
from consignment.services.pricing import price_drops_apply
from consignment.tasks import apply_price_drops
from listings.models import Listing, ListingStatus
from tests.consignment.test_agreement import SCHEDULE, accepted

pytestmark = pytest.mark.django_db


def _price(consignment: Consignment) -> Decimal:
    return Listing.objects.get(pk=consignment.listing_id).price


def _on_day(consignment: Consignment, day: float):
    return consignment.listed_at + timedelta(days=day)


def _drops(consignment: Consignment) -> list[tuple]:
    return list(consignment.price_drops.order_by("step").values_list("step", "old_price", "new_price"))


# --- The schedule's arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_price", "floor", "step", "price"),
    [
        ("1000.00", "600.00", 0, "1000.00"),
        ("1000.00", "600.00", 1, "900.00"),
        ("1000.00", "600.00", 2, "800.00"),
        ("999.00", "600.00", 1, "899.00"),  # 899.10 rounds down to a whole yuan
        ("999.99", "600.00", 2, "799.00"),  # 799.992 rounds down
        ("1000.00", "850.00", 2, "850.00"),  # never below the floor
        ("1000.00", "850.50", 2, "850.50"),  # a floor with cents is kept to the cent
        ("1000.00", "1000.00", 1, "1000.00"),
    ],
)
def test_a_steps_price(list_price, floor, step, price):
    assert step_price(
        list_price=Decimal(list_price), floor=Decimal(floor), schedule=SCHEDULE, number=step
    ) == Decimal(price)


def test_the_plan_shows_each_steps_date_and_price():
    listed_at = accepted().listed_at

    plan = planned_drops(
        list_price=Decimal("1000.00"), floor=Decimal("850.00"), schedule=SCHEDULE, listed_at=listed_at
    )

    assert [(drop.step.day, drop.at - listed_at, drop.price) for drop in plan] == [
        (30, timedelta(days=30), Decimal("900.00")),
        (60, timedelta(days=60), Decimal("850.00")),
    ]


# --- The job ------------------------------------------------------------------------------------------


def test_nothing_drops_before_day_30():
    consignment = accepted(list_price="1000.00")

    assert price_drops_apply(now=_on_day(consignment, 29.9)) == 0

    assert _price(consignment) == Decimal("1000.00")
    assert not PriceDrop.objects.exists()


def test_ten_percent_of_the_list_price_comes_off_at_day_30_and_day_60():
    consignment = accepted(list_price="1000.00")

    assert price_drops_apply(now=_on_day(consignment, 30)) == 1
    assert _price(consignment) == Decimal("900.00")
    assert price_drops_apply(now=_on_day(consignment, 60)) == 1

    assert _price(consignment) == Decimal("800.00")
    assert _drops(consignment) == [
        (1, Decimal("1000.00"), Decimal("900.00")),
        (2, Decimal("900.00"), Decimal("800.00")),
    ]


def test_running_twice_drops_once():
    consignment = accepted(list_price="1000.00")
    day_45 = _on_day(consignment, 45)

    price_drops_apply(now=day_45)
    assert price_drops_apply(now=day_45) == 0
    apply_price_drops()  # the beat task, at the real time (day 0): nothing due

    assert _price(consignment) == Decimal("900.00")
    assert PriceDrop.objects.count() == 1


def test_a_job_that_missed_both_days_catches_up_in_order():
    consignment = accepted(list_price="1000.00")

    assert price_drops_apply(now=_on_day(consignment, 75)) == 2

    assert _price(consignment) == Decimal("800.00")
    assert [step for step, _old, _new in _drops(consignment)] == [1, 2]


def test_the_floor_stops_the_drops_and_a_step_with_nothing_to_drop_is_recorded_unchanged():
    consignment = accepted(list_price="1000.00", floor="950")

    price_drops_apply(now=_on_day(consignment, 30))
    price_drops_apply(now=_on_day(consignment, 60))

    assert _price(consignment) == Decimal("950.00")
    assert _drops(consignment) == [
        (1, Decimal("1000.00"), Decimal("950.00")),
        (2, Decimal("950.00"), Decimal("950.00")),
    ]
    assert price_drops_apply(now=_on_day(consignment, 90)) == 0


def test_a_listing_a_buyer_is_paying_for_waits_and_catches_up_afterwards():
    consignment = accepted(list_price="1000.00")
    Listing.objects.filter(pk=consignment.listing_id).update(status=ListingStatus.RESERVED)

    assert price_drops_apply(now=_on_day(consignment, 31)) == 0
    assert _price(consignment) == Decimal("1000.00")

    Listing.objects.filter(pk=consignment.listing_id).update(status=ListingStatus.ACTIVE)
    assert price_drops_apply(now=_on_day(consignment, 32)) == 1
    assert _price(consignment) == Decimal("900.00")


def test_a_sold_consignment_keeps_its_price():
    consignment = accepted(list_price="1000.00")
    Consignment.objects.filter(pk=consignment.pk).update(status=ConsignmentStatus.SOLD)

    assert price_drops_apply(now=_on_day(consignment, 61)) == 0
    assert _price(consignment) == Decimal("1000.00")


def test_consignments_with_nothing_due_do_not_fill_the_batch():
    # given: one consignment between its steps (step 1 done, day 60 not yet) listed before another
    # that has its first step due
    waiting = accepted(list_price="1000.00")
    price_drops_apply(now=_on_day(waiting, 30))
    due = accepted(list_price="2000.00")
    Consignment.objects.filter(pk=due.pk).update(listed_at=waiting.listed_at + timedelta(seconds=1))

    # when: the job may take one consignment
    assert price_drops_apply(now=_on_day(waiting, 40), limit=1) == 1

    # then: it took the one with something due
    assert _price(due) == Decimal("1800.00")


def test_a_batch_is_bounded():
    consignments = [accepted(list_price="1000.00") for _i in range(3)]
    later = _on_day(consignments[-1], 31)

    assert price_drops_apply(now=later, limit=2) == 2
    assert price_drops_apply(now=later, limit=2) == 1
    assert {_price(consignment) for consignment in consignments} == {Decimal("900.00")}


# --- Property: the floor holds, prices only go down, each step applies once ----------------------------

list_prices = st.decimals(min_value=Decimal("10"), max_value=Decimal("200000"), places=2)
floor_shares = st.decimals(min_value=Decimal("0.60"), max_value=Decimal("1"), places=4)
run_days = st.lists(st.floats(min_value=-5, max_value=200, allow_nan=False), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(list_price=list_prices, floor_share=floor_shares, days=run_days)
def test_any_runs_at_any_times_never_go_below_the_floor_never_up_and_apply_each_step_once(
    list_price, floor_share, days
):
    # Each example in a savepoint of its own, rolled back, so that examples never see each other's rows.
    with transaction.atomic():
        floor = max(Decimal("0.01"), min(list_price, (list_price * floor_share).quantize(Decimal("1.00"))))
        floor = max(floor, (list_price * Decimal("0.60")).quantize(Decimal("0.01")))
        consignment = accepted(list_price=str(list_price), floor=str(floor))
        previous = _price(consignment)
        latest = None
        for day in days:
            now = _on_day(consignment, day)
            latest = now if latest is None else max(latest, now)
            price_drops_apply(now=now)
            price = _price(consignment)
            assert consignment.floor_price <= price <= previous
            previous = price
        steps = [step for step, _old, _new in _drops(consignment)]
        assert len(steps) == len(set(steps))
        due = sum(1 for day, _share in SCHEDULE if consignment.listed_at + timedelta(days=day) <= latest)
        assert steps == list(range(1, due + 1))
        transaction.set_rollback(True)


# --- Two jobs at once (PostgreSQL) --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_jobs_at_once_drop_each_price_once():
    consignments = [accepted(list_price="1000.00") for _i in range(6)]
    now = _on_day(consignments[-1], 61)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            price_drops_apply(now=now)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert PriceDrop.objects.count() == 12
    assert {_price(consignment) for consignment in consignments} == {Decimal("800.00")}
