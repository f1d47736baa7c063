"""The supervisor's live board page: alerts with their actions, overdue visits, plans to approve."""

from __future__ import annotations

import pytest

from doorstep.field.models import RepaymentPlan, SafetyAlert
from tests.field.test_operations import DAY, guided, send, start_visit
from tests.field.world import field_world, local, op

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return field_world(DAY)


def test_the_board_shows_teams_alerts_and_overdue_visits_and_only_to_supervisors(world, client) -> None:
    start_visit(world)
    send(world.collectors[0], op("sos", local(DAY, 10, 5), lat=22.531, lon=114.041, accuracy_m=8.0))
    client.force_login(world.collectors[0])
    assert client.get(f"/field/board/?day={DAY}").status_code == 403
    client.force_login(world.supervisor)
    page = client.get(f"/field/board/?day={DAY}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-kind="sos"' in html and world.team.code in html and "<svg" in html
    live = client.get(f"/field/board/live/?day={DAY}").content.decode()
    assert 'data-test="alert"' in live and 'data-test="visit"' in live
    # The visit began at 10:00 for 45 minutes: it is long overdue by now, and the board raised it once.
    assert SafetyAlert.objects.filter(kind="overdue").count() == 1
    client.get(f"/field/board/live/?day={DAY}")
    assert SafetyAlert.objects.filter(kind="overdue").count() == 1


def test_alert_actions_from_the_board(world, client) -> None:
    send(world.collectors[0], op("sos", local(DAY, 10, 5), lat=22.531, lon=114.041, accuracy_m=8.0))
    alert = SafetyAlert.objects.get()
    client.force_login(world.supervisor)
    response = client.post(f"/field/board/alerts/{alert.pk}/escalate/", {"day": DAY.isoformat(), "note": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "escalated" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"
    client.post(f"/field/board/alerts/{alert.pk}/acknowledge/", {"day": DAY.isoformat()}, HTTP_HX_REQUEST="true")
    client.post(f"/field/board/alerts/{alert.pk}/escalate/", {"day": DAY.isoformat(), "note": "called 110"},
                HTTP_HX_REQUEST="true")
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.escalated_by, alert.note) == (
        "escalated", world.supervisor, world.supervisor, "called 110")


def test_a_plan_is_approved_from_the_board(world, client, settings) -> None:
    settings.DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE = "1000"
    stop = start_visit(world)
    guided(world, stop)
    lead = world.collectors[0]
    send(lead, op("finances", local(DAY, 10, 6), stop=stop, monthly_income="9000", monthly_expenses="4000"))
    send(lead, op("plan_propose", local(DAY, 10, 7), stop=stop, total="3000", count=6, interval="monthly",
                  first_due_on="2026-12-20"))
    plan = RepaymentPlan.objects.get()
    client.force_login(world.supervisor)
    assert 'data-test="plan-waiting"' in client.get(f"/field/board/?day={DAY}").content.decode()
    response = client.post(f"/field/board/plans/{plan.pk}/decide/", {"approve": "0", "note": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "pending_approval"
    client.post(f"/field/board/plans/{plan.pk}/decide/", {"approve": "1"})
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.decided_by == world.supervisor


def test_the_borrower_page_shows_visits_and_promise_status_from_payments(world, client) -> None:
    from decimal import Decimal

    from tests.factories import LoanFactory, PaymentFactory

    stop = start_visit(world)
    guided(world, stop)
    send(world.collectors[0], op("promise", local(DAY, 10, 7), stop=stop, amount="500.00", due_on="2026-11-26"))
    loan = LoanFactory(borrower=world.cases[0].borrower)
    PaymentFactory(loan=loan, amount=Decimal("120.00"), paid_on=DAY, paid_at=local(DAY, 15))
    client.force_login(world.supervisor)
    html = client.get(f"/borrowers/{world.cases[0].borrower.external_id}/").content.decode()
    assert 'id="field-panel"' in html and 'data-status="partly_kept"' in html and world.team.code in html
