"""Admin for orders: a read-only place to look an order up, with its timeline, payments, return,
dispute and rating, and the payment provider's webhook events. Nothing here changes a status or moves
money (only orders.services do, through the ledger, recording who did it); operations work on orders
in the staff pages at /staff/orders/."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.admin import ReadOnlyAdmin, ReadOnlyInline
from orders.models import Dispute, Order, OrderEvent, Payment, ProviderEvent, Rating, ReturnRequest


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("created_at", "idempotency_key", "provider_reference", "amount", "refunded_amount", "status")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "buyer", "seller", "source", "price", "status", "created_at")
    list_select_related = ("buyer", "seller")
    list_filter = ("status", "source")
    search_fields = ("number", "title", "shipment__tracking_number", "buyer__username", "seller__username")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    fields = (
        "number",
        "status",
        "title",
        "listing",
        "source",
        "price",
        "shipping_fee",
        "buyer",
        "seller",
        "reserved_until",
        "ship_to_name",
        "ship_to_phone",
        "ship_to_region",
        "ship_to_city",
        "ship_to_address",
        "ship_to_postcode",
        "shipment",
        "paid_at",
        "shipped_at",
        "delivered_at",
        "completed_at",
        "created_at",
        "updated_at",
        "staff_page",
    )
    inlines = (OrderEventInline, PaymentInline)

    @admin.display(description=_("staff page"))
    def staff_page(self, order: Order) -> str:
        if order.status != "disputed":
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("orders_staff:dispute", args=[order.number]), _("Dispute")
        )


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "order", "amount", "refunded_amount", "status", "created_at")
    list_select_related = ("order",)
    list_filter = ("status",)
    search_fields = ("idempotency_key", "provider_reference", "order__number")


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "kind", "provider_reference", "occurred_at", "received_at")
    list_filter = ("kind",)
    search_fields = ("event_id", "provider_reference")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyAdmin):
    list_display = ("order", "status", "shipment", "created_at", "received_at")
    list_select_related = ("order", "shipment")
    list_filter = ("status",)
    search_fields = ("order__number", "shipment__tracking_number")
    fields = ("order", "reason", "status", "shipment", "created_at", "received_at")


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("order", "outcome", "refund_amount", "created_at", "resolved_at")
    list_select_related = ("order",)
    list_filter = ("outcome",)
    search_fields = ("order__number",)
    fields = (
        "order",
        "reason",
        "outcome",
        "refund_amount",
        "resolution_note",
        "resolved_by",
        "created_at",
        "resolved_at",
    )


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("order", "seller", "accuracy", "service", "shipping", "created_at")
    list_select_related = ("order", "seller")
    search_fields = ("order__number", "seller__username")
