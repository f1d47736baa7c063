"""The legally collectible amount: which cap applies to a loan, and how much of its charges survive.

CN-CAP / CN-ILLEGAL-DEBT (compliance-rules.md):
- licensed lenders (bank, consumer_finance, microloan; also when the licence is not given):
  courts cut all-in cost above 24 % a year;
- private lending contracted on or after 2020-08-20 (SPC 民间借贷规定, 2020 revision):
  4 x the one-year LPR published at the contract date; earlier private contracts: 24 %;
- an all-in annual cost above 36 % marks the loan `illegal`: collection of the case is blocked;
- principal is the cash actually paid out: scheduled principal above it (砍头息) is not claimable.
US and UK loans: the contractual amounts (no cap applied here).

When the all-in annual cost exceeds the cap, every interest and fee amount is scaled by
cap / annual_cost (the excess share of the cost is dropped), floored to the cent in the
borrower's favour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PPM = 1_000_000
LICENSED_CAP_PPM = 240_000
ILLEGAL_ABOVE_PPM = 360_000
PRIVATE_LPR_MULTIPLE = 4
SPC_2020_REVISION_ON = date(2020, 8, 20)
LICENSED = frozenset({"bank", "consumer_finance", "microloan", ""})
LICENCES = frozenset({"bank", "consumer_finance", "microloan", "private"})


class CapFlag(StrEnum):
    OK = "ok"  # within the applicable cap, or no cap applies
    OVER_CAP = "over_cap"  # above the cap: the excess is not collectible
    ILLEGAL = "illegal"  # above 36 %: no collection at all (CN-ILLEGAL-DEBT)


@dataclass(frozen=True)
class LprFixing:
    effective_on: date
    one_year_ppm: int


# One-year Loan Prime Rate fixings published by the National Interbank Funding Center since the
# 2019 reform. Administrators add later fixings in the admin (portfolio > LPR fixings); this list
# seeds that table.
LPR_ONE_YEAR: tuple[LprFixing, ...] = (
    LprFixing(date(2019, 8, 20), 42_500),
    LprFixing(date(2019, 9, 20), 42_000),
    LprFixing(date(2019, 11, 20), 41_500),
    LprFixing(date(2020, 2, 20), 40_500),
    LprFixing(date(2020, 4, 20), 38_500),
    LprFixing(date(2021, 12, 20), 38_000),
    LprFixing(date(2022, 1, 20), 37_000),
    LprFixing(date(2022, 8, 22), 36_500),
    LprFixing(date(2023, 6, 20), 35_500),
    LprFixing(date(2023, 8, 21), 34_500),
    LprFixing(date(2024, 7, 22), 33_500),
    LprFixing(date(2024, 10, 21), 31_000),
    LprFixing(date(2025, 5, 20), 30_000),
)


@dataclass(frozen=True)
class CapDecision:
    cap_ppm: int | None  # None: no cap applies (US, UK)
    flag: CapFlag
    charge_factor_ppm: int  # share of each interest/fee amount that is collectible
    basis: str  # which rule chose the cap, for the borrower page


def lpr_on(day: date, fixings: Sequence[LprFixing]) -> LprFixing | None:
    """The fixing in force on a day (the latest published on or before it)."""
    best: LprFixing | None = None
    for fixing in fixings:
        if fixing.effective_on <= day and (best is None or fixing.effective_on > best.effective_on):
            best = fixing
    return best


def cap_for(*, country: str, licence: str, contract_on: date, fixings: Sequence[LprFixing]) -> tuple[int | None, str]:
    if country != "CN":
        return None, "contractual"
    if licence in LICENSED:
        return LICENSED_CAP_PPM, "licensed_24"
    if contract_on < SPC_2020_REVISION_ON:
        return LICENSED_CAP_PPM, "private_before_2020_24"
    fixing = lpr_on(contract_on, fixings)
    if fixing is None:
        return LICENSED_CAP_PPM, "private_no_lpr_24"
    return PRIVATE_LPR_MULTIPLE * fixing.one_year_ppm, "private_4x_lpr"


def legal_cap(*, country: str, licence: str, contract_on: date, annual_cost_ppm: int,
              fixings: Sequence[LprFixing]) -> CapDecision:
    cap_ppm, basis = cap_for(country=country, licence=licence, contract_on=contract_on, fixings=fixings)
    if cap_ppm is None:
        return CapDecision(None, CapFlag.OK, PPM, basis)
    if annual_cost_ppm > ILLEGAL_ABOVE_PPM:
        flag = CapFlag.ILLEGAL
    elif annual_cost_ppm > cap_ppm:
        flag = CapFlag.OVER_CAP
    else:
        flag = CapFlag.OK
    factor = PPM if annual_cost_ppm <= cap_ppm else cap_ppm * PPM // annual_cost_ppm
    return CapDecision(cap_ppm, flag, factor, basis)


def principal_factor_ppm(*, country: str, disbursed_cents: int, scheduled_principal_cents: int) -> int:
    """CN: principal is what was paid out; a schedule asking back more (砍头息) is cut pro rata."""
    if country != "CN" or scheduled_principal_cents <= disbursed_cents or scheduled_principal_cents <= 0:
        return PPM
    return disbursed_cents * PPM // scheduled_principal_cents
