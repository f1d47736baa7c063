"""The case library: a finished visit becomes a training case in one action, with personal data
removed; a reviewer edits and publishes it; published cases attach to lessons and questions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.common.audit import audit_append
from doorstep.common.errors import Conflict, InvalidInput, NotPermitted
from doorstep.common.i18n import active_language
from doorstep.common.pii import pii_open
from doorstep.field.core.guidance import PARTIES_MET
from doorstep.field.models import Promise, RepaymentPlan, Visit
from doorstep.portfolio.models import Contact
from doorstep.training.core.anonymise import Person, amount_band, anonymise, leaks
from doorstep.training.models import Lesson, Question, TrainingCase
from doorstep.training.selectors import user_may_curate_cases

SUCCESS_OUTCOMES = {"promise", "plan", "payment"}
TEXT_FIELDS = ("title", "situation", "lessons_learnt")


def _curator(user: Any) -> None:
    if not user_may_curate_cases(user):
        raise NotPermitted("only supervisors, trainers and administrators curate training cases")


def _opened(sealed: str, purpose: str) -> str:
    # Opened only to know what to remove; the value is never stored or shown (no reveal is logged).
    return pii_open(sealed, purpose=purpose) if sealed else ""


def visit_people(visit: Visit) -> list[Person]:
    """Every personal value of the people in a visit: the borrower, their contacts, the collectors."""
    borrower = visit.borrower
    loans = list(borrower.loans.values_list("external_id", flat=True))
    people = [Person(
        "borrower", names=(borrower.name,),
        numbers=tuple(value for value in (
            _opened(borrower.national_id_sealed, f"borrower/{borrower.external_id}/national_id"),
            _opened(borrower.phone_sealed, f"borrower/{borrower.external_id}/phone"),
            borrower.external_id, *loans) if value),
        addresses=(borrower.address,) if borrower.address else ())]
    for contact in Contact.objects.filter(borrower=borrower):
        label = "guarantor" if contact.role == Contact.PartyRole.GUARANTOR else "contact"
        people.append(Person(label, names=(contact.name,) if contact.name else (), numbers=tuple(value for value in (
            _opened(contact.phone_sealed, f"contact/{contact.external_id}/phone"), contact.external_id) if value)))
    for member in visit.team.members.all():
        names = tuple(name for name in (member.get_full_name(), member.first_name, member.last_name,
                                        member.username) if name and len(name) >= 2)
        people.append(Person("collector", names=names,
                             numbers=(member.employee_number,) if member.employee_number else ()))
    return people


def _band(value: Decimal) -> str:
    # The same form the anonymiser gives a typed amount, so re-anonymising an edited text keeps it.
    return f"[amount {amount_band(value)}]"


def _story(visit: Visit, people: list[Person]) -> tuple[str, dict[str, Any], str]:
    """The visit told in plain words (in the curator's language), what was typed at the door
    anonymised; the banded facts; the kind of outcome."""
    case = visit.case
    low = (case.max_dpd // 30) * 30
    facts: dict[str, Any] = {
        "currency": case.currency, "bucket": case.bucket, "dpd_band": f"{low}–{low + 29}",
        "outstanding": amount_band(case.collectible_amount), "outcome": visit.outcome,
        "party_met": visit.party_met, "arrears_reason": visit.arrears_reason, "tension_level": visit.tension_level,
        "entered_premises": visit.entered_premises, "id_shown": visit.id_shown_at is not None,
    }
    lines = [_("Bucket %(bucket)s, %(days)s days past due, about %(amount)s %(currency)s outstanding.") % {
        "bucket": case.bucket, "days": facts["dpd_band"], "amount": _band(case.collectible_amount),
        "currency": case.currency},
        _("Outcome of the visit: %(outcome)s.") % {"outcome": visit.get_outcome_display() or _("not recorded")}]
    if visit.party_met:
        label = next((item for item in PARTIES_MET if item.code == visit.party_met), None)
        shown = (label.zh if active_language() == "zh" else label.en) if label else visit.party_met
        lines.append(_("Met: %(party)s.") % {"party": shown})
    if visit.arrears_reason:
        lines.append(_("Reason for the arrears: %(reason)s.") % {"reason": visit.get_arrears_reason_display()})
    if visit.arrears_note:
        lines.append(_("In their words: %(note)s") % {"note": anonymise(visit.arrears_note, people)})
    if visit.finances_recorded_at:
        facts["income_band"] = amount_band(visit.monthly_income)
        facts["expenses_band"] = amount_band(visit.monthly_expenses)
        lines.append(_("Stated income about %(income)s a month, essential expenses about %(expenses)s.") % {
            "income": _band(visit.monthly_income), "expenses": _band(visit.monthly_expenses)})
    for note in visit.notes.all():
        text = anonymise(note.text, people)
        if note.level is not None:
            lines.append(_("Tension %(level)s/5: %(text)s") % {"level": note.level, "text": text})
        elif text:
            lines.append(_("Note: %(text)s") % {"text": text})
    kind = "none"
    promises = list(Promise.objects.filter(visit=visit))
    if promises:
        kind = "promise"
        facts["promises"] = [amount_band(promise.amount) for promise in promises]
        lines.append(_("Promise to pay: %(amounts)s.") % {
            "amounts": ", ".join(_band(promise.amount) for promise in promises)})
    plans = list(RepaymentPlan.objects.filter(visit=visit))
    if plans:
        kind = "plan"
        facts["plans"] = [{"total": amount_band(plan.total), "count": plan.count, "interval": plan.interval,
                           "status": plan.status} for plan in plans]
        lines += [_("Repayment plan: %(count)s installments (%(interval)s), about %(total)s in all (%(status)s).") % {
            "count": plan.count, "interval": plan.get_interval_display(), "total": _band(plan.total),
            "status": plan.get_status_display()} for plan in plans]
    if visit.asked_to_leave_at:
        lines.append(_("The collectors were asked to leave and left."))
    return "\n".join(lines), facts, kind


def case_from_visit(*, visit: Visit, by: Any) -> TrainingCase:
    """Turn a closed visit into a draft training case, personal data removed. Doing it twice
    returns the same draft."""
    _curator(by)
    if visit.status != Visit.Status.CLOSED:
        raise InvalidInput("only a closed visit can become a training case", details={"field": "visit"})
    existing = TrainingCase.objects.filter(source_visit=visit).first()
    if existing is not None:
        return existing
    visit = Visit.objects.select_related("case", "borrower", "team").get(pk=visit.pk)
    people = visit_people(visit)
    story, facts, kind = _story(visit, people)
    success = kind in SUCCESS_OUTCOMES
    title = f"{visit.get_arrears_reason_display() or visit.get_outcome_display() or _('Visit')} — {visit.case.bucket}"
    try:
        with transaction.atomic():
            case = TrainingCase.objects.create(
                source_visit=visit, team=visit.team, result=TrainingCase.Result.SUCCESS if success
                else TrainingCase.Result.FAILURE, title=title[:200],
                arrears_reason=visit.arrears_reason, situation=story, facts=facts,
                created_by=by, created_at=timezone.now())
            audit_append(actor=by, action="training.case_create", subject=case, data={"visit": visit.pk})
    except IntegrityError:  # made at the same moment by someone else
        return TrainingCase.objects.get(source_visit=visit)
    return case


def _people_of(case: TrainingCase) -> list[Person]:
    if case.source_visit_id is None:
        return []
    visit = Visit.objects.select_related("case", "borrower", "team").get(pk=case.source_visit_id)
    return visit_people(visit)


@transaction.atomic
def case_update(*, case: TrainingCase, by: Any, **data: Any) -> TrainingCase:
    """A reviewer's edits. What they type is anonymised again: a name typed back in goes away."""
    _curator(by)
    allowed = {*TEXT_FIELDS, "result", "arrears_reason"}
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(f"unknown fields: {', '.join(sorted(unknown))}")
    if "result" in data and data["result"] not in TrainingCase.Result.values:
        raise InvalidInput("result is success or failure", details={"field": "result"})
    if "arrears_reason" in data and data["arrears_reason"] not in ["", *Visit.ArrearsReason.values]:
        raise InvalidInput("unknown reason for arrears", details={"field": "arrears_reason"})
    locked = TrainingCase.objects.select_for_update().get(pk=case.pk)
    if locked.status == TrainingCase.Status.PUBLISHED and any(
            name in data and data[name] != getattr(locked, name) for name in allowed):
        raise Conflict("withdraw the published case before editing it")
    people = _people_of(locked)
    for name, value in data.items():
        value = str(value).strip()
        if name == "title" and not value:
            raise InvalidInput("a case needs a title", details={"field": "title"})
        setattr(locked, name, anonymise(value, people) if name in TEXT_FIELDS else value)
    locked.save()
    audit_append(actor=by, action="training.case_update", subject=locked, data={"fields": sorted(data)})
    return locked


@transaction.atomic
def case_publish(*, case: TrainingCase, by: Any) -> TrainingCase:
    """Publish after review: refused while any personal value of the source visit remains."""
    _curator(by)
    locked = TrainingCase.objects.select_for_update().get(pk=case.pk)
    if locked.status == TrainingCase.Status.PUBLISHED:
        return locked
    if not locked.lessons_learnt.strip():
        raise InvalidInput("write the lessons learnt before publishing", details={"field": "lessons_learnt"})
    found = leaks([locked.title, locked.situation, locked.lessons_learnt, str(locked.facts)], _people_of(locked))
    if found:
        labels = sorted({item.split(":", 1)[0] for item in found})
        raise InvalidInput(f"personal data is still in the case ({', '.join(labels)}): remove it before publishing",
                           details={"field": "situation", "kinds": labels})
    locked.status = TrainingCase.Status.PUBLISHED
    locked.reviewed_by = by
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "published_at"])
    audit_append(actor=by, action="training.case_publish", subject=locked)
    return locked


@transaction.atomic
def case_withdraw(*, case: TrainingCase, by: Any) -> TrainingCase:
    _curator(by)
    TrainingCase.objects.filter(pk=case.pk).update(status=TrainingCase.Status.WITHDRAWN)
    case.refresh_from_db()
    audit_append(actor=by, action="training.case_withdraw", subject=case)
    return case


@transaction.atomic
def case_attach(*, case: TrainingCase, by: Any, lesson: Lesson | None = None,
                question: Question | None = None) -> TrainingCase:
    """Use a published case in a lesson or a quiz question."""
    _curator(by)
    if case.status != TrainingCase.Status.PUBLISHED:
        raise InvalidInput("only a published case can be used in teaching", details={"field": "case"})
    if lesson is None and question is None:
        raise InvalidInput("name a lesson or a question", details={"field": "lesson"})
    if lesson is not None:
        lesson.cases.add(case)
    if question is not None:
        Question.objects.filter(pk=question.pk).update(case=case)
    audit_append(actor=by, action="training.case_attach", subject=case,
                 data={"lesson": lesson.pk if lesson else None, "question": question.pk if question else None})
    return case
