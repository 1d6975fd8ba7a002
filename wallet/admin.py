"""Admin for the ledger and withdrawals: a read-only place to look money up. Nothing here writes:
money moves only through wallet.services.ledger.ledger_post (a correction is a reversing entry), and
withdrawals move only through wallet.services.withdrawals (operations approve them on /staff/payouts/)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.admin import ReadOnlyAdmin, ReadOnlyInline
from wallet.causes import transaction_words
from wallet.models import Account, Entry, Transaction, Withdrawal, WithdrawalEvent


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ("account", "amount", "balance_after", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "purpose", "user", "balance", "created_at")
    list_filter = ("purpose",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("purpose", "user", "balance", "created_at")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "cause", "words", "created_at")
    list_filter = ("cause",)
    search_fields = ("idempotency_key", "reference", "detail")
    list_select_related = ("reverses",)
    readonly_fields = (
        "idempotency_key",
        "cause",
        "reference",
        "detail",
        "reverses",
        "created_by",
        "created_at",
    )
    inlines = (EntryInline,)

    @admin.display(description=_("cause in words"))
    def words(self, txn: Transaction) -> str:
        return transaction_words(txn)


class WithdrawalEventInline(ReadOnlyInline):
    model = WithdrawalEvent
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "amount", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("user__username", "provider_reference")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "amount",
        "account",
        "request_key",
        "status",
        "provider_reference",
        "failure_reason",
        "created_at",
        "updated_at",
    )
    exclude = ("destination",)
    inlines = (WithdrawalEventInline,)

    @admin.display(description=_("pay to"))
    def account(self, withdrawal: Withdrawal) -> str:
        # Staff see what the pages show; only the payout job reads the number whole.
        return withdrawal.destination_masked
