"""Background work of training: certificate notices (Celery beat, every six hours)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="training.certificate_notices")
def certificate_notices_task() -> int:
    """Idempotent: each notice is sent once per recipient, certificate and kind (a unique constraint)."""
    from doorstep.training.services import certificate_notices_send

    return certificate_notices_send()
