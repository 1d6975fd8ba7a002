"""The pre-valuation price model: declared details in, a quote range with its reasons out.

Pure arithmetic on Decimals: no database, no clock (the caller passes `today`). The service
recycling.services.valuation gathers the inputs, runs the photo checks, and stores the result with
MODEL_VERSION, so that any estimate can be explained later from `Estimate.inputs`.

How a price is made
-------------------

1. Reference: the catalog model's launch price (CNY) and launch year.
2. Age: whole months from the middle of the launch year (1 July), as years with a fraction
   (`age_years = months / 12`); a model launched in 2023 is 3.0 years old on 15 July 2026.
3. Depreciation curve, chosen by the submission's leaf category slug, else its top-level slug, else
   DEFAULT_CURVE (CURVES). A curve gives the share of the launch price that an item in excellent
   used condition (grade A, 95新) still fetches:

       age <= 1:  retention = 1 - first_year_loss * age
       age  > 1:  retention = (1 - first_year_loss) * (1 - yearly_loss) ** (age - 1)
       never below `floor` (a working phone is always worth something; a classic watch holds value).

4. Condition: CONDITION_FACTORS relative to that grade-A point, for the declared grade.
   curve estimate = launch price * retention * condition factor, at most MAX_SHARE_OF_LAUNCH_PRICE
   of the launch price (a sealed new item of a fresh model does not sell above what it cost new).
5. Comparables: the same catalog model sold in the channel in the last COMPARABLES_WINDOW_DAYS.
   Each sale price is normalised to the declared grade by the ratio of condition factors
   (a grade-C sale at 750 stands for 900 at grade B: 750 * 0.90 / 0.75). With at least
   MIN_COMPARABLES of them, the expected sale price blends their median with the curve estimate:

       weight = min(n / (n + COMPARABLES_PRIOR), MAX_COMPARABLES_WEIGHT)
       P = weight * median + (1 - weight) * curve estimate

   With fewer, the curve alone decides (a couple of sales may be one lucky buyer).
6. Confidence: HIGH with comparables, MEDIUM from the curve alone, LOW without a catalog model.
   Photo flags lower it one step; a strong flag (another seller's photo) makes it LOW.
   SPREADS gives the half-width of the range at each confidence.
7. Two ranges for the seller:

       recycle cash  = P * (1 - RECYCLE_MARGIN) * (1 -/+ spread)
       consignment   = P * (1 -/+ spread) * (1 - commission rate(P))

   The commission rate is chosen by the expected list price P from COMMISSION_TIERS (DESIGN.md's
   defaults): 30% up to 500, 25% up to 2,000, 20% up to 10,000, 15% above; each bound belongs to
   the tier it closes (exactly 500 pays 30%).
   Every intermediate amount is rounded to cents with marketplace.money.quantize; the four range
   ends are then rounded half up to whole yuan (an estimate with cents promises a precision it does
   not have), never below MIN_OFFER.
8. No catalog model ("other"): no ranges at all (nulls), LOW confidence, and the reason says the
   offer comes after inspection.

Reasons are codes with parameters (JSON); `reason_text` renders one in the active language.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from listings.models import Grade
from marketplace.money import quantize
from recycling.models import Confidence

MODEL_VERSION = "curve-comps-1"

LAUNCH_MONTH = 7  # ages count from the middle of the launch year


@dataclass(frozen=True)
class DepreciationCurve:
    first_year_loss: Decimal  # share of the launch price lost over the first year
    yearly_loss: Decimal  # share of what is left lost each later year
    floor: Decimal  # the retention never goes below this

    def retention(self, age_years: Decimal) -> Decimal:
        """Share of the launch price kept at this age, for an item in excellent used condition."""
        if age_years <= 1:
            kept = 1 - self.first_year_loss * age_years
        else:
            kept = (1 - self.first_year_loss) * (1 - self.yearly_loss) ** (age_years - 1)
        return max(kept, self.floor)


def _curve(first_year_loss: str, yearly_loss: str, floor: str) -> DepreciationCurve:
    return DepreciationCurve(Decimal(first_year_loss), Decimal(yearly_loss), Decimal(floor))


# Shaped on what resale platforms publish for used prices (Back Market, 闲鱼/爱回收 price guides,
# watch and bag resale indices). Keys are category slugs (listings/catalog_data.py): leaves first,
# top-level slugs as the fallback for a leaf without its own curve.
CURVES: dict[str, DepreciationCurve] = {
    # Electronics: a steep first year (the next model is out), then steady.
    "phones": _curve("0.30", "0.18", "0.08"),
    "tablets": _curve("0.25", "0.15", "0.10"),
    "laptops": _curve("0.30", "0.17", "0.08"),
    "cameras": _curve("0.20", "0.10", "0.15"),  # lenses and bodies age slowly
    "game-consoles": _curve("0.20", "0.12", "0.15"),
    "electronics": _curve("0.30", "0.17", "0.08"),
    # Luxury: the brand's own price rises hold used prices up.
    "bags": _curve("0.15", "0.03", "0.45"),
    "watches": _curve("0.10", "0.02", "0.55"),
    "jewelry": _curve("0.20", "0.03", "0.40"),  # metal and stones keep a floor
    "luxury": _curve("0.15", "0.03", "0.45"),
    # Fashion: worn once is used.
    "sneakers": _curve("0.35", "0.10", "0.10"),
    "clothing": _curve("0.50", "0.15", "0.05"),
    "fashion": _curve("0.45", "0.12", "0.05"),
    # Home: bulky, moderate.
    "home-appliances": _curve("0.30", "0.12", "0.10"),
    "furniture": _curve("0.35", "0.10", "0.10"),
    "home": _curve("0.35", "0.10", "0.10"),
    # Books: most of the price goes at once, then it hardly moves.
    "books": _curve("0.65", "0.02", "0.20"),
    "books-media": _curve("0.65", "0.02", "0.20"),
}
DEFAULT_CURVE_KEY = "other"
DEFAULT_CURVE = _curve("0.30", "0.15", "0.10")

# How the reasons name a curve's items ("phones keep about 41% of their price…").
CURVE_NAMES = {
    "phones": _("phones"),
    "tablets": _("tablets"),
    "laptops": _("laptops"),
    "cameras": _("cameras"),
    "game-consoles": _("game consoles"),
    "electronics": _("electronics"),
    "bags": _("bags"),
    "watches": _("watches"),
    "jewelry": _("jewellery pieces"),
    "luxury": _("luxury items"),
    "sneakers": _("sneakers"),
    "clothing": _("clothes"),
    "fashion": _("fashion items"),
    "home-appliances": _("home appliances"),
    "furniture": _("furniture pieces"),
    "home": _("home items"),
    "books": _("books"),
    "books-media": _("books and media"),
    DEFAULT_CURVE_KEY: _("items like this"),
}

# Relative to the curve's point (grade A, excellent used).
CONDITION_FACTORS: dict[str, Decimal] = {
    Grade.NEW: Decimal("1.10"),  # unused, boxed
    Grade.LIKE_NEW: Decimal("1.05"),
    Grade.EXCELLENT: Decimal("1.00"),
    Grade.VERY_GOOD: Decimal("0.90"),
    Grade.GOOD: Decimal("0.75"),
    Grade.FAIR: Decimal("0.50"),  # heavy wear or stated faults
}
# The scale Chinese sellers know, shown next to the grade's name.
CHENGXIN = {
    Grade.NEW: "全新",
    Grade.LIKE_NEW: "99新",
    Grade.EXCELLENT: "95新",
    Grade.VERY_GOOD: "9成新",
    Grade.GOOD: "8成新",
    Grade.FAIR: "8成新以下",
}
MAX_SHARE_OF_LAUNCH_PRICE = Decimal("1.00")

COMPARABLES_WINDOW_DAYS = 180
MIN_COMPARABLES = 3
COMPARABLES_PRIOR = 3  # the curve counts as much as this many sales
MAX_COMPARABLES_WEIGHT = Decimal("0.75")  # the curve always keeps a quarter

RECYCLE_MARGIN = Decimal("0.35")  # what buying now, holding, refurbishing and selling costs us
SPREADS: dict[str, Decimal] = {
    Confidence.HIGH: Decimal("0.06"),
    Confidence.MEDIUM: Decimal("0.12"),
    Confidence.LOW: Decimal("0.20"),
}
# (upper bound of the initial list price, inclusive; rate). None: no upper bound.
COMMISSION_TIERS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("500"), Decimal("0.30")),
    (Decimal("2000"), Decimal("0.25")),
    (Decimal("10000"), Decimal("0.20")),
    (None, Decimal("0.15")),
)
MIN_OFFER = Decimal("1.00")

_LOWER_CONFIDENCE = {
    Confidence.HIGH: Confidence.MEDIUM,
    Confidence.MEDIUM: Confidence.LOW,
    Confidence.LOW: Confidence.LOW,
}


class ReasonCode:
    COMPARABLES = "comparables"  # {count, days}
    FEW_COMPARABLES = "few_comparables"  # {count}
    NO_COMPARABLES = "no_comparables"  # {}
    CURVE = "curve"  # {year, price, curve, percent, age}
    CONDITION = "condition"  # {grade}
    NO_CATALOG_MODEL = "no_catalog_model"  # {}
    PHOTO_FLAGS = "photo_flags"  # {count}
    PHOTO_REUSED = "photo_reused"  # {}
    RECYCLE = "recycle"  # {percent}
    COMMISSION = "commission"  # {percent}


@dataclass(frozen=True)
class Comparable:
    """A sale of the same catalog model in the channel."""

    price: Decimal
    grade: str
    sold_on: date
    listing_id: int | None = None


@dataclass(frozen=True)
class PriceInputs:
    declared_grade: str
    today: date
    # Leaf category slug first, then its ancestors' (the curve is looked up in this order).
    category_slugs: tuple[str, ...] = ()
    launch_price: Decimal | None = None  # None: no catalog model
    launch_year: int | None = None
    comparables: tuple[Comparable, ...] = ()
    photo_flag_count: int = 0
    strong_photo_flag: bool = False


@dataclass(frozen=True)
class Estimate:
    confidence: str
    expected_sale_price: Decimal | None
    cash_low: Decimal | None
    cash_high: Decimal | None
    consign_low: Decimal | None
    consign_high: Decimal | None
    reasons: list[dict] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)  # every input and intermediate figure, JSON-ready
    model_version: str = MODEL_VERSION


def commission_rate(list_price: Decimal) -> Decimal:
    """The consignment commission for an initial list price (COMMISSION_TIERS)."""
    for upper, rate in COMMISSION_TIERS:
        if upper is None or list_price <= upper:
            return rate
    raise AssertionError("COMMISSION_TIERS must end with an unbounded tier")


def curve_for(category_slugs: tuple[str, ...]) -> tuple[str, DepreciationCurve]:
    for slug in category_slugs:
        if slug in CURVES:
            return slug, CURVES[slug]
    return DEFAULT_CURVE_KEY, DEFAULT_CURVE


def age_in_months(*, launch_year: int, today: date) -> int:
    return max(0, (today.year - launch_year) * 12 + today.month - LAUNCH_MONTH)


def normalised_price(comparable: Comparable, declared_grade: str) -> Decimal:
    """A sale price restated for the declared grade by the ratio of condition factors."""
    return quantize(
        comparable.price * CONDITION_FACTORS[declared_grade] / CONDITION_FACTORS[comparable.grade]
    )


def whole_yuan(amount: Decimal) -> Decimal:
    """Half up to a whole unit, never below MIN_OFFER, stored with two places."""
    return max(quantize(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)), MIN_OFFER)


def _reason(code: str, **params: object) -> dict:
    return {"code": code, "params": params}


def _flag_confidence(confidence: str, inputs: PriceInputs) -> str:
    if inputs.strong_photo_flag:
        return Confidence.LOW
    if inputs.photo_flag_count:
        return _LOWER_CONFIDENCE[Confidence(confidence)]
    return confidence


def _photo_reasons(inputs: PriceInputs) -> list[dict]:
    reasons = []
    if inputs.strong_photo_flag:
        reasons.append(_reason(ReasonCode.PHOTO_REUSED))
    if inputs.photo_flag_count:
        reasons.append(_reason(ReasonCode.PHOTO_FLAGS, count=inputs.photo_flag_count))
    return reasons


def estimate(inputs: PriceInputs) -> Estimate:
    """The quote for these inputs. Deterministic: the same inputs give the same figures."""
    grade = inputs.declared_grade
    figures: dict = {
        "declared_grade": grade,
        "today": inputs.today.isoformat(),
        "photo_flag_count": inputs.photo_flag_count,
        "strong_photo_flag": inputs.strong_photo_flag,
    }
    condition_reason = _reason(ReasonCode.CONDITION, grade=grade)

    if inputs.launch_price is None or inputs.launch_year is None:
        figures["catalog_model"] = False
        return Estimate(
            confidence=Confidence.LOW,
            expected_sale_price=None,
            cash_low=None,
            cash_high=None,
            consign_low=None,
            consign_high=None,
            reasons=[_reason(ReasonCode.NO_CATALOG_MODEL), condition_reason, *_photo_reasons(inputs)],
            inputs=figures,
        )

    # Curve estimate.
    launch_price = quantize(inputs.launch_price)
    months = age_in_months(launch_year=inputs.launch_year, today=inputs.today)
    age_years = Decimal(months) / 12
    curve_key, curve = curve_for(inputs.category_slugs)
    retention = curve.retention(age_years)
    condition_factor = CONDITION_FACTORS[grade]
    curve_estimate = quantize(
        min(launch_price * retention * condition_factor, launch_price * MAX_SHARE_OF_LAUNCH_PRICE)
    )
    figures.update(
        catalog_model=True,
        launch_price=str(launch_price),
        launch_year=inputs.launch_year,
        age_months=months,
        age_years=str(round(age_years, 2)),
        curve=curve_key,
        first_year_loss=str(curve.first_year_loss),
        yearly_loss=str(curve.yearly_loss),
        floor=str(curve.floor),
        retention=str(round(retention, 4)),
        condition_factor=str(condition_factor),
        curve_estimate=str(curve_estimate),
    )

    # Comparables.
    normalised = [normalised_price(c, grade) for c in inputs.comparables]
    figures["comparables"] = [
        {
            "listing_id": c.listing_id,
            "price": str(quantize(c.price)),
            "grade": c.grade,
            "sold_on": c.sold_on.isoformat(),
            "normalised": str(price),
        }
        for c, price in zip(inputs.comparables, normalised, strict=True)
    ]
    count = len(normalised)
    reasons: list[dict] = []
    confidence: str
    if count >= MIN_COMPARABLES:
        median = quantize(statistics.median(normalised))
        weight = min(Decimal(count) / (count + COMPARABLES_PRIOR), MAX_COMPARABLES_WEIGHT)
        expected = quantize(weight * median + (1 - weight) * curve_estimate)
        confidence = Confidence.HIGH
        oldest = min(c.sold_on for c in inputs.comparables)
        days = max(1, (inputs.today - oldest).days)
        reasons.append(_reason(ReasonCode.COMPARABLES, count=count, days=days))
        figures.update(comparables_median=str(median), comparables_weight=str(round(weight, 4)))
    else:
        expected = curve_estimate
        confidence = Confidence.MEDIUM
        if count:
            reasons.append(_reason(ReasonCode.FEW_COMPARABLES, count=count))
        else:
            reasons.append(_reason(ReasonCode.NO_COMPARABLES))
    reasons.append(
        _reason(
            ReasonCode.CURVE,
            year=inputs.launch_year,
            price=str(launch_price),
            curve=curve_key,
            percent=int((retention * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)),
            age=str(round(age_years, 1)),
        )
    )
    reasons.append(condition_reason)

    # Ranges.
    figures["confidence_before_photos"] = str(confidence)
    confidence = _flag_confidence(confidence, inputs)
    spread = SPREADS[confidence]
    rate = commission_rate(expected)
    cash_middle = quantize(expected * (1 - RECYCLE_MARGIN))
    sale_low = quantize(expected * (1 - spread))
    sale_high = quantize(expected * (1 + spread))
    cash_low = whole_yuan(cash_middle * (1 - spread))
    cash_high = whole_yuan(cash_middle * (1 + spread))
    consign_low = whole_yuan(sale_low * (1 - rate))
    consign_high = whole_yuan(sale_high * (1 - rate))
    figures.update(
        expected_sale_price=str(expected),
        spread=str(spread),
        recycle_margin=str(RECYCLE_MARGIN),
        cash_middle=str(cash_middle),
        sale_low=str(sale_low),
        sale_high=str(sale_high),
        commission_rate=str(rate),
    )
    reasons += _photo_reasons(inputs)
    reasons.append(_reason(ReasonCode.RECYCLE, percent=int(RECYCLE_MARGIN * 100)))
    reasons.append(_reason(ReasonCode.COMMISSION, percent=int(rate * 100)))
    return Estimate(
        confidence=str(confidence),
        expected_sale_price=expected,
        cash_low=cash_low,
        cash_high=cash_high,
        consign_low=consign_low,
        consign_high=consign_high,
        reasons=reasons,
        inputs=figures,
    )


# --- Reasons in words ----------------------------------------------------------------------------

_GRADE_WITH_CHENGXIN = pgettext_lazy("valuation", "%(grade)s (%(chengxin)s)")


def _money(amount: str) -> str:
    from marketplace.templatetags.money import money

    # Launch prices are whole: "¥5,999" reads better than "¥5,999.00".
    text = money(Decimal(amount))
    return text.removesuffix(".00")


def _age_text(age: str) -> str:
    value = Decimal(age)
    shown = floatformat(value, -1)  # "3" for 3.0, "3.5" for 3.5, in the active locale
    return ngettext("%(age)s year", "%(age)s years", 1 if value == 1 else 2) % {"age": shown}


def reason_text(reason: dict) -> str:
    """A stored reason ({"code", "params"}) in plain words, in the active language."""
    code = reason.get("code")
    params = reason.get("params") or {}
    if code == ReasonCode.COMPARABLES:
        return ngettext(
            "Based on %(count)s sale of this model in the last %(days)s days.",
            "Based on %(count)s sales of this model in the last %(days)s days.",
            params["count"],
        ) % {"count": params["count"], "days": params["days"]}
    if code == ReasonCode.FEW_COMPARABLES:
        return ngettext(
            "Only %(count)s recent sale of this model, too few to rely on: the estimate follows the "
            "usual price curve.",
            "Only %(count)s recent sales of this model, too few to rely on: the estimate follows the "
            "usual price curve.",
            params["count"],
        ) % {"count": params["count"]}
    if code == ReasonCode.NO_COMPARABLES:
        return gettext("No recent sales of this model yet: the estimate follows the usual price curve.")
    if code == ReasonCode.CURVE:
        name = CURVE_NAMES.get(params.get("curve", ""), CURVE_NAMES[DEFAULT_CURVE_KEY])
        return gettext(
            "Launched in %(year)s at %(price)s; %(items)s keep about %(percent)s%% of their price "
            "after %(age)s."
        ) % {
            "year": params["year"],
            "price": _money(params["price"]),
            "items": name,
            "percent": params["percent"],
            "age": _age_text(params["age"]),
        }
    if code == ReasonCode.CONDITION:
        grade = Grade(params["grade"])
        label = str(grade.label)
        # In Chinese the grade's label already is its 成新 term; say it once.
        condition = (
            label
            if label == CHENGXIN[grade]
            else _GRADE_WITH_CHENGXIN % {"grade": label, "chengxin": CHENGXIN[grade]}
        )
        return gettext("Declared condition: %(condition)s.") % {"condition": condition}
    if code == ReasonCode.NO_CATALOG_MODEL:
        return gettext(
            "This model is not in our catalog, so we cannot estimate it from photos: we will make an "
            "offer after inspection."
        )
    if code == ReasonCode.PHOTO_FLAGS:
        return ngettext(
            "%(count)s photo needs another look, so the range is wider.",
            "%(count)s photos need another look, so the range is wider.",
            params["count"],
        ) % {"count": params["count"]}
    if code == ReasonCode.PHOTO_REUSED:
        return gettext(
            "A photo was already used on Reloop for another item: this estimate holds only if the "
            "inspection confirms the item."
        )
    if code == ReasonCode.RECYCLE:
        return gettext(
            "The cash offer is paid as soon as the item passes inspection; it is about %(percent)s%% "
            "below the expected sale price, which covers our costs and risk."
        ) % {"percent": params["percent"]}
    if code == ReasonCode.COMMISSION:
        return gettext(
            "Consignment pays the sale price minus our %(percent)s%% commission, after the item sells."
        ) % {"percent": params["percent"]}
    return ""
