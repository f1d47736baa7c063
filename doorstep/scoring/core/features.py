"""The feature matrix every model of the core reads: named float columns, row ids and optional dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]


_UNUSABLE = '",:[]{}'
_LIGHTGBM_UNUSABLE = re.compile(r'[\s",:\[\]{}]')


class FeatureError(ValueError):
    """A feature matrix, a target or a split does not have the shape or values the core needs."""


@dataclass(frozen=True, eq=False)
class FeatureMatrix:
    """n rows × k named features as float32, NaN meaning missing.

    `row_ids` ties each row back to whatever the caller scores (a case, a loan); `as_of` is the date
    each row describes, needed only for time-based splits. Arrays are made read-only so a frozen
    matrix really cannot change under a model that was trained on it.
    """

    names: tuple[str, ...]
    values: npt.NDArray[np.float32]
    row_ids: IntArray
    as_of: DateArray | None = None

    def __post_init__(self) -> None:
        values = np.asarray(self.values)
        if values.dtype != np.float32:
            raise FeatureError(f"values must be float32, got {values.dtype}")
        if values.ndim != 2 or values.shape[1] != len(self.names):
            raise FeatureError(f"values must be n×{len(self.names)}, got shape {values.shape}")
        if len(set(self.names)) != len(self.names):
            raise FeatureError("feature names must be unique")
        unusable = [name for name in self.names if not name or _LIGHTGBM_UNUSABLE.search(name)]
        if unusable:
            # LightGBM silently turns spaces into "_" and refuses JSON punctuation; a model file whose
            # names differ from the matrix's would then refuse every matrix it is given.
            raise FeatureError(f"feature names must be non-empty, without spaces or any of {_UNUSABLE}: {unusable}")
        if np.isinf(values).any():
            # LightGBM and the imputer treat NaN as missing but infinities as real extremes: refuse them.
            raise FeatureError("values must be finite or NaN")
        row_ids = np.asarray(self.row_ids)
        if row_ids.dtype != np.int64 or row_ids.shape != (values.shape[0],):
            raise FeatureError(f"row_ids must be int64 of length {values.shape[0]}")
        if self.as_of is not None:
            as_of = np.asarray(self.as_of)
            if as_of.dtype != np.dtype("datetime64[D]") or as_of.shape != (values.shape[0],):
                raise FeatureError(f"as_of must be datetime64[D] of length {values.shape[0]}")
            if np.isnat(as_of).any():
                raise FeatureError("as_of must not contain NaT")
            as_of.setflags(write=False)
            object.__setattr__(self, "as_of", as_of)
        values.setflags(write=False)
        row_ids.setflags(write=False)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "row_ids", row_ids)

    @classmethod
    def build(
        cls,
        *,
        names: tuple[str, ...] | list[str],
        values: npt.ArrayLike,
        row_ids: npt.ArrayLike | None = None,
        as_of: npt.ArrayLike | None = None,
    ) -> FeatureMatrix:
        """Convert loosely typed arrays (ints, float64, date strings) into a valid matrix."""
        matrix = np.array(values, dtype=np.float32, copy=True)
        if matrix.ndim == 1:
            matrix = matrix.reshape(-1, len(names))
        ids = np.arange(matrix.shape[0], dtype=np.int64) if row_ids is None else np.array(row_ids, dtype=np.int64)
        dates = None if as_of is None else np.array(as_of, dtype="datetime64[D]")
        return cls(names=tuple(names), values=matrix, row_ids=ids, as_of=dates)

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])

    def take(self, rows: npt.NDArray[np.int64] | BoolArray) -> FeatureMatrix:
        """The matrix restricted to some rows (indices or a boolean mask), in the order given."""
        return FeatureMatrix(
            names=self.names,
            values=self.values[rows].copy(),
            row_ids=self.row_ids[rows].copy(),
            as_of=None if self.as_of is None else self.as_of[rows].copy(),
        )

    def column(self, name: str) -> npt.NDArray[np.float32]:
        return self.values[:, self.names.index(name)]

    def ensure_names(self, expected: tuple[str, ...]) -> None:
        """Refuse to score a matrix whose columns differ from the ones a model was trained on."""
        if self.names != expected:
            missing = [name for name in expected if name not in self.names]
            extra = [name for name in self.names if name not in expected]
            raise FeatureError(f"feature columns differ from the model's: missing {missing}, extra {extra}, or order")


def binary_target(values: npt.ArrayLike, *, n_rows: int, name: str = "target") -> IntArray:
    """A 0/1 int64 vector of the right length, refusing anything else (booleans are accepted)."""
    target = np.asarray(values)
    if target.shape != (n_rows,):
        raise FeatureError(f"{name} must have length {n_rows}, got shape {target.shape}")
    if target.dtype == np.bool_:
        return target.astype(np.int64)
    if not np.isin(target, (0, 1)).all():
        raise FeatureError(f"{name} must contain only 0 and 1")
    return target.astype(np.int64)
