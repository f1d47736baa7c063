"""Is a plan feasible for its scenario? An independent judge of the solver's output.

Deliberately shares nothing with `solver.py` (not even the travel helpers): the travel formulas are
written again here, so a mistake in one is caught by the other. Times are checked with a tolerance
of 1e-6 minutes, as the contract says.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from doorstep.planning.core.scenario import REASONS, Location, Plan, Scenario, Travel

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Violation:
    kind: str  # a stable code: see `KINDS`
    message: str


KINDS = ("unknown", "duplicate", "reason", "window", "arrival", "service", "travel", "shift", "skill", "team_size",
         "max_visits", "capacity", "pinned", "required", "totals")


def _minutes(travel: Travel, a: Location, b: Location) -> float:
    if travel.kind == "matrix":
        assert travel.durations is not None and a.index is not None and b.index is not None
        return travel.durations[a.index][b.index]
    if travel.kind == "euclidean":
        assert a.x is not None and a.y is not None and b.x is not None and b.y is not None
        return math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2) * travel.minutes_per_unit
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    lat_a, lat_b = a.lat * math.pi / 180, b.lat * math.pi / 180
    d_lat, d_lon = lat_b - lat_a, (b.lon - a.lon) * math.pi / 180
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin(d_lon / 2) ** 2
    km = 2 * 6371.0 * math.atan2(math.sqrt(h), math.sqrt(max(0.0, 1 - h)))
    return km * travel.circuity / travel.speed_kmh * 60


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def check(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every way `plan` breaks the contract's feasibility rules for `scenario` (empty when feasible)."""
    found: list[Violation] = []

    def report(kind: str, message: str) -> None:
        found.append(Violation(kind, message))

    teams = {team.id: team for team in scenario.teams}
    visits = {visit.id: visit for visit in scenario.visits}
    mentions = Counter([stop.visit for route in plan.routes for stop in route.stops]
                       + [item.visit for item in plan.unassigned])
    for visit_id, count in mentions.items():
        if visit_id not in visits:
            report("unknown", f"visit {visit_id!r} is not in the scenario")
        elif count > 1:
            report("duplicate", f"visit {visit_id!r} appears {count} times in the plan")
    for item in plan.unassigned:
        if item.reason not in REASONS:
            report("reason", f"visit {item.visit!r} is unassigned for an unknown reason {item.reason!r}")
    for team_id, count in Counter(route.team for route in plan.routes).items():
        if count > 1:
            report("duplicate", f"team {team_id!r} has {count} routes")

    total_travel = 0.0
    for route in plan.routes:
        team = teams.get(route.team)
        if team is None:
            report("unknown", f"route of team {route.team!r}: no such team in the scenario")
            continue
        where = f"team {team.id}"
        if route.depart < team.shift[0] - TOLERANCE:
            report("shift", f"{where} departs at {route.depart:g}, before its shift starts at {team.shift[0]:g}")
        clock, here, travelled, load = route.depart, team.start, 0.0, 0.0
        for number, stop in enumerate(route.stops, start=1):
            visit = visits.get(stop.visit)
            if visit is None:
                continue
            at = f"{where} stop {number} ({visit.id})"
            minutes = _minutes(scenario.travel, here, visit.location)
            travelled += minutes
            if stop.arrival < clock + minutes - TOLERANCE:
                report("travel", f"{at}: arrives at {stop.arrival:g}, but cannot before {clock + minutes:g}")
            if stop.start < stop.arrival - TOLERANCE:
                report("arrival", f"{at}: starts at {stop.start:g}, before arriving at {stop.arrival:g}")
            if not any(opens - TOLERANCE <= stop.start <= closes + TOLERANCE for opens, closes in visit.windows):
                report("window", f"{at}: starts at {stop.start:g}, outside its windows {list(visit.windows)}")
            if abs(stop.end - (stop.start + visit.service)) > TOLERANCE:
                report("service", f"{at}: ends at {stop.end:g}, not start + service = {stop.start + visit.service:g}")
            missing = set(visit.skills) - set(team.skills)
            if missing:
                report("skill", f"{at}: the team lacks skills {sorted(missing)}")
            if len(team.members) < visit.min_team_size:
                report("team_size", f"{at}: needs {visit.min_team_size} members, the team has {len(team.members)}")
            if visit.pinned_team is not None and visit.pinned_team != team.id:
                report("pinned", f"{at}: pinned to team {visit.pinned_team}")
            load += visit.demand
            clock, here = stop.end, visit.location
        minutes = _minutes(scenario.travel, here, team.end)
        travelled += minutes
        if route.return_ < clock + minutes - TOLERANCE:
            report("travel", f"{where} returns at {route.return_:g}, but cannot before {clock + minutes:g}")
        if route.return_ > team.shift[1] + TOLERANCE:
            report("shift", f"{where} returns at {route.return_:g}, after its shift ends at {team.shift[1]:g}")
        if team.max_visits is not None and len(route.stops) > team.max_visits:
            report("max_visits", f"{where} makes {len(route.stops)} visits, more than its {team.max_visits}")
        if team.capacity is not None and load > team.capacity + TOLERANCE:
            report("capacity", f"{where} carries {load:g}, more than its capacity {team.capacity:g}")
        if not _close(route.travel, travelled):
            report("totals", f"{where} says {route.travel:g} minutes of travel, its legs add up to {travelled:g}")
        total_travel += travelled

    served = {stop.visit for route in plan.routes for stop in route.stops if stop.visit in visits}
    for visit in scenario.visits:
        if visit.must_serve and visit.id not in served:
            what = "required" if visit.required else f"pinned to team {visit.pinned_team}"
            report("required", f"visit {visit.id} is {what} but not served")
    prize = sum(visits[visit_id].prize for visit_id in served)
    objective = prize - scenario.objective.travel_cost_per_minute * total_travel
    for name, stated, actual in (("served", plan.totals.served, len(served)), ("prize", plan.totals.prize, prize),
                                 ("travel", plan.totals.travel, total_travel),
                                 ("objective", plan.totals.objective, objective)):
        if not _close(stated, actual):
            report("totals", f"totals.{name} is {stated:g}, the routes give {actual:g}")
    return found
