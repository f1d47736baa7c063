"""Shared by the field operations: input parsers that name the field they refuse, who may act
on which visit, and the order the rules give the visit's steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from doorstep.accounts.models import Role, Team
from doorstep.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from doorstep.compliance.core.engine import zone
from doorstep.compliance.core.packs import PACKS, pack_ids_for
from doorstep.compliance.core.text import Audience, text_scan
from doorstep.field.models import (
    CheckEvent,
    Visit,
)
from doorstep.planning.models import Plan, Stop

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SUPERVISOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
PARTIES = ("debtor", "guarantor", "co_obligor", "contact", "nobody")
LONGEST_PROMISE = timedelta(days=90)
LARGEST_SIGNATURE = 400_000
# Device clocks drift; one far ahead of the server is flagged (a visit cannot happen in the future).
CLOCK_AHEAD = timedelta(minutes=5)


class FieldConflict(Conflict):
    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, details={"code": reason})


@dataclass(frozen=True)
class Applied:
    visit: Visit | None
    result: dict[str, Any]


@dataclass(frozen=True)
class OperationResult:
    client_id: str
    status: str  # applied | replayed | rejected | conflict | forbidden
    body: dict[str, Any]

    @property
    def http_status(self) -> int:
        return {"applied": 201, "replayed": 200, "conflict": 409, "forbidden": 403}.get(self.status, 400)


# --- small parsers: each names the field it refuses ---------------------------------------------

def _text(data: dict[str, Any], name: str, *, required: bool = True, longest: int = 2000) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{name} is required")
    if len(value) > longest:
        raise InvalidInput(f"{name} is longer than {longest} characters")
    return value


def _money(data: dict[str, Any], name: str, *, required: bool = True) -> Decimal | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    if isinstance(raw, float | bool):
        raise InvalidInput(f"{name} must be a decimal string such as \"1250.00\", not a float")
    try:
        value = Decimal(str(raw))
    except InvalidOperation as error:
        raise InvalidInput(f"{name} is not an amount: {raw!r}") from error
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{name} must be zero or more")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInput(f"{name} has more than two decimal places")
    if value > Decimal("1000000000"):
        raise InvalidInput(f"{name} is implausibly large")
    return value.quantize(Decimal("0.01"))


def _positive(data: dict[str, Any], name: str) -> Decimal:
    value = _money(data, name)
    assert value is not None
    if value <= 0:
        raise InvalidInput(f"{name} must be more than zero")
    return value


def _day(data: dict[str, Any], name: str) -> date:
    raw = data.get(name)
    parsed = parse_date(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise InvalidInput(f"{name} must be a date, YYYY-MM-DD")
    return parsed


def _moment(raw: Any, name: str) -> datetime:
    parsed = None
    if isinstance(raw, str):
        try:
            parsed = parse_datetime(raw)
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput(f"{name} must be a date and time, e.g. 2026-12-01T09:58:12+08:00")
    if timezone.is_naive(parsed):
        raise InvalidInput(f"{name} must carry a time zone offset")
    return parsed


def _number(data: dict[str, Any], name: str, low: float, high: float, *, required: bool = True) -> float | None:
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise InvalidInput(f"{name} is required")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidInput(f"{name} must be a number")
    value = float(raw)
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low:g} and {high:g}")
    return value


def _position(data: dict[str, Any]) -> tuple[float, float, float | None, bool]:
    lat = _number(data, "lat", -90, 90)
    lon = _number(data, "lon", -180, 180)
    accuracy = _number(data, "accuracy_m", 0, 100_000, required=False)
    mocked = data.get("mocked", False)
    if not isinstance(mocked, bool):
        raise InvalidInput("mocked must be true or false")
    assert lat is not None and lon is not None
    return lat, lon, accuracy, mocked


def _filtered(text: str, *, jurisdiction: str, what: str) -> str:
    """Every record is checked by the conduct filter before it is saved (the TXT rules)."""
    if not text:
        return text
    findings = text_scan(text, jurisdictions=(jurisdiction or "CN",), audience=Audience.OBLIGOR)
    if findings:
        raise InvalidInput(
            f"the {what} breaks conduct rules: " + "; ".join(
                f"“{finding.excerpt}” ({', '.join(finding.rule_ids)})" for finding in findings),
            details={"rules": sorted({rule for finding in findings for rule in finding.rule_ids}),
                     "findings": [{"start": finding.start, "end": finding.end, "rules": list(finding.rule_ids)}
                                  for finding in findings]})
    return text


# --- who may act on which visit ---------------------------------------------------------------

def user_on_team(user: Any, team: Team) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and team.members.filter(pk=user.pk).exists())


# A plan's scenario and result JSON run to hundreds of kilobytes on a big day: a phone's operation
# needs neither, and parsing them on every stop lookup was most of an operation's time (bench/).
PLAN_DOCUMENTS = ("route__plan__scenario", "route__plan__result")


def _stop_for(user: Any, data: dict[str, Any]) -> Stop:
    raw = data.get("stop")
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise InvalidInput("stop must be the id of a stop on your route")
    stop = (Stop.objects.select_related("route__plan__territory", "route__team", "case__borrower")
            .defer(*PLAN_DOCUMENTS)
            .filter(pk=int(raw)).first())
    if stop is None:
        raise NotFound(f"no stop {raw}")
    if not user_on_team(user, stop.route.team):
        raise NotPermitted(f"you are not on team {stop.route.team.code}, which has this visit")
    return stop


def _current_stop(stop: Stop) -> Stop | None:
    """The stop for the same case, day and team in the plan now published (a revision may have made
    a new version since the phone cached its route)."""
    plan = stop.route.plan
    if plan.status == Plan.Status.PUBLISHED:
        return stop
    return (Stop.objects.select_related("route__plan__territory", "route__team", "case__borrower")
            .defer(*PLAN_DOCUMENTS)
            .filter(route__plan__day=plan.day, route__plan__territory_id=plan.territory_id,
                    route__plan__status=Plan.Status.PUBLISHED, route__team_id=stop.route.team_id,
                    case_id=stop.case_id).first())


def _visit_for(user: Any, data: dict[str, Any], *, lock: bool = True) -> tuple[Stop, Visit]:
    stop = _stop_for(user, data)
    # The visit's team, borrower and case are read by nearly every step: one query, not four.
    visits = Visit.objects.select_related("team", "borrower", "case")
    if lock:
        visits = visits.select_for_update(of=("self",))
    visit = visits.filter(case_id=stop.case_id, day=stop.route.plan.day).first()
    if visit is None:
        raise InvalidInput("check in first: this visit has not begun")
    # _stop_for checked the stop's team; a visit begun by another team (a move) is checked again.
    if visit.team_id != stop.route.team_id and not user_on_team(user, visit.team):
        raise NotPermitted(f"you are not on team {visit.team.code}, which has this visit")
    return stop, visit


def _open_visit(visit: Visit) -> None:
    if visit.status == Visit.Status.CLOSED:
        raise FieldConflict("this visit was closed meanwhile", reason="visit_closed")


def _started(visit: Visit) -> None:
    _open_visit(visit)
    if visit.status != Visit.Status.IN_PROGRESS:
        needed = _team_needed(visit)
        raise InvalidInput(f"the visit has not started: {needed} collectors must check in first (CN-VISIT-2P)",
                           details={"rules": ["CN-VISIT-2P"]})


def _guided(visit: Visit) -> None:
    """The conversation begins only after identity and mandate are shown (CN-VISIT-ID) and entry
    is settled (CN-VISIT-ENTRY); outcomes stop once the borrower asks the team to leave."""
    _started(visit)
    if visit.asked_to_leave_at is not None:
        raise InvalidInput("the borrower asked the team to leave: the visit has ended; check out")
    if visit.id_shown_at is None:
        raise InvalidInput("show your work id and the mandate first (CN-VISIT-ID)", details={"rules": ["CN-VISIT-ID"]})
    if visit.entry_recorded_at is None:
        raise InvalidInput("record whether you entered, and the consent, first (CN-VISIT-ENTRY)",
                           details={"rules": ["CN-VISIT-ENTRY"]})


OBLIGORS = ("debtor", "guarantor", "co_obligor")


def _obligor_met(visit: Visit) -> None:
    """CN-TARGET: money is asked of, and taken from, only the debtor, a guarantor or a co-obligor."""
    if not visit.party_met:
        raise InvalidInput("record who you met first", details={"rules": ["CN-TARGET"]})
    if visit.party_met not in OBLIGORS:
        raise InvalidInput(f"you met a {visit.party_met.replace('_', ' ')}: collect only from the debtor, a guarantor "
                           "or a co-obligor (CN-TARGET)", details={"rules": ["CN-TARGET"]})


def _team_needed(visit: Visit) -> int:
    packs = pack_ids_for(visit.borrower.jurisdiction or "CN")
    return int(PACKS["CN"].value("visit_min_team")) if "CN" in packs else 1


def _local_day(visit: Visit, moment: datetime) -> date:
    return moment.astimezone(zone(visit.borrower.timezone or "Asia/Shanghai")).date()


def _visit_state(visit: Visit) -> dict[str, Any]:
    checks = list(visit.checks.values_list("collector_id", "kind"))
    return {"id": visit.pk, "status": visit.status, "outcome": visit.outcome,
            "checked_in": sorted(user for user, kind in checks if kind == CheckEvent.Kind.IN),
            "checked_out": sorted(user for user, kind in checks if kind == CheckEvent.Kind.OUT),
            "team_needed": _team_needed(visit)}
