"""Small synthetic books with a known truth, shared by the scoring core tests."""

from dataclasses import dataclass

import numpy as np
import pytest

from doorstep.scoring.core.boosting import BoosterConfig
from doorstep.scoring.core.features import FeatureMatrix

# Few, small trees: the tests check behaviour, not the best fit, and the whole directory must stay fast.
FAST_BOOSTER = BoosterConfig(num_leaves=7, learning_rate=0.1, max_rounds=80, early_stopping_rounds=15, seed=7)


@dataclass(frozen=True)
class Book:
    features: FeatureMatrix
    target: np.ndarray  # pays (propensity)
    treatment: np.ndarray  # visited
    outcome: np.ndarray  # pays, with the visit's effect
    true_uplift: np.ndarray
    probability: np.ndarray  # the true P(pay) without a visit


def make_book(*, rows: int, seed: int) -> Book:
    """Six months of rows; payment depends non-linearly on the features and a visit helps only some rows.

    x0 and x1 drive payment with an interaction (so trees beat a linear model), x2 is noise, x3 is
    missing for a fifth of the rows and then matters. The true visit effect is +0.25 where x0 > 0
    and +0.02 elsewhere: a segment a good uplift model must find.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 4))
    missing = rng.random(rows) < 0.2
    x[missing, 3] = np.nan
    x3 = np.where(missing, -1.0, x[:, 3])
    logit = -0.3 + 1.2 * x[:, 0] - 0.8 * x[:, 1] + 1.0 * x[:, 0] * x[:, 1] + 0.6 * x3
    probability = 1 / (1 + np.exp(-logit))
    target = (rng.random(rows) < probability).astype(np.int64)
    treatment = (rng.random(rows) < 0.3).astype(np.int64)
    true_uplift = np.where(x[:, 0] > 0, 0.25, 0.02)
    with_visit = np.clip(0.6 * probability + treatment * true_uplift, 0, 1)
    outcome = (rng.random(rows) < with_visit).astype(np.int64)
    true_uplift = np.clip(0.6 * probability + true_uplift, 0, 1) - 0.6 * probability
    start = np.datetime64("2026-01-01")
    as_of = start + rng.integers(0, 181, size=rows).astype("timedelta64[D]")
    features = FeatureMatrix.build(
        names=("x0", "x1", "x2", "x3"), values=x, row_ids=np.arange(1000, 1000 + rows), as_of=as_of
    )
    return Book(features, target, treatment, outcome, true_uplift, probability)


@pytest.fixture(scope="session")
def book() -> Book:
    return make_book(rows=4000, seed=11)
