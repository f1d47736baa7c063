"""Reads for the compliance engine: the borrower as the rules see them, built in a few queries."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Max, Q, QuerySet

from doorstep.compliance.core.engine import Engine
from doorstep.compliance.core.limitation import time_barred
from doorstep.compliance.core.model import Agency as AgencyFacts
from doorstep.compliance.core.model import (
    Channel,
    Consent,
    ContactEvent,
    NumberKind,
    Party,
    State,
    Subject,
)
from doorstep.compliance.core.model import (
    InconvenientTime as InconvenientFacts,
)
from doorstep.compliance.core.packs import packs_for_policy
from doorstep.compliance.models import (
    BorrowerState,
    Complaint,
    ContactAttempt,
    ContactObjection,
    InconvenientTime,
    LenderPolicy,
    Override,
)
from doorstep.portfolio.core.jurisdiction import JurisdictionError, parse_jurisdiction
from doorstep.portfolio.models import Borrower, CapFlag, Case, Payment

HISTORY_DAYS = 31  # the longest rolling window of any rule (30 days) and a day of margin
CHUNK = 2000


def lender_policy_get() -> LenderPolicy:
    policy = LenderPolicy.objects.filter(pk=1).first()
    return policy if policy is not None else LenderPolicy(pk=1)


def engine_for_lender() -> Engine:
    """The rule packs with the lender's tightening applied (validated when it was saved)."""
    return Engine(packs_for_policy(lender_policy_get().tightening))


def person_key(contact_id: int | None) -> str:
    return "debtor" if contact_id is None else f"contact:{contact_id}"


def _timezones(jurisdiction: str, timezone: str) -> tuple[str, ...]:
    """The borrower's zone, and for the US also the state's main zone when they differ: where the
    location is unclear the time must suit every possible location (US-HOURS comment 6(b)(1)(i))."""
    zones = [timezone] if timezone else []
    try:
        parsed = parse_jurisdiction(jurisdiction)
    except JurisdictionError:
        return tuple(zones) or ("Asia/Shanghai",)
    if not zones or parsed.country == "US":
        zones.append(parsed.default_timezone)
    return tuple(dict.fromkeys(zones))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def subjects_for(*, borrower_ids: Iterable[int], around: datetime, cases: dict[int, Case] | None = None,
                 channels: Iterable[Channel] | None = None) -> dict[int, Subject]:
    """Subjects for many borrowers at once, with their contact history around `around`.

    `cases` (borrower id -> open case) may be passed when the caller already holds them. `channels`
    narrows the history to what the attempts about to be judged can depend on: a rule counts only
    events of the attempt's own channel (calls for the call caps, visits for the visit limits),
    except that any contact with a third party counts for that third party (US-3P). The planner,
    which asks only about visits, loads a day's worth of visit history instead of every call.
    """
    ids = sorted(set(borrower_ids))
    result: dict[int, Subject] = {}
    # A load builds some 30 events a borrower and no reference cycles; left on, the cyclic collector
    # rescans everything built so far at each of its passes (3 of 7 s for 600,000 events).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in _chunks(ids):
            result.update(_subjects_chunk(chunk, around, cases, channels))
    finally:
        if collecting:
            gc.enable()
    return result


class _AnyOf(Lookup):
    """`column = ANY(%s)`: the ids travel as one array parameter (PostgreSQL). An IN list of thousands
    of placeholders costs more to build and bind in Python than the query costs to run."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def _among(field: str, ids: list[int]) -> Q | _AnyOf:
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), ids)
    return Q(**{f"{field}__in": ids})


def _tuples(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() queryset. On PostgreSQL, timestamps are read by psycopg's own
    (C) loader: Django's loader wraps it in Python, which costs more than the rest of the row. Both
    give aware datetimes in UTC, the session's time zone (Django sets it to UTC)."""
    if connection.vendor != "postgresql" or connection.timezone_name != "UTC" or _TIMESTAMPTZ_LOADER is None:
        return list(queryset)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", _TIMESTAMPTZ_LOADER)
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _timestamptz_loader() -> Any:
    try:
        import psycopg
        from psycopg.pq import Format
    except ImportError:
        return None
    return psycopg.adapters.get_loader(psycopg.postgres.types["timestamptz"].oid, Format.TEXT)


_TIMESTAMPTZ_LOADER = _timestamptz_loader()
_CHANNELS = {member.value: member for member in Channel}
_PARTIES = {member.value: member for member in Party}
_NUMBER_KINDS = {member.value: member for member in NumberKind}


def _subjects_chunk(ids: list[int], around: datetime, cases: dict[int, Case] | None,
                    channels: Iterable[Channel] | None = None) -> dict[int, Subject]:
    borrowers = {row[0]: row for row in Borrower.objects.filter(_among("id", ids)).values_list(
        "id", "jurisdiction", "timezone", "flags")}
    states: dict[int, set[State]] = defaultdict(set)
    for borrower_id, _jurisdiction, _timezone, flags in borrowers.values():
        for flag in flags or []:
            if flag in State._value2member_map_:
                states[borrower_id].add(State(flag))
    for borrower_id, state in BorrowerState.objects.filter(
            _among("borrower_id", ids), cleared_at__isnull=True).values_list("borrower_id", "state"):
        states[borrower_id].add(State(state))

    consents: dict[int, list[Consent]] = defaultdict(list)
    for borrower_id, rule_id, starts_at, ends_at in Override.objects.filter(
            _among("borrower_id", ids), status=Override.Status.APPROVED,
            ends_at__gte=around - timedelta(days=HISTORY_DAYS),
    ).values_list("borrower_id", "rule_id", "starts_at", "ends_at"):
        consents[borrower_id].append(Consent(rule_id, starts_at, ends_at))

    inconvenient: dict[int, list[InconvenientFacts]] = defaultdict(list)
    for borrower_id, start, end, weekdays in InconvenientTime.objects.filter(_among("borrower_id", ids)).values_list(
            "borrower_id", "start_minute", "end_minute", "weekdays"):
        days = frozenset(weekdays or range(7))
        if start < end:
            inconvenient[borrower_id].append(InconvenientFacts(start, end, days))
        else:  # across midnight: the evening of each day given, and the early morning of the day after
            inconvenient[borrower_id].append(InconvenientFacts(start, 24 * 60, days))
            inconvenient[borrower_id].append(InconvenientFacts(0, end, frozenset((day + 1) % 7 for day in days)))

    refused: dict[int, set[str]] = defaultdict(set)
    for borrower_id, contact_id in ContactObjection.objects.filter(_among("contact__borrower_id", ids)).values_list(
            "contact__borrower_id", "contact_id"):
        refused[borrower_id].add(person_key(contact_id))

    paused = dict(Complaint.objects.filter(_among("borrower_id", ids),
                                           visits_paused_until__gt=around - timedelta(days=1))
                  .values("borrower_id").annotate(until=Max("visits_paused_until")).values_list("borrower_id", "until"))

    # The bulk of the load (about 30 rows a borrower): tuples, enum members by dictionary lookup, and
    # positional construction keep the Python work per row small.
    history: dict[int, list[ContactEvent]] = defaultdict(list)
    persons: dict[int | None, str] = {None: "debtor"}
    pending = ContactAttempt.Status.PENDING.value
    window = Q(at__gte=around - timedelta(days=HISTORY_DAYS), at__lte=around + timedelta(days=2))
    if channels is not None:
        window &= Q(channel__in=[channel.value for channel in channels]) | ~Q(party=Party.DEBTOR.value)
    for borrower_id, at, channel, party, contact_id, number, number_kind, connected, conversation, status in _tuples(
            ContactAttempt.objects.filter(window, _among("borrower_id", ids)).exclude(
                status=ContactAttempt.Status.BLOCKED).values_list(
                "borrower_id", "at", "channel", "party", "contact_id", "number_digest", "number_kind", "connected",
                "conversation", "status")):
        person = persons.get(contact_id)
        if person is None:
            person = persons[contact_id] = person_key(contact_id)
        history[borrower_id].append(ContactEvent(
            at, _CHANNELS[channel], _PARTIES[party], person, number, _NUMBER_KINDS[number_kind], connected,
            conversation, status == pending))
    last_demand: dict[int, datetime] = {}
    visit_notice: dict[int, datetime] = {}
    default_notice: dict[int, datetime] = {}
    for borrower_id, notice_kind, latest in _tuples(ContactAttempt.objects.filter(
            _among("borrower_id", ids), status=ContactAttempt.Status.COMPLETED).filter(
            Q(connected=True, party__in=[Party.DEBTOR, Party.GUARANTOR, Party.CO_OBLIGOR]) | ~Q(notice_kind="")
    ).values("borrower_id", "notice_kind").annotate(latest=Max("at")).values_list("borrower_id", "notice_kind",
                                                                                  "latest")):
        target = {"visit_notice": visit_notice, "default_notice": default_notice}.get(notice_kind)
        if target is not None:
            target[borrower_id] = max(latest, target.get(borrower_id, latest))
        last_demand[borrower_id] = max(latest, last_demand.get(borrower_id, latest))

    if cases is None:
        cases = {case.borrower_id: case for case in Case.objects.filter(
            _among("borrower_id", ids), status=Case.Status.OPEN).select_related("agency")}
    last_paid = dict(Payment.objects.filter(_among("loan__borrower_id", ids)).values("loan__borrower_id").annotate(
        latest=Max("paid_on")).values_list("loan__borrower_id", "latest"))

    subjects: dict[int, Subject] = {}
    by_time = attrgetter("at")
    for borrower_id, jurisdiction, timezone, _flags in borrowers.values():
        case = cases.get(borrower_id)
        jurisdiction = jurisdiction or "CN"
        zones = _timezones(jurisdiction, timezone)
        borrower_states = states[borrower_id]
        agency = None
        barred = False
        if case is not None:
            if case.cap_flag == CapFlag.ILLEGAL or case.is_collection_blocked:
                borrower_states.add(State.ILLEGAL_DEBT)
            if case.agency is not None:
                agency = AgencyFacts(case.agency.code, case.agency.contract_reference, case.agency.contract_ends_on,
                                     case.agency.is_published, case.agency.last_reviewed_on)
            if case.max_dpd > 0:
                clock = case.as_of - timedelta(days=case.max_dpd)
                candidates = [clock, last_paid.get(borrower_id, clock)]
                if borrower_id in last_demand:
                    candidates.append(last_demand[borrower_id].date())
                barred = time_barred(jurisdiction=jurisdiction, clock_started_on=max(candidates), on=around.date())
        served = default_notice.get(borrower_id)
        events = history.get(borrower_id)
        if events:
            events.sort(key=by_time)
        subjects[borrower_id] = Subject(
            jurisdictions=(jurisdiction,), timezones=zones, states=frozenset(borrower_states),
            consents=tuple(consents[borrower_id]), inconvenient_times=tuple(inconvenient[borrower_id]),
            refused_persons=frozenset(refused[borrower_id]), visits_paused_until=paused.get(borrower_id),
            time_barred=barred, default_notice_served_on=served.date() if served else None,
            visit_notice_sent_at=visit_notice.get(borrower_id), agency=agency,
            history=tuple(events) if events else ())
    return subjects


def subject_for(*, borrower: Borrower, around: datetime) -> Subject:
    return subjects_for(borrower_ids=[borrower.pk], around=around)[borrower.pk]
