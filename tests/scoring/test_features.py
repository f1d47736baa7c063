"""Case features from the database, each checked against values worked out by hand, and no look-ahead."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from doorstep.accounts.models import Role
from doorstep.compliance.models import ContactAttempt
from doorstep.scoring.features import FEATURE_NAMES, case_features, case_features_labelled
from tests.factories import BorrowerFactory, CaseFactory, LoanFactory, TeamFactory, UserFactory

from .rows import history, local, pay, promise, schedule, visits

AS_OF = date(2026, 6, 15)
MONTHLY = [date(2026, month, 1) for month in range(2, 8)]  # Feb ... Jul, 118.00 each


@pytest.fixture
def book(db):
    collector = UserFactory(role=Role.COLLECTOR)
    team = TeamFactory(members=[collector])
    borrower = BorrowerFactory(external_id="A")
    loan = LoanFactory(
        borrower=borrower,
        principal=Decimal("600.00"),
        disbursed_on=date(2026, 1, 1),
        annual_rate=Decimal("0.18"),
        annual_cost=Decimal("0.18"),
    )
    schedule(loan, MONTHLY)
    pay(loan, date(2026, 2, 1), "118.00")  # on time
    pay(loan, date(2026, 3, 5), "118.00")  # late
    pay(loan, date(2026, 4, 1), "118.00")  # on time: installments 1-3 paid, 4 (due 1 May) is the oldest unpaid
    history(loan, date(2025, 12, 10), 300, "M6+")  # before the 180 days
    history(loan, date(2026, 3, 10), 120, "M4")  # within 180 days, not 90
    history(loan, date(2026, 4, 20), 80, "M3")  # within 90 days
    history(loan, date(2026, 6, 16), 400, "M6+")  # after as_of: never read
    # A second loan disbursed after as_of does not exist yet on as_of.
    later = LoanFactory(borrower=borrower, principal=Decimal("5000.00"), disbursed_on=date(2026, 6, 20))
    schedule(later, [date(2026, 7, 20)], principal="5000.00", interest="50.00")
    case = CaseFactory(borrower=borrower, opened_on=date(2026, 5, 2))

    promise(case, amount="118.00", made_on=date(2026, 3, 1), due_on=date(2026, 3, 6), by=collector)  # kept
    promise(case, amount="100.00", made_on=date(2026, 5, 1), due_on=date(2026, 5, 10), by=collector)  # broken
    promise(case, amount="50.00", made_on=date(2026, 6, 10), due_on=date(2026, 6, 20), by=collector)  # pending
    promise(case, amount="50.00", made_on=date(2025, 11, 1), due_on=date(2025, 11, 5), by=collector)  # too old
    promise(case, amount="50.00", made_on=date(2026, 6, 16), due_on=date(2026, 6, 20), by=collector)  # future

    for key, (at, channel, status, connected) in enumerate(
        [
            (local(date(2026, 6, 1), 10), "call", "completed", True),
            (local(date(2026, 6, 10), 10), "call", "completed", False),
            (local(date(2026, 6, 12), 10), "call", "blocked", False),  # blocked: never made
            (local(date(2026, 6, 15), 23, 30), "sms", "completed", False),  # the last hour of as_of counts
            (local(date(2026, 5, 16), 23, 30), "call", "completed", True),  # 31 days back
            (local(date(2026, 6, 16), 0, 30), "call", "completed", True),  # after as_of
        ]
    ):
        ContactAttempt.objects.create(
            idempotency_key=f"a{key}",
            case=case,
            borrower=borrower,
            party="debtor",
            channel=channel,
            purpose="collect",
            at=at,
            collector=collector,
            status=status,
            connected=connected,
        )
    visits(
        team,
        [
            (case, date(2026, 3, 1), "not_home"),  # 106 days back
            (case, date(2026, 4, 10), "met"),
            (case, date(2026, 6, 1), "not_home"),
            (case, date(2026, 6, 20), "met"),
        ],
    )  # after as_of (the treatment window)

    # A fresh case with nothing paid or recorded yet.
    fresh_borrower = BorrowerFactory(external_id="B")
    fresh_loan = LoanFactory(
        borrower=fresh_borrower,
        principal=Decimal("1000.00"),
        disbursed_on=date(2026, 5, 1),
        annual_rate=Decimal("0.12"),
        annual_cost=Decimal("0.12"),
    )
    schedule(fresh_loan, [date(2026, 6, 1), date(2026, 7, 1)], principal="500.00", interest="10.00")
    fresh = CaseFactory(borrower=fresh_borrower, opened_on=date(2026, 6, 2))
    pay(fresh_loan, date(2026, 7, 10), "510.00")  # 25 days after as_of: the target

    # Not open on as_of: closed before, opened after.
    CaseFactory(borrower=BorrowerFactory(), status="closed", opened_on=date(2026, 1, 1), closed_on=date(2026, 6, 1))
    CaseFactory(borrower=BorrowerFactory(), opened_on=date(2026, 6, 16))
    return {"case": case, "fresh": fresh, "loan": loan, "later": later, "collector": collector, "team": team}


def row(features, case) -> dict[str, float]:
    index = int(np.flatnonzero(features.case_ids == case.pk)[0])
    return dict(zip(features.matrix.names, features.matrix.values[index].tolist(), strict=True))


EXPECTED = {
    "dpd": 45,  # 15 June - 1 May
    "dpd_max_90d": 80,
    "dpd_max_180d": 120,
    "bucket_rank": 2,  # M2
    "installments_overdue": 2,  # due 1 May and 1 June
    "overdue_amount": 236.0,  # 5 x 118 due, 354 paid
    "collectible_amount": 236.0,  # within the cap: all of it
    "outstanding_principal": 300.0,
    "principal_repaid_share": 0.5,
    "days_since_payment": 75,  # 1 April
    "payments_30d": 0,
    "payments_90d": 1,
    "paid_amount_90d": 118.0,
    "on_time_share_180d": 0.4,  # 1 Feb and 1 Apr of five
    "promises_made_180d": 3,
    "promises_kept_180d": 1,
    "promises_broken_180d": 1,
    "contact_attempts_30d": 3,  # two calls and an SMS; the blocked one was never made
    "connected_calls_30d": 1,
    "visits_90d": 2,
    "visits_met_90d": 1,
    "loans": 1,
    "principal": 600.0,
    "annual_rate": 0.18,
    "loan_age_days": 165,  # 1 January
    "customer_days": 165,
}


def test_every_feature_matches_the_hand_computed_value(book) -> None:
    features = case_features(as_of=AS_OF)
    assert set(EXPECTED) == set(FEATURE_NAMES)
    assert list(features.case_ids) == sorted([book["case"].pk, book["fresh"].pk])
    values = row(features, book["case"])
    for name, expected in EXPECTED.items():
        assert values[name] == pytest.approx(expected, rel=1e-6), name
    index = int(np.flatnonzero(features.case_ids == book["case"].pk)[0])
    assert features.buckets[index] == "M2"
    assert features.expected_cents[index] == 23600
    assert (features.matrix.as_of == np.datetime64(AS_OF)).all()


def test_a_case_without_history_has_zero_counts_and_missing_ratios(book) -> None:
    values = row(case_features(as_of=AS_OF), book["fresh"])
    assert values["dpd"] == 14 and values["bucket_rank"] == 1
    assert values["installments_overdue"] == 1 and values["overdue_amount"] == pytest.approx(510.0)
    assert math.isnan(values["days_since_payment"])
    assert values["on_time_share_180d"] == 0.0  # one installment due, not paid by its date
    assert values["principal_repaid_share"] == 0.0
    assert values["promises_made_180d"] == values["visits_90d"] == values["contact_attempts_30d"] == 0
    assert values["loan_age_days"] == 45 and values["annual_rate"] == pytest.approx(0.12)


def test_nothing_after_as_of_changes_any_feature(book) -> None:
    before = case_features(as_of=AS_OF)
    # A payment the day after keeps the pending promise and would cure arrears; a visit and a call too.
    pay(book["loan"], AS_OF + timedelta(days=1), "400.00")
    pay(book["loan"], AS_OF + timedelta(days=1), "1.00")
    visits(book["team"], [(book["case"], AS_OF + timedelta(days=1), "met")])
    after = case_features(as_of=AS_OF)
    assert np.array_equal(before.case_ids, after.case_ids)
    assert np.array_equal(before.matrix.values, after.matrix.values, equal_nan=True)
    assert np.array_equal(before.expected_cents, after.expected_cents)


def test_the_labels_read_only_the_days_after_as_of(book) -> None:
    labelled = case_features_labelled(as_of=AS_OF)
    by_case = dict(
        zip(
            labelled.features.case_ids.tolist(),
            zip(labelled.target.tolist(), labelled.treatment.tolist(), strict=True),
            strict=True,
        )
    )
    assert by_case[book["case"].pk] == (0, 1)  # no payment after; visited on 20 June, day 5 after
    assert by_case[book["fresh"].pk] == (1, 0)
    assert np.array_equal(labelled.features.matrix.values, case_features(as_of=AS_OF).matrix.values, equal_nan=True)


def test_a_case_first_visited_after_the_treatment_window_is_marked_visited_late(book) -> None:
    visits(
        book["team"],
        [
            (book["fresh"], AS_OF + timedelta(days=15), "met"),  # after the 7 days, within the 30
            (book["case"], AS_OF + timedelta(days=16), "met"),  # visited within the 7 days too: treated
        ],
    )
    labelled = case_features_labelled(as_of=AS_OF)
    by_case = dict(
        zip(
            labelled.features.case_ids.tolist(),
            zip(labelled.treatment.tolist(), labelled.visited_late.tolist(), strict=True),
            strict=True,
        )
    )
    assert by_case[book["fresh"].pk] == (0, 1)
    assert by_case[book["case"].pk] == (1, 0)
    # The windows meet: the visit on 30 June is day 8 after 22 June (late), day 7 after 23 June (treated).
    for as_of, expected in ((date(2026, 6, 22), (0, 1)), (date(2026, 6, 23), (1, 0))):
        later = case_features_labelled(as_of=as_of)
        index = int(np.flatnonzero(later.features.case_ids == book["fresh"].pk)[0])
        assert (later.treatment[index], later.visited_late[index]) == expected, as_of


def _binary_copy(rows: list[tuple[int, ...]], *, nulls: bool = False) -> bytes:
    import struct

    data = b"PGCOPY\n\xff\r\n\0" + struct.pack(">ii", 0, 0)
    for case_id, *values in rows:
        data += struct.pack(">hiq", 1 + len(values), 8, case_id)
        for value in values:
            data += struct.pack(">i", -1) if nulls and math.isnan(value) else struct.pack(">id", 8, value)
    return data + struct.pack(">h", -1)


def test_binary_copy_rows_become_arrays_with_nan_kept() -> None:
    from doorstep.scoring.features import copy_rows_parse

    ids, values = copy_rows_parse(_binary_copy([(7, 1.5, math.nan), (2**40, -0.0, 1e300)]), columns=2)
    assert ids.tolist() == [7, 2**40] and ids.dtype == np.int64
    assert values[0, 0] == 1.5 and math.isnan(values[0, 1]) and values[1, 1] == 1e300
    empty_ids, empty = copy_rows_parse(_binary_copy([]), columns=2)
    assert empty_ids.shape == (0,) and empty.shape == (0, 2)


def test_binary_copy_rows_with_a_null_are_refused() -> None:
    from doorstep.scoring.features import copy_rows_parse

    with pytest.raises(ValueError, match="without NULLs"):
        copy_rows_parse(_binary_copy([(7, 1.5, math.nan), (8, 2.0, 3.0)], nulls=True), columns=2)
