"""Refunds: money out of escrow in the ledger now, back to the buyer's card at the provider after commit.

The ledger posting and the payment's `refunded_amount` change in the caller's database transaction;
the provider call happens in a job after commit (never under a row lock), with an idempotency key
derived from the refund's cause, so a retried job refunds the card once. Each refund is a Refund row,
marked sent when the provider has taken it; `refunds_send_unsent` sends those whose job was lost.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.jobs import enqueue_on_commit
from orders.errors import OrderError, PaymentProviderUnavailable
from orders.models import Order, Payment, PaymentStatus, Refund
from orders.payments import PaymentDeclined, get_payment_provider
from orders.services.money import refund_post, shipping_fee_spent_on_label
from wallet.models import Transaction

logger = logging.getLogger(__name__)


def order_refund(
    *,
    order: Order,
    amount: Decimal,
    key: str,
    by: User | None = None,
    payment: Payment | None = None,
    from_shipping_costs: Decimal = Decimal("0"),
) -> Payment:
    """Refund `amount` of what the buyer paid for `order`. `key` names the cause ("refund:return:12");
    the same key again refunds nothing more. `payment` picks which of the order's payments to refund
    (a duplicate one); by default the first that has `amount` left. `from_shipping_costs` of the
    amount comes out of the platform's shipping costs rather than escrow (see `order_refund_in_full`).
    The caller holds the order's row lock and moves the order's status itself. Raises OrderError if
    the order has no such amount left."""
    payments = Payment.objects.select_for_update().filter(
        order=order, status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
    )
    if payment is not None:
        payments = payments.filter(pk=payment.pk)
    candidates = list(payments.order_by("id"))
    if not candidates:
        raise OrderError(_("This order has no payment to refund."), code="nothing_to_refund")
    if Transaction.objects.filter(idempotency_key=key).exists():  # refunded under this key before
        return candidates[0]
    payment = next((each for each in candidates if 0 < amount <= each.amount - each.refunded_amount), None)
    if payment is None:
        raise OrderError(
            _("A refund must be more than zero and at most what is left of the payment."),
            code="refund_amount",
            field="refund_amount",
        )
    payment.order = order
    posted = refund_post(
        payment=payment, amount=amount, key=key, by=by, from_shipping_costs=from_shipping_costs
    )
    if not posted.created:
        return payment
    # Summed here in Decimal, under the payment's row lock (SQLite would add in floating point).
    payment.refunded_amount += amount
    fields = ["refunded_amount", "updated_at"]
    if payment.refunded_amount == payment.amount:
        payment.status = PaymentStatus.REFUNDED
        fields.append("status")
    payment.save(update_fields=fields)
    Refund.objects.create(payment=payment, key=key, amount=amount)

    from orders.tasks import send_refund

    enqueue_on_commit(send_refund, payment_id=payment.pk, key=key, amount=str(amount))
    return payment


def order_refund_in_full(*, order: Order, key: str, by: User | None = None) -> Decimal:
    """Refund everything the buyer paid for `order`: the price and the shipping fee. A fee already
    spent on a prepaid label comes back out of the platform's shipping costs (Reloop absorbs the
    label), so that the order's escrow ends at zero. Returns the amount refunded. Same contract as
    `order_refund`."""
    order_refund(
        order=order,
        amount=order.total,
        key=key,
        by=by,
        from_shipping_costs=shipping_fee_spent_on_label(order),
    )
    return order.total


def refund_send(*, payment_id: int, key: str, amount: Decimal) -> str:
    """Ask the provider to refund the card; called by the job after the ledger has the refund.
    Raises PaymentProviderUnavailable for a retry. Returns the provider's refund id."""
    payment = Payment.objects.get(pk=payment_id)
    # A payment that took money has the provider's reference (it is empty only before the provider answers).
    reference = cast(str, payment.provider_reference)
    refund_reference = get_payment_provider().refund(idempotency_key=key, reference=reference, amount=amount)
    Refund.objects.filter(key=key, sent_at__isnull=True).update(
        sent_at=timezone.now(), provider_reference=refund_reference[:64]
    )
    return refund_reference


# A refund still unsent this long after it was posted lost its job (the broker was down, or the
# provider stayed down through every retry): the sweep sends it.
REFUND_RESEND_AFTER = timedelta(minutes=15)
REFUND_RESEND_BATCH = 100


def refunds_send_unsent(*, now: datetime | None = None, limit: int = REFUND_RESEND_BATCH) -> int:
    """The periodic sweep for `send_refund`: send up to `limit` refunds, oldest first, posted more than
    REFUND_RESEND_AFTER ago and not yet taken by the provider. The provider's idempotency key makes a
    refund sent twice (its job ran meanwhile) refund the card once. Stops early when the provider does
    not answer (the next run carries on); a refund the provider refuses is logged and skipped. Returns
    how many were sent."""
    cutoff = (now or timezone.now()) - REFUND_RESEND_AFTER
    unsent = list(
        Refund.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("payment_id", "key", "amount")[:limit]
    )
    sent = 0
    for payment_id, key, amount in unsent:
        try:
            refund_send(payment_id=payment_id, key=key, amount=amount)
        except PaymentProviderUnavailable:
            logger.warning("The payment provider does not answer; %d of %d refunds sent.", sent, len(unsent))
            break
        except PaymentDeclined:
            logger.exception("The payment provider refused refund %s", key)
            continue
        sent += 1
    return sent
