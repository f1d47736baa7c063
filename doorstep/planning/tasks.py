"""Background work of the planner: solving takes seconds to minutes, so it never runs in a request."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="planning.plan_solve")
def plan_solve_task(*, plan_id: int) -> str:
    """Idempotent: a plan already solved (or failed) is left as it is."""
    from doorstep.planning.services import plan_solve

    return str(plan_solve(plan_id=plan_id).status)
