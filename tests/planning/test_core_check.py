"""`check` catches each kind of violation on a hand-made plan, and passes the correct one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from doorstep.planning.core.check import check
from doorstep.planning.core.scenario import Plan, Route, Stop, Totals, Unassigned, scenario_from_json

# Depot at the origin; V1 is 5 away (3-4-5), V2 5 further on, V3 optional and left out.
SCENARIO = scenario_from_json({
    "name": "hand", "travel": {"kind": "euclidean", "minutes_per_unit": 1},
    "teams": [{"id": "A", "members": ["a1", "a2"], "start": {"x": 0, "y": 0}, "end": {"x": 0, "y": 0},
               "shift": [0, 100], "max_visits": 2, "capacity": 3, "skills": ["hardship"]},
              {"id": "B", "members": ["b1"], "start": {"x": 0, "y": 0}, "end": {"x": 0, "y": 0},
               "shift": [0, 100]}],
    "visits": [{"id": "V1", "location": {"x": 3, "y": 4}, "service": 10, "windows": [[0, 4], [20, 30]], "prize": 7,
                "required": True, "skills": ["hardship"], "min_team_size": 2, "demand": 2},
               {"id": "V2", "location": {"x": 6, "y": 8}, "service": 5, "windows": [[0, 100]], "prize": 3,
                "demand": 1, "pinned_team": "A"},
               {"id": "V3", "location": {"x": -3, "y": -4}, "service": 5, "windows": [[0, 100]], "prize": 1,
                "demand": 1}],
    "objective": {"travel_cost_per_minute": 0.5}})

GOOD = Plan(
    scenario="hand",
    routes=(Route(team="A", depart=15.0, return_=50.0, travel=20.0, stops=(
        Stop(visit="V1", arrival=20.0, start=20.0, end=30.0),
        Stop(visit="V2", arrival=35.0, start=35.0, end=40.0))),),
    unassigned=(Unassigned(visit="V3", reason="not_worth_travel"),),
    totals=Totals(served=2, prize=10.0, travel=20.0, objective=0.0))


def _stops(plan: Plan, *stops: Stop) -> Plan:
    return dataclasses.replace(plan, routes=(dataclasses.replace(plan.routes[0], stops=stops),))


def _route(plan: Plan, **changes: object) -> Plan:
    return dataclasses.replace(plan, routes=(dataclasses.replace(plan.routes[0], **changes),))


V1, V2 = GOOD.routes[0].stops


def test_correct_plan_passes() -> None:
    assert check(SCENARIO, GOOD) == []


CASES: list[tuple[str, Callable[[Plan], Plan]]] = [
    ("window", lambda p: _stops(p, Stop("V1", 5.0, 5.0, 15.0), Stop("V2", 20.0, 20.0, 25.0))),
    ("arrival", lambda p: _stops(p, Stop("V1", 20.0, 19.0, 29.0), V2)),
    ("service", lambda p: _stops(p, Stop("V1", 20.0, 20.0, 25.0), V2)),
    ("travel", lambda p: _stops(p, V1, Stop("V2", 32.0, 35.0, 40.0))),
    ("travel", lambda p: _route(p, return_=44.0)),
    ("shift", lambda p: _route(p, depart=-1.0)),
    ("shift", lambda p: _route(p, return_=101.0)),
    ("skill", lambda p: dataclasses.replace(p, routes=(dataclasses.replace(p.routes[0], team="B"),))),
    ("team_size", lambda p: dataclasses.replace(p, routes=(dataclasses.replace(p.routes[0], team="B"),))),
    ("pinned", lambda p: dataclasses.replace(p, routes=(dataclasses.replace(p.routes[0], team="B"),))),
    ("max_visits", lambda p: dataclasses.replace(
        _stops(p, V1, V2, Stop("V3", 50.0, 50.0, 55.0)), unassigned=())),
    ("capacity", lambda p: dataclasses.replace(
        _stops(p, V1, V2, Stop("V3", 50.0, 50.0, 55.0)), unassigned=())),
    ("required", lambda p: dataclasses.replace(_stops(p, V2), unassigned=(
        Unassigned("V1", "not_worth_travel"), Unassigned("V3", "not_worth_travel")))),
    ("required", lambda p: dataclasses.replace(p, routes=(), unassigned=(
        Unassigned("V1", "capacity"), Unassigned("V2", "capacity"), Unassigned("V3", "capacity")))),
    ("duplicate", lambda p: dataclasses.replace(p, unassigned=(*p.unassigned, Unassigned("V1", "capacity")))),
    ("duplicate", lambda p: dataclasses.replace(p, routes=(*p.routes, Route("A", 0.0, 0.0, 0.0, ())))),
    ("unknown", lambda p: dataclasses.replace(p, unassigned=(*p.unassigned, Unassigned("V9", "capacity")))),
    ("unknown", lambda p: dataclasses.replace(p, routes=(*p.routes, Route("Z", 0.0, 0.0, 0.0, ())))),
    ("reason", lambda p: dataclasses.replace(p, unassigned=(Unassigned("V3", "bored"),))),
    ("totals", lambda p: dataclasses.replace(p, totals=Totals(served=3, prize=10.0, travel=20.0, objective=0.0))),
    ("totals", lambda p: dataclasses.replace(p, totals=Totals(served=2, prize=11.0, travel=20.0, objective=0.0))),
    ("totals", lambda p: dataclasses.replace(p, totals=Totals(served=2, prize=10.0, travel=19.0, objective=0.0))),
    ("totals", lambda p: dataclasses.replace(p, totals=Totals(served=2, prize=10.0, travel=20.0, objective=10.0))),
    ("totals", lambda p: _route(p, travel=12.0)),
]


@pytest.mark.parametrize(("kind", "mutate"), CASES)
def test_each_violation_is_caught(kind: str, mutate: Callable[[Plan], Plan]) -> None:
    violations = check(SCENARIO, mutate(GOOD))
    assert kind in {violation.kind for violation in violations}, violations
    assert all(violation.message for violation in violations)


def test_tolerance_is_a_millionth_of_a_minute() -> None:
    nearly = _stops(GOOD, Stop("V1", 20.0 - 5e-7, 20.0 - 5e-7, 30.0 - 5e-7), V2)
    assert check(SCENARIO, nearly) == []
    late = _stops(GOOD, V1, Stop("V2", 35.0, 100.000002, 105.000002))
    assert "window" in {violation.kind for violation in check(SCENARIO, late)}


def test_haversine_and_matrix_travel() -> None:
    scenario = scenario_from_json({
        "name": "h", "travel": {"kind": "haversine", "speed_kmh": 30, "circuity": 1.0},
        "teams": [{"id": "A", "members": ["a"], "start": {"lat": 0, "lon": 0}, "end": {"lat": 0, "lon": 0},
                   "shift": [0, 1000]}],
        "visits": [{"id": "V", "location": {"lat": 0, "lon": 1}, "windows": [[0, 1000]], "required": True}]})
    km = 6371.0 * 3.141592653589793 / 180  # one degree of the equator
    minutes = km / 30 * 60
    plan = Plan("h", (Route("A", 0.0, 2 * minutes, 2 * minutes, (Stop("V", minutes, minutes, minutes),)),), (),
                Totals(1, 0.0, 2 * minutes, -2 * minutes))
    assert check(scenario, plan) == []
    too_fast = Plan("h", (Route("A", 0.0, 2 * minutes, 2 * minutes, (Stop("V", minutes - 1, minutes, minutes),)),),
                    (), Totals(1, 0.0, 2 * minutes, -2 * minutes))
    assert [violation.kind for violation in check(scenario, too_fast)] == ["travel"]
    matrix = scenario_from_json({
        "name": "m", "travel": {"kind": "matrix", "durations": [[0, 2.5], [4, 0]]},
        "teams": [{"id": "A", "members": ["a"], "start": {"index": 0}, "end": {"index": 0}, "shift": [0, 10]}],
        "visits": [{"id": "V", "location": {"index": 1}, "windows": [[0, 10]], "service": 1}],
        "objective": {"travel_cost_per_minute": 0}})
    plan = Plan("m", (Route("A", 0.0, 7.5, 6.5, (Stop("V", 2.5, 2.5, 3.5),)),), (), Totals(1, 0.0, 6.5, 0.0))
    assert check(matrix, plan) == []
