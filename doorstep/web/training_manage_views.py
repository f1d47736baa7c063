"""Trainers edit courses, lessons and question banks in the console; overseers read the training
analytics.

Every write goes through doorstep.training.services; a refused or invalid change shows the
service's reason on the form and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doorstep.common.errors import DomainError, NotFound
from doorstep.common.i18n import active_language
from doorstep.training.analytics import (
    OutcomesReport,
    Tenure,
    course_rows,
    default_period,
    field_outcomes,
    team_training,
    teams_for,
)
from doorstep.training.core.markup import PLACEHOLDER, MarkupError, Resolver, check
from doorstep.training.core.markup import render as render_markup
from doorstep.training.models import Course, Lesson, Question
from doorstep.training.selectors import (
    course_get,
    courses_for,
    lesson_resolver,
    user_may_edit_courses,
    user_oversees_training,
)
from doorstep.training.services import course_save, lesson_save, question_save
from doorstep.training.services.courses import COURSE_FIELDS, LESSON_FIELDS, QUESTION_FIELDS
from doorstep.web.charts import bar_chart
from doorstep.web.training_forms import (
    ActiveForm,
    CourseForm,
    LessonForm,
    PeriodForm,
    PreviewForm,
    QuestionForm,
    choice_formset,
)
from doorstep.web.views import allowed

STATUS_FOR_CODE = {"forbidden": 403, "not_found": 404, "conflict": 409}


def _status(problem: DomainError) -> int:
    return STATUS_FOR_CODE.get(problem.code, 400)


def _course(request: HttpRequest, code: str) -> Course:
    try:
        return course_get(code=code, user=request.user)
    except NotFound as problem:
        raise Http404(problem.message) from problem


def _lesson(course: Course, lesson_id: int) -> Lesson:
    # Reached only through a course the person may edit (course_get above).
    lesson = course.lessons.filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404(f"no lesson {lesson_id} in course {course.code}")
    return lesson


def _question(course: Course, question_id: int) -> Question:
    question = course.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404(f"no question {question_id} in course {course.code}")
    return question


def _refuse(form: Any, problem: DomainError) -> None:
    """The service's message, under the field it names when the form has that field."""
    field = problem.details.get("field") if isinstance(problem.details, dict) else None
    form.add_error(field if field in form.fields else None, problem.message)


# --- the course list and a course ---------------------------------------------------------------

@require_GET
@allowed(user_may_edit_courses)
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "web/training/manage/list.html", {
        "rows": course_rows(courses_for(request.user)), "may_see_analytics": user_oversees_training(request.user)})


def _course_page(request: HttpRequest, *, course: Course | None, form: CourseForm, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"course": course, "form": form}
    if course is not None:
        context.update(lessons=list(course.lessons.order_by("order", "id")),
                       questions=list(course.questions.prefetch_related("choices").order_by("-is_active", "id")),
                       active_form=ActiveForm())
        context["active_questions"] = sum(question.is_active for question in context["questions"])
    return render(request, "web/training/manage/course.html", context, status=status)


@require_http_methods(["GET", "POST"])
@allowed(user_may_edit_courses)
def course_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # Unpublished to start with: a published course needs its question bank first.
        return _course_page(request, course=None, form=CourseForm(new=True, initial={
            "order": 100, "is_required": True, "is_published": False, "pass_mark": 80, "questions_per_attempt": 8,
            "max_attempts": 3, "retry_wait_minutes": 30, "lockout_hours": 24,
            "time_limit_minutes": 30}))
    form = CourseForm(request.POST, new=True)
    if not form.is_valid():
        return _course_page(request, course=None, form=form, status=400)
    try:
        course = course_save(by=request.user, code=form.cleaned_data["code"], **form.service_data())
    except DomainError as problem:
        _refuse(form, problem)
        return _course_page(request, course=None, form=form, status=_status(problem))
    messages.success(request, _("Course %(code)s created. Add its lessons and questions, then publish it.")
                     % {"code": course.code})
    return redirect("web:training-manage-course", code=course.code)


@require_http_methods(["GET", "POST"])
@allowed(user_may_edit_courses)
def course_edit(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(request, code)
    if request.method != "POST":
        initial = {name: getattr(course, name) for name in COURSE_FIELDS}
        return _course_page(request, course=course, form=CourseForm(initial=initial))
    form = CourseForm(request.POST)
    if not form.is_valid():
        return _course_page(request, course=course, form=form, status=400)
    try:
        course_save(by=request.user, course=course, **form.service_data())
    except DomainError as problem:
        _refuse(form, problem)
        # The service set the values on the row it was given before refusing; show the stored ones.
        return _course_page(request, course=_course(request, code), form=form, status=_status(problem))
    messages.success(request, _("Course saved."))
    return redirect("web:training-manage-course", code=course.code)


# --- lessons and the markup preview --------------------------------------------------------------

def _shown_param(resolver: Resolver, name: str, language: str) -> str:
    try:
        return resolver.param(name, 0, language)
    except MarkupError:
        return str(resolver.params[name])


def _markup_help(resolver: Resolver) -> dict[str, Any]:
    language = active_language()
    return {
        "params": [(name, _shown_param(resolver, name, language)) for name in sorted(resolver.params)],
        "rules": [(rule_id, resolver.rule(rule_id, language)) for rule_id in sorted(resolver.rule_titles)],
    }


def _flag_unknown(text: str, resolver: Resolver) -> str:
    """Placeholders the resolver cannot fill written as ⟦…⟧, so the rest of the text still renders."""

    def keep_or_flag(match: re.Match[str]) -> str:
        if check(match.group(0), resolver):
            return f"⟦{match.group(0)[2:-2]}⟧"
        return match.group(0)

    return PLACEHOLDER.sub(keep_or_flag, text)


def _preview(body_en: str, body_zh: str) -> list[dict[str, Any]]:
    resolver = lesson_resolver()
    previews = []
    for label, language, text in ((_("English"), "en", body_en), (_("Chinese"), "zh", body_zh)):
        # `render` escapes the text before applying the markup: its output is safe to show as HTML.
        html: SafeString = mark_safe(render_markup(_flag_unknown(text, resolver), resolver, language))  # noqa: S308
        previews.append({"label": label, "language": "zh-Hans" if language == "zh" else "en", "html": html,
                         "problems": check(text, resolver)})
    return previews


def _lesson_page(request: HttpRequest, *, course: Course, lesson: Lesson | None, form: LessonForm,
                 status: int = 200, preview: list[dict[str, Any]] | None = None) -> HttpResponse:
    return render(request, "web/training/manage/lesson.html", {
        "course": course, "lesson": lesson, "form": form, "help": _markup_help(lesson_resolver()),
        "previews": preview}, status=status)


@require_http_methods(["GET", "POST"])
@allowed(user_may_edit_courses)
def lesson_edit(request: HttpRequest, code: str, lesson_id: int | None = None) -> HttpResponse:
    course = _course(request, code)
    lesson = _lesson(course, lesson_id) if lesson_id is not None else None
    new = lesson is None
    if request.method != "POST":
        if lesson is None:
            initial: dict[str, Any] = {"order": course.lessons.count() + 1}
        else:
            initial = {name: getattr(lesson, name) for name in LESSON_FIELDS}
        form = LessonForm(new=new, initial=initial)
        return _lesson_page(request, course=course, lesson=lesson, form=form,
                            preview=_preview(lesson.body_en, lesson.body_zh) if lesson else None)
    form = LessonForm(request.POST, new=new)
    if not form.is_valid():
        return _lesson_page(request, course=course, lesson=lesson, form=form, status=400)
    data = form.service_data()
    if request.POST.get("action") == "preview":  # without JavaScript: show the preview, save nothing
        return _lesson_page(request, course=course, lesson=lesson, form=form,
                            preview=_preview(data["body_en"], data["body_zh"]))
    try:
        if lesson is None:
            lesson = lesson_save(by=request.user, course=course, key=form.cleaned_data["key"], **data)
        else:
            lesson_save(by=request.user, course=course, lesson=lesson, **data)
    except DomainError as problem:
        _refuse(form, problem)
        return _lesson_page(request, course=course, lesson=None if new else _lesson(course, lesson_id or 0),
                            form=form, status=_status(problem), preview=_preview(data["body_en"], data["body_zh"]))
    messages.success(request, _("Lesson saved."))
    return redirect("web:training-manage-lesson", code=course.code, lesson_id=lesson.pk)


@require_POST
@allowed(user_may_edit_courses)
def lesson_preview(request: HttpRequest) -> HttpResponse:
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return render(request, "web/training/manage/_preview.html",
                      {"error": " ".join(str(message) for errors in form.errors.values() for message in errors)},
                      status=400)
    return render(request, "web/training/manage/_preview.html",
                  {"previews": _preview(form.cleaned_data["body_en"], form.cleaned_data["body_zh"])})


# --- questions -----------------------------------------------------------------------------------

def _question_page(request: HttpRequest, *, course: Course, question: Question | None, form: QuestionForm,
                   choices: Any, status: int = 200) -> HttpResponse:
    return render(request, "web/training/manage/question.html", {
        "course": course, "question": question, "form": form, "choices": choices,
        "help": _markup_help(lesson_resolver())}, status=status)


def _choice_rows(choices: Any) -> list[dict[str, Any]]:
    return [{"text_en": row.cleaned_data.get("text_en", ""), "text_zh": row.cleaned_data.get("text_zh", ""),
             "is_correct": bool(row.cleaned_data.get("is_correct"))} for row in choices.forms]


@require_http_methods(["GET", "POST"])
@allowed(user_may_edit_courses)
def question_edit(request: HttpRequest, code: str, question_id: int | None = None) -> HttpResponse:
    course = _course(request, code)
    question = _question(course, question_id) if question_id is not None else None
    new = question is None
    if request.method != "POST":
        if question is None:
            form = QuestionForm(new=True, initial={"is_active": True})
            choices = choice_formset()
        else:
            form = QuestionForm(initial={name: getattr(question, name) for name in QUESTION_FIELDS})
            choices = choice_formset(initial=[{"text_en": choice.text_en, "text_zh": choice.text_zh,
                                               "is_correct": choice.is_correct}
                                              for choice in question.choices.order_by("order", "id")])
        return _question_page(request, course=course, question=question, form=form, choices=choices)
    form = QuestionForm(request.POST, new=new)
    choices = choice_formset(data=request.POST)
    if not form.is_valid() or not choices.is_valid():
        return _question_page(request, course=course, question=question, form=form, choices=choices, status=400)
    try:
        if question is None:
            question = question_save(by=request.user, course=course, key=form.cleaned_data["key"],
                                     choices=_choice_rows(choices), **form.service_data())
        else:
            question_save(by=request.user, course=course, question=question, choices=_choice_rows(choices),
                          **form.service_data())
    except DomainError as problem:
        _refuse(form, problem)
        return _question_page(request, course=course, question=None if new else _question(course, question_id or 0),
                              form=form, choices=choices, status=_status(problem))
    messages.success(request, _("Question saved."))
    return redirect("web:training-manage-question", code=course.code, question_id=question.pk)


@require_POST
@allowed(user_may_edit_courses)
def question_active(request: HttpRequest, code: str, question_id: int) -> HttpResponse:
    """Retire a question from the bank or put it back; answers already given keep pointing at it."""
    course = _course(request, code)
    question = _question(course, question_id)
    form = ActiveForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = _("Choose to retire the question or to put it back."), 400
    else:
        current = [{"text_en": choice.text_en, "text_zh": choice.text_zh, "is_correct": choice.is_correct}
                   for choice in question.choices.order_by("order", "id")]
        try:
            question_save(by=request.user, course=course, question=question, choices=current,
                          is_active=form.cleaned_data["is_active"])
        except DomainError as problem:
            error, status = problem.message, _status(problem)
        question = _question(course, question_id)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("web:training-manage-course", code=course.code)
    return render(request, "web/training/manage/_question.html",
                  {"course": course, "question": question, "error": error}, status=status)


# --- analytics -----------------------------------------------------------------------------------

def _tenure_label(tenure: Tenure, recent_days: int) -> str:
    if tenure is Tenure.CERTIFIED:
        return _("Certified for %(days)s days or more") % {"days": recent_days}
    if tenure is Tenure.RECENT:
        return _("Recently certified (under %(days)s days)") % {"days": recent_days}
    return _("Without a valid certificate")


def _outcome_charts(outcomes: OutcomesReport) -> dict[str, SafeString]:
    measured = [group for group in outcomes.groups if group.visits]
    short = {Tenure.CERTIFIED: _("certified"), Tenure.RECENT: _("recent"), Tenure.UNCERTIFIED: _("uncertified")}
    complaints = bar_chart([f"{short[group.tenure]} (n={group.visits})" for group in measured],
                           [group.complaints_per_100_visits or 0.0 for group in measured],
                           title=_("Complaints per 100 visits"))
    kept_groups = [group for group in measured if group.kept.whole]
    kept = bar_chart([f"{short[group.tenure]} (n={group.kept.whole})" for group in kept_groups],
                     [group.kept.percent or 0.0 for group in kept_groups], title=_("Promises kept (%)"), unit="%")
    return {"complaints": complaints, "kept": kept}


@require_GET
@allowed(user_oversees_training)
def analytics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    period = default_period(today)
    status = 200
    if "from_on" in request.GET or "to_on" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            period = form.period()
        else:
            status = 400
    else:
        form = PeriodForm(initial={"from_on": period.from_on, "to_on": period.to_on})
    teams = teams_for(request.user)
    report = team_training(teams=teams, period=period, today=today)
    outcomes = field_outcomes(teams=teams, period=period, today=today)
    certified_chart = bar_chart([row.team.code for row in report.teams],
                                [row.certified.percent or 0.0 for row in report.teams],
                                title=_("Members certified today (%)"), unit="%")
    return render(request, "web/training/analytics.html", {
        "form": form, "period": period, "today": today, "report": report, "outcomes": outcomes,
        "team_rows": [(row, list(zip(report.courses, row.completion, strict=True))) for row in report.teams],
        "groups": [(group, _tenure_label(group.tenure, outcomes.recent_days)) for group in outcomes.groups],
        "certified_chart": certified_chart, "charts": _outcome_charts(outcomes), "chinese": active_language() == "zh",
        "may_edit": user_may_edit_courses(request.user),
    }, status=status)
