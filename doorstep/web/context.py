from typing import Any

from django.http import HttpRequest

from doorstep.accounts.selectors import user_may_import, user_may_see_portfolio_analytics
from doorstep.compliance.queries import user_may_oversee_compliance


def console(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_overview": user_may_see_portfolio_analytics(user),
        "nav_imports": user_may_import(user),
        "nav_compliance": user_may_oversee_compliance(user),
    }
