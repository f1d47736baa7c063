"""Turning raw model scores into probabilities that match observed rates: isotonic or Platt.

Each calibrator keeps only a few numbers (isotonic: its step points; Platt: slope and intercept) so
it can be written to JSON and read back without pickle, and predicts with plain numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from doorstep.scoring.core.features import FeatureError, FloatArray, binary_target

CalibrationMethod = Literal["isotonic", "platt"]

# Platt works on the log-odds of the raw probability; clipping keeps log-odds finite for 0 and 1.
_EPSILON = 1e-7


class Calibrator(Protocol):
    method: CalibrationMethod

    def transform(self, raw_probability: npt.ArrayLike) -> FloatArray: ...

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, eq=False)
class IsotonicCalibrator:
    """A non-decreasing piecewise-linear map, flat beyond the outermost points seen in fitting."""

    x: FloatArray
    y: FloatArray
    method: CalibrationMethod = "isotonic"

    def transform(self, raw_probability: npt.ArrayLike) -> FloatArray:
        # np.interp is exactly what IsotonicRegression(out_of_bounds="clip").predict does between points.
        return np.interp(np.asarray(raw_probability, dtype=np.float64), self.x, self.y)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "x": self.x.tolist(), "y": self.y.tolist()}


@dataclass(frozen=True)
class PlattCalibrator:
    """p = 1 / (1 + exp(−(slope · logit(raw) + intercept)))."""

    slope: float
    intercept: float
    method: CalibrationMethod = "platt"

    def transform(self, raw_probability: npt.ArrayLike) -> FloatArray:
        z = self.slope * _logit(np.asarray(raw_probability, dtype=np.float64)) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "slope": self.slope, "intercept": self.intercept}


def _logit(p: FloatArray) -> FloatArray:
    clipped = np.clip(p, _EPSILON, 1 - _EPSILON)
    return np.log(clipped / (1 - clipped))


def calibrator_fit(
    *, raw_probability: npt.ArrayLike, target: npt.ArrayLike, method: CalibrationMethod
) -> IsotonicCalibrator | PlattCalibrator:
    """Fit a calibrator on rows the model was not trained on (a later slice of the training window)."""
    raw = np.asarray(raw_probability, dtype=np.float64)
    y = binary_target(target, n_rows=raw.shape[0])
    if y.min() == y.max():
        raise FeatureError("calibration needs both classes among its rows")
    if method == "isotonic":
        regression = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
        regression.fit(raw, y)
        return IsotonicCalibrator(
            x=np.asarray(regression.X_thresholds_, dtype=np.float64),
            y=np.asarray(regression.y_thresholds_, dtype=np.float64),
        )
    if method == "platt":
        # No penalty (C = ∞): with one input, regularisation would only pull the slope towards zero.
        logistic = LogisticRegression(C=np.inf, solver="lbfgs", max_iter=1000)
        logistic.fit(_logit(raw).reshape(-1, 1), y)
        return PlattCalibrator(slope=float(logistic.coef_[0, 0]), intercept=float(logistic.intercept_[0]))
    raise FeatureError(f"unknown calibration method {method!r}")


def calibrator_from_dict(data: dict[str, Any]) -> IsotonicCalibrator | PlattCalibrator:
    method = data.get("method")
    if method == "isotonic":
        x = np.asarray(data["x"], dtype=np.float64)
        y = np.asarray(data["y"], dtype=np.float64)
        if x.shape != y.shape or x.ndim != 1 or x.shape[0] == 0 or np.any(np.diff(x) < 0) or np.any(np.diff(y) < 0):
            raise FeatureError("isotonic calibrator points must be non-empty and non-decreasing")
        return IsotonicCalibrator(x=x, y=y)
    if method == "platt":
        return PlattCalibrator(slope=float(data["slope"]), intercept=float(data["intercept"]))
    raise FeatureError(f"unknown calibration method {method!r}")
