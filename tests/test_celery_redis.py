"""Background work through a real Celery worker with Redis as the broker (as in production and CI)."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app
from doorstep.accounts.models import Role
from doorstep.portfolio.models import Borrower, ImportJob
from doorstep.portfolio.services import import_job_create
from tests.factories import UserFactory

REDIS_URL = os.environ.get("DOORSTEP_TEST_REDIS_URL", "")


@pytest.mark.skipif(not REDIS_URL, reason="DOORSTEP_TEST_REDIS_URL is not set (the test command sets it)")
@pytest.mark.django_db(transaction=True)
def test_an_uploaded_import_runs_on_a_celery_worker_through_redis(settings) -> None:
    settings.DOORSTEP_TASK_MODE = "celery"
    app.conf.update(broker_url=REDIS_URL, result_backend=None, task_always_eager=False)
    supervisor = UserFactory(role=Role.SUPERVISOR)
    upload = SimpleUploadedFile("borrowers.csv", "borrower_id,name,jurisdiction\nR1,甲,CN\nR2,乙,CN\n".encode(),
                                content_type="text/csv")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        job = import_job_create(kind="borrowers", upload=upload, by=supervisor)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
                break
            time.sleep(0.2)
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert sorted(Borrower.objects.values_list("external_id", flat=True)) == ["R1", "R2"]
    # The task is idempotent: running it again for the same job changes nothing.
    from doorstep.portfolio.tasks import import_job_run_task

    assert import_job_run_task.run(job_id=job.pk) == ImportJob.Status.SUCCEEDED
    assert Borrower.objects.count() == 2
