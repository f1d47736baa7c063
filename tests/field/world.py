"""A published route for a two-collector team, built directly in the database (no solver), for the
field app's API and browser tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from doorstep.accounts.models import Role, Team, Territory, User
from doorstep.compliance.models import Override
from doorstep.planning.models import Plan, Route, Stop
from doorstep.portfolio.models import Case
from tests.factories import BorrowerFactory, CaseFactory, TeamFactory, TerritoryFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class FieldWorld:
    day: date
    territory: Territory
    team: Team
    collectors: list[User]
    outsider: User
    supervisor: User
    plan: Plan
    route: Route
    stops: list[Stop]
    cases: list[Case]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def field_world(day: date, *, stops: int = 3, jurisdiction: str = "CN", consent_all_day: bool = False,
                prefix: str = "F") -> FieldWorld:
    """Team `{prefix}T1` with collectors `{prefix.lower()}c1` and `{prefix.lower()}c2` (password
    correct-horse-battery), a supervisor `{prefix.lower()}boss`, another team's collector
    `{prefix.lower()}out`, and a published plan with `stops` visits in Shenzhen.

    With `consent_all_day` each borrower has an approved consent override of CN-HOURS for the day,
    so a browser test that runs on the real clock at any hour can start its visits."""
    territory = TerritoryFactory(code=f"{prefix}440304", center_lat=22.54, center_lon=114.05)
    low = prefix.lower()
    collectors = [UserFactory(username=f"{low}c{n}", role=Role.COLLECTOR, first_name=f"Collector{n}")
                  for n in (1, 2)]
    team = TeamFactory(code=f"{prefix}T1", name="Futian team 1", territory=territory, members=collectors)
    outsider = UserFactory(username=f"{low}out", role=Role.COLLECTOR)
    TeamFactory(code=f"{prefix}T2", territory=territory, members=[outsider])
    supervisor = UserFactory(username=f"{low}boss", role=Role.SUPERVISOR)
    approver = UserFactory(username=f"{low}compliance", role=Role.COMPLIANCE)
    plan = Plan.objects.create(day=day, territory=territory, version=1, status=Plan.Status.PUBLISHED,
                               timezone="Asia/Shanghai", scenario={}, result={}, created_by=supervisor,
                               published_by=supervisor, published_at=datetime.now(tz=UTC))
    route = Route.objects.create(plan=plan, team=team, depart_at=local(day, 9), return_at=local(day, 18),
                                 travel_minutes=60)
    cases, made = [], []
    for n in range(stops):
        borrower = BorrowerFactory(external_id=f"{prefix}B{n}", name=f"王{n}号", jurisdiction=jurisdiction,
                                   country=jurisdiction[:2], lat=22.53 + n / 500, lon=114.04 + n / 700,
                                   address=f"Futian district, block {n} (generated)", language="zh",
                                   national_id_masked="1101**********0021", phone_masked="138****0001",
                                   risk_flags=["dog"] if n == 0 else [])
        case = CaseFactory(borrower=borrower, territory=territory, team=team, bucket="M2", max_dpd=45,
                           overdue_amount=Decimal("3000.00"), collectible_amount=Decimal("8000.00"))
        cases.append(case)
        start = local(day, 10 + n)
        made.append(Stop.objects.create(route=route, case=case, sequence=n + 1, arrival_at=start - timedelta(minutes=5),
                                        start_at=start, end_at=start + timedelta(minutes=45),
                                        prize=Decimal("500.00")))
        if consent_all_day:
            Override.objects.create(
                borrower=borrower, case=case, rule_id="CN-HOURS", starts_at=local(day, 0) - timedelta(hours=12),
                ends_at=local(day, 0) + timedelta(hours=36), evidence="borrower asked for a visit at any hour (test)",
                status=Override.Status.APPROVED, requested_by=supervisor, requested_at=datetime.now(tz=UTC),
                decided_by=approver, decided_at=datetime.now(tz=UTC))
    return FieldWorld(day=day, territory=territory, team=team, collectors=collectors, outsider=outsider,
                      supervisor=supervisor, plan=plan, route=route, stops=made, cases=cases)


def op(kind: str, at: datetime, **data: Any) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "kind": kind, "at": at.isoformat(), "data": data}


# A position at a borrower's door (the world's borrowers sit at 22.53 + n/500, 114.04 + n/700).
def at_door(n: int) -> dict[str, Any]:
    return {"lat": 22.53 + n / 500, "lon": 114.04 + n / 700, "accuracy_m": 12.0, "mocked": False}


# A tiny valid PNG (1×1, white) as a data URL, for signatures.
SIGNATURE_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N"
                 "70a4AAAAAElFTkSuQmCC")
