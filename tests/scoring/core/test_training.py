from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from doorstep.scoring.core.boosting import inner_split
from doorstep.scoring.core.features import FeatureError, FeatureMatrix
from doorstep.scoring.core.training import (
    PropensityConfig,
    propensity_fit,
    propensity_run,
    stratified_split,
    time_split,
)

from .conftest import FAST_BOOSTER, Book

CONFIG = PropensityConfig(booster=FAST_BOOSTER)


def test_time_split_trains_before_the_cut_and_tests_from_it(book: Book) -> None:
    split = time_split(book.features, cut_on=date(2026, 5, 1), test_until=date(2026, 5, 31))
    as_of = book.features.as_of
    assert as_of is not None
    assert (as_of[split.train] < np.datetime64("2026-05-01")).all()
    assert (as_of[split.test] >= np.datetime64("2026-05-01")).all()
    assert (as_of[split.test] <= np.datetime64("2026-05-31")).all()
    assert (split.train_from, split.train_until) == ("2026-01-01", "2026-04-30")
    assert (split.test_from, split.test_until) == ("2026-05-01", "2026-05-31")
    assert len(split.train) + len(split.test) == int((as_of <= np.datetime64("2026-05-31")).sum())


def test_time_split_refuses_an_empty_side_or_missing_dates(book: Book) -> None:
    with pytest.raises(FeatureError):
        time_split(book.features, cut_on=date(2025, 1, 1))
    undated = FeatureMatrix.build(names=["a"], values=[[1.0], [2.0]])
    with pytest.raises(FeatureError):
        time_split(undated, cut_on=date(2026, 1, 1))


def test_stratified_split_is_a_seeded_partition_keeping_the_positive_rate(book: Book) -> None:
    split = stratified_split(book.target, test_fraction=0.25, seed=4)
    assert np.array_equal(np.sort(np.r_[split.train, split.test]), np.arange(book.features.n_rows))
    assert book.target[split.test].mean() == pytest.approx(book.target.mean(), abs=0.002)
    assert np.array_equal(split.test, stratified_split(book.target, test_fraction=0.25, seed=4).test)
    assert not np.array_equal(split.test, stratified_split(book.target, test_fraction=0.25, seed=5).test)


def test_inner_time_split_puts_later_rows_in_the_later_slices(book: Book) -> None:
    fit, valid, calibration = inner_split(book.features, book.target, fractions=(0.15, 0.2), order="time", seed=1)
    as_of = book.features.as_of
    assert as_of is not None
    assert as_of[fit].max() <= as_of[valid].min()
    assert as_of[valid].max() <= as_of[calibration].min()
    assert (len(valid), len(calibration)) == (600, 800)
    assert len(np.unique(np.r_[fit, valid, calibration])) == book.features.n_rows


def test_inner_random_split_keeps_the_positive_rate_in_every_slice(book: Book) -> None:
    slices = inner_split(book.features, book.target, fractions=(0.2, 0.2), order="random", seed=1)
    for rows in slices:
        assert book.target[rows].mean() == pytest.approx(book.target.mean(), abs=0.005)


def test_lightgbm_and_the_baseline_are_evaluated_on_the_same_test_rows(book: Book) -> None:
    split = time_split(book.features, cut_on=date(2026, 5, 1))
    run = propensity_run(features=book.features, target=book.target, split=split, config=CONFIG)
    report = run.report
    assert report.test_rows == len(split.test) and report.train_rows == len(split.train)
    assert report.test_positive_rate == pytest.approx(book.target[split.test].mean())
    # The synthetic payment has an interaction the linear baseline cannot see.
    assert report.lightgbm.auc > report.logistic.auc + 0.02
    assert report.lightgbm.auc > 0.75 and 0.3 < report.lightgbm.ks < 1
    assert report.lightgbm.brier < report.logistic.brier
    assert 1 <= report.trees <= FAST_BOOSTER.max_rounds
    test_rows = book.features.take(split.test)
    assert np.array_equal(run.test_probability, run.model.predict(test_rows))
    assert sum(b.count for b in report.calibration_bins) == report.test_rows
    assert report.gains[-1].cumulative_share_of_positives == pytest.approx(1.0)


def test_nothing_from_the_test_window_reaches_the_models(book: Book) -> None:
    split = time_split(book.features, cut_on=date(2026, 5, 1))
    scrambled = book.target.copy()
    scrambled[split.test] = 1 - scrambled[split.test]
    first = propensity_run(features=book.features, target=book.target, split=split, config=CONFIG)
    second = propensity_run(features=book.features, target=scrambled, split=split, config=CONFIG)
    assert np.array_equal(first.test_probability, second.test_probability)
    test_rows = book.features.take(split.test)
    assert np.array_equal(first.baseline.predict(test_rows), second.baseline.predict(test_rows))
    # Only the evaluation sees the flipped outcomes: the ranking is now exactly reversed.
    assert second.report.lightgbm_uncalibrated.auc == pytest.approx(1 - first.report.lightgbm_uncalibrated.auc)


def test_training_is_deterministic_for_a_seed_and_changes_with_it(book: Book) -> None:
    first = propensity_fit(features=book.features, target=book.target, config=CONFIG)
    again = propensity_fit(features=book.features, target=book.target, config=CONFIG)
    other = propensity_fit(
        features=book.features, target=book.target, config=replace(CONFIG, booster=replace(FAST_BOOSTER, seed=8))
    )
    assert np.array_equal(first.predict(book.features), again.predict(book.features))
    assert not np.array_equal(first.predict_raw(book.features), other.predict_raw(book.features))


def test_without_calibration_the_probability_is_the_raw_score(book: Book) -> None:
    model = propensity_fit(features=book.features, target=book.target, config=replace(CONFIG, calibration=None))
    assert model.calibrator is None
    assert np.array_equal(model.predict(book.features), model.predict_raw(book.features))


def test_platt_calibration_is_an_option(book: Book) -> None:
    model = propensity_fit(features=book.features, target=book.target, config=replace(CONFIG, calibration="platt"))
    assert model.calibrator is not None and model.calibrator.method == "platt"
    raw = model.predict_raw(book.features)
    calibrated = model.predict(book.features)
    order = np.argsort(raw)
    assert np.all(np.diff(calibrated[order]) >= 0)
