"""The sandbox providers' books in the admin, read-only: what a provider's dashboard would show."""

from django.contrib import admin

from sandbox.models import SandboxPayment, SandboxPayout, SandboxRefund, SandboxWebhook


class ReadOnlyAdmin(admin.ModelAdmin):
    """The sandbox's records change only through the provider's calls and its hosted page."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SandboxPayment)
class SandboxPaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "amount", "currency", "status", "refunded", "card_last4", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "idempotency_key")


@admin.register(SandboxRefund)
class SandboxRefundAdmin(ReadOnlyAdmin):
    list_display = ("reference", "payment", "amount", "created_at")
    list_select_related = ("payment",)
    search_fields = ("reference", "idempotency_key", "payment__reference")


@admin.register(SandboxWebhook)
class SandboxWebhookAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "attempts", "last_status", "delivered_at", "created_at")
    search_fields = ("event_id",)


@admin.register(SandboxPayout)
class SandboxPayoutAdmin(ReadOnlyAdmin):
    list_display = ("reference", "amount", "currency", "destination", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "idempotency_key")
