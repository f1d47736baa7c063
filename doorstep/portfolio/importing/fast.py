"""PostgreSQL fast path for the bulk files (loans, installments, payments): COPY, then SQL.

The file goes into a temporary table of text columns with PostgreSQL's own COPY; one
INSERT ... SELECT then checks every cell set-based, resolves the references and fills the same
typed staging table the row-by-row path fills. The checks are deliberately at least as strict as
the row-by-row parser (doorstep.portfolio.core.rows): when any row fails them, or PostgreSQL
refuses a cast, the attempt is rolled back and the row-by-row path runs instead, so the report of
invalid rows always comes from one implementation. A valid file never needs Python per row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import DatabaseError, connection, transaction

from doorstep.common.core.money import PPM
from doorstep.common.sql import execute, fetch_all
from doorstep.portfolio.core.caps import LICENCES
from doorstep.portfolio.core.rows import CURRENCIES, MAX_MONEY_CENTS
from doorstep.portfolio.importing.kinds import STAGE, Kind

RAW = "doorstep_raw"
FAST_KINDS = frozenset({"loans", "installments", "payments"})
BLOCK = 1 << 20

# Stricter than or equal to the row parser's rules (see the module docstring).
ID = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"
MONEY = r"^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$"
RATE = r"^(0|[1-9][0-9]{0,2})(\.[0-9]{1,6})?$"
DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
TIMESTAMP = (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
             r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$")
SEQ = r"^[0-9]{1,5}$"
# What Python's str.strip() removes beyond the spaces btrim() removes: free text starting or ending
# with any of these goes row by row, so both paths store the same text.
EDGE_SPACE = r"[[:space:]\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u001c-\u001f]"


def applies(*, kind: str, path: Path) -> bool:
    if kind not in FAST_KINDS or connection.vendor != "postgresql":
        return False
    with path.open("rb") as probe:
        return probe.read(4) != b"PK\x03\x04"  # XLSX goes row by row


@dataclass(frozen=True)
class Plan:
    """How one kind's raw text becomes typed staging rows."""

    joins: str
    conditions: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (staging column, expression)


def _cell(name: str, present: set[str]) -> str:
    """The trimmed cell, NULL when empty or when the file has no such column."""
    return f"NULLIF(btrim(r.{name}), '')" if name in present else "NULL"


def _matches(name: str, pattern: str, present: set[str], *, required: bool) -> str:
    cell = _cell(name, present)
    if required:
        return f"({cell} IS NOT NULL AND {cell} ~ '{pattern}')"
    return f"({cell} IS NULL OR {cell} ~ '{pattern}')"


def _free_text(name: str, present: set[str], limit: int) -> str:
    cell = _cell(name, present)
    return (f"({cell} IS NULL OR (char_length({cell}) <= {limit} AND {cell} !~ '^{EDGE_SPACE}' "
            f"AND {cell} !~ '{EDGE_SPACE}$'))")


def _cents(cell: str) -> str:
    return f"CAST(CAST({cell} AS numeric) * 100 AS bigint)"


def _ppm(cell: str) -> str:
    return f"CAST(CAST({cell} AS numeric) * {PPM} AS bigint)"


def _date(cell: str) -> str:
    # Year 0 is not a date for Python; refuse it here rather than trust the cast.
    return f"CAST({cell} AS date)"


def _plan(kind: str, present: set[str]) -> Plan:
    c = {name: _cell(name, present) for name in (
        "loan_id", "borrower_id", "product", "currency", "principal", "disbursed_on", "annual_rate", "annual_cost",
        "lender_licence", "seq", "due_on", "principal_due", "interest_due", "fee_due", "payment_id", "paid_at",
        "amount", "channel")}
    if kind == "loans":
        cost = f"COALESCE({_ppm(c['annual_cost'])}, {_ppm(c['annual_rate'])})"
        licences = ", ".join(f"'{name}'" for name in sorted(LICENCES))
        currencies = ", ".join(f"'{name}'" for name in CURRENCIES)
        return Plan(
            joins=f"JOIN portfolio_borrower b ON b.external_id = {c['borrower_id']}",
            conditions=(
                _matches("loan_id", ID, present, required=True),
                _matches("borrower_id", ID, present, required=True),
                _free_text("product", present, 40),
                f"{c['currency']} IN ({currencies})",
                _matches("principal", MONEY, present, required=True),
                _matches("disbursed_on", DATE, present, required=True),
                f"left({c['disbursed_on']}, 4) <> '0000'",
                _matches("annual_rate", RATE, present, required=True),
                _matches("annual_cost", RATE, present, required=False),
                f"({c['lender_licence']} IS NULL OR {c['lender_licence']} IN ({licences}))",
                f"{_cents(c['principal'])} BETWEEN 1 AND {MAX_MONEY_CENTS}",
                f"{_ppm(c['annual_rate'])} <= 10000000 AND {cost} <= 10000000",
                f"{cost} >= {_ppm(c['annual_rate'])}",
            ),
            columns=(
                ("external_id", c["loan_id"]), ("borrower_id", "b.id"), ("product", f"COALESCE({c['product']}, '')"),
                ("currency", c["currency"]), ("principal", _cents(c["principal"])),
                ("disbursed_on", _date(c["disbursed_on"])), ("annual_rate", _ppm(c["annual_rate"])),
                ("annual_cost", cost), ("lender_licence", f"COALESCE({c['lender_licence']}, '')"),
            ),
        )
    if kind == "installments":
        fee = f"COALESCE({_cents(c['fee_due'])}, 0)"
        return Plan(
            joins=f"JOIN portfolio_loan l ON l.external_id = {c['loan_id']}",
            conditions=(
                _matches("loan_id", ID, present, required=True),
                _matches("seq", SEQ, present, required=True),
                f"CAST({c['seq']} AS integer) BETWEEN 1 AND 10000",
                _matches("due_on", DATE, present, required=True),
                f"left({c['due_on']}, 4) <> '0000'",
                _matches("principal_due", MONEY, present, required=True),
                _matches("interest_due", MONEY, present, required=True),
                _matches("fee_due", MONEY, present, required=False),
                f"{_cents(c['principal_due'])} <= {MAX_MONEY_CENTS}",
                f"{_cents(c['interest_due'])} <= {MAX_MONEY_CENTS} AND {fee} <= {MAX_MONEY_CENTS}",
                f"{_date(c['due_on'])} >= l.disbursed_on",
            ),
            columns=(
                ("loan_id", "l.id"), ("seq", f"CAST({c['seq']} AS integer)"), ("due_on", _date(c["due_on"])),
                ("principal_due", _cents(c["principal_due"])), ("interest_due", _cents(c["interest_due"])),
                ("fee_due", fee),
            ),
        )
    if kind == "payments":
        paid_at = f"CAST({c['paid_at']} AS timestamptz)"
        # DPD counts a payment on the borrower's local calendar day (as the row-by-row path does).
        paid_on = f"CAST(({paid_at} AT TIME ZONE b.timezone) AS date)"
        return Plan(
            joins=(f"JOIN portfolio_loan l ON l.external_id = {c['loan_id']} "
                   "JOIN portfolio_borrower b ON b.id = l.borrower_id"),
            conditions=(
                _matches("payment_id", ID, present, required=True),
                _matches("loan_id", ID, present, required=True),
                _matches("paid_at", TIMESTAMP, present, required=True),
                f"left({c['paid_at']}, 4) <> '0000'",
                _matches("amount", MONEY, present, required=True),
                f"{_cents(c['amount'])} BETWEEN 1 AND {MAX_MONEY_CENTS}",
                _free_text("channel", present, 40),
                f"{paid_on} >= l.disbursed_on",
            ),
            columns=(
                ("external_id", c["payment_id"]), ("loan_id", "l.id"), ("paid_at", paid_at), ("paid_on", paid_on),
                ("amount", _cents(c["amount"])), ("channel", f"COALESCE({c['channel']}, '')"),
            ),
        )
    raise ValueError(f"no fast path for {kind}")


def _raw_names(header: Sequence[str]) -> list[str]:
    """Column names for the raw table: the header's known names, placeholders for the rest."""
    names = []
    for index, name in enumerate(header):
        clean = name.strip()
        names.append(clean if clean.isidentifier() and clean.isascii() and clean.islower() else f"extra_{index}")
    return names


def try_fast_stage(*, kind: str, handler: Kind, header: Sequence[str], path: Path,
                   report: Callable[[str, float], None]) -> int | None:
    """Fill the staging table from the file; the number of rows, or None to go row by row."""
    savepoint = transaction.savepoint()
    try:
        rows = _fast_stage(kind=kind, handler=handler, header=header, path=path, report=report)
    except (DatabaseError, psycopg.Error):
        # A malformed line, a refused cast: the row-by-row path will say exactly what is wrong.
        rows = None
    if rows is None:
        transaction.savepoint_rollback(savepoint)
        return None
    transaction.savepoint_commit(savepoint)
    return rows


def _fast_stage(*, kind: str, handler: Kind, header: Sequence[str], path: Path,
                report: Callable[[str, float], None]) -> int | None:
    names = _raw_names(header)
    execute(f"DROP TABLE IF EXISTS {RAW}")
    execute(f"CREATE TEMP TABLE {RAW} (row_no bigserial, {', '.join(f'{name} text' for name in names)})")
    size = max(path.stat().st_size, 1)
    sent = 0
    last = 0.0
    with connection.cursor() as cursor, path.open("rb") as source:
        copy_sql = f"COPY {RAW} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
        with cursor.cursor.copy(copy_sql) as copy:
            first = True
            while block := source.read(BLOCK):
                if first and block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
                first = False
                copy.write(block)
                sent += len(block)
                now = time.monotonic()
                if now - last > 0.25:
                    report("reading", 0.8 * sent / size)
                    last = now
    total = int(fetch_all(f"SELECT COUNT(*) FROM {RAW}")[0][0])
    present = set(names)
    plan = _plan(kind, present)
    report("reading", 0.85)
    # row_no counts records after the header, so the spreadsheet row is row_no + 1.
    staged = execute(
        f"INSERT INTO {STAGE} (row_no, {', '.join(name for name, _ in plan.columns)}) "
        f"SELECT r.row_no + 1, {', '.join(expression for _, expression in plan.columns)} FROM {RAW} r {plan.joins} "
        f"WHERE {' AND '.join(plan.conditions)}")
    execute(f"DROP TABLE {RAW}")
    report("reading", 1.0)
    return total if staged == total else None
