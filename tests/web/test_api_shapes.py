"""The API's outputs have the shapes its OpenAPI schema promises."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from doorstep.accounts.models import Role
from doorstep.portfolio.delinquency import delinquency_refresh
from tests.factories import UserFactory


@pytest.fixture
def refreshed_book(db, write_csv, import_file):
    import_file("borrowers", write_csv("borrowers", [{"borrower_id": "A1", "name": "甲", "jurisdiction": "CN"}]))
    import_file("contacts", write_csv("contacts", [{"contact_id": "K1", "borrower_id": "A1", "role": "guarantor",
                                                    "source": "application", "phone": "13900001111"}]))
    import_file("loans", write_csv("loans", [{"loan_id": "AL1", "borrower_id": "A1", "currency": "CNY",
                                              "principal": "1000", "disbursed_on": "2026-01-01",
                                              "annual_rate": "0.3", "lender_licence": "private"}]))
    import_file("installments", write_csv("installments", [
        {"loan_id": "AL1", "seq": str(k), "due_on": f"2026-0{k + 1}-01", "principal_due": "250",
         "interest_due": "25"} for k in range(1, 5)]))
    delinquency_refresh(as_of=date(2026, 3, 15))
    delinquency_refresh(as_of=date(2026, 4, 15))
    client = Client()
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    return client


def test_borrower_detail_shape_and_values(refreshed_book) -> None:
    body = refreshed_book.get("/api/v1/borrowers/A1/").json()
    assert body["as_of"] == "2026-04-15" and body["contacts"]["guarantor"][0]["liable"] is True
    loan = body["loans"][0]
    assert loan["cap"] == {"rate": "0.12", "basis": "private_4x_lpr", "flag": "over_cap", "charge_share": 0.4,
                           "principal_share": 1.0}
    assert loan["position"]["dpd"] == 73 and loan["position"]["bucket"] == "M3"  # oldest unpaid: 2026-02-01
    assert [row["status"] for row in loan["installments"]] == ["overdue", "overdue", "overdue", "upcoming"]
    assert [row["as_of"] for row in loan["history"]] == ["2026-03-15", "2026-04-15"]


def test_overview_and_roll_rates_shapes(refreshed_book) -> None:
    overview = refreshed_book.get("/api/v1/portfolio/overview/").json()
    assert overview["loans"] == 1 and overview["open_cases"] == 1
    assert {row["bucket"]: row["loans"] for row in overview["buckets"]}["M3"] == 1
    rates = refreshed_book.get("/api/v1/portfolio/roll-rates/", {"from": "2026-03-15", "to": "2026-04-15"}).json()
    assert (rates["from_on"], rates["to_on"]) == ("2026-03-15", "2026-04-15")
    row = next(row for row in rates["rows"] if row["bucket"] == "M2")  # DPD 42 on 2026-03-15
    assert row["total"] == 1 and row["counts"]["M3"] == 1 and row["shares"]["M3"] == 1.0


def test_the_schema_describes_the_borrower_detail(refreshed_book, tmp_path) -> None:
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    text = path.read_text()
    assert "BorrowerDetailOutput" in text and "charge_share" in text and "RollRatesOutput" in text
