"""The final offer: its pricing (hand-checked numbers), and the offer made exactly once when an item
passes inspection."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from listings.models import Grade
from recycling.offers import (
    Defect,
    OfferInputs,
    PreviousEstimate,
    Unpriceable,
    drop_prices,
    floor_for,
    price_offer,
    reason_text,
)
from recycling.valuation import Comparable, PriceInputs

# A phone launched in 2024 at 5,999, priced on 15 July 2026: 24 months old, so 2.0 years on the phone
# curve (30% the first year, 18% a year after): retention 0.70 x 0.82 = 0.574.
PHONE = {
    "today": date(2026, 7, 15),
    "category_slugs": ("phones",),
    "launch_price": Decimal("5999"),
    "launch_year": 2024,
}


def offer_for(grade, declared=Grade.EXCELLENT, **extra):
    return price_offer(
        OfferInputs(prices=PriceInputs(declared_grade=grade, **PHONE), declared_grade=declared, **extra)
    )


def test_a_grade_a_phone_is_priced_from_the_curve_with_every_term_worked_out():
    terms = offer_for(Grade.EXCELLENT)
    # 5999 x 0.574 x 1.00 = 3443.43 expected, listed at a whole 3443.
    assert terms.expected_sale_price == Decimal("3443.43")
    assert terms.list_price == Decimal("3443.00")
    # 3443 x 0.65 = 2237.95 → 2238.
    assert terms.cash_amount == Decimal("2238.00")
    # 3443 is in the 2,000-10,000 tier: 20%, 688.60.
    assert terms.commission_rate == Decimal("0.20")
    assert terms.commission == Decimal("688.60")
    # 3443 x 0.60 = 2065.80, rounded up to 2066.
    assert terms.floor_min == terms.floor_default == Decimal("2066.00")
    assert terms.expected_payout == Decimal("2754.40")
    # 2066 - 20% (413.20) = 1652.80.
    assert terms.expected_payout_at_floor == Decimal("1652.80")
    assert terms.drop_schedule == [[30, "0.10"], [60, "0.10"]]
    assert terms.term_days == 90
    assert terms.grade == Grade.EXCELLENT


def test_a_lower_inspected_grade_lowers_every_figure():
    terms = offer_for(Grade.VERY_GOOD)
    # 5999 x 0.574 x 0.90 = 3099.08 → list 3099; cash 3099 x 0.65 = 2014.35 → 2014.
    assert (terms.list_price, terms.cash_amount) == (Decimal("3099.00"), Decimal("2014.00"))
    assert terms.commission == Decimal("619.80")
    assert terms.floor_min == Decimal("1860.00")  # 1859.40 rounded up
    assert terms.expected_payout == Decimal("2479.20")


def test_a_cheap_item_pays_the_highest_commission():
    terms = price_offer(
        OfferInputs(
            prices=PriceInputs(
                declared_grade=Grade.EXCELLENT,
                today=date(2026, 7, 15),
                category_slugs=("books",),
                launch_price=Decimal("300"),
                launch_year=2026,
            ),
            declared_grade=Grade.EXCELLENT,
        )
    )
    # Books keep 35% in their first year; 0 months old → 300 x 1.0 = 300 (capped at the launch price).
    assert terms.list_price == Decimal("300.00")
    assert terms.commission_rate == Decimal("0.30")
    assert terms.commission == Decimal("90.00")
    assert terms.cash_amount == Decimal("195.00")
    assert terms.floor_min == Decimal("180.00")


def test_the_drops_take_a_share_of_the_list_price_each_and_never_go_below_the_floor():
    rows = drop_prices(
        list_price=Decimal("1000"),
        schedule=[[30, "0.10"], [60, "0.10"]],
        floor=floor_for(Decimal("1000"), Decimal("0.85")),
        start=date(2026, 1, 1),
    )
    assert [(row["day"], row["on"], row["price"]) for row in rows] == [
        (30, date(2026, 1, 31), Decimal("900.00")),
        (60, date(2026, 3, 2), Decimal("850.00")),  # 800 would be below the 850 floor
    ]


def test_no_catalog_model_cannot_be_priced():
    with pytest.raises(Unpriceable):
        price_offer(
            OfferInputs(
                prices=PriceInputs(declared_grade=Grade.GOOD, today=date(2026, 7, 15)),
                declared_grade=Grade.GOOD,
            )
        )


def test_the_reasons_say_why_the_offer_differs_from_the_estimate_in_english_and_chinese():
    comparables = tuple(
        Comparable(price=Decimal("3000"), grade=Grade.EXCELLENT, sold_on=date(2026, 7, day), listing_id=day)
        for day in (1, 2, 3, 4)
    )
    terms = price_offer(
        OfferInputs(
            prices=PriceInputs(declared_grade=Grade.GOOD, comparables=comparables, **PHONE),
            declared_grade=Grade.EXCELLENT,
            previous=PreviousEstimate(
                cash_low=Decimal("2000"), cash_high=Decimal("2400"), comparable_listing_ids=frozenset({1, 2})
            ),
            defects=(Defect("Screen scratch", "屏幕划痕"),),
            authenticated=True,
        )
    )
    texts = [reason_text(reason) for reason in terms.reasons]
    assert texts[0] == (
        "You declared A (Excellent); our inspection graded it C (Good), which lowers the price."
    )
    assert "The inspector found a defect: Screen scratch." in texts
    assert "Two authenticators confirmed that it is genuine." in texts
    assert "2 more sales of this model since your estimate are taken into account." in texts
    assert any(text.startswith("The cash offer of") and "below your estimate" in text for text in texts)
    assert not any(text.startswith("Declared condition") for text in texts)
    with translation.override("zh-hans"):
        chinese = [reason_text(reason) for reason in terms.reasons]
    assert any("屏幕划痕" in text for text in chinese)
    assert all(text for text in chinese)


def test_the_confirmed_grade_says_so():
    terms = offer_for(Grade.EXCELLENT, declared=Grade.EXCELLENT)
    assert (
        reason_text(terms.reasons[0]) == "Our inspection confirmed the condition you declared: A (Excellent)."
    )
    assert (
        reason_text(terms.reasons[1])
        == "No estimate could be made before inspection: this offer is the first price."
    )
