"""Features of every case open on a day, computed set-based in SQL with no look-ahead.

One pass of `doorstep.portfolio.delinquency.compute_positions` gives every loan's position on the
day (DPD, overdue and legally collectible amounts, as the refresh computes them); one more query
joins per-borrower aggregates of the history onto the cases open that day. Nothing is read per case.

**No look-ahead.** Every row read is dated on or before `as_of`: payments by `paid_on`, installments
by `due_on` (and the amount paid on them by that day), DPD history by its day, loans by
`disbursed_on`, promises by `made_on` (and only payments up to `as_of` can keep them), contact
attempts by `at` (before the end of `as_of` in settings.TIME_ZONE) and field visits by `day`. A case
is in the population when it was open that day (opened on or before it, not closed by then). Only
the labelled variant, for training snapshots, reads after `as_of`: the target (any payment in the
30 days after), the treatment (a field visit in the 7 days after) and whether an untreated case was
visited later within the 30 days (such a row is left out of the uplift model's rows).

**What is used** (case = one borrower's loans together; "in the last N days" = the N days ending on
`as_of`):
- delinquency: DPD now, the highest DPD in the last 90 and 180 days (history and today), bucket
  rank, installments overdue, overdue, collectible and outstanding amounts, share of the scheduled
  principal repaid;
- payment history: days since the last payment, payments and amount paid in the last 30/90 days,
  share of the installments due in the last 180 days that were paid in full by their due date;
- promises to pay made in the last 180 days: made, kept (paid in full from the day made to the due
  date, as doorstep.field.core.promises), broken (due date passed and not kept);
- contact: attempts made (not blocked) and calls connected in the last 30 days; field visits and
  visits that met someone in the last 90 days. A visit is a contact attempt by channel `visit` that
  was not blocked (every visit the field app starts is one; so are visits recorded outside it, such
  as the demo's generated history), or a field visit that never started its attempt;
- loan attributes: number of loans disbursed, total principal paid out, mean annual interest rate,
  days since the newest and the oldest disbursal (the latter also the borrower's time as a customer).

**What is not used**: no protected attribute or proxy of one. Not ethnicity, gender, age, religion,
marital status or home province/origin, nor anything that encodes them: the name, the national id
(it carries the birth date, sex and birthplace), phone numbers, the address, coordinates and
territory, jurisdiction, language and time zone. Nor the compliance flags and states (dispute,
vulnerable, hardship...: they restrict contact, they are not a risk score) or safety flags, nor the
contacts and their relationships (undated: using them would also look ahead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection, transaction

from doorstep.common.sql import date_param, days_between, execute, roomy_work_memory
from doorstep.portfolio.delinquency import TEMP_TABLES, bucket_scheme, compute_positions
from doorstep.scoring.core.features import FeatureMatrix, IntArray

# Feature name → (English words, Chinese words), for reasons shown to people (doorstep.scoring.core.explain).
FEATURE_CATALOGUE: dict[str, tuple[str, str]] = {
    "dpd": ("days past due now", "当前逾期天数"),
    "dpd_max_90d": ("highest days past due in 90 days", "近90天最高逾期天数"),
    "dpd_max_180d": ("highest days past due in 180 days", "近180天最高逾期天数"),
    "bucket_rank": ("delinquency bucket (0 = current)", "逾期阶段（0为正常）"),
    "installments_overdue": ("installments overdue", "逾期期数"),
    "overdue_amount": ("amount overdue", "逾期金额"),
    "collectible_amount": ("collectible amount", "可催收金额"),
    "outstanding_principal": ("outstanding principal", "未还本金"),
    "principal_repaid_share": ("share of principal repaid", "已还本金比例"),
    "days_since_payment": ("days since the last payment", "距上次还款天数"),
    "payments_30d": ("payments in the last 30 days", "近30天还款次数"),
    "payments_90d": ("payments in the last 90 days", "近90天还款次数"),
    "paid_amount_90d": ("amount paid in the last 90 days", "近90天还款金额"),
    "on_time_share_180d": ("share of installments paid on time (180 days)", "近180天按时还款比例"),
    "promises_made_180d": ("promises to pay made (180 days)", "近180天承诺还款次数"),
    "promises_kept_180d": ("promises to pay kept (180 days)", "近180天兑现承诺次数"),
    "promises_broken_180d": ("promises to pay broken (180 days)", "近180天违背承诺次数"),
    "contact_attempts_30d": ("contact attempts in the last 30 days", "近30天联系次数"),
    "connected_calls_30d": ("calls answered in the last 30 days", "近30天接通电话次数"),
    "visits_90d": ("field visits in the last 90 days", "近90天外访次数"),
    "visits_met_90d": ("visits that met someone (90 days)", "近90天外访见面次数"),
    "loans": ("number of loans", "贷款笔数"),
    "principal": ("principal paid out", "放款本金"),
    "annual_rate": ("annual interest rate", "年利率"),
    "loan_age_days": ("days since the newest loan", "最近一笔贷款天数"),
    "customer_days": ("days as a customer", "客户时长（天）"),
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURE_CATALOGUE)

TARGET_DAYS = 30  # target: any payment within this many days after as_of
TREATMENT_DAYS = 7  # treatment: a field visit within this many days after as_of

_POPULATION = "doorstep_scoring_cases"
_LOANS = "doorstep_scoring_loans"
_OWN_TABLES = (_POPULATION, _LOANS)


@dataclass(frozen=True, eq=False)
class CaseFeatures:
    """One row per case open on `as_of`, in case id order."""

    as_of: date
    matrix: FeatureMatrix  # row_ids are case ids
    expected_cents: IntArray  # the collectible amount in cents: what a payment in full would bring
    buckets: tuple[str, ...]

    @property
    def case_ids(self) -> IntArray:
        return self.matrix.row_ids


@dataclass(frozen=True, eq=False)
class LabelledCaseFeatures:
    """Features on `as_of` with what happened after it (training snapshots only)."""

    features: CaseFeatures
    target: IntArray  # 1: a payment within TARGET_DAYS after as_of
    treatment: IntArray  # 1: a field visit within TREATMENT_DAYS after as_of
    # 1: no visit within TREATMENT_DAYS, but one later, by TARGET_DAYS after as_of. Such a visit can
    # still cause the payment the target counts, so the row is neither cleanly treated nor a clean
    # control: doorstep.scoring.services.scoring_train leaves it out of the uplift model's rows.
    visited_late: IntArray


def _moment_param(moment: datetime) -> Any:
    """A timestamp for raw SQL: aware on PostgreSQL, naive UTC text on SQLite (as Django stores it)."""
    utc = moment.astimezone(ZoneInfo("UTC"))
    return utc if connection.vendor == "postgresql" else utc.replace(tzinfo=None).isoformat(sep=" ")


def _params(as_of: date) -> dict[str, Any]:
    zone = ZoneInfo(settings.TIME_ZONE)
    end_of_day = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone)
    params = {"day": as_of}
    for days in (30, 90, 180):
        params[f"d{days}"] = as_of - timedelta(days=days)
    values: dict[str, Any] = {name: date_param(day) for name, day in params.items()}
    values["attempts_from"] = _moment_param(end_of_day - timedelta(days=30))
    values["attempts_until"] = _moment_param(end_of_day)
    values["visits_from"] = _moment_param(end_of_day - timedelta(days=90))
    values["treatment_from"] = values["attempts_until"]
    values["treatment_until"] = _moment_param(end_of_day + timedelta(days=TREATMENT_DAYS))
    values["target_until_moment"] = _moment_param(end_of_day + timedelta(days=TARGET_DAYS))
    return values


def _run(sql: str, params: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _drop_tables() -> None:
    for table in (*_OWN_TABLES, *TEMP_TABLES):
        execute(f"DROP TABLE IF EXISTS {table}")


def _bigint(expression: str) -> str:
    # PostgreSQL sums bigints as numeric (Decimal in Python); whole numbers are wanted here.
    return f"CAST({expression} AS BIGINT)"


def _population(params: dict[str, Any]) -> None:
    _run(
        f"CREATE TEMP TABLE {_POPULATION} AS SELECT c.id AS case_id, c.borrower_id FROM portfolio_case c "
        "WHERE c.opened_on <= %(day)s AND (c.closed_on IS NULL OR c.closed_on > %(day)s)",
        params,
    )
    execute(f"CREATE UNIQUE INDEX {_POPULATION}_borrower ON {_POPULATION} (borrower_id)")
    _run(
        f"CREATE TEMP TABLE {_LOANS} AS SELECT l.id AS loan_id, l.borrower_id, l.principal, l.annual_rate, "
        f"l.disbursed_on FROM portfolio_loan l JOIN {_POPULATION} c ON c.borrower_id = l.borrower_id "
        "WHERE l.disbursed_on <= %(day)s",
        params,
    )
    execute(f"CREATE UNIQUE INDEX {_LOANS}_loan ON {_LOANS} (loan_id)")
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {_POPULATION}")
        execute(f"ANALYZE {_LOANS}")


def _number(expression: str) -> str:
    """A column of the feature rows: double precision, NaN for NULL on PostgreSQL (so every binary
    COPY row has the same width); SQLite's NULL becomes NaN when the rows become an array."""
    if connection.vendor == "postgresql":
        return f"COALESCE(CAST({expression} AS DOUBLE PRECISION), 'NaN'::DOUBLE PRECISION)"
    return f"CAST({expression} AS REAL)"


def _days_before(expression: str) -> str:
    day = "CAST(%(day)s AS DATE)" if connection.vendor == "postgresql" else "%(day)s"
    return days_between(day, expression)


# The feature rows' columns after the case id, in the order of _feature_sql's select list.
_ROW_COLUMNS = (
    "dpd",
    "dpd90",
    "dpd180",
    "overdue_count",
    "overdue",
    "collectible",
    "outstanding",
    "principal_scheduled",
    "days_since_payment",
    "payments30",
    "payments90",
    "paid90",
    "due_recent",
    "on_time",
    "made",
    "kept",
    "broken",
    "attempts",
    "connected",
    "visits",
    "met",
    "loans",
    "principal",
    "rate",
    "customer_days",
    "loan_age_days",
)


def _feature_sql() -> str:
    total = "(i.principal_due + i.interest_due + i.fee_due)"
    # compute_positions already read every installment: the count overdue and the scheduled principal
    # come with the positions rather than from a second pass over the installments.
    positions = (
        "SELECT sl.borrower_id, MAX(p.dpd) AS dpd, "
        f"{_bigint('SUM(p.overdue_amount)')} AS overdue, {_bigint('SUM(p.collectible_amount)')} AS collectible, "
        f"{_bigint('SUM(p.outstanding_principal)')} AS outstanding, COUNT(*) AS loans, "
        f"{_bigint('SUM(sl.principal)')} AS principal, AVG(sl.annual_rate) AS rate, "
        "MIN(sl.disbursed_on) AS first_disbursed, MAX(sl.disbursed_on) AS last_disbursed, "
        f"SUM(p.installments_overdue) AS overdue_count, {_bigint('SUM(p.principal_total)')} AS principal_scheduled "
        f"FROM {_LOANS} sl JOIN doorstep_position p ON p.loan_id = sl.loan_id GROUP BY sl.borrower_id"
    )
    history = (
        "SELECT sl.borrower_id, MAX(CASE WHEN h.as_of > %(d90)s THEN h.dpd END) AS dpd90, MAX(h.dpd) AS dpd180 "
        f"FROM {_LOANS} sl JOIN portfolio_buckethistory h ON h.loan_id = sl.loan_id "
        "WHERE h.as_of > %(d180)s AND h.as_of <= %(day)s GROUP BY sl.borrower_id"
    )
    # An installment is on time when everything due up to it was paid by its due date: a running sum
    # of each loan's payments and installments in day order (a day's payments before its installments)
    # gives every installment what was paid by its due date in one sort, instead of joining each
    # installment to all its loan's payments.
    events = (
        "SELECT sl.borrower_id, p.loan_id, p.paid_on AS day, 0 AS kind, p.amount, 0 AS owed "
        f"FROM {_LOANS} sl JOIN portfolio_payment p ON p.loan_id = sl.loan_id WHERE p.paid_on <= %(day)s "
        f"UNION ALL SELECT sl.borrower_id, i.loan_id, i.due_on, 1, 0, i.due_before + {total} "
        f"FROM {_LOANS} sl JOIN portfolio_installment i ON i.loan_id = sl.loan_id "
        "WHERE i.due_on > %(d180)s AND i.due_on <= %(day)s"
    )
    on_time = (
        "SELECT e.borrower_id, COUNT(*) AS due_recent, "
        "SUM(CASE WHEN e.paid_by_due >= e.owed THEN 1 ELSE 0 END) AS on_time "
        "FROM (SELECT u.borrower_id, u.kind, u.owed, SUM(u.amount) OVER (PARTITION BY u.loan_id "
        f"ORDER BY u.day, u.kind ROWS UNBOUNDED PRECEDING) AS paid_by_due FROM ({events}) u) e "
        "WHERE e.kind = 1 GROUP BY e.borrower_id"
    )
    payments = (
        "SELECT sl.borrower_id, MAX(p.paid_on) AS last_paid_on, "
        "SUM(CASE WHEN p.paid_on > %(d30)s THEN 1 ELSE 0 END) AS payments30, "
        "SUM(CASE WHEN p.paid_on > %(d90)s THEN 1 ELSE 0 END) AS payments90, "
        f"{_bigint('SUM(CASE WHEN p.paid_on > %(d90)s THEN p.amount ELSE 0 END)')} AS paid90 "
        f"FROM {_LOANS} sl JOIN portfolio_payment p ON p.loan_id = sl.loan_id "
        "WHERE p.paid_on <= %(day)s GROUP BY sl.borrower_id"
    )
    # Kept as doorstep.field.core.promises (no grace): paid in full from the day made to the due date,
    # counting only payments known on as_of. Broken: the due date has passed and it was not kept.
    promises = (
        "SELECT x.borrower_id, COUNT(*) AS made, "
        "SUM(CASE WHEN COALESCE(x.paid, 0) >= x.amount THEN 1 ELSE 0 END) AS kept, "
        "SUM(CASE WHEN COALESCE(x.paid, 0) < x.amount AND x.due_on < %(day)s THEN 1 ELSE 0 END) AS broken "
        "FROM (SELECT pr.id, c.borrower_id, pr.amount, pr.due_on, SUM(p.amount) AS paid "
        f"FROM field_promise pr JOIN portfolio_case pc ON pc.id = pr.case_id "
        f"JOIN {_POPULATION} c ON c.borrower_id = pc.borrower_id "
        f"LEFT JOIN {_LOANS} sl ON sl.borrower_id = c.borrower_id "
        "LEFT JOIN portfolio_payment p ON p.loan_id = sl.loan_id AND p.paid_on >= pr.made_on "
        "AND p.paid_on <= pr.due_on AND p.paid_on <= %(day)s "
        "WHERE pr.made_on > %(d180)s AND pr.made_on <= %(day)s "
        "GROUP BY pr.id, c.borrower_id, pr.amount, pr.due_on) x GROUP BY x.borrower_id"
    )
    attempts = (
        "SELECT a.borrower_id, SUM(CASE WHEN a.status <> 'blocked' THEN 1 ELSE 0 END) AS attempts, "
        "SUM(CASE WHEN a.channel = 'call' AND a.connected THEN 1 ELSE 0 END) AS connected "
        f"FROM compliance_contactattempt a JOIN {_POPULATION} c ON c.borrower_id = a.borrower_id "
        "WHERE a.at >= %(attempts_from)s AND a.at < %(attempts_until)s GROUP BY a.borrower_id"
    )
    visits = (
        "SELECT u.borrower_id, COUNT(*) AS visits, SUM(u.met) AS met FROM ("
        "SELECT v.borrower_id, CASE WHEN v.outcome = 'met' THEN 1 ELSE 0 END AS met "
        f"FROM field_visit v JOIN {_POPULATION} c ON c.borrower_id = v.borrower_id "
        "WHERE v.contact_attempt_id IS NULL AND v.day > %(d90)s AND v.day <= %(day)s "
        "UNION ALL SELECT a.borrower_id, CASE WHEN a.outcome = 'met' THEN 1 ELSE 0 END AS met "
        f"FROM compliance_contactattempt a JOIN {_POPULATION} c ON c.borrower_id = a.borrower_id "
        "WHERE a.channel = 'visit' AND a.status <> 'blocked' AND a.at >= %(visits_from)s "
        "AND a.at < %(attempts_until)s) u GROUP BY u.borrower_id"
    )
    values = [
        "pos.dpd",
        "hist.dpd90",
        "hist.dpd180",
        "pos.overdue_count",
        "pos.overdue",
        "pos.collectible",
        "pos.outstanding",
        "pos.principal_scheduled",
        _days_before("pay.last_paid_on"),
        "pay.payments30",
        "pay.payments90",
        "pay.paid90",
        "ot.due_recent",
        "ot.on_time",
        "prom.made",
        "prom.kept",
        "prom.broken",
        "att.attempts",
        "att.connected",
        "vis.visits",
        "vis.met",
        "pos.loans",
        "pos.principal",
        "pos.rate",
        _days_before("pos.first_disbursed"),
        _days_before("pos.last_disbursed"),
    ]
    return (
        f"SELECT c.case_id, {', '.join(_number(value) for value in values)} "
        f"FROM {_POPULATION} c "
        f"LEFT JOIN ({positions}) pos ON pos.borrower_id = c.borrower_id "
        f"LEFT JOIN ({history}) hist ON hist.borrower_id = c.borrower_id "
        f"LEFT JOIN ({on_time}) ot ON ot.borrower_id = c.borrower_id "
        f"LEFT JOIN ({payments}) pay ON pay.borrower_id = c.borrower_id "
        f"LEFT JOIN ({promises}) prom ON prom.borrower_id = c.borrower_id "
        f"LEFT JOIN ({attempts}) att ON att.borrower_id = c.borrower_id "
        f"LEFT JOIN ({visits}) vis ON vis.borrower_id = c.borrower_id "
        "ORDER BY c.case_id"
    )


def _label_sql() -> str:
    """Target, treatment and a later visit per case, read strictly after as_of (training snapshots only)."""
    return (
        "SELECT c.case_id, "
        f"CASE WHEN EXISTS (SELECT 1 FROM {_LOANS} sl JOIN portfolio_payment p ON p.loan_id = sl.loan_id "
        "WHERE sl.borrower_id = c.borrower_id AND p.paid_on > %(day)s AND p.paid_on <= %(target_until)s) "
        "THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM field_visit v WHERE v.borrower_id = c.borrower_id "
        "AND v.day > %(day)s AND v.day <= %(treatment_until_day)s) "
        "OR EXISTS (SELECT 1 FROM compliance_contactattempt a WHERE a.borrower_id = c.borrower_id "
        "AND a.channel = 'visit' AND a.status <> 'blocked' AND a.at >= %(treatment_from)s "
        "AND a.at < %(treatment_until)s) THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM field_visit v WHERE v.borrower_id = c.borrower_id "
        "AND v.day > %(treatment_until_day)s AND v.day <= %(target_until)s) "
        "OR EXISTS (SELECT 1 FROM compliance_contactattempt a WHERE a.borrower_id = c.borrower_id "
        "AND a.channel = 'visit' AND a.status <> 'blocked' AND a.at >= %(treatment_until)s "
        "AND a.at < %(target_until_moment)s) THEN 1 ELSE 0 END "
        f"FROM {_POPULATION} c ORDER BY c.case_id"
    )


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\0"


def copy_rows_parse(data: bytes, *, columns: int) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Rows of a binary COPY of (bigint, double precision × columns), none NULL, as numpy arrays.

    Every row then has the same width, so the whole stream is one array of records (big-endian, as
    the format is) read without a Python object per value.
    """
    if not data.startswith(_COPY_SIGNATURE):
        raise ValueError("not a binary COPY stream")
    extension = int.from_bytes(data[15:19], "big")
    start = 19 + extension
    fields = [("count", ">i2"), ("id_length", ">i4"), ("id", ">i8")]
    for index in range(columns):
        fields += [(f"length{index}", ">i4"), (f"value{index}", ">f8")]
    record = np.dtype(fields)
    body = len(data) - start - 2  # the trailer: a field count of -1
    if body % record.itemsize or data[-2:] != b"\xff\xff":
        raise ValueError("binary COPY rows are not all (bigint, double precision...) without NULLs")
    rows = np.frombuffer(data, dtype=record, count=body // record.itemsize, offset=start)
    if rows.shape[0] and (
        (rows["count"] != columns + 1).any()
        or (rows["id_length"] != 8).any()
        or any((rows[f"length{index}"] != 8).any() for index in range(columns))
    ):
        raise ValueError("binary COPY rows are not all (bigint, double precision...) without NULLs")
    values = np.empty((rows.shape[0], columns), dtype=np.float64)
    for index in range(columns):
        values[:, index] = rows[f"value{index}"]
    return rows["id"].astype(np.int64), values


def _fetch_numbers(sql: str, params: dict[str, Any]) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """The feature rows as case ids and a float64 matrix (NaN for NULL)."""
    columns = len(_ROW_COLUMNS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's, under Django's wrapper: binary COPY straight into numpy
            blocks: list[bytes] = []
            with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
                blocks.extend(bytes(block) for block in copy)
        return copy_rows_parse(b"".join(blocks), columns=columns)
    rows = _fetch(sql, params)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, columns), dtype=np.float64)
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    values = np.array([row[1:] for row in rows], dtype=np.float64)  # None becomes NaN
    return ids, values


def _assemble(as_of: date, case_ids: IntArray, rows: npt.NDArray[np.float64]) -> CaseFeatures:
    count = case_ids.shape[0]
    column = {name: rows[:, index] for index, name in enumerate(_ROW_COLUMNS)}

    def counts(name: str) -> npt.NDArray[np.float64]:
        return np.nan_to_num(column[name], nan=0.0)

    dpd_now = counts("dpd")
    scheme = bucket_scheme()
    distinct, inverse = np.unique(dpd_now, return_inverse=True)
    names = [scheme.bucket_for(int(value)) for value in distinct]
    buckets = tuple(names[index] for index in inverse.reshape(-1).tolist())
    ranks = np.array([scheme.rank(name) for name in names], dtype=np.float64)
    scheduled = column["principal_scheduled"]
    outstanding_cents = counts("outstanding")
    with np.errstate(divide="ignore", invalid="ignore"):
        repaid_share = np.where(scheduled > 0, (scheduled - outstanding_cents) / scheduled, np.nan)
        due = counts("due_recent")
        on_time_share = np.where(due > 0, counts("on_time") / due, np.nan)
    collectible_cents = counts("collectible")
    values = {
        "dpd": dpd_now,
        "dpd_max_90d": np.fmax(dpd_now, column["dpd90"]),
        "dpd_max_180d": np.fmax(dpd_now, column["dpd180"]),
        "bucket_rank": ranks[inverse.reshape(-1)] if count else np.zeros(0),
        "installments_overdue": counts("overdue_count"),
        "overdue_amount": counts("overdue") / 100,
        "collectible_amount": collectible_cents / 100,
        "outstanding_principal": outstanding_cents / 100,
        "principal_repaid_share": repaid_share,
        "days_since_payment": column["days_since_payment"],
        "payments_30d": counts("payments30"),
        "payments_90d": counts("payments90"),
        "paid_amount_90d": counts("paid90") / 100,
        "on_time_share_180d": on_time_share,
        "promises_made_180d": counts("made"),
        "promises_kept_180d": counts("kept"),
        "promises_broken_180d": counts("broken"),
        "contact_attempts_30d": counts("attempts"),
        "connected_calls_30d": counts("connected"),
        "visits_90d": counts("visits"),
        "visits_met_90d": counts("met"),
        "loans": counts("loans"),
        "principal": column["principal"] / 100,
        "annual_rate": column["rate"] / 1_000_000,
        "loan_age_days": column["loan_age_days"],
        "customer_days": column["customer_days"],
    }
    matrix = np.empty((count, len(FEATURE_NAMES)), dtype=np.float32)
    for index, name in enumerate(FEATURE_NAMES):
        matrix[:, index] = values[name]
    features = FeatureMatrix(
        names=FEATURE_NAMES,
        values=matrix,
        row_ids=case_ids,
        as_of=np.full(count, np.datetime64(as_of, "D")),
    )
    return CaseFeatures(
        as_of=as_of, matrix=features, expected_cents=collectible_cents.astype(np.int64), buckets=buckets
    )


def _compute(as_of: date, *, labelled: bool) -> tuple[CaseFeatures, list[tuple[Any, ...]]]:
    params = _params(as_of)
    with transaction.atomic():
        try:
            # Hash joins and aggregates over a million loans: in memory rather than spilled to disk.
            roomy_work_memory()
            compute_positions(as_of)
            _population(params)
            case_ids, rows = _fetch_numbers(_feature_sql(), params)
            labels: list[tuple[Any, ...]] = []
            if labelled:
                label_params = {
                    **params,
                    "target_until": date_param(as_of + timedelta(days=TARGET_DAYS)),
                    "treatment_until_day": date_param(as_of + timedelta(days=TREATMENT_DAYS)),
                }
                labels = _fetch(_label_sql(), label_params)
        finally:
            _drop_tables()
    return _assemble(as_of, case_ids, rows), labels


def case_features(*, as_of: date) -> CaseFeatures:
    """Features of every case open on `as_of`, from rows dated on or before it only."""
    return _compute(as_of, labelled=False)[0]


def case_features_labelled(*, as_of: date) -> LabelledCaseFeatures:
    """Features on `as_of` with the target, the treatment and a later visit read after it: for training
    snapshots only."""
    features, labels = _compute(as_of, labelled=True)
    target = np.array([row[1] for row in labels], dtype=np.int64)
    treatment = np.array([row[2] for row in labels], dtype=np.int64)
    visited_late = np.array([row[3] for row in labels], dtype=np.int64) * (1 - treatment)
    if not np.array_equal(np.array([row[0] for row in labels], dtype=np.int64), features.case_ids):
        raise RuntimeError("labels and features are not in the same case order")
    return LabelledCaseFeatures(features=features, target=target, treatment=treatment, visited_late=visited_late)
