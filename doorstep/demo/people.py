"""The demo's organisation: Shenzhen district territories, two agencies, teams and one log-in per role.

Everything is fetched or created by its code or username, so running the demo again adds nothing;
an existing user is left exactly as it is (its password included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from faker import Faker

from doorstep.accounts.models import Agency, Role, Team, Territory, User
from doorstep.demo.geography import shenzhen_districts

DEMO_PASSWORD = "doorstep-demo"  # noqa: S105 (public on purpose: printed for every demo log-in)
EMPLOYEE_PREFIX = "DEMO-"
STAFF_AGENCY = "DEMO-AG-PC"
DIRECT_AGENCY = "DEMO-AG-NH"
YANTIAN = "440308"  # no team of its own: its cases go to the agency without staff in Doorstep


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str


@dataclass(frozen=True)
class DemoTeam:
    code: str
    name: str
    territory_code: str  # district adcode
    agency_code: str  # empty for the lender's own teams
    members: tuple[str, ...]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency_code: str
    sees: str  # what this log-in shows, for the printed list


AGENCIES = (
    DemoAgency(STAFF_AGENCY, "鹏城合规外访服务有限公司（演示）"),
    DemoAgency(DIRECT_AGENCY, "南海信用管理咨询有限公司（演示）"),
)
TEAMS = (
    DemoTeam("DEMO-FT-1", "福田一队", "440304", "", ("collector", "collector-2", "trainee")),
    DemoTeam("DEMO-NS-1", "南山一队", "440305", "", ("collector-3", "collector-4", "collector-5")),
    DemoTeam("DEMO-BA-1", "宝安一队", "440306", "", ("collector-6", "collector-7")),
    DemoTeam("DEMO-BA-2", "宝安二队", "440306", "", ("collector-8", "collector-9", "collector-10")),
    DemoTeam("DEMO-LH-1", "罗湖一队", "440303", "", ("collector-11", "collector-12")),
    DemoTeam("DEMO-PC-LG-1", "鹏城龙岗外访队", "440307", STAFF_AGENCY,
             ("agency-collector", "agency-collector-2", "agency-collector-3")),
)
LOGINS = (
    DemoLogin("admin", Role.ADMIN, "", "everything, plus the Django admin at /admin/ (users, teams, agencies)"),
    DemoLogin("supervisor", Role.SUPERVISOR, "",
              "the whole book: imports, refresh, plans, the live board at /field/board/"),
    DemoLogin("compliance", Role.COMPLIANCE, "", "the whole book; may reveal national ids (every reveal is logged)"),
    DemoLogin("analyst", Role.ANALYST, "", "the whole book and its analytics"),
    DemoLogin("trainer", Role.TRAINER, "", "no cases: training and certification"),
    DemoLogin("collector", Role.COLLECTOR, "",
              "team 福田一队 (Futian); today's route in the field app at /field/ (open on a phone)"),
    DemoLogin("trainee", Role.COLLECTOR, "",
              "a new Futian collector without a certificate: not planned until the courses at /training/ are passed"),
    DemoLogin("agency", Role.SUPERVISOR, STAFF_AGENCY, "only the cases placed with 鹏城合规外访服务有限公司（演示）"),
    DemoLogin("agency-collector", Role.COLLECTOR, STAFF_AGENCY,
              "only the cases of agency team 鹏城龙岗外访队 (Longgang)"),
)


def demo_password_check() -> None:
    """Fail early if this deployment's password rules refuse the shared demo password."""
    validate_password(DEMO_PASSWORD)


@transaction.atomic
def demo_territories_ensure() -> dict[str, Territory]:
    """One territory per Shenzhen district: code = adcode, centre = cpca's coordinates."""
    territories: dict[str, Territory] = {}
    for district in shenzhen_districts():
        territory, _ = Territory.objects.get_or_create(
            code=district.adcode,
            defaults={"name": district.name, "center_lat": district.lat, "center_lon": district.lon,
                      "timezone": "Asia/Shanghai"})
        territories[district.adcode] = territory
    return territories


def _user_ensure(*, username: str, role: str, agency: Agency | None, faker: Faker, number: int,
                 password_hash: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    return User.objects.create(
        username=username, role=role, agency=agency, first_name=faker.first_name(), last_name=faker.last_name(),
        employee_number=f"{EMPLOYEE_PREFIX}{number:04d}", is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN, password=password_hash)


@transaction.atomic
def demo_people_ensure(*, seed: int, today: date) -> dict[str, User]:
    """Agencies, the role log-ins and the teams with their collectors; returns users by username."""
    territories = demo_territories_ensure()
    agencies: dict[str, Agency] = {}
    for demo_agency in AGENCIES:
        agency, _ = Agency.objects.get_or_create(code=demo_agency.code, defaults={
            "name": demo_agency.name, "contract_reference": f"{demo_agency.code}-CONTRACT",
            # CN-AGENCY: a contract in force, on the published list, reviewed this year.
            "contract_ends_on": today + timedelta(days=365), "is_published": True,
            "last_reviewed_on": today - timedelta(days=60)})
        agencies[demo_agency.code] = agency
    faker = Faker("zh_CN")
    faker.seed_instance(seed + 100)  # staff names differ from the borrowers' (seeded seed + 0..2)
    # One hash for every demo user: the password is public anyway, and hashing it twenty times over
    # would take most of the seeding time (PBKDF2 is slow on purpose).
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    number = 0
    for login in LOGINS:
        number += 1
        users[login.username] = _user_ensure(username=login.username, role=login.role,
                                             agency=agencies.get(login.agency_code), faker=faker, number=number,
                                             password_hash=password_hash)
    for item in TEAMS:
        team_agency = agencies.get(item.agency_code)
        team, _ = Team.objects.get_or_create(code=item.code, defaults={
            "name": item.name, "territory": territories.get(item.territory_code), "agency": team_agency})
        members: list[User] = []
        for username in item.members:
            number += 1
            if username not in users:
                users[username] = _user_ensure(username=username, role=Role.COLLECTOR, agency=team_agency,
                                               faker=faker, number=number, password_hash=password_hash)
            members.append(users[username])
        team.members.add(*members)
    return users


def demo_teams_by_territory() -> dict[int, list[Team]]:
    """The demo's active teams per territory id, in code order (the order cases are dealt in)."""
    grouped: dict[int, list[Team]] = {}
    codes = [item.code for item in TEAMS]
    for team in Team.objects.filter(code__in=codes, is_active=True).order_by("code"):
        if team.territory_id is not None:
            grouped.setdefault(team.territory_id, []).append(team)
    return grouped
