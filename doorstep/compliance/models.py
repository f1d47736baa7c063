"""The compliance record: contact attempts (allowed and blocked), borrower states, consent
overrides, complaints and the lender's tightening of the rule packs.

Rows here are written only by `doorstep.compliance.services`, each write with an audit entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstep.accounts.models import Agency
from doorstep.compliance.core.model import Channel, NumberKind, Party, Place, Purpose, State
from doorstep.portfolio.models import Borrower, Case, Contact

CHANNEL_CHOICES = [(Channel.VISIT.value, _("field visit")), (Channel.CALL.value, _("call")),
                   (Channel.SMS.value, _("SMS")), (Channel.LETTER.value, _("letter"))]
PARTY_CHOICES = [(Party.DEBTOR.value, _("debtor")), (Party.GUARANTOR.value, _("guarantor")),
                 (Party.CO_OBLIGOR.value, _("co-obligor")), (Party.CONTACT.value, _("pre-agreed contact")),
                 (Party.EMPLOYER.value, _("employer"))]
STATE_CHOICES = [
    (State.DISPUTE.value, _("dispute")), (State.CEASE_CONTACT.value, _("cease contact")),
    (State.ATTORNEY.value, _("represented by an attorney")), (State.VULNERABLE.value, _("vulnerable")),
    (State.HARDSHIP.value, _("hardship")), (State.DECEASED.value, _("deceased")),
    (State.BREATHING_SPACE.value, _("breathing space")), (State.ILLEGAL_DEBT.value, _("illegal debt")),
    (State.UNREACHABLE.value, _("unreachable")), (State.NO_WORKPLACE_CONTACT.value, _("no workplace contact")),
]
PURPOSE_CHOICES = [(Purpose.COLLECT.value, _("collect")), (Purpose.LOCATE.value, _("locate only")),
                   (Purpose.NOTICE.value, _("required notice")), (Purpose.ENFORCE.value, _("legal action"))]
PLACE_CHOICES = [(Place.HOME.value, _("home")), (Place.WORKPLACE.value, _("workplace")),
                 (Place.OTHER.value, _("other place"))]
NUMBER_KIND_CHOICES = [(NumberKind.HOME.value, _("home")), (NumberKind.MOBILE.value, _("mobile")),
                       (NumberKind.WORK.value, _("work")), (NumberKind.OTHER.value, _("other"))]


class LenderPolicy(models.Model):
    """One row: the lender's tightening of the rule packs ("CN.day_ends_at": 1260, ...)."""

    tightening = models.JSONField(_("tightening"), default=dict, blank=True)
    complaint_sla_hours = models.PositiveIntegerField(_("complaint answer due within (hours)"), default=72)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("lender policy")
        verbose_name_plural = _("lender policy")

    def __str__(self) -> str:
        return "lender policy"


class BorrowerState(models.Model):
    """A state with legal effect (dispute, attorney, breathing space...): who set it, when, why."""

    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="compliance_states")
    state = models.CharField(_("state"), max_length=24, choices=STATE_CHOICES)
    reason = models.CharField(_("reason"), max_length=500)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    clear_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("borrower state")
        verbose_name_plural = _("borrower states")
        constraints = [models.UniqueConstraint(fields=["borrower", "state"], condition=Q(cleared_at__isnull=True),
                                               name="borrower_state_once_active")]

    def __str__(self) -> str:
        return f"{self.borrower_id} {self.state}"


class InconvenientTime(models.Model):
    """A time of day the borrower said is inconvenient (US-HOURS, UK-TIMES)."""

    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="inconvenient_times")
    start_minute = models.PositiveIntegerField()
    end_minute = models.PositiveIntegerField()
    weekdays = models.JSONField(default=list, help_text="0 = Monday; empty means every day")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.borrower_id} {self.start_minute}-{self.end_minute}"


class ContactObjection(models.Model):
    """A third party asked not to be contacted again (CN-CONTACT-TRIGGER): never overridden."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="objection")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"contact {self.contact_id} objects"


class Override(models.Model):
    """A consent the rules allow (e.g. the debtor asked for an evening visit), approved by a second person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")

    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="overrides")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="overrides")
    rule_id = models.CharField(_("rule"), max_length=24)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    evidence = models.CharField(_("evidence of consent"), max_length=500)
    recording_reference = models.CharField(_("recording reference"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("consent override")
        verbose_name_plural = _("consent overrides")
        indexes = [models.Index(fields=["borrower", "status", "ends_at"], name="override_borrower_active")]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="override_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.rule_id} for {self.borrower_id} ({self.status})"


class ContactAttempt(models.Model):
    """Every attempt, allowed or blocked, by channel, party and agency: the counters count these."""

    class Status(models.TextChoices):
        BLOCKED = "blocked", _("blocked")
        PENDING = "pending", _("in progress")
        COMPLETED = "completed", _("completed")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        NO_ANSWER = "no_answer", _("no answer")
        CONNECTED = "connected", _("connected")
        INVALID_NUMBER = "invalid_number", _("number invalid")
        MET = "met", _("met in person")
        NOT_MET = "not_met", _("nobody met")
        DELIVERED = "delivered", _("delivered")
        REFUSED = "refused", _("refused to talk")

    idempotency_key = models.CharField(max_length=80, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contact_attempts")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="contact_attempts")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party = models.CharField(_("party"), max_length=12, choices=PARTY_CHOICES)
    channel = models.CharField(_("channel"), max_length=8, choices=CHANNEL_CHOICES)
    purpose = models.CharField(_("purpose"), max_length=8, choices=PURPOSE_CHOICES)
    place = models.CharField(_("place"), max_length=10, choices=PLACE_CHOICES, default=Place.HOME.value)
    notice_kind = models.CharField(_("notice"), max_length=20, blank=True,
                                   help_text="letters: visit_notice, default_notice or validation")
    number_digest = models.CharField(max_length=64, blank=True)
    number_kind = models.CharField(max_length=8, choices=NUMBER_KIND_CHOICES, default=NumberKind.MOBILE.value)
    at = models.DateTimeField(_("at"))
    duration_minutes = models.PositiveIntegerField(default=0)
    team_size = models.PositiveIntegerField(null=True, blank=True)
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    # The whole decision as judged when the attempt started (reasons in both languages, next allowed
    # moment, requirements): a retried request is answered from here, never judged again.
    decision = models.JSONField(default=dict, blank=True)
    connected = models.BooleanField(_("connected"), default=False)
    conversation = models.BooleanField(default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        indexes = [
            models.Index(fields=["borrower", "at"], name="attempt_borrower_at"),
            models.Index(fields=["status", "at"], name="attempt_status_at"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.party} of {self.borrower_id} at {self.at:%Y-%m-%d %H:%M} ({self.status})"


class Complaint(models.Model):
    """A borrower's complaint: pauses field visits for the policy's cooling-off and has an answer due."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("upheld")
        PARTLY_UPHELD = "partly_upheld", _("partly upheld")
        NOT_UPHELD = "not_upheld", _("not upheld")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="complaints")
    contact_attempt = models.ForeignKey(ContactAttempt, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="complaints", verbose_name=_("visit or contact"))
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="complaints_against", verbose_name=_("collector"))
    received_at = models.DateTimeField(_("received at"))
    received_via = models.CharField(_("received via"), max_length=40, blank=True)
    summary = models.TextField(_("summary"))
    visits_paused_until = models.DateTimeField(_("visits paused until"))
    answer_due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"complaint {self.pk} on case {self.case_id}"
