"""Courses, lessons and question banks; quiz attempts; certificates and their notices; the case
library made from real visits.

Rows here are written only by `doorstep.training.services`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstep.accounts.models import Team


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_required = models.BooleanField(_("required for the field certificate"), default=True)
    is_published = models.BooleanField(_("published"), default=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    questions_per_attempt = models.PositiveSmallIntegerField(_("questions per attempt"), default=8)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts before a lock-out"), default=3,
        help_text=_("Failed attempts in a row after which the course locks for the lock-out time."))
    retry_wait_minutes = models.PositiveIntegerField(_("wait after a failed attempt (minutes)"), default=30)
    lockout_hours = models.PositiveIntegerField(_("lock-out after the last allowed attempt (hours)"), default=24)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=30,
        help_text=_("An attempt not submitted in time counts as failed; 0 for no limit."))
    builtin = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="course_pass_mark_percent"),
            models.CheckConstraint(condition=Q(questions_per_attempt__gte=1), name="course_draws_questions"),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="course_allows_an_attempt"),
        ]

    def __str__(self) -> str:
        return self.title_en


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    body_zh = models.TextField(_("text (Chinese)"))
    cases: models.ManyToManyField[TrainingCase, Any] = models.ManyToManyField(
        "TrainingCase", verbose_name=_("cases"), related_name="lessons", blank=True)

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="lesson_key_per_course")]

    def __str__(self) -> str:
        return self.title_en


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    is_multiple = models.BooleanField(_("several answers are right"), default=False)
    text_en = models.TextField(_("question (English)"))
    text_zh = models.TextField(_("question (Chinese)"))
    explanation_en = models.TextField(_("explanation (English)"))
    explanation_zh = models.TextField(_("explanation (Chinese)"))
    is_active = models.BooleanField(_("in the bank"), default=True)
    case = models.ForeignKey("TrainingCase", verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="questions")

    class Meta:
        ordering = ["course", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="question_key_per_course")]

    def __str__(self) -> str:
        return self.key


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text_en = models.CharField(_("answer (English)"), max_length=500)
    text_zh = models.CharField(_("answer (Chinese)"), max_length=500)
    is_correct = models.BooleanField(_("right"), default=False)

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self) -> str:
        return self.text_en


class Attempt(models.Model):
    """One sitting of a course's quiz: the questions drawn for it, the answers given, the score."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attempts")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_ids = models.JSONField(default=list)  # drawn order
    choice_orders = models.JSONField(default=dict)  # question id -> choice ids in shown order
    answers = models.JSONField(default=dict)  # question id -> chosen choice ids
    correct_count = models.PositiveSmallIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    pass_mark = models.PositiveSmallIntegerField()  # the course's at the start: later edits do not move it
    is_passed = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)  # from the course's time limit at the start
    timed_out = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "course", "started_at"])]
        constraints = [
            # One open sitting per person and course: starting twice (a double tap) returns the same one.
            models.UniqueConstraint(fields=["user", "course"], condition=Q(submitted_at__isnull=True),
                                    name="attempt_one_open_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.course_id} {self.started_at:%Y-%m-%d %H:%M}"


class Certificate(models.Model):
    """The field certificate: every required course passed; it expires (CN: training every year)."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    courses = models.JSONField(_("courses"), default=list)  # [{code, attempt_id, percent, passed_at}]
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.CheckConstraint(condition=Q(expires_on__gt=models.F("issued_on")),
                                              name="certificate_expires_after_issue")]

    def __str__(self) -> str:
        return self.number


class Notice(models.Model):
    """A message about someone's certificate, to that person or their supervisor; sent once."""

    class Kind(models.TextChoices):
        EXPIRING = "expiring", _("certificate expiring")
        EXPIRED = "expired", _("certificate expired")
        ISSUED = "issued", _("certificate issued")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_notices")
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "certificate", "kind"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.certificate_id} to {self.recipient_id}"


class TrainingCase(models.Model):
    """A finished visit turned into teaching material, with personal data removed before review."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case", "draft")
        PUBLISHED = "published", pgettext_lazy("case", "published")
        WITHDRAWN = "withdrawn", pgettext_lazy("case", "withdrawn")

    class Result(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")

    source_visit = models.OneToOneField("field.Visit", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="training_case")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    title = models.CharField(_("title"), max_length=200)
    arrears_reason = models.CharField(_("reason for arrears"), max_length=20, blank=True)
    situation = models.TextField(_("situation"))  # the anonymised account of the visit
    facts = models.JSONField(default=dict)  # banded amounts, bucket, outcome, steps: no personal data
    lessons_learnt = models.TextField(_("lessons learnt"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("training case")
        verbose_name_plural = _("training cases")

    def __str__(self) -> str:
        return self.title
