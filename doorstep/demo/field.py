"""Today's visit plan for the demo's Futian team, so the field app has a route to show: built by the
real planner from the generated book (lawful windows from the compliance engine) and published by
the demo supervisor. Idempotent: a day that already has a published plan is left alone."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from doorstep.accounts.models import Territory
from doorstep.common.errors import DomainError
from doorstep.planning.models import Plan
from doorstep.planning.services import plan_build, plan_publish, plan_solve

FIELD_TERRITORY = "440304"  # Futian: the demo collector's team (see doorstep.demo.people.TEAMS)


def demo_field_plan_ensure(*, day: date, users: dict[str, Any]) -> Plan | None:
    """The published plan of `day` for the Futian territory, building and publishing one if needed.
    Returns None when the planner finds nothing lawful to plan (e.g. every case is paused)."""
    territory = Territory.objects.filter(code=FIELD_TERRITORY).first()
    if territory is None:
        return None
    published = Plan.objects.filter(day=day, territory=territory, status=Plan.Status.PUBLISHED).first()
    if published is not None:
        return published
    supervisor = users["supervisor"]
    try:
        # Solved here rather than by the queued task: the task finds it solved and does nothing.
        with transaction.atomic():
            [plan] = plan_build(day=day, by=supervisor, territory=territory,
                                time_limit_s=settings.DOORSTEP_DEMO_PLAN_TIME_LIMIT_S)
            plan = plan_solve(plan_id=plan.pk)
            if plan.status != Plan.Status.READY or not plan.routes.exists():
                return None
            return plan_publish(plan=plan, by=supervisor)
    except DomainError:
        return None
