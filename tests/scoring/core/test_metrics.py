import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstep.scoring.core.features import FeatureError
from doorstep.scoring.core.metrics import (
    brier_score,
    calibration_curve,
    gains_table,
    ks_statistic,
    qini_coefficient,
    qini_curve,
    roc_auc,
    uplift_vs_truth,
)

labels_and_scores = st.integers(min_value=2, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda y: 0 < sum(y) < len(y)),
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=n, max_size=n),
    )
)


def test_auc_and_ks_on_a_hand_computed_example() -> None:
    y = [0, 0, 1, 1]
    s = [0.1, 0.4, 0.35, 0.8]
    # Pairs (positive, negative): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 → 3 of 4.
    assert roc_auc(y, s) == pytest.approx(0.75)
    # Cumulative positives 0, .5, .5, 1 against negatives .5, .5, 1, 1 → largest gap 0.5.
    assert ks_statistic(y, s) == pytest.approx(0.5)


def test_ks_never_cuts_inside_a_group_of_tied_scores() -> None:
    assert ks_statistic([0, 1], [0.5, 0.5]) == 0.0
    assert ks_statistic([0, 1, 1], [0.2, 0.5, 0.5]) == pytest.approx(1.0)


def test_brier_score_is_the_mean_squared_error() -> None:
    assert brier_score([1, 0, 1], [0.9, 0.2, 0.5]) == pytest.approx((0.01 + 0.04 + 0.25) / 3)
    with pytest.raises(FeatureError):
        brier_score([1, 0], [1.2, 0.0])


@given(labels_and_scores)
@settings(max_examples=60, deadline=None)
def test_a_perfect_ranking_has_auc_and_ks_of_one(data: tuple[list[int], list[float]]) -> None:
    y = np.array(data[0])
    score = y + 0.1 * np.arange(y.shape[0]) / y.shape[0]  # every positive above every negative
    assert roc_auc(y, score) == pytest.approx(1.0)
    assert ks_statistic(y, score) == pytest.approx(1.0)


@given(labels_and_scores)
@settings(max_examples=100, deadline=None)
def test_ks_lies_in_the_unit_interval_and_reversing_the_score_mirrors_auc(data: tuple[list[int], list[float]]) -> None:
    y, s = np.array(data[0]), np.array(data[1])
    assert 0.0 <= ks_statistic(y, s) <= 1.0
    assert roc_auc(y, -s) == pytest.approx(1 - roc_auc(y, s))
    # KS is a property of the two score distributions, not of their direction.
    assert ks_statistic(y, -s) == pytest.approx(ks_statistic(y, s))


def test_metrics_refuse_a_single_class() -> None:
    with pytest.raises(FeatureError):
        roc_auc([1, 1], [0.2, 0.3])
    with pytest.raises(FeatureError):
        ks_statistic([0, 0], [0.2, 0.3])


def test_calibration_curve_bins_by_predicted_probability() -> None:
    bins = calibration_curve([0, 1, 0, 1, 1], [0.05, 0.15, 0.15, 0.95, 1.0], bins=10)
    assert [(b.count, b.observed_rate) for b in bins] == [(1, 0.0), (2, 0.5), (2, 1.0)]
    assert bins[1].mean_predicted == pytest.approx(0.15)
    assert bins[2].lower == pytest.approx(0.9) and bins[2].upper == pytest.approx(1.0)  # 1.0 lands in the top bin


def test_quantile_calibration_bins_hold_about_the_same_number_of_rows() -> None:
    rng = np.random.default_rng(3)
    p = rng.random(1000) ** 3
    bins = calibration_curve((rng.random(1000) < p).astype(int), p, bins=5, strategy="quantile")
    assert [b.count for b in bins] == [200] * 5


def test_gains_table_by_group_from_the_highest_score() -> None:
    y = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    rows = gains_table(y, list(range(10, 0, -1)), groups=5)
    assert [r.positives for r in rows] == [1, 1, 0, 0, 1]
    assert rows[0].lift == pytest.approx(0.5 / 0.3)
    assert [r.cumulative_share_of_positives for r in rows] == pytest.approx([1 / 3, 2 / 3, 2 / 3, 2 / 3, 1.0])
    assert (rows[0].max_score, rows[0].min_score) == (10.0, 9.0)


def test_qini_curve_and_coefficient_on_a_hand_computed_example() -> None:
    treatment = [1, 0, 1, 0, 1, 0]
    outcome = [1, 0, 1, 1, 0, 1]
    score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    # Q(k) = Yt(k) − Yc(k)·Nt(k)/Nc(k): 1, 1, 2, 1, 0.5, 0; divided by the 3 treated rows.
    curve = qini_curve(treatment, outcome, score)
    assert curve.fractions == pytest.approx(np.arange(7) / 6)
    assert curve.gains == pytest.approx([0, 1 / 3, 1 / 3, 2 / 3, 1 / 3, 1 / 6, 0])
    # The random line is flat at 0 (no overall effect); trapezoids of width 1/6 give 11/36.
    assert qini_coefficient(treatment, outcome, score) == pytest.approx(11 / 36)


def test_qini_ignores_the_order_of_rows_with_tied_scores() -> None:
    treatment = np.array([1, 0, 1, 0, 1, 0, 1, 0])
    outcome = np.array([1, 0, 0, 1, 1, 1, 0, 0])
    score = np.array([2, 2, 2, 1, 1, 1, 0, 0])
    permutation = np.array([2, 0, 1, 5, 3, 4, 7, 6])
    expected = qini_coefficient(treatment, outcome, score)
    assert qini_coefficient(treatment[permutation], outcome[permutation], score[permutation]) == pytest.approx(expected)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_qini_of_a_random_score_is_near_zero_and_of_the_true_effect_is_clearly_positive(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 20_000
    segment = rng.random(n) < 0.5
    treatment = (rng.random(n) < 0.5).astype(int)
    outcome = (rng.random(n) < 0.3 + 0.3 * treatment * segment).astype(int)
    random_qini = qini_coefficient(treatment, outcome, rng.random(n))
    true_qini = qini_coefficient(treatment, outcome, segment.astype(float))
    assert abs(random_qini) < 0.01
    # Targeting the helped half first: the curve rises to ~0.15 at 50 % and stays; area above the line ≈ 0.0375.
    assert true_qini == pytest.approx(0.0375, abs=0.01)


def test_uplift_vs_truth_reports_correlation_and_the_oracle_qini() -> None:
    rng = np.random.default_rng(5)
    n = 5000
    truth = np.where(rng.random(n) < 0.5, 0.3, 0.0)
    treatment = (rng.random(n) < 0.5).astype(int)
    outcome = (rng.random(n) < 0.2 + treatment * truth).astype(int)
    exact = uplift_vs_truth(treatment, outcome, truth, truth)
    assert exact.pearson == pytest.approx(1.0)
    assert exact.spearman == pytest.approx(1.0)
    assert exact.qini_ratio == pytest.approx(1.0)
    assert exact.mean_absolute_error == 0.0
    reversed_ = uplift_vs_truth(treatment, outcome, -truth, truth)
    assert reversed_.pearson == pytest.approx(-1.0)
    assert reversed_.qini_predicted < 0 < reversed_.qini_true
