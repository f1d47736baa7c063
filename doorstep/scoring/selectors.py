"""Reading scores: the latest score of each case on or before a day, by the active model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import OuterRef, Subquery

from doorstep.scoring.models import CaseScore, ScoringModel


def case_scores_latest(*, case_ids: Iterable[int], day: date) -> dict[int, CaseScore]:
    """Each case's latest score dated on or before `day` by the active propensity model, in one query
    (the model row comes with it); cases without one are absent."""
    active = {"model__is_active": True, "model__kind": ScoringModel.Kind.PROPENSITY}
    latest = (
        CaseScore.objects.filter(case_id=OuterRef("case_id"), as_of__lte=day, **active)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    rows = (
        CaseScore.objects.filter(case_id__in=list(case_ids), as_of__lte=day, **active)
        .filter(as_of=Subquery(latest))
        .select_related("model")
    )
    return {row.case_id: row for row in rows}
