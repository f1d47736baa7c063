"""Training in the console: a person's courses, certificate and notices; a course's lessons and
quiz; the marked attempt with explanations; supervisors' standing page (who is not plannable and
why); the case library (a closed visit becomes a case in one action, reviewed before publishing).

Every write goes through doorstep.training.services; a refused action shows the service's reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from doorstep.common.errors import DomainError
from doorstep.common.i18n import active_language, in_language
from doorstep.field.core.guidance import PARTIES_MET
from doorstep.field.models import Visit
from doorstep.field.selectors import visits_for_user
from doorstep.training.core.markup import plain
from doorstep.training.core.markup import render as render_markup
from doorstep.training.models import Attempt, Certificate, Choice, Course, Lesson, Notice, Question, TrainingCase
from doorstep.training.selectors import (
    attempt_gate,
    attempt_get,
    certificate_notice_days,
    collectors_overseen,
    course_get,
    courses_for,
    lesson_resolver,
    notices_for,
    required_course_codes,
    standings,
    training_case_get,
    training_cases_for,
    user_may_curate_cases,
    user_may_edit_courses,
    user_oversees_training,
)
from doorstep.training.services import (
    attempt_expire,
    attempt_start,
    attempt_submit,
    case_attach,
    case_from_visit,
    case_publish,
    case_update,
    case_withdraw,
    certificate_revoke,
    notice_read,
)
from doorstep.training.services.quiz import AttemptLocked
from doorstep.web.views import allowed


def reason_label(reason: str) -> str:
    labels = {"certified": _("certified"), "no_certificate": _("no certificate"),
              "expired": _("certificate expired"), "revoked": _("certificate revoked")}
    return labels.get(reason, reason)


def _course_rows(user: Any) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    passed = {}
    for course_id, submitted_at, percent in Attempt.objects.filter(user=user, is_passed=True).order_by(
            "submitted_at").values_list("course_id", "submitted_at", "percent"):
        passed[course_id] = (submitted_at, percent)
    open_attempts = dict(Attempt.objects.filter(user=user, submitted_at__isnull=True).values_list("course_id", "id"))
    for course in courses_for(user):
        gate = attempt_gate(user=user, course=course, now=now)
        rows.append({"course": course, "title": in_language(course, "title"), "summary": in_language(course, "summary"),
                     "passed": passed.get(course.pk), "open_attempt": open_attempts.get(course.pk), "gate": gate})
    return rows


@require_GET
@login_required
def training_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    standing = standings([user.pk], timezone.localdate())[user.pk]
    certificates = list(Certificate.objects.filter(user=user)[:5])
    days_left = (standing.expires_on - timezone.localdate()).days if standing.plannable and standing.expires_on \
        else None
    return render(request, "web/training/home.html", {
        "rows": _course_rows(user), "standing": standing, "reason": reason_label(standing.reason),
        "days_left": days_left, "certificates": certificates, "notices": list(notices_for(user)[:20]),
        "may_edit": user_may_edit_courses(user), "oversees": user_oversees_training(user),
        "curates": user_may_curate_cases(user), "is_collector": getattr(user, "role", "") == "collector",
    })


@require_POST
@login_required
def notice_dismiss(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = Notice.objects.filter(pk=notice_id, recipient_id=request.user.pk).first()
    if notice is None:
        raise Http404
    notice_read(notice=notice, by=request.user)
    return redirect("web:training")


def _lessons(course: Course) -> list[dict[str, Any]]:
    resolver = lesson_resolver()
    language = active_language()
    rows = []
    for lesson in course.lessons.prefetch_related("cases"):
        rows.append({"lesson": lesson, "title": in_language(lesson, "title"),
                     "html": render_markup(in_language(lesson, "body"), resolver, language),
                     "cases": [case for case in lesson.cases.all() if case.status == TrainingCase.Status.PUBLISHED]})
    return rows


@require_GET
@login_required
def course_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        course = course_get(code=code, user=request.user)
    except DomainError as error:
        raise Http404(str(error)) from error
    gate = attempt_gate(user=request.user, course=course, now=timezone.now())
    user: Any = request.user
    open_attempt = Attempt.objects.filter(user=user, course=course, submitted_at__isnull=True).first()
    history = Attempt.objects.filter(user=user, course=course, submitted_at__isnull=False)[:10]
    return render(request, "web/training/course.html", {
        "course": course, "title": in_language(course, "title"), "summary": in_language(course, "summary"),
        "lessons": _lessons(course), "gate": gate, "open_attempt": open_attempt, "history": history,
    })


@require_POST
@login_required
def attempt_begin(request: HttpRequest, code: str) -> HttpResponse:
    try:
        course = course_get(code=code, user=request.user)
        attempt = attempt_start(user=request.user, course=course)
    except AttemptLocked as error:
        messages.error(request, _("Not yet: the next attempt may start at %(time)s.") % {
            "time": timezone.localtime(error.next_at).strftime("%Y-%m-%d %H:%M")})
        return redirect("web:training-course", code=code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:training-course", code=code)
    return redirect("web:training-attempt", attempt_id=attempt.pk)


def _questions(attempt: Attempt) -> list[dict[str, Any]]:
    resolver = lesson_resolver()
    language = active_language()
    questions = {question.pk: question for question in Question.objects.filter(pk__in=attempt.question_ids)
                 .select_related("case")}
    choices = {choice.pk: choice for choice in Choice.objects.filter(question_id__in=attempt.question_ids)}
    rows = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = questions[question_id]
        order = attempt.choice_orders.get(str(question_id)) or sorted(
            choice_id for choice_id, choice in choices.items() if choice.question_id == question_id)
        chosen = set(attempt.answers.get(str(question_id), []))
        rows.append({
            "number": number, "question": question,
            "html": render_markup(in_language(question, "text"), resolver, language),
            "explanation": render_markup(in_language(question, "explanation"), resolver, language),
            "case": question.case if question.case and question.case.status == TrainingCase.Status.PUBLISHED else None,
            "choices": [{"choice": choices[choice_id], "text": plain(in_language(choices[choice_id], "text"), resolver,
                                                                      language),
                         "chosen": choice_id in chosen} for choice_id in order if choice_id in choices],
            "right": {choice_id for choice_id in order if choice_id in choices and choices[choice_id].is_correct}
            == chosen,
        })
    return rows


@login_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        attempt = attempt_get(attempt_id=attempt_id, user=request.user)
    except DomainError as error:
        raise Http404(str(error)) from error
    if request.method == "POST":
        if attempt.user_id != request.user.pk:
            raise Http404
        answers = {key.removeprefix("q"): request.POST.getlist(key) for key in request.POST
                   if key.startswith("q") and key[1:].isdigit()}
        try:
            attempt = attempt_submit(attempt=attempt, user=request.user, answers=answers)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if attempt.timed_out:
                messages.error(request, _("Time ran out before the answers were sent: the attempt counts as failed."))
            certificate = Certificate.objects.filter(user_id=attempt.user_id).order_by("-issued_on", "-id").first()
            if attempt.is_passed and certificate is not None and any(
                    item.get("attempt_id") == attempt.pk for item in certificate.courses):  # this pass earned it
                messages.success(request, _("Certificate %(number)s issued: valid until %(date)s.") % {
                    "number": certificate.number, "date": certificate.expires_on.isoformat()})
        return redirect("web:training-attempt", attempt_id=attempt.pk)
    if attempt.submitted_at is None and attempt.user_id == request.user.pk:
        attempt = attempt_expire(attempt=attempt)  # a sitting whose time ran out closes as failed
    course = attempt.course
    gate = attempt_gate(user=attempt.user, course=course, now=timezone.now()) if attempt.submitted_at else None
    minutes_left = max(0, int((attempt.expires_at - timezone.now()).total_seconds() // 60)) \
        if attempt.expires_at and attempt.submitted_at is None else None
    return render(request, "web/training/attempt.html", {
        "attempt": attempt, "course": course, "title": in_language(course, "title"), "questions": _questions(attempt),
        "gate": gate, "mine": attempt.user_id == request.user.pk, "minutes_left": minutes_left,
    })


def _facts(case: TrainingCase) -> list[tuple[str, str]]:
    """The case's banded facts as words in the reader's language."""
    facts = case.facts or {}
    zh = active_language() == "zh"
    outcomes, reasons = dict(Visit.Outcome.choices), dict(Visit.ArrearsReason.choices)
    parties = {label.code: label.zh if zh else label.en for label in PARTIES_MET}
    currency = facts.get("currency", "")

    def money(band: Any) -> str:
        return f"{band} {currency}".strip()

    shown: list[tuple[str, Any]] = [
        (_("Bucket"), facts.get("bucket")),
        (_("Days past due"), facts.get("dpd_band")),
        (_("Outstanding"), money(facts["outstanding"]) if facts.get("outstanding") else None),
        (_("Outcome"), outcomes.get(facts.get("outcome", ""), facts.get("outcome"))),
        (_("Met"), parties.get(facts.get("party_met", ""), facts.get("party_met"))),
        (_("Reason for arrears"), reasons.get(facts.get("arrears_reason", ""), facts.get("arrears_reason"))),
        (_("Tension (1–5)"), facts.get("tension_level")),
        (_("Work id and mandate shown"), _("yes") if facts.get("id_shown") else _("no")),
        (_("Entered the home"), _("yes") if facts.get("entered_premises") else _("no")),
        (_("Stated monthly income"), money(facts["income_band"]) if facts.get("income_band") else None),
        (_("Essential monthly expenses"), money(facts["expenses_band"]) if facts.get("expenses_band") else None),
        (_("Promises to pay"), ", ".join(money(band) for band in facts.get("promises", [])) or None),
    ]
    return [(label, str(value)) for label, value in shown if value not in (None, "")]


def _day(request: HttpRequest) -> date:
    raw = request.GET.get("day")
    parsed = parse_date(raw) if raw else None
    return parsed or timezone.localdate()


@require_GET
@allowed(user_oversees_training)
def standing_page(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    collectors = list(collectors_overseen(request.user).prefetch_related("teams"))
    found = standings([user.pk for user in collectors], day)
    required = required_course_codes()
    only_blocked = request.GET.get("show") == "blocked"
    rows = []
    for user in collectors:
        standing = found[user.pk]
        if only_blocked and standing.plannable:
            continue
        rows.append({"user": user, "teams": [team.code for team in user.teams.all()], "standing": standing,
                     "reason": reason_label(standing.reason),
                     "missing": [code for code in required if code not in standing.passed_courses],
                     "soon": standing.plannable and standing.expires_on is not None
                     and (standing.expires_on - day).days <= certificate_notice_days()})
    blocked = sum(not found[user.pk].plannable for user in collectors)
    return render(request, "web/training/standing.html", {
        "rows": rows, "day": day, "blocked": blocked, "total": len(collectors), "only_blocked": only_blocked,
        "required": required, "notices": list(notices_for(request.user)[:20]), "notice_days": certificate_notice_days(),
    })


@require_POST
@allowed(user_oversees_training)
def certificate_revocation(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    try:
        certificate_revoke(certificate=certificate, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Certificate %(number)s revoked: %(user)s is no longer planned.") % {
            "number": certificate.number, "user": certificate.user.username})
    return redirect("web:training-standing")


@require_GET
@login_required
def case_library(request: HttpRequest) -> HttpResponse:
    curates = user_may_curate_cases(request.user)
    cases = training_cases_for(request.user)
    result = request.GET.get("result", "")
    if result in TrainingCase.Result.values:
        cases = cases.filter(result=result)
    return render(request, "web/training/cases.html", {"cases": cases[:200], "curates": curates, "result": result})


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = training_case_get(case_id=case_id, user=request.user)
    except DomainError as error:
        raise Http404(str(error)) from error
    curates = user_may_curate_cases(request.user)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "save":
                case = case_update(case=case, by=request.user, **{
                    name: request.POST.get(name, "") for name in
                    ("title", "situation", "lessons_learnt", "result", "arrears_reason")})
                messages.success(request, _("Saved. Personal data typed in is removed on saving."))
            elif action == "publish":
                case = case_publish(case=case, by=request.user)
                messages.success(request, _("Published: the case can now be used in lessons and questions."))
            elif action == "withdraw":
                case = case_withdraw(case=case, by=request.user)
            elif action == "attach":
                lesson_id, question_id = request.POST.get("lesson"), request.POST.get("question")
                lesson = question = None
                if lesson_id:
                    lesson = Lesson.objects.filter(pk=lesson_id).first()
                if question_id:
                    question = Question.objects.filter(pk=question_id).first()
                case_attach(case=case, by=request.user, lesson=lesson, question=question)
                messages.success(request, _("Attached."))
            else:
                raise Http404
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("web:training-case", case_id=case.pk)
    return render(request, "web/training/case.html", {
        "case": case, "facts": _facts(case), "curates": curates,
        "editable": curates and case.status != TrainingCase.Status.PUBLISHED,
        "reasons": Visit.ArrearsReason.choices, "results": TrainingCase.Result.choices,
        "lessons": Lesson.objects.select_related("course").order_by("course__order", "order") if curates else [],
        "questions": Question.objects.filter(is_active=True).select_related("course") if curates else [],
        "used_in": [*Lesson.objects.filter(cases=case).select_related("course"),
                    *Question.objects.filter(case=case).select_related("course")],
    })


@require_POST
@allowed(user_may_curate_cases)
def case_from_visit_page(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visits_for_user(user=request.user).filter(pk=visit_id).select_related("borrower").first()
    if visit is None:
        raise Http404
    try:
        case = case_from_visit(visit=visit, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:borrower", external_id=visit.borrower.external_id)
    messages.success(request, _("Draft case made with personal data removed: review it before publishing."))
    return redirect("web:training-case", case_id=case.pk)

