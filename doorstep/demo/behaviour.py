"""How generated borrowers repay: a small, seeded, documented behavioural model.

Every borrower belongs to one segment. Each of their loans is walked installment by installment,
in due-date order, up to the demo's as-of day. At each due date the borrower, who may already be
behind, does one thing:

- **cure** (only when behind, probability `cure`): pays everything in arrears plus what falls due;
- **pay** (probability `pay`): pays what falls due, less any credit left by an earlier
  over-payment; arrears stay, so a borrower one installment behind keeps rolling at about
  30 DPD, as real "stuck in M1" accounts do;
- **partial** (probability `partial`): pays 20-80 % of what falls due, rounded to whole units;
- **miss** (the rest): pays nothing.

A payment lands a few days around the due date (`early_days` before to `late_days` after); a
payment that would land after the as-of day has simply not happened yet. Some payments are rounded
up to the next 100 (over-payment, prepaying the next installment), and a current borrower may
settle early: pay the whole remaining schedule at once (`settle`; the demo has no settlement
discount, so the schedule's interest is paid too).

The `defaulted` segment pays every installment on time until its stop day, then stops: in the
stop month it may pay part of the first missed installment, afterwards rare token amounts.
Stop days are stratified over the DPD bands by the book generator (doorstep.demo.book), so even
a small book has loans in every bucket M1 ... M6+.

Nothing here knows about visits: issue #7 adds a visit effect (a visit raises `cure` and `pay`
for the following weeks) on top of these probabilities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Segment:
    name: str
    share: float  # of CN borrowers
    pay: float
    partial: float
    cure: float
    settle: float  # per installment, while current
    overpay: float  # share of payments rounded up to the next 100
    early_days: int
    late_days: int


SEGMENTS: tuple[Segment, ...] = (
    Segment("prime", 0.40, pay=0.96, partial=0.03, cure=0.90, settle=0.03, overpay=0.10, early_days=4,
            late_days=1),
    Segment("steady", 0.27, pay=0.86, partial=0.08, cure=0.60, settle=0.01, overpay=0.05, early_days=2,
            late_days=5),
    Segment("wobbly", 0.13, pay=0.62, partial=0.18, cure=0.35, settle=0.0, overpay=0.02, early_days=1,
            late_days=12),
    Segment("strained", 0.08, pay=0.35, partial=0.30, cure=0.15, settle=0.0, overpay=0.0, early_days=0,
            late_days=20),
    Segment("defaulted", 0.12, pay=1.0, partial=0.0, cure=0.0, settle=0.0, overpay=0.0, early_days=3,
            late_days=0),
)
SEGMENT_BY_NAME = {segment.name: segment for segment in SEGMENTS}
# Defaulted borrowers: chance of paying part of the first missed installment, then of a token
# payment (5-15 % of an installment) at each later due date.
DEFAULT_MONTH_PARTIAL = 0.4
DEFAULT_TOKEN = 0.08


@dataclass(frozen=True)
class Due:
    due_on: date
    amount_cents: int  # principal + interest + fee


@dataclass(frozen=True)
class Repayment:
    paid_on: date
    amount_cents: int


def _round_up(cents: int, step_cents: int) -> int:
    return -(-cents // step_cents) * step_cents


def _share(cents: int, low: float, high: float, rng: random.Random, unit_cents: int) -> int:
    """A part of an amount, in whole currency units, at least one unit."""
    return max(unit_cents, int(cents * rng.uniform(low, high)) // unit_cents * unit_cents)


def repayments(*, segment: Segment, schedule: list[Due], as_of: date, rng: random.Random,
               stop_on: date | None = None, unit_cents: int = 100) -> list[Repayment]:
    """What one borrower of `segment` paid on one loan up to `as_of` (see the module docstring)."""
    if segment.name == "defaulted":
        if stop_on is None:
            raise ValueError("a defaulted borrower needs a stop day")
        return _defaulted(segment=segment, schedule=schedule, as_of=as_of, rng=rng, stop_on=stop_on,
                          unit_cents=unit_cents)
    paid: list[Repayment] = []
    owed = 0  # due so far minus paid so far; below zero is credit from an over-payment
    for index, due in enumerate(schedule):
        if due.due_on > as_of:
            break
        day = due.due_on + timedelta(days=rng.randint(-segment.early_days, segment.late_days))
        arrears, credit = max(owed, 0), max(-owed, 0)
        draw = rng.random()
        if arrears and rng.random() < segment.cure:
            amount = arrears + due.amount_cents
        elif draw < segment.pay:
            amount = max(due.amount_cents - credit, 0)
        elif draw < segment.pay + segment.partial:
            amount = _share(due.amount_cents, 0.2, 0.8, rng, unit_cents)
        else:
            amount = 0
        owed += due.amount_cents - amount
        settles = owed <= 0 and amount > 0 and rng.random() < segment.settle
        if settles:
            amount += sum(later.amount_cents for later in schedule[index + 1:]) + owed
        elif amount and rng.random() < segment.overpay:
            rounded = _round_up(amount + 1, 100 * unit_cents)
            owed -= rounded - amount
            amount = rounded
        if amount > 0 and day <= as_of:
            paid.append(Repayment(day, amount))
        if settles:
            break
    return _merge_same_day(paid)


def _defaulted(*, segment: Segment, schedule: list[Due], as_of: date, rng: random.Random, stop_on: date,
               unit_cents: int) -> list[Repayment]:
    paid: list[Repayment] = []
    first_missed = True
    for due in schedule:
        if due.due_on > as_of:
            break
        if due.due_on < stop_on:
            day = due.due_on + timedelta(days=rng.randint(-segment.early_days, segment.late_days))
            paid.append(Repayment(min(day, stop_on - timedelta(days=1)), due.amount_cents))
            continue
        chance = DEFAULT_MONTH_PARTIAL if first_missed else DEFAULT_TOKEN
        low, high = (0.2, 0.6) if first_missed else (0.05, 0.15)
        first_missed = False
        if rng.random() < chance:
            day = due.due_on + timedelta(days=rng.randint(0, 10))
            if day <= as_of:
                paid.append(Repayment(day, _share(due.amount_cents, low, high, rng, unit_cents)))
    return _merge_same_day(paid)


def _merge_same_day(paid: list[Repayment]) -> list[Repayment]:
    """One payment per day and loan keeps the generated payment ids stable and readable."""
    by_day: dict[date, int] = {}
    for repayment in paid:
        by_day[repayment.paid_on] = by_day.get(repayment.paid_on, 0) + repayment.amount_cents
    return [Repayment(day, amount) for day, amount in sorted(by_day.items())]
