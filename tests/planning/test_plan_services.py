"""Plans from the database, end to end: build, solve (inline), revise around locks, publish."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.common.errors import InvalidInput, NotPermitted
from doorstep.common.models import AuditEntry
from doorstep.planning.core.check import check
from doorstep.planning.core.scenario import plan_from_json, scenario_from_json
from doorstep.planning.models import Exclusion, Plan, Stop
from doorstep.planning.services import Revision, plan_build, plan_publish, plan_revise
from tests.factories import BorrowerFactory, CaseFactory, TeamFactory, TerritoryFactory, UserFactory

DAY = date(2026, 12, 2)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Solving is enqueued on commit; a test's transaction never commits, so run the callbacks."""

    def call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        return result

    return call


@pytest.fixture
def world(db, settings):
    settings.DOORSTEP_PLAN_TIME_LIMIT_S = 1
    territory = TerritoryFactory(code="440304", center_lat=22.54, center_lon=114.05)
    teams = [TeamFactory(code=f"T{n}", territory=territory,
                         members=[UserFactory(role=Role.COLLECTOR) for _ in range(2)]) for n in (1, 2)]
    cases = [CaseFactory(borrower=BorrowerFactory(external_id=f"B{n}", lat=22.53 + n / 500, lon=114.04 + n / 700),
                         territory=territory, bucket="M1", collectible_amount=Decimal("2000.00")) for n in range(8)]
    return {"territory": territory, "teams": teams, "cases": cases,
            "boss": UserFactory(role=Role.SUPERVISOR), "collector": teams[0].members.first()}


def test_build_solves_stores_routes_and_every_plan_passes_the_checker(world, run) -> None:
    (plan,) = run(plan_build, day=DAY, territory=world["territory"], by=world["boss"])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY, plan.message
    assert plan.served == Stop.objects.filter(route__plan=plan).count() > 0
    assert check(scenario_from_json(plan.scenario), plan_from_json(plan.result)) == []
    stops = Stop.objects.filter(route__plan=plan).order_by("start_at")
    local = [(timezone.localtime(stop.start_at), timezone.localtime(stop.end_at)) for stop in stops]
    assert all(start.hour >= 9 and end.hour < 18 for start, end in local)  # the teams' default shift, Beijing time
    assert AuditEntry.objects.filter(action__in=["plan.create", "plan.solve"]).count() == 2


def test_only_planners_build(world) -> None:
    with pytest.raises(NotPermitted):
        plan_build(day=DAY, territory=world["territory"], by=world["collector"])
    assert not Plan.objects.exists()


def test_revise_locks_moves_removes_and_adds_back(world, run) -> None:
    (plan,) = run(plan_build, day=DAY, territory=world["territory"], by=world["boss"])
    plan.refresh_from_db()
    served = list(Stop.objects.filter(route__plan=plan).select_related("route__team"))
    first, second = served[0], served[1]
    other = "T2" if second.route.team.code == "T1" else "T1"
    revised = run(plan_revise, plan=plan, revision=Revision(lock=(first.case_id,), move=((second.case_id, other),)),
                  by=world["boss"])
    revised.refresh_from_db()
    assert revised.version == 2 and revised.previous == plan and revised.status == Plan.Status.READY
    after = {stop.case_id: stop for stop in Stop.objects.filter(route__plan=revised).select_related("route__team")}
    assert after[first.case_id].route.team == first.route.team and after[first.case_id].is_locked
    assert after[second.case_id].route.team.code == other and after[second.case_id].is_locked

    removed = run(plan_revise, plan=revised, revision=Revision(remove=(first.case_id,)), by=world["boss"])
    removed.refresh_from_db()
    assert removed.exclusions.get(case_id=first.case_id).reason == Exclusion.Reason.REMOVED
    assert not Stop.objects.filter(route__plan=removed, case_id=first.case_id).exists()
    back = run(plan_revise, plan=removed, revision=Revision(add=(first.case_id,)), by=world["boss"])
    back.refresh_from_db()
    assert Stop.objects.filter(route__plan=back, case_id=first.case_id).exists()
    assert len(back.scenario["visits"]) == len(plan.scenario["visits"])


def test_bad_revisions_change_nothing(world, run) -> None:
    (plan,) = run(plan_build, day=DAY, territory=world["territory"], by=world["boss"])
    plan.refresh_from_db()
    count = Plan.objects.count()
    with pytest.raises(InvalidInput, match="not on a route"):
        plan_revise(plan=plan, revision=Revision(lock=(999_999,)), by=world["boss"])
    with pytest.raises(InvalidInput, match="not on shift"):
        plan_revise(plan=plan, revision=Revision(move=((world["cases"][0].pk, "NOPE"),)), by=world["boss"])
    with pytest.raises(InvalidInput, match="cannot be added"):
        plan_revise(plan=plan, revision=Revision(add=(world["cases"][0].pk,)), by=world["boss"])
    assert Plan.objects.count() == count


def test_publish_assigns_pool_cases_to_the_route_team_once(world, run) -> None:
    (plan,) = run(plan_build, day=DAY, territory=world["territory"], by=world["boss"])
    plan.refresh_from_db()
    published = plan_publish(plan=plan, by=world["boss"])
    assert published.status == Plan.Status.PUBLISHED
    for stop in Stop.objects.filter(route__plan=plan).select_related("case", "route"):
        assert stop.case.team_id == stop.route.team_id
    assert plan_publish(plan=plan, by=world["boss"]).published_at == published.published_at


@pytest.mark.django_db(transaction=True)  # the command's solve task runs on commit, as it does in production
def test_plan_build_command_writes_the_scenario_and_the_plan(world, tmp_path) -> None:
    scenario_path, plan_path = tmp_path / "s.json", tmp_path / "p.json"
    output, errors = StringIO(), StringIO()
    call_command("plan", "build", "--date", DAY.isoformat(), "--territory", "440304", "--scenario-out",
                 str(scenario_path), "--plan-out", str(plan_path), "--time-limit", "1", stdout=output, stderr=errors)
    scenario, plan = json.loads(scenario_path.read_text()), json.loads(plan_path.read_text())
    assert scenario["name"] == "440304-2026-12-02" and plan["scenario"] == scenario["name"]
    assert check(scenario_from_json(scenario), plan_from_json(plan)) == []
    assert "1 plan(s)" in output.getvalue() and "waiting for the solver" in errors.getvalue()
    with pytest.raises(CommandError, match="no territory"):
        call_command("plan", "build", "--date", DAY.isoformat(), "--territory", "NOPE")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("plan", "build", "--date", "tomorrow")
