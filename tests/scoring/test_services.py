"""Training on a small synthetic book, the registry and its files, idempotent scoring, the planner's prize."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doorstep.accounts.models import Role
from doorstep.field.models import Visit
from doorstep.planning.building import scenario_build
from doorstep.portfolio.models import Borrower, Case, Installment, Loan, Payment
from doorstep.scoring.core.boosting import BoosterConfig
from doorstep.scoring.core.serialise import propensity_from_bytes
from doorstep.scoring.core.uplift import uplift_fit
from doorstep.scoring.models import CaseScore, ScoringModel
from doorstep.scoring.selectors import score_reasons
from doorstep.scoring.services import scoring_score, scoring_train
from doorstep.scoring.tasks import scoring_nightly_task
from tests.factories import TeamFactory, TerritoryFactory, UserFactory

from .rows import local, visits

FAST = BoosterConfig(num_leaves=7, learning_rate=0.1, max_rounds=60, early_stopping_rounds=10, min_data_in_leaf=10)
SNAPSHOTS = [date(2025, 10, 15), date(2025, 11, 15), date(2025, 12, 15), date(2026, 1, 15), date(2026, 2, 15)]
DUES = [date(2025 + (6 + month) // 12, (6 + month) % 12 + 1, 10) for month in range(12)]  # 10 Jul 2025 ...


@pytest.fixture
def model_dir(settings, tmp_path):
    settings.DOORSTEP_MODEL_DIR = tmp_path / "models"
    return settings.DOORSTEP_MODEL_DIR


@pytest.fixture
def synthetic(db):
    """240 borrowers, one loan each; "good" ones pay 85 % of installments, the others 35 %. Around each
    snapshot a third of the cases is visited; a visit makes a weak payer pay within days 60 % of the time."""
    rng = random.Random(5)
    territory = TerritoryFactory(code="440304")
    team = TeamFactory(code="TA", territory=territory, members=[UserFactory(role=Role.COLLECTOR)])
    borrowers = Borrower.objects.bulk_create(
        Borrower(
            external_id=f"S{n:04d}",
            name="generated",
            jurisdiction="CN",
            country="CN",
            timezone="Asia/Shanghai",
            lat=22.53 + n / 10_000,
            lon=114.05,
            territory=territory,
        )
        for n in range(240)
    )
    loans = Loan.objects.bulk_create(
        Loan(
            external_id=f"SL{n:04d}",
            borrower=borrower,
            currency="CNY",
            principal=Decimal("1200.00"),
            disbursed_on=date(2025, 6, 10),
            annual_rate=Decimal("0.18"),
            annual_cost=Decimal("0.18"),
            lender_licence="microloan",
        )
        for n, borrower in enumerate(borrowers)
    )
    Installment.objects.bulk_create(
        Installment(
            loan=loan,
            seq=seq,
            due_on=due_on,
            principal_due=Decimal("100.00"),
            interest_due=Decimal("18.00"),
            due_before=Decimal("118.00") * (seq - 1),
        )
        for loan in loans
        for seq, due_on in enumerate(DUES, start=1)
    )
    cases = Case.objects.bulk_create(
        Case(borrower=borrower, opened_on=date(2025, 7, 1), as_of=SNAPSHOTS[-1], currency="CNY", territory=territory)
        for borrower in borrowers
    )
    good = {loan.pk: rng.random() < 0.5 for loan in loans}
    payments: list[tuple[Loan, date]] = []
    for loan in loans:
        for due_on in DUES:
            if rng.random() < (0.85 if good[loan.pk] else 0.35):
                payments.append((loan, due_on + timedelta(days=rng.randint(-2, 3))))
    visited = []
    for as_of in SNAPSHOTS:
        for case, loan in zip(cases, loans, strict=True):
            if rng.random() < 0.35:
                day = as_of + timedelta(days=rng.randint(1, 7))
                visited.append((case, day, "met"))
                if rng.random() < (0.05 if good[loan.pk] else 0.6):
                    payments.append((loan, day + timedelta(days=rng.randint(1, 5))))
    visits(team, visited)
    Payment.objects.bulk_create(
        Payment(external_id=f"SP{n:06d}", loan=loan, paid_on=paid_on, paid_at=local(paid_on), amount=Decimal("118.00"))
        for n, (loan, paid_on) in enumerate(payments)
    )
    return {"cases": cases, "territory": territory, "team": team}


def test_training_registers_both_models_with_their_files_window_and_metrics(synthetic, model_dir) -> None:
    summary = scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    assert summary.rows == 240 * len(SNAPSHOTS)
    propensity, uplift = summary.propensity, summary.uplift
    assert uplift is not None and uplift.version == propensity.version == summary.version
    assert propensity.is_active and uplift.is_active
    assert (propensity.trained_from, propensity.trained_until) == (SNAPSHOTS[0], SNAPSHOTS[-2])
    assert propensity.metrics["window"]["test_from"] == "2026-02-15"
    assert propensity.metrics["test_rows"] == 240 and propensity.metrics["train_rows"] == 960
    assert 0.6 < propensity.metrics["lightgbm"]["auc"] <= 1 and "auc" in propensity.metrics["logistic"]
    assert "qini" in uplift.metrics
    path = model_dir / propensity.path
    data = path.read_bytes()
    assert json.loads(data)["format"] == "doorstep-scoring-model"
    model, metadata = propensity_from_bytes(data)
    assert list(model.feature_names) == propensity.feature_names
    assert metadata["trained_until"] == "2026-01-15"
    # A second training replaces the active pair; the older rows stay in the registry.
    again = scoring_train(as_of_dates=SNAPSHOTS[1:], booster=FAST)
    assert ScoringModel.objects.filter(is_active=True).count() == 2
    assert set(ScoringModel.objects.filter(is_active=True).values_list("version", flat=True)) == {again.version}


def test_a_case_first_visited_on_day_15_after_a_snapshot_is_left_out_of_the_uplift_rows(
    synthetic, model_dir, monkeypatch
) -> None:
    snapshot = SNAPSHOTS[1]
    visited_soon = set(
        Visit.objects.filter(day__gt=snapshot, day__lte=snapshot + timedelta(days=7)).values_list("case_id", flat=True)
    )
    case = next(case for case in synthetic["cases"] if case.pk not in visited_soon)
    visits(synthetic["team"], [(case, snapshot + timedelta(days=15), "met")])
    fitted = []

    def fit_spy(**arguments):
        fitted.append(arguments)
        return uplift_fit(**arguments)

    monkeypatch.setattr("doorstep.scoring.services.uplift_fit", fit_spy)
    summary = scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    assert summary.uplift is not None and summary.uplift.metrics["visited_late_left_out"] == 1
    (arguments,) = fitted
    features = arguments["features"]
    rows = set(zip(features.row_ids.tolist(), features.as_of.tolist(), strict=True))
    assert (case.pk, snapshot) not in rows
    assert {(case.pk, day) for day in SNAPSHOTS[:-1] if day != snapshot} <= rows
    assert features.n_rows == 240 * (len(SNAPSHOTS) - 1) - 1
    assert summary.propensity.metrics["train_rows"] == 960  # the propensity model keeps the row


def test_scoring_writes_one_score_per_open_case_and_a_rerun_changes_nothing(synthetic, model_dir) -> None:
    trained = scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    day = date(2026, 3, 1)
    first = scoring_score(as_of=day)
    assert first.cases == 240 and first.with_uplift
    rows = list(
        CaseScore.objects.order_by("case_id").values_list(
            "case_id", "probability", "uplift", "expected_amount", "expected_recovery", "reasons"
        )
    )
    assert len(rows) == 240 and {row[0] for row in rows} == {case.pk for case in synthetic["cases"]}
    scoring_score(as_of=day)
    again = list(
        CaseScore.objects.order_by("case_id").values_list(
            "case_id", "probability", "uplift", "expected_amount", "expected_recovery", "reasons"
        )
    )
    assert again == rows
    score = CaseScore.objects.get(case=synthetic["cases"][0], as_of=day)
    assert score.model == trained.propensity and 0 <= score.probability <= 1
    expected = (Decimal(str(max(score.uplift, 0.0))) * score.expected_amount).quantize(Decimal("0.01"))
    assert abs(score.expected_recovery - expected) <= Decimal("0.01")
    assert 1 <= len(score.reasons) <= 3
    assert set(score.reasons[0]) == {"feature", "value", "contribution"}
    words = score_reasons(score.reasons)
    assert words[0]["en"].endswith("the chance of payment") and words[0]["zh"].endswith("还款可能性")
    assert words[0]["feature"] == score.reasons[0]["feature"]
    assert len({round(row[1], 6) for row in rows}) > 1  # isotonic steps: few levels on a small book


def test_a_changed_model_file_is_refused(synthetic, model_dir) -> None:
    trained = scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    path = model_dir / trained.propensity.path
    path.write_bytes(path.read_bytes().replace(b'"metadata"', b'"metadata" '))
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("scoring", "score", "--as-of", "2026-03-01")


def test_the_planner_takes_its_prize_from_the_latest_score_in_one_query(synthetic, model_dir) -> None:
    scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    scoring_score(as_of=date(2026, 2, 20))
    scoring_score(as_of=date(2026, 3, 1))
    scored, unscored = synthetic["cases"][0], synthetic["cases"][1]
    CaseScore.objects.filter(case=unscored).delete()
    Case.objects.filter(pk=unscored.pk).update(bucket="M2", collectible_amount=Decimal("3000.00"))
    day = date(2026, 3, 2)
    with CaptureQueriesContext(connection) as queries:
        built = scenario_build(territory=synthetic["territory"], day=day)
    assert sum("scoring_casescore" in query["sql"] for query in queries.captured_queries) == 1
    by_case = {visit["ref"]["case_id"]: visit for visit in built.scenario["visits"]}
    score = CaseScore.objects.get(case=scored, as_of=date(2026, 3, 1))
    visit = by_case[scored.pk]
    assert visit["prize"] == float(score.expected_recovery)
    assert visit["explain"]["model"] == score.model.version
    assert visit["explain"]["probability"] == round(score.probability, 4)
    assert visit["explain"]["uplift"] == round(score.uplift, 4)
    assert visit["explain"]["expected_amount"] == float(score.expected_amount)
    assert visit["explain"]["reasons"] == score_reasons(score.reasons)
    assert by_case[unscored.pk]["explain"] == {
        "collectible": 3000.0,
        "rate": 0.2,
        "model": "interim-bucket-rate",
        "bucket": "M2",
    }
    # A score dated after the plan's day is not used.
    earlier = scenario_build(territory=synthetic["territory"], day=date(2026, 2, 25))
    assert {visit["explain"]["as_of"] for visit in earlier.scenario["visits"] if "as_of" in visit["explain"]} == {
        "2026-02-20"
    }


def test_commands_train_and_score(synthetic, model_dir, capsys) -> None:
    call_command("scoring", "train", "--until", "2026-02-15", "--months", "5")
    out = capsys.readouterr().out
    assert "propensity AUC" in out and "logistic" in out
    call_command("scoring", "score", "--as-of", "2026-03-01")
    assert "scored 240 open cases on 2026-03-01" in capsys.readouterr().out
    assert CaseScore.objects.filter(as_of=date(2026, 3, 1)).count() == 240


def test_command_errors_are_clear(db, model_dir) -> None:
    with pytest.raises(CommandError, match="no active propensity model"):
        call_command("scoring", "score", "--as-of", "2026-03-01")
    with pytest.raises(CommandError, match="not a date"):
        call_command("scoring", "score", "--as-of", "March")
    with pytest.raises(CommandError, match="at least two as-of dates"):
        call_command("scoring", "train", "--as-of", "2026-03-01")
    with pytest.raises(CommandError, match="give the snapshot dates"):
        call_command("scoring", "train")


def test_the_nightly_task_does_nothing_without_a_model_and_is_idempotent(synthetic, model_dir) -> None:
    assert scoring_nightly_task.run(as_of="2026-03-01") == 0
    scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    assert scoring_nightly_task.run(as_of="2026-03-01") == 240
    assert scoring_nightly_task.run(as_of="2026-03-01") == 240
    assert CaseScore.objects.count() == 240


def test_the_stored_reasons_are_the_ones_the_core_explains() -> None:
    from doorstep.scoring.core.explain import top_reasons
    from doorstep.scoring.core.training import PropensityConfig, propensity_fit
    from doorstep.scoring.services import reasons_top
    from tests.scoring.core.conftest import FAST_BOOSTER, make_book

    book = make_book(rows=800, seed=3)
    model = propensity_fit(features=book.features, target=book.target, config=PropensityConfig(booster=FAST_BOOSTER))
    rows = book.features.take(np.arange(60))
    columns, picked = reasons_top(model.booster, rows, k=3)
    for row, reasons in enumerate(top_reasons(model.booster, rows, k=3)):
        chosen = [(rows.names[column], value) for column, value in zip(columns[row], picked[row], strict=True) if value]
        assert chosen == [(reason.feature, reason.contribution) for reason in reasons]


def test_training_stores_the_qini_curve_the_analyst_page_draws(synthetic, model_dir) -> None:
    uplift = scoring_train(as_of_dates=SNAPSHOTS, booster=FAST).uplift
    assert uplift is not None
    uplift.refresh_from_db()  # as stored: JSON that the database accepted
    curve = uplift.metrics["qini_curve"]
    fractions, gains = curve["fractions"], curve["gains"]
    assert 2 <= len(fractions) == len(gains) <= 101
    assert all(np.isfinite(value) for value in fractions + gains)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and gains[0] == 0.0
    assert fractions == sorted(fractions)
    json.dumps(curve, allow_nan=False)


def test_scores_of_a_case_that_no_longer_exists_are_refused_before_the_commit(synthetic, model_dir) -> None:
    from doorstep.common.errors import InvalidInput
    from doorstep.scoring.services import _references_check

    trained = scoring_train(as_of_dates=SNAPSHOTS, booster=FAST)
    day = date(2026, 3, 1)
    scoring_score(as_of=day)
    _references_check(as_of=day, model_id=trained.propensity.pk)  # every scored case exists
    missing = max(case.pk for case in synthetic["cases"]) + 1000
    score = CaseScore.objects.filter(as_of=day).first()
    assert score is not None
    CaseScore.objects.filter(pk=score.pk).update(case_id=missing)  # no database constraint stops it now
    with pytest.raises(InvalidInput, match="1 scored cases"):
        _references_check(as_of=day, model_id=trained.propensity.pk)
    with pytest.raises(InvalidInput, match="no longer exists"):
        _references_check(as_of=day, model_id=trained.propensity.pk + 1000)
