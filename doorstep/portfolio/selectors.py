"""Reads of the portfolio. Access is decided here: views and APIs reach cases only through these."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum

from doorstep.accounts.models import Role
from doorstep.accounts.selectors import user_role, user_sees_whole_portfolio
from doorstep.common.core.money import decimal_to_cents, decimal_to_ppm, ppm_to_decimal
from doorstep.common.errors import InvalidInput, NotFound
from doorstep.portfolio.core.caps import LprFixing as CoreLprFixing
from doorstep.portfolio.core.caps import legal_cap, principal_factor_ppm
from doorstep.portfolio.core.ledger import Paid, Position, Terms, position_on
from doorstep.portfolio.core.rows import BORROWER_FLAGS
from doorstep.portfolio.delinquency import bucket_scheme
from doorstep.portfolio.models import (
    Borrower,
    BucketHistory,
    Case,
    Contact,
    ImportJob,
    Loan,
    LoanStatus,
    LprFixing,
)

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
SORTS = {"dpd": ("max_dpd", "id"), "amount": ("overdue_amount", "id"), "newest": ("opened_on", "id")}
CASE_FLAGS = ("illegal", "over_cap", "blocked", *BORROWER_FLAGS)


def case_scope(*, user: Any) -> QuerySet[Case]:
    """Every case this user may reach: the whole book for the lender's staff roles, the cases of
    their own teams for collectors, and only what is placed with their firm for agency staff."""
    role = user_role(user)
    cases = Case.objects.all()
    if role is None:
        return cases.none()
    if user_sees_whole_portfolio(user):
        return cases
    if role == Role.COLLECTOR:
        scoped = cases.filter(team__members=user)
        return scoped.filter(agency_id=user.agency_id) if user.agency_id else scoped
    if user.agency_id is not None and role in (Role.SUPERVISOR, Role.ADMIN, Role.COMPLIANCE, Role.ANALYST):
        return cases.filter(agency_id=user.agency_id)
    return cases.none()


def case_get_for_user(*, user: Any, case_id: int) -> Case:
    case = case_scope(user=user).select_related("borrower", "team", "agency", "territory").filter(pk=case_id).first()
    if case is None:
        raise NotFound("no such case, or it is not yours to see")
    return case


def borrower_get_for_user(*, user: Any, external_id: str) -> Borrower:
    """A borrower is reachable when the whole book is, or through a case the user can reach."""
    borrowers = Borrower.objects.select_related("territory")
    if not user_sees_whole_portfolio(user):
        reachable = case_scope(user=user).values("borrower_id")
        borrowers = borrowers.filter(pk__in=reachable)
    borrower = borrowers.filter(external_id=external_id).first()
    if borrower is None:
        raise NotFound("no such borrower, or not yours to see")
    return borrower


@dataclass(frozen=True)
class CaseFilters:
    status: str = "open"
    bucket: str = ""
    dpd_min: int | None = None
    dpd_max: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    territory: int | None = None
    team: int | None = None
    agency: int | None = None
    flag: str = ""
    search: str = ""  # a borrower id
    sort: str = "dpd"

    def validate(self) -> CaseFilters:
        if self.status not in ("open", "closed", "all"):
            raise InvalidInput("status is open, closed or all")
        if self.bucket and self.bucket not in bucket_scheme().names:
            raise InvalidInput(f"unknown bucket {self.bucket!r}")
        if self.flag and self.flag not in CASE_FLAGS:
            raise InvalidInput(f"unknown flag {self.flag!r}")
        if self.sort not in SORTS:
            raise InvalidInput(f"sort is one of {', '.join(SORTS)}")
        for low, high, name in ((self.dpd_min, self.dpd_max, "DPD"), (self.amount_min, self.amount_max, "amount")):
            if low is not None and high is not None and low > high:
                raise InvalidInput(f"{name} minimum is above the maximum")
        return self


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    next_cursor: str | None
    count: int
    count_is_capped: bool


def _encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps([str(value) for value in values]).encode()).decode()


def _decode_cursor(cursor: str) -> list[str]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as error:
        raise InvalidInput("the page cursor is damaged; start from the first page") from error
    if not isinstance(values, list) or len(values) != 2:
        raise InvalidInput("the page cursor is damaged; start from the first page")
    return [str(value) for value in values]


def case_filtered(*, user: Any, filters: CaseFilters) -> QuerySet[Case]:
    filters.validate()
    cases = case_scope(user=user)
    if filters.status != "all":
        cases = cases.filter(status=filters.status)
    if filters.bucket:
        # A bucket is a DPD band: filtering on the band uses the (status, DPD) index, so the case
        # table needs no index of its own on the bucket (one fewer to rewrite at every refresh).
        low, high = bucket_scheme().dpd_range(filters.bucket)
        cases = cases.filter(max_dpd__gte=low) if high is None else cases.filter(max_dpd__range=(low, high))
    if filters.dpd_min is not None:
        cases = cases.filter(max_dpd__gte=filters.dpd_min)
    if filters.dpd_max is not None:
        cases = cases.filter(max_dpd__lte=filters.dpd_max)
    if filters.amount_min is not None:
        cases = cases.filter(overdue_amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        cases = cases.filter(overdue_amount__lte=filters.amount_max)
    if filters.territory is not None:
        cases = cases.filter(territory_id=filters.territory)
    if filters.team is not None:
        cases = cases.filter(team_id=filters.team)
    if filters.agency is not None:
        cases = cases.filter(agency_id=filters.agency)
    if filters.flag in ("illegal", "over_cap"):
        cases = cases.filter(cap_flag=filters.flag)
    elif filters.flag == "blocked":
        cases = cases.filter(is_collection_blocked=True)
    elif filters.flag:
        cases = cases.filter(borrower__flags__icontains=f'"{filters.flag}"')
    if filters.search:
        cases = cases.filter(borrower__external_id=filters.search.strip())
    return cases


def case_page_for_user(*, user: Any, filters: CaseFilters, cursor: str = "", page_size: int = PAGE_SIZE) -> CasePage:
    """Keyset paging (no OFFSET), so the thousandth page is as fast as the first at 1M cases."""
    cases = case_filtered(user=user, filters=filters)
    count = cases[:COUNT_LIMIT + 1].count() if not cursor else -1
    key, tiebreak = SORTS[filters.sort]
    if cursor:
        raw_value, raw_id = _decode_cursor(cursor)
        try:
            value: Any = int(raw_value) if key == "max_dpd" else (
                Decimal(raw_value) if key == "overdue_amount" else date.fromisoformat(raw_value))
            last_id = int(raw_id)
        except (ValueError, ArithmeticError) as error:
            raise InvalidInput("the page cursor is damaged; start from the first page") from error
        cases = cases.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, f"{tiebreak}__lt": last_id}))
    rows = list(cases.select_related("borrower", "team", "agency", "territory")
                .order_by(f"-{key}", f"-{tiebreak}")[: page_size + 1])
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = _encode_cursor([getattr(last, key), last.pk])
    return CasePage(rows, next_cursor, min(count, COUNT_LIMIT), count > COUNT_LIMIT)


@dataclass(frozen=True)
class BucketRow:
    bucket: str
    loans: int
    overdue_amount: Decimal
    collectible_amount: Decimal
    outstanding_principal: Decimal


@dataclass(frozen=True)
class Overview:
    as_of: date | None
    buckets: list[BucketRow]
    loans: int
    overdue_loans: int
    open_cases: int
    blocked_cases: int
    overdue_amount: Decimal
    collectible_amount: Decimal
    outstanding_principal: Decimal
    history_days: list[date]


def latest_refresh_on() -> date | None:
    """The day of the current loan statuses (the latest refresh that was not a back-fill)."""
    latest: date | None = LoanStatus.objects.aggregate(latest=Max("as_of"))["latest"]
    return latest


def portfolio_overview() -> Overview:
    scheme = bucket_scheme()
    statuses = LoanStatus.objects.values("bucket").annotate(
        loans=Count("loan_id"), overdue=Sum("overdue_amount"), collectible=Sum("collectible_amount"),
        outstanding=Sum("outstanding_principal"))
    by_bucket: dict[str, dict[str, Any]] = {str(row["bucket"]): dict(row) for row in statuses}
    zero = Decimal("0.00")
    rows = []
    for bucket in scheme.names:
        row = by_bucket.get(bucket, {})
        rows.append(BucketRow(bucket, int(row.get("loans") or 0), row.get("overdue") or zero,
                              row.get("collectible") or zero, row.get("outstanding") or zero))
    as_of = latest_refresh_on()
    days = list(BucketHistory.objects.order_by("-as_of").values_list("as_of", flat=True).distinct()[:400])
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    return Overview(
        as_of=as_of, buckets=rows, loans=sum(row.loans for row in rows),
        overdue_loans=sum(row.loans for row in rows if row.bucket != scheme.names[0]),
        open_cases=open_cases.count(), blocked_cases=open_cases.filter(is_collection_blocked=True).count(),
        overdue_amount=sum((row.overdue_amount for row in rows), zero),
        collectible_amount=sum((row.collectible_amount for row in rows), zero),
        outstanding_principal=sum((row.outstanding_principal for row in rows), zero),
        history_days=sorted(days),
    )


@dataclass(frozen=True)
class LoanView:
    loan: Loan
    position: Position
    cap_rate: Decimal | None
    cap_basis: str
    cap_flag: str
    charge_factor_ppm: int
    principal_factor_ppm: int
    payments: list[Any]
    history: list[BucketHistory]


def lpr_fixings() -> list[CoreLprFixing]:
    return [CoreLprFixing(row.effective_on, decimal_to_ppm(row.one_year_rate)) for row in LprFixing.objects.all()]


def borrower_loans(*, borrower: Borrower, as_of: date) -> list[LoanView]:
    """Each loan with its schedule state on a day, computed by the plain-Python ledger."""
    fixings = lpr_fixings()
    views = []
    for loan in borrower.loans.order_by("disbursed_on", "external_id"):
        installments = list(loan.installments.order_by("seq"))
        payments = list(loan.payments.order_by("paid_at"))
        decision = legal_cap(country=borrower.country, licence=loan.lender_licence, contract_on=loan.disbursed_on,
                             annual_cost_ppm=decimal_to_ppm(loan.annual_cost), fixings=fixings)
        principal_factor = principal_factor_ppm(
            country=borrower.country, disbursed_cents=decimal_to_cents(loan.principal),
            scheduled_principal_cents=sum(decimal_to_cents(i.principal_due) for i in installments))
        position = position_on(
            as_of=as_of,
            installments=[Terms(i.seq, i.due_on, decimal_to_cents(i.principal_due), decimal_to_cents(i.interest_due),
                                decimal_to_cents(i.fee_due)) for i in installments],
            payments=[Paid(p.paid_on, decimal_to_cents(p.amount)) for p in payments],
            order=settings.DOORSTEP_ALLOCATION_ORDER, scheme=bucket_scheme(),
            charge_factor_ppm=decision.charge_factor_ppm, principal_factor_ppm=principal_factor)
        cap_rate = None if decision.cap_ppm is None else ppm_to_decimal(decision.cap_ppm)
        views.append(LoanView(loan, position, cap_rate, decision.basis, decision.flag.value,
                              decision.charge_factor_ppm, principal_factor, payments,
                              list(loan.history.order_by("as_of"))))
    return views


def borrower_contacts_by_role(*, borrower: Borrower) -> dict[str, list[Contact]]:
    grouped: dict[str, list[Contact]] = {}
    for contact in borrower.contacts.order_by("role", "external_id"):
        grouped.setdefault(contact.role, []).append(contact)
    return grouped


def import_jobs_recent(*, limit: int = 20) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:limit]
