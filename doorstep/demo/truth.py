"""The true effect of a field visit in the generated demo book, known because the demo made it up.

For a borrower on day D, doorstep.demo.behaviour gives: P(any payment in the TARGET_DAYS after D | no
visit) = 1 − P0, and P(... | a visit in the 7 days after D) = 1 − (1 − r) × P0, where r is the
segment's VISIT_RESPONSE when the borrower is behind on D (0 otherwise): a response lands within
7 + 14 days, inside the 30. The true uplift is therefore r × P0: the score a perfect uplift model
would give, the ceiling the trained one is checked against (bench/scoring_demo.py).

P0 is the chance that nothing lands in (D, D + 30] without a visit, per loan and multiplied over the
borrower's loans (their draws are independent):
- what happened by D is known to the generator: a payment decided by D (an installment's or a
  response's) that lands in the window makes P0 zero; the arrears or credit left on D are the start;
- installments falling due after D follow the segment's probabilities (cure, pay, partial, miss,
  settle, the landing spread of `early_days`/`late_days`; the defaulted segment's partial and token
  payments), enumerated exactly over the one or two installments that can land in the window.

Two simplifications, both small and documented: an over-payment's credit is not carried into the
installments after D (it only matters when it covers a whole installment), and a borrower who is
current on D but misses an installment before the visit gets no effect here although the walk
would let them respond. Pure: no Django.
"""

from __future__ import annotations

from datetime import date, timedelta

from doorstep.demo.behaviour import (
    DEFAULT_MONTH_PARTIAL,
    DEFAULT_TOKEN,
    SEGMENT_BY_NAME,
    VISIT_RESPONSE,
    Due,
    LoanWalk,
    Segment,
)
from doorstep.demo.book import BorrowerHistory

TARGET_DAYS = 30  # as doorstep.scoring.features: any payment within 30 days after the day
DEFAULTED_LATE_DAYS = 10  # a defaulted borrower's partial or token payment lands 0-10 days after the due day


def _landing_share(first: date, last: date, window: tuple[date, date], *, clamp_to: date | None = None) -> float:
    """Share of the equally likely landing days first..last (clamped to `clamp_to`) inside (start, end]."""
    start, end = window
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    if clamp_to is not None:
        days = [min(day, clamp_to) for day in days]
    return sum(1 for day in days if start < day <= end) / len(days)


def _owed_on(walk: LoanWalk, day: date) -> int:
    owed = 0
    for on, value in walk.owed_after:
        if on > day:
            break
        owed = value
    return owed


def loan_behind(walk: LoanWalk, day: date) -> bool:
    """Behind on `day` as the walk sees it (the condition for a visit to have any effect)."""
    if walk.stop_on is not None:
        return any(walk.stop_on <= due.due_on < day for due in walk.dues)
    if walk.settled_on is not None and walk.settled_on <= day:
        return False
    return _owed_on(walk, day) > 0


def _regular_none(segment: Segment, future: list[Due], owed: int, window: tuple[date, date]) -> float:
    """P(no payment lands in the window) over the installments `future`, starting `owed` (exact enumeration)."""
    if not future:
        return 1.0
    due, rest = future[0], future[1:]
    land = _landing_share(
        due.due_on - timedelta(days=segment.early_days), due.due_on + timedelta(days=segment.late_days), window
    )
    amount = due.amount_cents
    # (probability, pays something, owed after)
    branches: list[tuple[float, bool, int]] = []
    if owed > 0:
        rest_share = 1 - segment.cure
        branches.append((segment.cure, True, 0))
        branches.append((rest_share * segment.pay, True, owed))
        branches.append((rest_share * segment.partial, True, owed + amount // 2))
        branches.append((rest_share * (1 - segment.pay - segment.partial), False, owed + amount))
    else:
        credit = -owed
        branches.append((segment.pay, amount > credit, min(owed + amount, 0) if amount < credit else 0))
        branches.append((segment.partial, True, owed + amount // 2))
        branches.append((1 - segment.pay - segment.partial, False, owed + amount))
    total = 0.0
    for chance, pays, owed_after in branches:
        if chance <= 0:
            continue
        later = _regular_none(segment, rest, owed_after, window)
        if pays and owed_after <= 0:
            later = segment.settle + (1 - segment.settle) * later  # settling pays the rest now: nothing later
        total += chance * ((1 - land) if pays else 1.0) * later
    return total


def _defaulted_none(segment: Segment, walk: LoanWalk, future: list[Due], window: tuple[date, date]) -> float:
    stop_on = walk.stop_on
    assert stop_on is not None
    first_missed_on = next((due.due_on for due in walk.dues if due.due_on >= stop_on), None)
    none = 1.0
    for due in future:
        if due.due_on < stop_on:
            land = _landing_share(
                due.due_on - timedelta(days=segment.early_days),
                due.due_on + timedelta(days=segment.late_days),
                window,
                clamp_to=stop_on - timedelta(days=1),
            )
            none *= 1 - land
            continue
        chance = DEFAULT_MONTH_PARTIAL if due.due_on == first_missed_on else DEFAULT_TOKEN
        none *= 1 - chance * _landing_share(due.due_on, due.due_on + timedelta(days=DEFAULTED_LATE_DAYS), window)
    return none


def loan_no_payment_chance(walk: LoanWalk, day: date) -> float:
    """P(nothing lands on this loan in the TARGET_DAYS after `day`), without a visit."""
    window = (day, day + timedelta(days=TARGET_DAYS))
    if any(decided <= day and window[0] < lands <= window[1] for decided, lands in walk.landings):
        return 0.0
    if walk.settled_on is not None and walk.settled_on <= day:
        return 1.0
    segment = SEGMENT_BY_NAME[walk.segment]
    reach = window[1] + timedelta(days=segment.early_days)
    future = [due for due in walk.dues if day < due.due_on <= reach]
    if walk.stop_on is not None:
        return _defaulted_none(segment, walk, future, window)
    return _regular_none(segment, future, _owed_on(walk, day), window)


def _nothing_and_response(history: BorrowerHistory, day: date) -> tuple[float, float]:
    """(P0, the response a visit would have): the two factors of the truth."""
    nothing = 1.0
    for walk in history.loans:
        nothing *= loan_no_payment_chance(walk, day)
    behind = any(loan_behind(walk, day) for walk in history.loans)
    return nothing, VISIT_RESPONSE[history.segment] if behind else 0.0


def payment_chance(history: BorrowerHistory, day: date, *, visited: bool) -> float:
    """P(any payment within TARGET_DAYS after `day`), with or without a visit in the 7 days after it."""
    nothing, response = _nothing_and_response(history, day)
    return 1 - (1 - (response if visited else 0.0)) * nothing


def visit_uplift(history: BorrowerHistory, day: date) -> float:
    """The TRUE uplift of a visit for this borrower on `day`: P(pay | visit) − P(pay | no visit) = r × P0."""
    nothing, response = _nothing_and_response(history, day)
    return response * nothing
