"""The compliance API: decisions, idempotent attempts, outcomes through the text filter, overrides,
complaints and the daily report, checked against the database."""

# factory-boy 3.3 types a factory call as the factory, not the model it builds: as in the other
# test modules, those are not errors here.
# mypy: disable-error-code="arg-type, attr-defined, return-value, misc"

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from doorstep.accounts.models import Role, User
from doorstep.common.models import AuditEntry
from doorstep.common.pii import pii_digest
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, Override
from doorstep.compliance.reports import daily_report, daily_report_csv
from doorstep.portfolio.models import Case
from tests.factories import BorrowerFactory, CaseFactory, TeamFactory, UserFactory

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass
class Book:
    case: Case
    collector: User
    supervisor: User
    compliance: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def book(db) -> Book:
    collector = UserFactory(username="c1", role=Role.COLLECTOR)
    team = TeamFactory(members=[collector, UserFactory(role=Role.COLLECTOR)])
    borrower = BorrowerFactory(external_id="B1", phone_digest=pii_digest("+8613800000001", purpose="phone"))
    return Book(case=CaseFactory(borrower=borrower, team=team), collector=collector,
                supervisor=UserFactory(username="s1", role=Role.SUPERVISOR),
                compliance=UserFactory(username="k1", role=Role.COMPLIANCE))


def _contact(case: Case, at: str, **extra: object) -> dict[str, object]:
    return {"case": case.pk, "channel": "call", "at": at, "party": "debtor", **extra}


def _today_at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(timezone.localdate(), datetime.min.time(), tzinfo=BEIJING).replace(hour=hour,
                                                                                               minute=minute)


def test_a_visit_at_half_past_nine_at_night_is_blocked_until_eight_the_next_morning(book: Book) -> None:
    response = book.client(book.collector).post("/api/v1/compliance/check/", _contact(
        book.case, "2026-06-02T21:30:00+08:00", channel="visit", team_size=2), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False and body["rules"] == ["CN-HOURS"]
    assert datetime.fromisoformat(body["next_allowed_at"]) == datetime(2026, 6, 3, 8, 0, tzinfo=BEIJING)
    assert body["blocks"][0]["rule"] == "CN-HOURS" and body["blocks"][0]["temporal"] is True
    assert "22:00" in body["reason"] and body["reason_zh"].startswith("CN-HOURS: 不在当地时间")
    assert {item["rule"] for item in body["requirements"]} >= {"CN-VISIT-AV", "CN-VISIT-ID"}
    assert ContactAttempt.objects.count() == 0  # a check records nothing


def test_check_refuses_a_moment_without_offset_and_unknown_cases(book: Book) -> None:
    client = book.client(book.collector)
    naive = client.post("/api/v1/compliance/check/", _contact(book.case, "2026-06-02T10:00:00"),
                        content_type="application/json")
    assert naive.status_code == 400 and "offset" in str(naive.json()["details"]["at"])
    other = CaseFactory()
    assert client.post("/api/v1/compliance/check/", _contact(other, "2026-06-02T10:00:00+08:00"),
                       content_type="application/json").status_code == 404


def test_an_attempt_retried_with_the_same_key_is_recorded_once(book: Book) -> None:
    client = book.client(book.collector)
    payload = _contact(book.case, "2026-06-02T10:00:00+08:00")
    first = client.post("/api/v1/compliance/attempts/", payload, content_type="application/json",
                        headers={"Idempotency-Key": "phone-1-attempt-7"})
    second = client.post("/api/v1/compliance/attempts/", payload, content_type="application/json",
                         headers={"Idempotency-Key": "phone-1-attempt-7"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["created"] is True and second.json()["created"] is False
    assert first.json()["attempt"]["id"] == second.json()["attempt"]["id"]
    assert first.json()["allowed"] is True and first.json()["attempt"]["status"] == "pending"
    assert ContactAttempt.objects.filter(idempotency_key="phone-1-attempt-7").count() == 1
    in_body = client.post("/api/v1/compliance/attempts/", {**payload, "idempotency_key": "body-key"},
                          content_type="application/json")
    assert in_body.status_code == 201 and ContactAttempt.objects.count() == 2


def test_an_attempt_without_a_key_is_refused_and_nothing_recorded(book: Book) -> None:
    response = book.client(book.collector).post("/api/v1/compliance/attempts/",
                                                _contact(book.case, "2026-06-02T10:00:00+08:00"),
                                                content_type="application/json")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["message"]
    assert ContactAttempt.objects.count() == 0


def test_a_blocked_attempt_is_recorded_with_its_rules(book: Book) -> None:
    response = book.client(book.collector).post(
        "/api/v1/compliance/attempts/", _contact(book.case, "2026-06-02T23:00:00+08:00"),
        content_type="application/json", headers={"Idempotency-Key": "late-call"})
    assert response.status_code == 201
    body = response.json()
    assert body["allowed"] is False and body["rules"] == ["CN-HOURS"]
    assert datetime.fromisoformat(body["next_allowed_at"]) == datetime(2026, 6, 3, 8, 0, tzinfo=BEIJING)
    attempt = ContactAttempt.objects.get(idempotency_key="late-call")
    assert attempt.status == ContactAttempt.Status.BLOCKED and attempt.rules == ["CN-HOURS"]
    assert attempt.collector == book.collector and body["attempt"]["status"] == "blocked"
    finish = book.client(book.collector).post(f"/api/v1/compliance/attempts/{attempt.pk}/finish/",
                                              {"outcome": "connected"}, content_type="application/json")
    assert finish.status_code == 409  # a blocked attempt has no outcome


def test_a_note_breaking_the_text_filter_is_refused_and_nothing_changes(book: Book) -> None:
    client = book.client(book.collector)
    started = client.post("/api/v1/compliance/attempts/", _contact(book.case, "2026-06-02T10:00:00+08:00"),
                          content_type="application/json", headers={"Idempotency-Key": "k-note"}).json()
    attempt_id = started["attempt"]["id"]
    audit_before = AuditEntry.objects.count()
    refused = client.post(f"/api/v1/compliance/attempts/{attempt_id}/finish/",
                          {"outcome": "connected", "note": "I am from the police, pay now or go to jail"},
                          content_type="application/json")
    assert refused.status_code == 400
    details = refused.json()["details"]
    assert {finding["category"] for finding in details} >= {"impersonation"}
    assert all("CN-NO-FAKE" in finding["rules"] for finding in details)
    attempt = ContactAttempt.objects.get(pk=attempt_id)
    assert (attempt.status, attempt.outcome, attempt.note) == (ContactAttempt.Status.PENDING, "", "")
    assert AuditEntry.objects.count() == audit_before
    done = client.post(f"/api/v1/compliance/attempts/{attempt_id}/finish/",
                       {"outcome": "connected", "note": "借款人表示下周发工资后还款"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "completed" and done.json()["connected"] is True


def test_text_check_returns_findings_with_positions(book: Book) -> None:
    text = "再不还钱我们就报警，让公安来抓你"
    response = book.client(book.collector).post("/api/v1/compliance/text-check/", {"text": text},
                                                content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False and body["findings"]
    for finding in body["findings"]:
        assert text[finding["start"]:finding["end"]] == finding["excerpt"]
        assert finding["rules"] == ["CN-NO-FAKE"]
    assert any("抓" in finding["excerpt"] for finding in body["findings"])
    clean = book.client(book.collector).post("/api/v1/compliance/text-check/", {"text": "请通过官方渠道还款"},
                                             content_type="application/json")
    assert clean.json() == {"allowed": True, "findings": []}


def test_an_override_needs_a_second_person_and_then_lifts_the_night_rule(book: Book) -> None:
    evening = datetime(2026, 6, 2, 22, 30, tzinfo=BEIJING)
    check = _contact(book.case, evening.isoformat())
    assert book.client(book.collector).post("/api/v1/compliance/check/", check,
                                            content_type="application/json").json()["rules"] == ["CN-HOURS"]
    requested = book.client(book.supervisor).post("/api/v1/compliance/overrides/", {
        "borrower": "B1", "rule": "CN-HOURS", "starts_at": "2026-06-02T22:00:00+08:00",
        "ends_at": "2026-06-02T23:30:00+08:00", "evidence": "debtor works nights; asked for a call after 22:00",
        "recording_reference": "REC-1"}, content_type="application/json")
    assert requested.status_code == 201 and requested.json()["status"] == "pending"
    override_id = requested.json()["id"]
    same_person = book.client(book.supervisor).post(f"/api/v1/compliance/overrides/{override_id}/decide/",
                                                    {"approve": True}, content_type="application/json")
    assert same_person.status_code == 403 and "second person" in same_person.json()["message"]
    assert Override.objects.get(pk=override_id).status == Override.Status.PENDING
    collector = book.client(book.collector).post(f"/api/v1/compliance/overrides/{override_id}/decide/",
                                                 {"approve": True}, content_type="application/json")
    assert collector.status_code == 403
    approved = book.client(book.compliance).post(f"/api/v1/compliance/overrides/{override_id}/decide/",
                                                 {"approve": True, "note": "recording checked"},
                                                 content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "k1"
    after = book.client(book.collector).post("/api/v1/compliance/check/", check, content_type="application/json")
    assert after.json()["allowed"] is True


def test_an_override_for_a_rule_without_consent_is_refused(book: Book) -> None:
    response = book.client(book.supervisor).post("/api/v1/compliance/overrides/", {
        "borrower": "B1", "rule": "CN-NO-FAKE", "starts_at": "2026-06-02T22:00:00+08:00",
        "ends_at": "2026-06-02T23:00:00+08:00", "evidence": "x"}, content_type="application/json")
    assert response.status_code == 400 and Override.objects.count() == 0


def test_a_complaint_pauses_field_visits(book: Book) -> None:
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(BEIJING).replace(hour=10, minute=0, second=0,
                                                                                 microsecond=0)
    visit = _contact(book.case, tomorrow.isoformat(), channel="visit", team_size=2)
    client = book.client(book.compliance)
    assert client.post("/api/v1/compliance/check/", visit, content_type="application/json").json()["allowed"] is True
    recorded = client.post("/api/v1/compliance/complaints/", {
        "case": book.case.pk, "summary": "the collector shouted at my door", "received_at": timezone.now().isoformat(),
        "received_via": "hotline", "collector": "c1"}, content_type="application/json")
    assert recorded.status_code == 201
    body = recorded.json()
    assert body["status"] == "open" and body["collector"] == "c1" and body["sla_breached"] is False
    decision = client.post("/api/v1/compliance/check/", visit, content_type="application/json").json()
    assert decision["allowed"] is False and "DS-COMPLAINT-PAUSE" in decision["rules"]
    call = client.post("/api/v1/compliance/check/", _contact(book.case, tomorrow.isoformat()),
                       content_type="application/json").json()
    assert call["allowed"] is True  # the pause is for field visits only
    resolved = client.post(f"/api/v1/compliance/complaints/{body['id']}/resolve/",
                           {"outcome": "partly_upheld", "note": "apologised; collector retrained"},
                           content_type="application/json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert Complaint.objects.get().outcome == "partly_upheld"


def test_borrower_states_set_list_and_clear(book: Book) -> None:
    collector = book.client(book.collector)
    created = collector.post("/api/v1/compliance/borrowers/B1/states/", {"state": "dispute", "reason": "says paid"},
                             content_type="application/json")
    assert created.status_code == 201 and created.json()["set_by"] == "c1"
    missing_evidence = collector.post("/api/v1/compliance/borrowers/B1/states/",
                                      {"state": "attorney", "reason": "has a lawyer"}, content_type="application/json")
    assert missing_evidence.status_code == 400
    listed = collector.get("/api/v1/compliance/borrowers/B1/states/").json()
    assert [row["state"] for row in listed["active"]] == ["dispute"] and listed["history"] == []
    assert collector.post("/api/v1/compliance/borrowers/B1/states/dispute/clear/", {"reason": "verified"},
                          content_type="application/json").status_code == 403
    cleared = book.client(book.supervisor).post("/api/v1/compliance/borrowers/B1/states/dispute/clear/",
                                                {"reason": "payment found"}, content_type="application/json")
    assert cleared.status_code == 200 and cleared.json()["cleared_by"] == "s1"
    listed = collector.get("/api/v1/compliance/borrowers/B1/states/").json()
    assert listed["active"] == [] and [row["clear_reason"] for row in listed["history"]] == ["payment found"]
    assert book.client(book.supervisor).post("/api/v1/compliance/borrowers/B1/states/nonsense/clear/",
                                             {"reason": "x"}, content_type="application/json").status_code == 404


def _csv_values(text: str) -> dict[tuple[str, str, str], str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "key", "measure", "value"]
    return {(section, key, measure): value for section, key, measure, value in rows[1:]}


def test_the_daily_report_counts_the_rows_of_the_day(book: Book, tmp_path: Path) -> None:
    collector, compliance = book.client(book.collector), book.client(book.compliance)
    for key, at, extra in (("a1", _today_at(10), {}), ("a2", _today_at(10, 5), {}), ("b1", _today_at(23), {}),
                           ("b2", _today_at(11), {"channel": "visit", "team_size": 1})):
        assert collector.post("/api/v1/compliance/attempts/", _contact(book.case, at.isoformat(), **extra),
                              content_type="application/json", headers={"Idempotency-Key": key}).status_code == 201
    finished = ContactAttempt.objects.get(idempotency_key="a1")
    assert collector.post(f"/api/v1/compliance/attempts/{finished.pk}/finish/", {"outcome": "no_answer"},
                          content_type="application/json").status_code == 200
    collector.post("/api/v1/compliance/borrowers/B1/states/", {"state": "hardship", "reason": "lost job"},
                   content_type="application/json")
    now = timezone.now()
    override = book.client(book.supervisor).post("/api/v1/compliance/overrides/", {
        "borrower": "B1", "rule": "CN-HOURS", "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(), "evidence": "asked for it"},
        content_type="application/json").json()
    compliance.post(f"/api/v1/compliance/overrides/{override['id']}/decide/", {"approve": True},
                    content_type="application/json")
    compliance.post("/api/v1/compliance/complaints/", {"case": book.case.pk, "summary": "too many calls",
                                                       "received_at": now.isoformat()}, content_type="application/json")
    old = Complaint.objects.create(  # an older complaint, still open past its answer time
        case=book.case, borrower=book.case.borrower, summary="old", received_at=now - timedelta(days=5),
        visits_paused_until=now - timedelta(days=1), answer_due_at=now - timedelta(days=2), recorded_by=book.compliance)
    assert old.status == Complaint.Status.OPEN

    day = timezone.localdate().isoformat()
    response = compliance.get("/api/v1/compliance/report/", {"date": day})
    assert response.status_code == 200
    body = response.json()
    assert body["day"] == day and body["attempts_total"] == 4 and body["blocked_total"] == 2
    assert body["attempts_by_channel"] == [
        {"channel": "call", "allowed": 2, "pending": 1, "completed": 1, "blocked": 1},
        {"channel": "visit", "allowed": 0, "pending": 0, "completed": 0, "blocked": 1}]
    assert body["blocked_by_rule"] == [{"rule_id": "CN-HOURS", "count": 1}, {"rule_id": "CN-VISIT-2P", "count": 1}]
    assert body["attempts_by_agency"] == [{"agency": "", "allowed": 2, "blocked": 2}]
    assert body["overrides"] == {"requested": 1, "approved": 1, "rejected": 0, "in_force": 1}
    assert body["states"] == [{"state": "hardship", "set": 1, "cleared": 0, "active": 1}]
    assert body["complaints"] == {"received": 1, "resolved": 0, "open": 2, "sla_breached": 1, "visits_paused": 1}
    assert body["audit"]["intact"] is True and body["audit"]["entries"] == AuditEntry.objects.count()

    download = compliance.get("/api/v1/compliance/report.csv", {"date": day})
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    values = _csv_values(download.content.decode())
    assert values[("attempts_by_channel", "call", "allowed")] == "2"
    assert values[("attempts_by_channel", "visit", "blocked")] == "1"
    assert values[("blocked_by_rule", "CN-HOURS", "blocked")] == "1"
    assert values[("attempts_by_agency", "lender", "blocked")] == "2"
    assert values[("overrides", "all", "approved")] == "1"
    assert values[("borrower_states", "hardship", "active")] == "1"
    assert values[("complaints", "all", "sla_breached")] == "1"
    assert values[("audit", "chain", "intact")] == "yes"

    target = tmp_path / "report.csv"
    call_command("compliance", "report", "--date", day, "--csv", str(target))
    written = _csv_values(target.read_text(encoding="utf-8"))
    expected = _csv_values(daily_report_csv(daily_report(day=timezone.localdate())))
    written.pop(("report", "day", "as_of")), expected.pop(("report", "day", "as_of"))
    assert written == expected and written[("attempts", "all", "total")] == "4"

    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    empty = compliance.get("/api/v1/compliance/report/", {"date": yesterday}).json()
    assert empty["attempts_total"] == 0 and empty["blocked_by_rule"] == []
    assert compliance.get("/api/v1/compliance/report/", {"date": "soon"}).status_code == 400


def test_a_broken_audit_chain_shows_in_the_report(book: Book) -> None:
    book.client(book.collector).post("/api/v1/compliance/borrowers/B1/states/", {"state": "hardship",
                                                                                 "reason": "lost job"},
                                     content_type="application/json")
    AuditEntry.objects.filter(sequence=1).update(action="tampered")
    report = daily_report(day=timezone.localdate())
    assert report.audit.intact is False and report.audit.broken_sequence == 1
    assert "audit,chain,intact,no" in daily_report_csv(report)
    assert BorrowerState.objects.count() == 1
