"""A creator's commission on an order bought through their link: made when the order is paid, paid
to the creator's wallet through the ledger when the order completes, reversed when it is refunded.

    paid (order_paid)          the last click by the buyer on a creator's link to the item, within
                               CREATOR_ATTRIBUTION_DAYS before payment, wins. Pending: rate times price,
                               or refused (self-dealing, feed.creators.REFUSALS) with nothing to pay.
    completed (order_completed, or the sweep)
                               seller's wallet -C (a private seller's item) or Reloop's creator
                               commissions -C (its stock, consigned items), creator's wallet +C, where
                               C = rate times what the sale released (the price, or less after a partial
                               refund in a dispute). One posting per order: `creator:order:<id>`.
    refunded (order_refunded, or the sweep)
                               pending → reversed. Nothing reached the ledger: the sale was never
                               released, so the creator is paid nothing.

Orders cannot be refunded once completed (orders.services.transitions), so a paid commission never
needs taking back. Each step locks the commission's row and does nothing for a commission that has
moved on, so the receivers and the sweep may run in any order and twice.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from feed.creators import current_rate, is_own_item
from feed.models import Commission, CommissionStatus, Creator, CreatorStatus, LinkClick
from feed.notices import creator_notify_paid
from listings.models import ListingSource
from marketplace.money import quantize
from orders.models import Order, OrderStatus
from orders.services.money import sale_key
from wallet.errors import InsufficientFunds
from wallet.models import AccountPurpose, Cause, Entry, Withdrawal
from wallet.services.ledger import ledger_post, platform_account, wallet_account

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200


def commission_key(order_id: int) -> str:
    """The ledger key of a creator's commission on an order."""
    return f"creator:order:{order_id}"


def _address_of(order: Order) -> tuple[str, ...]:
    return tuple(
        " ".join(str(part).split()).casefold()
        for part in (order.ship_to_region, order.ship_to_city, order.ship_to_address, order.ship_to_postcode)
    )


def _refusal(order: Order, creator: Creator) -> str:
    """Which self-dealing rule refuses the commission, or "" when none does."""
    if order.buyer_id == creator.user_id:
        return "own_link"
    if is_own_item(order.listing, creator.user_id):
        return "own_item"
    shipped_to = _address_of(order)
    if any(shipped_to) and any(
        shipped_to
        == tuple(
            " ".join(str(part).split()).casefold()
            for part in (each.region, each.city, each.street, each.postcode)
        )
        for each in creator.user.addresses.all()
    ):
        return "shared_address"
    buyer_accounts = Withdrawal.objects.filter(user_id=order.buyer_id).values("destination")
    if Withdrawal.objects.filter(user_id=creator.user_id, destination__in=buyer_accounts).exists():
        return "shared_payout"
    return ""


def commission_attribute(*, order_id: int) -> Commission | None:
    """The order was paid: make the commission of the creator whose link the buyer clicked last
    within CREATOR_ATTRIBUTION_DAYS before paying, or nothing when no click counts. Safe to run twice
    (one commission per order)."""
    order = Order.objects.select_related("listing").get(pk=order_id)
    paid_at = order.paid_at or timezone.now()
    click = (
        LinkClick.objects.filter(
            user_id=order.buyer_id,
            link__listing_id=order.listing_id,
            at__gte=paid_at - timedelta(days=settings.CREATOR_ATTRIBUTION_DAYS),
            at__lte=paid_at,
            link__video__creator__status=CreatorStatus.APPROVED,
        )
        .select_related("link__video__creator__user")
        .order_by("-at", "-id")
        .first()
    )
    if click is None:
        return None
    link = click.link
    creator = link.video.creator
    rate = link.rate if paid_at <= link.rate_locked_until else current_rate(order.listing)
    refusal = _refusal(order, creator)
    commission, _created = Commission.objects.get_or_create(
        order=order,
        defaults={
            "creator": creator,
            "link": link,
            "rate": rate,
            "amount": Decimal("0") if refusal else quantize(rate * order.price),
            "status": CommissionStatus.REFUSED if refusal else CommissionStatus.PENDING,
            "refusal": refusal,
            "clicked_at": click.at,
        },
    )
    return commission


def _released(order: Order) -> Decimal | None:
    """What the order's sale released from escrow, or None when it released nothing (yet)."""
    total = Entry.objects.filter(
        transaction__idempotency_key=sale_key(order.pk), account__purpose=AccountPurpose.ESCROW
    ).aggregate(total=Sum("amount"))["total"]
    return -total if total else None


@transaction.atomic
def commission_pay(*, order_id: int) -> Commission | None:
    """The order completed: pay its creator's pending commission through the ledger. Does nothing for
    an order with no pending commission, or whose sale was not released. A private seller's wallet
    that cannot cover it (they withdrew meanwhile) leaves it pending for the sweep."""
    commission = (
        Commission.objects.select_for_update(of=("self",))
        .select_related("order", "creator__user")
        .filter(order_id=order_id, status=CommissionStatus.PENDING)
        .first()
    )
    if commission is None:
        return None
    order = commission.order
    released = _released(order)
    if released is None:
        return None
    amount = quantize(commission.rate * released)
    if amount > 0:
        payer = (
            wallet_account(user=order.seller)
            if order.source == ListingSource.PERSON
            else platform_account(purpose=AccountPurpose.CREATOR_COMMISSIONS)
        )
        try:
            with transaction.atomic():
                ledger_post(
                    key=commission_key(order.pk),
                    cause=Cause.CREATOR_COMMISSION,
                    lines=[(payer, -amount), (wallet_account(user=commission.creator.user), amount)],
                    reference=order.number,
                    detail=order.title,
                )
        except InsufficientFunds:
            logger.warning("Commission on order %s waits: the seller's wallet cannot cover it", order.pk)
            return commission
    commission.amount, commission.status, commission.settled_at = (
        amount,
        CommissionStatus.PAID,
        timezone.now(),
    )
    commission.save(update_fields=["amount", "status", "settled_at"])
    if amount > 0:
        creator_notify_paid(commission=commission, link=reverse("feed:creator_dashboard"))
    return commission


@transaction.atomic
def commission_reverse(*, order_id: int) -> Commission | None:
    """The order was refunded: its creator's pending commission is reversed. Does nothing for an order
    with none pending."""
    commission = (
        Commission.objects.select_for_update()
        .filter(order_id=order_id, status=CommissionStatus.PENDING)
        .first()
    )
    if commission is None:
        return None
    commission.status, commission.settled_at = CommissionStatus.REVERSED, timezone.now()
    commission.amount = Decimal("0")  # nothing is paid on a refunded order (Commission.amount)
    commission.save(update_fields=["amount", "status", "settled_at"])
    return commission


def commissions_settle_due(*, limit: int = SWEEP_BATCH) -> int:
    """The periodic sweep: pay the pending commissions whose order completed, and reverse those whose
    order was refunded, when the signal's receiver did not (it failed, or the seller's wallet was
    short). Returns how many moved on."""
    due = (
        Commission.objects.filter(status=CommissionStatus.PENDING)
        .filter(Q(order__status__in=(OrderStatus.COMPLETED, OrderStatus.RESOLVED, OrderStatus.REFUNDED)))
        .order_by("id")
        .values_list("order_id", "order__status")[:limit]
    )
    moved = 0
    for order_id, status in due:
        try:
            # A dispute decided with a full refund released nothing: that is a refund too.
            refunded = status == OrderStatus.REFUNDED or (
                status == OrderStatus.RESOLVED and _released(Order(pk=order_id)) is None
            )
            done = commission_reverse(order_id=order_id) if refunded else commission_pay(order_id=order_id)
            moved += done is not None and done.status != CommissionStatus.PENDING
        except Exception:
            logger.exception("Could not settle the commission on order %s", order_id)
    return moved
