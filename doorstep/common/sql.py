"""The few places where PostgreSQL and SQLite SQL differ, for set-based services."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection


def vendor() -> str:
    return str(connection.vendor)


def json_value(placeholder: str) -> str:
    """A JSON document given as text, in the column type Django uses for JSONField."""
    return f"CAST({placeholder} AS jsonb)" if vendor() == "postgresql" else placeholder


def days_between(later: str, earlier: str) -> str:
    """Whole days from one date expression to another."""
    if vendor() == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def date_param(day: date) -> Any:
    return day if vendor() == "postgresql" else day.isoformat()


def lock(name: str) -> None:
    """Serialise work on one resource until the transaction ends (SQLite writers are serial anyway)."""
    if vendor() == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")  # Django keeps UTC, naive, in SQLite
    if isinstance(value, date):
        return value.isoformat()
    return value


def bulk_load(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Append rows to a (staging) table: COPY on PostgreSQL, executemany on SQLite."""
    count = 0
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            raw = cursor.cursor  # the psycopg cursor underneath Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
            batch = [tuple(_sqlite_value(value) for value in row) for row in rows]
            cursor.cursor.executemany(statement, batch)
            count = len(batch)
    return count


# For one transaction of bulk work (an import): sorts, hashes and index builds over millions of rows.
BULK_WORK_MEMORY = "256MB"


def roomy_work_memory() -> None:
    """Raise work_mem and maintenance_work_mem until the end of the current transaction (PostgreSQL)."""
    if vendor() == "postgresql":
        execute(f"SET LOCAL work_mem = '{BULK_WORK_MEMORY}'")
        execute(f"SET LOCAL maintenance_work_mem = '{BULK_WORK_MEMORY}'")


def analyze(table: str) -> None:
    """Refresh the planner's statistics of a table after a bulk change (PostgreSQL; inside the
    transaction, so its own new rows are counted). Autovacuum would, but later, or not at all."""
    if vendor() == "postgresql":
        execute(f"ANALYZE {table}")


def fetch_all(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)
