"""Admin for consignments: a read-only place to look one up, with its events and price drops.
Nothing here changes a status or a price (only consignment.services.transitions and the services do, and
record who did it)."""

from django.contrib import admin

from consignment.models import Consignment, ConsignmentEvent, PriceDrop
from marketplace.admin import ReadOnlyAdmin, ReadOnlyInline


class ConsignmentEventInline(ReadOnlyInline):
    model = ConsignmentEvent
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields


class PriceDropInline(ReadOnlyInline):
    model = PriceDrop
    fields = ("step", "old_price", "new_price", "applied_at")
    readonly_fields = fields


@admin.register(Consignment)
class ConsignmentAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "submission",
        "seller",
        "status",
        "list_price",
        "floor_price",
        "sale_price",
        "listed_at",
    )
    list_select_related = ("submission", "seller")
    list_filter = ("status",)
    search_fields = ("submission__code", "submission__title", "seller__username", "order__number")
    date_hierarchy = "listed_at"
    ordering = ("-listed_at", "-id")
    readonly_fields = (
        "submission",
        "offer",
        "seller",
        "listing",
        "status",
        "list_price",
        "floor_price",
        "commission_rate",
        "drop_schedule",
        "listed_at",
        "term_ends_at",
        "order",
        "sale_price",
        "commission",
        "payout",
        "sold_at",
        "settled_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = (PriceDropInline, ConsignmentEventInline)
