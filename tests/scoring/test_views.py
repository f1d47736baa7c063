"""The analyst's scoring page, the borrower page's risk score and the plan page's model explain.

Registry rows and scores are written directly, with metrics shaped as
doorstep.scoring.services.scoring_train stores them, so the pages are tested without training.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from doorstep.accounts.models import Role, User
from doorstep.planning.building import _prize
from doorstep.planning.models import Plan, Route, Stop
from doorstep.scoring import reports
from doorstep.scoring.features import FEATURE_NAMES
from doorstep.scoring.models import CaseScore, ScoringModel
from doorstep.scoring.reports import drift_compute, drift_level, model_drift, population_stability_index
from tests.factories import AgencyFactory, BorrowerFactory, CaseFactory, LoanFactory, TeamFactory, UserFactory

SCORED_ON = date(2026, 11, 1)
WINDOW = {"trained_from": "2026-05-01", "trained_until": "2026-08-01", "test_from": "2026-09-01",
          "test_until": "2026-09-01", "as_of_dates": ["2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01",
                                                      "2026-09-01"]}
REASONS = [{"feature": "dpd", "value": 45.0, "contribution": -0.812},
           {"feature": "promises_kept_180d", "value": 2.0, "contribution": 0.403},
           {"feature": "on_time_share_180d", "value": None, "contribution": -0.11}]


def propensity_metrics() -> dict[str, Any]:
    """As scoring_train stores them: as_json_data(PropensityReport) plus the window."""
    predicted = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]
    return {
        "split": "time: train before 2026-09-01, test from 2026-09-01", "train_rows": 4000, "test_rows": 1000,
        "train_positive_rate": 0.412, "test_positive_rate": 0.398, "trees": 87, "calibration": "isotonic",
        "lightgbm": {"auc": 0.8123, "ks": 0.4817, "brier": 0.1672},
        "lightgbm_uncalibrated": {"auc": 0.8119, "ks": 0.4801, "brier": 0.1745},
        "logistic": {"auc": 0.7436, "ks": 0.3702, "brier": 0.1954},
        "calibration_bins": [{"lower": p - 0.05, "upper": p + 0.05, "count": 100, "mean_predicted": p,
                              "observed_rate": min(1.0, p * 1.05)} for p in predicted],
        "gains": [{"group": g, "count": 100, "positives": 90 - 9 * g, "rate": (90 - 9 * g) / 100,
                   "lift": (90 - 9 * g) / 100 / 0.398, "cumulative_share_of_positives": min(1.0, g * 0.15),
                   "min_score": 1 - g / 10, "max_score": 1.1 - g / 10} for g in range(1, 11)],
        "train_from": "2026-05-01", "train_until": "2026-08-01", "test_from": "2026-09-01",
        "test_until": "2026-09-01", "window": WINDOW,
    }


def uplift_metrics(**extra: Any) -> dict[str, Any]:
    return {"method": "x_learner", "treated_share": 0.231, "test_rows": 1000, "test_treated": 224,
            "qini": 0.0187, "mean_uplift": 0.0412, "window": WINDOW, **extra}


def register(version: str, *, active: bool = True, uplift: dict[str, Any] | None = None) -> ScoringModel:
    common = {"version": version, "trained_from": date(2026, 5, 1), "trained_until": date(2026, 8, 1),
              "feature_names": list(FEATURE_NAMES), "is_active": active, "sha256": "0" * 64}
    propensity = ScoringModel.objects.create(kind=ScoringModel.Kind.PROPENSITY, path=f"propensity-{version}.json",
                                             metrics=propensity_metrics(), **common)
    if uplift is not None:
        ScoringModel.objects.create(kind=ScoringModel.Kind.UPLIFT, path=f"uplift-{version}.json", metrics=uplift,
                                    **common)
    return propensity


def score(case: Any, model: ScoringModel, probability: float, *, uplift: float | None = 0.081,
          on: date = SCORED_ON, reasons: list[dict[str, Any]] | None = None) -> CaseScore:
    return CaseScore.objects.create(case=case, as_of=on, model=model, probability=probability, uplift=uplift,
                                    expected_amount=Decimal("1500.00"), expected_recovery=Decimal("121.50"),
                                    reasons=REASONS if reasons is None else reasons)


def client_for(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    agency = AgencyFactory()
    made = {role: UserFactory(role=role) for role in ("admin", "supervisor", "compliance", "analyst", "trainer",
                                                       "collector")}
    made["agency_supervisor"] = UserFactory(role=Role.SUPERVISOR, agency=agency)
    made["agency_analyst"] = UserFactory(role=Role.ANALYST, agency=agency)
    return made


# --- access and the empty state --------------------------------------------------------------------

@pytest.mark.parametrize(("name", "status"), [
    ("admin", 200), ("supervisor", 200), ("compliance", 200), ("analyst", 200),
    ("collector", 403), ("trainer", 403), ("agency_supervisor", 403), ("agency_analyst", 403)])
def test_the_page_is_for_the_lenders_analysts_supervisors_compliance_and_admins(users, name, status) -> None:
    client = client_for(users[name])
    assert client.get("/scoring/").status_code == status
    assert client.get("/scoring/drift/").status_code == status
    assert ('href="/scoring/"' in client.get("/training/").text) is (status == 200)


def test_anonymous_visitors_are_sent_to_log_in(db) -> None:
    for url in ("/scoring/", "/scoring/drift/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_without_a_model_the_page_says_how_to_train_one(users) -> None:
    client = client_for(users["analyst"])
    page = client.get("/scoring/")
    assert page.status_code == 200
    assert "No model trained yet: run <code>doorstep scoring train</code>" in page.text
    assert "The registry is empty." in page.text
    assert "No model trained yet: nothing to compare." in client.get("/scoring/drift/").text


# --- the page with a model -------------------------------------------------------------------------

@pytest.fixture
def scored(users) -> dict[str, Any]:
    register("20260801-oldoldold0", active=False)
    model = register("20260901-abcdef1234", uplift=uplift_metrics())
    m1 = [CaseFactory(bucket="M1") for _ in range(3)]
    m3 = [CaseFactory(bucket="M3") for _ in range(2)]
    for case, probability in zip(m1, (0.05, 0.65, 0.91), strict=True):
        score(case, model, probability)
        score(case, model, 0.5, on=SCORED_ON - timedelta(days=1))  # an earlier day: not counted
    for case, probability in zip(m3, (0.1, 0.19), strict=True):
        score(case, model, probability)
    return {"model": model, "m1": m1, "m3": m3}


def test_the_page_shows_the_active_models_metrics_charts_registry_and_distribution(users, scored) -> None:
    text = client_for(users["analyst"]).get("/scoring/").text
    assert "active model 20260901-abcdef1234" in text
    for row, figures in (("lightgbm", ("0.812", "0.482", "0.1672")),
                         ("lightgbm_uncalibrated", ("0.812", "0.480", "0.1745")),
                         ("logistic", ("0.744", "0.370", "0.1954"))):
        cells = text.split(f'data-model="{row}"')[1].split("</tr>")[0]
        assert all(figure in cells for figure in figures), (row, cells)
    assert "LightGBM (calibrated)" in text and "Logistic regression (baseline)" in text
    assert 'aria-label="Calibration: predicted against observed"' in text
    assert 'aria-label="Cumulative gains by decile"' in text
    assert '<strong data-test="qini">0.0187</strong>' in text
    assert "Curve not recorded for this model." in text
    # Latest day only: M1 has one case in 0.0–0.2, one in 0.6–0.8, one in 0.8–1.0; M3 two in 0.0–0.2.
    m1 = text.split('data-bucket="M1"')[1].split("</tr>")[0]
    m3 = text.split('data-bucket="M3"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(?:<strong>)?(\d+)', m1) == ["1", "0", "0", "1", "1", "3"]
    assert re.findall(r'<td class="num">(?:<strong>)?(\d+)', m3) == ["2", "0", "0", "0", "0", "2"]
    assert "Scores of 2026-11-01: 5 open cases" in text
    assert 'data-version="20260801-oldoldold0" data-kind="propensity"' in text
    assert 'data-version="20260901-abcdef1234" data-kind="uplift"' in text
    assert "2026-05-01 – 2026-08-01" in text and "26 features" in text
    assert 'hx-get="/scoring/drift/"' in text


def test_a_recorded_qini_curve_is_drawn(users) -> None:
    curve = {"fractions": [i / 500 for i in range(501)], "gains": [0.04 * (i / 500) ** 0.5 for i in range(501)]}
    register("20260901-qini000000", uplift=uplift_metrics(qini_curve=curve))
    text = client_for(users["analyst"]).get("/scoring/").text
    assert 'aria-label="Qini curve"' in text and "Curve not recorded" not in text


def test_a_model_without_scores_or_uplift_says_so(users) -> None:
    model = register("20260901-alone00000")
    model.metrics = {**model.metrics, "uplift": {"skipped": "too few visited cases with both outcomes"}}
    model.save()
    text = client_for(users["supervisor"]).get("/scoring/").text
    assert "No scores yet for this model: run <code>doorstep scoring score --as-of DATE</code>" in text
    assert "No uplift model: training skipped it. too few visited cases with both outcomes" in text


# --- drift ----------------------------------------------------------------------------------------

def test_psi_on_the_reference_deciles_matches_the_hand_computed_value() -> None:
    reference = list(range(10))  # deciles cut at 0.9, 1.8, ... 8.1: one value per bin, 10 % each
    # 20 values: 3 in the first bin (15 %), 1 in the last (5 %), 2 in each of the others (10 %).
    current = [0, 0, 0, 9] + [value for value in range(1, 9) for _ in range(2)]
    expected = 0.05 * math.log(1.5) + (-0.05) * math.log(0.5)  # 0.0549306...
    assert population_stability_index(reference, current) == pytest.approx(expected, abs=1e-12)
    assert population_stability_index(reference, reference) == 0.0


def test_psi_counts_missing_values_as_a_bin_and_empty_bins_as_a_small_share() -> None:
    reference = [1.0, 1.0, 2.0, 2.0]  # two bins of 50 %: below 2 and from 2
    current = [1.0, 1.0, float("nan"), float("nan")]  # 50 % in the first, 0 % in the second, 50 % missing
    eps = reports.EMPTY_SHARE
    expected = (eps - 0.5) * math.log(eps / 0.5) + (0.5 - eps) * math.log(0.5 / eps)
    assert population_stability_index(reference, current, bins=2) == pytest.approx(expected, abs=1e-12)
    assert math.isnan(population_stability_index([], [1.0]))


def test_drift_levels_follow_the_usual_thresholds() -> None:
    assert [drift_level(value) for value in (0.0, 0.1, 0.11, 0.25, 0.26, float("nan"))] == [
        "stable", "stable", "watch", "watch", "shift", "unknown"]


@pytest.fixture
def book_for_drift(db) -> ScoringModel:
    for number in range(6):
        borrower = BorrowerFactory()
        LoanFactory(borrower=borrower, disbursed_on=date(2026, 1, 1) + timedelta(days=number))
        CaseFactory(borrower=borrower, opened_on=date(2026, 2, 1))
    return register("20260901-drift00000")


def test_drift_compares_the_features_of_the_training_window_with_today(book_for_drift) -> None:
    report = drift_compute(model=book_for_drift, today=date(2026, 11, 30))
    assert report.reference_on == date(2026, 8, 1) and report.reference_cases == report.current_cases == 6
    psi = {row.feature: row for row in report.features}
    assert set(psi) == set(FEATURE_NAMES)
    # The same six loans four months older: every case moves above the reference's top decile.
    assert psi["customer_days"].level == "shift" and psi["customer_days"] in report.flagged
    assert psi["loans"].psi == 0.0 and psi["loans"].level == "stable"
    assert report.features[0].psi >= report.features[-1].psi or math.isnan(report.features[-1].psi)


def test_drift_is_cached_an_hour_per_model_version_and_day(book_for_drift, monkeypatch) -> None:
    calls: list[date] = []
    real = reports.drift_compute

    def counting(*, model: ScoringModel, today: date) -> reports.DriftReport:
        calls.append(today)
        return real(model=model, today=today)

    monkeypatch.setattr(reports, "drift_compute", counting)
    first = model_drift(model=book_for_drift, today=date(2026, 11, 30))
    again = model_drift(model=book_for_drift, today=date(2026, 11, 30))
    model_drift(model=book_for_drift, today=date(2026, 12, 1))
    assert calls == [date(2026, 11, 30), date(2026, 12, 1)] and again == first


def test_the_drift_fragment_flags_shifted_features(users, book_for_drift) -> None:
    response = client_for(users["analyst"]).get("/scoring/drift/")
    assert response.status_code == 200
    row = response.text.split('data-feature="customer_days"')[1].split("</tr>")[0]
    assert 'data-level="shift"' in row and "days as a customer" in row and "shifted (PSI &gt; 0.25)" in row
    chinese = client_for(users["analyst"], "zh-hans").get("/scoring/drift/").text
    assert "客户时长（天）" in chinese


# --- the borrower page ----------------------------------------------------------------------------

@pytest.fixture
def scored_case(users) -> Any:
    model = register("20260901-abcdef1234", uplift=uplift_metrics())
    case = CaseFactory(borrower=BorrowerFactory(external_id="RISK1"), currency="CNY")
    score(case, model, 0.6234, on=SCORED_ON - timedelta(days=7), reasons=[])  # older: not shown
    score(case, model, 0.6234)
    return case


def test_the_borrower_page_shows_the_latest_score_with_reasons_in_english(users, scored_case) -> None:
    text = client_for(users["supervisor"]).get("/borrowers/RISK1/").text
    panel = text.split('id="risk-score-panel"')[1].split("</section>")[0]
    assert '<strong data-test="probability">62.3 %</strong>' in panel
    assert "8.1 percentage points" in panel
    assert '<strong data-test="expected-recovery">121.50 CNY</strong>' in panel
    assert "20260901-abcdef1234" in panel and "scored 2026-11-01" in panel
    assert "▼ days past due now is 45: lowers the chance of payment" in panel
    assert "▲ promises to pay kept (180 days) is 2: raises the chance of payment" in panel
    assert "share of installments paid on time (180 days) is missing: lowers the chance of payment" in panel


def test_the_borrower_page_shows_the_reasons_in_chinese(users, scored_case) -> None:
    text = client_for(users["supervisor"], "zh-hans").get("/borrowers/RISK1/").text
    panel = text.split('id="risk-score-panel"')[1].split("</section>")[0]
    assert "当前逾期天数为45：降低还款可能性" in panel
    assert "近180天兑现承诺次数为2：提高还款可能性" in panel


def test_a_case_without_a_score_says_so(users) -> None:
    CaseFactory(borrower=BorrowerFactory(external_id="NOSCORE"))
    text = client_for(users["supervisor"]).get("/borrowers/NOSCORE/").text
    assert "No score for this case yet" in text


def test_a_score_by_an_inactive_model_is_not_shown(users) -> None:
    case = CaseFactory(borrower=BorrowerFactory(external_id="OLD1"))
    score(case, register("20260801-oldoldold0", active=False), 0.9)
    assert "No score for this case yet" in client_for(users["supervisor"]).get("/borrowers/OLD1/").text


# --- the plan page --------------------------------------------------------------------------------

def test_the_plan_page_shows_the_model_score_of_a_stop_and_the_rule_otherwise(users) -> None:
    model = register("20260901-abcdef1234", uplift=uplift_metrics())
    team = TeamFactory(code="TA")
    with_score = CaseFactory(borrower=BorrowerFactory(external_id="PS1"), team=team)
    interim = CaseFactory(borrower=BorrowerFactory(external_id="PS2"), team=team)
    row = score(with_score, model, 0.6234)
    explains = {with_score.pk: _prize(with_score, CaseScore.objects.select_related("model").get(pk=row.pk))[1],
                interim.pk: _prize(interim)[1]}
    visits = [{"id": f"C{case.pk}", "location": {"lat": 22.54, "lon": 114.05}, "service": 45,
               "windows": [[540.0, 1000.0]], "prize": 10.0, "required": False, "skills": [], "min_team_size": 1,
               "demand": 0, "ref": {"borrower_id": case.borrower.external_id, "case_id": case.pk},
               "explain": explains[case.pk]} for case in (with_score, interim)]
    teams = [{"id": "TA", "members": [], "start": {"lat": 22.54, "lon": 114.05}, "end": {"lat": 22.54, "lon": 114.05},
              "shift": [480, 1080], "skills": []}]
    plan = Plan.objects.create(day=date(2026, 12, 2), territory=team.territory, status=Plan.Status.READY,
                               timezone="Asia/Shanghai", scenario={"name": "s", "travel": {"kind": "haversine"},
                                                                   "teams": teams, "visits": visits})
    at = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    route = Route.objects.create(plan=plan, team=team, depart_at=at, return_at=at + timedelta(hours=3),
                                 travel_minutes=12)
    for sequence, case in enumerate((with_score, interim), start=1):
        Stop.objects.create(route=route, case=case, sequence=sequence, arrival_at=at, start_at=at,
                            end_at=at + timedelta(minutes=45), prize=Decimal("10.00"))

    english = client_for(users["supervisor"]).get(f"/plans/{plan.pk}/")
    assert english.status_code == 200
    stops = english.text.split('<ol class="stops">')[1].split("</ol>")[0]
    first, second = stops.split(f'data-case="{interim.pk}"')
    assert "p=0.62, uplift=0.081" in first and "model 20260901-abcdef1234" in first
    assert "days past due now is 45: lowers the chance of payment" in first
    assert "<details" in first  # the reasons fold away
    assert "p=" not in second and 'data-test="visit-score"' not in second
    chinese = client_for(users["supervisor"], "zh-hans").get(f"/plans/{plan.pk}/").text
    assert "当前逾期天数为45：降低还款可能性" in chinese
