"""Training analytics against a small world built by hand: completion and pass rates per team, and
field outcomes (promises kept, complaints) of certified and recently certified collectors."""

# factory-boy types a factory call as the factory, not the model it builds.
# mypy: disable-error-code="arg-type, attr-defined, return-value, misc, list-item, assignment"

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from doorstep.accounts.models import Role, Team, User
from doorstep.field.models import CheckEvent, Promise, Visit
from doorstep.planning.models import Plan, Route, Stop
from doorstep.portfolio.models import Case
from doorstep.training.analytics import Period, Rate, Tenure, field_outcomes, team_training, teams_for
from doorstep.training.models import Attempt, Certificate, Course
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    ComplaintFactory,
    LoanFactory,
    PaymentFactory,
    TeamFactory,
    TerritoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = Period(date(2026, 4, 1), date(2026, 6, 30))
_versions = itertools.count(1)


@pytest.fixture(autouse=True)
def _settings(settings) -> None:
    settings.DOORSTEP_TRAINING_RECENT_DAYS = 90
    settings.DOORSTEP_CERTIFICATE_VALID_DAYS = 365


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=SHANGHAI)


def certificate(user: User, issued_on: date, expires_on: date, *, revoked_on: date | None = None) -> Certificate:
    return Certificate.objects.create(number=f"C-{user.username}-{issued_on}", user=user, issued_on=issued_on,
                                      expires_on=expires_on, revoked_at=noon(revoked_on) if revoked_on else None)


def attempt(user: User, course: Course, day: date, *, passed: bool, submitted: bool = True) -> Attempt:
    return Attempt.objects.create(user=user, course=course, started_at=noon(day) - timedelta(minutes=20),
                                  submitted_at=noon(day) if submitted else None, pass_mark=80, is_passed=passed,
                                  percent=90 if passed else 40)


def visit(team: Team, day: date, *, on: list[User], status: str = Visit.Status.CLOSED,
          case: Case | None = None) -> Visit:
    """A visit on its own one-stop plan (no solver): the analytics read only the visit."""
    case_: Case = case if case is not None else CaseFactory(team=team)
    plan = Plan.objects.create(day=day, territory=team.territory, version=next(_versions),
                               status=Plan.Status.PUBLISHED, timezone="Asia/Shanghai")
    route = Route.objects.create(plan=plan, team=team, depart_at=noon(day), return_at=noon(day) + timedelta(hours=6),
                                 travel_minutes=30)
    stop = Stop.objects.create(route=route, case=case_, sequence=1, arrival_at=noon(day), start_at=noon(day),
                               end_at=noon(day) + timedelta(minutes=45), prize=Decimal("100.00"))
    made = Visit.objects.create(case=case_, borrower=case_.borrower, stop=stop, team=team, day=day, status=status,
                                started_at=noon(day), closed_at=noon(day) + timedelta(minutes=40))
    for collector in on:
        CheckEvent.objects.create(visit=made, collector=collector, kind=CheckEvent.Kind.IN, lat=22.5, lon=114.0,
                                  device_at=noon(day), server_at=noon(day))
    return made


def promise(made: Visit, amount: str, due_on: date, *, paid: Sequence[tuple[date, str]] = ()) -> Promise:
    loan = LoanFactory(borrower=made.borrower)
    for paid_on, value in paid:
        PaymentFactory(loan=loan, paid_on=paid_on, paid_at=noon(paid_on), amount=Decimal(value))
    return Promise.objects.create(case=made.case, visit=made, currency="CNY", amount=Decimal(amount), made_on=made.day,
                                  due_on=due_on, created_by=made.team.members.first(), created_at=noon(made.day))


# --- teams ---------------------------------------------------------------------------------------

@dataclass
class TeamWorld:
    first: Course
    second: Course
    team_a: Team
    team_b: Team


@pytest.fixture
def team_world() -> TeamWorld:
    Course.objects.update(is_required=False)  # the built-in courses are not part of this world
    first = Course.objects.create(code="x-first", title_en="First", title_zh="第一", order=1)
    second = Course.objects.create(code="x-second", title_en="Second", title_zh="第二", order=2)
    optional = Course.objects.create(code="x-optional", title_en="Optional", title_zh="选修", is_required=False)
    hidden = Course.objects.create(code="x-hidden", title_en="Hidden", title_zh="未发布", is_published=False)
    veteran = UserFactory(username="a-veteran", certified=False)
    certificate(veteran, date(2025, 1, 1), date(2027, 1, 1))
    attempt(veteran, first, date(2026, 5, 10), passed=True)
    attempt(veteran, second, date(2025, 3, 1), passed=True)  # older than a year: no longer counts
    attempt(veteran, optional, date(2026, 5, 11), passed=True)  # in the period: counts as an attempt
    newcomer = UserFactory(username="a-newcomer", certified=False)
    certificate(newcomer, date(2026, 5, 1), date(2027, 5, 1))
    attempt(newcomer, first, date(2026, 4, 15), passed=False)
    attempt(newcomer, first, date(2026, 4, 20), passed=True)
    attempt(newcomer, second, date(2026, 4, 25), passed=True)
    attempt(newcomer, hidden, date(2026, 4, 26), passed=True)  # not a required course
    uncertified = UserFactory(username="a-uncertified", certified=False)
    attempt(uncertified, first, date(2026, 6, 1), passed=False)
    attempt(uncertified, second, date(2026, 6, 2), passed=False, submitted=False)  # still open: not counted
    attempt(uncertified, first, date(2026, 3, 31), passed=False)  # before the period
    expired = UserFactory(username="a-expired", certified=False, is_active=False)  # inactive: left out
    certificate(expired, date(2024, 1, 1), date(2025, 1, 1))
    team_a = TeamFactory(code="TA", members=[veteran, newcomer, uncertified, expired])
    team_b = TeamFactory(code="TB", members=[UserFactory(username="b-one")])  # the factory's long certificate
    TeamFactory(code="TC")  # no members: not listed
    TeamFactory(code="TD", members=[UserFactory()], is_active=False)
    return TeamWorld(first, second, team_a, team_b)


def test_team_certificates_completion_and_pass_rates(team_world: TeamWorld) -> None:
    teams = teams_for(UserFactory(role=Role.SUPERVISOR)).filter(code__in=["TA", "TB", "TC", "TD"])
    report = team_training(teams=teams, period=PERIOD, today=date(2026, 6, 30))
    assert [course.code for course in report.courses] == ["x-first", "x-second"]
    assert [row.team.code for row in report.teams] == ["TA", "TB"]
    team_a, team_b = report.teams
    assert team_a.members == 3
    assert team_a.certified == Rate(2, 3)
    assert team_a.completion == [Rate(2, 3), Rate(1, 3)]
    # Submitted in the period, any course: the veteran 2 (both passed), the newcomer 4 (3 passed), the
    # uncertified collector 1 (failed); open attempts and those before the period do not count.
    assert team_a.attempts == Rate(5, 7)
    assert team_b.members == 1
    assert team_b.certified == Rate(1, 1)
    assert team_b.completion == [Rate(0, 1), Rate(0, 1)]
    assert team_b.attempts == Rate(0, 0)


def test_standing_and_completion_follow_the_day_asked(team_world: TeamWorld) -> None:
    report = team_training(teams=Team.objects.filter(code="TA"), period=PERIOD, today=date(2027, 4, 22))
    team_a = report.teams[0]
    assert team_a.certified == Rate(1, 3)  # the veteran's certificate ran out on 2027-01-01
    assert team_a.completion == [Rate(1, 3), Rate(1, 3)]  # passes since 2026-04-22 only
    later = team_training(teams=Team.objects.filter(code="TA"), period=PERIOD, today=date(2027, 6, 1)).teams[0]
    assert later.certified == Rate(0, 3)
    assert later.completion == [Rate(0, 3), Rate(0, 3)]  # every pass is now more than a year old


def test_rates_say_when_numbers_are_small() -> None:
    assert Rate(2, 3).percent == pytest.approx(66.667, abs=0.01)
    assert Rate(2, 3).is_small
    low, high = Rate(2, 3).interval or (0, 0)
    assert 20 < low < 25 and 90 < high < 95  # Wilson 95%: wide for n = 3
    assert Rate(0, 0).percent is None and Rate(0, 0).interval is None
    assert not Rate(30, 60).is_small


def test_an_agency_supervisor_sees_only_the_agencys_teams() -> None:
    agency = AgencyFactory()
    TeamFactory(code="IN-HOUSE")
    TeamFactory(code="AGENCY", agency=agency)
    assert [team.code for team in teams_for(UserFactory(role=Role.SUPERVISOR, agency=agency))] == ["AGENCY"]
    lender_codes = [team.code for team in teams_for(UserFactory(role=Role.SUPERVISOR))]
    assert "IN-HOUSE" in lender_codes and "AGENCY" in lender_codes


# --- field outcomes ------------------------------------------------------------------------------

@dataclass
class FieldWorld:
    teams: list[Team]
    veteran: User
    recent: User
    newcomer: User
    returning: User


@pytest.fixture
def field_world() -> FieldWorld:
    territory = TerritoryFactory()
    veteran = UserFactory(username="veteran", certified=False)
    certificate(veteran, date(2025, 1, 1), date(2027, 1, 1))
    recent = UserFactory(username="recent", certified=False)
    certificate(recent, date(2026, 5, 1), date(2027, 5, 1))
    newcomer = UserFactory(username="newcomer", certified=False)
    certificate(newcomer, date(2026, 6, 1), date(2027, 6, 1))
    returning = UserFactory(username="returning", certified=False)  # first certified long ago, renewed late
    certificate(returning, date(2025, 1, 1), date(2026, 1, 1))
    certificate(returning, date(2026, 5, 15), date(2027, 5, 15))
    one = TeamFactory(code="ONE", territory=territory, members=[veteran, recent])
    two = TeamFactory(code="TWO", territory=territory, members=[newcomer, returning])

    v1 = visit(one, date(2026, 5, 20), on=[veteran, recent])  # certified + recent
    promise(v1, "100.00", date(2026, 5, 30), paid=[(date(2026, 5, 25), "100.00")])  # kept
    v2 = visit(one, date(2026, 6, 10), on=[veteran])  # certified
    promise(v2, "200.00", date(2026, 6, 20), paid=[(date(2026, 6, 15), "50.00")])  # partly kept
    promise(v2, "100.00", date(2026, 8, 15))  # pending on 2026-07-31
    v3 = visit(one, date(2026, 6, 12), on=[])  # no check-ins: the team's collectors, certified + recent
    promise(v3, "100.00", date(2026, 6, 20), paid=[(date(2026, 6, 25), "100.00")])  # paid too late: broken
    visit(two, date(2026, 5, 15), on=[newcomer])  # not yet certified
    visit(two, date(2026, 6, 10), on=[newcomer, returning])  # recent (9 days) + certified (first in 2025)
    open_visit = visit(one, date(2026, 6, 15), on=[veteran], status=Visit.Status.IN_PROGRESS)
    promise(open_visit, "100.00", date(2026, 6, 20))
    early = visit(one, date(2026, 3, 31), on=[veteran])  # before the period
    promise(early, "100.00", date(2026, 4, 5))
    outsider_team = TeamFactory(code="ELSEWHERE", territory=territory, members=[UserFactory(username="outsider")])
    visit(outsider_team, date(2026, 6, 1), on=list(outsider_team.members.all()))
    # Money paid by another borrower on the broken promise's window does not keep it.
    PaymentFactory(loan=LoanFactory(), paid_on=date(2026, 6, 18), paid_at=noon(date(2026, 6, 18)),
                   amount=Decimal("100.00"))

    ComplaintFactory(collector=veteran, received_at=noon(date(2026, 5, 21)))
    ComplaintFactory(collector=recent, received_at=noon(date(2026, 6, 1)))
    ComplaintFactory(collector=newcomer, received_at=noon(date(2026, 5, 16)))
    ComplaintFactory(collector=newcomer, received_at=noon(date(2026, 7, 5)))  # after the period
    ComplaintFactory(collector=None, received_at=noon(date(2026, 6, 1)))  # against nobody in particular
    return FieldWorld([one, two], veteran, recent, newcomer, returning)


def test_field_outcomes_by_tenure(field_world: FieldWorld) -> None:
    report = field_outcomes(teams=Team.objects.filter(code__in=["ONE", "TWO"]), period=PERIOD,
                            today=date(2026, 7, 31))
    assert report.recent_days == 90
    assert report.visits == 5
    assert report.visits_without_check_ins == 1
    groups = {group.tenure: group for group in report.groups}
    certified, recent, uncertified = groups[Tenure.CERTIFIED], groups[Tenure.RECENT], groups[Tenure.UNCERTIFIED]
    assert (certified.visits, certified.collector_visits, certified.collectors) == (4, 4, 2)
    assert certified.promises == 4
    assert certified.statuses == {"kept": 1, "partly_kept": 1, "broken": 1, "pending": 1}
    assert certified.kept == Rate(1, 3)
    assert certified.complaints == 1
    assert certified.complaints_per_100_visits == pytest.approx(25.0)
    assert (recent.visits, recent.collector_visits, recent.collectors) == (3, 3, 2)
    assert recent.promises == 2 and recent.kept == Rate(1, 2)
    assert recent.complaints == 1
    assert recent.complaints_per_100_visits == pytest.approx(100 / 3)
    assert (uncertified.visits, uncertified.collectors, uncertified.promises) == (1, 1, 0)
    assert uncertified.kept == Rate(0, 0)
    assert uncertified.complaints == 1 and uncertified.complaints_per_100_visits == pytest.approx(100.0)
    assert all(group.is_small for group in report.groups)


def test_promises_settle_as_payments_arrive(field_world: FieldWorld) -> None:
    report = field_outcomes(teams=Team.objects.filter(code="ONE"), period=PERIOD, today=date(2026, 8, 20))
    certified = next(group for group in report.groups if group.tenure is Tenure.CERTIFIED)
    # The second promise of the same visit shares its borrower's payment of 50 on 2026-06-15.
    assert certified.statuses == {"kept": 1, "partly_kept": 2, "broken": 1, "pending": 0}


def test_a_revoked_certificate_counted_on_days_before_the_revocation() -> None:
    territory = TerritoryFactory()
    collector = UserFactory(username="revoked", certified=False)
    certificate(collector, date(2025, 1, 1), date(2027, 1, 1), revoked_on=date(2026, 6, 15))
    team = TeamFactory(code="REV", territory=territory, members=[collector])
    visit(team, date(2026, 6, 1), on=[collector])
    visit(team, date(2026, 6, 20), on=[collector])
    report = field_outcomes(teams=Team.objects.filter(code="REV"), period=PERIOD, today=date(2026, 7, 1))
    visits = {group.tenure: group.visits for group in report.groups}
    assert visits == {Tenure.CERTIFIED: 1, Tenure.RECENT: 0, Tenure.UNCERTIFIED: 1}


# --- the page ------------------------------------------------------------------------------------

def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.parametrize(("role", "status"), [
    (Role.SUPERVISOR, 200), (Role.TRAINER, 200), (Role.COMPLIANCE, 200), (Role.ADMIN, 200),
    (Role.COLLECTOR, 403), (Role.ANALYST, 403)])
def test_who_sees_the_analytics_page(role: str, status: int) -> None:
    assert _client(UserFactory(role=role)).get("/training/analytics/").status_code == status


def test_the_page_shows_teams_outcomes_and_their_counts(field_world: FieldWorld, team_world: TeamWorld) -> None:
    client = _client(UserFactory(role=Role.SUPERVISOR))
    default = client.get("/training/analytics/")
    today = timezone.localdate()
    assert default.status_code == 200
    assert f'value="{(today - timedelta(days=89)).isoformat()}"' in default.text  # the last 90 days
    response = client.get("/training/analytics/", {"from_on": "2026-04-01", "to_on": "2026-06-30"})
    assert response.status_code == 200
    text = response.text
    assert "Period: 2026-04-01 – 2026-06-30 (91 days)." in text
    assert "<strong>TA</strong>" in text and "<strong>ONE</strong>" in text and "<strong>TC</strong>" not in text
    assert "67% <small" in text and "(2/3;" in text  # TA certified today, with its counts
    assert "6 closed visits in the period." in text  # ONE and TWO's five, and ELSEWHERE's
    assert "1 visit had no check-ins" in text
    certified = text.split('id="tenure-certified"')[1].split("</tr>")[0]
    assert "Certified for 90 days or more" in certified
    assert ">5</td>" in certified and ">20.0</td>" in certified
    assert "small n" in certified
    recent = text.split('id="tenure-recent"')[1].split("</tr>")[0]
    assert ">33.3</td>" in recent
    assert text.count('<svg class="chart"') == 3


def test_a_bad_period_says_so_and_shows_the_default(db: None) -> None:
    response = _client(UserFactory(role=Role.TRAINER)).get("/training/analytics/",
                                                           {"from_on": "2026-06-30", "to_on": "2026-04-01"})
    assert response.status_code == 400
    assert "The period starts after it ends." in response.text
    assert "(90 days)" in response.text


def test_the_pages_render_in_chinese_the_default_language(field_world: FieldWorld) -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN))
    assert client.get("/training/analytics/").status_code == 200
    assert client.get("/training/manage/").status_code == 200
    assert client.get("/training/manage/new/").status_code == 200
