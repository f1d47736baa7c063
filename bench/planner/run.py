"""Planner benchmark runner: our PyVRP planner core vs the OR-Tools baseline.

Every run is a fresh child process (`run.py one ...`), single-threaded, at most `--workers` (2) at
a time on the 2-core machine. Each solution is re-checked twice: by our planner's independent
checker (`doorstep.planning.core.check`) on the plan JSON, and by `bench/planner/verify.py`, which
re-costs the visit sequences in the instance's exact integers. One JSON line per run goes to
`bench/data/planner/<UTC>-<set>-<limit>s.jsonl` (plus a header and a footer line with the machine and
its load average); `report` prints the tables from every file there.

    .venv/bin/python -m bench.planner.run batch --set solomon --time-limit 10
    .venv/bin/python -m bench.planner.run batch --set gh400 --time-limit 30 --solvers pyvrp,ortools
    .venv/bin/python -m bench.planner.run report
    .venv/bin/python -m bench.planner.run one --set solomon --instance C101 --solver pyvrp --time-limit 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.planner.instances import SETS, Instance, instance_names, load, to_scenario
from bench.planner.verify import check_routes, routes_from_plan

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "bench" / "data" / "planner"
SOLVERS = ("pyvrp", "ortools")


# ---------------------------------------------------------------- machine facts


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def uptime_text() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "mem_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "pyvrp": metadata.version("pyvrp"),
        "ortools": metadata.version("ortools"),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "core_dirty": bool(_git("status", "--porcelain", "doorstep/planning/core")),
        "core": core_digest(),
    }


def _git(*args: str) -> str:
    res = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)
    return res.stdout.strip()


# ---------------------------------------------------------------- adapters to the planner core


def _core():
    from doorstep.planning.core import check as check_mod
    from doorstep.planning.core import scenario as scenario_mod
    from doorstep.planning.core import solver as solver_mod

    return scenario_mod, solver_mod, check_mod


def core_check(scenario_json: dict, plan_json: dict) -> list[str] | None:
    """Violations found by our planner's checker on the JSON documents (None: no checker yet)."""
    try:
        scenario_mod, _, check_mod = _core()
    except ImportError:
        return None
    scenario = scenario_mod.scenario_from_json(scenario_json)
    plan = plan_json
    if hasattr(scenario_mod, "plan_from_json"):
        plan = scenario_mod.plan_from_json(plan_json)
    return [f"{getattr(v, 'kind', '?')}: {getattr(v, 'message', v)}" for v in check_mod.check(scenario, plan)]


def _attr(obj, *names, default=None):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def run_pyvrp(inst: Instance, scenario_json: dict, time_limit_s: float, seed: int) -> tuple[dict, dict]:
    scenario_mod, solver_mod, _ = _core()
    t0 = time.perf_counter()
    scenario = scenario_mod.scenario_from_json(scenario_json)
    t1 = time.perf_counter()
    plan = solver_mod.solve(scenario, time_limit_s=time_limit_s, seed=seed)
    t2 = time.perf_counter()
    plan_json = scenario_mod.plan_to_json(plan)
    if isinstance(plan_json, str):
        plan_json = json.loads(plan_json)
    t3 = time.perf_counter()
    solver = plan_json.get("solver", {})
    timing = {
        "parse_s": t1 - t0,
        "solve_call_s": t2 - t1,
        "to_json_s": t3 - t2,
        "runtime_s": _attr(solver, "runtime_s"),
        "build_s": _attr(solver, "build_s", "build_time_s", "model_build_s"),
        "read_s": _attr(solver, "read_s", "read_time_s", "result_read_s"),
        "solver": solver,
    }
    return plan_json, timing


def run_ortools(inst: Instance, time_limit_s: float) -> tuple[dict, dict]:
    from bench.planner import ortools_baseline

    t0 = time.perf_counter()
    res = ortools_baseline.solve(inst, time_limit_s)
    t1 = time.perf_counter()
    solver = {"name": "ortools-routing", "version": metadata.version("ortools"), "seed": 0,
              "time_limit_s": time_limit_s,
              "runtime_s": res["solve_s"], "build_s": res["build_s"], "read_s": res["read_s"],
              "first_solution": "PARALLEL_CHEAPEST_INSERTION", "metaheuristic": "GUIDED_LOCAL_SEARCH",
              "status": res["status"], "found": res["found"]}
    plan_json = ortools_baseline.to_plan(inst, res["routes"], solver)
    timing = {"solve_call_s": t1 - t0, "runtime_s": res["solve_s"], "build_s": res["build_s"],
              "read_s": res["read_s"], "solver": solver}
    return plan_json, timing


def core_digest() -> str:
    """Which planner core ran (it may be uncommitted work): sha256 of its sources, 12 hex digits."""
    h = hashlib.sha256()
    for p in sorted((ROOT / "doorstep" / "planning" / "core").glob("*.py")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def run_one(set_name: str, name: str, solver: str, time_limit_s: float, seed: int) -> dict:
    rec: dict = {"type": "run", "set": set_name, "instance": name, "solver": solver,
                 "time_limit_s": time_limit_s, "seed": seed, "loadavg_start": loadavg(), "core": core_digest(),
                 "started": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        inst = load(set_name, name)
        rec["kind"] = inst.kind
        rec["bks"] = inst.bks
        rec["n_clients"] = inst.n_nodes - 1
        rec["vehicles"] = inst.vehicles
        scenario_json = to_scenario(inst)
        if solver == "pyvrp":
            plan_json, timing = run_pyvrp(inst, scenario_json, time_limit_s, seed)
        else:
            plan_json, timing = run_ortools(inst, time_limit_s)
        rec["timing"] = timing
        routes = routes_from_plan(inst, plan_json)
        own = check_routes(inst, routes)
        rec["cost"] = own.cost / inst.scale
        rec["score"] = own.score
        rec["routes"] = own.routes
        rec["served"] = own.served
        rec["own_violations"] = own.violations
        totals = plan_json.get("totals", {})
        rec["plan_travel"] = totals.get("travel")
        rec["plan_prize"] = totals.get("prize")
        if rec["plan_travel"] is not None and abs(float(rec["plan_travel"]) - rec["cost"]) > 1e-6:
            rec["own_violations"].append(f"plan totals.travel {rec['plan_travel']} != recomputed {rec['cost']}")
        if inst.kind == "toptw" and rec["plan_prize"] is not None and abs(float(rec["plan_prize"]) - own.score) > 1e-6:
            rec["own_violations"].append(f"plan totals.prize {rec['plan_prize']} != recomputed {own.score}")
        try:
            rec["check_violations"] = core_check(scenario_json, plan_json)
        except Exception as exc:  # the checker itself failed: record, keep the run
            rec["check_violations"] = None
            rec["check_error"] = f"{type(exc).__name__}: {exc}"
        rec["feasible"] = not own.violations and not rec.get("check_violations")
        rec["plan"] = plan_json
        if inst.bks:
            if inst.kind == "vrptw":
                rec["gap_pct"] = 100.0 * (rec["cost"] - inst.bks) / inst.bks
            else:
                rec["score_pct"] = 100.0 * own.score / inst.bks
    except Exception as exc:
        rec["error"] = f"{type(exc).__name__}: {exc}"
        rec["traceback"] = traceback.format_exc()
        rec["feasible"] = False
    rec["loadavg_end"] = loadavg()
    return rec


# ---------------------------------------------------------------- batch


def batch(args: argparse.Namespace) -> int:
    names = args.instances.split(",") if args.instances else instance_names(args.set)
    solvers = args.solvers.split(",")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    label = f"{args.time_limit:g}s"
    out = OUT_DIR / f"{stamp}-{args.set}-{label}{'-' + args.tag if args.tag else ''}.jsonl"
    command = " ".join([".venv/bin/python -m bench.planner.run", *sys.argv[1:]])
    header = {"type": "batch_start", "set": args.set, "time_limit_s": args.time_limit, "solvers": solvers,
              "instances": names, "workers": args.workers, "repeats": args.repeats, "command": command,
              "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
              "uptime": uptime_text(), "loadavg": loadavg()}
    print(f"{header['date']} {command}\n  {header['uptime']}\n  -> {out}", flush=True)
    tasks = [(n, s, r) for r in range(args.repeats) for n in names for s in solvers]
    with out.open("w") as f:
        f.write(json.dumps(header) + "\n")
        f.flush()

        def child(task: tuple[str, str, int]) -> dict | None:
            name, solver, rep = task
            if args.stop_at and datetime.now(UTC).strftime("%H:%M") >= args.stop_at:
                return None  # the session's end is near: launch nothing new
            cmd = [sys.executable, "-m", "bench.planner.run", "one", "--set", args.set, "--instance", name,
                   "--solver", solver, "--time-limit", str(args.time_limit), "--seed", str(args.seed)]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False,
                                  env={**os.environ, "OMP_NUM_THREADS": "1"})
            wall = time.perf_counter() - t0
            try:
                rec = json.loads(proc.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                rec = {"type": "run", "set": args.set, "instance": name, "solver": solver,
                       "time_limit_s": args.time_limit, "feasible": False,
                       "error": f"child exited {proc.returncode}", "stderr": proc.stderr[-3000:]}
            rec["repeat"] = rep
            rec["process_wall_s"] = wall
            return rec

        skipped = 0
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            for rec in pool.map(child, tasks):
                if rec is None:
                    skipped += 1
                    continue
                f.write(json.dumps(rec) + "\n")
                f.flush()
                print("  " + one_line(rec), flush=True)
        footer = {"type": "batch_end", "date": datetime.now(UTC).isoformat(timespec="seconds"), "skipped": skipped,
                  "uptime": uptime_text(), "loadavg": loadavg()}
        f.write(json.dumps(footer) + "\n")
    print(f"{footer['date']} done\n  {footer['uptime']}", flush=True)
    return 0


def one_line(rec: dict) -> str:
    if rec.get("error"):
        return f"{rec['instance']:<10} {rec['solver']:<8} ERROR {rec['error']}"
    value = f"cost {rec['cost']:.1f} gap {rec.get('gap_pct', float('nan')):+.2f}%" if rec.get("kind") == "vrptw" \
        else f"score {rec['score']} ({rec.get('score_pct', float('nan')):.1f}% of BKS)"
    bad = (rec.get("own_violations") or []) + (rec.get("check_violations") or [])
    cv = rec.get("check_violations")
    chk = "check n/a" if cv is None else "check ok" if not cv else "CHECK FAIL"
    return (f"{rec['instance']:<10} {rec['solver']:<8} {value} routes {rec['routes']} "
            f"{'OK' if rec['feasible'] else 'INFEASIBLE'} ({chk}) {'; '.join(bad[:2])}")


# ---------------------------------------------------------------- report


def read_records(paths: list[Path]) -> tuple[list[dict], list[dict]]:
    runs, batches = [], []
    for p in paths:
        cur: dict = {}
        for line in p.read_text().splitlines():
            rec = json.loads(line)
            if rec["type"] == "batch_start":
                cur = {"file": p.name, **rec}
                batches.append(cur)
            elif rec["type"] == "batch_end":
                cur["end"] = rec
            else:
                rec["file"] = p.name
                runs.append(rec)
    return runs, batches


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "—" if x is None else format(x, spec)


def report(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.files] if args.files else sorted(OUT_DIR.glob("*.jsonl"))
    runs, batches = read_records(paths)
    # Latest batch wins for a (set, instance, solver, limit); repeats → median.
    groups: dict[tuple, list[dict]] = defaultdict(list)
    latest: dict[tuple, str] = {}
    for r in runs:
        key = (r["set"], r["instance"], r["solver"], float(r["time_limit_s"]))
        if latest.get(key, "") < r["file"]:
            latest[key] = r["file"]
    for r in runs:
        key = (r["set"], r["instance"], r["solver"], float(r["time_limit_s"]))
        if r["file"] == latest[key]:
            groups[key].append(r)

    def value(key: tuple) -> dict | None:
        recs = groups.get(key)
        if not recs:
            return None
        ok = [r for r in recs if r.get("feasible")]
        out = {"n": len(recs), "infeasible": len(recs) - len(ok),
               "errors": [r.get("error") for r in recs if r.get("error")]}
        if ok:
            if ok[0]["kind"] == "vrptw":
                out["v"] = statistics.median(r["cost"] for r in ok)
                out["pct"] = statistics.median(r["gap_pct"] for r in ok)
            else:
                out["v"] = statistics.median(r["score"] for r in ok)
                has_bks = ok[0].get("score_pct") is not None
                out["pct"] = statistics.median(r["score_pct"] for r in ok) if has_bks else None
            out["loadavg"] = statistics.mean(r["loadavg_start"][0] for r in ok)
            out["timing"] = [r.get("timing", {}) for r in ok]
        out["kind"] = recs[0].get("kind")
        out["bks"] = recs[0].get("bks")
        return out

    combos = sorted({(k[0], k[3]) for k in groups}, key=lambda c: (SETS.index(c[0]), c[1]))
    summary = []
    overhead_rows = []
    for set_name, limit in combos:
        names = sorted({k[1] for k in groups if k[0] == set_name and k[3] == limit}, key=_natural)
        kind = next(value(k)["kind"] for k in groups if k[0] == set_name and k[3] == limit)
        if args.per_instance:
            unit = "cost (gap %)" if kind == "vrptw" else "score (% of BKS)"
            print(f"\n### {set_name} @ {limit:g} s — {unit}\n")
            print("| instance | BKS | PyVRP | OR-Tools | PyVRP − OR-Tools |")
            print("|---|---:|---:|---:|---:|")
        stats = {s: [] for s in SOLVERS}
        exceptions, ties, missing = [], [], []
        for name in names:
            vals = {s: value((set_name, name, s, limit)) for s in SOLVERS}
            cells = []
            for s in SOLVERS:
                v = vals[s]
                if v is None:
                    cells.append("—")
                elif "v" not in v:
                    cells.append("INFEASIBLE/ERROR")
                    stats[s].append(None)
                else:
                    pct = _fmt(v.get("pct"), "+.2f" if kind == "vrptw" else ".1f")
                    cells.append(f"{v['v']:.1f} ({pct}%)" if kind == "vrptw" else f"{v['v']:g} ({pct}%)")
                    stats[s].append(v.get("pct"))
                    for t in v["timing"]:
                        if s == "pyvrp" and t.get("runtime_s"):
                            overhead_rows.append((set_name, limit, name, t))
            p, o = vals["pyvrp"], vals["ortools"]
            diff = "—"
            if p and o:
                if "v" not in p:
                    exceptions.append(f"{name} (PyVRP infeasible/error)")
                elif "v" in o:
                    d = p["v"] - o["v"]
                    diff = f"{d:+.1f}" if kind == "vrptw" else f"{d:+g}"
                    better = d < 0 if kind == "vrptw" else d > 0
                    if d == 0:
                        ties.append(f"{name}{' (both at BKS)' if p.get('pct') in (0.0, 100.0) else ''}")
                    elif not better:
                        exceptions.append(f"{name} ({diff})")
            else:
                missing.append(name)
            if args.per_instance:
                bks = p["bks"] if p else o["bks"] if o else None
                print(f"| {name} | {_fmt(bks, 'g')} | {cells[0]} | {cells[1]} | {diff} |")
        summary.append((set_name, limit, kind, names, stats, exceptions, ties, missing))

    print("\n### Summary (gap % to BKS for VRPTW: lower is better; score % of BKS for TOPTW: higher is better)\n")
    print("| set | limit s | n | PyVRP mean | PyVRP worst | OR-Tools mean | OR-Tools worst "
          "| PyVRP ahead on every instance | mean load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for set_name, limit, kind, names, stats, exceptions, ties, missing in summary:
        cols = []
        for s in SOLVERS:
            xs = [x for x in stats[s] if x is not None]
            if not xs:
                cols += ["—", "—"]
                continue
            worst = max(xs) if kind == "vrptw" else min(xs)
            bad = len(stats[s]) - len(xs)
            cols += [f"{statistics.mean(xs):.2f}{f' (+{bad} infeasible)' if bad else ''}", f"{worst:.2f}"]
        loads = [value((set_name, n, s, limit)).get("loadavg") for n in names for s in SOLVERS
                 if value((set_name, n, s, limit))]
        loads = [x for x in loads if x is not None]
        ahead = "yes" if not exceptions and not ties and not missing else "no" if exceptions else "not behind"
        if missing:
            ahead += f" (one solver missing on {len(missing)})"
        print(f"| {set_name} | {limit:g} | {len(names)} | {' | '.join(cols)} | {ahead} | "
              f"{_fmt(statistics.mean(loads) if loads else None)} |")
    toptw_limits = sorted({limit for _s, limit, kind, *_rest in summary if kind == "toptw"})
    for limit in toptw_limits:
        cols = []
        for solver in SOLVERS:
            xs = [x for _s, lim, kind, _n, stats, *_r in summary if kind == "toptw" and lim == limit
                  for x in stats[solver] if x is not None]
            cols += [f"{statistics.mean(xs):.2f}", f"{min(xs):.2f}"] if xs else ["—", "—"]
        n = sum(len(names) for _s, lim, kind, names, *_r in summary if kind == "toptw" and lim == limit)
        print(f"| TOPTW, both sets | {limit:g} | {n} | {' | '.join(cols)} | | |")
    for set_name, limit, _kind, _names, _stats, exceptions, ties, _missing in summary:
        if exceptions or ties:
            print(f"- {set_name} @ {limit:g} s: behind OR-Tools on {len(exceptions)}: {', '.join(exceptions) or '—'}; "
                  f"equal on {len(ties)}: {', '.join(ties) or '—'}")

    bad_runs = [r for r in runs if not r.get("feasible")]
    if bad_runs:
        print("\n### Runs with errors or violations\n")
        for r in bad_runs:
            v = (r.get("own_violations") or []) + (r.get("check_violations") or [])
            print(f"- {r['file']}: {r['set']} {r['instance']} {r['solver']} @ {r['time_limit_s']:g} s: "
                  f"{r.get('error') or '; '.join(v[:3])}")

    if overhead_rows:
        print("\n### PyVRP model build + result read overhead (% of solver runtime)\n")
        print("| set | limit s | runs | build s (mean) | read s (mean) | (build+read)/runtime mean % | max % | "
              "solve() wall − runtime, mean s | scenario_from_json s (mean, not in the %) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        by = defaultdict(list)
        for set_name, limit, _name, t in overhead_rows:
            by[(set_name, limit)].append(t)
        for (set_name, limit), ts in sorted(by.items(), key=lambda x: (SETS.index(x[0][0]), x[0][1])):
            b = [float(t.get("build_s") or 0) for t in ts]
            rd = [float(t.get("read_s") or 0) for t in ts]
            pct = [100 * (x + y) / float(t["runtime_s"]) for x, y, t in zip(b, rd, ts, strict=True)]
            extra = [float(t["solve_call_s"]) - float(t["runtime_s"]) for t in ts]
            parse = [float(t.get("parse_s") or 0) for t in ts]
            print(f"| {set_name} | {limit:g} | {len(ts)} | {statistics.mean(b):.3f} | {statistics.mean(rd):.3f} | "
                  f"{statistics.mean(pct):.2f} | {max(pct):.2f} | {statistics.mean(extra):.3f} | "
                  f"{statistics.mean(parse):.3f} |")

    if args.batches:
        print("\n### Batches\n")
        for b in batches:
            end = b.get("end", {})
            print(f"- {b['file']}: `{b['command']}` — start {b['date']} load {b['loadavg']}, "
                  f"end {end.get('date', '?')} load {end.get('loadavg', '?')}")
    return 0


def _natural(name: str) -> tuple:
    import re

    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def recheck(args: argparse.Namespace) -> int:
    """Re-run our planner's checker on the plans stored in JSON lines files (runs made before the
    checker existed have `check_violations: null`); rewrites the files in place."""
    paths = [Path(p) for p in args.files] if args.files else sorted(OUT_DIR.glob("*.jsonl"))
    scenarios: dict[tuple[str, str], dict] = {}
    for p in paths:
        lines = []
        changed = 0
        for line in p.read_text().splitlines():
            rec = json.loads(line)
            if rec.get("type") == "run" and rec.get("plan") is not None and (
                    args.all or rec.get("check_violations") is None):
                key = (rec["set"], rec["instance"])
                if key not in scenarios:
                    scenarios[key] = to_scenario(load(*key))
                try:
                    rec["check_violations"] = core_check(scenarios[key], rec["plan"])
                    rec.pop("check_error", None)
                except Exception as exc:
                    rec["check_error"] = f"{type(exc).__name__}: {exc}"
                rec["feasible"] = not rec.get("own_violations") and not rec.get("check_violations")
                rec["rechecked"] = datetime.now(UTC).isoformat(timespec="seconds")
                changed += 1
                if rec.get("check_violations"):
                    print(f"{p.name}: {rec['instance']} {rec['solver']}: {rec['check_violations'][:3]}")
            lines.append(json.dumps(rec))
        p.write_text("\n".join(lines) + "\n")
        print(f"{p.name}: {changed} runs re-checked")
    return 0


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("batch", help="run a set at one time limit, both solvers")
    b.add_argument("--set", choices=SETS, required=True)
    b.add_argument("--time-limit", type=float, required=True)
    b.add_argument("--solvers", default="pyvrp,ortools")
    b.add_argument("--instances", help="comma-separated subset")
    b.add_argument("--workers", type=int, default=2)
    b.add_argument("--repeats", type=int, default=1)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--tag", default="")
    b.add_argument("--stop-at", help="HH:MM UTC: launch no new run from then on")
    o = sub.add_parser("one", help="one run in this process; prints one JSON line")
    o.add_argument("--set", choices=SETS, required=True)
    o.add_argument("--instance", required=True)
    o.add_argument("--solver", choices=SOLVERS, required=True)
    o.add_argument("--time-limit", type=float, required=True)
    o.add_argument("--seed", type=int, default=1)
    r = sub.add_parser("report", help="tables from bench/data/planner/*.jsonl")
    r.add_argument("files", nargs="*")
    r.add_argument("--per-instance", action="store_true")
    r.add_argument("--batches", action="store_true")
    c = sub.add_parser("recheck", help="run our checker on stored plans that were not checked yet")
    c.add_argument("files", nargs="*")
    c.add_argument("--all", action="store_true", help="re-check every stored plan")
    args = ap.parse_args(argv)
    if args.cmd == "recheck":
        return recheck(args)
    if args.cmd == "batch":
        if args.workers > 2:
            ap.error("at most 2 workers on this 2-core machine")
        return batch(args)
    if args.cmd == "one":
        print(json.dumps(run_one(args.set, args.instance, args.solver, args.time_limit, args.seed)))
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
