"""Reads of the field visit: a collector's day (what the phone caches), the supervisor's live
board, promise status from payments, and who may see which visit, plan or agreement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from doorstep.accounts.models import Role, Team
from doorstep.accounts.selectors import user_has_role, user_sees_whole_portfolio
from doorstep.common.errors import NotFound
from doorstep.compliance.core.engine import zone
from doorstep.compliance.models import BorrowerState, ContactAttempt
from doorstep.field.core.promises import PromiseOutcome, promise_status
from doorstep.field.models import CashReceipt, CheckEvent, PositionFix, Promise, RepaymentPlan, SafetyAlert, Visit
from doorstep.planning.models import Plan, Route, Stop
from doorstep.planning.selectors import StopRow, visit_requirements
from doorstep.portfolio.models import Payment
from doorstep.training.selectors import standings

BOARD_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


def user_may_use_field_app(user: Any) -> bool:
    return user_has_role(user, {Role.COLLECTOR})


def user_may_see_board(user: Any) -> bool:
    """The lender's supervisors and administrators watch the teams and answer alerts."""
    return user_has_role(user, BOARD_ROLES) and user_sees_whole_portfolio(user)


def _mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def field_day_for(user: Any, now: datetime | None = None) -> date:
    """Today where the user's first team works (its territory's zone)."""
    now = now or timezone.now()
    team = Team.objects.filter(members=user).select_related("territory").order_by("code").first()
    place = team.territory.timezone if team is not None and team.territory is not None else "Asia/Shanghai"
    return now.astimezone(zone(place)).date()


def _brief(stop: Stop, last_contacts: list[dict[str, Any]], states: list[str],
           requirements: list[dict[str, str]]) -> dict[str, Any]:
    case = stop.case
    borrower = case.borrower
    navigation = {}
    if borrower.lat is not None and borrower.lon is not None:
        navigation = {"geo": f"geo:{borrower.lat:.6f},{borrower.lon:.6f}?q={borrower.lat:.6f},{borrower.lon:.6f}",
                      "amap": f"https://uri.amap.com/marker?position={borrower.lon:.6f},{borrower.lat:.6f}"}
    return {
        "borrower": borrower.external_id, "name_masked": _mask_name(borrower.name),
        "national_id_masked": borrower.national_id_masked, "phone_masked": borrower.phone_masked,
        "address": borrower.address, "lat": borrower.lat, "lon": borrower.lon,
        "language": borrower.language, "bucket": case.bucket, "dpd": case.max_dpd, "currency": case.currency,
        "collectible_amount": str(case.collectible_amount), "overdue_amount": str(case.overdue_amount),
        "safety_flags": list(borrower.risk_flags or []), "last_contacts": last_contacts, "states": states,
        "requirements": requirements, "navigation": navigation,
    }


def _visit_json(visit: Visit) -> dict[str, Any]:
    checks = list(visit.checks.all())
    return {"id": visit.pk, "status": visit.status, "outcome": visit.outcome,
            "started_at": _iso(visit.started_at),
            "checked_in": sorted(check.collector_id for check in checks if check.kind == CheckEvent.Kind.IN),
            "checked_out": sorted(check.collector_id for check in checks if check.kind == CheckEvent.Kind.OUT),
            "steps": {"id_shown": visit.id_shown_at is not None, "entry": visit.entry_recorded_at is not None,
                      "met": visit.party_met, "reason": visit.arrears_reason,
                      "finances": visit.finances_recorded_at is not None, "tension": visit.tension_level,
                      "asked_to_leave": visit.asked_to_leave_at is not None,
                      "recordings": visit.recordings.count()}}


def field_today(*, user: Any, day: date | None = None) -> dict[str, Any]:
    """What a collector's phone caches: the published routes of the user's teams for a day, each
    stop with only what the visit needs (masked ids, collectible amounts, earlier contacts' outcome
    codes, safety flags, the agreed language, the rules to show)."""
    day = day or field_day_for(user)
    routes = list(Route.objects.filter(plan__status=Plan.Status.PUBLISHED, plan__day=day, team__members=user)
                  .select_related("plan__territory", "team").defer("plan__scenario", "plan__result")
                  .prefetch_related("team__members")
                  .order_by("team__code"))
    stops_by_route = {route.pk: list(route.stops.select_related("case__borrower").order_by("sequence"))
                      for route in routes}
    case_ids = [stop.case_id for stops in stops_by_route.values() for stop in stops]
    borrower_ids = [stop.case.borrower_id for stops in stops_by_route.values() for stop in stops]
    contacts: dict[int, list[dict[str, Any]]] = {}
    for attempt in (ContactAttempt.objects.filter(case_id__in=case_ids).exclude(status=ContactAttempt.Status.BLOCKED)
                    .order_by("case_id", "-at").values("case_id", "at", "channel", "outcome", "party")):
        rows = contacts.setdefault(attempt["case_id"], [])
        if len(rows) < 5:
            rows.append({"at": _iso(attempt["at"]), "channel": attempt["channel"],
                         "outcome": attempt["outcome"] or "pending", "party": attempt["party"]})
    states: dict[int, list[str]] = {}
    for borrower_id, state in BorrowerState.objects.filter(borrower_id__in=borrower_ids,
                                                           cleared_at__isnull=True).values_list("borrower_id",
                                                                                               "state"):
        states.setdefault(borrower_id, []).append(state)
    visits = {visit.case_id: visit for visit in Visit.objects.filter(case_id__in=case_ids, day=day)
              .prefetch_related("checks")}
    total = closed = in_progress = 0
    payload_routes = []
    for route in routes:
        stops = stops_by_route[route.pk]
        stop_rows = [StopRow(stop=stop, case=stop.case, borrower_id=stop.case.borrower.external_id,
                        bucket=stop.case.bucket, lat=stop.case.borrower.lat, lon=stop.case.borrower.lon, windows=[],
                        service_minutes=(stop.end_at - stop.start_at).total_seconds() / 60) for stop in stops]
        requirements = visit_requirements(route=route, stops=stop_rows)
        payload_stops = []
        for stop in stops:
            visit = visits.get(stop.case_id)
            total += 1
            if visit is not None and visit.status == Visit.Status.CLOSED:
                closed += 1
            elif visit is not None and visit.status == Visit.Status.IN_PROGRESS:
                in_progress += 1
            payload_stops.append({
                "stop": stop.pk, "sequence": stop.sequence, "arrival_at": _iso(stop.arrival_at),
                "start_at": _iso(stop.start_at), "end_at": _iso(stop.end_at), "case": stop.case_id,
                "jurisdiction": stop.case.borrower.jurisdiction,
                "brief": _brief(stop, contacts.get(stop.case_id, []), states.get(stop.case.borrower_id, []),
                                [{"rule": item.rule_id, "en": item.text_en, "zh": item.text_zh}
                                 for item in requirements.get(stop.case_id, [])]),
                "visit": _visit_json(visit) if visit is not None else None})
        payload_routes.append({
            "route": route.pk, "plan": route.plan_id, "plan_version": route.plan.version,
            "team": {"code": route.team.code, "name": route.team.name,
                     "members": [{"id": member.pk, "name": member.get_full_name() or member.username}
                                 for member in route.team.members.all().order_by("username")]},
            "timezone": route.plan.timezone, "depart_at": _iso(route.depart_at), "return_at": _iso(route.return_at),
            "stops": payload_stops})
    standing = standings([user.pk], day)[user.pk]
    return {"day": day.isoformat(), "server_time": _iso(timezone.now()),
            "user": {"id": user.pk, "name": user.get_full_name() or user.username},
            # The field certificate (doorstep.training): the phone warns before it runs out.
            "certificate": {"plannable": standing.plannable, "reason": standing.reason,
                            "expires_on": standing.expires_on.isoformat() if standing.expires_on else None,
                            "days_left": (standing.expires_on - day).days
                            if standing.plannable and standing.expires_on else None},
            "sos_phone": settings.DOORSTEP_FIELD_SOS_PHONE,
            "routes": payload_routes, "progress": {"stops": total, "closed": closed, "in_progress": in_progress}}


# --- access --------------------------------------------------------------------------------------

def visits_for_user(*, user: Any) -> QuerySet[Visit]:
    if user_sees_whole_portfolio(user):
        return Visit.objects.all()
    if user_has_role(user, {Role.COLLECTOR}):
        return Visit.objects.filter(team__members=user)
    return Visit.objects.none()


def repayment_plan_get_for_user(*, user: Any, plan_id: int) -> RepaymentPlan:
    plan = (RepaymentPlan.objects.filter(pk=plan_id, visit__in=visits_for_user(user=user))
            .select_related("case__borrower", "visit__team").first())
    if plan is None:
        raise NotFound(f"no repayment plan {plan_id}")
    return plan


def safety_alert_get(*, alert_id: int) -> SafetyAlert:
    alert = SafetyAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


# --- promises ------------------------------------------------------------------------------------

def promise_outcome(*, promise: Promise, today: date, grace_days: int = 0) -> PromiseOutcome:
    """Kept, partly kept or broken, from the payments on the borrower's loans (never typed in)."""
    payments = (Payment.objects.filter(loan__borrower_id=promise.case.borrower_id, paid_on__gte=promise.made_on,
                                       paid_on__lte=promise.due_on + timedelta(days=grace_days))
                .values_list("paid_on", "amount"))
    # values_list skips from_db_value's typing, not its conversion: the amounts are Decimal.
    paid: list[tuple[date, Decimal]] = [(day, Decimal(amount)) for day, amount in payments]
    return promise_status(amount=promise.amount, made_on=promise.made_on, due_on=promise.due_on,
                          payments=paid, today=today, grace_days=grace_days)


# --- the supervisor's live board -------------------------------------------------------------------

@dataclass
class TeamOnBoard:
    team: Team
    stops: int
    closed: int
    in_progress: int
    position: PositionFix | None
    members: list[str]


@dataclass
class VisitOnBoard:
    visit: Visit
    minutes: int
    due_at: datetime
    overdue: bool


@dataclass
class Board:
    day: date
    now: datetime
    teams: list[TeamOnBoard]
    visits: list[VisitOnBoard]
    alerts: list[SafetyAlert]
    flagged: list[CheckEvent]
    plans_waiting: list[RepaymentPlan]
    cash_open: list[CashReceipt]
    totals: dict[str, Any] = field(default_factory=dict)


def field_board(*, day: date, now: datetime | None = None) -> Board:
    now = now or timezone.now()
    grace = timedelta(minutes=settings.DOORSTEP_FIELD_CHECKOUT_GRACE_MIN)
    routes = list(Route.objects.filter(plan__status=Plan.Status.PUBLISHED, plan__day=day)
                  .select_related("team").annotate(stop_count=Count("stops")).order_by("team__code"))
    per_team = Visit.objects.filter(day=day).values("team_id").annotate(
        closed=Count("id", filter=Q(status=Visit.Status.CLOSED)),
        in_progress=Count("id", filter=Q(status=Visit.Status.IN_PROGRESS)))
    progress: dict[int, dict[str, Any]] = {row["team_id"]: dict(row) for row in per_team}
    teams = []
    for route in routes:
        fix = PositionFix.objects.filter(team=route.team).order_by("-device_at", "-id").first()
        counts = progress.get(route.team_id, {})
        teams.append(TeamOnBoard(team=route.team, stops=getattr(route, "stop_count", 0),
                                 closed=counts.get("closed", 0), in_progress=counts.get("in_progress", 0),
                                 position=fix, members=[member.get_full_name() or member.username
                                                        for member in route.team.members.all()]))
    visits = []
    for visit in (Visit.objects.filter(day=day, status__in=[Visit.Status.CHECKING_IN, Visit.Status.IN_PROGRESS])
                  .select_related("team", "case__borrower").order_by("started_at", "pk")):
        started = visit.started_at or visit.created_at
        due = started + timedelta(minutes=visit.planned_minutes)
        visits.append(VisitOnBoard(visit=visit, minutes=max(0, int((now - started).total_seconds() // 60)),
                                   due_at=due, overdue=now > due + grace))
    alerts = list(SafetyAlert.objects.exclude(status=SafetyAlert.Status.RESOLVED)
                  .select_related("team", "raised_by", "visit__case__borrower").order_by("-raised_at")[:100])
    flagged = list(CheckEvent.objects.filter(review=CheckEvent.Review.FLAGGED)
                   .select_related("collector", "visit__team").order_by("-server_at")[:100])
    plans_waiting = list(RepaymentPlan.objects.filter(status=RepaymentPlan.Status.PENDING_APPROVAL)
                         .select_related("case__borrower", "visit__team", "proposed_by").order_by("proposed_at"))
    cash_open = list(CashReceipt.objects.filter(deposit_confirmed_at__isnull=True)
                     .select_related("visit__team", "issued_by").order_by("issued_at"))
    cash_total = CashReceipt.objects.filter(deposit_confirmed_at__isnull=True).aggregate(total=Sum("amount"))
    totals = {"stops": sum(team.stops for team in teams), "closed": sum(team.closed for team in teams),
              "in_progress": sum(team.in_progress for team in teams),
              "open_alerts": sum(1 for alert in alerts if alert.status == SafetyAlert.Status.OPEN),
              "cash_open": cash_total["total"] or Decimal("0.00")}
    return Board(day=day, now=now, teams=teams, visits=visits, alerts=alerts, flagged=flagged,
                 plans_waiting=plans_waiting, cash_open=cash_open, totals=totals)


# --- a borrower's field record (the console's borrower page) -------------------------------------------

@dataclass
class PromiseRow:
    promise: Promise
    outcome: PromiseOutcome


@dataclass
class FieldRecord:
    visits: list[Visit]
    promises: list[PromiseRow]
    plans: list[RepaymentPlan]


def borrower_field_record(*, borrower_id: int, today: date, limit: int = 10) -> FieldRecord:
    """The borrower's latest visits, promises with their status computed from payments, and plans."""
    visits = list(Visit.objects.filter(borrower_id=borrower_id).select_related("team")
                  .prefetch_related("recordings").order_by("-day", "-pk")[:limit])
    promises = [PromiseRow(promise=promise, outcome=promise_outcome(promise=promise, today=today))
                for promise in Promise.objects.filter(case__borrower_id=borrower_id).select_related("case")
                .order_by("-made_on", "-pk")[:limit]]
    plans = list(RepaymentPlan.objects.filter(case__borrower_id=borrower_id).order_by("-proposed_at")[:limit])
    return FieldRecord(visits=visits, promises=promises, plans=plans)
