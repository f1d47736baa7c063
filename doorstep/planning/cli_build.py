"""`doorstep plan build`: build the day's plans from the database, solve them as background tasks
and wait for them, then write the scenarios solved and the plans stored (planning-scenario.md)."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from doorstep.accounts.models import Territory
from doorstep.common.errors import DomainError
from doorstep.planning.models import Plan
from doorstep.planning.services import plan_build

POLL_SECONDS = 0.5


def add_build_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--date", required=True, help="the plan's day, YYYY-MM-DD")
    parser.add_argument("--territory", help="a territory code (default: every territory with an active team)")
    parser.add_argument("--scenario-out", help="write the scenario(s) solved here")
    parser.add_argument("--plan-out", help="write the plan(s) stored here")
    parser.add_argument("--time-limit", type=float, help="seconds per territory (default DOORSTEP_PLAN_TIME_LIMIT_S)")
    parser.add_argument("--seed", type=int, default=1)


def _write(path: str, items: list[dict[str, Any]]) -> None:
    payload: Any = items[0] if len(items) == 1 else items
    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def run_build(options: dict[str, Any], *, out: Any, err: Any) -> list[Plan]:
    try:
        day = date.fromisoformat(options["date"])
    except ValueError as error:
        raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD") from error
    territory = None
    if options.get("territory"):
        territory = Territory.objects.filter(code=options["territory"]).first()
        if territory is None:
            raise CommandError(f"no territory with code {options['territory']!r}")
    if options.get("time_limit") is not None and options["time_limit"] <= 0:
        raise CommandError("--time-limit must be positive")
    started = time.perf_counter()
    try:
        plans = plan_build(day=day, territory=territory, time_limit_s=options.get("time_limit"),
                           seed=options.get("seed") or 1)
    except (DomainError, ValueError) as error:
        raise CommandError(str(getattr(error, "message", error))) from error
    err.write(f"built and queued {len(plans)} plan(s) in {time.perf_counter() - started:.1f} s; "
              "waiting for the solver …\n")
    deadline = time.monotonic() + max(plan.time_limit_s for plan in plans) * 2 * len(plans) + 300
    pending = {plan.pk for plan in plans}
    while pending:
        done = set(Plan.objects.filter(pk__in=pending).exclude(status=Plan.Status.SOLVING).values_list("pk", flat=True))
        for plan_id in done:
            plan = Plan.objects.select_related("territory").get(pk=plan_id)
            err.write(f"  {plan.territory.code}: {plan.get_status_display()}, {plan.served} visits, "
                      f"prize {plan.prize}, travel {plan.travel_minutes:.0f} min\n")
            for item in plan.collectors_left_out:
                err.write(f"    not planned: {item['username']} (team {item['team']}): "
                          f"{item['reason'].replace('_', ' ')}\n")
        pending -= done
        if pending and time.monotonic() > deadline:
            raise CommandError(f"plans {sorted(pending)} are still solving; is a Celery worker running?")
        if pending:
            time.sleep(POLL_SECONDS)
    plans = [Plan.objects.get(pk=plan.pk) for plan in plans]
    failed = [plan for plan in plans if plan.status == Plan.Status.FAILED]
    if options.get("scenario_out"):
        _write(options["scenario_out"], [plan.scenario for plan in plans])
    if options.get("plan_out"):
        _write(options["plan_out"], [plan.result for plan in plans])
    out.write(f"{len(plans)} plan(s) for {day.isoformat()} in {time.perf_counter() - started:.1f} s: "
              f"{sum(plan.served for plan in plans)} visits, prize {sum(plan.prize for plan in plans)}\n")
    if failed:
        raise CommandError("; ".join(f"{plan.territory.code}: {plan.message}" for plan in failed))
    return plans
