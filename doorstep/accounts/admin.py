from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from doorstep.accounts.models import Agency, Team, Territory, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Doorstep", {"fields": ("role", "agency", "employee_number")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Doorstep", {"fields": ("role", "agency")}))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("code", "name", "territory", "agency", "is_active")
    list_filter = ("territory", "agency", "is_active")
    filter_horizontal = ("members",)
    search_fields = ("code", "name")


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin[Territory]):
    list_display = ("code", "name", "center_lat", "center_lon", "timezone")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ("code", "name", "contract_ends_on", "is_published", "last_reviewed_on", "is_active")
    list_filter = ("is_published", "is_active")
    search_fields = ("code", "name")
