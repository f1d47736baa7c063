"""The generated book's field-visit history, written as what a visit leaves in Doorstep: a contact
attempt by channel `visit`, judged by the compliance engine and finished as met or not met.

Why contact attempts and not field.Visit rows: a field visit hangs off a plan's route and stop, and
the generated history (a year of the lender's month-end reviews, doorstep.demo.behaviour) has no
plans; inventing a thousand past plans would fill the planning screens with fiction. Every visit
the field app starts is a contact attempt too (doorstep.field.services.steps), so the scoring
features count visit attempts as visits (doorstep.scoring.features), and the engine's own
counters (one visit in 30 days, DS-VISIT-FREQ) see this history as they would see real visits.

Seeded: the visits, their days and outcomes come from the book (same seed, same visits); the hour
and the two collectors come from `seed`. A visit the engine refuses (the borrower's case is blocked,
or it fell outside any team's territory) is left out and counted: its generated effect stays in the
payments, as an unrecorded contact would in real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from doorstep.accounts.models import Team
from doorstep.compliance.core.model import Channel
from doorstep.compliance.models import ContactAttempt
from doorstep.compliance.services import AttemptRequest, contact_attempt_finish, contact_attempt_start
from doorstep.demo.behaviour import Visit
from doorstep.demo.book import Book
from doorstep.demo.people import demo_teams_by_territory
from doorstep.portfolio.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
VISIT_MINUTES = 45
TEAM_SIZE = 2  # CN-VISIT-2P
KEY_PREFIX = "demo-visit-"


@dataclass
class VisitSeedReport:
    generated: int = 0
    recorded: int = 0
    blocked: int = 0
    without_case: int = 0  # no case of the borrower open by then, or no team in its territory


def demo_visits_seed(*, book: Book, seed: int) -> VisitSeedReport:
    """Record the book's generated visits through the compliance services, oldest first."""
    rng = Random(seed + 11)
    report = VisitSeedReport(generated=len(book.visits))
    cases: dict[str, list[Case]] = {}
    for case in Case.objects.select_related("borrower", "team").order_by("opened_on", "id"):
        cases.setdefault(case.borrower.external_id, []).append(case)
    teams = demo_teams_by_territory()
    members: dict[int, list[Any]] = {}
    for team in Team.objects.filter(pk__in=[team.pk for group in teams.values() for team in group]):
        members[team.pk] = list(team.members.order_by("username"))
    # One transaction for the whole history: each service call is a savepoint, not a commit of its own.
    with transaction.atomic():
        for borrower_id, visit in book.visits:
            _record(borrower_id, visit, cases, teams, members, rng, report)
    return report


def _record(
    borrower_id: str,
    visit: Visit,
    cases: dict[str, list[Case]],
    teams: dict[int, list[Team]],
    members: dict[int, list[Any]],
    rng: Random,
    report: VisitSeedReport,
) -> None:
    case = next((case for case in reversed(cases.get(borrower_id, [])) if case.opened_on <= visit.day), None)
    team = None if case is None else case.team or next(iter(teams.get(case.territory_id or 0, [])), None)
    crew = [] if team is None else members.get(team.pk, [])
    at = datetime.combine(visit.day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=SHANGHAI)
    if case is None or len(crew) < TEAM_SIZE:
        report.without_case += 1
        return
    collector = rng.choice(crew)
    attempt, _ = contact_attempt_start(
        request=AttemptRequest(
            borrower=case.borrower,
            case=case,
            channel=Channel.VISIT,
            at=at,
            duration_minutes=VISIT_MINUTES,
            team_size=TEAM_SIZE,
        ),
        by=collector,
        idempotency_key=f"{KEY_PREFIX}{borrower_id}-{visit.day.isoformat()}",
    )
    if attempt.status == ContactAttempt.Status.BLOCKED:
        report.blocked += 1
        return
    outcome = ContactAttempt.Outcome.MET if visit.met else ContactAttempt.Outcome.NOT_MET
    contact_attempt_finish(attempt=attempt, outcome=outcome, by=collector)
    report.recorded += 1
