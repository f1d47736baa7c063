"""Background work of the portfolio: each task takes ids, calls one service and is idempotent."""

from __future__ import annotations

from datetime import date

from celery import shared_task


@shared_task(name="portfolio.import_job_run")
def import_job_run_task(*, job_id: int) -> str:
    from doorstep.portfolio.services import import_job_run

    return str(import_job_run(job_id=job_id).status)


@shared_task(name="portfolio.delinquency_refresh")
def delinquency_refresh_task(*, as_of: str) -> int:
    """Refreshing the same day twice gives the same state: history days are never rewritten."""
    from doorstep.portfolio.delinquency import delinquency_refresh

    return delinquency_refresh(as_of=date.fromisoformat(as_of)).loans
