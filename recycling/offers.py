"""The final offer's price model: an inspected item in, the recycle cash offer and the consignment
terms out, with the reasons why they differ from the estimate.

Pure arithmetic on Decimals, like recycling.valuation (no database, no clock: the caller passes
`today`). recycling.services.offers gathers the inputs and stores the result as an Offer.

How an offer is made
--------------------

1. The valuation model (recycling.valuation.estimate) prices the item with the INSPECTED grade and
   today's comparables; the inspection replaces the photo checks, so no photo flag counts.
2. List price = the expected sale price, rounded half up to whole yuan.
3. Recycle cash offer = list price x (1 - RECYCLE_MARGIN), in whole yuan.
4. Consignment: commission rate by the list price (valuation.commission_rate); commission = list
   price x rate; floor_min = list price x CONSIGNMENT_FLOOR_MIN_SHARE in whole yuan (rounded up, so
   that the floor is never below the share); floor_default = the lowest floor at which consigning
   still pays at least the cash offer (cash / (1 - rate), rounded up), never below floor_min nor above
   the list price, so that the proposed terms never pay less than the cash; the drop schedule and the
   term from settings; expected payout = list price - commission, and at the floor = floor - floor x
   rate (the rate stays the one set by the initial list price).
5. Reasons: why the offer differs from the estimate the seller saw, as message ids with parameters
   (INSPECTED_GRADE, DEFECTS, AUTHENTICATED, NEW_COMPARABLES, AGAINST_ESTIMATE), followed by the
   model's own reasons for the price; `reason_text` renders any of them in the active language.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import get_language, gettext, ngettext, pgettext

from listings.models import Grade
from marketplace.money import quantize
from recycling import valuation
from recycling.questionnaire import GRADE_ORDER
from recycling.valuation import PriceInputs, whole_yuan


class OfferReason:
    INSPECTED_GRADE = "inspected_grade"  # {declared, inspected}: same, lower or higher than declared
    DEFECTS = "defects"  # {names: [[en, zh], ...]}: defects the inspector recorded
    AUTHENTICATED = "authenticated"  # {}: two authenticators confirmed it
    NEW_COMPARABLES = "new_comparables"  # {count}: sales of this model since the estimate
    AGAINST_ESTIMATE = "against_estimate"  # {cash, low, high}: the cash offer against the estimate's range
    OFFER_WITHOUT_ESTIMATE = "offer_without_estimate"  # {}: no estimate was possible before


@dataclass(frozen=True)
class PreviousEstimate:
    """What the seller was shown before sending the item: the cash range and the sales it used."""

    cash_low: Decimal | None
    cash_high: Decimal | None
    comparable_listing_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Defect:
    # The check the item failed, in both languages: its label says what passing means.
    label: str
    label_zh: str = ""
    # What the inspector wrote about the defect, as typed: it names the defect in defect words.
    note: str = ""


@dataclass(frozen=True)
class OfferInputs:
    # The valuation inputs, with the inspected grade as `declared_grade` and no photo flags.
    prices: PriceInputs
    declared_grade: str
    previous: PreviousEstimate | None = None
    defects: tuple[Defect, ...] = ()
    authenticated: bool | None = None
    floor_share: Decimal = Decimal("0.60")
    price_drops: tuple[tuple[int, Decimal], ...] = ((30, Decimal("0.10")), (60, Decimal("0.10")))
    term_days: int = 90


@dataclass(frozen=True)
class OfferTerms:
    grade: str
    expected_sale_price: Decimal
    list_price: Decimal
    cash_amount: Decimal
    commission_rate: Decimal
    commission: Decimal
    floor_min: Decimal
    floor_default: Decimal
    drop_schedule: list = field(default_factory=list)  # [[day, "share"], ...] as stored on the Offer
    term_days: int = 90
    expected_payout: Decimal = Decimal(0)
    expected_payout_at_floor: Decimal = Decimal(0)
    reasons: list[dict] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)
    model_version: str = valuation.MODEL_VERSION


class Unpriceable(ValueError):
    """The model cannot price the item (no catalog model, so no launch price)."""


def _reason(code: str, **params: object) -> dict:
    return {"code": code, "params": params}


def floor_for(list_price: Decimal, share: Decimal) -> Decimal:
    """The lowest floor for a list price: the share of it, rounded up to whole yuan."""
    return quantize((list_price * share).quantize(Decimal(1), rounding=ROUND_CEILING))


def floor_paying_cash(*, cash: Decimal, rate: Decimal, floor_min: Decimal, list_price: Decimal) -> Decimal:
    """The lowest floor in whole yuan at which a sale pays the seller at least `cash`, between
    `floor_min` and `list_price`."""
    at_least_cash = (cash / (1 - rate)).quantize(Decimal(1), rounding=ROUND_CEILING)
    return min(max(quantize(at_least_cash), floor_min), list_price)


def payout(price: Decimal, rate: Decimal) -> Decimal:
    """What the seller receives for a sale at `price`: the price minus the commission at `rate`."""
    return quantize(price) - quantize(price * rate)


def drop_prices(
    *, list_price: Decimal, schedule: list | tuple, floor: Decimal, start: date | None = None
) -> list[dict]:
    """The price after each scheduled drop: each takes its share of the LIST price off, and the price
    never goes below `floor`. With `start` (the listing day) each row carries its date."""
    rows = []
    taken = Decimal(0)
    for day, share in schedule:
        taken += Decimal(str(share))
        price = max(quantize(list_price * (1 - taken)), floor)
        rows.append(
            {
                "day": int(day),
                "share": Decimal(str(share)),
                "price": price,
                "on": start + timedelta(days=int(day)) if start is not None else None,
            }
        )
    return rows


def price_offer(inputs: OfferInputs) -> OfferTerms:
    """The final offer for these inputs. Deterministic. Raises Unpriceable without a catalog model."""
    grade = inputs.prices.declared_grade
    result = valuation.estimate(inputs.prices)
    if result.expected_sale_price is None:
        raise Unpriceable("no catalog model")
    list_price = whole_yuan(result.expected_sale_price)
    cash = whole_yuan(list_price * (1 - valuation.RECYCLE_MARGIN))
    rate = valuation.commission_rate(list_price)
    commission = quantize(list_price * rate)
    floor = floor_for(list_price, inputs.floor_share)
    proposed_floor = floor_paying_cash(cash=cash, rate=rate, floor_min=floor, list_price=list_price)
    schedule = [[int(day), str(share)] for day, share in inputs.price_drops]

    reasons = [_reason(OfferReason.INSPECTED_GRADE, declared=inputs.declared_grade, inspected=grade)]
    if inputs.defects:
        reasons.append(
            _reason(
                OfferReason.DEFECTS,
                names=[[defect.label, defect.label_zh, defect.note] for defect in inputs.defects],
            )
        )
    if inputs.authenticated:
        reasons.append(_reason(OfferReason.AUTHENTICATED))
    previous = inputs.previous
    now_ids = {c.listing_id for c in inputs.prices.comparables if c.listing_id is not None}
    if previous is not None:
        new = len(now_ids - previous.comparable_listing_ids)
        if new:
            reasons.append(_reason(OfferReason.NEW_COMPARABLES, count=new))
    if previous is not None and previous.cash_low is not None and previous.cash_high is not None:
        reasons.append(
            _reason(
                OfferReason.AGAINST_ESTIMATE,
                cash=str(cash),
                low=str(previous.cash_low),
                high=str(previous.cash_high),
            )
        )
    else:
        reasons.append(_reason(OfferReason.OFFER_WITHOUT_ESTIMATE))
    # The model's own reasons, minus the declared condition (the inspected grade replaces it).
    reasons += [r for r in result.reasons if r["code"] != valuation.ReasonCode.CONDITION]

    figures = dict(result.inputs)
    figures.update(
        inspected_grade=grade,
        declared_grade=inputs.declared_grade,
        list_price=str(list_price),
        cash_amount=str(cash),
        commission=str(commission),
        floor_share=str(inputs.floor_share),
        floor=str(floor),
    )
    return OfferTerms(
        grade=grade,
        expected_sale_price=result.expected_sale_price,
        list_price=list_price,
        cash_amount=cash,
        commission_rate=rate,
        commission=commission,
        floor_min=floor,
        floor_default=proposed_floor,
        drop_schedule=schedule,
        term_days=inputs.term_days,
        expected_payout=payout(list_price, rate),
        expected_payout_at_floor=payout(proposed_floor, rate),
        reasons=reasons,
        inputs=figures,
        model_version=result.model_version,
    )


# --- Reasons in words ----------------------------------------------------------------------------


def _grade(code: str) -> str:
    grade = Grade(code)
    return pgettext("offer", "%(grade)s (%(label)s)") % {"grade": grade.value, "label": grade.label}


def _defect_words(label: str, label_zh: str = "", note: str = "") -> str:
    """A defect in defect words: the inspector's note when there is one, else the check it failed
    (a check's label says what passing means: "Screen has no scratches")."""
    if note:
        return note
    chinese = (get_language() or "").startswith("zh")
    return gettext("failed “%(check)s”") % {"check": label_zh if chinese and label_zh else label}


def reason_text(reason: dict) -> str:
    """A stored offer reason in plain words, in the active language; the valuation model's own
    reasons are rendered by recycling.valuation.reason_text."""
    code = reason.get("code")
    params = reason.get("params") or {}
    if code == OfferReason.INSPECTED_GRADE:
        declared, inspected = params["declared"], params["inspected"]
        values = {"declared": _grade(declared), "inspected": _grade(inspected)}
        if declared == inspected:
            return gettext("Our inspection confirmed the condition you declared: %(inspected)s.") % values
        if GRADE_ORDER.index(Grade(inspected)) > GRADE_ORDER.index(Grade(declared)):
            return (
                gettext(
                    "You declared %(declared)s; our inspection graded it %(inspected)s, which lowers the price."
                )
                % values
            )
        return (
            gettext(
                "You declared %(declared)s; our inspection graded it %(inspected)s, which raises the price."
            )
            % values
        )
    if code == OfferReason.DEFECTS:
        names = [_defect_words(*name) for name in params["names"]]
        return ngettext(
            "The inspector found a defect: %(names)s.",
            "The inspector found %(count)s defects: %(names)s.",
            len(names),
        ) % {"count": len(names), "names": pgettext("list separator", ", ").join(names)}
    if code == OfferReason.AUTHENTICATED:
        return gettext("Two authenticators confirmed that it is genuine.")
    if code == OfferReason.NEW_COMPARABLES:
        return ngettext(
            "%(count)s more sale of this model since your estimate is taken into account.",
            "%(count)s more sales of this model since your estimate are taken into account.",
            params["count"],
        ) % {"count": params["count"]}
    if code == OfferReason.AGAINST_ESTIMATE:
        from marketplace.templatetags.money import money

        cash, low, high = (Decimal(params[key]) for key in ("cash", "low", "high"))
        values = {"cash": money(cash), "low": money(low), "high": money(high)}
        if cash < low:
            return (
                gettext("The cash offer of %(cash)s is below your estimate of %(low)s to %(high)s.") % values
            )
        if cash > high:
            return (
                gettext("The cash offer of %(cash)s is above your estimate of %(low)s to %(high)s.") % values
            )
        return gettext("The cash offer of %(cash)s is within your estimate of %(low)s to %(high)s.") % values
    if code == OfferReason.OFFER_WITHOUT_ESTIMATE:
        return gettext("No estimate could be made before inspection: this offer is the first price.")
    return valuation.reason_text(reason)


# --- A stored offer's figures, for the page and the API ------------------------------------------


def offer_figures(offer, *, now: datetime, listed_on: date) -> dict:
    """What the page and the API show for a stored Offer: the consignment terms worked out (commission
    amount, the drops with their dates and prices if it is listed on `listed_on`, payouts at the list
    price and at the proposed floor), the reasons in the active language, and the time left."""
    figures: dict = {
        "reasons": [reason_text(reason) for reason in offer.reasons],
        "valid_until": offer.valid_until,
        "days_left": max(0, -((now - offer.valid_until) // timedelta(days=1))),
        "open": not offer.decision and offer.valid_until > now,
    }
    if offer.list_price is None:
        return figures
    rate = offer.commission_rate
    floor = offer.floor_default
    figures.update(
        commission=quantize(offer.list_price * rate),
        commission_percent=(rate * 100).normalize(),
        drops=drop_prices(
            list_price=offer.list_price, schedule=offer.drop_schedule, floor=floor, start=listed_on
        ),
        expected_payout=payout(offer.list_price, rate),
        expected_payout_at_floor=payout(floor, rate),
        term_ends=listed_on + timedelta(days=offer.term_days or 0),
        floor_max=offer.list_price,
        # Below this floor a sale at the floor pays less than the cash offer: the page says so.
        floor_paying_cash=floor_paying_cash(
            cash=offer.cash_amount, rate=rate, floor_min=offer.floor_min or floor, list_price=offer.list_price
        ),
    )
    return figures
