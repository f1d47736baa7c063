"""The field app's sync endpoint under load: 200 phones each sending a day of visits, on PostgreSQL.

    .venv/bin/python bench/field_sync.py                                  # both scenarios, 3 runs each
    .venv/bin/python bench/field_sync.py --scenario online --compression 60 --runs 3
    .venv/bin/python bench/field_sync.py --scenario burst --workers 4 --threads 1 --runs 3
    .venv/bin/python bench/field_sync.py --explain                        # queries and ms per kind, in-process

Steps:
1. a PostgreSQL database (default bench_field; created if missing, migrated; static files collected
   into bench/data/field_sync/var for the production settings' manifest storage);
2. unless already there, a world built directly in the database (bulk_create, no solver): `--phones / 2`
   teams of 2 collectors (the first of each team leads the visit), each with a published route of
   `--visits` stops on DAY (in the past: a synced visit never comes from a device clock ahead of the
   server), generated borrowers ("生成" names, "(generated)" addresses) near Shenzhen neighbourhoods,
   one open case each. Every visit starts between 09:00 and 17:00 Asia/Shanghai, inside CN-HOURS, so
   no consent override is needed;
3. gunicorn (`config.wsgi`, `config.settings.production`, DEBUG off) on 127.0.0.1 and a free port,
   `--workers` workers (`--threads` > 1: gthread), started once for the whole invocation;
4. per scenario and run, on a fresh data set (the field tables, contact attempts and the audit chain
   are truncated; the world, users and sessions stay), a load generator in a SECOND process (this
   file with --generator: standard library only, http.client and threads) plays the phones. Each
   phone logs in once through the /login/ form (GET for the csrftoken cookie, POST the form with
   csrfmiddlewaretoken; the sessions are kept in bench/data/field_sync/ and reused while valid) and sends its
   share of each visit: both collectors check in and out, the lead sends the guided steps and the
   outcomes (id_shown, entry, met, reason, finances, tension, promise, plan_propose, plan_sign,
   recording_add, close): 15 operations a visit, to POST /api/v1/field/sync/ with X-CSRFToken.
   - online: one operation per request at its device time, the day compressed `--compression`
     times (the phones' day, 09:00 to about 17:35, in about 4.3 minutes at the default 120: 47
     operations/s offered, where the real day offers 0.4/s);
   - burst: every phone comes back online at once and sends its whole day in batches of up to
     `--batch` (50) operations.
   The visit starts when both collectors checked in (CN-VISIT-2P), so a lead waits until its
   teammate's check-in was answered before its first guided step, and until the teammate's
   check-out was answered before it closes (in burst the teammate's whole day is one batch, sent first).
   Latency is send to full response, per request; each operation's result status is counted;
5. verification: every operation sent is in the FieldOperation ledger and its effect rows exist
   (closed visits, 4 check events, a promise, a signed repayment plan, a recording, a tension note, a
   completed contact attempt per visit; the audit chain verifies), then every operation is sent once
   more (batches of 50, all phones at once): every answer must be "replayed" with the first result,
   and no row count may change;
6. the median over `--runs`, a JSON file in bench/data/results/ and Markdown rows for RESULTS.md.

`--explain` instead applies the first team's day in this process through `operation_apply` and
prints, per kind, the median time and the queries it runs (with the repeated ones).

Goal (issue): p99 latency <= 200 ms, and zero lost or duplicated records.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_field"
DAY = date(2026, 11, 26)  # a Thursday, in the past
SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "bench-field-sync-2026"
WORK_DIR = HERE / "data" / "field_sync"
VAR_DIR = WORK_DIR / "var"
SYNC_PATH = "/api/v1/field/sync/"
# Bench-only keys for the production settings (which refuse to start without them). Generated data only.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "bench-field-sync-secret-key-not-for-production-0123456789",
    "DOORSTEP_FIELD_KEYS": "YmVuY2gtZmllbGQtc3luYy1rZXktMzItYnl0ZXMhISE=",
    "DOORSTEP_LOOKUP_KEY": "bench-field-sync-lookup-key",
    "DJANGO_DEBUG": "0",
    "DOORSTEP_LOG_LEVEL": "WARNING",
}
# The tables a run writes; emptied before each run so that every run starts from the same state.
RUN_TABLES = ("field_fieldoperation", "field_checkevent", "field_positionfix", "field_recording", "field_visitnote",
              "field_promise", "field_repaymentplan", "field_paymentrequest", "field_cashreceipt",
              "field_safetyalert", "field_visit", "compliance_complaint", "compliance_contactattempt",
              "common_auditentry", "common_audithead")
SIGNATURE_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N"
                 "70a4AAAAAElFTkSuQmCC")
# Real Shenzhen neighbourhoods (WGS-84) that the teams' generated borrowers are placed near.
PLACES = ((22.543, 114.058), (22.531, 114.120), (22.555, 113.930), (22.720, 114.246), (22.610, 114.030),
          (22.650, 113.840), (22.575, 114.255), (22.690, 114.120), (22.520, 113.990), (22.740, 113.990))
# One visit as the phones record it: seconds after the visit's start, who sends it, the kind, and
# what the teammate must have had answered first (the lead's guided steps need the visit started).
VISIT_SCRIPT = (
    (0, "lead", "check_in", None), (50, "second", "check_in", None),
    (180, "lead", "id_shown", "second:check_in"), (240, "lead", "entry", None), (300, "lead", "met", None),
    (360, "lead", "reason", None), (420, "lead", "finances", None), (480, "lead", "tension", None),
    (540, "lead", "promise", None), (600, "lead", "plan_propose", None), (720, "lead", "plan_sign", None),
    (2400, "lead", "recording_add", None), (2460, "lead", "check_out", None), (2490, "second", "check_out", None),
    (2580, "lead", "close", "second:check_out"),
)
OPS_PER_VISIT = len(VISIT_SCRIPT)


# --- database and Django -----------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def server_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def ensure_database(url: str) -> None:
    import psycopg

    name = database_name(url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing an unusual database name {name!r}")
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f"CREATE DATABASE {name}")
            print(f"created database {name}", flush=True)


def manage(url: str, *arguments: str) -> None:
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "DOORSTEP_VAR_DIR": str(VAR_DIR)}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=True)


def prepare(url: str) -> None:
    ensure_database(url)
    manage(url, "migrate", "-v", "0")
    if not (VAR_DIR / "static" / "staticfiles.json").exists():
        manage(url, "collectstatic", "--noinput", "-v", "0")  # the manifest storage of production


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DOORSTEP_VAR_DIR"] = str(VAR_DIR)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def local(day: date, hour: int, minute: int = 0, second: float = 0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(hours=hour, minutes=minute,
                                                                                seconds=second)


def world_code(teams: int, visits: int) -> str:
    return f"BFS{teams}X{visits}"


def ensure_world(*, teams: int, visits: int, seed: int) -> dict[str, Any]:
    """The teams, users, borrowers, cases and the published plan; built once, reused afterwards."""
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from doorstep.accounts.models import Role, Team, Territory, User
    from doorstep.planning.models import Plan, Route, Stop
    from doorstep.portfolio.models import Borrower, Case

    code = world_code(teams, visits)
    territory = Territory.objects.filter(code=code).first()
    if territory is not None:
        stops = Stop.objects.filter(route__plan__territory=territory, route__plan__day=DAY,
                                    route__plan__status=Plan.Status.PUBLISHED).count()
        if stops == teams * visits:
            print(f"reusing world {code}: {teams} teams, {stops} stops on {DAY}", flush=True)
            return world_read(code)
        raise SystemExit(f"world {code} exists but has {stops} stops; drop the database {DEFAULT_URL} to rebuild")
    rng = random.Random(seed)
    started = time.perf_counter()
    prefix = code.lower()
    with transaction.atomic():
        territory = Territory.objects.create(code=code, name="深圳市（外访同步基准，生成数据）", center_lat=22.6,
                                             center_lon=114.05, timezone="Asia/Shanghai")
        password = make_password(PASSWORD)  # one hash for every bench user: hashing is slow on purpose
        users = [User(username=f"{prefix}-t{team:03d}-{member}", first_name=f"生成{team}-{member}",
                      role=Role.COLLECTOR, password=password, is_active=True)
                 for team in range(teams) for member in (1, 2)]
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(username__startswith=f"{prefix}-t").order_by("username"))
        team_rows = Team.objects.bulk_create([Team(code=f"{code}-T{team:03d}", name=f"基准外访队{team}（生成）",
                                                   territory=territory) for team in range(teams)])
        team_rows = list(Team.objects.filter(territory=territory).order_by("code"))
        Team.members.through.objects.bulk_create([
            Team.members.through(team_id=team.pk, user_id=users[2 * index + member].pk)
            for index, team in enumerate(team_rows) for member in (0, 1)])
        supervisor = User.objects.create(username=f"{prefix}-boss", role=Role.SUPERVISOR, password="!")
        plan = Plan.objects.create(day=DAY, territory=territory, version=1, status=Plan.Status.PUBLISHED,
                                   timezone="Asia/Shanghai", scenario={}, result={"bench": "field_sync"},
                                   created_by=supervisor, published_by=supervisor, published_at=datetime.now(tz=UTC))
        borrowers, schedule = [], []
        for team in range(teams):
            base_lat, base_lon = PLACES[team % len(PLACES)]
            base_lat += rng.uniform(-0.02, 0.02)
            base_lon += rng.uniform(-0.02, 0.02)
            first = 9 * 60 + rng.randint(0, 50)
            for visit in range(visits):
                start_minute = first + 60 * visit
                borrowers.append(Borrower(
                    external_id=f"{code}-{team:03d}-{visit}", name=f"生成{team}号{visit}", jurisdiction="CN",
                    country="CN", timezone="Asia/Shanghai", language="zh", territory=territory,
                    lat=round(base_lat + rng.uniform(-0.01, 0.01), 6),
                    lon=round(base_lon + rng.uniform(-0.01, 0.01), 6),
                    address=f"深圳市 基准小区{team}栋{visit}号（generated）", national_id_masked="4403**********0021",
                    phone_masked="138****0001", flags=["generated"]))
                schedule.append((team, visit, start_minute))
        Borrower.objects.bulk_create(borrowers, batch_size=1000)
        borrowers = {row.external_id: row for row in Borrower.objects.filter(territory=territory)}
        cases = [Case(borrower=borrowers[f"{code}-{team:03d}-{visit}"], status=Case.Status.OPEN,
                      opened_on=date(2026, 10, 1), as_of=date(2026, 11, 25), currency="CNY", max_dpd=45, bucket="M2",
                      overdue_amount=Decimal("3000.00"), collectible_amount=Decimal("8000.00"), territory=territory,
                      team=team_rows[team]) for team, visit, _minute in schedule]
        Case.objects.bulk_create(cases, batch_size=1000)
        case_of = {case.borrower.external_id: case for case in Case.objects.filter(territory=territory)
                   .select_related("borrower")}
        Route.objects.bulk_create([
            Route(plan=plan, team=team, depart_at=local(DAY, 8, 30), return_at=local(DAY, 18, 30), travel_minutes=90)
            for team in team_rows])
        route_of = {route.team_id: route for route in Route.objects.filter(plan=plan)}
        stops = []
        for team, visit, minute in schedule:
            start = local(DAY, 0, minute)
            stops.append(Stop(route=route_of[team_rows[team].pk], case=case_of[f"{code}-{team:03d}-{visit}"],
                              sequence=visit + 1, arrival_at=start - timedelta(minutes=5), start_at=start,
                              end_at=start + timedelta(minutes=45), prize=Decimal("500.00")))
        Stop.objects.bulk_create(stops, batch_size=1000)
    print(f"built world {code}: {teams} teams, {len(stops)} stops on {DAY} in {time.perf_counter() - started:.1f} s",
          flush=True)
    return world_read(code)


def plan_payload_set(code: str, *, kind: str, seed: int, extra_candidates: int) -> int:
    """Give the published plan the scenario and result JSON that `plan build` stores (shaped as
    doorstep.planning.building and core.scenario write them, haversine travel, no road matrix), or
    none (`empty`, as tests/field/world.py does). Every operation's stop lookup reads this row."""
    from doorstep.planning.models import Plan, Stop

    plan = Plan.objects.get(territory__code=code, day=DAY, status=Plan.Status.PUBLISHED)
    if kind == "empty":
        scenario: dict[str, Any] = {}
        result: dict[str, Any] = {}
    else:
        rng = random.Random(seed)
        stops = list(Stop.objects.filter(route__plan=plan).select_related("route__team", "case__borrower")
                     .order_by("route__team__code", "sequence"))
        teams = sorted({stop.route.team for stop in stops}, key=lambda team: team.code)
        members = {team.pk: sorted(team.members.values_list("username", flat=True)) for team in teams}
        team_json = [{"id": team.code, "members": members[team.pk], "start": {"lat": 22.6, "lon": 114.05},
                      "end": {"lat": 22.6, "lon": 114.05}, "shift": [540, 1080], "max_visits": 8, "capacity": None,
                      "skills": sorted({f"team:{team.code}", "inhouse"}),
                      "ref": {"team_id": team.code, "collector_ids": members[team.pk]}} for team in teams]

        def visit_json(visit_id: str, case_id: int, lat: float, lon: float, team: str | None) -> dict[str, Any]:
            return {"id": visit_id, "location": {"lat": lat, "lon": lon}, "service": 45,
                    "windows": [[480.0, 1275.0]], "prize": 1200.0, "required": False,
                    "skills": [f"team:{team}"] if team else ["inhouse"], "min_team_size": 2, "demand": 0,
                    "ref": {"borrower_id": f"{code}-{case_id}", "case_id": case_id,
                            "loan_ids": [f"L{case_id:07d}-{n}" for n in range(rng.randint(1, 3))]},
                    "explain": {"collectible": 8000.0, "rate": 0.15, "model": "interim-bucket-rate-v1",
                                "bucket": "M2"}}

        visits = [visit_json(f"C{stop.case_id}", stop.case_id, stop.case.borrower.lat or 0, stop.case.borrower.lon or 0,
                             stop.route.team.code) for stop in stops]
        visits += [visit_json(f"C{9_000_000 + n}", 9_000_000 + n, 22.5 + rng.random() / 5, 113.9 + rng.random() / 3,
                              None) for n in range(extra_candidates)]
        scenario = {"name": f"{code}-{DAY.isoformat()}", "travel": {"kind": "haversine", "speed_kmh": 25.0,
                                                                     "circuity": 1.3},
                    "teams": team_json, "visits": visits, "objective": {"travel_cost_per_minute": 1.0}}
        routes: dict[str, dict[str, Any]] = {}
        midnight = local(DAY, 0)
        for stop in stops:
            route = routes.setdefault(stop.route.team.code, {"team": stop.route.team.code, "depart": 510.0,
                                                             "return": 1110.0, "travel": 90.0, "stops": []})
            start = (stop.start_at - midnight).total_seconds() / 60
            route["stops"].append({"visit": f"C{stop.case_id}", "arrival": start - 5, "start": start,
                                   "end": start + 45})
        result = {"scenario": scenario["name"], "routes": list(routes.values()),
                  "unassigned": [{"visit": visit["id"], "reason": "not_worth_travel"}
                                 for visit in visits[len(stops):]],
                  "totals": {"served": len(stops), "prize": 1200.0 * len(stops), "travel": 90.0 * len(routes),
                             "objective": 1200.0 * len(stops) - 90.0 * len(routes)},
                  "solver": {"name": "pyvrp", "seed": 1, "time_limit_s": 30.0, "runtime_s": 30.1}}
    plan.scenario, plan.result = scenario, result
    plan.save(update_fields=["scenario", "result"])
    return len(json.dumps(scenario)) + len(json.dumps(result))


def world_read(code: str) -> dict[str, Any]:
    from doorstep.planning.models import Stop

    stops = (Stop.objects.filter(route__plan__territory__code=code, route__plan__day=DAY)
             .select_related("route__team", "case__borrower").order_by("route__team__code", "sequence"))
    teams: dict[str, dict[str, Any]] = {}
    for stop in stops:
        team = teams.setdefault(stop.route.team.code, {"code": stop.route.team.code, "stops": []})
        if "members" not in team:
            team["members"] = sorted(stop.route.team.members.values_list("username", flat=True))
        team["stops"].append({"stop": stop.pk, "start_at": stop.start_at.isoformat(), "lat": stop.case.borrower.lat,
                              "lon": stop.case.borrower.lon, "signer": stop.case.borrower.name})
    return {"code": code, "teams": list(teams.values())}


def reset_run_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(RUN_TABLES)}")
        for table in RUN_TABLES:
            cursor.execute(f"ANALYZE {table}")


# --- the phones' operations -----------------------------------------------------------------------------


def visit_operations(stop: dict[str, Any], rng: random.Random, serial: str) -> list[dict[str, Any]]:
    """The 15 operations of one visit, with the device time in seconds since midnight of DAY."""
    start = datetime.fromisoformat(stop["start_at"]).astimezone(SHANGHAI)
    start += timedelta(seconds=rng.uniform(0, 120))  # arriving a little late
    midnight = local(DAY, 0)
    made: list[dict[str, Any]] = []
    by_key: dict[str, str] = {}

    def door() -> dict[str, Any]:
        return {"lat": round(stop["lat"] + rng.uniform(-0.0001, 0.0001), 6),
                "lon": round(stop["lon"] + rng.uniform(-0.0001, 0.0001), 6),
                "accuracy_m": round(rng.uniform(5, 25), 1), "mocked": False}

    first_due = (DAY + timedelta(days=20)).isoformat()
    for offset, who, kind, needs in VISIT_SCRIPT:
        at = start + timedelta(seconds=offset + rng.uniform(0, 20))
        data: dict[str, Any] = {"stop": stop["stop"]}
        if kind in ("check_in", "check_out"):
            data.update(door())
        elif kind == "id_shown":
            data["mandate_number"] = f"WT-2026-{serial}"
        elif kind == "entry":
            entered = rng.random() < 0.3
            data.update(entered=entered, consent=entered)
        elif kind == "met":
            data["party"] = "debtor"
        elif kind == "reason":
            data.update(reason=rng.choice(["job_loss", "illness", "business_failure", "family_event"]),
                        note="工厂十月停工，收入减少（生成）")
        elif kind == "finances":
            data.update(monthly_income="6000.00", monthly_expenses="3500.00")
        elif kind == "tension":
            data.update(level=1, note="有些担心房租（生成）")
        elif kind == "promise":
            data.update(amount="500.00", due_on=(DAY + timedelta(days=10)).isoformat())
        elif kind == "plan_propose":
            data.update(total="3000.00", count=6, interval="monthly", first_due_on=first_due, down_payment="0")
        elif kind == "plan_sign":
            data = {"plan_op": by_key["lead:plan_propose"], "signer_name": stop["signer"],
                    "signature_png": SIGNATURE_PNG}
        elif kind == "recording_add":
            data.update(reference=f"CAM-{serial}.mp4", sha256=f"{rng.getrandbits(256):064x}",
                        starts_at=(start - timedelta(seconds=30)).isoformat(),
                        ends_at=(start + timedelta(seconds=2560)).isoformat(), size_bytes=rng.randint(10**7, 10**9))
        elif kind == "close":
            data["outcome"] = "met"
        client_id = f"{serial}-{len(made):02d}-{rng.getrandbits(64):016x}"
        by_key[f"{who}:{kind}"] = client_id
        made.append({"who": who, "device_s": (at - midnight).total_seconds(),
                     "needs": by_key[needs] if needs else None,
                     "op": {"id": client_id, "kind": kind, "at": at.isoformat(timespec="milliseconds"),
                            "data": data}})
    return made


def day_plan(world: dict[str, Any], *, run: int, seed: int, phones: int) -> dict[str, Any]:
    """Every phone's operations for the day, in the order each phone sends them."""
    rng = random.Random(seed * 1000 + run)
    plan_phones: list[dict[str, Any]] = []
    teams = world["teams"][: phones // 2]
    for team_index, team in enumerate(teams):
        lead, second = team["members"]
        mine: dict[str, list[dict[str, Any]]] = {"lead": [], "second": []}
        for stop in team["stops"]:
            serial = f"r{run}t{team_index:03d}s{stop['stop']}"
            for item in visit_operations(stop, rng, serial):
                mine[item.pop("who")].append(item)
        for who, username in (("lead", lead), ("second", second)):
            plan_phones.append({"username": username, "team": team["code"], "role": who,
                                "ops": sorted(mine[who], key=lambda item: item["device_s"])})
    return {"phones": plan_phones}


# --- the server ------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In a child: receive SIGTERM when the bench process dies, so that no server or load generator
    outlives it and writes into the next run's tables (Linux prctl PR_SET_PDEATHSIG)."""
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def _stop_on_signal(number: int, _frame: Any) -> None:
    raise SystemExit(f"stopped by signal {number}")  # runs the finally blocks: the server is stopped


def database_guard(url: str) -> Any:
    """Hold an advisory lock for the whole invocation: two benches on one database would truncate
    each other's runs."""
    import psycopg

    connection = psycopg.connect(url, autocommit=True)
    if not connection.execute("SELECT pg_try_advisory_lock(hashtext('bench/field_sync.py'))").fetchone()[0]:
        raise SystemExit(f"another bench/field_sync.py is running on {database_name(url)}; wait for it to end")
    return connection


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_start(url: str, *, workers: int, threads: int, port: int) -> tuple[subprocess.Popen[bytes], list[str]]:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning",
               "--no-control-socket", "--access-logfile", str(WORK_DIR / "access.log"),
               "--access-logformat", "%(D)s %(s)s %(m)s %(U)s"]  # microseconds in the worker
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "DOORSTEP_VAR_DIR": str(VAR_DIR)}
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    log = (WORK_DIR / "gunicorn.log").open("ab")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {WORK_DIR / 'gunicorn.log'}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/login/")
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return process, command
            raise SystemExit(f"GET /login/ answered {response.status}; see {WORK_DIR / 'gunicorn.log'}")
        except OSError:
            time.sleep(0.2)
    server_stop(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def server_stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the arbiter stops its own workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the load generator: a second process, standard library only -----------------------------------------


class Phone:
    """One collector's phone: its cookies, and a fresh loopback connection per request."""

    def __init__(self, port: int, username: str, cookies: dict[str, str] | None) -> None:
        self.port = port
        self.username = username
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, float, http.client.HTTPResponse]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        sent["Connection"] = "close"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        latency = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, data, latency, response

    def login(self, password: str) -> float:
        started = time.perf_counter()
        status, page, _latency, _response = self.request("GET", "/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or found is None or "csrftoken" not in self.cookies:
            raise RuntimeError(f"{self.username}: GET /login/ gave {status} without a CSRF token")
        form = urllib.parse.urlencode({"username": self.username, "password": password,
                                       "csrfmiddlewaretoken": found.group(1).decode()}).encode()
        status, _body, _latency, response = self.request(
            "POST", "/login/", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username}: POST /login/ gave {status} ({response.getheader('Location')})")
        return time.perf_counter() - started

    def sync(self, operations: list[dict[str, Any]]) -> tuple[int, dict[str, Any] | None, float]:
        body = json.dumps({"operations": operations}).encode()
        status, data, latency, _response = self.request("POST", SYNC_PATH, body, {
            "Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")})
        parsed = None
        if data[:1] == b"{":
            parsed = json.loads(data)
        return status, parsed, latency


def generator(options: argparse.Namespace) -> None:
    """Play the phones (see the module docstring); reads --plan, writes --out. No Django here."""
    plan = json.loads(Path(options.plan).read_text())
    phones_plan = plan["phones"]
    cookies_in = plan.get("cookies", {})
    mode = options.mode
    events = {item["op"]["id"]: threading.Event() for phone in phones_plan for item in phone["ops"]}
    requests: list[dict[str, Any]] = []
    results: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    lock = threading.Lock()
    phones = [Phone(options.port, phone["username"], cookies_in.get(phone["username"])) for phone in phones_plan]
    login_seconds: list[float] = []
    clock: dict[str, float] = {}
    # Every phone is logged in before the clock starts; the last one to arrive starts it.
    ready = threading.Barrier(len(phones) + 1, action=lambda: clock.__setitem__("t0", time.perf_counter()))

    def login(index: int) -> None:
        phone = phones[index]
        try:
            if "sessionid" not in phone.cookies:
                seconds = phone.login(PASSWORD)
                with lock:
                    login_seconds.append(seconds)
        except Exception as error:
            with lock:
                problems.append(f"login {phone.username}: {error!r}")

    def send(index: int, batch: list[dict[str, Any]], due: float | None) -> None:
        phone = phones[index]
        operations = [item["op"] for item in batch]
        attempt, error_text = 0, None
        while True:
            attempt += 1
            sent_at = time.perf_counter()
            try:
                status, body, latency = phone.sync(operations)
                error_text = None
            except OSError as error:
                status, body, latency, error_text = 0, None, time.perf_counter() - sent_at, repr(error)
            if status != 0 or attempt >= 5:
                break
            with lock:
                problems.append(f"{phone.username}: transport error {error_text}, retrying")
            time.sleep(0.5)
        statuses = []
        if body is not None and isinstance(body.get("results"), list):
            for answer in body["results"]:
                statuses.append(answer.get("status"))
                with lock:
                    results[answer.get("id")] = answer
        elif status != 0:
            with lock:
                problems.append(f"{phone.username}: HTTP {status} without results")
        for item in batch:
            events[item["op"]["id"]].set()
        with lock:
            requests.append({"phone": index, "start": sent_at - clock["t0"], "latency": latency, "http": status,
                             "ops": len(operations), "statuses": statuses, "attempts": attempt, "error": error_text,
                             "lag": None if due is None else sent_at - due, "kinds": [op["kind"] for op in operations]})

    def wait_for(item: dict[str, Any]) -> float:
        needed = item.get("needs")
        if not needed or mode == "replay":
            return 0.0
        started = time.perf_counter()
        if not events[needed].wait(timeout=900):
            with lock:
                problems.append(f"gave up waiting for {needed}")
        return time.perf_counter() - started

    def play(index: int) -> None:
        login(index)
        ready.wait()
        try:
            send_day(index)
        except Exception as error:
            with lock:
                problems.append(f"{phones[index].username}: {error!r}")
            for item in phones_plan[index]["ops"]:
                events[item["op"]["id"]].set()

    def send_day(index: int) -> None:
        ops = phones_plan[index]["ops"]
        if mode == "online":
            origin = clock["day_origin"]
            for item in ops:
                due = clock["t0"] + (item["device_s"] - origin) / options.compression
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                wait_for(item)
                send(index, [item], due)
        else:
            for first in range(0, len(ops), options.batch):
                batch = ops[first:first + options.batch]
                for item in batch:
                    wait_for(item)
                send(index, batch, None)

    clock["day_origin"] = min(item["device_s"] for phone in phones_plan for item in phone["ops"])
    threads = [threading.Thread(target=play, args=(index,), daemon=True) for index in range(len(phones))]
    login_started = time.perf_counter()
    for thread in threads:
        thread.start()
    ready.wait()
    login_wall = clock["t0"] - login_started
    print("READY", flush=True)  # the parent starts counting CPU time here, after the logins
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - clock["t0"]
    span = None
    if mode == "online":
        last = max(item["device_s"] for phone in phones_plan for item in phone["ops"])
        span = (last - clock["day_origin"]) / options.compression
    Path(options.out).write_text(json.dumps({
        "mode": mode, "wall_s": wall, "scheduled_span_s": span, "login_wall_s": login_wall,
        "logins": len(login_seconds), "login_seconds": sorted(login_seconds), "requests": requests,
        "results": results, "problems": problems,
        "cookies": {phone.username: phone.cookies for phone in phones}}))


TICK = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def server_workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine (every core), not idle and not waiting for I/O."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK


class ActivitySampler(threading.Thread):
    """What the bench database's sessions are doing, every 0.1 s (pg_stat_activity): running, waiting
    for a lock (and in which statement), waiting for WAL, or idle. Its own connection, not Django's."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop_event = threading.Event()
        self.states: Counter[str] = Counter()
        self.lock_waits: Counter[str] = Counter()
        self.samples = 0
        self.backend_cpu: dict[int, list[float]] = {}  # pid: [first seen, last seen]

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.stop_event.wait(0.1):
                rows = connection.execute(
                    "SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'").fetchall()
                self.samples += 1
                for pid, state, wait_type, wait_event, query in rows:
                    seconds = process_cpu_seconds(pid)
                    self.backend_cpu.setdefault(pid, [seconds, seconds])[1] = seconds
                    if state == "active" and wait_type is None:
                        key = "active: running"
                    elif state == "active":
                        key = f"active: waiting {wait_type}/{wait_event}"
                    elif state == "idle in transaction":
                        key = "idle in transaction (the application's Python)"
                    else:
                        key = str(state)
                    self.states[key] += 1
                    if state == "active" and wait_type == "Lock":
                        self.lock_waits[re.sub(r"\s+", " ", query)[:110]] += 1

    def cpu_seconds(self) -> float:
        """CPU time of the bench database's sessions seen during the run (a session that ended between
        two samples loses at most 0.1 s of its time)."""
        return sum(last - first for first, last in self.backend_cpu.values())

    def report(self) -> dict[str, Any]:
        samples = max(1, self.samples)
        return {"samples": self.samples, "backends_seen": len(self.backend_cpu),
                "sessions_per_sample": {key: round(count / samples, 3) for key, count in self.states.most_common()},
                "lock_waits_per_sample": {key: round(count / samples, 3)
                                          for key, count in self.lock_waits.most_common(6)}}


def run_generator(plan: dict[str, Any], *, mode: str, port: int, compression: float, batch: int, tag: str,
                  server: subprocess.Popen[bytes] | None = None, url: str | None = None) -> dict[str, Any]:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    plan_path, out_path = WORK_DIR / f"plan-{tag}.json", WORK_DIR / f"out-{tag}.json"
    plan_path.write_text(json.dumps(plan))
    command = [sys.executable, str(Path(__file__).resolve()), "--generator", "--plan", str(plan_path), "--out",
               str(out_path), "--mode", mode, "--port", str(port), "--compression", str(compression),
               "--batch", str(batch)]
    workers = server_workers(server.pid) if server is not None else []
    sampler = ActivitySampler(url) if url else None
    access_log = WORK_DIR / "access.log"
    access_log.write_text("")  # gunicorn appends; only this run's requests are read back
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
    assert child.stdout is not None
    line = child.stdout.readline()  # READY: the phones are logged in and start now
    busy_before = machine_busy_seconds()
    workers_before = sum(process_cpu_seconds(pid) for pid in workers)
    generator_before = process_cpu_seconds(child.pid)
    started = time.perf_counter()
    if sampler is not None:
        sampler.start()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    busy = machine_busy_seconds() - busy_before
    workers_cpu = sum(process_cpu_seconds(pid) for pid in workers) - workers_before
    if sampler is not None:
        sampler.stop_event.set()
        sampler.join()
    if child.returncode != 0 or line.strip() != "READY":
        raise SystemExit(f"the load generator failed with {child.returncode}")
    out = json.loads(out_path.read_text())
    plan_path.unlink()
    out_path.unlink()
    out["cpu"] = {"wall_s": wall, "generator_s": usage.ru_utime + usage.ru_stime - generator_before,
                  "server_workers_s": workers_cpu, "machine_busy_s": busy, "cores": os.cpu_count()}
    if sampler is not None:
        out["cpu"]["database_sessions_s"] = sampler.cpu_seconds()
        out["database_activity"] = sampler.report()
    served = [line.split() for line in access_log.read_text().splitlines()]
    out["server_ms"] = [int(fields[0]) / 1000 for fields in served
                        if len(fields) == 4 and fields[2] == "POST" and fields[3] == SYNC_PATH]
    return out


def sessions_read(code: str) -> dict[str, dict[str, str]]:
    """The phones' cookies from an earlier invocation, if their sessions are still valid: logging 200
    users in costs about a minute of PBKDF2 on two cores, and a phone logs in once, not every day."""
    from django.contrib.sessions.backends.db import SessionStore

    path = WORK_DIR / f"sessions-{code}.json"
    if not path.exists():
        return {}
    cookies = json.loads(path.read_text())
    valid = {user: jar for user, jar in cookies.items()
             if jar.get("sessionid") and SessionStore().exists(jar["sessionid"]) and jar.get("csrftoken")}
    print(f"reusing {len(valid)} phone sessions from {path.relative_to(ROOT)}", flush=True)
    return valid


def sessions_write(code: str, cookies: dict[str, dict[str, str]]) -> None:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    (WORK_DIR / f"sessions-{code}.json").write_text(json.dumps(cookies))


# --- measuring and checking ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def measured(out: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
    requests = out["requests"]
    kinds = {item["op"]["id"]: item["op"]["kind"] for phone in plan["phones"] for item in phone["ops"]}
    refused = Counter(f"{kinds.get(client_id, '?')}: {answer.get('status')} {answer.get('code', '')} "
                      f"{str(answer.get('message', ''))[:90]}" for client_id, answer in out["results"].items()
                      if answer.get("status") != "applied")
    latencies = [row["latency"] * 1000 for row in requests]
    statuses = Counter(status for row in requests for status in row["statuses"])
    operations = sum(row["ops"] for row in requests)
    first = min(row["start"] for row in requests)
    last = max(row["start"] + row["latency"] for row in requests)
    elapsed = last - first
    by_kind: dict[str, list[float]] = {}
    for row in requests:
        if row["ops"] == 1:
            by_kind.setdefault(row["kinds"][0], []).append(row["latency"] * 1000)
    figures = {
        "requests": len(requests), "operations": operations,
        "operations_planned": sum(len(phone["ops"]) for phone in plan["phones"]),
        "elapsed_s": elapsed, "requests_per_s": len(requests) / elapsed, "operations_per_s": operations / elapsed,
        "latency_ms": {"p50": percentile(latencies, 50), "p90": percentile(latencies, 90),
                       "p99": percentile(latencies, 99), "max": max(latencies), "mean": statistics.fmean(latencies)},
        "statuses": dict(statuses), "http": dict(Counter(str(row["http"]) for row in requests)),
        "not_applied": dict(refused.most_common(10)),
        "transport_retries": sum(row["attempts"] - 1 for row in requests), "problems": out["problems"][:20],
        "problem_count": len(out["problems"]), "logins": out["logins"], "login_wall_s": out["login_wall_s"],
    }
    cpu = out.get("cpu")
    if cpu:
        # Counted from the moment every phone is logged in to the generator's exit (the logins' PBKDF2
        # is not in it). "other" is whatever else ran on the machine, the bench's own parent included.
        database = cpu.get("database_sessions_s", 0.0)
        other = cpu["machine_busy_s"] - cpu["server_workers_s"] - cpu["generator_s"] - database
        figures["cpu"] = {**cpu, "other_s": other,
                          "machine_utilisation": cpu["machine_busy_s"] / (cpu["wall_s"] * cpu["cores"]),
                          "server_workers_ms_per_op": cpu["server_workers_s"] * 1000 / operations,
                          "database_ms_per_op": database * 1000 / operations}
    if out.get("server_ms"):
        served = out["server_ms"]
        figures["server_ms"] = {"requests": len(served), "p50": percentile(served, 50),
                                "p90": percentile(served, 90), "p99": percentile(served, 99), "max": max(served)}
    if out.get("database_activity"):
        figures["database_activity"] = out["database_activity"]
    if out["mode"] == "online":
        lags = [row["lag"] * 1000 for row in requests if row["lag"] is not None]
        figures["offered_operations_per_s"] = figures["operations_planned"] / out["scheduled_span_s"]
        figures["scheduled_span_s"] = out["scheduled_span_s"]
        figures["send_lag_ms"] = {"p50": percentile(lags, 50), "p99": percentile(lags, 99), "max": max(lags)}
        figures["latency_by_kind_ms"] = {kind: {"n": len(values), "p50": percentile(values, 50),
                                                "p99": percentile(values, 99)} for kind, values in
                                         sorted(by_kind.items())}
    else:
        per_op = [row["latency"] * 1000 / row["ops"] for row in requests if row["ops"]]
        figures["batch_sizes"] = dict(Counter(str(row["ops"]) for row in requests))
        figures["latency_per_operation_in_batch_ms"] = {"p50": percentile(per_op, 50), "p99": percentile(per_op, 99)}
    return figures


def row_counts(code: str) -> dict[str, int]:
    from doorstep.common.models import AuditEntry
    from doorstep.compliance.models import ContactAttempt
    from doorstep.field.models import (
        CheckEvent,
        FieldOperation,
        PositionFix,
        Promise,
        Recording,
        RepaymentPlan,
        SafetyAlert,
        Visit,
        VisitNote,
    )

    visits = Visit.objects.filter(day=DAY, team__code__startswith=f"{code}-")
    return {
        "FieldOperation": FieldOperation.objects.count(),
        "Visit": visits.count(), "Visit closed": visits.filter(status=Visit.Status.CLOSED).count(),
        "CheckEvent": CheckEvent.objects.count(), "PositionFix": PositionFix.objects.count(),
        "Promise": Promise.objects.count(), "RepaymentPlan": RepaymentPlan.objects.count(),
        "RepaymentPlan signed": RepaymentPlan.objects.filter(status=RepaymentPlan.Status.SIGNED).count(),
        "Recording": Recording.objects.count(), "VisitNote": VisitNote.objects.count(),
        "ContactAttempt": ContactAttempt.objects.count(),
        "ContactAttempt completed": ContactAttempt.objects.filter(status=ContactAttempt.Status.COMPLETED).count(),
        "SafetyAlert": SafetyAlert.objects.count(), "AuditEntry": AuditEntry.objects.count(),
    }


def expected_counts(visits: int) -> dict[str, int]:
    return {"FieldOperation": OPS_PER_VISIT * visits, "Visit": visits, "Visit closed": visits,
            "CheckEvent": 4 * visits, "PositionFix": 4 * visits, "Promise": visits, "RepaymentPlan": visits,
            "RepaymentPlan signed": visits, "Recording": visits, "VisitNote": visits, "ContactAttempt": visits,
            "ContactAttempt completed": visits, "SafetyAlert": 0,
            # visit start, attempt start, promise, plan propose, plan sign, recording, attempt finish, close
            "AuditEntry": 8 * visits}


def verify(code: str, plan: dict[str, Any], out: dict[str, Any], *, port: int, batch: int, tag: str) -> dict[str, Any]:
    from django.db import connection

    from doorstep.common.audit import audit_verify
    from doorstep.field.models import FieldOperation

    sent = [item["op"]["id"] for phone in plan["phones"] for item in phone["ops"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM field_fieldoperation WHERE client_id = ANY(%s)", [sent])
        in_ledger = cursor.fetchone()[0]
    visits = len(sent) // OPS_PER_VISIT
    before = row_counts(code)
    wanted = expected_counts(visits)
    mismatched = {name: {"found": before[name], "expected": wanted[name]} for name in wanted if before[name] !=
                  wanted[name]}
    chain = audit_verify()
    connection.close()  # the replay runs while this process waits
    replay_plan = {"phones": plan["phones"], "cookies": out["cookies"]}
    replay = run_generator(replay_plan, mode="replay", port=port, compression=1, batch=batch, tag=f"{tag}-replay")
    replay_statuses = Counter(status for row in replay["requests"] for status in row["statuses"])
    differing = sum(1 for client_id, first in out["results"].items()
                    if replay["results"].get(client_id, {}).get("result") != first.get("result"))
    after = row_counts(code)
    ledger_rows = FieldOperation.objects.count()
    replay_latency = [row["latency"] * 1000 for row in replay["requests"]]
    return {
        "sent": len(sent), "in_ledger": in_ledger, "lost": len(sent) - in_ledger, "ledger_rows": ledger_rows,
        "counts": before, "expected": wanted, "mismatched": mismatched,
        "audit_chain": "intact" if chain is None else f"broken at {chain.sequence}: {chain.problem}",
        "replay": {"statuses": dict(replay_statuses), "results_differing": differing,
                   "requests": len(replay["requests"]), "p50_ms": percentile(replay_latency, 50),
                   "p99_ms": percentile(replay_latency, 99), "wall_s": replay["wall_s"],
                   "problems": replay["problems"][:10]},
        "counts_after_replay": after, "changed_by_replay": {name: [before[name], after[name]] for name in before
                                                            if before[name] != after[name]},
        "duplicated": sum(max(0, after[name] - wanted[name]) for name in wanted),
        "ok": (in_ledger == len(sent) and not mismatched and chain is None and before == after
               and set(replay_statuses) == {"replayed"} and sum(replay_statuses.values()) == len(sent)
               and differing == 0),
    }


# --- explain: queries and time per kind, in this process ---------------------------------------------------


def explain(world: dict[str, Any], *, teams: int, seed: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from doorstep.accounts.models import User
    from doorstep.field.services import operation_apply

    reset_run_tables()
    plan = day_plan(world, run=99, seed=seed, phones=2 * teams)
    items = sorted(((item, phone["username"]) for phone in plan["phones"] for item in phone["ops"]),
                   key=lambda pair: pair[0]["device_s"])
    users = {user.username: user for user in User.objects.filter(username__in={name for _i, name in items})}
    per_kind: dict[str, list[tuple[float, int]]] = {}
    repeated: dict[str, Counter[str]] = {}
    samples: dict[str, list[str]] = {}
    for item, username in items:
        reset_queries()
        user = User.objects.get(pk=users[username].pk)  # a request loads its user afresh
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            outcome = operation_apply(user=user, operation=item["op"])
            seconds = time.perf_counter() - started
        if outcome.status != "applied":
            print(f"  {item['op']['kind']}: {outcome.status} {outcome.body}")
        kind = item["op"]["kind"]
        sql_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        per_kind.setdefault(kind, []).append((seconds * 1000, len(captured.captured_queries), sql_ms))
        templates = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", query["sql"]) for query in captured.captured_queries)
        repeated.setdefault(kind, Counter()).update({sql: count for sql, count in templates.items() if count > 1})
        samples.setdefault(kind, [query["sql"] for query in captured.captured_queries])
    print(f"\nin-process operation_apply, {len(items)} operations of {teams} team(s), median per kind:")
    print("| kind | n | median ms | queries | of which in SQL statements, ms (the commit is not one) |")
    print("|---|---:|---:|---:|---:|")
    for kind, values in per_kind.items():
        print(f"| {kind} | {len(values)} | {statistics.median(v[0] for v in values):.1f} | "
              f"{statistics.median(v[1] for v in values):.0f} | {statistics.median(v[2] for v in values):.1f} |")
    total_ms = sum(v[0] for values in per_kind.values() for v in values)
    total_queries = sum(v[1] for values in per_kind.values() for v in values)
    print(f"mean per operation: {total_ms / len(items):.1f} ms, {total_queries / len(items):.1f} queries")
    print("\nqueries repeated within one operation (template: times per operation, summed over the kind's runs):")
    for kind, counter in repeated.items():
        for sql, count in counter.most_common(4):
            print(f"  {kind}: {count / len(per_kind[kind]):.0f}x {sql[:160]}")
    if os.environ.get("FIELD_SYNC_SQL"):
        for kind, queries in samples.items():
            print(f"\n-- {kind}: {len(queries)} queries")
            for sql in queries:
                print("   ", sql[:220])
    reset_run_tables()


# --- report ------------------------------------------------------------------------------------------------


def machine(url: str) -> dict[str, Any]:
    from django.db import connection

    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    meminfo = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database = cursor.fetchone()[0]
        cursor.execute("SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ', ' ORDER BY name) "
                       "FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'synchronous_commit', "
                       "'max_connections', 'autovacuum')")
        settings = cursor.fetchone()[0]
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    changed = subprocess.run(["git", "status", "--short", "--", "doorstep", "config"], cwd=ROOT,
                             capture_output=True, text=True)
    return {"cpu": cpu.group(1) if cpu else "", "cores": os.cpu_count(),
            "ram_gib": round(int(meminfo.group(1)) / 1024**2, 1) if meminfo else None,
            "python": platform.python_version(), "database": database.split(" on ")[0],
            "database_settings": settings, "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "git": git.stdout.strip(), "git_uncommitted": [line for line in changed.stdout.splitlines() if line],
            "load_average_before": os.getloadavg()}


def median_of(runs: list[dict[str, Any]], *path: str) -> float:
    values = []
    for run in runs:
        value: Any = run
        for key in path:
            value = value[key]
        values.append(value)
    return statistics.median(values)


def summary_rows(scenario: str, runs: list[dict[str, Any]], options: argparse.Namespace) -> list[str]:
    def listing(*path: str, digits: int = 0) -> str:
        values = []
        for run in runs:
            value: Any = run
            for key in path:
                value = value[key]
            values.append(f"{value:,.{digits}f}")
        return ", ".join(values)

    statuses: Counter[str] = Counter()
    for run in runs:
        statuses.update(run["figures"]["statuses"])
    lost = sum(run["check"]["lost"] for run in runs)
    duplicated = sum(run["check"]["duplicated"] for run in runs)
    checks_ok = all(run["check"]["ok"] for run in runs)
    p99 = median_of(runs, "figures", "latency_ms", "p99")
    offered = (f"{median_of(runs, 'figures', 'offered_operations_per_s'):.0f} ops/s offered"
               if scenario == "online" else f"batches of ≤{options.batch}")
    first = runs[0]["figures"]
    cpu = [run["figures"].get("cpu") for run in runs]
    cpu_text = (f"{statistics.median(c['server_workers_ms_per_op'] for c in cpu if c):.1f} + "
                f"{statistics.median(c['database_ms_per_op'] for c in cpu if c):.1f} "
                f"(other {statistics.median(c['other_s'] / c['wall_s'] for c in cpu if c):.2f} cores)"
                if all(cpu) else "")
    served = (f"{median_of(runs, 'figures', 'server_ms', 'p50'):.0f} / "
              f"{median_of(runs, 'figures', 'server_ms', 'p99'):.0f}"
              if all("server_ms" in run["figures"] for run in runs) else "")
    return [
        f"| {scenario} ({offered}) | {first['operations_planned']:,} ops in {first['requests']:,} requests | "
        f"{median_of(runs, 'figures', 'requests_per_s'):.1f} | {median_of(runs, 'figures', 'operations_per_s'):.1f} | "
        f"{median_of(runs, 'figures', 'latency_ms', 'p50'):.0f} | "
        f"{median_of(runs, 'figures', 'latency_ms', 'p90'):.0f} | "
        f"**{p99:.0f}** ({listing('figures', 'latency_ms', 'p99')}) | "
        f"{median_of(runs, 'figures', 'latency_ms', 'max'):.0f} | {served} | {cpu_text} | "
        + ", ".join(f"{status} {count:,}" for status, count in sorted(statuses.items()))
        + f" | {lost} | {duplicated} | "
        f"{'yes' if checks_ok else 'NO'} |",
    ]


def summary(results: dict[str, Any], options: argparse.Namespace) -> str:
    facts = results["machine"]
    lines = [
        f"machine: {facts['cpu']}, {facts['cores']} cores, {facts['ram_gib']} GiB; Python {facts['python']}; "
        f"{facts['database']} ({facts['database_settings']})",
        f"date {facts['date_utc']}, git {facts['git']}"
        + (f" (uncommitted: {'; '.join(facts['git_uncommitted'])})" if facts["git_uncommitted"] else "")
        + f"; load average before {tuple(round(value, 2) for value in facts['load_average_before'])}",
        f"server: {shlex.join(results['server_command'][1:])} (config.settings.production, DEBUG off)",
        f"published plan JSON (scenario + result) read by every operation's stop lookup: "
        f"{results['plan_json_bytes']:,} bytes ({results['options']['plan_json']})",
        f"command: {results['command']}",
        "",
        f"| scenario (median of {options.runs}) | sent per run | requests/s | ops/s | p50 ms | p90 ms | "
        "p99 ms (runs) | "
        "max ms | in the worker p50 / p99 ms | CPU ms/op: gunicorn + PostgreSQL | op results (all runs) | lost | "
        "duplicated | ledger, rows, replay checked |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---|---|---:|---:|---|",
    ]
    verdicts = []
    for scenario, runs in results["scenarios"].items():
        lines += summary_rows(scenario, runs, options)
        p99 = median_of(runs, "figures", "latency_ms", "p99")
        clean = all(run["check"]["ok"] for run in runs)
        verdicts.append(f"{scenario}: p99 {p99:.0f} ms {'<=' if p99 <= 200 else '>'} 200 ms, "
                        f"{'zero lost or duplicated' if clean else 'records LOST OR DUPLICATED'} -> goal "
                        f"{'met' if p99 <= 200 and clean else 'NOT met'}")
    lines += ["", *verdicts]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--phones", type=int, default=200, help="collectors' phones, two per team (default 200)")
    parser.add_argument("--visits", type=int, default=8, help="visits per team on the day (default 8)")
    parser.add_argument("--compression", type=float, default=120,
                        help="online: the day is played this many times faster than real time (default 120)")
    parser.add_argument("--scenario", choices=["online", "burst", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario, each on a fresh data set; median")
    parser.add_argument("--batch", type=int, default=50, help="burst: operations per request (default 50)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker; more than 1 uses gthread")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--plan-json", choices=["realistic", "empty"], default="realistic",
                        help="the published plan's scenario and result JSON: as `plan build` stores them for these "
                             "stops plus --phones unserved candidates (default), or empty as in the tests")
    parser.add_argument("--explain", action="store_true",
                        help="time operation_apply in-process per kind and list its queries; no server")
    parser.add_argument("--explain-teams", type=int, default=2)
    parser.add_argument("--generator", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.generator:
        generator(options)
        return
    if options.phones < 2 or options.phones % 2:
        raise SystemExit("--phones must be an even number: two collectors a team")
    signal.signal(signal.SIGTERM, _stop_on_signal)
    guard = database_guard(options.database_url)
    prepare(options.database_url)
    setup_django(options.database_url)
    world = ensure_world(teams=options.phones // 2, visits=options.visits, seed=options.seed)
    world["plan_json_bytes"] = plan_payload_set(world["code"], kind=options.plan_json, seed=options.seed,
                                                extra_candidates=options.phones)
    print(f"published plan: {options.plan_json} scenario and result JSON, {world['plan_json_bytes']:,} bytes",
          flush=True)
    if options.explain:
        explain(world, teams=options.explain_teams, seed=options.seed)
        return
    from django.db import connection

    scenarios = ["online", "burst"] if options.scenario == "both" else [options.scenario]
    results: dict[str, Any] = {"machine": machine(options.database_url),
                               "command": shlex.join([".venv/bin/python", "bench/field_sync.py", *sys.argv[1:]]),
                               "options": vars(options), "plan_json_bytes": world["plan_json_bytes"],
                               "scenarios": {}}
    connection.close()
    port = free_port()
    server, command = server_start(options.database_url, workers=options.workers, threads=options.threads, port=port)
    results["server_command"] = command
    print(f"gunicorn on 127.0.0.1:{port}: {shlex.join(command[1:])}", flush=True)
    cookies = sessions_read(world["code"])
    try:
        for scenario in scenarios:
            runs = []
            for run in range(1, options.runs + 1):
                reset_run_tables()
                connection.close()
                plan = day_plan(world, run=run, seed=options.seed, phones=options.phones)
                plan["cookies"] = cookies
                tag = f"{scenario}-{run}"
                out = run_generator(plan, mode=scenario, port=port, compression=options.compression,
                                    batch=options.batch, tag=tag, server=server, url=options.database_url)
                cookies = out["cookies"]
                sessions_write(world["code"], cookies)
                figures = measured(out, plan)
                check = verify(world["code"], plan, out, port=port, batch=options.batch, tag=tag)
                connection.close()
                runs.append({"run": run, "figures": figures, "check": check})
                latency = figures["latency_ms"]
                print(f"{scenario} run {run}: {figures['requests']:,} requests, {figures['operations']:,} ops in "
                      f"{figures['elapsed_s']:.1f} s = {figures['requests_per_s']:.1f} req/s, "
                      f"{figures['operations_per_s']:.1f} ops/s"
                      + (f" (offered {figures['offered_operations_per_s']:.1f} ops/s)" if scenario == "online" else "")
                      + f"; latency ms p50 {latency['p50']:.1f} p90 {latency['p90']:.1f} p99 {latency['p99']:.1f} "
                      f"max {latency['max']:.1f}; results {figures['statuses']}; http {figures['http']}; "
                      f"logins {figures['logins']} ({figures['login_wall_s']:.1f} s)", flush=True)
                print(f"  check: lost {check['lost']}, mismatched {check['mismatched'] or 'none'}, audit chain "
                      f"{check['audit_chain']}, replay {check['replay']['statuses']} (differing results "
                      f"{check['replay']['results_differing']}), changed by replay "
                      f"{check['changed_by_replay'] or 'nothing'} -> {'ok' if check['ok'] else 'FAILED'}", flush=True)
                if "cpu" in figures:
                    cpu = figures["cpu"]
                    print(f"  cpu: machine {cpu['machine_utilisation']:.0%} busy over {cpu['wall_s']:.0f} s; "
                          f"gunicorn workers {cpu['server_workers_s']:.1f} s ({cpu['server_workers_ms_per_op']:.1f} "
                          f"ms/op), PostgreSQL sessions {cpu.get('database_sessions_s', 0):.1f} s "
                          f"({cpu['database_ms_per_op']:.1f} ms/op), load generator {cpu['generator_s']:.1f} s, "
                          f"other {cpu['other_s']:.1f} s", flush=True)
                if "server_ms" in figures:
                    served = figures["server_ms"]
                    print(f"  server-side time per request (gunicorn access log, after accept): p50 "
                          f"{served['p50']:.1f} p90 {served['p90']:.1f} p99 {served['p99']:.1f} max "
                          f"{served['max']:.1f} ms", flush=True)
                if "database_activity" in figures:
                    print(f"  database sessions per sample: {figures['database_activity']['sessions_per_sample']}; "
                          f"lock waits: {figures['database_activity']['lock_waits_per_sample'] or 'none'}",
                          flush=True)
                if figures["not_applied"]:
                    print(f"  not applied: {figures['not_applied']}", flush=True)
                if figures["problem_count"]:
                    print(f"  {figures['problem_count']} problems, first: {figures['problems'][:3]}", flush=True)
            results["scenarios"][scenario] = runs
    finally:
        server_stop(server)
    results["load_average_after"] = os.getloadavg()
    out_path = HERE / "data" / "results" / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-field-sync.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=2, default=str))
    text = summary(results, options)
    print()
    print(text)
    print(f"load average after {tuple(round(value, 2) for value in results['load_average_after'])}")
    print(json.dumps({scenario: {"p50_ms": median_of(runs, "figures", "latency_ms", "p50"),
                                 "p99_ms": median_of(runs, "figures", "latency_ms", "p99"),
                                 "requests_per_s": median_of(runs, "figures", "requests_per_s"),
                                 "operations_per_s": median_of(runs, "figures", "operations_per_s"),
                                 "lost": sum(run["check"]["lost"] for run in runs),
                                 "duplicated": sum(run["check"]["duplicated"] for run in runs),
                                 "checks_ok": all(run["check"]["ok"] for run in runs)}
                      for scenario, runs in results["scenarios"].items()}))
    print(f"\nresults: {out_path.relative_to(ROOT)}")
    guard.close()


if __name__ == "__main__":
    main()
