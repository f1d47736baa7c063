"""Every phone write is an operation with a client-generated id (docs/field-app.md):
`operation_apply` claims the id in the ledger and applies the operation in the same transaction,
so a retry or a replay is applied exactly once and answered with the first result. Rejected
operations change nothing and are not recorded: the phone keeps them for the collector."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.accounts.selectors import user_has_role
from doorstep.common.errors import DomainError, InvalidInput, NotPermitted
from doorstep.field.models import (
    FieldOperation,
)
from doorstep.field.services.common import (
    CLIENT_ID,
    Applied,
    OperationResult,
    _moment,
)
from doorstep.field.services.outcomes import (
    _cash_receipt,
    _complaint,
    _dispute,
    _payment_request,
    _plan_propose,
    _plan_sign,
    _promise,
)
from doorstep.field.services.steps import (
    _asked_to_leave,
    _check_in,
    _check_out,
    _close,
    _entry,
    _finances,
    _id_shown,
    _met,
    _position_report,
    _reason,
    _recording_add,
    _sos,
    _tension,
)

Handler = Callable[[Any, datetime, datetime, dict[str, Any]], Applied]
HANDLERS: dict[str, Handler] = {
    "check_in": _check_in, "check_out": _check_out, "id_shown": _id_shown, "entry": _entry, "met": _met,
    "reason": _reason, "finances": _finances, "tension": _tension, "asked_to_leave": _asked_to_leave,
    "promise": _promise, "plan_propose": _plan_propose, "plan_sign": _plan_sign,
    "payment_request": _payment_request, "cash_receipt": _cash_receipt, "dispute": _dispute,
    "complaint": _complaint, "recording_add": _recording_add, "close": _close, "sos": _sos,
    "position": _position_report,
}
OPERATION_KINDS = tuple(HANDLERS)


def _fingerprint(kind: str, data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([kind, data], sort_keys=True, default=str).encode()).hexdigest()


def _replay(existing: FieldOperation, user: Any, kind: str, fingerprint: str) -> OperationResult:
    if existing.user_id != user.pk or existing.kind != kind or existing.fingerprint != fingerprint:
        return OperationResult(existing.client_id, "conflict", {
            "id": existing.client_id, "status": "conflict", "code": "id_reused",
            "message": "this operation id was already used for a different operation"})
    return OperationResult(existing.client_id, "replayed", {
        "id": existing.client_id, "status": "replayed", "result": existing.result})


def _error_result(client_id: str, error: DomainError) -> OperationResult:
    details = error.details if isinstance(error.details, dict) else {}
    status = {"forbidden": "forbidden", "conflict": "conflict"}.get(error.code, "rejected")
    body: dict[str, Any] = {"id": client_id, "status": status, "code": details.get("code", error.code),
                            "message": error.message}
    if details.get("rules"):
        body["rules"] = details["rules"]
    extra = {key: value for key, value in details.items() if key not in ("code", "rules")}
    if extra:
        body["details"] = extra
    return OperationResult(client_id, status, body)


def operation_apply(*, user: Any, operation: Any) -> OperationResult:
    """Apply one phone operation exactly once (see the module docstring)."""
    if not isinstance(operation, dict):
        return _error_result("", InvalidInput("an operation is an object with id, kind, at and data"))
    client_id = operation.get("id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        return _error_result(str(client_id or "")[:64],
                             InvalidInput("id must be 8 to 64 characters of letters, digits, - or _"))
    kind = operation.get("kind")
    data = operation.get("data", {})
    try:
        if kind not in HANDLERS:
            raise InvalidInput(f"unknown kind {kind!r}: use one of {', '.join(OPERATION_KINDS)}")
        if not isinstance(data, dict):
            raise InvalidInput("data must be an object")
        device_at = _moment(operation.get("at"), "at")
        if not user_has_role(user, {Role.COLLECTOR}):
            raise NotPermitted("only collectors on a visit's team record field operations")
    except DomainError as error:
        return _error_result(client_id, error)
    fingerprint = _fingerprint(str(kind), data)
    existing = FieldOperation.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _replay(existing, user, str(kind), fingerprint)
    now = timezone.now()
    try:
        with transaction.atomic():
            # Claim the id first: a concurrent request with the same id waits on this row, then
            # fails its insert and is answered as a replay.
            ledger = FieldOperation.objects.create(client_id=client_id, user=user, kind=kind, fingerprint=fingerprint,
                                                   device_at=device_at, received_at=now, result={})
            applied = HANDLERS[str(kind)](user, device_at, now, data)
            ledger.visit = applied.visit
            ledger.result = applied.result
            ledger.save(update_fields=["visit", "result"])
    except IntegrityError:
        existing = FieldOperation.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _replay(existing, user, str(kind), fingerprint)
    except DomainError as error:
        return _error_result(client_id, error)
    return OperationResult(client_id, "applied", {"id": client_id, "status": "applied", "result": applied.result})


MOST_OPERATIONS = 200


def operations_sync(*, user: Any, operations: Any) -> list[OperationResult]:
    """Apply a phone's queue in order, each operation in its own transaction."""
    if not isinstance(operations, list):
        raise InvalidInput("operations must be a list")
    if len(operations) > MOST_OPERATIONS:
        raise InvalidInput(f"send at most {MOST_OPERATIONS} operations at a time")
    return [operation_apply(user=user, operation=operation) for operation in operations]
