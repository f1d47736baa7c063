"""Hand-made scenarios whose best plan is known: windows, eligibility, limits, prizes and precision."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from doorstep.planning.core.check import check
from doorstep.planning.core.scenario import Plan, Scenario, scenario_from_json
from doorstep.planning.core.solver import InfeasibleScenario, solve

ORIGIN = {"x": 0, "y": 0}


def _team(team_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": team_id, "members": [f"{team_id}-1"], "start": ORIGIN, "end": ORIGIN, "shift": [0, 100]} | fields


def _visit(visit_id: str, x: float, y: float, **fields: Any) -> dict[str, Any]:
    return {"id": visit_id, "location": {"x": x, "y": y}, "windows": [[0, 100]], "prize": 100} | fields


def _scenario(teams: list[dict[str, Any]], visits: list[dict[str, Any]], cost: float = 1.0) -> Scenario:
    return scenario_from_json({"name": "t", "travel": {"kind": "euclidean"}, "teams": teams, "visits": visits,
                               "objective": {"travel_cost_per_minute": cost}})


def _solve(scenario: Scenario, iterations: int = 300) -> Plan:
    plan = solve(scenario, time_limit_s=10, seed=1, max_iterations=iterations)
    assert check(scenario, plan) == []
    return plan


def _team_of(plan: Plan) -> dict[str, str]:
    return {stop.visit: route.team for route in plan.routes for stop in route.stops}


def _reasons(plan: Plan) -> dict[str, str]:
    return {item.visit: item.reason for item in plan.unassigned}


def test_second_window_is_used_when_the_first_cannot_be_reached() -> None:
    plan = _solve(_scenario([_team("A")], [_visit("V", 10, 0, windows=[[0, 5], [30, 40]], required=True,
                                                  service=5)]))
    stop = plan.routes[0].stops[0]
    assert (stop.start, stop.end) == (30, 35) and stop.arrival <= 30
    assert plan.routes[0].return_ == pytest.approx(45)


def test_skills_and_team_size_decide_who_goes() -> None:
    teams = [_team("A", skills=["hardship"]), _team("B", members=["b1", "b2"])]
    visits = [_visit("HARD", 5, 0, skills=["hardship"]), _visit("PAIR", -5, 0, min_team_size=2),
              _visit("BOTH", 0, 5, skills=["hardship"], min_team_size=2), _visit("ANY", 0, -5)]
    plan = _solve(_scenario(teams, visits))
    served = _team_of(plan)
    assert served["HARD"] == "A" and served["PAIR"] == "B" and "ANY" in served
    assert _reasons(plan) == {"BOTH": "team_too_small"}


def test_pinned_visits_go_to_their_team() -> None:
    teams = [_team(name) for name in "ABCDE"]
    visits = [_visit(f"V{i}", i, 1, pinned_team="ABCDE"[i % 5]) for i in range(10)] + [_visit("FREE", 3, 3)]
    plan = _solve(_scenario(teams, visits))
    served = _team_of(plan)
    assert all(served[f"V{i}"] == "ABCDE"[i % 5] for i in range(10))
    assert "FREE" in served


def test_max_visits_and_capacity_limit_a_route() -> None:
    visits = [_visit(f"V{i}", 1, i, demand=2) for i in range(3)]
    by_count = _solve(_scenario([_team("A", max_visits=2)], visits))
    assert by_count.totals.served == 2 and set(_reasons(by_count).values()) == {"not_worth_travel"}
    by_load = _solve(_scenario([_team("A", capacity=3)], visits))
    assert by_load.totals.served == 1
    too_heavy = _solve(_scenario([_team("A", capacity=1)], visits))
    assert _reasons(too_heavy) == dict.fromkeys(("V0", "V1", "V2"), "capacity")


def test_required_visit_that_cannot_be_served_is_named() -> None:
    with pytest.raises(InfeasibleScenario, match="LATE") as raised:
        solve(_scenario([_team("A")], [_visit("OK", 1, 0, required=True),
                                        _visit("LATE", 50, 0, required=True, windows=[[0, 10]])]), time_limit_s=1)
    assert raised.value.visits == ("LATE",)
    # Each alone is fine, together they are not: the search finds no feasible plan.
    both = [_visit("W", -30, 0, required=True, windows=[[30, 30]]), _visit("E", 30, 0, required=True,
                                                                        windows=[[30, 30]])]
    with pytest.raises(InfeasibleScenario, match="not in the plan") as raised:
        solve(_scenario([_team("A")], both), time_limit_s=1, max_iterations=100)
    assert set(raised.value.visits) in ({"W"}, {"E"}, {"W", "E"})


def test_a_pinned_visit_its_team_cannot_serve_is_infeasible() -> None:
    with pytest.raises(InfeasibleScenario, match=r"V \(skill_mismatch\)"):
        solve(_scenario([_team("A"), _team("B", skills=["x"])], [_visit("V", 1, 1, skills=["x"], pinned_team="A")]),
              time_limit_s=1)


def test_prize_against_travel() -> None:
    # A round trip of 20 minutes at 1 per minute: worth it for 25, not for 15.
    plan = _solve(_scenario([_team("A")], [_visit("CHEAP", -10, 0, prize=15), _visit("DEAR", 10, 0, prize=25)]))
    assert _team_of(plan) == {"DEAR": "A"} and _reasons(plan) == {"CHEAP": "not_worth_travel"}
    assert plan.totals.objective == pytest.approx(5)


def test_prize_only_takes_the_bigger_prize_whatever_the_travel() -> None:
    # Only one of the two fits in the shift; the far one is worth one point more.
    visits = [_visit("NEAR", 1, 0, prize=10, service=50), _visit("FAR", 40, 0, prize=11, service=15)]
    plan = _solve(_scenario([_team("A")], visits, cost=0))
    assert _team_of(plan) == {"FAR": "A"}
    assert plan.totals.objective == 11


def test_one_decimal_precision_is_kept_and_the_optimum_found() -> None:
    # Solomon-like: travel in tenths of minutes, a window that closes exactly on the arrival time.
    durations = [[0, 10.3, 7.1, 12.4], [10.3, 0, 4.2, 6.6], [7.1, 4.2, 0, 5.5], [12.4, 6.6, 5.5, 0]]
    windows = {1: [10.3, 10.3], 2: [0, 30.0], 3: [20.5, 40.2]}
    service = 2.5
    scenario = scenario_from_json({
        "name": "tiny", "travel": {"kind": "matrix", "durations": durations},
        "teams": [{"id": "A", "members": ["a"], "start": {"index": 0}, "end": {"index": 0}, "shift": [0, 60.7]}],
        "visits": [{"id": f"C{i}", "location": {"index": i}, "service": service, "windows": [window],
                    "required": True} for i, window in windows.items()]})

    def cost(order: tuple[int, ...]) -> float | None:
        clock, here, total = 0.0, 0, 0.0
        for i in order:
            clock += durations[here][i]
            total += durations[here][i]
            if clock > windows[i][1] + 1e-9:
                return None
            clock = max(clock, windows[i][0]) + service
            here = i
        total += durations[here][0]
        return total if clock + durations[here][0] <= 60.7 + 1e-9 else None

    best = min(c for c in map(cost, itertools.permutations(windows)) if c is not None)
    plan = _solve(scenario)
    assert plan.totals.travel == pytest.approx(best, abs=1e-9)
    first = plan.routes[0].stops[0]
    assert (first.visit, first.start) == ("C1", 10.3)


def test_reason_codes() -> None:
    teams = [_team("A", skills=["h"], max_visits=5, capacity=2), _team("B", members=["b1", "b2"], capacity=2)]
    visits = [_visit("SKILL", 1, 0, skills=["nobody"]), _visit("SIZE", 1, 0, skills=["h"], min_team_size=2),
              _visit("WINDOW", 60, 0, windows=[[0, 200]]), _visit("EARLY", 1, 0, windows=[[-10, -5]]),
              _visit("HEAVY", 1, 0, demand=3), _visit("POOR", 0, 30, prize=1), _visit("GOOD", 0, 1)]
    plan = _solve(_scenario(teams, visits))
    assert _reasons(plan) == {"SKILL": "skill_mismatch", "SIZE": "team_too_small", "WINDOW": "no_feasible_window",
                              "EARLY": "no_feasible_window", "HEAVY": "capacity", "POOR": "not_worth_travel"}


def test_haversine_and_solver_info_and_repeatability() -> None:
    here = {"lat": 22.541, "lon": 114.055}
    scenario = scenario_from_json({
        "name": "sz", "travel": {"kind": "haversine", "speed_kmh": 25, "circuity": 1.3},
        "teams": [{"id": "T1", "members": ["c1", "c2"], "start": here, "end": here, "shift": [480, 1080]}],
        "visits": [{"id": f"V{i}", "location": {"lat": 22.541 + 0.01 * i, "lon": 114.055 - 0.005 * i},
                    "service": 30, "windows": [[540, 720], [900, 1000]], "prize": 1000} for i in range(1, 6)]})
    plan = _solve(scenario)
    again = _solve(scenario)
    assert plan.routes == again.routes and plan.totals.served == 5
    assert plan.solver is not None and plan.solver.name == "pyvrp 0.14.1" and plan.solver.seed == 1
    assert plan.solver.build_s is not None and plan.solver.read_s is not None


def test_no_teams_or_no_visits() -> None:
    assert _solve(_scenario([_team("A")], [])).routes == ()
    plan = _solve(_scenario([], [_visit("V", 1, 1)]))
    assert _reasons(plan) == {"V": "skill_mismatch"}
