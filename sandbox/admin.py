"""The sandbox providers' books in the admin, read-only: what a provider's dashboard would show."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from sandbox.models import SandboxPayment, SandboxPayout, SandboxRefund, SandboxWebhook


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
