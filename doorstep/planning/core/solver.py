"""Solve a scenario with PyVRP: build its integer model, search, read the order back in exact floats.

Modelling (see `planner-notes.md`):
- Integers: every time is scaled by S = 10**d, d the decimals the input uses (at most 3; at least 1
  for computed travel). Rounding is conservative: travel, service and window opens up, window
  closes and shift ends down, so a schedule PyVRP finds feasible is feasible in exact minutes too.
- Several windows: one PyVRP client per window in a mutually exclusive `ClientGroup`.
- Teams: a vehicle type per distinct team (start and end depot, shift, limits, profile); teams that
  are alike in all of these share a type with `num_available` > 1, which the search prefers to
  many identical types. max_visits is a load dimension where each visit weighs 1, capacity another.
- Eligibility (skills, team size, pinned team): a visit only one team may serve (pinned, or a team's
  own case) costs nothing to the matrices: it loads a few "pin" dimensions, with each team owning a
  different half of them (a Sperner family: 8 dimensions tell 70 teams apart), so another team's
  route overflows. A visit several but not all teams may serve is cut out of the other teams'
  routing profiles (missing edges: huge distance, a duration longer than any shift). Profiles cost
  memory (two n×n matrices each), so they are kept for the few pool patterns.
- Objective: PyVRP minimises travel cost + lost prizes. With a travel cost per minute c > 0, a prize
  p is worth p / c minutes of travel; with c = 0 (prize only) one prize unit outweighs all travel
  and travel only breaks ties.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import numpy as np
import numpy.typing as npt
import pyvrp
from pyvrp.constants import MAX_VALUE
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

from doorstep.planning.core.scenario import (
    Location,
    Plan,
    Route,
    Scenario,
    SolverInfo,
    Stop,
    Team,
    Totals,
    Unassigned,
    Visit,
)
from doorstep.planning.core.travel import EARTH_RADIUS_KM, leg

SOLVER_NAME = "pyvrp 0.14.1"
EXACT = 1e-9  # a scaled value this close to a whole number is that number (binary noise, not data)
MAX_DECIMALS = 3

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


class InfeasibleScenario(Exception):
    """Some visits that must be served (required or pinned) cannot be; `visits` names them."""

    def __init__(self, message: str, visits: Iterable[str]) -> None:
        super().__init__(message)
        self.visits = tuple(visits)


# --- numbers -------------------------------------------------------------------------------------


def _decimals(values: Floats) -> int:
    for decimals in range(MAX_DECIMALS + 1):
        scaled = values * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) <= EXACT * np.maximum(1.0, np.abs(scaled))):
            return decimals
    return MAX_DECIMALS


def _scaled(values: Floats | float, scale: int, rounding: str) -> Ints:
    scaled = np.asarray(values, dtype=np.float64) * scale
    nearest = np.round(scaled)
    exact = np.abs(scaled - nearest) <= EXACT * np.maximum(1.0, np.abs(scaled))
    if rounding == "up":
        rounded = np.ceil(scaled)
    elif rounding == "down":
        rounded = np.floor(scaled)
    else:
        rounded = nearest
    return np.where(exact, nearest, rounded).astype(np.int64)


def _up(value: float, scale: int) -> int:
    scaled = value * scale
    nearest = round(scaled)
    return nearest if abs(scaled - nearest) <= EXACT * max(1.0, abs(scaled)) else math.ceil(scaled)


def _down(value: float, scale: int) -> int:
    scaled = value * scale
    nearest = round(scaled)
    return nearest if abs(scaled - nearest) <= EXACT * max(1.0, abs(scaled)) else math.floor(scaled)


def _minutes_matrix(scenario: Scenario, points: list[Location]) -> Floats:
    travel = scenario.travel
    if travel.kind == "matrix":
        durations = np.asarray(travel.durations, dtype=np.float64)
        index = np.array([point.index for point in points], dtype=np.int64)
        return np.asarray(durations[np.ix_(index, index)], dtype=np.float64)
    if travel.kind == "euclidean":
        xs = np.array([point.x for point in points], dtype=np.float64)
        ys = np.array([point.y for point in points], dtype=np.float64)
        return np.hypot(xs[:, None] - xs[None, :], ys[:, None] - ys[None, :]) * travel.minutes_per_unit
    lat = np.radians(np.array([point.lat for point in points], dtype=np.float64))
    lon = np.radians(np.array([point.lon for point in points], dtype=np.float64))
    h = (np.sin((lat[None, :] - lat[:, None]) / 2) ** 2
         + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lon[None, :] - lon[:, None]) / 2) ** 2)
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))) * travel.circuity
    return np.asarray(km / travel.speed_kmh * 60, dtype=np.float64)


def _scale(scenario: Scenario) -> int:
    values = [value for team in scenario.teams for value in team.shift]
    for visit in scenario.visits:
        values.append(visit.service)
        values.extend(value for window in visit.windows for value in window)
    decimals = _decimals(np.array(values, dtype=np.float64))
    if scenario.travel.kind == "matrix":
        decimals = max(decimals, _decimals(np.asarray(scenario.travel.durations, dtype=np.float64).ravel()))
    else:
        decimals = max(decimals, 1)
    return int(10**decimals)


# --- the model -----------------------------------------------------------------------------------


@dataclass
class _Model:
    scale: int
    reasons: dict[str, str]  # visit id → why no team can serve it even alone (pre-check)
    eligible: npt.NDArray[np.bool_]  # [visit, team]: skills, team size and pin allow it
    data: pyvrp.ProblemData | None
    client_visit: list[int]  # PyVRP client index → scenario visit index
    type_teams: list[list[int]]  # PyVRP vehicle type → scenario team indices, in order


def _skill_eligibility(scenario: Scenario) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """[visit, team] matrices: has every skill (and is the pinned team), and has enough members too."""
    teams, visits = scenario.teams, scenario.visits
    skilled = np.zeros((len(visits), len(teams)), dtype=bool)
    by_need: dict[frozenset[str], npt.NDArray[np.bool_]] = {}
    team_skills = [frozenset(team.skills) for team in teams]
    team_index = {team.id: k for k, team in enumerate(teams)}
    for v, visit in enumerate(visits):
        need = frozenset(visit.skills)
        if need not in by_need:
            by_need[need] = np.array([need <= skills for skills in team_skills], dtype=bool)
        row = by_need[need]
        if visit.pinned_team is not None:
            row = row & (np.arange(len(teams)) == team_index[visit.pinned_team])
        skilled[v] = row
    sizes = np.array([len(team.members) for team in teams], dtype=np.int64)
    needs = np.array([visit.min_team_size for visit in visits], dtype=np.int64)
    return skilled, skilled & (sizes[None, :] >= needs[:, None])


def _sperner(count: int) -> list[tuple[int, ...]]:
    """`count` subsets of range(m), none inside another, for the smallest such m."""
    dims = 1
    while math.comb(dims, (dims + 1) // 2) < count:
        dims += 1
    return list(itertools.islice(itertools.combinations(range(dims), (dims + 1) // 2), count))


def _build(scenario: Scenario) -> _Model:
    teams, visits = scenario.teams, scenario.visits
    scale = _scale(scenario)
    skilled, eligible = _skill_eligibility(scenario)

    depot_of: dict[Location, int] = {}
    for team in teams:
        depot_of.setdefault(team.start, len(depot_of))
        depot_of.setdefault(team.end, len(depot_of))
    points = [*depot_of, *(visit.location for visit in visits)]
    minutes = _minutes_matrix(scenario, points)
    duration = _scaled(minutes, scale, "up")
    np.fill_diagonal(duration, 0)
    visit_loc = np.arange(len(visits)) + len(depot_of)

    early = np.array([_up(team.shift[0], scale) for team in teams], dtype=np.int64)
    late = np.array([_down(team.shift[1], scale) for team in teams], dtype=np.int64)
    start_loc = np.array([depot_of[team.start] for team in teams], dtype=np.int64)
    end_loc = np.array([depot_of[team.end] for team in teams], dtype=np.int64)
    service = np.array([_up(visit.service, scale) for visit in visits], dtype=np.int64)
    windows = [[(_up(o, scale), _down(c, scale)) for o, c in visit.windows] for visit in visits]
    windows = [[(o, c) for o, c in items if o <= c] for items in windows]  # narrower than the precision

    # Alone: leave at the shift start, serve in some window, get back before the shift ends.
    slots = max((len(items) for items in windows), default=0)
    opens = np.zeros((len(visits), slots), dtype=np.int64)
    closes = np.full((len(visits), slots), -1, dtype=np.int64)  # a missing window is never reachable
    for v, items in enumerate(windows):
        for j, (o, c) in enumerate(items):
            opens[v, j], closes[v, j] = o, c
    reachable = np.zeros((len(visits), len(teams)), dtype=bool)
    for k in range(len(teams)):
        arrival = (early[k] + duration[start_loc[k], visit_loc])[:, None]
        back = (service + duration[visit_loc, end_loc[k]])[:, None]
        reachable[:, k] = ((closes >= arrival) & (np.maximum(arrival, opens) + back <= late[k])).any(axis=1)
    load_scale = int(10 ** _decimals(np.array([visit.demand for visit in visits]
                                              + [team.capacity or 0 for team in teams], dtype=np.float64)))
    demand = np.array([_up(visit.demand, load_scale) for visit in visits], dtype=np.int64)
    capacity = np.array([-1 if team.capacity is None else _down(team.capacity, load_scale) for team in teams],
                        dtype=np.int64)
    room = (capacity[None, :] < 0) | (demand[:, None] <= capacity[None, :])
    room &= np.array([team.max_visits != 0 for team in teams], dtype=bool)[None, :]

    reasons: dict[str, str] = {}
    for v, visit in enumerate(visits):
        for reason, allowed in (("skill_mismatch", skilled[v]), ("team_too_small", eligible[v]),
                                ("no_feasible_window", eligible[v] & reachable[v]),
                                ("capacity", eligible[v] & reachable[v] & room[v])):
            if not allowed.any():
                reasons[visit.id] = reason
                break
    blocked = [visit for visit in visits if visit.must_serve and visit.id in reasons]
    if blocked:
        names = ", ".join(f"{visit.id} ({reasons[visit.id]})" for visit in blocked)
        raise InfeasibleScenario(f"visits that must be served cannot be: {names}", [v.id for v in blocked])

    candidates = [v for v, visit in enumerate(visits) if visit.id not in reasons]
    usable = [k for k in range(len(teams)) if early[k] <= late[k]]
    if not candidates or not usable:
        return _Model(scale, reasons, eligible, None, [], [])
    return _Model(scale, reasons, eligible, *_problem(scenario, scale, candidates, usable, eligible, duration,
                                                      minutes, windows, service, demand, capacity, early, late,
                                                      start_loc, end_loc, len(depot_of)))


def _problem(scenario: Scenario, scale: int, candidates: list[int], usable: list[int],
             eligible: npt.NDArray[np.bool_], duration: Ints, minutes: Floats, windows: list[list[tuple[int, int]]],
             service: Ints, demand: Ints, capacity: Ints, early: Ints, late: Ints, start_loc: Ints, end_loc: Ints,
             num_depots: int) -> tuple[pyvrp.ProblemData, list[int], list[list[int]]]:
    teams, visits = scenario.teams, scenario.visits
    # Only the depots and the candidate visits become PyVRP locations.
    keep = np.concatenate([np.arange(num_depots), np.array(candidates, dtype=np.int64) + num_depots])
    duration = np.ascontiguousarray(duration[np.ix_(keep, keep)])
    cost = _scaled(minutes[np.ix_(keep, keep)], scale, "near")
    np.fill_diagonal(cost, 0)
    location_of = {v: num_depots + i for i, v in enumerate(candidates)}

    # Eligibility: one team → pin dimensions; several but not all → profiles; all → nothing.
    usable_mask = np.zeros(len(teams), dtype=bool)
    usable_mask[usable] = True
    allowed = eligible[candidates] & usable_mask[None, :]
    counts = allowed.sum(axis=1)
    sole = {v: int(np.flatnonzero(allowed[i])[0]) for i, v in enumerate(candidates) if counts[i] == 1}
    pin_teams = sorted(set(sole.values()))
    subsets = dict(zip(pin_teams, _sperner(len(pin_teams)), strict=True)) if pin_teams else {}
    pin_dims = max((max(s) + 1 for s in subsets.values()), default=0)
    partial = np.array([1 < counts[i] < len(usable) for i in range(len(candidates))], dtype=bool)

    profile_key = {k: allowed[:, k][partial].tobytes() for k in usable}
    keys = sorted(set(profile_key.values()), key=lambda key: -sum(key))  # the most permissive first
    profile_of = {k: keys.index(profile_key[k]) for k in usable}
    horizon = int(late[usable].max() - early[usable].min()) + 1
    partial_locations = np.flatnonzero(partial) + num_depots
    distances: list[Any] = []  # PyVRP's stubs spell the matrix type in a way numpy's do not match
    durations: list[Any] = []
    for key in keys:
        forbidden = partial_locations[~np.frombuffer(key, dtype=bool)]
        dist, dur = cost.copy(), duration.copy()
        for matrix, value in ((dist, MAX_VALUE), (dur, min(horizon, MAX_VALUE))):
            matrix[forbidden, :] = value
            matrix[:, forbidden] = value
            np.fill_diagonal(matrix, 0)
        distances.append(dist)
        durations.append(dur)

    # Load dimensions: [visits?] [capacity?] [pins...]
    count_dim = any(teams[k].max_visits is not None for k in usable)
    capacity_dim = any(capacity[k] >= 0 for k in usable) and bool(demand[candidates].any())
    big = len(candidates) + int(demand[candidates].sum()) + 1

    def vehicle_capacity(k: int) -> list[int]:
        dims = []
        if count_dim:
            dims.append(big if teams[k].max_visits is None else int(teams[k].max_visits or 0))
        if capacity_dim:
            dims.append(big if capacity[k] < 0 else int(capacity[k]))
        own = subsets.get(k, ())
        dims.extend(big if d in own else 0 for d in range(pin_dims))
        return dims

    def client_delivery(v: int) -> list[int]:
        dims = []
        if count_dim:
            dims.append(1)
        if capacity_dim:
            dims.append(int(demand[v]))
        own = subsets.get(sole[v], ()) if v in sole else ()
        dims.extend(1 if d in own else 0 for d in range(pin_dims))
        return dims

    # Prizes in travel units: see the module docstring.
    cost_per_minute = scenario.objective.travel_cost_per_minute
    if cost_per_minute > 0:
        prizes = {v: round(visits[v].prize / cost_per_minute * scale) for v in candidates}
    else:
        unit = 10 ** _decimals(np.array([visits[v].prize for v in candidates], dtype=np.float64))
        points = {v: round(visits[v].prize * unit) for v in candidates}
        weight = int(sum(int(late[k] - early[k]) for k in usable)) + 1  # more than any plan's total travel
        weight = max(1, min(weight, 2**52 // max(1, sum(points.values()))))  # int64 headroom
        prizes = {v: points[v] * weight for v in candidates}

    clients: list[pyvrp.Client] = []
    groups: list[pyvrp.ClientGroup] = []
    client_visit: list[int] = []
    for v in candidates:
        visit = visits[v]
        prize = 0 if visit.must_serve else prizes[v]
        group = None
        if len(windows[v]) > 1:
            group = len(groups)
            groups.append(pyvrp.ClientGroup([len(clients) + i for i in range(len(windows[v]))],
                                            required=visit.must_serve))
        delivery = client_delivery(v)
        for opens, closes in windows[v]:
            clients.append(pyvrp.Client(
                location=location_of[v], delivery=delivery, service_duration=int(service[v]), tw_early=opens,
                tw_late=closes, prize=prize, required=visit.must_serve and group is None, group=group,
                name=visit.id))
            client_visit.append(v)

    kinds: dict[tuple[int, int, int, int, tuple[int, ...], int], list[int]] = {}
    for k in usable:
        key = (int(start_loc[k]), int(end_loc[k]), int(early[k]), int(late[k]), tuple(vehicle_capacity(k)),
               profile_of[k])
        kinds.setdefault(key, []).append(k)
    vehicle_types = [pyvrp.VehicleType(
        num_available=len(members), capacity=list(key[4]),
        start_depot=key[0], end_depot=key[1], tw_early=key[2], tw_late=key[3], profile=key[5],
        unit_distance_cost=1, name=teams[members[0]].id) for key, members in kinds.items()]
    depots = [pyvrp.Depot(location=i) for i in range(num_depots)]
    locations = [pyvrp.Location(x=0, y=0) for _ in range(len(keep))]
    data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, distances, durations, groups)
    return data, client_visit, list(kinds.values())


# --- solving and reading -------------------------------------------------------------------------


def _stop(time_limit_s: float, max_iterations: int | None) -> StoppingCriterion:
    if max_iterations is None:
        return MaxRuntime(time_limit_s)
    return MultipleCriteria([MaxIterations(max_iterations), MaxRuntime(time_limit_s)])


def _route(scenario: Scenario, team: Team, order: list[Visit], depart: float) -> Route:
    """Exact times for `order`: leave at `depart`, start each visit in its earliest reachable window."""
    travel = scenario.travel
    clock, here, travelled, stops = depart, team.start, 0.0, []
    for visit in order:
        minutes = leg(travel, here, visit.location).minutes
        arrival = clock + minutes
        opens = next((o for o, c in sorted(visit.windows) if c >= arrival - EXACT), visit.windows[-1][0])
        start = max(arrival, opens)
        clock = start + visit.service
        travelled += minutes
        here = visit.location
        stops.append(Stop(visit=visit.id, arrival=round(arrival, 9), start=round(start, 9), end=round(clock, 9)))
    minutes = leg(travel, here, team.end).minutes
    travelled += minutes
    return Route(team=team.id, depart=round(depart, 9), return_=round(clock + minutes, 9),
                 travel=round(travelled, 9), stops=tuple(stops))


def _pinned_start(scenario: Scenario, model: _Model) -> pyvrp.Solution | None:
    """With pinned visits, start the search from routes holding them on their teams (by window), since the
    granular neighbourhood rarely offers the one route a pinned visit may join."""
    assert model.data is not None
    team_index = {team.id: k for k, team in enumerate(scenario.teams)}
    first_copy: dict[int, int] = {}
    for client, v in enumerate(model.client_visit):
        first_copy.setdefault(v, client)
    routes = []
    for kind, members in enumerate(model.type_teams):
        for k in members:
            pinned = [v for v in first_copy if scenario.visits[v].pinned_team is not None
                      and team_index[scenario.visits[v].pinned_team or ""] == k]
            if pinned:
                pinned.sort(key=lambda v: min(scenario.visits[v].windows))
                routes.append(pyvrp.Route(model.data, [first_copy[v] for v in pinned], kind))
    return pyvrp.Solution(model.data, routes) if routes else None


def _repaired(scenario: Scenario, team: Team, order: list[int]) -> list[Visit]:
    """The visits of an infeasible route that fit, in order, dropping each that would break a rule."""
    kept: list[Visit] = []
    clock, here, load = team.shift[0], team.start, 0.0
    for v in order:
        visit = scenario.visits[v]
        if team.max_visits is not None and len(kept) >= team.max_visits:
            break
        if team.capacity is not None and load + visit.demand > team.capacity:
            continue
        arrival = clock + leg(scenario.travel, here, visit.location).minutes
        opens = next((o for o, c in sorted(visit.windows) if c >= arrival), None)
        if opens is None:
            continue
        end = max(arrival, opens) + visit.service
        if end + leg(scenario.travel, visit.location, team.end).minutes > team.shift[1]:
            continue
        kept.append(visit)
        clock, here, load = end, visit.location, load + visit.demand
    return kept


def solve(scenario: Scenario, *, time_limit_s: float, seed: int = 1, max_iterations: int | None = None) -> Plan:
    """The best plan PyVRP finds within `time_limit_s` (or `max_iterations`, for a repeatable run).

    Raises `InfeasibleScenario` when a required or pinned visit cannot be served.
    """
    began = perf_counter()
    model = _build(scenario)
    built = perf_counter()
    routes: list[Route] = []
    iterations = 0
    solved = built
    if model.data is not None:
        result = pyvrp.solve(model.data, _stop(time_limit_s, max_iterations), seed=seed, collect_stats=False,
                             display=False, initial_solution=_pinned_start(scenario, model))
        solved = perf_counter()
        iterations = result.num_iterations
        best = result.best
        seen: dict[int, int] = {}
        for pyvrp_route in best.routes():
            kind = pyvrp_route.vehicle_type()
            team_index = model.type_teams[kind][seen.get(kind, 0)]
            seen[kind] = seen.get(kind, 0) + 1
            order = [model.client_visit[activity.idx] for activity in pyvrp_route if activity.is_client()]
            if not order:
                continue
            team = scenario.teams[team_index]
            if pyvrp_route.is_feasible():
                depart = max(team.shift[0], pyvrp_route.start_time() / model.scale)
                routes.append(_route(scenario, team, [scenario.visits[v] for v in order], depart))
            else:  # the search ended without a feasible plan (short runs): keep what fits
                kept = _repaired(scenario, team, [v for v in order if model.eligible[v, team_index]])
                if kept:
                    routes.append(_route(scenario, team, kept, team.shift[0]))
    served = {stop.visit for route in routes for stop in route.stops}
    missing = [visit.id for visit in scenario.visits if visit.must_serve and visit.id not in served]
    if missing:
        raise InfeasibleScenario("visits that must be served are not in the plan: " + ", ".join(missing), missing)
    unassigned = tuple(Unassigned(visit=visit.id, reason=model.reasons.get(visit.id, "not_worth_travel"))
                       for visit in scenario.visits if visit.id not in served)
    prize = sum(visit.prize for visit in scenario.visits if visit.id in served)
    travel = sum(route.travel for route in routes)
    objective = prize - scenario.objective.travel_cost_per_minute * travel
    finished = perf_counter()
    return Plan(scenario=scenario.name, routes=tuple(routes), unassigned=unassigned,
                totals=Totals(served=len(served), prize=round(prize, 9), travel=round(travel, 9),
                              objective=round(objective, 9)),
                solver=SolverInfo(name=SOLVER_NAME, seed=seed, time_limit_s=time_limit_s,
                                  runtime_s=round(solved - built, 3), build_s=round(built - began, 3),
                                  read_s=round(finished - solved, 3), iterations=iterations))
