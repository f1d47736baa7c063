"""Independent oracles, one per rule, written from compliance-rules.md (not from engine.py).

Each oracle answers one question: "does this rule forbid this attempt?" They are deliberately plain:
explicit loops and counts, explicit conversion to local wall-clock time with zoneinfo, and every
instant compared in UTC. Where the table leaves a choice open, the oracle follows the engine's
documented reading and says so in a comment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from doorstep.compliance.core.model import (
    Attempt,
    Channel,
    ContactEvent,
    NumberKind,
    Party,
    Place,
    Purpose,
    State,
    Subject,
)
from doorstep.compliance.core.packs import Pack

Oracle = Callable[[Subject, Attempt, Mapping[str, Pack]], bool]

OBLIGORS = (Party.DEBTOR, Party.GUARANTOR, Party.CO_OBLIGOR)
LAWFUL_SOURCES = ("application", "borrower_update", "public_record")  # CN-CONTACT-SOURCE


# --- plain helpers ---------------------------------------------------------------------------------


def number(packs: Mapping[str, Pack], pack_id: str, name: str) -> int:
    return int(packs[pack_id].value(name))


def switch(packs: Mapping[str, Pack], pack_id: str, name: str) -> bool:
    return bool(packs[pack_id].value(name))


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def pack_ids(subject: Subject) -> list[str]:
    """CN -> CN; US-MA -> US + US-MA; any other US state -> US; UK nations -> UK."""
    found: list[str] = []
    for code in subject.jurisdictions:
        code = code.upper()
        if code == "CN":
            wanted = ["CN"]
        elif code == "US-MA":
            wanted = ["US", "US-MA"]
        elif code.startswith("US"):
            wanted = ["US"]
        elif code.startswith("UK"):
            wanted = ["UK"]
        else:
            raise ValueError(code)
        for pack_id in wanted:
            if pack_id not in found:
                found.append(pack_id)
    return found


def purpose_of(attempt: Attempt) -> Purpose:
    if attempt.purpose is not None:
        return attempt.purpose
    if attempt.party in OBLIGORS:
        return Purpose.COLLECT
    return Purpose.LOCATE


def minutes_on_site(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> int:
    """Calls, texts and letters take no time; a visit lasts its planned time, else the longest default."""
    if attempt.channel is not Channel.VISIT:
        return 0
    if attempt.duration_minutes > 0:
        return attempt.duration_minutes
    longest = 0
    for pack_id in pack_ids(subject):
        if "visit_default_minutes" in packs[pack_id].params:
            longest = max(longest, number(packs, pack_id, "visit_default_minutes"))
    return longest


def span(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> tuple[datetime, datetime]:
    start = utc(attempt.at)
    return start, start + timedelta(minutes=minutes_on_site(subject, attempt, packs))


def has_consent(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack], rule_id: str) -> bool:
    """An approved consent for `rule_id` that covers the whole occupied span."""
    start, end = span(subject, attempt, packs)
    for consent in subject.consents:
        if consent.rule_id == rule_id and utc(consent.starts_at) <= start and end <= utc(consent.ends_at):
            return True
    return False


def local_day(moment: datetime, zone_name: str) -> date:
    return moment.astimezone(ZoneInfo(zone_name)).date()


def wall_clock(day: date, minute: int) -> datetime:
    """A naive local wall-clock time: `minute` minutes after midnight of `day`."""
    return datetime.combine(day, time(0)) + timedelta(minutes=minute)


def outside_hours(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack], pack_id: str) -> bool:
    """The occupied span must lie inside [day_starts_at, day_ends_at] local time in every zone.

    Calls and texts are instants: allowed when start <= t < end. Letters are exempt.
    """
    if attempt.channel is Channel.LETTER:
        return False
    first = number(packs, pack_id, "day_starts_at")
    last = number(packs, pack_id, "day_ends_at")
    begin, finish = span(subject, attempt, packs)
    for zone_name in subject.timezones:
        local_begin = begin.astimezone(ZoneInfo(zone_name))
        local_finish = finish.astimezone(ZoneInfo(zone_name))
        opens = wall_clock(local_begin.date(), first)
        closes = wall_clock(local_begin.date(), last)
        begin_wall = local_begin.replace(tzinfo=None)
        finish_wall = local_finish.replace(tzinfo=None)
        if finish == begin:
            ok = opens <= begin_wall < closes
        else:
            ok = opens <= begin_wall and finish_wall <= closes and local_finish.date() == local_begin.date()
        if not ok:
            return True
    return False


def in_inconvenient_time(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    """A time the consumer called inconvenient, in the home zone (start <= t < end; a visit overlaps it)."""
    if attempt.channel is Channel.LETTER:
        return False
    minutes = minutes_on_site(subject, attempt, packs)
    local_begin = attempt.at.astimezone(ZoneInfo(subject.timezones[0]))
    begin_wall = local_begin.replace(tzinfo=None)
    finish_wall = begin_wall + timedelta(minutes=minutes)
    for slot in subject.inconvenient_times:
        if local_begin.weekday() not in slot.weekdays:
            continue
        slot_start = wall_clock(local_begin.date(), slot.start_minute)
        slot_end = wall_clock(local_begin.date(), slot.end_minute)
        if minutes == 0:
            if slot_start <= begin_wall < slot_end:
                return True
        elif begin_wall < slot_end and finish_wall > slot_start:
            return True
    return False


def workplace_contact(attempt: Attempt) -> bool:
    """A workplace visit, anything addressed to the employer, or a call or text to a work number."""
    if attempt.party is Party.EMPLOYER:
        return True
    if attempt.channel is Channel.VISIT and attempt.place is Place.WORKPLACE:
        return True
    return attempt.channel in (Channel.CALL, Channel.SMS) and attempt.number_kind is NumberKind.WORK


def count_in_window(events: list[ContactEvent], attempt: Attempt, days: int) -> int:
    """Events in the rolling `days` (exact 24-hour days) up to and including the attempt."""
    end = utc(attempt.at)
    start = end - timedelta(days=days)
    count = 0
    for event in events:
        if start < utc(event.at) <= end:
            count += 1
    return count


def count_on_local_day(events: list[ContactEvent], attempt: Attempt, zone_name: str) -> int:
    """Events on the attempt's local day in `zone_name`.

    Engine reading (commit 6a09b1f): the whole local day counts, also events logged later than the
    attempt, so two collectors dialling at once cannot both take the last slot of a daily cap.
    """
    today = local_day(attempt.at, zone_name)
    count = 0
    for event in events:
        if local_day(event.at, zone_name) == today:
            count += 1
    return count


def visits_to_debtor(subject: Subject) -> list[ContactEvent]:
    return [event for event in subject.history if event.channel is Channel.VISIT and event.party is Party.DEBTOR]


def third_party_not_locating(attempt: Attempt) -> bool:
    return attempt.party not in OBLIGORS and purpose_of(attempt) is not Purpose.LOCATE


# --- CN ----------------------------------------------------------------------------------------------


def cn_hours(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "CN" not in pack_ids(subject):
        return False
    if switch(packs, "CN", "hours_consent") and has_consent(subject, attempt, packs, "CN-HOURS"):
        return False
    return outside_hours(subject, attempt, packs, "CN")


def cn_call_connect(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "CN" not in pack_ids(subject) or attempt.channel is not Channel.CALL or attempt.party is not Party.DEBTOR:
        return False
    reached = [event for event in subject.history if event.channel is Channel.CALL
               and event.party is Party.DEBTOR and (event.connected or event.pending)]
    return count_on_local_day(reached, attempt, subject.timezones[0]) >= number(packs, "CN", "connected_calls_per_day")


def cn_call_attempt(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    # Reading: a call with no number recorded has nothing to count against.
    if "CN" not in pack_ids(subject) or attempt.channel is not Channel.CALL or not attempt.number:
        return False
    dialled = [event for event in subject.history if event.channel is Channel.CALL and event.number == attempt.number]
    cap = number(packs, "CN", "attempts_per_number_per_day")
    return count_on_local_day(dialled, attempt, subject.timezones[0]) >= cap


def cn_target(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "CN" in pack_ids(subject) and third_party_not_locating(attempt)


def cn_contact_trigger(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "CN" not in pack_ids(subject) or attempt.party is not Party.CONTACT:
        return False
    if attempt.person in subject.refused_persons:
        return True
    return State.UNREACHABLE not in subject.states and State.DECEASED not in subject.states


def cn_contact_source(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return ("CN" in pack_ids(subject) and attempt.contact_source is not None
            and attempt.contact_source not in LAWFUL_SOURCES)


def cn_no_disclose(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    # Engine reading (stricter than "no bulk SMS to contacts"): nothing written goes to a third party.
    return ("CN" in pack_ids(subject) and attempt.party not in OBLIGORS
            and attempt.channel in (Channel.SMS, Channel.LETTER))


def cn_visit_2p(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "CN" not in pack_ids(subject) or attempt.channel is not Channel.VISIT or attempt.team_size is None:
        return False
    return attempt.team_size < number(packs, "CN", "visit_min_team")


def cn_visit_entry(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "CN" not in pack_ids(subject) or attempt.channel is not Channel.VISIT:
        return False
    return minutes_on_site(subject, attempt, packs) > number(packs, "CN", "visit_max_minutes")


def cn_agency(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    agency = subject.agency
    if "CN" not in pack_ids(subject) or agency is None:
        return False
    today = local_day(attempt.at, subject.timezones[0])
    if agency.contract_reference == "":
        return True
    if agency.contract_ends_on is not None and agency.contract_ends_on < today:
        return True
    if not agency.is_published:
        return True
    if agency.last_reviewed_on is None:
        return True
    return (today - agency.last_reviewed_on).days > number(packs, "CN", "agency_review_days")


def cn_illegal_debt(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "CN" in pack_ids(subject) and State.ILLEGAL_DEBT in subject.states


def cn_limitation(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "CN" in pack_ids(subject) and subject.time_barred and purpose_of(attempt) is Purpose.ENFORCE


# --- rules every pack holds, and visit frequency -------------------------------------------------------


def ds_deceased(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return State.DECEASED in subject.states and attempt.party is Party.DEBTOR


def ds_complaint_pause(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    paused = subject.visits_paused_until
    return attempt.channel is Channel.VISIT and paused is not None and utc(attempt.at) < utc(paused)


def ds_visit_freq(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if attempt.channel is not Channel.VISIT or attempt.party is not Party.DEBTOR:
        return False
    done = count_in_window(visits_to_debtor(subject), attempt, 30)
    for pack_id in pack_ids(subject):
        if pack_id in ("CN", "UK") and done >= number(packs, pack_id, "visits_per_30_days"):
            return True
    return False


# --- US ----------------------------------------------------------------------------------------------


def us_hours(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "US" not in pack_ids(subject):
        return False
    if switch(packs, "US", "hours_consent") and has_consent(subject, attempt, packs, "US-HOURS"):
        return False
    return outside_hours(subject, attempt, packs, "US") or in_inconvenient_time(subject, attempt, packs)


def us_work(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "US" not in pack_ids(subject) or State.NO_WORKPLACE_CONTACT not in subject.states:
        return False
    if attempt.party is Party.EMPLOYER:
        return True
    if attempt.channel is Channel.VISIT and attempt.place is Place.WORKPLACE:
        return True
    # The table says "workplace visits and calls": a text to a work number is not covered.
    return attempt.channel is Channel.CALL and attempt.number_kind is NumberKind.WORK


def us_atty(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "US" in pack_ids(subject) and State.ATTORNEY in subject.states and attempt.party is Party.DEBTOR


def us_cease(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return ("US" in pack_ids(subject) and State.CEASE_CONTACT in subject.states and attempt.party in OBLIGORS
            and purpose_of(attempt) is not Purpose.NOTICE)


def us_valid(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "US" in pack_ids(subject) and State.DISPUTE in subject.states and purpose_of(attempt) is not Purpose.NOTICE


def us_7in7(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "US" not in pack_ids(subject) or attempt.channel is not Channel.CALL:
        return False
    calls = [event for event in subject.history if event.channel is Channel.CALL and event.person == attempt.person]
    if count_in_window(calls, attempt, 7) >= number(packs, "US", "calls_per_7_days"):
        return True
    talks = [event for event in calls if event.conversation]
    return count_in_window(talks, attempt, number(packs, "US", "days_after_conversation")) > 0


def us_3p(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "US" not in pack_ids(subject) or attempt.party in OBLIGORS:
        return False
    if third_party_not_locating(attempt) or attempt.person in subject.refused_persons:
        return True
    # "Usually once each": the engine counts every reached contact with this person in the log, before or after.
    reached = 0
    for event in subject.history:
        if event.person == attempt.person and (event.connected or event.pending):
            reached += 1
    return reached >= number(packs, "US", "third_party_contacts")


def us_sol(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "US" in pack_ids(subject) and subject.time_barred and purpose_of(attempt) is Purpose.ENFORCE


def us_ma(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "US-MA" not in pack_ids(subject) or attempt.party is not Party.DEBTOR:
        return False
    if attempt.channel in (Channel.CALL, Channel.SMS):
        # Reading: a communication is a text, or a call that reached the person (an unanswered ring is not one).
        home_or_cell, other = [], []
        for event in subject.history:
            if event.party is not Party.DEBTOR or event.channel not in (Channel.CALL, Channel.SMS):
                continue
            if event.channel is Channel.CALL and not (event.connected or event.pending):
                continue
            if event.number_kind in (NumberKind.HOME, NumberKind.MOBILE):
                home_or_cell.append(event)
            else:
                other.append(event)
        if attempt.number_kind in (NumberKind.HOME, NumberKind.MOBILE):
            return count_in_window(home_or_cell, attempt, 7) >= number(packs, "US-MA", "calls_home_per_7_days")
        return count_in_window(other, attempt, 30) >= number(packs, "US-MA", "calls_other_per_30_days")
    if attempt.channel is Channel.VISIT:
        if count_in_window(visits_to_debtor(subject), attempt, 30) >= number(packs, "US-MA", "visits_per_30_days"):
            return True
        if attempt.place is not Place.HOME:
            asked = switch(packs, "US-MA", "workplace_visit_consent") and has_consent(subject, attempt, packs, "US-MA")
            return not asked
    return False


# --- UK ----------------------------------------------------------------------------------------------


def uk_times(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "UK" not in pack_ids(subject):
        return False
    if State.NO_WORKPLACE_CONTACT in subject.states and workplace_contact(attempt):
        return True  # "where and how" requests are honoured like "when" requests
    if switch(packs, "UK", "hours_consent") and has_consent(subject, attempt, packs, "UK-TIMES"):
        return False
    return outside_hours(subject, attempt, packs, "UK") or in_inconvenient_time(subject, attempt, packs)


def uk_bspace(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    # Engine reading: the flag means a moratorium is in force, so it binds every UK nation, not only E&W.
    return ("UK" in pack_ids(subject) and State.BREATHING_SPACE in subject.states
            and purpose_of(attempt) is not Purpose.NOTICE)


def uk_vuln(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "UK" in pack_ids(subject) and State.VULNERABLE in subject.states and attempt.channel is Channel.VISIT


def uk_forbear(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "UK" not in pack_ids(subject) or State.HARDSHIP not in subject.states:
        return False
    return attempt.channel is Channel.VISIT or purpose_of(attempt) is Purpose.ENFORCE


def uk_visit(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "UK" not in pack_ids(subject) or attempt.channel is not Channel.VISIT:
        return False
    sent = subject.visit_notice_sent_at
    if sent is None:
        return True
    # Python adds days to an aware datetime on its own wall clock: notice at 10:00 is good from 10:00 N days on.
    if utc(attempt.at) < utc(sent + timedelta(days=number(packs, "UK", "visit_notice_days"))):
        return True
    return attempt.place is not Place.HOME and not has_consent(subject, attempt, packs, "UK-VISIT")


def uk_3p(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    return "UK" in pack_ids(subject) and third_party_not_locating(attempt)


def uk_sbd(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "UK" not in pack_ids(subject) or not subject.time_barred:
        return False
    if purpose_of(attempt) is Purpose.ENFORCE:
        return True
    scotland = any(code.upper() == "UK-SCT" for code in subject.jurisdictions)
    return scotland and purpose_of(attempt) is Purpose.COLLECT  # extinguished in Scotland


def uk_default(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> bool:
    if "UK" not in pack_ids(subject) or purpose_of(attempt) is not Purpose.ENFORCE:
        return False
    served = subject.default_notice_served_on
    if served is None:
        return True
    today = local_day(attempt.at, subject.timezones[0])
    return (today - served).days < number(packs, "UK", "default_notice_days")


ORACLES: dict[str, Oracle] = {
    "CN-HOURS": cn_hours,
    "CN-CALL-CONNECT": cn_call_connect,
    "CN-CALL-ATTEMPT": cn_call_attempt,
    "CN-TARGET": cn_target,
    "CN-CONTACT-TRIGGER": cn_contact_trigger,
    "CN-CONTACT-SOURCE": cn_contact_source,
    "CN-NO-DISCLOSE": cn_no_disclose,
    "CN-VISIT-2P": cn_visit_2p,
    "CN-VISIT-ENTRY": cn_visit_entry,
    "CN-AGENCY": cn_agency,
    "CN-ILLEGAL-DEBT": cn_illegal_debt,
    "CN-LIMITATION": cn_limitation,
    "DS-DECEASED": ds_deceased,
    "DS-COMPLAINT-PAUSE": ds_complaint_pause,
    "DS-VISIT-FREQ": ds_visit_freq,
    "US-HOURS": us_hours,
    "US-WORK": us_work,
    "US-ATTY": us_atty,
    "US-CEASE": us_cease,
    "US-VALID": us_valid,
    "US-7IN7": us_7in7,
    "US-3P": us_3p,
    "US-SOL": us_sol,
    "US-MA": us_ma,
    "UK-TIMES": uk_times,
    "UK-BSPACE": uk_bspace,
    "UK-VULN": uk_vuln,
    "UK-FORBEAR": uk_forbear,
    "UK-VISIT": uk_visit,
    "UK-3P": uk_3p,
    "UK-SBD": uk_sbd,
    "UK-DEFAULT": uk_default,
}


def forbidding(subject: Subject, attempt: Attempt, packs: Mapping[str, Pack]) -> set[str]:
    """The ids of every rule whose oracle forbids the attempt."""
    return {rule_id for rule_id, oracle in ORACLES.items() if oracle(subject, attempt, packs)}
