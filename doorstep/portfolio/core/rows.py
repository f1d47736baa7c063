"""Column specs and row parsing for the five portfolio files (portfolio-format.md).

Parsing is per row and pure: references to other records (a loan's borrower, a payment's loan)
and conflicts with what is stored are checked set-based by the importer afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from doorstep.common.core.money import MoneyFormatError, parse_money_cents, parse_rate_ppm, ppm_to_decimal
from doorstep.portfolio.core.caps import LICENCES
from doorstep.portfolio.core.identity import IdentityError, normalise_national_id, normalise_phone
from doorstep.portfolio.core.jurisdiction import JurisdictionError, parse_jurisdiction

KINDS = ("borrowers", "contacts", "loans", "installments", "payments")
BORROWER_FLAGS = ("dispute", "cease_contact", "attorney", "vulnerable", "hardship", "deceased",
                  "breathing_space", "no_workplace_contact")
CONTACT_ROLES = ("guarantor", "co_obligor", "contact", "employer")
CONTACT_SOURCES = ("application", "borrower_update", "public_record")
CURRENCIES = ("CNY", "USD", "GBP")
LANGUAGES = ("zh-Hans", "en")
MAX_MONEY_CENTS = 10**12  # 10 billion in major units: far above any consumer loan
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DIGITS = re.compile(r"^[0-9]+$")
_RISK_FLAG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# A non-negative amount exactly as money.parse_money_cents accepts it (used with fullmatch).
_PLAIN_MONEY = re.compile(r"(0|[1-9][0-9]{0,14})(?:\.([0-9]{1,2}))?")
_DATES: dict[str, date] = {}
_DATES_KEPT = 50_000


class FieldError(ValueError):
    """A cell's value is not acceptable; the message is the reason shown in the report."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    parse: Parser
    default: Any = None


@dataclass(frozen=True)
class FileSpec:
    kind: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    row_check: Callable[[dict[str, Any]], list[tuple[str, str, str]]] = field(default=lambda values: [])

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


def parse_id(text: str) -> str:
    if not _ID.match(text):
        raise FieldError("ids are 1-64 letters, digits or . _ : / - and start with a letter or digit")
    return text


def parse_text(limit: int) -> Parser:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise FieldError(f"longer than {limit} characters")
        return text
    return parse


def parse_date(text: str) -> date:
    # A book has a few thousand distinct dates over millions of cells: remember the parsed ones.
    known = _DATES.get(text)
    if known is not None:
        return known
    if not _ISO_DATE.match(text):
        raise FieldError("dates are YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise FieldError("not a calendar date") from error
    if len(_DATES) >= _DATES_KEPT:
        _DATES.clear()
    _DATES[text] = day
    return day


def parse_timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise FieldError("timestamps are ISO 8601, e.g. 2026-12-01T10:30:00+08:00") from error
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise FieldError("timestamp needs a UTC offset, e.g. +08:00 or Z")
    return moment.astimezone(UTC)


def parse_money(text: str) -> int:
    plain = _PLAIN_MONEY.fullmatch(text)
    if plain is not None:
        # The common case, without the general parser's sign handling; same result.
        whole, fraction = plain.groups()
        cents = int(whole) * 100
        if fraction:
            cents += int(fraction) * 10 if len(fraction) == 1 else int(fraction)
        if cents > MAX_MONEY_CENTS:
            raise FieldError("amount is implausibly large")
        return cents
    try:
        cents = parse_money_cents(text)
    except MoneyFormatError as error:
        raise FieldError("amounts are decimals with at most 2 decimals and no thousands separators") from error
    if cents < 0:
        raise FieldError("amount must not be negative")
    if cents > MAX_MONEY_CENTS:
        raise FieldError("amount is implausibly large")
    return cents


def parse_positive_money(text: str) -> int:
    cents = parse_money(text)
    if cents == 0:
        raise FieldError("amount must be greater than 0")
    return cents


def parse_rate(text: str) -> int:
    try:
        ppm = parse_rate_ppm(text)
    except MoneyFormatError as error:
        raise FieldError("rates are decimal fractions, e.g. 0.18 for 18 %") from error
    if ppm > 10_000_000:
        raise FieldError("rate above 1000 % a year: is it a percentage instead of a fraction?")
    return ppm


def parse_choice(choices: Sequence[str]) -> Parser:
    def parse(text: str) -> str:
        if text not in choices:
            raise FieldError(f"must be one of {', '.join(choices)}")
        return text
    return parse


def parse_flags(text: str) -> tuple[str, ...]:
    flags = tuple(part.strip() for part in text.split("|") if part.strip())
    unknown = [flag for flag in flags if flag not in BORROWER_FLAGS]
    if unknown:
        raise FieldError(f"unknown flag {unknown[0]!r}; known: {', '.join(BORROWER_FLAGS)}")
    return tuple(sorted(set(flags)))


def parse_risk_flags(text: str) -> tuple[str, ...]:
    flags = tuple(part.strip() for part in text.split("|") if part.strip())
    bad = [flag for flag in flags if not _RISK_FLAG.match(flag)]
    if bad:
        raise FieldError(f"risk flags are lower_snake_case words, got {bad[0]!r}")
    return tuple(sorted(set(flags)))


def parse_latitude(text: str) -> float:
    return _coordinate(text, 90.0)


def parse_longitude(text: str) -> float:
    return _coordinate(text, 180.0)


def _coordinate(text: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise FieldError("not a number") from error
    if not -limit <= value <= limit:
        raise FieldError(f"outside -{limit:g}..{limit:g}")
    return value


def parse_timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise FieldError("not an IANA time zone name, e.g. Asia/Shanghai") from error
    return text


def parse_seq(text: str) -> int:
    # Not str.isdigit(): it accepts "²", which int() then refuses.
    if not _DIGITS.match(text):
        raise FieldError("seq is a whole number from 1")
    number = int(text)
    if number < 1 or number > 10_000:
        raise FieldError("seq is a whole number from 1")
    return number


def parse_jurisdiction_code(text: str) -> str:
    try:
        return parse_jurisdiction(text).code
    except JurisdictionError as error:
        raise FieldError(str(error)) from error


def _borrower_check(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    errors: list[tuple[str, str, str]] = []
    jurisdiction = values.get("jurisdiction")
    if jurisdiction is None:
        return errors
    country = parse_jurisdiction(jurisdiction).country
    values["country"] = country
    if values.get("timezone") is None:
        values["timezone"] = parse_jurisdiction(jurisdiction).default_timezone
    if (values.get("lat") is None) != (values.get("lon") is None):
        errors.append(("lat" if values.get("lat") is None else "lon", "", "lat and lon come together or not at all"))
    for name, normalise in (("national_id", normalise_national_id), ("phone", normalise_phone)):
        raw = values.get(name)
        if raw is not None:
            try:
                values[name] = normalise(raw, country=country)
            except IdentityError as error:
                errors.append((name, raw, str(error)))
    return errors


def _loan_check(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    if values.get("annual_cost") is None and values.get("annual_rate") is not None:
        values["annual_cost"] = values["annual_rate"]
    cost, rate = values.get("annual_cost"), values.get("annual_rate")
    if cost is not None and rate is not None and cost < rate:
        return [("annual_cost", str(ppm_to_decimal(cost)), "all-in annual cost cannot be below the interest rate")]
    return []


def _installment_check(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    if values.get("fee_due") is None:
        values["fee_due"] = 0
    return []


def _contact_phone_raw(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    # The country of a contact's phone comes from its borrower, checked by the importer.
    return []


SPECS: Mapping[str, FileSpec] = {
    "borrowers": FileSpec("borrowers", ("borrower_id",), (
        Column("borrower_id", True, parse_id),
        Column("name", True, parse_text(100)),
        Column("national_id", False, parse_text(40)),
        Column("phone", False, parse_text(40)),
        Column("address", False, parse_text(300)),
        Column("lat", False, parse_latitude),
        Column("lon", False, parse_longitude),
        Column("jurisdiction", True, parse_jurisdiction_code),
        Column("timezone", False, parse_timezone),
        Column("language", False, parse_choice(LANGUAGES)),
        Column("flags", False, parse_flags, ()),
        Column("risk_flags", False, parse_risk_flags, ()),
    ), _borrower_check),
    "contacts": FileSpec("contacts", ("contact_id",), (
        Column("contact_id", True, parse_id),
        Column("borrower_id", True, parse_id),
        Column("role", True, parse_choice(CONTACT_ROLES)),
        Column("name", False, parse_text(100)),
        Column("phone", False, parse_text(40)),
        Column("relationship", False, parse_text(60)),
        Column("source", True, parse_choice(CONTACT_SOURCES)),
    ), _contact_phone_raw),
    "loans": FileSpec("loans", ("loan_id",), (
        Column("loan_id", True, parse_id),
        Column("borrower_id", True, parse_id),
        Column("product", False, parse_text(40)),
        Column("currency", True, parse_choice(CURRENCIES)),
        Column("principal", True, parse_positive_money),
        Column("disbursed_on", True, parse_date),
        Column("annual_rate", True, parse_rate),
        Column("annual_cost", False, parse_rate),
        Column("lender_licence", False, parse_choice(sorted(LICENCES))),
    ), _loan_check),
    "installments": FileSpec("installments", ("loan_id", "seq"), (
        Column("loan_id", True, parse_id),
        Column("seq", True, parse_seq),
        Column("due_on", True, parse_date),
        Column("principal_due", True, parse_money),
        Column("interest_due", True, parse_money),
        Column("fee_due", False, parse_money, 0),
    ), _installment_check),
    "payments": FileSpec("payments", ("payment_id",), (
        Column("payment_id", True, parse_id),
        Column("loan_id", True, parse_id),
        Column("paid_at", True, parse_timestamp),
        Column("amount", True, parse_positive_money),
        Column("channel", False, parse_text(40)),
    )),
}


class HeaderError(ValueError):
    pass


def check_header(spec: FileSpec, header: Sequence[str], *, ignore_unknown: bool) -> list[int | None]:
    """Map each spec column to its position in the file's header (None when absent)."""
    cleaned = [name.strip() for name in header]
    duplicates = sorted({name for name in cleaned if cleaned.count(name) > 1 and name})
    if duplicates:
        raise HeaderError(f"column named twice: {', '.join(duplicates)}")
    missing = [name for name in spec.required if name not in cleaned]
    if missing:
        raise HeaderError(f"missing required column(s): {', '.join(missing)}")
    unknown = [name for name in cleaned if name and name not in spec.names]
    if unknown and not ignore_unknown:
        raise HeaderError(f"unknown column(s): {', '.join(unknown)} (use --ignore-unknown to skip them)")
    return [cleaned.index(name) if name in cleaned else None for name in spec.names]


RowParser = Callable[[Sequence[Any], int], tuple[dict[str, Any] | None, list[RowError]]]


def row_parser(spec: FileSpec, positions: Sequence[int | None]) -> RowParser:
    """`parse_row` for one file, with the per-column set-up done once: the import's hot loop."""
    plan = tuple((column.name, position, column.required, column.parse, column.default)
                 for column, position in zip(spec.columns, positions, strict=True))
    row_check = spec.row_check

    def parse(cells: Sequence[Any], row: int) -> tuple[dict[str, Any] | None, list[RowError]]:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        count = len(cells)
        for name, position, required, parse_cell, default in plan:
            raw = cells[position] if position is not None and position < count else None
            text = "" if raw is None else (raw if isinstance(raw, str) else _cell_text(raw)).strip()
            if not text:
                if required:
                    errors.append(RowError(row, name, "", "required"))
                values[name] = default
                continue
            try:
                values[name] = parse_cell(text)
            except FieldError as error:
                errors.append(RowError(row, name, text, str(error)))
        if errors:
            return None, errors
        checked = row_check(values)
        if checked:
            return None, [RowError(row, name, value, reason) for name, value, reason in checked]
        return values, errors

    return parse


def parse_row(spec: FileSpec, positions: Sequence[int | None], cells: Sequence[Any],
              row: int) -> tuple[dict[str, Any] | None, list[RowError]]:
    return row_parser(spec, positions)(cells, row)


def _cell_text(value: Any) -> str:
    """XLSX cells arrive typed; turn them back into the text the format describes."""
    if isinstance(value, datetime):
        return value.isoformat() if value.tzinfo else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
