"""Check-in plausibility: haversine distance, and the flags a supervisor sees on a check-in."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorstep.field.core.geo import EARTH_RADIUS_M, Fix, Flag, PositionCheck, PositionLimits, distance_m, position_check

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
HOME = (22.5431, 114.0579)  # a Shenzhen address
LIMITS = PositionLimits()
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180  # along a meridian

LATITUDES = st.floats(min_value=-90, max_value=90, allow_nan=False)
LONGITUDES = st.floats(min_value=-180, max_value=180, allow_nan=False)
POINTS = st.tuples(LATITUDES, LONGITUDES)
ACCURACIES = st.none() | st.floats(min_value=0, max_value=5000, allow_nan=False)


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + metres / METRES_PER_DEGREE, point[1]


def fix_at(point: tuple[float, float], *, accuracy_m: float | None = 10.0, at: datetime = AT,
           mocked: bool = False) -> Fix:
    return Fix(lat=point[0], lon=point[1], accuracy_m=accuracy_m, at=at, mocked=mocked)


# distance_m


def test_the_distance_from_a_point_to_itself_is_zero() -> None:
    assert distance_m(*HOME, *HOME) == 0.0


def test_one_degree_along_a_meridian_is_about_111_km() -> None:
    assert distance_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.01)
    assert distance_m(0, 0, 0, 1) == pytest.approx(111_195.08, abs=0.01)  # along the equator too


def test_antipodal_points_are_half_the_circumference_apart() -> None:
    assert distance_m(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_M)
    assert distance_m(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_M)


def test_longitude_wraps_around_the_date_line() -> None:
    assert distance_m(0, 179.5, 0, -179.5) == pytest.approx(METRES_PER_DEGREE)


def test_beijing_to_shanghai_is_about_1070_km() -> None:
    assert distance_m(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.01)


@pytest.mark.parametrize(("lat", "lon", "message"), [
    (90.0001, 0.0, "latitude"), (-91.0, 0.0, "latitude"), (math.nan, 0.0, "latitude"),
    (0.0, 180.5, "longitude"), (0.0, -181.0, "longitude"), (0.0, math.inf, "longitude"),
])
def test_distance_refuses_coordinates_off_the_globe(lat: float, lon: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        distance_m(lat, lon, 0, 0)
    with pytest.raises(ValueError, match=message):
        distance_m(0, 0, lat, lon)


@given(POINTS, POINTS)
def test_distance_is_symmetric_non_negative_and_at_most_half_the_circumference(a: tuple[float, float],
                                                                               b: tuple[float, float]) -> None:
    there = distance_m(*a, *b)
    assert there == pytest.approx(distance_m(*b, *a), abs=1e-6)
    assert 0 <= there <= math.pi * EARTH_RADIUS_M + 1e-6


@given(POINTS, POINTS, POINTS)
def test_distance_obeys_the_triangle_inequality(a: tuple[float, float], b: tuple[float, float],
                                                c: tuple[float, float]) -> None:
    assert distance_m(*a, *c) <= distance_m(*a, *b) + distance_m(*b, *c) + 1e-3


@given(st.floats(min_value=-80, max_value=80), LONGITUDES, st.floats(min_value=0, max_value=100_000))
def test_moving_north_by_a_distance_measures_that_distance(lat: float, lon: float, metres: float) -> None:
    assert distance_m(lat, lon, *north_of((lat, lon), metres)) == pytest.approx(metres, abs=1e-3)


# Fix and limits


def test_a_fix_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Fix(lat=0, lon=0, accuracy_m=5, at=datetime(2026, 12, 1, 10, 0))


@pytest.mark.parametrize("accuracy", [-0.1, math.nan, math.inf])
def test_a_fix_needs_a_finite_non_negative_accuracy(accuracy: float) -> None:
    with pytest.raises(ValueError, match="accuracy"):
        Fix(lat=0, lon=0, accuracy_m=accuracy, at=AT)


def test_a_fix_refuses_coordinates_off_the_globe() -> None:
    with pytest.raises(ValueError, match="latitude"):
        Fix(lat=95, lon=0, accuracy_m=5, at=AT)
    with pytest.raises(ValueError, match="longitude"):
        Fix(lat=0, lon=-200, accuracy_m=5, at=AT)


def test_zero_accuracy_and_no_accuracy_are_both_valid() -> None:
    assert Fix(lat=0, lon=0, accuracy_m=0, at=AT).accuracy_m == 0
    assert Fix(lat=0, lon=0, accuracy_m=None, at=AT).accuracy_m is None


@pytest.mark.parametrize("field", ["max_distance_m", "max_speed_kmh", "max_accuracy_m"])
def test_limits_must_be_finite_and_not_negative(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        PositionLimits(**{field: -1.0})
    with pytest.raises(ValueError, match=field):
        PositionLimits(**{field: math.nan})


# position_check


def test_a_good_fix_at_the_address_has_no_flags() -> None:
    check = position_check(fix_at(north_of(HOME, 40)), target=HOME, previous=None, limits=LIMITS)
    assert check.distance_m == pytest.approx(40, abs=0.01)
    assert check.flags == ()
    assert check.plausible


def test_a_fix_far_from_the_address_is_too_far() -> None:
    check = position_check(fix_at(north_of(HOME, 1000)), target=HOME, previous=None, limits=LIMITS)
    assert check.flags == (Flag.TOO_FAR,)
    assert check.distance_m == pytest.approx(1000, abs=0.01)
    assert not check.plausible


def test_the_fix_accuracy_counts_in_the_collectors_favour() -> None:
    # 400 m away with a 120 m radius: the collector may be 280 m away, inside the 300 m limit.
    assert position_check(fix_at(north_of(HOME, 400), accuracy_m=120), target=HOME, previous=None,
                          limits=LIMITS).flags == ()
    assert position_check(fix_at(north_of(HOME, 400), accuracy_m=90), target=HOME, previous=None,
                          limits=LIMITS).flags == (Flag.TOO_FAR,)


def test_no_accuracy_counts_as_zero_for_distance_and_as_low_accuracy() -> None:
    check = position_check(fix_at(north_of(HOME, 310), accuracy_m=None), target=HOME, previous=None, limits=LIMITS)
    assert check.flags == (Flag.LOW_ACCURACY, Flag.TOO_FAR)


def test_exactly_at_the_distance_limit_is_not_too_far() -> None:
    limits = PositionLimits(max_distance_m=0.0)
    assert position_check(fix_at(HOME, accuracy_m=0), target=HOME, previous=None, limits=limits).flags == ()


def test_a_fix_without_an_address_is_flagged_and_has_no_distance() -> None:
    check = position_check(fix_at(HOME), target=None, previous=None, limits=LIMITS)
    assert check == PositionCheck(distance_m=None, flags=(Flag.NO_ADDRESS,))


def test_a_mocked_fix_is_flagged() -> None:
    assert position_check(fix_at(HOME, mocked=True), target=HOME, previous=None,
                          limits=LIMITS).flags == (Flag.MOCKED,)


def test_an_accuracy_above_the_limit_is_low() -> None:
    assert position_check(fix_at(HOME, accuracy_m=150), target=HOME, previous=None, limits=LIMITS).flags == ()
    assert position_check(fix_at(HOME, accuracy_m=150.5), target=HOME, previous=None,
                          limits=LIMITS).flags == (Flag.LOW_ACCURACY,)


def test_ten_km_in_one_minute_is_an_impossible_speed() -> None:
    previous = fix_at(north_of(HOME, -10_000), at=AT - timedelta(minutes=1))
    check = position_check(fix_at(HOME), target=HOME, previous=previous, limits=LIMITS)
    assert check.flags == (Flag.IMPOSSIBLE_SPEED,)


def test_five_km_in_ten_minutes_is_a_plausible_drive() -> None:
    previous = fix_at(north_of(HOME, -5_000), at=AT - timedelta(minutes=10))  # 30 km/h
    assert position_check(fix_at(HOME), target=HOME, previous=previous, limits=LIMITS).flags == ()


def test_both_accuracies_reduce_the_distance_for_speed() -> None:
    # 1000 m in 10 s is 360 km/h, but with two 500 m radii nothing certainly moved.
    previous = fix_at(north_of(HOME, -1000), accuracy_m=500, at=AT - timedelta(seconds=10))
    limits = PositionLimits(max_accuracy_m=1000)
    assert position_check(fix_at(HOME, accuracy_m=500), target=HOME, previous=previous, limits=limits).flags == ()
    previous = fix_at(north_of(HOME, -1000), accuracy_m=100, at=AT - timedelta(seconds=10))
    assert position_check(fix_at(HOME, accuracy_m=100), target=HOME, previous=previous,
                          limits=limits).flags == (Flag.IMPOSSIBLE_SPEED,)


def test_two_fixes_at_the_same_time_are_impossible_only_when_apart() -> None:
    same_place = fix_at(HOME, accuracy_m=5)
    assert position_check(fix_at(HOME), target=HOME, previous=same_place, limits=LIMITS).flags == ()
    elsewhere = fix_at(north_of(HOME, 100), accuracy_m=5)
    assert position_check(fix_at(HOME, accuracy_m=5), target=HOME, previous=elsewhere,
                          limits=LIMITS).flags == (Flag.IMPOSSIBLE_SPEED,)
    within_accuracy = fix_at(north_of(HOME, 100), accuracy_m=60)
    assert position_check(fix_at(HOME, accuracy_m=60), target=HOME, previous=within_accuracy,
                          limits=LIMITS).flags == ()


def test_a_previous_fix_later_than_this_one_uses_the_absolute_time_difference() -> None:
    far_later = fix_at(north_of(HOME, 10_000), at=AT + timedelta(minutes=1))
    assert position_check(fix_at(HOME), target=HOME, previous=far_later,
                          limits=LIMITS).flags == (Flag.IMPOSSIBLE_SPEED,)
    near_later = fix_at(north_of(HOME, 1_000), at=AT + timedelta(minutes=10))
    assert position_check(fix_at(HOME), target=HOME, previous=near_later, limits=LIMITS).flags == ()


def test_times_in_different_zones_are_compared_as_instants() -> None:
    # 10:00 in Shanghai is 02:00 UTC: a fix 2 km away at 01:59 UTC is 60 s earlier, 120 km/h.
    previous = fix_at(north_of(HOME, -2000), accuracy_m=0, at=datetime(2026, 12, 1, 1, 59, tzinfo=UTC))
    assert position_check(fix_at(HOME, accuracy_m=0), target=HOME, previous=previous, limits=LIMITS).flags == ()
    previous = fix_at(north_of(HOME, -3000), accuracy_m=0, at=datetime(2026, 12, 1, 1, 59, tzinfo=UTC))
    assert position_check(fix_at(HOME, accuracy_m=0), target=HOME, previous=previous,
                          limits=LIMITS).flags == (Flag.IMPOSSIBLE_SPEED,)


def test_every_flag_at_once_comes_sorted() -> None:
    previous = fix_at(north_of(HOME, 50_000), at=AT - timedelta(seconds=30))
    check = position_check(fix_at(HOME, accuracy_m=None, mocked=True), target=None, previous=previous,
                           limits=LIMITS)
    assert check.flags == (Flag.IMPOSSIBLE_SPEED, Flag.LOW_ACCURACY, Flag.MOCKED, Flag.NO_ADDRESS)
    check = position_check(fix_at(north_of(HOME, 5000), accuracy_m=None, mocked=True), target=HOME,
                           previous=previous, limits=LIMITS)
    assert check.flags == (Flag.IMPOSSIBLE_SPEED, Flag.LOW_ACCURACY, Flag.MOCKED, Flag.TOO_FAR)
    assert [str(flag) for flag in check.flags] == ["impossible_speed", "low_accuracy", "mocked", "too_far"]


def test_a_target_off_the_globe_is_refused() -> None:
    with pytest.raises(ValueError, match="target: latitude"):
        position_check(fix_at(HOME), target=(100.0, 0.0), previous=None, limits=LIMITS)


@st.composite
def fixes(draw: st.DrawFn, *, accuracy: st.SearchStrategy[float | None] = ACCURACIES) -> Fix:
    lat, lon = draw(POINTS)
    seconds = draw(st.integers(min_value=-86_400, max_value=86_400))
    return Fix(lat=lat, lon=lon, accuracy_m=draw(accuracy), at=AT + timedelta(seconds=seconds),
               mocked=draw(st.booleans()))


@given(fixes(), st.none() | POINTS, st.none() | fixes())
def test_flags_are_sorted_unique_and_match_the_distance(fix: Fix, target: tuple[float, float] | None,
                                                        previous: Fix | None) -> None:
    check = position_check(fix, target=target, previous=previous, limits=LIMITS)
    assert check.flags == tuple(sorted(set(check.flags)))
    assert (Flag.NO_ADDRESS in check.flags) == (target is None) == (check.distance_m is None)
    assert (Flag.MOCKED in check.flags) == fix.mocked
    assert (Flag.IMPOSSIBLE_SPEED in check.flags) <= (previous is not None)
    if target is not None:
        assert check.distance_m == distance_m(fix.lat, fix.lon, *target)


@given(fixes(), st.none() | POINTS, st.none() | fixes(), st.floats(min_value=0, max_value=5000))
def test_a_wider_accuracy_never_adds_a_distance_or_speed_flag(fix: Fix, target: tuple[float, float] | None,
                                                              previous: Fix | None, extra: float) -> None:
    wider = Fix(lat=fix.lat, lon=fix.lon, accuracy_m=(fix.accuracy_m or 0.0) + extra, at=fix.at, mocked=fix.mocked)
    before = set(position_check(fix, target=target, previous=previous, limits=LIMITS).flags)
    after = set(position_check(wider, target=target, previous=previous, limits=LIMITS).flags)
    assert (after - before) <= {Flag.LOW_ACCURACY}


@given(fixes(accuracy=st.floats(min_value=0, max_value=150)))
def test_a_fix_on_the_address_itself_is_never_too_far_nor_impossible(fix: Fix) -> None:
    check = position_check(fix, target=(fix.lat, fix.lon), previous=fix, limits=LIMITS)
    assert check.distance_m == 0
    assert check.flags == ((Flag.MOCKED,) if fix.mocked else ())
