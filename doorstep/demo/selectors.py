"""Reads for the demo's printed summary and log-in list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from doorstep.accounts.models import Agency, Team, User
from doorstep.common.models import AuditEntry
from doorstep.demo.people import LOGINS, TEAMS, DemoLogin
from doorstep.demo.services import SEED_ACTION
from doorstep.portfolio.delinquency import bucket_scheme
from doorstep.portfolio.models import Borrower, BucketHistory, Case, Contact, Installment, Loan, LoanStatus, Payment
from doorstep.portfolio.selectors import case_scope


@dataclass(frozen=True)
class DemoSummary:
    as_of: date | None
    counts: dict[str, int]
    loans_by_bucket: dict[str, int]
    open_cases_by_bucket: dict[str, int]
    loans_by_cap_flag: dict[str, int]
    history_days: int


@dataclass(frozen=True)
class LoginLine:
    login: DemoLogin
    exists: bool
    open_cases_in_reach: int
    team_names: tuple[str, ...]


def demo_is_seeded() -> bool:
    return AuditEntry.objects.filter(action=SEED_ACTION).exists()


def demo_summary() -> DemoSummary:
    names = bucket_scheme().names
    loans = dict(LoanStatus.objects.values_list("bucket").annotate(n=Count("loan_id")).values_list("bucket", "n"))
    open_cases = dict(Case.objects.filter(status=Case.Status.OPEN).values_list("bucket")
                      .annotate(n=Count("id")).values_list("bucket", "n"))
    flags = dict(LoanStatus.objects.values_list("cap_flag").annotate(n=Count("loan_id"))
                 .values_list("cap_flag", "n"))
    counts = {
        "borrowers": Borrower.objects.count(), "contacts": Contact.objects.count(), "loans": Loan.objects.count(),
        "installments": Installment.objects.count(), "payments": Payment.objects.count(),
        "open cases": Case.objects.filter(status=Case.Status.OPEN).count(),
        "closed cases": Case.objects.filter(status=Case.Status.CLOSED).count(),
        "assigned open cases": Case.objects.filter(Q(team__isnull=False) | Q(agency__isnull=False),
                                                   status=Case.Status.OPEN).count(),
        "bucket history rows": BucketHistory.objects.count(),
        "users": User.objects.count(), "teams": Team.objects.count(), "agencies": Agency.objects.count(),
    }
    return DemoSummary(
        as_of=LoanStatus.objects.aggregate(latest=Max("as_of"))["latest"],
        counts=counts,
        loans_by_bucket={name: loans.get(name, 0) for name in names},
        open_cases_by_bucket={name: open_cases.get(name, 0) for name in names if name != names[0]},
        loans_by_cap_flag=flags,
        history_days=BucketHistory.objects.values("as_of").distinct().count(),
    )


def demo_login_lines() -> list[LoginLine]:
    users = {user.username: user for user in User.objects.filter(username__in=[login.username for login in LOGINS])}
    lines = []
    for login in LOGINS:
        user = users.get(login.username)
        reach = case_scope(user=user).filter(status=Case.Status.OPEN).count() if user is not None else 0
        team_names = tuple(item.name for item in TEAMS if login.username in item.members)
        lines.append(LoginLine(login, user is not None, reach, team_names))
    return lines
