"""Back-office views of training: read-only, since doorstep.training.services is the only writer
(validation, placeholders checked, every write audited); trainers edit courses in the console."""

from __future__ import annotations

from django.contrib import admin

from doorstep.common.admin import ReadOnlyAdmin
from doorstep.training.models import Attempt, Certificate, Choice, Course, Lesson, Notice, Question, TrainingCase


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("code", "title_en", "title_zh", "is_required", "is_published", "pass_mark",
                    "questions_per_attempt", "max_attempts", "retry_wait_minutes", "lockout_hours")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("course", "order", "key", "title_en")
    list_filter = ("course",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("course", "key", "is_multiple", "is_active")
    list_filter = ("course", "is_active")


@admin.register(Choice)
class ChoiceAdmin(ReadOnlyAdmin):
    list_display = ("question", "order", "text_en", "is_correct")


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("user", "course", "started_at", "submitted_at", "percent", "is_passed")
    list_filter = ("course", "is_passed")
    search_fields = ("user__username",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "user", "issued_on", "expires_on", "revoked_at")
    search_fields = ("number", "user__username")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "certificate", "kind", "created_at", "read_at")
    list_filter = ("kind",)


@admin.register(TrainingCase)
class TrainingCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "status", "result", "arrears_reason", "created_at", "published_at")
    list_filter = ("status", "result")
