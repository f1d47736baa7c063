"""The upload page's progress bar: what it shows while an import runs, and that it hands over to the report."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from doorstep.accounts.models import Role
from doorstep.portfolio.models import ImportJob
from doorstep.portfolio.services import import_progress_key
from tests.factories import UserFactory


@pytest.fixture
def supervisor_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    return client


def test_a_running_import_shows_a_polling_progress_bar_with_its_phase_and_share(supervisor_client) -> None:
    job = ImportJob.objects.create(kind="installments", original_name="i.csv", status=ImportJob.Status.RUNNING)
    cache.set(import_progress_key(job.pk), {"phase": "reading", "fraction": 0.42})
    page = supervisor_client.get(f"/imports/{job.pk}/")
    assert f'hx-get="/imports/{job.pk}/progress/"' in page.text and 'hx-trigger="every 700ms"' in page.text
    fragment = supervisor_client.get(f"/imports/{job.pk}/progress/")
    assert 'aria-valuenow="42"' in fragment.text and "width: 42%" in fragment.text and "reading" in fragment.text
    assert "HX-Refresh" not in fragment


def test_a_finished_import_tells_the_page_to_show_its_report(supervisor_client) -> None:
    job = ImportJob.objects.create(kind="loans", original_name="l.csv", status=ImportJob.Status.SUCCEEDED,
                                   rows_total=5, created_count=5)
    fragment = supervisor_client.get(f"/imports/{job.pk}/progress/")
    assert fragment["HX-Refresh"] == "true"
    page = supervisor_client.get(f"/imports/{job.pk}/")
    assert "hx-trigger" not in page.text.split("<main>")[1]


def test_the_api_reports_progress_of_a_running_import(supervisor_client) -> None:
    job = ImportJob.objects.create(kind="payments", original_name="p.csv", status=ImportJob.Status.RUNNING)
    cache.set(import_progress_key(job.pk), {"phase": "merging", "fraction": 0.0})
    assert supervisor_client.get(f"/api/v1/imports/{job.pk}/").json()["progress"] == {"phase": "merging",
                                                                                     "fraction": 0.0}
