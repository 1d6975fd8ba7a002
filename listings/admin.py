"""Admin for the catalog and listings: a place to look things up and fix catalog data.

Listing status is not editable here: it moves only through listings.services.listing_move, which
records who moved it. Photos are shown, not uploaded, because uploads must pass listings.photos.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from listings.models import Brand, CatalogModel, Category, Listing, ListingEvent, ListingPhoto, PhotoStatus
from listings.selectors import category_tree_forget


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "slug", "parent", "position", "is_luxury")
    list_select_related = ("parent",)
    list_filter = ("is_luxury", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    ordering = ("parent__name", "position", "name")

    # The channel serves the tree from the cache; edits here should show without waiting for it.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(category_tree_forget)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(category_tree_forget)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "slug")
    search_fields = ("name", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("categories",)


@admin.register(CatalogModel)
class CatalogModelAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "category", "launch_price", "launch_year")
    list_select_related = ("brand", "category")
    list_filter = ("launch_year", ("brand", admin.RelatedOnlyFieldListFilter), "category")
    search_fields = ("name", "brand__name", "brand__name_zh")
    autocomplete_fields = ("brand", "category")


class ListingPhotoInline(admin.TabularInline):
    model = ListingPhoto
    extra = 0
    can_delete = False  # removal goes through listing_photo_remove, which also deletes the files
    fields = ("preview", "position", "status", "width", "height", "key", "created_at")
    readonly_fields = ("preview", "status", "width", "height", "key", "created_at")
    ordering = ("position", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("preview"))
    def preview(self, photo: ListingPhoto) -> str:
        if photo.status != PhotoStatus.READY:
            return photo.get_status_display()
        return format_html('<img src="{}" width="120" alt="">', photo.thumbnail_url(240))


class ListingEventInline(admin.TabularInline):
    model = ListingEvent
    extra = 0
    can_delete = False
    fields = ("at", "old", "new", "by", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "seller",
        "category",
        "brand",
        "price",
        "grade",
        "status",
        "source",
        "published_at",
    )
    list_select_related = ("seller", "category", "brand")
    list_filter = (
        "status",
        "source",
        "grade",
        "authenticated",
        ("category", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "seller__username", "seller__email", "report_code")
    date_hierarchy = "created_at"
    raw_id_fields = ("seller",)
    autocomplete_fields = ("category", "brand", "catalog_model")
    readonly_fields = ("status", "cover_key", "created_at", "updated_at", "published_at")
    inlines = (ListingPhotoInline, ListingEventInline)
    show_full_result_count = False  # COUNT(*) over the whole table on every change list is costly
