from typing import Any

from django.http import HttpRequest

from doorstep.accounts.selectors import user_may_import, user_may_see_portfolio_analytics
from doorstep.compliance.queries import user_may_oversee_compliance
from doorstep.field.selectors import user_may_see_board, user_may_use_field_app
from doorstep.planning.selectors import user_may_see_plans, user_may_see_route_sheets


def console(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    plans = user_may_see_plans(user)
    return {
        "nav_overview": user_may_see_portfolio_analytics(user),
        "nav_scoring": user_may_see_portfolio_analytics(user),
        "nav_imports": user_may_import(user),
        "nav_compliance": user_may_oversee_compliance(user),
        "nav_plans": plans,
        "nav_board": user_may_see_board(user),
        "nav_field_app": user_may_use_field_app(user),
        "nav_training": bool(getattr(user, "is_authenticated", False)),
        # Collectors and agency staff: the same page lists only their teams' published route sheets.
        "nav_route_sheets": not plans and user_may_see_route_sheets(user),
    }
