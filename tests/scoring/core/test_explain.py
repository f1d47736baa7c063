import numpy as np
import pytest

from doorstep.scoring.core.explain import (
    Reason,
    contributions,
    decision_groups,
    reason_words,
    reasons_in_words,
    top_reasons,
)
from doorstep.scoring.core.features import FeatureMatrix
from doorstep.scoring.core.training import PropensityConfig, propensity_fit

from .conftest import FAST_BOOSTER, Book

CATALOGUE = {
    "x0": ("days past due now", "当前逾期天数"),
    "x1": ("payments in the last 90 days", "近90天还款次数"),
}


@pytest.fixture(scope="module")
def model(book: Book):
    return propensity_fit(features=book.features, target=book.target, config=PropensityConfig(booster=FAST_BOOSTER))


def test_contributions_add_up_to_the_raw_score(model, book: Book) -> None:
    rows = book.features.take(np.arange(50))
    raw_log_odds = model.booster.predict(rows.values, raw_score=True)
    assert contributions(model.booster, rows).sum(axis=1) == pytest.approx(raw_log_odds, abs=1e-9)


def test_top_reasons_are_the_largest_contributions_first(model, book: Book) -> None:
    rows = book.features.take(np.arange(30))
    matrix = contributions(model.booster, rows)[:, :-1]
    reasons = top_reasons(model.booster, rows, k=2)
    assert len(reasons) == 30
    for row, row_reasons in enumerate(reasons):
        assert len(row_reasons) == 2
        sizes = [abs(reason.contribution) for reason in row_reasons]
        assert sizes == sorted(sizes, reverse=True)
        assert sizes[0] == pytest.approx(np.abs(matrix[row]).max())
        first = row_reasons[0]
        column = rows.names.index(first.feature)
        assert first.contribution == matrix[row, column]
        assert first.value == pytest.approx(float(rows.values[row, column]), nan_ok=True)


def test_a_feature_the_trees_never_use_gives_no_reason(model, book: Book) -> None:
    rows = book.features.take(np.arange(30))
    used = set(np.array(model.booster.feature_name())[model.booster.feature_importance() > 0])
    for row_reasons in top_reasons(model.booster, rows, k=4):
        assert {reason.feature for reason in row_reasons} <= used


def test_reasons_in_english_and_chinese() -> None:
    reasons = [Reason("x0", -0.8, 45.0), Reason("x1", 0.3, 2.5), Reason("x3", 0.1, float("nan"))]
    assert reasons_in_words(reasons, catalogue=CATALOGUE, language="en") == [
        "days past due now is 45: lowers the chance of payment",
        "payments in the last 90 days is 2.5: raises the chance of payment",
        "x3 is missing: raises the chance of payment",
    ]
    assert reasons_in_words(reasons, catalogue=CATALOGUE, language="zh") == [
        "当前逾期天数为45：降低还款可能性",
        "近90天还款次数为2.5：提高还款可能性",
        "x3为缺失：提高还款可能性",
    ]


def test_the_outcome_words_can_be_named_by_the_caller() -> None:
    words = reason_words(
        Reason("x0", 0.5, 3.14159), catalogue=CATALOGUE, language="en", outcome=("the chance of default", "违约可能性")
    )
    assert words == "days past due now is 3.14: raises the chance of default"


def _coarse(book: Book) -> FeatureMatrix:
    """The book's values rounded (so rows share the trees' decisions), with NaN, zeros and -0.0 kept."""
    values = np.round(book.features.values.astype(np.float64) * 2) / 2
    values[:40, 1] = 0.0
    values[40:80, 1] = -0.0
    return FeatureMatrix.build(names=book.features.names, values=values, row_ids=book.features.row_ids)


def test_rows_of_one_decision_group_get_the_very_same_contributions(model, book: Book) -> None:
    features = _coarse(book)
    representatives, group = decision_groups(model.booster, features)
    assert representatives.shape[0] < features.n_rows * 0.6  # rounding made the trees see fewer distinct rows
    assert np.array_equal(group[representatives], np.arange(representatives.shape[0]))
    full = contributions(model.booster, features)
    grouped = contributions(model.booster, features.take(representatives))[group]
    assert np.array_equal(full, grouped)  # bit for bit, not approximately
    assert np.array_equal(
        model.booster.predict(features.values), model.booster.predict(features.values[representatives])[group]
    )


def test_a_value_lightgbm_could_read_as_zero_keeps_its_row_alone(model, book: Book) -> None:
    values = np.zeros((3, book.features.values.shape[1]), dtype=np.float64)
    values[1, 0] = 1e-36
    features = FeatureMatrix.build(names=book.features.names, values=values)
    representatives, group = decision_groups(model.booster, features)
    assert group[0] == group[2] != group[1]
    assert representatives.shape[0] == 2


def test_the_thread_count_changes_no_contribution(model, book: Book) -> None:
    rows = book.features.take(np.arange(500))
    assert np.array_equal(
        contributions(model.booster, rows, num_threads=1), contributions(model.booster, rows, num_threads=2)
    )
