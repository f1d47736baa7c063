"""What a user may do, by role. Case-level reach lives in doorstep.portfolio.selectors."""

from __future__ import annotations

from typing import Any

from doorstep.accounts.models import Role

# Roles that see every case of the lender (agency staff never do, whatever their role).
PORTFOLIO_WIDE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.COMPLIANCE, Role.ANALYST})
CASE_ROLES = PORTFOLIO_WIDE_ROLES | {Role.COLLECTOR}
IMPORT_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
ASSIGN_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
REFRESH_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
# Who may reveal which personal field in full (each reveal is logged).
REVEAL_ROLES = {
    "national_id": frozenset({Role.ADMIN, Role.COMPLIANCE}),
    "phone": frozenset({Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR, Role.COLLECTOR}),
}


def user_role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def user_has_role(user: Any, roles: frozenset[str] | set[str]) -> bool:
    role = user_role(user)
    return role is not None and role in roles


def user_sees_whole_portfolio(user: Any) -> bool:
    return user_has_role(user, PORTFOLIO_WIDE_ROLES) and user.agency_id is None


def user_may_import(user: Any) -> bool:
    return user_has_role(user, IMPORT_ROLES) and user.agency_id is None


def user_may_assign(user: Any) -> bool:
    return user_has_role(user, ASSIGN_ROLES) and user.agency_id is None


def user_may_refresh(user: Any) -> bool:
    return user_has_role(user, REFRESH_ROLES) and user.agency_id is None


def user_may_reveal(user: Any, field: str) -> bool:
    return user_has_role(user, REVEAL_ROLES.get(field, frozenset()))


def user_may_see_portfolio_analytics(user: Any) -> bool:
    return user_sees_whole_portfolio(user)
