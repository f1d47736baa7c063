"""Writes of the compliance record. Each service owns its transaction and appends to the audit log.

Contact attempts are judged under a row lock on the borrower, so two collectors (or two agencies)
reaching for the same debtor at once are counted one after the other: the caps stay exact. An
attempt in progress counts as connected until its outcome is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.accounts.selectors import user_has_role
from doorstep.common.audit import audit_append
from doorstep.common.errors import Conflict, InvalidInput, NotPermitted
from doorstep.compliance.core.engine import Decision, zone
from doorstep.compliance.core.model import Attempt, Channel, NumberKind, Party, Place, Purpose, State
from doorstep.compliance.core.packs import CONSENT_RULES, PolicyError, packs_for_policy
from doorstep.compliance.core.text import Audience, TextFinding, text_scan
from doorstep.compliance.models import (
    BorrowerState,
    Complaint,
    ContactAttempt,
    ContactObjection,
    InconvenientTime,
    LenderPolicy,
    Override,
)
from doorstep.compliance.selectors import engine_for_lender, lender_policy_get, person_key, subject_for
from doorstep.portfolio.models import Borrower, Case, Contact

POLICY_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE})
STATE_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR, Role.COLLECTOR})
APPROVER_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR})
COMPLAINT_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR})
# A borrower may complain to the collectors at the door; they record it on the spot (the field app).
COMPLAINT_RECORD_ROLES = COMPLAINT_ROLES | {Role.COLLECTOR}
LONGEST_OVERRIDE = timedelta(days=31)


def _lender_approver(user: Any) -> bool:
    """Lifting a protection (a state, a time rule) is the lender's decision, never an agency's: the
    agency is the party the protection restrains."""
    return user_has_role(user, APPROVER_ROLES) and user.agency_id is None


def _aware(moment: datetime, what: str) -> datetime:
    if timezone.is_naive(moment):
        raise InvalidInput(f"{what} must carry a time zone, e.g. 2026-12-01T21:30:00+08:00")
    return moment


@transaction.atomic
def policy_set(*, tightening: dict[str, Any], by: Any, complaint_sla_hours: int | None = None) -> LenderPolicy:
    """Tighten the rule packs; any loosening or unknown parameter is refused and nothing changes."""
    if not user_has_role(by, POLICY_ROLES) or by.agency_id is not None:
        raise NotPermitted("only the lender's compliance officers and administrators set policy")
    try:
        packs_for_policy(tightening)
    except PolicyError as error:
        raise InvalidInput(str(error)) from error
    if complaint_sla_hours is not None and not 1 <= complaint_sla_hours <= 24 * 60:
        raise InvalidInput("the complaint answer time must be between 1 hour and 60 days")
    policy = lender_policy_get()
    before = dict(policy.tightening)
    policy.tightening = dict(tightening)
    if complaint_sla_hours is not None:
        policy.complaint_sla_hours = complaint_sla_hours
    policy.updated_by = by
    policy.updated_at = timezone.now()
    policy.save()
    audit_append(actor=by, action="compliance.policy.set", subject=policy,
                 data={"before": before, "after": policy.tightening, "complaint_sla_hours": policy.complaint_sla_hours})
    return policy


@dataclass(frozen=True)
class AttemptRequest:
    borrower: Borrower
    case: Case | None
    channel: Channel
    at: datetime
    party: Party = Party.DEBTOR
    contact: Contact | None = None
    purpose: Purpose | None = None
    place: Place = Place.HOME
    number_kind: NumberKind = NumberKind.MOBILE
    duration_minutes: int = 0
    team_size: int | None = None
    notice_kind: str = ""


def attempt_from_request(request: AttemptRequest) -> Attempt:
    borrower = request.borrower
    contact = request.contact
    if request.party is Party.DEBTOR:
        if contact is not None:
            raise InvalidInput("a contact cannot be given for the debtor")
        number = borrower.phone_digest
        source = None
    else:
        if contact is None:
            raise InvalidInput(f"name the {request.party.value} to contact")
        if contact.borrower_id != borrower.pk:
            raise InvalidInput("that contact belongs to another borrower")
        if contact.role != request.party.value:
            raise InvalidInput(f"that contact is a {contact.role}, not a {request.party.value}")
        number = contact.phone_digest
        source = contact.source
    if request.channel in (Channel.CALL, Channel.SMS) and not number:
        raise InvalidInput("there is no phone number on file for this party")
    return Attempt(channel=request.channel, at=_aware(request.at, "the moment"), party=request.party,
                   person=person_key(contact.pk if contact else None), purpose=request.purpose, place=request.place,
                   number=number if request.channel in (Channel.CALL, Channel.SMS) else "",
                   number_kind=request.number_kind, duration_minutes=request.duration_minutes,
                   team_size=request.team_size, contact_source=source)


def contact_check(*, request: AttemptRequest, find_next: bool = True) -> Decision:
    """Judge an attempt without recording it (what a dialer, the planner or the field app asks first)."""
    subject = subject_for(borrower=request.borrower, around=request.at)
    return engine_for_lender().decide(subject, attempt_from_request(request), find_next=find_next)


@transaction.atomic
def contact_attempt_start(*, request: AttemptRequest, by: Any, idempotency_key: str) -> tuple[ContactAttempt, bool]:
    """Judge and record an attempt. Returns (attempt, created); a retried key returns the first result.

    A blocked attempt is recorded too (status blocked, with its rules): the compliance console
    counts them by rule.
    """
    case = request.case
    if case is None or case.borrower_id != request.borrower.pk:
        raise InvalidInput("an attempt is recorded against the borrower's case")
    key = idempotency_key.strip()
    if not key or len(key) > 80:
        raise InvalidInput("an idempotency key of 1 to 80 characters is required")
    existing = ContactAttempt.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.case_id != case.pk or existing.channel != request.channel.value:
            raise Conflict("this idempotency key was used for a different attempt")
        return existing, False
    # The lock serialises attempts on one debtor across collectors and agencies (exact counters).
    borrower = Borrower.objects.select_for_update().get(pk=case.borrower_id)
    attempt = attempt_from_request(request)
    subject = subject_for(borrower=borrower, around=attempt.at)
    decision = engine_for_lender().decide(subject, attempt)
    record = ContactAttempt.objects.create(
        idempotency_key=key, case=case, borrower=borrower, contact=request.contact,
        party=request.party.value, channel=request.channel.value, purpose=attempt.effective_purpose.value,
        place=request.place.value, notice_kind=request.notice_kind, number_digest=attempt.number,
        number_kind=request.number_kind.value, at=attempt.at, duration_minutes=request.duration_minutes,
        team_size=request.team_size, collector=by, agency=case.agency,
        status=ContactAttempt.Status.PENDING if decision.allowed else ContactAttempt.Status.BLOCKED,
        rules=list(decision.rules), reason=decision.reason("en")[:1000], decision=decision.as_dict())
    audit_append(actor=by, action="compliance.attempt.blocked" if not decision.allowed else "compliance.attempt.start",
                 subject=record, data={"case": case.pk, "channel": record.channel, "party": record.party,
                                       "at": attempt.at.isoformat(), "rules": record.rules})
    return record, True


def _note_findings(note: str, attempt: ContactAttempt) -> tuple[TextFinding, ...]:
    if not note.strip():
        return ()
    return text_scan(note, jurisdictions=(attempt.borrower.jurisdiction or "CN",),
                     audience=Audience.OBLIGOR if Party(attempt.party).is_obligor else Audience.THIRD_PARTY)


OUTCOMES_CONNECTED = frozenset({ContactAttempt.Outcome.CONNECTED, ContactAttempt.Outcome.MET,
                                ContactAttempt.Outcome.DELIVERED, ContactAttempt.Outcome.REFUSED})


@transaction.atomic
def contact_attempt_finish(*, attempt: ContactAttempt, outcome: str, by: Any, conversation: bool = False,
                           note: str = "", by_team_member: bool = False) -> ContactAttempt:
    """Record how an attempt ended. Repeating the same outcome is a no-op (phones retry).

    `by_team_member`: the caller has checked that `by` was on the visit with the collector who
    started it (a field visit is started by whichever member checked in last)."""
    attempt = ContactAttempt.objects.select_for_update().get(pk=attempt.pk)
    if outcome not in ContactAttempt.Outcome.values or not outcome:
        known = ", ".join(value for value in ContactAttempt.Outcome.values if value)
        raise InvalidInput(f"unknown outcome {outcome!r}: use one of {known}")
    if attempt.status == ContactAttempt.Status.BLOCKED:
        raise Conflict("this attempt was blocked; it has no outcome")
    if attempt.status == ContactAttempt.Status.COMPLETED:
        if attempt.outcome == outcome and attempt.note == note and attempt.conversation == conversation:
            return attempt
        raise Conflict("this attempt already has a different outcome")
    if attempt.collector_id != by.pk and not by_team_member and not user_has_role(by, APPROVER_ROLES):
        raise NotPermitted("only the collector who started the attempt records its outcome")
    findings = _note_findings(note, attempt)
    if findings:
        raise InvalidInput("the note breaks conduct rules: " + "; ".join(
            f"“{finding.excerpt}” ({', '.join(finding.rule_ids)})" for finding in findings),
            details=[{"start": f.start, "end": f.end, "rules": list(f.rule_ids), "category": f.category.value}
                     for f in findings])
    attempt.outcome = outcome
    attempt.connected = outcome in OUTCOMES_CONNECTED
    attempt.conversation = conversation and attempt.connected and attempt.channel == Channel.CALL
    attempt.note = note
    attempt.status = ContactAttempt.Status.COMPLETED
    attempt.completed_at = timezone.now()
    attempt.save(update_fields=["outcome", "connected", "conversation", "note", "status", "completed_at"])
    audit_append(actor=by, action="compliance.attempt.finish", subject=attempt,
                 data={"outcome": outcome, "connected": attempt.connected})
    if outcome == ContactAttempt.Outcome.REFUSED and attempt.contact_id is not None and attempt.party == Party.CONTACT:
        contact_objection_record(contact=Contact.objects.get(pk=attempt.contact_id), by=by,
                                 note="refused during a contact attempt")
    return attempt


@transaction.atomic
def contact_objection_record(*, contact: Contact, by: Any, note: str = "") -> ContactObjection:
    """The contact objected: never contacted again (CN-CONTACT-TRIGGER). Recording twice is a no-op."""
    objection, created = ContactObjection.objects.get_or_create(
        contact=contact, defaults={"note": note[:300], "recorded_by": by, "recorded_at": timezone.now()})
    if created:
        audit_append(actor=by, action="compliance.contact.objection", subject=objection, data={"contact": contact.pk})
    return objection


def _unreachable_evidence(borrower: Borrower, failures_needed: int) -> str | None:
    """Evidence from the log: an invalid number, or failed debtor attempts on N separate days
    since the last time anyone reached the debtor."""
    attempts = ContactAttempt.objects.filter(borrower=borrower, party=Party.DEBTOR,
                                             status=ContactAttempt.Status.COMPLETED)
    invalid = attempts.filter(outcome=ContactAttempt.Outcome.INVALID_NUMBER).order_by("-at").first()
    if invalid is not None:
        return f"attempt {invalid.pk}: number invalid"
    last_reached = attempts.filter(connected=True).order_by("-at").values_list("at", flat=True).first()
    failed = attempts.filter(connected=False)
    if last_reached is not None:
        failed = failed.filter(at__gt=last_reached)
    days = {moment.astimezone(zone(borrower.timezone or "Asia/Shanghai")).date()
            for moment in failed.values_list("at", flat=True)}
    if len(days) >= failures_needed:
        return f"failed attempts on {len(days)} separate days since the debtor was last reached"
    return None


@transaction.atomic
def borrower_state_set(*, borrower: Borrower, state: State, reason: str, by: Any, evidence: str = "") -> BorrowerState:
    """Set a state; setting one already active is a no-op that returns it."""
    if not user_has_role(by, STATE_ROLES):
        raise NotPermitted("your role cannot set borrower states")
    if not reason.strip():
        raise InvalidInput("say why the state is set")
    active = BorrowerState.objects.filter(borrower=borrower, state=state.value, cleared_at__isnull=True).first()
    if active is not None:
        return active
    if state is State.UNREACHABLE:
        failures = engine_for_lender().packs["CN"].value("unreachable_failures")
        logged = _unreachable_evidence(borrower, failures)
        if logged is None:
            raise InvalidInput(f"unreachable needs evidence in the contact log: an invalid number, or failed "
                               f"attempts on {failures} separate days since the debtor was last reached")
        evidence = "; ".join(part for part in (evidence.strip(), logged) if part)
    if state in (State.DECEASED, State.ATTORNEY, State.BREATHING_SPACE) and not evidence.strip():
        raise InvalidInput(f"{state.value} needs evidence (a document or reference)")
    if state is State.ILLEGAL_DEBT:
        raise InvalidInput("illegal debt is set from the cap by the delinquency refresh, not by hand")
    record = BorrowerState.objects.create(borrower=borrower, state=state.value, reason=reason.strip()[:500],
                                          evidence=evidence.strip()[:500], set_by=by, set_at=timezone.now())
    audit_append(actor=by, action="compliance.state.set", subject=record,
                 data={"borrower": borrower.external_id, "state": state.value, "reason": record.reason})
    return record


@transaction.atomic
def borrower_state_clear(*, borrower: Borrower, state: State, reason: str, by: Any) -> BorrowerState:
    if not _lender_approver(by):
        raise NotPermitted("only the lender's supervisors and compliance officers clear borrower states")
    if not reason.strip():
        raise InvalidInput("say why the state is cleared")
    record = BorrowerState.objects.select_for_update().filter(
        borrower=borrower, state=state.value, cleared_at__isnull=True).first()
    if record is None:
        raise InvalidInput(f"{state.value} is not set for this borrower (imported flags change by re-import)")
    record.cleared_at = timezone.now()
    record.cleared_by = by
    record.clear_reason = reason.strip()[:500]
    record.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
    audit_append(actor=by, action="compliance.state.clear", subject=record, data={"reason": record.clear_reason})
    return record


@transaction.atomic
def override_request(*, borrower: Borrower, rule_id: str, starts_at: datetime, ends_at: datetime, evidence: str,
                     by: Any, recording_reference: str = "", case: Case | None = None) -> Override:
    """Ask for a consent override; it takes effect only when a second person approves it."""
    if rule_id not in CONSENT_RULES:
        raise InvalidInput(f"{rule_id} does not allow consent; overrides exist only for "
                           f"{', '.join(sorted(CONSENT_RULES))}")
    starts_at, ends_at = _aware(starts_at, "the start"), _aware(ends_at, "the end")
    if ends_at <= starts_at:
        raise InvalidInput("the override must end after it starts")
    if ends_at - starts_at > LONGEST_OVERRIDE:
        raise InvalidInput("an override may cover at most 31 days; ask again for later dates")
    if not evidence.strip():
        raise InvalidInput("record the evidence of consent (what the debtor said, when, how)")
    override = Override.objects.create(
        borrower=borrower, case=case, rule_id=rule_id, starts_at=starts_at, ends_at=ends_at,
        evidence=evidence.strip()[:500], recording_reference=recording_reference.strip()[:200],
        requested_by=by, requested_at=timezone.now())
    audit_append(actor=by, action="compliance.override.request", subject=override,
                 data={"rule": rule_id, "from": starts_at.isoformat(), "until": ends_at.isoformat()})
    return override


@transaction.atomic
def override_decide(*, override: Override, approve: bool, by: Any, note: str = "") -> Override:
    override = Override.objects.select_for_update().get(pk=override.pk)
    if not _lender_approver(by):
        raise NotPermitted("only the lender's supervisors and compliance officers approve overrides")
    if override.requested_by_id == by.pk:
        raise NotPermitted("a second person must approve an override")
    wanted = Override.Status.APPROVED if approve else Override.Status.REJECTED
    if override.status == wanted:
        return override
    if override.status != Override.Status.PENDING:
        raise Conflict(f"this override is already {override.status}")
    override.status = wanted
    override.decided_by = by
    override.decided_at = timezone.now()
    override.decision_note = note.strip()[:300]
    override.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_append(actor=by, action=f"compliance.override.{wanted}", subject=override,
                 data={"note": override.decision_note})
    return override


@transaction.atomic
def complaint_record(*, case: Case, summary: str, received_at: datetime, by: Any, received_via: str = "",
                     contact_attempt: ContactAttempt | None = None, collector: Any = None) -> Complaint:
    """Record a complaint; field visits to the borrower pause for the policy's cooling-off period."""
    if not user_has_role(by, COMPLAINT_RECORD_ROLES):
        raise NotPermitted("your role cannot record complaints")
    if not summary.strip():
        raise InvalidInput("describe the complaint")
    received_at = _aware(received_at, "the time received")
    if received_at > timezone.now() + timedelta(minutes=5):
        raise InvalidInput("a complaint cannot be received in the future")
    if contact_attempt is not None and contact_attempt.case_id != case.pk:
        raise InvalidInput("that visit or contact belongs to another case")
    if collector is None and contact_attempt is not None:
        collector = contact_attempt.collector
    engine = engine_for_lender()
    pause_days = max(engine.packs[pack_id].value("complaint_pause_days")
                     for pack_id in engine.pack_ids(subject_for(borrower=case.borrower, around=received_at)))
    complaint = Complaint.objects.create(
        case=case, borrower=case.borrower, contact_attempt=contact_attempt, collector=collector,
        received_at=received_at, received_via=received_via.strip()[:40], summary=summary.strip(),
        visits_paused_until=received_at + timedelta(days=pause_days),
        answer_due_at=received_at + timedelta(hours=lender_policy_get().complaint_sla_hours), recorded_by=by)
    audit_append(actor=by, action="compliance.complaint.record", subject=complaint,
                 data={"case": case.pk, "paused_until": complaint.visits_paused_until.isoformat()})
    return complaint


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, outcome: str, note: str, by: Any) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not user_has_role(by, COMPLAINT_ROLES):
        raise NotPermitted("your role cannot resolve complaints")
    if outcome not in Complaint.Outcome.values:
        raise InvalidInput(f"unknown outcome {outcome!r}")
    if not note.strip():
        raise InvalidInput("explain the outcome")
    if complaint.status == Complaint.Status.RESOLVED:
        if complaint.outcome == outcome:
            return complaint
        raise Conflict("this complaint is already resolved with another outcome")
    complaint.status = Complaint.Status.RESOLVED
    complaint.outcome = outcome
    complaint.outcome_note = note.strip()
    complaint.resolved_at = timezone.now()
    complaint.resolved_by = by
    complaint.save(update_fields=["status", "outcome", "outcome_note", "resolved_at", "resolved_by"])
    audit_append(actor=by, action="compliance.complaint.resolve", subject=complaint, data={"outcome": outcome})
    return complaint


@transaction.atomic
def inconvenient_time_record(*, borrower: Borrower, start_minute: int, end_minute: int, by: Any,
                             weekdays: list[int] | None = None, note: str = "") -> InconvenientTime:
    """Record a time the borrower said is inconvenient (US-HOURS, UK-TIMES). A span across midnight
    (e.g. 20:00-07:00) is kept as given and split in two when the rules read it."""
    if not user_has_role(by, STATE_ROLES):
        raise NotPermitted("your role cannot record contact preferences")
    for value in (start_minute, end_minute):
        if not 0 <= value <= 24 * 60:
            raise InvalidInput("times are minutes after midnight, 0 to 1440")
    if start_minute == end_minute:
        raise InvalidInput("the inconvenient time must not be empty")
    days = sorted(set(weekdays or []))
    if any(day not in range(7) for day in days):
        raise InvalidInput("weekdays are 0 (Monday) to 6 (Sunday)")
    record = InconvenientTime.objects.create(borrower=borrower, start_minute=start_minute, end_minute=end_minute,
                                             weekdays=days, note=note.strip()[:300], recorded_by=by,
                                             recorded_at=timezone.now())
    audit_append(actor=by, action="compliance.inconvenient_time.record", subject=record,
                 data={"borrower": borrower.external_id, "from": start_minute, "to": end_minute, "weekdays": days})
    return record
