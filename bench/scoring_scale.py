"""Scoring every open case end to end from PostgreSQL: features, scores, CaseScore rows.

Uses its own database (default `doorstep_bench_scoring` on 127.0.0.1:5432, user postgres), never the
test database. The book is generated server-side by INSERT ... SELECT generate_series (one borrower,
one open case and one 12-installment loan per case, payments for all but the last 0-7 installments
due, one bucket-history row per loan); contacts, promises and visits tables stay empty. The models
are trained once on 100 000 rows of the book's own features with synthetic labels (a known logistic
propensity and a visit effect by segment), so the trees are realistic in number and depth.

Each measured run is `scoring_score(as_of=AS_OF)` in a child process, after the day's scores are
deleted outside the measured time (the nightly case): its stages (load the model files, features,
predict + reasons, write), the child's peak RSS and the load average. `--skip-training` scores with
the models an earlier run registered.

    .venv/bin/python bench/scoring_scale.py --cases 100000 --repeats 3
    .venv/bin/python bench/scoring_scale.py --cases 1000000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
AS_OF = date(2026, 6, 30)
MODEL_DIR = Path(tempfile.gettempdir()) / "doorstep_bench_scoring_models"


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DOORSTEP_MODEL_DIR"] = str(MODEL_DIR)
    import django

    django.setup()


def _ensure_database(database: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')


GENERATE = [
    "TRUNCATE scoring_casescore, portfolio_case, portfolio_buckethistory, portfolio_payment, portfolio_installment, "
    "portfolio_loanstatus, portfolio_loan, portfolio_borrower CASCADE",
    "INSERT INTO portfolio_borrower (id, external_id, name, national_id_sealed, national_id_digest, "
    "national_id_masked, phone_sealed, phone_digest, phone_masked, address, jurisdiction, country, timezone, "
    "language, flags, risk_flags, created_at, updated_at) SELECT g, 'SB' || g, 'generated', '', '', '', '', '', '', "
    "'', 'CN', 'CN', 'Asia/Shanghai', 'zh-Hans', '[]'::jsonb, '[]'::jsonb, now(), now() "
    "FROM generate_series(1, %(n)s) g",
    # Disbursed 60-359 days before AS_OF; 12 installments every 30 days; 0-7 of those due left unpaid.
    "INSERT INTO portfolio_loan (id, external_id, borrower_id, product, currency, principal, disbursed_on, "
    "annual_rate, annual_cost, lender_licence) SELECT g, 'SL' || g, g, '', 'CNY', "
    "120000 + (g::bigint * 7919 %% 24) * 12000, DATE %(as_of)s - (60 + CAST(g::bigint * 104729 %% 300 AS INT)), "
    "180000, 180000, 'microloan' FROM generate_series(1, %(n)s) g",
    "INSERT INTO portfolio_installment (loan_id, seq, due_on, principal_due, interest_due, fee_due, due_before) "
    "SELECT l.id, s, l.disbursed_on + 30 * s, l.principal / 12, l.principal * 18 / 1200, 0, "
    "(s - 1) * (l.principal / 12 + l.principal * 18 / 1200) FROM portfolio_loan l, generate_series(1, 12) s",
    "INSERT INTO portfolio_payment (external_id, loan_id, paid_at, paid_on, amount, channel) "
    "SELECT 'SP' || l.id || '-' || s, l.id, (l.disbursed_on + 30 * s + CAST(l.id %% 5 AS INT) - 2) + TIME '10:00', "
    "l.disbursed_on + 30 * s + CAST(l.id %% 5 AS INT) - 2, l.principal / 12 + l.principal * 18 / 1200, 'app' "
    "FROM portfolio_loan l, generate_series(1, 12) s "
    "WHERE s <= LEAST(12, (DATE %(as_of)s - l.disbursed_on) / 30) - (l.id * 31 %% 8) "
    "AND l.disbursed_on + 30 * s + CAST(l.id %% 5 AS INT) - 2 <= DATE %(as_of)s",
    "INSERT INTO portfolio_buckethistory (loan_id, as_of, dpd, bucket, overdue_amount, outstanding_principal, "
    "collectible_amount, cap_flag, recorded_at) SELECT l.id, DATE %(as_of)s - 30, (l.id * 31 %% 8) * 30, 'M1', 0, 0, "
    "0, 'ok', now() FROM portfolio_loan l",
    "INSERT INTO portfolio_case (borrower_id, status, opened_on, as_of, currency, max_dpd, bucket, overdue_amount, "
    "collectible_amount, outstanding_principal, cap_flag, is_collection_blocked) SELECT g, 'open', "
    "DATE %(as_of)s - 30, DATE %(as_of)s, 'CNY', 30, 'M1', 0, 0, 0, 'ok', false FROM generate_series(1, %(n)s) g",
    "ANALYZE",
]


def _generate(cases: int) -> dict[str, float]:
    from django.db import connection

    seconds = {}
    with connection.cursor() as cursor:
        for statement in GENERATE:
            started = time.perf_counter()
            cursor.execute(statement, {"n": cases, "as_of": AS_OF.isoformat()})
            seconds[statement.split()[2] if statement.startswith("INSERT") else statement.split()[0]] = (
                time.perf_counter() - started
            )
    return seconds


def _open_cases() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portfolio_case WHERE status = 'open'")
        return int(cursor.fetchone()[0])


def _train() -> str:
    """Propensity and uplift trained on 100 000 rows of the book's features, labels from a known model."""
    import numpy as np

    from doorstep.scoring.core.serialise import propensity_to_bytes, uplift_to_bytes
    from doorstep.scoring.core.training import PropensityConfig, propensity_fit
    from doorstep.scoring.core.uplift import UpliftConfig, uplift_fit
    from doorstep.scoring.features import case_features
    from doorstep.scoring.models import ScoringModel
    from doorstep.scoring.services import _write_model_file

    features = case_features(as_of=AS_OF).matrix
    rng = np.random.default_rng(7)
    rows = rng.choice(features.n_rows, size=min(100_000, features.n_rows), replace=False)
    sample = features.take(np.sort(rows))
    dpd = np.nan_to_num(sample.column("dpd"))
    regular = np.nan_to_num(sample.column("on_time_share_180d"), nan=0.5)
    logit = 1.0 - dpd / 60 + 1.5 * regular + 0.3 * rng.normal(size=sample.n_rows)
    treatment = (rng.random(sample.n_rows) < 0.2).astype(np.int64)
    effect = np.where(dpd < 90, 0.15, 0.02) * treatment
    target = (rng.random(sample.n_rows) < np.clip(1 / (1 + np.exp(-logit)) + effect, 0, 1)).astype(np.int64)
    propensity = propensity_fit(features=sample, target=target, config=PropensityConfig())
    uplift = uplift_fit(features=sample, outcome=target, treatment=treatment, config=UpliftConfig())
    version = "bench-synthetic"
    ScoringModel.objects.filter(version=version).delete()
    ScoringModel.objects.filter(is_active=True).update(is_active=False)
    for kind, data in (("propensity", propensity_to_bytes(propensity)), ("uplift", uplift_to_bytes(uplift))):
        path, digest = _write_model_file(kind, version, data)
        ScoringModel.objects.create(
            version=version,
            kind=kind,
            path=path,
            sha256=digest,
            trained_from=AS_OF,
            trained_until=AS_OF,
            feature_names=list(sample.names),
            is_active=True,
            metrics={"synthetic": True, "trees": propensity.booster.num_trees()},
        )
    return f"{propensity.booster.num_trees()} propensity trees"


def _clear_day() -> None:
    """The nightly case: nothing scored for the day yet (a rerun also deletes the day's rows, ~1-2 s
    a million). Outside the measured time; VACUUM so every run starts from the same table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM scoring_casescore WHERE as_of = %s", [AS_OF])
        cursor.execute("VACUUM ANALYZE scoring_casescore")


def _score_once() -> None:
    from doorstep.scoring.services import scoring_score

    _clear_day()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    summary = scoring_score(as_of=AS_OF)
    total = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = {"load_before": load_before, "load_after": os.getloadavg()[0]}
    print(json.dumps({"cases": summary.cases, "total": total, "peak_rss_mib": peak_mib, **summary.seconds, **load}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database", default="doorstep_bench_scoring")
    parser.add_argument("--score-once", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-training", action="store_true", help="score with the models already registered")
    options = parser.parse_args()
    if options.database in ("test", "postgres") or options.database.startswith("test_"):
        parser.error("use a database of the benchmark's own")
    _ensure_database(options.database)
    _setup(options.database)
    if options.score_once:
        _score_once()
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if _open_cases() != options.cases:
        print(f"generating {options.cases} cases ...", flush=True)
        print(json.dumps(_generate(options.cases)), flush=True)
    if not options.skip_training:
        print(f"training on the book's features: {_train()}", flush=True)
    runs = []
    for _ in range(options.repeats):
        child = subprocess.run(
            [sys.executable, __file__, "--database", options.database, "--cases", str(options.cases), "--score-once"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), flush=True)
    keys = [key for key in runs[0] if key not in ("cases", "load_before", "load_after")]
    print("median: " + ", ".join(f"{key} {statistics.median(run[key] for run in runs):.1f}" for key in keys))


if __name__ == "__main__":
    main()
