"""Training the scoring models from the platform's history, and scoring every open case with them.

`scoring_train` builds labelled snapshots of the open cases at several as-of dates (monthly, say),
trains on the earlier snapshots and tests on the later ones (time-based validation), writes the
propensity and uplift models as versioned JSON files under settings.DOORSTEP_MODEL_DIR and registers
them. `scoring_score` scores every case open on a day with the active models and writes one
CaseScore per case; scoring the same day with the same model again replaces those rows.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction

from doorstep.common.audit import audit_append
from doorstep.common.core.money import decimal_to_cents
from doorstep.common.errors import InvalidInput
from doorstep.common.sql import bulk_load, date_param, execute, fetch_all, lock, vendor
from doorstep.scoring.core.boosting import BoosterConfig
from doorstep.scoring.core.explain import contributions, decision_groups
from doorstep.scoring.core.features import FeatureError, FeatureMatrix
from doorstep.scoring.core.metrics import qini_coefficient
from doorstep.scoring.core.serialise import (
    as_json_data,
    propensity_from_bytes,
    propensity_to_bytes,
    uplift_from_bytes,
    uplift_to_bytes,
)
from doorstep.scoring.core.training import PropensityConfig, PropensityModel, propensity_run, time_split
from doorstep.scoring.core.uplift import (
    UpliftConfig,
    UpliftMethod,
    UpliftModel,
    UpliftPrediction,
    money_from_floats,
    uplift_fit,
    visit_expected_recovery,
)
from doorstep.scoring.features import CaseFeatures, LabelledCaseFeatures, case_features_labelled
from doorstep.scoring.features import case_features as case_features_compute
from doorstep.scoring.models import CaseScore, ScoringModel

logger = logging.getLogger(__name__)

REASONS_PER_SCORE = 3
WRITE_CHUNK = 10_000


@dataclass
class TrainingSummary:
    version: str
    propensity: ScoringModel
    uplift: ScoringModel | None
    rows: int
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class ScoringSummary:
    as_of: date
    version: str
    cases: int
    with_uplift: bool
    seconds: dict[str, float] = field(default_factory=dict)


def _model_dir() -> Path:
    return Path(settings.DOORSTEP_MODEL_DIR)


def _stack(
    snapshots: list[LabelledCaseFeatures],
) -> tuple[FeatureMatrix, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One matrix of every snapshot's rows (row ids stay case ids; as_of tells the snapshots apart)."""
    matrices = [snapshot.features.matrix for snapshot in snapshots]
    dates = [matrix.as_of for matrix in matrices if matrix.as_of is not None]
    matrix = FeatureMatrix(
        names=matrices[0].names,
        values=np.concatenate([matrix.values for matrix in matrices]),
        row_ids=np.concatenate([matrix.row_ids for matrix in matrices]),
        as_of=np.concatenate(dates),
    )
    target = np.concatenate([snapshot.target for snapshot in snapshots])
    treatment = np.concatenate([snapshot.treatment for snapshot in snapshots])
    expected = np.concatenate([snapshot.features.expected_cents for snapshot in snapshots])
    visited_late = np.concatenate([snapshot.visited_late for snapshot in snapshots])
    return matrix, target, treatment, expected, visited_late


def _write_model_file(kind: str, version: str, data: bytes) -> tuple[str, str]:
    relative = f"{kind}-{version}.json"
    directory = _model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / relative
    partial = target.with_suffix(".json.partial")
    partial.write_bytes(data)
    partial.replace(target)  # never a half-written model file under its final name
    return relative, hashlib.sha256(data).hexdigest()


def _uplift_metrics(model: UpliftModel, features: FeatureMatrix, treatment: np.ndarray, outcome: np.ndarray) -> Any:
    prediction = model.predict(features)
    metrics: dict[str, Any] = {
        "method": model.method,
        "treated_share": model.treated_share,
        "test_rows": features.n_rows,
        "test_treated": int(treatment.sum()),
    }
    if 0 < treatment.sum() < treatment.shape[0]:
        from doorstep.scoring.core.metrics import qini_curve

        metrics["qini"] = qini_coefficient(treatment, outcome, prediction.uplift)
        metrics["mean_uplift"] = float(prediction.uplift.mean())
        # The analyst page draws the curve (doorstep.web.scoring_views._qini): at most 101 points, evenly
        # spaced along the curve's own points, ends kept; only finite values, as jsonb refuses NaN.
        curve = qini_curve(treatment, outcome, prediction.uplift)
        keep = np.unique(np.round(np.linspace(0, curve.fractions.shape[0] - 1, 101)).astype(np.int64))
        points = [
            (round(float(fraction), 6), round(float(gain), 6))
            for fraction, gain in zip(curve.fractions[keep], curve.gains[keep], strict=True)
            if math.isfinite(fraction) and math.isfinite(gain)
        ]
        metrics["qini_curve"] = {"fractions": [f for f, _ in points], "gains": [g for _, g in points]}
    return metrics


def scoring_train(
    *,
    as_of_dates: Sequence[date],
    test_from: date | None = None,
    booster: BoosterConfig | None = None,
    uplift_method: UpliftMethod = "x_learner",
    activate: bool = True,
    by: Any = None,
) -> TrainingSummary:
    """Train on snapshots before `test_from` (default: the last as-of date), test on the rest, register.

    The uplift model is trained only when the training rows hold enough visited and non-visited
    cases with both outcomes (the core's rule); otherwise the propensity model is registered alone
    and the registry's metrics say why.
    """
    dates = sorted(set(as_of_dates))
    if len(dates) < 2:
        raise InvalidInput("training needs at least two as-of dates: earlier ones to train on, a later one to test")
    cut = test_from or dates[-1]
    if not dates[0] < cut <= dates[-1]:
        raise InvalidInput(f"the test window must start after {dates[0]} and by {dates[-1]}")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    snapshots = [case_features_labelled(as_of=day) for day in dates]
    features, target, treatment, _, visited_late = _stack(snapshots)
    seconds["features"] = time.perf_counter() - started
    config = BoosterConfig() if booster is None else booster
    started = time.perf_counter()
    try:
        split = time_split(features, cut_on=cut)
        run = propensity_run(features=features, target=target, split=split, config=PropensityConfig(booster=config))
    except FeatureError as error:
        raise InvalidInput(f"cannot train the propensity model: {error}") from error
    seconds["propensity"] = time.perf_counter() - started
    trained_until = max(day for day in dates if day < cut)
    window: dict[str, Any] = {
        "trained_from": dates[0].isoformat(),
        "trained_until": trained_until.isoformat(),
        "test_from": cut.isoformat(),
        "test_until": dates[-1].isoformat(),
        "as_of_dates": [day.isoformat() for day in dates],
    }
    propensity_metrics = as_json_data(run.report)

    started = time.perf_counter()
    # A case first visited after the treatment window but within the target's 30 days may pay because
    # of that visit: as a control it would raise the untreated paid rate and shrink the estimated
    # effect (on the demo book the model's mean uplift was 40 % of the true one). It is no clean
    # treated row either, so the uplift model neither learns from it nor is tested on it; the
    # propensity model, which asks only who pays, keeps it.
    clean = visited_late == 0
    train_rows, test_rows = split.train[clean[split.train]], split.test[clean[split.test]]
    uplift_model: UpliftModel | None = None
    uplift_metrics: dict[str, Any]
    try:
        uplift_model = uplift_fit(
            features=features.take(train_rows),
            outcome=target[train_rows],
            treatment=treatment[train_rows],
            config=UpliftConfig(booster=config, method=uplift_method),
        )
        uplift_metrics = _uplift_metrics(
            uplift_model, features.take(test_rows), treatment[test_rows], target[test_rows]
        )
        uplift_metrics["visited_late_left_out"] = int((~clean).sum())
    except FeatureError as error:
        uplift_metrics = {"skipped": str(error)}
    seconds["uplift"] = time.perf_counter() - started

    propensity_bytes = propensity_to_bytes(run.model, metadata={**window, "metrics": propensity_metrics})
    version = f"{dates[-1]:%Y%m%d}-{hashlib.sha256(propensity_bytes).hexdigest()[:10]}"
    with transaction.atomic():
        lock("scoring-registry")
        if ScoringModel.objects.filter(version=version).exists():
            raise InvalidInput(f"model version {version} is already registered")
        path, digest = _write_model_file("propensity", version, propensity_bytes)
        common = {
            "version": version,
            "trained_from": dates[0],
            "trained_until": trained_until,
            "feature_names": list(features.names),
        }
        if activate:
            ScoringModel.objects.filter(is_active=True).update(is_active=False)
        propensity = ScoringModel.objects.create(
            kind=ScoringModel.Kind.PROPENSITY,
            path=path,
            sha256=digest,
            metrics={**propensity_metrics, "window": window},
            is_active=activate,
            **common,
        )
        uplift = None
        if uplift_model is not None:
            data = uplift_to_bytes(uplift_model, metadata={**window, "metrics": uplift_metrics, "version": version})
            path, digest = _write_model_file("uplift", version, data)
            uplift = ScoringModel.objects.create(
                kind=ScoringModel.Kind.UPLIFT,
                path=path,
                sha256=digest,
                metrics={**uplift_metrics, "window": window},
                is_active=activate,
                **common,
            )
        else:
            propensity.metrics = {**propensity.metrics, "uplift": uplift_metrics}
            propensity.save(update_fields=["metrics"])
        audit_append(
            actor=by,
            action="scoring.train",
            subject=propensity,
            data={
                "version": version,
                "rows": features.n_rows,
                "uplift": uplift is not None,
                "auc": run.report.lightgbm.auc,
                "logistic_auc": run.report.logistic.auc,
            },
        )
    return TrainingSummary(version=version, propensity=propensity, uplift=uplift, rows=features.n_rows, seconds=seconds)


def _read_model_file(row: ScoringModel) -> bytes:
    path = _model_dir() / row.path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read the model file of {row}: {path}: {error.strerror or error}") from error
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise InvalidInput(f"the model file {path} is not the one registered for {row} (SHA-256 differs)")
    return data


def active_models() -> tuple[ScoringModel, PropensityModel, UpliftModel | None]:
    """The active propensity model and, when one of the same version is active, its uplift model."""
    row = ScoringModel.objects.filter(kind=ScoringModel.Kind.PROPENSITY, is_active=True).first()
    if row is None:
        raise InvalidInput("no active propensity model: run `doorstep scoring train` first")
    propensity, _ = propensity_from_bytes(_read_model_file(row))
    uplift_row = ScoringModel.objects.filter(kind=ScoringModel.Kind.UPLIFT, is_active=True, version=row.version).first()
    uplift = None if uplift_row is None else uplift_from_bytes(_read_model_file(uplift_row))[0]
    return row, propensity, uplift


def _number(value: float) -> str:
    return "null" if math.isnan(value) else repr(round(value, 6))


def reasons_top(
    booster: Any, features: FeatureMatrix, *, k: int, num_threads: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Columns and contributions of each row's k largest |contributions|, largest first.

    The same choice as doorstep.scoring.core.explain.top_reasons (ties keep the matrix's column
    order, zero contributions are dropped later), without building k objects per row: a million rows
    would spend a minute there. Contributions are computed once per group of rows the trees cannot
    tell apart (doorstep.scoring.core.explain.decision_groups): the same numbers, bit for bit.
    """
    representatives, group = decision_groups(booster, features)
    matrix = contributions(booster, features.take(representatives), num_threads=num_threads)[:, :-1]
    order = np.argsort(-np.abs(matrix), axis=1, kind="stable")[:, :k]
    picked = np.take_along_axis(matrix, order, axis=1)
    return order[group], picked[group]


def _distinct_rows(parts: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct row of the side-by-side 8-byte columns, and each row's index
    among them (rows compared byte for byte)."""
    stacked = np.ascontiguousarray(np.hstack([part.astype(part.dtype.newbyteorder("=")) for part in parts]))
    keys = stacked.view(np.dtype((np.void, stacked.dtype.itemsize * stacked.shape[1]))).reshape(-1)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _reason_documents(features: FeatureMatrix, order: np.ndarray, picked: np.ndarray) -> list[str]:
    """Each row's reasons as JSON text: feature, its value, its contribution (words come at reading time).

    Written once per distinct (features, values, contributions): many cases share them.
    """
    names = features.names
    chosen = np.take_along_axis(features.values, order, axis=1).astype(np.float64)
    if not order.shape[0]:
        return []
    first, inverse = _distinct_rows(
        [order.astype(np.int64), chosen.view(np.int64), np.ascontiguousarray(picked, dtype=np.float64).view(np.int64)]
    )
    documents = []
    for columns, row_values, row_contributions in zip(
        order[first].tolist(), chosen[first].tolist(), picked[first].tolist(), strict=True
    ):
        parts = [
            f'{{"feature": "{names[column]}", "value": {_number(value)}, "contribution": {_number(contribution)}}}'
            for column, value, contribution in zip(columns, row_values, row_contributions, strict=True)
            if contribution != 0
        ]
        documents.append("[" + ", ".join(parts) + "]")
    return [documents[index] for index in inverse.tolist()]


@dataclass(frozen=True, eq=False)
class CaseScores:
    """Scores of every row of a feature set, before they are written."""

    features: CaseFeatures
    probability: np.ndarray
    uplift: np.ndarray | None
    expected_recovery: list[Decimal]
    reason_columns: np.ndarray  # n × k column indexes, largest |contribution| first
    reason_contributions: np.ndarray  # n × k


def scores_compute(
    *, features: CaseFeatures, propensity: PropensityModel, uplift: UpliftModel | None, num_threads: int = 0
) -> CaseScores:
    """Probability, uplift and the visit's expected recovery (the planner's prize) for every row.

    With an uplift model the prize counts only what the visit adds: max(uplift, 0) × the collectible
    amount. Without one it falls back to P(pay) × the collectible amount, which ranks cases by what
    they are likely to pay rather than by what a visit changes; `explain` says which it is.
    """
    matrix = features.matrix
    probability = propensity.predict(matrix, num_threads=num_threads)
    amount = features.expected_cents.astype(np.float64) / 100
    prediction: UpliftPrediction | None = None if uplift is None else uplift.predict(matrix, num_threads=num_threads)
    if prediction is None:
        recovery = probability * amount
    else:
        recovery = visit_expected_recovery(prediction=prediction, expected_amount=amount, basis="incremental")
    if matrix.n_rows:
        columns, picked = reasons_top(propensity.booster, matrix, k=REASONS_PER_SCORE, num_threads=num_threads)
    else:
        columns, picked = np.zeros((0, REASONS_PER_SCORE), dtype=np.int64), np.zeros((0, REASONS_PER_SCORE))
    return CaseScores(
        features=features,
        probability=probability,
        uplift=None if prediction is None else prediction.uplift,
        expected_recovery=money_from_floats(recovery) if matrix.n_rows else [],
        reason_columns=columns,
        reason_contributions=picked,
    )


SCORE_COLUMNS = (
    "case_id",
    "as_of",
    "model_id",
    "probability",
    "uplift",
    "expected_amount",
    "expected_recovery",
    "reasons",
)


def _score_rows(scores: CaseScores, *, as_of: date, model_id: int) -> Iterator[tuple[Any, ...]]:
    day = date_param(as_of)
    count = scores.features.matrix.n_rows
    documents = _reason_documents(scores.features.matrix, scores.reason_columns, scores.reason_contributions)
    uplift = [None] * count if scores.uplift is None else scores.uplift.tolist()
    return zip(
        scores.features.case_ids.tolist(),
        [day] * count,
        [model_id] * count,
        scores.probability.tolist(),
        uplift,
        scores.features.expected_cents.tolist(),
        [decimal_to_cents(amount) for amount in scores.expected_recovery],
        documents,
        strict=True,
    )


def _chunks(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _references_check(*, as_of: date, model_id: int) -> None:
    """What the foreign keys CaseScore has not got would check, once for the day's rows: the model
    exists (and stays, until the commit) and every case does."""
    # FOR KEY SHARE, as the foreign key's own check: the model cannot be deleted before the commit.
    lock_clause = " FOR KEY SHARE" if vendor() == "postgresql" else ""
    if not fetch_all(f"SELECT 1 FROM scoring_scoringmodel WHERE id = %s{lock_clause}", [model_id]):
        raise InvalidInput(f"scoring model {model_id} no longer exists")
    orphans = fetch_all(
        "SELECT COUNT(*) FROM scoring_casescore s WHERE s.as_of = %s AND s.model_id = %s "
        "AND NOT EXISTS (SELECT 1 FROM portfolio_case c WHERE c.id = s.case_id)",
        [date_param(as_of), model_id],
    )[0][0]
    if orphans:
        raise InvalidInput(f"{orphans} scored cases of {as_of} no longer exist; score the day again")


def scoring_score(*, as_of: date, by: Any = None) -> ScoringSummary:
    """Score every case open on `as_of` with the active models; idempotent for the same day and model."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    row, propensity, uplift = active_models()
    seconds["load"] = time.perf_counter() - started
    started = time.perf_counter()
    features = case_features_compute(as_of=as_of)
    seconds["features"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        scores = scores_compute(
            features=features, propensity=propensity, uplift=uplift, num_threads=settings.DOORSTEP_SCORING_THREADS
        )
    except FeatureError as error:
        raise InvalidInput(f"the features of {as_of} do not fit model {row.version}: {error}") from error
    seconds["score"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        lock(f"scoring-score-{as_of.isoformat()}")
        # Replacing the day's rows of this model makes a rerun (a retried nightly task) change nothing.
        execute("DELETE FROM scoring_casescore WHERE as_of = %s AND model_id = %s", [date_param(as_of), row.pk])
        for chunk in _chunks(_score_rows(scores, as_of=as_of, model_id=row.pk), WRITE_CHUNK):
            bulk_load(CaseScore._meta.db_table, SCORE_COLUMNS, chunk)
        _references_check(as_of=as_of, model_id=row.pk)
        audit_append(
            actor=by,
            action="scoring.score",
            subject=row,
            data={"as_of": as_of.isoformat(), "cases": features.matrix.n_rows, "uplift": uplift is not None},
        )
    seconds["write"] = time.perf_counter() - started
    return ScoringSummary(
        as_of=as_of, version=row.version, cases=features.matrix.n_rows, with_uplift=uplift is not None, seconds=seconds
    )
