import numpy as np
import pytest

from doorstep.scoring.core.features import FeatureError, FeatureMatrix, binary_target


def test_build_converts_and_freezes_the_arrays() -> None:
    matrix = FeatureMatrix.build(names=["a", "b"], values=[[1, 2], [3, np.nan]], as_of=["2026-01-05", "2026-02-01"])
    assert matrix.values.dtype == np.float32
    assert matrix.row_ids.tolist() == [0, 1]
    assert matrix.as_of is not None and matrix.as_of.dtype == np.dtype("datetime64[D]")
    assert np.isnan(matrix.column("b")[1])
    with pytest.raises(ValueError, match="read-only"):
        matrix.values[0, 0] = 9.0


def test_take_keeps_rows_ids_and_dates_together() -> None:
    matrix = FeatureMatrix.build(names=["a"], values=[[1], [2], [3]], row_ids=[7, 8, 9], as_of=["2026-01-01"] * 3)
    part = matrix.take(np.array([2, 0]))
    assert part.values[:, 0].tolist() == [3.0, 1.0]
    assert part.row_ids.tolist() == [9, 7]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"names": ("a", "a"), "values": np.zeros((2, 2), np.float32)}, "unique"),
        ({"names": ("a",), "values": np.zeros((2, 2), np.float32)}, "n×1"),
        ({"names": ("a",), "values": np.zeros((2, 1), np.float64)}, "float32"),
        ({"names": ("a",), "values": np.array([[np.inf], [0]], np.float32)}, "finite"),
        ({"names": ("days past due",), "values": np.zeros((2, 1), np.float32)}, "without spaces"),
        ({"names": ("grade:A",), "values": np.zeros((2, 1), np.float32)}, "without spaces"),
        ({"names": ("",), "values": np.zeros((2, 1), np.float32)}, "non-empty"),
    ],
)
def test_invalid_matrices_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(FeatureError, match=message):
        FeatureMatrix(row_ids=np.arange(2, dtype=np.int64), **kwargs)


def test_dates_must_be_days_without_gaps() -> None:
    values = np.zeros((2, 1), np.float32)
    with pytest.raises(FeatureError, match="NaT"):
        FeatureMatrix(("a",), values, np.arange(2, dtype=np.int64), np.array(["2026-01-01", "NaT"], "datetime64[D]"))
    with pytest.raises(FeatureError, match="datetime64"):
        FeatureMatrix(("a",), values, np.arange(2, dtype=np.int64), np.array(["2026-01-01"] * 2, "datetime64[s]"))


def test_scoring_with_other_columns_is_refused() -> None:
    matrix = FeatureMatrix.build(names=["a", "b"], values=[[1, 2]])
    matrix.ensure_names(("a", "b"))
    with pytest.raises(FeatureError, match="missing \\['c'\\]"):
        matrix.ensure_names(("a", "c"))
    with pytest.raises(FeatureError):
        matrix.ensure_names(("b", "a"))  # same columns, other order: the trees would read the wrong ones


def test_binary_target_accepts_booleans_and_refuses_other_values() -> None:
    assert binary_target(np.array([True, False]), n_rows=2).tolist() == [1, 0]
    with pytest.raises(FeatureError):
        binary_target([0, 2], n_rows=2)
    with pytest.raises(FeatureError):
        binary_target([0, 1], n_rows=3)
