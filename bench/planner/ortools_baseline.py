"""OR-Tools routing baseline on the same integer data as our planner (bench only).

Distances and times × `inst.scale` (10 for DIMACS/Solomon, 100 for Cordeau TOPTW), arc cost =
distance, a time dimension whose transit is service(from) + travel, windows bounding the start of
service, waiting allowed (slack), depot window as the vehicles' start/end range. VRPTW: every node
required, capacity dimension, VEHICLES vehicles. TOPTW: m vehicles, one disjunction per node with
penalty = score × (max(2, m) × Tmax + 1), so one point of score outweighs any travel saving (the
planner-notes weighting; total travel of m routes is at most m × Tmax). Single thread,
PARALLEL_CHEAPEST_INSERTION then GUIDED_LOCAL_SEARCH until the time limit.

    .venv/bin/python -m bench.planner.ortools_baseline solomon C101 --time-limit 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from bench.planner.instances import SETS, Instance, _minutes, load, team_id, visit_id
from bench.planner.verify import check_routes


def solve(inst: Instance, time_limit_s: float) -> dict:
    t0 = time.perf_counter()
    n = inst.n_nodes
    nv = inst.vehicles
    manager = pywrapcp.RoutingIndexManager(n, nv, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist_cb = routing.RegisterTransitMatrix(inst.dist)
    routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    time_matrix = [[inst.service[i] + inst.dist[i][j] for j in range(n)] for i in range(n)]
    time_cb = routing.RegisterTransitMatrix(time_matrix)
    horizon = max(inst.due)
    routing.AddDimension(time_cb, horizon, horizon, False, "Time")
    tdim = routing.GetDimensionOrDie("Time")
    for node in range(1, n):
        tdim.CumulVar(manager.NodeToIndex(node)).SetRange(inst.ready[node], inst.due[node])
    for v in range(nv):
        tdim.CumulVar(routing.Start(v)).SetRange(inst.ready[0], inst.due[0])
        tdim.CumulVar(routing.End(v)).SetRange(inst.ready[0], inst.due[0])
    if inst.capacity is not None:
        dem_cb = routing.RegisterUnaryTransitVector(inst.demand)
        routing.AddDimensionWithVehicleCapacity(dem_cb, 0, [inst.capacity] * nv, True, "Capacity")
    if inst.kind == "toptw":
        weight = max(2, nv) * inst.due[0] + 1
        for node in range(1, n):
            routing.AddDisjunction([manager.NodeToIndex(node)], inst.prize[node] * weight)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    t1 = time.perf_counter()
    solution = routing.SolveWithParameters(params)
    t2 = time.perf_counter()
    routes: list[list[int]] = []
    if solution is not None:
        for v in range(nv):
            idx = routing.Start(v)
            route = []
            idx = solution.Value(routing.NextVar(idx))
            while not routing.IsEnd(idx):
                route.append(manager.IndexToNode(idx))
                idx = solution.Value(routing.NextVar(idx))
            routes.append(route)
    t3 = time.perf_counter()
    return {
        "found": solution is not None,
        "status": int(routing.status()),
        "objective": solution.ObjectiveValue() if solution is not None else None,
        "routes": routes,
        "build_s": t1 - t0,
        "solve_s": t2 - t1,
        "read_s": t3 - t2,
    }


def to_plan(inst: Instance, routes: list[list[int]], solver: dict) -> dict:
    """Our plan JSON from visit sequences, earliest-start schedule, exact decimals."""
    d = inst.decimals
    out_routes = []
    served: set[int] = set()
    total_travel = 0
    total_prize = 0
    for k, route in enumerate(routes):
        if not route:
            continue
        t = inst.ready[0]
        depart = t
        prev = 0
        travel = 0
        stops = []
        for node in route:
            arrival = t + inst.service[prev] + inst.dist[prev][node]
            start = max(arrival, inst.ready[node])
            end = start + inst.service[node]
            stops.append({"visit": visit_id(node), "arrival": _minutes(arrival, d), "start": _minutes(start, d),
                          "end": _minutes(end, d)})
            travel += inst.dist[prev][node]
            total_prize += inst.prize[node]
            served.add(node)
            t = start
            prev = node
        travel += inst.dist[prev][0]
        back = t + inst.service[prev] + inst.dist[prev][0]
        out_routes.append({"team": team_id(k), "depart": _minutes(depart, d), "return": _minutes(back, d),
                           "travel": _minutes(travel, d), "stops": stops})
        total_travel += travel
    unassigned = [{"visit": visit_id(i), "reason": "not_worth_travel"}
                  for i in range(1, inst.n_nodes) if i not in served]
    cost_per_min = 1 if inst.kind == "vrptw" else 0
    travel_min = _minutes(total_travel, d)
    prize = total_prize if inst.kind == "toptw" else 0
    return {
        "scenario": f"{inst.set}-{inst.name}",
        "routes": out_routes,
        "unassigned": unassigned,
        "totals": {"served": len(served), "prize": prize, "travel": travel_min,
                   "objective": round(prize - cost_per_min * total_travel / inst.scale, d)},
        "solver": solver,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", choices=SETS)
    ap.add_argument("instance")
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--plan-out")
    args = ap.parse_args(argv)
    inst = load(args.set, args.instance)
    res = solve(inst, args.time_limit)
    chk = check_routes(inst, res["routes"])
    print(f"{inst.name}: found={res['found']} cost={chk.cost / inst.scale} score={chk.score} routes={chk.routes} "
          f"served={chk.served} bks={inst.bks} violations={chk.violations[:3]} build={res['build_s']:.3f}s "
          f"solve={res['solve_s']:.2f}s read={res['read_s']:.4f}s")
    if args.plan_out:
        plan = to_plan(inst, res["routes"], {"name": "ortools", "time_limit_s": args.time_limit,
                                              "runtime_s": res["solve_s"]})
        with open(args.plan_out, "w") as f:
            json.dump(plan, f)
    return 0 if res["found"] and not chk.violations else 1


if __name__ == "__main__":
    sys.exit(main())
