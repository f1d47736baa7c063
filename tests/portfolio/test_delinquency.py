"""The set-based delinquency refresh, history, cases, export and roll rates; held equal to the ledger."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, transaction

from doorstep.common.errors import InvalidInput
from doorstep.common.models import AuditEntry
from doorstep.portfolio.core.caps import LPR_ONE_YEAR, CapFlag, legal_cap, principal_factor_ppm
from doorstep.portfolio.core.jurisdiction import parse_jurisdiction
from doorstep.portfolio.core.ledger import Paid, Terms, position_on
from doorstep.portfolio.delinquency import bucket_scheme, delinquency_refresh, roll_rates
from doorstep.portfolio.models import BucketHistory, Case, Loan, LoanStatus, LprFixing, Payment

pytestmark = pytest.mark.django_db

Load = Callable[..., Any]
D = Decimal


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def rate(ppm: int) -> str:
    return f"{ppm // 1_000_000}.{ppm % 1_000_000:06d}"


def borrower(borrower_id: str = "B1", jurisdiction: str = "CN", timezone: str = "") -> dict[str, str]:
    return {"borrower_id": borrower_id, "name": "张三", "jurisdiction": jurisdiction, "timezone": timezone}


def loan(loan_id: str = "L1", borrower_id: str = "B1", *, principal: str = "1200.00", disbursed_on: str = "2026-01-01",
         annual_rate: str = "0.18", annual_cost: str = "", licence: str = "microloan",
         currency: str = "CNY") -> dict[str, str]:
    return {"loan_id": loan_id, "borrower_id": borrower_id, "currency": currency, "principal": principal,
            "disbursed_on": disbursed_on, "annual_rate": annual_rate, "annual_cost": annual_cost,
            "lender_licence": licence}


def schedule(loan_id: str, *rows: tuple[str, ...]) -> list[dict[str, str]]:
    """(due_on, principal_due, interest_due[, fee_due]) numbered from 1."""
    return [{"loan_id": loan_id, "seq": str(n), "due_on": row[0], "principal_due": row[1], "interest_due": row[2],
             "fee_due": row[3] if len(row) > 3 else ""} for n, row in enumerate(rows, start=1)]


# 1200.00 over three months: 418.00 a month.
MONTHLY = (("2026-02-01", "400.00", "18.00"), ("2026-03-01", "400.00", "18.00"), ("2026-04-01", "400.00", "18.00"))


def pay(payment_id: str, loan_id: str, paid_at: str, amount: str) -> dict[str, str]:
    return {"payment_id": payment_id, "loan_id": loan_id, "paid_at": paid_at, "amount": amount}


@pytest.fixture
def book(load: Load) -> Callable[..., None]:
    def build(*, borrowers: Sequence[dict[str, str]] = (), loans: Sequence[dict[str, str]] = (),
              installments: Sequence[dict[str, str]] = (), payments: Sequence[dict[str, str]] = ()) -> None:
        for kind, rows in (("borrowers", borrowers), ("loans", loans), ("installments", installments),
                           ("payments", payments)):
            if rows:
                load(kind, rows)

    return build


@pytest.fixture
def one_loan(book: Callable[..., None]) -> Callable[..., None]:
    """B1 with L1 (1200.00 CNY, 418.00 due on the 1st of February, March and April 2026)."""

    def build(*payments: dict[str, str], **loan_changes: str) -> None:
        book(borrowers=[borrower()], loans=[loan(**loan_changes)], installments=schedule("L1", *MONTHLY),
             payments=payments)

    return build


def status(loan_id: str = "L1") -> dict[str, Any]:
    row = LoanStatus.objects.get(loan__external_id=loan_id)
    return {"as_of": row.as_of, "dpd": row.dpd, "bucket": row.bucket, "total_paid": row.total_paid,
            "overdue": row.overdue_amount, "outstanding": row.outstanding_principal,
            "collectible": row.collectible_amount, "cap_flag": row.cap_flag}


def history(loan_id: str = "L1") -> list[tuple[Any, ...]]:
    return [(h.as_of, h.dpd, h.bucket, h.overdue_amount, h.outstanding_principal, h.collectible_amount, h.cap_flag)
            for h in BucketHistory.objects.filter(loan__external_id=loan_id).order_by("as_of")]


def case_of(borrower_id: str = "B1") -> dict[str, Any]:
    case = Case.objects.get(borrower__external_id=borrower_id, status=Case.Status.OPEN)
    return {"opened_on": case.opened_on, "as_of": case.as_of, "max_dpd": case.max_dpd, "bucket": case.bucket,
            "overdue": case.overdue_amount, "collectible": case.collectible_amount,
            "outstanding": case.outstanding_principal, "cap_flag": case.cap_flag,
            "blocked": case.is_collection_blocked, "currency": case.currency}


# ---- one loan ---------------------------------------------------------------------------------


def test_partial_payment(one_loan: Callable[..., None]) -> None:
    one_loan(pay("P1", "L1", "2026-02-10T12:00:00+08:00", "100.00"))
    summary = delinquency_refresh(as_of=date(2026, 2, 15))
    assert status() == {"as_of": date(2026, 2, 15), "dpd": 14, "bucket": "M1", "total_paid": D("100.00"),
                        "overdue": D("318.00"), "outstanding": D("1118.00"), "collectible": D("318.00"),
                        "cap_flag": "ok"}
    row = LoanStatus.objects.get()
    assert (row.cap_rate, row.charge_factor, row.principal_factor) == (D("0.24"), 1_000_000, 1_000_000)
    assert history() == [(date(2026, 2, 15), 14, "M1", D("318.00"), D("1118.00"), D("318.00"), "ok")]
    assert case_of() == {"opened_on": date(2026, 2, 15), "as_of": date(2026, 2, 15), "max_dpd": 14, "bucket": "M1",
                         "overdue": D("318.00"), "collectible": D("318.00"), "outstanding": D("1118.00"),
                         "cap_flag": "ok", "blocked": False, "currency": "CNY"}
    assert (summary.loans, summary.overdue_loans, summary.history_rows, summary.cases_opened, summary.open_cases,
            summary.current) == (1, 1, 1, 1, 1, True)


def test_early_payment(one_loan: Callable[..., None]) -> None:
    one_loan(pay("P1", "L1", "2026-01-20T09:00:00+08:00", "418.00"))
    delinquency_refresh(as_of=date(2026, 2, 15))
    assert status() == {"as_of": date(2026, 2, 15), "dpd": 0, "bucket": "M0", "total_paid": D("418.00"),
                        "overdue": D("0.00"), "outstanding": D("800.00"), "collectible": D("0.00"), "cap_flag": "ok"}
    assert history() == [(date(2026, 2, 15), 0, "M0", D("0.00"), D("800.00"), D("0.00"), "ok")]
    assert not Case.objects.exists()


def test_over_payment_leaves_nothing_negative(one_loan: Callable[..., None]) -> None:
    one_loan(pay("P1", "L1", "2026-01-20T09:00:00+08:00", "1300.00"),
             pay("P2", "L1", "2026-02-01T09:00:00+08:00", "100.00"))
    delinquency_refresh(as_of=date(2026, 5, 1))
    assert status() == {"as_of": date(2026, 5, 1), "dpd": 0, "bucket": "M0", "total_paid": D("1400.00"),
                        "overdue": D("0.00"), "outstanding": D("0.00"), "collectible": D("0.00"), "cap_flag": "ok"}
    assert history() == []  # nothing outstanding, nothing overdue: not an active loan
    assert not Case.objects.exists()


def test_due_today_is_not_overdue(one_loan: Callable[..., None]) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 2, 1))
    assert (status()["dpd"], status()["overdue"]) == (0, D("0.00"))
    assert not Case.objects.exists()
    delinquency_refresh(as_of=date(2026, 2, 2))
    assert (status()["dpd"], status()["bucket"], status()["overdue"]) == (1, "M1", D("418.00"))
    assert case_of()["opened_on"] == date(2026, 2, 2)


def test_leap_day(book: Callable[..., None]) -> None:
    book(borrowers=[borrower()],
         loans=[loan("L1", disbursed_on="2028-01-01"), loan("L2", disbursed_on="2028-01-01")],
         installments=[*schedule("L1", ("2028-02-29", "100.00", "1.00")),
                       *schedule("L2", ("2028-01-31", "100.00", "1.00"))])
    expected = {date(2028, 2, 29): ((0, "M0"), (29, "M1")), date(2028, 3, 1): ((1, "M1"), (30, "M1")),
                date(2028, 3, 2): ((2, "M1"), (31, "M2"))}
    for day, (first, second) in expected.items():
        delinquency_refresh(as_of=day)
        assert (status("L1")["dpd"], status("L1")["bucket"]) == first, day
        assert (status("L2")["dpd"], status("L2")["bucket"]) == second, day
    assert [row[:3] for row in history("L1")] == [(date(2028, 2, 29), 0, "M0"), (date(2028, 3, 1), 1, "M1"),
                                                  (date(2028, 3, 2), 2, "M1")]


def test_several_loans_of_a_borrower_make_one_case(book: Callable[..., None]) -> None:
    book(borrowers=[borrower("B1"), borrower("B2")],
         loans=[loan("L1"), loan("L2", principal="500.00", disbursed_on="2026-02-01"),
                loan("L3", "B2", principal="100.00")],
         installments=[*schedule("L1", *MONTHLY), *schedule("L2", ("2026-03-01", "500.00", "10.00")),
                       *schedule("L3", ("2026-03-01", "100.00", "1.00"))],
         payments=[pay("P1", "L2", "2026-03-05T10:00:00+08:00", "60.00"),
                   pay("P2", "L3", "2026-02-27T10:00:00+08:00", "101.00")])
    delinquency_refresh(as_of=date(2026, 3, 10))
    assert (status("L1")["dpd"], status("L1")["overdue"]) == (37, D("836.00"))
    assert (status("L2")["dpd"], status("L2")["overdue"], status("L2")["outstanding"]) == (9, D("450.00"), D("450.00"))
    assert case_of("B1") == {"opened_on": date(2026, 3, 10), "as_of": date(2026, 3, 10), "max_dpd": 37,
                             "bucket": "M2", "overdue": D("1286.00"), "collectible": D("1286.00"),
                             "outstanding": D("1650.00"), "cap_flag": "ok", "blocked": False, "currency": "CNY"}
    assert Case.objects.count() == 1  # B2 is up to date


def test_reimported_payment_is_counted_once(one_loan: Callable[..., None], load: Load) -> None:
    payment = pay("P1", "L1", "2026-02-01T10:00:00+08:00", "418.00")
    one_loan(payment)
    load("payments", [payment])
    delinquency_refresh(as_of=date(2026, 2, 15))
    assert (status()["total_paid"], status()["dpd"], status()["outstanding"]) == (D("418.00"), 0, D("800.00"))


def test_payment_near_midnight_counts_on_the_borrowers_local_day(book: Callable[..., None]) -> None:
    book(borrowers=[borrower("B1"), borrower("B2", "US-MA")],
         loans=[loan("L1"), loan("L2"), loan("L3", "B2", currency="USD")],
         installments=[row for n in ("L1", "L2", "L3") for row in schedule(n, ("2026-01-30", "400.00", "18.00"))],
         payments=[pay("P1", "L1", "2026-01-31T16:30:00Z", "418.00"),  # 00:30 on 1 February in Shanghai
                   pay("P2", "L2", "2026-01-31T15:59:00Z", "418.00"),  # 23:59 on 31 January in Shanghai
                   pay("P3", "L3", "2026-02-01T04:30:00Z", "418.00")])  # 23:30 on 31 January in Boston
    assert dict(Payment.objects.values_list("external_id", "paid_on")) == {
        "P1": date(2026, 2, 1), "P2": date(2026, 1, 31), "P3": date(2026, 1, 31)}
    delinquency_refresh(as_of=date(2026, 1, 31))
    assert (status("L1")["total_paid"], status("L1")["dpd"]) == (D("0.00"), 1)
    assert (status("L2")["total_paid"], status("L2")["dpd"]) == (D("418.00"), 0)
    assert (status("L3")["total_paid"], status("L3")["dpd"]) == (D("418.00"), 0)
    delinquency_refresh(as_of=date(2026, 2, 1))
    assert (status("L1")["total_paid"], status("L1")["dpd"]) == (D("418.00"), 0)


# ---- caps -------------------------------------------------------------------------------------


def test_over_cap_reduces_the_collectible_amount(one_loan: Callable[..., None]) -> None:
    one_loan(annual_cost="0.30")  # licensed: 24 % cap, 80 % of charges collectible
    delinquency_refresh(as_of=date(2026, 3, 10))
    assert status() == {"as_of": date(2026, 3, 10), "dpd": 37, "bucket": "M2", "total_paid": D("0.00"),
                        "overdue": D("836.00"), "outstanding": D("1200.00"), "collectible": D("828.80"),
                        "cap_flag": "over_cap"}
    row = LoanStatus.objects.get()
    assert (row.cap_rate, row.charge_factor) == (D("0.24"), 800_000)
    case = case_of()
    assert (case["cap_flag"], case["blocked"], case["collectible"], case["overdue"]) == (
        "over_cap", False, D("828.80"), D("836.00"))


def test_illegal_debt_blocks_collection(one_loan: Callable[..., None]) -> None:
    one_loan(pay("P1", "L1", "2026-02-20T10:00:00+08:00", "100.00"), annual_cost="0.40")
    delinquency_refresh(as_of=date(2026, 3, 10))
    assert (status()["cap_flag"], status()["collectible"]) == ("illegal", D("800.00") + D("21.60") - D("100.00"))
    assert LoanStatus.objects.get().charge_factor == 600_000
    case = case_of()
    assert (case["cap_flag"], case["blocked"]) == ("illegal", True)
    assert history()[0][-1] == "illegal"


def test_an_illegal_loan_blocks_the_borrowers_case(book: Callable[..., None]) -> None:
    book(borrowers=[borrower()], loans=[loan("L1"), loan("L2", annual_cost="0.37")],
         installments=[*schedule("L1", *MONTHLY), *schedule("L2", ("2026-06-01", "100.00", "1.00"))])
    delinquency_refresh(as_of=date(2026, 2, 10))
    assert (status("L1")["cap_flag"], status("L2")["cap_flag"], status("L2")["dpd"]) == ("ok", "illegal", 0)
    assert (case_of()["cap_flag"], case_of()["blocked"]) == ("illegal", True)


def test_private_lending_cap_is_four_times_the_lpr_at_the_contract_date(book: Callable[..., None]) -> None:
    book(borrowers=[borrower()],
         loans=[loan("L1", disbursed_on="2025-06-01", annual_rate="0.15", licence="private"),  # LPR 3 %: 12 %
                loan("L2", disbursed_on="2020-08-19", annual_cost="0.20", licence="private"),  # before: 24 %
                loan("L3", disbursed_on="2020-08-20", annual_cost="0.20", licence="private")],  # LPR 3.85 %
         installments=[*schedule("L1", ("2025-07-01", "400.00", "18.00")),
                       *schedule("L2", ("2025-07-01", "400.00", "18.00")),
                       *schedule("L3", ("2025-07-01", "400.00", "18.00"))])
    delinquency_refresh(as_of=date(2025, 7, 10))
    rows = {row.loan.external_id: (row.cap_rate, row.cap_flag, row.charge_factor, row.collectible_amount)
            for row in LoanStatus.objects.select_related("loan")}
    assert rows == {"L1": (D("0.12"), "over_cap", 800_000, D("414.40")),
                    "L2": (D("0.24"), "ok", 1_000_000, D("418.00")),
                    "L3": (D("0.154"), "over_cap", 770_000, D("413.86"))}


def test_lpr_fixings_added_in_the_admin_are_used(book: Callable[..., None]) -> None:
    LprFixing.objects.create(effective_on=date(2026, 1, 20), one_year_rate="0.029")
    book(borrowers=[borrower()],
         loans=[loan("L1", disbursed_on="2026-01-20", annual_rate="0.12", licence="private"),
                loan("L2", disbursed_on="2026-01-19", annual_rate="0.12", licence="private")],
         installments=[*schedule("L1", ("2026-02-20", "100.00", "10.00")),
                       *schedule("L2", ("2026-02-20", "100.00", "10.00"))])
    delinquency_refresh(as_of=date(2026, 2, 21))
    assert (status("L1")["cap_flag"], LoanStatus.objects.get(loan__external_id="L1").cap_rate) == (
        "over_cap", D("0.116"))
    assert status("L1")["collectible"] == D("100.00") + D("9.66")
    assert (status("L2")["cap_flag"], LoanStatus.objects.get(loan__external_id="L2").cap_rate) == ("ok", D("0.12"))


def test_principal_above_the_cash_paid_out_is_not_collectible(one_loan: Callable[..., None]) -> None:
    one_loan(principal="1000.00")  # 砍头息: 1200.00 scheduled, 1000.00 paid out
    delinquency_refresh(as_of=date(2026, 3, 10))
    row = LoanStatus.objects.get()
    assert row.principal_factor == 833_333
    assert status()["overdue"] == D("836.00")
    assert status()["collectible"] == D("666.66") + D("36.00")
    assert status()["outstanding"] == D("1200.00")


def test_us_loans_are_not_capped(book: Callable[..., None]) -> None:
    book(borrowers=[borrower("B1", "US-MA")],
         loans=[loan("L1", currency="USD", principal="1000.00", annual_rate="0.45", annual_cost="0.50")],
         installments=schedule("L1", *MONTHLY))
    delinquency_refresh(as_of=date(2026, 3, 10))
    row = LoanStatus.objects.get()
    assert (row.cap_rate, row.cap_flag, row.charge_factor, row.principal_factor) == (None, "ok", 1_000_000, 1_000_000)
    assert status()["collectible"] == status()["overdue"] == D("836.00")
    assert (case_of()["blocked"], case_of()["currency"]) == (False, "USD")


# ---- cases ------------------------------------------------------------------------------------


def test_case_opens_when_overdue_and_closes_when_cured(one_loan: Callable[..., None], load: Load) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 1, 31))
    assert not Case.objects.exists()
    delinquency_refresh(as_of=date(2026, 2, 5))
    first = Case.objects.get()
    assert (first.status, first.opened_on, first.max_dpd) == ("open", date(2026, 2, 5), 4)
    delinquency_refresh(as_of=date(2026, 2, 10))
    first.refresh_from_db()
    assert (first.status, first.opened_on, first.as_of, first.max_dpd) == ("open", date(2026, 2, 5),
                                                                           date(2026, 2, 10), 9)
    load("payments", [pay("P1", "L1", "2026-02-12T10:00:00+08:00", "418.00")])
    summary = delinquency_refresh(as_of=date(2026, 2, 15))
    first.refresh_from_db()
    assert (first.status, first.closed_on, first.as_of) == ("closed", date(2026, 2, 15), date(2026, 2, 15))
    assert (summary.cases_closed, summary.open_cases) == (1, 0)
    summary = delinquency_refresh(as_of=date(2026, 3, 5))
    assert (summary.cases_opened, summary.open_cases) == (1, 1)
    second = Case.objects.get(status="open")
    assert second.pk != first.pk
    assert (second.opened_on, second.max_dpd, second.overdue_amount) == (date(2026, 3, 5), 4, D("418.00"))
    assert Case.objects.filter(borrower__external_id="B1").count() == 2


def test_the_database_refuses_a_second_open_case_for_a_borrower(one_loan: Callable[..., None]) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 2, 10))
    case = Case.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(borrower=case.borrower, opened_on=date(2026, 2, 11), as_of=date(2026, 2, 11),
                            currency="CNY")
    delinquency_refresh(as_of=date(2026, 2, 11))
    assert list(Case.objects.values_list("pk", "status", "max_dpd")) == [(case.pk, "open", 10)]


def test_refresh_command_reports_the_day(one_loan: Callable[..., None]) -> None:
    one_loan()
    out = io.StringIO()
    call_command("delinquency", "refresh", "--as-of", "2026-02-10", stdout=out)
    assert out.getvalue().splitlines()[0] == (
        "as of 2026-02-10: 1 loans, 1 overdue; 1 history rows appended; cases opened 1, closed 0, open 1")
    entry = AuditEntry.objects.filter(action="delinquency.refresh").get()
    assert (entry.subject_id, entry.data["overdue_loans"], entry.data["current"]) == ("2026-02-10", 1, True)


# ---- history ----------------------------------------------------------------------------------


def test_a_day_is_recorded_once_and_never_rewritten(one_loan: Callable[..., None], load: Load) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 2, 15))
    recorded = list(BucketHistory.objects.values())
    assert delinquency_refresh(as_of=date(2026, 2, 15)).history_rows == 0
    assert list(BucketHistory.objects.values()) == recorded
    load("payments", [pay("P1", "L1", "2026-02-15T10:00:00+08:00", "418.00")])
    delinquency_refresh(as_of=date(2026, 2, 15))
    assert (status()["dpd"], status()["total_paid"]) == (0, D("418.00"))  # the current state follows
    assert list(BucketHistory.objects.values()) == recorded  # the day as first recorded stays
    assert recorded[0]["dpd"] == 14


def test_history_rows_cannot_be_updated(one_loan: Callable[..., None]) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 2, 15))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        BucketHistory.objects.filter(loan__external_id="L1").update(dpd=0, bucket="M0")
    assert history()[0][:3] == (date(2026, 2, 15), 14, "M1")


def test_back_filling_an_earlier_day_appends_history_only(one_loan: Callable[..., None]) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 3, 10))
    case_before = case_of()
    summary = delinquency_refresh(as_of=date(2026, 2, 15))
    assert (summary.current, summary.history_rows) == (False, 1)
    assert [row[:3] for row in history()] == [(date(2026, 2, 15), 14, "M1"), (date(2026, 3, 10), 37, "M2")]
    assert (status()["as_of"], status()["dpd"]) == (date(2026, 3, 10), 37)
    assert case_of() == case_before
    assert Case.objects.count() == 1


# ---- export and roll rates --------------------------------------------------------------------


def test_export_columns_and_rows(book: Callable[..., None], tmp_path: Path) -> None:
    book(borrowers=[borrower("B1"), borrower("B2")],
         loans=[loan("L2", "B2"), loan("L1", annual_cost="0.30")],
         installments=[*schedule("L1", *MONTHLY), *schedule("L2", *MONTHLY)],
         payments=[pay("P1", "L2", "2026-02-03T10:00:00+08:00", "500.00")])
    out = io.StringIO()
    target = tmp_path / "delinquency.csv"
    call_command("export", "delinquency", "--as-of", "2026-03-10", "-o", str(target), stdout=out)
    assert out.getvalue().strip() == f"2 loans written to {target}"
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["loan_id", "borrower_id", "dpd", "bucket", "overdue_amount", "outstanding_principal", "collectible_amount",
         "cap_flag"],
        ["L1", "B1", "37", "M2", "836.00", "1200.00", "828.80", "over_cap"],
        ["L2", "B2", "9", "M1", "336.00", "736.00", "336.00", "ok"],
    ]
    assert not LoanStatus.objects.exists()  # an export computes, it does not refresh
    assert not BucketHistory.objects.exists()


def test_roll_rates_between_two_days(book: Callable[..., None]) -> None:
    book(borrowers=[borrower(f"B{n}") for n in range(1, 5)],
         loans=[loan(f"L{n}", f"B{n}") for n in range(1, 5)],
         installments=[row for n in range(1, 5) for row in schedule(f"L{n}", *MONTHLY)],
         payments=[pay("P2", "L2", "2026-02-20T10:00:00+08:00", "1254.00"),  # M1 -> paid off
                   pay("P3", "L3", "2026-01-25T10:00:00+08:00", "418.00"),  # M0 -> M1
                   pay("P4a", "L4", "2026-01-25T10:00:00+08:00", "418.00"),  # M0 -> M0
                   pay("P4b", "L4", "2026-02-25T10:00:00+08:00", "418.00")])
    delinquency_refresh(as_of=date(2026, 2, 15))
    delinquency_refresh(as_of=date(2026, 3, 20))
    rates = roll_rates(from_on=date(2026, 2, 15), to_on=date(2026, 3, 20))
    assert rates.columns == ("M0", "M1", "M2", "M3", "M4", "M5", "M6+", "closed")
    moved = {(source, target): count for source, row in rates.counts.items() for target, count in row.items() if count}
    assert moved == {("M1", "M2"): 1, ("M1", "closed"): 1, ("M0", "M1"): 1, ("M0", "M0"): 1}
    assert rates.amounts["M1"]["M2"] == rates.amounts["M1"]["closed"] == 41_800
    assert (rates.row_total("M1"), rates.share("M1", "M2"), rates.share("M0", "M1"), rates.share("M3", "M3")) == (
        2, 0.5, 0.5, 0.0)
    out = io.StringIO()
    call_command("delinquency", "rollrate", "--from", "2026-02-15", "--to", "2026-03-20", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "from\\to\tM0\tM1\tM2\tM3\tM4\tM5\tM6+\tclosed\ttotal"
    assert lines[1] == "M0\t50.0%\t50.0%\t0.0%\t0.0%\t0.0%\t0.0%\t0.0%\t0.0%\t2"
    assert lines[2] == "M1\t0.0%\t0.0%\t50.0%\t0.0%\t0.0%\t0.0%\t0.0%\t50.0%\t2"


def test_roll_rates_need_two_recorded_days_in_order(one_loan: Callable[..., None]) -> None:
    one_loan()
    delinquency_refresh(as_of=date(2026, 2, 15))
    with pytest.raises(InvalidInput, match="no delinquency refresh was recorded for 2026-03-20"):
        roll_rates(from_on=date(2026, 2, 15), to_on=date(2026, 3, 20))
    with pytest.raises(InvalidInput, match="no delinquency refresh was recorded for 2026-02-14"):
        roll_rates(from_on=date(2026, 2, 14), to_on=date(2026, 2, 15))
    with pytest.raises(InvalidInput, match="the second date must be after the first"):
        roll_rates(from_on=date(2026, 2, 15), to_on=date(2026, 2, 15))
    with pytest.raises(CommandError, match="no delinquency refresh was recorded for 2026-03-20"):
        call_command("delinquency", "rollrate", "--from", "2026-02-15", "--to", "2026-03-20")


# ---- the SQL equals the ledger ----------------------------------------------------------------

ZONES = ("", "", "", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata")
OFFSETS = ("+08:00", "Z", "-05:00", "+05:30", "+14:00", "-11:00")


def random_book(rng: random.Random) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {"borrowers": [], "loans": [], "installments": [], "payments": []}
    for b in range(rng.randint(3, 5)):
        jurisdiction = rng.choice(["CN", "CN", "CN", "US-MA", "US-CA", "UK-ENG"])
        borrower_id = f"R{b}"
        rows["borrowers"].append(borrower(borrower_id, jurisdiction, rng.choice(ZONES)))
        currency = {"CN": "CNY", "US": "USD", "UK": "GBP"}[jurisdiction[:2]]
        for n in range(rng.randint(1, 3)):
            loan_id = f"{borrower_id}-L{n}"
            disbursed = date(2019, 6, 1) + timedelta(days=rng.randint(0, 2600))
            dues = [disbursed + timedelta(days=rng.choice([0, 29, 31, 59, 60, 90, 91, 120, 151, rng.randint(0, 400)]))
                    for _ in range(rng.randint(0, 6))]
            scheduled = 0
            for seq, due in enumerate(dues, start=1):
                principal_due = rng.choice([0, rng.randint(1, 100_000), rng.randint(1, 100_000)])
                scheduled += principal_due
                rows["installments"].append({
                    "loan_id": loan_id, "seq": str(seq), "due_on": due.isoformat(),
                    "principal_due": money(principal_due),
                    "interest_due": money(rng.randint(0, 5_000)),
                    "fee_due": rng.choice(["", money(0), money(rng.randint(1, 999))])})
            principal = max(1, rng.choice([scheduled, scheduled, scheduled * 9 // 10, scheduled + 5_000]))
            annual_rate = rng.choice([0, 50_000, 150_000, 180_000, 240_000, 300_000, 360_000])
            annual_cost = annual_rate + rng.choice([0, 0, 10_000, 60_000, 123_457])
            rows["loans"].append(loan(loan_id, borrower_id, principal=money(principal),
                                      disbursed_on=disbursed.isoformat(), annual_rate=rate(annual_rate),
                                      annual_cost=rng.choice([rate(annual_cost), rate(annual_cost), ""])
                                      if annual_cost == annual_rate else rate(annual_cost),
                                      licence=rng.choice(["", "bank", "consumer_finance", "microloan", "private",
                                                          "private"]), currency=currency))
            for p in range(rng.randint(0, 5)):
                # From noon UTC the day after disbursement: on or after the disbursement day in every zone.
                moment = (datetime.combine(disbursed + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
                          + timedelta(hours=12, seconds=rng.randint(0, 450 * 86_400)))
                offset = rng.choice(OFFSETS)
                zone = UTC if offset == "Z" else datetime.strptime(offset, "%z").tzinfo
                stamp = moment.astimezone(zone).isoformat().replace("+00:00", "Z")
                rows["payments"].append(pay(f"{loan_id}-P{p}", loan_id, stamp,
                                            money(rng.choice([rng.randint(1, 50_000), rng.randint(1, 300_000)]))))
    return rows


def ledger_positions(rows: dict[str, list[dict[str, str]]], as_of: date,
                     order: Sequence[str]) -> dict[str, dict[str, Any]]:
    borrowers = {b["borrower_id"]: b for b in rows["borrowers"]}
    expected = {}
    for loan_row in rows["loans"]:
        owner = borrowers[loan_row["borrower_id"]]
        jurisdiction = parse_jurisdiction(owner["jurisdiction"])
        zone = ZoneInfo(owner["timezone"] or jurisdiction.default_timezone)
        terms = [Terms(int(i["seq"]), date.fromisoformat(i["due_on"]), cents(i["principal_due"]),
                       cents(i["interest_due"]), cents(i["fee_due"] or "0"))
                 for i in rows["installments"] if i["loan_id"] == loan_row["loan_id"]]
        paid = [Paid(datetime.fromisoformat(p["paid_at"]).astimezone(zone).date(), cents(p["amount"]))
                for p in rows["payments"] if p["loan_id"] == loan_row["loan_id"]]
        cost = ppm(loan_row["annual_cost"] or loan_row["annual_rate"])
        decision = legal_cap(country=jurisdiction.country, licence=loan_row["lender_licence"],
                             contract_on=date.fromisoformat(loan_row["disbursed_on"]), annual_cost_ppm=cost,
                             fixings=LPR_ONE_YEAR)
        principal_factor = principal_factor_ppm(country=jurisdiction.country,
                                                disbursed_cents=cents(loan_row["principal"]),
                                                scheduled_principal_cents=sum(t.principal for t in terms))
        position = position_on(as_of=as_of, installments=terms, payments=paid, order=order, scheme=bucket_scheme(),
                               charge_factor_ppm=decision.charge_factor_ppm, principal_factor_ppm=principal_factor)
        expected[loan_row["loan_id"]] = {
            "borrower": loan_row["borrower_id"], "dpd": position.dpd, "bucket": position.bucket,
            "total_paid": position.total_paid, "overdue": position.overdue_amount,
            "outstanding": position.outstanding_principal, "collectible": position.collectible_amount,
            "cap_flag": decision.flag.value, "cap_ppm": decision.cap_ppm,
            "charge_factor": decision.charge_factor_ppm, "principal_factor": principal_factor}
    return expected


def cents(text: str) -> int:
    return int(D(text) * 100)


def ppm(text: str) -> int:
    return int(D(text) * 1_000_000)


def stored_positions() -> dict[str, dict[str, Any]]:
    return {row.loan.external_id: {
        "borrower": row.loan.borrower.external_id, "dpd": row.dpd, "bucket": row.bucket,
        "total_paid": cents(str(row.total_paid)), "overdue": cents(str(row.overdue_amount)),
        "outstanding": cents(str(row.outstanding_principal)), "collectible": cents(str(row.collectible_amount)),
        "cap_flag": row.cap_flag, "cap_ppm": None if row.cap_rate is None else ppm(str(row.cap_rate)),
        "charge_factor": row.charge_factor, "principal_factor": row.principal_factor,
    } for row in LoanStatus.objects.select_related("loan__borrower")}


EQUIVALENCE_CASES = [(seed, ("fee", "interest", "principal")) for seed in range(10)] + [
    (10, ("principal", "interest", "fee")), (11, ("interest", "principal", "fee")),
    (12, ("fee", "principal", "interest"))]


@pytest.mark.parametrize(("seed", "order"), EQUIVALENCE_CASES)
def test_sql_refresh_equals_the_ledger_on_random_books(seed: int, order: tuple[str, str, str],
                                                        book: Callable[..., None], settings: Any) -> None:
    settings.DOORSTEP_ALLOCATION_ORDER = order
    rng = random.Random(seed)
    rows = random_book(rng)
    book(**rows)
    dues = [date.fromisoformat(i["due_on"]) for i in rows["installments"]] or [date(2024, 2, 29)]
    boundaries = [0, 1, 30, 31, 60, 61, 90, 91, 120, 121, 150, 151]
    days = sorted({*(rng.choice(dues) + timedelta(days=rng.choice(boundaries)) for _ in range(3)),
                   rng.choice(dues) + timedelta(days=rng.randint(-40, 200)),
                   date(2019, 6, 1) + timedelta(days=rng.randint(0, 3000))})
    for day in days:
        delinquency_refresh(as_of=day)
        expected = ledger_positions(rows, day, order)
        stored = stored_positions()
        assert stored.keys() == expected.keys()
        for loan_id in expected:
            assert stored[loan_id] == expected[loan_id], (seed, day, loan_id)
        recorded = {(h.loan.external_id): (h.dpd, h.bucket, cents(str(h.overdue_amount)),
                                           cents(str(h.outstanding_principal)), cents(str(h.collectible_amount)),
                                           h.cap_flag)
                    for h in BucketHistory.objects.filter(as_of=day).select_related("loan")}
        assert recorded == {loan_id: (e["dpd"], e["bucket"], e["overdue"], e["outstanding"], e["collectible"],
                                      e["cap_flag"])
                            for loan_id, e in expected.items() if e["outstanding"] > 0 or e["overdue"] > 0}
        cases = {c.borrower.external_id: (c.max_dpd, cents(str(c.overdue_amount)), cents(str(c.collectible_amount)),
                                          cents(str(c.outstanding_principal)), c.cap_flag, c.is_collection_blocked)
                 for c in Case.objects.filter(status="open").select_related("borrower")}
        owed: dict[str, list[dict[str, Any]]] = {}
        for e in expected.values():
            owed.setdefault(e["borrower"], []).append(e)
        rank = {"ok": 0, "over_cap": 1, "illegal": 2}
        assert cases == {
            borrower_id: (max(e["dpd"] for e in loans), sum(e["overdue"] for e in loans),
                          sum(e["collectible"] for e in loans), sum(e["outstanding"] for e in loans),
                          max((e["cap_flag"] for e in loans), key=rank.__getitem__),
                          any(e["cap_flag"] == CapFlag.ILLEGAL for e in loans))
            for borrower_id, loans in owed.items() if max(e["dpd"] for e in loans) > 0}


def test_equivalence_books_cover_the_interesting_cases() -> None:
    """The random books above do reach caps, 砍头息, credits, several buckets and every allocation order."""
    seen: dict[str, set[Any]] = {"flag": set(), "principal_cut": set(), "bucket": set(), "country": set()}
    for seed, _ in EQUIVALENCE_CASES:
        rows = random_book(random.Random(seed))
        for e in ledger_positions(rows, date(2026, 1, 1), ("fee", "interest", "principal")).values():
            seen["flag"].add(e["cap_flag"])
            seen["principal_cut"].add(e["principal_factor"] < 1_000_000)
            seen["bucket"].add(e["bucket"])
        seen["country"].update(b["jurisdiction"][:2] for b in rows["borrowers"])
    assert seen["flag"] == {"ok", "over_cap", "illegal"}
    assert seen["principal_cut"] == {True, False}
    assert {"M0", "M6+"} <= seen["bucket"]
    assert seen["country"] == {"CN", "US", "UK"}


def test_loan_without_installments(book: Callable[..., None]) -> None:
    book(borrowers=[borrower()], loans=[loan()], payments=[pay("P1", "L1", "2026-01-05T10:00:00+08:00", "5.00")])
    delinquency_refresh(as_of=date(2026, 2, 1))
    assert status() == {"as_of": date(2026, 2, 1), "dpd": 0, "bucket": "M0", "total_paid": D("5.00"),
                        "overdue": D("0.00"), "outstanding": D("0.00"), "collectible": D("0.00"), "cap_flag": "ok"}
    assert not Loan.objects.get().installments.exists()


def test_schedule_loaded_in_two_files_is_allocated_by_due_date(book: Callable[..., None], load: Load) -> None:
    book(borrowers=[borrower()], loans=[loan()],
         installments=schedule("L1", ("2026-02-01", "400.00", "18.00"), ("2026-03-01", "400.00", "18.00")))
    # The second file moves number 1 after number 2 and adds number 3: running totals are recomputed.
    load("installments", schedule("L1", ("2026-03-15", "400.00", "20.00"), ("2026-03-01", "400.00", "18.00"),
                                  ("2026-04-01", "400.00", "18.00")))
    load("payments", [pay("P1", "L1", "2026-03-02T10:00:00+08:00", "500.00")])
    stored = Loan.objects.get()
    assert stored.installments.count() == 3
    assert dict(stored.installments.values_list("seq", "due_before")) == {2: D("0.00"), 1: D("418.00"),
                                                                          3: D("838.00")}
    delinquency_refresh(as_of=date(2026, 3, 20))
    # 500.00: number 2 (418.00) settled, 82.00 to number 1, overdue since 15 March.
    assert status() == {"as_of": date(2026, 3, 20), "dpd": 5, "bucket": "M1", "total_paid": D("500.00"),
                        "overdue": D("338.00"), "outstanding": D("1200.00") - D("400.00") - D("62.00"),
                        "collectible": D("338.00"), "cap_flag": "ok"}


def test_refresh_uses_the_configured_buckets(one_loan: Callable[..., None], settings: Any) -> None:
    settings.DOORSTEP_BUCKETS = (("early", 1), ("late", 8))
    one_loan()
    delinquency_refresh(as_of=date(2026, 2, 8))
    delinquency_refresh(as_of=date(2026, 2, 9))
    assert history() == [(date(2026, 2, 8), 7, "early", D("418.00"), D("1200.00"), D("418.00"), "ok"),
                         (date(2026, 2, 9), 8, "late", D("418.00"), D("1200.00"), D("418.00"), "ok")]
    assert case_of()["bucket"] == "late"
    rates = roll_rates(from_on=date(2026, 2, 8), to_on=date(2026, 2, 9))
    assert rates.columns == ("M0", "early", "late", "closed")
    assert rates.counts["early"] == {"M0": 0, "early": 0, "late": 1, "closed": 0}
