"""The final offer: its pricing (hand-checked numbers), and the offer made exactly once when an item
passes inspection."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from inspection.models import Inspection
from inspection.services.workbench import inspection_claim_next, inspection_complete
from listings.models import Grade
from recycling.errors import SubmissionError
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus
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
from recycling.services.offers import (
    buyout_offer_make,
    offer_accept_recycle,
    offer_decline,
    offer_make,
    offers_expire,
)
from recycling.services.outcome import submission_inspection_completed
from recycling.services.shipping import submission_receive
from recycling.services.transitions import submission_move
from recycling.valuation import Comparable, PriceInputs
from shipping.carriers.sandbox import SandboxCarrier
from shipping.models import Shipment, ShipmentPurpose
from shipping.services import shipments_book_requested
from tests.factories import CatalogModelFactory, UserFactory
from tests.inspection.desk_fixtures import answer_all, inspector, small_checklist
from tests.recycling.shipping_fixtures import booked_shipment, operations_user
from tests.shipping.helpers import record_event
from wallet.models import Transaction

pytestmark = pytest.mark.django_db

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
    assert terms.floor_min == Decimal("2066.00")
    # The proposed floor is where a sale at the floor still pays the 2238 cash: 2238 / 0.80 = 2797.50,
    # rounded up to 2798, which pays 2238.40.
    assert terms.floor_default == Decimal("2798.00")
    assert terms.expected_payout_at_floor == Decimal("2238.40") >= terms.cash_amount
    assert terms.expected_payout == Decimal("2754.40")
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
            defects=(
                Defect("Screen has no scratches", "屏幕无划痕"),
                Defect("Battery health 80% or more", "电池健康度 80% 以上", note="Battery health 71%"),
            ),
            authenticated=True,
        )
    )
    texts = [reason_text(reason) for reason in terms.reasons]
    assert texts[0] == (
        "You declared A (Excellent); our inspection graded it C (Good), which lowers the price."
    )
    # Defects in defect words: the inspector's note, else the check the item failed (not its pass label alone).
    assert "The inspector found 2 defects: failed “Screen has no scratches”, Battery health 71%." in texts
    assert "Two authenticators confirmed that it is genuine." in texts
    assert "2 more sales of this model since your estimate are taken into account." in texts
    assert any(text.startswith("The cash offer of") and "below your estimate" in text for text in texts)
    assert not any(text.startswith("Declared condition") for text in texts)
    with translation.override("zh-hans"):
        chinese = [reason_text(reason) for reason in terms.reasons]
    assert any("未通过“屏幕无划痕”" in text and "Battery health 71%" in text for text in chinese)
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


# --- The services -------------------------------------------------------------------------------


def offered_submission(capture, *, passed: bool = True, seller=None, **fields):
    """A submission sent in, received, inspected and completed through the real desk services."""
    model = fields.pop("catalog_model", None) or CatalogModelFactory(launch_price=Decimal("5999"))
    shipment = booked_shipment(
        seller=seller, category=model.category, brand=model.brand, catalog_model=model, **fields
    )
    small_checklist(model.category)
    submission = submission_receive(reference=shipment.tracking_number, by=operations_user())
    staff = inspector()
    with capture(execute=True):
        inspection = inspection_claim_next(inspector=staff)
    answer_all(inspection, staff)
    with capture(execute=True):
        if passed:
            inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
        else:
            inspection_complete(
                inspection_id=inspection.pk,
                inspector=staff,
                passed=False,
                fail_reason="not_as_declared",
                note="Another model",
            )
    submission.refresh_from_db()
    return submission


def test_a_pass_makes_exactly_one_final_offer_in_the_same_step(django_capture_on_commit_callbacks):
    # when
    submission = offered_submission(django_capture_on_commit_callbacks)
    # then
    assert submission.status == SubmissionStatus.OFFERED
    offer = Offer.objects.get(submission=submission)
    assert offer.kind == OfferKind.FINAL
    assert offer.decision == ""
    assert offer.grade == Inspection.objects.get(subject_code=submission.code).grade
    assert offer.cash_amount > 0 and offer.list_price > offer.cash_amount
    assert offer.floor_min <= offer.floor_default <= offer.list_price
    # At the proposed floor, consigning pays at least the cash offer.
    assert offer.floor_default * (1 - offer.commission_rate) >= offer.cash_amount
    assert offer.term_days == 90
    validity = offer.valid_until - offer.created_at
    assert validity == timedelta(days=7)
    # the news again, and offer_make again: still one offer
    inspection = Inspection.objects.get(subject_code=submission.code)
    with django_capture_on_commit_callbacks(execute=True):
        submission_inspection_completed(inspection=inspection)
    assert offer_make(submission_id=submission.pk, inspection=inspection).pk == offer.pk
    assert Offer.objects.filter(submission=submission).count() == 1


def test_a_failure_makes_no_offer(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks, passed=False)
    assert submission.status == SubmissionStatus.RETURNING
    assert not Offer.objects.filter(submission=submission).exists()


def test_declining_sends_the_item_back_with_a_free_label(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        submission = offer_decline(submission_id=submission.pk, seller=submission.seller)
    assert submission.status == SubmissionStatus.RETURNING
    moves = list(submission.events.values_list("new", flat=True))
    assert moves[-2:] == ["declined", "returning"]
    assert Offer.objects.get(submission=submission).decision == OfferDecision.DECLINED
    label = Shipment.objects.get(reference=submission.code, purpose=ShipmentPurpose.SELLER_RETURN)
    assert label.tracking_number in mail.outbox[-1].body
    with pytest.raises(SubmissionError) as error:
        offer_decline(submission_id=submission.pk, seller=submission.seller)
    assert error.value.code == "no_offer"


def test_declining_while_the_carrier_is_down_is_booked_by_the_sweep(
    django_capture_on_commit_callbacks, settings
):
    submission = offered_submission(django_capture_on_commit_callbacks)
    settings.CARRIER_SANDBOX_FAIL = True
    submission = offer_decline(submission_id=submission.pk, seller=submission.seller)
    assert submission.status == SubmissionStatus.DECLINED
    settings.CARRIER_SANDBOX_FAIL = False
    assert shipments_book_requested() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNING


def test_an_unanswered_offer_expires_and_goes_back(django_capture_on_commit_callbacks, settings):
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer = Offer.objects.get(submission=submission)
    # not yet
    assert offers_expire(now=offer.valid_until - timedelta(minutes=1)) == 0
    # when
    settings.CARRIER_SANDBOX_FAIL = True  # the label is booked later by the sweep
    assert offers_expire(now=offer.valid_until + timedelta(minutes=1)) == 1
    assert offers_expire(now=offer.valid_until + timedelta(minutes=2)) == 0
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EXPIRED
    offer.refresh_from_db()
    assert offer.decision == OfferDecision.EXPIRED
    settings.CARRIER_SANDBOX_FAIL = False
    assert shipments_book_requested() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNING


def test_the_expiry_job_asks_a_carrier_that_is_down_once_and_leaves_the_rest_to_the_label_job(
    django_capture_on_commit_callbacks, settings, monkeypatch
):
    submissions = [offered_submission(django_capture_on_commit_callbacks) for _ in range(3)]
    calls = []
    carrier = SandboxCarrier(secret="test-secret", fail=True)

    def counted():
        calls.append(1)
        return carrier

    monkeypatch.setattr("shipping.services.get_carrier", counted)
    latest = max(Offer.objects.values_list("valid_until", flat=True))

    assert offers_expire(now=latest + timedelta(minutes=1)) == 3

    assert len(calls) == 1
    assert {s.status for s in Submission.objects.filter(pk__in=[s.pk for s in submissions])} == {
        SubmissionStatus.EXPIRED
    }
    monkeypatch.undo()
    assert shipments_book_requested() == 3


def test_the_expiry_job_books_the_label_at_once_when_the_carrier_is_up(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer = Offer.objects.get(submission=submission)
    assert offers_expire(now=offer.valid_until + timedelta(seconds=1)) == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNING
    assert (
        Shipment.objects.filter(reference=submission.code, purpose=ShipmentPurpose.SELLER_RETURN).count() == 1
    )


def test_accepting_an_expired_offer_is_refused_and_moves_no_money(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer = Offer.objects.get(submission=submission)
    with pytest.raises(SubmissionError) as error:
        offer_accept_recycle(
            submission_id=submission.pk,
            seller=submission.seller,
            now=offer.valid_until + timedelta(seconds=1),
        )
    assert error.value.code == "offer_expired"
    assert "expired" in str(error.value.message)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OFFERED
    assert not Transaction.objects.exists()


def test_someone_elses_offer_cannot_be_answered(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    stranger = UserFactory()
    with pytest.raises(Submission.DoesNotExist):
        offer_accept_recycle(submission_id=submission.pk, seller=stranger)
    with pytest.raises(Submission.DoesNotExist):
        offer_decline(submission_id=submission.pk, seller=stranger)
    assert Offer.objects.get(submission=submission).decision == ""


def test_a_declined_offer_cannot_then_be_accepted(django_capture_on_commit_callbacks, settings):
    submission = offered_submission(django_capture_on_commit_callbacks)
    settings.CARRIER_SANDBOX_FAIL = True
    offer_decline(submission_id=submission.pk, seller=submission.seller)
    with pytest.raises(SubmissionError) as error:
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    assert error.value.code == "already_declined"
    assert not Transaction.objects.exists()


def test_the_return_parcel_delivered_makes_the_submission_returned(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    submission = offer_decline(submission_id=submission.pk, seller=submission.seller)
    label = Shipment.objects.get(reference=submission.code, purpose=ShipmentPurpose.SELLER_RETURN)
    record_event(
        event_id="ret-1",
        tracking_number=label.tracking_number,
        kind="delivered",
        occurred_at=timezone.now(),
        payload={},
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    # a replay and a late scan change nothing
    record_event(
        event_id="ret-1",
        tracking_number=label.tracking_number,
        kind="delivered",
        occurred_at=timezone.now(),
        payload={},
    )
    assert submission.events.filter(new=SubmissionStatus.RETURNED).count() == 1


def test_a_buyout_offer_is_cash_only_and_made_once(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    with pytest.raises(SubmissionError):
        buyout_offer_make(submission_id=submission.pk)
    for status in (SubmissionStatus.CONSIGN_ACCEPTED, SubmissionStatus.LISTED, SubmissionStatus.UNSOLD):
        submission_move(submission_id=submission.pk, to=status, by=None)
    offer = buyout_offer_make(submission_id=submission.pk)
    assert buyout_offer_make(submission_id=submission.pk).pk == offer.pk
    assert (offer.kind, offer.list_price, offer.term_days) == (OfferKind.BUYOUT, None, None)
    assert offer.cash_amount == Offer.objects.get(submission=submission, kind=OfferKind.FINAL).cash_amount


def test_the_pass_mail_carries_the_offer_and_its_link(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer = Offer.objects.get(submission=submission)
    body = mail.outbox[-1].body
    assert f"¥{offer.cash_amount:,.2f} in cash now" in body
    assert f"at ¥{offer.list_price:,.2f}" in body
    assert f"/sell-with-us/{submission.pk}/offer/" in body
