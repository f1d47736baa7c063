"""`doorstep import KIND FILE`: every error kind reported row by row, all-or-nothing, idempotent, sealed PII."""

from __future__ import annotations

import base64
import csv
import io
import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from doorstep.common.core.masking import mask_national_id, mask_phone
from doorstep.common.core.sealing import SealError, key_id, seal
from doorstep.common.models import AuditEntry
from doorstep.common.pii import pii_digest, pii_open
from doorstep.portfolio.importing import runner
from doorstep.portfolio.models import Borrower, Contact, ImportJob, Installment, Loan, Payment
from tests.portfolio.conftest import PORTFOLIO_MODELS, issues, table_counts

pytestmark = pytest.mark.django_db

ImportFile = Callable[..., ImportJob]

BORROWERS = [
    {"borrower_id": "B1", "name": "张三", "national_id": "11010519491231002x", "phone": "138 1234 5678",
     "address": "北京市朝阳区建国路1号", "lat": "39.9087", "lon": "116.3975", "jurisdiction": "CN", "timezone": "",
     "language": "zh-Hans", "flags": "hardship|dispute", "risk_flags": "dog"},
    {"borrower_id": "B2", "name": "John Smith", "national_id": "123-45-6789", "phone": "(617) 555-0123",
     "address": "1 Main St, Boston", "lat": "", "lon": "", "jurisdiction": "US-MA", "timezone": "",
     "language": "en", "flags": "", "risk_flags": ""},
    {"borrower_id": "B3", "name": "Jane Doe", "national_id": "", "phone": "020 7946 0018", "address": "",
     "lat": "51.5", "lon": "-0.12", "jurisdiction": "UK-ENG", "timezone": "Europe/London", "language": "",
     "flags": "breathing_space", "risk_flags": "aggression_history|dog"},
]
CONTACTS = [
    {"contact_id": "C1", "borrower_id": "B1", "role": "guarantor", "name": "李四", "phone": "139 1234 5678",
     "relationship": "brother", "source": "application"},
    {"contact_id": "C2", "borrower_id": "B2", "role": "employer", "name": "Acme", "phone": "617-555-0199",
     "relationship": "", "source": "borrower_update"},
]
LOANS = [
    {"loan_id": "L1", "borrower_id": "B1", "product": "cash", "currency": "CNY", "principal": "1200.00",
     "disbursed_on": "2026-01-01", "annual_rate": "0.18", "annual_cost": "0.2", "lender_licence": "microloan"},
    {"loan_id": "L2", "borrower_id": "B2", "product": "", "currency": "USD", "principal": "500",
     "disbursed_on": "2026-01-15", "annual_rate": "0.1", "annual_cost": "", "lender_licence": ""},
]
INSTALLMENTS = [
    {"loan_id": "L1", "seq": "1", "due_on": "2026-02-01", "principal_due": "400.00", "interest_due": "18.00",
     "fee_due": "2.50"},
    {"loan_id": "L1", "seq": "2", "due_on": "2026-03-01", "principal_due": "400.00", "interest_due": "12.00",
     "fee_due": ""},
    {"loan_id": "L1", "seq": "3", "due_on": "2026-04-01", "principal_due": "400.00", "interest_due": "6.00",
     "fee_due": ""},
    {"loan_id": "L2", "seq": "1", "due_on": "2026-02-15", "principal_due": "500", "interest_due": "4.17",
     "fee_due": "0"},
]
PAYMENTS = [
    {"payment_id": "P1", "loan_id": "L1", "paid_at": "2026-02-01T10:00:00+08:00", "amount": "420.50",
     "channel": "app"},
    # 03:00 UTC on the 16th is still the 15th in Boston.
    {"payment_id": "P2", "loan_id": "L2", "paid_at": "2026-02-16T03:00:00Z", "amount": "100", "channel": ""},
]
BOOK = {"borrowers": BORROWERS, "contacts": CONTACTS, "loans": LOANS, "installments": INSTALLMENTS,
        "payments": PAYMENTS}


def write_rows(path: Path, rows: Sequence[dict[str, Any]], *, encoding: str = "utf-8") -> Path:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


DATE_COLUMNS = {"disbursed_on", "due_on"}
NUMBER_COLUMNS = {"principal", "annual_rate", "annual_cost", "principal_due", "interest_due", "fee_due", "amount",
                  "lat", "lon"}


def xlsx_cell(column: str, text: str) -> Any:
    """The value a spreadsheet user would have typed: dates and numbers typed, the rest text."""
    if text == "":
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(text)
    if column in NUMBER_COLUMNS:
        return float(text)
    if column == "seq":
        return int(text)
    return text


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[dict[str, Any]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for row in rows:
            sheet.append([xlsx_cell(column, str(row.get(column, ""))) for column in columns])
    workbook.save(path)
    return path


@pytest.fixture
def load_book(tmp_path: Path, import_file: ImportFile) -> Callable[..., dict[str, ImportJob]]:
    def run(kinds: Sequence[str] = tuple(BOOK)) -> dict[str, ImportJob]:
        jobs = {}
        for kind in kinds:
            jobs[kind] = import_file(kind, write_rows(tmp_path / f"book-{kind}.csv", BOOK[kind]))
            assert jobs[kind].status == ImportJob.Status.SUCCEEDED, (jobs[kind].message, issues(jobs[kind]))
        return jobs

    return run


EMPTY = {"Borrower": 0, "Contact": 0, "Loan": 0, "Installment": 0, "Payment": 0}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: [dict(row) for row in model.objects.order_by("pk").values()] for model in PORTFOLIO_MODELS}


def assert_rejected(job: ImportJob, expected: list[tuple[int, str, str, str]], before: dict[str, int]) -> None:
    assert job.status == ImportJob.Status.REJECTED
    assert issues(job) == sorted(expected)
    assert job.rows_invalid == len({row for row, _, _, _ in expected})
    assert job.message == f"{job.rows_invalid} invalid row(s)"
    assert (job.created_count, job.updated_count) == (0, 0)
    assert table_counts() == before


def assert_file_rejected(job: ImportJob, message: str, before: dict[str, int]) -> None:
    assert job.status == ImportJob.Status.REJECTED
    assert job.message == message
    assert issues(job) == []
    assert table_counts() == before


# ---- the happy path ---------------------------------------------------------------------------


def assert_book_stored() -> None:
    b1, b2, b3 = (Borrower.objects.get(external_id=f"B{n}") for n in (1, 2, 3))
    assert (b1.name, b1.jurisdiction, b1.country, b1.timezone, b1.language) == (
        "张三", "CN", "CN", "Asia/Shanghai", "zh-Hans")
    assert (b1.lat, b1.lon, b1.address) == (39.9087, 116.3975, "北京市朝阳区建国路1号")
    assert (b1.flags, b1.risk_flags) == (["dispute", "hardship"], ["dog"])
    assert (b1.national_id_masked, b1.phone_masked) == ("110***********002X", "+86138****5678")
    assert (b2.country, b2.timezone, b2.national_id_masked, b2.phone_masked, b2.lat) == (
        "US", "America/New_York", "123****6789", "+161****0123", None)
    assert (b3.country, b3.timezone, b3.national_id_sealed, b3.phone_masked) == ("UK", "Europe/London", "",
                                                                                "+442*****0018")
    assert b3.risk_flags == ["aggression_history", "dog"]
    c1, c2 = Contact.objects.get(external_id="C1"), Contact.objects.get(external_id="C2")
    assert (c1.borrower_id, c1.role, c1.name, c1.relationship, c1.source, c1.phone_masked) == (
        b1.pk, "guarantor", "李四", "brother", "application", "+86139****5678")
    assert (c2.borrower_id, c2.role, c2.phone_masked) == (b2.pk, "employer", "+161****0199")
    assert pii_open(c2.phone_sealed, purpose="contact/C2/phone") == "+16175550199"
    l1, l2 = Loan.objects.get(external_id="L1"), Loan.objects.get(external_id="L2")
    assert (l1.borrower_id, l1.product, l1.currency, l1.principal, l1.disbursed_on, l1.annual_rate,
            l1.annual_cost, l1.lender_licence) == (b1.pk, "cash", "CNY", Decimal("1200.00"), date(2026, 1, 1),
                                                   Decimal("0.18"), Decimal("0.2"), "microloan")
    assert l1.installments.count() == 3
    assert (l2.annual_rate, l2.annual_cost, l2.lender_licence, l2.principal) == (
        Decimal("0.1"), Decimal("0.1"), "", Decimal("500.00"))
    schedule = [(i.loan.external_id, i.seq, i.due_on, i.principal_due, i.interest_due, i.fee_due, i.due_before)
                for i in Installment.objects.select_related("loan").order_by("loan__external_id", "seq")]
    assert schedule == [
        ("L1", 1, date(2026, 2, 1), Decimal("400.00"), Decimal("18.00"), Decimal("2.50"), Decimal("0.00")),
        ("L1", 2, date(2026, 3, 1), Decimal("400.00"), Decimal("12.00"), Decimal("0.00"), Decimal("420.50")),
        ("L1", 3, date(2026, 4, 1), Decimal("400.00"), Decimal("6.00"), Decimal("0.00"), Decimal("832.50")),
        ("L2", 1, date(2026, 2, 15), Decimal("500.00"), Decimal("4.17"), Decimal("0.00"), Decimal("0.00")),
    ]
    payments = [(p.external_id, p.loan.external_id, p.paid_at, p.paid_on, p.amount, p.channel)
                for p in Payment.objects.select_related("loan").order_by("external_id")]
    assert payments == [
        ("P1", "L1", datetime(2026, 2, 1, 2, 0, tzinfo=UTC), date(2026, 2, 1), Decimal("420.50"), "app"),
        ("P2", "L2", datetime(2026, 2, 16, 3, 0, tzinfo=UTC), date(2026, 2, 15), Decimal("100.00"), ""),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_all_five_kinds_from_csv(tmp_path: Path, import_file: ImportFile, encoding: str) -> None:
    for kind, rows in BOOK.items():
        job = import_file(kind, write_rows(tmp_path / f"{kind}.csv", rows, encoding=encoding))
        assert job.status == ImportJob.Status.SUCCEEDED, (job.message, issues(job))
        assert (job.rows_total, job.rows_invalid, job.created_count, job.updated_count, job.unchanged_count) == (
            len(rows), 0, len(rows), 0, 0)
    assert_book_stored()


def test_csv_header_with_bom_and_columns_in_any_order(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "borrowers.csv"
    path.write_bytes("\ufeffjurisdiction,name,borrower_id\r\nCN,王五,B9\r\n".encode())
    job = import_file("borrowers", path)
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert Borrower.objects.get(external_id="B9").name == "王五"


def test_all_five_kinds_from_one_xlsx_workbook(tmp_path: Path, import_file: ImportFile) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", BOOK)
    for kind, rows in BOOK.items():
        job = import_file(kind, path)
        assert job.status == ImportJob.Status.SUCCEEDED, (kind, job.message, issues(job))
        assert (job.rows_total, job.created_count) == (len(rows), len(rows))
    assert_book_stored()


def test_xlsx_with_a_single_sheet_of_another_name_is_read(tmp_path: Path, import_file: ImportFile) -> None:
    path = write_xlsx(tmp_path / "export.xlsx", {"Sheet1": BORROWERS})
    job = import_file("borrowers", path)
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert Borrower.objects.count() == 3


def test_xlsx_timestamp_typed_as_a_date_cell_is_refused(tmp_path: Path, import_file: ImportFile,
                                                        load_book: Callable[..., Any]) -> None:
    load_book(("borrowers", "loans"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["payment_id", "loan_id", "paid_at", "amount"])
    sheet.append(["P9", "L1", datetime(2026, 2, 1, 10, 0), 10])  # spreadsheets have no time zones
    workbook.save(tmp_path / "payments.xlsx")
    before = table_counts()
    job = import_file("payments", tmp_path / "payments.xlsx")
    assert_rejected(job, [(2, "paid_at", "2026-02-01", "timestamp needs a UTC offset, e.g. +08:00 or Z")], before)


def test_reimport_changes_nothing(tmp_path: Path, import_file: ImportFile, load_book: Callable[..., Any]) -> None:
    load_book()
    stored = snapshot()
    audit_before = AuditEntry.objects.count()
    for kind, rows in BOOK.items():
        job = import_file(kind, write_rows(tmp_path / f"again-{kind}.csv", rows))
        assert job.status == ImportJob.Status.SUCCEEDED, job.message
        assert (job.rows_total, job.created_count, job.updated_count, job.unchanged_count) == (len(rows), 0, 0,
                                                                                              len(rows))
    # Sealing uses a fresh nonce: an unchanged value re-sealed would show up as a different string here.
    assert snapshot() == stored
    assert AuditEntry.objects.count() == audit_before + len(BOOK)


def test_changed_borrower_rows_count_as_updated(tmp_path: Path, import_file: ImportFile,
                                                load_book: Callable[..., Any]) -> None:
    load_book(("borrowers",))
    before = {b.external_id: b for b in Borrower.objects.all()}
    changed = [dict(BORROWERS[0], name="张三丰"), dict(BORROWERS[1], phone="617 555 0777"), BORROWERS[2]]
    job = import_file("borrowers", write_rows(tmp_path / "changed.csv", changed))
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == (
        ImportJob.Status.SUCCEEDED, 0, 2, 1)
    b1, b2, b3 = (Borrower.objects.get(external_id=f"B{n}") for n in (1, 2, 3))
    assert b1.name == "张三丰"
    assert (b1.national_id_sealed, b1.phone_sealed) == (before["B1"].national_id_sealed, before["B1"].phone_sealed)
    assert b2.phone_sealed != before["B2"].phone_sealed
    assert pii_open(b2.phone_sealed, purpose="borrower/B2/phone") == "+16175550777"
    assert (b2.phone_digest, b2.phone_masked) == (pii_digest("+16175550777", purpose="phone"), "+161****0777")
    assert b2.national_id_sealed == before["B2"].national_id_sealed
    assert (b3.updated_at, b3.phone_sealed) == (before["B3"].updated_at, before["B3"].phone_sealed)


def test_reimported_payment_is_a_no_op(tmp_path: Path, import_file: ImportFile, load_book: Callable[..., Any]) -> None:
    load_book()
    stored = list(Payment.objects.order_by("pk").values())
    more = [*PAYMENTS, {"payment_id": "P3", "loan_id": "L1", "paid_at": "2026-03-01T09:00:00+08:00",
                        "amount": "10.00", "channel": "field_qr"}]
    job = import_file("payments", write_rows(tmp_path / "more.csv", more))
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == (
        ImportJob.Status.SUCCEEDED, 1, 0, 2)
    assert list(Payment.objects.filter(external_id__in=["P1", "P2"]).order_by("pk").values()) == stored
    assert Payment.objects.get(external_id="P3").amount == Decimal("10.00")


def test_same_payment_with_another_utc_offset_is_the_same_payment(tmp_path: Path, import_file: ImportFile,
                                                                  load_book: Callable[..., Any]) -> None:
    load_book()
    same = [dict(PAYMENTS[0], paid_at="2026-02-01T02:00:00Z")]
    job = import_file("payments", write_rows(tmp_path / "same.csv", same))
    assert (job.status, job.created_count, job.unchanged_count) == (ImportJob.Status.SUCCEEDED, 0, 1)


def test_dry_run_reports_counts_and_writes_nothing(tmp_path: Path, import_file: ImportFile,
                                                   load_book: Callable[..., Any]) -> None:
    path = write_rows(tmp_path / "borrowers.csv", BORROWERS)
    audit_before = AuditEntry.objects.count()
    job = import_file("borrowers", path, dry_run=True)
    assert (job.status, job.dry_run, job.rows_total, job.created_count, job.updated_count, job.unchanged_count) == (
        ImportJob.Status.SUCCEEDED, True, 3, 3, 0, 0)
    assert job.message == "dry run: every row is valid; nothing was written"
    assert Borrower.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    load_book(("borrowers",))
    stored = snapshot()
    changed = write_rows(tmp_path / "changed.csv", [dict(BORROWERS[0], name="改名"), *BORROWERS[1:],
                                                    dict(BORROWERS[0], borrower_id="B4")])
    out = io.StringIO()
    call_command("import", "borrowers", str(changed), "--dry-run", "--quiet", stdout=out)
    assert out.getvalue().strip() == (
        "borrowers: 4 rows; would create 1, would update 1, unchanged 2 (dry run: nothing written)")
    assert snapshot() == stored


def test_dry_run_of_an_invalid_file_is_rejected(tmp_path: Path, import_file: ImportFile) -> None:
    rows = [dict(BORROWERS[0], jurisdiction="XX")]
    job = import_file("borrowers", write_rows(tmp_path / "bad.csv", rows), dry_run=True)
    assert job.status == ImportJob.Status.REJECTED
    assert [issue[:3] for issue in issues(job)] == [(2, "jurisdiction", "XX")]


def test_personal_data_is_stored_sealed(load_book: Callable[..., Any]) -> None:
    load_book(("borrowers", "contacts"))
    b1 = Borrower.objects.get(external_id="B1")
    newest = base64.b64decode(settings.DOORSTEP_FIELD_KEYS[0])
    for sealed, plaintext, field in ((b1.national_id_sealed, "11010519491231002X", "national_id"),
                                     (b1.phone_sealed, "+8613812345678", "phone")):
        assert plaintext not in sealed
        assert plaintext[-8:] not in sealed
        assert sealed.startswith(f"v1:{key_id(newest)}:")
        assert pii_open(sealed, purpose=f"borrower/B1/{field}") == plaintext
        with pytest.raises(SealError):
            pii_open(sealed, purpose=f"borrower/B2/{field}")  # bound to its record and field
    assert b1.national_id_digest == pii_digest("11010519491231002X", purpose="national_id")
    assert b1.phone_digest == pii_digest("+8613812345678", purpose="phone")
    assert b1.national_id_masked == mask_national_id("11010519491231002X") == "110***********002X"
    assert b1.phone_masked == mask_phone("+8613812345678") == "+86138****5678"
    c1 = Contact.objects.get(external_id="C1")
    assert "13912345678" not in c1.phone_sealed
    assert pii_open(c1.phone_sealed, purpose="contact/C1/phone") == "+8613912345678"
    assert c1.phone_digest == pii_digest("+8613912345678", purpose="phone")
    # A search by phone finds the borrower through the digest, never through the plaintext.
    assert list(Borrower.objects.filter(phone_digest=pii_digest("+8613812345678", purpose="phone"))) == [b1]
    assert not Borrower.objects.filter(phone_sealed__contains="13812345678").exists()


def test_values_sealed_with_the_previous_key_still_open() -> None:
    old = base64.b64decode(settings.DOORSTEP_FIELD_KEYS[1])
    sealed = seal("11010519491231002X", key=old, associated="borrower/B1/national_id")
    assert pii_open(sealed, purpose="borrower/B1/national_id") == "11010519491231002X"


def test_audit_entries_are_appended_and_the_chain_verifies(tmp_path: Path, import_file: ImportFile,
                                                           load_book: Callable[..., Any]) -> None:
    jobs = load_book()
    import_file("borrowers", write_rows(tmp_path / "bad.csv", [dict(BORROWERS[0], jurisdiction="XX")]))
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.action for e in entries] == ["portfolio.import.apply"] * 5 + ["portfolio.import.reject"]
    assert [e.sequence for e in entries] == list(range(1, 7))
    for entry, (kind, job) in zip(entries, jobs.items(), strict=False):
        assert (entry.subject_type, entry.subject_id, entry.actor_label) == ("portfolio.importjob", str(job.pk),
                                                                             "system")
        assert entry.data == {"kind": kind, "sha256": job.file_sha256, "rows": len(BOOK[kind]),
                              "created": len(BOOK[kind]), "updated": 0}
    assert entries[-1].data == {"kind": "borrowers", "invalid_rows": 1, "file_error": ""}
    assert all(later.previous_digest == earlier.digest for earlier, later in itertools.pairwise(entries))
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "audit chain intact"
    AuditEntry.objects.filter(sequence=3).update(data={"kind": "loans", "rows": 0})
    with pytest.raises(CommandError, match="audit chain broken at entry 3: content was changed"):
        call_command("audit", "verify")


# ---- whole-file errors ------------------------------------------------------------------------


def test_missing_required_column(tmp_path: Path, import_file: ImportFile) -> None:
    rows = [{"borrower_id": "B1", "name": "张三"}]
    job = import_file("borrowers", write_rows(tmp_path / "b.csv", rows))
    assert_file_rejected(job, "missing required column(s): jurisdiction", EMPTY)


def test_several_missing_required_columns_are_named(tmp_path: Path, import_file: ImportFile) -> None:
    job = import_file("loans", write_rows(tmp_path / "l.csv", [{"loan_id": "L1", "product": "x"}]))
    assert_file_rejected(job, "missing required column(s): borrower_id, currency, principal, disbursed_on, "
                              "annual_rate", EMPTY)


def test_unknown_column_is_refused_unless_ignored(tmp_path: Path, import_file: ImportFile) -> None:
    path = write_rows(tmp_path / "b.csv", [dict(BORROWERS[0], nickname="三儿", email="z@example.com")])
    job = import_file("borrowers", path)
    assert_file_rejected(job, "unknown column(s): nickname, email (use --ignore-unknown to skip them)",
                         EMPTY)
    job = import_file("borrowers", path, ignore_unknown=True)
    assert (job.status, job.created_count) == (ImportJob.Status.SUCCEEDED, 1)
    assert Borrower.objects.get(external_id="B1").name == "张三"


def test_column_named_twice(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.csv"
    path.write_text("borrower_id,name,jurisdiction,name\nB1,a,CN,b\n", encoding="utf-8")
    assert_file_rejected(import_file("borrowers", path), "column named twice: name", EMPTY)


def test_empty_file(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"")
    assert_file_rejected(import_file("borrowers", path), "the file is empty: a header row is required",
                         EMPTY)


def test_header_only_file_imports_nothing(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.csv"
    path.write_text("borrower_id,name,jurisdiction\n", encoding="utf-8")
    job = import_file("borrowers", path)
    assert (job.status, job.rows_total, job.created_count) == (ImportJob.Status.SUCCEEDED, 0, 0)


def test_file_that_is_not_utf8(tmp_path: Path, import_file: ImportFile) -> None:
    path = write_rows(tmp_path / "b.csv", [{"borrower_id": "B1", "name": "张三", "jurisdiction": "CN"}],
                      encoding="gbk")
    assert_file_rejected(import_file("borrowers", path),
                         "the file is not UTF-8 text (save it as CSV UTF-8 or XLSX)", EMPTY)


def test_malformed_csv(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.csv"
    path.write_text('borrower_id,name,jurisdiction\nB1,张三,CN\nB2,"李四" 丰,CN\nB3,王五,CN\n', encoding="utf-8")
    assert_file_rejected(import_file("borrowers", path),
                         "row 3 is not valid CSV: ',' expected after '\"'", EMPTY)


def test_unterminated_quote(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.csv"
    path.write_text('borrower_id,name,jurisdiction\nB1,张三,CN\nB2,"李四,CN\n', encoding="utf-8")
    assert_file_rejected(import_file("borrowers", path), "row 3 is not valid CSV: unexpected end of data",
                         EMPTY)


def test_xlsx_with_no_sheet_of_that_kind(tmp_path: Path, import_file: ImportFile) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"Sheet1": BORROWERS, "loans": LOANS})
    assert_file_rejected(import_file("borrowers", path),
                         "the workbook has several sheets and none is named 'borrowers'", EMPTY)


def test_file_named_xlsx_that_is_not_a_workbook(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.xlsx"
    path.write_text("borrower_id,name,jurisdiction\nB1,a,CN\n", encoding="utf-8")
    job = import_file("borrowers", path)
    assert job.status == ImportJob.Status.REJECTED
    assert job.message.startswith("not a readable XLSX workbook: ")
    assert Borrower.objects.count() == 0


# ---- row errors: every invalid row, nothing written -------------------------------------------

GOOD_BORROWER = {"borrower_id": "B1", "name": "张三", "national_id": "", "phone": "", "lat": "", "lon": "",
                 "jurisdiction": "CN", "flags": "", "risk_flags": ""}


def borrower(borrower_id: str, **changes: str) -> dict[str, str]:
    return dict(GOOD_BORROWER, borrower_id=borrower_id, **changes)


FLAGS = "dispute, cease_contact, attorney, vulnerable, hardship, deceased, breathing_space, no_workplace_contact"
JURISDICTION = "use CN, US-<state> (e.g. US-MA) or UK-<ENG|WLS|SCT|NIR>"
CN_PHONE = "not a CN phone number: mobiles have 11 digits starting 13-19"

BORROWER_ERRORS = {
    "required_cell_empty": (
        [borrower("B1"), borrower("B2", name=""), borrower("", name="", jurisdiction="", flags="dispute"),
         borrower("B4", name="  ")],
        [(3, "name", "", "required"), (4, "borrower_id", "", "required"), (4, "jurisdiction", "", "required"),
         (4, "name", "", "required"), (5, "name", "", "required")]),
    "unknown_jurisdiction": (
        [borrower("B1", jurisdiction="CN-GD"), borrower("B2", jurisdiction="US-XX"), borrower("B3"),
         borrower("B4", jurisdiction="FR")],
        [(2, "jurisdiction", "CN-GD", f"unknown jurisdiction 'CN-GD': {JURISDICTION}"),
         (3, "jurisdiction", "US-XX", f"unknown jurisdiction 'US-XX': {JURISDICTION}"),
         (5, "jurisdiction", "FR", f"unknown jurisdiction 'FR': {JURISDICTION}")]),
    "bad_cn_national_id": (
        [borrower("B1", national_id="110105194912310021"), borrower("B2", national_id="11010519491231002X"),
         borrower("B3", national_id="11010519490230002X"), borrower("B4", national_id="1101051949123100")],
        [(2, "national_id", "110105194912310021", "CN resident id check character does not match"),
         (4, "national_id", "11010519490230002X", "CN resident id has an impossible birth date"),
         (5, "national_id", "1101051949123100",
          "CN resident id must be 17 digits and a check digit or X (18 characters)")]),
    "bad_phone": (
        [borrower("B1", phone="12345"), borrower("B2", phone="13812345678"),
         borrower("B3", phone="555-0123", jurisdiction="US-NY"), borrower("B4", phone="call me")],
        [(2, "phone", "12345", CN_PHONE),
         (4, "phone", "555-0123", "not a phone number in E.164 (+country digits) or national format"),
         (5, "phone", "call me", CN_PHONE)]),
    "lat_without_lon": (
        [borrower("B1", lat="39.9"), borrower("B2", lon="116.4"), borrower("B3", lat="39.9", lon="116.4"),
         borrower("B4", lat="91", lon="0"), borrower("B5", lat="x", lon="1")],
        [(2, "lon", "", "lat and lon come together or not at all"),
         (3, "lat", "", "lat and lon come together or not at all"),
         (5, "lat", "91", "outside -90..90"), (6, "lat", "x", "not a number")]),
    "unknown_flag": (
        [borrower("B1", flags="dispute|angry"), borrower("B2", flags="hardship | vulnerable"),
         borrower("B3", risk_flags="Big Dog"), borrower("B4", flags="DISPUTE")],
        [(2, "flags", "dispute|angry", f"unknown flag 'angry'; known: {FLAGS}"),
         (4, "risk_flags", "Big Dog", "risk flags are lower_snake_case words, got 'Big Dog'"),
         (5, "flags", "DISPUTE", f"unknown flag 'DISPUTE'; known: {FLAGS}")]),
    "other_cells": (
        [borrower("B1", timezone="China/Beijing"), borrower("B2", language="fr"), borrower("B 3"),
         borrower("B4", name="x" * 101)],
        [(2, "timezone", "China/Beijing", "not an IANA time zone name, e.g. Asia/Shanghai"),
         (3, "language", "fr", "must be one of zh-Hans, en"),
         (4, "borrower_id", "B 3", "ids are 1-64 letters, digits or . _ : / - and start with a letter or digit"),
         (5, "name", "x" * 101, "longer than 100 characters")]),
}


@pytest.mark.parametrize("case", sorted(BORROWER_ERRORS))
def test_borrower_row_errors(case: str, write_csv: Callable[..., Path], import_file: ImportFile) -> None:
    rows, expected = BORROWER_ERRORS[case]
    before = table_counts()
    assert_rejected(import_file("borrowers", write_csv("borrowers", rows)), expected, before)


def test_duplicate_borrower_id_in_the_file(write_csv: Callable[..., Path], import_file: ImportFile) -> None:
    rows = [borrower("B1"), borrower("B2"), borrower("B1", name="again"), borrower("B2"), borrower("B1")]
    job = import_file("borrowers", write_csv("borrowers", rows))
    reason = "appears more than once in this file"
    assert_rejected(job, [(4, "borrower_id", "B1", reason), (5, "borrower_id", "B2", reason),
                          (6, "borrower_id", "B1", reason)], EMPTY)


LOAN = {"loan_id": "L9", "borrower_id": "B1", "currency": "CNY", "principal": "1000.00",
        "disbursed_on": "2026-01-01", "annual_rate": "0.18", "annual_cost": "", "lender_licence": ""}


def loan(loan_id: str, **changes: str) -> dict[str, str]:
    return dict(LOAN, loan_id=loan_id, **changes)


MONEY = "amounts are decimals with at most 2 decimals and no thousands separators"
RATE = "rates are decimal fractions, e.g. 0.18 for 18 %"

LOAN_ERRORS = {
    "bad_date": (
        [loan("L10", disbursed_on="2026/01/05"), loan("L11"), loan("L12", disbursed_on="05-01-2026"),
         loan("L13", disbursed_on="2026-1-5"), loan("L14", disbursed_on="20260105")],
        [(2, "disbursed_on", "2026/01/05", "dates are YYYY-MM-DD"),
         (4, "disbursed_on", "05-01-2026", "dates are YYYY-MM-DD"),
         (5, "disbursed_on", "2026-1-5", "dates are YYYY-MM-DD"),
         (6, "disbursed_on", "20260105", "dates are YYYY-MM-DD")]),
    "impossible_date": (
        [loan("L10", disbursed_on="2026-02-30"), loan("L11", disbursed_on="2028-02-29"),
         loan("L12", disbursed_on="2027-02-29"), loan("L13", disbursed_on="2026-13-01")],
        [(2, "disbursed_on", "2026-02-30", "not a calendar date"),
         (4, "disbursed_on", "2027-02-29", "not a calendar date"),
         (5, "disbursed_on", "2026-13-01", "not a calendar date")]),
    "bad_money": (
        [loan("L10", principal="1000.001"), loan("L11", principal="1,000.00"), loan("L12", principal="-5.00"),
         loan("L13", principal="0"), loan("L14", principal="1000.5"), loan("L15", principal="¥1000")],
        [(2, "principal", "1000.001", MONEY), (3, "principal", "1,000.00", MONEY),
         (4, "principal", "-5.00", "amount must not be negative"),
         (5, "principal", "0", "amount must be greater than 0"), (7, "principal", "¥1000", MONEY)]),
    "bad_rate": (
        [loan("L10", annual_rate="18%"), loan("L11", annual_rate="18"), loan("L12", annual_cost="0.1234567"),
         loan("L13", annual_rate="0.24", annual_cost="0.36")],
        [(2, "annual_rate", "18%", RATE),
         (3, "annual_rate", "18", "rate above 1000 % a year: is it a percentage instead of a fraction?"),
         (4, "annual_cost", "0.1234567", RATE)]),
    "other_cells": (
        [loan("L10", currency="EUR"), loan("L11", lender_licence="bank "), loan("L12", lender_licence="shadow")],
        [(2, "currency", "EUR", "must be one of CNY, USD, GBP"),
         (4, "lender_licence", "shadow", "must be one of bank, consumer_finance, microloan, private")]),
    "unknown_borrower": (
        [loan("L10", borrower_id="B404"), loan("L11"), loan("L12", borrower_id="b1")],
        [(2, "borrower_id", "B404", "no borrower with this id (import borrowers first)"),
         (4, "borrower_id", "b1", "no borrower with this id (import borrowers first)")]),
}


@pytest.mark.parametrize("case", sorted(LOAN_ERRORS))
def test_loan_row_errors(case: str, load: Callable[..., Any], write_csv: Callable[..., Path],
                         import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    rows, expected = LOAN_ERRORS[case]
    before = table_counts()
    assert_rejected(import_file("loans", write_csv("loans", rows)), expected, before)


def test_loan_currency_must_match_the_borrowers_other_loans(load: Callable[..., Any], write_csv: Callable[..., Path],
                                                            import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER, borrower("B2"), borrower("B3", jurisdiction="US-MA")])
    load("loans", [loan("L1"), loan("L5", borrower_id="B3", currency="USD")])
    before = table_counts()
    rows = [loan("L2", currency="GBP"),  # B1 already has a CNY loan
            loan("L3", borrower_id="B2", currency="CNY"), loan("L4", borrower_id="B2", currency="USD"),  # both
            loan("L5", borrower_id="B3", currency="USD"), loan("L6", borrower_id="B3", currency="USD"),  # fine
            loan("L1")]  # fine on its own
    reason = "a borrower's loans must all be in one currency"
    assert_rejected(import_file("loans", write_csv("loans", rows)),
                    [(2, "currency", "GBP", reason), (3, "currency", "CNY", reason), (4, "currency", "USD", reason),
                     # L1 agrees with what is stored but conflicts with L2 in the same file.
                     (7, "currency", "CNY", reason)],
                    before)


def test_a_borrowers_only_loan_may_change_currency(load: Callable[..., Any], write_csv: Callable[..., Path],
                                                  import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    load("loans", [loan("L1")])
    job = import_file("loans", write_csv("loans", [loan("L1", currency="USD")]))
    assert (job.status, job.updated_count) == (ImportJob.Status.SUCCEEDED, 1)


def test_loan_moved_to_another_borrower(load: Callable[..., Any], write_csv: Callable[..., Path],
                                        import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER, borrower("B2")])
    load("loans", [loan("L1")])
    before = table_counts()
    job = import_file("loans", write_csv("loans", [loan("L2"), loan("L1", borrower_id="B2")]))
    assert_rejected(job, [(3, "borrower_id", "B2", "this loan id belongs to another borrower")], before)


def test_duplicate_loan_id_in_the_file(load: Callable[..., Any], write_csv: Callable[..., Path],
                                       import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    before = table_counts()
    job = import_file("loans", write_csv("loans", [loan("L1"), loan("L2"), loan("L1", principal="5.00")]))
    assert_rejected(job, [(4, "loan_id", "L1", "appears more than once in this file")], before)


INSTALLMENT = {"loan_id": "L1", "seq": "1", "due_on": "2026-02-01", "principal_due": "100.00",
               "interest_due": "1.50", "fee_due": ""}


def installment(seq: int, **changes: str) -> dict[str, str]:
    return dict(INSTALLMENT, seq=str(seq), **changes)


INSTALLMENT_ERRORS = {
    "bad_money": (
        [installment(1, principal_due="100.001"), installment(2, interest_due="1,000.00"),
         installment(3, fee_due="-5.00"), installment(4, principal_due="0", interest_due="0"),
         installment(5, fee_due="1e2")],
        [(2, "principal_due", "100.001", MONEY), (3, "interest_due", "1,000.00", MONEY),
         (4, "fee_due", "-5.00", "amount must not be negative"), (6, "fee_due", "1e2", MONEY)]),
    "bad_seq_and_date": (
        [dict(installment(1), seq="0"), installment(1), installment(2, due_on="2026-02-29"), installment(3, due_on=""),
         dict(installment(4), seq="two")],
        [(2, "seq", "0", "seq is a whole number from 1"), (4, "due_on", "2026-02-29", "not a calendar date"),
         (5, "due_on", "", "required"), (6, "seq", "two", "seq is a whole number from 1")]),
    "unknown_loan": (
        [installment(1, loan_id="L404"), installment(2), installment(3, loan_id="L405")],
        [(2, "loan_id", "L404", "no loan with this id (import loans first)"),
         (4, "loan_id", "L405", "no loan with this id (import loans first)")]),
    "duplicate_seq": (
        [installment(1), installment(2), installment(1, due_on="2026-03-01"), installment(2), installment(1),
         installment(1, loan_id="L2")],
        [(4, "seq", "1", "this loan's installment number appears more than once"),
         (5, "seq", "2", "this loan's installment number appears more than once"),
         (6, "seq", "1", "this loan's installment number appears more than once")]),
    "due_before_disbursement": (
        [installment(1, due_on="2025-12-31"), installment(2, due_on="2026-01-01"), installment(3),
         installment(1, loan_id="L2", due_on="2026-01-14")],
        [(2, "due_on", "2025-12-31", "due before the loan was disbursed"),
         (5, "due_on", "2026-01-14", "due before the loan was disbursed")]),
}


@pytest.mark.parametrize("case", sorted(INSTALLMENT_ERRORS))
def test_installment_row_errors(case: str, load: Callable[..., Any], write_csv: Callable[..., Path],
                                import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    load("loans", [loan("L1"), loan("L2", disbursed_on="2026-01-15")])
    rows, expected = INSTALLMENT_ERRORS[case]
    before = table_counts()
    assert_rejected(import_file("installments", write_csv("installments", rows)), expected, before)


PAYMENT = {"payment_id": "P1", "loan_id": "L1", "paid_at": "2026-02-01T10:00:00+08:00", "amount": "50.00"}


def payment(payment_id: str, **changes: str) -> dict[str, str]:
    return dict(PAYMENT, payment_id=payment_id, **changes)


OFFSET = "timestamp needs a UTC offset, e.g. +08:00 or Z"
ISO = "timestamps are ISO 8601, e.g. 2026-12-01T10:30:00+08:00"

PAYMENT_ERRORS = {
    "timestamp_without_offset": (
        [payment("P1", paid_at="2026-02-01T10:00:00"), payment("P2"), payment("P3", paid_at="2026-02-01 10:00"),
         payment("P4", paid_at="2026-02-01"), payment("P5", paid_at="yesterday"),
         payment("P6", paid_at="2026-02-30T10:00:00+08:00")],
        [(2, "paid_at", "2026-02-01T10:00:00", OFFSET), (4, "paid_at", "2026-02-01 10:00", OFFSET),
         (5, "paid_at", "2026-02-01", OFFSET), (6, "paid_at", "yesterday", ISO),
         (7, "paid_at", "2026-02-30T10:00:00+08:00", ISO)]),
    "bad_amount": (
        [payment("P1", amount="0"), payment("P2", amount="0.001"), payment("P3", amount="-10"), payment("P4"),
         payment("P5", amount="")],
        [(2, "amount", "0", "amount must be greater than 0"), (3, "amount", "0.001", MONEY),
         (4, "amount", "-10", "amount must not be negative"), (6, "amount", "", "required")]),
    "unknown_loan": (
        [payment("P1", loan_id="L404"), payment("P2"), payment("P3", loan_id="l1")],
        [(2, "loan_id", "L404", "no loan with this id (import loans first)"),
         (4, "loan_id", "l1", "no loan with this id (import loans first)")]),
    "duplicate_id": (
        [payment("P1"), payment("P2"), payment("P1", amount="60.00"), payment("P1")],
        [(4, "payment_id", "P1", "appears more than once in this file"),
         (5, "payment_id", "P1", "appears more than once in this file")]),
    "paid_before_disbursement": (
        # 2025-12-31T20:00Z is already 1 January in Shanghai: fine; 15:59Z is still 31 December.
        [payment("P1", paid_at="2025-12-31T20:00:00Z"), payment("P2", paid_at="2025-12-31T15:59:00Z")],
        [(3, "paid_at", "2025-12-31T15:59:00+00:00", "paid before the loan was disbursed")]),
}


@pytest.mark.parametrize("case", sorted(PAYMENT_ERRORS))
def test_payment_row_errors(case: str, load: Callable[..., Any], write_csv: Callable[..., Path],
                            import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    load("loans", [loan("L1")])
    rows, expected = PAYMENT_ERRORS[case]
    before = table_counts()
    assert_rejected(import_file("payments", write_csv("payments", rows)), expected, before)


def test_payment_reimported_with_a_different_amount(load: Callable[..., Any], write_csv: Callable[..., Path],
                                                    import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    load("loans", [loan("L1"), loan("L2")])
    load("payments", [payment("P1"), payment("P2"), payment("P3")])
    stored = list(Payment.objects.order_by("pk").values())
    before = table_counts()
    rows = [payment("P1", amount="50.01"), payment("P2"), payment("P3", loan_id="L2"),
            payment("P4"), payment("P5", amount="1.00")]
    job = import_file("payments", write_csv("payments", rows))
    reason = ("a payment with this id was imported before with a different amount, loan or time; payments cannot "
              "be changed")
    assert_rejected(job, [(2, "payment_id", "P1", reason), (4, "payment_id", "P3", reason)], before)
    assert list(Payment.objects.order_by("pk").values()) == stored


def test_payment_reimported_at_a_different_time(load: Callable[..., Any], write_csv: Callable[..., Path],
                                                import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER])
    load("loans", [loan("L1")])
    load("payments", [payment("P1")])
    before = table_counts()
    job = import_file("payments", write_csv("payments", [payment("P1", paid_at="2026-02-01T10:00:01+08:00")]))
    assert [issue[:3] for issue in issues(job)] == [(2, "payment_id", "P1")]
    assert table_counts() == before


CONTACT = {"contact_id": "C1", "borrower_id": "B1", "role": "guarantor", "name": "李四", "phone": "",
           "relationship": "", "source": "application"}


def contact(contact_id: str, **changes: str) -> dict[str, str]:
    return dict(CONTACT, contact_id=contact_id, **changes)


def test_contact_row_errors(load: Callable[..., Any], write_csv: Callable[..., Path], import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER, borrower("B2", jurisdiction="UK-WLS")])
    before = table_counts()
    rows = [contact("C1", source="address_book"), contact("C2", role="friend"), contact("C3", borrower_id="B404"),
            contact("C4", phone="12345"), contact("C5", borrower_id="B2", phone="07700 900123"),
            contact("C6", borrower_id="B2", phone="13812345678"), contact("C7", source="")]
    expected = [
        (2, "source", "address_book", "must be one of application, borrower_update, public_record"),
        (3, "role", "friend", "must be one of guarantor, co_obligor, contact, employer"),
        (4, "borrower_id", "B404", "no borrower with this id (import borrowers first)"),
        (5, "phone", "12345", CN_PHONE),
        # A contact's phone is read in its borrower's country: a CN mobile is no UK number.
        (7, "phone", "13812345678", "not a phone number in E.164 (+country digits) or national format"),
        (8, "source", "", "required"),
    ]
    assert_rejected(import_file("contacts", write_csv("contacts", rows)), expected, before)


def test_contact_moved_to_another_borrower(load: Callable[..., Any], write_csv: Callable[..., Path],
                                           import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER, borrower("B2")])
    load("contacts", [contact("C1"), contact("C2")])
    before = table_counts()
    rows = [contact("C1", borrower_id="B2"), contact("C2"), contact("C3", borrower_id="B2"),
            contact("C2", borrower_id="B2")]
    job = import_file("contacts", write_csv("contacts", rows))
    assert_rejected(job, [(2, "contact_id", "C1", "this contact id belongs to another borrower"),
                          (5, "contact_id", "C2", "this contact id belongs to another borrower"),
                          (5, "contact_id", "C2", "appears more than once in this file")], before)


ADDRESS_BOOK = ("more than 10 pre-agreed contacts for one borrower looks like a harvested address book, "
                "which is refused (CN-CONTACT-SOURCE)")


def test_more_than_ten_pre_agreed_contacts_is_refused(load: Callable[..., Any], write_csv: Callable[..., Path],
                                                      import_file: ImportFile) -> None:
    load("borrowers", [GOOD_BORROWER, borrower("B2")])
    load("contacts", [contact(f"C{n}", role="contact") for n in range(1, 7)])  # six already stored
    before = table_counts()
    rows = [contact("C1", role="contact"),  # already counted
            *(contact(f"C{n}", role="contact") for n in range(7, 12)),  # five more: eleven in all
            contact("G1", role="guarantor"),  # guarantors do not count
            *(contact(f"D{n}", borrower_id="B2", role="contact") for n in range(1, 11))]  # B2: ten, allowed
    job = import_file("contacts", write_csv("contacts", rows))
    assert_rejected(job, [(row, "role", "contact", ADDRESS_BOOK) for row in range(2, 8)], before)


def test_ten_pre_agreed_contacts_are_allowed(load: Callable[..., Any]) -> None:
    load("borrowers", [GOOD_BORROWER])
    load("contacts", [contact(f"C{n}", role="contact") for n in range(1, 6)])
    job = load("contacts", [contact(f"C{n}", role="contact") for n in range(1, 11)])
    assert (job.created_count, job.unchanged_count) == (5, 5)
    assert Contact.objects.filter(role="contact").count() == 10


def test_every_invalid_row_is_listed_across_chunks_and_checks(monkeypatch: pytest.MonkeyPatch,
                                                               load: Callable[..., Any],
                                                               write_csv: Callable[..., Path],
                                                               import_file: ImportFile) -> None:
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    load("borrowers", [GOOD_BORROWER])
    load("loans", [loan("L1")])
    before = table_counts()
    rows = [payment(f"P{n}") for n in range(1, 10)]
    rows[1] = payment("P2", amount="1,0")  # row 3
    rows[4] = payment("P5", loan_id="L404")  # row 6, found while resolving its chunk
    rows[7] = payment("P1")  # row 9: a duplicate of row 2, in another chunk
    rows.append(payment("P10", paid_at="2026-02-01T10:00"))  # row 11
    job = import_file("payments", write_csv("payments", rows))
    assert_rejected(job, [(3, "amount", "1,0", MONEY),
                          (6, "loan_id", "L404", "no loan with this id (import loans first)"),
                          (9, "payment_id", "P1", "appears more than once in this file"),
                          (11, "paid_at", "2026-02-01T10:00", OFFSET)], before)
    assert job.rows_total == 10


def test_row_numbers_are_as_a_spreadsheet_shows_them(tmp_path: Path, import_file: ImportFile) -> None:
    path = tmp_path / "b.csv"
    path.write_text('borrower_id,name,jurisdiction\nB1,张三,CN\n\nB2,"two\nlines",CN\n,,\nB3,,CN\n',
                    encoding="utf-8")
    job = import_file("borrowers", path)
    assert_rejected(job, [(6, "name", "", "required")], EMPTY)
    assert job.rows_total == 3  # blank rows are skipped


def test_rejection_is_reported_by_the_command(write_csv: Callable[..., Path]) -> None:
    path = write_csv("borrowers", [borrower("B1", jurisdiction="XX"), borrower("B2"), borrower("B3", name="")])
    with pytest.raises(CommandError) as raised:
        call_command("import", "borrowers", str(path), "--quiet")
    assert str(raised.value).splitlines() == [
        "borrowers: rejected, nothing written. 2 invalid row(s)",
        "row\tcolumn\tvalue\treason",
        f"2\tjurisdiction\tXX\tunknown jurisdiction 'XX': {JURISDICTION}",
        "4\tname\t\trequired",
    ]
    assert Borrower.objects.count() == 0
