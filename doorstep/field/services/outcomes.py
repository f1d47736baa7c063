"""What a visit can end with: promises, repayment plans (affordability, approval, signature),
payment links from the lender's gateway, numbered cash receipts, and a dispute or complaint
recorded through the compliance services. Money is asked only of an obligor (CN-TARGET)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from doorstep.common.audit import audit_append
from doorstep.common.errors import InvalidInput, NotFound, NotPermitted
from doorstep.compliance.core.model import State
from doorstep.compliance.services import (
    borrower_state_set,
    complaint_record,
)
from doorstep.field.core.plans import (
    Affordability,
    Interval,
    installment_schedule,
    plan_assessment,
    smallest_affordable_count,
)
from doorstep.field.gateways import gateway_from_settings, qr_svg
from doorstep.field.models import (
    CashReceipt,
    FieldOperation,
    PaymentRequest,
    Promise,
    RepaymentPlan,
    Visit,
)
from doorstep.field.services.common import (
    LARGEST_SIGNATURE,
    LONGEST_PROMISE,
    Applied,
    _day,
    _filtered,
    _guided,
    _local_day,
    _money,
    _obligor_met,
    _positive,
    _started,
    _text,
    _visit_for,
    user_on_team,
)


def _collectible(visit: Visit, amount: Decimal, what: str) -> None:
    case = visit.case
    if amount > case.collectible_amount:
        raise InvalidInput(f"the {what} ({amount}) is more than the collectible amount ({case.collectible_amount} "
                           f"{case.currency}); charges above the legal cap are not collectible")


def _promise(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    amount = _positive(data, "amount")
    _collectible(visit, amount, "promised amount")
    made_on = _local_day(visit, at)
    due_on = _day(data, "due_on")
    if due_on < made_on:
        raise InvalidInput("the promised date is in the past")
    if due_on > made_on + LONGEST_PROMISE:
        raise InvalidInput("a promise may run at most 90 days; propose a repayment plan instead")
    promise = Promise.objects.create(case=visit.case, visit=visit, currency=visit.case.currency, amount=amount,
                                     made_on=made_on, due_on=due_on, created_by=user, created_at=now)
    audit_append(actor=user, action="field.promise.record", subject=promise,
                 data={"amount": str(amount), "due_on": due_on.isoformat()})
    return Applied(visit, {"promise": promise.pk, "amount": str(amount), "due_on": due_on.isoformat()})


def _plan_propose(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    total = _positive(data, "total")
    _collectible(visit, total, "plan total")
    down_payment = _money(data, "down_payment", required=False) or Decimal("0.00")
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidInput("count must be a whole number of installments")
    try:
        interval = Interval(_text(data, "interval", longest=10))
    except ValueError as error:
        raise InvalidInput(f"interval must be one of {', '.join(item.value for item in Interval)}") from error
    first_due_on = _day(data, "first_due_on")
    today = _local_day(visit, at)
    if first_due_on < today:
        raise InvalidInput("the first installment cannot be due in the past")
    try:
        schedule = installment_schedule(total=total, count=count, first_due_on=first_due_on, interval=interval,
                                        down_payment=down_payment, down_payment_on=today)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    affordability = None
    if visit.finances_recorded_at is not None:
        affordability = Affordability(monthly_income=visit.monthly_income, monthly_expenses=visit.monthly_expenses)
    max_share = Decimal(settings.DOORSTEP_FIELD_PLAN_MAX_SHARE)
    assessment = plan_assessment(schedule, interval, affordability, max_share=max_share)
    if not assessment.affordable:
        suggestion = None
        if affordability is not None:
            suggestion = smallest_affordable_count(total=total, interval=interval, affordability=affordability,
                                                   down_payment=down_payment, max_share=max_share)
        raise InvalidInput(
            "the plan does not fit what the borrower said they can afford: "
            + "; ".join(problem.text_en for problem in assessment.problems),
            details={"problems": [{"code": problem.code, "en": problem.text_en, "zh": problem.text_zh}
                                  for problem in assessment.problems],
                     "smallest_affordable_count": suggestion})
    needs_approval = total > Decimal(settings.DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE)
    sequence = RepaymentPlan.objects.filter(case=visit.case).count() + 1
    plan = RepaymentPlan.objects.create(
        case=visit.case, visit=visit, number=f"RP-{visit.case_id}-{sequence:02d}", currency=visit.case.currency,
        total=total, down_payment=down_payment, count=count, interval=interval.value, first_due_on=first_due_on,
        schedule=[{"seq": item.seq, "due_on": item.due_on.isoformat(), "amount": str(item.amount)}
                  for item in schedule],
        monthly_burden=assessment.monthly_burden, surplus=assessment.surplus or Decimal("0.00"),
        affordable=assessment.affordable,
        needs_approval=needs_approval,
        status=RepaymentPlan.Status.PENDING_APPROVAL if needs_approval else RepaymentPlan.Status.APPROVED,
        proposed_by=user, proposed_at=now, language=_text(data, "language", required=False, longest=8) or "zh-hans")
    audit_append(actor=user, action="field.plan.propose", subject=plan,
                 data={"total": str(total), "count": count, "interval": interval.value,
                       "needs_approval": needs_approval})
    return Applied(visit, {"plan": plan.pk, "number": plan.number, "status": plan.status,
                           "needs_approval": needs_approval, "schedule": plan.schedule,
                           "monthly_burden": str(assessment.monthly_burden),
                           "share": str(assessment.share) if assessment.share is not None else None})


def _plan_by_reference(user: Any, data: dict[str, Any]) -> RepaymentPlan:
    if data.get("plan_op"):
        proposal = FieldOperation.objects.filter(client_id=str(data["plan_op"]), kind="plan_propose").first()
        if proposal is None:
            raise InvalidInput("the plan proposal has not reached the server yet; it is sent first")
        plan_id = proposal.result.get("plan")
    else:
        plan_id = data.get("plan")
    plan = RepaymentPlan.objects.select_for_update(of=("self",)).select_related("visit__team").filter(
        pk=plan_id if isinstance(plan_id, int) else -1).first()
    if plan is None:
        raise NotFound("no such repayment plan")
    if plan.visit is None or not user_on_team(user, plan.visit.team):
        raise NotPermitted("this plan belongs to another team's visit")
    return plan


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _signature(data: dict[str, Any]) -> bytes:
    raw = _text(data, "signature_png", longest=LARGEST_SIGNATURE * 2)
    prefix = "data:image/png;base64,"
    if not raw.startswith(prefix):
        raise InvalidInput("signature_png must be a PNG data URL (data:image/png;base64,...)")
    try:
        image = base64.b64decode(raw[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInput("signature_png is not valid base64") from error
    if not image.startswith(PNG_SIGNATURE) or len(image) < 50:
        raise InvalidInput("the signature is not a PNG image")
    if len(image) > LARGEST_SIGNATURE:
        raise InvalidInput("the signature image is too large")
    return image


def _plan_sign(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    plan = _plan_by_reference(user, data)
    visit = plan.visit
    assert visit is not None
    if plan.status == RepaymentPlan.Status.PENDING_APPROVAL:
        raise InvalidInput("the plan waits for a supervisor's approval; it can be signed once approved",
                           details={"code": "pending_approval"})
    if plan.status == RepaymentPlan.Status.REJECTED:
        raise InvalidInput(f"the supervisor rejected this plan: {plan.decision_note or 'no reason given'}")
    if plan.status == RepaymentPlan.Status.SIGNED:
        raise InvalidInput("this plan is already signed")
    image = _signature(data)
    plan.signer_name = _text(data, "signer_name", longest=100)
    plan.signature_png = image
    plan.signature_sha256 = hashlib.sha256(image).hexdigest()
    plan.signed_at = at
    plan.status = RepaymentPlan.Status.SIGNED
    plan.save(update_fields=["signer_name", "signature_png", "signature_sha256", "signed_at", "status"])
    audit_append(actor=user, action="field.plan.sign", subject=plan, data={"signature_sha256": plan.signature_sha256})
    return Applied(visit, {"plan": plan.pk, "number": plan.number, "status": plan.status,
                           "signature_sha256": plan.signature_sha256,
                           "agreement_url": f"/api/v1/field/plans/{plan.pk}/agreement.pdf"})


def _payment_request(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    amount = _positive(data, "amount")
    _collectible(visit, amount, "amount")
    sequence = PaymentRequest.objects.filter(case=visit.case).count() + 1
    reference = f"PR-{visit.case_id}-{sequence:03d}"
    gateway = gateway_from_settings()
    link = gateway.create_link(reference=reference, amount=amount, currency=visit.case.currency,
                               description=f"case {visit.case_id}", expires_at=now + timedelta(days=2))
    request = PaymentRequest.objects.create(case=visit.case, visit=visit, reference=link.reference,
                                            gateway=link.gateway, currency=visit.case.currency, amount=amount,
                                            url=link.url, expires_at=link.expires_at, created_by=user,
                                            created_at=now)
    audit_append(actor=user, action="field.payment.request", subject=request,
                 data={"amount": str(amount), "gateway": link.gateway})
    return Applied(visit, {"reference": request.reference, "url": request.url, "qr_svg": qr_svg(request.url),
                           "amount": str(amount), "expires_at": request.expires_at.isoformat()})


def _cash_receipt(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _guided(visit)
    _obligor_met(visit)
    amount = _positive(data, "amount")
    _collectible(visit, amount, "cash amount")
    number = _text(data, "receipt_number", longest=40)
    if CashReceipt.objects.filter(receipt_number=number).exists():
        raise InvalidInput(f"receipt {number} was already issued; use the next numbered receipt")
    receipt = CashReceipt.objects.create(case=visit.case, visit=visit, receipt_number=number,
                                         currency=visit.case.currency, amount=amount, issued_by=user, issued_at=at)
    audit_append(actor=user, action="field.cash.receipt", subject=receipt,
                 data={"amount": str(amount), "receipt": number})
    return Applied(visit, {"receipt": receipt.pk, "receipt_number": number, "amount": str(amount)})


def _dispute(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    reason = _filtered(_text(data, "reason", longest=500), jurisdiction=visit.borrower.jurisdiction, what="reason")
    state = borrower_state_set(borrower=visit.borrower, state=State.DISPUTE, reason=f"raised during a visit: {reason}",
                               by=user, evidence=f"field visit {visit.pk}")
    return Applied(visit, {"state": state.pk, "dispute": True})


def _complaint(user: Any, at: datetime, now: datetime, data: dict[str, Any]) -> Applied:
    _stop, visit = _visit_for(user, data)
    _started(visit)
    summary = _filtered(_text(data, "summary", longest=2000), jurisdiction=visit.borrower.jurisdiction,
                        what="summary")
    complaint = complaint_record(case=visit.case, summary=summary, received_at=min(at, now), by=user,
                                 received_via="field visit", contact_attempt=visit.contact_attempt)
    return Applied(visit, {"complaint": complaint.pk,
                           "visits_paused_until": complaint.visits_paused_until.isoformat()})
