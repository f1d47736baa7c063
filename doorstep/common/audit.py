"""Append to and verify the hash-chained audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from doorstep.common.core.audit import GENESIS, entry_digest
from doorstep.common.models import AuditEntry, AuditHead


def _content(*, at: str, actor_id: int | None, actor_label: str, action: str, subject_type: str,
             subject_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"at": at, "actor": actor_id, "actor_label": actor_label, "action": action,
            "subject_type": subject_type, "subject_id": subject_id, "data": data}


@transaction.atomic
def audit_append(*, actor: Any, action: str, subject: models.Model | None = None,
                 subject_type: str = "", subject_id: str = "", data: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry; call inside the writing service's transaction so both commit together."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"digest": GENESIS})
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    actor_id = getattr(actor, "pk", None)
    actor_label = getattr(actor, "username", "") or ("system" if actor is None else str(actor))
    at = timezone.now().replace(microsecond=0)
    payload = data or {}
    sequence = head.sequence + 1
    digest = entry_digest(previous=head.digest, sequence=sequence, content=_content(
        at=at.isoformat(), actor_id=actor_id, actor_label=actor_label, action=action,
        subject_type=subject_type, subject_id=subject_id, data=payload))
    entry = AuditEntry.objects.create(
        sequence=sequence, at=at, actor_id=actor_id, actor_label=actor_label, action=action,
        subject_type=subject_type, subject_id=subject_id, data=payload,
        previous_digest=head.digest, digest=digest)
    AuditHead.objects.filter(pk=1).update(sequence=sequence, digest=digest)
    return entry


@dataclass(frozen=True)
class AuditBreak:
    sequence: int
    problem: str


def audit_verify() -> AuditBreak | None:
    """Walk the chain in order; return the first broken link, or None when intact."""
    previous = GENESIS
    expected_sequence = 1
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return AuditBreak(expected_sequence, f"entry {expected_sequence} is missing (found {entry.sequence})")
        if entry.previous_digest != previous:
            return AuditBreak(entry.sequence, "does not link to the previous entry")
        recomputed = entry_digest(previous=previous, sequence=entry.sequence, content=_content(
            at=entry.at.isoformat(), actor_id=entry.actor_id, actor_label=entry.actor_label,
            action=entry.action, subject_type=entry.subject_type, subject_id=entry.subject_id,
            data=entry.data))
        if recomputed != entry.digest:
            return AuditBreak(entry.sequence, "content was changed after it was written")
        previous = entry.digest
        expected_sequence += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != expected_sequence - 1:
        return AuditBreak(expected_sequence, f"chain ends at {expected_sequence - 1} but head says {head.sequence}")
    return None
