"""Reads for the seller's consignment pages: the agreement to confirm, the unsold item's choice, and
the money timeline. Each returns what its page shows, with the queries it needs made here."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consignment.models import Consignment, ConsignmentStatus, PriceDrop
from consignment.pricing import PlannedDrop, commission_for, consign_terms, payout_for, planned_drops
from consignment.settlement import settlement_key
from recycling.models import Offer, OfferKind, Submission, SubmissionEvent
from recycling.services.offers import payout_key
from wallet.models import AccountPurpose, Entry, Transaction


def seller_submission(*, submission_id: int, user: User) -> Submission:
    """The user's own submission; anyone else's raises Submission.DoesNotExist (pages answer 404)."""
    return Submission.objects.get(pk=submission_id, seller_id=user.pk)


def final_offer(*, submission: Submission) -> Offer | None:
    return Offer.objects.filter(submission=submission, kind=OfferKind.FINAL).first()


def consignment_of(*, submission: Submission) -> Consignment | None:
    return Consignment.objects.select_related("listing").filter(submission=submission).first()


@dataclass(frozen=True)
class AgreementPreview:
    """The consignment terms as the seller will agree to them, starting `now`."""

    list_price: Decimal
    commission_rate: Decimal
    commission: Decimal
    payout_at_list_price: Decimal
    floor: Decimal
    floor_min: Decimal
    payout_at_floor: Decimal
    drops: list[PlannedDrop]
    term_days: int
    term_ends_at: datetime
    valid_until: datetime

    @property
    def commission_percent(self) -> str:
        return f"{(self.commission_rate * 100).normalize():f}"


def agreement_preview(
    *, offer: Offer, floor: Decimal | None = None, now: datetime | None = None
) -> AgreementPreview:
    now = now or timezone.now()
    terms = consign_terms(offer)
    floor = terms.floor_default if floor is None else floor
    term_days = offer.term_days or settings.CONSIGNMENT_TERM_DAYS
    rate = terms.commission_rate
    return AgreementPreview(
        list_price=terms.list_price,
        commission_rate=rate,
        commission=commission_for(sale_price=terms.list_price, rate=rate),
        payout_at_list_price=payout_for(sale_price=terms.list_price, rate=rate),
        floor=floor,
        floor_min=terms.floor_min,
        payout_at_floor=payout_for(sale_price=floor, rate=rate),
        drops=planned_drops(
            list_price=terms.list_price,
            floor=floor,
            schedule=offer.drop_schedule or settings.CONSIGNMENT_PRICE_DROPS,
            listed_at=now,
        ),
        term_days=term_days,
        term_ends_at=now + timedelta(days=term_days),
        valid_until=offer.valid_until,
    )


def open_buyout_offer(*, submission: Submission, now: datetime | None = None) -> Offer | None:
    """The buy-out offer for an unsold item, while it can still be accepted."""
    now = now or timezone.now()
    return Offer.objects.filter(
        submission=submission, kind=OfferKind.BUYOUT, decision="", valid_until__gt=now
    ).first()


@dataclass(frozen=True)
class FeeLine:
    label: str
    amount: Decimal  # never negative: `kind` says how it counts
    kind: str = ""  # "" adds, "deduction" is taken off, "total" is what the others add up to


@dataclass
class MoneyTimeline:
    submission: Submission
    events: list[SubmissionEvent]
    offers: list[Offer]
    consignment: Consignment | None = None
    drops: list[PriceDrop] = field(default_factory=list)
    recycle_payout: Transaction | None = None
    recycle_paid: Decimal | None = None
    settlement: Transaction | None = None
    settlement_lines: list[FeeLine] = field(default_factory=list)
    expected_lines: list[FeeLine] = field(default_factory=list)
    expected_basis: str = ""  # "sale" (the price paid) or "price" (today's price, if it sells at it)
    return_window_ends_at: datetime | None = None

    @property
    def final_offer(self) -> Offer | None:
        return next((offer for offer in self.offers if offer.kind == OfferKind.FINAL), None)

    @property
    def buyout_offer(self) -> Offer | None:
        return next((offer for offer in self.offers if offer.kind == OfferKind.BUYOUT), None)


def _fee_lines(consignment: Consignment, *, sale_price: Decimal) -> list[FeeLine]:
    commission = commission_for(sale_price=sale_price, rate=consignment.commission_rate)
    percent = f"{(consignment.commission_rate * 100).normalize():f}"
    return [
        FeeLine(label=_("Sale price"), amount=sale_price),
        FeeLine(
            label=_("Reloop's commission (%(percent)s%%)") % {"percent": percent},
            amount=commission,
            kind="deduction",
        ),
        FeeLine(label=_("Your payout"), amount=sale_price - commission, kind="total"),
    ]


def _settlement_lines(settlement: Transaction, *, seller: User) -> list[FeeLine]:
    """The settlement's entries as the seller reads them: what the buyer paid, the commission, and
    what reached the wallet (and any other fee line the settlement recorded, by its account)."""
    lines: list[FeeLine] = []
    total: FeeLine | None = None
    for entry in settlement.entries.all():
        purpose = entry.account.purpose
        if purpose == AccountPurpose.WALLET and entry.account.user_id == seller.pk:
            total = FeeLine(label=_("Paid to your wallet"), amount=entry.amount, kind="total")
        elif purpose == AccountPurpose.CONSIGNMENT_PAYABLE:
            lines.insert(0, FeeLine(label=_("Sale price"), amount=-entry.amount))
        elif purpose == AccountPurpose.COMMISSION_REVENUE:
            lines.append(FeeLine(label=_("Reloop's commission"), amount=entry.amount, kind="deduction"))
        elif purpose == AccountPurpose.WALLET:  # the partner that ran it, paid out of the commission
            lines.append(FeeLine(label=_("The partner's fee"), amount=entry.amount, kind="deduction"))
        else:
            lines.append(
                FeeLine(label=str(entry.account.get_purpose_display()), amount=entry.amount, kind="deduction")
            )
    return lines + ([total] if total else [])


def money_timeline(*, submission_id: int, user: User) -> MoneyTimeline:
    """Where the seller's item is and what has been paid or is expected for it. Someone else's
    submission raises Submission.DoesNotExist. Seven queries whatever the history: the submission,
    its events, its offers, the consignment with its listing and order, its price drops, and the
    ledger transactions (recycle payout, settlement) with their entries and accounts."""
    submission = seller_submission(submission_id=submission_id, user=user)
    timeline = MoneyTimeline(
        submission=submission,
        events=list(submission.events.all()),
        offers=list(Offer.objects.filter(submission=submission).order_by("created_at", "id")),
    )
    consignment = Consignment.objects.select_related("listing", "order").filter(submission=submission).first()
    keys = [payout_key(submission.pk)]
    if consignment is not None:
        timeline.consignment = consignment
        timeline.drops = list(consignment.price_drops.order_by("step"))
        keys.append(settlement_key(consignment.pk))
    transactions = {
        txn.idempotency_key: txn
        for txn in Transaction.objects.filter(idempotency_key__in=keys).prefetch_related(
            Prefetch("entries", queryset=Entry.objects.select_related("account").order_by("id"))
        )
    }
    recycle = transactions.get(payout_key(submission.pk))
    if recycle is not None:
        timeline.recycle_payout = recycle
        timeline.recycle_paid = sum(
            (e.amount for e in recycle.entries.all() if e.account.user_id == user.pk and e.amount > 0),
            Decimal("0"),
        )
    if consignment is not None:
        settlement = transactions.get(settlement_key(consignment.pk))
        if settlement is not None:
            timeline.settlement = settlement
            timeline.settlement_lines = _settlement_lines(settlement, seller=user)
        if consignment.sale_price is not None:
            timeline.expected_basis = "sale"
            timeline.expected_lines = _fee_lines(consignment, sale_price=consignment.sale_price)
        elif consignment.status == ConsignmentStatus.LISTED:
            timeline.expected_basis = "price"
            timeline.expected_lines = _fee_lines(consignment, sale_price=consignment.listing.price)
        order = consignment.order
        if order is not None and order.delivered_at is not None:
            timeline.return_window_ends_at = order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS)
    return timeline
