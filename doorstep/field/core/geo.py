"""Is a collector's GPS check-in plausible? Distance to the address, speed since the last fix, mock
locations and poor accuracy become flags for a supervisor to look at; nothing here blocks a visit.

The tests are deliberately generous (accuracy is subtracted in the collector's favour): a phone's
fix is noisy indoors and between tall buildings, and a false "too far" accuses an honest collector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# The mean earth radius (IUGG); the same figure the planner's haversine travel uses.
EARTH_RADIUS_M = 6371008.8


def _check_coordinates(lat: float, lon: float, *, what: str) -> None:
    # Written as "not inside" so that NaN, which compares false to everything, is refused too.
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"{what}: latitude must be between -90 and 90 degrees, got {lat!r}")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"{what}: longitude must be between -180 and 180 degrees, got {lon!r}")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres between two points given in degrees."""
    _check_coordinates(lat1, lon1, what="first point")
    _check_coordinates(lat2, lon2, what="second point")
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    # Rounding can push h a hair above 1 for antipodal points; asin would then raise.
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, max(0.0, h))))


@dataclass(frozen=True)
class Fix:
    """One position reported by the phone; `accuracy_m` is its stated radius, None if it gave none."""

    lat: float
    lon: float
    accuracy_m: float | None
    at: datetime
    mocked: bool = False  # the OS reported a mock-location provider

    def __post_init__(self) -> None:
        _check_coordinates(self.lat, self.lon, what="fix")
        if self.accuracy_m is not None and not (math.isfinite(self.accuracy_m) and self.accuracy_m >= 0):
            raise ValueError(f"fix: accuracy must be a finite distance of 0 m or more, got {self.accuracy_m!r}")
        # Naive times from different phones cannot be compared for speed; refuse them at the door.
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"fix: the time must carry a time zone, got {self.at.isoformat()}")


@dataclass(frozen=True)
class PositionLimits:
    max_distance_m: float = 300.0
    max_speed_kmh: float = 150.0  # above anything a collector reaches by road in a city
    max_accuracy_m: float = 150.0

    def __post_init__(self) -> None:
        for name in ("max_distance_m", "max_speed_kmh", "max_accuracy_m"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"position limits: {name} must be a finite number of 0 or more, got {value!r}")


class Flag(StrEnum):
    TOO_FAR = "too_far"
    IMPOSSIBLE_SPEED = "impossible_speed"
    MOCKED = "mocked"
    LOW_ACCURACY = "low_accuracy"
    NO_ADDRESS = "no_address"


@dataclass(frozen=True)
class PositionCheck:
    distance_m: float | None  # to the target address; None when there is no target
    flags: tuple[Flag, ...]  # sorted and unique, so two checks of the same facts compare equal

    @property
    def plausible(self) -> bool:
        return not self.flags


def _implied_speed_is_impossible(fix: Fix, previous: Fix, limits: PositionLimits) -> bool:
    # Both fixes may be off by their accuracy in opposite directions, so only the distance beyond
    # both radii has certainly been travelled.
    travelled = distance_m(previous.lat, previous.lon, fix.lat, fix.lon)
    travelled -= (previous.accuracy_m or 0.0) + (fix.accuracy_m or 0.0)
    travelled = max(0.0, travelled)
    # A previous fix that arrives out of order (offline sync) is judged the same way.
    seconds = abs((fix.at - previous.at).total_seconds())
    if seconds <= 0:
        return travelled > 0
    return travelled / seconds * 3.6 > limits.max_speed_kmh


def position_check(fix: Fix, *, target: tuple[float, float] | None, previous: Fix | None,
                   limits: PositionLimits) -> PositionCheck:
    """Flags for a check-in at `fix` meant to be at `target` (lat, lon), after the `previous` fix."""
    flags: set[Flag] = set()
    distance: float | None = None
    if target is None:
        flags.add(Flag.NO_ADDRESS)
    else:
        target_lat, target_lon = target
        _check_coordinates(target_lat, target_lon, what="target")
        distance = distance_m(fix.lat, fix.lon, target_lat, target_lon)
        # In the collector's favour: they may be anywhere within the accuracy radius.
        if distance - (fix.accuracy_m or 0.0) > limits.max_distance_m:
            flags.add(Flag.TOO_FAR)
    if previous is not None and _implied_speed_is_impossible(fix, previous, limits):
        flags.add(Flag.IMPOSSIBLE_SPEED)
    if fix.mocked:
        flags.add(Flag.MOCKED)
    if fix.accuracy_m is None or fix.accuracy_m > limits.max_accuracy_m:
        flags.add(Flag.LOW_ACCURACY)
    return PositionCheck(distance_m=distance, flags=tuple(sorted(flags)))
