"""Run one import: parse, stage, check, then merge everything or nothing."""

from __future__ import annotations

import csv
import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from doorstep.common.sql import analyze, bulk_load, execute, fetch_all, lock, roomy_work_memory
from doorstep.portfolio.core.rows import SPECS, HeaderError, RowError, RowParser, check_header, row_parser
from doorstep.portfolio.importing import fast
from doorstep.portfolio.importing.kinds import KINDS, STAGE, Chunk, Kind
from doorstep.portfolio.importing.reader import FileFormatError, open_tabular

CHUNK_ROWS = 2000
ISSUE_TEXT_LIMIT = 300

Progress = Callable[[str, float], None]


@dataclass
class ImportOutcome:
    kind: str
    rows_total: int = 0
    rows_invalid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    file_error: str = ""
    issues_path: Path | None = None
    sha256: str = ""
    fast_path: bool = False  # staged by COPY and SQL (PostgreSQL) rather than row by row
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return not self.file_error and self.rows_invalid == 0


class _Rejected(Exception):
    """Raised inside the transaction to roll everything back."""


class IssueWriter:
    """Every invalid row goes to a CSV on disk, so a file full of errors cannot exhaust memory."""

    def __init__(self) -> None:
        # Closed by close(); the report is read back after the import's transaction has ended.
        self.handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w", suffix=".csv", delete=False, newline="", encoding="utf-8")
        self.writer = csv.writer(self.handle)
        self.rows: set[int] = set()  # invalid row numbers, to count each row once

    def add(self, error: RowError) -> None:
        self.rows.add(error.row)
        self.writer.writerow([error.row, error.column, str(error.value)[:ISSUE_TEXT_LIMIT],
                              error.reason[:ISSUE_TEXT_LIMIT]])

    def close(self) -> Path:
        self.handle.close()
        return Path(self.handle.name)


def read_issues(path: Path) -> Iterator[RowError]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row, column, value, reason in csv.reader(handle):
            yield RowError(int(row), column, value, reason)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_import(*, kind: str, path: Path, dry_run: bool = False, ignore_unknown: bool = False,
               progress: Progress | None = None, on_applied: Callable[[ImportOutcome], None] | None = None
               ) -> ImportOutcome:
    """Import one file. Writes nothing unless every row is valid and this is not a dry run.

    `on_applied` runs inside the merge transaction (for the audit entry), so both commit together.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    report = progress or (lambda phase, fraction: None)
    outcome = ImportOutcome(kind=kind, sha256=file_sha256(path))
    issues = IssueWriter()
    try:
        with transaction.atomic():
            lock(f"portfolio-import-{kind}")
            _stage_and_merge(kind=kind, path=path, dry_run=dry_run, ignore_unknown=ignore_unknown,
                             outcome=outcome, issues=issues, report=report, on_applied=on_applied)
    except _Rejected:
        pass
    finally:
        outcome.issues_path = issues.close()
    return outcome


def _stage_and_merge(*, kind: str, path: Path, dry_run: bool, ignore_unknown: bool, outcome: ImportOutcome,
                     issues: IssueWriter, report: Progress, on_applied: Callable[[ImportOutcome], None] | None) -> None:
    spec = SPECS[kind]
    handler = KINDS[kind]()
    started = time.perf_counter()
    try:
        table = open_tabular(path, kind=kind)
        positions = check_header(spec, table.header, ignore_unknown=ignore_unknown)
    except (FileFormatError, HeaderError) as error:
        outcome.file_error = str(error)
        raise _Rejected from error
    # Sorting, grouping and joining millions of staged rows: in memory rather than in temporary files.
    roomy_work_memory()
    execute(f"DROP TABLE IF EXISTS {STAGE}")
    execute(f"CREATE TEMP TABLE {STAGE} ({', '.join(f'{name} {kind_}' for name, kind_ in handler.stage_columns)})")
    columns = [name for name, _ in handler.stage_columns]
    fast_rows = None
    if fast.applies(kind=kind, path=path):
        fast_rows = fast.try_fast_stage(kind=kind, handler=handler, header=table.header, path=path, report=report)
        outcome.fast_path = fast_rows is not None
    if fast_rows is not None:
        table.close()
        outcome.rows_total = fast_rows
    else:
        try:
            # Valid rows are staged even after an invalid one, so that the set-based checks below can
            # report every invalid row of the file in one go.
            for staged in _parsed_chunks(handler, row_parser(spec, positions), table, outcome, issues, report):
                bulk_load(STAGE, columns, staged)
        except FileFormatError as error:
            outcome.file_error = str(error)
            raise _Rejected from error
    outcome.seconds["parse_and_stage"] = time.perf_counter() - started
    report("checking", 0.0)
    started = time.perf_counter()
    execute(f"CREATE INDEX doorstep_stage_key ON {STAGE} ({', '.join(handler.key)})")
    for check in handler.checks():
        _record([RowError(int(row_no), check.column, "" if value is None else str(value), check.reason)
                 for row_no, value in fetch_all(check.sql)], outcome, issues)
    outcome.seconds["check"] = time.perf_counter() - started
    if outcome.rows_invalid:
        raise _Rejected
    outcome.created, outcome.updated = handler.counts()
    outcome.unchanged = outcome.rows_total - outcome.created - outcome.updated
    if dry_run:
        raise _Rejected
    report("merging", 0.0)
    started = time.perf_counter()
    handler.merge()
    handler.after_merge()
    execute(f"DROP TABLE {STAGE}")
    if outcome.created or outcome.updated:
        # The next import looks rows up in this table, and the refresh joins it: without fresh
        # statistics the planner may scan a table of a million rows once per chunk.
        analyze(handler.table)
    outcome.applied = True
    outcome.seconds["merge"] = time.perf_counter() - started
    if on_applied is not None:
        on_applied(outcome)


def _parsed_chunks(handler: Kind, parse: RowParser, table: Any, outcome: ImportOutcome,
                   issues: IssueWriter, report: Progress) -> Iterator[list[tuple[Any, ...]]]:
    chunk: Chunk = []
    last_report = 0.0
    for row_no, cells in table.rows:
        outcome.rows_total += 1
        values, errors = parse(cells, row_no)
        if values is None:
            _record(errors, outcome, issues)
        else:
            chunk.append((row_no, values))
        if len(chunk) >= CHUNK_ROWS:
            yield _finish_chunk(handler, chunk, outcome, issues)
            chunk = []
            now = time.monotonic()
            if now - last_report > 0.25:
                report("reading", min(table.progress() / table.size_hint, 1.0))
                last_report = now
    if chunk:
        yield _finish_chunk(handler, chunk, outcome, issues)
    report("reading", 1.0)


def _finish_chunk(handler: Kind, chunk: Chunk, outcome: ImportOutcome, issues: IssueWriter) -> list[tuple[Any, ...]]:
    errors = handler.enrich(chunk)
    if errors:
        _record(errors, outcome, issues)
        bad = {error.row for error in errors}
        chunk = [(row_no, values) for row_no, values in chunk if row_no not in bad]
    return [handler.stage_row(row_no, values) for row_no, values in chunk]


def _record(errors: list[RowError], outcome: ImportOutcome, issues: IssueWriter) -> None:
    for error in errors:
        issues.add(error)
    outcome.rows_invalid = len(issues.rows)
