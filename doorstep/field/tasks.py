"""Background work of the field visit: the overdue check-out scan runs every minute (Celery beat)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="field.overdue_scan")
def field_overdue_scan_task() -> int:
    """Idempotent: a visit is alerted once however often the scan runs (a unique constraint)."""
    from doorstep.field.services import field_overdue_scan

    return field_overdue_scan()
