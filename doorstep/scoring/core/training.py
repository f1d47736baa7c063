"""Propensity to pay: the time-based split, the calibrated LightGBM model and its logistic baseline.

One run trains both models on the same training rows and scores the same test rows, so the report's
figures for the two are directly comparable. Inside the training window the rows are cut in time
order into a fitting slice, a validation slice for early stopping and a calibration slice: the
calibrator never sees the trees' own rows, and nothing of the test window is touched before scoring.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from doorstep.scoring.core.boosting import BoosterConfig, booster_fit, booster_predict, inner_split
from doorstep.scoring.core.calibration import (
    CalibrationMethod,
    IsotonicCalibrator,
    PlattCalibrator,
    calibrator_fit,
)
from doorstep.scoring.core.features import FeatureError, FeatureMatrix, FloatArray, IntArray, binary_target
from doorstep.scoring.core.metrics import (
    CalibrationBin,
    GainsRow,
    brier_score,
    calibration_curve,
    gains_table,
    ks_statistic,
    roc_auc,
)


@dataclass(frozen=True)
class DataSplit:
    """Row indices of a training and a test set, with the date ranges they cover when dates are known."""

    train: IntArray
    test: IntArray
    description: str
    train_from: str | None = None
    train_until: str | None = None
    test_from: str | None = None
    test_until: str | None = None


def time_split(features: FeatureMatrix, *, cut_on: date, test_until: date | None = None) -> DataSplit:
    """Train on rows dated before `cut_on`, test on rows from `cut_on` (up to and including `test_until`)."""
    if features.as_of is None:
        raise FeatureError("a time-based split needs as_of dates")
    cut = np.datetime64(cut_on, "D")
    train = np.flatnonzero(features.as_of < cut).astype(np.int64)
    in_test = features.as_of >= cut
    if test_until is not None:
        in_test &= features.as_of <= np.datetime64(test_until, "D")
    test = np.flatnonzero(in_test).astype(np.int64)
    if train.shape[0] == 0 or test.shape[0] == 0:
        raise FeatureError(f"cutting at {cut_on} leaves an empty training or test set")
    train_dates, test_dates = features.as_of[train], features.as_of[test]
    return DataSplit(
        train=train,
        test=test,
        description=f"time: train before {cut}, test from {cut}",
        train_from=str(train_dates.min()),
        train_until=str(train_dates.max()),
        test_from=str(test_dates.min()),
        test_until=str(test_dates.max()),
    )


def stratified_split(target: npt.ArrayLike, *, test_fraction: float, seed: int) -> DataSplit:
    """A seeded split keeping the positive rate in both parts; only for data that carries no dates."""
    y = binary_target(target, n_rows=np.shape(target)[0])
    if not 0 < test_fraction < 1:
        raise FeatureError("test_fraction must be between 0 and 1")
    rng = np.random.default_rng(seed)
    train_parts, test_parts = [], []
    for label in (0, 1):
        members = rng.permutation(np.flatnonzero(y == label))
        size = round(members.shape[0] * test_fraction)
        test_parts.append(members[:size])
        train_parts.append(members[size:])
    return DataSplit(
        train=np.sort(np.concatenate(train_parts)).astype(np.int64),
        test=np.sort(np.concatenate(test_parts)).astype(np.int64),
        description=f"stratified random: {test_fraction:.0%} test, seed {seed}",
    )


@dataclass(frozen=True)
class PropensityConfig:
    booster: BoosterConfig = field(default_factory=BoosterConfig)
    validation_fraction: float = 0.15  # of the training window, for early stopping
    calibration_fraction: float = 0.2  # of the training window, the latest rows, for the calibrator
    calibration: CalibrationMethod | None = "isotonic"
    inner_order: Literal["time", "random"] = "time"  # "random" only for data without dates
    baseline_c: float = 1.0  # inverse L2 strength of the logistic baseline


@dataclass(frozen=True, eq=False)
class PropensityModel:
    booster: lgb.Booster
    calibrator: IsotonicCalibrator | PlattCalibrator | None
    feature_names: tuple[str, ...]

    def predict_raw(self, features: FeatureMatrix, *, num_threads: int = 0) -> FloatArray:
        features.ensure_names(self.feature_names)
        return booster_predict(self.booster, features, num_threads=num_threads)

    def predict(self, features: FeatureMatrix, *, num_threads: int = 0) -> FloatArray:
        """Calibrated probability of the positive class for every row."""
        raw = self.predict_raw(features, num_threads=num_threads)
        return raw if self.calibrator is None else self.calibrator.transform(raw)


def propensity_fit(*, features: FeatureMatrix, target: npt.ArrayLike, config: PropensityConfig) -> PropensityModel:
    """Fit trees on the earliest rows, stop early on the next slice, calibrate on the latest slice."""
    y = binary_target(target, n_rows=features.n_rows)
    fractions = (config.validation_fraction,) + ((config.calibration_fraction,) if config.calibration else ())
    slices = inner_split(features, y, fractions=fractions, order=config.inner_order, seed=config.booster.seed)
    fit_rows, valid_rows = slices[0], slices[1]
    booster = booster_fit(
        train=features.take(fit_rows),
        train_target=y[fit_rows],
        valid=features.take(valid_rows),
        valid_target=y[valid_rows],
        config=config.booster,
    )
    calibrator = None
    if config.calibration:
        calibration_rows = slices[2]
        raw = booster_predict(booster, features.take(calibration_rows))
        calibrator = calibrator_fit(raw_probability=raw, target=y[calibration_rows], method=config.calibration)
    return PropensityModel(booster=booster, calibrator=calibrator, feature_names=features.names)


@dataclass(frozen=True, eq=False)
class LogisticBaseline:
    """Median imputation (with missing-value indicators), standardisation, L2 logistic regression."""

    pipeline: Pipeline
    feature_names: tuple[str, ...]

    def predict(self, features: FeatureMatrix) -> FloatArray:
        features.ensure_names(self.feature_names)
        return np.asarray(self.pipeline.predict_proba(features.values)[:, 1], dtype=np.float64)


def logistic_baseline_fit(*, features: FeatureMatrix, target: npt.ArrayLike, c: float = 1.0) -> LogisticBaseline:
    """Fit on the whole training window: the baseline needs no early stopping or separate calibration."""
    y = binary_target(target, n_rows=features.n_rows)
    pipeline = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True),
        StandardScaler(),
        LogisticRegression(C=c, solver="lbfgs", max_iter=5000),
    )
    pipeline.fit(features.values, y)
    return LogisticBaseline(pipeline=pipeline, feature_names=features.names)


@dataclass(frozen=True)
class ModelMetrics:
    auc: float
    ks: float
    brier: float


def metrics_evaluate(target: npt.ArrayLike, probability: npt.ArrayLike) -> ModelMetrics:
    return ModelMetrics(
        auc=roc_auc(target, probability),
        ks=ks_statistic(target, probability),
        brier=brier_score(target, probability),
    )


@dataclass(frozen=True)
class PropensityReport:
    split: str
    train_rows: int
    test_rows: int
    train_positive_rate: float
    test_positive_rate: float
    trees: int
    calibration: CalibrationMethod | None
    lightgbm: ModelMetrics  # calibrated when a calibration method is set
    lightgbm_uncalibrated: ModelMetrics
    logistic: ModelMetrics
    calibration_bins: list[CalibrationBin]  # LightGBM (calibrated) on the test rows, quantile bins
    gains: list[GainsRow]  # LightGBM (calibrated) on the test rows, by decile
    train_from: str | None = None
    train_until: str | None = None
    test_from: str | None = None
    test_until: str | None = None


@dataclass(frozen=True, eq=False)
class PropensityRun:
    model: PropensityModel
    baseline: LogisticBaseline
    report: PropensityReport
    test_probability: FloatArray  # calibrated LightGBM probabilities for split.test, in that order


def propensity_run(
    *, features: FeatureMatrix, target: npt.ArrayLike, split: DataSplit, config: PropensityConfig
) -> PropensityRun:
    """Train LightGBM (calibrated) and the logistic baseline on split.train; evaluate both on split.test."""
    y = binary_target(target, n_rows=features.n_rows)
    train, test = features.take(split.train), features.take(split.test)
    y_train, y_test = y[split.train], y[split.test]
    model = propensity_fit(features=train, target=y_train, config=config)
    baseline = logistic_baseline_fit(features=train, target=y_train, c=config.baseline_c)
    raw = model.predict_raw(test)
    probability = raw if model.calibrator is None else model.calibrator.transform(raw)
    report = PropensityReport(
        split=split.description,
        train_rows=train.n_rows,
        test_rows=test.n_rows,
        train_positive_rate=float(y_train.mean()),
        test_positive_rate=float(y_test.mean()),
        trees=model.booster.num_trees(),
        calibration=config.calibration,
        lightgbm=metrics_evaluate(y_test, probability),
        lightgbm_uncalibrated=metrics_evaluate(y_test, raw),
        logistic=metrics_evaluate(y_test, baseline.predict(test)),
        calibration_bins=calibration_curve(y_test, probability, bins=10, strategy="quantile"),
        gains=gains_table(y_test, probability),
        train_from=split.train_from,
        train_until=split.train_until,
        test_from=split.test_from,
        test_until=split.test_until,
    )
    return PropensityRun(model=model, baseline=baseline, report=report, test_probability=probability)
