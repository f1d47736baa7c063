"""The supervisor's plan pages: plans by day and territory, a plan's map and routes, the cases left
out and why, revisions (lock, remove, add, move, then re-optimise), publishing, and route sheets.

Every write goes through doorstep.planning.services; a refused or invalid change answers with the
reason and changes nothing. Solving runs as a background task; pages poll while a plan solves.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doorstep.common.errors import Conflict, DomainError, NotFound
from doorstep.compliance.core.catalogue import rule_title
from doorstep.planning.models import Plan
from doorstep.planning.selectors import (
    PlanLayout,
    plan_get_for_user,
    plan_layout,
    plan_versions,
    plans_for_user,
    route_get_for_user,
    route_sheets_for_user,
    user_may_plan,
    user_may_see_plans,
    user_may_see_route_sheets,
    visit_requirements,
)
from doorstep.planning.services import plan_build, plan_publish, plan_revise
from doorstep.portfolio.presenters import borrower_address_for, borrower_name_for
from doorstep.web.maps import MapPoint, MapRoute, MapStop, RenderedMap, route_map, team_colour
from doorstep.web.planning_forms import PlanBuildForm, RevisionError, revision_from_post
from doorstep.web.scores import plan_visit_scores
from doorstep.web.views import allowed

POLL_SECONDS = 2


def _forbidden(request: HttpRequest) -> HttpResponse:
    return HttpResponseForbidden(render(request, "web/forbidden.html").content)


def _plan_or_404(request: HttpRequest, plan_id: int) -> Plan:
    try:
        return plan_get_for_user(user=request.user, plan_id=plan_id)
    except NotFound as problem:
        raise Http404(problem.message) from problem


# The services speak English with ids in their messages; the refusals a console user meets are
# translated here, keeping the ids.
KNOWN_ERRORS: tuple[tuple[str, Any], ...] = (
    (r"case (\d+) is not on a route of this plan, so it cannot be locked",
     lambda m: _("Case %(case)s is not on a route of this plan, so it cannot be locked.") % {"case": m[1]}),
    (r"case (\d+) is not a candidate of this plan",
     lambda m: _("Case %(case)s is not a candidate of this plan.") % {"case": m[1]}),
    (r"case (\d+) is not in this plan", lambda m: _("Case %(case)s is not in this plan.") % {"case": m[1]}),
    (r"team (\S+) is not on shift in this plan",
     lambda m: _("Team %(team)s is not on shift in this plan.") % {"team": m[1]}),
    (r"team (\S+) cannot take case (\d+): it lacks (.+)",
     lambda m: _("Team %(team)s cannot take case %(case)s: it lacks %(skills)s.") % {
         "team": m[1], "case": m[2], "skills": m[3]}),
    (r"case (\d+) cannot be added.*",
     lambda m: _("Case %(case)s cannot be added: only a case the planner found not worth the travel, or one "
                 "removed by hand, can be (a case blocked by a rule, without an allowed time, or that no team can "
                 "serve never is).") % {"case": m[1]}),
    (r"only a solved plan can be revised", lambda m: _("Only a solved plan can be revised.")),
    (r"only a plan ready for review can be published.*",
     lambda m: _("Only a plan ready for review can be published.")),
    (r"no territory has an active team to plan for", lambda m: _("No territory has an active team to plan for.")),
    (r"territory (\S+) has no centre and a team has no base.*",
     lambda m: _("Territory %(territory)s has no centre and a team has no base: set one.") % {"territory": m[1]}),
    (r"only the lender's supervisors and administrators plan visits",
     lambda m: _("Only the lender's supervisors and administrators plan visits.")),
)


def error_text(message: str) -> str:
    for pattern, translate in KNOWN_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            return str(translate(match))
    return message


def _status(problem: DomainError) -> int:
    return {"forbidden": 403, "not_found": 404, "conflict": 409}.get(problem.code, 400)


# --- the list -------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@allowed(user_may_see_route_sheets)
def plans(request: HttpRequest) -> HttpResponse:
    """Lender viewers: every plan, and for planners the build form. Collectors and agency staff: the
    published route sheets of their teams. Trainers: nothing."""
    if not user_may_see_plans(request.user):
        if request.method == "POST":
            return _forbidden(request)
        return render(request, "web/planning/sheets.html", {"routes": route_sheets_for_user(user=request.user)[:60]})
    may_plan = user_may_plan(request.user)
    form = PlanBuildForm(initial={"day": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not may_plan:
            return _forbidden(request)
        form = PlanBuildForm(request.POST)
        if form.is_valid():
            try:
                built = plan_build(day=form.cleaned_data["day"], territory=form.cleaned_data["territory"],
                                   by=request.user)
            except (DomainError, ValueError) as problem:
                message = problem.message if isinstance(problem, DomainError) else str(problem)
                form.add_error(None, error_text(message))
                status = _status(problem) if isinstance(problem, DomainError) else 400
            else:
                messages.success(request, _("%(count)s plan(s) for %(day)s are being solved.") % {
                    "count": len(built), "day": form.cleaned_data["day"].isoformat()})
                if len(built) == 1:
                    return redirect("web:plan", plan_id=built[0].pk)
                return redirect("web:plans")
        else:
            status = 400
    rows = list(plans_for_user(user=request.user)[:200])
    return render(request, "web/planning/list.html", {
        "plans": rows, "form": form, "may_plan": may_plan,
        "solving": [plan.pk for plan in rows if plan.status == Plan.Status.SOLVING],
    }, status=status)


# --- one plan -------------------------------------------------------------------------------------

def _map(layout: PlanLayout) -> RenderedMap:
    routes = []
    for index, row in enumerate(layout.routes):
        stops = [MapStop(lat=stop.lat, lon=stop.lon, label=str(stop.stop.sequence),
                         title=f"{row.route.team.code} #{stop.stop.sequence} · {stop.borrower_id}")
                 for stop in row.stops if stop.lat is not None and stop.lon is not None]
        routes.append(MapRoute(name=f"{row.route.team.code} {row.route.team.name}", colour=team_colour(index),
                               base=row.base, stops=stops))
    left_out = [MapPoint(lat=layout.points[item.case_id][0], lon=layout.points[item.case_id][1],
                         title=f"{item.case.borrower.external_id} · {group.label}")
                for group in layout.left_out for item in group.rows if item.case_id in layout.points]
    return route_map(routes, left_out, title=_("Routes of the plan"),
                     tile_url=getattr(settings, "DOORSTEP_MAP_TILE_URL", "") or "")


def exclusion_detail(detail: str, *, has_rules: bool) -> str:
    """The building and revising code explain an exclusion in English; shown translated, and not at
    all when it only repeats the reason's label or the rules listed beside it."""
    if has_rules or detail in ("left out by the planner", "removed by the supervisor"):
        return ""
    known = {
        "the borrower has no coordinates": _("The borrower has no coordinates."),
        "no allowed start time that day": _("No allowed start time that day."),
        "the booked or preferred time is outside the allowed hours": _(
            "The booked or preferred time is outside the allowed hours."),
    }
    match = re.fullmatch(r"team (\S+) is not on shift", detail)
    if match:
        return _("Team %(team)s is not on shift.") % {"team": match[1]}
    return known.get(detail, detail)


def _plan_page(request: HttpRequest, plan: Plan, *, error: str = "", status: int = 200) -> HttpResponse:
    layout = plan_layout(plan=plan)
    language = get_language() or "zh-hans"
    for group in layout.left_out:
        for item in group.rows:
            item.rule_titles = [(rule, rule_title(rule, language)) for rule in item.rules]  # type: ignore[attr-defined]
            item.shown_detail = exclusion_detail(item.detail, has_rules=bool(item.rules))  # type: ignore[attr-defined]
    colours = {row.route.team.code: team_colour(index) for index, row in enumerate(layout.routes)}
    scores = plan_visit_scores(plan.scenario, language=language)
    for row in layout.routes:
        for stop_row in row.stops:
            stop_row.score = scores.get(stop_row.case.pk)  # type: ignore[attr-defined]
        row.colour = colours[row.route.team.code]  # type: ignore[attr-defined]
        row.other_teams = [code for code in layout.team_codes if code != row.route.team.code]  # type: ignore[attr-defined]
    may_plan = user_may_plan(request.user)
    return render(request, "web/planning/plan.html", {
        "plan": plan, "layout": layout, "map": _map(layout) if layout.routes or layout.points else None,
        "may_plan": may_plan, "may_revise": may_plan and plan.status in (Plan.Status.READY, Plan.Status.PUBLISHED),
        "may_publish": may_plan and plan.status == Plan.Status.READY,
        "versions": plan_versions(plan=plan), "error": error, "poll_seconds": POLL_SECONDS,
        "left_out_count": sum(len(group.rows) for group in layout.left_out),
    }, status=status)


@require_GET
@allowed(user_may_see_plans)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _plan_page(request, _plan_or_404(request, plan_id))


@require_GET
@allowed(user_may_see_plans)
def plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Polled while a plan solves; once it is solved (or failed) the page reloads itself."""
    plan = _plan_or_404(request, plan_id)
    response = render(request, "web/planning/_status.html", {"plan": plan, "poll_seconds": POLL_SECONDS})
    if plan.status != Plan.Status.SOLVING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@allowed(user_may_see_plans)
def plan_revision(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    if not user_may_plan(request.user):
        return _forbidden(request)
    try:
        revision = revision_from_post(request.POST)
        revised = plan_revise(plan=plan, revision=revision, by=request.user)
    except RevisionError as problem:
        return _plan_page(request, plan, error=str(problem), status=400)
    except DomainError as problem:
        return _plan_page(request, plan, error=error_text(problem.message), status=_status(problem))
    messages.success(request, _("Version %(version)s is being re-optimised around the locked stops.") % {
        "version": revised.version})
    return redirect("web:plan", plan_id=revised.pk)


@require_POST
@allowed(user_may_see_plans)
def plan_publication(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    if not user_may_plan(request.user):
        return _forbidden(request)
    try:
        plan_publish(plan=plan, by=request.user)
    except DomainError as problem:
        status = 409 if isinstance(problem, Conflict) else _status(problem)
        return _plan_page(request, plan, error=error_text(problem.message), status=status)
    messages.success(request, _("Published: the teams have their routes."))
    return redirect("web:plan", plan_id=plan.pk)


# --- the printable route sheet ----------------------------------------------------------------------

@require_GET
@allowed(user_may_see_route_sheets)
def route_sheet(request: HttpRequest, plan_id: int, team_code: str) -> HttpResponse:
    try:
        route = route_get_for_user(user=request.user, plan_id=plan_id, team_code=team_code)
    except NotFound as problem:
        raise Http404(problem.message) from problem
    plan = route.plan
    layout_route = next(row for row in plan_layout(plan=plan).routes if row.route.pk == route.pk)
    requirements = visit_requirements(route=route, stops=layout_route.stops)
    chinese = (get_language() or "zh-hans").lower().startswith("zh")
    for row in layout_route.stops:
        row.address = borrower_address_for(request.user, row.case.borrower)  # type: ignore[attr-defined]
        row.name = borrower_name_for(request.user, row.case.borrower)  # type: ignore[attr-defined]
        row.requirements = [(item.rule_id, item.text_zh if chinese else item.text_en)  # type: ignore[attr-defined]
                            for item in requirements.get(row.case.pk, [])]
    members = list(route.team.members.filter(is_active=True).order_by("username"))
    return render(request, "web/planning/sheet.html", {
        "plan": plan, "route": route, "row": layout_route, "members": members,
        "may_see_plan": user_may_see_plans(request.user),
    })
