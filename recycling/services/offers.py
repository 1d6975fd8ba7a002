"""The final offer and what the seller does with it.

- `offer_make`: an item passed inspection; priced by recycling.offers, stored once per kind.
- `offer_accept_recycle`: the seller takes the cash; the payout job (`recycle_payout`) pays the wallet
  through the ledger and lists the item as platform stock.
- `offer_decline` / `offers_expire`: the item goes back to the seller with a free return label.
- `buyout_offer_make`: a fresh cash offer for a consigned item unsold at the end of its term (the
  consignment app calls it).

Consignment acceptance lives in the consignment app. Every step is safe to run twice: the offer is
unique per submission and kind, and the payout's ledger key is `recycle:submission:<id>`.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspection.models import CheckOutcome, CheckResult, Inspection, InspectionResult
from listings.models import ListingSource, ListingStatus
from marketplace.jobs import enqueue_on_commit
from recycling import offers as pricing
from recycling.errors import SubmissionError
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus, Valuation
from recycling.notices import submission_notify_paid
from recycling.services.listing import submission_listing_create
from recycling.services.outcome import return_label_book_or_later, return_label_request
from recycling.services.transitions import submission_move
from recycling.services.valuation import _category_slugs, _comparables
from recycling.tasks import pay_recycle_offer
from recycling.valuation import PriceInputs
from wallet.models import AccountPurpose, Cause
from wallet.services.ledger import ledger_post, platform_account, wallet_account

logger = logging.getLogger(__name__)


def payout_key(submission_id: int) -> str:
    return f"recycle:submission:{submission_id}"


def _previous_estimate(submission: Submission) -> pricing.PreviousEstimate | None:
    valuation = Valuation.objects.filter(submission=submission).order_by("-created_at", "-id").first()
    if valuation is None:
        return None
    ids = frozenset(
        row["listing_id"]
        for row in valuation.inputs.get("comparables", [])
        if isinstance(row, dict) and row.get("listing_id") is not None
    )
    return pricing.PreviousEstimate(
        cash_low=valuation.cash_low, cash_high=valuation.cash_high, comparable_listing_ids=ids
    )


def _offer_inputs(*, submission: Submission, inspection: Inspection) -> pricing.OfferInputs:
    """Everything the price model needs, read from the database. The inspector's identification of
    the model wins over the seller's."""
    model = inspection.catalog_model or submission.catalog_model
    defects = tuple(
        pricing.Defect(label=result.check_item.label, label_zh=result.check_item.label_zh, note=result.note)
        for result in CheckResult.objects.filter(inspection=inspection, outcome=CheckOutcome.DEFECT)
        .select_related("check_item")
        .order_by("check_item__position", "id")
    )
    return pricing.OfferInputs(
        prices=PriceInputs(
            declared_grade=inspection.grade,
            today=timezone.localdate(),
            category_slugs=_category_slugs(submission.category),
            launch_price=model.launch_price if model else None,
            launch_year=model.launch_year if model else None,
            comparables=_comparables(catalog_model_id=model.pk) if model else (),
        ),
        declared_grade=submission.declared_grade,
        previous=_previous_estimate(submission),
        defects=defects,
        authenticated=inspection.authenticated,
        floor_share=settings.CONSIGNMENT_FLOOR_MIN_SHARE,
        price_drops=tuple(settings.CONSIGNMENT_PRICE_DROPS),
        term_days=settings.CONSIGNMENT_TERM_DAYS,
    )


def _priced(*, submission: Submission, inspection: Inspection) -> pricing.OfferTerms:
    try:
        return pricing.price_offer(_offer_inputs(submission=submission, inspection=inspection))
    except pricing.Unpriceable as error:
        raise SubmissionError(
            _("This item has no catalog model, so no offer can be priced for it."), code="unpriceable"
        ) from error


@transaction.atomic
def offer_make(*, submission_id: int, inspection: Inspection) -> Offer:
    """Price the final offer for an item that passed inspection and store it, valid OFFER_VALID_DAYS.
    Making it again returns the first one. Raises SubmissionError when the item cannot be priced (no
    catalog model on the submission or the inspection)."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("category__parent__parent", "catalog_model")
        .get(pk=submission_id)
    )
    existing = Offer.objects.filter(submission=submission, kind=OfferKind.FINAL).first()
    if existing is not None:
        return existing
    if inspection.result != InspectionResult.PASSED:
        raise SubmissionError(_("Only an item that passed inspection gets an offer."), code="not_passed")
    terms = _priced(submission=submission, inspection=inspection)
    now = timezone.now()
    offer, _created = Offer.objects.get_or_create(
        submission=submission,
        kind=OfferKind.FINAL,
        defaults={
            "grade": terms.grade,
            "cash_amount": terms.cash_amount,
            "list_price": terms.list_price,
            "commission_rate": terms.commission_rate,
            "floor_min": terms.floor_min,
            "floor_default": terms.floor_default,
            "drop_schedule": terms.drop_schedule,
            "term_days": terms.term_days,
            "reasons": terms.reasons,
            "inputs": terms.inputs,
            "model_version": terms.model_version,
            "valid_until": now + timedelta(days=settings.OFFER_VALID_DAYS),
            "created_at": now,
        },
    )
    return offer


@transaction.atomic
def buyout_offer_make(*, submission_id: int) -> Offer:
    """A fresh cash offer (kind BUYOUT) for a consigned item that did not sell in its term, priced by
    the same model with today's date and comparables. Making it again returns the first one. Raises
    SubmissionError unless the submission is UNSOLD."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("category__parent__parent", "catalog_model")
        .get(pk=submission_id)
    )
    existing = Offer.objects.filter(submission=submission, kind=OfferKind.BUYOUT).first()
    if existing is not None:
        return existing
    if submission.status != SubmissionStatus.UNSOLD:
        raise SubmissionError(
            _("A buy-out is offered only for an item that did not sell."), code="not_unsold"
        )
    inspection = Inspection.objects.select_related("catalog_model").get(subject_code=submission.code)
    terms = _priced(submission=submission, inspection=inspection)
    now = timezone.now()
    offer, _created = Offer.objects.get_or_create(
        submission=submission,
        kind=OfferKind.BUYOUT,
        defaults={
            "grade": terms.grade,
            "cash_amount": terms.cash_amount,
            # Cash only: no consignment terms. The list price is kept in the inputs for the record.
            "reasons": terms.reasons,
            "inputs": terms.inputs,
            "model_version": terms.model_version,
            "valid_until": now + timedelta(days=settings.OFFER_VALID_DAYS),
            "created_at": now,
        },
    )
    return offer


def _open_offer(submission: Submission, *, now: datetime) -> Offer:
    """The offer the seller may still answer, row-locked. Caller holds the submission's row lock.
    Raises SubmissionError saying why there is none."""
    if submission.status == SubmissionStatus.OFFERED:
        kind = OfferKind.FINAL
    elif submission.status == SubmissionStatus.UNSOLD:
        kind = OfferKind.BUYOUT
    else:
        raise _already_decided(submission)
    offer = Offer.objects.select_for_update().filter(submission=submission, kind=kind).first()
    if offer is None:
        raise SubmissionError(_("There is no offer to answer yet."), code="no_offer")
    if offer.decision:
        raise _already_decided(submission)
    if offer.valid_until <= now:
        raise SubmissionError(
            _("This offer expired on %(date)s; it can no longer be accepted.")
            % {"date": formats.date_format(timezone.localtime(offer.valid_until), "DATETIME_FORMAT")},
            code="offer_expired",
        )
    return offer


def _already_decided(submission: Submission) -> SubmissionError:
    status = submission.status
    if status in (SubmissionStatus.RECYCLE_ACCEPTED, SubmissionStatus.PAID):
        message, code = _("You have already accepted the cash offer."), "already_accepted"
    elif status in (
        SubmissionStatus.CONSIGN_ACCEPTED,
        SubmissionStatus.LISTED,
        SubmissionStatus.SOLD,
        SubmissionStatus.SETTLED,
    ):
        message, code = _("You have already chosen consignment for this item."), "already_consigned"
    elif status == SubmissionStatus.DECLINED:
        message, code = _("You have declined this offer; the item is coming back to you."), "already_declined"
    elif status == SubmissionStatus.EXPIRED:
        message, code = _("This offer has expired; the item is coming back to you."), "offer_expired"
    else:
        message, code = (
            _("There is no offer to answer: this submission is %(status)s.")
            % {"status": submission.get_status_display().lower()},
            "no_offer",
        )
    return SubmissionError(message, code=code)


def offer_decide(*, offer_id: int, decision: OfferDecision, at: datetime) -> None:
    """Record the seller's answer on an offer still open (consignment records a consignment this way).
    Caller holds the submission's row lock and has checked the offer."""
    Offer.objects.filter(pk=offer_id, decision="").update(decision=decision, decided_at=at)


def buyout_offers_close(*, submission_id: int, decision: OfferDecision, at: datetime) -> None:
    """Close the submission's open buy-out offer with the seller's answer (none is open: nothing).
    Caller holds the submission's row lock."""
    Offer.objects.filter(submission_id=submission_id, kind=OfferKind.BUYOUT, decision="").update(
        decision=decision, decided_at=at
    )


@transaction.atomic
def offer_accept_recycle(*, submission_id: int, seller: User, now: datetime | None = None) -> Submission:
    """The seller takes the cash offer: OFFERED (final offer) or UNSOLD (buy-out offer) →
    RECYCLE_ACCEPTED, and the payout job starts once this commits.

    Someone else's submission raises Submission.DoesNotExist. An expired, declined or already
    accepted offer raises SubmissionError and changes nothing.
    """
    now = now or timezone.now()
    submission = Submission.objects.select_for_update().get(pk=submission_id, seller=seller)
    offer = _open_offer(submission, now=now)
    offer.decision = OfferDecision.RECYCLE
    offer.decided_at = now
    offer.save(update_fields=["decision", "decided_at"])
    submission = submission_move(
        submission_id=submission.pk,
        to=SubmissionStatus.RECYCLE_ACCEPTED,
        by=seller,
        message="offer.cash_accepted",
        params={"amount": offer.cash_amount},
    )
    enqueue_on_commit(pay_recycle_offer, submission.pk)
    return submission


def recycle_payout(*, submission_id: int) -> Submission:
    """Pay an accepted cash offer into the seller's wallet (RECYCLE_ACCEPTED → PAID), then list the
    item as platform stock at the offer's list price.

    Two steps, each safe to repeat: the payment commits on its own (ledger key
    `recycle:submission:<id>`), so a listing that cannot be made yet never holds the seller's money
    back; a second run finds the payment and the listing (by the inspection's link) and adds nothing.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("seller").get(pk=submission_id)
        if submission.status not in (SubmissionStatus.RECYCLE_ACCEPTED, SubmissionStatus.PAID):
            raise SubmissionError(_("Only an accepted cash offer is paid."), code="not_accepted")
        offer = (
            Offer.objects.filter(submission=submission, decision=OfferDecision.RECYCLE)
            .order_by("-created_at", "-id")
            .first()
        )
        if offer is None:
            raise SubmissionError(_("Only an accepted cash offer is paid."), code="not_accepted")
        if submission.status == SubmissionStatus.RECYCLE_ACCEPTED:
            ledger_post(
                key=payout_key(submission.pk),
                cause=Cause.RECYCLE_PAYOUT,
                lines=[
                    (platform_account(purpose=AccountPurpose.RECYCLE_PURCHASES), -offer.cash_amount),
                    (wallet_account(user=submission.seller), offer.cash_amount),
                ],
                reference=submission.code,
                detail=submission.title,
            )
            submission = submission_move(
                submission_id=submission.pk,
                to=SubmissionStatus.PAID,
                by=None,
                message="offer.paid",
                params={"amount": offer.cash_amount},
            )
            submission_notify_paid(submission=submission, amount=offer.cash_amount)
    price = offer.list_price or Decimal(offer.inputs.get("list_price") or offer.cash_amount)
    submission_listing_create(submission_id=submission.pk, source=ListingSource.PLATFORM, price=price)
    return submission


# An accepted cash offer whose payout job has left no trace after this long (a message lost at the
# broker, a job that failed) is paid by the periodic catch-up instead.
PAYOUT_CATCH_UP_AFTER = timedelta(minutes=15)


def recycle_payouts_catch_up(*, now: datetime | None = None, limit: int = 100) -> int:
    """The periodic safety net for `pay_recycle_offer`, which runs once after commit with no retry:
    pay the cash offers accepted more than PAYOUT_CATCH_UP_AFTER ago and still unpaid, and list the
    paid items that have no listing on sale yet (the listing step failed after the payment committed).
    `recycle_payout` is safe to repeat, so an item the job is handling at the same moment is paid and
    listed once. One failing item is logged and does not hold back the others. Returns how many were
    handled."""
    now = now or timezone.now()
    unpaid = Submission.objects.filter(
        status=SubmissionStatus.RECYCLE_ACCEPTED, updated_at__lte=now - PAYOUT_CATCH_UP_AFTER
    ).values_list("pk", flat=True)
    inspected_codes = Inspection.objects.filter(listing__isnull=True).values("subject_code") | (
        Inspection.objects.filter(listing__status=ListingStatus.WITHDRAWN).values("subject_code")
    )
    unlisted = Submission.objects.filter(
        status=SubmissionStatus.PAID,
        updated_at__lte=now - PAYOUT_CATCH_UP_AFTER,
        code__in=inspected_codes,
    ).values_list("pk", flat=True)
    handled = 0
    for submission_id in [*unpaid.order_by("updated_at")[:limit], *unlisted.order_by("updated_at")[:limit]]:
        try:
            recycle_payout(submission_id=submission_id)
        except Exception:
            logger.exception("Recycle payout catch-up failed for submission %s", submission_id)
            continue
        handled += 1
    return handled


def _book_return(submission_id: int) -> bool:
    """Book the free return label (the seller is e-mailed its tracking number once it is recorded).
    False when the carrier is down: the submission stays DECLINED or EXPIRED and shipping's job
    books the label later."""
    return return_label_book_or_later(submission_id=submission_id) is not None


def offer_decline(*, submission_id: int, seller: User) -> Submission:
    """The seller declines the final offer: OFFERED → DECLINED, then RETURNING once the free return
    label is booked (the carrier is called after the decline has committed, with no lock held).

    Someone else's submission raises Submission.DoesNotExist; an offer already answered raises
    SubmissionError and changes nothing.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id, seller=seller)
        if submission.status != SubmissionStatus.OFFERED:
            raise _already_decided(submission)
        offer = Offer.objects.select_for_update().filter(submission=submission, kind=OfferKind.FINAL).first()
        if offer is None:
            raise SubmissionError(_("There is no offer to answer yet."), code="no_offer")
        if offer.decision:
            raise _already_decided(submission)
        offer.decision = OfferDecision.DECLINED
        offer.decided_at = timezone.now()
        offer.save(update_fields=["decision", "decided_at"])
        submission_move(
            submission_id=submission.pk,
            to=SubmissionStatus.DECLINED,
            by=seller,
            message="offer.declined",
        )
    _book_return(submission.pk)
    return Submission.objects.get(pk=submission.pk)


def offers_expire(*, now: datetime | None = None, limit: int = 200) -> int:
    """Final offers nobody answered before `valid_until`: OFFERED → EXPIRED, then RETURNING with a
    free return label, as if declined. One batch of at most `limit`, claimed with skip_locked (a
    submission the seller is answering right now is left for the next run). Buy-out offers past their
    validity are left alone: the consignment app decides what happens to an unsold item.
    Returns how many expired."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            Submission.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=SubmissionStatus.OFFERED,
                offers__kind=OfferKind.FINAL,
                offers__decision="",
                offers__valid_until__lte=now,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        Offer.objects.filter(submission_id__in=claimed, kind=OfferKind.FINAL, decision="").update(
            decision=OfferDecision.EXPIRED, decided_at=now
        )
        for submission_id in claimed:
            submission_move(
                submission_id=submission_id,
                to=SubmissionStatus.EXPIRED,
                by=None,
                message="offer.expired",
            )
            return_label_request(submission_id=submission_id)
    for submission_id in claimed:
        if not _book_return(submission_id):
            break  # the carrier is down: the label job books the rest rather than this run asking again
    return len(claimed)
