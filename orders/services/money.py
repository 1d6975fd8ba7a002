"""The ledger postings an order makes. Each is keyed by its cause, so posting it again moves nothing.

    payment received    payments clearing -T   escrow +T          (T: the price plus the shipping fee)
    prepaid label       escrow -S              shipping costs +S  (S: the shipping fee; key shipping:order:<id>)
    own parcel          escrow -S              seller's wallet +S (the seller sent it themselves; same key)
    refund              escrow -R              payments clearing +R   (then the provider refunds the card)
    full refund after   escrow -(T - S)        payments clearing +T, shipping costs -S
      a prepaid label                          (Reloop absorbs the label it bought)
    inspection fee      escrow -I              inspection fees +I  (inspected delivery, when the sale is released)
    sale, person        escrow -X              seller's wallet +(X - fee), commission revenue +fee
    sale, platform      escrow -X              platform stock sales +X
    sale, consigned     escrow -X              consignment payable +X (settled by the consignment app)

The shipping fee goes one way only, whichever comes first under the one key `shipping:order:<id>`:
into the prepaid label, or to the seller when the sale is released and no label was booked. So at
every ending the order's escrow is back to zero: released (the price) and the fee gone one way, or
refunded in full.

The caller holds the order's row lock and has checked that the order's state allows the posting.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from accounts.models import User
from listings.models import ListingSource
from marketplace.money import quantize
from orders.models import Order, Payment
from wallet.models import AccountPurpose, Cause, Entry, Transaction
from wallet.services.ledger import ledger_post, platform_account, wallet_account

# The ledger key of a sale's release from escrow. Consignment settlement finds the sale posting by it
# (in SQL, from the prefix), so writer and reader share these two.
SALE_KEY_PREFIX = "sale:order:"


def sale_key(order_id: int) -> str:
    return f"{SALE_KEY_PREFIX}{order_id}"


def shipping_key(order_id: int) -> str:
    """The ledger key of what became of an order's shipping fee (a prepaid label, or the seller's)."""
    return f"shipping:order:{order_id}"


def platform_fee(price: Decimal) -> Decimal:
    """The platform's fee on a person-to-person sale of `price`, rounded half up to the cent."""
    return quantize(price * settings.PLATFORM_FEE_RATE)


def seller_share(amount: Decimal) -> Decimal:
    """What a private seller's wallet gets of a sale of `amount`: the amount less the platform's fee."""
    return amount - platform_fee(amount)


def payment_received_post(*, payment: Payment) -> Transaction:
    """The provider took the buyer's money: hold it in escrow for the order."""
    return ledger_post(
        key=f"payment:{payment.pk}",
        cause=Cause.PAYMENT,
        lines=[
            (platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING), -payment.amount),
            (platform_account(purpose=AccountPurpose.ESCROW), payment.amount),
        ],
        reference=payment.order.number,
        detail=payment.order.title,
    )


def refund_post(
    *,
    payment: Payment,
    amount: Decimal,
    key: str,
    by: User | None = None,
    from_shipping_costs: Decimal = Decimal("0"),
) -> Transaction:
    """Take `amount` out of escrow back to the buyer's card. `key` names why (a return, a dispute, a
    payment that came too late), so the same refund is never posted twice. `from_shipping_costs` of
    it comes from the platform's shipping costs instead: the fee already spent on a prepaid label,
    which Reloop absorbs when it refunds everything the buyer paid."""
    lines = [
        (platform_account(purpose=AccountPurpose.ESCROW), -(amount - from_shipping_costs)),
        (platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING), amount),
    ]
    if from_shipping_costs:
        lines.append((platform_account(purpose=AccountPurpose.SHIPPING_COSTS), -from_shipping_costs))
    return ledger_post(
        key=key,
        cause=Cause.REFUND,
        lines=lines,
        reference=payment.order.number,
        detail=payment.order.title,
        by=by,
    )


def sale_release_post(*, order: Order, amount: Decimal, by: User | None = None) -> Transaction:
    """Release `amount` of the order's escrow (the price, or what a partial refund left) to whoever
    the sale pays: the seller less the fee, the platform's revenue, or consignment payable."""
    escrow = platform_account(purpose=AccountPurpose.ESCROW)
    if order.source == ListingSource.PERSON:
        lines = [
            (escrow, -amount),
            (wallet_account(user=order.seller), seller_share(amount)),
            (platform_account(purpose=AccountPurpose.COMMISSION_REVENUE), platform_fee(amount)),
        ]
    elif order.source == ListingSource.PLATFORM:
        lines = [(escrow, -amount), (platform_account(purpose=AccountPurpose.SALES_REVENUE), amount)]
    else:
        lines = [(escrow, -amount), (platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE), amount)]
    return ledger_post(
        key=sale_key(order.pk),
        cause=Cause.SALE,
        lines=lines,
        reference=order.number,
        detail=order.title,
        by=by,
    )


def shipping_label_post(*, order: Order, by: User | None = None) -> Transaction:
    """The seller booked the prepaid label: the buyer's shipping fee leaves escrow for the platform's
    shipping costs, which pay the carrier. Once per order (`shipping_key`); the caller has checked
    that the order has a fee."""
    return ledger_post(
        key=shipping_key(order.pk),
        cause=Cause.SHIPPING_FEE,
        lines=[
            (platform_account(purpose=AccountPurpose.ESCROW), -order.shipping_fee),
            (platform_account(purpose=AccountPurpose.SHIPPING_COSTS), order.shipping_fee),
        ],
        reference=order.number,
        detail=order.title,
        by=by,
    )


def shipping_fee_to_seller_post(*, order: Order, by: User | None = None) -> Transaction | None:
    """The sale is released and the seller sent the parcel themselves: the buyer's shipping fee goes to
    their wallet, with no platform fee on it. Posts nothing when the order has no fee, or when the fee
    already went into a prepaid label (the same key)."""
    if order.shipping_fee <= 0:
        return None
    return ledger_post(
        key=shipping_key(order.pk),
        cause=Cause.SHIPPING_FEE,
        lines=[
            (platform_account(purpose=AccountPurpose.ESCROW), -order.shipping_fee),
            (wallet_account(user=order.seller), order.shipping_fee),
        ],
        reference=order.number,
        detail=order.title,
        by=by,
    )


def shipping_fee_spent_on_label(order: Order) -> Decimal:
    """How much of the order's shipping fee paid for a prepaid label (0 when none was booked)."""
    spent = Entry.objects.filter(
        transaction__idempotency_key=shipping_key(order.pk), account__purpose=AccountPurpose.SHIPPING_COSTS
    ).aggregate(total=Sum("amount"))["total"]
    return spent or Decimal("0")


def inspection_fee_post(*, order: Order, by: User | None = None) -> Transaction | None:
    """The sale of an inspected delivery is released: its inspection fee leaves escrow for the
    platform's inspection fees. Once per order (`inspection:order:<id>`); nothing for an order without
    the fee. A refund in full before this returns the fee with the rest."""
    if order.inspection_fee <= 0:
        return None
    return ledger_post(
        key=f"inspection:order:{order.pk}",
        cause=Cause.INSPECTION_FEE,
        lines=[
            (platform_account(purpose=AccountPurpose.ESCROW), -order.inspection_fee),
            (platform_account(purpose=AccountPurpose.INSPECTION_FEES), order.inspection_fee),
        ],
        reference=order.number,
        detail=order.title,
        by=by,
    )
