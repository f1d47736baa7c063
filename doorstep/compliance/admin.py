"""Back-office views of the compliance record: read-only, since services are its only writers
(each write audited); use the compliance console or the API to change anything."""

from __future__ import annotations

from django.contrib import admin

from doorstep.common.admin import ReadOnlyAdmin
from doorstep.compliance.models import (
    BorrowerState,
    Complaint,
    ContactAttempt,
    ContactObjection,
    InconvenientTime,
    LenderPolicy,
    Override,
)


@admin.register(ContactAttempt)
class ContactAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "channel", "party", "borrower", "collector", "agency", "status", "outcome", "rules")
    list_filter = ("status", "channel", "party", "agency")
    search_fields = ("borrower__external_id", "idempotency_key")
    raw_id_fields = ("case", "borrower", "contact")
    exclude = ("number_digest",)


@admin.register(BorrowerState)
class BorrowerStateAdmin(ReadOnlyAdmin):
    list_display = ("borrower", "state", "set_by", "set_at", "cleared_at")
    list_filter = ("state",)
    search_fields = ("borrower__external_id",)
    raw_id_fields = ("borrower",)


@admin.register(Override)
class OverrideAdmin(ReadOnlyAdmin):
    list_display = ("borrower", "rule_id", "starts_at", "ends_at", "status", "requested_by", "decided_by")
    list_filter = ("status", "rule_id")
    raw_id_fields = ("borrower", "case")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("case", "received_at", "status", "outcome", "answer_due_at", "visits_paused_until")
    list_filter = ("status", "outcome")
    raw_id_fields = ("case", "borrower", "contact_attempt")


@admin.register(ContactObjection)
class ContactObjectionAdmin(ReadOnlyAdmin):
    list_display = ("contact", "recorded_at", "recorded_by")
    raw_id_fields = ("contact",)


@admin.register(InconvenientTime)
class InconvenientTimeAdmin(ReadOnlyAdmin):
    list_display = ("borrower", "start_minute", "end_minute", "weekdays")
    raw_id_fields = ("borrower",)


@admin.register(LenderPolicy)
class LenderPolicyAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "complaint_sla_hours", "updated_by", "updated_at")
