"""The console in a real browser: upload with a progress bar, case filters, borrower page, reveal."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from doorstep.accounts.models import Role
from doorstep.portfolio.delinquency import delinquency_refresh
from doorstep.portfolio.models import Borrower, ImportJob, Loan, PiiAccess
from doorstep.portfolio.services import case_assign
from tests.browser.conftest import log_in
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_upload_runs_in_the_background_then_shows_the_report_and_writes_the_rows(
        live_server, desktop, tmp_path, settings):
    settings.DOORSTEP_TASK_MODE = "thread"  # as in the demo: the upload returns at once, the bar follows
    UserFactory(username="boss", role=Role.SUPERVISOR)
    rows = [{"borrower_id": f"W{n:05d}", "name": "测试", "jurisdiction": "CN", "phone": f"1380000{n:04d}"}
            for n in range(3000)]
    path = _write(tmp_path / "borrowers.csv", rows)
    log_in(desktop, live_server.url, "boss")
    desktop.goto(f"{live_server.url}/imports/")
    desktop.select_option("select[name=kind]", "borrowers")
    desktop.set_input_files("input[name=file]", str(path))
    desktop.click("main button.primary")
    desktop.wait_for_url("**/imports/*/")
    desktop.wait_for_selector("text=Succeeded", timeout=60_000)
    assert Borrower.objects.count() == 3000
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.rows_invalid) == ("succeeded", 3000, 0)
    assert "3,000" in desktop.inner_text("main")


def test_a_rejected_upload_lists_every_invalid_row_and_writes_nothing(live_server, desktop, tmp_path):
    UserFactory(username="boss", role=Role.SUPERVISOR)
    path = _write(tmp_path / "borrowers.csv", [
        {"borrower_id": "OK1", "name": "甲", "jurisdiction": "CN", "national_id": ""},
        {"borrower_id": "BAD1", "name": "乙", "jurisdiction": "XX", "national_id": ""},
        {"borrower_id": "BAD2", "name": "丙", "jurisdiction": "CN", "national_id": "110105194912310021"},
    ])
    log_in(desktop, live_server.url, "boss")
    desktop.goto(f"{live_server.url}/imports/")
    desktop.set_input_files("input[name=file]", str(path))
    desktop.click("main button.primary")
    desktop.wait_for_selector("text=2 problems")
    table = desktop.inner_text("main")
    assert "unknown jurisdiction" in table and "check character does not match" in table
    assert Borrower.objects.count() == 0


@pytest.fixture
def small_book(db, tmp_path, import_file, write_csv):
    write = write_csv
    import_file("borrowers", write("borrowers", [
        {"borrower_id": f"S{n}", "name": f"借款人{n}", "jurisdiction": "CN", "phone": f"1390000000{n}"}
        for n in range(6)]))
    import_file("loans", write("loans", [
        {"loan_id": f"SL{n}", "borrower_id": f"S{n}", "currency": "CNY", "principal": "1000",
         "disbursed_on": "2026-01-01",
         "annual_rate": "0.18", "lender_licence": "microloan"} for n in range(6)]))
    import_file("installments", write("installments", [
        {"loan_id": f"SL{n}", "seq": str(k), "due_on": f"2026-{k + 1:02d}-01", "principal_due": "100",
         "interest_due": "15"} for n in range(6) for k in range(1, 11)]))
    import_file("payments", write("payments", [
        {"payment_id": f"SP{n}-{k}", "loan_id": f"SL{n}", "paid_at": f"2026-{k + 1:02d}-01T12:00:00+08:00",
         "amount": "115"} for n in range(6) for k in range(1, n + 1)]))
    delinquency_refresh(as_of=date(2026, 8, 20))
    return Loan.objects.count()


def test_a_collector_on_a_phone_filters_their_cases_and_reveals_a_phone(live_server, phone, small_book):
    collector = UserFactory(username="walker", role=Role.COLLECTOR)
    team = TeamFactory(members=[collector, UserFactory(role=Role.COLLECTOR)])
    boss = UserFactory(role=Role.SUPERVISOR)
    from doorstep.portfolio.models import Case

    mine = list(Case.objects.filter(status="open").order_by("borrower__external_id")[:3])
    for case in mine:
        case_assign(case=case, by=boss, team=team)
    log_in(phone, live_server.url, "walker")
    phone.goto(f"{live_server.url}/cases/")
    assert "案件" in phone.inner_text("h1")
    listed = phone.locator("table.cases tbody tr").count()
    assert listed == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    phone.click("details.filters summary")  # filters fold away on a phone until asked for
    expected = sorted(case.borrower.external_id for case in mine if case.bucket == "M6+")
    assert 0 < len(expected) < 3  # the filter must make a visible difference
    with phone.expect_response(lambda response: "bucket=M6" in response.url):
        phone.select_option("select[name=bucket]", "M6+")
    phone.wait_for_function(f"document.querySelectorAll('table.cases tbody tr').length === {len(expected)}")
    shown = phone.locator("table.cases tbody tr a").all_inner_texts()
    assert "bucket=M6" in phone.url  # the filtered list has its own address (back button, sharing)
    assert sorted(shown) == expected
    phone.goto(f"{live_server.url}/cases/{mine[0].pk}/")
    phone.fill("form.reveal input[name=reason]", "上门前核对电话")
    phone.click("form.reveal button")
    phone.wait_for_selector(".revealed")
    assert phone.inner_text(".revealed").startswith("+86139")
    assert PiiAccess.objects.filter(user=collector, field="phone").count() == 1


def test_a_collector_on_a_phone_checks_an_evening_visit_in_the_borrowers_own_time(live_server, phone):
    from doorstep.portfolio.models import Case
    from tests.factories import BorrowerFactory, CaseFactory

    collector = UserFactory(username="evening", role=Role.COLLECTOR)
    team = TeamFactory(members=[collector, UserFactory(role=Role.COLLECTOR)])
    borrower = BorrowerFactory(external_id="NYC1", jurisdiction="US-NY", country="US", timezone="America/New_York")
    CaseFactory(borrower=borrower, team=team)
    assert Case.objects.filter(team=team).count() == 1
    log_in(phone, live_server.url, "evening")
    phone.goto(f"{live_server.url}/borrowers/NYC1/")
    panel = phone.locator("#compliance-panel")
    panel.locator("select[name=channel]").select_option("visit")
    panel.locator("input[name=at]").fill("2026-12-01T20:30")
    panel.locator("button[type=submit]").click()
    phone.wait_for_selector("#contact-decision .decision")
    shown = phone.inner_text("#contact-decision")
    # A 45-minute visit from 20:30 ends after 21:00 in New York (US-HOURS); the next start is 08:00 there.
    assert "US-HOURS" in shown and "2026-12-02 08:00" in shown and "America/New_York" in shown
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_supervisor_on_a_phone_locks_a_stop_and_reoptimises(live_server, phone, settings):
    from doorstep.planning.models import Plan, Stop
    from doorstep.planning.services import plan_build
    from tests.planning.test_plan_pages import DAY, make_book

    settings.DOORSTEP_PLAN_TIME_LIMIT_S = 1
    book = make_book()
    plan = plan_build(day=DAY, territory=book["territory"], by=book["supervisor"])[0]  # solved inline on commit
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY, plan.message
    log_in(phone, live_server.url, "boss")
    phone.goto(f"{live_server.url}/plans/{plan.pk}/")
    phone.wait_for_selector("svg.plan-map")
    assert phone.locator("svg.plan-map .map-stop").count() == Stop.objects.filter(route__plan=plan).count()
    assert phone.locator("li.stop").count() == Stop.objects.filter(route__plan=plan).count()
    sideways = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert phone.evaluate(sideways) <= 0
    map_box = phone.locator("svg.plan-map").bounding_box()
    list_box = phone.locator("section.route").first.bounding_box()
    assert map_box["width"] <= 390 and list_box["y"] >= map_box["y"] + map_box["height"]  # lists under the map
    first = phone.locator("li.stop").first
    case_id = int(first.get_attribute("data-case"))
    toggle = first.locator("label.toggle").first
    assert toggle.bounding_box()["height"] >= 44  # a thumb-sized target
    toggle.tap()
    assert first.locator("input[name=lock]").is_checked()
    with phone.expect_navigation():
        phone.locator(".revise-bar button").tap()
    revised = Plan.objects.latest("pk")
    assert revised.previous_id == plan.pk and phone.url.endswith(f"/plans/{revised.pk}/")
    phone.wait_for_selector(f"li.stop.locked[data-case='{case_id}']")
    assert "已锁定" in phone.inner_text(f"li.stop[data-case='{case_id}']")
    before, after = (Stop.objects.get(route__plan=version, case_id=case_id) for version in (plan, revised))
    assert after.is_locked and after.route.team_id == before.route.team_id
    assert phone.evaluate(sideways) <= 0
