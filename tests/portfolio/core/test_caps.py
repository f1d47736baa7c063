"""doorstep.portfolio.core.caps: which cap applies (CN-CAP), illegal debt (CN-ILLEGAL-DEBT), 砍头息."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorstep.portfolio.core.caps import (
    LPR_ONE_YEAR,
    PPM,
    CapFlag,
    LprFixing,
    cap_for,
    legal_cap,
    lpr_on,
    principal_factor_ppm,
)


def cn(*, licence: str = "microloan", contract_on: date = date(2026, 1, 1), cost: int):
    return legal_cap(country="CN", licence=licence, contract_on=contract_on, annual_cost_ppm=cost,
                     fixings=LPR_ONE_YEAR)


@pytest.mark.parametrize("licence", ["bank", "consumer_finance", "microloan", ""])
def test_licensed_lenders_are_capped_at_24_percent(licence: str) -> None:
    within = cn(licence=licence, cost=240_000)
    assert (within.cap_ppm, within.flag, within.charge_factor_ppm, within.basis) == (
        240_000, CapFlag.OK, PPM, "licensed_24")
    above = cn(licence=licence, cost=300_000)
    assert (above.cap_ppm, above.flag, above.charge_factor_ppm) == (240_000, CapFlag.OVER_CAP, 800_000)


def test_licence_is_not_affected_by_the_lpr_or_contract_date() -> None:
    assert cn(licence="bank", contract_on=date(2025, 6, 1), cost=200_000).flag is CapFlag.OK


def test_private_lending_before_the_2020_revision_is_capped_at_24_percent() -> None:
    decision = cn(licence="private", contract_on=date(2020, 8, 19), cost=240_000)
    assert (decision.cap_ppm, decision.flag, decision.basis) == (240_000, CapFlag.OK, "private_before_2020_24")
    assert cn(licence="private", contract_on=date(2019, 1, 1), cost=250_000).flag is CapFlag.OVER_CAP


def test_private_lending_from_the_2020_revision_is_capped_at_four_times_the_lpr() -> None:
    # On 2020-08-20 the one-year LPR in force was 3.85 % (fixed 2020-04-20): cap 15.4 %.
    decision = cn(licence="private", contract_on=date(2020, 8, 20), cost=200_000)
    assert (decision.cap_ppm, decision.flag, decision.basis) == (154_000, CapFlag.OVER_CAP, "private_4x_lpr")
    assert decision.charge_factor_ppm == 154_000 * PPM // 200_000 == 770_000
    assert cn(licence="private", contract_on=date(2020, 8, 20), cost=154_000).flag is CapFlag.OK


@pytest.mark.parametrize(("contract_on", "cap"), [
    (date(2021, 12, 19), 4 * 38_500),
    (date(2021, 12, 20), 4 * 38_000),
    (date(2024, 7, 21), 4 * 34_500),
    (date(2024, 7, 22), 4 * 33_500),
    (date(2025, 5, 19), 4 * 31_000),
    (date(2025, 5, 20), 4 * 30_000),
    (date(2030, 1, 1), 4 * 30_000),
])
def test_private_cap_uses_the_fixing_in_force_on_the_contract_date(contract_on: date, cap: int) -> None:
    assert cn(licence="private", contract_on=contract_on, cost=100_000).cap_ppm == cap


def test_private_without_any_fixing_falls_back_to_24_percent() -> None:
    assert cap_for(country="CN", licence="private", contract_on=date(2026, 1, 1), fixings=()) == (
        240_000, "private_no_lpr_24")


def test_lpr_on_picks_the_latest_fixing_on_or_before_the_day_whatever_the_list_order() -> None:
    fixings = [LprFixing(date(2025, 5, 20), 30_000), LprFixing(date(2019, 8, 20), 42_500),
               LprFixing(date(2024, 10, 21), 31_000)]
    assert lpr_on(date(2025, 5, 20), fixings) == LprFixing(date(2025, 5, 20), 30_000)
    assert lpr_on(date(2025, 5, 19), fixings) == LprFixing(date(2024, 10, 21), 31_000)
    assert lpr_on(date(2019, 8, 19), fixings) is None


def test_exactly_36_percent_is_over_cap_but_not_illegal() -> None:
    decision = cn(cost=360_000)
    assert decision.flag is CapFlag.OVER_CAP
    assert decision.charge_factor_ppm == 666_666


@pytest.mark.parametrize(("licence", "contract_on"), [("bank", date(2026, 1, 1)), ("private", date(2025, 6, 1)),
                                                      ("private", date(2019, 6, 1))])
def test_above_36_percent_is_illegal_whatever_the_basis(licence: str, contract_on: date) -> None:
    decision = cn(licence=licence, contract_on=contract_on, cost=360_001)
    assert decision.flag is CapFlag.ILLEGAL
    assert decision.charge_factor_ppm == decision.cap_ppm * PPM // 360_001


@pytest.mark.parametrize("country", ["US", "UK"])
def test_us_and_uk_loans_are_contractual(country: str) -> None:
    decision = legal_cap(country=country, licence="private", contract_on=date(2026, 1, 1),
                         annual_cost_ppm=2_000_000, fixings=LPR_ONE_YEAR)
    assert (decision.cap_ppm, decision.flag, decision.charge_factor_ppm, decision.basis) == (
        None, CapFlag.OK, PPM, "contractual")


@pytest.mark.parametrize(("cost", "factor"), [(350_000, 685_714), (370_000, 648_648), (480_000, 500_000),
                                              (240_001, 999_995)])
def test_charge_factor_is_floored(cost: int, factor: int) -> None:
    assert cn(cost=cost).charge_factor_ppm == factor


@given(cost=st.integers(min_value=0, max_value=5 * PPM), licence=st.sampled_from(["bank", "private", ""]),
       contract_on=st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)))
def test_charge_factor_keeps_charges_within_the_cap(cost: int, licence: str, contract_on: date) -> None:
    decision = cn(licence=licence, contract_on=contract_on, cost=cost)
    assert decision.cap_ppm is not None
    assert 0 < decision.charge_factor_ppm <= PPM
    assert cost * decision.charge_factor_ppm <= decision.cap_ppm * PPM  # never above the cap
    assert (decision.charge_factor_ppm == PPM) == (cost <= decision.cap_ppm)
    assert (decision.flag is CapFlag.ILLEGAL) == (cost > 360_000)


def test_principal_factor_cuts_schedule_above_cash_paid_out() -> None:
    assert principal_factor_ppm(country="CN", disbursed_cents=90_000, scheduled_principal_cents=100_000) == 900_000
    assert principal_factor_ppm(country="CN", disbursed_cents=2, scheduled_principal_cents=3) == 666_666


@pytest.mark.parametrize(("country", "disbursed", "scheduled"), [
    ("CN", 100_000, 100_000), ("CN", 100_000, 90_000), ("CN", 100_000, 0), ("US", 90_000, 100_000),
    ("UK", 90_000, 100_000),
])
def test_principal_factor_is_whole_otherwise(country: str, disbursed: int, scheduled: int) -> None:
    assert principal_factor_ppm(country=country, disbursed_cents=disbursed, scheduled_principal_cents=scheduled) == PPM
