"""Training analytics (reads only): the course list's figures; completion and pass rates per team;
field outcomes of collectors by how long they have been certified.

Every rate carries its counts, so that a page can say how small the numbers behind it are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from doorstep.accounts.models import Role, Team
from doorstep.compliance.models import Complaint
from doorstep.field.core.promises import PromiseStatus, promise_status
from doorstep.field.models import CheckEvent, Promise, Visit
from doorstep.portfolio.models import Payment
from doorstep.training.models import Attempt, Certificate, Course
from doorstep.training.selectors import certificate_valid_days, required_course_codes, standings

# Below this many, a rate is shown with a warning: one more event moves it by several points.
SMALL_SAMPLE = 30
DEFAULT_PERIOD_DAYS = 90
LONGEST_PERIOD_DAYS = 731


def recent_days() -> int:
    return int(getattr(settings, "DOORSTEP_TRAINING_RECENT_DAYS", 90))


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included."""

    from_on: date
    to_on: date

    @property
    def days(self) -> int:
        return (self.to_on - self.from_on).days + 1


def default_period(today: date) -> Period:
    return Period(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today)


@dataclass(frozen=True)
class Rate:
    """`part` out of `whole`, with its share and a 95% Wilson interval (honest for small counts)."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None

    @property
    def is_small(self) -> bool:
        return self.whole < SMALL_SAMPLE

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.whole:
            return None
        z, n, share = 1.96, self.whole, self.part / self.whole
        centre = (share + z * z / (2 * n)) / (1 + z * z / n)
        spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, 100 * (centre - spread)), min(100.0, 100 * (centre + spread))


# --- the course list -----------------------------------------------------------------------------

@dataclass
class CourseRow:
    course: Course
    lessons: int
    active_questions: int
    pass_rate: Rate  # passed of submitted attempts, all time


def course_rows(courses: QuerySet[Course]) -> list[CourseRow]:
    """Every course with its counts, in one query."""
    annotated = courses.annotate(
        lesson_count=Count("lessons", distinct=True),
        active_count=Count("questions", filter=Q(questions__is_active=True), distinct=True),
        submitted_count=Count("attempts", filter=Q(attempts__submitted_at__isnull=False), distinct=True),
        passed_count=Count("attempts", filter=Q(attempts__is_passed=True), distinct=True),
    ).order_by("order", "code")
    return [CourseRow(row, row.lesson_count, row.active_count, Rate(row.passed_count, row.submitted_count))
            for row in annotated]


# --- teams: completion and pass rates --------------------------------------------------------------

def teams_for(user: Any) -> QuerySet[Team]:
    """The active teams a person oversees: an agency's staff see only the agency's teams."""
    teams = Team.objects.filter(is_active=True)
    if getattr(user, "agency_id", None) is not None:
        teams = teams.filter(agency_id=user.agency_id)
    return teams.order_by("code")


@dataclass
class TeamTraining:
    team: Team
    members: int
    certified: Rate  # members holding a valid certificate today
    completion: list[Rate]  # per required course (in `TeamsReport.courses` order): a pass still valid today
    attempts: Rate  # passed of submitted attempts in the period


@dataclass
class TeamsReport:
    period: Period
    today: date
    courses: list[Course]
    teams: list[TeamTraining]


def team_training(*, teams: QuerySet[Team], period: Period, today: date) -> TeamsReport:
    """Per team with members: who is certified today, who holds a still valid pass of each required
    course, and the attempts submitted in the period. Active members only; someone in two teams
    counts in both."""
    members: dict[int, list[int]] = defaultdict(list)
    through = Team.members.through
    for team_id, user_id in through.objects.filter(team__in=teams, user__is_active=True).values_list(
            "team_id", "user_id").order_by("team_id", "user_id"):
        members[team_id].append(user_id)
    user_ids = {user_id for ids in members.values() for user_id in ids}
    standing = standings(user_ids, today)
    courses = list(Course.objects.filter(code__in=required_course_codes()).order_by("order", "code"))
    since = today - timedelta(days=certificate_valid_days())
    passed: set[tuple[int, int]] = set(Attempt.objects.filter(
        user_id__in=user_ids, is_passed=True, submitted_at__date__gte=since, submitted_at__date__lte=today,
        course__in=courses).values_list("user_id", "course_id").distinct())
    attempts: dict[int, tuple[int, int]] = {
        user_id: (submitted, wins) for user_id, submitted, wins in Attempt.objects.filter(
            user_id__in=user_ids, submitted_at__date__gte=period.from_on, submitted_at__date__lte=period.to_on)
        .values("user_id").annotate(submitted=Count("id"), wins=Count("id", filter=Q(is_passed=True)))
        .values_list("user_id", "submitted", "wins")}
    rows = []
    for team in teams:
        ids = members.get(team.pk, [])
        if not ids:
            continue
        rows.append(TeamTraining(
            team=team, members=len(ids),
            certified=Rate(sum(standing[user_id].plannable for user_id in ids), len(ids)),
            completion=[Rate(sum((user_id, course.pk) in passed for user_id in ids), len(ids)) for course in courses],
            attempts=Rate(sum(attempts.get(user_id, (0, 0))[1] for user_id in ids),
                          sum(attempts.get(user_id, (0, 0))[0] for user_id in ids))))
    return TeamsReport(period=period, today=today, courses=courses, teams=rows)


# --- field outcomes by certification tenure --------------------------------------------------------

class Tenure(StrEnum):
    CERTIFIED = "certified"  # first certified at least `recent_days()` before the day
    RECENT = "recent"  # first certified fewer days before
    UNCERTIFIED = "uncertified"  # no valid certificate that day


@dataclass
class Certificates:
    """A person's certificates, to say which tenure they had on any day (history, not today)."""

    spans: list[tuple[date, date, date | None]] = field(default_factory=list)  # issued, expires, revoked on

    @property
    def first_issued_on(self) -> date | None:
        return min((issued for issued, _, _ in self.spans), default=None)

    def tenure_on(self, day: date, recent: int) -> Tenure:
        # A certificate revoked later was still held on the days before: this looks back, unlike
        # `standings`, which answers for today.
        held = any(issued <= day < expires and (revoked is None or revoked > day)
                   for issued, expires, revoked in self.spans)
        first = self.first_issued_on
        if not held or first is None:
            return Tenure.UNCERTIFIED
        return Tenure.CERTIFIED if (day - first).days >= recent else Tenure.RECENT


def _certificates(user_ids: Iterable[int]) -> dict[int, Certificates]:
    found: dict[int, Certificates] = defaultdict(Certificates)
    for user_id, issued, expires, revoked_at in Certificate.objects.filter(user_id__in=list(user_ids)).values_list(
            "user_id", "issued_on", "expires_on", "revoked_at"):
        found[user_id].spans.append((issued, expires, timezone.localdate(revoked_at) if revoked_at else None))
    return found


@dataclass
class OutcomeGroup:
    tenure: Tenure
    visits: int = 0  # closed visits with at least one collector of this tenure
    collector_visits: int = 0  # (visit, collector) pairs
    collectors: int = 0
    promises: int = 0  # made during those visits
    statuses: dict[str, int] = field(default_factory=lambda: {status.value: 0 for status in PromiseStatus})
    complaints: int = 0  # against collectors of this tenure on the day received

    @property
    def kept(self) -> Rate:
        """Kept of the promises whose outcome is known (pending ones left out)."""
        settled = self.promises - self.statuses[PromiseStatus.PENDING.value]
        return Rate(self.statuses[PromiseStatus.KEPT.value], settled)

    @property
    def complaints_per_100_visits(self) -> float | None:
        return 100 * self.complaints / self.visits if self.visits else None

    @property
    def is_small(self) -> bool:
        return self.visits < SMALL_SAMPLE


@dataclass
class OutcomesReport:
    period: Period
    recent_days: int
    visits: int  # closed visits in the period, whatever the tenure of their collectors
    visits_without_check_ins: int  # attributed to the team's current members instead
    groups: list[OutcomeGroup]


def field_outcomes(*, teams: QuerySet[Team], period: Period, today: date) -> OutcomesReport:
    """Closed visits of `teams` in the period, promises made on them (kept or not, from payments, as
    known `today`) and complaints against their collectors, by each collector's tenure on the day.

    Who was on a visit: the collectors who checked in; for a visit without check-ins, its team's
    current members. A visit by a certified and a recently certified collector counts in both rows.
    """
    recent = recent_days()
    visits = Visit.objects.filter(status=Visit.Status.CLOSED, day__gte=period.from_on, day__lte=period.to_on,
                                  team__in=teams)
    visit_rows = list(visits.values_list("id", "day", "team_id"))
    on_visit: dict[int, set[int]] = defaultdict(set)
    for visit_id, collector_id in CheckEvent.objects.filter(visit__in=visits, kind=CheckEvent.Kind.IN).values_list(
            "visit_id", "collector_id"):
        on_visit[visit_id].add(collector_id)
    team_members: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in Team.members.through.objects.filter(team__in=teams, user__role=Role.COLLECTOR).values_list(
            "team_id", "user_id"):
        team_members[team_id].add(user_id)
    without_check_ins = 0
    for visit_id, _, team_id in visit_rows:
        if not on_visit[visit_id]:
            without_check_ins += 1
            on_visit[visit_id] = set(team_members[team_id])
    people = {user_id for ids in on_visit.values() for user_id in ids} | {
        user_id for ids in team_members.values() for user_id in ids}
    certificates = _certificates(people)

    groups = {tenure: OutcomeGroup(tenure) for tenure in Tenure}
    visit_tenures: dict[int, set[Tenure]] = {}
    collectors_in: dict[Tenure, set[int]] = defaultdict(set)
    for visit_id, day, _ in visit_rows:
        tenures = set()
        for user_id in on_visit[visit_id]:
            tenure = certificates[user_id].tenure_on(day, recent)
            tenures.add(tenure)
            groups[tenure].collector_visits += 1
            collectors_in[tenure].add(user_id)
        visit_tenures[visit_id] = tenures
        for tenure in tenures:
            groups[tenure].visits += 1
    for tenure, ids in collectors_in.items():
        groups[tenure].collectors = len(ids)

    for visit_id, status in _promise_statuses(visits, today):
        for tenure in visit_tenures.get(visit_id, ()):
            groups[tenure].promises += 1
            groups[tenure].statuses[status.value] += 1

    for collector_id, received_at in Complaint.objects.filter(
            collector_id__in=people, received_at__date__gte=period.from_on,
            received_at__date__lte=period.to_on).values_list("collector_id", "received_at"):
        groups[certificates[collector_id].tenure_on(timezone.localdate(received_at), recent)].complaints += 1

    return OutcomesReport(period=period, recent_days=recent, visits=len(visit_rows),
                          visits_without_check_ins=without_check_ins, groups=list(groups.values()))


def _promise_statuses(visits: QuerySet[Visit], today: date) -> list[tuple[int, PromiseStatus]]:
    """Each promise made on `visits` with its status, from the payments on its borrower's loans:
    the same rule as `doorstep.field.selectors.promise_outcome`, in two queries instead of one per
    promise."""
    promises = Promise.objects.filter(visit__in=visits)
    rows = list(promises.values_list("visit_id", "case__borrower_id", "amount", "made_on", "due_on"))
    if not rows:
        return []
    payments: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for borrower_id, paid_on, amount in Payment.objects.filter(
            loan__borrower_id__in=promises.values("case__borrower_id"),
            paid_on__gte=min(row[3] for row in rows), paid_on__lte=max(row[4] for row in rows)).values_list(
            "loan__borrower_id", "paid_on", "amount"):
        payments[borrower_id].append((paid_on, Decimal(amount)))
    return [(visit_id, promise_status(amount=Decimal(amount), made_on=made_on, due_on=due_on,
                                      payments=payments[borrower_id], today=today).status)
            for visit_id, borrower_id, amount, made_on, due_on in rows]
