"""Travel time and distance between two scenario locations, per the scenario's travel kind.

- haversine: great-circle km (mean Earth radius 6371 km) × circuity, driven at speed_kmh;
- euclidean: planar distance, × minutes_per_unit for the time;
- matrix: a lookup by each location's index (distance only when the scenario gives `distances`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from doorstep.planning.core.scenario import Location, Travel

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Leg:
    minutes: float
    distance: float | None  # km (haversine), plane units (euclidean), the matrix's unit, or None


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def leg(travel: Travel, origin: Location, destination: Location) -> Leg:
    """Minutes (and distance) from `origin` to `destination`; both must carry the kind's coordinates."""
    if travel.kind == "haversine":
        assert origin.lat is not None and origin.lon is not None
        assert destination.lat is not None and destination.lon is not None
        km = great_circle_km(origin.lat, origin.lon, destination.lat, destination.lon) * travel.circuity
        return Leg(minutes=km / travel.speed_kmh * 60, distance=km)
    if travel.kind == "euclidean":
        assert origin.x is not None and origin.y is not None
        assert destination.x is not None and destination.y is not None
        units = math.hypot(destination.x - origin.x, destination.y - origin.y)
        return Leg(minutes=units * travel.minutes_per_unit, distance=units)
    assert travel.durations is not None and origin.index is not None and destination.index is not None
    distance = None if travel.distances is None else travel.distances[origin.index][destination.index]
    return Leg(minutes=travel.durations[origin.index][destination.index], distance=distance)


def travel_minutes(travel: Travel, origin: Location, destination: Location) -> float:
    return leg(travel, origin, destination).minutes
