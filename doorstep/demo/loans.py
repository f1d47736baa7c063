"""Generated loan terms and schedules: consumer amounts, licences, rates and all-in costs.

The mix is chosen so the demo shows every cap outcome of doorstep.portfolio.core.caps: most loans
within 24 %, some licensed loans with fees above it (over cap), private loans above 4 x LPR, a few
above 36 % (illegal, collection blocked) and a few whose paid-out principal is below the
scheduled one (interest deducted up front, 砍头息). Pure: no Django.
"""

from __future__ import annotations

import calendar
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from doorstep.demo.behaviour import Due

CENT = Decimal("0.01")
TERMS = (3, 6, 6, 9, 12, 12)
# (licence, weight, lowest rate, highest rate) for CN loans.
CN_LICENCES = (
    ("consumer_finance", 45, "0.14", "0.24"),
    ("microloan", 35, "0.16", "0.24"),
    ("bank", 12, "0.10", "0.16"),
    ("private", 8, "0.10", "0.18"),
)
SHARE_WITH_FEES = 0.25  # all-in cost above the interest rate
SHARE_ILLEGAL = 0.015  # all-in cost above 36 %
SHARE_DEDUCTED_UPFRONT = 0.05  # of private and microloan loans
LATEST_DUE_DAY = 28  # every month has it, so a schedule never shifts its due day


@dataclass(frozen=True)
class Terms:
    currency: str
    principal_cents: int  # paid out to the borrower
    contract_principal_cents: int  # what the schedule repays
    disbursed_on: date
    installments: int
    annual_rate: Decimal
    annual_cost: Decimal
    licence: str  # empty outside CN
    product: str


@dataclass(frozen=True)
class ScheduledInstallment:
    seq: int
    due_on: date
    principal_cents: int
    interest_cents: int
    fee_cents: int

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.interest_cents + self.fee_cents


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def due_day(day: date) -> date:
    """Move a day back onto a day of the month that every month has."""
    return day - timedelta(days=max(0, day.day - LATEST_DUE_DAY))


def _rate(rng: random.Random, low: str, high: str) -> Decimal:
    """A rate on a half-percent grid, as lenders price."""
    steps = int((Decimal(high) - Decimal(low)) / Decimal("0.005"))
    return Decimal(low) + Decimal("0.005") * rng.randint(0, steps)


def _amount_cents(rng: random.Random, low: int, high: int) -> int:
    """Log-uniform whole hundreds: many small loans, few large ones."""
    amount = math.exp(rng.uniform(math.log(low), math.log(high)))
    return max(low, round(amount / 100) * 100) * 100


def terms_generate(*, rng: random.Random, country: str, disbursed_on: date) -> Terms:
    installments = rng.choice(TERMS)
    if country != "CN":
        currency = "USD" if country == "US" else "GBP"
        principal = _amount_cents(rng, 500, 8000)
        rate = _rate(rng, "0.08", "0.30")
        return Terms(currency, principal, principal, disbursed_on, installments, rate, rate, "",
                     "DEMO-PERSONAL")
    licence = rng.choices([row[0] for row in CN_LICENCES], weights=[row[1] for row in CN_LICENCES])[0]
    _, _, low, high = next(row for row in CN_LICENCES if row[0] == licence)
    rate = _rate(rng, low, high)
    draw = rng.random()
    if draw < SHARE_ILLEGAL:
        cost = _rate(rng, "0.38", "0.60")
    elif draw < SHARE_ILLEGAL + SHARE_WITH_FEES:
        cost = rate + _rate(rng, "0.01", "0.10")
    else:
        cost = rate
    contract_principal = _amount_cents(rng, 1000, 50000)
    principal = contract_principal
    if licence in ("private", "microloan") and rng.random() < SHARE_DEDUCTED_UPFRONT:
        principal = contract_principal * 9 // 10 // 100 * 100
    product = "DEMO-PRIVATE" if licence == "private" else rng.choice(("DEMO-CASH", "DEMO-SHOP", "DEMO-CASH"))
    return Terms("CNY", principal, contract_principal, disbursed_on, installments, rate, cost, licence, product)


def schedule_for(terms: Terms) -> list[ScheduledInstallment]:
    """Equal monthly installments (等额本息) on the contract principal, plus a flat monthly fee that
    makes up the difference between the all-in cost and the interest rate (an approximation)."""
    principal = Decimal(terms.contract_principal_cents) / 100
    monthly_rate = terms.annual_rate / 12
    count = terms.installments
    exact = principal * monthly_rate / (1 - (1 + monthly_rate) ** -count) if monthly_rate else principal / count
    payment = exact.quantize(CENT, ROUND_HALF_UP)
    fee = (principal * (terms.annual_cost - terms.annual_rate) / 12).quantize(CENT, ROUND_HALF_UP)
    balance = principal
    rows: list[ScheduledInstallment] = []
    for seq in range(1, count + 1):
        interest = (balance * monthly_rate).quantize(CENT, ROUND_HALF_UP)
        principal_part = balance if seq == count else min(balance, payment - interest)
        balance -= principal_part
        rows.append(ScheduledInstallment(seq, add_months(terms.disbursed_on, seq), int(principal_part * 100),
                                         int(interest * 100), int(fee * 100)))
    return rows


def dues(schedule: list[ScheduledInstallment]) -> list[Due]:
    return [Due(row.due_on, row.total_cents) for row in schedule]
