"""The PostgreSQL fast path (COPY + SQL) stores exactly what the row-by-row path stores, and hands
every file it has any doubt about to the row-by-row path, which writes the report."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from doorstep.common.sql import execute
from doorstep.portfolio.importing import fast
from doorstep.portfolio.importing.runner import ImportOutcome, run_import
from doorstep.portfolio.models import Installment, Loan, Payment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's (COPY)"),
]


def _book(seed: int) -> dict[str, list[dict[str, str]]]:
    chance = random.Random(seed)
    zones = ["", "Asia/Shanghai", "America/New_York", "Pacific/Auckland"]
    places = ["CN", "US-MA", "UK-ENG"]
    borrowers = [{"borrower_id": f"FB{n}", "name": f"借款人{n}", "jurisdiction": chance.choice(places),
                  "timezone": chance.choice(zones)} for n in range(8)]
    loans, installments, payments = [], [], []
    for n in range(20):
        rate = chance.choice(["0.18", "0.24", "0.3", "0.099999"])
        loans.append({"loan_id": f"FL{n}", "borrower_id": f"FB{n % 8}", "currency": "CNY",
                      "principal": chance.choice(["1000", "1200.5", "999.99", "2000.00"]),
                      "disbursed_on": "2026-01-15", "annual_rate": rate,
                      "annual_cost": chance.choice(["", rate, "0.4"]),
                      "lender_licence": chance.choice(["", "bank", "private"]),
                      "product": chance.choice(["", "P1", "消费贷"])})
        for seq in range(1, chance.randint(2, 6)):
            installments.append({"loan_id": f"FL{n}", "seq": str(seq), "due_on": f"2026-{seq + 1:02d}-15",
                                 "principal_due": "100", "interest_due": chance.choice(["0", "15.5", "7.25"]),
                                 "fee_due": chance.choice(["", "0", "1.1"])})
        for k in range(chance.randint(0, 4)):
            payments.append({"payment_id": f"FP{n}-{k}", "loan_id": f"FL{n}",
                             "paid_at": chance.choice(["2026-02-14T23:30:00+08:00", "2026-03-01T00:15:00Z",
                                                       "2026-04-02T10:00:00.250000-05:00"]),
                             "amount": chance.choice(["50", "115.5", "0.01"]), "channel": chance.choice(["", "app"])})
    return {"borrowers": borrowers, "loans": loans, "installments": installments, "payments": payments}


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "loans": sorted(Loan.objects.values_list("external_id", "borrower__external_id", "product", "currency",
                                                 "principal", "disbursed_on", "annual_rate", "annual_cost",
                                                 "lender_licence")),
        "installments": sorted(Installment.objects.values_list("loan__external_id", "seq", "due_on", "principal_due",
                                                               "interest_due", "fee_due", "due_before")),
        "payments": sorted(Payment.objects.values_list("external_id", "loan__external_id", "paid_at", "paid_on",
                                                       "amount", "channel")),
    }


def _import_all(book: dict[str, list[dict[str, str]]], write_csv: Callable[..., Path]) -> list[ImportOutcome]:
    outcomes = []
    for kind in ("borrowers", "loans", "installments", "payments"):
        if not book.get(kind):
            continue
        outcome = run_import(kind=kind, path=write_csv(kind, book[kind]))
        assert outcome.accepted, (kind, outcome.file_error)
        outcomes.append(outcome)
    return outcomes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_and_row_by_row_paths_store_the_same_book(seed: int, write_csv, monkeypatch) -> None:
    book = _book(seed)
    outcomes = _import_all(book, write_csv)
    assert [outcome.fast_path for outcome in outcomes] == [False, True, True, True]
    by_fast = _snapshot()
    for table in ("portfolio_payment", "portfolio_installment", "portfolio_loan"):
        execute(f"DELETE FROM {table}")
    monkeypatch.setattr(fast, "applies", lambda **kwargs: False)
    _import_all(book, write_csv)
    assert _snapshot() == by_fast
    assert by_fast["installments"] and by_fast["payments"]


def test_a_file_with_any_doubt_goes_row_by_row_and_gets_the_full_report(write_csv) -> None:
    book = _book(4)
    _import_all({"borrowers": book["borrowers"], "loans": book["loans"], "installments": book["installments"][:1]},
                write_csv)
    rows = [dict(book["installments"][1]), dict(book["installments"][2])]
    rows[0]["due_on"] = "2026-02-30"  # a cast PostgreSQL refuses
    rows[1]["interest_due"] = "1,000"  # a pattern the SQL checks refuse
    outcome = run_import(kind="installments", path=write_csv("installments", rows, name="bad.csv"))
    assert not outcome.fast_path and outcome.rows_invalid == 2
    assert Installment.objects.count() == 1


@pytest.mark.parametrize("body", [
    b"loan_id,seq,due_on,principal_due,interest_due\r\nFL0,2,2026-03-15,100,1\r\n",  # CRLF
    b"\xef\xbb\xbfloan_id,seq,due_on,principal_due,interest_due\nFL0,2,2026-03-15,100,1\n",  # BOM
    b'loan_id,seq,due_on,principal_due,interest_due\n"FL0","2","2026-03-15","100","1"\n',  # quoted
    b"seq,loan_id,interest_due,principal_due,due_on\n2,FL0,1,100,2026-03-15\n",  # any column order
])
def test_csv_dialects_take_the_fast_path(body: bytes, write_csv, tmp_path) -> None:
    book = _book(5)
    _import_all({"borrowers": book["borrowers"], "loans": book["loans"][:1], "installments": [
        {"loan_id": "FL0", "seq": "1", "due_on": "2026-02-15", "principal_due": "100", "interest_due": "1"}]},
        write_csv)
    path = tmp_path / "dialect.csv"
    path.write_bytes(body)
    outcome = run_import(kind="installments", path=path)
    assert outcome.accepted and outcome.fast_path and outcome.created == 1
    second = Installment.objects.get(loan__external_id="FL0", seq=2)
    assert (str(second.due_on), str(second.principal_due), str(second.interest_due), str(second.fee_due)) == (
        "2026-03-15", "100.00", "1.00", "0.00")
    assert second.due_before == Installment.objects.get(loan__external_id="FL0", seq=1).due_before + 101


def test_a_blank_line_or_padded_text_is_left_to_the_row_by_row_path(write_csv, tmp_path) -> None:
    book = _book(6)
    _import_all({"borrowers": book["borrowers"]}, write_csv)
    path = tmp_path / "loans.csv"
    path.write_text("loan_id,borrower_id,currency,principal,disbursed_on,annual_rate,product\n"
                    "FLX,FB0,CNY,100,2026-01-01,0.1,\tP9\n\n", encoding="utf-8")
    outcome = run_import(kind="loans", path=path)
    assert outcome.accepted and not outcome.fast_path
    assert Loan.objects.get(external_id="FLX").product == "P9"


@pytest.mark.parametrize("product", ["\tP9", "P9\u3000", "\u00a0P9", " P9 "])
def test_text_with_whitespace_python_strips_is_stored_as_the_row_by_row_path_would(product, write_csv, tmp_path):
    _import_all({"borrowers": _book(7)["borrowers"]}, write_csv)
    path = tmp_path / "loans.csv"
    path.write_text("loan_id,borrower_id,currency,principal,disbursed_on,annual_rate,product\n"
                    f'FLY,FB0,CNY,100,2026-01-01,0.1,"{product}"\n', encoding="utf-8")
    outcome = run_import(kind="loans", path=path)
    assert outcome.accepted and not outcome.fast_path
    assert Loan.objects.get(external_id="FLY").product == "P9"


@pytest.mark.parametrize(("column", "value"), [
    ("principal", "007"), ("principal", "+5"), ("principal", "5."), ("principal", "NaN"), ("principal", "1e3"),
    ("annual_rate", "0.1234567"), ("disbursed_on", "2026-1-05"), ("disbursed_on", "20260105"),
])
def test_shapes_python_refuses_are_never_taken_by_the_fast_path(column, value, write_csv, tmp_path):
    _import_all({"borrowers": _book(8)["borrowers"]}, write_csv)
    row = {"loan_id": "FLZ", "borrower_id": "FB0", "currency": "CNY", "principal": "100",
           "disbursed_on": "2026-01-01", "annual_rate": "0.1", column: value}
    outcome = run_import(kind="loans", path=write_csv("loans", [row], name="odd.csv"))
    assert not outcome.fast_path
    assert not outcome.accepted and outcome.rows_invalid == 1  # and the row-by-row path says why
