"""The supervisor's live board: teams' positions and progress, visits in progress, overdue
check-outs, SOS and other alerts (acknowledge, escalate, resolve), flagged positions to review,
repayment plans waiting for approval and cash waiting for its deposit.

The board polls a fragment every few seconds (HTMX); polling pauses while the supervisor is typing
in one of its forms, so a note is never wiped by a refresh. Every action goes through
doorstep.field.services and answers with the refreshed board.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from doorstep.common.errors import DomainError
from doorstep.field.models import CashReceipt, CheckEvent, RepaymentPlan
from doorstep.field.selectors import Board, field_board, safety_alert_get, user_may_see_board
from doorstep.field.services import (
    cash_deposit_confirm,
    check_review,
    field_overdue_scan,
    repayment_plan_decide,
    safety_alert_acknowledge,
    safety_alert_escalate,
    safety_alert_resolve,
)
from doorstep.planning.models import Plan, Stop
from doorstep.web.maps import LiveMarker, MapRoute, MapStop, live_map, team_colour
from doorstep.web.views import allowed

POLL_SECONDS = 4
ALARMS = ("sos", "hostile")


def _day(request: HttpRequest) -> date:
    raw = request.GET.get("day") or request.POST.get("day")
    parsed = parse_date(raw) if raw else None
    return parsed or timezone.localdate()


def _context(request: HttpRequest, day: date) -> dict[str, Any]:
    field_overdue_scan()  # idempotent: each overdue visit is alerted once
    board: Board = field_board(day=day)
    colours = {row.team.pk: team_colour(index) for index, row in enumerate(board.teams)}
    stops = (Stop.objects.filter(route__plan__status=Plan.Status.PUBLISHED, route__plan__day=day)
             .select_related("route", "case__borrower").order_by("route_id", "sequence"))
    by_team: dict[int, list[MapStop]] = {}
    for stop in stops:
        borrower = stop.case.borrower
        if borrower.lat is not None and borrower.lon is not None:
            by_team.setdefault(stop.route.team_id, []).append(
                MapStop(lat=borrower.lat, lon=borrower.lon, label=str(stop.sequence), title=borrower.external_id))
    routes = [MapRoute(name=row.team.code, colour=colours[row.team.pk], base=None, stops=by_team.get(row.team.pk, []))
              for row in board.teams]
    alarm_teams = {alert.team_id for alert in board.alerts if alert.kind in ALARMS and alert.status != "resolved"}
    markers = [LiveMarker(lat=row.position.lat, lon=row.position.lon, label=row.team.code,
                          title=f"{row.team.code} {timezone.localtime(row.position.device_at):%H:%M}",
                          colour=colours[row.team.pk], alarm=row.team.pk in alarm_teams)
               for row in board.teams if row.position is not None]
    markers += [LiveMarker(lat=alert.lat, lon=alert.lon, label="SOS", title=f"SOS {alert.raised_at:%H:%M}",
                           colour="#c62828", alarm=True, label_below=True)
                for alert in board.alerts if alert.kind == "sos" and alert.lat is not None and alert.lon is not None]
    live = live_map(routes, markers, title=_("Teams on %(day)s") % {"day": day.isoformat()},
                    tile_url=settings.DOORSTEP_MAP_TILE_URL) if (routes or markers) else None
    return {"board": board, "day": day, "map": live, "poll_seconds": POLL_SECONDS, "colours": colours,
            "alarms": [alert for alert in board.alerts if alert.kind in ALARMS],
            "other_alerts": [alert for alert in board.alerts if alert.kind not in ALARMS]}


@require_GET
@allowed(user_may_see_board)
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "web/field/board.html", _context(request, _day(request)))


@require_GET
@allowed(user_may_see_board)
def board_live(request: HttpRequest) -> HttpResponse:
    return render(request, "web/field/_board.html", _context(request, _day(request)))


def _answer(request: HttpRequest, error: DomainError | None) -> HttpResponse:
    day = _day(request)
    if request.headers.get("HX-Request"):
        context = _context(request, day)
        context["error"] = error.message if error else ""
        return render(request, "web/field/_board.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error.message)
    return redirect(f"{reverse('web:field-board')}?day={day.isoformat()}")


@require_POST
@allowed(user_may_see_board)
def alert_action(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    try:
        alert = safety_alert_get(alert_id=alert_id)
        note = request.POST.get("note", "")
        if action == "acknowledge":
            safety_alert_acknowledge(alert=alert, by=request.user, note=note)
        elif action == "escalate":
            safety_alert_escalate(alert=alert, by=request.user, note=note)
        elif action == "resolve":
            safety_alert_resolve(alert=alert, by=request.user, note=note)
        else:
            raise Http404("unknown action")
    except DomainError as error:
        return _answer(request, error)
    return _answer(request, None)


@require_POST
@allowed(user_may_see_board)
def plan_decision(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = RepaymentPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise Http404("no such plan")
    try:
        repayment_plan_decide(plan=plan, approve=request.POST.get("approve") == "1", by=request.user,
                              note=request.POST.get("note", ""))
    except DomainError as error:
        return _answer(request, error)
    return _answer(request, None)


@require_POST
@allowed(user_may_see_board)
def check_decision(request: HttpRequest, check_id: int) -> HttpResponse:
    check = CheckEvent.objects.filter(pk=check_id).first()
    if check is None:
        raise Http404("no such check-in")
    try:
        check_review(check=check, accept=request.POST.get("accept") == "1", by=request.user)
    except DomainError as error:
        return _answer(request, error)
    return _answer(request, None)


@require_POST
@allowed(user_may_see_board)
def cash_deposit(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = CashReceipt.objects.filter(pk=receipt_id).first()
    if receipt is None:
        raise Http404("no such receipt")
    try:
        cash_deposit_confirm(receipt=receipt, by=request.user)
    except DomainError as error:
        return _answer(request, error)
    return _answer(request, None)
