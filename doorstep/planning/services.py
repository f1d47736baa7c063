"""Writes of the planner: build a day's plans, solve them (as background tasks), revise and publish.

A plan is solved from the scenario stored on it, so a retried task solves the same thing; a plan
already solved is left alone (idempotent). Revisions (lock, remove, add, move) make a new version
from the previous one's scenario and solve it again around the locks; a published plan is never
changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from doorstep.accounts.models import Team, Territory
from doorstep.accounts.selectors import user_may_assign
from doorstep.common.audit import audit_append
from doorstep.common.errors import Conflict, InvalidInput, NotPermitted
from doorstep.common.tasks import enqueue
from doorstep.planning.building import scenario_build, teams_recheck
from doorstep.planning.models import Exclusion, Plan, Route, Stop
from doorstep.portfolio.services import case_assign


def _time_limit() -> float:
    return float(getattr(settings, "DOORSTEP_PLAN_TIME_LIMIT_S", 30))


def _require_planner(by: Any) -> None:
    if by is not None and not user_may_assign(by):
        raise NotPermitted("only the lender's supervisors and administrators plan visits")


@transaction.atomic
def _plan_create(*, territory: Territory, day: date, scenario: dict[str, Any], exclusions: list[tuple[Any, ...]],
                 by: Any, time_limit_s: float, seed: int, previous: Plan | None = None,
                 collectors_left_out: list[dict[str, Any]] | None = None) -> Plan:
    version = (Plan.objects.filter(day=day, territory=territory).order_by("-version")
               .values_list("version", flat=True).first() or 0) + 1
    plan = Plan.objects.create(day=day, territory=territory, version=version, previous=previous,
                               timezone=territory.timezone or "Asia/Shanghai", scenario=scenario,
                               time_limit_s=time_limit_s, seed=seed, created_by=by,
                               collectors_left_out=collectors_left_out or [])
    Exclusion.objects.bulk_create([Exclusion(plan=plan, case_id=case_id, reason=reason, rules=rules,
                                             detail=detail[:300]) for case_id, reason, rules, detail in exclusions])
    audit_append(actor=by, action="plan.create", subject=plan,
                 data={"day": day.isoformat(), "territory": territory.code, "version": version,
                       "visits": len(scenario.get("visits", [])), "excluded": len(exclusions)})
    from doorstep.planning.tasks import plan_solve_task

    enqueue(plan_solve_task, plan_id=plan.pk)
    return plan


def plan_build(*, day: date, by: Any = None, territory: Territory | None = None, time_limit_s: float | None = None,
               seed: int = 1) -> list[Plan]:
    """One plan per territory (or the one given) for `day`, each solved as a background task."""
    _require_planner(by)
    territories = [territory] if territory is not None else list(
        Territory.objects.filter(teams__is_active=True).distinct().order_by("code"))
    if not territories:
        raise InvalidInput("no territory has an active team to plan for")
    plans = []
    for item in territories:
        built = scenario_build(territory=item, day=day)
        plans.append(_plan_create(territory=item, day=day, scenario=built.scenario, exclusions=built.exclusions,
                                  collectors_left_out=built.collectors_left_out,
                                  by=by, time_limit_s=time_limit_s or _time_limit(), seed=seed))
    return plans


def _moment(midnight: datetime, minutes: float) -> datetime:
    return midnight + timedelta(minutes=minutes)


UNASSIGNED_REASONS = {reason.value for reason in Exclusion.Reason}
ADDABLE = {Exclusion.Reason.NOT_WORTH_TRAVEL, Exclusion.Reason.REMOVED}


def plan_solve(*, plan_id: int) -> Plan:
    """Solve a stored scenario and store its routes and stops. Solving twice does nothing more."""
    from doorstep.planning.core.scenario import plan_to_json, scenario_from_json
    from doorstep.planning.core.solver import solve

    plan = Plan.objects.get(pk=plan_id)
    if plan.status != Plan.Status.SOLVING:
        return plan
    try:
        scenario = scenario_from_json(plan.scenario)
        result = plan_to_json(solve(scenario, time_limit_s=plan.time_limit_s, seed=plan.seed))
    except Exception as error:
        Plan.objects.filter(pk=plan.pk, status=Plan.Status.SOLVING).update(
            status=Plan.Status.FAILED, message=f"{type(error).__name__}: {error}"[:2000], solved_at=timezone.now())
        plan.refresh_from_db()
        return plan
    return _plan_store(plan_id=plan.pk, result=result)


@transaction.atomic
def _plan_store(*, plan_id: int, result: dict[str, Any]) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    if plan.status != Plan.Status.SOLVING:
        return plan
    midnight = datetime.combine(plan.day, time(0), tzinfo=ZoneInfo(plan.timezone))
    visits = {visit["id"]: visit for visit in plan.scenario.get("visits", [])}
    teams = dict(Team.objects.filter(code__in=[route["team"] for route in result.get("routes", [])])
                 .values_list("code", "pk"))
    locked = {visit["id"] for visit in visits.values() if visit.get("pinned_team")}
    for route in result.get("routes", []):
        if not route.get("stops"):
            continue
        row = Route.objects.create(plan=plan, team_id=teams[route["team"]],
                                   depart_at=_moment(midnight, route["depart"]),
                                   return_at=_moment(midnight, route["return"]), travel_minutes=route["travel"])
        Stop.objects.bulk_create([Stop(
            route=row, case_id=visits[stop["visit"]]["ref"]["case_id"], sequence=number,
            arrival_at=_moment(midnight, stop["arrival"]), start_at=_moment(midnight, stop["start"]),
            end_at=_moment(midnight, stop["end"]), prize=Decimal(str(visits[stop["visit"]]["prize"])),
            is_locked=stop["visit"] in locked) for number, stop in enumerate(route["stops"], start=1)])
    Exclusion.objects.bulk_create([Exclusion(
        plan=plan, case_id=visits[item["visit"]]["ref"]["case_id"],
        reason=item["reason"] if item["reason"] in UNASSIGNED_REASONS else Exclusion.Reason.NOT_WORTH_TRAVEL,
        detail="left out by the planner", by_solver=True) for item in result.get("unassigned", [])])
    totals = result.get("totals", {})
    plan.result = result
    plan.served = int(totals.get("served", 0))
    plan.prize = Decimal(str(totals.get("prize", 0))).quantize(Decimal("0.01"))
    plan.travel_minutes = float(totals.get("travel", 0))
    plan.status = Plan.Status.READY
    plan.solved_at = timezone.now()
    plan.save(update_fields=["result", "served", "prize", "travel_minutes", "status", "solved_at"])
    audit_append(actor=None, action="plan.solve", subject=plan,
                 data={"served": plan.served, "prize": str(plan.prize), "travel": plan.travel_minutes})
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, by: Any) -> Plan:
    """Give the plan to its teams: pool cases on a route are assigned to that route's team."""
    _require_planner(by)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.PUBLISHED:
        return plan
    if plan.status != Plan.Status.READY:
        raise Conflict(f"only a plan ready for review can be published (this one is {plan.get_status_display()})")
    for route in plan.routes.select_related("team"):
        for stop in route.stops.select_related("case"):
            if stop.case.team_id is None:
                case_assign(case=stop.case, by=by, team=route.team, note=f"plan {plan.day} v{plan.version}")
    Plan.objects.filter(day=plan.day, territory=plan.territory, status=Plan.Status.PUBLISHED).update(
        status=Plan.Status.SUPERSEDED)
    plan.status = Plan.Status.PUBLISHED
    plan.published_by = by
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_by", "published_at"])
    audit_append(actor=by, action="plan.publish", subject=plan, data={"routes": plan.routes.count()})
    return plan


@dataclass(frozen=True)
class Revision:
    """What the supervisor changes before solving again: cases to lock to a team (kept, with their
    team), to remove, to add back (from the exclusions), and to move to another team (locked there)."""

    lock: tuple[int, ...] = ()
    remove: tuple[int, ...] = ()
    add: tuple[int, ...] = ()
    move: tuple[tuple[int, str], ...] = ()  # (case id, team code)


def plan_revise(*, plan: Plan, revision: Revision, by: Any) -> Plan:
    """A new version of the plan: the changes applied to its scenario, solved again around the locks."""
    _require_planner(by)
    if plan.status not in (Plan.Status.READY, Plan.Status.PUBLISHED):
        raise Conflict("only a solved plan can be revised")
    scenario = copy.deepcopy(plan.scenario)
    visits = {visit["ref"]["case_id"]: visit for visit in scenario["visits"]}
    team_codes = {team["id"] for team in scenario["teams"]}
    served_by = {stop.case_id: stop.route.team.code for stop in Stop.objects.filter(route__plan=plan)
                 .select_related("route__team")}
    for case_id in revision.lock:
        if case_id not in served_by:
            raise InvalidInput(f"case {case_id} is not on a route of this plan, so it cannot be locked")
        visits[case_id]["pinned_team"] = served_by[case_id]
    for case_id, team_code in revision.move:
        if case_id not in visits:
            raise InvalidInput(f"case {case_id} is not a candidate of this plan")
        if team_code not in team_codes:
            raise InvalidInput(f"team {team_code} is not on shift in this plan")
        team = next(item for item in scenario["teams"] if item["id"] == team_code)
        missing = set(visits[case_id]["skills"]) - set(team["skills"])
        if missing:
            raise InvalidInput(f"team {team_code} cannot take case {case_id}: it lacks {', '.join(sorted(missing))}")
        visits[case_id]["pinned_team"] = team_code
    for case_id in revision.remove:
        if case_id not in visits:
            raise InvalidInput(f"case {case_id} is not in this plan")
    excluded = {row.case_id: row for row in plan.exclusions.all()}
    exclusions = [(row.case_id, row.reason, row.rules, row.detail) for row in excluded.values()
                  if row.case_id not in revision.add and not row.by_solver]
    earlier_visits: dict[int, dict[str, Any]] = {}
    earlier = plan.previous
    while earlier is not None:  # a case removed by hand left the scenario: find it in an earlier version
        for visit in earlier.scenario.get("visits", []):
            earlier_visits.setdefault(visit["ref"]["case_id"], visit)
        earlier = earlier.previous
    for case_id in revision.add:
        row = excluded.get(case_id)
        if case_id not in visits and case_id in earlier_visits:
            visits[case_id] = copy.deepcopy(earlier_visits[case_id])
        if row is None or case_id not in visits or row.reason not in ADDABLE:
            raise InvalidInput(f"case {case_id} cannot be added: only a case the planner found not worth the travel, "
                               "or one removed by hand, can be (a case blocked by a rule, without an allowed time, "
                               "or that no team can serve never is)")
        visits[case_id]["required"] = True
    kept = [visit for case_id, visit in visits.items() if case_id not in revision.remove]
    exclusions += [(case_id, Exclusion.Reason.REMOVED, [], "removed by the supervisor") for case_id in revision.remove]
    scenario["visits"] = kept
    scenario["teams"], left_out = teams_recheck(scenario.get("teams", []), plan.day)
    known = {item["username"] for item in left_out}
    left_out += [item for item in plan.collectors_left_out if item["username"] not in known]
    return _plan_create(territory=plan.territory, day=plan.day, scenario=scenario, exclusions=exclusions, by=by,
                        time_limit_s=plan.time_limit_s, seed=plan.seed, previous=plan, collectors_left_out=left_out)


