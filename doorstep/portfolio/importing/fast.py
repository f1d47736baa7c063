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

# Every check is stricter than or equal to the row parser's rules (see the module docstring), and
# cheap: a cell is a number or a date in exactly the text the format asks for when converting it and
# printing it back gives the same text (so no sign, no leading zeros, no spaces: PostgreSQL's
# regular expressions cost a microsecond or more a cell). A cast that fails on a bad cell aborts the
# attempt, which sends the file row by row. Ranges are checked afterwards on the typed rows.
ID = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"
ID_LONGEST = 64
DIGITS = "0123456789"
# What Python's str.strip() removes: free text starting or ending with any of these goes row by row,
# so both paths store the same text.
EDGE_SPACE = ("E' \\t\\n\\u000b\\f\\r\\u001c\\u001d\\u001e\\u001f\\u0085\\u00a0\\u1680\\u2000\\u2001\\u2002"
              "\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'")


def applies(*, kind: str, path: Path) -> bool:
    if kind not in FAST_KINDS or connection.vendor != "postgresql":
        return False
    with path.open("rb") as probe:
        return probe.read(4) != b"PK\x03\x04"  # XLSX goes row by row


@dataclass(frozen=True)
class Plan:
    """How one kind's raw text becomes typed staging rows, and what those rows must satisfy."""

    joins: str
    conditions: tuple[str, ...]  # on the raw text (and the joined rows)
    columns: tuple[tuple[str, str], ...]  # (staging column, expression)
    ranges: str  # on the typed staging row s: true for every acceptable row


def _cell(name: str, present: set[str]) -> str:
    """The cell as sent, NULL when empty or when the file has no such column. Not trimmed: a padded
    cell fails the exact-text checks and goes row by row, where Python trims it."""
    return f"NULLIF(r.{name}, '')" if name in present else "NULL"


def _present(cell: str, test: str, *, required: bool) -> str:
    return f"({cell} IS NOT NULL AND {test})" if required else f"({cell} IS NULL OR ({test}))"


def _new_id(cell: str) -> str:
    return _present(cell, f"char_length({cell}) <= {ID_LONGEST} AND {cell} ~ '{ID}'", required=True)


def _decimal(cell: str, *, places: int, required: bool) -> str:
    test = (f"CAST(CAST({cell} AS numeric) AS text) = {cell} AND left({cell}, 1) <> '-' "
            f"AND (strpos({cell}, '.') = 0 OR char_length({cell}) - strpos({cell}, '.') <= {places})")
    return _present(cell, test, required=required)


def _whole(cell: str) -> str:
    return _present(cell, f"CAST(CAST({cell} AS integer) AS text) = {cell}", required=True)


def _iso_date(cell: str) -> str:
    # DateStyle is ISO for the attempt, so a date prints as YYYY-MM-DD.
    return _present(cell, f"CAST(CAST({cell} AS date) AS text) = {cell}", required=True)


def _iso_timestamp(cell: str) -> str:
    """YYYY-MM-DDTHH:MM:SS, up to six decimals of a second, then Z or ±HH:MM (ranges as Python's)."""
    zulu = f"right({cell}, 1) = 'Z'"
    offset = f"right({cell}, 6)"
    fraction = f"substr({cell}, 20, char_length({cell}) - CASE WHEN {zulu} THEN 20 ELSE 25 END)"
    test = (
        f"char_length({cell}) BETWEEN 20 AND 32 AND translate(left({cell}, 19), '{DIGITS}', '') = '--T::' "
        f"AND substr({cell}, 5, 1) = '-' AND substr({cell}, 8, 1) = '-' AND substr({cell}, 11, 1) = 'T' "
        f"AND substr({cell}, 14, 1) = ':' AND substr({cell}, 17, 1) = ':' AND substr({cell}, 12, 2) < '24' "
        f"AND substr({cell}, 15, 2) < '60' AND substr({cell}, 18, 2) < '60' "
        f"AND ({zulu} OR (translate({offset}, '{DIGITS}', '') IN ('+:', '-:') AND left({offset}, 1) IN ('+', '-') "
        f"AND substr({offset}, 4, 1) = ':' AND substr({offset}, 2, 2) < '24' AND substr({offset}, 5, 2) < '60')) "
        f"AND ({fraction} = '' OR (left({fraction}, 1) = '.' AND char_length({fraction}) BETWEEN 2 AND 7 "
        f"AND translate({fraction}, '{DIGITS}', '') = '.'))"
    )
    return _present(cell, test, required=True)


def _free_text(cell: str, limit: int) -> str:
    return f"({cell} IS NULL OR (char_length({cell}) <= {limit} AND btrim({cell}, {EDGE_SPACE}) = {cell}))"


def _cents(cell: str) -> str:
    return f"CAST(CAST({cell} AS numeric) * 100 AS bigint)"


def _ppm(cell: str) -> str:
    return f"CAST(CAST({cell} AS numeric) * {PPM} AS bigint)"


def _plan(kind: str, present: set[str]) -> Plan:
    c = {name: _cell(name, present) for name in (
        "loan_id", "borrower_id", "product", "currency", "principal", "disbursed_on", "annual_rate", "annual_cost",
        "lender_licence", "seq", "due_on", "principal_due", "interest_due", "fee_due", "payment_id", "paid_at",
        "amount", "channel")}
    if kind == "loans":
        licences = ", ".join(f"'{name}'" for name in sorted(LICENCES))
        currencies = ", ".join(f"'{name}'" for name in CURRENCIES)
        return Plan(
            joins=f"JOIN portfolio_borrower b ON b.external_id = {c['borrower_id']}",
            conditions=(
                _new_id(c["loan_id"]),
                _free_text(c["product"], 40),
                f"{c['currency']} IN ({currencies})",
                _decimal(c["principal"], places=2, required=True),
                _iso_date(c["disbursed_on"]),
                _decimal(c["annual_rate"], places=6, required=True),
                _decimal(c["annual_cost"], places=6, required=False),
                f"({c['lender_licence']} IS NULL OR {c['lender_licence']} IN ({licences}))",
            ),
            columns=(
                ("external_id", c["loan_id"]), ("borrower_id", "b.id"), ("product", f"COALESCE({c['product']}, '')"),
                ("currency", c["currency"]), ("principal", _cents(c["principal"])),
                ("disbursed_on", f"CAST({c['disbursed_on']} AS date)"), ("annual_rate", _ppm(c["annual_rate"])),
                ("annual_cost", f"COALESCE({_ppm(c['annual_cost'])}, {_ppm(c['annual_rate'])})"),
                ("lender_licence", f"COALESCE({c['lender_licence']}, '')"),
            ),
            ranges=(f"s.principal BETWEEN 1 AND {MAX_MONEY_CENTS} AND s.annual_rate <= 10000000 "
                    "AND s.annual_cost <= 10000000 AND s.annual_cost >= s.annual_rate"),
        )
    if kind == "installments":
        return Plan(
            # The loan's id was checked when the loan was imported: joining on it checks the cell.
            joins=f"JOIN portfolio_loan l ON l.external_id = {c['loan_id']}",
            conditions=(
                _whole(c["seq"]),
                _iso_date(c["due_on"]),
                _decimal(c["principal_due"], places=2, required=True),
                _decimal(c["interest_due"], places=2, required=True),
                _decimal(c["fee_due"], places=2, required=False),
                f"CAST({c['due_on']} AS date) >= l.disbursed_on",
            ),
            columns=(
                ("loan_id", "l.id"), ("seq", f"CAST({c['seq']} AS integer)"),
                ("due_on", f"CAST({c['due_on']} AS date)"), ("principal_due", _cents(c["principal_due"])),
                ("interest_due", _cents(c["interest_due"])), ("fee_due", f"COALESCE({_cents(c['fee_due'])}, 0)"),
            ),
            ranges=(f"s.seq BETWEEN 1 AND 10000 AND s.principal_due <= {MAX_MONEY_CENTS} "
                    f"AND s.interest_due <= {MAX_MONEY_CENTS} AND s.fee_due <= {MAX_MONEY_CENTS}"),
        )
    if kind == "payments":
        paid_at = f"CAST({c['paid_at']} AS timestamptz)"
        # DPD counts a payment on the borrower's local calendar day (as the row-by-row path does).
        paid_on = f"CAST(({paid_at} AT TIME ZONE b.timezone) AS date)"
        return Plan(
            joins=(f"JOIN portfolio_loan l ON l.external_id = {c['loan_id']} "
                   "JOIN portfolio_borrower b ON b.id = l.borrower_id"),
            conditions=(
                _new_id(c["payment_id"]),
                _iso_timestamp(c["paid_at"]),
                _decimal(c["amount"], places=2, required=True),
                _free_text(c["channel"], 40),
                f"{paid_on} >= l.disbursed_on",
            ),
            columns=(
                ("external_id", c["payment_id"]), ("loan_id", "l.id"), ("paid_at", paid_at), ("paid_on", paid_on),
                ("amount", _cents(c["amount"])), ("channel", f"COALESCE({c['channel']}, '')"),
            ),
            ranges=f"s.amount BETWEEN 1 AND {MAX_MONEY_CENTS}",
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
    # row_no counts records after the header, so the spreadsheet row is row_no + 1. The many checks
    # make the planner expect a handful of rows and choose an index lookup per row; a hash join over
    # the referenced table is what millions of rows want.
    execute("SET LOCAL enable_nestloop = off")
    execute("SET LOCAL DateStyle = 'ISO, YMD'")
    staged = execute(
        f"INSERT INTO {STAGE} (row_no, {', '.join(name for name, _ in plan.columns)}) "
        f"SELECT r.row_no + 1, {', '.join(expression for _, expression in plan.columns)} FROM {RAW} r {plan.joins} "
        f"WHERE {' AND '.join(plan.conditions)}")
    execute("SET LOCAL enable_nestloop = on")
    execute(f"DROP TABLE {RAW}")
    if staged != total or fetch_all(f"SELECT EXISTS (SELECT 1 FROM {STAGE} s WHERE NOT ({plan.ranges}))")[0][0]:
        return None
    report("reading", 1.0)
    return total
