"""Repayment plans agreed at the door: the schedule in exact cents, and whether it fits what the
debtor said they earn and spend.

A plan the debtor cannot keep only produces a broken promise and another visit, so a proposal is
measured against the stated monthly surplus; one above `max_share` of it is flagged with the
largest installment that would fit, and a debtor with no surplus is pointed to the hardship route.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from doorstep.common.core.money import CENT

MAX_INSTALLMENTS = 60  # five years of monthly installments; longer plans go to a restructuring, not the door
DEFAULT_MAX_SHARE = Decimal("0.7")  # leave the debtor 30 % of the surplus for the unexpected
_SHARE_PLACES = Decimal("0.0001")


class Interval(StrEnum):
    MONTHLY = "monthly"
    BIWEEKLY = "biweekly"
    WEEKLY = "weekly"

    @property
    def label_en(self) -> str:
        return _INTERVAL_LABELS[self][0]

    @property
    def label_zh(self) -> str:
        return _INTERVAL_LABELS[self][1]

    @property
    def payments_per_year(self) -> int:
        return _PAYMENTS_PER_YEAR[self]


_INTERVAL_LABELS = {Interval.MONTHLY: ("monthly", "每月"), Interval.BIWEEKLY: ("fortnightly", "每两周"),
                    Interval.WEEKLY: ("weekly", "每周")}
# 26 fortnights and 52 weeks a year, not "two and four a month": a month holds more than four weeks,
# and counting four would understate a weekly plan's burden by about 8 %.
_PAYMENTS_PER_YEAR = {Interval.MONTHLY: 12, Interval.BIWEEKLY: 26, Interval.WEEKLY: 52}


def _to_cents(amount: Decimal, *, what: str) -> int:
    """Exact cents, refusing floats and fractions of a cent rather than rounding money silently."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"{what} must be a finite amount, got {amount}")
    try:
        quantized = amount.quantize(CENT)
    except InvalidOperation as error:
        raise ValueError(f"{what} is too large: {amount}") from error
    if quantized != amount:
        raise ValueError(f"{what} has more than two decimal places: {amount}")
    return int(quantized * 100)


def _from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def monthly_equivalent(amount: Decimal, interval: Interval) -> Decimal:
    """What one installment paid every `interval` weighs on a monthly budget, half-up to cents."""
    return (amount * interval.payments_per_year / 12).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScheduledPayment:
    seq: int  # 0 is the down payment, installments count from 1
    due_on: date
    amount: Decimal


def _check_count(count: int, *, what: str) -> None:
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"{what} must be a whole number, got {count!r}")
    if not 1 <= count <= MAX_INSTALLMENTS:
        raise ValueError(f"{what} must be between 1 and {MAX_INSTALLMENTS}, got {count}")


def _remaining_cents(total: Decimal, down_payment: Decimal) -> tuple[int, int]:
    """(down payment, the rest) in cents, after checking both amounts."""
    total_cents = _to_cents(total, what="the total")
    if total_cents <= 0:
        raise ValueError(f"the total must be above 0, got {total}")
    down_cents = _to_cents(down_payment, what="the down payment")
    if down_cents < 0:
        raise ValueError(f"the down payment cannot be negative, got {down_payment}")
    if down_cents >= total_cents:
        raise ValueError(f"the down payment ({down_payment}) must be less than the total ({total}); "
                         "a payment in full needs no plan")
    return down_cents, total_cents - down_cents


def _split_cents(cents: int, count: int) -> list[int]:
    # The odd cents go first: the debtor pays the extra cent while the plan is fresh, and every
    # later installment is the same round figure.
    base, extra = divmod(cents, count)
    return [base + 1] * extra + [base] * (count - extra)


def _add_months(start: date, months: int) -> date:
    # Keep the day of the month of the first due date, clamped to the month's end, so a plan
    # starting on Jan 31 falls due on Feb 28 (or 29) and then on Mar 31 again, not on Mar 28.
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _due_dates(first_due_on: date, count: int, interval: Interval) -> list[date]:
    try:
        if interval is Interval.MONTHLY:
            return [_add_months(first_due_on, number) for number in range(count)]
        step = timedelta(days=14 if interval is Interval.BIWEEKLY else 7)
        return [first_due_on + step * number for number in range(count)]
    except (OverflowError, ValueError) as error:
        raise ValueError(f"the schedule from {first_due_on} runs past the last date the calendar holds") from error


def installment_schedule(*, total: Decimal, count: int, first_due_on: date, interval: Interval,
                         down_payment: Decimal = Decimal("0"),
                         down_payment_on: date | None = None) -> tuple[ScheduledPayment, ...]:
    """The down payment (seq 0, only when above zero) and `count` installments that sum to `total` exactly."""
    interval = Interval(interval)
    _check_count(count, what="the number of installments")
    down_cents, rest_cents = _remaining_cents(total, down_payment)
    if rest_cents < count:
        raise ValueError(f"{count} installments of {_from_cents(rest_cents)} would be below 0.01 each; "
                         f"use at most {rest_cents} installments")
    payments: list[ScheduledPayment] = []
    if down_cents > 0:
        if down_payment_on is None:
            raise ValueError("a down payment needs the date it falls due (down_payment_on)")
        # Strictly before, so the schedule's dates strictly increase and seq 0 is always paid first.
        if down_payment_on >= first_due_on:
            raise ValueError(f"the down payment ({down_payment_on}) must fall due before the first "
                             f"installment ({first_due_on})")
        payments.append(ScheduledPayment(seq=0, due_on=down_payment_on, amount=_from_cents(down_cents)))
    dates = _due_dates(first_due_on, count, interval)
    payments.extend(ScheduledPayment(seq=number, due_on=due_on, amount=_from_cents(cents))
                    for number, (due_on, cents) in enumerate(zip(dates, _split_cents(rest_cents, count),
                                                                 strict=True), start=1))
    return tuple(payments)


@dataclass(frozen=True)
class Affordability:
    """What the debtor stated at the door, per month."""

    monthly_income: Decimal
    monthly_expenses: Decimal

    def __post_init__(self) -> None:
        for what, amount in (("the monthly income", self.monthly_income),
                             ("the monthly expenses", self.monthly_expenses)):
            if _to_cents(amount, what=what) < 0:
                raise ValueError(f"{what} cannot be negative, got {amount}")

    @property
    def surplus(self) -> Decimal:
        """Income less expenses; negative when the stated expenses exceed the income."""
        return self.monthly_income - self.monthly_expenses


class ProblemCode(StrEnum):
    NO_FINANCES = "no_finances"
    NO_SURPLUS = "no_surplus"
    ABOVE_AFFORDABILITY = "above_affordability"


@dataclass(frozen=True)
class Problem:
    code: ProblemCode
    text_en: str
    text_zh: str


@dataclass(frozen=True)
class PlanAssessment:
    monthly_burden: Decimal  # the largest installment's monthly equivalent
    surplus: Decimal | None  # None when income and expenses are unknown
    share: Decimal | None  # burden / surplus to 4 places; None without a positive surplus
    affordable: bool
    problems: tuple[Problem, ...]


def _check_share(max_share: Decimal) -> None:
    if not isinstance(max_share, Decimal):
        raise TypeError(f"the maximum share must be a Decimal, got {type(max_share).__name__}")
    if not (max_share.is_finite() and 0 < max_share <= 1):
        raise ValueError(f"the maximum share of the surplus must be above 0 and at most 1, got {max_share}")


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}"


def largest_affordable_installment(*, affordability: Affordability, interval: Interval,
                                   max_share: Decimal = DEFAULT_MAX_SHARE) -> Decimal | None:
    """The largest installment per `interval` whose monthly equivalent fits; None without a surplus."""
    _check_share(max_share)
    interval = Interval(interval)
    if affordability.surplus <= 0:
        return None
    limit = affordability.surplus * max_share
    amount = (limit * 12 / interval.payments_per_year).quantize(CENT, rounding=ROUND_FLOOR)
    # The half-up rounding of the monthly equivalent can move the boundary by a cent either way.
    while monthly_equivalent(amount + CENT, interval) <= limit:
        amount += CENT
    while amount > 0 and monthly_equivalent(amount, interval) > limit:
        amount -= CENT
    return amount


def plan_assessment(schedule: Sequence[ScheduledPayment], interval: Interval, affordability: Affordability | None,
                    *, max_share: Decimal = DEFAULT_MAX_SHARE) -> PlanAssessment:
    """Whether the schedule's largest installment fits `max_share` of the stated monthly surplus."""
    _check_share(max_share)
    interval = Interval(interval)
    installments = [payment.amount for payment in schedule if payment.seq > 0]
    if not installments:
        raise ValueError("the schedule has no installments to assess")
    # The down payment is agreed for today out of cash at hand; the installments are what the
    # monthly budget must carry, and the largest of them is the month that bites.
    burden = monthly_equivalent(max(installments), interval)
    if affordability is None:
        return PlanAssessment(monthly_burden=burden, surplus=None, share=None, affordable=False, problems=(Problem(
            ProblemCode.NO_FINANCES,
            "The debtor's monthly income and expenses are not recorded; ask for them before proposing a plan.",
            "未记录债务人每月的收入和支出；提出还款计划前请先询问。"),))
    surplus = affordability.surplus
    if surplus <= 0:
        return PlanAssessment(monthly_burden=burden, surplus=surplus, share=None, affordable=False, problems=(Problem(
            ProblemCode.NO_SURPLUS,
            f"The stated expenses ({affordability.monthly_expenses}) take all of the monthly income "
            f"({affordability.monthly_income}); do not press for a plan, offer the hardship route instead.",
            f"所述每月支出（{affordability.monthly_expenses}）已占用全部每月收入（{affordability.monthly_income}）；"
            "请勿强求还款计划，应改为提供困难救助途径。"),))
    share = (burden / surplus).quantize(_SHARE_PLACES, rounding=ROUND_HALF_UP)
    if burden <= surplus * max_share:
        return PlanAssessment(monthly_burden=burden, surplus=surplus, share=share, affordable=True, problems=())
    largest = largest_affordable_installment(affordability=affordability, interval=interval, max_share=max_share)
    percent = _percent(max_share)
    return PlanAssessment(monthly_burden=burden, surplus=surplus, share=share, affordable=False, problems=(Problem(
        ProblemCode.ABOVE_AFFORDABILITY,
        f"The largest installment comes to {burden} a month, above {percent}% of the stated monthly surplus "
        f"of {surplus}; the largest affordable {interval.label_en} installment is {largest}.",
        f"最大一期还款折合每月 {burden}，超过所述每月结余 {surplus} 的 {percent}%；"
        f"可承受的{interval.label_zh}最高还款额为 {largest}。"),))


def smallest_affordable_count(*, total: Decimal, interval: Interval, affordability: Affordability | None,
                              down_payment: Decimal = Decimal("0"), max_share: Decimal = DEFAULT_MAX_SHARE,
                              max_count: int = MAX_INSTALLMENTS) -> int | None:
    """The fewest installments whose schedule `plan_assessment` would find affordable; None if none up
    to `max_count` is (or the finances are unknown or leave no surplus)."""
    _check_share(max_share)
    _check_count(max_count, what="the maximum number of installments")
    interval = Interval(interval)
    _, rest_cents = _remaining_cents(total, down_payment)
    if affordability is None or affordability.surplus <= 0:
        return None
    limit = affordability.surplus * max_share
    # More installments never raise the largest one, so the first count that fits is the answer.
    for count in range(1, min(max_count, rest_cents) + 1):
        largest_cents = -(-rest_cents // count)
        if monthly_equivalent(_from_cents(largest_cents), interval) <= limit:
            return count
    return None
