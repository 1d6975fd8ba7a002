"""Admin for shipments: a read-only place to look a parcel up by tracking number or reference. Nothing
here changes a status (only shipping.services does, and tells the apps that follow the parcel)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyInline
from shipping.models import CarrierEvent, Shipment


class CarrierEventInline(ReadOnlyInline):
    model = CarrierEvent
    fields = ("occurred_at", "kind", "location", "event_id", "received_at")
    readonly_fields = fields


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "reference", "purpose", "carrier", "method", "status", "created_at")
    list_filter = ("status", "purpose", "method", "carrier", "booked")
    search_fields = ("tracking_number", "reference")
    date_hierarchy = "created_at"
    readonly_fields = (
        "purpose",
        "reference",
        "carrier",
        "method",
        "pickup_start",
        "pickup_end",
        "tracking_number",
        "booked",
        "sender",
        "recipient",
        "label_path",
        "status",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = (CarrierEventInline,)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CarrierEvent)
class CarrierEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "shipment", "kind", "location", "occurred_at", "received_at")
    list_select_related = ("shipment",)
    list_filter = ("kind",)
    search_fields = ("event_id", "shipment__tracking_number")
    readonly_fields = ("shipment", "event_id", "kind", "location", "occurred_at", "received_at", "payload")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False
