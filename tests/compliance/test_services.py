"""The compliance record in the database: attempts and their counters, states, overrides,
complaints, policy, the command line; every write audited."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.common.audit import audit_verify
from doorstep.common.errors import Conflict, InvalidInput, NotPermitted
from doorstep.common.models import AuditEntry
from doorstep.common.pii import pii_digest
from doorstep.compliance.core.model import Channel, Party, State
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, LenderPolicy, Override
from doorstep.compliance.selectors import subject_for
from doorstep.compliance.services import (
    AttemptRequest,
    borrower_state_clear,
    borrower_state_set,
    complaint_record,
    complaint_resolve,
    contact_attempt_finish,
    contact_attempt_start,
    contact_check,
    override_decide,
    override_request,
    policy_set,
)
from tests.factories import AgencyFactory, BorrowerFactory, CaseFactory, ContactFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def people(db):
    return {role: UserFactory(username=role, role=role) for role in (
        Role.COLLECTOR, Role.SUPERVISOR, Role.COMPLIANCE, Role.ADMIN, Role.ANALYST)} | {
        "collector2": UserFactory(username="collector2", role=Role.COLLECTOR)}


@pytest.fixture
def case(db):
    borrower = BorrowerFactory(external_id="B1", phone_digest=pii_digest("+8613800000001", purpose="phone"))
    return CaseFactory(borrower=borrower)


def request(case, channel=Channel.CALL, moment=None, **extra) -> AttemptRequest:
    return AttemptRequest(borrower=case.borrower, case=case, channel=channel, at=moment or at(1, 10), **extra)


def test_attempt_is_recorded_audited_and_idempotent(case, people) -> None:
    collector = people[Role.COLLECTOR]
    audits = AuditEntry.objects.count()
    first, created = contact_attempt_start(request=request(case), by=collector, idempotency_key="k1")
    again, created_again = contact_attempt_start(request=request(case), by=collector, idempotency_key="k1")
    assert created and not created_again and first.pk == again.pk
    assert ContactAttempt.objects.count() == 1
    assert first.status == ContactAttempt.Status.PENDING and first.rules == []
    assert AuditEntry.objects.count() == audits + 1
    with pytest.raises(Conflict):
        contact_attempt_start(request=request(case, Channel.SMS), by=collector, idempotency_key="k1")


def test_a_blocked_attempt_is_recorded_with_its_rules_and_reason(case, people) -> None:
    attempt, _ = contact_attempt_start(request=request(case, moment=at(1, 22, 30)), by=people[Role.COLLECTOR],
                                       idempotency_key="night")
    assert attempt.status == ContactAttempt.Status.BLOCKED
    assert attempt.rules == ["CN-HOURS"] and "22:00" in attempt.reason
    with pytest.raises(Conflict):
        contact_attempt_finish(attempt=attempt, outcome="connected", by=people[Role.COLLECTOR])


def test_fourth_connected_call_of_the_day_is_blocked_across_agencies(case, people) -> None:
    agency_collector = UserFactory(role=Role.COLLECTOR, agency=AgencyFactory())
    for index, who in enumerate((people[Role.COLLECTOR], people["collector2"], agency_collector)):
        attempt, _ = contact_attempt_start(request=request(case, moment=at(1, 9 + index)), by=who,
                                           idempotency_key=f"c{index}")
        contact_attempt_finish(attempt=attempt, outcome="connected", by=who)
    fourth, _ = contact_attempt_start(request=request(case, moment=at(1, 15)), by=people[Role.COLLECTOR],
                                      idempotency_key="c4")
    assert fourth.status == ContactAttempt.Status.BLOCKED and "CN-CALL-CONNECT" in fourth.rules
    decision = contact_check(request=request(case, moment=at(1, 16)))
    assert decision.next_allowed_at == at(2, 8)
    next_day, _ = contact_attempt_start(request=request(case, moment=at(2, 9)), by=people[Role.COLLECTOR],
                                        idempotency_key="c5")
    assert next_day.status == ContactAttempt.Status.PENDING


def test_a_pending_attempt_holds_a_slot_until_its_outcome_frees_it(case, people) -> None:
    collector = people[Role.COLLECTOR]
    for index in range(2):
        attempt, _ = contact_attempt_start(request=request(case, moment=at(1, 9 + index)), by=collector,
                                           idempotency_key=f"p{index}")
        contact_attempt_finish(attempt=attempt, outcome="connected", by=collector)
    pending, _ = contact_attempt_start(request=request(case, moment=at(1, 12)), by=collector, idempotency_key="p2")
    blocked, _ = contact_attempt_start(request=request(case, moment=at(1, 12, 1)), by=people["collector2"],
                                       idempotency_key="p3")
    assert pending.status == ContactAttempt.Status.PENDING and blocked.status == ContactAttempt.Status.BLOCKED
    contact_attempt_finish(attempt=pending, outcome="no_answer", by=collector)
    freed, _ = contact_attempt_start(request=request(case, moment=at(1, 12, 2)), by=people["collector2"],
                                     idempotency_key="p4")
    assert freed.status == ContactAttempt.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_collectors_racing_for_the_last_call_slot_get_exactly_one(people) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    borrower = BorrowerFactory(external_id="RACE", phone_digest=pii_digest("+8613800000009", purpose="phone"))
    race_case = CaseFactory(borrower=borrower)
    collector, rival = people[Role.COLLECTOR], people["collector2"]
    for index in range(2):
        attempt, _ = contact_attempt_start(request=request(race_case, moment=at(1, 9 + index)), by=collector,
                                           idempotency_key=f"r{index}")
        contact_attempt_finish(attempt=attempt, outcome="connected", by=collector)
    for round_number in range(5):
        barrier = threading.Barrier(2)
        results: list[str] = []

        def dial(user, key, minute, barrier=barrier, results=results):
            try:
                barrier.wait()
                attempt, _ = contact_attempt_start(request=request(race_case, moment=at(1, 12, minute)), by=user,
                                                   idempotency_key=key)
                results.append(attempt.status)
            finally:
                connection.close()

        threads = [threading.Thread(target=dial, args=(user, f"race{round_number}-{index}", index))
                   for index, user in enumerate((collector, rival))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == ["blocked", "pending"], results
        ContactAttempt.objects.filter(idempotency_key__startswith=f"race{round_number}-").delete()


def test_unreachable_needs_evidence_in_the_log_and_opens_pre_agreed_contacts(case, people) -> None:
    collector = people[Role.COLLECTOR]
    contact = ContactFactory(borrower=case.borrower, role="contact", phone_digest="d" * 64)
    blocked = contact_check(request=request(case, party=Party.CONTACT, contact=contact))
    assert "CN-CONTACT-TRIGGER" in blocked.rules
    with pytest.raises(InvalidInput, match="evidence in the contact log"):
        borrower_state_set(borrower=case.borrower, state=State.UNREACHABLE, reason="no answer", by=collector)
    for day in (1, 2, 3):
        attempt, _ = contact_attempt_start(request=request(case, moment=at(day, 10)), by=collector,
                                           idempotency_key=f"u{day}")
        contact_attempt_finish(attempt=attempt, outcome="no_answer", by=collector)
    state = borrower_state_set(borrower=case.borrower, state=State.UNREACHABLE, reason="three days", by=collector)
    assert "3 separate days" in state.evidence and state.set_by == collector
    allowed = contact_check(request=request(case, moment=at(4, 10), party=Party.CONTACT, contact=contact))
    assert allowed.allowed and any(item.rule_id == "CN-TARGET" for item in allowed.requirements)
    assert not contact_check(request=request(case, moment=at(4, 10), channel=Channel.SMS, party=Party.CONTACT,
                                             contact=contact)).allowed  # CN-NO-DISCLOSE


def test_a_contact_who_refuses_is_never_contacted_again(case, people) -> None:
    collector = people[Role.COLLECTOR]
    contact = ContactFactory(borrower=case.borrower, role="contact", phone_digest="e" * 64)
    BorrowerState.objects.create(borrower=case.borrower, state="unreachable", reason="x", set_at=timezone.now())
    attempt, _ = contact_attempt_start(request=request(case, party=Party.CONTACT, contact=contact), by=collector,
                                       idempotency_key="ref1")
    contact_attempt_finish(attempt=attempt, outcome="refused", by=collector)
    later = contact_check(request=request(case, moment=at(5, 10), party=Party.CONTACT, contact=contact))
    assert not later.allowed and "CN-CONTACT-TRIGGER" in later.rules


def test_states_record_who_when_why_and_clear_with_a_reason(case, people) -> None:
    collector, supervisor = people[Role.COLLECTOR], people[Role.SUPERVISOR]
    with pytest.raises(InvalidInput):
        borrower_state_set(borrower=case.borrower, state=State.DECEASED, reason="told by family", by=collector)
    with pytest.raises(InvalidInput):
        borrower_state_set(borrower=case.borrower, state=State.ILLEGAL_DEBT, reason="x", by=collector)
    with pytest.raises(NotPermitted):
        borrower_state_set(borrower=case.borrower, state=State.HARDSHIP, reason="x", by=people[Role.ANALYST])
    state = borrower_state_set(borrower=case.borrower, state=State.DECEASED, reason="told by family",
                               evidence="death certificate 123", by=collector)
    assert borrower_state_set(borrower=case.borrower, state=State.DECEASED, reason="again", evidence="y",
                              by=collector).pk == state.pk
    assert "DS-DECEASED" in contact_check(request=request(case)).rules
    with pytest.raises(NotPermitted):
        borrower_state_clear(borrower=case.borrower, state=State.DECEASED, reason="mistake", by=collector)
    cleared = borrower_state_clear(borrower=case.borrower, state=State.DECEASED, reason="wrong person",
                                   by=supervisor)
    assert cleared.cleared_by == supervisor and cleared.clear_reason == "wrong person"
    assert contact_check(request=request(case)).allowed
    assert AuditEntry.objects.filter(action__startswith="compliance.state").count() == 2


def test_imported_flags_count_as_states(db) -> None:
    borrower = BorrowerFactory(flags=["vulnerable", "no_workplace_contact"], jurisdiction="UK-ENG",
                               timezone="Europe/London")
    subject = subject_for(borrower=borrower, around=timezone.now())
    assert subject.states == {State.VULNERABLE, State.NO_WORKPLACE_CONTACT}
    assert subject.jurisdictions == ("UK-ENG",) and subject.timezones == ("Europe/London",)


def test_a_us_borrower_away_from_the_state_zone_is_held_to_both_zones(db) -> None:
    borrower = BorrowerFactory(jurisdiction="US-MA", country="US", timezone="America/Los_Angeles")
    subject = subject_for(borrower=borrower, around=timezone.now())
    assert subject.timezones == ("America/Los_Angeles", "America/New_York")


def test_an_evening_visit_needs_an_approved_consent_from_a_second_person(case, people) -> None:
    collector, supervisor = people[Role.COLLECTOR], people[Role.SUPERVISOR]
    evening = request(case, Channel.VISIT, at(3, 21, 30), duration_minutes=60, team_size=2)
    assert contact_check(request=evening).rules == ("CN-HOURS",)
    with pytest.raises(InvalidInput, match="does not allow consent"):
        override_request(borrower=case.borrower, rule_id="CN-CALL-CONNECT", starts_at=at(3, 21), ends_at=at(3, 23),
                         evidence="asked", by=collector)
    with pytest.raises(InvalidInput, match="evidence"):
        override_request(borrower=case.borrower, rule_id="CN-HOURS", starts_at=at(3, 21), ends_at=at(3, 23),
                         evidence=" ", by=collector)
    override = override_request(borrower=case.borrower, rule_id="CN-HOURS", starts_at=at(3, 21), ends_at=at(3, 23),
                                evidence="debtor asked by phone for an evening visit", recording_reference="rec-77",
                                by=supervisor, case=case)
    assert not contact_check(request=evening).allowed  # pending: no effect yet
    with pytest.raises(NotPermitted, match="supervisors and compliance officers"):
        override_decide(override=override, approve=True, by=collector)
    with pytest.raises(NotPermitted, match="second person"):
        override_decide(override=override, approve=True, by=supervisor)
    approver = people[Role.COMPLIANCE]
    approved = override_decide(override=override, approve=True, by=approver, note="ok")
    assert approved.status == Override.Status.APPROVED and approved.decided_by == approver
    assert contact_check(request=evening).allowed
    later = request(case, Channel.VISIT, at(4, 21, 30), duration_minutes=60, team_size=2)
    assert not contact_check(request=later).allowed  # the consent covers only its own span
    with pytest.raises(Conflict):
        override_decide(override=override, approve=False, by=people[Role.ADMIN])


def test_a_complaint_pauses_visits_has_an_answer_due_and_an_outcome(case, people) -> None:
    supervisor = people[Role.SUPERVISOR]
    LenderPolicy.objects.create(pk=1, complaint_sla_hours=48)
    received = timezone.now() - timedelta(hours=1)
    with pytest.raises(NotPermitted):
        complaint_record(case=case, summary="rude", received_at=received, by=people[Role.ANALYST])
    complaint = complaint_record(case=case, summary="collector was rude at the door", received_at=received,
                                 by=supervisor, received_via="hotline")
    assert complaint.visits_paused_until == received + timedelta(days=14)
    assert complaint.answer_due_at == received + timedelta(hours=48)
    visit = request(case, Channel.VISIT, received + timedelta(days=2), duration_minutes=30, team_size=2)
    decision = contact_check(request=visit)
    assert "DS-COMPLAINT-PAUSE" in decision.rules
    with pytest.raises(InvalidInput):
        complaint_resolve(complaint=complaint, outcome="upheld", note=" ", by=supervisor)
    resolved = complaint_resolve(complaint=complaint, outcome="upheld", note="apologised; retrained", by=supervisor)
    assert resolved.status == Complaint.Status.RESOLVED and resolved.resolved_by == supervisor
    assert complaint_resolve(complaint=complaint, outcome="upheld", note="again", by=supervisor).pk == complaint.pk


def test_policy_tightens_and_refuses_loosening_without_changing_anything(case, people) -> None:
    officer = people[Role.COMPLIANCE]
    with pytest.raises(InvalidInput, match="loosens CN-HOURS"):
        policy_set(tightening={"CN.day_ends_at": 23 * 60}, by=officer)
    with pytest.raises(InvalidInput, match="unknown policy parameter"):
        policy_set(tightening={"CN.nonsense": 1}, by=officer)
    with pytest.raises(NotPermitted):
        policy_set(tightening={"CN.day_ends_at": 21 * 60}, by=people[Role.COLLECTOR])
    assert not LenderPolicy.objects.exists()
    policy_set(tightening={"CN.day_ends_at": 21 * 60}, by=officer)
    assert contact_check(request=request(case, moment=at(1, 21, 15))).rules == ("CN-HOURS",)
    assert AuditEntry.objects.filter(action="compliance.policy.set").count() == 1


def test_check_command_prints_the_decision_as_json(case) -> None:
    output = StringIO()
    call_command("compliance", "check", "--borrower", "B1", "--channel", "visit", "--at", "2026-12-01T21:30:00+08:00",
                 stdout=output)
    decision = json.loads(output.getvalue())
    assert decision["allowed"] is False and decision["rules"] == ["CN-HOURS"]
    assert decision["next_allowed_at"] == "2026-12-02T08:00:00+08:00"
    assert "22:00" in decision["reason"] and decision["reason_zh"]
    output = StringIO()
    call_command("compliance", "check", "--borrower", "B1", "--channel", "call", "--at", "2026-12-01T10:00:00+08:00",
                 stdout=output)
    assert json.loads(output.getvalue())["allowed"] is True
    with pytest.raises(CommandError, match="no borrower"):
        call_command("compliance", "check", "--borrower", "NOPE", "--channel", "visit", "--at",
                     "2026-12-01T10:00:00+08:00")
    with pytest.raises(CommandError, match="offset"):
        call_command("compliance", "check", "--borrower", "B1", "--channel", "visit", "--at", "2026-12-01T10:00:00")
    with pytest.raises(CommandError, match="has no guarantor"):
        call_command("compliance", "check", "--borrower", "B1", "--channel", "call", "--party", "guarantor", "--at",
                     "2026-12-01T10:00:00+08:00")


def test_intervals_command_gives_the_planner_its_windows(case) -> None:
    output = StringIO()
    call_command("compliance", "intervals", "--borrower", "B1", "--channel", "visit", "--date", "2026-12-01",
                 "--duration", "60", stdout=output)
    assert json.loads(output.getvalue())["intervals"] == [["2026-12-01T08:00:00+08:00", "2026-12-01T21:00:00+08:00"]]


def test_every_write_keeps_the_audit_chain_intact(case, people) -> None:
    attempt, _ = contact_attempt_start(request=request(case), by=people[Role.COLLECTOR], idempotency_key="a1")
    contact_attempt_finish(attempt=attempt, outcome="connected", by=people[Role.COLLECTOR])
    borrower_state_set(borrower=case.borrower, state=State.HARDSHIP, reason="lost job", by=people[Role.COLLECTOR])
    assert audit_verify() is None
    assert AuditEntry.objects.count() == 3


def test_history_narrowed_to_visits_judges_visits_exactly_like_the_full_history(case, people) -> None:
    from doorstep.compliance.core.engine import Engine
    from doorstep.compliance.selectors import subjects_for

    collector = people[Role.COLLECTOR]
    contact = ContactFactory(borrower=case.borrower, role="contact", phone_digest="f" * 64)
    BorrowerState.objects.create(borrower=case.borrower, state="unreachable", reason="x", set_at=timezone.now())
    for number, (channel, moment, extra) in enumerate((
            (Channel.CALL, at(1, 9), {}), (Channel.CALL, at(1, 10), {}), (Channel.VISIT, at(1, 11),
                                                                            {"team_size": 2, "duration_minutes": 30}),
            (Channel.CALL, at(2, 9), {"party": Party.CONTACT, "contact": contact}))):
        attempt, _ = contact_attempt_start(request=request(case, channel, moment, **extra), by=collector,
                                           idempotency_key=f"h{number}")
        contact_attempt_finish(attempt=attempt, outcome="connected", by=collector)
    full = subjects_for(borrower_ids=[case.borrower_id], around=at(3, 12))[case.borrower_id]
    narrow = subjects_for(borrower_ids=[case.borrower_id], around=at(3, 12), channels=[Channel.VISIT])[
        case.borrower_id]
    assert len(full.history) == 4
    assert {(event.channel, event.party) for event in narrow.history} == {(Channel.VISIT, Party.DEBTOR),
                                                                          (Channel.CALL, Party.CONTACT)}
    engine = Engine()
    from doorstep.compliance.core.model import Attempt

    for day in (1, 2, 3, 30, 31):
        for hour in (7, 10, 21):
            visit = Attempt(channel=Channel.VISIT, at=at(day, hour), duration_minutes=45, team_size=2)
            assert engine.decide(full, visit) == engine.decide(narrow, visit)


def test_an_agency_supervisor_never_lifts_a_protection(case, people) -> None:
    agency = AgencyFactory()
    agency_supervisor = UserFactory(role=Role.SUPERVISOR, agency=agency)
    state = BorrowerState.objects.create(borrower=case.borrower, state="hardship", reason="x", set_at=timezone.now())
    override = override_request(borrower=case.borrower, rule_id="CN-HOURS", starts_at=at(3, 21), ends_at=at(3, 23),
                                evidence="asked", by=people[Role.COLLECTOR])
    with pytest.raises(NotPermitted, match="lender"):
        borrower_state_clear(borrower=case.borrower, state=State.HARDSHIP, reason="fine now", by=agency_supervisor)
    with pytest.raises(NotPermitted, match="lender"):
        override_decide(override=override, approve=True, by=agency_supervisor)
    state.refresh_from_db()
    override.refresh_from_db()
    assert state.cleared_at is None and override.status == Override.Status.PENDING


def test_an_inconvenient_time_across_midnight_blocks_both_evening_and_early_morning(db, people) -> None:
    from doorstep.compliance.services import inconvenient_time_record

    borrower = BorrowerFactory(external_id="US1", jurisdiction="US-NY", country="US", timezone="America/New_York",
                               phone_digest="a" * 64)
    us_case = CaseFactory(borrower=borrower)
    with pytest.raises(InvalidInput, match="empty"):
        inconvenient_time_record(borrower=borrower, start_minute=600, end_minute=600, by=people[Role.COLLECTOR])
    with pytest.raises(InvalidInput, match="weekdays"):
        inconvenient_time_record(borrower=borrower, start_minute=600, end_minute=700, weekdays=[7],
                                 by=people[Role.COLLECTOR])
    inconvenient_time_record(borrower=borrower, start_minute=19 * 60, end_minute=10 * 60, weekdays=[0],
                             note="works nights", by=people[Role.COLLECTOR])
    new_york = ZoneInfo("America/New_York")
    monday_evening = datetime(2026, 11, 30, 19, 30, tzinfo=new_york)
    tuesday_morning = datetime(2026, 12, 1, 9, 0, tzinfo=new_york)
    tuesday_evening = datetime(2026, 12, 1, 19, 30, tzinfo=new_york)
    for moment, allowed in ((monday_evening, False), (tuesday_morning, False), (tuesday_evening, True)):
        decision = contact_check(request=AttemptRequest(borrower=borrower, case=us_case, channel=Channel.CALL,
                                                        at=moment))
        assert decision.allowed is allowed, moment
        assert allowed or decision.rules == ("US-HOURS",)
    assert AuditEntry.objects.filter(action="compliance.inconvenient_time.record").count() == 1
