"""The planner's contract as frozen dataclasses, read from and written to its JSON.

See `planning-scenario.md`: a scenario (travel, teams, visits, objective) goes in, a plan (routes,
unassigned visits with a reason, totals, solver info) comes out. Unknown keys are ignored; `ref`
and `explain` are carried through untouched. Bad input raises `ScenarioError` naming the item and
the field, so a scenario built by hand or by another system can be fixed from the message alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TRAVEL_KINDS = ("haversine", "euclidean", "matrix")
REASONS = ("skill_mismatch", "team_too_small", "no_feasible_window", "capacity", "not_worth_travel")

Window = tuple[float, float]
Matrix = tuple[tuple[float, ...], ...]


class ScenarioError(ValueError):
    """The scenario (or plan) JSON does not follow the contract; the message names item and field."""


@dataclass(frozen=True)
class Location:
    lat: float | None = None
    lon: float | None = None
    x: float | None = None
    y: float | None = None
    index: int | None = None


@dataclass(frozen=True)
class Travel:
    kind: str
    speed_kmh: float = 25.0
    circuity: float = 1.3
    minutes_per_unit: float = 1.0
    durations: Matrix | None = None
    distances: Matrix | None = None


@dataclass(frozen=True)
class Team:
    id: str
    start: Location
    end: Location
    shift: Window
    members: tuple[str, ...] = ()
    max_visits: int | None = None
    capacity: float | None = None
    skills: tuple[str, ...] = ()
    ref: Any = None


@dataclass(frozen=True)
class Visit:
    id: str
    location: Location
    windows: tuple[Window, ...]
    service: float = 0.0
    prize: float = 0.0
    required: bool = False
    skills: tuple[str, ...] = ()
    min_team_size: int = 1
    demand: float = 0.0
    pinned_team: str | None = None
    ref: Any = None
    explain: Any = None

    @property
    def must_serve(self) -> bool:
        """A pinned visit (a supervisor's lock or move) is as binding as a required one."""
        return self.required or self.pinned_team is not None


@dataclass(frozen=True)
class Objective:
    travel_cost_per_minute: float = 1.0


@dataclass(frozen=True)
class Scenario:
    name: str
    travel: Travel
    teams: tuple[Team, ...]
    visits: tuple[Visit, ...]
    objective: Objective = Objective()


@dataclass(frozen=True)
class Stop:
    visit: str
    arrival: float
    start: float
    end: float


@dataclass(frozen=True)
class Route:
    team: str
    depart: float
    return_: float
    travel: float
    stops: tuple[Stop, ...]


@dataclass(frozen=True)
class Unassigned:
    visit: str
    reason: str


@dataclass(frozen=True)
class Totals:
    served: int
    prize: float
    travel: float
    objective: float


@dataclass(frozen=True)
class SolverInfo:
    name: str
    seed: int
    time_limit_s: float
    runtime_s: float
    build_s: float | None = None
    read_s: float | None = None
    iterations: int | None = None


@dataclass(frozen=True)
class Plan:
    scenario: str
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    totals: Totals
    solver: SolverInfo | None = None


# --- reading -------------------------------------------------------------------------------------


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScenarioError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise ScenarioError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _number(value: Any, where: str, *, minimum: float | None = None, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}: expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(f"{where}: expected a finite number, got {value!r}")
    if positive and number <= 0:
        raise ScenarioError(f"{where}: must be positive, got {value!r}")
    if minimum is not None and number < minimum:
        raise ScenarioError(f"{where}: must be {minimum:g} or more, got {value!r}")
    return number


def _integer(value: Any, where: str, *, minimum: int = 0) -> int:
    number = _number(value, where, minimum=minimum)
    if number != int(number):
        raise ScenarioError(f"{where}: expected a whole number, got {value!r}")
    return int(number)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ScenarioError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _texts(value: Any, where: str) -> tuple[str, ...]:
    items = tuple(_text(item, f"{where}[{i}]") for i, item in enumerate(_list(value, where)))
    if len(set(items)) != len(items):
        raise ScenarioError(f"{where}: lists the same value twice")
    return items


def _window(value: Any, where: str) -> Window:
    pair = _list(value, where)
    if len(pair) != 2:
        raise ScenarioError(f"{where}: expected [start, end], got {value!r}")
    start, end = _number(pair[0], f"{where} start"), _number(pair[1], f"{where} end")
    if start > end:
        raise ScenarioError(f"{where}: starts at {start:g}, after its end {end:g}")
    return start, end


def _matrix(value: Any, where: str) -> Matrix:
    rows = _list(value, where)
    size = len(rows)
    matrix = []
    for i, row in enumerate(rows):
        cells = _list(row, f"{where}[{i}]")
        if len(cells) != size:
            raise ScenarioError(f"{where}: not square, row {i} has {len(cells)} entries for {size} rows")
        matrix.append(tuple(_number(cell, f"{where}[{i}][{j}]", minimum=0) for j, cell in enumerate(cells)))
    return tuple(matrix)


def _travel(value: Any) -> Travel:
    data = _object(value, "travel")
    kind = data.get("kind")
    if kind not in TRAVEL_KINDS:
        raise ScenarioError(f"travel.kind: expected one of {', '.join(TRAVEL_KINDS)}, got {kind!r}")
    if kind == "haversine":
        return Travel(kind=kind, speed_kmh=_number(data.get("speed_kmh", 25), "travel.speed_kmh", positive=True),
                      circuity=_number(data.get("circuity", 1.3), "travel.circuity", positive=True))
    if kind == "euclidean":
        return Travel(kind=kind, minutes_per_unit=_number(data.get("minutes_per_unit", 1),
                                                          "travel.minutes_per_unit", positive=True))
    if "durations" not in data:
        raise ScenarioError("travel.durations: a matrix travel needs a durations matrix")
    durations = _matrix(data["durations"], "travel.durations")
    distances = None
    if data.get("distances") is not None:
        distances = _matrix(data["distances"], "travel.distances")
        if len(distances) != len(durations):
            raise ScenarioError(f"travel.distances: {len(distances)} rows, durations has {len(durations)}")
    return Travel(kind=kind, durations=durations, distances=distances)


def _location(value: Any, where: str, travel: Travel) -> Location:
    data = _object(value, where)
    if travel.kind == "haversine":
        if "lat" not in data or "lon" not in data:
            raise ScenarioError(f"{where}: a haversine travel needs lat and lon")
        lat = _number(data["lat"], f"{where}.lat")
        lon = _number(data["lon"], f"{where}.lon")
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise ScenarioError(f"{where}: lat {lat:g} / lon {lon:g} out of range")
        return Location(lat=lat, lon=lon)
    if travel.kind == "euclidean":
        if "x" not in data or "y" not in data:
            raise ScenarioError(f"{where}: a euclidean travel needs x and y")
        return Location(x=_number(data["x"], f"{where}.x"), y=_number(data["y"], f"{where}.y"))
    if "index" not in data:
        raise ScenarioError(f"{where}: a matrix travel needs an index")
    index = _integer(data["index"], f"{where}.index")
    size = len(travel.durations or ())
    if index >= size:
        raise ScenarioError(f"{where}.index: {index} is out of range for a {size}×{size} matrix")
    return Location(index=index)


def _team(value: Any, where: str, travel: Travel) -> Team:
    data = _object(value, where)
    team_id = _text(data.get("id"), f"{where}.id")
    where = f"team {team_id!r}"
    if "shift" not in data:
        raise ScenarioError(f"{where}.shift: missing")
    for key in ("start", "end"):
        if key not in data:
            raise ScenarioError(f"{where}.{key}: missing")
    max_visits = data.get("max_visits")
    capacity = data.get("capacity")
    return Team(
        id=team_id, members=_texts(data.get("members", []), f"{where}.members"),
        start=_location(data["start"], f"{where}.start", travel), end=_location(data["end"], f"{where}.end", travel),
        shift=_window(data["shift"], f"{where}.shift"),
        max_visits=None if max_visits is None else _integer(max_visits, f"{where}.max_visits"),
        capacity=None if capacity is None else _number(capacity, f"{where}.capacity", minimum=0),
        skills=_texts(data.get("skills", []), f"{where}.skills"), ref=data.get("ref"))


def _visit(value: Any, where: str, travel: Travel, team_ids: set[str]) -> Visit:
    data = _object(value, where)
    visit_id = _text(data.get("id"), f"{where}.id")
    where = f"visit {visit_id!r}"
    if "location" not in data:
        raise ScenarioError(f"{where}.location: missing")
    windows = tuple(_window(item, f"{where}.windows[{i}]")
                    for i, item in enumerate(_list(data.get("windows"), f"{where}.windows")))
    if not windows:
        raise ScenarioError(f"{where}.windows: needs at least one window")
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise ScenarioError(f"{where}.required: expected true or false, got {required!r}")
    pinned = data.get("pinned_team")
    if pinned is not None and pinned not in team_ids:
        raise ScenarioError(f"{where}.pinned_team: no team {pinned!r} in this scenario")
    return Visit(
        id=visit_id, location=_location(data["location"], f"{where}.location", travel), windows=windows,
        service=_number(data.get("service", 0), f"{where}.service", minimum=0),
        prize=_number(data.get("prize", 0), f"{where}.prize", minimum=0), required=required,
        skills=_texts(data.get("skills", []), f"{where}.skills"),
        min_team_size=_integer(data.get("min_team_size", 1), f"{where}.min_team_size"),
        demand=_number(data.get("demand", 0), f"{where}.demand", minimum=0),
        pinned_team=pinned, ref=data.get("ref"), explain=data.get("explain"))


def _unique(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ScenarioError(f"{what} {item!r}: id used twice")
        seen.add(item)


def scenario_from_json(data: Any) -> Scenario:
    """The scenario in `data` (parsed JSON); raises `ScenarioError` on anything off-contract."""
    root = _object(data, "scenario")
    name = root.get("name", "")
    if not isinstance(name, str):
        raise ScenarioError(f"name: expected a string, got {name!r}")
    if "travel" not in root:
        raise ScenarioError("travel: missing")
    travel = _travel(root["travel"])
    teams = tuple(_team(item, f"teams[{i}]", travel) for i, item in enumerate(_list(root.get("teams", []), "teams")))
    _unique([team.id for team in teams], "team")
    team_ids = {team.id for team in teams}
    visits = tuple(_visit(item, f"visits[{i}]", travel, team_ids)
                   for i, item in enumerate(_list(root.get("visits", []), "visits")))
    _unique([visit.id for visit in visits], "visit")
    objective = _object(root.get("objective", {}), "objective")
    cost = _number(objective.get("travel_cost_per_minute", 1.0), "objective.travel_cost_per_minute", minimum=0)
    return Scenario(name=name, travel=travel, teams=teams, visits=visits,
                    objective=Objective(travel_cost_per_minute=cost))


# --- writing -------------------------------------------------------------------------------------


def _location_json(location: Location) -> dict[str, Any]:
    if location.index is not None:
        return {"index": location.index}
    if location.lat is not None:
        return {"lat": location.lat, "lon": location.lon}
    return {"x": location.x, "y": location.y}


def _travel_json(travel: Travel) -> dict[str, Any]:
    if travel.kind == "haversine":
        return {"kind": travel.kind, "speed_kmh": travel.speed_kmh, "circuity": travel.circuity}
    if travel.kind == "euclidean":
        return {"kind": travel.kind, "minutes_per_unit": travel.minutes_per_unit}
    result: dict[str, Any] = {"kind": travel.kind, "durations": [list(row) for row in travel.durations or ()]}
    if travel.distances is not None:
        result["distances"] = [list(row) for row in travel.distances]
    return result


def _team_json(team: Team) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": team.id, "members": list(team.members), "start": _location_json(team.start),
        "end": _location_json(team.end), "shift": list(team.shift), "max_visits": team.max_visits,
        "capacity": team.capacity, "skills": list(team.skills)}
    if team.ref is not None:
        result["ref"] = team.ref
    return result


def _visit_json(visit: Visit) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": visit.id, "location": _location_json(visit.location), "service": visit.service,
        "windows": [list(window) for window in visit.windows], "prize": visit.prize, "required": visit.required,
        "skills": list(visit.skills), "min_team_size": visit.min_team_size, "demand": visit.demand}
    if visit.pinned_team is not None:
        result["pinned_team"] = visit.pinned_team
    if visit.ref is not None:
        result["ref"] = visit.ref
    if visit.explain is not None:
        result["explain"] = visit.explain
    return result


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    return {"name": scenario.name, "travel": _travel_json(scenario.travel),
            "teams": [_team_json(team) for team in scenario.teams],
            "visits": [_visit_json(visit) for visit in scenario.visits],
            "objective": {"travel_cost_per_minute": scenario.objective.travel_cost_per_minute}}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    result: dict[str, Any] = {
        "scenario": plan.scenario,
        "routes": [{"team": route.team, "depart": route.depart, "return": route.return_, "travel": route.travel,
                    "stops": [{"visit": stop.visit, "arrival": stop.arrival, "start": stop.start, "end": stop.end}
                              for stop in route.stops]} for route in plan.routes],
        "unassigned": [{"visit": item.visit, "reason": item.reason} for item in plan.unassigned],
        "totals": {"served": plan.totals.served, "prize": plan.totals.prize, "travel": plan.totals.travel,
                   "objective": plan.totals.objective}}
    if plan.solver is not None:
        solver = plan.solver
        info: dict[str, Any] = {"name": solver.name, "seed": solver.seed, "time_limit_s": solver.time_limit_s,
                                "runtime_s": solver.runtime_s}
        for key in ("build_s", "read_s", "iterations"):
            if getattr(solver, key) is not None:
                info[key] = getattr(solver, key)
        result["solver"] = info
    return result


def plan_from_json(data: Any) -> Plan:
    """The plan in `data`; raises `ScenarioError` when its shape is off-contract (not when infeasible:
    that is `check`'s business)."""
    root = _object(data, "plan")
    routes = []
    for i, item in enumerate(_list(root.get("routes", []), "plan.routes")):
        route = _object(item, f"plan.routes[{i}]")
        where = f"plan route {route.get('team')!r}"
        stops = []
        for j, raw in enumerate(_list(route.get("stops", []), f"{where}.stops")):
            stop = _object(raw, f"{where}.stops[{j}]")
            at = f"{where}.stops[{j}]"
            stops.append(Stop(visit=_text(stop.get("visit"), f"{at}.visit"),
                              arrival=_number(stop.get("arrival"), f"{at}.arrival"),
                              start=_number(stop.get("start"), f"{at}.start"),
                              end=_number(stop.get("end"), f"{at}.end")))
        routes.append(Route(team=_text(route.get("team"), f"plan.routes[{i}].team"),
                            depart=_number(route.get("depart"), f"{where}.depart"),
                            return_=_number(route.get("return"), f"{where}.return"),
                            travel=_number(route.get("travel"), f"{where}.travel"), stops=tuple(stops)))
    unassigned = []
    for i, raw in enumerate(_list(root.get("unassigned", []), "plan.unassigned")):
        item = _object(raw, f"plan.unassigned[{i}]")
        unassigned.append(Unassigned(visit=_text(item.get("visit"), f"plan.unassigned[{i}].visit"),
                                     reason=_text(item.get("reason"), f"plan.unassigned[{i}].reason")))
    totals = _object(root.get("totals"), "plan.totals")
    solver = None
    if root.get("solver") is not None:
        raw_solver = _object(root["solver"], "plan.solver")
        build_s, read_s = (None if raw_solver.get(key) is None else _number(raw_solver[key], f"plan.solver.{key}")
                           for key in ("build_s", "read_s"))
        iterations = raw_solver.get("iterations")
        solver = SolverInfo(name=str(raw_solver.get("name", "")),
                            seed=_integer(raw_solver.get("seed", 0), "plan.solver.seed"),
                            time_limit_s=_number(raw_solver.get("time_limit_s", 0), "plan.solver.time_limit_s"),
                            runtime_s=_number(raw_solver.get("runtime_s", 0), "plan.solver.runtime_s"),
                            iterations=None if iterations is None else _integer(iterations, "plan.solver.iterations"),
                            build_s=build_s, read_s=read_s)
    scenario = root.get("scenario", "")
    if not isinstance(scenario, str):
        raise ScenarioError(f"plan.scenario: expected a string, got {scenario!r}")
    return Plan(scenario=scenario, routes=tuple(routes), unassigned=tuple(unassigned),
                totals=Totals(served=_integer(totals.get("served"), "plan.totals.served"),
                              prize=_number(totals.get("prize"), "plan.totals.prize"),
                              travel=_number(totals.get("travel"), "plan.totals.travel"),
                              objective=_number(totals.get("objective"), "plan.totals.objective")),
                solver=solver)
