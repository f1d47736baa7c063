"""Shared fixtures: no network, portfolio files on disk, importing them through the real command."""

from __future__ import annotations

import contextlib
import csv
import socket
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from doorstep.portfolio.models import ImportJob


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests never leave the machine; loopback (the database, Redis, a live server) stays open."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise RuntimeError(f"network access in a test: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                      "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _migration_data(request: pytest.FixtureRequest) -> None:
    """Data the migrations seed (the LPR table, the built-in courses) is there for every database test. A transactional
    test ends with a flush that removes it, and with pytest-xdist sending whole files to a worker,
    such a test may run before others on the same database."""
    if request.node.get_closest_marker("django_db") is None and not _DATABASE_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from decimal import Decimal

    from doorstep.portfolio.core.caps import LPR_ONE_YEAR
    from doorstep.portfolio.models import LprFixing
    from doorstep.training.content import BUILTIN_COURSES
    from doorstep.training.models import Course
    from doorstep.training.services import builtin_courses_install

    if not Course.objects.filter(builtin=True).exists():
        builtin_courses_install(BUILTIN_COURSES)
    if not LprFixing.objects.exists():
        LprFixing.objects.bulk_create([LprFixing(effective_on=row.effective_on,
                                                 one_year_rate=Decimal(row.one_year_ppm) / 1_000_000)
                                       for row in LPR_ONE_YEAR])


WriteCsv = Callable[[str, Sequence[dict[str, Any]]], Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write rows (dicts) as a CSV named after the kind; columns in the first row's order."""

    def write(kind: str, rows: Sequence[dict[str, Any]], *, name: str | None = None) -> Path:
        path = tmp_path / (name or f"{kind}.csv")
        columns: list[str] = []
        for row in rows:
            columns.extend(key for key in row if key not in columns)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write  # type: ignore[return-value]


@pytest.fixture
def import_file() -> Callable[..., ImportJob]:
    """Import a file through `doorstep import`; returns the job whatever the outcome."""

    def run(kind: str, path: Path, *, dry_run: bool = False, ignore_unknown: bool = False) -> ImportJob:
        arguments = [kind, str(path), "--quiet"]
        if dry_run:
            arguments.append("--dry-run")
        if ignore_unknown:
            arguments.append("--ignore-unknown")
        with contextlib.suppress(CommandError):  # a rejected file; the job says why
            call_command("import", *arguments)
        return ImportJob.objects.latest("pk")

    return run
