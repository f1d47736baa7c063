"""`doorstep audit verify` finds the first broken link after a row is changed, deleted or inserted
directly in the database, on the suite's database and on a fresh SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from doorstep.common.audit import audit_append
from doorstep.common.models import AuditEntry


@pytest.fixture
def chain(db) -> list[AuditEntry]:
    return [audit_append(actor=None, action="test.write", subject_type="thing", subject_id=str(number),
                         data={"n": number}) for number in range(1, 6)]


def verify() -> str:
    try:
        call_command("audit", "verify")
    except CommandError as error:
        return str(error)
    return "intact"


def test_an_untouched_chain_verifies(chain) -> None:
    assert verify() == "intact"


def test_a_changed_row_is_the_first_broken_link(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE common_auditentry SET action = 'test.rewritten' WHERE sequence = 3")
    assert verify() == "audit chain broken at entry 3: content was changed after it was written"


def test_a_deleted_row_is_found(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM common_auditentry WHERE sequence = 2")
    assert verify() == "audit chain broken at entry 2: entry 2 is missing (found 3)"


def test_a_deleted_last_row_is_found_through_the_head(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM common_auditentry WHERE sequence = 5")
    assert verify() == "audit chain broken at entry 5: chain ends at 4 but head says 5"


def test_an_inserted_row_is_found(chain) -> None:
    fifth = chain[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO common_auditentry (sequence, at, actor_label, action, subject_type, subject_id, data, "
            "previous_digest, digest) VALUES (6, %s, 'intruder', 'test.forged', 'thing', '6', '{}', %s, %s)",
            [fifth.at, fifth.digest, "f" * 64])
    assert verify() == "audit chain broken at entry 6: content was changed after it was written"


def test_a_row_slipped_into_the_middle_is_found(chain) -> None:
    with connection.cursor() as cursor:
        # Make room by renumbering the tail, as someone covering their tracks would.
        for sequence in (5, 4):
            cursor.execute("UPDATE common_auditentry SET sequence = %s WHERE sequence = %s", [sequence + 1, sequence])
        cursor.execute(
            "INSERT INTO common_auditentry (sequence, at, actor_label, action, subject_type, subject_id, data, "
            "previous_digest, digest) VALUES (4, %s, 'intruder', 'test.forged', 'thing', 'x', '{}', %s, %s)",
            [chain[2].at, chain[2].digest, "e" * 64])
    assert verify().startswith("audit chain broken at entry 4")


@pytest.mark.sqlite_only
def test_tampering_is_found_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "audit.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
                   "DJANGO_SETTINGS_MODULE": "config.settings.local", "DOORSTEP_VAR_DIR": str(tmp_path)}
    command = str(Path(sys.executable).with_name("doorstep"))

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([command, *arguments], env=environment, capture_output=True, text=True, timeout=300,
                              check=False)

    assert run("migrate", "-v0").returncode == 0
    appended = run("shell", "-c", "from doorstep.common.audit import audit_append\n"
                   "for n in range(1, 5): audit_append(actor=None, action='t', subject_type='x', subject_id=str(n))")
    assert appended.returncode == 0, appended.stderr
    assert run("audit", "verify").stdout.strip() == "audit chain intact"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE common_auditentry SET subject_id = 'changed' WHERE sequence = 2")
    assert "audit chain broken at entry 2: content was changed" in run("audit", "verify").stderr
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM common_auditentry WHERE sequence = 2")
    assert "audit chain broken at entry 2: entry 2 is missing" in run("audit", "verify").stderr
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT at, digest FROM common_auditentry WHERE sequence = 1").fetchone()
        db.execute("INSERT INTO common_auditentry (sequence, at, actor_label, action, subject_type, subject_id, "
                   "data, previous_digest, digest) VALUES (2, ?, 'intruder', 't', 'x', '2', '{}', ?, ?)",
                   (row[0], row[1], "a" * 64))
    assert "audit chain broken at entry 2: content was changed" in run("audit", "verify").stderr
