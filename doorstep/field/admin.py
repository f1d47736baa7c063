"""Back-office views of field visits: read-only, since doorstep.field.services is their only writer
(each write audited, phone writes in the operation ledger); supervisors act on the live board."""

from __future__ import annotations

from django.contrib import admin

from doorstep.common.admin import ReadOnlyAdmin
from doorstep.field.models import (
    CashReceipt,
    CheckEvent,
    FieldOperation,
    PaymentRequest,
    PositionFix,
    Promise,
    Recording,
    RepaymentPlan,
    SafetyAlert,
    Visit,
)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("day", "team", "case", "status", "outcome", "started_at", "closed_at")
    list_filter = ("status", "outcome", "day")
    search_fields = ("borrower__external_id",)
    raw_id_fields = ("case", "borrower", "stop", "contact_attempt")


@admin.register(CheckEvent)
class CheckEventAdmin(ReadOnlyAdmin):
    list_display = ("visit", "collector", "kind", "device_at", "server_at", "distance_m", "flags", "review")
    list_filter = ("kind", "review")


@admin.register(Recording)
class RecordingAdmin(ReadOnlyAdmin):
    list_display = ("visit", "reference", "sha256", "starts_at", "ends_at")
    search_fields = ("sha256", "reference")


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ("case", "amount", "currency", "made_on", "due_on", "created_by")
    raw_id_fields = ("case", "visit")


@admin.register(RepaymentPlan)
class RepaymentPlanAdmin(ReadOnlyAdmin):
    list_display = ("number", "case", "total", "count", "interval", "status", "needs_approval", "signed_at")
    list_filter = ("status", "interval")
    search_fields = ("number",)
    raw_id_fields = ("case", "visit")
    exclude = ("signature_png",)


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ("reference", "case", "amount", "currency", "gateway", "created_at", "expires_at")
    search_fields = ("reference",)


@admin.register(CashReceipt)
class CashReceiptAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "case", "amount", "issued_by", "issued_at", "deposit_confirmed_at")
    search_fields = ("receipt_number",)


@admin.register(SafetyAlert)
class SafetyAlertAdmin(ReadOnlyAdmin):
    list_display = ("raised_at", "kind", "team", "raised_by", "status", "acknowledged_by", "escalated_by")
    list_filter = ("kind", "status")


@admin.register(PositionFix)
class PositionFixAdmin(ReadOnlyAdmin):
    list_display = ("device_at", "user", "team", "lat", "lon", "accuracy_m", "is_mocked", "source")
    list_filter = ("source", "is_mocked")


@admin.register(FieldOperation)
class FieldOperationAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "client_id", "kind", "user", "visit")
    list_filter = ("kind",)
    search_fields = ("client_id",)
