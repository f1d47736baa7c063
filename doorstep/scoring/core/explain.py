"""Why a score is what it is: the largest LightGBM feature contributions of a row, in English and Chinese.

Contributions are TreeSHAP values in the model's raw (log-odds) units: for each row they add up,
with the bias term, to the raw score, so a positive contribution raises the predicted probability.
They explain the trees, not the calibrator; the calibrator is monotone, so directions still hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import lightgbm as lgb
import numpy as np

from doorstep.scoring.core.features import FeatureError, FeatureMatrix

Language = Literal["en", "zh"]
FeatureCatalogue = dict[str, tuple[str, str]]  # feature name → (English words, Chinese words)

# What a positive contribution makes more likely, in each language; the caller may name another outcome.
DEFAULT_OUTCOME = ("the chance of payment", "还款可能性")


@dataclass(frozen=True)
class Reason:
    feature: str
    contribution: float  # log-odds; > 0 raises the modelled probability
    value: float  # the row's value of the feature, NaN when missing


def contributions(booster: lgb.Booster, features: FeatureMatrix) -> np.ndarray:
    """n × (k + 1) contributions; the last column is the bias (the same for every row)."""
    features.ensure_names(tuple(booster.feature_name()))
    return np.asarray(booster.predict(features.values, pred_contrib=True), dtype=np.float64)


def top_reasons(booster: lgb.Booster, features: FeatureMatrix, *, k: int = 3) -> list[list[Reason]]:
    """For each row, up to k reasons with the largest |contribution|, largest first; zero ones left out.

    Ties in |contribution| keep the feature order of the matrix, so the result is deterministic.
    """
    if k < 1:
        raise FeatureError("k must be at least 1")
    matrix = contributions(booster, features)[:, :-1]
    result = []
    for row in range(features.n_rows):
        order = np.argsort(-np.abs(matrix[row]), kind="stable")[:k]
        result.append(
            [
                Reason(
                    feature=features.names[column],
                    contribution=float(matrix[row, column]),
                    value=float(features.values[row, column]),
                )
                for column in order
                if matrix[row, column] != 0
            ]
        )
    return result


def _format_value(value: float, language: Language) -> str:
    if np.isnan(value):
        return "missing" if language == "en" else "缺失"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def reason_words(
    reason: Reason,
    *,
    catalogue: FeatureCatalogue,
    language: Language,
    outcome: tuple[str, str] = DEFAULT_OUTCOME,
) -> str:
    """One reason as a sentence, e.g. "days past due now is 45: lowers the chance of payment".

    A feature missing from the catalogue is shown by its column name rather than dropped: a reason
    without a label is still better than a hidden one.
    """
    english, chinese = catalogue.get(reason.feature, (reason.feature, reason.feature))
    value = _format_value(reason.value, language)
    if language == "en":
        direction = "raises" if reason.contribution > 0 else "lowers"
        return f"{english} is {value}: {direction} {outcome[0]}"
    if language == "zh":
        direction = "提高" if reason.contribution > 0 else "降低"
        return f"{chinese}为{value}：{direction}{outcome[1]}"
    raise FeatureError(f"unknown language {language!r}")


def reasons_in_words(
    reasons: list[Reason],
    *,
    catalogue: FeatureCatalogue,
    language: Language,
    outcome: tuple[str, str] = DEFAULT_OUTCOME,
) -> list[str]:
    return [reason_words(reason, catalogue=catalogue, language=language, outcome=outcome) for reason in reasons]
