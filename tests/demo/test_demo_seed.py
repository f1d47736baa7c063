"""The generated demo: what `doorstep demo seed` puts in the database, and that it does so once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path
from random import Random

import pytest
from django.core.management import call_command

from doorstep.accounts.models import Role, Team, User
from doorstep.common.audit import audit_verify
from doorstep.common.models import AuditEntry
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, Override
from doorstep.demo.behaviour import SEGMENT_BY_NAME, Due, repayments
from doorstep.demo.book import GENERATED_ADDRESS_CN, GENERATED_ADDRESS_EN, book_generate
from doorstep.demo.geography import SHENZHEN_BOUNDS, shenzhen_districts, shenzhen_places
from doorstep.demo.people import DEMO_PASSWORD, LOGINS
from doorstep.demo.services import DemoError, demo_seed, refresh_days
from doorstep.portfolio.delinquency import bucket_scheme
from doorstep.portfolio.models import (
    Borrower,
    BucketHistory,
    Case,
    CaseAssignment,
    Contact,
    ImportJob,
    Installment,
    Loan,
    LoanStatus,
    Payment,
)
from doorstep.portfolio.selectors import case_scope
from tests.factories import BorrowerFactory

AS_OF = date(2026, 12, 1)
SMALL = 300


def seed_small(**overrides: object) -> None:
    settings: dict[str, object] = {"borrowers": SMALL, "seed": 7, "as_of": AS_OF, **overrides}
    demo_seed(**settings)  # type: ignore[arg-type]


def table_counts() -> dict[str, int]:
    models = (Borrower, Contact, Loan, Installment, Payment, LoanStatus, BucketHistory, Case, CaseAssignment,
              ImportJob, User, Team, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_the_same_seed_generates_the_same_book() -> None:
    first = book_generate(borrowers=60, seed=3, as_of=AS_OF)
    again = book_generate(borrowers=60, seed=3, as_of=AS_OF)
    other = book_generate(borrowers=60, seed=4, as_of=AS_OF)
    assert first.rows == again.rows
    assert first.rows["borrowers"] != other.rows["borrowers"]


def test_every_generated_address_says_it_is_generated() -> None:
    book = book_generate(borrowers=120, seed=5, as_of=AS_OF)
    addresses = [row["address"] for row in book.rows["borrowers"]]
    assert all(address.endswith((GENERATED_ADDRESS_CN, GENERATED_ADDRESS_EN)) for address in addresses)
    jurisdictions = Counter(row["jurisdiction"] for row in book.rows["borrowers"])
    assert jurisdictions["US-MA"] >= 1 and jurisdictions["UK-ENG"] >= 1
    assert jurisdictions["CN"] >= 0.95 * 120


def test_places_are_real_shenzhen_places_and_not_the_neighbouring_cities() -> None:
    districts = {district.name for district in shenzhen_districts()}
    assert {"福田区", "南山区", "罗湖区", "宝安区", "龙岗区", "盐田区"} <= districts
    names = {place.name for place in shenzhen_places()}
    assert {"蛇口街道", "西乡街道", "竹子林"} <= names
    assert not names & {"虎门", "虎门镇", "Humen", "淡水", "Danshui"}


def test_refresh_days_are_month_ends_then_the_last_fortnight() -> None:
    days = refresh_days(AS_OF)
    assert days == sorted(days)
    assert days[-14:] == [date(2026, 11, day) for day in range(18, 31)] + [AS_OF]
    assert date(2026, 10, 31) in days and date(2025, 12, 31) in days


@pytest.mark.django_db
def test_seed_shows_every_bucket_and_places_borrowers_in_shenzhen_districts() -> None:
    seed_small()

    assert Borrower.objects.count() == SMALL
    buckets = set(LoanStatus.objects.values_list("bucket", flat=True))
    assert buckets == set(bucket_scheme().names)  # M0 ... M6+
    open_buckets = set(Case.objects.filter(status=Case.Status.OPEN).values_list("bucket", flat=True))
    assert open_buckets == set(bucket_scheme().names) - {"M0"}
    assert set(LoanStatus.objects.values_list("cap_flag", flat=True)) == {"ok", "over_cap", "illegal"}
    assert LoanStatus.objects.filter(outstanding_principal=0).exists()  # fully repaid loans
    assert BucketHistory.objects.values("as_of").distinct().count() == len(refresh_days(AS_OF))
    assert Case.objects.filter(status=Case.Status.CLOSED).exists()  # cured along the way

    south, north, west, east = SHENZHEN_BOUNDS
    chinese = Borrower.objects.filter(country="CN").select_related("territory")
    for borrower in chinese:
        assert borrower.lat is not None and borrower.lon is not None
        assert south <= borrower.lat <= north and west <= borrower.lon <= east, borrower.external_id
        assert borrower.territory is not None
        assert borrower.territory.name in borrower.address  # the address's district is the territory
        assert borrower.address.endswith(GENERATED_ADDRESS_CN)
    assert {code for code, in Borrower.objects.values_list("jurisdiction")} == {"CN", "US-MA", "UK-ENG"}

    per_borrower = Counter(Contact.objects.values_list("borrower_id", flat=True))
    assert max(per_borrower.values()) <= 3
    assert set(Contact.objects.values_list("source", flat=True)) == {"application", "borrower_update"}
    assert max(Counter(Loan.objects.values_list("borrower_id", flat=True)).values()) > 1

    # A compliance history written through the real services: some dials blocked by the rules.
    blocked = Counter(rule for rules in ContactAttempt.objects.filter(status="blocked").values_list("rules", flat=True)
                      for rule in rules)
    assert blocked["CN-HOURS"] > 0 and blocked["CN-CALL-CONNECT"] > 0
    assert ContactAttempt.objects.filter(status="completed").count() > 100
    assert {"unreachable", "hardship"} <= set(BorrowerState.objects.values_list("state", flat=True))
    assert set(Override.objects.values_list("status", flat=True)) == {"pending", "approved"}
    assert Complaint.objects.count() == 2 and audit_verify() is None


@pytest.mark.django_db
def test_seed_certifies_collectors_through_the_quizzes_and_fills_the_case_library() -> None:
    from doorstep.field.models import Visit
    from doorstep.training.models import Attempt, Certificate, TrainingCase

    seed_small()
    collectors = User.objects.filter(role="collector")
    certified = set(Certificate.objects.values_list("user__username", flat=True))
    assert certified == set(collectors.exclude(username="trainee").values_list("username", flat=True))
    assert Attempt.objects.filter(is_passed=False).exists()  # some failed a course first
    assert not Attempt.objects.filter(user__username="trainee").exists()
    # Two of yesterday's visits, played through the field services, became published cases.
    cases = TrainingCase.objects.filter(status=TrainingCase.Status.PUBLISHED).select_related("source_visit")
    assert sorted(cases.values_list("result", flat=True)) == ["failure", "success"]
    for case in cases:
        visit = case.source_visit
        assert visit is not None and visit.status == Visit.Status.CLOSED and visit.recordings.exists()
        text = case.title + case.situation + case.lessons_learnt
        assert visit.borrower.name not in text and visit.borrower.external_id not in text
        assert case.lessons.exists()  # attached to a lesson


@pytest.mark.django_db
def test_every_role_has_a_log_in_and_the_collector_reaches_only_some_cases() -> None:
    seed_small()

    for role in Role:
        assert User.objects.filter(role=role).exists(), role
    for login in LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == login.role
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="agency").agency is not None

    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    reached = case_scope(user=User.objects.get(username="collector")).filter(status=Case.Status.OPEN)
    assert 0 < reached.count() < open_cases.count()
    assert open_cases.exclude(pk__in=reached.values("pk")).exists()
    agency_reach = case_scope(user=User.objects.get(username="agency-collector"))
    assert agency_reach.exists() and not agency_reach.filter(pk__in=reached.values("pk")).exists()
    assert CaseAssignment.objects.filter(assigned_by__username="supervisor").exists()
    # Today's published route for the collector's team, made by the real planner: the field app's day.
    from doorstep.field.selectors import field_today

    day = field_today(user=User.objects.get(username="collector"))
    assert [route["team"]["code"] for route in day["routes"]] == ["DEMO-FT-1"]
    assert day["routes"][0]["stops"] and all(stop["brief"]["collectible_amount"] for stop in day["routes"][0]["stops"])


@pytest.mark.django_db
def test_seeding_twice_adds_nothing_and_other_settings_are_refused() -> None:
    seed_small()
    before = table_counts()

    seed_small()
    assert table_counts() == before

    with pytest.raises(DemoError, match="already holds the demo"):
        seed_small(as_of=date(2026, 12, 2))
    assert table_counts() == before


@pytest.mark.django_db
def test_a_database_with_a_real_book_is_refused() -> None:
    BorrowerFactory(external_id="LENDER-1")
    with pytest.raises(DemoError, match="not demo data"):
        seed_small()
    assert Borrower.objects.count() == 1


@pytest.mark.django_db
def test_demo_run_prints_the_log_ins_and_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_small()
    served: list[str] = []
    real_call_command = call_command

    def fake_call_command(name: str, *args: object, **options: object) -> None:
        if name == "runserver":
            served.append(str(args[0]))
            return
        real_call_command(name, *args, **options)

    monkeypatch.setattr("doorstep.demo.management.commands.demo.call_command", fake_call_command)
    output = StringIO()
    call_command("demo", "run", "--port", "8123", stdout=output)

    text = output.getvalue()
    assert served == ["127.0.0.1:8123"]
    assert "Generated demo data — not real people" in text
    assert "http://127.0.0.1:8123/login/" in text
    assert DEMO_PASSWORD in text
    for login in LOGINS:
        assert login.username in text


@pytest.mark.sqlite_only
def test_migrate_and_seed_a_fresh_sqlite_file(tmp_path: Path) -> None:
    """The product path end to end, in a subprocess on its own SQLite file, whatever the suite runs on."""
    database = tmp_path / "demo.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
                   "DJANGO_SETTINGS_MODULE": "config.settings.local", "DOORSTEP_VAR_DIR": str(tmp_path)}
    command = Path(sys.executable).with_name("doorstep")
    for arguments in (["migrate", "-v0"], ["demo", "seed", "--borrowers", str(SMALL), "--as-of", AS_OF.isoformat()]):
        finished = subprocess.run([str(command), *arguments], env=environment, capture_output=True, text=True,
                                  timeout=600, check=False)
        assert finished.returncode == 0, finished.stderr
    assert "Generated demo data — not real people" in finished.stdout

    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM portfolio_borrower").fetchone() == (SMALL,)
        buckets = {row[0] for row in connection.execute("SELECT DISTINCT bucket FROM portfolio_loanstatus")}
        assert buckets == {"M0", "M1", "M2", "M3", "M4", "M5", "M6+"}


def test_a_defaulted_borrower_pays_in_full_until_the_stop_day_and_never_clears_it_afterwards() -> None:
    schedule = [Due(date(2026, month, 10), 100_000) for month in range(1, 9)]
    for seed in range(40):
        paid = repayments(segment=SEGMENT_BY_NAME["defaulted"], schedule=schedule, as_of=AS_OF, rng=Random(seed),
                          stop_on=date(2026, 4, 10))
        before = sum(item.amount_cents for item in paid if item.paid_on < date(2026, 4, 10))
        after = sum(item.amount_cents for item in paid if item.paid_on >= date(2026, 4, 10))
        assert before == 3 * 100_000
        assert after < 100_000  # the installment due on the stop day stays unpaid: DPD counts from it


def test_a_prime_borrower_never_pays_more_than_the_schedule_and_a_rounding() -> None:
    schedule = [Due(date(2026, month, 10), 123_456) for month in range(1, 7)]
    for seed in range(200):
        paid = repayments(segment=SEGMENT_BY_NAME["prime"], schedule=schedule, as_of=AS_OF, rng=Random(seed))
        assert sum(item.amount_cents for item in paid) <= 6 * 123_456 + 100 * 100
        assert len({item.paid_on for item in paid}) == len(paid)
