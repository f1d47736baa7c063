"""Who reaches what: every console page and API endpoint, for every role, with and without an agency.

A collector reaches only the cases of their teams; agency staff only what is placed with their firm;
trainers no cases; portfolio-wide figures only the lender's supervisors, analysts, compliance and admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from doorstep.accounts.models import Role, User
from doorstep.common.pii import pii_digest, pii_seal
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, InconvenientTime, Override
from doorstep.planning.models import Plan, Route, Stop
from doorstep.portfolio.models import BucketHistory, Case, ImportJob, Loan, PiiAccess
from tests.factories import (
    AgencyFactory,
    BorrowerFactory,
    BorrowerStateFactory,
    CaseFactory,
    ComplaintFactory,
    LoanFactory,
    TeamFactory,
    UserFactory,
)

LENDER_WIDE = ("admin", "supervisor", "compliance", "analyst")


@dataclass
class World:
    users: dict[str, User]
    cases: dict[str, Case]
    job: ImportJob


def _borrower(external_id: str):
    phone = "+8613800000000"
    return BorrowerFactory(
        external_id=external_id, name="王小明",
        phone_sealed=pii_seal(phone, purpose=f"borrower/{external_id}/phone"),
        phone_digest=pii_digest(phone, purpose="phone"), phone_masked="+86138****0000",
        national_id_sealed=pii_seal("11010519491231002X", purpose=f"borrower/{external_id}/national_id"),
        national_id_masked="110***********002X")


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(code="AGX")
    users = {role: UserFactory(username=role, role=role) for role in (
        "admin", "supervisor", "compliance", "analyst", "trainer")}
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    users["collector_a"] = UserFactory(username="collector_a", role=Role.COLLECTOR)
    users["collector_b"] = UserFactory(username="collector_b", role=Role.COLLECTOR)
    users["agency_collector"] = UserFactory(username="agency_collector", role=Role.COLLECTOR, agency=agency)
    users["agency_supervisor"] = UserFactory(username="agency_supervisor", role=Role.SUPERVISOR, agency=agency)
    team_a = TeamFactory(code="TA", members=[users["collector_a"], UserFactory(role=Role.COLLECTOR)])
    team_b = TeamFactory(code="TB", members=[users["collector_b"]])
    team_x = TeamFactory(code="TX", agency=agency, members=[users["agency_collector"]])
    cases = {
        "team_a": CaseFactory(borrower=_borrower("BA"), team=team_a),
        "team_b": CaseFactory(borrower=_borrower("BB"), team=team_b),
        "agency_team": CaseFactory(borrower=_borrower("BX"), team=team_x, agency=agency),
        "agency_pool": CaseFactory(borrower=_borrower("BY"), agency=agency),
        "unassigned": CaseFactory(borrower=_borrower("BZ")),
    }
    for key, case in cases.items():
        loan = LoanFactory(borrower=case.borrower, external_id=f"L-{key}")
        for day in (date(2026, 5, 1), date(2026, 6, 1)):
            BucketHistory.objects.create(loan=loan, as_of=day, dpd=10, bucket="M1", overdue_amount=Decimal("1.00"),
                                         outstanding_principal=Decimal("1.00"), collectible_amount=Decimal("1.00"),
                                         cap_flag="ok", recorded_at="2026-06-01T00:00:00Z")
    job = ImportJob.objects.create(kind="borrowers", original_name="b.csv", status=ImportJob.Status.REJECTED)
    return World(users, cases, job)


REACH = {
    "admin": {"team_a", "team_b", "agency_team", "agency_pool", "unassigned"},
    "supervisor": {"team_a", "team_b", "agency_team", "agency_pool", "unassigned"},
    "compliance": {"team_a", "team_b", "agency_team", "agency_pool", "unassigned"},
    "analyst": {"team_a", "team_b", "agency_team", "agency_pool", "unassigned"},
    "trainer": set(),
    "collector_a": {"team_a"},
    "collector_b": {"team_b"},
    "agency_collector": {"agency_team"},
    "agency_supervisor": {"agency_team", "agency_pool"},
}
USERS = tuple(REACH)


def client_for(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


@pytest.mark.parametrize("name", USERS)
def test_case_list_page_shows_exactly_the_reachable_cases(world: World, name: str) -> None:
    response = client_for(world, name).get("/cases/", {"status": "open"})
    if name == "trainer":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {key for key, case in world.cases.items() if f">{case.borrower.external_id}</a>" in response.text}
    assert shown == REACH[name]


@pytest.mark.parametrize("name", USERS)
def test_case_list_api_returns_exactly_the_reachable_cases(world: World, name: str) -> None:
    response = client_for(world, name).get("/api/v1/cases/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world.cases[key].pk for key in REACH[name]}


@pytest.mark.parametrize("name", USERS)
@pytest.mark.parametrize("key", ["team_a", "team_b", "agency_team", "agency_pool", "unassigned"])
def test_case_and_borrower_detail_pages_and_api(world: World, name: str, key: str) -> None:
    client = client_for(world, name)
    case = world.cases[key]
    reachable = key in REACH[name]
    page = client.get(f"/cases/{case.pk}/")
    borrower_page = client.get(f"/borrowers/{case.borrower.external_id}/")
    api = client.get(f"/api/v1/cases/{case.pk}/")
    borrower_api = client.get(f"/api/v1/borrowers/{case.borrower.external_id}/")
    if name == "trainer":
        assert page.status_code == borrower_page.status_code == 403
    else:
        assert page.status_code == borrower_page.status_code == (200 if reachable else 404)
    assert api.status_code == borrower_api.status_code == (200 if reachable else 404)
    if reachable:
        assert borrower_api.json()["phone"] == "+86138****0000"
        assert "13800000000" not in borrower_page.text and "1949" not in borrower_api.text


@pytest.mark.parametrize("name", USERS)
def test_reveal_is_by_role_and_reach_and_always_logged(world: World, name: str) -> None:
    client = client_for(world, name)
    case = world.cases["team_a"]
    for field, value in (("phone", "+8613800000000"), ("national_id", "11010519491231002X")):
        before = PiiAccess.objects.count()
        api = client.post(f"/api/v1/borrowers/{case.borrower.external_id}/reveal/",
                          {"field": field, "reason": "check identity"}, content_type="application/json")
        permitted = "team_a" in REACH[name] and (
            (field == "phone" and name in ("admin", "supervisor", "compliance", "collector_a"))
            or (field == "national_id" and name in ("admin", "compliance")))
        if "team_a" not in REACH[name]:
            assert api.status_code == 404
        elif permitted:
            assert api.status_code == 200 and api.json()["value"] == value
            assert PiiAccess.objects.count() == before + 1
            logged = PiiAccess.objects.latest("pk")
            assert (logged.user, logged.field, logged.reason) == (world.users[name], field, "check identity")
        else:
            assert api.status_code == 403
            assert PiiAccess.objects.count() == before


@pytest.mark.parametrize("name", USERS)
def test_reveal_page_fragment_follows_the_same_rules(world: World, name: str) -> None:
    client = client_for(world, name)
    case = world.cases["team_a"]
    before = PiiAccess.objects.count()
    response = client.post(f"/borrowers/{case.borrower.external_id}/reveal/",
                           {"field": "phone", "reason": "calling", "contact_id": ""})
    if name == "trainer":
        assert response.status_code == 403
    elif "team_a" not in REACH[name]:
        assert response.status_code == 404
    elif name in ("admin", "supervisor", "compliance", "collector_a"):
        assert response.status_code == 200 and "+8613800000000" in response.text
        assert PiiAccess.objects.count() == before + 1
    else:
        assert response.status_code == 403 and "+8613800000000" not in response.text
        assert PiiAccess.objects.count() == before


ANALYTICS = {"admin", "supervisor", "compliance", "analyst"}
IMPORTERS = {"admin", "supervisor"}


@pytest.mark.parametrize("name", USERS)
def test_portfolio_pages_and_apis_by_role(world: World, name: str) -> None:
    client = client_for(world, name)
    analytics = name in ANALYTICS
    assert client.get("/overview/").status_code == (200 if analytics else 403)
    assert client.get("/overview/roll-rates/", {"from_on": "2026-05-01", "to_on": "2026-06-01"}).status_code == (
        200 if analytics else 403)
    assert client.get("/api/v1/portfolio/overview/").status_code == (200 if analytics else 403)
    assert client.get("/api/v1/portfolio/roll-rates/", {"from": "2026-05-01", "to": "2026-06-01"}).status_code == (
        200 if analytics else 403)
    refresh_page = client.post("/overview/refresh/", {"as_of": "2026-06-02"})
    assert refresh_page.status_code == (302 if name in IMPORTERS else 403)
    refresh_api = client.post("/api/v1/delinquency/refresh/", {"as_of": "2026-06-03"}, content_type="application/json")
    assert refresh_api.status_code == (202 if name in IMPORTERS else 403)


@pytest.mark.parametrize("name", USERS)
def test_import_pages_and_apis_by_role(world: World, name: str) -> None:
    client = client_for(world, name)
    allowed = name in IMPORTERS
    expected = 200 if allowed else 403
    job = world.job
    assert client.get("/imports/").status_code == expected
    assert client.get(f"/imports/{job.pk}/").status_code == expected
    assert client.get(f"/imports/{job.pk}/progress/").status_code == expected
    assert client.get(f"/api/v1/imports/{job.pk}/").status_code == expected
    assert client.get(f"/api/v1/imports/{job.pk}/issues/").status_code == expected
    upload = SimpleUploadedFile("b.csv", b"borrower_id,name,jurisdiction\nNEW1,A B,CN\n", content_type="text/csv")
    before = ImportJob.objects.count()
    response = client.post("/api/v1/imports/", {"kind": "borrowers", "file": upload})
    assert response.status_code == (202 if allowed else 403)
    assert ImportJob.objects.count() == before + (1 if allowed else 0)
    page_upload = SimpleUploadedFile("b.csv", b"borrower_id,name,jurisdiction\nNEW2,A B,CN\n", content_type="text/csv")
    page = client.post("/imports/", {"kind": "borrowers", "file": page_upload})
    assert page.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("name", USERS)
def test_assignment_by_role(world: World, name: str) -> None:
    client = client_for(world, name)
    case = world.cases["unassigned"]
    api = client.post(f"/api/v1/cases/{case.pk}/assign/", {"team": "TB"}, content_type="application/json")
    page = client.post(f"/cases/{case.pk}/", {"team": world.cases["team_a"].team_id, "note": "x"})
    case.refresh_from_db()
    if name in IMPORTERS:
        assert api.status_code == 200 and page.status_code == 302
        assert case.team_id == world.cases["team_a"].team_id
    else:
        assert api.status_code in (403, 404)
        assert page.status_code in (403, 404)
        assert case.team_id is None


# --- compliance -----------------------------------------------------------------------------------
# Lender staff who oversee compliance: complaints, the report, the console. Roles that act on cases
# (start attempts, ask for overrides): everyone but analysts and trainers. State and override rules
# are the services': setting by collectors and up, clearing and deciding by supervisors and up.
OVERSEERS = {"admin", "supervisor", "compliance"}
ACTORS = {"admin", "supervisor", "compliance", "collector_a", "collector_b", "agency_collector", "agency_supervisor"}
APPROVERS = {"admin", "supervisor", "compliance"}  # the lender's: an agency never lifts a protection
STATE_SETTERS = ACTORS


def _json(client: Client, url: str, data: dict[str, object], **headers: str):
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.mark.parametrize("name", USERS)
def test_compliance_contact_apis_by_role_and_reach(world: World, name: str) -> None:
    client = client_for(world, name)
    case = world.cases["team_a"]
    reach = "team_a" in REACH[name]
    contact = {"case": case.pk, "channel": "call", "at": "2026-06-02T10:00:00+08:00", "party": "debtor"}
    check = _json(client, "/api/v1/compliance/check/", contact)
    assert check.status_code == (200 if reach else 404)
    assert _json(client, "/api/v1/compliance/text-check/", {"text": "请通过官方渠道还款"}).status_code == 200
    before = ContactAttempt.objects.count()
    start = _json(client, "/api/v1/compliance/attempts/", contact, **{"Idempotency-Key": f"access-{name}"})
    if name not in ACTORS:
        assert start.status_code == 403
    else:
        assert start.status_code == (201 if reach else 404)
    assert ContactAttempt.objects.count() == before + (1 if start.status_code == 201 else 0)
    started = ContactAttempt.objects.create(
        idempotency_key=f"by-collector-{name}", case=case, borrower=case.borrower, party="debtor", channel="call",
        purpose="collect", at="2026-06-02T02:00:00Z", collector=world.users["collector_a"], status="pending")
    finish = _json(client, f"/api/v1/compliance/attempts/{started.pk}/finish/", {"outcome": "no_answer"})
    may_finish = name == "collector_a" or name in APPROVERS
    assert finish.status_code == (404 if not reach else 200 if may_finish else 403)
    started.refresh_from_db()
    assert started.status == ("completed" if finish.status_code == 200 else "pending")


@pytest.mark.parametrize("name", USERS)
def test_compliance_state_and_override_apis_by_role_and_reach(world: World, name: str) -> None:
    client = client_for(world, name)
    borrower = world.cases["team_a"].borrower
    reach = "team_a" in REACH[name]
    listed = client.get("/api/v1/compliance/borrowers/BA/states/")
    assert listed.status_code == (200 if reach else 404)
    created = _json(client, "/api/v1/compliance/borrowers/BA/states/", {"state": "dispute", "reason": "says paid"})
    assert created.status_code == (404 if not reach else 201 if name in STATE_SETTERS else 403)
    assert BorrowerState.objects.filter(state="dispute").count() == (1 if created.status_code == 201 else 0)
    BorrowerStateFactory(borrower=borrower, state="hardship")
    cleared = _json(client, "/api/v1/compliance/borrowers/BA/states/hardship/clear/", {"reason": "back at work"})
    assert cleared.status_code == (404 if not reach else 200 if name in APPROVERS else 403)
    assert BorrowerState.objects.filter(state="hardship", cleared_at__isnull=True).count() == (
        0 if cleared.status_code == 200 else 1)

    preference = _json(client, "/api/v1/compliance/borrowers/BA/inconvenient-times/",
                       {"start_minute": 1200, "end_minute": 420, "note": "night shift sleeper"})
    assert preference.status_code == (404 if not reach else 201 if name in STATE_SETTERS else 403)
    assert InconvenientTime.objects.count() == (1 if preference.status_code == 201 else 0)

    asked = _json(client, "/api/v1/compliance/overrides/", {
        "borrower": "BA", "rule": "CN-HOURS", "starts_at": "2026-06-02T22:00:00+08:00",
        "ends_at": "2026-06-02T23:00:00+08:00", "evidence": "asked for a late call"})
    assert asked.status_code == (403 if name not in ACTORS else 201 if reach else 404)
    override = Override.objects.create(
        borrower=borrower, rule_id="CN-HOURS", starts_at="2026-06-03T14:00:00Z", ends_at="2026-06-03T15:00:00Z",
        evidence="asked", requested_by=world.users["collector_a"], requested_at="2026-06-02T00:00:00Z")
    decided = _json(client, f"/api/v1/compliance/overrides/{override.pk}/decide/", {"approve": False})
    assert decided.status_code == (404 if not reach else 200 if name in APPROVERS else 403)
    override.refresh_from_db()
    assert override.status == ("rejected" if decided.status_code == 200 else "pending")


@pytest.mark.parametrize("name", USERS)
def test_compliance_complaints_and_report_are_for_lender_overseers(world: World, name: str) -> None:
    client = client_for(world, name)
    case = world.cases["team_a"]
    oversee = name in OVERSEERS
    recorded = _json(client, "/api/v1/compliance/complaints/", {
        "case": case.pk, "summary": "rude collector", "received_at": "2026-06-01T10:00:00+08:00"})
    assert recorded.status_code == (201 if oversee else 403)
    assert Complaint.objects.count() == (1 if oversee else 0)
    complaint = cast(Complaint, ComplaintFactory(case=case))
    resolved = _json(client, f"/api/v1/compliance/complaints/{complaint.pk}/resolve/",
                     {"outcome": "upheld", "note": "apologised"})
    assert resolved.status_code == (200 if oversee else 403)
    complaint.refresh_from_db()
    assert complaint.status == ("resolved" if oversee else "open")
    assert client.get("/api/v1/compliance/report/", {"date": "2026-06-01"}).status_code == (200 if oversee else 403)
    assert client.get("/api/v1/compliance/report.csv", {"date": "2026-06-01"}).status_code == (
        200 if oversee else 403)


@pytest.mark.parametrize("name", USERS)
def test_compliance_console_by_role(world: World, name: str) -> None:
    client = client_for(world, name)
    case = world.cases["team_a"]
    oversee = name in OVERSEERS
    expected = 200 if oversee else 403
    assert client.get("/compliance/").status_code == expected
    assert client.get("/compliance/report/", {"date": "2026-06-01"}).status_code == expected
    assert client.get("/compliance/report.csv", {"date": "2026-06-01"}).status_code == expected
    override = Override.objects.create(
        borrower=case.borrower, rule_id="CN-HOURS", starts_at="2026-06-03T14:00:00Z", ends_at="2026-06-03T15:00:00Z",
        evidence="asked", requested_by=world.users["collector_a"], requested_at="2026-06-02T00:00:00Z")
    state = cast(BorrowerState, BorrowerStateFactory(borrower=case.borrower))
    complaint = cast(Complaint, ComplaintFactory(case=case))
    assert client.post(f"/compliance/overrides/{override.pk}/decide/", {"decision": "approve"}).status_code == expected
    assert client.post(f"/compliance/states/{state.pk}/clear/", {"reason": "back at work"}).status_code == expected
    assert client.post(f"/compliance/complaints/{complaint.pk}/resolve/",
                       {"outcome": "upheld", "note": "apologised"}).status_code == expected
    override.refresh_from_db()
    state.refresh_from_db()
    complaint.refresh_from_db()
    assert (override.status == "approved") is oversee and (state.cleared_at is not None) is oversee
    assert (complaint.status == "resolved") is oversee
    checked = client.post("/compliance/borrowers/BA/check/", {"channel": "call", "at": "2026-06-02T10:00",
                                                               "party": "debtor"})
    if name == "trainer":
        assert checked.status_code == 403
    else:
        assert checked.status_code == (200 if "team_a" in REACH[name] else 404)
    nav = client.get("/cases/") if name != "trainer" else client.get("/")
    assert ('href="/compliance/"' in nav.text) is oversee


# --- plans ----------------------------------------------------------------------------------------
# The lender's supervisors and admins build, revise and publish; compliance and analysts view;
# collectors and agency staff reach only the published route sheets of their (agency's) teams.
PLAN_VIEWERS = {"admin", "supervisor", "compliance", "analyst"}
PLANNERS = IMPORTERS
SHEETS = {  # published plan: whose route sheet each user may print, besides the viewers
    "collector_a": {"TA"}, "collector_b": set(), "agency_collector": {"TX"}, "agency_supervisor": {"TX"},
}


def _plan(world: World, version: int, status: str) -> Plan:
    team_a, team_x = world.cases["team_a"].team, world.cases["agency_team"].team
    assert team_a is not None and team_x is not None
    visits = [{"id": f"C{case.pk}", "location": {"lat": 22.54, "lon": 114.05}, "service": 45,
               "windows": [[540.0, 1000.0]], "prize": 10.0, "required": False, "skills": [f"team:{team.code}"],
               "min_team_size": 1, "demand": 0, "ref": {"borrower_id": case.borrower.external_id, "case_id": case.pk}}
              for team, case in ((team_a, world.cases["team_a"]), (team_x, world.cases["agency_team"]))]
    teams = [{"id": team.code, "members": [], "start": {"lat": 22.54, "lon": 114.05},
              "end": {"lat": 22.54, "lon": 114.05}, "shift": [480, 1080], "skills": [f"team:{team.code}"]}
             for team in (team_a, team_x)]
    plan = Plan.objects.create(day=date(2026, 6, 2), territory=team_a.territory, version=version, status=status,
                               timezone="Asia/Shanghai", time_limit_s=1,
                               scenario={"name": "access", "travel": {"kind": "haversine"}, "teams": teams,
                                         "visits": visits, "objective": {"travel_cost_per_minute": 1.0}})
    at = datetime(2026, 6, 2, 2, 0, tzinfo=UTC)
    for team, case in ((team_a, world.cases["team_a"]), (team_x, world.cases["agency_team"])):
        route = Route.objects.create(plan=plan, team=team, depart_at=at, return_at=at + timedelta(hours=2),
                                     travel_minutes=12)
        Stop.objects.create(route=route, case=case, sequence=1, arrival_at=at + timedelta(minutes=30),
                            start_at=at + timedelta(minutes=30), end_at=at + timedelta(minutes=75),
                            prize=Decimal("10.00"))
    return plan


@pytest.mark.parametrize("name", USERS)
def test_plan_pages_by_role(world: World, name: str) -> None:
    client = client_for(world, name)
    published = _plan(world, 1, Plan.Status.PUBLISHED)
    ready = _plan(world, 2, Plan.Status.READY)
    view = name in PLAN_VIEWERS
    listing = client.get("/plans/")
    assert listing.status_code == (403 if name == "trainer" else 200)
    if name in SHEETS:  # their own published sheets, and no plan
        assert f'href="/plans/{published.pk}/"' not in listing.text
        for code in ("TA", "TX"):
            assert (f"/plans/{published.pk}/teams/{code}/sheet/" in listing.text) is (code in SHEETS[name])
        assert f"/plans/{ready.pk}/teams/" not in listing.text
    for plan in (published, ready):
        assert client.get(f"/plans/{plan.pk}/").status_code == (200 if view else 403)
        assert client.get(f"/plans/{plan.pk}/status/").status_code == (200 if view else 403)
    for code in ("TA", "TX"):
        sheet = client.get(f"/plans/{published.pk}/teams/{code}/sheet/")
        if name == "trainer":
            assert sheet.status_code == 403
        else:
            assert sheet.status_code == (200 if view or code in SHEETS[name] else 404), code
        unpublished = client.get(f"/plans/{ready.pk}/teams/{code}/sheet/")
        assert unpublished.status_code == (403 if name == "trainer" else 200 if view else 404)
    assert client.get(f"/plans/{published.pk}/teams/NOPE/sheet/").status_code == (403 if name == "trainer" else 404)

    plans_before = Plan.objects.count()
    built = client.post("/plans/", {"day": "2026-06-03", "territory": published.territory_id})
    assert built.status_code == (302 if name in PLANNERS else 403)
    revised = client.post(f"/plans/{ready.pk}/revise/", {"lock": [str(world.cases["team_a"].pk)]})
    assert revised.status_code == (302 if name in PLANNERS else 403)
    assert Plan.objects.count() == plans_before + (2 if name in PLANNERS else 0)
    publish = client.post(f"/plans/{ready.pk}/publish/")
    assert publish.status_code == (302 if name in PLANNERS else 403)
    ready.refresh_from_db()
    published.refresh_from_db()
    assert ready.status == (Plan.Status.PUBLISHED if name in PLANNERS else Plan.Status.READY)
    assert published.status == (Plan.Status.SUPERSEDED if name in PLANNERS else Plan.Status.PUBLISHED)
    nav = client.get("/cases/") if name != "trainer" else client.get("/")
    assert ('href="/plans/"' in nav.text) is (name != "trainer")


FIELD_COLLECTORS = {"collector_a", "collector_b", "agency_collector"}
BOARD_USERS = {"admin", "supervisor"}


def _field_rows(world: World) -> dict[str, int]:
    """A visit of team TA with a plan waiting for approval, a promise, an SOS, a flagged check-in and
    cash to deposit (rows written directly: this test is about who reaches them)."""
    from doorstep.field.models import CashReceipt, CheckEvent, Promise, RepaymentPlan, SafetyAlert, Visit

    plan = _plan(world, 1, Plan.Status.PUBLISHED)
    stop = Stop.objects.get(route__plan=plan, case=world.cases["team_a"])
    collector = world.users["collector_a"]
    at = datetime(2026, 6, 2, 2, 30, tzinfo=UTC)
    visit = Visit.objects.create(case=stop.case, borrower=stop.case.borrower, stop=stop, team=stop.route.team,
                                 day=plan.day, status=Visit.Status.IN_PROGRESS, started_at=at)
    repayment = RepaymentPlan.objects.create(
        case=stop.case, visit=visit, number="RP-ACCESS", currency="CNY", total=Decimal("6000.00"), count=6,
        interval="monthly", first_due_on=date(2026, 7, 1), schedule=[{"seq": n, "due_on": f"2026-{6 + n:02d}-01",
                                                                     "amount": "1000.00"} for n in range(1, 7)],
        status=RepaymentPlan.Status.PENDING_APPROVAL, needs_approval=True, proposed_by=collector, proposed_at=at)
    promise = Promise.objects.create(case=stop.case, visit=visit, currency="CNY", amount=Decimal("10.00"),
                                     made_on=plan.day, due_on=plan.day, created_by=collector, created_at=at)
    alert = SafetyAlert.objects.create(kind="sos", team=stop.route.team, raised_by=collector, raised_at=at)
    check = CheckEvent.objects.create(visit=visit, collector=collector, kind="in", lat=22.5, lon=114.0,
                                      device_at=at, server_at=at, flags=["too_far"], review="flagged")
    receipt = CashReceipt.objects.create(case=stop.case, visit=visit, receipt_number="R-ACCESS", currency="CNY",
                                         amount=Decimal("5.00"), issued_by=collector, issued_at=at)
    return {"plan": repayment.pk, "promise": promise.pk, "alert": alert.pk, "check": check.pk, "cash": receipt.pk}


@pytest.mark.parametrize("name", USERS)
def test_field_app_and_board_by_role(world: World, name: str) -> None:
    rows = _field_rows(world)
    client = client_for(world, name)
    collector = name in FIELD_COLLECTORS
    assert client.get("/api/v1/field/today/?day=2026-06-02").status_code == (200 if collector else 403)
    operation = {"id": f"access-{name}", "kind": "position", "at": "2026-06-02T10:00:00+08:00",
                 "data": {"lat": 22.5, "lon": 114.0}}
    single = client.post("/api/v1/field/operations/", operation, content_type="application/json")
    assert single.status_code == (201 if collector else 403)
    batch = client.post("/api/v1/field/sync/", {"operations": []}, content_type="application/json")
    assert batch.status_code == (200 if collector else 403)
    sees_visit = name in LENDER_WIDE or name == "collector_a"
    for url in (f"/api/v1/field/plans/{rows['plan']}/", f"/api/v1/field/plans/{rows['plan']}/agreement.pdf",
                f"/api/v1/field/promises/{rows['promise']}/"):
        assert client.get(url).status_code == (200 if sees_visit else 404), url
    decided = client.post(f"/api/v1/field/plans/{rows['plan']}/decide/", {"approve": True},
                          content_type="application/json")
    assert decided.status_code == (200 if name in BOARD_USERS else 403 if sees_visit else 404)
    board = name in BOARD_USERS
    assert client.get("/api/v1/field/board/?day=2026-06-02").status_code == (200 if board else 403)
    assert client.get("/field/board/?day=2026-06-02").status_code == (200 if board else 403)
    assert client.get("/field/board/live/?day=2026-06-02").status_code == (200 if board else 403)
    for url, body in ((f"/api/v1/field/alerts/{rows['alert']}/acknowledge/", {}),
                      (f"/api/v1/field/alerts/{rows['alert']}/escalate/", {"note": "called"}),
                      (f"/api/v1/field/alerts/{rows['alert']}/resolve/", {"note": "safe"}),
                      (f"/api/v1/field/checks/{rows['check']}/review/", {"accept": True}),
                      (f"/api/v1/field/cash/{rows['cash']}/deposit/", {})):
        assert client.post(url, body, content_type="application/json").status_code == (200 if board else 403), url
    for url, body in ((f"/field/board/alerts/{rows['alert']}/acknowledge/", {}),
                      (f"/field/board/plans/{rows['plan']}/decide/", {"approve": "1"}),
                      (f"/field/board/checks/{rows['check']}/review/", {"accept": "1"}),
                      (f"/field/board/cash/{rows['cash']}/deposit/", {})):
        assert client.post(url, body).status_code == (302 if board else 403), url
    nav = client.get("/cases/") if name != "trainer" else client.get("/")
    assert ('href="/field/board/"' in nav.text) is board
    assert client.get("/field/").status_code == (200 if collector else 403)


TRAINING_OVERSEERS = {"admin", "supervisor", "trainer", "compliance", "agency_supervisor"}
COURSE_EDITORS = {"admin", "trainer"}
CASE_CURATORS = {"admin", "supervisor", "trainer", "agency_supervisor"}


@pytest.fixture
def training_rows(world: World) -> dict[str, int]:
    from doorstep.field.models import Visit
    from doorstep.training.models import Attempt, Certificate, Lesson, Notice, Question, TrainingCase
    from doorstep.training.services import attempt_start
    from tests.field.world import field_world

    field = field_world(date(2026, 6, 2), stops=1, prefix="TR")
    visit = Visit.objects.create(case=field.cases[0], borrower=field.cases[0].borrower, stop=field.stops[0],
                                 team=field.team, day=field.day, status=Visit.Status.CLOSED, outcome="not_home")
    collector = world.users["collector_a"]
    attempt: Attempt = attempt_start(user=collector, course=_law(), now=datetime(2026, 6, 2, 2, tzinfo=UTC))
    certificate = Certificate.objects.get(user=collector)
    notice = Notice.objects.create(recipient=collector, certificate=certificate, kind=Notice.Kind.EXPIRING,
                                   created_at=datetime.now(tz=UTC))
    common = {"result": "failure", "situation": "generated", "created_by": world.users["supervisor"],
              "created_at": datetime.now(tz=UTC)}
    published = TrainingCase.objects.create(title="Published", status=TrainingCase.Status.PUBLISHED, **common)
    draft = TrainingCase.objects.create(title="Draft", **common)
    lesson = Lesson.objects.filter(course__code="law").first()
    question = Question.objects.filter(course__code="law").first()
    assert lesson is not None and question is not None
    return {"visit": visit.pk, "attempt": attempt.pk, "certificate": certificate.pk, "notice": notice.pk,
            "published": published.pk, "draft": draft.pk, "lesson": lesson.pk, "question": question.pk}


def _law():
    from doorstep.training.models import Course

    return Course.objects.get(code="law")


@pytest.mark.parametrize("name", USERS)
def test_training_pages_and_api_by_role(world: World, training_rows: dict[str, int], name: str) -> None:
    from doorstep.training.models import Certificate, Notice

    rows = training_rows
    client = client_for(world, name)
    overseer, editor, curator = name in TRAINING_OVERSEERS, name in COURSE_EDITORS, name in CASE_CURATORS
    owner = name == "collector_a"
    # Everyone takes courses.
    for url in ("/training/", "/training/courses/law/", "/training/cases/", f"/training/cases/{rows['published']}/",
                "/api/v1/training/courses/", "/api/v1/training/courses/law/", "/api/v1/training/certificates/me/",
                "/api/v1/training/notices/", "/api/v1/training/cases/", f"/api/v1/training/cases/{rows['published']}/"):
        assert client.get(url).status_code == 200, url
    assert client.post("/training/courses/law/start/").status_code == 302
    assert client.post("/api/v1/training/courses/law/attempts/").status_code in (200, 201)
    # Someone's attempt: its owner and the people who oversee training (agency staff: their agency only).
    sees_attempt = owner or (overseer and name != "agency_supervisor")
    for url in (f"/training/attempts/{rows['attempt']}/", f"/api/v1/training/attempts/{rows['attempt']}/"):
        refused = 404 if url.startswith("/training") else 403
        assert client.get(url).status_code == (200 if sees_attempt else refused), url
    submit = client.post(f"/api/v1/training/attempts/{rows['attempt']}/submit/", {"answers": {}},
                         content_type="application/json")
    assert submit.status_code == (200 if owner else 403)
    # Notices are their recipient's.
    assert client.post(f"/training/notices/{rows['notice']}/read/").status_code == (302 if owner else 404)
    assert client.post(f"/api/v1/training/notices/{rows['notice']}/read/").status_code == (200 if owner else 404)
    assert Notice.objects.get(pk=rows["notice"]).read_at is not None or not owner
    # Standing and revoking: supervisors, trainers, compliance and admins (a blank reason changes nothing).
    assert client.get("/training/standing/").status_code == (200 if overseer else 403)
    assert client.get("/api/v1/training/standing/").status_code == (200 if overseer else 403)
    assert client.get("/training/analytics/").status_code == (200 if overseer else 403)
    assert client.post(f"/training/certificates/{rows['certificate']}/revoke/", {"reason": ""}).status_code == (
        302 if overseer else 403)
    revoke = client.post(f"/api/v1/training/certificates/{rows['certificate']}/revoke/", {"reason": ""},
                         content_type="application/json")
    # (an agency's supervisor does not reach the lender's own collectors' certificates)
    assert revoke.status_code == (403 if not overseer else 404 if name == "agency_supervisor" else 400)
    assert Certificate.objects.get(pk=rows["certificate"]).revoked_at is None
    # Drafts of the case library: curators only.
    for url in (f"/training/cases/{rows['draft']}/", f"/api/v1/training/cases/{rows['draft']}/"):
        assert client.get(url).status_code == (200 if curator else 404), url
    patched = client.patch(f"/api/v1/training/cases/{rows['draft']}/", {"title": "Draft (edited)"},
                           content_type="application/json")
    assert patched.status_code == (200 if curator else 404)  # a draft is invisible to others
    assert client.post(f"/api/v1/training/cases/{rows['draft']}/publish/").status_code == (
        400 if curator else 404)  # no lessons learnt yet
    # A visit becomes a case for curators who reach the visit (trainers and agency staff do not).
    reaches_visit = name in {"admin", "supervisor"}
    made = client.post(f"/training/cases/from-visit/{rows['visit']}/")
    assert made.status_code == (302 if reaches_visit else 404 if curator else 403)
    api_made = client.post(f"/api/v1/training/cases/from-visit/{rows['visit']}/")
    assert api_made.status_code == (200 if reaches_visit else 404 if curator else 403)
    # Course editing: trainers and administrators.
    code, lesson, question = "law", rows["lesson"], rows["question"]
    for url in ("/training/manage/", "/training/manage/new/", f"/training/manage/{code}/",
                f"/training/manage/{code}/lessons/new/", f"/training/manage/{code}/lessons/{lesson}/",
                f"/training/manage/{code}/questions/new/", f"/training/manage/{code}/questions/{question}/"):
        assert client.get(url).status_code == (200 if editor else 403), url
    assert client.post("/training/manage/preview/", {"body_en": "**x**", "body_zh": "乙"}).status_code == (
        200 if editor else 403)
    if not editor:
        assert client.post(f"/training/manage/{code}/questions/{question}/active/",
                           {"is_active": "0"}).status_code == 403


def test_agency_supervisor_cannot_pull_a_case_back(world: World) -> None:
    client = client_for(world, "agency_supervisor")
    case = world.cases["agency_pool"]
    response = client.post(f"/api/v1/cases/{case.pk}/assign/", {"team": ""}, content_type="application/json")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.agency_id is not None


def test_anonymous_visitors_reach_nothing(world: World) -> None:
    client = Client()
    case = world.cases["team_a"]
    for url in ("/", "/overview/", "/cases/", f"/cases/{case.pk}/", f"/borrowers/{case.borrower.external_id}/",
                "/imports/", f"/imports/{world.job.pk}/", f"/imports/{world.job.pk}/progress/",
                "/overview/roll-rates/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/", f"/api/v1/borrowers/{case.borrower.external_id}/",
                "/api/v1/portfolio/overview/", f"/api/v1/imports/{world.job.pk}/",
                f"/api/v1/imports/{world.job.pk}/issues/", "/api/v1/portfolio/roll-rates/"):
        assert client.get(url).status_code in (401, 403), url
    for url in ("/api/v1/imports/", f"/api/v1/cases/{case.pk}/assign/", "/api/v1/delinquency/refresh/",
                f"/api/v1/borrowers/{case.borrower.external_id}/reveal/"):
        assert client.post(url, {}).status_code in (401, 403), url
    for url in ("/compliance/", "/compliance/report/", "/compliance/report.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/compliance/overrides/1/decide/", "/compliance/states/1/clear/", "/compliance/complaints/1/resolve/",
                "/compliance/borrowers/BA/check/"):
        response = client.post(url, {})
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/api/v1/compliance/borrowers/BA/states/", "/api/v1/compliance/report/",
                "/api/v1/compliance/report.csv"):
        assert client.get(url).status_code in (401, 403), url
    for url in ("/api/v1/compliance/check/", "/api/v1/compliance/attempts/", "/api/v1/compliance/attempts/1/finish/",
                "/api/v1/compliance/text-check/", "/api/v1/compliance/borrowers/BA/states/",
                "/api/v1/compliance/borrowers/BA/states/dispute/clear/", "/api/v1/compliance/overrides/",
                "/api/v1/compliance/overrides/1/decide/", "/api/v1/compliance/complaints/",
                "/api/v1/compliance/complaints/1/resolve/", "/api/v1/compliance/borrowers/BA/inconvenient-times/"):
        assert client.post(url, {}).status_code in (401, 403), url
    for url in ("/plans/", "/plans/1/", "/plans/1/status/", "/plans/1/teams/TA/sheet/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/plans/", "/plans/1/revise/", "/plans/1/publish/"):
        response = client.post(url, {})
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/field/board/", "/field/board/live/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/field/board/alerts/1/acknowledge/", "/field/board/plans/1/decide/", "/field/board/checks/1/review/",
                "/field/board/cash/1/deposit/"):
        response = client.post(url, {})
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/api/v1/field/today/", "/api/v1/field/plans/1/", "/api/v1/field/plans/1/agreement.pdf",
                "/api/v1/field/promises/1/", "/api/v1/field/board/"):
        assert client.get(url).status_code in (401, 403), url
    for url in ("/api/v1/field/operations/", "/api/v1/field/sync/", "/api/v1/field/plans/1/decide/",
                "/api/v1/field/alerts/1/acknowledge/", "/api/v1/field/alerts/1/escalate/",
                "/api/v1/field/alerts/1/resolve/", "/api/v1/field/checks/1/review/", "/api/v1/field/cash/1/deposit/"):
        assert client.post(url, {}).status_code in (401, 403), url
    for url in ("/training/", "/training/courses/law/", "/training/attempts/1/", "/training/standing/",
                "/training/cases/", "/training/cases/1/", "/training/manage/", "/training/analytics/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in ("/api/v1/training/courses/", "/api/v1/training/attempts/1/", "/api/v1/training/certificates/me/",
                "/api/v1/training/standing/", "/api/v1/training/notices/", "/api/v1/training/cases/"):
        assert client.get(url).status_code in (401, 403), url
    for url in ("/api/v1/training/courses/law/attempts/", "/api/v1/training/attempts/1/submit/",
                "/api/v1/training/certificates/1/revoke/", "/api/v1/training/cases/from-visit/1/"):
        assert client.post(url, {}).status_code in (401, 403), url
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("name", USERS)
def test_scoring_pages_by_role(world: World, name: str) -> None:
    """Model metrics and drift are portfolio-wide figures: the lender's analysts, supervisors, compliance, admins."""
    client = client_for(world, name)
    for url in ("/scoring/", "/scoring/drift/"):
        assert client.get(url).status_code == (200 if name in LENDER_WIDE else 403), url
    for url in ("/scoring/", "/scoring/drift/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_only_staff_reach_the_admin(world: World) -> None:
    assert client_for(world, "admin").get("/admin/portfolio/borrower/").status_code == 200
    for name in USERS:
        if name != "admin":
            assert client_for(world, name).get("/admin/portfolio/borrower/").status_code == 302


# Every route of the console and the API must appear in the tests above; a new route fails here
# until its access is tested.
TESTED_ROUTES = {
    "", "login/", "logout/", "overview/", "overview/roll-rates/", "overview/refresh/", "cases/", "cases/<int:case_id>/",
    "borrowers/<str:external_id>/", "borrowers/<str:external_id>/reveal/", "imports/", "imports/<int:job_id>/",
    "imports/<int:job_id>/progress/",
    "api/v1/imports/", "api/v1/imports/<int:job_id>/", "api/v1/imports/<int:job_id>/issues/", "api/v1/cases/",
    "api/v1/cases/<int:case_id>/", "api/v1/cases/<int:case_id>/assign/", "api/v1/borrowers/<str:external_id>/",
    "api/v1/borrowers/<str:external_id>/reveal/", "api/v1/portfolio/overview/", "api/v1/portfolio/roll-rates/",
    "api/v1/delinquency/refresh/",
    "compliance/", "compliance/overrides/<int:override_id>/decide/", "compliance/states/<int:state_id>/clear/",
    "compliance/complaints/<int:complaint_id>/resolve/", "compliance/report/", "compliance/report.csv",
    "compliance/borrowers/<str:external_id>/check/",
    "api/v1/compliance/check/", "api/v1/compliance/attempts/", "api/v1/compliance/attempts/<int:attempt_id>/finish/",
    "api/v1/compliance/text-check/", "api/v1/compliance/borrowers/<str:external_id>/states/",
    "api/v1/compliance/borrowers/<str:external_id>/states/<str:state>/clear/", "api/v1/compliance/overrides/",
    "api/v1/compliance/borrowers/<str:external_id>/inconvenient-times/",
    "api/v1/compliance/overrides/<int:override_id>/decide/", "api/v1/compliance/complaints/",
    "api/v1/compliance/complaints/<int:complaint_id>/resolve/", "api/v1/compliance/report/",
    "api/v1/compliance/report.csv",
    "plans/", "plans/<int:plan_id>/", "plans/<int:plan_id>/status/", "plans/<int:plan_id>/revise/",
    "plans/<int:plan_id>/publish/", "plans/<int:plan_id>/teams/<str:team_code>/sheet/",
    "api/v1/field/today/", "api/v1/field/operations/", "api/v1/field/sync/", "api/v1/field/plans/<int:plan_id>/",
    "api/v1/field/plans/<int:plan_id>/decide/", "api/v1/field/plans/<int:plan_id>/agreement.pdf",
    "api/v1/field/promises/<int:promise_id>/", "api/v1/field/board/",
    "api/v1/field/alerts/<int:alert_id>/acknowledge/", "api/v1/field/alerts/<int:alert_id>/escalate/",
    "api/v1/field/alerts/<int:alert_id>/resolve/", "api/v1/field/checks/<int:check_id>/review/",
    "api/v1/field/cash/<int:receipt_id>/deposit/",
    "field/", "field/board/", "field/board/live/", "field/board/alerts/<int:alert_id>/<str:action>/",
    "field/board/plans/<int:plan_id>/decide/", "field/board/checks/<int:check_id>/review/",
    "field/board/cash/<int:receipt_id>/deposit/",
    "training/", "training/notices/<int:notice_id>/read/", "training/courses/<slug:code>/",
    "training/courses/<slug:code>/start/", "training/attempts/<int:attempt_id>/", "training/standing/",
    "training/certificates/<int:certificate_id>/revoke/", "training/cases/", "training/cases/<int:case_id>/",
    "training/cases/from-visit/<int:visit_id>/", "training/manage/", "training/manage/new/",
    "training/manage/preview/", "training/manage/<slug:code>/", "training/manage/<slug:code>/lessons/new/",
    "training/manage/<slug:code>/lessons/<int:lesson_id>/", "training/manage/<slug:code>/questions/new/",
    "training/manage/<slug:code>/questions/<int:question_id>/",
    "training/manage/<slug:code>/questions/<int:question_id>/active/", "training/analytics/",
    "api/v1/training/courses/", "api/v1/training/courses/<slug:code>/", "api/v1/training/courses/<slug:code>/attempts/",
    "api/v1/training/attempts/<int:attempt_id>/", "api/v1/training/attempts/<int:attempt_id>/submit/",
    "api/v1/training/certificates/me/", "api/v1/training/certificates/<int:certificate_id>/revoke/",
    "api/v1/training/standing/", "api/v1/training/notices/", "api/v1/training/notices/<int:notice_id>/read/",
    "api/v1/training/cases/", "api/v1/training/cases/from-visit/<int:visit_id>/",
    "api/v1/training/cases/<int:case_id>/", "api/v1/training/cases/<int:case_id>/publish/",
    "scoring/", "scoring/drift/",
}
# The schema describes the API; the field app's service worker and manifest are static code and
# names: none holds data.
UNPROTECTED = {"api/schema/", "api/docs/", "field/sw.js", "field/manifest.webmanifest"}


def _routes(resolver: URLResolver, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if text.startswith(("admin/", "i18n/")):
                continue
            found |= _routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            found.add(text)
    return found


def test_every_route_is_covered_by_an_access_test() -> None:
    assert _routes(get_resolver()) - UNPROTECTED == TESTED_ROUTES


def test_loan_factory_is_sane(db) -> None:
    assert LoanFactory().currency == "CNY" and Loan.objects.count() == 1
