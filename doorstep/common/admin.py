from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from doorstep.common.models import AuditEntry, AuditHead


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For records written only by services (imports, refreshes, the audit chain): look, never touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "at", "actor_label", "action", "subject_type", "subject_id")
    list_filter = ("action",)
    search_fields = ("subject_id", "actor_label")


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "digest")
