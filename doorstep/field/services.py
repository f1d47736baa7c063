"""Writes of the field visit. Every phone write is an operation with a client-generated id
(docs/field-app.md): `operation_apply` claims the id in the ledger and applies the operation in the
same transaction, so a retry or a replay is applied exactly once and answered with the first result.

Rejected operations change nothing and are not recorded: the phone keeps them for the collector.
Supervisor actions (approve a plan, acknowledge an alert, review a position) are plain services.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from doorstep.accounts.models import Role, Team
from doorstep.accounts.selectors import user_has_role
from doorstep.common.audit import audit_append
from doorstep.common.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted
from doorstep.compliance.core.engine import zone
from doorstep.compliance.core.model import Channel, State
from doorstep.compliance.core.packs import PACKS, pack_ids_for
from doorstep.compliance.core.records import CheckIn, RecordProblem, VisitRecord, visit_record_problems
from doorstep.compliance.core.records import Recording as RecordedSpan
from doorstep.compliance.core.text import Audience, text_scan
from doorstep.compliance.models import ContactAttempt
from doorstep.compliance.services import (
    AttemptRequest,
    borrower_state_set,
    complaint_record,
    contact_attempt_finish,
    contact_attempt_start,
)
from doorstep.field.core.geo import Fix, PositionLimits, position_check
from doorstep.field.core.guidance import tension_prompts
from doorstep.field.core.plans import (
    Affordability,
    Interval,
    installment_schedule,
    plan_assessment,
    smallest_affordable_count,
)
from doorstep.field.gateways import gateway_from_settings, qr_svg
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
    VisitNote,
)
from doorstep.planning.models import Plan, Stop
from doorstep.portfolio.models import Case

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SUPERVISOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
PARTIES = ("debtor", "guarantor", "co_obligor", "contact", "nobody")
LONGEST_PROMISE = timedelta(days=90)
LARGEST_SIGNATURE = 400_000
# Device clocks drift; one far ahead of the server is flagged (a visit cannot happen in the future).
CLOCK_AHEAD = timedelta(minutes=5)


class FieldConflict(Conflict):
    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, details={"code": reason})


@dataclass(frozen=True)
class Applied:
    visit: Visit | None
    result: dict[str, Any]


@dataclass(frozen=True)
class OperationResult:
    client_id: str
    status: str  # applied | replayed | rejected | conflict | forbidden
    body: dict[str, Any]

    @property
    def http_status(self) -> int:
        return {"applied": 201, "replayed": 200, "conflict": 409, "forbidden": 403}.get(self.status, 400)


# --- small parsers: each names the field it refuses ---------------------------------------------

def _text(data: dict[str, Any], name: str, *, required: bool = True, longest: int = 2000) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{name} is required")
    if len(value) > longest:
        raise InvalidInput(f"{name} is longer than {longest} characters")
    return value


def _money(data: dict[str, Any], name: str, *, required: bool = True) -> Decimal | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    if isinstance(raw, float | bool):
        raise InvalidInput(f"{name} must be a decimal string such as \"1250.00\", not a float")
    try:
        value = Decimal(str(raw))
    except InvalidOperation as error:
        raise InvalidInput(f"{name} is not an amount: {raw!r}") from error
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{name} must be zero or more")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInput(f"{name} has more than two decimal places")
    if value > Decimal("1000000000"):
        raise InvalidInput(f"{name} is implausibly large")
    return value.quantize(Decimal("0.01"))


def _positive(data: dict[str, Any], name: str) -> Decimal:
    value = _money(data, name)
    assert value is not None
    if value <= 0:
        raise InvalidInput(f"{name} must be more than zero")
    return value


def _day(data: dict[str, Any], name: str) -> date:
    raw = data.get(name)
    parsed = parse_date(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise InvalidInput(f"{name} must be a date, YYYY-MM-DD")
    return parsed


def _moment(raw: Any, name: str) -> datetime:
    parsed = None
    if isinstance(raw, str):
        try:
            parsed = parse_datetime(raw)
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput(f"{name} must be a date and time, e.g. 2026-12-01T09:58:12+08:00")
    if timezone.is_naive(parsed):
        raise InvalidInput(f"{name} must carry a time zone offset")
    return parsed


def _number(data: dict[str, Any], name: str, low: float, high: float, *, required: bool = True) -> float | None:
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidInput(f"{name} must be a number")
    value = float(raw)
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low:g} and {high:g}")
    return value


def _position(data: dict[str, Any]) -> tuple[float, float, float | None, bool]:
    lat = _number(data, "lat", -90, 90)
    lon = _number(data, "lon", -180, 180)
    accuracy = _number(data, "accuracy_m", 0, 100_000, required=False)
    mocked = data.get("mocked", False)
    if not isinstance(mocked, bool):
        raise InvalidInput("mocked must be true or false")
    assert lat is not None and lon is not None
    return lat, lon, accuracy, mocked


def _filtered(text: str, *, jurisdiction: str, what: str) -> str:
    """Every record is checked by the conduct filter before it is saved (the TXT rules)."""
    if not text:
        return text
    findings = text_scan(text, jurisdictions=(jurisdiction or "CN",), audience=Audience.OBLIGOR)
    if findings:
        raise InvalidInput(
            f"the {what} breaks conduct rules: " + "; ".join(
                f"“{finding.excerpt}” ({', '.join(finding.rule_ids)})" for finding in findings),
            details={"rules": sorted({rule for finding in findings for rule in finding.rule_ids}),
                     "findings": [{"start": finding.start, "end": finding.end, "rules": list(finding.rule_ids)}
                                  for finding in findings]})
    return text


# --- who may act on which visit ---------------------------------------------------------------

def user_on_team(user: Any, team: Team) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and team.members.filter(pk=user.pk).exists())


def _stop_for(user: Any, data: dict[str, Any]) -> Stop:
    raw = data.get("stop")
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise InvalidInput("stop must be the id of a stop on your route")
    stop = (Stop.objects.select_related("route__plan__territory", "route__team", "case__borrower")
            .filter(pk=int(raw)).first())
    if stop is None:
        raise NotFound(f"no stop {raw}")
    if not user_on_team(user, stop.route.team):
        raise NotPermitted(f"you are not on team {stop.route.team.code}, which has this visit")
    return stop


def _current_stop(stop: Stop) -> Stop | None:
    """The stop for the same case, day and team in the plan now published (a revision may have made
    a new version since the phone cached its route)."""
    plan = stop.route.plan
    if plan.status == Plan.Status.PUBLISHED:
        return stop
    return (Stop.objects.select_related("route__plan__territory", "route__team", "case__borrower")
            .filter(route__plan__day=plan.day, route__plan__territory_id=plan.territory_id,
                    route__plan__status=Plan.Status.PUBLISHED, route__team_id=stop.route.team_id,
                    case_id=stop.case_id).first())


def _visit_for(user: Any, data: dict[str, Any], *, lock: bool = True) -> tuple[Stop, Visit]:
    stop = _stop_for(user, data)
    visits = Visit.objects.select_for_update() if lock else Visit.objects.all()
    visit = visits.filter(case_id=stop.case_id, day=stop.route.plan.day).first()
    if visit is None:
        raise InvalidInput("check in first: this visit has not begun")
    if not user_on_team(user, visit.team):
        raise NotPermitted(f"you are not on team {visit.team.code}, which has this visit")
    return stop, visit


def _open_visit(visit: Visit) -> None:
    if visit.status == Visit.Status.CLOSED:
        raise FieldConflict("this visit was closed meanwhile", reason="visit_closed")


def _started(visit: Visit) -> None:
    _open_visit(visit)
    if visit.status != Visit.Status.IN_PROGRESS:
        needed = _team_needed(visit)
        raise InvalidInput(f"the visit has not started: {needed} collectors must check in first (CN-VISIT-2P)",
                           details={"rules": ["CN-VISIT-2P"]})


def _guided(visit: Visit) -> None:
    """The conversation begins only after identity and mandate are shown (CN-VISIT-ID) and entry
    is settled (CN-VISIT-ENTRY); outcomes stop once the borrower asks the team to leave."""
    _started(visit)
    if visit.asked_to_leave_at is not None:
        raise InvalidInput("the borrower asked the team to leave: the visit has ended; check out")
    if visit.id_shown_at is None:
        raise InvalidInput("show your work id and the mandate first (CN-VISIT-ID)", details={"rules": ["CN-VISIT-ID"]})
    if visit.entry_recorded_at is None:
        raise InvalidInput("record whether you entered, and the consent, first (CN-VISIT-ENTRY)",
                           details={"rules": ["CN-VISIT-ENTRY"]})


OBLIGORS = ("debtor", "guarantor", "co_obligor")


def _obligor_met(visit: Visit) -> None:
    """CN-TARGET: money is asked of, and taken from, only the debtor, a guarantor or a co-obligor."""
    if not visit.party_met:
        raise InvalidInput("record who you met first", details={"rules": ["CN-TARGET"]})
    if visit.party_met not in OBLIGORS:
        raise InvalidInput(f"you met a {visit.party_met.replace('_', ' ')}: collect only from the debtor, a guarantor "
                           "or a co-obligor (CN-TARGET)", details={"rules": ["CN-TARGET"]})


def _team_needed(visit: Visit) -> int:
    packs = pack_ids_for(visit.borrower.jurisdiction or "CN")
    return int(PACKS["CN"].value("visit_min_team")) if "CN" in packs else 1


def _local_day(visit: Visit, moment: datetime) -> date:
    return moment.astimezone(zone(visit.borrower.timezone or "Asia/Shanghai")).date()


def _visit_state(visit: Visit) -> dict[str, Any]:
    checks = list(visit.checks.values_list("collector_id", "kind"))
    return {"id": visit.pk, "status": visit.status, "outcome": visit.outcome,
            "checked_in": sorted(user for user, kind in checks if kind == CheckEvent.Kind.IN),
            "checked_out": sorted(user for user, kind in checks if kind == CheckEvent.Kind.OUT),
            "team_needed": _team_needed(visit)}


# --- the operations ---------------------------------------------------------------------------

def _record_fix(user: Any, team: Team | None, lat: float, lon: float, accuracy: float | None, mocked: bool,
                source: str, at: datetime, now: datetime) -> PositionFix:
    return PositionFix.objects.create(user=user, team=team, lat=lat, lon=lon, accuracy_m=accuracy, is_mocked=mocked,
                                      source=source, device_at=at, server_at=now)


def _limits() -> PositionLimits:
    return PositionLimits(max_distance_m=settings.DOORSTEP_FIELD_MAX_DISTANCE_M,
                          max_speed_kmh=settings.DOORSTEP_FIELD_MAX_SPEED_KMH,
                          max_accuracy_m=settings.DOORSTEP_FIELD_MAX_ACCURACY_M)


def _check(user: Any, visit: Visit, kind: str, data: dict[str, Any], at: datetime, now: datetime) -> CheckEvent:
    lat, lon, accuracy, mocked = _position(data)
    previous = PositionFix.objects.filter(user=user).order_by("-device_at", "-id").first()
    borrower = visit.borrower
    target = (borrower.lat, borrower.lon) if borrower.lat is not None and borrower.lon is not None else None
    fix = Fix(lat=lat, lon=lon, accuracy_m=accuracy, at=at, mocked=mocked)
    earlier = (Fix(lat=previous.lat, lon=previous.lon, accuracy_m=previous.accuracy_m, at=previous.device_at,
                   mocked=previous.is_mocked) if previous is not None else None)
    checked = position_check(fix, target=target, previous=earlier, limits=_limits())
    flags = [flag.value for flag in checked.flags]
    if at > now + CLOCK_AHEAD:
        flags.append("clock_ahead")
    event = CheckEvent.objects.create(
        visit=visit, collector=user, kind=kind, lat=lat, lon=lon, accuracy_m=accuracy, is_mocked=mocked,
        device_at=at, server_at=now, distance_m=checked.distance_m, flags=flags,
        review=CheckEvent.Review.FLAGGED if flags else CheckEvent.Review.CLEAR)
    _record_fix(user, visit.team, lat, lon, accuracy, mocked, f"check_{kind}", at, now)
    return event


def _check_in(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    stop = _stop_for(user, data)
    # Serialise the team's check-ins on this case: the visit is created once and starts once.
    Case.objects.select_for_update().get(pk=stop.case_id)
    visit = Visit.objects.select_for_update().filter(case_id=stop.case_id, day=stop.route.plan.day).first()
    if visit is None:
        current = _current_stop(stop)
        if current is None:
            raise FieldConflict("the supervisor removed this stop from your route; it was not visited",
                                reason="stop_removed")
        visit = Visit.objects.create(
            case=current.case, borrower=current.case.borrower, stop=current, team=current.route.team,
            day=current.route.plan.day,
            planned_minutes=max(1, round((current.end_at - current.start_at).total_seconds() / 60)))
    elif not user_on_team(user, visit.team):
        raise NotPermitted(f"you are not on team {visit.team.code}, which has this visit")
    _open_visit(visit)
    if visit.checks.filter(collector=user, kind=CheckEvent.Kind.IN).exists():
        raise InvalidInput("you have already checked in to this visit")
    event = _check(user, visit, CheckEvent.Kind.IN, data, at, now)
    checked_in = visit.checks.filter(kind=CheckEvent.Kind.IN).values("collector").distinct().count()
    result: dict[str, Any] = {"check": event.pk, "distance_m": event.distance_m, "flags": event.flags}
    if visit.status == Visit.Status.CHECKING_IN and checked_in >= _team_needed(visit):
        first = visit.checks.filter(kind=CheckEvent.Kind.IN).order_by("device_at").values_list(
            "device_at", flat=True).first()
        attempt, _created = contact_attempt_start(
            request=AttemptRequest(borrower=visit.borrower, case=visit.case, channel=Channel.VISIT, at=at,
                                   duration_minutes=visit.planned_minutes, team_size=checked_in),
            by=user, idempotency_key=f"field-visit-{visit.pk}")
        if attempt.status == ContactAttempt.Status.BLOCKED:
            raise InvalidInput(f"the visit may not start now: {attempt.reason}",
                               details={"rules": list(attempt.rules),
                                        "next_allowed_at": attempt.decision.get("next_allowed_at")})
        visit.status = Visit.Status.IN_PROGRESS
        visit.started_at = first
        visit.contact_attempt = attempt
        visit.save(update_fields=["status", "started_at", "contact_attempt"])
        audit_append(actor=user, action="field.visit.start", subject=visit,
                     data={"case": visit.case_id, "attempt": attempt.pk})
    result["visit"] = _visit_state(visit)
    return Applied(visit, result)


def _check_out(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _open_visit(visit)
    if not visit.checks.filter(collector=user, kind=CheckEvent.Kind.IN).exists():
        raise InvalidInput("you did not check in to this visit")
    if visit.checks.filter(collector=user, kind=CheckEvent.Kind.OUT).exists():
        raise InvalidInput("you have already checked out of this visit")
    event = _check(user, visit, CheckEvent.Kind.OUT, data, at, now)
    return Applied(visit, {"check": event.pk, "distance_m": event.distance_m, "flags": event.flags,
                           "visit": _visit_state(visit)})


def _id_shown(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    visit.mandate_number = _text(data, "mandate_number", longest=80)
    visit.id_shown_at = at
    visit.save(update_fields=["mandate_number", "id_shown_at"])
    return Applied(visit, {"visit": _visit_state(visit)})


def _entry(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    if visit.id_shown_at is None:
        raise InvalidInput("show your work id and the mandate first (CN-VISIT-ID)", details={"rules": ["CN-VISIT-ID"]})
    entered, consent = data.get("entered"), data.get("consent")
    if not isinstance(entered, bool) or not isinstance(consent, bool):
        raise InvalidInput("entered and consent must be true or false")
    if entered and not consent:
        raise InvalidInput("do not enter without the occupant's consent (CN-VISIT-ENTRY)",
                           details={"rules": ["CN-VISIT-ENTRY"]})
    visit.entry_recorded_at = at
    visit.entered_premises = entered
    visit.entry_consent_at = at if consent else None
    visit.save(update_fields=["entry_recorded_at", "entered_premises", "entry_consent_at"])
    return Applied(visit, {"visit": _visit_state(visit)})


def _met(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    party = _text(data, "party", longest=20)
    if party not in PARTIES:
        raise InvalidInput(f"party must be one of {', '.join(PARTIES)}")
    visit.party_met = party
    visit.save(update_fields=["party_met"])
    return Applied(visit, {"visit": _visit_state(visit)})


def _reason(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    reason = _text(data, "reason", longest=20)
    if reason not in Visit.ArrearsReason.values:
        raise InvalidInput(f"reason must be one of {', '.join(Visit.ArrearsReason.values)}")
    visit.arrears_reason = reason
    visit.arrears_note = _filtered(_text(data, "note", required=False), jurisdiction=visit.borrower.jurisdiction,
                                   what="note")
    visit.save(update_fields=["arrears_reason", "arrears_note"])
    return Applied(visit, {"visit": _visit_state(visit)})


def _finances(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    income, expenses = _money(data, "monthly_income"), _money(data, "monthly_expenses")
    assert income is not None and expenses is not None
    visit.monthly_income, visit.monthly_expenses, visit.finances_recorded_at = income, expenses, at
    visit.save(update_fields=["monthly_income", "monthly_expenses", "finances_recorded_at"])
    return Applied(visit, {"surplus": str(visit.monthly_income - visit.monthly_expenses)})


def _tension(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    level = data.get("level")
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4:
        raise InvalidInput("level must be a whole number from 0 (calm) to 4 (hostile)")
    note = _filtered(_text(data, "note", required=False), jurisdiction=visit.borrower.jurisdiction, what="note")
    VisitNote.objects.create(visit=visit, kind="tension", level=level, text=note, device_at=at, author=user)
    visit.tension_level = level
    visit.save(update_fields=["tension_level"])
    guidance = tension_prompts(level)
    if guidance.should_leave:
        SafetyAlert.objects.create(kind=SafetyAlert.Kind.HOSTILE, team=visit.team, visit=visit, raised_by=user,
                                   device_at=at, raised_at=now, note=note[:300])
    return Applied(visit, {"level": level, "should_leave": guidance.should_leave,
                           "should_pause": guidance.should_pause,
                           "prompts_en": list(guidance.prompts_en), "prompts_zh": list(guidance.prompts_zh)})


def _asked_to_leave(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    if visit.asked_to_leave_at is None:
        visit.asked_to_leave_at = at
        visit.outcome = Visit.Outcome.ASKED_TO_LEAVE
        visit.save(update_fields=["asked_to_leave_at", "outcome"])
        audit_append(actor=user, action="field.visit.asked_to_leave", subject=visit, data={"at": at.isoformat()})
    return Applied(visit, {"visit": _visit_state(visit)})


def _collectible(visit: Visit, amount: Decimal, what: str) -> None:
    case = visit.case
    if amount > case.collectible_amount:
        raise InvalidInput(f"the {what} ({amount}) is more than the collectible amount ({case.collectible_amount} "
                           f"{case.currency}); charges above the legal cap are not collectible")


def _promise(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    amount = _positive(data, "amount")
    _collectible(visit, amount, "promised amount")
    made_on = _local_day(visit, at)
    due_on = _day(data, "due_on")
    if due_on < made_on:
        raise InvalidInput("the promised date is in the past")
    if due_on > made_on + LONGEST_PROMISE:
        raise InvalidInput("a promise may run at most 90 days; propose a repayment plan instead")
    promise = Promise.objects.create(case=visit.case, visit=visit, currency=visit.case.currency, amount=amount,
                                     made_on=made_on, due_on=due_on, created_by=user, created_at=now)
    audit_append(actor=user, action="field.promise.record", subject=promise,
                 data={"amount": str(amount), "due_on": due_on.isoformat()})
    return Applied(visit, {"promise": promise.pk, "amount": str(amount), "due_on": due_on.isoformat()})


def _plan_propose(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    total = _positive(data, "total")
    _collectible(visit, total, "plan total")
    down_payment = _money(data, "down_payment", required=False) or Decimal("0.00")
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidInput("count must be a whole number of installments")
    try:
        interval = Interval(_text(data, "interval", longest=10))
    except ValueError as error:
        raise InvalidInput(f"interval must be one of {', '.join(item.value for item in Interval)}") from error
    first_due_on = _day(data, "first_due_on")
    today = _local_day(visit, at)
    if first_due_on < today:
        raise InvalidInput("the first installment cannot be due in the past")
    try:
        schedule = installment_schedule(total=total, count=count, first_due_on=first_due_on, interval=interval,
                                        down_payment=down_payment, down_payment_on=today)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    affordability = None
    if visit.finances_recorded_at is not None:
        affordability = Affordability(monthly_income=visit.monthly_income, monthly_expenses=visit.monthly_expenses)
    max_share = Decimal(settings.DOORSTEP_FIELD_PLAN_MAX_SHARE)
    assessment = plan_assessment(schedule, interval, affordability, max_share=max_share)
    if not assessment.affordable:
        suggestion = None
        if affordability is not None:
            suggestion = smallest_affordable_count(total=total, interval=interval, affordability=affordability,
                                                   down_payment=down_payment, max_share=max_share)
        raise InvalidInput(
            "the plan does not fit what the borrower said they can afford: "
            + "; ".join(problem.text_en for problem in assessment.problems),
            details={"problems": [{"code": problem.code, "en": problem.text_en, "zh": problem.text_zh}
                                  for problem in assessment.problems],
                     "smallest_affordable_count": suggestion})
    needs_approval = total > Decimal(settings.DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE)
    sequence = RepaymentPlan.objects.filter(case=visit.case).count() + 1
    plan = RepaymentPlan.objects.create(
        case=visit.case, visit=visit, number=f"RP-{visit.case_id}-{sequence:02d}", currency=visit.case.currency,
        total=total, down_payment=down_payment, count=count, interval=interval.value, first_due_on=first_due_on,
        schedule=[{"seq": item.seq, "due_on": item.due_on.isoformat(), "amount": str(item.amount)}
                  for item in schedule],
        monthly_burden=assessment.monthly_burden, surplus=assessment.surplus or Decimal("0.00"),
        affordable=assessment.affordable,
        needs_approval=needs_approval,
        status=RepaymentPlan.Status.PENDING_APPROVAL if needs_approval else RepaymentPlan.Status.APPROVED,
        proposed_by=user, proposed_at=now, language=_text(data, "language", required=False, longest=8) or "zh-hans")
    audit_append(actor=user, action="field.plan.propose", subject=plan,
                 data={"total": str(total), "count": count, "interval": interval.value,
                       "needs_approval": needs_approval})
    return Applied(visit, {"plan": plan.pk, "number": plan.number, "status": plan.status,
                           "needs_approval": needs_approval, "schedule": plan.schedule,
                           "monthly_burden": str(assessment.monthly_burden),
                           "share": str(assessment.share) if assessment.share is not None else None})


def _plan_by_reference(user: Any, data: dict[str, Any]) -> RepaymentPlan:
    if data.get("plan_op"):
        proposal = FieldOperation.objects.filter(client_id=str(data["plan_op"]), kind="plan_propose").first()
        if proposal is None:
            raise InvalidInput("the plan proposal has not reached the server yet; it is sent first")
        plan_id = proposal.result.get("plan")
    else:
        plan_id = data.get("plan")
    plan = RepaymentPlan.objects.select_for_update(of=("self",)).select_related("visit__team").filter(
        pk=plan_id if isinstance(plan_id, int) else -1).first()
    if plan is None:
        raise NotFound("no such repayment plan")
    if plan.visit is None or not user_on_team(user, plan.visit.team):
        raise NotPermitted("this plan belongs to another team's visit")
    return plan


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _signature(data: dict[str, Any]) -> bytes:
    raw = _text(data, "signature_png", longest=LARGEST_SIGNATURE * 2)
    prefix = "data:image/png;base64,"
    if not raw.startswith(prefix):
        raise InvalidInput("signature_png must be a PNG data URL (data:image/png;base64,...)")
    try:
        image = base64.b64decode(raw[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInput("signature_png is not valid base64") from error
    if not image.startswith(PNG_SIGNATURE) or len(image) < 50:
        raise InvalidInput("the signature is not a PNG image")
    if len(image) > LARGEST_SIGNATURE:
        raise InvalidInput("the signature image is too large")
    return image


def _plan_sign(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    plan = _plan_by_reference(user, data)
    visit = plan.visit
    assert visit is not None
    if plan.status == RepaymentPlan.Status.PENDING_APPROVAL:
        raise InvalidInput("the plan waits for a supervisor's approval; it can be signed once approved",
                           details={"code": "pending_approval"})
    if plan.status == RepaymentPlan.Status.REJECTED:
        raise InvalidInput(f"the supervisor rejected this plan: {plan.decision_note or 'no reason given'}")
    if plan.status == RepaymentPlan.Status.SIGNED:
        raise InvalidInput("this plan is already signed")
    image = _signature(data)
    plan.signer_name = _text(data, "signer_name", longest=100)
    plan.signature_png = image
    plan.signature_sha256 = hashlib.sha256(image).hexdigest()
    plan.signed_at = at
    plan.status = RepaymentPlan.Status.SIGNED
    plan.save(update_fields=["signer_name", "signature_png", "signature_sha256", "signed_at", "status"])
    audit_append(actor=user, action="field.plan.sign", subject=plan, data={"signature_sha256": plan.signature_sha256})
    return Applied(visit, {"plan": plan.pk, "number": plan.number, "status": plan.status,
                           "signature_sha256": plan.signature_sha256,
                           "agreement_url": f"/api/v1/field/plans/{plan.pk}/agreement.pdf"})


def _payment_request(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    amount = _positive(data, "amount")
    _collectible(visit, amount, "amount")
    sequence = PaymentRequest.objects.filter(case=visit.case).count() + 1
    reference = f"PR-{visit.case_id}-{sequence:03d}"
    gateway = gateway_from_settings()
    link = gateway.create_link(reference=reference, amount=amount, currency=visit.case.currency,
                               description=f"case {visit.case_id}", expires_at=now + timedelta(days=2))
    request = PaymentRequest.objects.create(case=visit.case, visit=visit, reference=link.reference,
                                            gateway=link.gateway, currency=visit.case.currency, amount=amount,
                                            url=link.url, expires_at=link.expires_at, created_by=user,
                                            created_at=now)
    audit_append(actor=user, action="field.payment.request", subject=request,
                 data={"amount": str(amount), "gateway": link.gateway})
    return Applied(visit, {"reference": request.reference, "url": request.url, "qr_svg": qr_svg(request.url),
                           "amount": str(amount), "expires_at": request.expires_at.isoformat()})


def _cash_receipt(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    amount = _positive(data, "amount")
    _collectible(visit, amount, "cash amount")
    number = _text(data, "receipt_number", longest=40)
    if CashReceipt.objects.filter(receipt_number=number).exists():
        raise InvalidInput(f"receipt {number} was already issued; use the next numbered receipt")
    receipt = CashReceipt.objects.create(case=visit.case, visit=visit, receipt_number=number,
                                         currency=visit.case.currency, amount=amount, issued_by=user, issued_at=at)
    audit_append(actor=user, action="field.cash.receipt", subject=receipt,
                 data={"amount": str(amount), "receipt": number})
    return Applied(visit, {"receipt": receipt.pk, "receipt_number": number, "amount": str(amount)})


def _dispute(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    reason = _filtered(_text(data, "reason", longest=500), jurisdiction=visit.borrower.jurisdiction, what="reason")
    state = borrower_state_set(borrower=visit.borrower, state=State.DISPUTE, reason=f"raised during a visit: {reason}",
                               by=user, evidence=f"field visit {visit.pk}")
    return Applied(visit, {"state": state.pk, "dispute": True})


def _complaint(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    summary = _filtered(_text(data, "summary", longest=2000), jurisdiction=visit.borrower.jurisdiction,
                        what="summary")
    complaint = complaint_record(case=visit.case, summary=summary, received_at=min(at, now), by=user,
                                 received_via="field visit", contact_attempt=visit.contact_attempt)
    return Applied(visit, {"complaint": complaint.pk,
                           "visits_paused_until": complaint.visits_paused_until.isoformat()})


def _recording_add(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _open_visit(visit)
    digest = _text(data, "sha256", longest=64).lower()
    if not SHA256.match(digest):
        raise InvalidInput("sha256 must be 64 hexadecimal characters")
    starts_at, ends_at = _moment(data.get("starts_at"), "starts_at"), _moment(data.get("ends_at"), "ends_at")
    if ends_at <= starts_at:
        raise InvalidInput("the recording must end after it starts")
    size = data.get("size_bytes")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise InvalidInput("size_bytes must be a whole number")
    if visit.recordings.filter(sha256=digest).exists():
        raise InvalidInput("this recording is already attached to the visit")
    recording = Recording.objects.create(visit=visit, reference=_text(data, "reference", longest=200), sha256=digest,
                                         starts_at=starts_at, ends_at=ends_at, size_bytes=size, added_by=user,
                                         added_at=now)
    audit_append(actor=user, action="field.recording.add", subject=recording, data={"sha256": digest})
    return Applied(visit, {"recording": recording.pk, "sha256": digest})


def visit_problems(visit: Visit) -> tuple[RecordProblem, ...]:
    """What stops a visit from closing: the REC rules, and a stored recording for every visit."""
    checks = list(visit.checks.all())
    record = VisitRecord(
        jurisdiction=visit.borrower.jurisdiction or "CN",
        checked_in=tuple(CheckIn(collector_id=str(check.collector_id), at=check.device_at, lat=check.lat,
                                 lon=check.lon) for check in checks if check.kind == CheckEvent.Kind.IN),
        checked_out_at=max((check.device_at for check in checks if check.kind == CheckEvent.Kind.OUT), default=None),
        mandate_number=visit.mandate_number, id_shown_at=visit.id_shown_at,
        recordings=tuple(RecordedSpan(starts_at=item.starts_at, ends_at=item.ends_at, sha256=item.sha256)
                         for item in visit.recordings.all()),
        entered_premises=visit.entered_premises, entry_consent_at=visit.entry_consent_at,
        party_role=visit.party_met or "nobody")
    problems = list(visit_record_problems(record))
    checked_in = {check.collector_id for check in checks if check.kind == CheckEvent.Kind.IN}
    checked_out = {check.collector_id for check in checks if check.kind == CheckEvent.Kind.OUT}
    if checked_in - checked_out:
        problems.append(RecordProblem("CN-VISIT-AV", "every collector who checked in must check out",
                                      "所有签到人员均须签退"))
    if not visit.recordings.exists() and not any(problem.rule_id == "CN-VISIT-AV" for problem in problems):
        problems.append(RecordProblem("CN-VISIT-AV", "attach the visit's recording (reference and SHA-256)",
                                      "须附上外访录音录像（编号与 SHA-256）"))
    return tuple(problems)


CLOSING_OUTCOMES = (Visit.Outcome.MET, Visit.Outcome.NOT_HOME, Visit.Outcome.REFUSED, Visit.Outcome.UNSAFE)


def _close(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    if visit.asked_to_leave_at is not None:
        outcome = Visit.Outcome.ASKED_TO_LEAVE.value
    else:
        outcome = _text(data, "outcome", longest=16)
        if outcome not in CLOSING_OUTCOMES:
            raise InvalidInput(f"outcome must be one of {', '.join(CLOSING_OUTCOMES)}")
    problems = visit_problems(visit)
    if problems:
        raise InvalidInput("the visit cannot close yet: " + "; ".join(problem.text_en for problem in problems),
                           details={"rules": sorted({problem.rule_id for problem in problems}),
                                    "problems": [{"rule": problem.rule_id, "en": problem.text_en,
                                                  "zh": problem.text_zh} for problem in problems]})
    visit.status = Visit.Status.CLOSED
    visit.outcome = outcome
    visit.closed_at = now
    visit.closed_by = user
    visit.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    if visit.contact_attempt is not None and visit.contact_attempt.status == ContactAttempt.Status.PENDING:
        met = outcome == Visit.Outcome.MET or (outcome == Visit.Outcome.ASKED_TO_LEAVE and visit.party_met
                                               not in ("", "nobody"))
        attempt_outcome = {Visit.Outcome.REFUSED.value: ContactAttempt.Outcome.REFUSED}.get(
            outcome, ContactAttempt.Outcome.MET if met else ContactAttempt.Outcome.NOT_MET)
        contact_attempt_finish(attempt=visit.contact_attempt, outcome=attempt_outcome, by=user, by_team_member=True)
    SafetyAlert.objects.filter(visit=visit, kind=SafetyAlert.Kind.OVERDUE,
                               status=SafetyAlert.Status.OPEN).update(status=SafetyAlert.Status.RESOLVED,
                                                                      note="the visit was closed")
    audit_append(actor=user, action="field.visit.close", subject=visit, data={"outcome": outcome})
    return Applied(visit, {"visit": _visit_state(visit)})


def _team_of_today(user: Any, at: datetime) -> Team | None:
    return (Team.objects.filter(members=user, is_active=True).order_by("code").first())


def _sos(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    lat, lon, accuracy, mocked = _position(data)
    visit = None
    if data.get("stop") not in (None, ""):
        try:
            _stop, visit = _visit_for(user, data, lock=False)
        except InvalidInput:
            visit = None  # an SOS before check-in still goes out, without a visit
    team = visit.team if visit is not None else _team_of_today(user, at)
    alert = SafetyAlert.objects.create(kind=SafetyAlert.Kind.SOS, team=team, visit=visit, raised_by=user, lat=lat,
                                       lon=lon, accuracy_m=accuracy, device_at=at, raised_at=now)
    _record_fix(user, team, lat, lon, accuracy, mocked, "sos", at, now)
    audit_append(actor=user, action="field.sos", subject=alert, data={"lat": lat, "lon": lon})
    return Applied(visit, {"alert": alert.pk})


def _position_report(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    lat, lon, accuracy, mocked = _position(data)
    fix = _record_fix(user, _team_of_today(user, at), lat, lon, accuracy, mocked, "ping", at, now)
    return Applied(None, {"fix": fix.pk})


Handler = Callable[[Any, datetime, datetime, dict[str, Any]], Applied]
HANDLERS: dict[str, Handler] = {
    "check_in": _check_in, "check_out": _check_out, "id_shown": _id_shown, "entry": _entry, "met": _met,
    "reason": _reason, "finances": _finances, "tension": _tension, "asked_to_leave": _asked_to_leave,
    "promise": _promise, "plan_propose": _plan_propose, "plan_sign": _plan_sign,
    "payment_request": _payment_request, "cash_receipt": _cash_receipt, "dispute": _dispute,
    "complaint": _complaint, "recording_add": _recording_add, "close": _close, "sos": _sos,
    "position": _position_report,
}
OPERATION_KINDS = tuple(HANDLERS)


def _fingerprint(kind: str, data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([kind, data], sort_keys=True, default=str).encode()).hexdigest()


def _replay(existing: FieldOperation, user: Any, kind: str, fingerprint: str) -> OperationResult:
    if existing.user_id != user.pk or existing.kind != kind or existing.fingerprint != fingerprint:
        return OperationResult(existing.client_id, "conflict", {
            "id": existing.client_id, "status": "conflict", "code": "id_reused",
            "message": "this operation id was already used for a different operation"})
    return OperationResult(existing.client_id, "replayed", {
        "id": existing.client_id, "status": "replayed", "result": existing.result})


def _error_result(client_id: str, error: DomainError) -> OperationResult:
    details = error.details if isinstance(error.details, dict) else {}
    status = {"forbidden": "forbidden", "conflict": "conflict"}.get(error.code, "rejected")
    body: dict[str, Any] = {"id": client_id, "status": status, "code": details.get("code", error.code),
                            "message": error.message}
    if details.get("rules"):
        body["rules"] = details["rules"]
    extra = {key: value for key, value in details.items() if key not in ("code", "rules")}
    if extra:
        body["details"] = extra
    return OperationResult(client_id, status, body)


def operation_apply(*, user: Any, operation: Any) -> OperationResult:
    """Apply one phone operation exactly once (see the module docstring)."""
    if not isinstance(operation, dict):
        return _error_result("", InvalidInput("an operation is an object with id, kind, at and data"))
    client_id = operation.get("id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        return _error_result(str(client_id or "")[:64],
                             InvalidInput("id must be 8 to 64 characters of letters, digits, - or _"))
    kind = operation.get("kind")
    data = operation.get("data", {})
    try:
        if kind not in HANDLERS:
            raise InvalidInput(f"unknown kind {kind!r}: use one of {', '.join(OPERATION_KINDS)}")
        if not isinstance(data, dict):
            raise InvalidInput("data must be an object")
        device_at = _moment(operation.get("at"), "at")
        if not user_has_role(user, {Role.COLLECTOR}):
            raise NotPermitted("only collectors on a visit's team record field operations")
    except DomainError as error:
        return _error_result(client_id, error)
    fingerprint = _fingerprint(str(kind), data)
    existing = FieldOperation.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _replay(existing, user, str(kind), fingerprint)
    now = timezone.now()
    try:
        with transaction.atomic():
            # Claim the id first: a concurrent request with the same id waits on this row, then
            # fails its insert and is answered as a replay.
            ledger = FieldOperation.objects.create(client_id=client_id, user=user, kind=kind, fingerprint=fingerprint,
                                                   device_at=device_at, received_at=now, result={})
            applied = HANDLERS[str(kind)](user, device_at, now, data)
            ledger.visit = applied.visit
            ledger.result = applied.result
            ledger.save(update_fields=["visit", "result"])
    except IntegrityError:
        existing = FieldOperation.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _replay(existing, user, str(kind), fingerprint)
    except DomainError as error:
        return _error_result(client_id, error)
    return OperationResult(client_id, "applied", {"id": client_id, "status": "applied", "result": applied.result})


MOST_OPERATIONS = 200


def operations_sync(*, user: Any, operations: Any) -> list[OperationResult]:
    """Apply a phone's queue in order, each operation in its own transaction."""
    if not isinstance(operations, list):
        raise InvalidInput("operations must be a list")
    if len(operations) > MOST_OPERATIONS:
        raise InvalidInput(f"send at most {MOST_OPERATIONS} operations at a time")
    return [operation_apply(user=user, operation=operation) for operation in operations]


# --- supervisor actions -----------------------------------------------------------------------

def _supervisor(user: Any) -> None:
    if not user_has_role(user, SUPERVISOR_ROLES) or user.agency_id is not None:
        raise NotPermitted("only the lender's supervisors and administrators do this")


@transaction.atomic
def repayment_plan_decide(*, plan: RepaymentPlan, approve: bool, by: Any, note: str = "") -> RepaymentPlan:
    _supervisor(by)
    plan = RepaymentPlan.objects.select_for_update().get(pk=plan.pk)
    wanted = RepaymentPlan.Status.APPROVED if approve else RepaymentPlan.Status.REJECTED
    if plan.status == wanted:
        return plan
    if plan.status != RepaymentPlan.Status.PENDING_APPROVAL:
        raise Conflict(f"this plan is already {plan.status}")
    if not approve and not note.strip():
        raise InvalidInput("say why the plan is rejected; the collector reads it to the borrower")
    plan.status = wanted
    plan.decided_by = by
    plan.decided_at = timezone.now()
    plan.decision_note = note.strip()[:300]
    plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_append(actor=by, action=f"field.plan.{wanted}", subject=plan, data={"note": plan.decision_note})
    return plan


@transaction.atomic
def safety_alert_acknowledge(*, alert: SafetyAlert, by: Any, note: str = "") -> SafetyAlert:
    _supervisor(by)
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        if alert.status == SafetyAlert.Status.OPEN:
            alert.status = SafetyAlert.Status.ACKNOWLEDGED
        alert.note = (note.strip() or alert.note)[:300]
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "status", "note"])
        audit_append(actor=by, action="field.alert.acknowledge", subject=alert, data={"kind": alert.kind})
    return alert


@transaction.atomic
def safety_alert_escalate(*, alert: SafetyAlert, by: Any, note: str) -> SafetyAlert:
    _supervisor(by)
    if not note.strip():
        raise InvalidInput("say to whom and how the alert was escalated (e.g. police called, manager informed)")
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == SafetyAlert.Status.ESCALATED:
        return alert
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
    alert.status = SafetyAlert.Status.ESCALATED
    alert.escalated_by = by
    alert.escalated_at = timezone.now()
    alert.note = note.strip()[:300]
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "status", "escalated_by", "escalated_at", "note"])
    audit_append(actor=by, action="field.alert.escalate", subject=alert, data={"note": alert.note})
    return alert


@transaction.atomic
def safety_alert_resolve(*, alert: SafetyAlert, by: Any, note: str) -> SafetyAlert:
    _supervisor(by)
    if not note.strip():
        raise InvalidInput("say how the alert ended")
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != SafetyAlert.Status.RESOLVED:
        alert.status = SafetyAlert.Status.RESOLVED
        alert.note = note.strip()[:300]
        if alert.acknowledged_at is None:
            alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
        alert.save(update_fields=["status", "note", "acknowledged_by", "acknowledged_at"])
        audit_append(actor=by, action="field.alert.resolve", subject=alert, data={"note": alert.note})
    return alert


@transaction.atomic
def check_review(*, check: CheckEvent, accept: bool, by: Any) -> CheckEvent:
    _supervisor(by)
    check = CheckEvent.objects.select_for_update().get(pk=check.pk)
    wanted = CheckEvent.Review.ACCEPTED if accept else CheckEvent.Review.REJECTED
    if check.review == wanted:
        return check
    if check.review != CheckEvent.Review.FLAGGED:
        raise Conflict("only flagged positions are reviewed")
    check.review, check.reviewed_by, check.reviewed_at = wanted, by, timezone.now()
    check.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    audit_append(actor=by, action=f"field.check.{wanted}", subject=check, data={"flags": check.flags})
    return check


@transaction.atomic
def cash_deposit_confirm(*, receipt: CashReceipt, by: Any) -> CashReceipt:
    _supervisor(by)
    receipt = CashReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.deposit_confirmed_at is None:
        receipt.deposit_confirmed_by, receipt.deposit_confirmed_at = by, timezone.now()
        receipt.save(update_fields=["deposit_confirmed_by", "deposit_confirmed_at"])
        audit_append(actor=by, action="field.cash.deposit", subject=receipt, data={"amount": str(receipt.amount)})
    return receipt


def field_overdue_scan(*, now: datetime | None = None) -> int:
    """Raise an alert for every visit whose check-out is overdue by the grace time. Idempotent: a
    visit is alerted once (a unique constraint), so the scan may run as often as wanted."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.DOORSTEP_FIELD_CHECKOUT_GRACE_MIN)
    raised = 0
    candidates = (Visit.objects.filter(status=Visit.Status.IN_PROGRESS, started_at__isnull=False,
                                       started_at__lt=now - grace)
                  .exclude(alerts__kind=SafetyAlert.Kind.OVERDUE).select_related("team"))
    for visit in candidates:
        assert visit.started_at is not None
        due = visit.started_at + timedelta(minutes=visit.planned_minutes) + grace
        if now <= due:
            continue
        checks = list(visit.checks.values_list("collector_id", "kind"))
        inside = {user for user, kind in checks if kind == CheckEvent.Kind.IN} - {
            user for user, kind in checks if kind == CheckEvent.Kind.OUT}
        if not inside:
            continue
        try:
            with transaction.atomic():
                SafetyAlert.objects.create(kind=SafetyAlert.Kind.OVERDUE, team=visit.team, visit=visit,
                                           raised_at=now, note=f"check-out was due by {due.isoformat()}")
                raised += 1
        except IntegrityError:
            continue  # raised by a concurrent scan
    return raised

