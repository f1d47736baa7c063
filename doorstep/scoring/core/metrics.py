"""Evaluation measures for propensity scores and visit uplift.

AUC and Brier come from scikit-learn; KS, the gains table and the Qini curve are written out here so
their tie handling and normalisation are explicit and tested on hand-computed examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from sklearn.metrics import brier_score_loss, roc_auc_score

from doorstep.scoring.core.features import FeatureError, FloatArray, binary_target


def _scores(values: npt.ArrayLike, *, n_rows: int, name: str = "score") -> FloatArray:
    scores = np.asarray(values, dtype=np.float64)
    if scores.shape != (n_rows,):
        raise FeatureError(f"{name} must have length {n_rows}, got shape {scores.shape}")
    if not np.isfinite(scores).all():
        raise FeatureError(f"{name} must be finite")
    return scores


def _both_classes(target: npt.NDArray[np.int64]) -> None:
    if target.min() == target.max():
        raise FeatureError("the target needs both classes to be evaluated")


def roc_auc(target: npt.ArrayLike, score: npt.ArrayLike) -> float:
    """Area under the ROC curve (ties count one half), i.e. P(score of a positive > score of a negative)."""
    y = binary_target(target, n_rows=np.shape(target)[0])
    _both_classes(y)
    return float(roc_auc_score(y, _scores(score, n_rows=y.shape[0])))


def brier_score(target: npt.ArrayLike, probability: npt.ArrayLike) -> float:
    """Mean squared difference between the predicted probability and the 0/1 outcome (lower is better)."""
    y = binary_target(target, n_rows=np.shape(target)[0])
    p = _scores(probability, n_rows=y.shape[0], name="probability")
    if (p < 0).any() or (p > 1).any():
        raise FeatureError("probabilities must lie in [0, 1]")
    return float(brier_score_loss(y, p))


def ks_statistic(target: npt.ArrayLike, score: npt.ArrayLike) -> float:
    """Kolmogorov–Smirnov distance: the largest gap between the score distributions of positives and negatives.

    Evaluated only at the ends of groups of tied scores, so that tied rows are never split apart: a
    cut inside a tie group is not a threshold anyone could apply.
    """
    y = binary_target(target, n_rows=np.shape(target)[0])
    _both_classes(y)
    s = _scores(score, n_rows=y.shape[0])
    order = np.argsort(s, kind="stable")
    sorted_scores, sorted_y = s[order], y[order]
    cumulative_positive = np.cumsum(sorted_y) / sorted_y.sum()
    cumulative_negative = np.cumsum(1 - sorted_y) / (1 - sorted_y).sum()
    group_ends = np.r_[np.flatnonzero(np.diff(sorted_scores) != 0), sorted_scores.shape[0] - 1]
    return float(np.max(np.abs(cumulative_positive[group_ends] - cumulative_negative[group_ends])))


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


def calibration_curve(
    target: npt.ArrayLike,
    probability: npt.ArrayLike,
    *,
    bins: int = 10,
    strategy: Literal["uniform", "quantile"] = "uniform",
) -> list[CalibrationBin]:
    """Predicted against observed rate per bin of predicted probability; empty bins are left out.

    "uniform" cuts [0, 1] into equal widths (the usual reliability plot); "quantile" puts about the
    same number of rows in each bin, better when scores crowd near zero, as rare events make them.
    """
    y = binary_target(target, n_rows=np.shape(target)[0])
    p = _scores(probability, n_rows=y.shape[0], name="probability")
    if bins < 1:
        raise FeatureError("bins must be at least 1")
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, bins + 1)
    else:
        edges = np.unique(np.quantile(p, np.linspace(0.0, 1.0, bins + 1)))
    # The last bin is closed on the right so a probability equal to the top edge still counts.
    index = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    result = []
    for b in range(len(edges) - 1):
        in_bin = index == b
        count = int(in_bin.sum())
        if count:
            result.append(
                CalibrationBin(
                    lower=float(edges[b]),
                    upper=float(edges[b + 1]),
                    count=count,
                    mean_predicted=float(p[in_bin].mean()),
                    observed_rate=float(y[in_bin].mean()),
                )
            )
    return result


@dataclass(frozen=True)
class GainsRow:
    """One group of a gains table, groups ordered from the highest score down."""

    group: int
    count: int
    positives: int
    rate: float
    lift: float  # rate ÷ overall rate
    cumulative_share_of_positives: float  # the gain: share of all positives found down to this group
    min_score: float
    max_score: float


def gains_table(target: npt.ArrayLike, score: npt.ArrayLike, *, groups: int = 10) -> list[GainsRow]:
    """Lift and cumulative gains by decile (or `groups`) of score, highest scores first.

    Groups are equal in size (differing by at most one row) over rows sorted by descending score,
    ties ordered by input position; a tie group may therefore straddle two deciles.
    """
    y = binary_target(target, n_rows=np.shape(target)[0])
    s = _scores(score, n_rows=y.shape[0])
    if not 1 <= groups <= y.shape[0]:
        raise FeatureError("groups must be between 1 and the number of rows")
    total_positives = int(y.sum())
    overall_rate = total_positives / y.shape[0]
    order = np.argsort(-s, kind="stable")
    rows: list[GainsRow] = []
    found = 0
    for number, chunk in enumerate(np.array_split(order, groups), start=1):
        positives = int(y[chunk].sum())
        found += positives
        rate = positives / chunk.shape[0]
        rows.append(
            GainsRow(
                group=number,
                count=int(chunk.shape[0]),
                positives=positives,
                rate=rate,
                lift=rate / overall_rate if overall_rate else float("nan"),
                cumulative_share_of_positives=found / total_positives if total_positives else float("nan"),
                min_score=float(s[chunk].min()),
                max_score=float(s[chunk].max()),
            )
        )
    return rows


@dataclass(frozen=True)
class QiniCurve:
    """Points (share of rows targeted, incremental positives per treated row) from targeting by uplift score.

    `fractions[0] == 0` and `fractions[-1] == 1`; `gains[-1]` is the overall uplift (treated rate −
    control rate). The random-targeting line runs straight from (0, 0) to (1, gains[-1]).
    """

    fractions: FloatArray
    gains: FloatArray


def qini_curve(treatment: npt.ArrayLike, outcome: npt.ArrayLike, uplift_score: npt.ArrayLike) -> QiniCurve:
    """Qini curve of Radcliffe (2007), with the control outcomes scaled to the treated count at each cut.

    Targeting the top k rows by score yields Q(k) = Yt(k) − Yc(k) · Nt(k) / Nc(k) extra positives
    (Yc term taken as 0 while no control row has been reached). Q is divided by the total number of
    treated rows so the end point equals the average treatment effect. Points are taken only at
    the ends of groups of tied scores: the order inside a tie is arbitrary and must not matter.
    """
    t = binary_target(treatment, n_rows=np.shape(treatment)[0], name="treatment")
    y = binary_target(outcome, n_rows=t.shape[0], name="outcome")
    s = _scores(uplift_score, n_rows=t.shape[0], name="uplift score")
    if t.min() == t.max():
        raise FeatureError("the Qini curve needs both treated and control rows")
    order = np.argsort(-s, kind="stable")
    s, t, y = s[order], t[order], y[order]
    treated = np.cumsum(t)
    control = np.cumsum(1 - t)
    treated_positive = np.cumsum(t * y)
    control_positive = np.cumsum((1 - t) * y)
    scale = np.divide(treated, control, out=np.zeros(t.shape[0]), where=control > 0)
    q = treated_positive - control_positive * scale
    group_ends = np.r_[np.flatnonzero(np.diff(s) != 0), s.shape[0] - 1]
    fractions = np.r_[0.0, (group_ends + 1) / s.shape[0]]
    gains = np.r_[0.0, q[group_ends] / treated[-1]]
    return QiniCurve(fractions=fractions, gains=gains)


def qini_coefficient(treatment: npt.ArrayLike, outcome: npt.ArrayLike, uplift_score: npt.ArrayLike) -> float:
    """Area between the Qini curve and the random-targeting line (trapezoids over the share targeted).

    Zero means the score ranks no better than chance; positive means visits are steered to the rows
    they help. It is in the curve's units (incremental positives per treated row × share of rows).
    """
    curve = qini_curve(treatment, outcome, uplift_score)
    random_line = curve.fractions * curve.gains[-1]
    return float(np.trapezoid(curve.gains - random_line, curve.fractions))


@dataclass(frozen=True)
class UpliftTruthReport:
    """How a predicted uplift compares with the true one (known only on generated data)."""

    qini_predicted: float  # Qini coefficient when targeting by the prediction
    qini_true: float  # Qini coefficient when targeting by the true uplift: the best a model can do here
    qini_ratio: float  # predicted ÷ true (nan when the true Qini is not positive)
    pearson: float
    spearman: float
    mean_absolute_error: float


def uplift_vs_truth(
    treatment: npt.ArrayLike, outcome: npt.ArrayLike, predicted_uplift: npt.ArrayLike, true_uplift: npt.ArrayLike
) -> UpliftTruthReport:
    n = np.shape(treatment)[0]
    predicted = _scores(predicted_uplift, n_rows=n, name="predicted uplift")
    truth = _scores(true_uplift, n_rows=n, name="true uplift")
    qini_predicted = qini_coefficient(treatment, outcome, predicted)
    qini_true = qini_coefficient(treatment, outcome, truth)
    return UpliftTruthReport(
        qini_predicted=qini_predicted,
        qini_true=qini_true,
        qini_ratio=qini_predicted / qini_true if qini_true > 0 else float("nan"),
        pearson=_correlation(predicted, truth),
        spearman=_correlation(_ranks(predicted), _ranks(truth)),
        mean_absolute_error=float(np.mean(np.abs(predicted - truth))),
    )


def _ranks(values: FloatArray) -> FloatArray:
    """Average ranks (ties share the mean of their positions), as Spearman's coefficient needs."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_values) != 0) + 1]
    ends = np.r_[starts[1:], values.shape[0]]
    group_rank = (starts + ends - 1) / 2.0
    ranks = np.empty(values.shape[0])
    ranks[order] = np.repeat(group_rank, ends - starts)
    return ranks


def _correlation(a: FloatArray, b: FloatArray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])
