"""Benchmark: `doorstep import` against PostgreSQL's own COPY, and the delinquency refresh.

    .venv/bin/python bench/portfolio_import.py --scale 0.01        # quick check, ~1 minute
    .venv/bin/python bench/portfolio_import.py                     # full: 1 M loans, 12 M installments

Steps (see bench/README.md):
1. generate seeded CSV files into bench/data/scale-<scale>/ (reused when already there);
2. create a fresh database (default doorstep_bench) and `doorstep migrate`;
3. import borrowers, loans, installments, payments with the real command
   (`doorstep import KIND FILE --quiet`) in a child process: wall time, rows/s, the child's peak RSS
   (os.wait4), its CPU time, and -- sampled from pg_stat_activity every 0.2 s -- where the
   importer's database session spent the time (COPY, lookups, checks, merge, idle = Python);
4. PostgreSQL's COPY (psql \\copy) of the same files into plain tables with the file's columns
   (text ids, a primary key on the id column(s)), each repeated, median reported;
5. the delinquency refresh on AS_OF and on a week later, repeated from a clean slate (history,
   statuses, cases emptied); --analyze runs ANALYZE first (the importer analyzes what it filled);
6. write bench/data/results/<when>-scale-<scale>.json and print a Markdown summary;
7. drop the database (unless --keep-database).

Profiling: --profile runs each import under cProfile (same command, same child process) and prints
the top functions; use a scaled-down book (e.g. --scale 0.05).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import portfolio_data  # noqa: E402

KINDS = ("borrowers", "loans", "installments", "payments")
VENV_BIN = ROOT / ".venv" / "bin"
SERVER = "postgres://postgres@127.0.0.1:5432"
SAMPLE_SECONDS = 0.2
# The code under test: the working tree, or (--code REV) a snapshot of a commit, so that a long run
# measures one version even while the working tree changes.
CODE = {"dir": ROOT, "revision": ""}
GOAL_PEAK_BYTES = 2 * 1024**3
GOAL_COPY_RATIO = 0.5
GOAL_REFRESH_SECONDS = 60.0

# The tables a naive loader would COPY into: the file's columns, ids as text, a primary key on the id.
COPY_TABLES = {
    "borrowers": "borrower_id text PRIMARY KEY, name text, national_id text, phone text, address text, "
                 "lat double precision, lon double precision, jurisdiction text, timezone text, language text, "
                 "flags text, risk_flags text",
    "loans": "loan_id text PRIMARY KEY, borrower_id text, product text, currency text, principal numeric(14,2), "
             "disbursed_on date, annual_rate numeric(9,6), annual_cost numeric(9,6), lender_licence text",
    "installments": "loan_id text, seq integer, due_on date, principal_due numeric(14,2), "
                    "interest_due numeric(14,2), fee_due numeric(14,2), PRIMARY KEY (loan_id, seq)",
    "payments": "payment_id text PRIMARY KEY, loan_id text, paid_at timestamptz, amount numeric(14,2), "
                "channel text",
}
# What-if schema variants, to measure suggestions (never run against a real database).
# lean-indexes: drop indexes that another index already covers (a foreign-key index that is the
# leading column of a unique or composite index) and the varchar_pattern_ops "_like" twins Django
# adds to unique/indexed CharFields (external ids and keyed digests are only ever matched exactly).
LEAN_INDEXES_SQL = """
DO $$ DECLARE name text; BEGIN
  FOR name IN SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND (
      (tablename IN ('portfolio_borrower', 'portfolio_loan', 'portfolio_payment') AND indexname LIKE '%\\_like')
      OR indexname ~ '^portfolio_(installment|payment|buckethistory)_loan_id_[0-9a-f]+$')
  LOOP EXECUTE format('DROP INDEX %I', name); END LOOP;
END $$"""
# no-foreign-keys: what the deferred per-row foreign-key checks cost (a measurement, not advice).
NO_FOREIGN_KEYS_SQL = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text
      IN ('portfolio_loan', 'portfolio_installment', 'portfolio_payment', 'portfolio_buckethistory',
          'portfolio_loanstatus')
  LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname); END LOOP;
END $$"""
WHAT_IF = {"lean-indexes": (LEAN_INDEXES_SQL,), "no-foreign-keys": (NO_FOREIGN_KEYS_SQL,),
           "lean-indexes-no-foreign-keys": (LEAN_INDEXES_SQL, NO_FOREIGN_KEYS_SQL)}
PORTFOLIO_TABLES = ("portfolio_buckethistory", "portfolio_loanstatus", "portfolio_case", "portfolio_payment",
                    "portfolio_installment", "portfolio_loan", "portfolio_contact", "portfolio_borrower")


def psql(database: str, sql: str, *, server: str = SERVER) -> str:
    result = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", f"{server}/{database}", "-c", sql],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class SessionSampler(threading.Thread):
    """Samples what the child's database sessions are doing, and their RSS, every SAMPLE_SECONDS."""

    def __init__(self, database: str, server: str) -> None:
        super().__init__(daemon=True)
        self.database, self.server = database, server
        self.samples: Counter[str] = Counter()
        self.backend_peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/{self.database}", autocommit=True) as connection:
            while not self.stop.wait(SAMPLE_SECONDS):
                rows = connection.execute(
                    "SELECT pid, state, left(query, 120) FROM pg_stat_activity WHERE datname = %s "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'", [self.database]).fetchall()
                for pid, state, query in rows:
                    self.samples[classify(state, query)] += 1
                    self.backend_peak_kb = max(self.backend_peak_kb, _peak_rss_kb(pid))

    def seconds(self) -> dict[str, float]:
        return {name: round(count * SAMPLE_SECONDS, 1) for name, count in self.samples.most_common()}


def _peak_rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(match.group(1)) if match else 0


def classify(state: str | None, query: str | None) -> str:
    """Name what a sampled session is doing; 'idle in transaction' is the importer's Python at work."""
    text = (query or "").lstrip().upper()
    if state == "idle in transaction":
        return "python (session idle in transaction)"
    if state != "active":
        return f"session {state}"
    rules = (
        # delinquency refresh
        (text.startswith("INSERT INTO PORTFOLIO_BUCKETHISTORY"), "refresh: history insert"),
        (text.startswith(("INSERT INTO PORTFOLIO_LOANSTATUS", "DELETE FROM PORTFOLIO_LOANSTATUS")),
         "refresh: loan status rewrite"),
        ("PORTFOLIO_CASE " in text or "PORTFOLIO_CASE(" in text, "refresh: cases"),
        (text.startswith("CREATE TEMP TABLE DOORSTEP_") and "DOORSTEP_STAGE" not in text[:40],
         "refresh: " + (text.split()[3].lower() if len(text.split()) > 3 else "")),
        # import
        (text.startswith("COPY DOORSTEP_RAW"), "fast path: COPY file into raw text table"),
        (text.startswith("INSERT INTO DOORSTEP_STAGE"), "fast path: check + convert raw rows in SQL"),
        (text.startswith("COPY"), "COPY into staging table"),
        (text.startswith("SELECT") and " IN (" in text and "DOORSTEP_STAGE" not in text, "lookup of referenced ids"),
        (text.startswith("CREATE INDEX"), "index staging table"),
        (text.startswith("SELECT S.ROW_NO") and "DOORSTEP_STAGE" in text, "set-based checks"),
        (text.startswith("SELECT COUNT"), "count created/updated"),
        (text.startswith(("INSERT INTO PORTFOLIO", "CREATE TEMP TABLE DOORSTEP_STAGE_LOANS")), "merge: insert"),
        (text.startswith("UPDATE"), "merge: update / totals"),
        (text.startswith("ANALYZE"), "analyze"),
        (text.startswith("COMMIT"), "commit (deferred foreign-key checks)"),
    )
    for matched, name in rules:
        if matched:
            return name
    return "other: " + text[:40]


def doorstep(*arguments: str, profile_to: Path | None = None) -> list[str]:
    """The `doorstep` command (the console script, or the snapshot's manage.py, which calls the same main)."""
    script = str(VENV_BIN / "doorstep") if CODE["dir"] == ROOT else str(Path(CODE["dir"]) / "manage.py")
    python = str(VENV_BIN / "python")
    if profile_to is not None:
        return [python, "-m", "cProfile", "-o", str(profile_to), script, *arguments]
    return [python, script, *arguments]


def snapshot(revision: str) -> None:
    """Unpack a commit into bench/data/code-<sha> (git archive: the repository is not touched)."""
    sha = subprocess.run(["git", "rev-parse", revision], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    target = HERE / "data" / f"code-{sha[:12]}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    CODE.update(dir=target, revision=sha)


def run_child(command: list[str], *, env: dict[str, str], sampler: SessionSampler | None = None) -> dict[str, Any]:
    """Run a command; wall time, peak RSS and CPU of that child alone (os.wait4), its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=CODE["dir"])
        if sampler is not None:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if sampler is not None:
            sampler.stop.set()
            sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {shlex.join(command)}\n{stdout}\n{stderr}")
    return {"seconds": wall, "peak_rss_bytes": usage.ru_maxrss * 1024, "cpu_user": usage.ru_utime,
            "load_average_after": os.getloadavg(),  # the machine may be shared: CPU contention shows here
            "cpu_system": usage.ru_stime, "stdout": stdout.strip(), "stderr": stderr.strip()[-2000:]}


def machine(database: str) -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))  # type: ignore[union-attr]
    settings = psql(database, "SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ', ' ORDER BY name) "
                              "FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', "
                              "'temp_buffers', 'max_wal_size', 'autovacuum', 'synchronous_commit', "
                              "'max_parallel_workers_per_gather', 'effective_cache_size')")
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    changed = subprocess.run(["git", "status", "--short", "--", "doorstep", "config"], cwd=ROOT, capture_output=True,
                             text=True)
    return {"cores": os.cpu_count(), "cpu": cpu.group(1) if cpu else "", "ram_gib": round(total_kb / 1024**2, 1),
            "postgresql": psql(database, "SELECT version()"), "postgresql_settings": settings,
            "python": platform.python_version(), "date": subprocess.run(["date"], capture_output=True,
                                                                         text=True).stdout.strip(),
            "git": revision.stdout.strip(), "git_uncommitted": changed.stdout.split("\n"),
            "code_under_test": f"snapshot of {CODE['revision']}" if CODE["revision"] else "working tree"}


def import_once(kind: str, path: Path, *, env: dict[str, str], database: str, profile_dir: Path | None,
                expected_rows: int) -> dict[str, Any]:
    command = doorstep("import", kind, str(path), "--quiet",
                       profile_to=profile_dir / f"{kind}.prof" if profile_dir is not None else None)
    sampler = SessionSampler(database, SERVER)
    result = run_child(command, env=env, sampler=sampler)
    match = re.search(rf"{kind}: (\d+) rows; created (\d+), updated (\d+), unchanged (\d+)", result["stdout"])
    if not match or int(match.group(1)) != expected_rows:
        raise SystemExit(f"unexpected import output for {kind}: {result['stdout']}")
    result.update(rows=int(match.group(1)), created=int(match.group(2)), unchanged=int(match.group(4)),
                  rows_per_second=int(match.group(1)) / result["seconds"], db_session=sampler.seconds(),
                  db_backend_peak_rss_bytes=sampler.backend_peak_kb * 1024)
    return result


def copy_once(kind: str, path: Path, *, database: str) -> float:
    table = f"bench_copy_{kind}"
    psql(database, f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({COPY_TABLES[kind]})")
    started = time.perf_counter()
    psql(database, f"\\copy {table} FROM '{path}' WITH (FORMAT csv, HEADER true)")
    return time.perf_counter() - started


def refresh_once(day: str, *, env: dict[str, str], database: str) -> dict[str, Any]:
    sampler = SessionSampler(database, SERVER)
    result = run_child(doorstep("delinquency", "refresh", "--as-of", day), env=env,
                       sampler=sampler)
    result["db_session"] = sampler.seconds()
    result["db_backend_peak_rss_bytes"] = sampler.backend_peak_kb * 1024
    phases = re.search(r"seconds: (.*)", result["stdout"])
    parts = (part.rsplit(" ", 1) for part in phases.group(1).split(", ")) if phases else ()
    result["phases"] = {name: float(value) for name, value in parts}
    result["summary"] = result["stdout"].splitlines()[0]
    return result


def print_profile(path: Path, limit: int = 25) -> None:
    import pstats

    print(f"\n### cProfile of {path.stem} (by own time)")
    pstats.Stats(str(path)).sort_stats("tottime").print_stats(limit)
    print(f"\n### cProfile of {path.stem} (by cumulative time)")
    pstats.Stats(str(path)).sort_stats("cumulative").print_stats(limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1 M loans (default); 0.01 for a quick run")
    parser.add_argument("--seed", type=int, default=portfolio_data.DEFAULT_SEED)
    parser.add_argument("--database", default="doorstep_bench", help="created afresh, dropped at the end")
    parser.add_argument("--import-repeats", type=int, default=1, help="full imports, each into emptied tables")
    parser.add_argument("--copy-repeats", type=int, default=3)
    parser.add_argument("--refresh-repeats", type=int, default=3)
    parser.add_argument("--reimport", action="store_true", help="also time re-importing every file (no changes)")
    parser.add_argument("--profile", action="store_true", help="cProfile each import (use a small --scale)")
    parser.add_argument("--analyze", action="store_true", help="ANALYZE the portfolio tables before the refreshes")
    parser.add_argument("--what-if", choices=sorted(WHAT_IF), help="measure a schema variant (see WHAT_IF)")
    parser.add_argument("--refresh-work-mem", help="e.g. 256MB: run the refreshes with this work_mem (PGOPTIONS)")
    parser.add_argument("--code", metavar="REV", help="run a snapshot of this commit instead of the working tree")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--refresh-only", action="store_true",
                        help="only the refreshes, on the book a --keep-database run left in --database")
    arguments = parser.parse_args()

    if arguments.code:
        snapshot(arguments.code)
        print(f"code under test: {CODE['dir']} ({CODE['revision']})", flush=True)
    data_dir = HERE / "data" / f"scale-{arguments.scale:g}"
    started = time.perf_counter()
    manifest = portfolio_data.ensure(data_dir, scale=arguments.scale, seed=arguments.seed)
    manifest["generate_wall_seconds"] = round(time.perf_counter() - started, 1)
    print(f"data: {data_dir} {json.dumps(manifest)}", flush=True)
    rows: dict[str, int] = manifest["rows"]  # type: ignore[assignment]

    database = arguments.database
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{database}", "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)
    if arguments.refresh_only:
        # The book imported by an earlier run with --keep-database; only the refreshes are measured.
        arguments.import_repeats = arguments.copy_repeats = 0
        arguments.reimport, arguments.keep_database = False, True
    else:
        psql("postgres", f"DROP DATABASE IF EXISTS {database}")
        psql("postgres", f"CREATE DATABASE {database}")
        run_child(doorstep("migrate", "-v", "0"), env=env)
        for statement in WHAT_IF.get(arguments.what_if or "", ()):
            psql(database, statement)
    results: dict[str, Any] = {"scale": arguments.scale, "seed": arguments.seed, "what_if": arguments.what_if,
                               "refresh_work_mem": arguments.refresh_work_mem, "data": manifest,
                               "machine": machine(database), "imports": [], "reimports": [],
                               "copy": {kind: [] for kind in KINDS}, "refresh": []}
    profile_dir = HERE / "data" / "profiles" if arguments.profile else None
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
    try:
        for repeat in range(arguments.import_repeats):
            if repeat:
                psql(database, f"TRUNCATE {', '.join(PORTFOLIO_TABLES)} CASCADE")
            run: dict[str, Any] = {}
            for kind in KINDS:
                result = import_once(kind, data_dir / f"{kind}.csv", env=env, database=database,
                                     profile_dir=profile_dir, expected_rows=rows[kind])
                run[kind] = result
                print(f"import {kind}: {result['rows']} rows in {result['seconds']:.1f} s = "
                      f"{result['rows_per_second']:,.0f} rows/s, peak RSS {result['peak_rss_bytes'] / 2**20:.0f} MiB,"
                      f" cpu {result['cpu_user'] + result['cpu_system']:.1f} s; db session {result['db_session']}",
                      flush=True)
            results["imports"].append(run)
        if arguments.reimport:
            run = {}
            for kind in KINDS:
                result = import_once(kind, data_dir / f"{kind}.csv", env=env, database=database, profile_dir=None,
                                     expected_rows=rows[kind])
                run[kind] = result
                print(f"re-import {kind}: {result['rows']} rows ({result['unchanged']} unchanged) in "
                      f"{result['seconds']:.1f} s = {result['rows_per_second']:,.0f} rows/s", flush=True)
            results["reimports"].append(run)
        if profile_dir is not None:
            for kind in KINDS:
                print_profile(profile_dir / f"{kind}.prof")

        for repeat in range(arguments.copy_repeats):
            for kind in KINDS:
                seconds = copy_once(kind, data_dir / f"{kind}.csv", database=database)
                results["copy"][kind].append(seconds)
                print(f"COPY {kind} (#{repeat + 1}): {rows[kind]} rows in {seconds:.1f} s = "
                      f"{rows[kind] / seconds:,.0f} rows/s", flush=True)
        for kind in KINDS:
            psql(database, f"DROP TABLE IF EXISTS bench_copy_{kind}")

        results["statistics"] = psql(database, "SELECT string_agg(relname || ' ' || COALESCE(last_analyze::text, "
                                               "'never analyzed'), '; ' ORDER BY relname) FROM pg_stat_user_tables "
                                               "WHERE relname LIKE 'portfolio_%'")
        print(f"planner statistics: {results['statistics']}", flush=True)
        if arguments.analyze:
            started = time.perf_counter()
            psql(database, "ANALYZE " + ", ".join(PORTFOLIO_TABLES))
            results["analyze_seconds"] = time.perf_counter() - started
            print(f"ANALYZE: {results['analyze_seconds']:.1f} s", flush=True)
        refresh_env = dict(env)
        if arguments.refresh_work_mem:
            refresh_env["PGOPTIONS"] = f"-c work_mem={arguments.refresh_work_mem}"
        for repeat in range(arguments.refresh_repeats):
            psql(database, "TRUNCATE portfolio_buckethistory, portfolio_loanstatus, portfolio_case CASCADE")
            pair = {}
            for label, day in (("first", manifest["as_of"]), ("later", manifest["second_as_of"])):
                result = refresh_once(str(day), env=refresh_env, database=database)
                pair[label] = result
                print(f"refresh {day} (#{repeat + 1}): {result['seconds']:.1f} s, peak RSS "
                      f"{result['peak_rss_bytes'] / 2**20:.0f} MiB; {result['summary']}; {result['phases']}",
                      flush=True)
            results["refresh"].append(pair)
        results["buckets"] = {
            day: dict(row.split("|") for row in psql(database, "SELECT bucket, COUNT(*) FROM portfolio_buckethistory "
                                                                f"WHERE as_of = '{day}' GROUP BY bucket "
                                                                "ORDER BY bucket").splitlines())
            for day in (manifest["as_of"], manifest["second_as_of"])}
        results["database_size"] = psql(database, f"SELECT pg_size_pretty(pg_database_size('{database}'))")
    finally:
        if not arguments.keep_database:
            psql("postgres", f"DROP DATABASE IF EXISTS {database}")

    out_dir = HERE / "data" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = out_dir / f"{stamp}-scale-{arguments.scale:g}.json"
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nresults: {out}\n")
    print(summary(results))


def summary(results: dict[str, Any]) -> str:
    """The Markdown table for RESULTS.md."""
    lines = ["| file | rows | importer s | importer rows/s | importer peak RSS | COPY s (median) | COPY rows/s | "
             "importer / COPY |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    total_rows = total_import = total_copy = 0.0
    peak = 0
    for kind in KINDS:
        runs = [run[kind] for run in results["imports"]]
        if not runs:
            continue
        seconds = median([run["seconds"] for run in runs])
        copy_seconds = median(results["copy"][kind])
        count = runs[0]["rows"]
        rss = max(run["peak_rss_bytes"] for run in runs)
        peak = max(peak, rss)
        total_rows += count
        total_import += seconds
        total_copy += copy_seconds
        lines.append(f"| {kind} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} | {rss / 2**20:.0f} MiB | "
                     f"{copy_seconds:.1f} | {count / copy_seconds:,.0f} | {copy_seconds / seconds:.2f} |")
    if total_import:
        lines.append(f"| **all four** | {total_rows:,.0f} | {total_import:.1f} | {total_rows / total_import:,.0f} | "
                     f"{peak / 2**20:.0f} MiB | {total_copy:.1f} | {total_rows / total_copy:,.0f} | "
                     f"{total_copy / total_import:.2f} |")
    if results["refresh"]:
        lines += ["", "| refresh | runs (s) | median s | peak RSS |", "|---|---|---:|---:|"]
        for label in ("first", "later"):
            runs = [pair[label] for pair in results["refresh"]]
            day = runs[0]["summary"].split(":")[0]
            each = ", ".join(f"{run['seconds']:.1f}" for run in runs)
            lines.append(f"| {label} ({day}) | {each} | "
                         f"{median([run['seconds'] for run in runs]):.1f} | "
                         f"{max(run['peak_rss_bytes'] for run in runs) / 2**20:.0f} MiB |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
