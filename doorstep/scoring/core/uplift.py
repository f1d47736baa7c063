"""Visit uplift: how much a visit raises the chance of payment, and what a visit is therefore worth.

Two learners, both on LightGBM:

- the T-learner fits P(pay | not visited) and P(pay | visited) separately and subtracts them;
- the X-learner (Künzel et al., PNAS 2019) starts from the same two models, then learns the effect
  directly: for visited rows the observed outcome minus the no-visit model's prediction, for
  non-visited rows the visit model's prediction minus the outcome, one regression per group,
  blended by the share of visited rows. Visits are scarce next to non-visits, and the X-learner
  is built for that imbalance: the effect seen in the few visited rows is measured against a
  no-visit model trained on the many, rather than differencing two models of unequal quality.

Comparability of visited and non-visited rows (who was chosen for a visit) is the caller's to
ensure; nothing here corrects for selection beyond the features themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from doorstep.scoring.core.boosting import BoosterConfig, booster_fit, booster_predict, inner_split
from doorstep.scoring.core.features import FeatureError, FeatureMatrix, FloatArray, IntArray, binary_target

UpliftMethod = Literal["t_learner", "x_learner"]
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class UpliftConfig:
    booster: BoosterConfig = field(default_factory=BoosterConfig)
    method: UpliftMethod = "x_learner"
    validation_fraction: float = 0.2  # of each group, the latest rows (or a stratified sample without dates)
    inner_order: Literal["time", "random"] = "time"


@dataclass(frozen=True, eq=False)
class UpliftPrediction:
    probability_without_visit: FloatArray
    probability_with_visit: FloatArray
    uplift: FloatArray  # probability_with_visit − probability_without_visit


@dataclass(frozen=True, eq=False)
class UpliftModel:
    """Boosters by role: "control" and "treated" (outcome models), plus "effect_control" and
    "effect_treated" (effect regressions) for the X-learner."""

    method: UpliftMethod
    boosters: dict[str, lgb.Booster]
    treated_share: float
    feature_names: tuple[str, ...]

    def predict(self, features: FeatureMatrix, *, num_threads: int = 0) -> UpliftPrediction:
        features.ensure_names(self.feature_names)
        without_visit = booster_predict(self.boosters["control"], features, num_threads=num_threads)
        if self.method == "t_learner":
            with_visit = booster_predict(self.boosters["treated"], features, num_threads=num_threads)
        else:
            effect = self.treated_share * booster_predict(
                self.boosters["effect_control"], features, num_threads=num_threads
            ) + (1 - self.treated_share) * booster_predict(
                self.boosters["effect_treated"], features, num_threads=num_threads
            )
            with_visit = np.clip(without_visit + effect, 0.0, 1.0)
        return UpliftPrediction(
            probability_without_visit=without_visit,
            probability_with_visit=with_visit,
            uplift=with_visit - without_visit,
        )


def uplift_fit(
    *, features: FeatureMatrix, outcome: npt.ArrayLike, treatment: npt.ArrayLike, config: UpliftConfig
) -> UpliftModel:
    """Fit the chosen learner on visited (treatment = 1) and comparable non-visited rows."""
    y = binary_target(outcome, n_rows=features.n_rows, name="outcome")
    t = binary_target(treatment, n_rows=features.n_rows, name="treatment")
    groups: dict[str, IntArray] = {"control": np.flatnonzero(t == 0), "treated": np.flatnonzero(t == 1)}
    for name, rows in groups.items():
        if rows.shape[0] < 20 or y[rows].min() == y[rows].max():
            raise FeatureError(f"the {name} group needs at least 20 rows and both outcomes")
    # Each group gets its own fit/validation cut so the validation rows are later than its fit rows.
    slices: dict[str, tuple[IntArray, IntArray]] = {}
    for name, rows in groups.items():
        fit, valid = inner_split(
            features.take(rows),
            y[rows],
            fractions=(config.validation_fraction,),
            order=config.inner_order,
            seed=config.booster.seed,
        )
        slices[name] = (rows[fit], rows[valid])
    boosters = {
        name: booster_fit(
            train=features.take(fit),
            train_target=y[fit],
            valid=features.take(valid),
            valid_target=y[valid],
            config=config.booster,
        )
        for name, (fit, valid) in slices.items()
    }
    treated_share = float(t.mean())
    if config.method == "x_learner":
        # Imputed effects: each group's outcome set against the other group's model (out of sample by construction).
        opposite = {"control": "treated", "treated": "control"}
        for name, (fit, valid) in slices.items():
            other = boosters[opposite[name]]

            def imputed(rows: IntArray, name: str = name, other: lgb.Booster = other) -> FloatArray:
                predicted = booster_predict(other, features.take(rows))
                return y[rows] - predicted if name == "treated" else predicted - y[rows]

            boosters[f"effect_{name}"] = booster_fit(
                train=features.take(fit),
                train_target=imputed(fit),
                valid=features.take(valid),
                valid_target=imputed(valid),
                config=config.booster,
                objective="regression",
            )
    elif config.method != "t_learner":
        raise FeatureError(f"unknown uplift method {config.method!r}")
    return UpliftModel(
        method=config.method, boosters=boosters, treated_share=treated_share, feature_names=features.names
    )


def visit_expected_recovery(
    *,
    prediction: UpliftPrediction,
    expected_amount: npt.ArrayLike,
    basis: Literal["incremental", "with_visit"] = "incremental",
) -> FloatArray:
    """Expected money from visiting each row: the uplift-aware probability × the amount expected if paid.

    "incremental" (the planner's prize) counts only what the visit adds, max(uplift, 0) × amount: a
    visit predicted to do harm is worth nothing rather than a negative prize. "with_visit" is the
    total expected when visited, P(pay | visited) × amount.
    """
    amount = np.asarray(expected_amount, dtype=np.float64)
    if amount.shape != prediction.uplift.shape:
        raise FeatureError(f"expected_amount must have length {prediction.uplift.shape[0]}")
    if not np.isfinite(amount).all() or (amount < 0).any():
        raise FeatureError("expected amounts must be finite and not negative")
    if basis == "incremental":
        return np.clip(prediction.uplift, 0.0, None) * amount
    if basis == "with_visit":
        return prediction.probability_with_visit * amount
    raise FeatureError(f"unknown basis {basis!r}")


def money_from_floats(values: npt.ArrayLike) -> list[Decimal]:
    """Amounts as Decimal rounded half-up to the cent, for the Decimal world outside the core.

    Each float goes through its shortest decimal form (repr) first, so 2.675 becomes 2.68 as a person
    would expect, not 2.67 from the binary value 2.67499999….
    """
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or not np.isfinite(array).all():
        raise FeatureError("amounts must be a finite one-dimensional array")
    return [Decimal(repr(float(value))).quantize(_CENT, rounding=ROUND_HALF_UP) for value in array]
