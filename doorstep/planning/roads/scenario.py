"""Turn a scenario with lat/lon locations into one with a road `matrix` (the contract's kind).

Pure: the provider does the I/O. See /work/shared/planning-scenario.md for the formats.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from doorstep.planning.roads.matrix import Point, TravelMatrixProvider

# A float that is a whole number of hundredths can land a hair above it (1.23 * 100 =
# 123.00000000000001); this slack keeps it from being rounded up a whole hundredth.
_ROUNDING_SLACK = 1e-9


def minutes_rounded_up(minutes: float) -> float:
    """`minutes` rounded up to two decimals, so the planner is never promised a faster trip.
    Rounding up keeps the triangle inequality: ceil(a + b) ≤ ceil(a) + ceil(b)."""
    return math.ceil(minutes * 100 - _ROUNDING_SLACK) / 100


def scenario_with_road_matrix(scenario_json: Mapping[str, Any], provider: TravelMatrixProvider) -> dict[str, Any]:
    """A copy of a `haversine` scenario whose travel is a `matrix` from `provider`.

    Every distinct (lat, lon) among the teams' `start`/`end` and the visits' `location`, in order
    of first appearance, gets an index; each location becomes `{"index": i, "lat", "lon", ...}`
    (lat/lon and any other keys kept, for maps). Durations are minutes rounded up to two
    decimals, distances km to three."""
    travel = scenario_json.get("travel") or {}
    kind = travel.get("kind", "haversine") if isinstance(travel, Mapping) else None
    if kind != "haversine":
        raise ValueError(f"scenario travel must be of kind 'haversine' to be put on roads, got {kind!r}")
    scenario: dict[str, Any] = copy.deepcopy(dict(scenario_json))

    places: dict[Point, int] = {}
    slots: list[tuple[dict[str, Any], str, str]] = []
    for team in scenario.get("teams", []):
        slots.extend((team, key, f"team {team.get('id')!r} {key}") for key in ("start", "end")
                     if team.get(key) is not None)
    slots.extend((visit, "location", f"visit {visit.get('id')!r} location") for visit in scenario.get("visits", []))

    for holder, key, where in slots:
        location = holder.get(key)
        if not isinstance(location, Mapping):
            raise ValueError(f"{where} is not a {{'lat', 'lon'}} object: {location!r}")
        point = (_coordinate(location.get("lat"), 90, where), _coordinate(location.get("lon"), 180, where))
        index = places.setdefault(point, len(places))
        holder[key] = {**location, "index": index, "lat": point[0], "lon": point[1]}

    durations: list[list[float]] = []
    distances: list[list[float]] = []
    if places:
        matrix = provider.matrix(list(places))
        expected = (len(places), len(places))
        if matrix.durations_min.shape != expected or matrix.distances_km.shape != expected:
            raise ValueError(f"provider returned a {matrix.durations_min.shape} matrix for {len(places)} locations")
        for name, values in (("durations", matrix.durations_min), ("distances", matrix.distances_km)):
            if not np.all(np.isfinite(values)) or np.any(values < 0):
                raise ValueError(f"provider returned {name} that are not finite non-negative numbers")
        durations = [[minutes_rounded_up(value) for value in row] for row in matrix.durations_min.tolist()]
        distances = [[round(value, 3) for value in row] for row in matrix.distances_km.tolist()]
    scenario["travel"] = {"kind": "matrix", "durations": durations, "distances": distances}
    return scenario


def _coordinate(value: object, limit: float, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or abs(value) > limit:
        raise ValueError(f"{where} has a bad coordinate: {value!r}")
    return float(value)
