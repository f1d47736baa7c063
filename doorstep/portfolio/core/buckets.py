"""DPD bands. Default M0 = 0, M1 = 1-30, ..., M6+ = 151 and more; configurable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_BOUNDS: tuple[tuple[str, int], ...] = (
    ("M1", 1), ("M2", 31), ("M3", 61), ("M4", 91), ("M5", 121), ("M6+", 151),
)
CURRENT = "M0"


@dataclass(frozen=True)
class BucketScheme:
    """Lower DPD bound of each bucket after M0, ascending; the last bucket is open-ended."""

    bounds: tuple[tuple[str, int], ...] = DEFAULT_BOUNDS

    def __post_init__(self) -> None:
        lows = [low for _, low in self.bounds]
        if not lows or lows[0] != 1 or lows != sorted(set(lows)):
            raise ValueError("bucket bounds must start at 1 and strictly increase")

    @classmethod
    def from_pairs(cls, pairs: Sequence[Sequence[object]]) -> BucketScheme:
        return cls(tuple((str(name), int(str(low))) for name, low in pairs))

    @property
    def names(self) -> tuple[str, ...]:
        return (CURRENT, *(name for name, _ in self.bounds))

    def bucket_for(self, dpd: int) -> str:
        if dpd <= 0:
            return CURRENT
        name = CURRENT
        for candidate, low in self.bounds:
            if dpd >= low:
                name = candidate
        return name

    def dpd_range(self, bucket: str) -> tuple[int, int | None]:
        """The DPD values a bucket holds: (lowest, highest), highest None for the open-ended last one."""
        if bucket == CURRENT:
            return 0, 0
        lows = dict(self.bounds)
        if bucket not in lows:
            raise ValueError(f"unknown bucket {bucket!r}")
        higher = [low for _, low in self.bounds if low > lows[bucket]]
        return lows[bucket], (min(higher) - 1 if higher else None)

    def rank(self, bucket: str) -> int:
        return self.names.index(bucket)
