"""The analyst's scoring page: the active models' test metrics next to the logistic baseline, the
calibration and gains charts, the uplift model's Qini, the registry, the latest day's scores by bucket
and band, and (loaded after the page) the drift of the features since the training window.

Everything shown comes from the registry's `metrics` as doorstep.scoring.services.scoring_train
stores them; a figure the metrics do not hold is shown as missing, never recomputed here.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from doorstep.accounts.selectors import user_may_see_portfolio_analytics
from doorstep.common.i18n import active_language
from doorstep.scoring.models import ScoringModel
from doorstep.scoring.reports import (
    PSI_SHIFT,
    PSI_WATCH,
    model_drift,
    score_distribution,
    scores_latest_day,
    scoring_model_active,
    scoring_models_registered,
)
from doorstep.web.charts import calibration_chart, gains_chart, qini_chart
from doorstep.web.views import allowed

QINI_POINTS = 101  # a curve recorded with a point per case is thinned to this many for drawing


def _number(value: Any) -> float | None:
    """A metric as a float, or None when it is missing or not a finite number (NaN is stored for undefined)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _comparison(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [("lightgbm", _("LightGBM (calibrated)") if metrics.get("calibration") else _("LightGBM")),
            ("lightgbm_uncalibrated", _("LightGBM (uncalibrated)")),
            ("logistic", _("Logistic regression (baseline)"))]
    result = []
    for key, label in rows:
        figures = metrics.get(key)
        if isinstance(figures, dict):
            result.append({"key": key, "label": label, "auc": _number(figures.get("auc")),
                           "ks": _number(figures.get("ks")), "brier": _number(figures.get("brier"))})
    return result


def _calibration(metrics: dict[str, Any]) -> tuple[list[dict[str, Any]], Any]:
    bins = [row for row in metrics.get("calibration_bins") or [] if isinstance(row, dict)]
    rows = [{"lower": _number(row.get("lower")), "upper": _number(row.get("upper")), "count": row.get("count"),
             "predicted": _number(row.get("mean_predicted")), "observed": _number(row.get("observed_rate"))}
            for row in bins]
    points = [(row["predicted"], row["observed"]) for row in rows
              if row["predicted"] is not None and row["observed"] is not None]
    chart = calibration_chart(points, title=_("Calibration: predicted against observed"),
                              model_label=_("model"), ideal_label=_("perfect calibration"),
                              x_label=_("mean predicted probability"), y_label=_("observed payment rate"))
    return rows, chart


def _gains(metrics: dict[str, Any]) -> tuple[list[dict[str, Any]], Any]:
    groups = [row for row in metrics.get("gains") or [] if isinstance(row, dict)]
    total = sum(int(row.get("count") or 0) for row in groups)
    rows, points, taken = [], [], 0
    for row in groups:
        taken += int(row.get("count") or 0)
        gain = _number(row.get("cumulative_share_of_positives"))
        rows.append({"group": row.get("group"), "count": row.get("count"), "rate": _number(row.get("rate")),
                     "lift": _number(row.get("lift")), "gain": gain, "min_score": _number(row.get("min_score")),
                     "max_score": _number(row.get("max_score"))})
        if total and gain is not None:
            points.append((taken / total, gain))
    chart = gains_chart(points, title=_("Cumulative gains by decile"), model_label=_("model"),
                        random_label=_("random order"), x_label=_("share of cases, highest scores first"),
                        y_label=_("share of payers found"))
    return rows, chart


def _qini(metrics: dict[str, Any]) -> Any:
    """The Qini curve when the metrics hold its points ({"qini_curve": {"fractions": [...], "gains": [...]}})."""
    curve = metrics.get("qini_curve")
    if not isinstance(curve, dict):
        return None
    fractions = [_number(value) for value in curve.get("fractions") or []]
    gains = [_number(value) for value in curve.get("gains") or []]
    pairs = [(f, g) for f, g in zip(fractions, gains, strict=False) if f is not None and g is not None]
    if len(pairs) < 2:
        return None
    if len(pairs) > QINI_POINTS:
        step = (len(pairs) - 1) / (QINI_POINTS - 1)
        pairs = [pairs[round(index * step)] for index in range(QINI_POINTS)]
    return qini_chart([f for f, _ in pairs], [g for _, g in pairs], title=_("Qini curve"), model_label=_("model"),
                      random_label=_("random targeting"), x_label=_("share of cases targeted, highest uplift first"),
                      y_label=_("extra payers per visited case"))


def _registry_rows(models: list[ScoringModel]) -> list[dict[str, Any]]:
    rows = []
    for model in models:
        metrics = _mapping(model.metrics)
        window, lightgbm = _mapping(metrics.get("window")), _mapping(metrics.get("lightgbm"))
        rows.append({"model": model, "test_from": window.get("test_from"), "test_until": window.get("test_until"),
                     "auc": _number(lightgbm.get("auc")), "qini": _number(metrics.get("qini")),
                     "features": list(model.feature_names or [])})
    return rows


@require_GET
@allowed(user_may_see_portfolio_analytics)
def scoring(request: HttpRequest) -> HttpResponse:
    propensity = scoring_model_active(kind=ScoringModel.Kind.PROPENSITY)
    uplift = scoring_model_active(kind=ScoringModel.Kind.UPLIFT)
    context: dict[str, Any] = {"propensity": propensity, "uplift": uplift,
                               "registry": _registry_rows(scoring_models_registered())}
    if propensity is not None:
        metrics = _mapping(propensity.metrics)
        calibration_rows, calibration_svg = _calibration(metrics)
        gains_rows, gains_svg = _gains(metrics)
        day = scores_latest_day(model=propensity)
        skipped = _mapping(metrics.get("uplift"))
        context.update({
            "metrics": metrics, "window": _mapping(metrics.get("window")), "comparison": _comparison(metrics),
            "calibration_rows": calibration_rows, "calibration_chart": calibration_svg,
            "gains_rows": gains_rows, "gains_chart": gains_svg,
            "distribution": score_distribution(model=propensity, day=day) if day else None,
            "uplift_skipped": skipped.get("skipped"),
        })
    if uplift is not None:
        metrics = _mapping(uplift.metrics)
        context.update({"uplift_metrics": {
            "qini": _number(metrics.get("qini")), "mean_uplift": _number(metrics.get("mean_uplift")),
            "treated_share": _number(metrics.get("treated_share")), "method": metrics.get("method"),
            "test_rows": metrics.get("test_rows"), "test_treated": metrics.get("test_treated")},
            "qini_chart": _qini(metrics)})
    return render(request, "web/scoring/page.html", context)


@require_GET
@allowed(user_may_see_portfolio_analytics)
def scoring_drift(request: HttpRequest) -> HttpResponse:
    """The drift table, loaded by the page after it shows: it reads every open case twice (cached an hour)."""
    propensity = scoring_model_active(kind=ScoringModel.Kind.PROPENSITY)
    report = None if propensity is None else model_drift(model=propensity, today=timezone.localdate())
    chinese = active_language() == "zh"
    rows = [] if report is None else [
        {"row": row, "label": row.label_zh if chinese else row.label_en,
         "psi": None if math.isnan(row.psi) else row.psi} for row in report.features]
    return render(request, "web/scoring/_drift.html", {"report": report, "rows": rows, "watch": PSI_WATCH,
                                                        "shift": PSI_SHIFT})
