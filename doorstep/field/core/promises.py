"""Whether a promise to pay was kept, computed from the payments rather than stored, so a payment
that is booked late (a bank file arriving days after the money) corrects the status by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from doorstep.common.core.money import CENT


class PromiseStatus(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    PARTLY_KEPT = "partly_kept"
    BROKEN = "broken"


@dataclass(frozen=True)
class PromiseOutcome:
    status: PromiseStatus
    paid: Decimal  # within the promise's window only
    shortfall: Decimal  # never negative: paying more than promised is still just "kept"
    window_ends_on: date  # the due date plus grace: the day after it the status is final


def _check_amount(amount: Decimal, *, what: str) -> None:
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__}")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValueError(f"{what} must be a finite amount with at most two decimal places, got {amount}")


def promise_status(*, amount: Decimal, made_on: date, due_on: date, payments: Iterable[tuple[date, Decimal]],
                   today: date, grace_days: int = 0) -> PromiseOutcome:
    """The promise's status on `today` from the (paid_on, amount) payments on its case.

    Only payments from the day the promise was made to the due date plus `grace_days` count: money
    paid earlier was not paid on this promise, and money paid later does not unbreak it (the
    collector acted on the broken promise in between). Payments must be settled amounts, net of
    reversals, so none is negative.
    """
    _check_amount(amount, what="the promised amount")
    if amount <= 0:
        raise ValueError(f"the promised amount must be above 0, got {amount}")
    if due_on < made_on:
        raise ValueError(f"a promise cannot fall due ({due_on}) before it was made ({made_on})")
    if isinstance(grace_days, bool) or not isinstance(grace_days, int) or grace_days < 0:
        raise ValueError(f"the grace period must be a whole number of days, 0 or more, got {grace_days!r}")
    window_ends_on = due_on + timedelta(days=grace_days)
    paid = Decimal("0.00")
    for paid_on, payment in payments:
        _check_amount(payment, what=f"the payment on {paid_on}")
        if payment < 0:
            raise ValueError(f"the payment on {paid_on} is negative ({payment}); pass payments net of reversals")
        if made_on <= paid_on <= window_ends_on:
            paid += payment
    paid = paid.quantize(CENT)
    shortfall = max(Decimal("0.00"), amount - paid).quantize(CENT)
    # Paid in full is final at once, even before the due date: nothing the debtor does later undoes it.
    if paid >= amount:
        status = PromiseStatus.KEPT
    elif today <= window_ends_on:
        status = PromiseStatus.PENDING
    elif paid > 0:
        status = PromiseStatus.PARTLY_KEPT
    else:
        status = PromiseStatus.BROKEN
    return PromiseOutcome(status=status, paid=paid, shortfall=shortfall, window_ends_on=window_ends_on)
