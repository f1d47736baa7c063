"""Properties of the decision function, checked against the independent oracles in `oracles.py`.

Random borrowers, histories and attempts around random moments (DST days included) must get the
same answer from the engine as from the plain oracles; the planner's answers (`next_allowed_at`,
`allowed_intervals`) must agree with them; a lender's tightening never allows more.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from doorstep.compliance.core.engine import HORIZON_DAYS, Engine, decide
from doorstep.compliance.core.model import (
    Agency,
    Attempt,
    Channel,
    Consent,
    ContactEvent,
    InconvenientTime,
    NumberKind,
    Party,
    Place,
    Purpose,
    State,
    Subject,
)
from doorstep.compliance.core.packs import PACKS, Pack, PolicyError, Stricter, packs_for_policy
from tests.compliance.oracles import forbidding

ZONES = ("Asia/Shanghai", "America/New_York", "America/Los_Angeles", "America/Phoenix", "Europe/London",
         "Pacific/Honolulu")
JURISDICTIONS = ("CN", "US-NY", "US-MA", "UK-ENG", "UK-SCT")
PERSONS = ("debtor", "c1", "c2")
NUMBERS = ("", "n1", "n2")
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2027, 12, 31)
TZINFOS = [UTC, *(ZoneInfo(name) for name in ZONES)]
DAY = timedelta(days=1)
COMMON = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _dst_days() -> list[tuple[str, date]]:
    """Every (zone, local day) of 2024–2027 on which the clocks change."""
    days = []
    for name in ZONES:
        tz = ZoneInfo(name)
        day = FIRST_DAY
        while day <= LAST_DAY:
            start = datetime.combine(day, time(0), tzinfo=tz)
            end = datetime.combine(day, time(23, 59), tzinfo=tz)
            if start.utcoffset() != end.utcoffset():
                days.append((name, day))
            day += DAY
    return days


DST_DAYS = _dst_days()
assert len(DST_DAYS) == 24  # New York, Los Angeles and London: 2 a year for 4 years


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@st.composite
def local_moments(draw: st.DrawFn, zone_name: str, day: date, minute: int | None = None) -> datetime:
    """A moment on a local `day` of `zone_name`, expressed in a random zone (or UTC)."""
    tz = ZoneInfo(zone_name)
    if minute is None:
        seconds = draw(st.integers(0, 24 * 3600 - 1))
    else:
        seconds = minute * 60 + draw(st.sampled_from([-1, 0, 0, 1, 59]))
    wall = datetime.combine(day, time(0)) + timedelta(seconds=seconds, microseconds=draw(
        st.sampled_from([0, 0, 0, 999_999])))
    moment = wall.replace(tzinfo=tz, fold=draw(st.sampled_from([0, 1])))
    return moment.astimezone(draw(st.sampled_from([tz, tz, *TZINFOS])))


@st.composite
def moments(draw: st.DrawFn) -> datetime:
    """Aware moments over four years, with extra weight on DST days and on the edges of the allowed day."""
    kind = draw(st.sampled_from(["any", "dst", "after_dst", "edge", "edge"]))
    if kind == "any":
        return draw(st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31), timezones=st.sampled_from(TZINFOS),
                                 allow_imaginary=False))
    if kind == "dst":
        zone_name, day = draw(st.sampled_from(DST_DAYS))
        return draw(local_moments(zone_name, day))
    if kind == "after_dst":  # rolling windows that reach back over a clock change
        zone_name, day = draw(st.sampled_from(DST_DAYS))
        return draw(local_moments(zone_name, day + timedelta(days=draw(st.sampled_from([1, 6, 7, 8, 29, 30, 31])))))
    day = draw(st.dates(FIRST_DAY, LAST_DAY))
    minute = draw(st.sampled_from([0, 8 * 60, 21 * 60, 22 * 60, 21 * 60 + 15, 20 * 60 + 15, 12 * 60]))
    return draw(local_moments(draw(st.sampled_from(ZONES)), day, minute))


def offsets() -> st.SearchStrategy[timedelta]:
    """How far a past (or logged-ahead) event lies from the attempt; exact window edges are likely."""
    exact = st.sampled_from([0, -1, 1, -86400, -7 * 86400, -7 * 86400 + 1, -30 * 86400, -30 * 86400 + 1,
                             # half an hour either side of a window edge: a DST change moves wall-clock edges
                             -7 * 86400 + 1800, -7 * 86400 - 1800, -30 * 86400 + 1800, -30 * 86400 - 1800])
    return st.one_of(exact, st.integers(-36 * 3600, 3 * 3600), st.integers(-35 * 86400, 2 * 86400)).map(
        lambda seconds: timedelta(seconds=seconds))


@st.composite
def events(draw: st.DrawFn, at: datetime) -> ContactEvent:
    return ContactEvent(
        at=(_utc(at) + draw(offsets())).astimezone(draw(st.sampled_from(TZINFOS))),
        channel=draw(st.sampled_from([Channel.CALL, Channel.CALL, Channel.CALL, Channel.VISIT, Channel.SMS,
                                      Channel.LETTER])),
        party=draw(st.sampled_from([Party.DEBTOR, Party.DEBTOR, *Party])),
        person=draw(st.sampled_from(PERSONS)),
        number=draw(st.sampled_from(NUMBERS)),
        number_kind=draw(st.sampled_from(NumberKind)),
        connected=draw(st.booleans()),
        conversation=draw(st.booleans()),
        pending=draw(st.booleans()),
    )


@st.composite
def histories(draw: st.DrawFn, at: datetime, attempt: Attempt | None) -> tuple[ContactEvent, ...]:
    """Scattered events plus a burst of alike ones close together (often like the attempt itself), so that
    caps are reached and crossed."""
    scattered = draw(st.lists(events(at), max_size=12))
    burst: list[ContactEvent] = []
    if draw(st.sampled_from([True, True, False])):
        template = draw(events(at))
        if attempt is not None and draw(st.sampled_from([True, True, False])):
            template = dataclasses.replace(template, **{"channel": attempt.channel, "party": attempt.party,
                                       "person": attempt.person, "number": attempt.number,
                                       "number_kind": attempt.number_kind})
        centre = draw(st.one_of(offsets(), st.integers(-8 * 3600, 0).map(lambda seconds: timedelta(seconds=seconds))))
        for _ in range(draw(st.sampled_from([1, 2, 3, 3, 4, 6, 6, 7, 8]))):
            spread = timedelta(seconds=draw(st.sampled_from([0, 0, -1, 1, -600, -3600, -5400])))
            burst.append(dataclasses.replace(template, **{"at": (_utc(at) + centre + spread).astimezone(
                template.at.tzinfo), "connected": draw(st.booleans())}))
    return tuple(scattered + burst)


@st.composite
def consents(draw: st.DrawFn, at: datetime) -> Consent:
    starts = _utc(at) + draw(offsets())
    length = draw(st.one_of(st.integers(0, 4 * 3600), st.integers(0, 3 * 86400)))
    return Consent(rule_id=draw(st.sampled_from(["CN-HOURS", "US-HOURS", "UK-TIMES", "US-MA", "UK-VISIT", "OTHER"])),
                   starts_at=starts, ends_at=starts + timedelta(seconds=length))


@st.composite
def inconvenient_times(draw: st.DrawFn) -> InconvenientTime:
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(start + 1, 1440))
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return InconvenientTime(start, end, weekdays)


@st.composite
def agencies(draw: st.DrawFn, today: date) -> Agency:
    def near() -> date:
        return today + timedelta(days=draw(st.integers(-400, 30)))

    return Agency(
        code="A1",
        contract_reference=draw(st.sampled_from(["", "C-1", "C-1"])),
        contract_ends_on=draw(st.one_of(st.none(), st.builds(near))),
        is_published=draw(st.booleans()),
        last_reviewed_on=draw(st.one_of(st.none(), st.builds(near))),
    )


@st.composite
def subjects(draw: st.DrawFn, at: datetime, attempt: Attempt | None = None) -> Subject:
    jurisdictions = tuple(draw(st.lists(st.sampled_from(JURISDICTIONS), min_size=1, max_size=2, unique=True)))
    timezones = tuple(draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=2, unique=True)))
    today = at.astimezone(ZoneInfo(timezones[0])).date()
    return Subject(
        jurisdictions=jurisdictions,
        timezones=timezones,
        states=draw(st.one_of(st.just(frozenset()), st.frozensets(st.sampled_from(State), max_size=3))),
        consents=tuple(draw(st.lists(consents(at), max_size=2))),
        inconvenient_times=tuple(draw(st.lists(inconvenient_times(), max_size=2))),
        refused_persons=draw(st.frozensets(st.sampled_from(PERSONS[1:]))),
        visits_paused_until=draw(st.one_of(st.none(), offsets().map(lambda delta: _utc(at) - delta))),
        time_barred=draw(st.booleans()),
        default_notice_served_on=draw(st.one_of(st.none(), st.integers(-30, 3).map(
            lambda days: today + timedelta(days=days)))),
        visit_notice_sent_at=draw(st.one_of(st.none(), offsets().map(
            lambda delta: (_utc(at) + delta).astimezone(ZoneInfo(timezones[0]))))),
        agency=draw(st.one_of(st.none(), agencies(today))),
        history=draw(histories(at, attempt)),
    )


@st.composite
def attempts(draw: st.DrawFn, at: datetime) -> Attempt:
    party = draw(st.sampled_from([Party.DEBTOR, Party.DEBTOR, *Party]))
    return Attempt(
        channel=draw(st.sampled_from(Channel)),
        at=at,
        party=party,
        person="debtor" if party is Party.DEBTOR else draw(st.sampled_from(PERSONS)),
        purpose=draw(st.one_of(st.none(), st.none(), st.sampled_from(Purpose))),
        place=draw(st.sampled_from([Place.HOME, Place.HOME, *Place])),
        number=draw(st.sampled_from(NUMBERS)),
        number_kind=draw(st.sampled_from(NumberKind)),
        duration_minutes=draw(st.one_of(st.just(0), st.sampled_from([45, 120, 121]), st.integers(0, 180))),
        team_size=draw(st.one_of(st.none(), st.integers(0, 4))),
        contact_source=draw(st.sampled_from([None, None, "application", "borrower_update", "public_record",
                                             "address_book"])),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Subject, Attempt]:
    at = draw(moments())
    attempt = draw(attempts(at))
    return draw(subjects(at, attempt)), attempt


@st.composite
def call_scenarios(draw: st.DrawFn) -> tuple[Subject, Attempt]:
    """Calls under the CN daily caps: many calls to the debtor and to a few numbers around local midnight."""
    at = draw(moments())
    timezones = tuple(draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=2, unique=True)))
    calls = []
    for _ in range(draw(st.sampled_from([0, 2, 3, 4, 6, 7, 8, 9]))):
        offset = timedelta(seconds=draw(st.one_of(st.integers(-30 * 3600, 2 * 3600), st.integers(-8 * 3600, 0),
                                                  st.sampled_from([0, -1, 1]))))
        calls.append(ContactEvent(
            at=(_utc(at) + offset).astimezone(draw(st.sampled_from(TZINFOS))), channel=Channel.CALL,
            party=draw(st.sampled_from([Party.DEBTOR, Party.DEBTOR, Party.DEBTOR, Party.GUARANTOR])),
            person="debtor", number=draw(st.sampled_from(["n1", "n1", "n1", "n2"])),
            connected=draw(st.booleans()), pending=draw(st.booleans()), conversation=False))
    subject = Subject(jurisdictions=draw(st.sampled_from([("CN",), ("CN",), ("CN", "UK-ENG"), ("US-NY", "CN")])),
                      timezones=timezones, history=tuple(calls),
                      consents=tuple(draw(st.lists(consents(at), max_size=1))))
    attempt = Attempt(channel=Channel.CALL, at=at, party=draw(st.sampled_from([Party.DEBTOR, Party.GUARANTOR])),
                      number=draw(st.sampled_from(["n1", "n2", ""])))
    return subject, attempt


def any_scenarios() -> st.SearchStrategy[tuple[Subject, Attempt]]:
    return st.one_of(scenarios(), scenarios(), call_scenarios())


def _home_day(subject: Subject, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(subject.home_timezone)).date()


# --- (a) soundness and (b) completeness -----------------------------------------------------------


@COMMON
@given(any_scenarios())
def test_engine_blocks_exactly_what_the_oracles_forbid(scenario: tuple[Subject, Attempt]) -> None:
    subject, attempt = scenario
    forbidden = forbidding(subject, attempt, PACKS)
    decision = decide(subject, attempt, find_next=False)
    for rule_id in forbidden:  # soundness
        assert not decision.allowed, rule_id
        assert rule_id in decision.rules, (rule_id, decision.rules)
    if not forbidden:  # completeness: no over-blocking
        assert decision.allowed, decision.reason()
    assert set(decision.rules) == forbidden
    assert decision.allowed == (not decision.blocks)
    if not decision.allowed:
        assert decision.reason("en") and decision.reason("zh")


@COMMON
@given(any_scenarios(), st.sampled_from(TZINFOS))
def test_the_zone_a_moment_is_written_in_does_not_matter(scenario: tuple[Subject, Attempt], tz: Any) -> None:
    subject, attempt = scenario
    same_instant = Attempt(**{**attempt.__dict__, "at": attempt.at.astimezone(tz)})
    assert decide(subject, attempt, find_next=False).rules == decide(subject, same_instant, find_next=False).rules


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(DST_DAYS), st.sampled_from([1, 2, 6, 7, 8, 28, 29, 30, 31]), st.integers(9 * 60, 20 * 60),
       st.sampled_from(["visit", "conversation", "ma-visit"]), st.integers(-2 * 3600, 2 * 3600), st.booleans())
def test_rolling_windows_across_clock_changes(dst_day: tuple[str, date], days_after: int, minute: int, family: str,
                                              shift: int, zone_clock: bool) -> None:
    """A window of N days is N times 24 hours, even when it spans a clock change and whatever zone `at` is in."""
    zone_name, day = dst_day
    tz = ZoneInfo(zone_name)
    at = (datetime.combine(day + timedelta(days=days_after), time(0)) + timedelta(minutes=minute)).replace(tzinfo=tz)
    if not zone_clock:
        at = at.astimezone(UTC)
    window = 7 if family == "conversation" else 30
    logged = (_utc(at) - timedelta(days=window, seconds=shift)).astimezone(tz)
    if family == "conversation":
        event = ContactEvent(at=logged, channel=Channel.CALL, connected=True, conversation=True)
        subject = Subject(jurisdictions=("US-NY",), timezones=(zone_name,), history=(event,))
        attempt = Attempt(channel=Channel.CALL, at=at)
    else:
        event = ContactEvent(at=logged, channel=Channel.VISIT, connected=True)
        jurisdiction = "US-MA" if family == "ma-visit" else "UK-ENG"
        subject = Subject(jurisdictions=(jurisdiction,), timezones=(zone_name,), history=(event,),
                          visit_notice_sent_at=at - 60 * DAY)
        attempt = Attempt(channel=Channel.VISIT, at=at, duration_minutes=30)
    assert set(decide(subject, attempt, find_next=False).rules) == forbidding(subject, attempt, PACKS)


# --- (c) the next allowed moment -------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_scenarios(), st.lists(st.floats(0, 1, exclude_min=True, exclude_max=True), min_size=3, max_size=3))
def test_next_allowed_at_is_the_first_allowed_moment(scenario: tuple[Subject, Attempt],
                                                     fractions: list[float]) -> None:
    subject, attempt = scenario
    decision = decide(subject, attempt)
    if decision.allowed:
        assert decision.next_allowed_at is None
        return
    if not decision.blocked_by_time_only:
        assert decision.next_allowed_at is None
        return
    found = decision.next_allowed_at
    if found is None:
        return
    assert found >= attempt.at
    assert _utc(found) - _utc(attempt.at) <= timedelta(days=HORIZON_DAYS + 2)
    moved = Attempt(**{**attempt.__dict__, "at": found})
    assert decide(subject, moved, find_next=False).allowed
    assert not forbidding(subject, moved, PACKS)
    gap = _utc(found) - _utc(attempt.at)
    for fraction in fractions:
        between = _utc(attempt.at) + gap * fraction
        if _utc(attempt.at) < between < _utc(found):
            inside = Attempt(**{**attempt.__dict__, "at": between})
            assert forbidding(subject, inside, PACKS), between
            assert not decide(subject, inside, find_next=False).allowed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DST_DAYS), st.integers(0, 1439), st.sampled_from(JURISDICTIONS),
       st.sampled_from([Channel.CALL, Channel.VISIT, Channel.SMS]), st.integers(0, 180))
def test_next_allowed_at_on_dst_days(dst_day: tuple[str, date], minute: int, jurisdiction: str, channel: Channel,
                                     duration: int) -> None:
    zone_name, day = dst_day
    at = (datetime.combine(day, time(0)) + timedelta(minutes=minute)).replace(tzinfo=ZoneInfo(zone_name))
    subject = Subject(jurisdictions=(jurisdiction,), timezones=(zone_name,), visit_notice_sent_at=at - 30 * DAY)
    attempt = Attempt(channel=channel, at=at, duration_minutes=min(duration, 120), team_size=2)
    decision = decide(subject, attempt)
    assert decision.allowed == (not forbidding(subject, attempt, PACKS))
    if not decision.allowed:
        found = decision.next_allowed_at
        assert found is not None and found > at
        assert not forbidding(subject, Attempt(**{**attempt.__dict__, "at": found}), PACKS)
        before = Attempt(**{**attempt.__dict__, "at": _utc(found) - timedelta(seconds=1)})
        assert forbidding(subject, before, PACKS)


# --- (d) allowed intervals of a day -----------------------------------------------------------------


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_scenarios(), st.integers(-1, 1), st.lists(st.floats(0, 1, exclude_max=True), min_size=6, max_size=6))
def test_allowed_intervals_match_the_oracles(scenario: tuple[Subject, Attempt], day_offset: int,
                                             fractions: list[float]) -> None:
    subject, attempt = scenario
    home = ZoneInfo(subject.home_timezone)
    day = _home_day(subject, attempt.at) + timedelta(days=day_offset)
    day_start = _utc(datetime.combine(day, time(0), tzinfo=home))
    day_end = _utc(datetime.combine(day + DAY, time(0), tzinfo=home))
    spans = [(_utc(start), _utc(end)) for start, end in Engine().allowed_intervals(subject, attempt, day)]
    previous_end = day_start
    for start, end in spans:
        assert previous_end <= start < end <= day_end  # sorted, non-overlapping, inside the local day
        previous_end = end
    for index, fraction in enumerate(fractions):
        if index < 3 and spans:  # a moment inside a span
            start, end = spans[index % len(spans)]
            moment = start + (end - start) * fraction
            if not start <= moment < end:
                continue
            moved = Attempt(**{**attempt.__dict__, "at": moment})
            assert not forbidding(subject, moved, PACKS), (moment, forbidding(subject, moved, PACKS))
        else:  # a moment of the day
            moment = day_start + (day_end - day_start) * fraction
            inside = any(start <= moment < end for start, end in spans)
            if inside or any(moment == end for _, end in spans):
                continue
            moved = Attempt(**{**attempt.__dict__, "at": moment})
            assert forbidding(subject, moved, PACKS), moment


# --- (e) tightening -----------------------------------------------------------------------------------


def _keys() -> list[tuple[str, str]]:
    return [(pack_id, name) for pack_id, pack in PACKS.items() for name in pack.params]


@st.composite
def tightenings(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(_keys()), unique=True, max_size=4))
    policy: dict[str, Any] = {}
    for pack_id, name in chosen:
        param = PACKS[pack_id].params[name]
        if isinstance(param.value, bool):
            value: Any = draw(st.sampled_from([False, param.value]))
        elif name == "day_starts_at":
            value = draw(st.integers(param.value, param.value + 120))
        elif name == "day_ends_at":
            value = draw(st.integers(param.value - 180, param.value))
        elif param.stricter is Stricter.HIGHER:
            value = draw(st.integers(param.value, param.value + 30))
        else:
            value = draw(st.integers(0, param.value))
        policy[f"{pack_id}.{name}"] = value
    return policy


@COMMON
@given(any_scenarios(), tightenings())
def test_tightening_never_allows_more(scenario: tuple[Subject, Attempt], policy: dict[str, Any]) -> None:
    subject, attempt = scenario
    packs: Mapping[str, Pack] = packs_for_policy(policy)
    strict = decide(subject, attempt, engine=Engine(packs), find_next=False)
    default = decide(subject, attempt, find_next=False)
    if not default.allowed:
        assert not strict.allowed
    assert set(default.rules) <= set(strict.rules)
    assert set(strict.rules) == forbidding(subject, attempt, packs)


@COMMON
@given(st.sampled_from([key for key in _keys() if not isinstance(PACKS[key[0]].params[key[1]].value, bool)]),
       st.integers(1, 600), tightenings())
def test_any_loosening_is_rejected(key: tuple[str, str], step: int, others: dict[str, Any]) -> None:
    pack_id, name = key
    param = PACKS[pack_id].params[name]
    looser = param.value - step if param.stricter is Stricter.HIGHER else param.value + step
    assume(looser >= 0)
    policy = {**others, f"{pack_id}.{name}": looser}
    with pytest.raises(PolicyError):
        packs_for_policy(policy)
