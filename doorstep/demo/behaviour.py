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

**Field visits and their true effect (issue #7).** The lender reviews its book at every month-end
(`reviews`, the days the demo's delinquency history is refreshed on) and sends a team to some loans
that are behind, 1-10 days later. Who is visited depends only on what the lender sees, as a real
lender's choice would: the days past due of the oldest unpaid installment and the arrears
(`VISIT_CHANCE_BY_DPD` × `LARGE_ARREARS_FACTOR` or `SMALL_ARREARS_FACTOR`), never the segment. So
deep, large, defaulted loans are visited often and rarely pay: comparing visited with non-visited
cases naively is biased, and the uplift model has work to do. A borrower is visited at most once in
`VISIT_GAP_DAYS` (the policy's one visit in 30 days, DS-VISIT-FREQ); borrowers whose flags forbid or
pause visits, abroad, outside the districts with a team, or with an illegal loan are never visited.

A visit to a borrower who is behind makes them pay all the loan's arrears within `RESPONSE_DAYS`
(1-14) days with probability `VISIT_RESPONSE[segment]`; otherwise nothing changes (the visit is
recorded as met or not, `MET_WITHOUT_PAYMENT`). The TRUE effect, per segment:

    prime 0.00 (they pay anyway)   steady 0.15   wobbly 0.45   strained 0.40   defaulted 0.00

So for a case on day D that is behind, P(pay within 30 days | visit within 7 days) =
1 − (1 − r) × P0, where P0 is the chance that nothing lands in the 30 days without a visit (a
response lands by day D + 21), and the true uplift is r × P0 (doorstep.demo.truth computes it).
The same walk without `visiting` draws exactly what it drew before visits existed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
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


VISIT_RESPONSE: dict[str, float] = {"prime": 0.0, "steady": 0.15, "wobbly": 0.45, "strained": 0.40,
                                    "defaulted": 0.0}
# (highest days past due of the band, chance of a visit after a month-end review): the lender's choice.
VISIT_CHANCE_BY_DPD: tuple[tuple[int, float], ...] = ((30, 0.12), (60, 0.45), (90, 0.55), (180, 0.40),
                                                      (1_000_000, 0.15))
LARGE_ARREARS_CENTS = 300_000  # 3 000 CNY
LARGE_ARREARS_FACTOR = 1.6
SMALL_ARREARS_FACTOR = 0.8
VISIT_AFTER_REVIEW_DAYS = (1, 10)
RESPONSE_DAYS = (1, 14)
VISIT_GAP_DAYS = 31
MET_WITHOUT_PAYMENT = 0.5


def visit_chance(*, dpd: int, arrears_cents: int) -> float:
    """The lender's chance of visiting a loan found behind at a month-end review."""
    base = next(chance for highest, chance in VISIT_CHANCE_BY_DPD if dpd <= highest)
    factor = LARGE_ARREARS_FACTOR if arrears_cents >= LARGE_ARREARS_CENTS else SMALL_ARREARS_FACTOR
    return min(base * factor, 0.9)


@dataclass
class Visiting:
    """Review days, and the borrower's visits so far (shared by their loans, so the gap holds across them)."""

    reviews: tuple[date, ...]
    visited_on: list[date]


@dataclass(frozen=True)
class Visit:
    day: date
    met: bool
    responded: bool  # the visit made the borrower pay the arrears


@dataclass
class LoanWalk:
    """One loan's generated history, with what doorstep.demo.truth needs to replay it from any day."""

    segment: str
    dues: tuple[Due, ...]
    stop_on: date | None
    repayments: list[Repayment] = field(default_factory=list)  # up to as_of, one per day
    visits: list[Visit] = field(default_factory=list)
    owed_after: list[tuple[date, int]] = field(default_factory=list)  # after each due or visit, in order
    landings: list[tuple[date, date]] = field(default_factory=list)  # (decided on, lands on), also after as_of
    settled_on: date | None = None


class _Walker:
    def __init__(self, *, segment: Segment, schedule: list[Due], as_of: date, rng: random.Random,
                 stop_on: date | None, unit_cents: int, visiting: Visiting | None) -> None:
        self.segment, self.as_of, self.rng, self.unit_cents = segment, as_of, rng, unit_cents
        self.walk = LoanWalk(segment.name, tuple(schedule), stop_on)
        self.visiting = visiting
        self.reviews = [day for day in visiting.reviews if day < as_of] if visiting else []
        self.pending: list[date] = []
        self.paid: list[Repayment] = []
        self.owed = 0  # due so far minus paid so far; below zero is credit from an over-payment
        self.paid_total = 0
        self.due_total: list[tuple[date, int]] = []  # cumulative amounts due, for the oldest unpaid one

    def pay(self, decided_on: date, lands_on: date, amount: int) -> None:
        self.walk.landings.append((decided_on, lands_on))
        self.paid.append(Repayment(lands_on, amount))

    def events_until(self, limit: date, *, inclusive: bool) -> None:
        """Reviews and visits before `limit` (or on it), in date order; a due day's own events come after it."""
        while True:
            days = [day for day in (self.reviews[:1] + self.pending[:1]) if day < limit or (inclusive and day <= limit)]
            if not days:
                return
            day = min(days)
            if self.pending and self.pending[0] == day:
                self.pending.pop(0)
                self.visit(day)
            else:
                self.reviews.pop(0)
                self.review(day)

    def behind(self, day: date) -> tuple[int, int]:
        """(days past due of the oldest unpaid installment, arrears) on `day`; (0, 0) when not behind."""
        stop_on = self.walk.stop_on
        if stop_on is not None:
            missed = [due for due in self.walk.dues if stop_on <= due.due_on < day]
            return ((day - stop_on).days, sum(due.amount_cents for due in missed)) if missed else (0, 0)
        if self.owed <= 0 or self.walk.settled_on is not None:
            return 0, 0
        oldest = next(due_on for due_on, total in self.due_total if total > self.paid_total)
        return (day - oldest).days, self.owed

    def review(self, day: date) -> None:
        assert self.visiting is not None
        dpd, arrears = self.behind(day)
        if dpd <= 0 or self.rng.random() >= visit_chance(dpd=dpd, arrears_cents=arrears):
            return
        visit_on = day + timedelta(days=self.rng.randint(*VISIT_AFTER_REVIEW_DAYS))
        visited = self.visiting.visited_on
        if visit_on < self.as_of and all(abs((visit_on - other).days) >= VISIT_GAP_DAYS for other in visited):
            visited.append(visit_on)
            self.pending = sorted([*self.pending, visit_on])

    def visit(self, day: date) -> None:
        response = VISIT_RESPONSE[self.segment.name]
        # Only a regular borrower can respond; the defaulted segment's response is zero by design.
        responded = (self.walk.stop_on is None and self.behind(day)[0] > 0 and self.rng.random() < response)
        if responded:
            amount = self.owed
            self.pay(day, day + timedelta(days=self.rng.randint(*RESPONSE_DAYS)), amount)
            self.paid_total += amount
            self.owed = 0
            self.walk.owed_after.append((day, 0))
        met = responded or self.rng.random() < MET_WITHOUT_PAYMENT
        self.walk.visits.append(Visit(day, met, responded))

    def regular(self) -> None:
        segment, rng, schedule = self.segment, self.rng, self.walk.dues
        for index, due in enumerate(schedule):
            if due.due_on > self.as_of:
                break
            self.events_until(due.due_on, inclusive=False)
            day = due.due_on + timedelta(days=rng.randint(-segment.early_days, segment.late_days))
            arrears, credit = max(self.owed, 0), max(-self.owed, 0)
            draw = rng.random()
            if arrears and rng.random() < segment.cure:
                amount = arrears + due.amount_cents
            elif draw < segment.pay:
                amount = max(due.amount_cents - credit, 0)
            elif draw < segment.pay + segment.partial:
                amount = _share(due.amount_cents, 0.2, 0.8, rng, self.unit_cents)
            else:
                amount = 0
            self.owed += due.amount_cents - amount
            settles = self.owed <= 0 and amount > 0 and rng.random() < segment.settle
            if settles:
                amount += sum(later.amount_cents for later in schedule[index + 1:]) + self.owed
            elif amount and rng.random() < segment.overpay:
                rounded = _round_up(amount + 1, 100 * self.unit_cents)
                self.owed -= rounded - amount
                amount = rounded
            self.due_total.append((due.due_on, (self.due_total[-1][1] if self.due_total else 0) + due.amount_cents))
            self.paid_total += amount
            if amount > 0:
                self.pay(due.due_on, day, amount)
            if settles:
                self.walk.settled_on = due.due_on
                self.owed = 0
            self.walk.owed_after.append((due.due_on, self.owed))
            if settles:
                break
        self.events_until(self.as_of, inclusive=True)

    def defaulted(self, stop_on: date) -> None:
        rng, segment = self.rng, self.segment
        first_missed = True
        for due in self.walk.dues:
            if due.due_on > self.as_of:
                break
            self.events_until(due.due_on, inclusive=False)
            if due.due_on < stop_on:
                day = due.due_on + timedelta(days=rng.randint(-segment.early_days, segment.late_days))
                self.pay(due.due_on, min(day, stop_on - timedelta(days=1)), due.amount_cents)
                continue
            chance = DEFAULT_MONTH_PARTIAL if first_missed else DEFAULT_TOKEN
            low, high = (0.2, 0.6) if first_missed else (0.05, 0.15)
            first_missed = False
            if rng.random() < chance:
                day = due.due_on + timedelta(days=rng.randint(0, 10))
                if day <= self.as_of:
                    self.pay(due.due_on, day, _share(due.amount_cents, low, high, rng, self.unit_cents))
                else:
                    self.walk.landings.append((due.due_on, day))  # amount drawn when it lands: not yet
        self.events_until(self.as_of, inclusive=True)


def loan_walk(*, segment: Segment, schedule: list[Due], as_of: date, rng: random.Random,
              stop_on: date | None = None, unit_cents: int = 100, visiting: Visiting | None = None) -> LoanWalk:
    """One loan of a borrower of `segment` up to `as_of`: payments and, with `visiting`, field visits
    and their effect (see the module docstring). Without `visiting` it draws what `repayments` draws."""
    if segment.name == "defaulted" and stop_on is None:
        raise ValueError("a defaulted borrower needs a stop day")
    walker = _Walker(segment=segment, schedule=schedule, as_of=as_of, rng=rng,
                     stop_on=stop_on if segment.name == "defaulted" else None, unit_cents=unit_cents,
                     visiting=visiting)
    if segment.name == "defaulted":
        assert stop_on is not None
        walker.defaulted(stop_on)
    else:
        walker.regular()
    walker.walk.repayments = _merge_same_day([paid for paid in walker.paid if paid.paid_on <= as_of])
    return walker.walk


def repayments(*, segment: Segment, schedule: list[Due], as_of: date, rng: random.Random,
               stop_on: date | None = None, unit_cents: int = 100) -> list[Repayment]:
    """What one borrower of `segment` paid on one loan up to `as_of`, without visits (see the module docstring)."""
    return loan_walk(segment=segment, schedule=schedule, as_of=as_of, rng=rng, stop_on=stop_on,
                     unit_cents=unit_cents).repayments


def _merge_same_day(paid: list[Repayment]) -> list[Repayment]:
    """One payment per day and loan keeps the generated payment ids stable and readable."""
    by_day: dict[date, int] = {}
    for repayment in paid:
        by_day[repayment.paid_on] = by_day.get(repayment.paid_on, 0) + repayment.amount_cents
    return [Repayment(day, amount) for day, amount in sorted(by_day.items())]
