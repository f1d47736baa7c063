"""Reads for training: who may do what, the lesson resolver, courses for a person, standing
(certified and plannable or not, and why), notices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from doorstep.accounts.models import Role, User
from doorstep.accounts.selectors import user_has_role
from doorstep.common.errors import NotFound, NotPermitted
from doorstep.compliance.core.catalogue import RULES
from doorstep.compliance.selectors import engine_for_lender
from doorstep.training.core.markup import Resolver, resolve
from doorstep.training.core.quiz import Gate, PastAttempt, QuizRules, certificate_valid, gate
from doorstep.training.models import Attempt, Certificate, Course, Notice, TrainingCase

TRAINER_ROLES = frozenset({Role.ADMIN, Role.TRAINER})
# Supervisors turn visits into cases and review them; trainers review and publish too.
CASE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.TRAINER})
OVERSIGHT_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.TRAINER, Role.COMPLIANCE})
# Catalogue titles that spell out a number the lender may tighten: in lessons they are written with
# the enforced value instead, so a lesson never shows a number the engine does not apply.
PARAMETERISED_TITLES = {
    "CN-HOURS": ("No collection at night ([[param:day_ends_at]]–[[param:day_starts_at]])",
                 "禁止夜间催收（[[param:day_ends_at]]–[[param:day_starts_at]]）"),
    "CN-CALL-CONNECT": ("At most [[param:connected_calls_per_day]] connected calls per debtor per day",
                        "每名债务人每日接通不超过 [[param:connected_calls_per_day]] 次"),
    "CN-CALL-ATTEMPT": ("At most [[param:attempts_per_number_per_day]] dial attempts per number per day",
                        "每个号码每日拨打不超过 [[param:attempts_per_number_per_day]] 次"),
    "CN-VISIT-2P": ("At least [[param:visit_min_team]] collectors per visit",
                    "上门至少 [[param:visit_min_team]] 人"),
    "DS-VISIT-FREQ": ("At most [[param:visits_per_30_days]] visit(s) in 30 days (policy)",
                      "30 天内最多上门 [[param:visits_per_30_days]] 次（政策）"),
}


def certificate_valid_days() -> int:
    return int(getattr(settings, "DOORSTEP_CERTIFICATE_VALID_DAYS", 365))


def certificate_notice_days() -> int:
    return int(getattr(settings, "DOORSTEP_CERTIFICATE_NOTICE_DAYS", 30))


def user_may_edit_courses(user: Any) -> bool:
    return user_has_role(user, TRAINER_ROLES) and user.agency_id is None


def user_may_curate_cases(user: Any) -> bool:
    return user_has_role(user, CASE_ROLES)


def user_oversees_training(user: Any) -> bool:
    return user_has_role(user, OVERSIGHT_ROLES)


def lesson_resolver() -> Resolver:
    """Rule titles and the CN pack's parameters as this lender's engine enforces them."""
    params = {name: param.value for name, param in engine_for_lender().packs["CN"].params.items()}
    plain = Resolver(rule_titles={}, params=params)
    titles = {}
    for rule_id, info in RULES.items():
        if rule_id in PARAMETERISED_TITLES:
            english, chinese = PARAMETERISED_TITLES[rule_id]
            titles[rule_id] = (resolve(english, plain, "en"), resolve(chinese, plain, "zh"))
        else:
            titles[rule_id] = (info.title_en, info.title_zh)
    return Resolver(rule_titles=titles, params=params)


def course_get(*, code: str, user: Any) -> Course:
    course = Course.objects.filter(code=code).first()
    if course is None or (not course.is_published and not user_may_edit_courses(user)):
        raise NotFound(f"no course {code}")
    return course


def courses_for(user: Any) -> QuerySet[Course]:
    courses = Course.objects.all()
    return courses if user_may_edit_courses(user) else courses.filter(is_published=True)


def attempt_get(*, attempt_id: int, user: Any) -> Attempt:
    attempt = Attempt.objects.select_related("course", "user").filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound(f"no attempt {attempt_id}")
    if attempt.user_id != user.pk and not (
            user_oversees_training(user) and (user.agency_id is None or user.agency_id == attempt.user.agency_id)):
        raise NotPermitted("this attempt is someone else's")
    return attempt


def quiz_rules(course: Course) -> QuizRules:
    return QuizRules(pass_mark=course.pass_mark, questions_per_attempt=course.questions_per_attempt,
                     max_attempts=course.max_attempts, retry_wait=timedelta(minutes=course.retry_wait_minutes),
                     lockout=timedelta(hours=course.lockout_hours))


def attempt_gate(*, user: Any, course: Course, now: Any) -> Gate:
    history = [PastAttempt(submitted_at, passed) for submitted_at, passed in Attempt.objects.filter(
        user=user, course=course, submitted_at__isnull=False).values_list("submitted_at", "is_passed")
        if submitted_at is not None]
    return gate(history, quiz_rules(course), now)


def required_course_codes() -> list[str]:
    return list(Course.objects.filter(is_required=True, is_published=True).values_list("code", flat=True))


@dataclass
class Standing:
    """A collector's certificate standing on a day: planned only when `plannable`."""

    user_id: int
    plannable: bool
    reason: str  # certified | no_certificate | expired | revoked
    certificate: Certificate | None = None
    expires_on: date | None = None
    passed_courses: list[str] = field(default_factory=list)  # required courses passed in the current window


def standings(user_ids: Iterable[int], day: date) -> dict[int, Standing]:
    """Everyone's standing on `day` in three queries, for the planner and the supervisors' page."""
    ids = list(dict.fromkeys(user_ids))
    result = {user_id: Standing(user_id, False, "no_certificate") for user_id in ids}
    latest: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(user_id__in=ids, issued_on__lte=day).order_by(
            "user_id", "-issued_on", "-id"):
        if certificate_valid(certificate.issued_on, certificate.expires_on, certificate.revoked_at is not None, day):
            standing = result[certificate.user_id]
            if not standing.plannable or (standing.expires_on and certificate.expires_on > standing.expires_on):
                result[certificate.user_id] = Standing(certificate.user_id, True, "certified", certificate,
                                                       certificate.expires_on)
        latest.setdefault(certificate.user_id, certificate)
    for user_id, certificate in latest.items():
        if not result[user_id].plannable:
            reason = "revoked" if certificate.revoked_at is not None else "expired"
            result[user_id] = Standing(user_id, False, reason, certificate, certificate.expires_on)
    since = day - timedelta(days=certificate_valid_days())
    required = set(required_course_codes())
    # order_by(): Attempt's default ordering would add started_at and id to the SELECT DISTINCT and
    # list a course passed twice twice.
    for user_id, code in Attempt.objects.filter(user_id__in=ids, is_passed=True, submitted_at__date__gte=since,
                                                course__code__in=required).order_by().values_list(
            "user_id", "course__code").distinct():
        result[user_id].passed_courses.append(code)
    return result


def collectors_overseen(user: Any) -> QuerySet[User]:
    """The collectors a supervisor answers for: the lender's own staff see every collector, an
    agency's supervisor only the agency's."""
    collectors = User.objects.filter(role=Role.COLLECTOR, is_active=True)
    if user.agency_id is not None:
        collectors = collectors.filter(agency_id=user.agency_id)
    return collectors.order_by("username")


def notices_for(user: Any, *, unread_only: bool = True) -> QuerySet[Notice]:
    notices = Notice.objects.filter(recipient=user).select_related("certificate", "certificate__user")
    return notices.filter(read_at__isnull=True) if unread_only else notices


def training_cases_for(user: Any) -> QuerySet[TrainingCase]:
    """Published cases for everyone; curators also see drafts and withdrawn ones."""
    cases = TrainingCase.objects.all()
    return cases if user_may_curate_cases(user) else cases.filter(status=TrainingCase.Status.PUBLISHED)


def training_case_get(*, case_id: int, user: Any) -> TrainingCase:
    case = training_cases_for(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"no training case {case_id}")
    return case
