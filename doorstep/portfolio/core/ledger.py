"""One loan's position on a day: payment allocation, DPD, bucket, overdue and collectible amounts.

This is the plain-Python statement of the rules in portfolio-format.md. The delinquency refresh
computes the same numbers set-based in SQL for the whole book; tests hold the two equal. The
borrower page uses this to show each installment's paid/overdue state.

All amounts are integer cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from doorstep.portfolio.core.buckets import BucketScheme

PPM = 1_000_000
COMPONENTS = ("fee", "interest", "principal")


class InstallmentStatus(StrEnum):
    PAID = "paid"
    OVERDUE = "overdue"  # due before the day and not fully paid
    PARTLY_PAID = "partly_paid"  # not yet due, something paid
    UPCOMING = "upcoming"  # not yet due (or due today), nothing paid


@dataclass(frozen=True)
class Terms:
    seq: int
    due_on: date
    principal: int
    interest: int
    fee: int = 0

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee


@dataclass(frozen=True)
class Paid:
    paid_on: date
    amount: int


@dataclass(frozen=True)
class InstallmentState:
    seq: int
    due_on: date
    total: int
    paid_fee: int
    paid_interest: int
    paid_principal: int
    status: InstallmentStatus

    @property
    def paid(self) -> int:
        return self.paid_fee + self.paid_interest + self.paid_principal

    @property
    def unpaid(self) -> int:
        return self.total - self.paid


@dataclass(frozen=True)
class Position:
    as_of: date
    dpd: int
    bucket: str
    total_paid: int
    overdue_amount: int
    outstanding_principal: int
    collectible_amount: int
    installments: tuple[InstallmentState, ...]


def allocation_sequence(installments: Sequence[Terms]) -> list[Terms]:
    """Oldest installment first: by due date, then by sequence number."""
    return sorted(installments, key=lambda terms: (terms.due_on, terms.seq))


def validate_order(order: Sequence[str]) -> tuple[str, str, str]:
    if sorted(order) != sorted(COMPONENTS):
        raise ValueError(f"allocation order must name fee, interest and principal once each, got {order!r}")
    return (order[0], order[1], order[2])


def position_on(*, as_of: date, installments: Sequence[Terms], payments: Sequence[Paid],
                order: Sequence[str] = COMPONENTS, scheme: BucketScheme | None = None,
                charge_factor_ppm: int = PPM, principal_factor_ppm: int = PPM) -> Position:
    """Payments made up to and including `as_of` count; an installment is overdue when as_of > due_on."""
    components = validate_order(order)
    scheme = scheme or BucketScheme()
    remaining = total_paid = sum(p.amount for p in payments if p.paid_on <= as_of)
    states: list[InstallmentState] = []
    for terms in allocation_sequence(installments):
        paid = {"fee": 0, "interest": 0, "principal": 0}
        for component in components:
            take = min(remaining, getattr(terms, component))
            paid[component] = take
            remaining -= take
        settled = paid["fee"] + paid["interest"] + paid["principal"] == terms.total
        if settled:
            status = InstallmentStatus.PAID
        elif as_of > terms.due_on:
            status = InstallmentStatus.OVERDUE
        elif any(paid.values()):
            status = InstallmentStatus.PARTLY_PAID
        else:
            status = InstallmentStatus.UPCOMING
        states.append(InstallmentState(terms.seq, terms.due_on, terms.total, paid["fee"], paid["interest"],
                                       paid["principal"], status))
    overdue = [state for state in states if state.status is InstallmentStatus.OVERDUE]
    dpd = (as_of - min(state.due_on for state in overdue)).days if overdue else 0
    past_due = [terms for terms in installments if terms.due_on < as_of]
    past_principal = sum(terms.principal for terms in past_due)
    past_charges = sum(terms.interest + terms.fee for terms in past_due)
    claimable = past_principal * principal_factor_ppm // PPM + past_charges * charge_factor_ppm // PPM
    return Position(
        as_of=as_of,
        dpd=dpd,
        bucket=scheme.bucket_for(dpd),
        total_paid=total_paid,
        overdue_amount=max(0, sum(terms.total for terms in past_due) - total_paid),
        outstanding_principal=sum(terms.principal for terms in installments) - sum(s.paid_principal for s in states),
        collectible_amount=max(0, claimable - total_paid),
        installments=tuple(sorted(states, key=lambda state: state.seq)),
    )
