"""Reading scores: the latest score of each case on or before a day, by the active model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery

from doorstep.scoring.core.explain import Reason, reasons_in_words
from doorstep.scoring.features import FEATURE_CATALOGUE
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


def score_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A score's stored reasons with their words in English and Chinese (rendered on reading, so
    scoring a million cases writes no sentences and a better wording applies to old scores too)."""
    result = []
    for item in reasons:
        value = item.get("value")
        reason = Reason(
            feature=str(item["feature"]),
            contribution=float(item["contribution"]),
            value=float("nan") if value is None else float(value),
        )
        english, chinese = (
            reasons_in_words([reason], catalogue=FEATURE_CATALOGUE, language=language)[0] for language in ("en", "zh")
        )
        result.append({**item, "en": english, "zh": chinese})
    return result
