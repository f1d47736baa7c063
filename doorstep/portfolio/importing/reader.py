"""Read a portfolio file (CSV with or without BOM, or XLSX) as a header and numbered rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

XLSX_MAGIC = b"PK\x03\x04"


class FileFormatError(ValueError):
    """The file as a whole cannot be read (not row-level)."""


@dataclass
class TabularFile:
    header: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (row number as a spreadsheet shows it, cells)
    size_hint: int  # bytes (CSV) or rows (XLSX), for progress
    position: Any  # callable returning progress in the same unit as size_hint
    closer: Any = None  # releases the file when the rows are not read to the end

    def progress(self) -> int:
        return int(self.position())

    def close(self) -> None:
        if self.closer is not None:
            self.closer()


def open_tabular(path: Path, *, kind: str) -> TabularFile:
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic == XLSX_MAGIC or path.suffix.lower() == ".xlsx":
        return _open_xlsx(path, kind=kind)
    return _open_csv(path)


def _open_csv(path: Path) -> TabularFile:
    size = path.stat().st_size
    raw: IO[bytes] = path.open("rb")
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration as error:
        raise FileFormatError("the file is empty: a header row is required") from error
    except UnicodeDecodeError as error:
        raise FileFormatError("the file is not UTF-8 text (save it as CSV UTF-8 or XLSX)") from error
    except csv.Error as error:
        raise FileFormatError(f"the header row is not valid CSV: {error}") from error

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not "".join(cells).strip():  # = no cell holds anything but blanks; a third of the cost
                    continue
                yield number, cells
        except UnicodeDecodeError as error:
            raise FileFormatError(f"row {number + 1} is not UTF-8 text") from error
        except csv.Error as error:
            raise FileFormatError(f"row {number + 1} is not valid CSV: {error}") from error
        finally:
            text.close()

    return TabularFile(header=header, rows=rows(), size_hint=max(size, 1), position=raw.tell, closer=text.close)


def _open_xlsx(path: Path, *, kind: str) -> TabularFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise FileFormatError(f"not a readable XLSX workbook: {error}") from error
    names = workbook.sheetnames
    if kind in names:
        sheet = workbook[kind]
    elif len(names) == 1:
        sheet = workbook[names[0]]
    else:
        workbook.close()
        raise FileFormatError(f"the workbook has several sheets and none is named {kind!r}")
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell) for cell in next(iterator)]
    except StopIteration as error:
        workbook.close()
        raise FileFormatError("the sheet is empty: a header row is required") from error
    while header and header[-1] == "":
        header.pop()
    counter = {"row": 1}
    total = max(int(sheet.max_row or 1), 1)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for cells in iterator:
                counter["row"] += 1
                if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                    continue
                yield counter["row"], cells
        finally:
            workbook.close()

    return TabularFile(header=header, rows=rows(), size_hint=total, position=lambda: counter["row"],
                       closer=workbook.close)
