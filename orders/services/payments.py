"""Applying the payment provider's webhook events.

Providers deliver at least once and in no particular order: the same event may come twice, and a
"failed" may arrive after the "succeeded" of a later attempt. Each event is stored once by its id
(ProviderEvent), so a replay changes nothing; a payment's status only moves forward (a failure after
success is recorded but moves nothing); and every ledger posting is keyed by its cause.

What a successful payment does depends on where its order stands:

    awaiting payment                    → paid; the reserved item is sold
    lapsed or cancelled, item on sale   → paid; the item is reserved and sold to this buyer
    lapsed or cancelled, item gone      → the payment is refunded in full; the order is refunded
    already paid (two tabs, two cards)  → this second payment is refunded in full; the order stays

A success whose amount or currency is not the payment's is not applied at all: the payment is held
for review (PaymentStatus.REVIEW, with what the provider reported), the order stays unpaid, and the
orders desk lists it for operations. Only a success is held: a decline moves no money.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from listings.models import Listing, ListingStatus
from listings.services import listing_move
from orders.models import Order, OrderStatus, Payment, PaymentStatus, ProviderEvent
from orders.payments import PAYMENT_FAILED, PAYMENT_SUCCEEDED, REFUND_SUCCEEDED, PaymentWebhookEvent
from orders.services.money import payment_received_post
from orders.services.offers import offers_close_for_listing
from orders.services.refunds import order_refund
from orders.services.transitions import order_move
from orders.signals import order_paid

logger = logging.getLogger(__name__)

# Where an order waits for its payment: a success here pays for the order rather than duplicating it.
UNPAID_STATUSES = (OrderStatus.PENDING_PAYMENT, OrderStatus.EXPIRED, OrderStatus.CANCELLED)


@transaction.atomic
def payment_event_apply(*, event: PaymentWebhookEvent) -> ProviderEvent | None:
    """Store one provider event and apply it. Returns None for an event already stored (a replay:
    nothing changes); otherwise the stored event, with `applied` False when it moved nothing because
    it names no payment of ours (logged), is of a kind that needs nothing done, or put its payment
    on hold for review (`held_for_review`)."""
    payment = Payment.objects.filter(provider_reference=event.reference).first()
    if payment is not None:
        # The order's lock serialises every event of its payments (and the reservation job, and the
        # buyer's own actions), so two deliveries of one event cannot both pass the check below.
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
    stored, created = ProviderEvent.objects.get_or_create(
        event_id=event.event_id,
        defaults={
            "kind": event.kind[:40],
            "provider_reference": event.reference[:64],
            "payload": event.payload,
            "occurred_at": event.occurred_at,
        },
    )
    if not created:
        return None
    stored.applied = False
    stored.held_for_review = False
    if payment is None:
        logger.warning(
            "Payment event %s (%s) for unknown payment %s", event.event_id, event.kind, event.reference
        )
        return stored
    if event.amount != payment.amount and event.kind != REFUND_SUCCEEDED:
        logger.warning(
            "Payment event %s says %s, payment %s is for %s",
            event.event_id,
            event.amount,
            payment.pk,
            payment.amount,
        )
    if event.kind == PAYMENT_SUCCEEDED and not _matches(event, payment):
        stored.held_for_review = _payment_hold_for_review(payment=payment, event=event)
    elif event.kind == PAYMENT_SUCCEEDED:
        stored.applied = _payment_succeeded(order=order, payment=payment)
    elif event.kind == PAYMENT_FAILED:
        stored.applied = _payment_failed(
            payment=payment, reason=str(event.payload.get("data", {}).get("reason", ""))
        )
    return stored


def _matches(event: PaymentWebhookEvent, payment: Payment) -> bool:
    """The event is for the payment's amount, in the deployment's currency (when it names one)."""
    currency_ok = not event.currency or event.currency.upper() == settings.CURRENCY.upper()
    return event.amount == payment.amount and currency_ok


def _payment_hold_for_review(*, payment: Payment, event: PaymentWebhookEvent) -> bool:
    """Caller holds the payment's row lock. An open (or declined) attempt waits for operations, with
    what the provider reported; a payment already settled one way or the other is left as it is."""
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.FAILED):
        return False
    logger.warning(
        "Payment %s held for review: event %s reports %s %s, the payment is for %s %s",
        payment.pk,
        event.event_id,
        event.amount,
        event.currency or "(no currency)",
        payment.amount,
        settings.CURRENCY,
    )
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.REVIEW,
        reported_amount=event.amount,
        reported_currency=event.currency[:3],
        updated_at=timezone.now(),
    )
    return True


def _payment_failed(*, payment: Payment, reason: str) -> bool:
    """The card was declined. Only an open (or already failed) attempt records it: a failure that
    arrives after the success of a later try on the same page changes nothing."""
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.FAILED):
        return False
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED, failure_reason=reason[:200])
    return True


def _payment_succeeded(*, order: Order, payment: Payment) -> bool:
    """Caller holds the order's and the payment's row locks."""
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.FAILED):
        return False  # this payment's success was applied already (under another event id)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.SUCCEEDED, failure_reason="")
    payment.status = PaymentStatus.SUCCEEDED
    payment.order = order
    payment_received_post(payment=payment)

    if order.status not in UNPAID_STATUSES:
        order_refund(
            order=order, amount=payment.amount, key=f"refund:duplicate:{payment.pk}", payment=payment
        )
        return True

    listing = Listing.objects.select_for_update().get(pk=order.listing_id)
    if order.status == OrderStatus.PENDING_PAYMENT:
        # The listing is reserved for this order: the partial unique index allows no other live one.
        listing_move(listing_id=listing.pk, to=ListingStatus.SOLD, by=order.buyer, message="order.paid")
        order = order_move(order_id=order.pk, to=OrderStatus.PAID, by=None, message="payment.received")
    elif listing.status == ListingStatus.ACTIVE:
        listing_move(
            listing_id=listing.pk, to=ListingStatus.RESERVED, by=order.buyer, message="order.paid_late"
        )
        listing_move(listing_id=listing.pk, to=ListingStatus.SOLD, by=order.buyer, message="order.paid")
        order = order_move(order_id=order.pk, to=OrderStatus.PAID, by=None, message="payment.received_late")
    else:
        order_refund(order=order, amount=payment.amount, key=f"refund:late:{payment.pk}", payment=payment)
        if listing.status == ListingStatus.WITHDRAWN:
            message = "payment.late_taken_off_sale"
        else:
            message = "payment.late_sold"
        order_move(order_id=order.pk, to=OrderStatus.REFUNDED, by=None, message=message)
        return True
    offers_close_for_listing(listing_id=listing.pk, sold=True)
    transaction.on_commit(lambda: order_paid.send(sender=Order, order=order), robust=True)
    return True
