"""Scenarios built from the database: windows come from the compliance engine (never one it
forbids), blocked cases are left out with their rules, eligibility follows assignment."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.compliance.core.model import Attempt, Channel
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt
from doorstep.compliance.selectors import engine_for_lender, subjects_for
from doorstep.planning.building import INTERIM_RECOVERY_RATES, scenario_build
from doorstep.planning.models import Exclusion, TeamDayOff, TeamSchedule, VisitAppointment
from tests.factories import AgencyFactory, BorrowerFactory, CaseFactory, TeamFactory, TerritoryFactory, UserFactory

DAY = date(2026, 12, 2)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def territory(db):
    return TerritoryFactory(code="440304", name="福田区", center_lat=22.54, center_lon=114.05)


def borrower(code: str, **fields):
    return BorrowerFactory(external_id=code, lat=22.53 + random.random() / 100, lon=114.05, **fields)


@pytest.fixture
def book(territory):
    random.seed(3)
    collectors = [UserFactory(role=Role.COLLECTOR) for _ in range(5)]
    team_a = TeamFactory(code="TA", territory=territory, members=collectors[:2])
    team_b = TeamFactory(code="TB", territory=territory, members=collectors[2:4])
    solo = TeamFactory(code="SOLO", territory=territory, members=collectors[4:])
    agency = AgencyFactory(code="AGY", contract_reference="C-1", last_reviewed_on=date(2026, 6, 1))
    agency_team = TeamFactory(code="AT", territory=territory, agency=agency,
                              members=[UserFactory(role=Role.COLLECTOR, agency=agency) for _ in range(2)])
    TeamSchedule.objects.create(team=team_a, shift_start_minute=480, shift_end_minute=1200, skills=["hardship"])
    cases = {
        "plain": CaseFactory(borrower=borrower("P1"), territory=territory, bucket="M2",
                             collectible_amount=Decimal("3000.00")),
        "assigned": CaseFactory(borrower=borrower("P2"), territory=territory, team=team_b),
        "agency": CaseFactory(borrower=borrower("P3"), territory=territory, agency=agency),
        "hardship": CaseFactory(borrower=borrower("P4"), territory=territory),
        "visited": CaseFactory(borrower=borrower("P5"), territory=territory),
        "complained": CaseFactory(borrower=borrower("P6"), territory=territory),
        "illegal": CaseFactory(borrower=borrower("P7"), territory=territory, is_collection_blocked=True,
                               cap_flag="illegal"),
        "nowhere": CaseFactory(borrower=BorrowerFactory(external_id="P8"), territory=territory),
        "booked": CaseFactory(borrower=borrower("P9"), territory=territory),
        "evening": CaseFactory(borrower=borrower("P10"), territory=territory),
    }
    BorrowerState.objects.create(borrower=cases["hardship"].borrower, state="hardship", reason="lost job",
                                 set_at=timezone.now())
    ContactAttempt.objects.create(
        idempotency_key="v1", case=cases["visited"], borrower=cases["visited"].borrower, party="debtor",
        channel="visit", purpose="collect", at=datetime.combine(DAY - timedelta(days=10), time(10), tzinfo=SHANGHAI),
        collector=collectors[0], status="completed", outcome="met", connected=True, team_size=2,
        duration_minutes=45)
    Complaint.objects.create(case=cases["complained"], borrower=cases["complained"].borrower, summary="rude",
                             received_at=timezone.now(), visits_paused_until=datetime.combine(
                                 DAY, time(14), tzinfo=SHANGHAI),
                             answer_due_at=timezone.now() + timedelta(days=3), recorded_by=collectors[0])
    VisitAppointment.objects.create(case=cases["booked"], day=DAY, start_minute=600, end_minute=660, source="booked")
    VisitAppointment.objects.create(case=cases["evening"], day=DAY, start_minute=1290, end_minute=1380)
    return {"cases": cases, "teams": {"TA": team_a, "TB": team_b, "SOLO": solo, "AT": agency_team}}


def visit_by_case(built):
    return {visit["ref"]["case_id"]: visit for visit in built.scenario["visits"]}


def test_every_window_is_allowed_by_the_compliance_engine(book, territory) -> None:
    built = scenario_build(territory=territory, day=DAY)
    engine = engine_for_lender()
    visits = built.scenario["visits"]
    subjects = subjects_for(borrower_ids=[book["cases"]["plain"].borrower_id] + [
        v["ref"]["case_id"] and book_case(book, v).borrower_id for v in visits],
        around=datetime.combine(DAY, time(12), tzinfo=SHANGHAI))
    midnight = datetime.combine(DAY, time(0), tzinfo=SHANGHAI)
    rng = random.Random(5)
    checked = 0
    for visit in visits:
        subject = subjects[book_case(book, visit).borrower_id]
        for low, high in visit["windows"]:
            for minute in {low, high, *(rng.uniform(low, high) for _ in range(20))}:
                attempt = Attempt(channel=Channel.VISIT, at=midnight + timedelta(minutes=minute),
                                  duration_minutes=visit["service"], team_size=visit["min_team_size"])
                assert engine.decide(subject, attempt, find_next=False).allowed, (visit["id"], minute)
                checked += 1
    assert checked > 100


def book_case(book, visit):
    return next(case for case in book["cases"].values() if case.pk == visit["ref"]["case_id"])


def test_blocked_and_unplaceable_cases_are_left_out_with_reasons(book, territory) -> None:
    built = scenario_build(territory=territory, day=DAY)
    out = {case_id: (reason, rules) for case_id, reason, rules, _ in built.exclusions}
    cases = book["cases"]
    assert out[cases["illegal"].pk] == (Exclusion.Reason.BLOCKED, ["CN-ILLEGAL-DEBT"])
    assert out[cases["visited"].pk] == (Exclusion.Reason.BLOCKED, ["DS-VISIT-FREQ"])
    assert out[cases["nowhere"].pk][0] == Exclusion.Reason.NO_LOCATION
    assert out[cases["evening"].pk][0] == Exclusion.Reason.NO_WINDOW  # 21:30-23:00 lies outside CN-HOURS
    planned = visit_by_case(built)
    assert set(planned) == {cases[key].pk for key in ("plain", "assigned", "agency", "hardship", "complained",
                                                       "booked")}
    # The complaint's cooling-off ends at 14:00, so the visit may only start then.
    assert planned[cases["complained"].pk]["windows"] == [[840.0, 1275.0]]
    assert planned[cases["booked"].pk]["windows"] == [[600.0, 660.0]]
    assert planned[cases["plain"].pk]["windows"] == [[480.0, 1275.0]]  # 08:00 to 21:15 (45 minutes on site)


def test_eligibility_follows_assignment_agency_and_training(book, territory) -> None:
    built = scenario_build(territory=territory, day=DAY)
    planned = visit_by_case(built)
    cases, teams = book["cases"], {team["id"]: team for team in built.scenario["teams"]}
    assert planned[cases["assigned"].pk]["skills"] == ["team:TB"]
    assert planned[cases["agency"].pk]["skills"] == ["agency:AGY"]
    assert planned[cases["hardship"].pk]["skills"] == ["hardship", "inhouse"]
    assert all(visit["min_team_size"] == 2 for visit in planned.values())  # CN-VISIT-2P
    assert "hardship" in teams["TA"]["skills"] and "inhouse" in teams["TA"]["skills"]
    assert "agency:AGY" in teams["AT"]["skills"] and "inhouse" not in teams["AT"]["skills"]
    assert teams["TA"]["shift"] == [480, 1200] and teams["TB"]["shift"] == [540, 1080]
    assert len(teams["SOLO"]["members"]) == 1


def test_prize_is_the_collectible_amount_times_the_bucket_rate_and_says_so(book, territory) -> None:
    built = scenario_build(territory=territory, day=DAY)
    visit = visit_by_case(built)[book["cases"]["plain"].pk]
    assert visit["prize"] == float(Decimal("3000.00") * INTERIM_RECOVERY_RATES["M2"])
    assert visit["explain"] == {"collectible": 3000.0, "rate": 0.2, "model": "interim-bucket-rate", "bucket": "M2"}
    assert visit["ref"]["borrower_id"] == "P1"


def test_a_team_off_that_day_is_not_planned_and_its_cases_wait(book, territory) -> None:
    TeamDayOff.objects.create(team=book["teams"]["TB"], day=DAY)
    built = scenario_build(territory=territory, day=DAY)
    assert "TB" not in {team["id"] for team in built.scenario["teams"]}
    out = {case_id: reason for case_id, reason, _, _ in built.exclusions}
    assert out[book["cases"]["assigned"].pk] == Exclusion.Reason.NO_TEAM


def test_a_configured_road_network_turns_the_scenario_into_road_travel_times(db, settings, tmp_path) -> None:
    from doorstep.planning.roads.osm import helsinki_pbf_path

    settings.DOORSTEP_ROAD_PBF = str(helsinki_pbf_path())
    settings.DOORSTEP_ROAD_CACHE_DIR = str(tmp_path)
    helsinki = TerritoryFactory(code="HEL", name="Helsinki", center_lat=60.1699, center_lon=24.9384,
                                timezone="Europe/Helsinki")
    TeamFactory(code="H1", territory=helsinki, members=[UserFactory(role=Role.COLLECTOR) for _ in range(2)])
    for number, (lat, lon) in enumerate(((60.1719, 24.9414), (60.1665, 24.9435), (60.1640, 24.9460))):
        CaseFactory(borrower=BorrowerFactory(external_id=f"H{number}", lat=lat, lon=lon, timezone="Europe/Helsinki"),
                    territory=helsinki)
    built = scenario_build(territory=helsinki, day=DAY)
    travel = built.scenario["travel"]
    assert len(built.scenario["visits"]) == 3 and travel["kind"] == "matrix"
    assert {"index", "lat", "lon"} <= set(built.scenario["visits"][0]["location"])
    size = len(travel["durations"])
    assert size >= 2 and all(len(row) == size for row in travel["durations"])
    assert all(travel["durations"][i][i] == 0 for i in range(size))
