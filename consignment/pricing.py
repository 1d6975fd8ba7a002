"""The consignment's money rules: the price-drop schedule, the floor, commission and payout.

A schedule is a list of steps `[[day, share], ...]` (settings.CONSIGNMENT_PRICE_DROPS, copied onto
the offer and the consignment when it is agreed): on `day` after listing, `share` of the *list price*
comes off. Step n's price is the list price less the shares of steps 1..n, rounded down to a whole
yuan, and never below the seller's floor. Steps are numbered from 1.

Invariants the job relies on (tests/consignment/test_price_drops.py checks them for any input):
a step's price is never below the floor, and never above the previous step's price.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, cast

from marketplace.money import CENT, quantize

if TYPE_CHECKING:
    from recycling.models import Offer


@dataclass(frozen=True)
class Step:
    number: int  # 1, 2, ...
    day: int  # days after listing
    share: Decimal  # of the list price, taken off at this step


@dataclass(frozen=True)
class PlannedDrop:
    step: Step
    at: datetime
    price: Decimal


@dataclass(frozen=True)
class ConsignTerms:
    """The consignment side of an offer: its list price, commission rate and floors."""

    list_price: Decimal
    commission_rate: Decimal
    floor_min: Decimal
    floor_default: Decimal


def consign_terms(offer: "Offer") -> ConsignTerms:
    """The consignment terms of a final offer. The offer's columns allow none (a buy-out offer has
    none), but recycling.offers.price_offer sets all four on every final offer."""
    return ConsignTerms(
        list_price=cast(Decimal, offer.list_price),
        commission_rate=cast(Decimal, offer.commission_rate),
        floor_min=cast(Decimal, offer.floor_min),
        floor_default=cast(Decimal, offer.floor_default),
    )


def steps(schedule: list | tuple) -> list[Step]:
    """The schedule as steps, in day order. Shares are read through str() so that JSON floats, strings
    and Decimals all give the same Decimal."""
    ordered = sorted(((int(day), Decimal(str(share))) for day, share in schedule), key=lambda pair: pair[0])
    return [Step(number=index, day=day, share=share) for index, (day, share) in enumerate(ordered, start=1)]


def schedule_json(schedule: list | tuple) -> list[list]:
    """A schedule as stored in a JSONField: [[30, "0.10"], ...]."""
    return [[step.day, str(step.share)] for step in steps(schedule)]


def whole_yuan_down(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_FLOOR).quantize(CENT)


def step_price(*, list_price: Decimal, floor: Decimal, schedule: list | tuple, number: int) -> Decimal:
    """The price once steps 1..number have applied: max(floor, list price * (1 - their shares)),
    rounded down to a whole yuan. Step 0 is the list price itself."""
    if number == 0:
        return list_price
    taken = sum((step.share for step in steps(schedule)[:number]), Decimal("0"))
    return max(floor, whole_yuan_down(list_price * max(Decimal("0"), 1 - taken)))


def due_steps(*, schedule: list | tuple, listed_at: datetime, now: datetime) -> list[Step]:
    """The steps whose day has come by `now`."""
    return [step for step in steps(schedule) if listed_at + timedelta(days=step.day) <= now]


def planned_drops(
    *, list_price: Decimal, floor: Decimal, schedule: list | tuple, listed_at: datetime
) -> list[PlannedDrop]:
    """What the schedule will do if the item does not sell: each step's date and price."""
    return [
        PlannedDrop(
            step=step,
            at=listed_at + timedelta(days=step.day),
            price=step_price(list_price=list_price, floor=floor, schedule=schedule, number=step.number),
        )
        for step in steps(schedule)
    ]


def commission_for(*, sale_price: Decimal, rate: Decimal) -> Decimal:
    """The commission on a sale, at the rate fixed when the agreement was made, to the cent."""
    return quantize(sale_price * rate)


def payout_for(*, sale_price: Decimal, rate: Decimal) -> Decimal:
    """What the seller is paid for a sale: the price less the commission."""
    return sale_price - commission_for(sale_price=sale_price, rate=rate)
