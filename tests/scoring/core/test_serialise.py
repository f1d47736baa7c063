import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstep.scoring.core.features import FeatureError, FeatureMatrix
from doorstep.scoring.core.serialise import (
    as_json_data,
    propensity_from_bytes,
    propensity_to_bytes,
    uplift_from_bytes,
    uplift_to_bytes,
)
from doorstep.scoring.core.training import ModelMetrics, PropensityConfig, propensity_fit
from doorstep.scoring.core.uplift import UpliftConfig, uplift_fit

from .conftest import FAST_BOOSTER, Book

METADATA = {"trained_until": "2026-04-30", "features": ["x0", "x1", "x2", "x3"], "metrics": {"auc": 0.81}}


@pytest.fixture(scope="module", params=["isotonic", "platt", None])
def propensity(request, book: Book):
    config = PropensityConfig(booster=FAST_BOOSTER, calibration=request.param)
    return propensity_fit(features=book.features, target=book.target, config=config)


@pytest.fixture(scope="module", params=["t_learner", "x_learner"])
def uplift(request, book: Book):
    config = UpliftConfig(booster=FAST_BOOSTER, method=request.param)
    return uplift_fit(features=book.features, outcome=book.outcome, treatment=book.treatment, config=config)


values = st.lists(
    st.lists(st.one_of(st.floats(-5, 5, width=32), st.just(float("nan"))), min_size=4, max_size=4),
    min_size=1,
    max_size=40,
)


@given(rows=values)
@settings(max_examples=25, deadline=None)
def test_propensity_round_trip_gives_identical_predictions(propensity, rows: list[list[float]]) -> None:
    loaded, metadata = propensity_from_bytes(propensity_to_bytes(propensity, metadata=METADATA))
    matrix = FeatureMatrix.build(names=propensity.feature_names, values=rows)
    assert np.array_equal(loaded.predict(matrix), propensity.predict(matrix))
    assert metadata == METADATA
    assert loaded.feature_names == propensity.feature_names


def test_uplift_round_trip_gives_identical_predictions(uplift, book: Book) -> None:
    loaded, _ = uplift_from_bytes(uplift_to_bytes(uplift))
    before, after = uplift.predict(book.features), loaded.predict(book.features)
    assert loaded.method == uplift.method and loaded.treated_share == uplift.treated_share
    assert np.array_equal(before.uplift, after.uplift)
    assert np.array_equal(before.probability_without_visit, after.probability_without_visit)


def test_the_file_is_readable_json_without_pickle(propensity) -> None:
    document = json.loads(propensity_to_bytes(propensity, metadata=METADATA))
    assert document["format"] == "doorstep-scoring-model" and document["kind"] == "propensity"
    assert document["booster"].startswith("tree\n")
    assert document["feature_names"] == ["x0", "x1", "x2", "x3"]


def test_wrong_or_damaged_files_are_refused(propensity, uplift) -> None:
    with pytest.raises(FeatureError, match="not a model file"):
        propensity_from_bytes(b"\x80\x04pickle")
    with pytest.raises(FeatureError, match="not a propensity model"):
        propensity_from_bytes(uplift_to_bytes(uplift))
    document = json.loads(propensity_to_bytes(propensity))
    document["version"] = 2
    with pytest.raises(FeatureError, match="version"):
        propensity_from_bytes(json.dumps(document).encode())
    document = json.loads(uplift_to_bytes(uplift))
    del document["boosters"]["control"]
    with pytest.raises(FeatureError, match="boosters"):
        uplift_from_bytes(json.dumps(document).encode())
    with pytest.raises(ValueError):
        propensity_to_bytes(propensity, metadata={"auc": float("nan")})  # NaN is not JSON


def test_reports_become_plain_json_data() -> None:
    data = as_json_data({"lightgbm": ModelMetrics(auc=0.8, ks=0.4, brier=0.1), "bins": (1, 2)})
    assert data == {"lightgbm": {"auc": 0.8, "ks": 0.4, "brier": 0.1}, "bins": [1, 2]}
    json.dumps(data)
