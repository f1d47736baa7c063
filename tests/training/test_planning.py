"""Nobody without a valid field certificate is planned: `doorstep plan build` leaves out collectors
with no certificate, an expired or a revoked one, and lists them with the reason."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from doorstep.accounts.models import Role
from doorstep.planning.core.scenario import plan_from_json
from doorstep.planning.models import Exclusion, Plan
from doorstep.training.models import Certificate
from doorstep.training.services import certificate_revoke
from tests.factories import BorrowerFactory, CaseFactory, TeamFactory, TerritoryFactory, UserFactory

DAY = date(2026, 12, 2)


def _certify(user, *, issued_on: date, expires_on: date) -> Certificate:
    return Certificate.objects.create(
        number=f"C-{user.username}-{issued_on}", user=user, issued_on=issued_on, expires_on=expires_on
    )


@pytest.fixture
def world(db, settings):
    settings.DOORSTEP_PLAN_TIME_LIMIT_S = 1
    territory = TerritoryFactory(code="440304", center_lat=22.54, center_lon=114.05)
    certified = [UserFactory(username=f"ok{n}", role=Role.COLLECTOR) for n in range(3)]
    newcomer = UserFactory(username="newcomer", role=Role.COLLECTOR, certified=False)
    lapsed = UserFactory(username="lapsed", role=Role.COLLECTOR, certified=False)
    _certify(lapsed, issued_on=DAY - timedelta(days=400), expires_on=DAY)  # expires on the day itself
    revoked = UserFactory(username="revoked", role=Role.COLLECTOR, certified=False)
    certificate = _certify(revoked, issued_on=DAY - timedelta(days=10), expires_on=DAY + timedelta(days=355))
    certificate_revoke(certificate=certificate, by=UserFactory(role=Role.SUPERVISOR), reason="upheld complaint (test)")
    future = UserFactory(username="future", role=Role.COLLECTOR, certified=False)
    _certify(future, issued_on=DAY + timedelta(days=1), expires_on=DAY + timedelta(days=366))
    mixed = TeamFactory(code="MIXED", territory=territory, members=[certified[0], certified[1], newcomer])
    nobody = TeamFactory(code="NOBODY", territory=territory, members=[lapsed, revoked, future])
    other = TeamFactory(code="OTHER", territory=territory, members=[certified[2]])
    cases = [
        CaseFactory(
            borrower=BorrowerFactory(external_id=f"B{n}", lat=22.53 + n / 500, lon=114.04 + n / 700),
            territory=territory,
            bucket="M1",
            collectible_amount=Decimal("2000.00"),
            team=nobody if n < 2 else None,
        )
        for n in range(8)
    ]
    return {"mixed": mixed, "nobody": nobody, "other": other, "cases": cases}


@pytest.mark.django_db(transaction=True)  # the command's solve task runs on commit, as it does in production
def test_plan_build_never_plans_an_uncertified_expired_or_revoked_collector(world, tmp_path) -> None:
    scenario_path, plan_path = tmp_path / "s.json", tmp_path / "p.json"
    errors = StringIO()
    call_command(
        "plan",
        "build",
        "--date",
        DAY.isoformat(),
        "--territory",
        "440304",
        "--scenario-out",
        str(scenario_path),
        "--plan-out",
        str(plan_path),
        "--time-limit",
        "1",
        stdout=StringIO(),
        stderr=errors,
    )
    scenario, result = json.loads(scenario_path.read_text()), json.loads(plan_path.read_text())
    planned = {name for team in scenario["teams"] for name in team["members"]}
    assert planned == {"ok0", "ok1", "ok2"}
    assert {team["id"] for team in scenario["teams"]} == {"MIXED", "OTHER"}
    assert next(team for team in scenario["teams"] if team["id"] == "MIXED")["ref"]["collector_ids"] == ["ok0", "ok1"]
    routed = {route.team for route in plan_from_json(result).routes if route.stops}
    assert routed and routed <= {"MIXED", "OTHER"}

    plan = Plan.objects.get()
    left_out = {item["username"]: item["reason"] for item in plan.collectors_left_out}
    assert left_out == {
        "newcomer": "no_certificate",
        "lapsed": "expired",
        "revoked": "revoked",
        "future": "no_certificate",
    }
    # The team with nobody certified does not go out; its cases are left out and say why.
    for case in world["cases"][:2]:
        exclusion = Exclusion.objects.get(plan=plan, case=case)
        assert exclusion.reason == Exclusion.Reason.NO_TEAM
        assert "no collector of team NOBODY holds a valid certificate" in exclusion.detail
    assert "not planned: newcomer (team MIXED): no certificate" in errors.getvalue()
    assert "not planned: lapsed (team NOBODY): expired" in errors.getvalue()


def test_a_revision_drops_a_collector_whose_certificate_was_revoked_meanwhile(
    world, django_capture_on_commit_callbacks
):
    from doorstep.planning.services import Revision, plan_build, plan_revise

    boss = UserFactory(role=Role.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        (plan,) = plan_build(day=DAY, territory=world["mixed"].territory, by=boss)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY, plan.message
    certificate = Certificate.objects.get(user__username="ok1")
    certificate_revoke(certificate=certificate, by=boss, reason="left the company (test)")
    with django_capture_on_commit_callbacks(execute=True):
        revised = plan_revise(plan=plan, revision=Revision(), by=boss)
    revised.refresh_from_db()
    members = {name for team in revised.scenario["teams"] for name in team["members"]}
    assert "ok1" not in members and "ok0" in members
    assert {"username": "ok1", "team": "MIXED", "reason": "revoked", "expires_on": None} in revised.collectors_left_out
