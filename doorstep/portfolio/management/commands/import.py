"""doorstep import KIND FILE [--dry-run] [--ignore-unknown]"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.portfolio.core.rows import KINDS
from doorstep.portfolio.models import ImportJob
from doorstep.portfolio.services import import_job_run

SHOWN_ISSUES = 200


class Command(BaseCommand):
    help = "Import one portfolio file (CSV or XLSX). All or nothing; every invalid row is reported."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--ignore-unknown", action="store_true", help="skip columns the format does not know")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        job = ImportJob.objects.create(kind=options["kind"], original_name=str(path)[:255],
                                       dry_run=options["dry_run"], ignore_unknown=options["ignore_unknown"])
        show = not options["quiet"] and sys.stderr.isatty()

        def progress(phase: str, fraction: float) -> None:
            if show:
                bar = "#" * int(fraction * 30)
                sys.stderr.write(f"\r{phase:<9} [{bar:<30}] {fraction * 100:5.1f}%")
                sys.stderr.flush()

        try:
            job = import_job_run(job_id=job.pk, path=path, on_progress=progress)
        except Exception as error:
            raise CommandError(f"import failed, nothing written: {type(error).__name__}: {error}") from error
        finally:
            if show:
                sys.stderr.write("\n")
        self._report(job)

    def _report(self, job: ImportJob) -> None:
        if job.status == ImportJob.Status.SUCCEEDED:
            verb = "would create" if job.dry_run else "created"
            self.stdout.write(
                f"{job.kind}: {job.rows_total} rows; {verb} {job.created_count}, "
                f"{'would update' if job.dry_run else 'updated'} {job.updated_count}, unchanged {job.unchanged_count}"
                + (" (dry run: nothing written)" if job.dry_run else ""))
            return
        lines = [f"{job.kind}: rejected, nothing written. {job.message}"]
        issues = list(job.issues.order_by("row", "id")[:SHOWN_ISSUES])
        if issues:
            lines.append("row\tcolumn\tvalue\treason")
            lines.extend(f"{i.row}\t{i.column}\t{i.value}\t{i.reason}" for i in issues)
            total = job.issues.count()
            if total > SHOWN_ISSUES:
                lines.append(f"... and {total - SHOWN_ISSUES} more (see import job {job.pk} in the console)")
        raise CommandError("\n".join(lines), returncode=1)
