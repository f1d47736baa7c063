"""The field operations through the API: the guided visit in the rules' order, exactly-once writes
on the client id, refusals for collectors of other teams, conflicts, and what each write stores."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt
from doorstep.field.models import (
    CashReceipt,
    CheckEvent,
    FieldOperation,
    PaymentRequest,
    PositionFix,
    Promise,
    Recording,
    RepaymentPlan,
    SafetyAlert,
    Visit,
    VisitNote,
)
from doorstep.planning.models import Plan
from tests.field.world import SIGNATURE_PNG, at_door, field_world, local, op

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 24)  # in the past, as a synced visit is: no device clock ahead of the server
MODELS = (Visit, CheckEvent, FieldOperation, Promise, RepaymentPlan, Recording, PaymentRequest, CashReceipt,
          SafetyAlert, VisitNote, PositionFix, ContactAttempt, Complaint, BorrowerState)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def world(db):
    return field_world(DAY)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def send(user, operation, *, expect: str | None = "applied"):
    response = client_for(user).post("/api/v1/field/operations/", operation, format="json")
    body = response.json()
    if expect is not None:
        assert body["status"] == expect, body
    return response, body


def start_visit(world, n: int = 0, hour: int = 10):
    stop = world.stops[n].pk
    for minute, collector in enumerate(world.collectors):
        send(collector, op("check_in", local(DAY, hour, minute), stop=stop, **at_door(n)))
    return stop


def guided(world, stop, hour: int = 10):
    lead = world.collectors[0]
    send(lead, op("id_shown", local(DAY, hour, 3), stop=stop, mandate_number="WT-2026-0001"))
    send(lead, op("entry", local(DAY, hour, 4), stop=stop, entered=False, consent=False))
    send(lead, op("met", local(DAY, hour, 5), stop=stop, party="debtor"))


def finish(world, stop, n: int = 0, hour: int = 10):
    lead = world.collectors[0]
    send(lead, op("recording_add", local(DAY, hour, 40), stop=stop, reference="CAM1-0001.mp4", sha256="a" * 64,
                  starts_at=local(DAY, hour, 0).isoformat(), ends_at=local(DAY, hour, 41).isoformat(),
                  size_bytes=1000))
    for collector in world.collectors:
        send(collector, op("check_out", local(DAY, hour, 41), stop=stop, **at_door(n)))


def test_a_full_visit_stores_every_step_and_closes_the_contact_attempt(world) -> None:
    stop = start_visit(world)
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.IN_PROGRESS and visit.started_at == local(DAY, 10, 0)
    attempt = visit.contact_attempt
    assert attempt is not None and attempt.channel == "visit" and attempt.status == ContactAttempt.Status.PENDING
    assert attempt.team_size == 2
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("reason", local(DAY, 10, 6), stop=stop, reason="job_loss", note="factory closed in October"))
    send(lead, op("finances", local(DAY, 10, 7), stop=stop, monthly_income="6000", monthly_expenses="3500.50"))
    _, tension = send(lead, op("tension", local(DAY, 10, 8), stop=stop, level=2, note="worried about rent"))
    assert tension["result"]["prompts_en"] and not tension["result"]["should_leave"]
    _, promise = send(lead, op("promise", local(DAY, 10, 9), stop=stop, amount="500.00", due_on="2026-12-10"))
    _, plan = send(lead, op("plan_propose", local(DAY, 10, 10), stop=stop, total="3000.00", count=6,
                            interval="monthly", first_due_on="2026-12-15", down_payment="0"))
    assert plan["result"]["needs_approval"] is False
    assert [row["amount"] for row in plan["result"]["schedule"]] == ["500.00"] * 6
    sign = op("plan_sign", local(DAY, 10, 12), plan_op=plan["id"], signer_name="王0号", signature_png=SIGNATURE_PNG)
    send(lead, sign)
    _, payment = send(lead, op("payment_request", local(DAY, 10, 13), stop=stop, amount="500.00"))
    assert payment["result"]["url"].startswith("https://") and "<svg" in payment["result"]["qr_svg"]
    finish(world, stop)
    _, closed = send(lead, op("close", local(DAY, 10, 42), stop=stop, outcome="met"))
    assert closed["result"]["visit"]["status"] == "closed"

    visit.refresh_from_db()
    assert (visit.status, visit.outcome, visit.mandate_number, visit.party_met, visit.arrears_reason) == (
        "closed", "met", "WT-2026-0001", "debtor", "job_loss")
    assert (visit.monthly_income, visit.monthly_expenses) == (Decimal("6000.00"), Decimal("3500.50"))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (ContactAttempt.Status.COMPLETED, "met")
    stored = RepaymentPlan.objects.get()
    png = SIGNATURE_PNG.split(",", 1)[1]
    import base64

    assert stored.status == "signed" and stored.signature_sha256 == hashlib.sha256(base64.b64decode(png)).hexdigest()
    assert Promise.objects.get().pk == promise["result"]["promise"]
    assert CheckEvent.objects.filter(visit=visit).count() == 4
    assert all(check.distance_m is not None and check.distance_m < 1 for check in CheckEvent.objects.all())
    assert all(check.server_at is not None and check.device_at for check in CheckEvent.objects.all())
    pdf = client_for(lead).get(f"/api/v1/field/plans/{stored.pk}/agreement.pdf?lang=en")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    zh = client_for(lead).get(f"/api/v1/field/plans/{stored.pk}/agreement.pdf")
    assert zh.status_code == 200 and zh.content.startswith(b"%PDF")


def test_cn_visit_starts_only_when_two_collectors_checked_in(world) -> None:
    stop = world.stops[0].pk
    lead = world.collectors[0]
    send(lead, op("check_in", local(DAY, 10), stop=stop, **at_door(0)))
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.CHECKING_IN and visit.contact_attempt is None
    _, body = send(lead, op("id_shown", local(DAY, 10, 1), stop=stop, mandate_number="M1"), expect="rejected")
    assert body["rules"] == ["CN-VISIT-2P"]
    send(world.collectors[1], op("check_in", local(DAY, 10, 2), stop=stop, **at_door(0)))
    visit.refresh_from_db()
    assert visit.status == Visit.Status.IN_PROGRESS


def test_the_steps_follow_the_rules_order(world) -> None:
    stop = start_visit(world)
    lead = world.collectors[0]
    before = counts()
    _, body = send(lead, op("reason", local(DAY, 10, 3), stop=stop, reason="illness"), expect="rejected")
    assert body["rules"] == ["CN-VISIT-ID"]
    send(lead, op("id_shown", local(DAY, 10, 3), stop=stop, mandate_number="M1"))
    _, body = send(lead, op("promise", local(DAY, 10, 4), stop=stop, amount="5", due_on="2026-12-02"),
                   expect="rejected")
    assert body["rules"] == ["CN-VISIT-ENTRY"]
    _, body = send(lead, op("entry", local(DAY, 10, 4), stop=stop, entered=True, consent=False), expect="rejected")
    assert body["rules"] == ["CN-VISIT-ENTRY"]
    assert Visit.objects.get().entry_recorded_at is None
    assert counts()["Promise"] == before["Promise"]


def test_a_visit_the_rules_block_does_not_start_and_says_why(world) -> None:
    stop = world.stops[0].pk
    send(world.collectors[0], op("check_in", local(DAY, 22, 30), stop=stop, **at_door(0)))
    before = counts()
    _, body = send(world.collectors[1], op("check_in", local(DAY, 22, 31), stop=stop, **at_door(0)),
                   expect="rejected")
    assert "CN-HOURS" in body["rules"]
    assert counts() == before  # the second check-in and the blocked attempt are not kept


def test_close_is_refused_without_a_recording_then_allowed(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    for collector in world.collectors:
        send(collector, op("check_out", local(DAY, 10, 30), stop=stop, **at_door(0)))
    _, body = send(lead, op("close", local(DAY, 10, 31), stop=stop, outcome="met"), expect="rejected")
    assert body["rules"] == ["CN-VISIT-AV"]
    assert Visit.objects.get().status == Visit.Status.IN_PROGRESS
    # A recording that leaves a gap after check-in is not enough either.
    send(lead, op("recording_add", local(DAY, 10, 31), stop=stop, reference="a.mp4", sha256="b" * 64,
                  starts_at=local(DAY, 10, 5).isoformat(), ends_at=local(DAY, 10, 30).isoformat()))
    _, body = send(lead, op("close", local(DAY, 10, 32), stop=stop, outcome="met"), expect="rejected")
    assert "CN-VISIT-AV" in body["rules"] and "misses" in body["message"]
    send(lead, op("recording_add", local(DAY, 10, 32), stop=stop, reference="b.mp4", sha256="c" * 64,
                  starts_at=local(DAY, 10, 0).isoformat(), ends_at=local(DAY, 10, 5).isoformat()))
    send(lead, op("close", local(DAY, 10, 33), stop=stop, outcome="met"))
    assert Visit.objects.get().status == Visit.Status.CLOSED


def test_close_waits_for_every_check_out(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("recording_add", local(DAY, 10, 20), stop=stop, reference="a.mp4", sha256="d" * 64,
                  starts_at=local(DAY, 10, 0).isoformat(), ends_at=local(DAY, 10, 21).isoformat()))
    send(lead, op("check_out", local(DAY, 10, 21), stop=stop, **at_door(0)))
    _, body = send(lead, op("close", local(DAY, 10, 22), stop=stop, outcome="met"), expect="rejected")
    assert "every collector who checked in must check out" in body["message"]


def test_asked_to_leave_ends_the_visit_at_once(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("asked_to_leave", local(DAY, 10, 6), stop=stop))
    visit = Visit.objects.get()
    assert visit.asked_to_leave_at == local(DAY, 10, 6) and visit.outcome == "asked_to_leave"
    _, body = send(lead, op("promise", local(DAY, 10, 7), stop=stop, amount="10", due_on="2026-11-26"),
                   expect="rejected")
    assert "asked the team to leave" in body["message"]
    finish(world, stop)
    send(lead, op("close", local(DAY, 10, 42), stop=stop, outcome="met"))
    visit.refresh_from_db()
    assert visit.outcome == "asked_to_leave" and visit.status == "closed"
    assert visit.contact_attempt.outcome == "met"  # the debtor was met before asking the team to leave


def test_hostile_tension_alerts_the_supervisor_and_says_leave(world) -> None:
    stop = start_visit(world)
    _, body = send(world.collectors[0], op("tension", local(DAY, 10, 5), stop=stop, level=4))
    assert body["result"]["should_leave"] is True and body["result"]["prompts_zh"]
    alert = SafetyAlert.objects.get()
    assert alert.kind == "hostile" and alert.team == world.team


def test_notes_that_break_conduct_rules_are_refused_and_nothing_is_saved(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    _, body = send(world.collectors[0], op("reason", local(DAY, 10, 6), stop=stop, reason="unwilling",
                                           note="告诉他我们是法院派来的，不还钱就抓人"), expect="rejected")
    assert body["rules"] and "conduct rules" in body["message"]
    assert Visit.objects.get().arrears_reason == ""


def test_a_plan_the_borrower_cannot_afford_is_refused_with_a_suggestion(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("finances", local(DAY, 10, 6), stop=stop, monthly_income="3000", monthly_expenses="2500"))
    _, body = send(lead, op("plan_propose", local(DAY, 10, 7), stop=stop, total="3000", count=3, interval="monthly",
                            first_due_on="2026-12-20"), expect="rejected")
    assert body["details"]["smallest_affordable_count"] == 9  # 350 a month is 70 % of the 500 surplus
    assert RepaymentPlan.objects.count() == 0


def test_a_large_plan_waits_for_the_supervisor_before_it_can_be_signed(world, settings) -> None:
    settings.DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE = "2000"
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("finances", local(DAY, 10, 6), stop=stop, monthly_income="9000", monthly_expenses="4000"))
    _, proposal = send(lead, op("plan_propose", local(DAY, 10, 7), stop=stop, total="6000", count=6,
                                interval="monthly", first_due_on="2026-12-20", down_payment="600"))
    plan = RepaymentPlan.objects.get()
    assert plan.status == "pending_approval" and plan.needs_approval
    sign = op("plan_sign", local(DAY, 10, 8), plan_op=proposal["id"], signer_name="王", signature_png=SIGNATURE_PNG)
    _, body = send(lead, sign, expect="rejected")
    assert body["code"] == "pending_approval"
    assert client_for(lead).post(f"/api/v1/field/plans/{plan.pk}/decide/", {"approve": True}).status_code == 403
    response = client_for(world.supervisor).post(f"/api/v1/field/plans/{plan.pk}/decide/", {"approve": True},
                                                 format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    send(lead, sign)  # the same operation, retried after approval
    plan.refresh_from_db()
    assert plan.status == "signed" and plan.schedule[0] == {"seq": 0, "due_on": "2026-11-24", "amount": "600.00"}


def test_amounts_above_the_collectible_amount_are_refused(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    _, body = send(world.collectors[0], op("promise", local(DAY, 10, 7), stop=stop, amount="8000.01",
                                           due_on="2026-12-05"), expect="rejected")
    assert "collectible" in body["message"]
    _, body = send(world.collectors[0], op("promise", local(DAY, 10, 7), stop=stop, amount=12.5,
                                           due_on="2026-12-05"), expect="rejected")
    assert "not a float" in body["message"]


def test_cash_needs_a_numbered_receipt_and_a_supervisor_confirms_the_deposit(world) -> None:
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("cash_receipt", local(DAY, 10, 7), stop=stop, amount="200.00", receipt_number="R-0001"))
    _, again = send(lead, op("cash_receipt", local(DAY, 10, 8), stop=stop, amount="100.00", receipt_number="R-0001"),
                    expect="rejected")
    assert "already issued" in again["message"]
    receipt = CashReceipt.objects.get()
    response = client_for(world.supervisor).post(f"/api/v1/field/cash/{receipt.pk}/deposit/")
    assert response.status_code == 200
    receipt.refresh_from_db()
    assert receipt.deposit_confirmed_by == world.supervisor


def test_dispute_and_complaint_change_the_case_through_the_compliance_services(world) -> None:
    stop = start_visit(world)
    lead = world.collectors[0]
    send(lead, op("dispute", local(DAY, 10, 5), stop=stop, reason="says someone else took the loan out in his name"))
    send(lead, op("complaint", local(DAY, 10, 6), stop=stop, summary="unhappy that we came to his home"))
    borrower = world.cases[0].borrower
    assert BorrowerState.objects.get(borrower=borrower).state == "dispute"
    complaint = Complaint.objects.get()
    assert complaint.contact_attempt == Visit.objects.get().contact_attempt
    assert complaint.visits_paused_until == local(DAY, 10, 6) + timedelta(days=14)


def test_implausible_positions_are_flagged_for_review_not_hidden(world) -> None:
    stop = world.stops[0].pk
    lead, second = world.collectors
    send(lead, op("position", local(DAY, 9, 59), lat=23.13, lon=113.26, accuracy_m=10.0))  # Guangzhou
    _, body = send(lead, op("check_in", local(DAY, 10, 0), stop=stop, lat=22.60, lon=114.04, accuracy_m=10.0,
                            mocked=True))
    assert set(body["result"]["flags"]) == {"too_far", "impossible_speed", "mocked"}
    check = CheckEvent.objects.get(collector=lead)
    assert check.review == "flagged" and check.distance_m > 5000
    _, body = send(second, op("check_in", local(DAY, 10, 1), stop=stop, **at_door(0)))
    assert body["result"]["flags"] == []
    response = client_for(world.supervisor).post(f"/api/v1/field/checks/{check.pk}/review/", {"accept": False},
                                                 format="json")
    assert response.status_code == 200
    check.refresh_from_db()
    assert check.review == "rejected" and check.reviewed_by == world.supervisor


def test_a_stop_removed_by_the_supervisor_is_a_conflict_unless_the_visit_had_begun(world) -> None:
    lead = world.collectors[0]
    send(lead, op("check_in", local(DAY, 10), stop=world.stops[1].pk, **at_door(1)))
    world.plan.status = Plan.Status.SUPERSEDED
    world.plan.save()
    _, body = send(lead, op("check_in", local(DAY, 11), stop=world.stops[0].pk, **at_door(0)), expect="conflict")
    assert body["code"] == "stop_removed"
    send(world.collectors[1], op("check_in", local(DAY, 10, 1), stop=world.stops[1].pk, **at_door(1)))
    assert Visit.objects.get().status == Visit.Status.IN_PROGRESS


def test_sos_reaches_the_board_and_the_supervisor_acknowledges_and_escalates(world) -> None:
    send(world.collectors[0], op("sos", local(DAY, 10), lat=22.531, lon=114.041, accuracy_m=8.0))
    board = client_for(world.supervisor).get(f"/api/v1/field/board/?day={DAY}").json()
    [alert] = board["alerts"]
    assert (alert["kind"], alert["status"], alert["team"]) == ("sos", "open", world.team.code)
    assert client_for(world.collectors[0]).get("/api/v1/field/board/").status_code == 403
    supervisor = client_for(world.supervisor)
    assert supervisor.post(f"/api/v1/field/alerts/{alert['id']}/acknowledge/", {}).json()["status"] == "acknowledged"
    assert supervisor.post(f"/api/v1/field/alerts/{alert['id']}/escalate/", {"note": ""}).status_code == 400
    assert supervisor.post(f"/api/v1/field/alerts/{alert['id']}/escalate/",
                           {"note": "called the team lead"}).json()["status"] == "escalated"


def test_an_overdue_check_out_alerts_once(world, settings) -> None:
    from doorstep.field.services import field_overdue_scan

    settings.DOORSTEP_FIELD_CHECKOUT_GRACE_MIN = 15
    start_visit(world)
    visit = Visit.objects.get()
    assert field_overdue_scan(now=local(DAY, 11, 0)) == 0  # 45 planned + 15 grace: due at 11:00
    assert field_overdue_scan(now=local(DAY, 11, 1)) == 1
    assert field_overdue_scan(now=local(DAY, 11, 30)) == 0
    assert SafetyAlert.objects.get().visit == visit


def test_the_day_payload_holds_only_what_the_visit_needs(world) -> None:
    response = client_for(world.collectors[0]).get(f"/api/v1/field/today/?day={DAY}")
    assert response.status_code == 200
    payload = response.json()
    [route] = payload["routes"]
    assert route["team"]["code"] == world.team.code and len(route["stops"]) == 3
    brief = route["stops"][0]["brief"]
    assert brief["name_masked"] == "王**" and brief["safety_flags"] == ["dog"]
    assert brief["collectible_amount"] == "8000.00" and brief["navigation"]["geo"].startswith("geo:")
    assert {item["rule"] for item in brief["requirements"]} >= {"CN-VISIT-2P", "CN-VISIT-AV"}
    assert "national_id_sealed" not in str(payload) and "13800000001" not in str(payload)
    outsider = client_for(world.outsider).get(f"/api/v1/field/today/?day={DAY}").json()
    assert outsider["routes"] == []
    assert client_for(world.supervisor).get("/api/v1/field/today/").status_code == 403


def test_promise_status_is_computed_from_payments(world) -> None:
    from doorstep.field.selectors import promise_outcome
    from tests.factories import LoanFactory, PaymentFactory

    stop = start_visit(world)
    guided(world, stop)
    send(world.collectors[0], op("promise", local(DAY, 10, 7), stop=stop, amount="500.00", due_on="2026-12-05"))
    promise = Promise.objects.get()
    loan = LoanFactory(borrower=world.cases[0].borrower)
    assert promise_outcome(promise=promise, today=date(2026, 12, 3)).status == "pending"
    assert promise_outcome(promise=promise, today=date(2026, 12, 6)).status == "broken"
    PaymentFactory(loan=loan, amount=Decimal("200.00"), paid_on=date(2026, 12, 4), paid_at=local(date(2026, 12, 4), 9))
    assert promise_outcome(promise=promise, today=date(2026, 12, 6)).status == "partly_kept"
    PaymentFactory(loan=loan, amount=Decimal("300.00"), paid_on=date(2026, 12, 5), paid_at=local(date(2026, 12, 5), 9))
    assert promise_outcome(promise=promise, today=date(2026, 12, 6)).status == "kept"


def test_money_is_asked_only_of_an_obligor(world) -> None:
    stop = start_visit(world)
    lead = world.collectors[0]
    send(lead, op("id_shown", local(DAY, 10, 3), stop=stop, mandate_number="M1"))
    send(lead, op("entry", local(DAY, 10, 4), stop=stop, entered=False, consent=False))
    _, body = send(lead, op("payment_request", local(DAY, 10, 5), stop=stop, amount="10"), expect="rejected")
    assert body["rules"] == ["CN-TARGET"] and "who you met" in body["message"]
    send(lead, op("met", local(DAY, 10, 5), stop=stop, party="contact"))
    for kind, data in (("promise", {"amount": "10", "due_on": "2026-11-30"}), ("payment_request", {"amount": "10"}),
                       ("cash_receipt", {"amount": "10", "receipt_number": "R-9"})):
        _, body = send(lead, op(kind, local(DAY, 10, 6), stop=stop, **data), expect="rejected")
        assert body["rules"] == ["CN-TARGET"], kind
    send(lead, op("met", local(DAY, 10, 7), stop=stop, party="guarantor"))
    send(lead, op("promise", local(DAY, 10, 8), stop=stop, amount="10", due_on="2026-11-30"))
    assert Promise.objects.count() == 1 and PaymentRequest.objects.count() == 0


def test_asked_to_leave_at_the_door_before_the_ids_can_still_close(world) -> None:
    stop = start_visit(world)
    lead = world.collectors[0]
    send(lead, op("asked_to_leave", local(DAY, 10, 1), stop=stop))
    finish(world, stop)
    send(lead, op("close", local(DAY, 10, 42), stop=stop, outcome="not_home"))
    visit = Visit.objects.get()
    assert (visit.status, visit.outcome, visit.id_shown_at) == ("closed", "asked_to_leave", None)


def test_the_day_payload_carries_the_collectors_certificate_standing(world) -> None:
    from datetime import timedelta

    from doorstep.training.models import Certificate

    lead, partner = world.collectors
    Certificate.objects.filter(user=lead).update(issued_on=DAY - timedelta(days=340),
                                                 expires_on=DAY + timedelta(days=25))
    lead_day = client_for(lead).get(f"/api/v1/field/today/?day={DAY}").json()
    assert lead_day["certificate"] == {"plannable": True, "reason": "certified",
                                       "expires_on": (DAY + timedelta(days=25)).isoformat(), "days_left": 25}
    Certificate.objects.filter(user=partner).delete()
    partner_day = client_for(partner).get(f"/api/v1/field/today/?day={DAY}").json()
    assert partner_day["certificate"] == {"plannable": False, "reason": "no_certificate", "expires_on": None,
                                          "days_left": None}
    assert len(partner_day["routes"]) == 1  # a published route stays theirs: the planner decides who goes next
