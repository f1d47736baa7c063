"""Compliance decisions per second for a day's candidate visits, with the contact history in the database.

    .venv/bin/python bench/compliance_decisions.py                       # PostgreSQL, 5 runs
    .venv/bin/python bench/compliance_decisions.py --sqlite --repeats 3  # the same on SQLite
    .venv/bin/python bench/compliance_decisions.py --profile             # one run under cProfile

Steps (see bench/README.md):
1. create the bench database if missing (default doorstep_bench_compliance), `manage.py migrate`;
2. generate a seeded book unless the database already holds one made with the same parameters
   (--regenerate drops and rebuilds it): 20,000 borrowers (CN, US-NY, US-MA, UK-ENG) with one
   loan, some payments, an open case each (some held by one of two agencies), ten contacts for a
   quarter of them, and 30 days of contact history before the planning day (over 600,000
   ContactAttempt rows: calls, SMS, visits and letters by in-house and agency collectors, connected
   or not, some pending, some blocked), approved overrides, complaints, borrower states,
   inconvenient times and contact objections. bulk_create in batches; timed, but not measured;
3. --repeats times, each in a fresh process (so a cold selector and a fresh connection): load
   every open case's Subject with `subjects_for` (the database part), build 5 candidate visits per
   case on the planning day (08:00-21:00 on the planning team's clock, 45 minutes, team of 2),
   then `engine.decide(subject, attempt, find_next=False)` for each one. Load, decide, total and
   decisions/s are reported separately, with allowed/blocked counts by rule. Not part of the goal,
   the same process then times `find_next=True` on the blocked candidates and `allowed_intervals`
   for the day for every case (the planner's question). Peak RSS of each run from os.wait4;
4. print the median over the runs and every run, and write bench/data/results/<UTC>-compliance.json.

The goal (issue): 100,000 decisions in under 5 s, including the database load.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import itertools
import json
import os
import platform
import pstats
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/doorstep_bench_compliance"
SQLITE_PATH = HERE / "data" / "compliance.sqlite3"
PLANNING_DAY = date(2026, 12, 1)  # a Tuesday
GENERATOR_VERSION = 1
MANIFEST_TABLE = "bench_compliance_manifest"
JURISDICTIONS = (("CN", 0.85), ("US-NY", 0.06), ("US-MA", 0.04), ("UK-ENG", 0.05))
TEAM_ZONE = {"CN": "Asia/Shanghai", "US-NY": "America/New_York", "US-MA": "America/New_York",
             "UK-ENG": "Europe/London"}
VISIT_MINUTES = 45
TEAM_SIZE = 2
FIRST_START, LAST_START, STEP = 8 * 60, 21 * 60, 15  # candidate start times on the team's clock


# --- setup ---------------------------------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # as in production: no query log
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def server_url(url: str, database: str = "postgres") -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str, *, drop: bool) -> None:
    """Create the bench database if it is missing (dropping it first with `drop`)."""
    if not is_postgres(url):
        path = Path(urlsplit(url).path)
        if drop:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = database_name(url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing an unusual database name {name!r}")
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        if drop:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f"CREATE DATABASE {name}")
            print(f"created database {name}", flush=True)


def drop_database(url: str) -> None:
    if not is_postgres(url):
        ensure_database(url, drop=True)
        return
    import psycopg

    with psycopg.connect(server_url(url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database_name(url)} WITH (FORCE)")


def migrate(url: str) -> float:
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


# --- the book --------------------------------------------------------------------------------------------


def manifest_wanted(options: argparse.Namespace) -> dict[str, Any]:
    return {"generator": GENERATOR_VERSION, "borrowers": options.borrowers, "seed": options.seed,
            "day": options.day.isoformat(), "history_days": options.history_days}


def manifest_read() -> dict[str, Any] | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MANIFEST_TABLE} (name varchar(40) PRIMARY KEY, value text)")
        cursor.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE name = 'book'")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def manifest_write(manifest: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MANIFEST_TABLE} WHERE name = 'book'")
        cursor.execute(f"INSERT INTO {MANIFEST_TABLE} (name, value) VALUES ('book', %s)", [json.dumps(manifest)])


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def _local(day: date, minute: int, zone: str) -> datetime:
    return datetime.combine(day, clock(0), tzinfo=ZoneInfo(zone)) + timedelta(minutes=minute)


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _rate(ppm: int) -> Decimal:
    return Decimal(ppm).scaleb(-6)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def contact_attempt(rng: random.Random, serial: int, *, case: Any, borrower: Any, staff: list[Any], at: datetime,
                    channel: str, party: str = "debtor", contact: Any = None, status: str = "completed",
                    connected: bool = False, number: tuple[str, str] = ("", "mobile"), purpose: str = "",
                    **extra: Any) -> Any:
    from doorstep.compliance.models import ContactAttempt

    collector = rng.choice(staff)
    rules = ["CN-CALL-CONNECT"] if status == "blocked" else []
    if not purpose:
        purpose = "collect" if party in ("debtor", "guarantor", "co_obligor") else "locate"
    return ContactAttempt(
        idempotency_key=f"bench-{serial}", case=case, borrower=borrower, contact=contact, party=party,
        channel=channel, purpose=purpose, number_digest=number[0], number_kind=number[1], at=at, status=status,
        collector=collector, agency_id=collector.agency_id, rules=rules, reason="bench: blocked" if rules else "",
        connected=connected and status != "blocked",
        completed_at=at + timedelta(minutes=3) if status == "completed" else None,
        outcome=("connected" if connected else "no_answer") if status == "completed" else "", **extra)


def generate(options: argparse.Namespace) -> dict[str, Any]:
    """Write the seeded book with bulk_create; returns row counts."""
    from django.db import transaction

    from doorstep.accounts.models import Agency, Role, User
    from doorstep.compliance.models import (
        BorrowerState,
        Complaint,
        ContactAttempt,
        ContactObjection,
        InconvenientTime,
        Override,
    )
    from doorstep.portfolio.core.jurisdiction import parse_jurisdiction
    from doorstep.portfolio.models import Borrower, CapFlag, Case, Contact, Loan, Payment

    rng = random.Random(options.seed)
    day: date = options.day
    batch = 5000
    counts: Counter[str] = Counter()
    good = Agency.objects.create(code="BENCH-AG-1", name="Bench agency one", contract_reference="C-2026-001",
                                 contract_ends_on=day + timedelta(days=300), is_published=True,
                                 last_reviewed_on=day - timedelta(days=120))
    # Holds a few cases; its yearly review is overdue, so CN-AGENCY blocks its CN visits.
    stale = Agency.objects.create(code="BENCH-AG-2", name="Bench agency two", contract_reference="C-2025-014",
                                  contract_ends_on=day + timedelta(days=60), is_published=True,
                                  last_reviewed_on=day - timedelta(days=400))
    users = [User(username=f"bench-collector-{n}", password="!", role=Role.COLLECTOR,
                  agency=None if n < 30 else good if n < 40 else stale) for n in range(50)]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith="bench-collector-").order_by("username"))
    in_house = [user for user in users if user.agency_id is None]
    by_agency = {good.pk: [u for u in users if u.agency_id == good.pk],
                 stale.pk: [u for u in users if u.agency_id == stale.pk]}
    supervisor = User.objects.create(username="bench-supervisor", password="!", role=Role.SUPERVISOR)

    chunk_size = 1000
    serial = itertools.count(1)
    for first in range(0, options.borrowers, chunk_size):
        numbers = range(first, min(first + chunk_size, options.borrowers))
        with transaction.atomic():
            borrowers = []
            for n in numbers:
                jurisdiction = _pick(rng, JURISDICTIONS)
                zone = TEAM_ZONE[jurisdiction]
                if jurisdiction == "CN" and rng.random() < 0.05:
                    zone = "Asia/Urumqi"  # Xinjiang time: two hours behind the team's Beijing clock
                elif jurisdiction == "US-NY" and rng.random() < 0.15:
                    zone = "America/Chicago"  # moved away: a time must suit both zones (US-HOURS)
                flags = ["hardship"] if rng.random() < 0.01 else []
                borrowers.append(Borrower(
                    external_id=f"CB{n:06d}", name=f"Bench borrower {n}", jurisdiction=jurisdiction,
                    country=parse_jurisdiction(jurisdiction).country, timezone=zone, flags=flags,
                    language="zh" if jurisdiction == "CN" else "en"))
            Borrower.objects.bulk_create(borrowers, batch_size=batch)
            currency = {"CN": "CNY", "US-NY": "USD", "US-MA": "USD", "UK-ENG": "GBP"}
            loans = [Loan(external_id=f"CL{n:06d}", borrower=b, currency=currency[b.jurisdiction],
                          principal=_money(rng.randrange(200_000, 4_990_000, 100)),
                          disbursed_on=day - timedelta(days=rng.randint(60, 900)),
                          annual_rate=_rate(rng.randrange(72_000, 380_000)),
                          annual_cost=_rate(rng.randrange(72_000, 380_000)))
                     for n, b in zip(numbers, borrowers, strict=True)]
            Loan.objects.bulk_create(loans, batch_size=batch)
            payments = []
            for loan in loans:
                for k in range(rng.choice((0, 0, 1, 2, 3))):
                    paid_on = day - timedelta(days=rng.randint(1, 120))
                    payments.append(Payment(external_id=f"{loan.external_id}-P{k}", loan=loan, paid_on=paid_on,
                                            paid_at=datetime.combine(paid_on, clock(10), tzinfo=UTC),
                                            amount=_money(rng.randrange(10_000, 200_000, 100)), channel="bank"))
            Payment.objects.bulk_create(payments, batch_size=batch)
            cases = []
            for borrower in borrowers:
                roll = rng.random()
                agency = good if roll < 0.20 else stale if roll < 0.24 else None
                dpd = rng.randint(1, 400) if rng.random() > 0.01 else rng.randint(1100, 1500)
                flag = CapFlag.ILLEGAL if rng.random() < 0.02 else CapFlag.OVER_CAP if rng.random() < 0.05 \
                    else CapFlag.OK
                cases.append(Case(borrower=borrower, opened_on=day - timedelta(days=dpd), as_of=day - timedelta(days=1),
                                  currency=currency[borrower.jurisdiction], max_dpd=dpd,
                                  bucket=f"M{min(6, (dpd + 29) // 30)}",
                                  overdue_amount=_money(rng.randrange(10_000, 900_000)),
                                  cap_flag=flag, agency=agency))
            Case.objects.bulk_create(cases, batch_size=batch)
            contacts = []
            for borrower in borrowers:
                if rng.random() < 0.25:
                    roles = ["guarantor", "co_obligor", "employer"] + ["contact"] * 7
                    for k, role in enumerate(roles):
                        contacts.append(Contact(external_id=f"{borrower.external_id}-C{k}", borrower=borrower,
                                                role=role, name=f"Contact {k}", phone_digest=_digest(
                                                    f"{borrower.external_id}-C{k}"), source="application"))
            Contact.objects.bulk_create(contacts, batch_size=batch)
            contacts_of: dict[int, list[Contact]] = {}
            for contact in contacts:
                contacts_of.setdefault(contact.borrower_id, []).append(contact)
            ContactObjection.objects.bulk_create(
                [ContactObjection(contact=c, recorded_at=_local(day - timedelta(days=5), 600, "UTC"), note="bench")
                 for c in contacts if c.role == "contact" and rng.random() < 0.02], batch_size=batch)

            attempts = []
            states, overrides, complaints, inconvenient = [], [], [], []
            for borrower, case in zip(borrowers, cases, strict=True):
                zone = borrower.timezone
                team_zone = TEAM_ZONE[borrower.jurisdiction]
                staff = by_agency[case.agency_id] if case.agency_id else in_house
                numbers_of = [(_digest(f"{borrower.external_id}-m"), "mobile"), (_digest(f"{borrower.external_id}-h"),
                                                                                 "home"),
                              (_digest(f"{borrower.external_id}-w"), "work")]
                own_contacts = contacts_of.get(borrower.pk, [])

                def attempt(**fields: Any) -> None:
                    attempts.append(contact_attempt(rng, next(serial), case=case, borrower=borrower,  # noqa: B023
                                                    staff=staff, **fields))  # noqa: B023

                for _ in range(15 + rng.randint(0, 32)):
                    offset = rng.randint(1, options.history_days)
                    at = _local(day - timedelta(days=offset), rng.randint(8 * 60, 21 * 60 - 1), team_zone)
                    roll = rng.random()
                    channel = "call" if roll < 0.80 else "sms"
                    if own_contacts and rng.random() < 0.15:
                        contact = rng.choice(own_contacts)
                        party = contact.role
                        number = (contact.phone_digest, "mobile")
                    else:
                        contact, party = None, "debtor"
                        number = rng.choices(numbers_of, (0.8, 0.12, 0.08))[0]
                    status = "blocked" if rng.random() < 0.04 else "pending" if offset == 1 and rng.random() < 0.2 \
                        else "completed"
                    connected = rng.random() < (0.35 if channel == "call" else 0.95)
                    conversation = channel == "call" and connected and borrower.country == "US"
                    attempt(at=at, channel=channel, party=party, contact=contact, status=status, connected=connected,
                            number=number, conversation=conversation)
                if rng.random() < 0.22:  # one field visit within the last 30 days (DS-VISIT-FREQ, US-MA)
                    at = _local(day - timedelta(days=rng.randint(1, 29)), rng.randint(9 * 60, 19 * 60), team_zone)
                    attempt(at=at, channel="visit", connected=rng.random() < 0.6, duration_minutes=VISIT_MINUTES,
                            team_size=TEAM_SIZE)
                if rng.random() < 0.03:  # a visit the engine refused, logged; it counts for nothing
                    at = _local(day - timedelta(days=rng.randint(1, 29)), rng.randint(9 * 60, 19 * 60), team_zone)
                    attempt(at=at, channel="visit", status="blocked", duration_minutes=VISIT_MINUTES,
                            team_size=TEAM_SIZE)
                if borrower.country == "UK" and rng.random() < 0.75:  # UK-VISIT: notice first, 7 days ahead
                    at = _local(day - timedelta(days=rng.randint(2, 25)), 9 * 60, zone)
                    attempt(at=at, channel="letter", connected=True, notice_kind="visit_notice", purpose="notice")
                if borrower.country == "UK" and rng.random() < 0.2:
                    at = _local(day - timedelta(days=rng.randint(2, 60)), 9 * 60, zone)
                    attempt(at=at, channel="letter", connected=True, notice_kind="default_notice", purpose="notice")

                if rng.random() < 0.02:
                    received = _local(day - timedelta(days=rng.randint(0, 25)), rng.randint(9 * 60, 18 * 60), zone)
                    complaints.append(Complaint(
                        case=case, borrower=borrower, collector=rng.choice(staff), received_at=received,
                        received_via="hotline", summary="bench complaint", recorded_by=supervisor,
                        visits_paused_until=received + timedelta(days=14), answer_due_at=received + timedelta(hours=72),
                        status="open" if received > _local(day - timedelta(days=5), 0, zone) else "resolved"))
                if rng.random() < 0.03:
                    choices = {"CN": ("unreachable", "deceased", "unreachable", "unreachable"),
                               "US": ("dispute", "attorney", "cease_contact", "no_workplace_contact"),
                               "UK": ("vulnerable", "hardship", "breathing_space", "dispute")}[borrower.country]
                    states.append(BorrowerState(borrower=borrower, state=rng.choice(choices), reason="bench",
                                                set_by=supervisor, set_at=_local(day - timedelta(days=40), 600, zone)))
                if rng.random() < 0.02:  # the debtor asked for an evening or workplace visit, approved
                    rule = {"CN": "CN-HOURS", "US": "US-MA" if borrower.jurisdiction == "US-MA" else "US-HOURS",
                            "UK": "UK-TIMES"}[borrower.country]
                    starts = _local(day, 19 * 60, zone)
                    overrides.append(Override(
                        borrower=borrower, case=case, rule_id=rule, starts_at=starts,
                        ends_at=starts + timedelta(hours=4),
                        evidence="recorded call", status="approved", requested_by=rng.choice(staff),
                        requested_at=starts - timedelta(days=2), decided_by=supervisor,
                        decided_at=starts - timedelta(days=1)))
                if borrower.country in ("US", "UK") and rng.random() < 0.10:
                    start = rng.choice((12 * 60, 17 * 60, 18 * 60))
                    inconvenient.append(InconvenientTime(borrower=borrower, start_minute=start, end_minute=start + 120,
                                                         weekdays=rng.choice(([], [0, 1, 2, 3, 4])),
                                                         recorded_at=_local(day - timedelta(days=30), 600, zone)))
            ContactAttempt.objects.bulk_create(attempts, batch_size=batch)
            Complaint.objects.bulk_create(complaints, batch_size=batch)
            BorrowerState.objects.bulk_create(states, batch_size=batch)
            Override.objects.bulk_create(overrides, batch_size=batch)
            InconvenientTime.objects.bulk_create(inconvenient, batch_size=batch)
        for name, rows in (("borrowers", borrowers), ("loans", loans), ("payments", payments), ("cases", cases),
                           ("contacts", contacts), ("contact_attempts", attempts), ("complaints", complaints),
                           ("borrower_states", states), ("overrides", overrides),
                           ("inconvenient_times", inconvenient)):
            counts[name] += len(rows)
        print(f"  {numbers.stop:,} borrowers, {counts['contact_attempts']:,} attempts", flush=True)
    counts["contact_objections"] = ContactObjection.objects.count()
    counts["contact_attempts_blocked"] = ContactAttempt.objects.filter(status="blocked").count()
    counts["contact_attempts_pending"] = ContactAttempt.objects.filter(status="pending").count()
    counts["visits"] = ContactAttempt.objects.filter(channel="visit").count()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return dict(counts)


def ensure_book(options: argparse.Namespace) -> dict[str, Any]:
    from doorstep.portfolio.models import Borrower

    wanted = manifest_wanted(options)
    found = manifest_read()
    if found is not None and {key: found.get(key) for key in wanted} == wanted:
        print(f"reusing the book in the database (generated in {found['generate_seconds']:.1f} s)", flush=True)
        return found
    if Borrower.objects.exists():
        raise SystemExit("the bench database holds another book: rerun with --regenerate")
    print("generating the book...", flush=True)
    started = time.perf_counter()
    counts = generate(options)
    manifest = {**wanted, "rows": counts, "generate_seconds": round(time.perf_counter() - started, 1)}
    manifest_write(manifest)
    print(f"generated in {manifest['generate_seconds']} s: {json.dumps(counts)}", flush=True)
    return manifest


# --- one measured run (a fresh process) ------------------------------------------------------------------


def candidates_for(subjects: dict[int, Any], case_rows: list[tuple[int, int, str]], *, day: date, per_case: int,
                   seed: int) -> list[tuple[Any, Any]]:
    """(subject, attempt) pairs: `per_case` distinct start times per case on the planning team's clock."""
    from doorstep.compliance.core.model import Attempt, Channel, Place

    rng = random.Random(seed)
    slots = list(range(FIRST_START, LAST_START + 1, STEP))
    midnights = {zone: datetime.combine(day, clock(0), tzinfo=ZoneInfo(zone)) for zone in set(TEAM_ZONE.values())}
    pairs = []
    for _case_id, borrower_id, jurisdiction in case_rows:
        subject = subjects[borrower_id]
        midnight = midnights[TEAM_ZONE.get(jurisdiction, "Asia/Shanghai")]
        for minute in sorted(rng.sample(slots, per_case)):
            place = Place.WORKPLACE if rng.random() < 0.05 else Place.HOME
            pairs.append((subject, Attempt(channel=Channel.VISIT, at=midnight + timedelta(minutes=minute), place=place,
                                           duration_minutes=VISIT_MINUTES, team_size=TEAM_SIZE)))
    return pairs


def measure(options: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from doorstep.compliance.selectors import engine_for_lender, subjects_for
    from doorstep.portfolio.models import Case

    day: date = options.day
    around = datetime.combine(day, clock(12), tzinfo=UTC)
    connection.close()  # the timed load opens its own connection
    started = time.perf_counter()
    engine = engine_for_lender()
    case_rows = list(Case.objects.filter(status=Case.Status.OPEN).order_by("id").values_list(
        "id", "borrower_id", "borrower__jurisdiction"))
    from doorstep.compliance.core.model import Channel as HistoryChannel

    # The planner asks only about visits, so by default it loads the history visits depend on (every
    # visit, and any contact with a third party); --history all loads every call, SMS and letter too.
    channels = None if options.history == "all" else [HistoryChannel.VISIT]
    subjects = subjects_for(borrower_ids=[borrower_id for _, borrower_id, _ in case_rows], around=around,
                            channels=channels)
    load_seconds = time.perf_counter() - started
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    started = time.perf_counter()
    pairs = candidates_for(subjects, case_rows, day=day, per_case=options.per_case, seed=options.seed)
    build_seconds = time.perf_counter() - started

    decide = engine.decide
    started = time.perf_counter()
    decisions = engine.decide_many(pairs)
    decide_seconds = time.perf_counter() - started

    by_rule: Counter[str] = Counter()
    only_rule: Counter[str] = Counter()
    blocked = []
    for pair, decision in zip(pairs, decisions, strict=True):
        if not decision.allowed:
            rules = decision.rules
            by_rule.update(rules)
            if len(rules) == 1:
                only_rule[rules[0]] += 1
            blocked.append(pair)
    history_events = sum(len(subject.history) for subject in subjects.values())
    result: dict[str, Any] = {
        "cases": len(case_rows), "subjects": len(subjects), "history_events": history_events,
        "decisions": len(decisions), "allowed": len(decisions) - len(blocked), "blocked": len(blocked),
        "blocked_by_rule": dict(by_rule.most_common()), "blocked_by_that_rule_alone": dict(only_rule.most_common()),
        "load_seconds": load_seconds, "build_seconds": build_seconds, "decide_seconds": decide_seconds,
        "total_seconds": load_seconds + decide_seconds,
        "decisions_per_second": len(decisions) / (load_seconds + decide_seconds),
        "decide_only_per_second": len(decisions) / decide_seconds, "rss_after_load_bytes": rss_after_load,
    }
    del decisions

    if options.find_next_limit != 0:
        sample = blocked if options.find_next_limit < 0 else blocked[:options.find_next_limit]
        started = time.perf_counter()
        found = sum(1 for subject, attempt in sample if decide(subject, attempt).next_allowed_at is not None)
        seconds = time.perf_counter() - started
        result["find_next"] = {"decisions": len(sample), "with_next_allowed_at": found, "seconds": seconds,
                               "per_second": len(sample) / seconds if seconds else None}
    if options.intervals_cases != 0:
        from doorstep.compliance.core.model import Attempt, Channel

        rows = case_rows if options.intervals_cases < 0 else case_rows[:options.intervals_cases]
        visit = Attempt(channel=Channel.VISIT, at=around, duration_minutes=VISIT_MINUTES, team_size=TEAM_SIZE)
        started = time.perf_counter()
        with_time = sum(1 for _, borrower_id, _ in rows if engine.allowed_intervals(subjects[borrower_id], visit, day))
        seconds = time.perf_counter() - started
        result["allowed_intervals"] = {"cases": len(rows), "cases_with_an_allowed_span": with_time,
                                       "seconds": seconds, "per_second": len(rows) / seconds if seconds else None}
    return result


def worker(options: argparse.Namespace) -> None:
    setup_django(options.database_url)
    if options.profile_to:
        profiler = cProfile.Profile()
        result = profiler.runcall(measure, options)
        profiler.dump_stats(options.profile_to)
    else:
        result = measure(options)
    result["peak_rss_self_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print("RESULT " + json.dumps(result), flush=True)


def run_worker(options: argparse.Namespace, *, profile_to: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--database-url", options.database_url,
               "--day", options.day.isoformat(), "--seed", str(options.seed), "--per-case", str(options.per_case),
               "--find-next-limit", str(options.find_next_limit), "--intervals-cases", str(options.intervals_cases),
               "--history", options.history]
    if profile_to is not None:
        command += ["--profile-to", str(profile_to)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"run failed: {shlex.join(command)}\n{stdout}\n{stderr}")
    line = next(line for line in stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    result.update(process_wall_seconds=wall, peak_rss_bytes=usage.ru_maxrss * 1024,
                  load_average_after=os.getloadavg())
    return result


# --- report --------------------------------------------------------------------------------------------


def machine(url: str) -> dict[str, Any]:
    from django.db import connection

    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    meminfo = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            database = cursor.fetchone()[0]
            cursor.execute("SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ', ' ORDER BY name) "
                           "FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', "
                           "'effective_cache_size', 'synchronous_commit')")
            settings = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database, settings = f"SQLite {cursor.fetchone()[0]}", ""
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    changed = subprocess.run(["git", "status", "--short", "--", "doorstep", "config"], cwd=ROOT,
                             capture_output=True, text=True)
    return {"cpu": cpu.group(1) if cpu else "", "cores": os.cpu_count(),
            "ram_gib": round(int(meminfo.group(1)) / 1024**2, 1) if meminfo else None,
            "python": platform.python_version(), "database": database, "database_settings": settings,
            "database_url": url, "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "git": git.stdout.strip(), "git_uncommitted": [line for line in changed.stdout.splitlines() if line]}


def summary(results: dict[str, Any]) -> str:
    runs = results["runs"]

    def med(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    def listing(key: str, digits: int = 2) -> str:
        return ", ".join(f"{run[key]:.{digits}f}" for run in runs)

    first = runs[0]
    facts = results["machine"]
    lines = [
        f"machine: {facts['cpu']}, {facts['cores']} cores, {facts['ram_gib']} GiB; Python {facts['python']}; "
        f"{facts['database']}",
        f"date {facts['date_utc']}, git {facts['git']}"
        + (f" (uncommitted: {'; '.join(facts['git_uncommitted'])})" if facts["git_uncommitted"] else ""),
        f"book: {json.dumps(results['book'].get('rows', {}))}",
        f"planning day {results['day']}: {first['cases']:,} open cases, {first['history_events']:,} history events "
        f"loaded, {first['decisions']:,} candidate visits",
        "",
        f"| measure (median of {len(runs)} runs, each a fresh process) | median | runs |",
        "|---|---:|---|",
        f"| load: `subjects_for` for every open case (s) | {med('load_seconds'):.2f} | {listing('load_seconds')} |",
        f"| decide: `engine.decide(..., find_next=False)` × {first['decisions']:,} (s) | {med('decide_seconds'):.2f} "
        f"| {listing('decide_seconds')} |",
        f"| **total: load + decide (s)** | **{med('total_seconds'):.2f}** | {listing('total_seconds')} |",
        f"| decisions/s, including the load | {med('decisions_per_second'):,.0f} | "
        f"{listing('decisions_per_second', 0)} |",
        f"| decisions/s, decide alone | {med('decide_only_per_second'):,.0f} | "
        f"{listing('decide_only_per_second', 0)} |",
        f"| building the candidate attempts (s, not counted) | {med('build_seconds'):.2f} | "
        f"{listing('build_seconds')} |",
        f"| peak RSS of the run (MiB) | {med('peak_rss_bytes') / 2**20:.0f} | "
        + ", ".join(f"{run['peak_rss_bytes'] / 2**20:.0f}" for run in runs) + " |",
        f"| RSS after the load (MiB) | {med('rss_after_load_bytes') / 2**20:.0f} | |",
    ]
    if "find_next" in first:
        seconds = statistics.median(run["find_next"]["seconds"] for run in runs)
        lines.append(f"| `find_next=True` on {first['find_next']['decisions']:,} blocked candidates (s; "
                     f"{first['find_next']['with_next_allowed_at']:,} got a next moment) | {seconds:.2f} | "
                     + ", ".join(f"{run['find_next']['seconds']:.2f}" for run in runs) + " |")
    if "allowed_intervals" in first:
        seconds = statistics.median(run["allowed_intervals"]["seconds"] for run in runs)
        lines.append(f"| `allowed_intervals` for the day, {first['allowed_intervals']['cases']:,} cases (s; "
                     f"{first['allowed_intervals']['cases_with_an_allowed_span']:,} with an allowed span) | "
                     f"{seconds:.2f} | " + ", ".join(f"{run['allowed_intervals']['seconds']:.2f}" for run in runs)
                     + " |")
    lines += ["", f"allowed {first['allowed']:,}, blocked {first['blocked']:,}; blocked by rule (a decision may "
                  f"name several): " + ", ".join(f"{rule} {count:,}" for rule, count in
                                                  first["blocked_by_rule"].items()),
              "blocked by that rule alone: " + ", ".join(f"{rule} {count:,}" for rule, count in
                                                        first["blocked_by_that_rule_alone"].items())]
    goal = med("total_seconds") < 5 and first["decisions"] >= 100_000
    lines.append(f"goal (100,000 decisions in under 5 s including the load): {'met' if goal else 'NOT met'}")
    return "\n".join(lines)


def print_profile(path: Path, limit: int = 30) -> None:
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="the PostgreSQL bench database")
    parser.add_argument("--sqlite", action="store_true", help=f"use SQLite ({SQLITE_PATH.relative_to(ROOT)}) instead")
    parser.add_argument("--borrowers", type=int, default=20_000)
    parser.add_argument("--history-days", type=int, default=30)
    parser.add_argument("--per-case", type=int, default=5, help="candidate start times per case")
    parser.add_argument("--history", choices=["visits", "all"], default="visits",
                        help="load the history visits depend on (the planner's load), or every contact")
    parser.add_argument("--day", type=date.fromisoformat, default=PLANNING_DAY, help="the planning day")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--find-next-limit", type=int, default=2000,
                        help="time find_next=True on the first N blocked candidates (default 2000; -1: all, 0: skip)")
    parser.add_argument("--intervals-cases", type=int, default=-1,
                        help="time allowed_intervals for this many cases (-1: all, 0: skip)")
    parser.add_argument("--regenerate", action="store_true", help="drop the bench database and generate afresh")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--profile", action="store_true", help="one run under cProfile; top functions printed")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.sqlite:
        options.database_url = f"sqlite:///{SQLITE_PATH}"
    if options.worker:
        worker(options)
        return

    ensure_database(options.database_url, drop=options.regenerate)
    migrate_seconds = migrate(options.database_url)
    setup_django(options.database_url)
    book = ensure_book(options)
    results: dict[str, Any] = {"machine": machine(options.database_url), "book": book,
                               "day": options.day.isoformat(), "migrate_seconds": migrate_seconds,
                               "command": shlex.join([".venv/bin/python", "bench/compliance_decisions.py",
                                                      *sys.argv[1:]]), "runs": []}
    from django.db import connection

    connection.close()
    if options.profile:
        profile = HERE / "data" / "profiles" / "compliance-decisions.prof"
        profile.parent.mkdir(parents=True, exist_ok=True)
        results["runs"].append(run_worker(options, profile_to=profile))
        print_profile(profile)
    else:
        for n in range(options.repeats):
            run = run_worker(options)
            results["runs"].append(run)
            print(f"run {n + 1}: load {run['load_seconds']:.2f} s, decide {run['decide_seconds']:.2f} s, "
                  f"total {run['total_seconds']:.2f} s, {run['decisions_per_second']:,.0f} decisions/s, "
                  f"peak RSS {run['peak_rss_bytes'] / 2**20:.0f} MiB", flush=True)
    out = HERE / "data" / "results" / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-compliance.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print()
    print(summary(results))
    print(f"\nresults: {out.relative_to(ROOT)}")
    if options.drop:
        drop_database(options.database_url)
        print("bench database dropped")


if __name__ == "__main__":
    main()
