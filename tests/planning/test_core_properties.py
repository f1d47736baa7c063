"""Invariant: whatever the small scenario, the solver's plan passes the independent check."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doorstep.planning.core.check import check
from doorstep.planning.core.scenario import scenario_from_json
from doorstep.planning.core.solver import InfeasibleScenario, solve

SKILLS = ("hardship", "car", "legal")
TENTHS = st.integers(min_value=0, max_value=4000).map(lambda tenths: tenths / 10)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(("haversine", "euclidean", "matrix")))
    num_teams = draw(st.integers(1, 3))
    num_visits = draw(st.integers(1, 12))
    num_points = num_visits + 2
    if kind == "matrix":
        size = num_points
        durations = [[0.0 if i == j else draw(st.integers(1, 600)) / 10 for j in range(size)] for i in range(size)]
        travel: dict[str, Any] = {"kind": "matrix", "durations": durations}
        points: list[dict[str, Any]] = [{"index": i} for i in range(size)]
    elif kind == "euclidean":
        travel = {"kind": "euclidean", "minutes_per_unit": draw(st.sampled_from((1, 0.5, 1.7)))}
        points = [{"x": draw(st.integers(-300, 300)) / 10, "y": draw(st.integers(-300, 300)) / 10}
                  for _ in range(num_points)]
    else:
        travel = {"kind": "haversine", "speed_kmh": 25, "circuity": 1.3}
        points = [{"lat": 22.5 + draw(st.integers(0, 100)) / 1000, "lon": 114.0 + draw(st.integers(0, 100)) / 1000}
                  for _ in range(num_points)]
    teams = []
    for k in range(num_teams):
        opens = draw(TENTHS.filter(lambda t: t <= 200))
        teams.append({
            "id": f"T{k}", "members": [f"T{k}-{m}" for m in range(draw(st.integers(1, 3)))],
            "start": points[draw(st.integers(0, 1))], "end": points[draw(st.integers(0, 1))],
            "shift": [opens, round(opens + draw(st.integers(0, 3000)) / 10, 1)],
            "max_visits": draw(st.none() | st.integers(0, 6)), "capacity": draw(st.none() | st.integers(0, 10)),
            "skills": draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=3))})
    visits = []
    for v in range(num_visits):
        windows = []
        for _ in range(draw(st.integers(1, 3))):
            opens = draw(TENTHS)
            windows.append([opens, round(opens + draw(st.integers(0, 1500)) / 10, 1)])
        visits.append({
            "id": f"V{v}", "location": points[v + 2], "service": draw(st.integers(0, 300)) / 10, "windows": windows,
            "prize": draw(st.integers(0, 500)), "required": v == 0 and draw(st.booleans()),
            "skills": draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=1)),
            "min_team_size": draw(st.integers(1, 3)), "demand": draw(st.integers(0, 4)),
            "pinned_team": draw(st.none() | st.sampled_from([f"T{k}" for k in range(num_teams)]))
            if v == 1 else None})
    cost = draw(st.sampled_from((0.0, 0.3, 1.0)))
    return {"name": "random", "travel": travel, "teams": teams, "visits": visits,
            "objective": {"travel_cost_per_minute": cost}}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_plan_passes_check(data: dict[str, Any]) -> None:
    scenario = scenario_from_json(data)
    try:
        plan = solve(scenario, time_limit_s=5, seed=1, max_iterations=200)
    except InfeasibleScenario as error:
        assert error.visits
        assert set(error.visits) <= {v.id for v in scenario.visits if v.must_serve}
        return
    assert check(scenario, plan) == []
    visits = {visit.id: visit for visit in scenario.visits}
    for route in plan.routes:
        for stop in route.stops:
            assert any(opens <= stop.start <= closes for opens, closes in visits[stop.visit].windows), (route, stop)
    mentioned = [stop.visit for route in plan.routes for stop in route.stops] + [u.visit for u in plan.unassigned]
    assert sorted(mentioned) == sorted(visits)
    assert math.isclose(plan.totals.objective,
                        plan.totals.prize - scenario.objective.travel_cost_per_minute * plan.totals.travel,
                        abs_tol=1e-6)
