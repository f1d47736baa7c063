"""Writes to the portfolio: imports, case assignment, revealing personal data."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from doorstep.accounts.models import Agency, Team
from doorstep.accounts.selectors import user_may_assign, user_may_import, user_may_reveal
from doorstep.common.audit import audit_append
from doorstep.common.errors import InvalidInput, NotPermitted
from doorstep.common.pii import pii_open
from doorstep.common.tasks import enqueue
from doorstep.portfolio.core.rows import KINDS
from doorstep.portfolio.importing.runner import ImportOutcome, read_issues, run_import
from doorstep.portfolio.models import (
    Borrower,
    Case,
    CaseAssignment,
    Contact,
    ImportIssue,
    ImportJob,
    PiiAccess,
)

logger = logging.getLogger(__name__)
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


def import_progress_key(job_id: int) -> str:
    return f"doorstep:import:{job_id}:progress"


def import_progress(*, job_id: int) -> dict[str, Any]:
    value = cache.get(import_progress_key(job_id))
    return value if isinstance(value, dict) else {"phase": "queued", "fraction": 0.0}


@transaction.atomic
def import_job_create(*, kind: str, upload: UploadedFile[bytes], by: Any, dry_run: bool = False,
                      ignore_unknown: bool = False) -> ImportJob:
    """Store an uploaded file and queue its import."""
    if not user_may_import(by):
        raise NotPermitted("only the lender's administrators and supervisors import portfolio files")
    if kind not in KINDS:
        raise InvalidInput(f"unknown file kind {kind!r}; one of {', '.join(KINDS)}")
    name = upload.name or "upload"
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise InvalidInput("upload a .csv or .xlsx file")
    if not upload.size:
        raise InvalidInput("the uploaded file is empty")
    job = ImportJob.objects.create(kind=kind, file=upload, original_name=name[:255], dry_run=dry_run,
                                   ignore_unknown=ignore_unknown, created_by=by)
    audit_append(actor=by, action="portfolio.import.queue", subject=job, data={"kind": kind, "file": name})
    from doorstep.portfolio.tasks import import_job_run_task

    enqueue(import_job_run_task, job_id=job.pk)
    return job


def import_job_run(*, job_id: int, path: Path | None = None,
                   on_progress: Callable[[str, float], None] | None = None) -> ImportJob:
    """Run a queued import once; a job that already ran is left as it is (idempotent task)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.QUEUED:
            return job
        job.status = ImportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])

    def progress(phase: str, fraction: float) -> None:
        cache.set(import_progress_key(job_id), {"phase": phase, "fraction": round(fraction, 4)}, 3600)
        if on_progress is not None:
            on_progress(phase, fraction)

    def on_applied(outcome: ImportOutcome) -> None:
        audit_append(actor=job.created_by, action="portfolio.import.apply", subject=job,
                     data={"kind": job.kind, "sha256": outcome.sha256, "rows": outcome.rows_total,
                           "created": outcome.created, "updated": outcome.updated})

    try:
        if path is None:
            with job.file.open("rb") as source:
                local = _local_copy(source)
        else:
            local = path
        outcome = run_import(kind=job.kind, path=local, dry_run=job.dry_run, ignore_unknown=job.ignore_unknown,
                             progress=progress, on_applied=on_applied)
        if path is None:
            local.unlink(missing_ok=True)
    except Exception as error:
        logger.exception("import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, finished_at=timezone.now(),
                                                   message=f"internal error: {type(error).__name__}: {error}"[:2000])
        progress("failed", 1.0)
        raise
    _record_outcome(job=job, outcome=outcome)
    progress("done", 1.0)
    job.refresh_from_db()
    return job


def _local_copy(source: Any) -> Path:
    with tempfile.NamedTemporaryFile("wb", delete=False, suffix=".upload") as target:
        for block in iter(lambda: source.read(1 << 20), b""):
            target.write(block)
    return Path(target.name)


@transaction.atomic
def _record_outcome(*, job: ImportJob, outcome: ImportOutcome) -> None:
    if outcome.file_error:
        status, message = ImportJob.Status.REJECTED, outcome.file_error
    elif outcome.rows_invalid:
        status, message = ImportJob.Status.REJECTED, f"{outcome.rows_invalid} invalid row(s)"
    elif job.dry_run:
        status, message = ImportJob.Status.SUCCEEDED, "dry run: every row is valid; nothing was written"
    else:
        status, message = ImportJob.Status.SUCCEEDED, ""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, message=message, finished_at=timezone.now(), file_sha256=outcome.sha256,
        rows_total=outcome.rows_total, rows_invalid=outcome.rows_invalid, created_count=outcome.created,
        updated_count=outcome.updated, unchanged_count=outcome.unchanged)
    if outcome.issues_path is not None:
        batch: list[ImportIssue] = []
        for issue in read_issues(outcome.issues_path):
            batch.append(ImportIssue(job_id=job.pk, row=issue.row, column=issue.column, value=issue.value,
                                     reason=issue.reason))
            if len(batch) >= 5000:
                ImportIssue.objects.bulk_create(batch)
                batch = []
        ImportIssue.objects.bulk_create(batch)
        outcome.issues_path.unlink(missing_ok=True)
    if status == ImportJob.Status.REJECTED:
        audit_append(actor=job.created_by, action="portfolio.import.reject", subject=job,
                     data={"kind": job.kind, "invalid_rows": outcome.rows_invalid, "file_error": outcome.file_error})


@transaction.atomic
def case_assign(*, case: Case, by: Any, team: Team | None = None, agency: Agency | None = None,
                note: str = "") -> Case:
    """Give a case to one of the lender's teams, to an agency, or to an agency's team; or take it back."""
    if not user_may_assign(by):
        raise NotPermitted("only the lender's supervisors and administrators assign cases")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.OPEN:
        raise InvalidInput("only open cases can be assigned")
    if team is not None and not team.is_active:
        raise InvalidInput(f"team {team.code} is not active")
    if team is not None and team.agency_id is not None:
        if agency is not None and agency.pk != team.agency_id:
            raise InvalidInput("the team belongs to another agency")
        agency = team.agency
    if team is not None and team.agency_id is None and agency is not None:
        raise InvalidInput("a case goes to the lender's own team or to an agency, not both")
    if agency is not None and not agency.is_active:
        raise InvalidInput(f"agency {agency.code} is not active")
    if agency is not None and agency.contract_ends_on is not None and agency.contract_ends_on < timezone.localdate():
        raise InvalidInput(f"the contract with agency {agency.code} has ended (CN-AGENCY)")
    case.team = team
    case.agency = agency
    case.save(update_fields=["team", "agency"])
    CaseAssignment.objects.create(case=case, team=team, agency=agency, assigned_by=by, assigned_at=timezone.now(),
                                  note=note[:300])
    audit_append(actor=by, action="case.assign", subject=case,
                 data={"team": team.code if team else None, "agency": agency.code if agency else None})
    return case


@transaction.atomic
def pii_reveal(*, user: Any, borrower: Borrower, field: str, reason: str, contact: Contact | None = None) -> str:
    """Show one personal field in full. Permitted by role; every reveal is logged and audited."""
    if field not in ("national_id", "phone"):
        raise InvalidInput("only national_id and phone can be revealed")
    if contact is not None and field != "phone":
        raise InvalidInput("contacts only have a phone number")
    if not user_may_reveal(user, field):
        raise NotPermitted("your role does not allow seeing this in full")
    reason = reason.strip()
    if len(reason) < 4:
        raise InvalidInput("say why you need to see it (at least 4 characters)")
    if contact is not None:
        if contact.borrower_id != borrower.pk:
            raise InvalidInput("the contact belongs to another borrower")
        sealed, purpose = contact.phone_sealed, f"contact/{contact.external_id}/phone"
    else:
        sealed = borrower.national_id_sealed if field == "national_id" else borrower.phone_sealed
        purpose = f"borrower/{borrower.external_id}/{field}"
    if not sealed:
        raise InvalidInput("nothing recorded")
    value = pii_open(sealed, purpose=purpose)
    PiiAccess.objects.create(user=user, borrower=borrower, contact=contact, field=field, reason=reason[:200],
                             at=timezone.now())
    audit_append(actor=user, action="pii.reveal", subject=borrower,
                 data={"field": field, "contact": contact.external_id if contact else None, "reason": reason[:200]})
    return value
