"""Back-office views of every portfolio model. Personal data shows masked; imports and the
refresh are the only writers of loans, schedules and payments, so those are read-only here."""

from __future__ import annotations

from django.contrib import admin

from doorstep.common.admin import ReadOnlyAdmin
from doorstep.portfolio.models import (
    Borrower,
    BucketHistory,
    Case,
    CaseAssignment,
    Contact,
    ImportIssue,
    ImportJob,
    Installment,
    Loan,
    LoanStatus,
    LprFixing,
    Payment,
    PiiAccess,
)


@admin.register(Borrower)
class BorrowerAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "name", "national_id_masked", "phone_masked", "jurisdiction", "territory")
    list_filter = ("country", "jurisdiction", "territory")
    search_fields = ("external_id",)
    exclude = ("national_id_sealed", "national_id_digest", "phone_sealed", "phone_digest")


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "borrower", "role", "phone_masked", "source")
    list_filter = ("role", "source")
    search_fields = ("external_id", "borrower__external_id")
    exclude = ("phone_sealed", "phone_digest")
    raw_id_fields = ("borrower",)


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "borrower", "currency", "principal", "annual_cost", "lender_licence", "disbursed_on")
    list_filter = ("currency", "lender_licence")
    search_fields = ("external_id", "borrower__external_id")
    raw_id_fields = ("borrower",)


@admin.register(Installment)
class InstallmentAdmin(ReadOnlyAdmin):
    list_display = ("loan", "seq", "due_on", "principal_due", "interest_due", "fee_due")
    search_fields = ("loan__external_id",)
    raw_id_fields = ("loan",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "loan", "paid_at", "paid_on", "amount", "channel")
    search_fields = ("external_id", "loan__external_id")
    raw_id_fields = ("loan",)


@admin.register(LprFixing)
class LprFixingAdmin(admin.ModelAdmin[LprFixing]):
    """Administrators add each month's one-year LPR; the private-lending cap follows at the next refresh."""

    list_display = ("effective_on", "one_year_rate")


@admin.register(LoanStatus)
class LoanStatusAdmin(ReadOnlyAdmin):
    list_display = ("loan", "as_of", "dpd", "bucket", "overdue_amount", "collectible_amount", "cap_flag")
    list_filter = ("bucket", "cap_flag")
    raw_id_fields = ("loan",)


@admin.register(BucketHistory)
class BucketHistoryAdmin(ReadOnlyAdmin):
    list_display = ("loan", "as_of", "dpd", "bucket", "overdue_amount", "collectible_amount", "cap_flag")
    list_filter = ("bucket", "as_of")
    raw_id_fields = ("loan",)


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "borrower", "status", "bucket", "max_dpd", "overdue_amount", "team", "agency", "territory")
    list_filter = ("status", "bucket", "cap_flag", "is_collection_blocked", "territory", "team", "agency")
    search_fields = ("borrower__external_id",)
    raw_id_fields = ("borrower",)


@admin.register(CaseAssignment)
class CaseAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("case", "team", "agency", "assigned_by", "assigned_at")
    raw_id_fields = ("case",)


@admin.register(PiiAccess)
class PiiAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "borrower", "contact", "field", "reason")
    list_filter = ("field",)
    raw_id_fields = ("borrower", "contact")


class ImportIssueInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ImportIssue
    extra = 0
    can_delete = False
    readonly_fields = ("row", "column", "value", "reason")
    max_num = 0


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "original_name", "status", "rows_total", "rows_invalid", "created_count",
                    "updated_count", "created_at")
    list_filter = ("kind", "status")
    inlines = [ImportIssueInline]


@admin.register(ImportIssue)
class ImportIssueAdmin(ReadOnlyAdmin):
    list_display = ("job", "row", "column", "value", "reason")
    raw_id_fields = ("job",)
