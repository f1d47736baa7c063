"""Loaders: benchmark instance files → an exact integer instance → our scenario JSON.

Everything is computed in integers first (distances truncated to `decimals` places, i.e. the
DIMACS convention for VRPTW and the "rounded down" convention of the TOPTW files), so that the
scenario's decimal minutes, OR-Tools' integers and the gap computations all agree exactly.

    .venv/bin/python -m bench.planner.instances verify-bks          # Solomon BKS routes re-costed
    .venv/bin/python -m bench.planner.instances export --set solomon --out /tmp/scenarios
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

DATA = Path("/work/shared/benchmarks")
VRPTW_BKS_CSV = DATA / "vrptw" / "bks_vrptw_dimacs_distance.csv"
TOPTW_CORDEAU_BKS_CSV = DATA / "toptw" / "bks_toptw_cordeau_m1-4.csv"
TOPTW_M1_EXACT_CSV = DATA / "toptw" / "optw_m1_righini_salani_exact.csv"

GH400_PICK = ["C1_4_1", "C2_4_1", "R1_4_1", "R2_4_1", "RC1_4_1", "RC2_4_1", "C1_4_2", "R1_4_2", "RC1_4_2", "R2_4_2"]


@dataclass
class Instance:
    """One benchmark instance in exact integers: every time and distance is × `scale`."""

    name: str  # e.g. "C101", "pr01-m2"
    kind: str  # "vrptw" or "toptw"
    set: str  # "solomon", "gh400", "toptw-cordeau", "toptw-solomon"
    decimals: int  # 1 → scale 10, 2 → scale 100
    dist: list[list[int]]  # truncated distance × scale; travel time = distance
    ready: list[int]  # window open (start of service), × scale; index 0 = depot
    due: list[int]  # window close (start of service), × scale
    service: list[int]  # × scale
    demand: list[int] = field(default_factory=list)
    prize: list[int] = field(default_factory=list)
    vehicles: int = 1
    capacity: int | None = None
    bks: float | None = None  # VRPTW: DIMACS distance; TOPTW: score

    @property
    def scale(self) -> int:
        return 10**self.decimals

    @property
    def n_nodes(self) -> int:
        return len(self.dist)


def _decimal_places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _scaled(text: str, scale: int) -> int:
    value = Decimal(text) * scale
    if value != value.to_integral_value():
        raise ValueError(f"{text} has more precision than 1/{scale}")
    return int(value)


def truncated_distances(xs: list[str], ys: list[str], decimals: int) -> list[list[int]]:
    """floor(10**decimals × euclid), exactly (integer square roots, no floating point)."""
    k = max(_decimal_places(t) for t in xs + ys)
    xi = [_scaled(t, 10**k) for t in xs]
    yi = [_scaled(t, 10**k) for t in ys]
    n = len(xi)
    out = [[0] * n for _ in range(n)]
    # d × 10**p = sqrt(S) × 10**(p - k) where S = dx² + dy² in units of 10**-2k;
    # floor(sqrt(x)) = isqrt(floor(x)) for real x ≥ 0.
    for i in range(n):
        row = out[i]
        for j in range(n):
            if i == j:
                continue
            s = (xi[i] - xi[j]) ** 2 + (yi[i] - yi[j]) ** 2
            if decimals >= k:
                row[j] = math.isqrt(s * 10 ** (2 * (decimals - k)))
            else:
                row[j] = math.isqrt(s // 10 ** (2 * (k - decimals)))
    return out


# ---------------------------------------------------------------- VRPLIB (Solomon, GH)


def read_vrplib(path: Path, *, decimals: int = 1) -> Instance:
    """VRPLIB CVRPTW file: NODE_COORD, DEMAND, TIME_WINDOW, DEPOT sections, SERVICE_TIME,
    VEHICLES and CAPACITY headers (or a SERVICE_TIME_SECTION)."""
    header: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = line
            sections[current] = []
            continue
        if ":" in line:
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
            current = None
            continue
        if current is None:
            raise ValueError(f"{path}: unexpected line {line!r}")
        sections[current].append(line.split())

    coords = sections["NODE_COORD_SECTION"]
    n = len(coords)
    ids = [int(r[0]) for r in coords]
    pos = {vid: i for i, vid in enumerate(ids)}
    depots = [int(r[0]) for r in sections.get("DEPOT_SECTION", [["1"]]) if int(r[0]) != -1]
    if depots != [ids[0]]:
        raise ValueError(f"{path}: expected a single depot that is the first node, got {depots}")
    scale = 10**decimals
    dist = truncated_distances([r[1] for r in coords], [r[2] for r in coords], decimals)
    demand = [0] * n
    for r in sections["DEMAND_SECTION"]:
        demand[pos[int(r[0])]] = int(r[1])
    ready = [0] * n
    due = [0] * n
    for r in sections["TIME_WINDOW_SECTION"]:
        ready[pos[int(r[0])]] = _scaled(r[1], scale)
        due[pos[int(r[0])]] = _scaled(r[2], scale)
    service = [0] * n
    if "SERVICE_TIME_SECTION" in sections:
        for r in sections["SERVICE_TIME_SECTION"]:
            service[pos[int(r[0])]] = _scaled(r[1], scale)
    else:
        s = _scaled(header.get("SERVICE_TIME", "0"), scale)
        service = [0] + [s] * (n - 1)
    service[0] = 0
    return Instance(
        name=header.get("NAME", path.stem),
        kind="vrptw",
        set="",
        decimals=decimals,
        dist=dist,
        ready=ready,
        due=due,
        service=service,
        demand=demand,
        prize=[0] * n,
        vehicles=int(header["VEHICLES"]),
        capacity=int(header["CAPACITY"]),
    )


def read_sol_routes(path: Path) -> tuple[list[list[int]], float]:
    """A VRPLIB `.sol`: routes of client numbers (= node index, depot 0) and the Cost line."""
    routes = []
    cost = math.nan
    for line in path.read_text().splitlines():
        if line.startswith("Route"):
            routes.append([int(t) for t in line.split(":", 1)[1].split()])
        elif line.startswith("Cost"):
            cost = float(line.split()[1])
    return routes, cost


# ---------------------------------------------------------------- TOPTW (KU Leuven OP library)


def read_toptw(path: Path, m: int) -> Instance:
    """`i x y d S f a list O C` per vertex (vertex 0 = start and end); Tmax = C of vertex 0."""
    lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    rows = [t for t in lines[1:] if len(t) >= 9]
    decimals = 2 if path.stem.startswith("pr") else 1
    scale = 10**decimals
    if [int(r[0]) for r in rows] != list(range(len(rows))):
        raise ValueError(f"{path}: vertices are not numbered 0..n-1")
    for r in rows:
        if int(r[6]) != len(r) - 9:
            raise ValueError(f"{path}: vertex {r[0]}: list length does not match a")
    dist = truncated_distances([r[1] for r in rows], [r[2] for r in rows], decimals)
    return Instance(
        name=f"{path.stem}-m{m}",
        kind="toptw",
        set="toptw-cordeau" if decimals == 2 else "toptw-solomon",
        decimals=decimals,
        dist=dist,
        ready=[_scaled(r[-2], scale) for r in rows],
        due=[_scaled(r[-1], scale) for r in rows],
        service=[_scaled(r[3], scale) for r in rows],
        demand=[0] * len(rows),
        prize=[_scaled(r[4], 1) for r in rows],
        vehicles=m,
        capacity=None,
    )


# ---------------------------------------------------------------- BKS tables and instance sets


def vrptw_bks() -> dict[tuple[str, str], float]:
    with VRPTW_BKS_CSV.open() as f:
        return {(r["set"], r["instance"]): float(r["bks_cost_dimacs"]) for r in csv.DictReader(f)}


def toptw_bks() -> dict[tuple[str, int], float]:
    out: dict[tuple[str, int], float] = {}
    with TOPTW_CORDEAU_BKS_CSV.open() as f:
        for r in csv.DictReader(f):
            out[(r["instance"], int(r["m"]))] = float(r["BKS"])
    with TOPTW_M1_EXACT_CSV.open() as f:
        for r in csv.DictReader(f):
            key = (r["instance"], int(r["m"]))
            if key in out and out[key] != float(r["best_prize"]):
                print(f"warning: {key}: BKS {out[key]} != Righini-Salani {r['best_prize']}", file=sys.stderr)
            out.setdefault(key, float(r["best_prize"]))
    return out


SETS = ("solomon", "gh400", "toptw-cordeau", "toptw-solomon")


def instance_names(set_name: str) -> list[str]:
    if set_name == "solomon":
        return sorted(p.stem for p in (DATA / "vrptw" / "solomon").glob("*.vrp"))
    if set_name == "gh400":
        return list(GH400_PICK)
    if set_name == "toptw-cordeau":
        return [f"pr{i:02d}-m{m}" for i in range(1, 11) for m in range(1, 5)]
    if set_name == "toptw-solomon":
        names = []
        with TOPTW_M1_EXACT_CSV.open() as f:
            for r in csv.DictReader(f):
                if not r["instance"].startswith("pr"):
                    names.append(f"{r['instance']}-m{r['m']}")
        return names
    raise ValueError(set_name)


def load(set_name: str, name: str) -> Instance:
    if set_name in ("solomon", "gh400"):
        inst = read_vrplib(DATA / "vrptw" / set_name / f"{name}.vrp")
        inst.set = set_name
        inst.bks = vrptw_bks()[(set_name, name)]
        return inst
    base, _, m = name.rpartition("-m")
    folder = "cordeau" if set_name == "toptw-cordeau" else "solomon"
    inst = read_toptw(DATA / "toptw" / folder / f"{base}.txt", int(m))
    inst.bks = toptw_bks().get((base, int(m)))
    return inst


# ---------------------------------------------------------------- scenario JSON


def visit_id(node: int) -> str:
    return f"v{node}"


def team_id(k: int) -> str:
    return f"T{k + 1}"


def _minutes(value: int, decimals: int) -> float | int:
    """Scaled integer → minutes with exactly `decimals` places (an int when whole)."""
    if value % 10**decimals == 0:
        return value // 10**decimals
    return round(value / 10**decimals, decimals)


def to_scenario(inst: Instance) -> dict:
    """Our planner's scenario JSON (travel kind `matrix`, decimal minutes)."""
    d = inst.decimals
    shift = [_minutes(inst.ready[0], d), _minutes(inst.due[0], d)]
    teams = [
        {
            "id": team_id(k),
            "members": [f"{team_id(k)}-m1"],
            "start": {"index": 0},
            "end": {"index": 0},
            "shift": shift,
            "capacity": inst.capacity,
        }
        for k in range(inst.vehicles)
    ]
    visits = [
        {
            "id": visit_id(i),
            "location": {"index": i},
            "service": _minutes(inst.service[i], d),
            "windows": [[_minutes(inst.ready[i], d), _minutes(inst.due[i], d)]],
            "demand": inst.demand[i],
            "prize": inst.prize[i] if inst.kind == "toptw" else 0,
            "required": inst.kind == "vrptw",
        }
        for i in range(1, inst.n_nodes)
    ]
    return {
        "name": f"{inst.set}-{inst.name}",
        "travel": {"kind": "matrix", "durations": [[_minutes(v, d) for v in row] for row in inst.dist]},
        "teams": teams,
        "visits": visits,
        "objective": {"travel_cost_per_minute": 1 if inst.kind == "vrptw" else 0},
    }


# ---------------------------------------------------------------- command line


def verify_bks() -> int:
    """Re-cost every Solomon (and the picked GH400) BKS route file with our distances."""
    bks = vrptw_bks()
    bad = 0
    checked = 0
    for set_name in ("solomon", "gh400"):
        folder = DATA / "vrptw" / set_name
        names = instance_names(set_name) if set_name == "gh400" else sorted(p.stem for p in folder.glob("*.vrp"))
        for name in names:
            inst = read_vrplib(folder / f"{name}.vrp")
            routes, sol_cost = read_sol_routes(folder / f"{name}.sol")
            from bench.planner.verify import check_routes

            res = check_routes(inst, routes)
            expected = round(bks[(set_name, name)] * inst.scale)
            checked += 1
            if res.cost != expected or res.violations:
                bad += 1
                print(f"MISMATCH {set_name} {name}: ours {res.cost / inst.scale} vs bks {bks[(set_name, name)]} "
                      f"(.sol Cost {sol_cost}); violations: {res.violations[:3]}")
    print(f"{checked} BKS route files re-costed: {checked - bad} equal to bks_cost_dimacs, {bad} mismatches")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("verify-bks")
    ex = sub.add_parser("export")
    ex.add_argument("--set", choices=SETS, required=True)
    ex.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.cmd == "verify-bks":
        return verify_bks()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in instance_names(args.set):
        inst = load(args.set, name)
        (args.out / f"{args.set}-{name}.json").write_text(json.dumps(to_scenario(inst)))
    print(f"wrote {len(instance_names(args.set))} scenarios to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
