from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from doorstep.common.core.money import cents_to_decimal

register = template.Library()


@register.filter
def cents(value: int | None) -> str:
    if value is None:
        return "—"
    return str(intcomma(f"{cents_to_decimal(int(value)):.2f}"))


@register.filter
def percent(rate: Decimal | None) -> str:
    if rate is None:
        return "—"
    return f"{(Decimal(rate) * 100).normalize():f} %"


@register.filter
def ppm_percent(ppm: int) -> str:
    return f"{ppm / 10_000:.2f} %"


@register.filter
def cap_basis(basis: str) -> str:
    return {
        "licensed_24": _("licensed lender: courts cut all-in cost above 24 %"),
        "private_before_2020_24": _("private lending contracted before 2020-08-20: 24 %"),
        "private_no_lpr_24": _("private lending, no LPR fixing on record: 24 %"),
        "private_4x_lpr": _("private lending: 4 × the one-year LPR at the contract date"),
        "contractual": _("contractual amounts"),
    }.get(basis, basis)


@register.filter
def installment_status(status: str) -> str:
    return {"paid": _("paid"), "overdue": _("overdue"), "partly_paid": _("partly paid"),
            "upcoming": _("upcoming")}.get(str(status), str(status))


@register.filter
def party_role(role: str) -> str:
    return {"guarantor": _("Guarantors"), "co_obligor": _("Co-obligors"), "contact": _("Pre-agreed contacts"),
            "employer": _("Employers")}.get(role, role)
