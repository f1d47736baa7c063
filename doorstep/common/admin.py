from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from doorstep.common.models import AuditEntry, AuditHead


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("sequence", "at", "actor_label", "action", "subject_type", "subject_id")
    list_filter = ("action",)
    search_fields = ("subject_id", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditHead)
class AuditHeadAdmin(admin.ModelAdmin[AuditHead]):
    list_display = ("sequence", "digest")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
