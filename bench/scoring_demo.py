"""The uplift model on the generated demo book, checked against the behavioural model's known truth.

Each seed runs in a child process with its own fresh SQLite file (never the test database): seed the
demo book (`doorstep demo seed`'s service, as of AS_OF), train with `scoring_train` on month-end
snapshots (the last HELD_OUT ones held out), then report:

(a) on the held-out snapshots, pooled: the Qini coefficient of the uplift model, of the TRUE uplift
    used as the score (doorstep.demo.truth: the oracle ceiling) and of a random score; and
    `uplift_vs_truth` (Pearson, Spearman, mean absolute error of predicted vs true uplift);
(b) plans: for every territory with a team on AS_OF, the real planner's plan with the interim rule
    (built before any CaseScore exists) and with uplift prizes (after `scoring_score`), same teams,
    day and solver seed; each graded by the TRUE expected recovery of its visited cases,
    sum(true uplift × expected amount), never by the model's own numbers.

Medians over seeds are printed and written to bench/data/scoring_demo.json. Generated demo data only.

    .venv/bin/python bench/scoring_demo.py --seeds 3
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from functools import reduce
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
AS_OF = date(2026, 10, 31)
BORROWERS = 2400
HELD_OUT = 2
PLAN_TIME_LIMIT_S = 3.0
OUTPUT = ROOT / "bench" / "data" / "scoring_demo.json"


def _month_ends(as_of: date, count: int) -> list[date]:
    """Month-end snapshots whose 30-day label window closes by as_of, oldest first."""
    days: list[date] = []
    first = as_of.replace(day=1)
    while len(days) < count:
        end = first - timedelta(days=1)
        if end + timedelta(days=30) <= as_of:
            days.append(end)
        first = end.replace(day=1)
    return sorted(days)


def _child(seed: int, directory: Path) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DOORSTEP_MODEL_DIR"] = str(directory / "models")
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command

    from doorstep.accounts.models import User
    from doorstep.demo.book import book_generate
    from doorstep.demo.services import VISIT_DISTRICTS, demo_seed
    from doorstep.demo.truth import visit_uplift
    from doorstep.planning.models import Plan, Stop
    from doorstep.planning.services import plan_build, plan_solve
    from doorstep.portfolio.delinquency import bucket_scheme
    from doorstep.portfolio.models import Case
    from doorstep.scoring.core.metrics import qini_coefficient, uplift_vs_truth
    from doorstep.scoring.features import case_features, case_features_labelled
    from doorstep.scoring.services import active_models, scoring_score, scoring_train

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo_seed(borrowers=BORROWERS, seed=seed, as_of=AS_OF)
    seconds["seed"] = time.perf_counter() - started
    book = book_generate(
        borrowers=BORROWERS, seed=seed, as_of=AS_OF, scheme=bucket_scheme(), visit_districts=VISIT_DISTRICTS
    )
    borrower_of_case = dict(Case.objects.values_list("id", "borrower__external_id"))

    def truth(case_ids: np.ndarray, day: date) -> np.ndarray:
        return np.array([visit_uplift(book.histories[borrower_of_case[int(case)]], day) for case in case_ids])

    # (a) train on month-end snapshots, check the held-out ones against the truth.
    snapshots = _month_ends(AS_OF, 10)
    started = time.perf_counter()
    trained = scoring_train(as_of_dates=snapshots, test_from=snapshots[-HELD_OUT])
    seconds["train"] = time.perf_counter() - started
    _, _, uplift = active_models()
    if uplift is None:
        raise SystemExit(f"seed {seed}: no uplift model was trained: {trained.propensity.metrics.get('uplift')}")
    treatment, outcome, predicted, true = [], [], [], []
    visited_late = 0
    for day in snapshots[-HELD_OUT:]:
        labelled = case_features_labelled(as_of=day)
        visited_late += int(labelled.visited_late.sum())
        treatment.append(labelled.treatment)
        outcome.append(labelled.target)
        predicted.append(uplift.predict(labelled.features.matrix).uplift)
        true.append(truth(labelled.features.case_ids, day))
    t, y, p, u = (np.concatenate(parts) for parts in (treatment, outcome, predicted, true))
    rng = np.random.default_rng(seed)
    report = uplift_vs_truth(t, y, p, u)
    held_out = {
        "rows": int(t.shape[0]),
        "treated": int(t.sum()),
        "visited_late": visited_late,  # untreated rows first visited on days 8-30 (still counted as controls here)
        "qini_model": report.qini_predicted,
        "qini_truth": report.qini_true,
        "qini_random": qini_coefficient(t, y, rng.random(t.shape[0])),
        "pearson": report.pearson,
        "spearman": report.spearman,
        "mae": report.mean_absolute_error,
        "mean_true_uplift": float(u.mean()),
        "mean_predicted_uplift": float(p.mean()),
        "naive_difference": float(y[t == 1].mean() - y[t == 0].mean()),
    }

    # (b) plans on AS_OF: interim rule first (no CaseScore yet), then uplift prizes.
    supervisor = User.objects.get(username="supervisor")
    features = case_features(as_of=AS_OF)
    amount = dict(zip(features.case_ids.tolist(), (features.expected_cents / 100).tolist(), strict=True))

    def plans(label: str) -> dict[str, Any]:
        built = plan_build(day=AS_OF, by=supervisor, time_limit_s=PLAN_TIME_LIMIT_S, seed=seed)
        cases: list[int] = []
        for plan in built:
            solved = plan_solve(plan_id=plan.pk)
            if solved.status == Plan.Status.READY:
                cases += list(Stop.objects.filter(route__plan=solved).values_list("case_id", flat=True))
        visited = np.array(sorted(set(cases)), dtype=np.int64)
        uplift_true = truth(visited, AS_OF) if visited.size else np.zeros(0)
        recovery = float(
            sum(value * amount.get(int(case), 0.0) for case, value in zip(visited, uplift_true, strict=True))
        )
        return {
            "plans": len(built),
            "visits": int(visited.size),
            "true_recovery": recovery,
            "mean_true_uplift": float(uplift_true.mean()) if visited.size else 0.0,
            "arm": label,
        }

    started = time.perf_counter()
    interim = plans("interim")
    scoring_score(as_of=AS_OF)
    with_uplift = plans("uplift")
    seconds["plans"] = time.perf_counter() - started
    return {"seed": seed, "held_out": held_out, "interim": interim, "uplift": with_uplift, "seconds": seconds}


def _median(runs: list[dict[str, Any]], *path: str) -> float:
    return statistics.median(float(reduce(operator.getitem, path, run)) for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=20261201)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_child(args.child, Path(args.directory))))
        return
    runs = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        with tempfile.TemporaryDirectory(prefix="doorstep-scoring-demo-") as directory:
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(seed), "--directory", directory],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["seconds"]["total"] = time.perf_counter() - started
            runs.append(run)
            held, interim, uplift = run["held_out"], run["interim"], run["uplift"]
            print(
                f"seed {seed}: Qini model {held['qini_model']:.4f} truth {held['qini_truth']:.4f} random "
                f"{held['qini_random']:.4f}; r={held['pearson']:.3f} MAE {held['mae']:.4f}; true recovery of plans "
                f"interim {interim['true_recovery']:,.0f} ({interim['visits']} visits) uplift "
                f"{uplift['true_recovery']:,.0f} ({uplift['visits']} visits); {run['seconds']['total']:.0f} s",
                flush=True,
            )
    keys = [
        ("held_out", "qini_model"),
        ("held_out", "qini_truth"),
        ("held_out", "qini_random"),
        ("held_out", "pearson"),
        ("held_out", "spearman"),
        ("held_out", "mae"),
        ("held_out", "mean_true_uplift"),
        ("held_out", "mean_predicted_uplift"),
        ("held_out", "naive_difference"),
        ("held_out", "visited_late"),
        ("interim", "visits"),
        ("interim", "true_recovery"),
        ("interim", "mean_true_uplift"),
        ("uplift", "visits"),
        ("uplift", "true_recovery"),
        ("uplift", "mean_true_uplift"),
    ]
    medians = {".".join(key): _median(runs, *key) for key in keys}
    ratios = [
        run["uplift"]["true_recovery"] / run["interim"]["true_recovery"]
        for run in runs
        if run["interim"]["true_recovery"] > 0
    ]
    medians["uplift_over_interim_recovery"] = statistics.median(ratios) if ratios else float("nan")
    print(f"\nmedians over {len(runs)} seeds (as of {AS_OF}, {BORROWERS} borrowers, {HELD_OUT} held-out month-ends)")
    print(f"{'measure':40} {'median':>14}")
    for name, value in medians.items():
        print(f"{name:40} {value:14.4f}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        json.dumps(
            {
                "as_of": AS_OF.isoformat(),
                "borrowers": BORROWERS,
                "held_out": HELD_OUT,
                "medians": medians,
                "runs": runs,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
