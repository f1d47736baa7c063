"""What the analyst page reads about the scoring models: the registry, the score distribution of a day
and the drift of the features between a model's training window and today. Read-only: nothing here
writes a row (the feature queries use temporary tables only, as doorstep.scoring.features does).

Drift is the population stability index (PSI) of each feature, on the deciles of the reference (the
cases open on the model's `trained_until`) against the cases open today:
PSI = Σ over bins (share now − share then) × ln(share now ÷ share then). Missing values make a bin of
their own (a feature that goes missing more often has drifted too), and an empty bin counts as
EMPTY_SHARE so the logarithm stays finite. The usual reading: below 0.1 stable, 0.1–0.25 worth a
look, above 0.25 shifted (retrain or find out why).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.cache import cache
from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Max, When

from doorstep.portfolio.delinquency import bucket_scheme
from doorstep.scoring.features import FEATURE_CATALOGUE, case_features
from doorstep.scoring.models import CaseScore, ScoringModel

EMPTY_SHARE = 1e-4
PSI_WATCH = 0.1
PSI_SHIFT = 0.25
DRIFT_CACHE_SECONDS = 3600
# Probability bands of the score distribution: [0, 0.2), [0.2, 0.4), ... [0.8, 1].
BAND_EDGES = (0.2, 0.4, 0.6, 0.8)


def population_stability_index(reference: npt.ArrayLike, current: npt.ArrayLike, *, bins: int = 10) -> float:
    """PSI of `current` against `reference`, on the reference's quantile bins (deciles by default).

    Cut points are the reference's inner quantiles, duplicates dropped (a feature with few distinct
    values gets fewer bins); a value equal to a cut point goes to the bin above it. NaN is a bin of
    its own. Either side empty: NaN, as there is nothing to compare.
    """
    expected = np.asarray(reference, dtype=np.float64).ravel()
    actual = np.asarray(current, dtype=np.float64).ravel()
    if expected.size == 0 or actual.size == 0:
        return float("nan")
    known = expected[~np.isnan(expected)]
    cuts = np.unique(np.quantile(known, np.linspace(0, 1, bins + 1)[1:-1])) if known.size else np.array([])

    def shares(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        missing = np.isnan(values)
        index = np.searchsorted(cuts, values[~missing], side="right")
        counts = np.bincount(index, minlength=cuts.size + 1).astype(np.float64)
        counts = np.append(counts, float(missing.sum()))
        return np.maximum(counts / values.size, EMPTY_SHARE)

    expected_share, actual_share = shares(expected), shares(actual)
    used = (expected_share > EMPTY_SHARE) | (actual_share > EMPTY_SHARE)  # bins empty on both sides add nothing
    difference = actual_share[used] - expected_share[used]
    return float(np.sum(difference * np.log(actual_share[used] / expected_share[used])))


def drift_level(psi: float) -> str:
    if math.isnan(psi):
        return "unknown"
    if psi > PSI_SHIFT:
        return "shift"
    if psi > PSI_WATCH:
        return "watch"
    return "stable"


@dataclass(frozen=True)
class FeatureDrift:
    feature: str
    label_en: str
    label_zh: str
    psi: float
    level: str  # stable, watch, shift, unknown
    missing_then: float  # share of missing values in the reference
    missing_now: float


@dataclass(frozen=True)
class DriftReport:
    version: str
    reference_on: date
    current_on: date
    reference_cases: int
    current_cases: int
    features: list[FeatureDrift]  # largest PSI first

    @property
    def flagged(self) -> list[FeatureDrift]:
        return [row for row in self.features if row.level in ("watch", "shift")]


def _missing_share(values: npt.NDArray[Any]) -> float:
    return float(np.isnan(values).mean()) if values.size else float("nan")


def drift_compute(*, model: ScoringModel, today: date) -> DriftReport:
    """PSI of each of the model's features, cases open on its `trained_until` against cases open today."""
    reference = case_features(as_of=model.trained_until).matrix
    current = case_features(as_of=today).matrix
    rows = []
    for name in model.feature_names:
        if name not in reference.names or name not in current.names:
            continue
        then = reference.values[:, reference.names.index(name)].astype(np.float64)
        now = current.values[:, current.names.index(name)].astype(np.float64)
        psi = population_stability_index(then, now)
        english, chinese = FEATURE_CATALOGUE.get(name, (name, name))
        rows.append(FeatureDrift(feature=name, label_en=english, label_zh=chinese, psi=psi, level=drift_level(psi),
                                 missing_then=_missing_share(then), missing_now=_missing_share(now)))
    rows.sort(key=lambda row: (math.isnan(row.psi), -row.psi if not math.isnan(row.psi) else 0.0))
    return DriftReport(version=model.version, reference_on=model.trained_until, current_on=today,
                       reference_cases=reference.n_rows, current_cases=current.n_rows, features=rows)


def model_drift(*, model: ScoringModel, today: date) -> DriftReport:
    """drift_compute, kept in the cache for an hour per model version and day (it reads every open case twice)."""
    key = f"scoring:drift:{model.kind}:{model.version}:{today.isoformat()}"
    report = cache.get(key)
    if not isinstance(report, DriftReport):
        report = drift_compute(model=model, today=today)
        cache.set(key, report, DRIFT_CACHE_SECONDS)
    return report


# --- the registry and the scores ------------------------------------------------------------------

def scoring_model_active(*, kind: str) -> ScoringModel | None:
    return ScoringModel.objects.filter(kind=kind, is_active=True).first()


def scoring_models_registered(*, limit: int = 50) -> list[ScoringModel]:
    return list(ScoringModel.objects.all()[:limit])


def scores_latest_day(*, model: ScoringModel) -> date | None:
    value = CaseScore.objects.filter(model=model).aggregate(day=Max("as_of"))["day"]
    return value if isinstance(value, date) else None


@dataclass(frozen=True)
class ScoreDistribution:
    day: date
    bands: list[str]  # "0.0–0.2", ...
    rows: list[tuple[str, list[int], int]]  # bucket, count per band, total
    band_totals: list[int]
    total: int


def _band_labels() -> list[str]:
    edges = (0.0, *BAND_EDGES, 1.0)
    return [f"{low:.1f}–{high:.1f}" for low, high in pairwise(edges)]


def score_distribution(*, model: ScoringModel, day: date) -> ScoreDistribution:
    """Scores of `day` by `model` counted per case bucket × probability band, in one grouped query.

    The bucket is the case's current one (as the case list shows it), not the one on `day`.
    """
    band = CaseWhen(*(When(probability__lt=edge, then=index) for index, edge in enumerate(BAND_EDGES)),
                    default=len(BAND_EDGES), output_field=IntegerField())
    grouped = (CaseScore.objects.filter(model=model, as_of=day).annotate(band=band)
               .values("case__bucket", "band").annotate(count=Count("id")).order_by())
    counts: dict[str, list[int]] = {}
    for row in grouped:
        counts.setdefault(str(row["case__bucket"]), [0] * (len(BAND_EDGES) + 1))[int(row["band"])] += int(row["count"])
    order = {name: index for index, name in enumerate(bucket_scheme().names)}
    buckets = sorted(counts, key=lambda name: (order.get(name, len(order)), name))
    rows = [(bucket, counts[bucket], sum(counts[bucket])) for bucket in buckets]
    band_totals = [sum(row[1][index] for row in rows) for index in range(len(BAND_EDGES) + 1)]
    return ScoreDistribution(day=day, bands=_band_labels(), rows=rows, band_totals=band_totals,
                             total=sum(band_totals))
