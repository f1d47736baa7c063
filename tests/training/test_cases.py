"""The case library: a closed visit becomes a draft case in one action; no personal data of the
source visit's borrower survives into the published case, whatever the collectors typed."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from doorstep.accounts.models import Role
from doorstep.common.errors import InvalidInput, NotPermitted
from doorstep.common.pii import pii_open, pii_seal
from doorstep.field.models import Promise, Visit, VisitNote
from doorstep.portfolio.models import Borrower, Contact
from doorstep.training.models import TrainingCase
from doorstep.training.services import case_attach, case_from_visit, case_publish, case_update
from tests.factories import ContactFactory, LoanFactory, UserFactory
from tests.field.world import field_world, local

DAY = date(2026, 12, 2)
NATIONAL_ID = "440304199105128876"
PHONE = "13826581234"
GUARANTOR_PHONE = "13531234567"
ADDRESS = "广东省深圳市福田区莲花路1001号翠园小区3栋502室"


@pytest.fixture
def visit(db) -> Visit:
    world = field_world(DAY, stops=1)
    case = world.cases[0]
    borrower = case.borrower
    borrower.name = "欧阳明辉"
    borrower.address = ADDRESS
    borrower.national_id_sealed = pii_seal(NATIONAL_ID, purpose=f"borrower/{borrower.external_id}/national_id")
    borrower.phone_sealed = pii_seal(PHONE, purpose=f"borrower/{borrower.external_id}/phone")
    borrower.save()
    LoanFactory(borrower=borrower, external_id="LN-2026-778899")
    ContactFactory(
        borrower=borrower,
        name="欧阳秀兰",
        external_id="CT-55501",
        role=Contact.PartyRole.GUARANTOR,
        phone_sealed=pii_seal(GUARANTOR_PHONE, purpose="contact/CT-55501/phone"),
    )
    lead = world.collectors[0]
    lead.first_name, lead.last_name, lead.employee_number = "建国", "赵", "EMP-30017"
    lead.save()
    visit = Visit.objects.create(
        case=case,
        borrower=borrower,
        stop=world.stops[0],
        team=world.team,
        day=DAY,
        status=Visit.Status.CLOSED,
        started_at=local(DAY, 10),
        id_shown_at=local(DAY, 10, 1),
        party_met="debtor",
        arrears_reason=Visit.ArrearsReason.JOB_LOSS,
        outcome=Visit.Outcome.MET,
        closed_at=local(DAY, 10, 40),
        arrears_note=f"欧阳明辉 lost his job at the factory; call him on {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}.",
        finances_recorded_at=local(DAY, 10, 20),
        monthly_income=Decimal("4200.00"),
        monthly_expenses=Decimal("3100.00"),
        tension_level=2,
    )
    for text in (
        f"明辉 showed ID {NATIONAL_ID}; lives at 莲花路1001号 翠园小区, owes 12,345.67元.",
        f"His sister 欧阳秀兰 ({GUARANTOR_PHONE}) joined; 赵建国 explained the plan. Loan LN-2026-778899.",
        f"Borrower B-number {borrower.external_id}; he stayed calm.",
    ):
        VisitNote.objects.create(visit=visit, kind="note", text=text, device_at=local(DAY, 10, 30), author=lead)
    Promise.objects.create(
        case=case,
        visit=visit,
        currency="CNY",
        amount=Decimal("1500.00"),
        made_on=DAY,
        due_on=DAY + timedelta(days=7),
        created_by=lead,
        created_at=timezone.now(),
    )
    visit.supervisor = world.supervisor  # type: ignore[attr-defined]
    return visit


def _personal_values(borrower: Borrower) -> list[str]:
    """Every personal field of the borrower, their contacts and loans, as stored or opened."""
    values = [
        borrower.name,
        borrower.address,
        borrower.external_id,
        borrower.name[2:],
        pii_open(borrower.national_id_sealed, purpose=f"borrower/{borrower.external_id}/national_id"),
        pii_open(borrower.phone_sealed, purpose=f"borrower/{borrower.external_id}/phone"),
        f"{borrower.lat:.4f}",
        f"{borrower.lon:.4f}",
    ]
    for field in Borrower._meta.concrete_fields:
        if field.name.endswith("_masked") and getattr(borrower, field.name):
            values.append(getattr(borrower, field.name))
    for contact in borrower.contacts.all():
        values += [
            contact.name,
            contact.external_id,
            pii_open(contact.phone_sealed, purpose=f"contact/{contact.external_id}/phone"),
        ]
    values += list(borrower.loans.values_list("external_id", flat=True))
    values += [piece for piece in re.split(r"[省市区路号栋室]", borrower.address) if len(piece) >= 3]
    return [value for value in values if value]


def _published_text(case: TrainingCase) -> str:
    return "\n".join(
        [
            case.title,
            case.situation,
            case.lessons_learnt,
            case.arrears_reason,
            json.dumps(case.facts, ensure_ascii=False),
        ]
    )


def test_a_published_case_holds_no_personal_data_of_the_source_visit(visit: Visit) -> None:
    supervisor = visit.supervisor  # type: ignore[attr-defined]
    with translation.override("en"):
        case = case_from_visit(visit=visit, by=supervisor)
    assert case.status == TrainingCase.Status.DRAFT and case.result == TrainingCase.Result.SUCCESS
    case = case_update(
        case=case,
        by=supervisor,
        lessons_learnt="Listening first let him explain; a small promise he could keep was better than a large one.",
    )
    case = case_publish(case=case, by=supervisor)
    case.refresh_from_db()
    assert case.status == TrainingCase.Status.PUBLISHED and case.reviewed_by == supervisor

    text = _published_text(case)
    for value in _personal_values(visit.borrower):
        assert value not in text, value
    digits = re.sub(r"\D", "", text)
    for number in (NATIONAL_ID, PHONE, GUARANTOR_PHONE, "778899", "12345", "1500", "4200", "3100"):
        assert number not in digits, number
    for collector in visit.team.members.all():
        for value in (collector.username, collector.get_full_name(), collector.employee_number):
            assert not value or value not in text, value
    # What remains still teaches: the reason, the outcome, the banded amounts, the story.
    assert "job loss" in case.situation.lower() and "[borrower]" in case.situation
    assert case.facts["outstanding"] == "5,000–20,000" and case.facts["promises"] == ["1,000–5,000"]
    assert "about [amount 5,000–20,000] CNY outstanding" in case.situation
    assert "Promise to pay: [amount 1,000–5,000]." in case.situation


def test_a_reviewer_cannot_type_personal_data_back_in(visit: Visit) -> None:
    supervisor = visit.supervisor  # type: ignore[attr-defined]
    case = case_from_visit(visit=visit, by=supervisor)
    case = case_update(
        case=case,
        by=supervisor,
        situation=f"欧阳明辉 at {ADDRESS}, phone {PHONE}",
        lessons_learnt=f"Ask 欧阳秀兰 first ({GUARANTOR_PHONE[:3]}-{GUARANTOR_PHONE[3:7]}-{GUARANTOR_PHONE[7:]})",
    )
    assert "欧阳明辉" not in case.situation and PHONE not in case.situation and "莲花路" not in case.situation
    assert "欧阳秀兰" not in case.lessons_learnt and "1234567" not in case.lessons_learnt
    # Even a direct edit of the row (an admin, a bug) cannot be published.
    TrainingCase.objects.filter(pk=case.pk).update(situation=f"tel {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}")
    with pytest.raises(InvalidInput, match="personal data is still in the case"):
        case_publish(case=case, by=supervisor)
    case.refresh_from_db()
    assert case.status == TrainingCase.Status.DRAFT and case.published_at is None


def test_one_case_per_visit_only_closed_visits_and_only_curators(visit: Visit) -> None:
    supervisor = visit.supervisor  # type: ignore[attr-defined]
    first = case_from_visit(visit=visit, by=supervisor)
    assert case_from_visit(visit=visit, by=supervisor).pk == first.pk
    assert TrainingCase.objects.count() == 1
    with pytest.raises(NotPermitted):
        case_from_visit(visit=visit, by=visit.team.members.first())
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.IN_PROGRESS)
    TrainingCase.objects.all().delete()
    visit.refresh_from_db()
    with pytest.raises(InvalidInput, match="only a closed visit"):
        case_from_visit(visit=visit, by=supervisor)
    assert not TrainingCase.objects.exists()


def test_publishing_needs_lessons_and_attaching_needs_publishing(visit: Visit) -> None:
    from doorstep.training.models import Course, Lesson

    supervisor = visit.supervisor  # type: ignore[attr-defined]
    trainer = UserFactory(role=Role.TRAINER)
    case = case_from_visit(visit=visit, by=supervisor)
    with pytest.raises(InvalidInput, match="lessons learnt"):
        case_publish(case=case, by=trainer)
    course = Course.objects.create(code="t-course", title_en="T", title_zh="测")
    lesson = Lesson.objects.create(course=course, key="one", title_en="One", title_zh="一", body_en="b", body_zh="乙")
    with pytest.raises(InvalidInput, match="only a published case"):
        case_attach(case=case, by=trainer, lesson=lesson)
    case = case_update(case=case, by=trainer, lessons_learnt="Stay calm.")
    case = case_publish(case=case, by=trainer)
    case_attach(case=case, by=trainer, lesson=lesson)
    assert list(lesson.cases.all()) == [case]


def test_the_case_page_shows_the_facts_in_words(visit: Visit, client) -> None:
    supervisor = visit.supervisor  # type: ignore[attr-defined]
    with translation.override("en"):
        case = case_from_visit(visit=visit, by=supervisor)
    client.force_login(supervisor)
    page = client.get(f"/training/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    facts = page.text.split('data-test="facts"')[1].split("</dl>")[0]
    assert "Reason for arrears" in facts and "job loss" in facts and "5,000–20,000 CNY" in facts
    assert "arrears_reason" not in facts and "job_loss" not in facts
