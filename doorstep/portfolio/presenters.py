"""What a user is shown of a borrower: personal data masked by role, amounts as Decimal strings.

Shared by the API and the console so that masking rules live in one place.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from doorstep.accounts.models import Role
from doorstep.accounts.selectors import user_may_reveal, user_role
from doorstep.common.core.masking import mask_name
from doorstep.common.core.money import cents_to_decimal
from doorstep.portfolio.models import Borrower, Contact
from doorstep.portfolio.selectors import LoanView

# Roles that work with aggregates, not people: they see names and addresses masked.
AGGREGATE_ROLES = frozenset({Role.ANALYST, Role.TRAINER})
LIABLE_ROLES = frozenset({Contact.PartyRole.GUARANTOR, Contact.PartyRole.CO_OBLIGOR})


def borrower_name_for(user: Any, borrower: Borrower) -> str:
    return mask_name(borrower.name) if user_role(user) in AGGREGATE_ROLES else borrower.name


def borrower_address_for(user: Any, borrower: Borrower) -> str:
    return "" if user_role(user) in AGGREGATE_ROLES else borrower.address


def money(cents: int) -> str:
    return str(cents_to_decimal(cents))


def loan_payload(view: LoanView) -> dict[str, Any]:
    loan, position = view.loan, view.position
    return {
        "loan_id": loan.external_id,
        "product": loan.product,
        "currency": loan.currency,
        "principal": str(loan.principal),
        "disbursed_on": loan.disbursed_on,
        "annual_rate": str(loan.annual_rate),
        "annual_cost": str(loan.annual_cost),
        "lender_licence": loan.lender_licence,
        "cap": {"rate": None if view.cap_rate is None else str(view.cap_rate), "basis": view.cap_basis,
                "flag": view.cap_flag, "charge_share": view.charge_factor_ppm / 1_000_000,
                "principal_share": view.principal_factor_ppm / 1_000_000},
        "position": {"as_of": position.as_of, "dpd": position.dpd, "bucket": position.bucket,
                     "total_paid": money(position.total_paid), "overdue_amount": money(position.overdue_amount),
                     "outstanding_principal": money(position.outstanding_principal),
                     "collectible_amount": money(position.collectible_amount)},
        "installments": [{"seq": state.seq, "due_on": state.due_on, "total": money(state.total),
                          "paid": money(state.paid), "unpaid": money(state.unpaid), "status": state.status.value}
                         for state in position.installments],
        "payments": [{"payment_id": payment.external_id, "paid_at": payment.paid_at, "paid_on": payment.paid_on,
                      "amount": str(payment.amount), "channel": payment.channel} for payment in view.payments],
        "history": [{"as_of": row.as_of, "dpd": row.dpd, "bucket": row.bucket} for row in view.history],
    }


def borrower_payload(*, user: Any, borrower: Borrower, as_of: date, loans: list[LoanView],
                     contacts: dict[str, list[Contact]]) -> dict[str, Any]:
    return {
        "borrower_id": borrower.external_id,
        "name": borrower_name_for(user, borrower),
        "national_id": borrower.national_id_masked,
        "phone": borrower.phone_masked,
        "may_reveal": [field for field in ("national_id", "phone") if user_may_reveal(user, field)],
        "address": borrower_address_for(user, borrower),
        "jurisdiction": borrower.jurisdiction,
        "timezone": borrower.timezone,
        "language": borrower.language,
        "flags": borrower.flags,
        "risk_flags": borrower.risk_flags,
        "territory": borrower.territory.code if borrower.territory else None,
        "as_of": as_of,
        "loans": [loan_payload(view) for view in loans],
        "contacts": {role: [{"contact_id": contact.external_id,
                             "name": mask_name(contact.name) if user_role(user) in AGGREGATE_ROLES else contact.name,
                             "phone": contact.phone_masked, "relationship": contact.relationship,
                             "source": contact.source, "liable": contact.role in LIABLE_ROLES}
                            for contact in members] for role, members in contacts.items()},
    }
