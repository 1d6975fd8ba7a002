"""The ledger postings an order makes. Each is keyed by its cause, so posting it again moves nothing.

    payment received    payments clearing -X   escrow +X
    refund              escrow -R              payments clearing +R   (then the provider refunds the card)
    sale, person        escrow -X              seller's wallet +(X - fee), commission revenue +fee
    sale, platform      escrow -X              platform stock sales +X
    sale, consigned     escrow -X              consignment payable +X (settled by the consignment app)

The caller holds the order's row lock and has checked that the order's state allows the posting.
"""

from decimal import Decimal

from django.conf import settings

from accounts.models import User
from listings.models import ListingSource
from marketplace.money import quantize
from orders.models import Order, Payment
from wallet.models import AccountPurpose, Cause, Transaction
from wallet.services.ledger import ledger_post, platform_account, wallet_account

# The ledger key of a sale's release from escrow. Consignment settlement finds the sale posting by it
# (in SQL, from the prefix), so writer and reader share these two.
SALE_KEY_PREFIX = "sale:order:"


def sale_key(order_id: int) -> str:
    return f"{SALE_KEY_PREFIX}{order_id}"


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


def refund_post(*, payment: Payment, amount: Decimal, key: str, by: User | None = None) -> Transaction:
    """Take `amount` out of escrow back to the buyer's card. `key` names why (a return, a dispute, a
    payment that came too late), so the same refund is never posted twice."""
    return ledger_post(
        key=key,
        cause=Cause.REFUND,
        lines=[
            (platform_account(purpose=AccountPurpose.ESCROW), -amount),
            (platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING), amount),
        ],
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
