"""The visit itself, as the phone records it: check-in and check-out with positions, the guided
steps in the rules' order, recordings, closing against the REC rules, SOS and position reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from doorstep.accounts.models import Team
from doorstep.common.audit import audit_append
from doorstep.common.errors import InvalidInput, NotPermitted
from doorstep.compliance.core.model import Channel
from doorstep.compliance.core.records import CheckIn, RecordProblem, VisitRecord, visit_record_problems
from doorstep.compliance.core.records import Recording as RecordedSpan
from doorstep.compliance.models import ContactAttempt
from doorstep.compliance.services import (
    AttemptRequest,
    contact_attempt_finish,
    contact_attempt_start,
)
from doorstep.field.core.geo import Fix, PositionLimits, position_check
from doorstep.field.core.guidance import tension_prompts
from doorstep.field.models import (
    CheckEvent,
    PositionFix,
    Recording,
    SafetyAlert,
    Visit,
    VisitNote,
)
from doorstep.field.services.common import (
    CLOCK_AHEAD,
    PARTIES,
    SHA256,
    Applied,
    FieldConflict,
    _current_stop,
    _filtered,
    _guided,
    _moment,
    _money,
    _open_visit,
    _position,
    _started,
    _stop_for,
    _team_needed,
    _text,
    _visit_for,
    _visit_state,
    user_on_team,
)
from doorstep.portfolio.models import Case

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
    if visit.asked_to_leave_at is not None and visit.id_shown_at is None:
        # Asked to leave at the door, before the team could show its ids: leaving at once is what the
        # rules want, so the missing CN-VISIT-ID step must not keep the visit open. The record still
        # shows that no id was shown (id_shown_at stays empty).
        problems = [problem for problem in problems if problem.rule_id != "CN-VISIT-ID"]
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
