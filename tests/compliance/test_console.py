"""The compliance console: pages in both languages, decisions, clearing, resolving, the printable
report, and the borrower page's "check a contact" panel."""

# factory-boy 3.3 types a factory call as the factory, not the model it builds: as in the other
# test modules, those are not errors here.
# mypy: disable-error-code="arg-type, attr-defined, return-value, misc"

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from doorstep.accounts.models import Role, User
from doorstep.common.pii import pii_digest
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, Override
from doorstep.portfolio.models import Case
from tests.factories import BorrowerFactory, BorrowerStateFactory, CaseFactory, ComplaintFactory, UserFactory


@pytest.fixture
def case(db) -> Case:
    borrower = BorrowerFactory(external_id="B7", phone_digest=pii_digest("+8613800000007", purpose="phone"))
    return CaseFactory(borrower=borrower)


@pytest.fixture
def officer(db) -> User:
    return UserFactory(username="officer", role=Role.COMPLIANCE)


def _client(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    if language != "zh-hans":
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client


def _override(case: Case, by: User) -> Override:
    now = timezone.now()
    return Override.objects.create(borrower=case.borrower, case=case, rule_id="CN-HOURS", starts_at=now,
                                   ends_at=now + timedelta(hours=2), evidence="asked for an evening visit",
                                   requested_by=by, requested_at=now)


def test_the_overview_shows_blocked_rules_overrides_states_and_complaints_in_both_languages(
        case: Case, officer: User) -> None:
    requester = UserFactory(role=Role.COLLECTOR)
    for index, rules in enumerate((["CN-HOURS"], ["CN-HOURS", "CN-VISIT-2P"], ["CN-HOURS"])):
        ContactAttempt.objects.create(idempotency_key=f"k{index}", case=case, borrower=case.borrower, party="debtor",
                                      channel="visit", purpose="collect", at=timezone.now() - timedelta(days=1),
                                      collector=requester, status="blocked", rules=rules)
    _override(case, requester)
    BorrowerStateFactory(borrower=case.borrower, state="dispute", reason="says the loan was repaid")
    ComplaintFactory(case=case, summary="called at night", received_at=timezone.now() - timedelta(days=5))
    chinese = _client(officer).get("/compliance/")
    assert chinese.status_code == 200
    for text in ("合规", "按规则统计的拦截次数", "待审批的例外", "生效中的借款人状态", "投诉", "答复已超期", "异议",
                 "says the loan was repaid", "called at night", "<code>CN-HOURS</code>"):
        assert text in chinese.text, text
    assert '<td class="num">3</td>' in chinese.text and '<td class="num">1</td>' in chinese.text
    english = _client(officer, "en").get("/compliance/")
    for text in ("Blocked attempts by rule", "Overrides awaiting approval", "Active borrower states",
                 "answer overdue", "Approve", "Reject"):
        assert text in english.text, text
    assert "待审批的例外" not in english.text


def test_approve_and_reject_change_the_override_and_the_requester_is_told_to_find_a_second_person(
        case: Case, officer: User) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR)
    mine = _override(case, supervisor)
    refused = _client(supervisor, "en").post(f"/compliance/overrides/{mine.pk}/decide/", {"decision": "approve"},
                                             headers={"HX-Request": "true"})
    assert refused.status_code == 403 and "A second person must approve an override" in refused.text
    assert Override.objects.get(pk=mine.pk).status == Override.Status.PENDING
    refused_zh = _client(supervisor).post(f"/compliance/overrides/{mine.pk}/decide/", {"decision": "approve"})
    assert "例外须由第二人审批" in refused_zh.text
    approved = _client(officer).post(f"/compliance/overrides/{mine.pk}/decide/",
                                     {"decision": "approve", "note": "recording checked"})
    assert approved.status_code == 200 and "已批准" in approved.text
    mine.refresh_from_db()
    assert (mine.status, mine.decided_by, mine.decision_note) == ("approved", officer, "recording checked")
    other = _override(case, supervisor)
    rejected = _client(officer).post(f"/compliance/overrides/{other.pk}/decide/", {"decision": "reject"})
    assert rejected.status_code == 200 and Override.objects.get(pk=other.pk).status == "rejected"
    bad = _client(officer).post(f"/compliance/overrides/{_override(case, supervisor).pk}/decide/",
                                {"decision": "maybe"})
    assert bad.status_code == 400 and Override.objects.filter(status="pending").count() == 1


def test_clearing_a_state_needs_a_reason_and_then_records_who(case: Case, officer: User) -> None:
    state = BorrowerStateFactory(borrower=case.borrower, state="hardship")
    empty = _client(officer).post(f"/compliance/states/{state.pk}/clear/", {"reason": ""})
    assert empty.status_code == 400 and "请说明解除该状态的原因" in empty.text
    assert BorrowerState.objects.get(pk=state.pk).cleared_at is None
    cleared = _client(officer).post(f"/compliance/states/{state.pk}/clear/", {"reason": "back at work"})
    assert cleared.status_code == 200 and "已解除" in cleared.text
    state.refresh_from_db()
    assert state.cleared_by == officer and state.clear_reason == "back at work"


def test_resolving_a_complaint(case: Case, officer: User) -> None:
    complaint = ComplaintFactory(case=case)
    bad = _client(officer, "en").post(f"/compliance/complaints/{complaint.pk}/resolve/",
                                      {"outcome": "upheld", "note": ""})
    assert bad.status_code == 400 and "Choose an outcome and write the answer." in bad.text
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN
    done = _client(officer).post(f"/compliance/complaints/{complaint.pk}/resolve/",
                                 {"outcome": "not_upheld", "note": "call log shows daytime calls only"})
    assert done.status_code == 200 and "投诉不成立" in done.text
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome, complaint.resolved_by) == ("resolved", "not_upheld", officer)


def test_the_daily_report_is_printable_with_a_csv_link(case: Case, officer: User) -> None:
    ComplaintFactory(case=case)
    day = timezone.localdate().isoformat()
    page = _client(officer).get("/compliance/report/", {"date": day})
    assert page.status_code == 200
    assert f'href="/compliance/report.csv?date={day}"' in page.text
    assert "合规日报" in page.text and "下载 CSV" in page.text and "no-print" in page.text
    english = _client(officer, "en").get("/compliance/report/", {"date": day})
    assert "Daily compliance report" in english.text and "Intact: 0 entries verified." in english.text
    download = _client(officer).get("/compliance/report.csv", {"date": day})
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "complaints,all,received,1" in download.content.decode()
    stylesheet = Path(str(finders.find("web/console.css"))).read_text(encoding="utf-8")
    print_rules = stylesheet[stylesheet.index("@media print"):]
    assert ".topbar" in print_rules and "#000" in print_rules and "#fff" in print_rules
    wrong = _client(officer, "en").get("/compliance/report/", {"date": "yesterday"})
    assert wrong.status_code == 400 and "is not a date" in wrong.text


def test_the_borrower_page_has_a_compliance_panel_that_checks_a_contact(case: Case) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR)
    BorrowerStateFactory(borrower=case.borrower, state="hardship", reason="lost job")
    page = _client(supervisor).get("/borrowers/B7/")
    assert page.status_code == 200
    assert "联系前检查" in page.text and "经济困难" in page.text
    assert 'hx-post="/compliance/borrowers/B7/check/"' in page.text
    blocked = _client(supervisor).post("/compliance/borrowers/B7/check/",
                                       {"channel": "visit", "at": "2026-06-02T21:30", "party": "debtor"})
    assert blocked.status_code == 200
    assert "已拦截" in blocked.text and "CN-HOURS" in blocked.text and "不在当地时间" in blocked.text
    assert "2026-06-03 08:00" in blocked.text
    english = _client(supervisor, "en").post("/compliance/borrowers/B7/check/",
                                             {"channel": "call", "at": "2026-06-02T10:00", "party": "debtor"})
    assert english.status_code == 200 and "Allowed" in english.text
    bad = _client(supervisor, "en").post("/compliance/borrowers/B7/check/",
                                         {"channel": "visit", "at": "tonight", "party": "debtor"})
    assert bad.status_code == 400 and "Give a date and time" in bad.text
    nobody = _client(supervisor, "en").post("/compliance/borrowers/B7/check/",
                                            {"channel": "call", "at": "2026-06-02T10:00", "party": "guarantor"})
    assert nobody.status_code == 400 and "no contact in that role" in nobody.text
    assert ContactAttempt.objects.count() == 0
