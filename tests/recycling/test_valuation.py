"""The price model with fixed inputs: every figure checked by hand in the comments."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from listings.models import Grade
from recycling.models import Confidence
from recycling.valuation import (
    CONDITION_FACTORS,
    CURVES,
    DEFAULT_CURVE,
    MODEL_VERSION,
    Comparable,
    PriceInputs,
    ReasonCode,
    age_in_months,
    commission_rate,
    estimate,
    reason_text,
)

TODAY = date(2026, 7, 15)  # a 2023 model is 36 months (3.0 years) old: 2026-07 minus 2023-07
PHONE = {
    "declared_grade": Grade.VERY_GOOD,
    "today": TODAY,
    "category_slugs": ("phones", "electronics"),
    "launch_price": Decimal("5999.00"),
    "launch_year": 2023,
}


def _codes(result) -> list[str]:
    return [reason["code"] for reason in result.reasons]


def test_phone_from_the_curve_alone_gives_the_hand_checked_figures():
    result = estimate(PriceInputs(**PHONE))

    # retention  = (1 - 0.30) * (1 - 0.18) ** (3 - 1) = 0.70 * 0.6724 = 0.47068
    # curve      = 5999 * 0.47068 * 0.90 (grade B)     = 2541.248388 → 2541.25
    # medium confidence: spread 12%
    # cash mid   = 2541.25 * 0.65 = 1651.8125 → 1651.81
    # cash       = 1651.81 * 0.88 = 1453.5928 → 1454 ; 1651.81 * 1.12 = 1850.0272 → 1850
    # commission = 20% (2,000 < 2541.25 <= 10,000)
    # sale range = 2541.25 * 0.88 = 2236.30 ; 2541.25 * 1.12 = 2846.20
    # consign    = 2236.30 * 0.80 = 1789.04 → 1789 ; 2846.20 * 0.80 = 2276.96 → 2277
    assert result.model_version == MODEL_VERSION
    assert result.confidence == Confidence.MEDIUM
    assert result.inputs["retention"] == "0.4707"
    assert result.inputs["curve_estimate"] == "2541.25"
    assert result.expected_sale_price == Decimal("2541.25")
    assert result.inputs["cash_middle"] == "1651.81"
    assert (result.cash_low, result.cash_high) == (Decimal("1454.00"), Decimal("1850.00"))
    assert result.inputs["commission_rate"] == "0.20"
    assert (result.inputs["sale_low"], result.inputs["sale_high"]) == ("2236.30", "2846.20")
    assert (result.consign_low, result.consign_high) == (Decimal("1789.00"), Decimal("2277.00"))
    assert _codes(result) == [
        ReasonCode.NO_COMPARABLES,
        ReasonCode.CURVE,
        ReasonCode.CONDITION,
        ReasonCode.RECYCLE,
        ReasonCode.COMMISSION,
    ]


def test_three_or_more_comparables_are_normalised_by_grade_and_blended():
    comparables = (
        Comparable(Decimal("2400"), Grade.VERY_GOOD, date(2026, 4, 16)),  # as is: 2400
        Comparable(Decimal("2600"), Grade.VERY_GOOD, date(2026, 6, 1)),  # 2600
        Comparable(Decimal("2000"), Grade.GOOD, date(2026, 6, 2)),  # 2000 * 0.90 / 0.75 = 2400
        Comparable(Decimal("2750"), Grade.EXCELLENT, date(2026, 6, 3)),  # 2750 * 0.90 / 1.00 = 2475
        Comparable(Decimal("3300"), Grade.NEW, date(2026, 7, 1)),  # 3300 * 0.90 / 1.10 = 2700
    )

    result = estimate(PriceInputs(**PHONE, comparables=comparables))

    # median of 2400, 2400, 2475, 2600, 2700 = 2475 ; weight = 5 / (5 + 3) = 0.625
    # P          = 0.625 * 2475 + 0.375 * 2541.25 = 1546.875 + 952.96875 = 2499.84375 → 2499.84
    # high confidence: spread 6%
    # cash mid   = 2499.84 * 0.65 = 1624.896 → 1624.90
    # cash       = 1624.90 * 0.94 = 1527.406 → 1527 ; 1624.90 * 1.06 = 1722.394 → 1722
    # sale range = 2499.84 * 0.94 = 2349.8496 → 2349.85 ; 2499.84 * 1.06 = 2649.8304 → 2649.83
    # consign    = 2349.85 * 0.80 = 1879.88 → 1880 ; 2649.83 * 0.80 = 2119.864 → 2120
    assert [c["normalised"] for c in result.inputs["comparables"]] == [
        "2400.00",
        "2600.00",
        "2400.00",
        "2475.00",
        "2700.00",
    ]
    assert result.inputs["comparables_median"] == "2475.00"
    assert result.inputs["comparables_weight"] == "0.6250"
    assert result.expected_sale_price == Decimal("2499.84")
    assert result.confidence == Confidence.HIGH
    assert (result.cash_low, result.cash_high) == (Decimal("1527.00"), Decimal("1722.00"))
    assert (result.consign_low, result.consign_high) == (Decimal("1880.00"), Decimal("2120.00"))
    # The oldest sale was 90 days before today.
    assert result.reasons[0] == {"code": ReasonCode.COMPARABLES, "params": {"count": 5, "days": 90}}
    assert reason_text(result.reasons[0]) == "Based on 5 sales of this model in the last 90 days."


def test_fewer_than_three_comparables_are_ignored():
    comparables = (
        Comparable(Decimal("100"), Grade.VERY_GOOD, date(2026, 7, 1)),
        Comparable(Decimal("100"), Grade.VERY_GOOD, date(2026, 7, 2)),
    )

    result = estimate(PriceInputs(**PHONE, comparables=comparables))

    assert result.expected_sale_price == Decimal("2541.25")  # the curve alone, as without them
    assert result.confidence == Confidence.MEDIUM
    assert result.reasons[0] == {"code": ReasonCode.FEW_COMPARABLES, "params": {"count": 2}}


def test_the_comparables_weight_is_capped_so_the_curve_keeps_a_quarter():
    comparables = tuple(Comparable(Decimal("3000"), Grade.VERY_GOOD, date(2026, 7, 1)) for _i in range(30))

    result = estimate(PriceInputs(**PHONE, comparables=comparables))

    # 30 / 33 = 0.909 capped at 0.75: P = 0.75 * 3000 + 0.25 * 2541.25 = 2250 + 635.3125 = 2885.3125 → 2885.31
    assert result.inputs["comparables_weight"] == "0.7500"
    assert result.expected_sale_price == Decimal("2885.31")


@pytest.mark.parametrize("key", [*CURVES, "unknown"])
def test_no_curve_ever_goes_below_its_floor_or_rises_with_age(key):
    curve = CURVES.get(key, DEFAULT_CURVE)
    previous = Decimal(1)
    for months in range(0, 12 * 60 + 1):
        retention = curve.retention(Decimal(months) / 12)
        assert curve.floor <= retention <= previous
        previous = retention
    assert curve.retention(Decimal(100)) == curve.floor


def test_a_fifty_year_old_phone_is_priced_at_the_floor():
    result = estimate(PriceInputs(**{**PHONE, "launch_year": 1976}))

    # 5999 * 0.08 * 0.90 = 431.928 → 431.93
    assert result.inputs["retention"] == "0.0800"
    assert result.expected_sale_price == Decimal("431.93")


def test_age_counts_whole_months_from_the_middle_of_the_launch_year():
    assert age_in_months(launch_year=2023, today=date(2024, 1, 15)) == 6
    assert age_in_months(launch_year=2026, today=date(2026, 3, 1)) == 0  # launched "later" this year
    result = estimate(PriceInputs(**{**PHONE, "today": date(2024, 1, 15)}))
    # 6 months: 1 - 0.30 * 0.5 = 0.85 ; 5999 * 0.85 * 0.90 = 4589.235 → 4589.24
    assert result.inputs["retention"] == "0.8500"
    assert result.expected_sale_price == Decimal("4589.24")


def test_a_new_item_of_a_fresh_model_is_not_priced_above_its_launch_price():
    fresh = {**PHONE, "declared_grade": Grade.NEW, "launch_year": 2026, "today": date(2026, 7, 1)}

    result = estimate(PriceInputs(**fresh))

    # 0 months old: 5999 * 1.00 * 1.10 = 6598.90, capped at 5999
    assert result.expected_sale_price == Decimal("5999.00")


def test_a_leaf_without_a_curve_of_its_own_uses_its_top_level_curve_then_the_default():
    own = estimate(PriceInputs(**{**PHONE, "category_slugs": ("watches", "luxury")}))
    parent = estimate(PriceInputs(**{**PHONE, "category_slugs": ("vintage-bags", "luxury")}))
    neither = estimate(PriceInputs(**{**PHONE, "category_slugs": ("kites", "toys")}))

    # watches: 0.90 * 0.98 ** 2 = 0.86436
    assert (own.inputs["curve"], own.inputs["retention"]) == ("watches", "0.8644")
    assert parent.inputs["curve"] == "luxury"
    assert neither.inputs["curve"] == "other"


@pytest.mark.parametrize(
    ("price", "rate"),
    [
        ("0.01", "0.30"),
        ("500.00", "0.30"),
        ("500.01", "0.25"),
        ("2000.00", "0.25"),
        ("2000.01", "0.20"),
        ("10000.00", "0.20"),
        ("10000.01", "0.15"),
        ("250000.00", "0.15"),
    ],
)
def test_commission_tiers_at_their_edges(price, rate):
    assert commission_rate(Decimal(price)) == Decimal(rate)


def test_a_cheap_item_pays_the_highest_commission():
    book = {**PHONE, "category_slugs": ("books", "books-media"), "launch_price": Decimal("88.00")}

    result = estimate(PriceInputs(**book))

    # books: 0.35 * 0.98 ** 2 = 0.33614 ; 88 * 0.33614 * 0.90 = 26.622288 → 26.62
    # cash mid 26.62 * 0.65 = 17.303 → 17.30 ; 17.30 * 0.88 = 15.224 → 15 ; 17.30 * 1.12 = 19.376 → 19
    # commission 30% ; sale 26.62 * 0.88 = 23.4256 → 23.43 → * 0.70 = 16.401 → 16
    #                       26.62 * 1.12 = 29.8144 → 29.81 → * 0.70 = 20.867 → 21
    assert result.expected_sale_price == Decimal("26.62")
    assert (result.cash_low, result.cash_high) == (Decimal("15.00"), Decimal("19.00"))
    assert (result.consign_low, result.consign_high) == (Decimal("16.00"), Decimal("21.00"))


def test_without_a_catalog_model_there_is_no_range_and_the_offer_comes_after_inspection():
    result = estimate(PriceInputs(declared_grade=Grade.GOOD, today=TODAY, category_slugs=("bags",)))

    assert result.confidence == Confidence.LOW
    assert result.expected_sale_price is None
    assert [result.cash_low, result.cash_high, result.consign_low, result.consign_high] == [None] * 4
    assert _codes(result) == [ReasonCode.NO_CATALOG_MODEL, ReasonCode.CONDITION]
    assert "offer after inspection" in reason_text(result.reasons[0])


def test_photo_flags_lower_the_confidence_one_step_and_widen_the_range():
    flagged = estimate(PriceInputs(**PHONE, photo_flag_count=2))

    # medium → low: spread 20% ; cash 1651.81 * 0.80 = 1321.448 → 1321 ; * 1.20 = 1982.172 → 1982
    assert flagged.confidence == Confidence.LOW
    assert (flagged.cash_low, flagged.cash_high) == (Decimal("1321.00"), Decimal("1982.00"))
    assert {"code": ReasonCode.PHOTO_FLAGS, "params": {"count": 2}} in flagged.reasons

    comparables = tuple(Comparable(Decimal("2500"), Grade.VERY_GOOD, TODAY) for _i in range(3))
    high_then_flagged = estimate(PriceInputs(**PHONE, comparables=comparables, photo_flag_count=1))
    assert high_then_flagged.confidence == Confidence.MEDIUM


def test_another_sellers_photo_makes_the_confidence_low_at_once():
    comparables = tuple(Comparable(Decimal("2500"), Grade.VERY_GOOD, TODAY) for _i in range(5))

    result = estimate(
        PriceInputs(**PHONE, comparables=comparables, photo_flag_count=1, strong_photo_flag=True)
    )

    assert result.confidence == Confidence.LOW
    assert ReasonCode.PHOTO_REUSED in _codes(result)


def test_the_same_inputs_give_the_same_estimate():
    comparables = tuple(
        Comparable(Decimal(2300 + 50 * i), Grade.EXCELLENT, TODAY - timedelta(days=i)) for i in range(4)
    )
    inputs = PriceInputs(**PHONE, comparables=comparables)

    assert estimate(inputs) == estimate(inputs)


def test_condition_factors_rank_the_grades():
    order = [Grade.NEW, Grade.LIKE_NEW, Grade.EXCELLENT, Grade.VERY_GOOD, Grade.GOOD, Grade.FAIR]
    factors = [CONDITION_FACTORS[grade] for grade in order]
    assert factors == sorted(factors, reverse=True)
    assert CONDITION_FACTORS[Grade.EXCELLENT] == 1  # the curve's own point


def test_reasons_read_as_plain_words():
    result = estimate(PriceInputs(**PHONE))
    texts = [reason_text(reason) for reason in result.reasons]

    assert texts[1] == "Launched in 2023 at ¥5,999; phones keep about 47% of their price after 3 years."
    assert texts[2] == "Declared condition: Very good (9成新)."
    assert "20% commission" in texts[4]


def test_reasons_render_in_the_readers_language():
    reason = {"code": ReasonCode.CONDITION, "params": {"grade": Grade.VERY_GOOD}}

    english = reason_text(reason)
    with translation.override("zh-hans"):
        chinese = reason_text(reason)
        grade_label = str(Grade.VERY_GOOD.label)

    assert "9成新" in english
    assert grade_label in chinese  # the grade's name in Chinese, from the catalogue
    assert grade_label != "Very good"


def test_the_declared_condition_reads_naturally_in_both_languages():
    reason = {"code": ReasonCode.CONDITION, "params": {"grade": Grade.EXCELLENT}}

    with translation.override("en"):
        assert reason_text(reason) == "Declared condition: Excellent (95新)."
    with translation.override("zh-hans"):
        assert "95新 (95新)" not in reason_text(reason)
        assert "95新" in reason_text(reason)
