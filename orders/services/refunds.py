"""Refunds: money out of escrow in the ledger now, back to the buyer's card at the provider after commit.

The ledger posting and the payment's `refunded_amount` change in the caller's database transaction;
the provider call happens in a job after commit (never under a row lock), with an idempotency key
derived from the refund's cause, so a retried job refunds the card once.
"""

from decimal import Decimal
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from orders.errors import OrderError
from orders.models import Order, Payment, PaymentStatus
from orders.payments import get_payment_provider
from orders.services.money import refund_post
from wallet.models import Transaction


def order_refund(
    *, order: Order, amount: Decimal, key: str, by: User | None = None, payment: Payment | None = None
) -> Payment:
    """Refund `amount` of what the buyer paid for `order`. `key` names the cause ("refund:return:12");
    the same key again refunds nothing more. `payment` picks which of the order's payments to refund
    (a duplicate one); by default the first that has `amount` left. The caller holds the order's row
    lock and moves the order's status itself. Raises OrderError if the order has no such amount left."""
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
    posted = refund_post(payment=payment, amount=amount, key=key, by=by)
    if not posted.created:
        return payment
    # Summed here in Decimal, under the payment's row lock (SQLite would add in floating point).
    payment.refunded_amount += amount
    fields = ["refunded_amount", "updated_at"]
    if payment.refunded_amount == payment.amount:
        payment.status = PaymentStatus.REFUNDED
        fields.append("status")
    payment.save(update_fields=fields)

    from orders.tasks import send_refund

    transaction.on_commit(
        lambda: send_refund.delay(payment_id=payment.pk, key=key, amount=str(amount)), robust=True
    )
    return payment


def refund_send(*, payment_id: int, key: str, amount: Decimal) -> str:
    """Ask the provider to refund the card; called by the job after the ledger has the refund.
    Raises PaymentProviderUnavailable for a retry. Returns the provider's refund id."""
    payment = Payment.objects.get(pk=payment_id)
    # A payment that took money has the provider's reference (it is empty only before the provider answers).
    reference = cast(str, payment.provider_reference)
    return get_payment_provider().refund(idempotency_key=key, reference=reference, amount=amount)
