"""Rows the scoring tests need beyond tests/factories.py: schedules with `due_before`, history, visits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from django.utils import timezone

from doorstep.accounts.models import Team
from doorstep.field.models import Promise, Visit
from doorstep.planning.models import Plan, Route, Stop
from doorstep.portfolio.models import BucketHistory, Case, Installment, Loan, Payment

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = count(1)


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def schedule(loan: Loan, dues: Iterable[date], *, principal: str = "100.00", interest: str = "18.00") -> None:
    """Equal installments on the given days, `due_before` filled as the importer does."""
    total = Decimal(principal) + Decimal(interest)
    Installment.objects.bulk_create(
        Installment(
            loan=loan,
            seq=seq,
            due_on=due_on,
            principal_due=Decimal(principal),
            interest_due=Decimal(interest),
            fee_due=Decimal("0.00"),
            due_before=total * (seq - 1),
        )
        for seq, due_on in enumerate(dues, start=1)
    )


def pay(loan: Loan, paid_on: date, amount: str) -> Payment:
    return Payment.objects.create(
        external_id=f"SP{next(_numbers):07d}",
        loan=loan,
        paid_on=paid_on,
        paid_at=local(paid_on, 10),
        amount=Decimal(amount),
    )


def history(loan: Loan, as_of: date, dpd: int, bucket: str) -> None:
    BucketHistory.objects.create(
        loan=loan,
        as_of=as_of,
        dpd=dpd,
        bucket=bucket,
        overdue_amount=Decimal("0.00"),
        outstanding_principal=Decimal("0.00"),
        collectible_amount=Decimal("0.00"),
        cap_flag="ok",
        recorded_at=timezone.now(),
    )


def visits(team: Team, cases_by_day: Iterable[tuple[Case, date, str]]) -> list[Visit]:
    """Field visits, one published one-route plan per day (the scoring reads only the visits)."""
    by_day: dict[date, list[tuple[Case, str]]] = {}
    for case, day, outcome in cases_by_day:
        by_day.setdefault(day, []).append((case, outcome))
    made = []
    for day, items in by_day.items():
        plan = Plan.objects.create(
            day=day,
            territory=team.territory,
            version=next(_numbers),
            status=Plan.Status.PUBLISHED,
            timezone="Asia/Shanghai",
        )
        route = Route.objects.create(
            plan=plan, team=team, depart_at=local(day, 9), return_at=local(day, 18), travel_minutes=30
        )
        stops = Stop.objects.bulk_create(
            Stop(
                route=route,
                case=case,
                sequence=number,
                arrival_at=local(day),
                start_at=local(day),
                end_at=local(day) + timedelta(minutes=45),
                prize=Decimal("100.00"),
            )
            for number, (case, _) in enumerate(items, start=1)
        )
        made += [
            Visit(
                case=case,
                borrower_id=case.borrower_id,
                stop=stop,
                team=team,
                day=day,
                status=Visit.Status.CLOSED,
                outcome=outcome,
            )
            for (case, outcome), stop in zip(items, stops, strict=True)
        ]
    return Visit.objects.bulk_create(made)


def promise(case: Case, *, amount: str, made_on: date, due_on: date, by) -> Promise:
    return Promise.objects.create(
        case=case,
        currency="CNY",
        amount=Decimal(amount),
        made_on=made_on,
        due_on=due_on,
        created_by=by,
        created_at=local(made_on),
    )
