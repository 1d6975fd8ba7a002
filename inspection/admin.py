"""Admin for inspection: editing checklists, and a read-only audit view of what inspectors did.

Checklists are versioned: a version no inspection has used can be edited here; once used it is
read-only (its reports name it) and the page offers "Save as new version", which copies it into
the next version for editing. Inspections, results, verdicts and reports change only through the
workbench services, which record who and when; here they can be looked up, never edited.
"""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspection.checklists import checklist_is_used, checklist_new_version, checklist_next_version
from inspection.models import (
    AuthenticityVerdict,
    Check,
    Checklist,
    CheckResult,
    Inspection,
    InspectionEvent,
    Report,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _used(checklist: Checklist | None) -> bool:
    if checklist is None or checklist.pk is None:
        return False
    cached = getattr(checklist, "used", None)  # annotated on the change list
    return cached if cached is not None else checklist_is_used(checklist)


class CheckInline(admin.TabularInline):
    model = Check
    extra = 0
    fields = (
        "position",
        "code",
        "group",
        "label",
        "label_zh",
        "severity",
        "measure",
        "unit",
        "min_value",
        "max_value",
    )
    ordering = ("position", "id")

    # `obj` is the checklist: a used version's checks are frozen along with it.
    def has_add_permission(self, request, obj=None) -> bool:
        return not _used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _used(obj) and super().has_delete_permission(request, obj)


class ChecklistCounts(TypedDict):
    check_count: int
    used: bool


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ("category", "version", "check_count", "used", "created_at", "notes")
    list_select_related = ("category",)
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("category__slug", "category__name", "category__name_zh", "notes")
    inlines = (CheckInline,)
    change_form_template = "admin/inspection/checklist/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                check_count=Count("checks", distinct=True),
                used=Exists(Inspection.objects.filter(checklist=OuterRef("pk"))),
            )
        )

    def get_fields(self, request, obj=None):
        return ("category", "version", "notes", "created_at")

    def get_readonly_fields(self, request, obj=None):
        # The version number is assigned on save (next free one); the category of a saved version is fixed.
        return ("version", "created_at") if obj is None else ("category", "version", "created_at")

    @admin.display(description=_("checks"), ordering="check_count")
    def check_count(self, checklist: "WithAnnotations[Checklist, ChecklistCounts]") -> int:
        return checklist.check_count

    @admin.display(description=_("used by inspections"), boolean=True, ordering="used")
    def used(self, checklist: "WithAnnotations[Checklist, ChecklistCounts]") -> bool:
        return checklist.used

    def has_change_permission(self, request, obj=None) -> bool:
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _used(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = checklist_next_version(obj.category)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="inspection_checklist_new_version",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        checklist = self.get_object(request, object_id)
        if checklist is not None:
            extra_context["checklist_used"] = _used(checklist)
            if self.has_add_permission(request):
                extra_context["new_version_url"] = reverse(
                    "admin:inspection_checklist_new_version", args=[checklist.pk]
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def new_version_view(self, request: HttpRequest, object_id: str):
        """POST: copy this checklist into the category's next version and open the copy for editing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        checklist = get_object_or_404(Checklist, pk=object_id)
        copy = checklist_new_version(checklist=checklist)
        self.log_addition(request, copy, [{"added": {}}])
        self.message_user(
            request,
            gettext("Version %(new)s created from version %(old)s; edit it here.")
            % {"new": copy.version, "old": checklist.version},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:inspection_checklist_change", args=[copy.pk]))


class ReadOnlyMixin:
    """Audit records: visible to staff with the view permission, changed only by the services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class InspectionEventInline(ReadOnlyMixin, admin.TabularInline):
    model = InspectionEvent
    extra = 0
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields


class CheckResultInline(ReadOnlyMixin, admin.TabularInline):
    model = CheckResult
    extra = 0
    fields = ("check_item", "outcome", "measured_value", "note", "photo_key", "recorded_by", "recorded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("check_item", "recorded_by")


class AuthenticityVerdictInline(ReadOnlyMixin, admin.TabularInline):
    model = AuthenticityVerdict
    extra = 0
    fields = ("at", "by", "verdict", "note")
    readonly_fields = fields


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "subject_code",
        "title",
        "category",
        "status",
        "inspector",
        "grade",
        "result",
        "authenticated",
        "escalated",
        "created_at",
        "completed_at",
    )
    list_select_related = ("category", "inspector")
    list_filter = ("status", "result", "grade", "escalated", ("category", admin.RelatedOnlyFieldListFilter))
    search_fields = ("subject_code", "title", "report__code")
    date_hierarchy = "created_at"
    inlines = (CheckResultInline, AuthenticityVerdictInline, InspectionEventInline)


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("inspection", "check_item", "outcome", "measured_value", "recorded_by", "recorded_at")
    list_select_related = ("inspection", "check_item", "recorded_by")
    list_filter = ("outcome", "check_item__severity")
    search_fields = ("inspection__subject_code", "check_item__code", "note")


@admin.register(AuthenticityVerdict)
class AuthenticityVerdictAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("inspection", "verdict", "by", "at")
    list_select_related = ("inspection", "by")
    list_filter = ("verdict",)
    search_fields = ("inspection__subject_code", "note")


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "inspection", "published_at", "content_hash")
    list_select_related = ("inspection",)
    search_fields = ("code", "inspection__subject_code")
    date_hierarchy = "published_at"
