from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest

from doorstep.scoring.core.features import FeatureError
from doorstep.scoring.core.metrics import uplift_vs_truth
from doorstep.scoring.core.uplift import (
    UpliftConfig,
    UpliftPrediction,
    money_from_floats,
    uplift_fit,
    visit_expected_recovery,
)

from .conftest import FAST_BOOSTER, Book, make_book


@pytest.fixture(scope="module")
def holdout() -> Book:
    return make_book(rows=6000, seed=99)


@pytest.mark.parametrize("method", ["t_learner", "x_learner"])
def test_uplift_learners_find_the_segment_a_visit_helps(book: Book, holdout: Book, method: str) -> None:
    config = UpliftConfig(booster=FAST_BOOSTER, method=method)  # type: ignore[arg-type]
    model = uplift_fit(features=book.features, outcome=book.outcome, treatment=book.treatment, config=config)
    prediction = model.predict(holdout.features)
    assert np.allclose(prediction.uplift, prediction.probability_with_visit - prediction.probability_without_visit)
    assert ((prediction.probability_with_visit >= 0) & (prediction.probability_with_visit <= 1)).all()
    helped = holdout.features.column("x0") > 0
    assert prediction.uplift[helped].mean() == pytest.approx(0.25, abs=0.08)
    assert prediction.uplift[~helped].mean() == pytest.approx(0.02, abs=0.08)
    report = uplift_vs_truth(holdout.treatment, holdout.outcome, prediction.uplift, holdout.true_uplift)
    assert report.pearson > 0.6
    assert report.qini_predicted > 0.5 * report.qini_true > 0


def test_x_learner_is_closer_to_the_truth_than_the_t_learner(book: Book, holdout: Book) -> None:
    errors = {}
    for method in ("t_learner", "x_learner"):
        config = UpliftConfig(booster=FAST_BOOSTER, method=method)  # type: ignore[arg-type]
        model = uplift_fit(features=book.features, outcome=book.outcome, treatment=book.treatment, config=config)
        errors[method] = np.mean(np.abs(model.predict(holdout.features).uplift - holdout.true_uplift))
    assert errors["x_learner"] < errors["t_learner"]


def test_uplift_needs_both_groups_with_both_outcomes(book: Book) -> None:
    with pytest.raises(FeatureError, match="treated"):
        uplift_fit(
            features=book.features,
            outcome=book.outcome,
            treatment=np.zeros(book.features.n_rows, dtype=int),
            config=UpliftConfig(booster=FAST_BOOSTER),
        )


def test_uplift_without_dates_uses_a_stratified_inner_split(book: Book) -> None:
    undated = replace(book.features, as_of=None)
    with pytest.raises(FeatureError, match="as_of"):
        uplift_fit(features=undated, outcome=book.outcome, treatment=book.treatment, config=UpliftConfig())
    config = UpliftConfig(booster=FAST_BOOSTER, method="t_learner", inner_order="random")
    model = uplift_fit(features=undated, outcome=book.outcome, treatment=book.treatment, config=config)
    assert set(model.boosters) == {"control", "treated"}


def _prediction(without: list[float], with_: list[float]) -> UpliftPrediction:
    a, b = np.array(without), np.array(with_)
    return UpliftPrediction(probability_without_visit=a, probability_with_visit=b, uplift=b - a)


def test_expected_recovery_counts_what_the_visit_adds_and_never_less_than_zero() -> None:
    prediction = _prediction([0.2, 0.5, 0.6], [0.5, 0.5, 0.4])
    amounts = np.array([1000.0, 800.0, 500.0])
    assert visit_expected_recovery(prediction=prediction, expected_amount=amounts) == pytest.approx([300.0, 0.0, 0.0])
    assert visit_expected_recovery(prediction=prediction, expected_amount=amounts, basis="with_visit") == pytest.approx(
        [500.0, 400.0, 200.0]
    )
    with pytest.raises(FeatureError):
        visit_expected_recovery(prediction=prediction, expected_amount=np.array([1.0, -1.0, 1.0]))
    with pytest.raises(FeatureError):
        visit_expected_recovery(prediction=prediction, expected_amount=np.array([1.0, 2.0]))


def test_money_is_rounded_half_up_to_the_cent_from_the_shortest_decimal() -> None:
    assert money_from_floats(np.array([2.675, 0.005, 1234.5649, 0.0])) == [
        Decimal("2.68"),
        Decimal("0.01"),
        Decimal("1234.56"),
        Decimal("0.00"),
    ]
    with pytest.raises(FeatureError):
        money_from_floats(np.array([np.nan]))
