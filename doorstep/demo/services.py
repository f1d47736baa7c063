"""Seed the demo through the product's own path: CSV files into the real importer, then the real
delinquency refresh day by day, then case assignment by the demo supervisor.

Running it again: with the same settings (borrowers, seed, as-of day) it imports nothing and adds
nothing, and only makes sure the people exist; with other settings it refuses, because changed
generated payments would be refused by the importer anyway (payments never change); a database
holding borrowers that are not demo data is refused too, so generated people never mix with a real
book. The settings of the last seeding are kept in the audit log (action `demo.seed`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from doorstep.accounts.models import Agency, Territory
from doorstep.common.audit import audit_append
from doorstep.common.models import AuditEntry
from doorstep.demo.book import ID_PREFIX, book_generate, book_write
from doorstep.demo.case_library import demo_case_library_ensure
from doorstep.demo.compliance import demo_compliance_seed
from doorstep.demo.field import demo_field_plan_ensure
from doorstep.demo.people import (
    DIRECT_AGENCY,
    TEAMS,
    YANTIAN,
    demo_password_check,
    demo_people_ensure,
    demo_teams_by_territory,
)
from doorstep.demo.training import demo_training_ensure
from doorstep.demo.visits import demo_visits_seed
from doorstep.portfolio.core.rows import KINDS
from doorstep.portfolio.delinquency import bucket_scheme, delinquency_refresh
from doorstep.portfolio.models import Borrower, Case, ImportJob
from doorstep.portfolio.services import case_assign, import_job_run

SEED_ACTION = "demo.seed"
DEFAULT_BORROWERS = 2400
DEFAULT_SEED = 20261201
# Refresh history: month-ends of the past year, then every day of the last fortnight.
HISTORY_MONTHS = 12
DAILY_DAYS = 14
# Cases opened this recently stay unassigned: the supervisor's queue of new arrivals.
NEW_CASE_DAYS = 2
SHOWN_ISSUES = 20
# Borrowers living where a team works may have a visit history (doorstep.demo.behaviour).
VISIT_DISTRICTS = frozenset(team.territory_code for team in TEAMS)

Progress = Callable[[str], None]


class DemoError(Exception):
    """The demo cannot be seeded here; the message says why and what to do."""


@dataclass
class SeedReport:
    as_of: date
    seed: int
    borrowers: int
    already_seeded: bool = False
    imported: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # created, updated, unchanged
    field_plan: int | None = None
    refreshed: list[date] = field(default_factory=list)
    assigned: int = 0
    visits: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def refresh_days(as_of: date) -> list[date]:
    """The days the demo refreshes, oldest first (a refresh of an earlier day only adds history)."""
    daily_from = as_of - timedelta(days=DAILY_DAYS - 1)
    days = {daily_from + timedelta(days=offset) for offset in range(DAILY_DAYS)}
    first_of_month = as_of.replace(day=1)
    for _ in range(HISTORY_MONTHS):
        month_end = first_of_month - timedelta(days=1)
        if month_end < daily_from:
            days.add(month_end)
        first_of_month = month_end.replace(day=1)
    return sorted(days)


def _settings(*, borrowers: int, seed: int, as_of: date) -> dict[str, Any]:
    return {"borrowers": borrowers, "seed": seed, "as_of": as_of.isoformat()}


def _previous_settings() -> dict[str, Any] | None:
    entry = AuditEntry.objects.filter(action=SEED_ACTION).order_by("-sequence").first()
    return None if entry is None else dict(entry.data.get("settings", {}))


def _check_database(wanted: dict[str, Any]) -> bool:
    """True when this very demo is already here; raises DemoError when seeding would mix or clash."""
    previous = _previous_settings()
    if previous is not None:
        if previous == wanted:
            return True
        raise DemoError(
            f"this database already holds the demo seeded with --borrowers {previous['borrowers']} "
            f"--seed {previous['seed']} --as-of {previous['as_of']}; other settings would change generated "
            "payments, which the importer refuses. Repeat those settings, or start from an empty database "
            "(delete var/doorstep.sqlite3, or point DATABASE_URL at a new one) and seed again.")
    if Borrower.objects.exclude(external_id__startswith=ID_PREFIX).exists():
        raise DemoError("this database holds borrowers that are not demo data; the demo never mixes generated "
                        "people with a real book. Seed an empty database instead.")
    return False


def _import(*, kind: str, path: Path, by: Any) -> ImportJob:
    job = ImportJob.objects.create(kind=kind, original_name=f"demo/{path.name}", created_by=by)
    job = import_job_run(job_id=job.pk, path=path)
    if job.status != ImportJob.Status.SUCCEEDED:
        issues = "; ".join(f"row {issue.row} {issue.column}={issue.value!r}: {issue.reason}"
                           for issue in job.issues.order_by("row", "id")[:SHOWN_ISSUES])
        raise DemoError(f"the importer rejected the generated {kind} file (job {job.pk}): {job.message}"
                        + (f" — {issues}" if issues else ""))
    return job


def demo_cases_assign(*, by: Any, as_of: date) -> int:
    """Deal unassigned open cases to the teams of their territory, in turn; Yantian's go to the agency
    without staff in Doorstep. Left for the supervisor: cases opened in the last NEW_CASE_DAYS days,
    blocked (illegal-debt) cases, and cases outside any territory (the US and UK borrowers)."""
    teams = demo_teams_by_territory()
    direct_agency = Agency.objects.filter(code=DIRECT_AGENCY).first()
    yantian = Territory.objects.filter(code=YANTIAN).first()
    dealt: dict[int, int] = {}
    assigned = 0
    cases = (Case.objects.filter(status=Case.Status.OPEN, team__isnull=True, agency__isnull=True,
                                 is_collection_blocked=False, territory__isnull=False,
                                 opened_on__lte=as_of - timedelta(days=NEW_CASE_DAYS))
             .order_by("id"))
    # One transaction for the whole deal: each assignment is a savepoint, not a commit of its own.
    with transaction.atomic():
        for case in cases:
            territory_id = case.territory_id
            assert territory_id is not None  # filtered above
            candidates = teams.get(territory_id, [])
            if candidates:
                turn = dealt.get(territory_id, 0)
                dealt[territory_id] = turn + 1
                case_assign(case=case, by=by, team=candidates[turn % len(candidates)], note="demo: by territory")
            elif yantian is not None and direct_agency is not None and territory_id == yantian.pk:
                case_assign(case=case, by=by, agency=direct_agency, note="demo: Yantian is placed with an agency")
            else:
                continue
            assigned += 1
    return assigned


def _case_library(report: SeedReport, users: dict[str, Any], say: Progress) -> None:
    """Yesterday's Futian route with two visits played through the field services, and the training
    cases made from them (doorstep.demo.case_library)."""
    started = time.perf_counter()
    yesterday = timezone.localdate() - timedelta(days=1)
    plan = demo_field_plan_ensure(day=yesterday, users=users)
    made = demo_case_library_ensure(plan=plan, supervisor=users["supervisor"])
    report.seconds["case_library"] = time.perf_counter() - started
    if made:
        say(f"case library: {made} visits of {yesterday.isoformat()} played through the field app's services and "
            f"published as training cases ({report.seconds['case_library']:.1f} s)")


def _field_plan(report: SeedReport, users: dict[str, Any], say: Progress) -> None:
    """Today's route for the field app (built and published by the real planner, once a day)."""
    started = time.perf_counter()
    today = timezone.localdate()
    plan = demo_field_plan_ensure(day=today, users=users)
    report.seconds["plan"] = time.perf_counter() - started
    report.field_plan = plan.pk if plan is not None else None
    if plan is None:
        say(f"no lawful visit to plan for {today.isoformat()} in Futian: the field app shows an empty day")
    else:
        say(f"today's plan for Futian: {plan.served} visits, published ({report.seconds['plan']:.1f} s)")


def demo_seed(*, borrowers: int = DEFAULT_BORROWERS, seed: int = DEFAULT_SEED, as_of: date | None = None,
              progress: Progress | None = None) -> SeedReport:
    """Seed the generated demo book (see the module docstring for what a second run does)."""
    say = progress or (lambda message: None)
    as_of = as_of or timezone.localdate()
    if borrowers < 1:
        raise DemoError("--borrowers must be at least 1")
    demo_password_check()
    report = SeedReport(as_of=as_of, seed=seed, borrowers=borrowers)
    wanted = _settings(borrowers=borrowers, seed=seed, as_of=as_of)
    report.already_seeded = _check_database(wanted)

    started = time.perf_counter()
    users = demo_people_ensure(seed=seed, today=timezone.localdate())
    report.seconds["people"] = time.perf_counter() - started
    say(f"people: {len(users)} demo log-ins and collectors ready")
    started = time.perf_counter()
    training = demo_training_ensure(users=users, today=timezone.localdate(), seed=seed)
    report.seconds["training"] = time.perf_counter() - started
    if training.certified:
        say(f"training: {training.certified} collectors certified through the quizzes "
            f"({training.failed_first} failed a course once first), {training.notices} certificate notices")
    if report.already_seeded:
        say("this demo is already seeded with these settings: nothing imported")
        report.assigned = demo_cases_assign(by=users["supervisor"], as_of=as_of)
        _field_plan(report, users, say)
        return report

    started = time.perf_counter()
    say(f"generating {borrowers:,} borrowers (seed {seed}, as of {as_of.isoformat()}) …")
    book = book_generate(borrowers=borrowers, seed=seed, as_of=as_of, scheme=bucket_scheme(),
                         visit_districts=VISIT_DISTRICTS)
    report.segments = dict(sorted(book.segments.items()))
    report.seconds["generate"] = time.perf_counter() - started
    say("generated " + ", ".join(f"{book.count(kind):,} {kind}" for kind in KINDS)
        + f" in {report.seconds['generate']:.1f} s")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="doorstep-demo-") as directory:
        paths = book_write(book=book, directory=Path(directory))
        for kind in KINDS:
            step = time.perf_counter()
            job = _import(kind=kind, path=paths[kind], by=users["admin"])
            report.imported[kind] = (job.created_count, job.updated_count, job.unchanged_count)
            say(f"imported {kind}: {job.rows_total:,} rows, {job.created_count:,} new "
                f"({time.perf_counter() - step:.1f} s)")
    report.seconds["import"] = time.perf_counter() - started

    started = time.perf_counter()
    for day in refresh_days(as_of):
        summary = delinquency_refresh(as_of=day, by=users["supervisor"])
        report.refreshed.append(day)
        say(f"refreshed {day.isoformat()}: {summary.overdue_loans:,} of {summary.loans:,} loans overdue, "
            f"{summary.open_cases:,} open cases")
    report.seconds["refresh"] = time.perf_counter() - started

    started = time.perf_counter()
    report.assigned = demo_cases_assign(by=users["supervisor"], as_of=as_of)
    report.seconds["assign"] = time.perf_counter() - started
    say(f"assigned {report.assigned:,} open cases to teams and agencies ({report.seconds['assign']:.1f} s)")

    started = time.perf_counter()
    visits = demo_visits_seed(book=book, seed=seed)
    report.visits = visits.recorded
    report.seconds["visits"] = time.perf_counter() - started
    say(f"visit history: {visits.recorded:,} of {visits.generated:,} generated field visits recorded "
        f"({visits.blocked} refused by the rules, {visits.without_case} without a case or team) "
        f"({report.seconds['visits']:.1f} s)")

    started = time.perf_counter()
    history = demo_compliance_seed(as_of=as_of, seed=seed, users=users)
    report.seconds["compliance"] = time.perf_counter() - started
    say(f"compliance history: {history.attempts} calls ({history.blocked} blocked by the rules), "
        f"{history.states} borrower states, {history.overrides} overrides, {history.complaints} complaints "
        f"({report.seconds['compliance']:.1f} s)")
    _case_library(report, users, say)
    _field_plan(report, users, say)
    audit_append(actor=users["admin"], action=SEED_ACTION, subject_type="demo", subject_id=str(seed),
                 data={"settings": wanted, "generated": True, "segments": report.segments})
    return report
