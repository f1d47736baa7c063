"""The contract's JSON reads into dataclasses and back unchanged; bad input names item and field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from doorstep.planning.core.scenario import (
    Plan,
    Route,
    ScenarioError,
    SolverInfo,
    Stop,
    Totals,
    Unassigned,
    plan_from_json,
    plan_to_json,
    scenario_from_json,
    scenario_to_json,
)

SCENARIO: dict[str, Any] = {
    "name": "sz-futian-2026-12-01",
    "travel": {"kind": "haversine", "speed_kmh": 25, "circuity": 1.3},
    "teams": [
        {"id": "T1", "members": ["c-001", "c-002"],
         "start": {"lat": 22.541, "lon": 114.055}, "end": {"lat": 22.541, "lon": 114.055},
         "shift": [480, 1080], "max_visits": 10, "capacity": None, "skills": ["hardship"],
         "ref": {"team_id": "T1", "collector_ids": ["c-001", "c-002"]}},
    ],
    "visits": [
        {"id": "V1", "location": {"lat": 22.531, "lon": 114.061}, "service": 30, "windows": [[540, 720], [1080, 1260]],
         "prize": 1200.0, "required": False, "skills": [], "min_team_size": 2, "demand": 0,
         "ref": {"borrower_id": "B1", "case_id": "K1", "loan_ids": ["L1"]},
         "explain": {"collectible": 3040.0, "rate": 0.12, "model": "interim-bucket-rate"}},
        {"id": "V2", "location": {"lat": 22.5, "lon": 114.0}, "service": 20.5, "windows": [[600, 660]],
         "prize": 0, "required": True, "skills": ["hardship"], "min_team_size": 1, "demand": 1.5,
         "pinned_team": "T1"},
    ],
    "objective": {"travel_cost_per_minute": 1.0},
}


def _scenario(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SCENARIO)
    data.update(changes)
    return data


def test_scenario_round_trips_exactly() -> None:
    scenario = scenario_from_json(SCENARIO)
    assert scenario_to_json(scenario) == SCENARIO
    assert scenario_from_json(scenario_to_json(scenario)) == scenario
    assert scenario.visits[1].must_serve and scenario.visits[1].pinned_team == "T1"
    assert scenario.visits[0].windows == ((540, 720), (1080, 1260))


@pytest.mark.parametrize("travel", [
    {"kind": "euclidean", "minutes_per_unit": 2.0},
    {"kind": "matrix", "durations": [[0, 1.5], [2, 0]], "distances": [[0, 3], [4, 0]]},
    {"kind": "matrix", "durations": [[0, 1.5], [2, 0]]},
])
def test_other_travel_kinds_round_trip(travel: dict[str, Any]) -> None:
    location = {"x": 1.0, "y": 2.0} if travel["kind"] == "euclidean" else {"index": 1}
    data = _scenario(travel=travel)
    for team in data["teams"]:
        team["start"] = team["end"] = location
    for visit in data["visits"]:
        visit["location"] = location
    assert scenario_to_json(scenario_from_json(data)) == data


def test_unknown_keys_are_ignored_and_defaults_filled() -> None:
    scenario = scenario_from_json({
        "name": "x", "travel": {"kind": "euclidean", "colour": "red"}, "extra": 1,
        "teams": [{"id": "A", "start": {"x": 0, "y": 0}, "end": {"x": 0, "y": 0}, "shift": [0, 10], "foo": 1}],
        "visits": [{"id": "V", "location": {"x": 1, "y": 1}, "windows": [[0, 5]]}]})
    visit = scenario.visits[0]
    assert (visit.service, visit.prize, visit.required, visit.min_team_size, visit.demand) == (0, 0, False, 1, 0)
    assert scenario.objective.travel_cost_per_minute == 1.0
    assert scenario.teams[0].max_visits is None and scenario.teams[0].capacity is None


def test_plan_round_trips_exactly() -> None:
    plan = Plan(scenario="s", routes=(Route(team="T1", depart=515.0, return_=1010.5, travel=123.4, stops=(
        Stop(visit="V1", arrival=545.0, start=545.0, end=575.0),)),),
        unassigned=(Unassigned(visit="V9", reason="no_feasible_window"),),
        totals=Totals(served=1, prize=1200.0, travel=123.4, objective=1076.6),
        solver=SolverInfo(name="pyvrp 0.14.1", seed=1, time_limit_s=10, runtime_s=9.8, build_s=0.1, read_s=0.01,
                          iterations=5))
    data = plan_to_json(plan)
    assert data["routes"][0]["return"] == 1010.5
    assert plan_from_json(data) == plan
    assert plan_to_json(plan_from_json(data)) == data


def _break(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SCENARIO)
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is KeyError:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "message"), [
    ("visits.1.id", "V1", "visit 'V1': id used twice"),
    ("teams", [SCENARIO["teams"][0], SCENARIO["teams"][0]], "team 'T1': id used twice"),
    ("visits.0.windows.1", [1300, 1260], "visit 'V1'.windows[1]: starts at 1300, after its end 1260"),
    ("visits.0.windows", [], "visit 'V1'.windows: needs at least one window"),
    ("visits.0.service", -5, "visit 'V1'.service: must be 0 or more"),
    ("visits.0.prize", -1, "visit 'V1'.prize: must be 0 or more"),
    ("visits.0.demand", "lots", "visit 'V1'.demand: expected a number"),
    ("visits.0.required", "yes", "visit 'V1'.required: expected true or false"),
    ("visits.0.min_team_size", 1.5, "visit 'V1'.min_team_size: expected a whole number"),
    ("visits.0.location", {"x": 1, "y": 2}, "visit 'V1'.location: a haversine travel needs lat and lon"),
    ("visits.0.location", {"lat": 95, "lon": 2}, "visit 'V1'.location: lat 95 / lon 2 out of range"),
    ("visits.1.pinned_team", "T9", "visit 'V2'.pinned_team: no team 'T9'"),
    ("visits.0.skills", ["a", "a"], "visit 'V1'.skills: lists the same value twice"),
    ("teams.0.shift", [1080, 480], "team 'T1'.shift: starts at 1080, after its end 480"),
    ("teams.0.shift", KeyError, "team 'T1'.shift: missing"),
    ("teams.0.end", KeyError, "team 'T1'.end: missing"),
    ("teams.0.max_visits", -1, "team 'T1'.max_visits: must be 0 or more"),
    ("teams.0.capacity", float("nan"), "team 'T1'.capacity: expected a finite number"),
    ("teams.0.id", "", "teams[0].id: expected a non-empty string"),
    ("travel.kind", "teleport", "travel.kind: expected one of haversine, euclidean, matrix"),
    ("travel.speed_kmh", 0, "travel.speed_kmh: must be positive"),
    ("objective.travel_cost_per_minute", -1, "objective.travel_cost_per_minute: must be 0 or more"),
    ("travel", KeyError, "travel: missing"),
    ("visits", {"V1": {}}, "visits: expected a list"),
])
def test_bad_scenarios_raise_naming_item_and_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        scenario_from_json(_break(path, value))
    assert message in str(raised.value)


def _matrix_scenario(durations: Any, index: int = 1, distances: Any = None) -> dict[str, Any]:
    travel: dict[str, Any] = {"kind": "matrix", "durations": durations}
    if distances is not None:
        travel["distances"] = distances
    return {"name": "m", "travel": travel,
            "teams": [{"id": "A", "start": {"index": 0}, "end": {"index": 0}, "shift": [0, 10]}],
            "visits": [{"id": "V", "location": {"index": index}, "windows": [[0, 5]]}]}


@pytest.mark.parametrize(("data", "message"), [
    (_matrix_scenario([[0, 1], [1]]), "travel.durations: not square, row 1 has 1 entries for 2 rows"),
    (_matrix_scenario([[0, -1], [1, 0]]), "travel.durations[0][1]: must be 0 or more"),
    (_matrix_scenario([[0, 1], [1, 0]], index=2), "visit 'V'.location.index: 2 is out of range for a 2×2 matrix"),
    (_matrix_scenario([[0, 1], [1, 0]], distances=[[0]]), "travel.distances: 1 rows, durations has 2"),
    ({"name": "m", "travel": {"kind": "matrix"}}, "travel.durations: a matrix travel needs a durations matrix"),
    ({"name": "m", "travel": {"kind": "euclidean"}, "visits": [{"id": "V", "location": {"lat": 1, "lon": 1},
                                                                 "windows": [[0, 1]]}]},
     "visit 'V'.location: a euclidean travel needs x and y"),
    (_matrix_scenario([[0, 1], [1, 0]]) | {"visits": [{"id": "V", "location": {}, "windows": [[0, 1]]}]},
     "visit 'V'.location: a matrix travel needs an index"),
    ([], "scenario: expected an object"),
])
def test_bad_travel_and_locations(data: Any, message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        scenario_from_json(data)
    assert message in str(raised.value)


def test_bad_plan_raises() -> None:
    with pytest.raises(ScenarioError, match=r"plan route 'T1'\.depart: expected a number"):
        plan_from_json({"routes": [{"team": "T1", "depart": None, "return": 1, "travel": 0, "stops": []}],
                        "totals": {"served": 0, "prize": 0, "travel": 0, "objective": 0}})
    with pytest.raises(ScenarioError, match=r"plan\.totals: expected an object"):
        plan_from_json({"routes": []})
