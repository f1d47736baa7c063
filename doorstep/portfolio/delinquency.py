"""Set-based delinquency: every loan's position on a day, bucket history, cases and roll rates.

The numbers follow doorstep.portfolio.core.ledger (payment allocation oldest installment first,
DPD, overdue amount) and doorstep.portfolio.core.caps (the legally collectible amount); the tests
hold this SQL equal to those plain-Python statements on random books.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from doorstep.common.audit import audit_append
from doorstep.common.core.money import cents_to_decimal
from doorstep.common.errors import InvalidInput
from doorstep.common.sql import date_param, days_between, execute, fetch_all, lock
from doorstep.portfolio.core.buckets import CURRENT, BucketScheme
from doorstep.portfolio.core.caps import (
    ILLEGAL_ABOVE_PPM,
    LICENSED_CAP_PPM,
    PPM,
    PRIVATE_LPR_MULTIPLE,
    SPC_2020_REVISION_ON,
)
from doorstep.portfolio.core.ledger import validate_order

FLAG_RANK = {"ok": 0, "over_cap": 1, "illegal": 2}
TEMP_TABLES = ("doorstep_caps", "doorstep_paid", "doorstep_position", "doorstep_borrower_position")


def bucket_scheme() -> BucketScheme:
    return BucketScheme.from_pairs(settings.DOORSTEP_BUCKETS)


def _bucket_case(dpd: str, scheme: BucketScheme) -> str:
    branches = " ".join(f"WHEN {dpd} >= {low} THEN '{name}'" for name, low in reversed(scheme.bounds))
    return f"CASE {branches} ELSE '{CURRENT}' END"


def _before_principal() -> str:
    """What is paid of an installment before its principal, by the configured allocation order."""
    order = validate_order(settings.DOORSTEP_ALLOCATION_ORDER)
    parts = {"fee": "i.fee_due", "interest": "i.interest_due"}
    before = [parts[name] for name in order[: order.index("principal")]]
    return " + ".join(before) if before else "0"


def _drop_temp_tables() -> None:
    for table in TEMP_TABLES:
        execute(f"DROP TABLE IF EXISTS {table}")


def compute_positions(as_of: date) -> None:
    """Fill temporary tables with every loan's position on `as_of` (end of that local day)."""
    _drop_temp_tables()
    if connection.vendor == "postgresql":
        # Compiling these one-off statements costs PostgreSQL's JIT more (seconds) than it saves.
        execute("SET LOCAL jit = off")
    day = date_param(as_of)
    revision = date_param(SPC_2020_REVISION_ON)
    lpr = (
        "(SELECT f.one_year_rate FROM portfolio_lprfixing f WHERE f.effective_on <= l.disbursed_on "
        "ORDER BY f.effective_on DESC LIMIT 1)"
    )
    caps = (
        "CREATE TEMP TABLE doorstep_caps AS SELECT c.loan_id, c.cap_ppm, c.country, c.principal, "
        f"CASE WHEN c.cap_ppm IS NULL THEN 'ok' WHEN c.annual_cost > {ILLEGAL_ABOVE_PPM} THEN 'illegal' "
        "WHEN c.annual_cost > c.cap_ppm THEN 'over_cap' ELSE 'ok' END AS cap_flag, "
        f"CASE WHEN c.cap_ppm IS NULL OR c.annual_cost <= c.cap_ppm THEN {PPM} "
        f"ELSE c.cap_ppm * {PPM} / c.annual_cost END AS charge_factor "
        "FROM (SELECT l.id AS loan_id, l.annual_cost, l.principal, b.country, "
        "CAST(CASE WHEN b.country <> 'CN' THEN NULL "
        f"WHEN l.lender_licence <> 'private' THEN {LICENSED_CAP_PPM} "
        f"WHEN l.disbursed_on < %s THEN {LICENSED_CAP_PPM} "
        f"ELSE COALESCE({PRIVATE_LPR_MULTIPLE} * {lpr}, {LICENSED_CAP_PPM}) END AS BIGINT) AS cap_ppm "
        "FROM portfolio_loan l JOIN portfolio_borrower b ON b.id = l.borrower_id) c"
    )
    execute(caps, [revision])
    execute("CREATE UNIQUE INDEX doorstep_caps_loan ON doorstep_caps (loan_id)")
    total = "(i.principal_due + i.interest_due + i.fee_due)"
    paid = "COALESCE(p.paid, 0)"
    principal_room = f"({paid} - i.due_before - ({_before_principal()}))"
    principal_paid = (
        f"CASE WHEN {principal_room} <= 0 THEN 0 WHEN {principal_room} >= i.principal_due "
        f"THEN i.principal_due ELSE {principal_room} END"
    )
    aggregate = (
        "SELECT l.id AS loan_id, l.borrower_id, "
        f"MIN(CASE WHEN i.due_on < %s AND i.due_before + {total} > {paid} THEN i.due_on END) AS oldest_unpaid, "
        f"COALESCE(SUM(CASE WHEN i.due_on < %s THEN {total} ELSE 0 END), 0) AS due_past, "
        # BIGINT: PostgreSQL sums bigints as numeric, and numeric division would round the collectible
        # amount instead of flooring it in the borrower's favour as the ledger does.
        "CAST(COALESCE(SUM(CASE WHEN i.due_on < %s THEN i.principal_due ELSE 0 END), 0) AS BIGINT) AS principal_past, "
        "CAST(COALESCE(SUM(CASE WHEN i.due_on < %s THEN i.interest_due + i.fee_due ELSE 0 END), 0) AS BIGINT) "
        "AS charges_past, "
        f"COALESCE(SUM({principal_paid}), 0) AS principal_paid, "
        "CAST(COALESCE(SUM(i.principal_due), 0) AS BIGINT) AS principal_total, "
        # Not stored by the refresh; kept for the scoring features, which would otherwise read every
        # installment a second time.
        f"COALESCE(SUM(CASE WHEN i.due_on < %s AND i.due_before + {total} > {paid} THEN 1 ELSE 0 END), 0) "
        "AS installments_overdue, "
        f"MAX({paid}) AS total_paid "
        "FROM portfolio_loan l LEFT JOIN portfolio_installment i ON i.loan_id = l.id "
        # What each loan had paid by the day, in the statement rather than a temporary table: PostgreSQL
        # reads temporary tables in one process only, and with it inline the pass over every
        # installment runs in parallel workers. BIGINT: a sum of bigints is numeric, slower to compute with.
        "LEFT JOIN (SELECT loan_id, CAST(SUM(amount) AS BIGINT) AS paid FROM portfolio_payment "
        "WHERE paid_on <= %s GROUP BY loan_id) p ON p.loan_id = l.id GROUP BY l.id, l.borrower_id"
    )
    dpd = f"CASE WHEN a.oldest_unpaid IS NULL THEN 0 ELSE {days_between('%s', 'a.oldest_unpaid')} END"
    if connection.vendor == "postgresql":
        dpd = dpd.replace("%s", "CAST(%s AS date)", 1)
    claimable = f"(a.principal_past * a.principal_factor / {PPM} + a.charges_past * a.charge_factor / {PPM})"
    # CN: principal is the cash paid out; a schedule asking back more (砍头息) is cut pro rata.
    principal_factor = (
        f"CASE WHEN c.country = 'CN' AND s.principal_total > c.principal "
        f"THEN c.principal * {PPM} / s.principal_total ELSE {PPM} END"
    )
    scheme = bucket_scheme()
    execute(
        "CREATE TEMP TABLE doorstep_position AS SELECT x.*, "
        f"{_bucket_case('x.dpd', scheme)} AS bucket FROM (SELECT a.loan_id, a.borrower_id, {dpd} AS dpd, "
        "COALESCE(a.total_paid, 0) AS total_paid, "
        "CASE WHEN a.due_past > COALESCE(a.total_paid, 0) THEN a.due_past - COALESCE(a.total_paid, 0) ELSE 0 END "
        "AS overdue_amount, "
        "a.principal_total - a.principal_paid AS outstanding_principal, "
        f"CASE WHEN {claimable} > COALESCE(a.total_paid, 0) THEN {claimable} - COALESCE(a.total_paid, 0) ELSE 0 END "
        "AS collectible_amount, a.cap_ppm, a.cap_flag, a.charge_factor, a.principal_factor, "
        "a.principal_total, a.installments_overdue "
        f"FROM (SELECT s.*, c.cap_ppm, c.cap_flag, c.charge_factor, {principal_factor} AS principal_factor "
        f"FROM ({aggregate}) s JOIN doorstep_caps c ON c.loan_id = s.loan_id) a) x",
        [day, day, day, day, day, day, day],
    )
    if connection.vendor == "postgresql":
        execute("ANALYZE doorstep_position")


@dataclass
class RefreshSummary:
    as_of: date
    loans: int = 0
    overdue_loans: int = 0
    history_rows: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    open_cases: int = 0
    current: bool = True  # False: a back-filled day; only history was appended
    seconds: dict[str, float] = field(default_factory=dict)


def _latest_as_of() -> date | None:
    rows = fetch_all("SELECT MAX(as_of) FROM portfolio_loanstatus")
    value = rows[0][0]
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@transaction.atomic
def delinquency_refresh(*, as_of: date, by: Any = None) -> RefreshSummary:
    """Compute every loan's position on `as_of`, append the day to the bucket history (never
    rewriting a day already recorded), and, unless this back-fills an earlier day, replace the
    current loan statuses and open or close cases."""
    lock("delinquency-refresh")
    summary = RefreshSummary(as_of=as_of)
    started = time.perf_counter()
    compute_positions(as_of)
    summary.seconds["positions"] = time.perf_counter() - started
    day = date_param(as_of)
    now = timezone.now()

    started = time.perf_counter()
    summary.history_rows = execute(
        "INSERT INTO portfolio_buckethistory (loan_id, as_of, dpd, bucket, overdue_amount, outstanding_principal, "
        "collectible_amount, cap_flag, recorded_at) SELECT p.loan_id, %s, p.dpd, p.bucket, p.overdue_amount, "
        "p.outstanding_principal, p.collectible_amount, p.cap_flag, %s FROM doorstep_position p "
        "WHERE (p.outstanding_principal > 0 OR p.overdue_amount > 0) AND NOT EXISTS (SELECT 1 FROM "
        "portfolio_buckethistory h WHERE h.loan_id = p.loan_id AND h.as_of = %s)",
        [day, now if connection.vendor == "postgresql" else now.replace(tzinfo=None).isoformat(sep=" "), day],
    )
    summary.seconds["history"] = time.perf_counter() - started

    latest = _latest_as_of()
    summary.current = latest is None or as_of >= latest
    counts = fetch_all("SELECT COUNT(*), SUM(CASE WHEN dpd > 0 THEN 1 ELSE 0 END) FROM doorstep_position")[0]
    summary.loans, summary.overdue_loans = int(counts[0]), int(counts[1] or 0)
    if summary.current:
        started = time.perf_counter()
        # Rewritten in full: TRUNCATE leaves no million dead rows behind (readers of the statuses
        # wait for the refresh to commit); SQLite has no TRUNCATE.
        empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
        execute(f"{empty} portfolio_loanstatus")
        execute(
            "INSERT INTO portfolio_loanstatus (loan_id, as_of, dpd, bucket, total_paid, overdue_amount, "
            "outstanding_principal, collectible_amount, cap_rate, cap_flag, charge_factor, principal_factor) "
            "SELECT loan_id, %s, dpd, bucket, total_paid, overdue_amount, outstanding_principal, "
            "collectible_amount, cap_ppm, cap_flag, charge_factor, principal_factor FROM doorstep_position",
            [day],
        )
        summary.seconds["status"] = time.perf_counter() - started
        started = time.perf_counter()
        summary.cases_opened, summary.cases_closed = _refresh_cases(as_of)
        summary.seconds["cases"] = time.perf_counter() - started
    summary.open_cases = int(fetch_all("SELECT COUNT(*) FROM portfolio_case WHERE status = 'open'")[0][0])
    _drop_temp_tables()
    audit_append(
        actor=by,
        action="delinquency.refresh",
        subject_type="portfolio",
        subject_id=as_of.isoformat(),
        data={
            "loans": summary.loans,
            "overdue_loans": summary.overdue_loans,
            "history_rows": summary.history_rows,
            "current": summary.current,
            "cases_opened": summary.cases_opened,
            "cases_closed": summary.cases_closed,
        },
    )
    return summary


def _refresh_cases(as_of: date) -> tuple[int, int]:
    """Open, update and close cases from the day's positions; returns (opened, closed)."""
    day = date_param(as_of)
    scheme = bucket_scheme()
    rank = "CASE p.cap_flag WHEN 'illegal' THEN 2 WHEN 'over_cap' THEN 1 ELSE 0 END"
    execute(
        "CREATE TEMP TABLE doorstep_borrower_position AS SELECT p.borrower_id, MAX(p.dpd) AS max_dpd, "
        "SUM(p.overdue_amount) AS overdue_amount, SUM(p.collectible_amount) AS collectible_amount, "
        f"SUM(p.outstanding_principal) AS outstanding_principal, MAX({rank}) AS flag_rank, "
        "MAX(l.currency) AS currency FROM doorstep_position p JOIN portfolio_loan l ON l.id = p.loan_id "
        "GROUP BY p.borrower_id HAVING MAX(p.dpd) > 0"
    )
    execute("CREATE UNIQUE INDEX doorstep_borrower_position_id ON doorstep_borrower_position (borrower_id)")
    flag = "CASE bp.flag_rank WHEN 2 THEN 'illegal' WHEN 1 THEN 'over_cap' ELSE 'ok' END"
    figures = (
        f"as_of = %s, max_dpd = bp.max_dpd, bucket = {_bucket_case('bp.max_dpd', scheme)}, "
        "overdue_amount = bp.overdue_amount, collectible_amount = bp.collectible_amount, "
        f"outstanding_principal = bp.outstanding_principal, cap_flag = {flag}, "
        "is_collection_blocked = (bp.flag_rank = 2), currency = bp.currency, territory_id = b.territory_id"
    )
    # Close cases whose borrower has nothing overdue any more.
    closed = execute(
        "UPDATE portfolio_case SET status = 'closed', closed_on = %s, as_of = %s WHERE status = 'open' AND "
        "NOT EXISTS (SELECT 1 FROM doorstep_borrower_position bp "
        "WHERE bp.borrower_id = portfolio_case.borrower_id)",
        [day, day],
    )
    execute(
        f"UPDATE portfolio_case AS c SET {figures} FROM doorstep_borrower_position bp "
        "JOIN portfolio_borrower b ON b.id = bp.borrower_id WHERE c.borrower_id = bp.borrower_id "
        "AND c.status = 'open'",
        [day],
    )
    opened = execute(
        "INSERT INTO portfolio_case (borrower_id, status, opened_on, as_of, currency, max_dpd, bucket, overdue_amount, "
        "collectible_amount, outstanding_principal, cap_flag, is_collection_blocked, territory_id) "
        f"SELECT bp.borrower_id, 'open', %s, %s, bp.currency, bp.max_dpd, {_bucket_case('bp.max_dpd', scheme)}, "
        f"bp.overdue_amount, bp.collectible_amount, bp.outstanding_principal, {flag}, (bp.flag_rank = 2), "
        "b.territory_id FROM doorstep_borrower_position bp JOIN portfolio_borrower b ON b.id = bp.borrower_id "
        "WHERE NOT EXISTS (SELECT 1 FROM portfolio_case c WHERE c.borrower_id = bp.borrower_id AND c.status = 'open')",
        [day, day],
    )
    return opened, closed


EXPORT_COLUMNS = (
    "loan_id",
    "borrower_id",
    "dpd",
    "bucket",
    "overdue_amount",
    "outstanding_principal",
    "collectible_amount",
    "cap_flag",
)


def delinquency_rows(as_of: date) -> Iterator[tuple[Any, ...]]:
    """Every loan's position on a day, in loan id order, computed afresh (no refresh needed)."""
    with transaction.atomic():
        compute_positions(as_of)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT l.external_id, b.external_id, p.dpd, p.bucket, p.overdue_amount, p.outstanding_principal, "
                "p.collectible_amount, p.cap_flag FROM doorstep_position p JOIN portfolio_loan l ON l.id = p.loan_id "
                "JOIN portfolio_borrower b ON b.id = p.borrower_id ORDER BY l.external_id"
            )
            while batch := cursor.fetchmany(5000):
                for row in batch:
                    yield (
                        row[0],
                        row[1],
                        row[2],
                        row[3],
                        cents_to_decimal(row[4]),
                        cents_to_decimal(row[5]),
                        cents_to_decimal(row[6]),
                        row[7],
                    )
        _drop_temp_tables()


def delinquency_export(*, as_of: date, path: Path) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in delinquency_rows(as_of):
            writer.writerow(row)
            count += 1
    return count


@dataclass(frozen=True)
class RollRates:
    from_on: date
    to_on: date
    buckets: tuple[str, ...]  # rows; columns are these plus "closed"
    counts: dict[str, dict[str, int]]
    amounts: dict[str, dict[str, int]]  # overdue amount (cents) on the first day

    def row_total(self, bucket: str) -> int:
        return sum(self.counts[bucket].values())

    def share(self, source: str, target: str) -> float:
        total = self.row_total(source)
        return self.counts[source][target] / total if total else 0.0

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.buckets, "closed")

    @property
    def table(self) -> list[dict[str, Any]]:
        """Rows for display: each cell's count, share in percent, and whether it stayed put."""
        return [
            {
                "bucket": source,
                "total": self.row_total(source),
                "cells": [
                    {
                        "target": target,
                        "count": self.counts[source][target],
                        "share": self.share(source, target) * 100,
                        "diagonal": target == source,
                    }
                    for target in self.columns
                ],
            }
            for source in self.buckets
        ]


def _recorded(day: date) -> bool:
    return bool(fetch_all("SELECT 1 FROM portfolio_buckethistory WHERE as_of = %s LIMIT 1", [date_param(day)]))


def roll_rates(*, from_on: date, to_on: date) -> RollRates:
    """How loans in each bucket on one day stood on a later day ("closed": no longer active)."""
    if to_on <= from_on:
        raise InvalidInput("the second date must be after the first")
    for day in (from_on, to_on):
        if not _recorded(day):
            raise InvalidInput(f"no delinquency refresh was recorded for {day.isoformat()}")
    scheme = bucket_scheme()
    columns = (*scheme.names, "closed")
    counts = {bucket: dict.fromkeys(columns, 0) for bucket in scheme.names}
    amounts = {bucket: dict.fromkeys(columns, 0) for bucket in scheme.names}
    rows = fetch_all(
        "SELECT a.bucket, COALESCE(b.bucket, 'closed'), COUNT(*), SUM(a.overdue_amount) "
        "FROM portfolio_buckethistory a LEFT JOIN portfolio_buckethistory b ON b.loan_id = a.loan_id AND b.as_of = %s "
        "WHERE a.as_of = %s GROUP BY a.bucket, COALESCE(b.bucket, 'closed')",
        [date_param(to_on), date_param(from_on)],
    )
    for source, target, count, amount in rows:
        if source in counts and target in counts[source]:
            counts[source][target] += int(count)
            amounts[source][target] += int(amount or 0)
    return RollRates(from_on, to_on, scheme.names, counts, amounts)
