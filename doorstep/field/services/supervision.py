"""The supervisor's side: approving plans, answering alerts, reviewing flagged positions, confirming
cash deposits, and the overdue check-out scan."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from doorstep.accounts.selectors import user_has_role
from doorstep.common.audit import audit_append
from doorstep.common.errors import Conflict, InvalidInput, NotPermitted
from doorstep.field.models import (
    CashReceipt,
    CheckEvent,
    RepaymentPlan,
    SafetyAlert,
    Visit,
)
from doorstep.field.services.common import (
    SUPERVISOR_ROLES,
)

# --- supervisor actions -----------------------------------------------------------------------

def _supervisor(user: Any) -> None:
    if not user_has_role(user, SUPERVISOR_ROLES) or user.agency_id is not None:
        raise NotPermitted("only the lender's supervisors and administrators do this")


@transaction.atomic
def repayment_plan_decide(*, plan: RepaymentPlan, approve: bool, by: Any, note: str = "") -> RepaymentPlan:
    _supervisor(by)
    plan = RepaymentPlan.objects.select_for_update().get(pk=plan.pk)
    wanted = RepaymentPlan.Status.APPROVED if approve else RepaymentPlan.Status.REJECTED
    if plan.status == wanted:
        return plan
    if plan.status != RepaymentPlan.Status.PENDING_APPROVAL:
        raise Conflict(f"this plan is already {plan.status}")
    if not approve and not note.strip():
        raise InvalidInput("say why the plan is rejected; the collector reads it to the borrower")
    plan.status = wanted
    plan.decided_by = by
    plan.decided_at = timezone.now()
    plan.decision_note = note.strip()[:300]
    plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_append(actor=by, action=f"field.plan.{wanted}", subject=plan, data={"note": plan.decision_note})
    return plan


@transaction.atomic
def safety_alert_acknowledge(*, alert: SafetyAlert, by: Any, note: str = "") -> SafetyAlert:
    _supervisor(by)
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        if alert.status == SafetyAlert.Status.OPEN:
            alert.status = SafetyAlert.Status.ACKNOWLEDGED
        alert.note = (note.strip() or alert.note)[:300]
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "status", "note"])
        audit_append(actor=by, action="field.alert.acknowledge", subject=alert, data={"kind": alert.kind})
    return alert


@transaction.atomic
def safety_alert_escalate(*, alert: SafetyAlert, by: Any, note: str) -> SafetyAlert:
    _supervisor(by)
    if not note.strip():
        raise InvalidInput("say to whom and how the alert was escalated (e.g. police called, manager informed)")
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == SafetyAlert.Status.ESCALATED:
        return alert
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
    alert.status = SafetyAlert.Status.ESCALATED
    alert.escalated_by = by
    alert.escalated_at = timezone.now()
    alert.note = note.strip()[:300]
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "status", "escalated_by", "escalated_at", "note"])
    audit_append(actor=by, action="field.alert.escalate", subject=alert, data={"note": alert.note})
    return alert


@transaction.atomic
def safety_alert_resolve(*, alert: SafetyAlert, by: Any, note: str) -> SafetyAlert:
    _supervisor(by)
    if not note.strip():
        raise InvalidInput("say how the alert ended")
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != SafetyAlert.Status.RESOLVED:
        alert.status = SafetyAlert.Status.RESOLVED
        alert.note = note.strip()[:300]
        if alert.acknowledged_at is None:
            alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
        alert.save(update_fields=["status", "note", "acknowledged_by", "acknowledged_at"])
        audit_append(actor=by, action="field.alert.resolve", subject=alert, data={"note": alert.note})
    return alert


@transaction.atomic
def check_review(*, check: CheckEvent, accept: bool, by: Any) -> CheckEvent:
    _supervisor(by)
    check = CheckEvent.objects.select_for_update().get(pk=check.pk)
    wanted = CheckEvent.Review.ACCEPTED if accept else CheckEvent.Review.REJECTED
    if check.review == wanted:
        return check
    if check.review != CheckEvent.Review.FLAGGED:
        raise Conflict("only flagged positions are reviewed")
    check.review, check.reviewed_by, check.reviewed_at = wanted, by, timezone.now()
    check.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    audit_append(actor=by, action=f"field.check.{wanted}", subject=check, data={"flags": check.flags})
    return check


@transaction.atomic
def cash_deposit_confirm(*, receipt: CashReceipt, by: Any) -> CashReceipt:
    _supervisor(by)
    receipt = CashReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.deposit_confirmed_at is None:
        receipt.deposit_confirmed_by, receipt.deposit_confirmed_at = by, timezone.now()
        receipt.save(update_fields=["deposit_confirmed_by", "deposit_confirmed_at"])
        audit_append(actor=by, action="field.cash.deposit", subject=receipt, data={"amount": str(receipt.amount)})
    return receipt


def field_overdue_scan(*, now: datetime | None = None) -> int:
    """Raise an alert for every visit whose check-out is overdue by the grace time. Idempotent: a
    visit is alerted once (a unique constraint), so the scan may run as often as wanted."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.DOORSTEP_FIELD_CHECKOUT_GRACE_MIN)
    raised = 0
    candidates = (Visit.objects.filter(status=Visit.Status.IN_PROGRESS, started_at__isnull=False,
                                       started_at__lt=now - grace)
                  .exclude(alerts__kind=SafetyAlert.Kind.OVERDUE).select_related("team"))
    for visit in candidates:
        assert visit.started_at is not None
        due = visit.started_at + timedelta(minutes=visit.planned_minutes) + grace
        if now <= due:
            continue
        checks = list(visit.checks.values_list("collector_id", "kind"))
        inside = {user for user, kind in checks if kind == CheckEvent.Kind.IN} - {
            user for user, kind in checks if kind == CheckEvent.Kind.OUT}
        if not inside:
            continue
        try:
            with transaction.atomic():
                SafetyAlert.objects.create(kind=SafetyAlert.Kind.OVERDUE, team=visit.team, visit=visit,
                                           raised_at=now, note=f"check-out was due by {due.isoformat()}")
                raised += 1
        except IntegrityError:
            continue  # raised by a concurrent scan
    return raised
