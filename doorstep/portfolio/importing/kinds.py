"""What each of the five files stages, checks and merges.

Rows are parsed in Python (doorstep.portfolio.core.rows), resolved against stored records one
chunk at a time, loaded into a temporary staging table (COPY on PostgreSQL), checked set-based
(duplicates, conflicts with stored data) and merged with two statements: insert what is new,
update what differs. Identical rows are left alone, so re-importing a file changes nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from doorstep.accounts.models import Territory
from doorstep.common.core.masking import mask_national_id, mask_phone
from doorstep.common.pii import pii_digest, pii_seal
from doorstep.common.sql import execute, fetch_all, json_value
from doorstep.portfolio.core.identity import IdentityError, normalise_national_id, normalise_phone
from doorstep.portfolio.core.rows import RowError

STAGE = "doorstep_stage"
# CN-CONTACT-SOURCE: more pre-agreed contacts than this for one borrower looks like a harvested
# address book, which must be refused.
MAX_CONTACTS_PER_BORROWER = 10
TERRITORY_REACH_KM = 40.0
NO_LOAN = "no loan with this id (import loans first)"


@dataclass(frozen=True)
class SetCheck:
    """A query over the staging table returning (row_no, value) of rows that break a rule."""

    sql: str
    column: str
    reason: str


Chunk = list[tuple[int, dict[str, Any]]]


def _lookup(table: str, columns: str, ids: Sequence[str], *, key: str = "external_id") -> dict[str, tuple[Any, ...]]:
    unique = sorted(set(ids))
    if not unique:
        return {}
    marks = ", ".join(["%s"] * len(unique))
    rows = fetch_all(f"SELECT {key}, {columns} FROM {table} WHERE {key} IN ({marks})", unique)
    return {row[0]: tuple(row[1:]) for row in rows}


NO_BORROWER = "no borrower with this id (import borrowers first)"


def _resolved(chunk: Chunk, *, column: str, table: str, columns: str, missing: str, errors: list[RowError],
              key: str = "external_id") -> Iterator[tuple[int, dict[str, Any], tuple[Any, ...]]]:
    """The chunk's rows whose reference (`column`) names a stored record, with that record's
    `columns`; a row naming none gets an error instead."""
    found = _lookup(table, columns, [values[column] for _, values in chunk], key=key)
    for row_no, values in chunk:
        record = found.get(values[column])
        if record is None:
            errors.append(RowError(row_no, column, values[column], missing))
        else:
            yield row_no, values, record


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class Kind:
    name: str
    table: str
    stage_columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]  # key columns shared by stage and target
    id_column = ""  # the file's column holding the key, named in the report
    compare: tuple[str, ...]  # columns whose difference makes a row "updated"
    # (created, updated) as counted just before the merge, under the import's lock: the merge skips
    # a statement that would change nothing (on 12 M rows an UPDATE join alone takes tens of seconds).
    counted: tuple[int, int] | None = None

    def enrich(self, chunk: Chunk) -> list[RowError]:
        return []

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        raise NotImplementedError

    def checks(self) -> list[SetCheck]:
        key = ", ".join(self.key)
        return [SetCheck(
            f"SELECT s.row_no, s.{self.key[-1]} FROM {STAGE} s JOIN (SELECT {key}, MIN(row_no) AS first_row "
            f"FROM {STAGE} GROUP BY {key} HAVING COUNT(*) > 1) d ON "
            + " AND ".join(f"s.{column} = d.{column}" for column in self.key)
            + " WHERE s.row_no > d.first_row",
            self.id_column or self.key[-1], "appears more than once in this file")]

    def _match(self) -> str:
        return " AND ".join(f"t.{column} = s.{column}" for column in self.key)

    def _differs(self) -> str:
        return " OR ".join(f"t.{column} IS DISTINCT FROM {self.stage_expression(column)}" for column in self.compare)

    def stage_expression(self, column: str) -> str:
        return f"s.{column}"

    def counts(self) -> tuple[int, int]:
        created = fetch_all(f"SELECT COUNT(*) FROM {STAGE} s WHERE NOT EXISTS "
                            f"(SELECT 1 FROM {self.table} t WHERE {self._match()})")[0][0]
        updated = fetch_all(f"SELECT COUNT(*) FROM {STAGE} s JOIN {self.table} t ON {self._match()} "
                            f"WHERE {self._differs()}")[0][0] if self.compare else 0
        self.counted = (int(created), int(updated))
        return self.counted

    def _creates(self) -> bool:
        return self.counted is None or self.counted[0] > 0

    def _updates(self) -> bool:
        return bool(self.compare) and (self.counted is None or self.counted[1] > 0)

    def insert_columns(self) -> tuple[tuple[str, str], ...]:
        """(target column, expression over the staging row s)."""
        return tuple((name, self.stage_expression(name)) for name, _ in self.stage_columns if name != "row_no")

    def merge(self) -> None:
        targets = self.insert_columns()
        if self._creates():
            execute(f"INSERT INTO {self.table} ({', '.join(name for name, _ in targets)}) "
                    f"SELECT {', '.join(expression for _, expression in targets)} FROM {STAGE} s "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {self.table} t WHERE {self._match()})")
        if self._updates():
            assignments = ", ".join(f"{column} = {self.update_expression(column)}" for column in self.update_columns())
            execute(f"UPDATE {self.table} AS t SET {assignments} FROM {STAGE} s WHERE {self._match()} "
                    f"AND ({self._differs()})")

    def update_columns(self) -> tuple[str, ...]:
        return self.compare

    def update_expression(self, column: str) -> str:
        return self.stage_expression(column)

    def after_merge(self) -> None:
        return None


class Borrowers(Kind):
    name = "borrowers"
    table = "portfolio_borrower"
    key = ("external_id",)
    id_column = "borrower_id"
    stage_columns = (
        ("row_no", "BIGINT"), ("external_id", "TEXT"), ("name", "TEXT"),
        ("national_id_sealed", "TEXT"), ("national_id_digest", "TEXT"), ("national_id_masked", "TEXT"),
        ("phone_sealed", "TEXT"), ("phone_digest", "TEXT"), ("phone_masked", "TEXT"),
        ("address", "TEXT"), ("lat", "DOUBLE PRECISION"), ("lon", "DOUBLE PRECISION"),
        ("jurisdiction", "TEXT"), ("country", "TEXT"), ("timezone", "TEXT"), ("language", "TEXT"),
        ("flags", "TEXT"), ("risk_flags", "TEXT"), ("territory_id", "BIGINT"),
    )
    compare = ("name", "national_id_digest", "phone_digest", "address", "lat", "lon", "jurisdiction", "country",
               "timezone", "language", "flags", "risk_flags")

    def __init__(self) -> None:
        self.territories = [(t.pk, t.center_lat, t.center_lon) for t in Territory.objects.all()
                            if t.center_lat is not None and t.center_lon is not None]

    def enrich(self, chunk: Chunk) -> list[RowError]:
        # Row parsing is pure and knows no date; a birth date after today is caught here.
        today = timezone.localdate()
        errors: list[RowError] = []
        for row_no, values in chunk:
            national_id = values.get("national_id")
            if national_id and values.get("country") == "CN":
                try:
                    normalise_national_id(national_id, country="CN", today=today)
                except IdentityError as error:
                    errors.append(RowError(row_no, "national_id", national_id, str(error)))
        return errors

    def nearest_territory(self, lat: float | None, lon: float | None) -> int | None:
        """The territory whose centre is closest, if it is within TERRITORY_REACH_KM; else none.

        An equirectangular distance is exact enough at city scale; the limit keeps a borrower in
        another city (or country) from landing in the nearest territory hundreds of kilometres away.
        """
        if lat is None or lon is None or not self.territories:
            return None
        squeeze = math.cos(math.radians(lat))

        def distance_km(territory: tuple[int, float, float]) -> float:
            return 111.2 * math.hypot(territory[1] - lat, (territory[2] - lon) * squeeze)

        nearest = min(self.territories, key=distance_km)
        return nearest[0] if distance_km(nearest) <= TERRITORY_REACH_KM else None

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        external_id = values["borrower_id"]
        national_id = values.get("national_id")
        phone = values.get("phone")
        return (
            row_no, external_id, values["name"],
            pii_seal(national_id, purpose=f"borrower/{external_id}/national_id") if national_id else "",
            pii_digest(national_id, purpose="national_id") if national_id else "",
            mask_national_id(national_id) if national_id else "",
            pii_seal(phone, purpose=f"borrower/{external_id}/phone") if phone else "",
            pii_digest(phone, purpose="phone") if phone else "",
            mask_phone(phone) if phone else "",
            values.get("address") or "", values.get("lat"), values.get("lon"),
            values["jurisdiction"], values["country"], values["timezone"], values.get("language") or "",
            json.dumps(list(values.get("flags") or ())), json.dumps(list(values.get("risk_flags") or ())),
            self.nearest_territory(values.get("lat"), values.get("lon")),
        )

    def stage_expression(self, column: str) -> str:
        if column in ("flags", "risk_flags"):
            return json_value(f"s.{column}")
        return f"s.{column}"

    def insert_columns(self) -> tuple[tuple[str, str], ...]:
        return (*super().insert_columns(), ("created_at", "CURRENT_TIMESTAMP"), ("updated_at", "CURRENT_TIMESTAMP"))

    def update_columns(self) -> tuple[str, ...]:
        return (*self.compare, "national_id_sealed", "national_id_masked", "phone_sealed", "phone_masked",
                "territory_id", "updated_at")

    def update_expression(self, column: str) -> str:
        if column in ("national_id_sealed", "national_id_masked", "phone_sealed", "phone_masked"):
            digest = column.split("_")[0] + ("_id_digest" if column.startswith("national") else "_digest")
            return f"CASE WHEN t.{digest} = s.{digest} THEN t.{column} ELSE s.{column} END"
        if column == "territory_id":
            return ("CASE WHEN t.lat IS DISTINCT FROM s.lat OR t.lon IS DISTINCT FROM s.lon "
                    "THEN s.territory_id ELSE t.territory_id END")
        if column == "updated_at":
            return "CURRENT_TIMESTAMP"
        return self.stage_expression(column)


class Contacts(Kind):
    name = "contacts"
    table = "portfolio_contact"
    key = ("external_id",)
    id_column = "contact_id"
    stage_columns = (
        ("row_no", "BIGINT"), ("external_id", "TEXT"), ("borrower_id", "BIGINT"), ("role", "TEXT"), ("name", "TEXT"),
        ("phone_sealed", "TEXT"), ("phone_digest", "TEXT"), ("phone_masked", "TEXT"),
        ("relationship", "TEXT"), ("source", "TEXT"),
    )
    compare = ("role", "name", "phone_digest", "relationship", "source")

    def enrich(self, chunk: Chunk) -> list[RowError]:
        errors: list[RowError] = []
        for row_no, values, borrower in _resolved(chunk, column="borrower_id", table="portfolio_borrower",
                                                  columns="id, country", missing=NO_BORROWER, errors=errors):
            values["borrower_pk"] = borrower[0]
            if values.get("phone"):
                try:
                    values["phone"] = normalise_phone(values["phone"], country=borrower[1])
                except IdentityError as error:
                    errors.append(RowError(row_no, "phone", values["phone"], str(error)))
        return errors

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        phone = values.get("phone")
        external_id = values["contact_id"]
        return (row_no, external_id, values["borrower_pk"], values["role"], values.get("name") or "",
                pii_seal(phone, purpose=f"contact/{external_id}/phone") if phone else "",
                pii_digest(phone, purpose="phone") if phone else "",
                mask_phone(phone) if phone else "",
                values.get("relationship") or "", values["source"])

    def checks(self) -> list[SetCheck]:
        return [*super().checks(),
                SetCheck(f"SELECT s.row_no, s.external_id FROM {STAGE} s JOIN {self.table} t "
                         "ON t.external_id = s.external_id WHERE t.borrower_id <> s.borrower_id",
                         "contact_id", "this contact id belongs to another borrower"),
                SetCheck(f"SELECT s.row_no, s.role FROM {STAGE} s WHERE s.role = 'contact' AND "
                         f"(SELECT COUNT(*) FROM (SELECT external_id FROM {STAGE} x WHERE x.borrower_id = s.borrower_id"
                         f" AND x.role = 'contact' UNION SELECT external_id FROM {self.table} c WHERE "
                         f"c.borrower_id = s.borrower_id AND c.role = 'contact') u) > {MAX_CONTACTS_PER_BORROWER}",
                         "role", f"more than {MAX_CONTACTS_PER_BORROWER} pre-agreed contacts for one borrower looks"
                         " like a harvested address book, which is refused (CN-CONTACT-SOURCE)")]

    def update_columns(self) -> tuple[str, ...]:
        return (*self.compare, "phone_sealed", "phone_masked")

    def update_expression(self, column: str) -> str:
        if column in ("phone_sealed", "phone_masked"):
            return f"CASE WHEN t.phone_digest = s.phone_digest THEN t.{column} ELSE s.{column} END"
        return f"s.{column}"


class Loans(Kind):
    name = "loans"
    table = "portfolio_loan"
    key = ("external_id",)
    id_column = "loan_id"
    stage_columns = (
        ("row_no", "BIGINT"), ("external_id", "TEXT"), ("borrower_id", "BIGINT"), ("product", "TEXT"),
        ("currency", "TEXT"), ("principal", "BIGINT"), ("disbursed_on", "DATE"), ("annual_rate", "INTEGER"),
        ("annual_cost", "INTEGER"), ("lender_licence", "TEXT"),
    )
    compare = ("product", "currency", "principal", "disbursed_on", "annual_rate", "annual_cost", "lender_licence")

    def enrich(self, chunk: Chunk) -> list[RowError]:
        errors: list[RowError] = []
        for _row_no, values, borrower in _resolved(chunk, column="borrower_id", table="portfolio_borrower",
                                                   columns="id", missing=NO_BORROWER, errors=errors):
            values["borrower_pk"] = borrower[0]
        return errors

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        return (row_no, values["loan_id"], values["borrower_pk"], values.get("product") or "", values["currency"],
                values["principal"], values["disbursed_on"], values["annual_rate"], values["annual_cost"],
                values.get("lender_licence") or "")

    def checks(self) -> list[SetCheck]:
        return [*super().checks(),
                SetCheck(f"SELECT s.row_no, b.external_id FROM {STAGE} s JOIN {self.table} t "
                         "ON t.external_id = s.external_id JOIN portfolio_borrower b ON b.id = s.borrower_id "
                         "WHERE t.borrower_id <> s.borrower_id",
                         "borrower_id", "this loan id belongs to another borrower"),
                # Within the file: a row conflicts with another row of its borrower exactly when that
                # borrower's rows hold more than one currency. Grouped once (a correlated EXISTS over the
                # unindexed staging table was quadratic: 17 s for 10 000 loans).
                SetCheck(f"SELECT s.row_no, s.currency FROM {STAGE} s WHERE EXISTS (SELECT 1 FROM {self.table} t "
                         "WHERE t.borrower_id = s.borrower_id AND t.external_id <> s.external_id "
                         f"AND t.currency <> s.currency) OR s.borrower_id IN (SELECT x.borrower_id FROM {STAGE} x "
                         "GROUP BY x.borrower_id HAVING COUNT(DISTINCT x.currency) > 1)",
                         "currency", "a borrower's loans must all be in one currency")]



class Installments(Kind):
    name = "installments"
    table = "portfolio_installment"
    key = ("loan_id", "seq")
    stage_columns = (
        ("row_no", "BIGINT"), ("loan_id", "BIGINT"), ("seq", "INTEGER"), ("due_on", "DATE"),
        ("principal_due", "BIGINT"), ("interest_due", "BIGINT"), ("fee_due", "BIGINT"),
    )
    compare = ("due_on", "principal_due", "interest_due", "fee_due")

    def enrich(self, chunk: Chunk) -> list[RowError]:
        errors: list[RowError] = []
        for row_no, values, loan in _resolved(chunk, column="loan_id", table="portfolio_loan",
                                              columns="id, disbursed_on", missing=NO_LOAN, errors=errors):
            values["loan_pk"] = loan[0]
            if values["due_on"] < _as_date(loan[1]):
                errors.append(RowError(row_no, "due_on", values["due_on"].isoformat(),
                                       "due before the loan was disbursed"))
        return errors

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        return (row_no, values["loan_pk"], values["seq"], values["due_on"], values["principal_due"],
                values["interest_due"], values["fee_due"])

    def checks(self) -> list[SetCheck]:
        return [SetCheck(
            f"SELECT s.row_no, CAST(s.seq AS TEXT) FROM {STAGE} s JOIN (SELECT loan_id, seq, MIN(row_no) AS first_row "
            f"FROM {STAGE} GROUP BY loan_id, seq HAVING COUNT(*) > 1) d ON s.loan_id = d.loan_id AND s.seq = d.seq "
            "WHERE s.row_no > d.first_row", "seq", "this loan's installment number appears more than once")]

    def merge(self) -> None:
        # Loans that already had installments need their running totals recomputed after the merge;
        # for the rest (a first load) the running total is computed while inserting.
        execute("CREATE TEMP TABLE doorstep_stage_loans AS SELECT DISTINCT s.loan_id, "
                f"EXISTS (SELECT 1 FROM {self.table} t WHERE t.loan_id = s.loan_id) AS had_rows FROM {STAGE} s")
        if self._creates():
            insert = (f"INSERT INTO {self.table} (loan_id, seq, due_on, principal_due, interest_due, fee_due, "
                      "due_before) SELECT s.loan_id, s.seq, s.due_on, s.principal_due, s.interest_due, s.fee_due, "
                      "COALESCE(SUM(s.principal_due + s.interest_due + s.fee_due) OVER (PARTITION BY s.loan_id "
                      "ORDER BY s.due_on, s.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
                      f"FROM {STAGE} s JOIN doorstep_stage_loans a ON a.loan_id = s.loan_id ")
            # Schedules new to the book need no look-up of existing rows (the bulk of a first load) ...
            execute(insert + "WHERE NOT a.had_rows")
            # ... existing schedules get only their new numbers (running totals follow in after_merge).
            execute(insert + f"WHERE a.had_rows AND NOT EXISTS (SELECT 1 FROM {self.table} t WHERE {self._match()})")
        if self._updates():
            execute(f"UPDATE {self.table} AS t SET due_on = s.due_on, principal_due = s.principal_due, "
                    f"interest_due = s.interest_due, fee_due = s.fee_due FROM {STAGE} s WHERE {self._match()} "
                    f"AND ({self._differs()})")

    def after_merge(self) -> None:
        # Running totals change only where rows were added to or changed in an existing schedule.
        if (self._creates() or self._updates()) and fetch_all("SELECT 1 FROM doorstep_stage_loans WHERE had_rows "
                                                              "LIMIT 1"):
            execute(f"UPDATE {self.table} AS t SET due_before = w.before FROM (SELECT i.id, COALESCE(SUM("
                    "i.principal_due + i.interest_due + i.fee_due) OVER (PARTITION BY i.loan_id ORDER BY i.due_on, "
                    f"i.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before FROM {self.table} i "
                    "JOIN doorstep_stage_loans a ON a.loan_id = i.loan_id AND a.had_rows) w "
                    "WHERE t.id = w.id AND t.due_before <> w.before")
        execute("DROP TABLE doorstep_stage_loans")


class Payments(Kind):
    name = "payments"
    table = "portfolio_payment"
    key = ("external_id",)
    id_column = "payment_id"
    stage_columns = (
        ("row_no", "BIGINT"), ("external_id", "TEXT"), ("loan_id", "BIGINT"), ("paid_at", "TIMESTAMP WITH TIME ZONE"),
        ("paid_on", "DATE"), ("amount", "BIGINT"), ("channel", "TEXT"),
    )
    compare = ()  # a payment never changes: the same id again is a no-op, a different one an error

    def __init__(self) -> None:
        self.zones: dict[str, ZoneInfo] = {}

    def enrich(self, chunk: Chunk) -> list[RowError]:
        errors: list[RowError] = []
        loans = "portfolio_loan l JOIN portfolio_borrower b ON b.id = l.borrower_id"
        for row_no, values, loan in _resolved(chunk, column="loan_id", table=loans,
                                              columns="l.id, l.disbursed_on, b.timezone", missing=NO_LOAN,
                                              errors=errors, key="l.external_id"):
            zone = self.zones.get(loan[2]) or self.zones.setdefault(loan[2], ZoneInfo(loan[2]))
            values["loan_pk"] = loan[0]
            # DPD counts a payment on the borrower's local calendar day.
            values["paid_on"] = values["paid_at"].astimezone(zone).date()
            if values["paid_on"] < _as_date(loan[1]):
                errors.append(RowError(row_no, "paid_at", values["paid_at"].isoformat(),
                                       "paid before the loan was disbursed"))
        return errors

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        return (row_no, values["payment_id"], values["loan_pk"], values["paid_at"], values["paid_on"],
                values["amount"], values.get("channel") or "")

    def checks(self) -> list[SetCheck]:
        return [*super().checks(),
                SetCheck(f"SELECT s.row_no, s.external_id FROM {STAGE} s JOIN {self.table} t "
                         "ON t.external_id = s.external_id WHERE t.amount <> s.amount OR t.loan_id <> s.loan_id "
                         "OR t.paid_at <> s.paid_at",
                         "payment_id", "a payment with this id was imported before with a different amount, loan "
                         "or time; payments cannot be changed")]


KINDS: dict[str, type[Kind]] = {kind.name: kind for kind in (Borrowers, Contacts, Loans, Installments, Payments)}

