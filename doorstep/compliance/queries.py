"""Reads for the compliance API and console: who may oversee compliance, and the compliance rows a
user may reach. Access follows the portfolio: a row is reachable through a case the user reaches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case as Conditional
from django.db.models import IntegerField, QuerySet, Value, When

from doorstep.accounts.models import Role
from doorstep.accounts.selectors import user_has_role, user_sees_whole_portfolio
from doorstep.common.errors import NotFound, NotPermitted
from doorstep.compliance.models import BorrowerState, Complaint, ContactAttempt, Override
from doorstep.portfolio.models import Borrower
from doorstep.portfolio.selectors import case_scope

# The lender's own supervisors, compliance officers and administrators oversee compliance:
# complaints, the report, pending overrides. Agency staff never see other firms' rows.
OVERSIGHT_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR})
# Roles that act on a case (start attempts, record outcomes, ask for overrides); analysts and
# trainers only read.
CONTACT_ROLES = frozenset({Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR, Role.COLLECTOR})


def user_may_oversee_compliance(user: Any) -> bool:
    return user_has_role(user, OVERSIGHT_ROLES) and user.agency_id is None


def user_may_act_on_cases(user: Any) -> bool:
    return user_has_role(user, CONTACT_ROLES)


def _reachable_borrower_ids(user: Any) -> QuerySet[Any] | None:
    """None: every borrower (the whole book); otherwise a subquery of reachable borrower ids."""
    if user_sees_whole_portfolio(user):
        return None
    return case_scope(user=user).values("borrower_id")


def contact_attempt_get_for_user(*, user: Any, attempt_id: int) -> ContactAttempt:
    attempt = (ContactAttempt.objects.filter(pk=attempt_id, case__in=case_scope(user=user))
               .select_related("borrower", "case").first())
    if attempt is None:
        raise NotFound("no such contact attempt, or it is not yours to see")
    return attempt


def override_get_for_user(*, user: Any, override_id: int) -> Override:
    overrides = Override.objects.select_related("borrower", "requested_by")
    reachable = _reachable_borrower_ids(user)
    if reachable is not None:
        overrides = overrides.filter(borrower_id__in=reachable)
    override = overrides.filter(pk=override_id).first()
    if override is None:
        raise NotFound("no such override, or it is not yours to see")
    return override


def complaint_get_for_user(*, user: Any, complaint_id: int) -> Complaint:
    if not user_may_oversee_compliance(user):
        raise NotPermitted("complaints are handled by the lender's supervisors, compliance officers and admins")
    complaint = Complaint.objects.select_related("borrower", "case").filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("no such complaint")
    return complaint


def borrower_state_get_for_user(*, user: Any, state_id: int) -> BorrowerState:
    states = BorrowerState.objects.select_related("borrower")
    reachable = _reachable_borrower_ids(user)
    if reachable is not None:
        states = states.filter(borrower_id__in=reachable)
    state = states.filter(pk=state_id).first()
    if state is None:
        raise NotFound("no such borrower state, or it is not yours to see")
    return state


@dataclass(frozen=True)
class BorrowerStates:
    active: tuple[BorrowerState, ...]
    history: tuple[BorrowerState, ...]  # cleared states, newest first


def borrower_states(*, borrower: Borrower) -> BorrowerStates:
    rows = list(BorrowerState.objects.filter(borrower=borrower).select_related("set_by", "cleared_by"))
    return BorrowerStates(active=tuple(row for row in rows if row.cleared_at is None),
                          history=tuple(row for row in rows if row.cleared_at is not None))


def overrides_pending() -> QuerySet[Override]:
    return (Override.objects.filter(status=Override.Status.PENDING)
            .select_related("borrower", "requested_by").order_by("requested_at", "id"))


def borrower_states_active() -> QuerySet[BorrowerState]:
    return BorrowerState.objects.filter(cleared_at__isnull=True).select_related("borrower", "set_by")


def complaints_for_console(*, limit: int = 200) -> QuerySet[Complaint]:
    """Open complaints first, the earliest answer due on top; then the latest resolved ones."""
    return (Complaint.objects.select_related("borrower", "case", "collector")
            .annotate(open_first=Conditional(When(status=Complaint.Status.OPEN, then=Value(0)), default=Value(1),
                                       output_field=IntegerField()))
            .order_by("open_first", "answer_due_at", "-resolved_at", "-id")[:limit])


def blocked_by_rule(*, since: datetime, until: datetime) -> list[tuple[str, int]]:
    """Blocked attempts per rule id in [since, until); an attempt blocked by two rules counts for
    both. `rules` is a JSON list, counted here in Python so SQLite and PostgreSQL agree."""
    counts: Counter[str] = Counter()
    for rules in ContactAttempt.objects.filter(status=ContactAttempt.Status.BLOCKED, at__gte=since,
                                               at__lt=until).values_list("rules", flat=True).iterator(chunk_size=5000):
        counts.update(set(rules or []))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
