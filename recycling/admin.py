"""Admin for submissions: a read-only place to look a submission up, with its photos, estimates,
timeline. Nothing here changes a status (only recycling.services.transitions does, and
records who did it); staff work on submissions in the staff pages."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.admin import ReadOnlyInline
from recycling.models import Submission, SubmissionEvent, SubmissionPhoto, Valuation


class SubmissionPhotoInline(ReadOnlyInline):
    model = SubmissionPhoto
    fields = ("view", "preview", "width", "height", "phash", "created_at")
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def preview(self, photo: SubmissionPhoto) -> str:
        url = reverse("recycling:photo", args=[photo.pk])
        return format_html('<a href="{}"><img src="{}?w=320" width="96" alt=""></a>', url, url)


class ValuationInline(ReadOnlyInline):
    model = Valuation
    fields = (
        "created_at",
        "cash_low",
        "cash_high",
        "consign_low",
        "consign_high",
        "confidence",
        "model_version",
        "expires_at",
        "photo_flags",
    )
    readonly_fields = fields


class SubmissionEventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "seller", "category", "status", "declared_grade", "created_at")
    list_select_related = ("seller", "category")
    list_filter = ("status", "declared_grade", ("category", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "title", "seller__username", "seller__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    readonly_fields = (
        "code",
        "seller",
        "category",
        "brand",
        "catalog_model",
        "title",
        "attributes",
        "condition_answers",
        "declared_grade",
        "status",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = (SubmissionPhotoInline, ValuationInline, SubmissionEventInline)

    def has_add_permission(self, request) -> bool:
        return False  # submissions are made by sellers, through recycling.services.intake

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
