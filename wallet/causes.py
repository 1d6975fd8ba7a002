"""Each ledger entry's cause in words, in the reader's language.

The words are made when the page is shown, from what the transaction recorded (its cause, reference
and detail) and from which side of it the reader's account is on, so that a statement reads in the
language chosen today, not the one active when the money moved. Formats of `detail` this module reads:

- payment, refund, sale, shipping fee, recycle payout, consignment settlement: the item's title;
- withdrawal, withdrawal paid: the last four digits of the account paid to;
- withdrawal returned: "refused:<reason>" or "failed:<provider's reason>";
- creator commission: the item's title;
- deposit paid, deposit refunded: the store's name; deposit deducted: the disputed item's title;
- correction (reversal): the reason for the correction.

For a seller's sale the fee is the other side of the same transaction (its commission revenue
entry): callers prefetch `transaction__entries__account` (wallet.selectors does).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from marketplace.money import CENT
from marketplace.templatetags.money import money
from wallet.models import AccountPurpose, Cause, Entry, Transaction

# Why a withdrawal's money came back, kept in the returned transaction's detail before the reason
# (wallet.services.withdrawals writes them; the words below read them).
RETURNED_REFUSED = "refused"
RETURNED_FAILED = "failed"


def _commission_in(entry: Entry) -> Decimal:
    """What the entry's transaction booked as commission revenue: the fee taken from this payout."""
    return sum(
        (
            other.amount
            for other in entry.transaction.entries.all()
            if other.account.purpose == AccountPurpose.COMMISSION_REVENUE
        ),
        Decimal("0"),
    )


def _fee_words(entry: Entry) -> str:
    """ ", less the 5% platform fee of ¥65.00" for a seller's sale with a fee, else ""."""
    fee = _commission_in(entry)
    if fee <= 0:
        return ""
    gross = entry.amount + fee
    rate = settings.PLATFORM_FEE_RATE
    # Name the rate only when it is the one this fee was worked out with (the rate may change later).
    if (gross * rate).quantize(CENT, rounding=ROUND_HALF_UP) == fee:
        percent = f"{(rate * 100).normalize():f}"
        return _(", less the %(percent)s%% platform fee of %(fee)s") % {"percent": percent, "fee": money(fee)}
    return _(", less the platform fee of %(fee)s") % {"fee": money(fee)}


def _returned_words(txn: Transaction) -> str:
    why, _sep, reason = txn.detail.partition(":")
    if why == RETURNED_REFUSED:
        return _("Withdrawal %(withdrawal)s returned: refused by operations (%(reason)s)") % {
            "withdrawal": txn.reference,
            "reason": reason,
        }
    if why == RETURNED_FAILED and reason:
        return _("Withdrawal %(withdrawal)s returned: the payout failed (%(reason)s)") % {
            "withdrawal": txn.reference,
            "reason": reason,
        }
    return _("Withdrawal %(withdrawal)s returned: the payout failed") % {"withdrawal": txn.reference}


def transaction_words(txn: Transaction) -> str:
    """What the transaction was, without the side of any one account."""
    names = {"title": txn.detail, "reference": txn.reference}
    if txn.cause == Cause.PAYMENT:
        return _("Payment for “%(title)s” (order %(reference)s)") % names
    if txn.cause == Cause.REFUND:
        return _("Refund for “%(title)s” (order %(reference)s)") % names
    if txn.cause == Cause.SALE:
        return _("Sale of “%(title)s” (order %(reference)s)") % names
    if txn.cause == Cause.WITHDRAWAL:
        return _("Withdrawal %(reference)s to account ending %(last4)s") % {
            "reference": txn.reference,
            "last4": txn.detail,
        }
    if txn.cause == Cause.WITHDRAWAL_PAID:
        return _("Withdrawal %(reference)s paid to account ending %(last4)s") % {
            "reference": txn.reference,
            "last4": txn.detail,
        }
    if txn.cause == Cause.WITHDRAWAL_RETURNED:
        return _returned_words(txn)
    if txn.cause == Cause.RECYCLE_PAYOUT:
        return _("Reloop bought “%(title)s” (%(reference)s)") % names
    if txn.cause == Cause.CONSIGNMENT_SETTLEMENT:
        return _("Consigned “%(title)s” sold and settled (%(reference)s)") % names
    if txn.cause == Cause.SHIPPING_FEE:
        return _("Shipping fee for “%(title)s” (order %(reference)s)") % names
    if txn.cause == Cause.INSPECTION_FEE:
        return _("Inspection fee for “%(title)s” (order %(reference)s)") % names
    if txn.cause == Cause.CREATOR_COMMISSION:
        return _("Creator commission on “%(title)s” (order %(reference)s)") % names
    if txn.cause == Cause.DEPOSIT_PAID:
        return _("Paid into the deposit of the store “%(title)s”") % names
    if txn.cause == Cause.DEPOSIT_DEDUCTED:
        return _("Paid from a store's deposit for the dispute on order %(reference)s (“%(title)s”)") % names
    if txn.cause == Cause.DEPOSIT_REFUNDED:
        return _("Deposit of the closed store “%(title)s” returned") % names
    if txn.cause == Cause.REVERSAL:
        original = txn.reverses
        what = transaction_words(original) if original is not None else txn.reference
        if txn.detail:
            return _("Correction of “%(what)s”: %(reason)s") % {"what": what, "reason": txn.detail}
        return _("Correction of “%(what)s”") % {"what": what}
    return txn.get_cause_display()


def entry_words(entry: Entry) -> str:
    """The entry's cause as its account's owner reads it: a seller's sale names the fee taken."""
    words = transaction_words(entry.transaction)
    if (
        entry.transaction.cause == Cause.SALE
        and entry.account.purpose == AccountPurpose.WALLET
        and entry.amount > 0
    ):
        words += _fee_words(entry)
    elif (
        entry.transaction.cause == Cause.CONSIGNMENT_SETTLEMENT
        and entry.account.purpose == AccountPurpose.WALLET
        and entry.amount > 0
    ):
        commission = _commission_in(entry)
        if commission > 0:
            sold_for = entry.amount + commission
            words += _(": sold for %(price)s, less Reloop's commission of %(commission)s") % {
                "price": money(sold_for),
                "commission": money(commission),
            }
    elif (
        entry.transaction.cause == Cause.CREATOR_COMMISSION and entry.account.purpose == AccountPurpose.WALLET
    ):
        names = {"title": entry.transaction.detail, "reference": entry.transaction.reference}
        if entry.amount > 0:
            return _("Your commission on “%(title)s”, sold through your video (order %(reference)s)") % names
        return _("Commission to the creator whose video sold “%(title)s” (order %(reference)s)") % names
    return words
