"""LightGBM settings and the one fitting routine every model of the core shares.

Determinism matters more than speed here: a registry must be able to say which data and settings
gave a model, so seeds are explicit, `deterministic` and row-wise histograms are forced, and the
thread count is a setting (results may differ by thread count only in the last bits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from doorstep.scoring.core.features import FeatureError, FeatureMatrix, IntArray


@dataclass(frozen=True)
class BoosterConfig:
    num_leaves: int = 15
    learning_rate: float = 0.05
    max_rounds: int = 500
    early_stopping_rounds: int = 50
    min_data_in_leaf: int = 20
    feature_fraction: float = 0.9
    bagging_fraction: float = 0.8
    bagging_freq: int = 1
    lambda_l2: float = 1.0
    num_threads: int = 1
    seed: int = 0

    def params(self, *, objective: Literal["binary", "regression"]) -> dict[str, Any]:
        return {
            "objective": objective,
            "metric": "binary_logloss" if objective == "binary" else "l2",
            "num_leaves": self.num_leaves,
            "learning_rate": self.learning_rate,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": self.bagging_freq,
            "lambda_l2": self.lambda_l2,
            "num_threads": self.num_threads,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "verbosity": -1,
        }


def booster_fit(
    *,
    train: FeatureMatrix,
    train_target: npt.NDArray[np.float64] | IntArray,
    valid: FeatureMatrix,
    valid_target: npt.NDArray[np.float64] | IntArray,
    config: BoosterConfig,
    objective: Literal["binary", "regression"] = "binary",
) -> lgb.Booster:
    """Fit with early stopping on `valid`; return a booster holding only the trees up to the best round.

    Re-reading the model string cut at the best iteration means the booster in memory is the very
    one a registry will store and load: no `num_iteration` argument to forget at scoring time.
    """
    if valid.n_rows == 0 or train.n_rows == 0:
        raise FeatureError("training and validation slices must both have rows")
    valid.ensure_names(train.names)
    train_set = lgb.Dataset(train.values, label=train_target, feature_name=list(train.names), free_raw_data=True)
    valid_set = lgb.Dataset(valid.values, label=valid_target, reference=train_set)
    booster = lgb.train(
        config.params(objective=objective),
        train_set,
        num_boost_round=config.max_rounds,
        valid_sets=[valid_set],
        callbacks=[lgb.early_stopping(config.early_stopping_rounds, verbose=False)],
    )
    best = booster.best_iteration if booster.best_iteration > 0 else booster.current_iteration()
    return lgb.Booster(model_str=booster.model_to_string(num_iteration=best))


def booster_predict(booster: lgb.Booster, features: FeatureMatrix, *, num_threads: int = 0) -> npt.NDArray[np.float64]:
    """Predictions are computed row by row, so the thread count (0: OpenMP's default) changes no value."""
    features.ensure_names(tuple(booster.feature_name()))
    return np.asarray(booster.predict(features.values, num_threads=num_threads), dtype=np.float64)


def inner_split(
    features: FeatureMatrix,
    target: IntArray,
    *,
    fractions: tuple[float, ...],
    order: Literal["time", "random"],
    seed: int,
) -> list[IntArray]:
    """Cut rows into consecutive slices: the first slice gets the rest, the others the given fractions.

    With order="time" the slices follow `as_of` (the later slices are later in time: validation and
    calibration never see rows older than the rows trained on); rows on the same date are ordered
    by a seeded shuffle, since data with monthly dates has whole months of ties. With
    order="random" (data without dates) each class is shuffled and cut separately, so every slice
    keeps the overall positive rate.
    """
    if any(f <= 0 for f in fractions) or sum(fractions) >= 1:
        raise FeatureError("slice fractions must be positive and sum to less than 1")
    rng = np.random.default_rng(seed)
    n = features.n_rows
    if order == "time":
        if features.as_of is None:
            raise FeatureError("a time-ordered split needs as_of dates")
        tiebreak = rng.permutation(n)
        ordered = np.lexsort((tiebreak, features.as_of.astype(np.int64)))
        return _cut(ordered, fractions)
    pieces: list[list[IntArray]] = [[] for _ in range(len(fractions) + 1)]
    for label in (0, 1):
        members = rng.permutation(np.flatnonzero(target == label))
        for slot, piece in enumerate(_cut(members, fractions)):
            pieces[slot].append(piece)
    return [np.sort(np.concatenate(parts)).astype(np.int64) for parts in pieces]


def _cut(ordered: npt.NDArray[np.int64], fractions: tuple[float, ...]) -> list[IntArray]:
    n = ordered.shape[0]
    sizes = [round(n * f) for f in fractions]
    first = n - sum(sizes)
    bounds = np.cumsum([0, first, *sizes])
    return [ordered[bounds[i] : bounds[i + 1]].astype(np.int64) for i in range(len(bounds) - 1)]
