from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Address, User


@admin.register(User)
class ReloopUserAdmin(UserAdmin):
    # UserAdmin always sets its fieldsets; the stubs type them as ModelAdmin's, which may be None.
    fieldsets = (*(UserAdmin.fieldsets or ()), (_("Profile"), {"fields": ("display_name", "city", "bio")}))
    list_display = ("username", "display_name", "email", "city", "is_staff")


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "city", "region", "is_default", "updated_at")
    list_filter = ("is_default",)
    list_select_related = ("user",)
    search_fields = ("user__username", "name", "phone", "city", "postcode")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
