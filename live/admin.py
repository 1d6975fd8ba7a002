"""Admin for live shows: a read-only place to look one up, with its line-up, RSVPs and timeline.
Nothing here changes a show (only live.services do, and record who did it); the ingest key is never
shown."""

from django.contrib import admin

from live.models import FlashSale, Show, ShowEvent, ShowItem, ShowPin, WaitlistEntry
from marketplace.admin import ReadOnlyAdmin, ReadOnlyInline


class ShowItemInline(ReadOnlyInline):
    model = ShowItem
    fields = ("position", "listing")
    readonly_fields = fields


class ShowPinInline(ReadOnlyInline):
    model = ShowPin
    fields = ("listing", "pinned_at", "unpinned_at")
    readonly_fields = fields


class ShowEventInline(ReadOnlyInline):
    model = ShowEvent
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields


@admin.register(Show)
class ShowAdmin(ReadOnlyAdmin):
    list_display = ("title", "host", "status", "starts_at", "started_at", "ended_at")
    list_select_related = ("host",)
    list_filter = ("status", "platform")
    search_fields = ("title", "host__username", "stream_name")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at", "-id")
    readonly_fields = (
        "host",
        "title",
        "status",
        "platform",
        "starts_at",
        "stream_name",
        "playback_url",
        "started_at",
        "ended_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = (ShowItemInline, ShowPinInline, ShowEventInline)


class WaitlistEntryInline(ReadOnlyInline):
    model = WaitlistEntry
    fields = ("user", "joined_at", "offered_at", "skipped")
    readonly_fields = fields


@admin.register(FlashSale)
class FlashSaleAdmin(ReadOnlyAdmin):
    list_display = ("listing", "show", "price", "status", "starts_at", "ends_at", "order")
    list_select_related = ("listing", "show", "order")
    list_filter = ("status",)
    search_fields = ("listing__title", "show__title", "order__number")
    ordering = ("-starts_at", "-id")
    readonly_fields = (
        "show",
        "listing",
        "price",
        "status",
        "starts_at",
        "ends_at",
        "order",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = (WaitlistEntryInline,)
