"""Build a day's planning scenario for one territory from the database.

Candidates are the territory's open cases. Each gets the compliance engine's allowed start
windows for a visit that day, cut to the borrower's booked or preferred times; a case the engine
blocks all day is left out with the rule ids. Eligibility is expressed through skills so the
solver needs no knowledge of the portfolio:
- a case assigned to a team may be visited only by that team (`team:<code>`): its collectors are
  the only ones who reach the case in the field app;
- a pool case held by an agency only by that agency's teams (`agency:<code>`), an in-house pool
  case only by in-house teams (`inhouse`);
- a borrower in hardship only by a team trained for it (`hardship`).

A team goes out with its members who hold a valid field certificate that day (doorstep.training);
a collector without one is never in a plan, and the plan lists who was left out and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from doorstep.accounts.models import Team, Territory, User
from doorstep.compliance.core.model import Attempt, Channel, State, Subject
from doorstep.compliance.selectors import engine_for_lender, subjects_for
from doorstep.planning.models import Exclusion, TeamDayOff, TeamSchedule, VisitAppointment
from doorstep.planning.roads import scenario_with_road_matrix, travel_matrix_provider
from doorstep.portfolio.models import Case
from doorstep.scoring.models import CaseScore
from doorstep.scoring.selectors import case_scores_latest, score_reasons
from doorstep.training.selectors import standings

# Expected recovery until scoring exists: the collectible amount times an interim rate per bucket.
# The rates are assumptions (older arrears recover less), not measured; `explain` says so on every visit.
INTERIM_RECOVERY_RATES = {"M1": Decimal("0.30"), "M2": Decimal("0.20"), "M3": Decimal("0.12"),
                          "M4": Decimal("0.08"), "M5": Decimal("0.05"), "M6+": Decimal("0.03")}
PRIZE_MODEL = "interim-bucket-rate"
DEFAULT_SHIFT = (9 * 60, 18 * 60)
ROAD_SETTINGS = ("DOORSTEP_ROUTING_SERVER", "DOORSTEP_ROUTING_TIMEOUT_S", "DOORSTEP_ROAD_PBF",
                 "DOORSTEP_ROAD_CACHE_DIR")


@dataclass
class Built:
    territory: Territory
    day: date
    timezone: str
    scenario: dict[str, Any]
    exclusions: list[tuple[int, str, list[str], str]] = field(default_factory=list)  # case, reason, rules, detail
    cases_by_visit: dict[str, int] = field(default_factory=dict)
    teams_by_id: dict[str, int] = field(default_factory=dict)
    # Collectors of the territory's teams who may not be planned that day, and why (no valid certificate).
    collectors_left_out: list[dict[str, Any]] = field(default_factory=list)


def _minutes(moment: datetime, midnight: datetime) -> float:
    return (moment - midnight).total_seconds() / 60


def _prize(case: Case, score: CaseScore | None = None) -> tuple[Decimal, dict[str, Any]]:
    """The visit's expected recovery from the case's latest score (issue 7), else the interim rule."""
    if score is not None:
        return score.expected_recovery, {
            "model": score.model.version, "probability": round(score.probability, 4),
            "uplift": None if score.uplift is None else round(score.uplift, 4),
            "expected_amount": float(score.expected_amount), "as_of": score.as_of.isoformat(),
            "reasons": score_reasons(score.reasons)}
    rate = INTERIM_RECOVERY_RATES.get(case.bucket, Decimal("0"))
    prize = (case.collectible_amount * rate).quantize(Decimal("0.01"))
    return prize, {"collectible": float(case.collectible_amount), "rate": float(rate), "model": PRIZE_MODEL,
                   "bucket": case.bucket}


def _intersect(spans: list[tuple[float, float]], other: list[tuple[float, float]]) -> list[tuple[float, float]]:
    result = []
    for start, end in spans:
        for other_start, other_end in other:
            low, high = max(start, other_start), min(end, other_end)
            if low <= high:
                result.append((low, high))
    return result


def _teams(territory: Territory, day: date, built: Built) -> list[tuple[Team, TeamSchedule | None, list[str]]]:
    """The teams on shift with their planned members: only collectors holding a valid certificate
    on `day` (issue 6); the others are listed in `built.collectors_left_out` with the reason."""
    off = set(TeamDayOff.objects.filter(day=day).values_list("team_id", flat=True))
    teams = list(Team.objects.filter(territory=territory, is_active=True).exclude(pk__in=off)
                 .select_related("agency").prefetch_related("members").order_by("code"))
    schedules = {row.team_id: row for row in TeamSchedule.objects.filter(team__in=teams)}
    members = {team.pk: sorted((user for user in team.members.all() if user.is_active), key=lambda user: user.username)
               for team in teams}
    standing = standings([user.pk for group in members.values() for user in group], day)
    result = []
    for team in teams:
        planned = []
        for user in members[team.pk]:
            if standing[user.pk].plannable:
                planned.append(user.username)
            else:
                expires = standing[user.pk].expires_on
                built.collectors_left_out.append({"username": user.username, "team": team.code,
                                                  "reason": standing[user.pk].reason,
                                                  "expires_on": expires.isoformat() if expires else None})
        if planned:
            result.append((team, schedules.get(team.pk), planned))
    return result


def teams_recheck(teams: list[dict[str, Any]], day: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A revised plan's teams with anyone who lost their certificate since the first version taken out."""
    ids = dict(User.objects.filter(username__in=[name for team in teams for name in team["members"]])
               .values_list("username", "pk"))
    standing = standings(ids.values(), day)
    kept, left_out = [], []
    for team in teams:
        members = [name for name in team["members"] if name in ids and standing[ids[name]].plannable]
        for name in team["members"]:
            if name not in members:
                reason = standing[ids[name]].reason if name in ids else "no_certificate"
                left_out.append({"username": name, "team": team["id"], "reason": reason, "expires_on": None})
        if members:
            kept.append({**team, "members": members, "ref": {**team.get("ref", {}), "collector_ids": members}})
    return kept, left_out


def _team_json(team: Team, schedule: TeamSchedule | None, territory: Territory, members: list[str]) -> dict[str, Any]:
    lat = schedule.base_lat if schedule and schedule.base_lat is not None else territory.center_lat
    lon = schedule.base_lon if schedule and schedule.base_lon is not None else territory.center_lon
    start, end = (schedule.shift_start_minute, schedule.shift_end_minute) if schedule else DEFAULT_SHIFT
    skills = sorted({*(schedule.skills if schedule else []), f"team:{team.code}",
                     f"agency:{team.agency.code}" if team.agency else "inhouse"})
    return {"id": team.code, "members": members, "start": {"lat": lat, "lon": lon}, "end": {"lat": lat, "lon": lon},
            "shift": [start, end], "max_visits": schedule.max_visits if schedule else None, "capacity": None,
            "skills": skills, "ref": {"team_id": team.code, "collector_ids": members}}


def scenario_build(*, territory: Territory, day: date, service_minutes: int | None = None) -> Built:
    """The scenario for one territory and day, with the cases it leaves out and why."""
    zone_name = territory.timezone or "Asia/Shanghai"
    zone = ZoneInfo(zone_name)
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    engine = engine_for_lender()
    built = Built(territory=territory, day=day, timezone=zone_name, scenario={})
    teams = _teams(territory, day, built)
    team_json = [_team_json(team, schedule, territory, members) for team, schedule, members in teams]
    team_codes = {team.code for team, _, _ in teams}
    built.teams_by_id = {team.code: team.pk for team, _, _ in teams}
    if any(team["start"]["lat"] is None for team in team_json):
        raise ValueError(f"territory {territory.code} has no centre and a team has no base: set one")

    cases = list(Case.objects.filter(status=Case.Status.OPEN, territory=territory).select_related(
        "borrower", "team", "agency").order_by("id"))
    subjects = subjects_for(borrower_ids=[case.borrower_id for case in cases], around=midnight + timedelta(hours=12),
                            cases={case.borrower_id: case for case in cases}, channels=[Channel.VISIT])
    scores = case_scores_latest(case_ids=[case.pk for case in cases], day=day)
    appointments: dict[int, list[tuple[float, float]]] = {}
    for case_id, start, end in VisitAppointment.objects.filter(day=day, case__in=cases).values_list(
            "case_id", "start_minute", "end_minute"):
        appointments.setdefault(case_id, []).append((float(start), float(end)))

    visits: list[dict[str, Any]] = []
    for case in cases:
        borrower = case.borrower
        subject: Subject = subjects[borrower.pk]
        if borrower.lat is None or borrower.lon is None:
            built.exclusions.append((case.pk, Exclusion.Reason.NO_LOCATION, [], "the borrower has no coordinates"))
            continue
        if case.team is not None and case.team.code not in team_codes:
            uncertified = {item["team"] for item in built.collectors_left_out}
            detail = (f"no collector of team {case.team.code} holds a valid certificate"
                      if case.team.code in uncertified else f"team {case.team.code} is not on shift")
            built.exclusions.append((case.pk, Exclusion.Reason.NO_TEAM, [], detail))
            continue
        minimum = max((engine.packs[pack].value("visit_min_team") for pack in engine.pack_ids(subject)
                       if "visit_min_team" in engine.packs[pack].params), default=1)
        service = service_minutes or engine.visit_minutes(subject, Attempt(channel=Channel.VISIT, at=midnight))
        probe = Attempt(channel=Channel.VISIT, at=midnight, duration_minutes=service, team_size=minimum)
        spans = engine.allowed_intervals(subject, probe, day)
        # Whole minutes inside each span. The engine's spans are half-open [s, e); the planner's windows
        # are closed, so e itself is kept only when the engine allows it (e.g. the last start at which a
        # visit still ends by 22:00).
        windows = []
        for span_start, span_end in spans:
            low = float(math.ceil(_minutes(span_start, midnight) - 1e-9))
            end_minutes = _minutes(span_end, midnight)
            whole = abs(end_minutes - round(end_minutes)) < 1e-9
            if whole and engine.allows(subject, replace(probe, at=span_end)):
                high = float(round(end_minutes))
            else:
                high = float(math.ceil(end_minutes - 1e-9) - 1)
            windows.append((low, high))
        windows = [(low, high) for low, high in windows if low <= high]
        if case.pk in appointments:
            windows = _intersect(windows, appointments[case.pk])
        if not windows:
            noon = engine.decide(subject, Attempt(channel=Channel.VISIT, at=midnight + timedelta(hours=12),
                                                  duration_minutes=service, team_size=minimum), find_next=False)
            if noon.blocks and not spans:
                built.exclusions.append((case.pk, Exclusion.Reason.BLOCKED, list(noon.rules),
                                         noon.reason("en")[:300]))
            else:
                detail = "the booked or preferred time is outside the allowed hours" if case.pk in appointments else (
                    "no allowed start time that day")
                built.exclusions.append((case.pk, Exclusion.Reason.NO_WINDOW, list(noon.rules), detail))
            continue
        if case.team is not None:
            skills = [f"team:{case.team.code}"]
        else:
            skills = [f"agency:{case.agency.code}" if case.agency is not None else "inhouse"]
        if State.HARDSHIP in subject.states:
            skills.append("hardship")
        prize, explain = _prize(case, scores.get(case.pk))
        visit_id = f"C{case.pk}"
        built.cases_by_visit[visit_id] = case.pk
        visits.append({
            "id": visit_id, "location": {"lat": borrower.lat, "lon": borrower.lon}, "service": service,
            "windows": [[low, high] for low, high in windows], "prize": float(prize), "required": False,
            "skills": sorted(skills), "min_team_size": minimum, "demand": 0,
            "ref": {"borrower_id": borrower.external_id, "case_id": case.pk,
                    "loan_ids": sorted(borrower.loans.values_list("external_id", flat=True))},
            "explain": explain})
    travel = dict(getattr(settings, "DOORSTEP_PLAN_TRAVEL", {"kind": "haversine", "speed_kmh": 25, "circuity": 1.3}))
    built.scenario = {
        "name": f"{territory.code}-{day.isoformat()}", "travel": travel, "teams": team_json, "visits": visits,
        "objective": {"travel_cost_per_minute": float(getattr(settings, "DOORSTEP_PLAN_TRAVEL_COST_PER_MINUTE", 1.0))},
    }
    provider = travel_matrix_provider({key: getattr(settings, key, None) for key in ROAD_SETTINGS})
    if provider is not None and visits:
        # A road network or routing server is configured: plan on road travel times, not on haversine.
        built.scenario = scenario_with_road_matrix(built.scenario, provider)
    return built
