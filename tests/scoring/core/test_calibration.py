import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstep.scoring.core.calibration import calibrator_fit, calibrator_from_dict
from doorstep.scoring.core.features import FeatureError


@given(seed=st.integers(0, 10_000), method=st.sampled_from(["isotonic", "platt"]))
@settings(max_examples=30, deadline=None)
def test_calibration_keeps_the_order_of_scores(seed: int, method: str) -> None:
    rng = np.random.default_rng(seed)
    raw = rng.random(300)
    target = (rng.random(300) < raw).astype(int)  # a sensible score: higher raw, more positives
    calibrator = calibrator_fit(raw_probability=raw, target=target, method=method)  # type: ignore[arg-type]
    grid = np.linspace(0, 1, 201)
    calibrated = calibrator.transform(grid)
    assert np.all(np.diff(calibrated) >= -1e-12)
    assert np.all((calibrated >= 0) & (calibrated <= 1))


def test_isotonic_calibration_corrects_an_overconfident_score() -> None:
    rng = np.random.default_rng(1)
    true_probability = rng.random(20_000) * 0.5
    target = (rng.random(20_000) < true_probability).astype(int)
    raw = np.clip(true_probability * 1.8, 0, 1)  # the model claims nearly twice the real rate
    calibrator = calibrator_fit(raw_probability=raw, target=target, method="isotonic")
    assert calibrator.transform([0.45])[0] == pytest.approx(0.25, abs=0.04)
    assert np.mean(calibrator.transform(raw)) == pytest.approx(target.mean(), abs=1e-9)  # isotonic keeps the mean


def test_platt_recovers_a_known_logistic_distortion() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(0, 2, size=50_000)
    raw = 1 / (1 + np.exp(-z))
    target = (rng.random(z.shape[0]) < 1 / (1 + np.exp(-(0.5 * z - 1.0)))).astype(int)
    calibrator = calibrator_fit(raw_probability=raw, target=target, method="platt")
    assert calibrator.to_dict()["slope"] == pytest.approx(0.5, abs=0.05)
    assert calibrator.to_dict()["intercept"] == pytest.approx(-1.0, abs=0.05)


@pytest.mark.parametrize("method", ["isotonic", "platt"])
def test_calibrators_survive_a_dictionary_round_trip(method: str) -> None:
    rng = np.random.default_rng(3)
    raw = rng.random(500)
    calibrator = calibrator_fit(
        raw_probability=raw,
        target=(rng.random(500) < raw).astype(int),
        method=method,  # type: ignore[arg-type]
    )
    again = calibrator_from_dict(calibrator.to_dict())
    assert np.array_equal(again.transform(raw), calibrator.transform(raw))


def test_bad_calibrator_data_is_refused() -> None:
    with pytest.raises(FeatureError):
        calibrator_from_dict({"method": "isotonic", "x": [0.5, 0.2], "y": [0.1, 0.2]})
    with pytest.raises(FeatureError):
        calibrator_from_dict({"method": "beta"})
    with pytest.raises(FeatureError):
        calibrator_fit(raw_probability=[0.1, 0.2], target=[1, 1], method="isotonic")
