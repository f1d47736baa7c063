"""Courses as trainers edit them, and the built-in set that ships with the product."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from doorstep.common.audit import audit_append
from doorstep.common.errors import InvalidInput, NotPermitted
from doorstep.training.core.content import BuiltinCourse
from doorstep.training.core.markup import check
from doorstep.training.models import Attempt, Choice, Course, Lesson, Question
from doorstep.training.selectors import lesson_resolver, user_may_edit_courses

COURSE_FIELDS = ("title_en", "title_zh", "summary_en", "summary_zh", "order", "is_required", "is_published",
                 "pass_mark", "questions_per_attempt", "max_attempts", "retry_wait_minutes", "lockout_hours",
                 "time_limit_minutes")
LESSON_FIELDS = ("title_en", "title_zh", "body_en", "body_zh", "order")
QUESTION_FIELDS = ("text_en", "text_zh", "explanation_en", "explanation_zh", "is_multiple", "is_active")


def builtin_courses_install(courses: Iterable[BuiltinCourse], *, models: Any = None) -> int:
    """Create the built-in courses, lessons and questions that are missing; never overwrite what a
    trainer has edited. `models` is (Course, Lesson, Question, Choice), historical ones in a
    migration. Returns how many rows were created."""
    course_model, lesson_model, question_model, choice_model = models or (Course, Lesson, Question, Choice)
    created = 0
    for item in courses:
        course, made = course_model.objects.get_or_create(code=item.code, defaults={
            "title_en": item.title[0], "title_zh": item.title[1], "summary_en": item.summary[0],
            "summary_zh": item.summary[1], "order": item.order, "is_required": item.required,
            "pass_mark": item.pass_mark, "questions_per_attempt": item.questions_per_attempt, "builtin": True})
        created += made
        for number, lesson in enumerate(item.lessons, start=1):
            _, made = lesson_model.objects.get_or_create(course=course, key=lesson.key, defaults={
                "order": number, "title_en": lesson.title[0], "title_zh": lesson.title[1],
                "body_en": lesson.body[0], "body_zh": lesson.body[1]})
            created += made
        for question in item.questions:
            row, made = question_model.objects.get_or_create(course=course, key=question.key, defaults={
                "is_multiple": question.multiple, "text_en": question.text[0], "text_zh": question.text[1],
                "explanation_en": question.explanation[0], "explanation_zh": question.explanation[1]})
            created += made
            if made:
                choice_model.objects.bulk_create([choice_model(
                    question=row, order=number, text_en=choice.text[0], text_zh=choice.text[1],
                    is_correct=choice.correct) for number, choice in enumerate(question.choices, start=1)])
                created += len(question.choices)
    return created


def _editor(user: Any) -> None:
    if not user_may_edit_courses(user):
        raise NotPermitted("only trainers and administrators edit courses")


def _placeholders_ok(**texts: str) -> None:
    resolver = lesson_resolver()
    for name, text in texts.items():
        problems = check(text, resolver)
        if problems:
            raise InvalidInput(f"{name}: {'; '.join(problems)}", details={"field": name})


def _apply(row: Any, fields: tuple[str, ...], data: dict[str, Any]) -> list[str]:
    unknown = set(data) - set(fields)
    if unknown:
        raise InvalidInput(f"unknown fields: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in data.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def course_save(*, by: Any, course: Course | None = None, code: str = "", **data: Any) -> Course:
    """Create (with `code`) or edit a course."""
    _editor(by)
    if course is None:
        if not code or Course.objects.filter(code=code).exists():
            raise InvalidInput(f"course code {code!r} is empty or taken", details={"field": "code"})
        course = Course(code=code)
    changed = _apply(course, COURSE_FIELDS, data)
    if not course.title_en.strip() or not course.title_zh.strip():
        raise InvalidInput("a course needs a title in English and in Chinese", details={"field": "title_en"})
    if not 1 <= course.pass_mark <= 100:
        raise InvalidInput("the pass mark is a percentage from 1 to 100", details={"field": "pass_mark"})
    if course.questions_per_attempt < 1 or course.max_attempts < 1:
        raise InvalidInput("an attempt draws at least one question and a course allows at least one attempt",
                           details={"field": "questions_per_attempt"})
    active = course.questions.filter(is_active=True).count() if course.pk else 0
    if course.is_published and active < course.questions_per_attempt:
        raise InvalidInput(f"a published course needs at least {course.questions_per_attempt} active questions; "
                           f"it has {active}", details={"field": "is_published"})
    course.save()
    audit_append(actor=by, action="training.course_save", subject=course, data={"changed": changed})
    return course


@transaction.atomic
def lesson_save(*, by: Any, course: Course, lesson: Lesson | None = None, key: str = "", **data: Any) -> Lesson:
    _editor(by)
    if lesson is None:
        if not key or Lesson.objects.filter(course=course, key=key).exists():
            raise InvalidInput(f"lesson key {key!r} is empty or taken in this course", details={"field": "key"})
        lesson = Lesson(course=course, key=key, order=course.lessons.count() + 1)
    changed = _apply(lesson, LESSON_FIELDS, data)
    for name in ("title_en", "title_zh", "body_en", "body_zh"):
        if not str(getattr(lesson, name)).strip():
            raise InvalidInput(f"{name} is empty: a lesson has a title and text in both languages",
                               details={"field": name})
    _placeholders_ok(body_en=lesson.body_en, body_zh=lesson.body_zh)
    lesson.save()
    audit_append(actor=by, action="training.lesson_save", subject=lesson, data={"changed": changed})
    return lesson


@transaction.atomic
def question_save(*, by: Any, course: Course, choices: list[dict[str, Any]], question: Question | None = None,
                  key: str = "", **data: Any) -> Question:
    """Create or edit a question with its whole list of choices."""
    _editor(by)
    if question is None:
        if not key or Question.objects.filter(course=course, key=key).exists():
            raise InvalidInput(f"question key {key!r} is empty or taken in this course", details={"field": "key"})
        question = Question(course=course, key=key)
    changed = _apply(question, QUESTION_FIELDS, data)
    for name in ("text_en", "text_zh", "explanation_en", "explanation_zh"):
        if not str(getattr(question, name)).strip():
            raise InvalidInput(f"{name} is empty", details={"field": name})
    rows = [choice for choice in choices if str(choice.get("text_en", "")).strip() or
            str(choice.get("text_zh", "")).strip()]
    if len(rows) < 2:
        raise InvalidInput("a question needs at least two answers", details={"field": "choices"})
    if any(not str(row.get("text_en", "")).strip() or not str(row.get("text_zh", "")).strip() for row in rows):
        raise InvalidInput("every answer needs English and Chinese text", details={"field": "choices"})
    right = sum(bool(row.get("is_correct")) for row in rows)
    if question.is_multiple and (right < 2 or right == len(rows)):
        raise InvalidInput("a multiple-choice question needs at least two right answers and one wrong",
                           details={"field": "choices"})
    if not question.is_multiple and right != 1:
        raise InvalidInput("a single-choice question needs exactly one right answer", details={"field": "choices"})
    # Explanations are shown after an attempt through the same markup: a bad placeholder there would
    # only fail when a collector reads the result.
    _placeholders_ok(text_en=question.text_en, text_zh=question.text_zh, explanation_en=question.explanation_en,
                     explanation_zh=question.explanation_zh,
                     **{f"choice_{number}": f"{row['text_en']} {row['text_zh']}" for number, row in enumerate(rows)})
    _bank_still_drawable(question)
    existing = list(question.choices.order_by("order", "id")) if question.pk else []
    if existing and _answered(question):
        # Stored answers point at these choices: rewording keeps them; changing what is right
        # would re-mark history, so that takes a new question.
        if [choice.is_correct for choice in existing] != [bool(row.get("is_correct")) for row in rows]:
            raise InvalidInput("this question has been answered: reword its answers, or retire it and add a new "
                               "one to change which answers are right", details={"field": "choices"})
        question.save()
        for choice, row in zip(existing, rows, strict=True):
            choice.text_en, choice.text_zh = str(row["text_en"]).strip(), str(row["text_zh"]).strip()
            choice.save(update_fields=["text_en", "text_zh"])
        audit_append(actor=by, action="training.question_save", subject=question, data={"changed": changed})
        return question
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create([Choice(question=question, order=number, text_en=str(row["text_en"]).strip(),
                                       text_zh=str(row["text_zh"]).strip(), is_correct=bool(row.get("is_correct")))
                                for number, row in enumerate(rows, start=1)])
    audit_append(actor=by, action="training.question_save", subject=question,
                 data={"changed": changed, "choices": len(rows)})
    return question


def _bank_still_drawable(question: Question) -> None:
    """Retiring a question must not leave a published course with fewer active questions than an
    attempt draws (course_save keeps the same rule): its quiz could no longer start."""
    course = question.course
    if question.is_active or not course.is_published or question.pk is None:
        return
    if not Question.objects.filter(pk=question.pk, is_active=True).exists():
        return  # already retired: nothing leaves the bank
    others = course.questions.filter(is_active=True).exclude(pk=question.pk).count()
    if others < course.questions_per_attempt:
        raise InvalidInput(f"a published course needs at least {course.questions_per_attempt} active questions; "
                           f"retiring this one would leave {others}: add a question first or unpublish the course",
                           details={"field": "is_active"})


def _answered(question: Question) -> bool:
    return any(question.pk in ids for ids in Attempt.objects.filter(course_id=question.course_id).values_list(
        "question_ids", flat=True).iterator())
