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
import numpy.typing as npt

from doorstep.scoring.core.features import FeatureError, FeatureMatrix, IntArray

Language = Literal["en", "zh"]
FeatureCatalogue = dict[str, tuple[str, str]]  # feature name → (English words, Chinese words)

# What a positive contribution makes more likely, in each language; the caller may name another outcome.
DEFAULT_OUTCOME = ("the chance of payment", "还款可能性")


@dataclass(frozen=True)
class Reason:
    feature: str
    contribution: float  # log-odds; > 0 raises the modelled probability
    value: float  # the row's value of the feature, NaN when missing


def contributions(booster: lgb.Booster, features: FeatureMatrix, *, num_threads: int = 0) -> np.ndarray:
    """n × (k + 1) contributions; the last column is the bias (the same for every row). Rows are
    computed independently, so the thread count (0: OpenMP's default) changes no value."""
    features.ensure_names(tuple(booster.feature_name()))
    return np.asarray(booster.predict(features.values, pred_contrib=True, num_threads=num_threads), dtype=np.float64)


# LightGBM treats |value| <= this as zero for splits whose missing values are zeros (kZeroThreshold).
_LIGHTGBM_ZERO = 1e-35


def _split_thresholds(booster: lgb.Booster) -> dict[int, npt.NDArray[np.float64]] | None:
    """Every numerical split threshold of the booster by feature, sorted; None when a split is not a
    plain `value <= threshold` (categorical splits, linear leaves): rows cannot be grouped then."""
    model = booster.dump_model()
    thresholds: dict[int, set[float]] = {}
    stack = []
    for tree in model["tree_info"]:
        if tree.get("num_cat", 0):
            return None
        stack.append(tree["tree_structure"])
    while stack:
        node = stack.pop()
        if "split_index" not in node:
            if "leaf_coeff" in node or "leaf_features" in node:
                return None
            continue
        if node["decision_type"] != "<=":
            return None
        thresholds.setdefault(int(node["split_feature"]), set()).add(float(node["threshold"]))
        stack.extend((node["left_child"], node["right_child"]))
    return {feature: np.array(sorted(values), dtype=np.float64) for feature, values in thresholds.items()}


def _compact(keys: IntArray) -> tuple[IntArray, int]:
    distinct, inverse = np.unique(keys, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), int(distinct.shape[0])


def decision_groups(booster: lgb.Booster, features: FeatureMatrix) -> tuple[IntArray, IntArray]:
    """Rows every split of the booster sends the same way: one representative row per group (the
    first) and each row's group.

    A tree's prediction and its TreeSHAP contributions depend on a row only through the side it takes
    at each split, so rows of one group get bit-identical contributions: computing them once per
    group changes nothing. A row is coded, per feature, by the interval of that feature's thresholds
    its value falls in (NaN apart); rows holding a value LightGBM could read as zero without being
    zero get a group of their own. How many groups a book has depends on the book: each row may be
    its own (then nothing is saved, at the cost of the coding, about a second a million rows).
    """
    rows = features.n_rows
    every_row = np.arange(rows, dtype=np.int64)
    thresholds = _split_thresholds(booster)
    if thresholds is None or rows == 0:
        return every_row, every_row
    keys = np.zeros(rows, dtype=np.int64)
    span = 1
    alone = np.zeros(rows, dtype=np.bool_)
    for feature, points in sorted(thresholds.items()):
        column = features.values[:, feature].astype(np.float64)
        codes = np.searchsorted(points, column, side="left").astype(np.int64)
        codes[np.isnan(column)] = points.shape[0] + 1
        alone |= (column != 0) & (np.abs(column) <= _LIGHTGBM_ZERO)
        radix = points.shape[0] + 2
        if span * radix >= 2**62:
            keys, span = _compact(keys)
        keys = keys * radix + codes
        span *= radix
    keys, span = _compact(keys)
    if alone.any():
        keys[alone] = span + np.flatnonzero(alone)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first.astype(np.int64), inverse.reshape(-1).astype(np.int64)


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
