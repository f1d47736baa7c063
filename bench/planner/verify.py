"""Our own recomputation of a solution, in the instance's exact integers.

Independent of the planner core and of OR-Tools: takes visit sequences, schedules each at the
earliest times (waiting allowed; with no duration limit that is the best schedule), and reports the
cost (× scale), the score and every violated constraint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.planner.instances import Instance, visit_id


@dataclass
class Result:
    cost: int = 0  # total distance × scale
    score: int = 0  # total prize of visited nodes
    routes: int = 0  # non-empty routes
    served: int = 0
    violations: list[str] = field(default_factory=list)


def check_routes(inst: Instance, routes: list[list[int]]) -> Result:
    res = Result()
    seen: set[int] = set()
    nonempty = [r for r in routes if r]
    res.routes = len(nonempty)
    if len(nonempty) > inst.vehicles:
        res.violations.append(f"{len(nonempty)} routes for {inst.vehicles} vehicles")
    for k, route in enumerate(nonempty):
        t = inst.ready[0]
        prev = 0
        load = 0
        for node in route:
            if not 0 < node < inst.n_nodes:
                res.violations.append(f"route {k}: unknown node {node}")
                continue
            if node in seen:
                res.violations.append(f"node {node} visited twice")
            seen.add(node)
            res.cost += inst.dist[prev][node]
            t = max(t + inst.service[prev] + inst.dist[prev][node], inst.ready[node])
            if t > inst.due[node]:
                late = f"starts at {t / inst.scale} > {inst.due[node] / inst.scale}"
                res.violations.append(f"route {k}: node {node} {late}")
            load += inst.demand[node]
            res.score += inst.prize[node]
            prev = node
        res.cost += inst.dist[prev][0]
        back = t + inst.service[prev] + inst.dist[prev][0]
        if back > inst.due[0]:
            res.violations.append(f"route {k}: back at {back / inst.scale} > {inst.due[0] / inst.scale}")
        if inst.capacity is not None and load > inst.capacity:
            res.violations.append(f"route {k}: load {load} > capacity {inst.capacity}")
    res.served = len(seen)
    if inst.kind == "vrptw":
        missing = [i for i in range(1, inst.n_nodes) if i not in seen]
        if missing:
            res.violations.append(f"{len(missing)} required visits missing, e.g. {missing[:5]}")
    return res


def routes_from_plan(inst: Instance, plan: dict) -> list[list[int]]:
    """Visit sequences of a plan JSON (visit ids `v<node>`)."""
    index = {visit_id(i): i for i in range(1, inst.n_nodes)}
    out = []
    for route in plan.get("routes", []):
        out.append([index.get(s["visit"], -1) for s in route.get("stops", [])])
    return out
