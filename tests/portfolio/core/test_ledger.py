"""doorstep.portfolio.core.ledger: allocation, DPD, buckets, overdue and collectible amounts (cents)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstep.portfolio.core.buckets import BucketScheme
from doorstep.portfolio.core.ledger import (
    PPM,
    InstallmentStatus,
    Paid,
    Terms,
    allocation_sequence,
    position_on,
    validate_order,
)

PAID = InstallmentStatus.PAID
OVERDUE = InstallmentStatus.OVERDUE
PARTLY_PAID = InstallmentStatus.PARTLY_PAID
UPCOMING = InstallmentStatus.UPCOMING

# 400.00 principal, 18.00 interest, 5.00 fee: 423.00 per month.
MONTHLY = (
    Terms(1, date(2026, 2, 1), 40_000, 1_800, 500),
    Terms(2, date(2026, 3, 1), 40_000, 1_800, 500),
    Terms(3, date(2026, 4, 1), 40_000, 1_800, 500),
)


def test_partial_payment_goes_to_fee_then_interest_then_principal() -> None:
    position = position_on(as_of=date(2026, 2, 10), installments=MONTHLY[:1],
                           payments=[Paid(date(2026, 2, 5), 1_000)])
    first = position.installments[0]
    assert (first.paid_fee, first.paid_interest, first.paid_principal) == (500, 500, 0)
    assert first.status is OVERDUE
    assert first.unpaid == 41_300
    assert position.dpd == 9
    assert position.bucket == "M1"
    assert position.total_paid == 1_000
    assert position.overdue_amount == 41_300
    assert position.outstanding_principal == 40_000
    assert position.collectible_amount == 41_300


def test_partial_payment_reaching_principal_reduces_outstanding_principal() -> None:
    position = position_on(as_of=date(2026, 2, 10), installments=MONTHLY,
                           payments=[Paid(date(2026, 2, 5), 10_000)])
    assert position.installments[0].paid_principal == 7_700
    assert position.outstanding_principal == 120_000 - 7_700
    assert position.overdue_amount == 42_300 - 10_000
    assert [s.status for s in position.installments] == [OVERDUE, UPCOMING, UPCOMING]


def test_early_payment_settles_the_installment_before_it_is_due() -> None:
    payments = [Paid(date(2026, 1, 20), 42_300)]
    before_due = position_on(as_of=date(2026, 1, 25), installments=MONTHLY, payments=payments)
    assert [s.status for s in before_due.installments] == [PAID, UPCOMING, UPCOMING]
    assert before_due.dpd == 0
    assert before_due.overdue_amount == 0
    after_due = position_on(as_of=date(2026, 2, 20), installments=MONTHLY, payments=payments)
    assert after_due.dpd == 0
    assert after_due.bucket == "M0"
    assert after_due.overdue_amount == 0
    assert after_due.outstanding_principal == 80_000
    assert after_due.collectible_amount == 0


def test_payment_after_the_day_does_not_count() -> None:
    position = position_on(as_of=date(2026, 2, 10), installments=MONTHLY,
                           payments=[Paid(date(2026, 2, 11), 42_300)])
    assert position.total_paid == 0
    assert position.dpd == 9
    assert position.installments[0].paid == 0


def test_payment_on_the_day_counts() -> None:
    position = position_on(as_of=date(2026, 2, 10), installments=MONTHLY,
                           payments=[Paid(date(2026, 2, 10), 42_300)])
    assert position.total_paid == 42_300
    assert position.dpd == 0


def test_part_payment_before_due_date_is_partly_paid_not_overdue() -> None:
    position = position_on(as_of=date(2026, 1, 25), installments=MONTHLY,
                           payments=[Paid(date(2026, 1, 20), 100)])
    assert position.installments[0].status is PARTLY_PAID
    assert position.dpd == 0


def test_over_payment_leaves_a_credit_and_nothing_negative() -> None:
    position = position_on(as_of=date(2026, 5, 1), installments=MONTHLY,
                           payments=[Paid(date(2026, 1, 15), 100_000), Paid(date(2026, 2, 15), 50_000)])
    allocated = sum(state.paid for state in position.installments)
    assert position.total_paid == 150_000
    assert allocated == 3 * 42_300
    assert position.total_paid - allocated == 150_000 - 126_900  # the credit, kept out of every amount
    assert all(state.status is PAID and state.unpaid == 0 for state in position.installments)
    assert position.dpd == 0
    assert position.overdue_amount == 0
    assert position.outstanding_principal == 0
    assert position.collectible_amount == 0


def test_due_today_is_not_overdue() -> None:
    today = position_on(as_of=date(2026, 2, 1), installments=MONTHLY, payments=[])
    assert today.installments[0].status is UPCOMING
    assert (today.dpd, today.bucket, today.overdue_amount, today.collectible_amount) == (0, "M0", 0, 0)
    tomorrow = position_on(as_of=date(2026, 2, 2), installments=MONTHLY, payments=[])
    assert tomorrow.installments[0].status is OVERDUE
    assert (tomorrow.dpd, tomorrow.bucket, tomorrow.overdue_amount) == (1, "M1", 42_300)


def test_leap_day_due_date() -> None:
    leap = [Terms(1, date(2028, 2, 29), 10_000, 0)]
    assert position_on(as_of=date(2028, 2, 29), installments=leap, payments=[]).dpd == 0
    assert position_on(as_of=date(2028, 3, 1), installments=leap, payments=[]).dpd == 1
    assert position_on(as_of=date(2029, 2, 28), installments=leap, payments=[]).dpd == 365


def test_dpd_counts_february_29() -> None:
    assert position_on(as_of=date(2028, 3, 1), installments=[Terms(1, date(2028, 2, 28), 100, 0)],
                       payments=[]).dpd == 2
    assert position_on(as_of=date(2027, 3, 1), installments=[Terms(1, date(2027, 2, 28), 100, 0)],
                       payments=[]).dpd == 1
    january = [Terms(1, date(2028, 1, 31), 100, 0)]
    thirtieth = position_on(as_of=date(2028, 3, 1), installments=january, payments=[])
    assert (thirtieth.dpd, thirtieth.bucket) == (30, "M1")
    thirty_first = position_on(as_of=date(2028, 3, 2), installments=january, payments=[])
    assert (thirty_first.dpd, thirty_first.bucket) == (31, "M2")


def test_several_installments_dpd_from_the_oldest_unpaid() -> None:
    # 423.00 + 200.00 paid: the first is settled, the second partly paid and overdue.
    position = position_on(as_of=date(2026, 3, 15), installments=MONTHLY,
                           payments=[Paid(date(2026, 2, 3), 42_300), Paid(date(2026, 3, 10), 20_000)])
    assert [s.status for s in position.installments] == [PAID, OVERDUE, UPCOMING]
    assert position.dpd == 14
    assert position.overdue_amount == 2 * 42_300 - 62_300
    assert position.installments[1].paid_principal == 20_000 - 2_300
    assert position.outstanding_principal == 120_000 - 40_000 - 17_700


def test_several_unpaid_installments_dpd_from_the_first() -> None:
    position = position_on(as_of=date(2026, 4, 2), installments=MONTHLY, payments=[])
    assert [s.status for s in position.installments] == [OVERDUE, OVERDUE, OVERDUE]
    assert position.dpd == 60
    assert position.bucket == "M2"
    assert position.overdue_amount == 3 * 42_300


def test_oldest_installment_first_by_due_date_then_number() -> None:
    installments = [Terms(3, date(2026, 3, 1), 1_000, 0), Terms(2, date(2026, 2, 1), 1_000, 0),
                    Terms(1, date(2026, 2, 1), 1_000, 0)]
    assert [t.seq for t in allocation_sequence(installments)] == [1, 2, 3]
    position = position_on(as_of=date(2026, 3, 5), installments=installments,
                           payments=[Paid(date(2026, 2, 1), 1_500)])
    assert [s.seq for s in position.installments] == [1, 2, 3]
    assert [s.paid for s in position.installments] == [1_000, 500, 0]
    assert position.dpd == 32  # installment 2, due 1 Feb, is the oldest unpaid


def test_schedule_out_of_sequence_number_order_is_allocated_by_due_date() -> None:
    # Number 1 falls due after number 2: money goes to number 2 first.
    installments = [Terms(1, date(2026, 3, 1), 1_000, 0), Terms(2, date(2026, 2, 1), 1_000, 0)]
    position = position_on(as_of=date(2026, 3, 2), installments=installments,
                           payments=[Paid(date(2026, 2, 1), 1_000)])
    assert [(s.seq, s.status) for s in position.installments] == [(1, OVERDUE), (2, PAID)]
    assert position.dpd == 1


def test_principal_first_changes_outstanding_principal_but_not_dpd() -> None:
    payments = [Paid(date(2026, 2, 5), 5_000)]
    default = position_on(as_of=date(2026, 2, 10), installments=MONTHLY, payments=payments)
    principal_first = position_on(as_of=date(2026, 2, 10), installments=MONTHLY, payments=payments,
                                  order=("principal", "interest", "fee"))
    assert default.installments[0].paid_principal == 2_700
    assert principal_first.installments[0].paid_principal == 5_000
    assert (principal_first.installments[0].paid_interest, principal_first.installments[0].paid_fee) == (0, 0)
    assert default.outstanding_principal == 120_000 - 2_700
    assert principal_first.outstanding_principal == 120_000 - 5_000
    assert default.dpd == principal_first.dpd == 9
    assert default.overdue_amount == principal_first.overdue_amount == 42_300 - 5_000


def test_interest_first_then_principal_then_fee() -> None:
    position = position_on(as_of=date(2026, 2, 10), installments=MONTHLY, payments=[Paid(date(2026, 2, 5), 42_000)],
                           order=("interest", "principal", "fee"))
    first = position.installments[0]
    assert (first.paid_interest, first.paid_principal, first.paid_fee) == (1_800, 40_000, 200)


@pytest.mark.parametrize("order", [("fee", "interest"), ("fee", "fee", "principal"),
                                   ("fee", "interest", "principal", "fee"), ("fee", "interest", "capital")])
def test_allocation_order_must_name_each_component_once(order: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="allocation order"):
        validate_order(order)
    with pytest.raises(ValueError, match="allocation order"):
        position_on(as_of=date(2026, 2, 1), installments=MONTHLY, payments=[], order=order)


@pytest.mark.parametrize(("dpd", "bucket"), [
    (0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (60, "M2"), (61, "M3"), (90, "M3"), (91, "M4"),
    (120, "M4"), (121, "M5"), (150, "M5"), (151, "M6+"), (10_000, "M6+"),
])
def test_default_bucket_boundaries(dpd: int, bucket: str) -> None:
    assert BucketScheme().bucket_for(dpd) == bucket
    installments = [Terms(1, date(2026, 1, 1), 100, 0)]
    position = position_on(as_of=date(2026, 1, 1) + timedelta(days=dpd), installments=installments, payments=[])
    assert (position.dpd, position.bucket) == (dpd, bucket)


def test_custom_bucket_scheme() -> None:
    scheme = BucketScheme.from_pairs([["early", "1"], ["late", 8], ["default", 90]])
    assert scheme.names == ("M0", "early", "late", "default")
    assert [scheme.bucket_for(d) for d in (0, 1, 7, 8, 89, 90, 400)] == [
        "M0", "early", "early", "late", "late", "default", "default"]
    assert scheme.rank("late") == 2
    installments = [Terms(1, date(2026, 1, 1), 100, 0)]
    assert position_on(as_of=date(2026, 1, 9), installments=installments, payments=[], scheme=scheme).bucket == "late"


@pytest.mark.parametrize("bounds", [(), (("A", 0),), (("A", 2),), (("A", 1), ("B", 1)),
                                    (("A", 1), ("B", 30), ("C", 20))])
def test_bucket_scheme_refuses_bad_bounds(bounds: tuple[tuple[str, int], ...]) -> None:
    with pytest.raises(ValueError, match="bucket bounds"):
        BucketScheme(bounds)


def test_charge_factor_scales_interest_and_fees_of_past_due_installments_only() -> None:
    # Two installments past due: 800.00 principal, 46.00 charges; 80 % of charges collectible.
    position = position_on(as_of=date(2026, 3, 2), installments=MONTHLY, payments=[Paid(date(2026, 2, 2), 10_000)],
                           charge_factor_ppm=800_000)
    assert position.overdue_amount == 84_600 - 10_000
    assert position.collectible_amount == 80_000 + 4_600 * 8 // 10 - 10_000


def test_charge_factor_floors_to_the_cent_in_the_borrowers_favour() -> None:
    installments = [Terms(1, date(2026, 1, 1), 0, 1_001)]
    position = position_on(as_of=date(2026, 1, 2), installments=installments, payments=[], charge_factor_ppm=500_000)
    assert position.collectible_amount == 500  # 500.5 cents floored


def test_principal_factor_cuts_scheduled_principal_above_the_cash_paid_out() -> None:
    # 砍头息: 1000.00 scheduled, 900.00 paid out -> 90 % of scheduled principal is claimable.
    installments = [Terms(1, date(2026, 2, 1), 50_000, 1_000), Terms(2, date(2026, 3, 1), 50_000, 1_000)]
    position = position_on(as_of=date(2026, 3, 2), installments=installments, payments=[],
                           principal_factor_ppm=900_000)
    assert position.overdue_amount == 102_000
    assert position.collectible_amount == 90_000 + 2_000
    assert position.outstanding_principal == 100_000  # the schedule is reported as it stands


def test_collectible_never_negative_when_paid_more_than_claimable() -> None:
    position = position_on(as_of=date(2026, 2, 2), installments=MONTHLY, payments=[Paid(date(2026, 2, 1), 40_000)],
                           charge_factor_ppm=0, principal_factor_ppm=500_000)
    assert position.collectible_amount == 0
    assert position.overdue_amount == 2_300


def test_no_installments() -> None:
    position = position_on(as_of=date(2026, 2, 2), installments=[], payments=[Paid(date(2026, 1, 1), 500)])
    assert (position.dpd, position.overdue_amount, position.outstanding_principal, position.total_paid) == (
        0, 0, 0, 500)
    assert position.installments == ()


# ---- invariants -------------------------------------------------------------------------------

START = date(2027, 12, 1)
days = st.integers(min_value=0, max_value=240).map(lambda n: START + timedelta(days=n))  # spans 29 Feb 2028


@st.composite
def schedules(draw: st.DrawFn) -> list[Terms]:
    count = draw(st.integers(min_value=0, max_value=7))
    seqs = draw(st.permutations(list(range(1, count + 1))))
    return [Terms(seq, draw(days), draw(st.integers(0, 50_000)), draw(st.integers(0, 5_000)),
                  draw(st.integers(0, 1_000))) for seq in seqs]


payment_lists = st.lists(st.builds(Paid, days, st.integers(min_value=1, max_value=80_000)), max_size=6)
orders = st.permutations(["fee", "interest", "principal"])
factors = st.integers(min_value=0, max_value=PPM)


@settings(max_examples=300, deadline=None)
@given(installments=schedules(), payments=payment_lists, as_of=days, order=orders)
def test_invariants_of_a_position(installments: list[Terms], payments: list[Paid], as_of: date,
                                  order: list[str]) -> None:
    position = position_on(as_of=as_of, installments=installments, payments=payments, order=order)
    counted = sum(p.amount for p in payments if p.paid_on <= as_of)
    allocated = sum(state.paid for state in position.installments)
    scheduled = sum(t.total for t in installments)
    credit = position.total_paid - allocated
    # Money is conserved: what was paid by the day is allocated or kept as a credit, never lost.
    assert position.total_paid == counted
    assert allocated == min(counted, scheduled)
    assert credit >= 0
    assert credit == 0 or all(state.status is PAID for state in position.installments)
    by_seq = {t.seq: t for t in installments}
    for state in position.installments:
        terms = by_seq[state.seq]
        assert 0 <= state.paid_fee <= terms.fee
        assert 0 <= state.paid_interest <= terms.interest
        assert 0 <= state.paid_principal <= terms.principal
        assert (state.status is OVERDUE) == (state.unpaid > 0 and as_of > terms.due_on)
    # Oldest first: a prefix is settled, then at most one installment partly paid, then nothing.
    ordered = [next(s for s in position.installments if s.seq == t.seq) for t in allocation_sequence(installments)]
    first_open = next((i for i, s in enumerate(ordered) if s.unpaid > 0), len(ordered))
    assert all(s.paid == 0 for s in ordered[first_open + 1:])
    overdue = [s for s in position.installments if s.status is OVERDUE]
    assert position.dpd >= 0
    assert (position.dpd == 0) == (not overdue)
    if overdue:
        assert position.dpd == (as_of - min(s.due_on for s in overdue)).days
    assert position.bucket == BucketScheme().bucket_for(position.dpd)
    due_before_day = sum(t.total for t in installments if t.due_on < as_of)
    assert 0 <= position.overdue_amount <= due_before_day
    assert position.overdue_amount == sum(s.unpaid for s in overdue)
    assert 0 <= position.outstanding_principal <= sum(t.principal for t in installments)
    assert position.collectible_amount == position.overdue_amount  # factors are 1e6 by default


@settings(max_examples=200, deadline=None)
@given(installments=schedules(), payments=payment_lists, as_of=days, charge=factors, principal=factors)
def test_collectible_never_exceeds_overdue(installments: list[Terms], payments: list[Paid], as_of: date,
                                           charge: int, principal: int) -> None:
    position = position_on(as_of=as_of, installments=installments, payments=payments,
                           charge_factor_ppm=charge, principal_factor_ppm=principal)
    assert 0 <= position.collectible_amount <= position.overdue_amount


@settings(max_examples=200, deadline=None)
@given(installments=schedules(), payments=payment_lists, extra=st.builds(Paid, days, st.integers(1, 80_000)),
       as_of=days, order=orders)
def test_adding_a_payment_never_makes_things_worse(installments: list[Terms], payments: list[Paid], extra: Paid,
                                                   as_of: date, order: list[str]) -> None:
    before = position_on(as_of=as_of, installments=installments, payments=payments, order=order)
    after = position_on(as_of=as_of, installments=installments, payments=[*payments, extra], order=order)
    assert after.dpd <= before.dpd
    assert after.overdue_amount <= before.overdue_amount
    assert after.collectible_amount <= before.collectible_amount
    assert after.outstanding_principal <= before.outstanding_principal
    if extra.paid_on > as_of:
        assert after == before


@settings(max_examples=100, deadline=None)
@given(installments=schedules(), payments=payment_lists, as_of=days, data=st.data())
def test_input_order_does_not_matter(installments: list[Terms], payments: list[Paid], as_of: date,
                                     data: st.DataObject) -> None:
    shuffled_installments = data.draw(st.permutations(installments))
    shuffled_payments = data.draw(st.permutations(payments))
    assert position_on(as_of=as_of, installments=shuffled_installments, payments=shuffled_payments) == position_on(
        as_of=as_of, installments=installments, payments=payments)


@settings(max_examples=100, deadline=None)
@given(installments=schedules(), payments=payment_lists, as_of=days, order=orders)
def test_allocation_order_never_changes_dpd_or_overdue(installments: list[Terms], payments: list[Paid],
                                                       as_of: date, order: list[str]) -> None:
    default = position_on(as_of=as_of, installments=installments, payments=payments)
    other = position_on(as_of=as_of, installments=installments, payments=payments, order=order)
    assert (other.dpd, other.bucket, other.overdue_amount, other.total_paid) == (
        default.dpd, default.bucket, default.overdue_amount, default.total_paid)
