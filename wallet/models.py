"""The double-entry ledger and withdrawals.

Every movement of money is a `Transaction` whose `Entry` rows sum to zero. Amounts are signed from the
point of view of whoever the account belongs to: a positive entry on a user's wallet is money Reloop
owes them, a positive entry on escrow is money held for an order, a negative entry on payments
clearing is money the payment provider holds for Reloop. So a user's wallet balance is simply the sum
of its entries, and it may never go below zero.

Transactions are written only by `wallet.services.ledger_post`, which checks the sum, locks the
accounts it touches and keeps `Account.balance` (a cache of the entries' sum) in step. PostgreSQL
checks the sum again at commit (migration 0002); the balance check is a table constraint.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.masking import mask_tail
from marketplace.status_events import Catalog, StatusEvent


class AccountPurpose(models.TextChoices):
    WALLET = "wallet", _("Wallet")  # a user's balance: sale proceeds and payouts, withdrawable
    PAYMENTS_CLEARING = "payments_clearing", _("Payments clearing")  # held by the payment provider
    ESCROW = "escrow", _("Escrow")  # buyers' payments held until the buyer is satisfied
    COMMISSION_REVENUE = "commission_revenue", _("Commission revenue")  # fees on person-to-person sales
    SALES_REVENUE = "sales_revenue", _("Platform stock sales")  # sales of items Reloop owns
    CONSIGNMENT_PAYABLE = "consignment_payable", _("Consignment payable")  # sold consigned items, unsettled
    RECYCLE_PURCHASES = "recycle_purchases", _("Recycle purchases")  # what Reloop paid for items it bought
    PAYOUTS_IN_FLIGHT = "payouts_in_flight", _("Payouts in flight")  # withdrawals sent, not yet confirmed
    SHIPPING_COSTS = "shipping_costs", _("Shipping costs")  # buyers' shipping fees spent on prepaid labels
    INSPECTION_FEES = "inspection_fees", _("Inspection fees")  # earned on inspected deliveries that completed
    # Creators' commissions Reloop paid on its own stock and consigned items (a private seller pays
    # the commission on their own items from their wallet).
    CREATOR_COMMISSIONS = "creator_commissions", _("Creator commissions")
    # A store's deposit (保证金), held by Reloop for the store's owner: only a decided case takes from
    # it, and what is left goes back to their wallet 90 days after the store closes (trust.deposits).
    DEPOSIT = "deposit", _("Store deposit")


# The accounts that belong to a user, one of each purpose at most; every other account is the
# platform's, one per purpose.
USER_PURPOSES = (AccountPurpose.WALLET, AccountPurpose.DEPOSIT)


# Accounts whose balance can never be negative: nobody can owe through their wallet, and the platform
# cannot release or pay out more than it holds.
NON_NEGATIVE_PURPOSES = (
    AccountPurpose.WALLET,
    AccountPurpose.ESCROW,
    AccountPurpose.CONSIGNMENT_PAYABLE,
    AccountPurpose.PAYOUTS_IN_FLIGHT,
    AccountPurpose.DEPOSIT,
)


class Account(models.Model):
    """A user's wallet and store deposit (one of each at most), and one per platform purpose (user
    is empty)."""

    purpose = models.CharField(_("purpose"), max_length=24, choices=AccountPurpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        related_name="ledger_accounts",
        on_delete=models.PROTECT,
    )
    # The sum of this account's entries, kept by ledger_post under the account's row lock.
    balance = models.DecimalField(_("balance"), max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=USER_PURPOSES, user__isnull=False)
                | (~Q(purpose__in=USER_PURPOSES) & Q(user__isnull=True)),
                name="account_wallet_has_user",
            ),
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(user__isnull=False),
                name="account_one_per_user_purpose",
            ),
            models.UniqueConstraint(
                fields=["purpose"], condition=Q(user__isnull=True), name="account_one_per_platform_purpose"
            ),
            models.CheckConstraint(
                condition=~Q(purpose__in=NON_NEGATIVE_PURPOSES) | Q(balance__gte=0),
                name="account_balance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return f"{self.purpose}:{self.user_id}"
        return self.purpose


class Cause(models.TextChoices):
    """Why money moved. Each has a sentence in `wallet.causes` that the wallet page shows."""

    PAYMENT = "payment", _("Payment received")  # a buyer paid for an order; held in escrow
    REFUND = "refund", _("Refund")  # money back to a buyer's card
    SALE = "sale", _("Sale")  # an order completed: escrow released to the seller (and fee, revenue)
    WITHDRAWAL = "withdrawal", _("Withdrawal")  # a user moved money out of their wallet
    WITHDRAWAL_PAID = "withdrawal_paid", _("Withdrawal paid")  # the payout provider confirmed it
    WITHDRAWAL_RETURNED = "withdrawal_returned", _("Withdrawal returned")  # failed or refused: money back
    RECYCLE_PAYOUT = "recycle_payout", _("Recycle payout")  # Reloop bought a seller's item
    CONSIGNMENT_SETTLEMENT = "consignment_settlement", _("Consignment settlement")  # a consigned sale paid
    # A buyer's shipping fee: spent on the prepaid label the seller booked, or paid to a seller who
    # sent the parcel themselves.
    SHIPPING_FEE = "shipping_fee", _("Shipping fee")
    INSPECTION_FEE = "inspection_fee", _("Inspection fee")  # an inspected delivery's fee, once it completed
    # A creator's commission on a sale made through their link: from the seller's wallet, or from
    # Reloop's creator commissions for its own stock and consigned items, to the creator's wallet.
    CREATOR_COMMISSION = "creator_commission", _("Creator commission")
    DEPOSIT_PAID = "deposit_paid", _("Deposit paid")  # a store owner moved money into their deposit
    # A decided case (a dispute or a violation) took part of a store's deposit for whoever was harmed.
    DEPOSIT_DEDUCTED = "deposit_deducted", _("Deposit deduction")
    DEPOSIT_REFUNDED = "deposit_refunded", _("Deposit refunded")  # what was left, after a closed store's tail
    REVERSAL = "reversal", _("Correction")  # reverses an earlier transaction entry by entry


class Transaction(models.Model):
    # Names what caused the transaction, e.g. "payment:17" or "sale:order:42": posting the same cause
    # twice finds the first transaction instead of moving money again.
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    cause = models.CharField(_("cause"), max_length=24, choices=Cause.choices)
    # What the cause refers to, in words the wallet page can show: an order number, a withdrawal's id.
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    # A short free text for the sentence, such as the title of the item sold.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        related_name="reversed_by",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # Not a column: the posting services set it, False when the key had been posted before.
    created: bool

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.idempotency_key


class Entry(models.Model):
    transaction = models.ForeignKey(
        Transaction, verbose_name=_("transaction"), related_name="entries", on_delete=models.PROTECT
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), related_name="entries", on_delete=models.PROTECT
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The account's balance right after this entry, for statements that need no running sum.
    balance_after = models.DecimalField(_("balance after"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["account", "-id"], name="entry_account_newest")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+}"


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")  # above the threshold: operations must approve
    APPROVED = "approved", _("Approved")  # ready for the payout job (small amounts start here)
    SENT = "sent", _("Sent")  # the payout provider accepted it
    CONFIRMED = "confirmed", _("Paid")  # the provider confirmed the money arrived
    FAILED = "failed", _("Failed")  # the provider could not pay it; the money is back in the wallet
    REJECTED = "rejected", _("Refused")  # operations refused it; the money is back in the wallet


class Withdrawal(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="withdrawals", on_delete=models.PROTECT
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # Where the money goes: a bank card or payment account number, as the payout provider takes it.
    destination = models.CharField(_("pay to"), max_length=40)
    # Chosen by the client for one press of "withdraw": the same key again returns the same withdrawal.
    request_key = models.CharField(_("request key"), max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=WithdrawalStatus.choices, default=WithdrawalStatus.REQUESTED
    )
    provider_reference = models.CharField(_("provider reference"), max_length=64, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Not a column: withdrawal_request sets it, False when the request key had been used before.
    created: bool

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "request_key"], name="withdrawal_once_per_request"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="withdrawal_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="withdrawal_status_oldest")]

    def __str__(self) -> str:
        return f"W{self.pk}"

    @property
    def destination_masked(self) -> str:
        """The account number as people see it, "•••• 6789": only the payout job reads it whole."""
        return mask_tail(self.destination)


class WithdrawalEvent(StatusEvent):
    withdrawal = models.ForeignKey(
        Withdrawal, verbose_name=_("withdrawal"), related_name="events", on_delete=models.CASCADE
    )
    old = models.CharField(_("old status"), max_length=12, choices=WithdrawalStatus.choices, blank=True)
    new = models.CharField(_("new status"), max_length=12, choices=WithdrawalStatus.choices)

    class Meta:
        verbose_name = _("withdrawal event")
        verbose_name_plural = _("withdrawal events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from wallet.messages import MESSAGES  # on first use: a catalog may name choices declared here

        return MESSAGES
