"""The daily compliance report: what was attempted, blocked, overridden, set and complained about on
one local day, and the state of the audit chain. Read-only.

Counts that describe "now" (active states, approved overrides in force, breached complaints,
paused visits) are taken at the end of the day, or at this moment when the day is not over, so a
report for a past day can be produced again with the same figures.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Q
from django.utils import timezone as django_timezone

from doorstep.common.audit import audit_verify
from doorstep.common.errors import InvalidInput
from doorstep.common.models import AuditEntry
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, Override
from doorstep.compliance.queries import blocked_by_rule

LENDER = ""  # the agency key of attempts made by the lender's own staff


@dataclass(frozen=True)
class ChannelCounts:
    channel: str
    pending: int
    completed: int
    blocked: int

    @property
    def allowed(self) -> int:
        return self.pending + self.completed


@dataclass(frozen=True)
class RuleCount:
    rule_id: str
    count: int


@dataclass(frozen=True)
class AgencyCounts:
    agency: str  # agency code; "" for the lender's own staff
    allowed: int
    blocked: int


@dataclass(frozen=True)
class OverrideCounts:
    requested: int
    approved: int
    rejected: int
    in_force: int  # approved overrides whose window overlaps the day


@dataclass(frozen=True)
class StateCounts:
    state: str
    set: int
    cleared: int
    active: int  # at the report moment


@dataclass(frozen=True)
class ComplaintCounts:
    received: int
    resolved: int
    open: int  # at the report moment
    sla_breached: int  # open at the report moment and past their answer due time
    visits_paused: int  # borrowers whose field visits are paused at the report moment


@dataclass(frozen=True)
class AuditStatus:
    intact: bool
    entries: int
    broken_sequence: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class DailyReport:
    day: date
    timezone: str
    starts_at: datetime
    ends_at: datetime
    as_of: datetime  # the moment the "now" counts are taken: the end of the day, or now if earlier
    attempts_by_channel: tuple[ChannelCounts, ...]
    blocked_by_rule: tuple[RuleCount, ...]
    attempts_by_agency: tuple[AgencyCounts, ...]
    overrides: OverrideCounts
    states: tuple[StateCounts, ...]
    complaints: ComplaintCounts
    audit: AuditStatus

    @property
    def attempts_total(self) -> int:
        return sum(row.allowed + row.blocked for row in self.attempts_by_channel)

    @property
    def blocked_total(self) -> int:
        return sum(row.blocked for row in self.attempts_by_channel)


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInput(f"unknown time zone {timezone!r}") from error
    return (datetime.combine(day, time(0), tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))


def _attempts(starts_at: datetime, ends_at: datetime) -> tuple[tuple[ChannelCounts, ...], tuple[AgencyCounts, ...]]:
    by_channel: dict[str, Counter[str]] = {}
    by_agency: dict[str, Counter[str]] = {}
    rows = (ContactAttempt.objects.filter(at__gte=starts_at, at__lt=ends_at)
            .values("channel", "status", "agency__code").annotate(total=Count("id")))
    for row in rows:
        by_channel.setdefault(row["channel"], Counter())[row["status"]] += row["total"]
        outcome = "blocked" if row["status"] == ContactAttempt.Status.BLOCKED else "allowed"
        by_agency.setdefault(row["agency__code"] or LENDER, Counter())[outcome] += row["total"]
    channels = tuple(ChannelCounts(channel, counts[ContactAttempt.Status.PENDING],
                                   counts[ContactAttempt.Status.COMPLETED], counts[ContactAttempt.Status.BLOCKED])
                     for channel, counts in sorted(by_channel.items()))
    agencies = tuple(AgencyCounts(agency, counts["allowed"], counts["blocked"])
                     for agency, counts in sorted(by_agency.items()))
    return channels, agencies


def _overrides(starts_at: datetime, ends_at: datetime) -> OverrideCounts:
    decided = Override.objects.filter(decided_at__gte=starts_at, decided_at__lt=ends_at)
    return OverrideCounts(
        requested=Override.objects.filter(requested_at__gte=starts_at, requested_at__lt=ends_at).count(),
        approved=decided.filter(status=Override.Status.APPROVED).count(),
        rejected=decided.filter(status=Override.Status.REJECTED).count(),
        in_force=Override.objects.filter(status=Override.Status.APPROVED, decided_at__lt=ends_at,
                                         starts_at__lt=ends_at, ends_at__gt=starts_at).count())


def _states(starts_at: datetime, ends_at: datetime, as_of: datetime) -> tuple[StateCounts, ...]:
    set_today = Counter(dict(BorrowerState.objects.filter(set_at__gte=starts_at, set_at__lt=ends_at)
                             .values("state").annotate(total=Count("id")).values_list("state", "total")))
    cleared_today = Counter(dict(BorrowerState.objects.filter(cleared_at__gte=starts_at, cleared_at__lt=ends_at)
                                 .values("state").annotate(total=Count("id")).values_list("state", "total")))
    active = Counter(dict(BorrowerState.objects.filter(set_at__lte=as_of)
                          .filter(Q(cleared_at__isnull=True) | Q(cleared_at__gt=as_of))
                          .values("state").annotate(total=Count("id")).values_list("state", "total")))
    states = sorted(set(set_today) | set(cleared_today) | set(active))
    return tuple(StateCounts(state, set_today[state], cleared_today[state], active[state]) for state in states)


def _complaints(starts_at: datetime, ends_at: datetime, as_of: datetime) -> ComplaintCounts:
    open_then = Complaint.objects.filter(received_at__lte=as_of).filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gt=as_of))
    return ComplaintCounts(
        received=Complaint.objects.filter(received_at__gte=starts_at, received_at__lt=ends_at).count(),
        resolved=Complaint.objects.filter(resolved_at__gte=starts_at, resolved_at__lt=ends_at).count(),
        open=open_then.count(),
        sla_breached=open_then.filter(answer_due_at__lt=as_of).count(),
        visits_paused=Complaint.objects.filter(received_at__lte=as_of, visits_paused_until__gt=as_of)
        .values("borrower_id").distinct().count())


def _audit() -> AuditStatus:
    broken = audit_verify()
    entries = AuditEntry.objects.count()
    if broken is None:
        return AuditStatus(intact=True, entries=entries)
    return AuditStatus(intact=False, entries=entries, broken_sequence=broken.sequence, problem=broken.problem)


def daily_report(*, day: date, timezone: str = "Asia/Shanghai") -> DailyReport:
    """The compliance figures of one local day in `timezone`."""
    starts_at, ends_at = day_bounds(day, timezone)
    as_of = min(ends_at, django_timezone.now().astimezone(ends_at.tzinfo))
    channels, agencies = _attempts(starts_at, ends_at)
    return DailyReport(
        day=day, timezone=timezone, starts_at=starts_at, ends_at=ends_at, as_of=as_of,
        attempts_by_channel=channels,
        blocked_by_rule=tuple(RuleCount(rule, count) for rule, count in blocked_by_rule(since=starts_at,
                                                                                        until=ends_at)),
        attempts_by_agency=agencies, overrides=_overrides(starts_at, ends_at),
        states=_states(starts_at, ends_at, as_of), complaints=_complaints(starts_at, ends_at, as_of),
        audit=_audit())


CSV_HEADER = ("section", "key", "measure", "value")


def daily_report_rows(report: DailyReport) -> list[tuple[str, str, str, str]]:
    """The report as long rows (section, key, measure, value): easy to load into a spreadsheet or diff."""
    rows: list[tuple[str, str, str, str]] = [
        ("report", "day", "date", report.day.isoformat()),
        ("report", "day", "timezone", report.timezone),
        ("report", "day", "as_of", report.as_of.isoformat()),
        ("attempts", "all", "total", str(report.attempts_total)),
        ("attempts", "all", "blocked", str(report.blocked_total)),
    ]
    for channel in report.attempts_by_channel:
        rows += [("attempts_by_channel", channel.channel, "allowed", str(channel.allowed)),
                 ("attempts_by_channel", channel.channel, "pending", str(channel.pending)),
                 ("attempts_by_channel", channel.channel, "completed", str(channel.completed)),
                 ("attempts_by_channel", channel.channel, "blocked", str(channel.blocked))]
    rows += [("blocked_by_rule", rule.rule_id, "blocked", str(rule.count)) for rule in report.blocked_by_rule]
    for agency in report.attempts_by_agency:
        key = agency.agency or "lender"
        rows += [("attempts_by_agency", key, "allowed", str(agency.allowed)),
                 ("attempts_by_agency", key, "blocked", str(agency.blocked))]
    overrides = report.overrides
    rows += [("overrides", "all", "requested", str(overrides.requested)),
             ("overrides", "all", "approved", str(overrides.approved)),
             ("overrides", "all", "rejected", str(overrides.rejected)),
             ("overrides", "all", "in_force", str(overrides.in_force))]
    for state in report.states:
        rows += [("borrower_states", state.state, "set", str(state.set)),
                 ("borrower_states", state.state, "cleared", str(state.cleared)),
                 ("borrower_states", state.state, "active", str(state.active))]
    complaints = report.complaints
    rows += [("complaints", "all", "received", str(complaints.received)),
             ("complaints", "all", "resolved", str(complaints.resolved)),
             ("complaints", "all", "open", str(complaints.open)),
             ("complaints", "all", "sla_breached", str(complaints.sla_breached)),
             ("complaints", "all", "visits_paused", str(complaints.visits_paused))]
    audit = report.audit
    rows += [("audit", "chain", "intact", "yes" if audit.intact else "no"),
             ("audit", "chain", "entries", str(audit.entries))]
    if not audit.intact:
        rows += [("audit", "chain", "broken_sequence", str(audit.broken_sequence)),
                 ("audit", "chain", "problem", audit.problem)]
    return rows


def daily_report_csv(report: DailyReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(daily_report_rows(report))
    return buffer.getvalue()
