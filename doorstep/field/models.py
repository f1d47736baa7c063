"""The field visit as recorded by the collectors' phones: check-ins and check-outs with positions,
the guided steps, recordings, outcomes (promises, repayment plans, payment requests, cash
receipts), safety alerts and the ledger that makes every phone write apply exactly once.

Rows here are written only by `doorstep.field.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstep.accounts.models import Team
from doorstep.common.fields import MoneyField
from doorstep.compliance.models import ContactAttempt
from doorstep.planning.models import Stop
from doorstep.portfolio.models import Borrower, Case


class FieldOperation(models.Model):
    """One applied phone write, by its client-generated id: a replay returns `result` unchanged."""

    client_id = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24)
    # Digest of kind + data: the same id sent with other content is refused, not silently replayed.
    fingerprint = models.CharField(max_length=64)
    visit = models.ForeignKey("Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="operations")
    device_at = models.DateTimeField()
    received_at = models.DateTimeField()
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["client_id"], name="field_operation_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"


class Visit(models.Model):
    class Status(models.TextChoices):
        CHECKING_IN = "checking_in", _("checking in")
        IN_PROGRESS = "in_progress", _("in progress")
        CLOSED = "closed", pgettext_lazy("visit", "closed")

    class Outcome(models.TextChoices):
        MET = "met", _("met the borrower or a liable party")
        NOT_HOME = "not_home", _("nobody at home")
        ASKED_TO_LEAVE = "asked_to_leave", _("asked to leave")
        REFUSED = "refused", _("refused to talk")
        UNSAFE = "unsafe", _("left for safety")

    class ArrearsReason(models.TextChoices):
        JOB_LOSS = "job_loss", _("job loss")
        ILLNESS = "illness", _("illness")
        BUSINESS_FAILURE = "business_failure", _("business failure")
        FAMILY_EVENT = "family_event", _("family event")
        DISPUTE = "dispute", _("dispute")
        FRAUD_CLAIM = "fraud_claim", _("fraud claim")
        UNWILLING = "unwilling", _("unwilling to pay")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="field_visits")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="+")
    stop = models.ForeignKey(Stop, on_delete=models.PROTECT, related_name="visits")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="field_visits")
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CHECKING_IN)
    planned_minutes = models.PositiveIntegerField(default=45)
    contact_attempt = models.OneToOneField(ContactAttempt, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="field_visit")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # CN-VISIT-ID
    mandate_number = models.CharField(_("mandate number"), max_length=80, blank=True)
    id_shown_at = models.DateTimeField(null=True, blank=True)
    # CN-VISIT-ENTRY
    entry_recorded_at = models.DateTimeField(null=True, blank=True)
    entered_premises = models.BooleanField(default=False)
    entry_consent_at = models.DateTimeField(null=True, blank=True)
    party_met = models.CharField(_("party met"), max_length=20, blank=True)
    arrears_reason = models.CharField(_("reason for arrears"), max_length=20, choices=ArrearsReason.choices,
                                      blank=True)
    arrears_note = models.TextField(blank=True)
    # Stated by the borrower; unknown until `finances_recorded_at` is set.
    finances_recorded_at = models.DateTimeField(null=True, blank=True)
    monthly_income = MoneyField(_("monthly income"), default=0)
    monthly_expenses = MoneyField(_("essential monthly expenses"), default=0)
    tension_level = models.PositiveSmallIntegerField(null=True, blank=True)
    asked_to_leave_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "team__code", "stop__sequence"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        # One visit per case and day: a revised plan's stop continues the visit already begun.
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="field_visit_once_a_day")]
        indexes = [models.Index(fields=["day", "status"], name="field_visit_day_status")]

    def __str__(self) -> str:
        return f"visit {self.pk} case {self.case_id} on {self.day}"


class CheckEvent(models.Model):
    class Kind(models.TextChoices):
        IN = "in", _("check-in")
        OUT = "out", _("check-out")

    class Review(models.TextChoices):
        CLEAR = "clear", _("plausible")
        FLAGGED = "flagged", _("flagged for review")
        ACCEPTED = "accepted", _("reviewed: accepted")
        REJECTED = "rejected", _("reviewed: rejected")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks")
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    lat = models.FloatField()
    lon = models.FloatField()
    accuracy_m = models.FloatField(null=True, blank=True)
    is_mocked = models.BooleanField(default=False)
    device_at = models.DateTimeField()
    server_at = models.DateTimeField()
    distance_m = models.FloatField(null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.CLEAR)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit", "device_at", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "collector", "kind"], name="check_once_each")]
        indexes = [models.Index(fields=["review", "server_at"], name="check_review")]

    def __str__(self) -> str:
        return f"{self.kind} {self.collector_id} visit {self.visit_id}"


class PositionFix(models.Model):
    """Every position a phone reported (check-ins, SOS, pings): the board and the speed check read it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lat = models.FloatField()
    lon = models.FloatField()
    accuracy_m = models.FloatField(null=True, blank=True)
    is_mocked = models.BooleanField(default=False)
    source = models.CharField(max_length=12)
    device_at = models.DateTimeField()
    server_at = models.DateTimeField()

    class Meta:
        ordering = ["-device_at", "-id"]
        indexes = [models.Index(fields=["user", "device_at"], name="fix_user_time"),
                   models.Index(fields=["team", "server_at"], name="fix_team_time")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.lat},{self.lon}"


class Recording(models.Model):
    """An audio or video recording of the visit (CN-VISIT-AV): the file stays on the recorder or
    the lender's evidence store; its reference and SHA-256 are kept here."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="recordings")
    reference = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    size_bytes = models.BigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["visit", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["visit", "sha256"], name="recording_once")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.sha256[:12]})"


class VisitNote(models.Model):
    """The visit's log of tension readings and notes, in order."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    device_at = models.DateTimeField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["visit", "device_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on visit {self.visit_id}"


class Promise(models.Model):
    """A promise to pay; kept, partly kept or broken is computed from payments, never typed in."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="promises")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="promises")
    currency = models.CharField(max_length=3)
    amount = MoneyField(_("amount"))
    made_on = models.DateField(_("made on"))
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")

    def __str__(self) -> str:
        return f"promise {self.amount} {self.currency} by {self.due_on}"


class RepaymentPlan(models.Model):
    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("waiting for a supervisor")
        APPROVED = "approved", _("approved, to be signed")
        REJECTED = "rejected", _("rejected")
        SIGNED = "signed", _("signed")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="repayment_plans")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    number = models.CharField(max_length=40)
    currency = models.CharField(max_length=3)
    total = MoneyField(_("total"))
    down_payment = MoneyField(_("down payment"), default=0)
    count = models.PositiveIntegerField(pgettext_lazy("plan", "number of installments"))
    class Interval(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        BIWEEKLY = "biweekly", _("every two weeks")
        WEEKLY = "weekly", _("weekly")

    interval = models.CharField(_("interval"), max_length=10, choices=Interval.choices)
    first_due_on = models.DateField()
    schedule = models.JSONField(default=list)  # [{"seq", "due_on", "amount"}], amounts as strings
    monthly_burden = MoneyField(default=0)
    surplus = MoneyField(default=0)  # a plan is made only when the stated finances are known
    affordable = models.BooleanField(default=False)
    needs_approval = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    signer_name = models.CharField(max_length=100, blank=True)
    signature_png = models.BinaryField(null=True, blank=True)
    signature_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="zh-hans")

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("repayment plan")
        verbose_name_plural = _("repayment plans")
        constraints = [models.UniqueConstraint(fields=["number"], name="repayment_plan_number_once")]

    def __str__(self) -> str:
        return self.number


class PaymentRequest(models.Model):
    """A payment link or QR on the lender's own channel (CN-PAY-CHANNEL), made by the gateway adapter."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_requests")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="payment_requests")
    reference = models.CharField(max_length=40)
    gateway = models.CharField(max_length=40)
    currency = models.CharField(max_length=3)
    amount = MoneyField()
    url = models.URLField(max_length=600)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["reference"], name="payment_request_reference_once")]

    def __str__(self) -> str:
        return self.reference


class CashReceipt(models.Model):
    """Cash is taken only against a numbered receipt, and is open until a supervisor confirms the deposit."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cash_receipts")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="cash_receipts")
    receipt_number = models.CharField(max_length=40)
    currency = models.CharField(max_length=3)
    amount = MoneyField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    deposit_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    deposit_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["receipt_number"], name="cash_receipt_number_once")]

    def __str__(self) -> str:
        return self.receipt_number


class SafetyAlert(models.Model):
    class Kind(models.TextChoices):
        SOS = "sos", _("SOS")
        OVERDUE = "overdue", _("check-out overdue")
        ASKED_TO_LEAVE = "asked_to_leave", _("asked to leave")
        HOSTILE = "hostile", _("hostile situation")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("alert", "open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ESCALATED = "escalated", _("escalated")
        RESOLVED = "resolved", pgettext_lazy("alert", "resolved")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    device_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        # A visit is overdue once; the scan that raises it runs every minute.
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], condition=Q(kind="overdue"),
                                               name="overdue_alert_once")]
        indexes = [models.Index(fields=["status", "raised_at"], name="alert_status_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} team {self.team_id}"
