"""Hand-written cases, one or more per rule the engine emits, with the boundaries spelled out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from doorstep.compliance.core.engine import Decision, Engine, decide
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
from doorstep.compliance.core.packs import PACKS, PolicyError, packs_for_policy
from tests.compliance.oracles import forbidding

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
CN = Subject()
NY = Subject(jurisdictions=("US-NY",), timezones=("America/New_York",))
MA = Subject(jurisdictions=("US-MA",), timezones=("America/New_York",))
ENG = Subject(jurisdictions=("UK-ENG",), timezones=("Europe/London",),
              visit_notice_sent_at=datetime(2026, 11, 1, 9, 0, tzinfo=LONDON))


def at(day: int, hour: int, minute: int = 0, second: int = 0, *, tz: ZoneInfo = SHANGHAI, month: int = 12,
       year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=tz)


def call(moment: datetime, **fields: Any) -> Attempt:
    return Attempt(channel=Channel.CALL, at=moment, **fields)


def visit(moment: datetime, **fields: Any) -> Attempt:
    return Attempt(channel=Channel.VISIT, at=moment, **{"team_size": 2, **fields})


def judged(subject: Subject, attempt: Attempt, **options: Any) -> Decision:
    """The engine's decision, checked against the oracles on the way."""
    decision = decide(subject, attempt, **options)
    assert set(decision.rules) == forbidding(subject, attempt, PACKS)
    return decision


def blocked_by(subject: Subject, attempt: Attempt) -> tuple[str, ...]:
    return judged(subject, attempt, find_next=False).rules


def with_history(subject: Subject, *events: ContactEvent, **fields: Any) -> Subject:
    return Subject(**{**subject.__dict__, "history": events, **fields})


def change(subject: Subject, **fields: Any) -> Subject:
    return Subject(**{**subject.__dict__, **fields})


# --- CN-HOURS -------------------------------------------------------------------------------------------


def test_cn_visit_ending_exactly_at_22_is_allowed() -> None:
    decision = judged(CN, visit(at(1, 21, 15), duration_minutes=45))
    assert decision.allowed
    assert {"CN-VISIT-ID", "CN-VISIT-AV", "CN-VISIT-ENTRY"} <= {r.rule_id for r in decision.requirements}


def test_cn_visit_with_default_length_started_a_minute_late_is_blocked() -> None:
    assert blocked_by(CN, visit(at(1, 21, 16))) == ("CN-HOURS",)


def test_cn_visit_at_2130_waits_for_8_next_morning() -> None:
    decision = judged(CN, visit(at(1, 21, 30), duration_minutes=45))
    assert decision.rules == ("CN-HOURS",)
    assert decision.blocked_by_time_only
    assert decision.next_allowed_at == at(2, 8, 0)
    assert decision.reason("en").startswith("CN-HOURS") and "22:00" in decision.reason("en")
    assert "当地时间" in decision.reason("zh")


def test_cn_visit_at_075959_is_blocked_and_may_start_at_8() -> None:
    decision = judged(CN, visit(at(1, 7, 59, 59)))
    assert decision.rules == ("CN-HOURS",)
    assert decision.next_allowed_at == at(1, 8, 0)
    assert judged(CN, visit(at(1, 8, 0))).allowed


def test_cn_calls_are_instants_allowed_from_8_until_before_22() -> None:
    assert judged(CN, call(at(1, 21, 59, 59))).allowed
    assert blocked_by(CN, call(at(1, 22, 0))) == ("CN-HOURS",)
    assert judged(CN, call(at(1, 8, 0))).allowed
    assert blocked_by(CN, Attempt(channel=Channel.SMS, at=at(1, 7, 59))) == ("CN-HOURS",)


def test_cn_letters_are_exempt_from_hours() -> None:
    assert judged(CN, Attempt(channel=Channel.LETTER, at=at(1, 23, 30))).allowed


def test_cn_consent_covering_the_whole_visit_lifts_the_night_window() -> None:
    consent = Consent("CN-HOURS", at(1, 22, 0), at(1, 23, 0))
    subject = change(CN, consents=(consent,))
    assert judged(subject, visit(at(1, 22, 10), duration_minutes=45)).allowed
    assert blocked_by(subject, visit(at(1, 22, 30), duration_minutes=45)) == ("CN-HOURS",)  # runs past 23:00
    other_rule = change(CN, consents=(Consent("US-HOURS", at(1, 22, 0), at(1, 23, 0)),))
    assert blocked_by(other_rule, visit(at(1, 22, 10), duration_minutes=45)) == ("CN-HOURS",)


def test_cn_hours_hold_in_every_zone_of_the_subject() -> None:
    travelling = change(CN, timezones=("Asia/Shanghai", "Europe/London"))
    # 15:00 in Shanghai is 07:00 in London (winter)
    assert blocked_by(travelling, call(at(1, 15, 0))) == ("CN-HOURS",)
    assert judged(travelling, call(at(1, 16, 0))).allowed


def test_cn_allowed_intervals_of_a_day_for_a_visit() -> None:
    spans = Engine().allowed_intervals(CN, visit(at(1, 12, 0), duration_minutes=45), date(2026, 12, 1))
    assert spans == ((at(1, 8, 0), at(1, 21, 15)),)


# --- CN call caps -----------------------------------------------------------------------------------------


def _calls(moment: datetime, count: int, **fields: Any) -> tuple[ContactEvent, ...]:
    return tuple(ContactEvent(at=moment + timedelta(minutes=10 * index), channel=Channel.CALL, **fields)
                 for index in range(count))


def test_cn_fourth_connected_call_is_blocked_then_allowed_after_local_midnight() -> None:
    subject = with_history(CN, *_calls(at(1, 9, 0), 3, connected=True))
    decision = judged(subject, call(at(1, 15, 0)))
    assert decision.rules == ("CN-CALL-CONNECT",)
    assert decision.next_allowed_at == at(2, 8, 0)  # after midnight, and within hours
    assert blocked_by(subject, call(at(2, 0, 30))) == ("CN-HOURS",)  # the cap lifted at local midnight
    assert judged(subject, call(at(2, 8, 0))).allowed


def test_cn_pending_calls_count_unanswered_calls_do_not() -> None:
    pending = with_history(CN, *_calls(at(1, 9, 0), 2, connected=True), *_calls(at(1, 11, 0), 1, pending=True))
    assert blocked_by(pending, call(at(1, 15, 0))) == ("CN-CALL-CONNECT",)
    unanswered = with_history(CN, *_calls(at(1, 9, 0), 2, connected=True), *_calls(at(1, 11, 0), 3))
    assert judged(unanswered, call(at(1, 15, 0))).allowed


def test_cn_connected_cap_counts_the_whole_local_day_and_only_the_debtor() -> None:
    later_today = with_history(CN, *_calls(at(1, 16, 0), 3, connected=True))
    assert blocked_by(later_today, call(at(1, 15, 0))) == ("CN-CALL-CONNECT",)
    yesterday = with_history(CN, *_calls(at(1, 20, 0), 3, connected=True))
    assert judged(yesterday, call(at(2, 9, 0))).allowed
    guarantor = with_history(CN, *_calls(at(1, 9, 0), 3, connected=True, party=Party.GUARANTOR))
    assert judged(guarantor, call(at(1, 15, 0))).allowed


def test_cn_sixth_dial_to_one_number_is_the_last() -> None:
    subject = with_history(CN, *_calls(at(1, 9, 0), 6, number="n1"))
    assert blocked_by(subject, call(at(1, 15, 0), number="n1")) == ("CN-CALL-ATTEMPT",)
    assert judged(subject, call(at(1, 15, 0), number="n2")).allowed
    five = with_history(CN, *_calls(at(1, 9, 0), 5, number="n1"))
    assert judged(five, call(at(1, 15, 0), number="n1")).allowed


# --- CN parties and sources ---------------------------------------------------------------------------


def test_cn_third_parties_are_for_locating_only() -> None:
    unreachable = change(CN, states=frozenset({State.UNREACHABLE}))
    collect = call(at(1, 10, 0), party=Party.CONTACT, person="c1", purpose=Purpose.COLLECT)
    assert blocked_by(unreachable, collect) == ("CN-TARGET",)
    employer = judged(CN, call(at(1, 10, 0), party=Party.EMPLOYER, person="e1"))
    assert employer.allowed
    assert "CN-TARGET" in {r.rule_id for r in employer.requirements}


def test_cn_contact_only_when_debtor_unreachable_and_never_after_refusal() -> None:
    locate = call(at(1, 10, 0), party=Party.CONTACT, person="c1")
    assert blocked_by(CN, locate) == ("CN-CONTACT-TRIGGER",)
    unreachable = change(CN, states=frozenset({State.UNREACHABLE}))
    assert judged(unreachable, locate).allowed
    refused = change(unreachable, refused_persons=frozenset({"c1"}))
    assert blocked_by(refused, locate) == ("CN-CONTACT-TRIGGER",)


def test_cn_contact_source_must_be_lawful() -> None:
    assert blocked_by(CN, call(at(1, 10, 0), contact_source="address_book")) == ("CN-CONTACT-SOURCE",)
    assert judged(CN, call(at(1, 10, 0), contact_source="application")).allowed


def test_cn_no_written_messages_to_third_parties() -> None:
    unreachable = change(CN, states=frozenset({State.UNREACHABLE}))
    sms = Attempt(channel=Channel.SMS, at=at(1, 10, 0), party=Party.CONTACT, person="c1")
    assert blocked_by(unreachable, sms) == ("CN-NO-DISCLOSE",)
    assert judged(CN, Attempt(channel=Channel.SMS, at=at(1, 10, 0))).allowed


# --- CN visits, agency, debt --------------------------------------------------------------------------


def test_cn_visit_needs_two_collectors() -> None:
    assert blocked_by(CN, visit(at(1, 10, 0), team_size=1)) == ("CN-VISIT-2P",)
    unknown = judged(CN, visit(at(1, 10, 0), team_size=None))
    assert unknown.allowed and "CN-VISIT-2P" in {r.rule_id for r in unknown.requirements}


def test_cn_visit_longer_than_two_hours_is_a_sit_in() -> None:
    assert blocked_by(CN, visit(at(1, 10, 0), duration_minutes=121)) == ("CN-VISIT-ENTRY",)
    assert judged(CN, visit(at(1, 10, 0), duration_minutes=120)).allowed


def test_cn_agency_needs_contract_publication_and_yearly_review() -> None:
    good = Agency("A1", "C-1", date(2027, 6, 30), True, date(2026, 1, 1))
    assert judged(change(CN, agency=good), call(at(1, 10, 0))).allowed
    for bad in (Agency("A1", "", None, True, date(2026, 1, 1)),
                Agency("A1", "C-1", date(2026, 11, 30), True, date(2026, 1, 1)),
                Agency("A1", "C-1", None, False, date(2026, 1, 1)),
                Agency("A1", "C-1", None, True, date(2025, 11, 30)),
                Agency("A1", "C-1", None, True, None)):
        decision = judged(change(CN, agency=bad), call(at(1, 10, 0)), find_next=False)
        assert decision.rules == ("CN-AGENCY",)
        assert "A1" in decision.reason("en") and "A1" in decision.reason("zh")


def test_cn_illegal_debt_blocks_all_collection() -> None:
    subject = change(CN, states=frozenset({State.ILLEGAL_DEBT}))
    assert blocked_by(subject, Attempt(channel=Channel.LETTER, at=at(1, 10, 0))) == ("CN-ILLEGAL-DEBT",)


def test_cn_time_barred_claims_are_not_enforced() -> None:
    subject = change(CN, time_barred=True)
    enforce = Attempt(channel=Channel.LETTER, at=at(1, 10, 0), purpose=Purpose.ENFORCE)
    assert blocked_by(subject, enforce) == ("CN-LIMITATION",)
    assert judged(subject, Attempt(channel=Channel.LETTER, at=at(1, 10, 0))).allowed


# --- rules every pack holds -----------------------------------------------------------------------------


def test_deceased_debtor_is_not_contacted_but_an_unreachable_contact_may_be() -> None:
    subject = change(CN, states=frozenset({State.DECEASED}))
    assert blocked_by(subject, call(at(1, 10, 0))) == ("DS-DECEASED",)
    assert judged(subject, call(at(1, 10, 0), party=Party.CONTACT, person="c1")).allowed


def test_complaint_pauses_visits_until_the_given_moment() -> None:
    subject = change(CN, visits_paused_until=at(10, 12, 0))
    decision = judged(subject, visit(at(1, 10, 0)))
    assert decision.rules == ("DS-COMPLAINT-PAUSE",)
    assert decision.next_allowed_at == at(10, 12, 0)
    assert judged(subject, call(at(1, 10, 0))).allowed


def test_one_visit_per_30_days_in_cn_and_uk() -> None:
    subject = with_history(CN, ContactEvent(at=at(1, 10, 0), channel=Channel.VISIT))
    decision = judged(subject, visit(at(11, 10, 0)))
    assert decision.rules == ("DS-VISIT-FREQ",)
    assert decision.next_allowed_at == at(31, 10, 0)
    uk = with_history(ENG, ContactEvent(at=at(1, 10, 0, tz=LONDON), channel=Channel.VISIT))
    assert blocked_by(uk, visit(at(11, 10, 0, tz=LONDON))) == ("DS-VISIT-FREQ",)


# --- US -------------------------------------------------------------------------------------------------


def test_us_hours_8_to_21_at_the_consumer_location() -> None:
    assert judged(NY, call(at(1, 20, 59, 59, tz=NEW_YORK))).allowed
    assert blocked_by(NY, call(at(1, 21, 0, tz=NEW_YORK))) == ("US-HOURS",)
    decision = judged(NY, visit(at(1, 20, 30, tz=NEW_YORK)))  # 45-minute default runs past 21:00
    assert decision.rules == ("US-HOURS",)
    assert decision.next_allowed_at == at(2, 8, 0, tz=NEW_YORK)


def test_us_hours_when_the_location_is_unclear_must_suit_every_zone() -> None:
    unclear = change(NY, timezones=("America/New_York", "America/Los_Angeles"))
    assert blocked_by(unclear, call(at(1, 9, 0, tz=NEW_YORK))) == ("US-HOURS",)  # 06:00 in Los Angeles
    assert judged(unclear, call(at(1, 11, 0, tz=NEW_YORK))).allowed


def test_us_hours_on_the_new_york_dst_days() -> None:
    spring = call(datetime(2024, 3, 10, 7, 59, tzinfo=NEW_YORK))
    decision = judged(NY, spring)
    assert decision.rules == ("US-HOURS",)
    assert decision.next_allowed_at == datetime(2024, 3, 10, 12, 0, tzinfo=UTC)  # 08:00 EDT
    autumn = judged(NY, call(datetime(2024, 11, 3, 7, 30, tzinfo=NEW_YORK)))
    assert autumn.next_allowed_at == datetime(2024, 11, 3, 13, 0, tzinfo=UTC)  # 08:00 EST
    assert judged(NY, call(datetime(2024, 11, 3, 20, 59, tzinfo=NEW_YORK))).allowed


def test_us_inconvenient_times_in_the_home_zone() -> None:
    lunch = change(NY, inconvenient_times=(InconvenientTime(12 * 60, 13 * 60),))
    decision = judged(lunch, call(at(1, 12, 30, tz=NEW_YORK)))
    assert decision.rules == ("US-HOURS",)
    assert decision.next_allowed_at == at(1, 13, 0, tz=NEW_YORK)
    assert blocked_by(lunch, visit(at(1, 11, 30, tz=NEW_YORK))) == ("US-HOURS",)  # the visit overlaps lunch
    weekends = change(NY, inconvenient_times=(InconvenientTime(0, 24 * 60, frozenset({5, 6})),))
    assert blocked_by(weekends, call(at(5, 12, 0, tz=NEW_YORK))) == ("US-HOURS",)  # Saturday
    assert judged(weekends, call(at(7, 12, 0, tz=NEW_YORK))).allowed  # Monday


def test_us_no_contact_at_work_when_the_employer_forbids_it() -> None:
    subject = change(NY, states=frozenset({State.NO_WORKPLACE_CONTACT}))
    assert blocked_by(subject, call(at(1, 10, 0, tz=NEW_YORK), number_kind=NumberKind.WORK)) == ("US-WORK",)
    assert blocked_by(subject, visit(at(1, 10, 0, tz=NEW_YORK), place=Place.WORKPLACE)) == ("US-WORK",)
    assert judged(subject, call(at(1, 10, 0, tz=NEW_YORK), number_kind=NumberKind.MOBILE)).allowed


def test_us_attorney_cease_dispute_and_time_bar() -> None:
    moment = at(1, 10, 0, tz=NEW_YORK)
    assert blocked_by(change(NY, states=frozenset({State.ATTORNEY})), call(moment)) == ("US-ATTY",)
    cease = change(NY, states=frozenset({State.CEASE_CONTACT}))
    assert blocked_by(cease, call(moment)) == ("US-CEASE",)
    assert judged(cease, Attempt(channel=Channel.LETTER, at=moment, purpose=Purpose.NOTICE)).allowed
    dispute = change(NY, states=frozenset({State.DISPUTE}))
    assert blocked_by(dispute, call(moment)) == ("US-VALID",)
    assert judged(dispute, Attempt(channel=Channel.LETTER, at=moment, purpose=Purpose.NOTICE)).allowed
    barred = change(NY, time_barred=True)
    assert blocked_by(barred, Attempt(channel=Channel.LETTER, at=moment, purpose=Purpose.ENFORCE)) == ("US-SOL",)


def test_us_seven_calls_in_seven_days_and_a_week_after_a_conversation() -> None:
    week = with_history(NY, *(ContactEvent(at=at(day, 10, 0, tz=NEW_YORK), channel=Channel.CALL)
                              for day in range(1, 8)))
    decision = judged(week, call(at(7, 18, 0, tz=NEW_YORK)))
    assert decision.rules == ("US-7IN7",)
    assert decision.next_allowed_at == at(8, 10, 0, tz=NEW_YORK)  # the first call leaves the window
    talked = with_history(NY, ContactEvent(at=at(1, 10, 0, tz=NEW_YORK), channel=Channel.CALL, connected=True,
                                           conversation=True))
    assert blocked_by(talked, call(at(8, 9, 59, tz=NEW_YORK))) == ("US-7IN7",)
    assert judged(talked, call(at(8, 10, 0, tz=NEW_YORK))).allowed


def test_us_seven_day_window_is_exact_across_a_clock_change() -> None:
    """Seven days are 168 hours whatever zone the moment is written in (engine fix: UTC arithmetic)."""
    moment = datetime(2024, 3, 12, 12, 0, tzinfo=NEW_YORK)
    talk = ContactEvent(at=moment.astimezone(UTC) - timedelta(hours=167, minutes=30), channel=Channel.CALL,
                        connected=True, conversation=True)
    subject = with_history(NY, talk)
    assert blocked_by(subject, call(moment)) == ("US-7IN7",)
    assert blocked_by(subject, call(moment.astimezone(UTC))) == ("US-7IN7",)


def test_us_visit_in_the_repeated_hour_with_consent() -> None:
    """01:30 EDT + 45 minutes ends at 01:15 EST: the consent until 01:20 EST covers it."""
    moment = datetime(2024, 11, 3, 1, 30, tzinfo=NEW_YORK)
    consent = Consent("US-HOURS", moment, datetime(2024, 11, 3, 6, 20, tzinfo=UTC))
    subject = change(NY, consents=(consent,))
    assert judged(subject, visit(moment, duration_minutes=45)).allowed
    assert judged(subject, visit(moment.astimezone(UTC), duration_minutes=45)).allowed


def test_us_third_party_once_and_only_to_locate() -> None:
    neighbour = call(at(1, 10, 0, tz=NEW_YORK), party=Party.CONTACT, person="c1")
    assert judged(NY, neighbour).allowed
    called = with_history(NY, ContactEvent(at=at(1, 9, 0, tz=NEW_YORK), channel=Channel.CALL, party=Party.CONTACT,
                                           person="c1", connected=True))
    assert blocked_by(called, neighbour) == ("US-3P",)
    collect = call(at(1, 10, 0, tz=NEW_YORK), party=Party.CONTACT, person="c1", purpose=Purpose.COLLECT)
    assert blocked_by(NY, collect) == ("US-3P",)


def test_us_ma_two_calls_a_week_to_home_or_cell() -> None:
    two = with_history(MA, *(ContactEvent(at=at(day, 10, 0, tz=NEW_YORK), channel=Channel.CALL, connected=True)
                             for day in (1, 3)))
    decision = judged(two, call(at(5, 10, 0, tz=NEW_YORK)))
    assert decision.rules == ("US-MA",)
    assert decision.next_allowed_at == at(8, 10, 0, tz=NEW_YORK)
    assert judged(two, call(at(5, 10, 0, tz=NEW_YORK), number_kind=NumberKind.WORK)).allowed
    unanswered = with_history(MA, *(ContactEvent(at=at(day, 10, 0, tz=NEW_YORK), channel=Channel.CALL)
                                    for day in (1, 3)))
    assert judged(unanswered, call(at(5, 10, 0, tz=NEW_YORK))).allowed


def test_us_ma_visits_once_a_month_at_home_only_unless_asked() -> None:
    visited = with_history(MA, ContactEvent(at=at(1, 10, 0, tz=NEW_YORK), channel=Channel.VISIT))
    assert blocked_by(visited, visit(at(20, 10, 0, tz=NEW_YORK))) == ("US-MA",)
    work = visit(at(1, 12, 0, tz=NEW_YORK), place=Place.WORKPLACE, duration_minutes=30)
    assert blocked_by(MA, work) == ("US-MA",)
    asked = change(MA, consents=(Consent("US-MA", at(1, 11, 0, tz=NEW_YORK), at(1, 14, 0, tz=NEW_YORK)),))
    decision = judged(asked, work)
    assert decision.allowed and "US-MA" in {r.rule_id for r in decision.requirements}


# --- UK -------------------------------------------------------------------------------------------------


def test_uk_times_default_window_and_workplace_request() -> None:
    assert judged(ENG, call(at(1, 20, 59, tz=LONDON))).allowed
    assert blocked_by(ENG, call(at(1, 21, 0, tz=LONDON))) == ("UK-TIMES",)
    no_work = change(ENG, states=frozenset({State.NO_WORKPLACE_CONTACT}))
    assert blocked_by(no_work, call(at(1, 10, 0, tz=LONDON), number_kind=NumberKind.WORK)) == ("UK-TIMES",)
    assert judged(no_work, Attempt(channel=Channel.LETTER, at=at(1, 10, 0, tz=LONDON),
                                   number_kind=NumberKind.WORK)).allowed


def test_uk_visit_needs_notice_and_consent_away_from_home() -> None:
    no_notice = change(ENG, visit_notice_sent_at=None)
    decision = judged(no_notice, visit(at(1, 10, 0, tz=LONDON)))
    assert decision.rules == ("UK-VISIT",) and decision.next_allowed_at is None
    recent = change(ENG, visit_notice_sent_at=at(1, 9, 0, tz=LONDON))
    waiting = judged(recent, visit(at(3, 10, 0, tz=LONDON)))
    assert waiting.rules == ("UK-VISIT",)
    assert waiting.next_allowed_at == at(8, 9, 0, tz=LONDON)
    assert blocked_by(ENG, visit(at(1, 10, 0, tz=LONDON), place=Place.OTHER)) == ("UK-VISIT",)


def test_uk_vulnerable_and_hardship() -> None:
    vulnerable = change(ENG, states=frozenset({State.VULNERABLE}))
    assert blocked_by(vulnerable, visit(at(1, 10, 0, tz=LONDON))) == ("UK-VULN",)
    assert judged(vulnerable, call(at(1, 10, 0, tz=LONDON))).allowed
    hardship = change(ENG, states=frozenset({State.HARDSHIP}))
    assert blocked_by(hardship, visit(at(1, 10, 0, tz=LONDON))) == ("UK-FORBEAR",)
    assert judged(hardship, call(at(1, 10, 0, tz=LONDON))).allowed


def test_uk_third_parties_locate_only() -> None:
    assert blocked_by(ENG, call(at(1, 10, 0, tz=LONDON), party=Party.CONTACT, person="c1",
                                purpose=Purpose.COLLECT)) == ("UK-3P",)
    assert judged(ENG, call(at(1, 10, 0, tz=LONDON), party=Party.CONTACT, person="c1")).allowed


def test_uk_statute_barred_debt_and_scotland() -> None:
    barred = change(ENG, time_barred=True)
    assert blocked_by(barred, Attempt(channel=Channel.LETTER, at=at(1, 10, 0, tz=LONDON),
                                      purpose=Purpose.ENFORCE)) == ("UK-DEFAULT", "UK-SBD")
    assert judged(barred, call(at(1, 10, 0, tz=LONDON))).allowed
    scotland = change(barred, jurisdictions=("UK-SCT",))
    assert blocked_by(scotland, call(at(1, 10, 0, tz=LONDON))) == ("UK-SBD",)


def test_uk_default_notice_gives_14_days() -> None:
    enforce = Attempt(channel=Channel.LETTER, at=at(15, 10, 0, tz=LONDON), purpose=Purpose.ENFORCE)
    assert blocked_by(ENG, enforce) == ("UK-DEFAULT",)
    served = change(ENG, default_notice_served_on=date(2026, 12, 2))
    decision = judged(served, enforce)
    assert decision.rules == ("UK-DEFAULT",)
    assert decision.next_allowed_at == at(16, 0, 0, tz=LONDON)
    assert judged(change(ENG, default_notice_served_on=date(2026, 12, 1)), enforce).allowed


def test_uk_breathing_space_stops_collection_but_not_notices() -> None:
    subject = change(ENG, states=frozenset({State.BREATHING_SPACE}))
    assert blocked_by(subject, call(at(1, 10, 0, tz=LONDON))) == ("UK-BSPACE",)
    assert judged(subject, Attempt(channel=Channel.LETTER, at=at(1, 10, 0, tz=LONDON),
                                   purpose=Purpose.NOTICE)).allowed


# --- several jurisdictions, reasons, policy -------------------------------------------------------------


def test_strictest_wins_cn_and_england_end_at_21() -> None:
    both = change(CN, jurisdictions=("CN", "UK-ENG"))
    decision = judged(both, call(at(1, 21, 30)))
    assert decision.rules == ("UK-TIMES",)
    assert decision.packs == ("CN", "UK")
    assert decision.next_allowed_at == at(2, 8, 0)
    assert judged(CN, call(at(1, 21, 30))).allowed


def test_every_block_has_reasons_in_both_languages() -> None:
    subject = change(CN, jurisdictions=("CN", "US-MA", "UK-SCT"), time_barred=True, states=frozenset(State))
    decision = judged(subject, visit(at(1, 23, 0), party=Party.CONTACT, person="c1", purpose=Purpose.ENFORCE,
                                     team_size=1, duration_minutes=150, contact_source="address_book"),
                      find_next=False)
    assert len(decision.rules) >= 15
    for block in decision.blocks:
        assert block.reason_en.strip() and block.reason_zh.strip()
    for requirement in decision.requirements:
        assert requirement.text_en.strip() and requirement.text_zh.strip()
    assert judged(CN, call(at(1, 10, 0))).reason("zh") == "允许"


def test_tightened_policy_ends_the_cn_day_at_21() -> None:
    engine = Engine(packs_for_policy({"CN.day_ends_at": 21 * 60, "CN.connected_calls_per_day": 2}))
    assert decide(CN, call(at(1, 21, 30)), engine=engine).rules == ("CN-HOURS",)
    two = with_history(CN, *_calls(at(1, 9, 0), 2, connected=True))
    assert decide(two, call(at(1, 15, 0)), engine=engine).rules == ("CN-CALL-CONNECT",)


@pytest.mark.parametrize(("policy", "message"), [
    ({"CN.night_calls": True}, "unknown"),
    ({"XX.day_ends_at": 1200}, "unknown"),
    ({"CN.day_ends_at": 23 * 60}, "loosens"),
    ({"US.day_starts_at": 7 * 60}, "loosens"),
    ({"CN.connected_calls_per_day": 4}, "loosens"),
    ({"UK.visit_notice_days": 3}, "loosens"),
    ({"CN.day_ends_at": "21:00"}, "whole number"),
    ({"CN.day_ends_at": 1260.5}, "whole number"),
    ({"CN.connected_calls_per_day": True}, "whole number"),
    ({"CN.hours_consent": 0}, "true or false"),
    ({"CN.connected_calls_per_day": -1}, "negative"),
    ({"CN.day_starts_at": 22 * 60}, "start before"),
])
def test_policy_errors(policy: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        packs_for_policy(policy)
