"""Reads of the planner: who sees which plans and route sheets, and a plan laid out for a page.

Access, by role (writes are the services' `user_may_assign`):
- the lender's supervisors, admins, compliance officers and analysts see every plan;
- a collector sees only the published route sheets of their own teams;
- agency staff see only the published route sheets of their agency's teams;
- trainers see nothing of plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from doorstep.accounts.models import Role, Team
from doorstep.accounts.selectors import user_has_role, user_may_assign, user_role, user_sees_whole_portfolio
from doorstep.common.errors import NotFound
from doorstep.compliance.core.model import Attempt, Channel
from doorstep.compliance.selectors import engine_for_lender, subjects_for
from doorstep.planning.models import Exclusion, Plan, Route, Stop
from doorstep.portfolio.models import Case

# Reasons the planner gives that a supervisor may overrule by adding the case back (it becomes
# required). No team has the skills or the size for a skill_mismatch or team_too_small case, so
# adding one could only make the solve fail: those are not offered.
PLANNER_REASONS = frozenset({Exclusion.Reason.NOT_WORTH_TRAVEL, Exclusion.Reason.NO_FEASIBLE_WINDOW,
                             Exclusion.Reason.CAPACITY})

# What a visit must show when the engine gives no requirement for it (e.g. it is blocked by the time
# the sheet is printed): the visit rules of the borrower's jurisdiction, as in the rule packs.
FIXED_REQUIREMENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "CN": (("CN-VISIT-2P", "at least two collectors, all checked in", "至少两名外访员，均已签到"),
           ("CN-VISIT-ID", "show work id, mandate and loan details; record when", "出示工作证、委托书和借款信息并记录"),
           ("CN-VISIT-AV", "record audio or video from check-in to check-out", "从签到到签退全程录音录像"),
           ("CN-VISIT-ENTRY", "enter only with consent, and record it", "未经同意不得进入住宅，并记录同意")),
    "US": (("US-DECEPT", "say who you are and that you are a debt collector", "表明身份及催收人员身份"),
           ("US-MA", "stay outside unless invited in", "未经邀请不得进入")),
    "GB": (("UK-VISIT", "enter only with consent, and record it", "未经同意不得进入，并记录同意"),),
}
FIXED_REQUIREMENTS["UK"] = FIXED_REQUIREMENTS["GB"]


def user_may_see_plans(user: Any) -> bool:
    """The lender's own supervisors, admins, compliance officers and analysts."""
    return user_sees_whole_portfolio(user)


def user_may_plan(user: Any) -> bool:
    """Build, revise and publish: the lender's supervisors and admins."""
    return user_may_assign(user)


def user_may_see_route_sheets(user: Any) -> bool:
    """Anyone but trainers may reach some route sheet (their own teams' at least)."""
    role = user_role(user)
    return role is not None and role != Role.TRAINER


def plans_for_user(*, user: Any) -> QuerySet[Plan]:
    if not user_may_see_plans(user):
        return Plan.objects.none()
    return Plan.objects.select_related("territory", "created_by", "published_by").order_by(
        "-day", "territory__code", "-version")


def plan_get_for_user(*, user: Any, plan_id: int) -> Plan:
    plan = plans_for_user(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"no plan {plan_id}")
    return plan


def _sheet_teams(user: Any) -> QuerySet[Team]:
    if user_role(user) is None or user_has_role(user, {Role.TRAINER}):
        return Team.objects.none()
    if getattr(user, "agency_id", None) is not None:
        return Team.objects.filter(agency_id=user.agency_id)
    return Team.objects.filter(members=user)


def route_sheets_for_user(*, user: Any) -> QuerySet[Route]:
    """The published routes a collector or agency user may print (their own or their agency's teams)."""
    return (Route.objects.filter(plan__status=Plan.Status.PUBLISHED, team__in=_sheet_teams(user))
            .select_related("plan__territory", "team").order_by("-plan__day", "team__code"))


def route_get_for_user(*, user: Any, plan_id: int, team_code: str) -> Route:
    """A team's route in a plan: any plan for the lender's viewers, only published own-team ones otherwise."""
    if user_may_see_plans(user):
        routes = Route.objects.filter(plan_id=plan_id)
    else:
        routes = route_sheets_for_user(user=user).filter(plan_id=plan_id)
    route = routes.filter(team__code=team_code).select_related("plan__territory", "team").first()
    if route is None:
        raise NotFound(f"no route of team {team_code} in plan {plan_id}")
    return route


# --- a plan laid out for the page -----------------------------------------------------------------

@dataclass
class StopRow:
    stop: Stop
    case: Case
    borrower_id: str
    bucket: str
    lat: float | None
    lon: float | None
    windows: list[tuple[datetime, datetime]]
    service_minutes: float


@dataclass
class RouteRow:
    route: Route
    stops: list[StopRow]
    base: tuple[float, float] | None
    members: list[str]
    prize: Decimal


@dataclass
class ExclusionGroup:
    reason: str
    label: str
    rows: list[Exclusion]


@dataclass
class PlanLayout:
    plan: Plan
    routes: list[RouteRow]
    left_out: list[ExclusionGroup]
    addable: set[int]
    team_codes: list[str]
    points: dict[int, tuple[float, float]] = field(default_factory=dict)  # case id -> (lat, lon)


def _windows(plan: Plan, visit: dict[str, Any]) -> list[tuple[datetime, datetime]]:
    from zoneinfo import ZoneInfo

    midnight = datetime.combine(plan.day, datetime.min.time(), tzinfo=ZoneInfo(plan.timezone))
    return [(midnight + timedelta(minutes=low), midnight + timedelta(minutes=high))
            for low, high in visit.get("windows", [])]


def plan_layout(*, plan: Plan) -> PlanLayout:
    """Routes with their stops (and where each is), the cases left out grouped by reason."""
    visits = {visit["ref"]["case_id"]: visit for visit in plan.scenario.get("visits", [])}
    teams = {team["id"]: team for team in plan.scenario.get("teams", [])}
    routes = []
    for route in plan.routes.select_related("team").order_by("team__code"):
        rows = []
        for stop in route.stops.select_related("case__borrower").order_by("sequence"):
            visit = visits.get(stop.case_id, {})
            location = visit.get("location") or {}
            rows.append(StopRow(
                stop=stop, case=stop.case, borrower_id=stop.case.borrower.external_id,
                bucket=(visit.get("explain") or {}).get("bucket") or stop.case.bucket,
                lat=location.get("lat", stop.case.borrower.lat), lon=location.get("lon", stop.case.borrower.lon),
                windows=_windows(plan, visit), service_minutes=float(visit.get("service", 0))))
        team = teams.get(route.team.code, {})
        start = team.get("start") or {}
        base = (start["lat"], start["lon"]) if start.get("lat") is not None else None
        routes.append(RouteRow(route=route, stops=rows, base=base, members=list(team.get("members", [])),
                               prize=sum((row.stop.prize for row in rows), Decimal("0"))))
    exclusions = list(plan.exclusions.select_related("case__borrower").order_by("reason", "case_id"))
    labels = dict(Exclusion.Reason.choices)
    groups: dict[str, ExclusionGroup] = {}
    for row in exclusions:
        groups.setdefault(row.reason, ExclusionGroup(reason=row.reason, label=str(labels.get(row.reason, row.reason)),
                                                     rows=[])).rows.append(row)
    addable = {row.case_id for row in exclusions if row.case_id in visits and row.reason in PLANNER_REASONS}
    points = {case_id: (visit["location"]["lat"], visit["location"]["lon"]) for case_id, visit in visits.items()
              if (visit.get("location") or {}).get("lat") is not None}
    for row in exclusions:
        if row.case_id not in points and row.case.borrower.lat is not None and row.case.borrower.lon is not None:
            points[row.case_id] = (row.case.borrower.lat, row.case.borrower.lon)
    return PlanLayout(plan=plan, routes=routes, left_out=list(groups.values()), addable=addable,
                      team_codes=sorted(teams), points=points)


def plan_versions(*, plan: Plan) -> QuerySet[Plan]:
    return Plan.objects.filter(day=plan.day, territory=plan.territory).order_by("-version")


@dataclass(frozen=True)
class SheetRequirement:
    rule_id: str
    text_en: str
    text_zh: str


def visit_requirements(*, route: Route, stops: list[StopRow]) -> dict[int, list[SheetRequirement]]:
    """What each visit must show, by case: the compliance engine's requirements for a visit at the
    planned start, or the jurisdiction's fixed visit rules when the engine gives none."""
    if not stops:
        return {}
    engine = engine_for_lender()
    cases = {row.case.borrower_id: row.case for row in stops}
    subjects = subjects_for(borrower_ids=list(cases), around=stops[0].stop.start_at, cases=cases,
                            channels=[Channel.VISIT])
    result: dict[int, list[SheetRequirement]] = {}
    for row in stops:
        # No team size: the planner already sent a team large enough, and without one the engine
        # states the rule the collectors must show at the door (CN-VISIT-2P: all of them checked in).
        decision = engine.decide(subjects[row.case.borrower_id], Attempt(
            channel=Channel.VISIT, at=row.stop.start_at, duration_minutes=int(row.service_minutes)),
            find_next=False)
        items = [SheetRequirement(item.rule_id, item.text_en, item.text_zh) for item in decision.requirements]
        if not items:
            jurisdiction = (row.case.borrower.jurisdiction or "CN").upper()
            items = [SheetRequirement(*item) for item in FIXED_REQUIREMENTS.get(jurisdiction, FIXED_REQUIREMENTS["CN"])]
        result[row.case.pk] = items
    return result


def plans_solving(*, ids: list[int]) -> bool:
    return Plan.objects.filter(Q(pk__in=ids), status=Plan.Status.SOLVING).exists()
