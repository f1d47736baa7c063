"""What every road-travel adapter returns: a square matrix of minutes and kilometres.

Pure: no Django, no I/O. A provider (the OSM road network, a routing server's table API) turns
points into a `TravelMatrix`; `scenario_with_road_matrix` turns that into the scenario contract's
`matrix` travel kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# A point is (latitude, longitude) in WGS 84 degrees, the order of the scenario's {"lat", "lon"}.
Point = tuple[float, float]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Travel between N points, row = from, column = to.

    `durations_min[i][j]` is minutes from point i to point j, `distances_km[i][j]` kilometres,
    both 0 on the diagonal. `snap_km[i]` is how far point i is from where the provider joined the
    road (informational; whether it is already in the durations depends on the provider and is
    said in its docstring)."""

    durations_min: FloatArray
    distances_km: FloatArray
    snap_km: FloatArray

    def __post_init__(self) -> None:
        size = len(self.snap_km)
        for name in ("durations_min", "distances_km"):
            shape = getattr(self, name).shape
            if shape != (size, size):
                raise ValueError(f"{name} has shape {shape}, expected ({size}, {size})")

    def __len__(self) -> int:
        return len(self.snap_km)


class TravelMatrixProvider(Protocol):
    """Anything that can price travel between points on roads."""

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """The travel matrix between `points`, in their order; raises on an unreachable pair."""
        ...


def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> FloatArray:
    """Great-circle distance in km, broadcast over numpy arrays."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlambda = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)
