"""Portfolio fixtures: load files through the real importer, snapshot table counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from doorstep.portfolio.models import Borrower, Contact, ImportJob, Installment, Loan, Payment

PORTFOLIO_MODELS = (Borrower, Contact, Loan, Installment, Payment)


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PORTFOLIO_MODELS}


def issues(job: ImportJob) -> list[tuple[int, str, str, str]]:
    return sorted((i.row, i.column, i.value, i.reason) for i in job.issues.all())


@pytest.fixture
def load(write_csv: Callable[..., Any], import_file: Callable[..., ImportJob]) -> Callable[..., ImportJob]:
    """Import rows of one kind and insist that the file was accepted."""
    calls = {"n": 0}

    def run(kind: str, rows: Sequence[dict[str, Any]]) -> ImportJob:
        calls["n"] += 1
        job = import_file(kind, write_csv(kind, rows, name=f"{kind}-{calls['n']}.csv"))
        assert job.status == ImportJob.Status.SUCCEEDED, (job.message, issues(job))
        return job

    return run
