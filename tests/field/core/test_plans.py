"""Repayment plans: exact schedules, calendar-true due dates, and the check against stated finances."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from doorstep.field.core.plans import (
    MAX_INSTALLMENTS,
    Affordability,
    Interval,
    PlanAssessment,
    ProblemCode,
    ScheduledPayment,
    installment_schedule,
    largest_affordable_installment,
    monthly_equivalent,
    plan_assessment,
    smallest_affordable_count,
)

TODAY = date(2026, 12, 1)
D = Decimal


def installments(schedule: tuple[ScheduledPayment, ...]) -> list[Decimal]:
    return [payment.amount for payment in schedule if payment.seq > 0]


def dates(schedule: tuple[ScheduledPayment, ...]) -> list[date]:
    return [payment.due_on for payment in schedule]


# installment_schedule: examples


def test_odd_cents_go_to_the_first_installments() -> None:
    schedule = installment_schedule(total=D("1000.00"), count=3, first_due_on=date(2026, 12, 15),
                                    interval=Interval.MONTHLY)
    assert schedule == (ScheduledPayment(1, date(2026, 12, 15), D("333.34")),
                        ScheduledPayment(2, date(2027, 1, 15), D("333.33")),
                        ScheduledPayment(3, date(2027, 2, 15), D("333.33")))


def test_two_odd_cents_go_to_the_first_two() -> None:
    schedule = installment_schedule(total=D("100.02"), count=4, first_due_on=TODAY, interval=Interval.WEEKLY)
    assert installments(schedule) == [D("25.01"), D("25.01"), D("25.00"), D("25.00")]


def test_a_down_payment_is_seq_zero_and_the_rest_is_split() -> None:
    schedule = installment_schedule(total=D("1000"), count=4, first_due_on=date(2027, 1, 1),
                                    interval=Interval.MONTHLY, down_payment=D("100"), down_payment_on=TODAY)
    assert schedule[0] == ScheduledPayment(0, TODAY, D("100.00"))
    assert installments(schedule) == [D("225.00")] * 4
    assert [payment.seq for payment in schedule] == [0, 1, 2, 3, 4]


def test_a_zero_down_payment_adds_no_seq_zero_even_with_a_date() -> None:
    schedule = installment_schedule(total=D("10"), count=2, first_due_on=TODAY, interval=Interval.MONTHLY,
                                    down_payment=D("0.00"), down_payment_on=TODAY)
    assert [payment.seq for payment in schedule] == [1, 2]


def test_amounts_always_carry_two_places() -> None:
    schedule = installment_schedule(total=D("10"), count=2, first_due_on=TODAY, interval=Interval.MONTHLY)
    assert [str(amount) for amount in installments(schedule)] == ["5.00", "5.00"]


def test_one_cent_per_installment_is_the_smallest_plan() -> None:
    schedule = installment_schedule(total=D("0.60"), count=60, first_due_on=TODAY, interval=Interval.WEEKLY)
    assert installments(schedule) == [D("0.01")] * 60


def test_monthly_dates_clamp_to_the_end_of_the_month_and_return() -> None:
    schedule = installment_schedule(total=D("400"), count=4, first_due_on=date(2027, 1, 31),
                                    interval=Interval.MONTHLY)
    assert dates(schedule) == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_monthly_dates_take_the_leap_day() -> None:
    schedule = installment_schedule(total=D("300"), count=3, first_due_on=date(2028, 1, 30),
                                    interval=Interval.MONTHLY)
    assert dates(schedule) == [date(2028, 1, 30), date(2028, 2, 29), date(2028, 3, 30)]


def test_monthly_dates_cross_the_year() -> None:
    schedule = installment_schedule(total=D("300"), count=3, first_due_on=date(2026, 11, 30),
                                    interval=Interval.MONTHLY)
    assert dates(schedule) == [date(2026, 11, 30), date(2026, 12, 30), date(2027, 1, 30)]


def test_biweekly_and_weekly_dates_step_by_fourteen_and_seven_days() -> None:
    biweekly = installment_schedule(total=D("300"), count=3, first_due_on=TODAY, interval=Interval.BIWEEKLY)
    assert dates(biweekly) == [TODAY, date(2026, 12, 15), date(2026, 12, 29)]
    weekly = installment_schedule(total=D("300"), count=3, first_due_on=TODAY, interval=Interval.WEEKLY)
    assert dates(weekly) == [TODAY, date(2026, 12, 8), date(2026, 12, 15)]


def test_the_interval_may_be_given_as_its_stored_text() -> None:
    schedule = installment_schedule(total=D("300"), count=2, first_due_on=TODAY,
                                    interval="weekly")  # type: ignore[arg-type]
    assert dates(schedule) == [TODAY, date(2026, 12, 8)]


# installment_schedule: errors


def schedule_with(**changes: object) -> tuple[ScheduledPayment, ...]:
    arguments: dict[str, object] = {"total": D("1000"), "count": 4, "first_due_on": date(2027, 1, 1),
                                    "interval": Interval.MONTHLY}
    arguments.update(changes)
    return installment_schedule(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "message"), [
    ({"total": D("0")}, "total must be above 0"),
    ({"total": D("-5")}, "total must be above 0"),
    ({"total": D("100.005")}, "total has more than two decimal places"),
    ({"total": D("NaN")}, "total must be a finite amount"),
    ({"total": D("Infinity")}, "total must be a finite amount"),
    ({"count": 0}, "between 1 and 60"),
    ({"count": 61}, "between 1 and 60"),
    ({"down_payment": D("-1"), "down_payment_on": TODAY}, "down payment cannot be negative"),
    ({"down_payment": D("1000"), "down_payment_on": TODAY}, "must be less than the total"),
    ({"down_payment": D("1200"), "down_payment_on": TODAY}, "must be less than the total"),
    ({"down_payment": D("1.001"), "down_payment_on": TODAY}, "down payment has more than two decimal places"),
    ({"down_payment": D("100")}, "needs the date it falls due"),
    ({"down_payment": D("100"), "down_payment_on": date(2027, 1, 1)}, "before the first installment"),
    ({"total": D("0.03"), "count": 4}, "below 0.01 each; use at most 3 installments"),
    ({"total": D("1000"), "down_payment": D("999.99"), "down_payment_on": TODAY, "count": 2}, "below 0.01"),
    ({"first_due_on": date(9999, 11, 30)}, "runs past the last date"),
])
def test_a_schedule_refuses_bad_input_with_a_specific_message(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule_with(**changes)


@pytest.mark.parametrize(("changes", "message"), [
    ({"total": 1000.0}, "total must be a Decimal"),
    ({"count": 2.0}, "whole number"),
    ({"count": True}, "whole number"),
])
def test_a_schedule_refuses_floats_and_booleans(changes: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        schedule_with(**changes)


def test_three_zeros_after_the_point_are_still_whole_cents() -> None:
    assert installments(schedule_with(total=D("1000.000"), count=1)) == [D("1000.00")]


# installment_schedule: properties

CENTS = st.integers(min_value=1, max_value=10_000_000_00)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def plans(draw: st.DrawFn) -> dict[str, object]:
    total_cents = draw(CENTS.filter(lambda cents: cents >= 1))
    down_cents = draw(st.one_of(st.just(0), st.integers(min_value=0, max_value=total_cents - 1)))
    rest = total_cents - down_cents
    count = draw(st.integers(min_value=1, max_value=min(MAX_INSTALLMENTS, rest)))
    first_due_on = draw(DAYS)
    return {"total": D(total_cents) / 100, "count": count, "first_due_on": first_due_on,
            "interval": draw(st.sampled_from(Interval)), "down_payment": D(down_cents) / 100,
            "down_payment_on": first_due_on - timedelta(days=draw(st.integers(min_value=1, max_value=60)))}


@given(plans())
def test_a_schedule_sums_exactly_to_the_total(plan: dict[str, object]) -> None:
    schedule = installment_schedule(**plan)  # type: ignore[arg-type]
    assert sum(payment.amount for payment in schedule) == plan["total"]
    assert all(payment.amount == payment.amount.quantize(D("0.01")) for payment in schedule)
    assert all(payment.amount >= D("0.01") for payment in schedule)


@given(plans())
def test_installments_differ_by_at_most_a_cent_the_larger_first(plan: dict[str, object]) -> None:
    amounts = installments(installment_schedule(**plan))  # type: ignore[arg-type]
    assert len(amounts) == plan["count"]
    assert max(amounts) - min(amounts) <= D("0.01")
    assert amounts == sorted(amounts, reverse=True)


@given(plans())
def test_due_dates_strictly_increase_and_seqs_count_up(plan: dict[str, object]) -> None:
    schedule = installment_schedule(**plan)  # type: ignore[arg-type]
    assert all(earlier < later for earlier, later in zip(dates(schedule), dates(schedule)[1:], strict=False))
    first_seq = 0 if plan["down_payment"] else 1
    assert [payment.seq for payment in schedule] == list(range(first_seq, first_seq + len(schedule)))
    assert next(payment for payment in schedule if payment.seq > 0).due_on == plan["first_due_on"]


@given(DAYS, st.integers(min_value=1, max_value=MAX_INSTALLMENTS))
def test_monthly_due_dates_keep_the_day_clamped_to_the_month_end(first_due_on: date, count: int) -> None:
    schedule = installment_schedule(total=D("1000.00"), count=count, first_due_on=first_due_on,
                                    interval=Interval.MONTHLY)
    for number, payment in enumerate(schedule):
        months = first_due_on.year * 12 + first_due_on.month - 1 + number
        year, month = divmod(months, 12)
        assert (payment.due_on.year, payment.due_on.month) == (year, month + 1)
        assert payment.due_on.day == min(first_due_on.day, calendar.monthrange(year, month + 1)[1])


@given(DAYS, st.integers(min_value=1, max_value=MAX_INSTALLMENTS), st.sampled_from([Interval.BIWEEKLY,
                                                                                    Interval.WEEKLY]))
def test_biweekly_and_weekly_dates_are_evenly_spaced(first_due_on: date, count: int, interval: Interval) -> None:
    step = 14 if interval is Interval.BIWEEKLY else 7
    schedule = installment_schedule(total=D("1000.00"), count=count, first_due_on=first_due_on, interval=interval)
    assert dates(schedule) == [first_due_on + timedelta(days=step * number) for number in range(count)]


# monthly_equivalent


@pytest.mark.parametrize(("amount", "interval", "expected"), [
    (D("100.00"), Interval.MONTHLY, D("100.00")),
    (D("100.00"), Interval.BIWEEKLY, D("216.67")),
    (D("100.00"), Interval.WEEKLY, D("433.33")),
    (D("0.15"), Interval.BIWEEKLY, D("0.33")),  # 0.325 exactly: half up, not half even
    (D("120.00"), Interval.WEEKLY, D("520.00")),
])
def test_monthly_equivalent_uses_52_weeks_and_26_fortnights_a_year(amount: Decimal, interval: Interval,
                                                                   expected: Decimal) -> None:
    assert monthly_equivalent(amount, interval) == expected


# Affordability


def test_the_surplus_is_income_less_expenses_and_may_be_negative() -> None:
    assert Affordability(monthly_income=D("6000"), monthly_expenses=D("4500.50")).surplus == D("1499.50")
    assert Affordability(monthly_income=D("3000"), monthly_expenses=D("3500")).surplus == D("-500")


@pytest.mark.parametrize(("income", "expenses", "message"), [
    (D("-1"), D("0"), "monthly income cannot be negative"),
    (D("0"), D("-0.01"), "monthly expenses cannot be negative"),
    (D("100.001"), D("0"), "more than two decimal places"),
])
def test_affordability_refuses_negative_or_fractional_cents(income: Decimal, expenses: Decimal,
                                                            message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Affordability(monthly_income=income, monthly_expenses=expenses)


def test_affordability_refuses_floats() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Affordability(monthly_income=5000.0, monthly_expenses=D("0"))  # type: ignore[arg-type]


# plan_assessment

FINANCES = Affordability(monthly_income=D("6000"), monthly_expenses=D("5000"))  # surplus 1000, fits 700


def assess(total: str, count: int, interval: Interval = Interval.MONTHLY,
           affordability: Affordability | None = FINANCES, **options: Decimal) -> PlanAssessment:
    schedule = installment_schedule(total=D(total), count=count, first_due_on=TODAY, interval=interval)
    return plan_assessment(schedule, interval, affordability, **options)


def test_a_plan_within_the_share_of_the_surplus_is_affordable() -> None:
    assessment = assess("3000", 5)
    assert assessment == PlanAssessment(monthly_burden=D("600.00"), surplus=D("1000"), share=D("0.6000"),
                                        affordable=True, problems=())


def test_exactly_the_share_of_the_surplus_is_affordable() -> None:
    assert assess("3500", 5).affordable
    assert not assess("3500.05", 5).affordable


def test_the_largest_installment_sets_the_burden() -> None:
    assessment = assess("1000.01", 3, affordability=Affordability(monthly_income=D("476.19"),
                                                                  monthly_expenses=D("0")))
    assert assessment.monthly_burden == D("333.34")
    assert assessment.share == D("0.7000")
    assert not assessment.affordable  # 333.34 > 476.19 × 0.7 = 333.333


def test_a_weekly_plan_is_weighed_by_its_monthly_equivalent() -> None:
    assessment = assess("1600", 10, Interval.WEEKLY)  # 160 a week, 693.33 a month
    assert assessment.monthly_burden == D("693.33")
    assert assessment.affordable
    assert not assess("1700", 10, Interval.WEEKLY).affordable  # 170 a week, 736.67 a month


def test_a_plan_above_the_share_names_the_largest_affordable_installment() -> None:
    assessment = assess("4000", 4, Interval.BIWEEKLY)  # 1000 a fortnight, 2166.67 a month
    assert assessment.affordable is False
    assert assessment.share == D("2.1667")
    [problem] = assessment.problems
    assert problem.code is ProblemCode.ABOVE_AFFORDABILITY
    # 323.07 a fortnight is 699.99 a month; 323.08 would be 700.01.
    assert "the largest affordable fortnightly installment is 323.07" in problem.text_en
    assert "70%" in problem.text_en and "2166.67" in problem.text_en
    assert "每两周最高还款额为 323.07" in problem.text_zh


def test_the_share_limit_can_be_changed() -> None:
    assert not assess("3000", 5, max_share=D("0.5")).affordable
    assessment = assess("3000", 5, max_share=D("0.55"))
    assert "55%" in assessment.problems[0].text_en
    assert assess("3000", 5, max_share=D("1")).affordable


@pytest.mark.parametrize("max_share", [D("0"), D("-0.1"), D("1.01"), D("NaN")])
def test_the_share_limit_must_be_above_zero_and_at_most_one(max_share: Decimal) -> None:
    with pytest.raises(ValueError, match="maximum share"):
        assess("3000", 5, max_share=max_share)


def test_unknown_finances_are_not_affordable_and_ask_for_them() -> None:
    assessment = assess("3000", 5, affordability=None)
    assert (assessment.monthly_burden, assessment.surplus, assessment.share, assessment.affordable) == (
        D("600.00"), None, None, False)
    assert [problem.code for problem in assessment.problems] == [ProblemCode.NO_FINANCES]
    assert "未记录" in assessment.problems[0].text_zh


@pytest.mark.parametrize("expenses", ["6000", "7500.25"])
def test_no_surplus_points_to_the_hardship_route(expenses: str) -> None:
    finances = Affordability(monthly_income=D("6000"), monthly_expenses=D(expenses))
    assessment = assess("100", 10, affordability=finances)
    assert assessment.surplus == D("6000") - D(expenses)
    assert assessment.share is None and not assessment.affordable
    [problem] = assessment.problems
    assert problem.code == "no_surplus"
    assert "hardship" in problem.text_en and "困难" in problem.text_zh


def test_the_down_payment_does_not_count_towards_the_monthly_burden() -> None:
    schedule = installment_schedule(total=D("5000"), count=10, first_due_on=date(2027, 1, 1),
                                    interval=Interval.MONTHLY, down_payment=D("2000"), down_payment_on=TODAY)
    assert plan_assessment(schedule, Interval.MONTHLY, FINANCES).monthly_burden == D("300.00")


def test_a_schedule_without_installments_cannot_be_assessed() -> None:
    with pytest.raises(ValueError, match="no installments"):
        plan_assessment((ScheduledPayment(0, TODAY, D("100")),), Interval.MONTHLY, FINANCES)


# largest_affordable_installment and smallest_affordable_count


def test_largest_affordable_installment_per_interval() -> None:
    assert largest_affordable_installment(affordability=FINANCES, interval=Interval.MONTHLY) == D("700.00")
    # 161.54 a week would be 700.01 a month.
    assert largest_affordable_installment(affordability=FINANCES, interval=Interval.WEEKLY) == D("161.53")
    no_surplus = Affordability(monthly_income=D("100"), monthly_expenses=D("100"))
    assert largest_affordable_installment(affordability=no_surplus, interval=Interval.MONTHLY) is None


def test_smallest_affordable_count_examples() -> None:
    assert smallest_affordable_count(total=D("3000"), interval=Interval.MONTHLY, affordability=FINANCES) == 5
    assert smallest_affordable_count(total=D("3000"), interval=Interval.MONTHLY, affordability=FINANCES,
                                     down_payment=D("900")) == 3
    assert smallest_affordable_count(total=D("500"), interval=Interval.MONTHLY, affordability=FINANCES) == 1
    assert smallest_affordable_count(total=D("100000"), interval=Interval.MONTHLY, affordability=FINANCES) is None
    assert smallest_affordable_count(total=D("3000"), interval=Interval.MONTHLY, affordability=FINANCES,
                                     max_count=4) is None
    assert smallest_affordable_count(total=D("3000"), interval=Interval.MONTHLY, affordability=None) is None


def test_smallest_affordable_count_validates_like_the_schedule() -> None:
    with pytest.raises(ValueError, match="must be less than the total"):
        smallest_affordable_count(total=D("100"), interval=Interval.MONTHLY, affordability=FINANCES,
                                  down_payment=D("100"))
    with pytest.raises(ValueError, match="between 1 and 60"):
        smallest_affordable_count(total=D("100"), interval=Interval.MONTHLY, affordability=FINANCES, max_count=61)


SURPLUS_CENTS = st.integers(min_value=-10_000_00, max_value=50_000_00)
SHARES = st.integers(min_value=1, max_value=100).map(lambda percent: D(percent) / 100)


def finances_with(surplus_cents: int) -> Affordability:
    income = max(0, surplus_cents) + 100_00
    return Affordability(monthly_income=D(income) / 100, monthly_expenses=D(income - surplus_cents) / 100)


@given(SURPLUS_CENTS.filter(lambda cents: cents > 0), st.sampled_from(Interval), SHARES)
def test_the_largest_affordable_installment_sits_on_the_boundary(surplus_cents: int, interval: Interval,
                                                                 max_share: Decimal) -> None:
    finances = finances_with(surplus_cents)
    largest = largest_affordable_installment(affordability=finances, interval=interval, max_share=max_share)
    assert largest is not None
    limit = finances.surplus * max_share
    assert monthly_equivalent(largest, interval) <= limit
    assert monthly_equivalent(largest + D("0.01"), interval) > limit


@given(plans(), st.none() | SURPLUS_CENTS.map(finances_with), SHARES)
def test_the_assessment_is_consistent(plan: dict[str, object], finances: Affordability | None,
                                      max_share: Decimal) -> None:
    schedule = installment_schedule(**plan)  # type: ignore[arg-type]
    interval = plan["interval"]
    assert isinstance(interval, Interval)
    assessment = plan_assessment(schedule, interval, finances, max_share=max_share)
    assert assessment.monthly_burden == monthly_equivalent(max(installments(schedule)), interval)
    assert assessment.affordable == (not assessment.problems)
    assert len(assessment.problems) <= 1
    if finances is None or finances.surplus <= 0:
        assert assessment.share is None and not assessment.affordable
    else:
        assert assessment.share is not None
        assert assessment.affordable == (assessment.monthly_burden <= finances.surplus * max_share)


@given(plans(), SURPLUS_CENTS.map(finances_with), SHARES)
def test_smallest_affordable_count_is_the_first_count_that_passes(plan: dict[str, object],
                                                                  finances: Affordability,
                                                                  max_share: Decimal) -> None:
    interval = plan["interval"]
    assert isinstance(interval, Interval)
    total, down_payment = plan["total"], plan["down_payment"]
    assert isinstance(total, Decimal) and isinstance(down_payment, Decimal)
    count = smallest_affordable_count(total=total, interval=interval, affordability=finances,
                                      down_payment=down_payment, max_share=max_share)

    def affordable_with(number: int) -> bool:
        schedule = installment_schedule(**{**plan, "count": number})  # type: ignore[arg-type]
        return plan_assessment(schedule, interval, finances, max_share=max_share).affordable

    most = min(MAX_INSTALLMENTS, int((total - down_payment) * 100))
    if count is None:
        assert not affordable_with(most)
    else:
        assert affordable_with(count)
        assert count == 1 or not affordable_with(count - 1)


@given(plans())
def test_more_installments_never_raise_the_burden(plan: dict[str, object]) -> None:
    count = plan["count"]
    assert isinstance(count, int)
    rest = int((D(str(plan["total"])) - D(str(plan["down_payment"]))) * 100)
    assume(count < min(rest, MAX_INSTALLMENTS))
    interval = plan["interval"]
    assert isinstance(interval, Interval)
    fewer = plan_assessment(installment_schedule(**plan), interval, None)  # type: ignore[arg-type]
    more = plan_assessment(installment_schedule(**{**plan, "count": count + 1}), interval,  # type: ignore[arg-type]
                           None)
    assert more.monthly_burden <= fewer.monthly_burden
