"""Writes of the field visit. Phone writes are operations applied exactly once (`ledger`); the
visit's steps and outcomes are in `steps` and `outcomes`; supervisor actions in `supervision`.
Every write owns its transaction and appends to the audit log."""

from doorstep.field.services.common import FieldConflict, OperationResult, user_on_team
from doorstep.field.services.ledger import HANDLERS, MOST_OPERATIONS, OPERATION_KINDS, operation_apply, operations_sync
from doorstep.field.services.steps import visit_problems
from doorstep.field.services.supervision import (
    cash_deposit_confirm,
    check_review,
    field_overdue_scan,
    repayment_plan_decide,
    safety_alert_acknowledge,
    safety_alert_escalate,
    safety_alert_resolve,
)

__all__ = [
    "HANDLERS", "MOST_OPERATIONS", "OPERATION_KINDS", "FieldConflict", "OperationResult", "cash_deposit_confirm",
    "check_review", "field_overdue_scan", "operation_apply", "operations_sync", "repayment_plan_decide",
    "safety_alert_acknowledge", "safety_alert_escalate", "safety_alert_resolve", "user_on_team", "visit_problems",
]
