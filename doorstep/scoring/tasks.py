"""Background work of scoring: every night, score the day's open cases with the active models."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="scoring.nightly")
def scoring_nightly_task(as_of: str | None = None) -> int:
    """Idempotent: scoring a day again with the same model replaces that day's scores. Without an
    active model there is nothing to do (returns 0) rather than a failure retried every night."""
    from datetime import date

    from django.utils import timezone

    from doorstep.scoring.models import ScoringModel
    from doorstep.scoring.services import scoring_score

    if not ScoringModel.objects.filter(kind=ScoringModel.Kind.PROPENSITY, is_active=True).exists():
        return 0
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return scoring_score(as_of=day).cases
