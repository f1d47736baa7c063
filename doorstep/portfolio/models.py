"""Borrowers, their contacts, loans, schedules, payments, delinquency and cases.

Amounts are stored as integer cents (MoneyField) and rates as parts per million (RateField), so
the set-based delinquency SQL is exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstep.accounts.models import Agency, Team, Territory
from doorstep.common.fields import MoneyField, RateField


class CapFlag(models.TextChoices):
    OK = "ok", _("within cap")
    OVER_CAP = "over_cap", _("above legal cap")
    ILLEGAL = "illegal", _("illegal (above 36 %)")


class Borrower(models.Model):
    external_id = models.CharField(_("borrower id"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    # Personal data: sealed (AES-GCM), a keyed digest for exact search, and a masked form for display.
    national_id_sealed = models.TextField(blank=True)
    national_id_digest = models.CharField(max_length=64, blank=True, db_index=True)
    national_id_masked = models.CharField(_("national id"), max_length=40, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=8)
    country = models.CharField(max_length=2, db_index=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    language = models.CharField(_("language"), max_length=8, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    risk_flags = models.JSONField(_("safety flags"), default=list, blank=True)
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("borrower")
        verbose_name_plural = _("borrowers")
        # A plain unique index: unique=True would add a second, pattern-matching one on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["external_id"], name="borrower_unique_external_id")]

    def __str__(self) -> str:
        return self.external_id


class Contact(models.Model):
    """A party other than the borrower; only guarantors and co-obligors are liable (CN-TARGET)."""

    class PartyRole(models.TextChoices):
        GUARANTOR = "guarantor", _("guarantor")
        CO_OBLIGOR = "co_obligor", _("co-obligor")
        CONTACT = "contact", _("pre-agreed contact")
        EMPLOYER = "employer", _("employer")

    class Source(models.TextChoices):
        APPLICATION = "application", _("loan application")
        BORROWER_UPDATE = "borrower_update", _("borrower update")
        PUBLIC_RECORD = "public_record", _("public record")

    external_id = models.CharField(_("contact id"), max_length=64)
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=40, blank=True)
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        # A plain unique index: unique=True would add a second, pattern-matching one on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["external_id"], name="contact_unique_external_id")]

    def __str__(self) -> str:
        return self.external_id


class Loan(models.Model):
    class Licence(models.TextChoices):
        BANK = "bank", _("bank")
        CONSUMER_FINANCE = "consumer_finance", _("consumer finance company")
        MICROLOAN = "microloan", _("microloan company")
        PRIVATE = "private", _("private lending")

    external_id = models.CharField(_("loan id"), max_length=64)
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="loans")
    product = models.CharField(_("product"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    principal = MoneyField(_("principal paid out"))
    disbursed_on = models.DateField(_("disbursed on"))
    annual_rate = RateField(_("annual interest rate"))
    annual_cost = RateField(_("all-in annual cost"))
    lender_licence = models.CharField(_("lender licence"), max_length=20, choices=Licence.choices, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        # A plain unique index: unique=True would add a second, pattern-matching one on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["external_id"], name="loan_unique_external_id")]

    def __str__(self) -> str:
        return self.external_id


# The three bulk tables below (tens of millions of rows) reference loans without a database
# foreign-key constraint: PostgreSQL checks such a constraint with a trigger per inserted row, which
# doubled the time of a large import. The importer is their only writer and checks every reference
# set-based before it writes; on_delete=PROTECT still stops Django from deleting a referenced loan.
# The (loan, ...) unique constraints already index loan_id, so the foreign key adds no index either.



class Installment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="installments", db_constraint=False,
                             db_index=False)
    seq = models.IntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    principal_due = MoneyField(_("principal due"))
    interest_due = MoneyField(_("interest due"))
    fee_due = MoneyField(_("fee due"), default=0)
    # Total due of the installments allocated before this one (by due date, then number).
    due_before = MoneyField(default=0)

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        constraints = [models.UniqueConstraint(fields=["loan", "seq"], name="installment_unique_seq")]

    def __str__(self) -> str:
        return f"{self.loan_id}#{self.seq}"


class Payment(models.Model):
    external_id = models.CharField(_("payment id"), max_length=64)
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="payments", db_constraint=False,
                             db_index=False)
    paid_at = models.DateTimeField(_("paid at"))
    paid_on = models.DateField(_("paid on (borrower's local date)"))
    amount = MoneyField(_("amount"))
    channel = models.CharField(_("channel"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.UniqueConstraint(fields=["external_id"], name="payment_unique_external_id")]
        indexes = [models.Index(fields=["loan", "paid_on"], name="payment_loan_day")]

    def __str__(self) -> str:
        return self.external_id


class LprFixing(models.Model):
    """One-year Loan Prime Rate by effective date; sets the private-lending cap (4 x LPR)."""

    effective_on = models.DateField(_("effective on"), unique=True)
    one_year_rate = RateField(_("one-year LPR"))

    class Meta:
        ordering = ["-effective_on"]
        verbose_name = _("LPR fixing")
        verbose_name_plural = _("LPR fixings")

    def __str__(self) -> str:
        return f"{self.effective_on}: {self.one_year_rate}"


class LoanStatus(models.Model):
    """A loan's position at the latest delinquency refresh (overwritten by each refresh)."""

    # Rewritten in full by every refresh, its only writer: no per-row foreign-key trigger (see above).
    loan = models.OneToOneField(Loan, primary_key=True, on_delete=models.CASCADE, related_name="status",
                                db_constraint=False)
    as_of = models.DateField()
    dpd = models.IntegerField()
    bucket = models.CharField(max_length=8)
    total_paid = MoneyField()
    overdue_amount = MoneyField()
    outstanding_principal = MoneyField()
    collectible_amount = MoneyField()
    cap_rate = RateField(null=True)
    cap_flag = models.CharField(max_length=10, choices=CapFlag.choices)
    charge_factor = models.IntegerField(help_text="collectible share of charges, parts per million")
    principal_factor = models.IntegerField(help_text="collectible share of scheduled principal, ppm")

    class Meta:
        verbose_name = _("loan status")
        verbose_name_plural = _("loan statuses")

    def __str__(self) -> str:
        return f"{self.loan_id} {self.bucket} on {self.as_of}"


class BucketHistory(models.Model):
    """One row per loan and refresh day. Appended, never rewritten (a trigger refuses updates)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="history", db_constraint=False,
                             db_index=False)
    as_of = models.DateField()
    dpd = models.IntegerField()
    bucket = models.CharField(max_length=8)
    overdue_amount = MoneyField()
    outstanding_principal = MoneyField()
    collectible_amount = MoneyField()
    cap_flag = models.CharField(max_length=10, choices=CapFlag.choices)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bucket history")
        verbose_name_plural = _("bucket history")
        constraints = [models.UniqueConstraint(fields=["loan", "as_of"], name="bucket_history_once_per_day")]
        indexes = [models.Index(fields=["as_of", "bucket"], name="bucket_history_day_bucket")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.bucket} on {self.as_of}"


class Case(models.Model):
    """One open case per borrower with an overdue loan; opened and closed by the refresh."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The (team | agency | territory, status, max_dpd, id) indexes below lead with these columns, so
    # the foreign keys need no index of their own: fewer indexes to rewrite at every refresh.
    team = models.ForeignKey(Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cases", db_index=False)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="cases", db_index=False)
    territory = models.ForeignKey(Territory, verbose_name=_("territory"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="cases", db_index=False)
    # Figures from the latest refresh, summed over the borrower's loans (for filtering and paging).
    as_of = models.DateField(_("as of"))
    currency = models.CharField(max_length=3)
    max_dpd = models.IntegerField(_("DPD"), default=0)
    bucket = models.CharField(_("bucket"), max_length=8, default="M0")
    overdue_amount = MoneyField(_("overdue"), default=0)
    collectible_amount = MoneyField(_("collectible"), default=0)
    outstanding_principal = MoneyField(_("outstanding principal"), default=0)
    cap_flag = models.CharField(_("cap"), max_length=10, choices=CapFlag.choices, default=CapFlag.OK)
    is_collection_blocked = models.BooleanField(_("collection blocked"), default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["borrower"], condition=Q(status="open"), name="case_one_open_per_borrower"),
        ]
        indexes = [
            models.Index(fields=["status", "max_dpd", "id"], name="case_status_dpd"),
            models.Index(fields=["status", "overdue_amount", "id"], name="case_status_amount"),
            models.Index(fields=["team", "status", "max_dpd", "id"], name="case_team"),
            models.Index(fields=["agency", "status", "max_dpd", "id"], name="case_agency"),
            models.Index(fields=["territory", "status", "max_dpd", "id"], name="case_territory"),
        ]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.borrower_id})"


class CaseAssignment(models.Model):
    """Who a case was given to, by whom and when; the latest row matches the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"case {self.case_id} to {self.team_id or self.agency_id or 'pool'}"


class PiiAccess(models.Model):
    """Every view of personal data in full: who, whose, which field, when and why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=20)
    reason = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.field} of {self.borrower_id}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        REJECTED = "rejected", _("rejected: invalid rows")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=20)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True)
    dry_run = models.BooleanField(default=False)
    ignore_unknown = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.BigIntegerField(default=0)
    rows_invalid = models.BigIntegerField(default=0)
    created_count = models.BigIntegerField(default=0)
    updated_count = models.BigIntegerField(default=0)
    unchanged_count = models.BigIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk}"


class ImportIssue(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.BigIntegerField()
    column = models.CharField(max_length=40)
    value = models.CharField(max_length=300)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"row {self.row} {self.column}: {self.reason}"
