"""A case's risk score as the console shows it: on the borrower page, and on each stop of a plan.

The reasons are stored as feature, value and contribution; their words in English and Chinese come
from doorstep.scoring.selectors.score_reasons, and the user's language picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from doorstep.common.i18n import active_language
from doorstep.portfolio.models import Case
from doorstep.scoring.selectors import case_scores_latest, score_reasons


@dataclass(frozen=True)
class ShownReason:
    text: str
    raises: bool  # raises the chance of payment


def reasons_shown(reasons: list[dict[str, Any]], *, language: str | None = None) -> list[ShownReason]:
    """Reasons in the user's language; those already in words (a plan's explain) are not worded again."""
    worded = reasons if all("en" in item and "zh" in item for item in reasons) else score_reasons(reasons)
    key = active_language() if language is None else ("zh" if language.lower().startswith("zh") else "en")
    return [ShownReason(text=str(item[key]), raises=float(item.get("contribution") or 0) > 0) for item in worded]


@dataclass(frozen=True)
class ScorePanel:
    probability: float
    uplift: float | None
    expected_recovery: Decimal
    expected_amount: Decimal
    currency: str
    version: str
    as_of: date
    reasons: list[ShownReason]

    @property
    def probability_percent(self) -> float:
        return self.probability * 100

    @property
    def uplift_points(self) -> float | None:
        """The uplift in percentage points of the probability of payment."""
        return None if self.uplift is None else self.uplift * 100


def case_score_panel(*, case: Case | None, day: date, language: str | None = None) -> ScorePanel | None:
    """The latest score on or before `day` of an open case by the active model; None when it has none."""
    if case is None or case.status != Case.Status.OPEN:
        return None
    score = case_scores_latest(case_ids=[case.pk], day=day).get(case.pk)
    if score is None:
        return None
    return ScorePanel(probability=score.probability, uplift=score.uplift, expected_recovery=score.expected_recovery,
                      expected_amount=score.expected_amount, currency=case.currency, version=score.model.version,
                      as_of=score.as_of, reasons=reasons_shown(list(score.reasons or []), language=language))


@dataclass(frozen=True)
class VisitScore:
    probability: float
    uplift: float | None
    version: str
    as_of: str
    reasons: list[ShownReason]


def visit_score(explain: dict[str, Any] | None, *, language: str | None = None) -> VisitScore | None:
    """A plan visit's model score from its `explain` (doorstep.planning.building._prize), or None when
    the visit was valued by the interim rule."""
    if not explain or explain.get("probability") is None:
        return None
    uplift = explain.get("uplift")
    return VisitScore(probability=float(explain["probability"]), uplift=None if uplift is None else float(uplift),
                      version=str(explain.get("model", "")), as_of=str(explain.get("as_of", "")),
                      reasons=reasons_shown(list(explain.get("reasons") or []), language=language))


def plan_visit_scores(scenario: dict[str, Any], *, language: str | None = None) -> dict[int, VisitScore]:
    """Case id → the model score of its visit, for the visits of a plan's scenario that carry one."""
    result = {}
    for visit in scenario.get("visits", []):
        score = visit_score(visit.get("explain"), language=language)
        case_id = (visit.get("ref") or {}).get("case_id")
        if score is not None and case_id is not None:
            result[int(case_id)] = score
    return result
