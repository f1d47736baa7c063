"""factory-boy factories for people and the portfolio. Money is Decimal; ids are lender-style."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from doorstep.accounts.models import Agency, Role, Team, Territory, User
from doorstep.portfolio.models import Borrower, Case, Contact, Installment, Loan, Payment
from doorstep.training.models import Certificate


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Territory {n}")
    center_lat = 22.54
    center_lon = 114.05


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    is_published = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COLLECTOR
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()

    @factory.post_generation
    def certified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Collectors hold a field certificate valid for the whole century unless `certified=False`:
        the planner leaves uncertified collectors out (doorstep.training)."""
        if create and (extracted if extracted is not None else self.role == Role.COLLECTOR):
            Certificate.objects.create(number=f"TEST-{self.username}", user=self, issued_on=date(2000, 1, 1),
                                       expires_on=date(2100, 1, 1))


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEAM{n:03d}")
    name = factory.Sequence(lambda n: f"Team {n}")
    territory = factory.SubFactory(TerritoryFactory)

    @factory.post_generation
    def members(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if create and extracted:
            self.members.add(*extracted)


class BorrowerFactory(DjangoModelFactory):
    class Meta:
        model = Borrower

    external_id = factory.Sequence(lambda n: f"B{n:06d}")
    name = "张三"
    jurisdiction = "CN"
    country = "CN"
    timezone = "Asia/Shanghai"
    flags = factory.LazyFunction(list)
    risk_flags = factory.LazyFunction(list)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    borrower = factory.SubFactory(BorrowerFactory)
    role = Contact.PartyRole.GUARANTOR
    source = Contact.Source.APPLICATION


class LoanFactory(DjangoModelFactory):
    class Meta:
        model = Loan

    external_id = factory.Sequence(lambda n: f"L{n:06d}")
    borrower = factory.SubFactory(BorrowerFactory)
    currency = "CNY"
    principal = Decimal("1200.00")
    disbursed_on = date(2026, 1, 1)
    annual_rate = Decimal("0.18")
    annual_cost = Decimal("0.18")
    lender_licence = Loan.Licence.MICROLOAN


class InstallmentFactory(DjangoModelFactory):
    class Meta:
        model = Installment

    loan = factory.SubFactory(LoanFactory)
    seq = factory.Sequence(lambda n: n + 1)
    due_on = date(2026, 2, 1)
    principal_due = Decimal("100.00")
    interest_due = Decimal("18.00")
    fee_due = Decimal("0.00")


class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = Payment

    external_id = factory.Sequence(lambda n: f"P{n:06d}")
    loan = factory.SubFactory(LoanFactory)
    amount = Decimal("100.00")


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    borrower = factory.SubFactory(BorrowerFactory)
    status = Case.Status.OPEN
    opened_on = date(2026, 5, 1)
    as_of = date(2026, 5, 1)
    currency = "CNY"
    max_dpd = 10
    bucket = "M1"
    overdue_amount = Decimal("100.00")
    collectible_amount = Decimal("100.00")


# --- compliance ------------------------------------------------------------------------------------
# Compliance rows are written by doorstep.compliance.services in the product; these factories only
# set up the rows a test reads (the services' own behaviour is tested through them).

class BorrowerStateFactory(DjangoModelFactory):
    class Meta:
        model = "compliance.BorrowerState"

    borrower = factory.SubFactory(BorrowerFactory)
    state = "hardship"
    reason = "lost job"
    set_by = factory.SubFactory(UserFactory, role=Role.SUPERVISOR)
    set_at = factory.LazyFunction(lambda: datetime.now(tz=UTC))


class ComplaintFactory(DjangoModelFactory):
    class Meta:
        model = "compliance.Complaint"

    case = factory.SubFactory(CaseFactory)
    borrower = factory.LazyAttribute(lambda complaint: complaint.case.borrower)
    summary = "collector was rude"
    received_at = factory.LazyFunction(lambda: datetime.now(tz=UTC))
    visits_paused_until = factory.LazyAttribute(lambda complaint: complaint.received_at + timedelta(days=14))
    answer_due_at = factory.LazyAttribute(lambda complaint: complaint.received_at + timedelta(hours=72))
    recorded_by = factory.SubFactory(UserFactory, role=Role.COMPLIANCE)
