"""Training API: courses and their lessons, quiz attempts, certificates and standing, notices, and
the case library. One view per operation, an input and an output serializer each.

Texts follow the request's active language (LocaleMiddleware: Accept-Language or the language
cookie): "zh-hans" gives the Chinese fields, anything else the English ones. Lesson bodies and
question texts are safe HTML (doorstep.training.core.markup.render); choices and explanations are
plain text with the placeholders resolved, to be escaped by the client.

Protected rows are reached through the training selectors; the services decide who may write what
(domain errors become HTTP in doorstep.common.apis.exception_handler).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from doorstep.accounts.models import Team
from doorstep.common.errors import InvalidInput, NotFound, NotPermitted
from doorstep.common.i18n import Language, active_language, in_language
from doorstep.field.models import Visit
from doorstep.field.selectors import visits_for_user
from doorstep.training.core.markup import Resolver, plain, render
from doorstep.training.core.quiz import answer_correct, certificate_valid
from doorstep.training.models import Attempt, Certificate, Course, Lesson, Question, TrainingCase
from doorstep.training.selectors import (
    attempt_gate,
    attempt_get,
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
    user_oversees_training,
)
from doorstep.training.services import (
    attempt_start,
    attempt_submit,
    case_from_visit,
    case_publish,
    case_update,
    certificate_revoke,
    notice_read,
)


def _validated(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput("invalid request", details=serializer.errors)
    return dict(serializer.validated_data)


def _day(request: Request) -> date:
    raw = request.query_params.get("day", "")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise InvalidInput("day must be a date (YYYY-MM-DD)", details={"field": "day"}) from error


class ErrorOut(serializers.Serializer[Any]):
    error = serializers.CharField(help_text="invalid, forbidden, not_found or conflict")
    message = serializers.CharField()
    details = serializers.JSONField(required=False, help_text="e.g. the field at fault, or a serializer's errors")


class LockDetailsOut(serializers.Serializer[Any]):
    next_attempt_at = serializers.DateTimeField()
    reason = serializers.CharField(help_text='"wait" after a failed attempt, "lockout" after the last allowed one')


class LockedOut(serializers.Serializer[Any]):
    error = serializers.CharField()
    message = serializers.CharField()
    details = LockDetailsOut()


# --- courses -------------------------------------------------------------------------------------

class ProgressOut(serializers.Serializer[Any]):
    passed_on = serializers.DateField(allow_null=True, help_text="the day of the latest pass; null: never passed")
    attempts = serializers.IntegerField(help_text="submitted attempts")
    open_attempt = serializers.IntegerField(allow_null=True, help_text="the attempt in progress, if any")
    may_start = serializers.BooleanField(help_text="whether an attempt may start now")
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="null when an attempt may start now")
    wait_reason = serializers.CharField(allow_blank=True, help_text='"wait", "lockout", or "" when free')
    failures_in_row = serializers.IntegerField()


class CourseOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    order = serializers.IntegerField()
    is_required = serializers.BooleanField(help_text="required for the field certificate")
    is_published = serializers.BooleanField()
    pass_mark = serializers.IntegerField(help_text="percent")
    questions_per_attempt = serializers.IntegerField()
    max_attempts = serializers.IntegerField(help_text="failed attempts in a row before the lock-out")
    retry_wait_minutes = serializers.IntegerField()
    lockout_hours = serializers.IntegerField()
    time_limit_minutes = serializers.IntegerField(help_text="to send an attempt's answers; 0: no limit")
    progress = ProgressOut()


class CaseRefOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    result = serializers.CharField()


class LessonOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    html = serializers.CharField(help_text="safe HTML, rule placeholders resolved to what the engine enforces")
    cases = CaseRefOut(many=True, help_text="published training cases attached to the lesson")


class CourseDetailOut(CourseOut):
    lessons = LessonOut(many=True)


def _progress(course: Course, attempts: list[Attempt], user: Any, now: datetime) -> dict[str, Any]:
    submitted = [attempt for attempt in attempts if attempt.submitted_at is not None]
    passes = [attempt.submitted_at for attempt in submitted if attempt.is_passed and attempt.submitted_at]
    open_attempt = next((attempt.pk for attempt in attempts if attempt.submitted_at is None), None)
    admission = attempt_gate(user=user, course=course, now=now)
    return {"passed_on": timezone.localdate(max(passes)) if passes else None, "attempts": len(submitted),
            "open_attempt": open_attempt, "may_start": admission.allowed,
            "next_attempt_at": None if admission.allowed else admission.next_at,
            "wait_reason": "" if admission.allowed else admission.reason,
            "failures_in_row": admission.failures_in_row}


def _course_body(course: Course, language: Language, progress: dict[str, Any]) -> dict[str, Any]:
    return {"code": course.code, "title": in_language(course, "title", language),
            "summary": in_language(course, "summary", language), "order": course.order,
            "is_required": course.is_required, "is_published": course.is_published, "pass_mark": course.pass_mark,
            "questions_per_attempt": course.questions_per_attempt, "max_attempts": course.max_attempts,
            "retry_wait_minutes": course.retry_wait_minutes, "lockout_hours": course.lockout_hours,
            "time_limit_minutes": course.time_limit_minutes,
            "progress": progress}


def _attempts_by_course(user: Any, course_ids: Iterable[int]) -> dict[int, list[Attempt]]:
    grouped: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(user=user, course_id__in=list(course_ids)).only(
            "id", "course_id", "submitted_at", "is_passed"):
        grouped.setdefault(attempt.course_id, []).append(attempt)
    return grouped


class CourseListApi(APIView):
    @extend_schema(operation_id="training_courses", responses={200: CourseOut(many=True)})
    def get(self, request: Request) -> Response:
        """The courses for the user (published ones; trainers also see drafts) with the user's progress."""
        language, now = active_language(), timezone.now()
        courses = list(courses_for(request.user))
        attempts = _attempts_by_course(request.user, [course.pk for course in courses])
        body = [_course_body(course, language, _progress(course, attempts.get(course.pk, []), request.user, now))
                for course in courses]
        return Response(CourseOut(body, many=True).data)


class CourseApi(APIView):
    @extend_schema(operation_id="training_course", responses={200: CourseDetailOut, 404: ErrorOut})
    def get(self, request: Request, code: str) -> Response:
        """A course with its lessons rendered in the user's language."""
        course = course_get(code=code, user=request.user)
        language, resolver = active_language(), lesson_resolver()
        lessons = Lesson.objects.filter(course=course).prefetch_related(
            Prefetch("cases", queryset=TrainingCase.objects.filter(status=TrainingCase.Status.PUBLISHED)))
        attempts = _attempts_by_course(request.user, [course.pk]).get(course.pk, [])
        body = _course_body(course, language, _progress(course, attempts, request.user, timezone.now()))
        body["lessons"] = [{
            "key": lesson.key, "order": lesson.order, "title": plain(in_language(lesson, "title", language), resolver,
                                                                     language),
            "html": render(in_language(lesson, "body", language), resolver, language),
            "cases": [{"id": case.pk, "title": case.title, "result": case.result} for case in lesson.cases.all()],
        } for lesson in lessons]
        return Response(CourseDetailOut(body).data)


# --- attempts ------------------------------------------------------------------------------------

class ChoiceOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="plain text")


class QuestionResultOut(serializers.Serializer[Any]):
    chosen = serializers.ListField(child=serializers.IntegerField())
    right_choices = serializers.ListField(child=serializers.IntegerField())
    is_right = serializers.BooleanField(help_text="exactly the right choices, no partial credit")
    explanation = serializers.CharField(help_text="plain text")


class QuestionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    is_multiple = serializers.BooleanField(help_text="several answers are right")
    text_html = serializers.CharField(help_text="safe HTML")
    choices = ChoiceOut(many=True, help_text="in the order shown for this attempt")
    case = serializers.IntegerField(allow_null=True, help_text="the training case the question is about")
    result = QuestionResultOut(allow_null=True, help_text="null while the attempt is open")


class ScoreOut(serializers.Serializer[Any]):
    correct_count = serializers.IntegerField()
    asked = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="rounded down")
    is_passed = serializers.BooleanField()


class AttemptOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    course = serializers.CharField(help_text="the course's code")
    course_title = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "submitted"])
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="answers must be sent by then (null: no limit)")
    timed_out = serializers.BooleanField(help_text="closed as failed because the time ran out")
    pass_mark = serializers.IntegerField(help_text="percent, as the course had it when the attempt started")
    questions = QuestionOut(many=True, help_text="in the order drawn for this attempt")
    score = ScoreOut(allow_null=True, help_text="null while the attempt is open")


def _question_body(question: Question, attempt: Attempt, language: Language, resolver: Resolver) -> dict[str, Any]:
    choices = {choice.pk: choice for choice in question.choices.all()}
    shown = [choices[int(choice_id)] for choice_id in attempt.choice_orders.get(str(question.pk), [])
             if int(choice_id) in choices]
    result = None
    if attempt.submitted_at is not None:
        # Nothing about which answers are right leaves the server before the attempt is marked.
        chosen = {int(choice_id) for choice_id in attempt.answers.get(str(question.pk), [])}
        right = {choice.pk for choice in choices.values() if choice.is_correct}
        result = {"chosen": sorted(chosen), "right_choices": sorted(right), "is_right": answer_correct(chosen, right),
                  "explanation": plain(in_language(question, "explanation", language), resolver, language)}
    return {"id": question.pk, "is_multiple": question.is_multiple,
            "text_html": render(in_language(question, "text", language), resolver, language),
            "choices": [{"id": choice.pk, "text": plain(in_language(choice, "text", language), resolver, language)}
                        for choice in shown],
            "case": question.case_id, "result": result}


def _attempt_body(attempt: Attempt) -> dict[str, Any]:
    language, resolver = active_language(), lesson_resolver()
    drawn = [int(question_id) for question_id in attempt.question_ids]
    questions = Question.objects.filter(pk__in=drawn).prefetch_related("choices").in_bulk()
    submitted = attempt.submitted_at is not None
    return {"id": attempt.pk, "course": attempt.course.code,
            "course_title": in_language(attempt.course, "title", language),
            "status": "submitted" if submitted else "open", "started_at": attempt.started_at,
            "submitted_at": attempt.submitted_at, "expires_at": attempt.expires_at, "timed_out": attempt.timed_out,
            "pass_mark": attempt.pass_mark,
            "questions": [_question_body(questions[question_id], attempt, language, resolver)
                          for question_id in drawn if question_id in questions],
            "score": {"correct_count": attempt.correct_count, "asked": len(drawn), "percent": attempt.percent,
                      "is_passed": attempt.is_passed} if submitted else None}


class AttemptStartApi(APIView):
    @extend_schema(operation_id="training_attempt_start", request=None,
                   responses={201: AttemptOut, 200: AttemptOut, 400: ErrorOut, 404: ErrorOut, 409: LockedOut})
    def post(self, request: Request, code: str) -> Response:
        """Start an attempt at the course's quiz, or return the one already open (200). Refused with 409,
        `next_attempt_at` and the reason while the user waits after a failure or is locked out."""
        course = course_get(code=code, user=request.user)
        now = timezone.now()
        attempt = attempt_start(user=request.user, course=course, now=now)
        created = attempt.started_at == now
        return Response(AttemptOut(_attempt_body(attempt)).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AttemptApi(APIView):
    @extend_schema(operation_id="training_attempt", responses={200: AttemptOut, 403: ErrorOut, 404: ErrorOut})
    def get(self, request: Request, attempt_id: int) -> Response:
        """An attempt: while open its questions and choices only; once submitted the score and, per
        question, what was chosen, what was right and why."""
        attempt = attempt_get(attempt_id=attempt_id, user=request.user)
        return Response(AttemptOut(_attempt_body(attempt)).data)


class SubmitIn(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), allow_empty=True),
        help_text='question id -> the chosen choice ids, e.g. {"12": [40], "15": [51, 53]}; unanswered is wrong')


class AttemptSubmitApi(APIView):
    @extend_schema(operation_id="training_attempt_submit", request=SubmitIn,
                   responses={200: AttemptOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
    def post(self, request: Request, attempt_id: int) -> Response:
        """Submit the answers and get the marked attempt. Sending the same answers again returns the same
        result (a retry); other answers for a marked attempt are refused with 409."""
        attempt = attempt_get(attempt_id=attempt_id, user=request.user)
        data = _validated(SubmitIn, request.data)
        attempt = attempt_submit(attempt=attempt, user=request.user, answers=data["answers"])
        return Response(AttemptOut(_attempt_body(attempt)).data)


# --- certificates and standing -------------------------------------------------------------------

class CertificateCourseOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    attempt_id = serializers.IntegerField()
    percent = serializers.IntegerField()
    passed_on = serializers.DateField()


class CertificateOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    holder = serializers.CharField(help_text="username")
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(help_text="valid up to the day before")
    is_current = serializers.BooleanField(help_text="valid today: issued, not expired, not revoked")
    courses = CertificateCourseOut(many=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField(allow_blank=True)
    revoked_by = serializers.CharField(allow_null=True, help_text="username")


def _certificate_body(certificate: Certificate, today: date) -> dict[str, Any]:
    return {"id": certificate.pk, "number": certificate.number, "holder": certificate.user.username,
            "issued_on": certificate.issued_on, "expires_on": certificate.expires_on,
            "is_current": certificate_valid(certificate.issued_on, certificate.expires_on,
                                          certificate.revoked_at is not None, today),
            "courses": list(certificate.courses or []), "revoked_at": certificate.revoked_at,
            "revoked_reason": certificate.revoked_reason,
            "revoked_by": certificate.revoked_by.username if certificate.revoked_by else None}


REASONS = ["certified", "no_certificate", "expired", "revoked"]


class MyStandingOut(serializers.Serializer[Any]):
    day = serializers.DateField()
    plannable = serializers.BooleanField(help_text="planned for field visits only when true")
    reason = serializers.ChoiceField(choices=REASONS)
    certificate_number = serializers.CharField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text="days of validity left; null when not certified")
    required_courses = serializers.ListField(child=serializers.CharField())
    passed_courses = serializers.ListField(child=serializers.CharField(),
                                           help_text="required courses passed within the validity period")
    missing_courses = serializers.ListField(child=serializers.CharField())
    certificates = CertificateOut(many=True, help_text="newest first")


class MyCertificatesApi(APIView):
    @extend_schema(operation_id="training_my_certificates", responses={200: MyStandingOut})
    def get(self, request: Request) -> Response:
        """The user's standing today (plannable or not, and why) and every certificate they have held."""
        today = timezone.localdate()
        required = required_course_codes()
        user: Any = request.user
        standing = standings([user.pk], today)[user.pk]
        passed = sorted(set(standing.passed_courses))
        certificate = standing.certificate
        certificates = Certificate.objects.filter(user=user).select_related("user", "revoked_by")
        return Response(MyStandingOut({
            "day": today, "plannable": standing.plannable, "reason": standing.reason,
            "certificate_number": certificate.number if certificate else None,
            "issued_on": certificate.issued_on if certificate else None, "expires_on": standing.expires_on,
            "days_left": (standing.expires_on - today).days if standing.plannable and standing.expires_on else None,
            "required_courses": sorted(required), "passed_courses": passed,
            "missing_courses": sorted(set(required) - set(passed)),
            "certificates": [_certificate_body(item, today) for item in certificates]}).data)


class CollectorStandingOut(serializers.Serializer[Any]):
    user = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    teams = serializers.ListField(child=serializers.CharField(), help_text="codes of the active teams")
    plannable = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=REASONS)
    certificate_number = serializers.CharField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    passed_courses = serializers.ListField(child=serializers.CharField())
    missing_courses = serializers.ListField(child=serializers.CharField())


class StandingOut(serializers.Serializer[Any]):
    day = serializers.DateField()
    required_courses = serializers.ListField(child=serializers.CharField())
    collectors = CollectorStandingOut(many=True)


class StandingApi(APIView):
    @extend_schema(operation_id="training_standing", responses={200: StandingOut, 400: ErrorOut, 403: ErrorOut},
                   parameters=[OpenApiParameter("day", OpenApiTypes.DATE, required=False,
                                                description="YYYY-MM-DD; default today")])
    def get(self, request: Request) -> Response:
        """Every collector the user oversees: plannable on the day or not, why, and the required courses
        passed and missing."""
        if not user_oversees_training(request.user):
            raise NotPermitted("for supervisors, trainers, compliance officers and administrators")
        day = _day(request)
        required = sorted(required_course_codes())
        collectors = list(collectors_overseen(request.user).prefetch_related(
            Prefetch("teams", queryset=Team.objects.filter(is_active=True).order_by("code"))))
        by_user = standings([collector.pk for collector in collectors], day)
        rows = []
        for collector in collectors:
            standing = by_user[collector.pk]
            passed = sorted(set(standing.passed_courses))
            rows.append({"user": collector.pk, "username": collector.username, "name": collector.get_full_name(),
                         "teams": [team.code for team in collector.teams.all()], "plannable": standing.plannable,
                         "reason": standing.reason,
                         "certificate_number": standing.certificate.number if standing.certificate else None,
                         "expires_on": standing.expires_on, "passed_courses": passed,
                         "missing_courses": [code for code in required if code not in passed]})
        return Response(StandingOut({"day": day, "required_courses": required, "collectors": rows}).data)


class RevokeIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, help_text="misconduct, an upheld complaint...")


def _certificate_for_overseer(user: Any, certificate_id: int) -> Certificate:
    if not user_oversees_training(user):
        raise NotPermitted("only supervisors, trainers, compliance and administrators revoke certificates")
    certificates = Certificate.objects.select_related("user", "revoked_by")
    if user.agency_id is not None:  # an agency's staff reach their own agency's people only
        certificates = certificates.filter(user__agency_id=user.agency_id)
    certificate = certificates.filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound(f"no certificate {certificate_id}")
    return certificate


class CertificateRevokeApi(APIView):
    @extend_schema(operation_id="training_certificate_revoke", request=RevokeIn,
                   responses={200: CertificateOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
    def post(self, request: Request, certificate_id: int) -> Response:
        """Revoke a certificate: its holder leaves planning at once. Revoking again returns it unchanged."""
        certificate = _certificate_for_overseer(request.user, certificate_id)
        data = _validated(RevokeIn, request.data)
        certificate = certificate_revoke(certificate=certificate, by=request.user, reason=data["reason"])
        return Response(CertificateOut(_certificate_body(certificate, timezone.localdate())).data)


# --- notices -------------------------------------------------------------------------------------

class NoticeOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["expiring", "expired", "issued"])
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    certificate = serializers.IntegerField()
    certificate_number = serializers.CharField()
    holder = serializers.CharField(help_text="username of the certificate's holder")
    holder_name = serializers.CharField(allow_blank=True)
    expires_on = serializers.DateField()


def _notice_body(notice: Any) -> dict[str, Any]:
    certificate = notice.certificate
    return {"id": notice.pk, "kind": notice.kind, "created_at": notice.created_at, "read_at": notice.read_at,
            "certificate": certificate.pk, "certificate_number": certificate.number,
            "holder": certificate.user.username, "holder_name": certificate.user.get_full_name(),
            "expires_on": certificate.expires_on}


class NoticeListApi(APIView):
    @extend_schema(operation_id="training_notices", responses={200: NoticeOut(many=True)})
    def get(self, request: Request) -> Response:
        """The user's unread notices about certificates (theirs, or their collectors')."""
        return Response(NoticeOut([_notice_body(notice) for notice in notices_for(request.user)], many=True).data)


class NoticeReadApi(APIView):
    @extend_schema(operation_id="training_notice_read", request=None, responses={200: NoticeOut, 404: ErrorOut})
    def post(self, request: Request, notice_id: int) -> Response:
        """Mark a notice read; marking it again changes nothing."""
        notice = notices_for(request.user, unread_only=False).filter(pk=notice_id).first()
        if notice is None:
            raise NotFound(f"no notice {notice_id}")
        return Response(NoticeOut(_notice_body(notice_read(notice=notice, by=request.user))).data)


# --- case library --------------------------------------------------------------------------------

class TrainingCaseOut(serializers.ModelSerializer[TrainingCase]):
    source_visit = serializers.IntegerField(source="source_visit_id", allow_null=True, required=False,
                                            help_text="for curators only")

    class Meta:
        model = TrainingCase
        fields = ("id", "status", "result", "title", "arrears_reason", "situation", "facts", "lessons_learnt",
                  "created_at", "published_at", "source_visit")


def _case_data(case: TrainingCase, user: Any) -> dict[str, Any]:
    body = dict(TrainingCaseOut(case).data)
    if not user_may_curate_cases(user):
        body.pop("source_visit", None)
    return body


class CaseListApi(APIView):
    @extend_schema(operation_id="training_cases", responses={200: TrainingCaseOut(many=True), 400: ErrorOut},
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR, required=False,
                                                enum=TrainingCase.Status.values),
                               OpenApiParameter("result", OpenApiTypes.STR, required=False,
                                                enum=TrainingCase.Result.values)])
    def get(self, request: Request) -> Response:
        """The case library, newest first: published cases, and for curators drafts and withdrawn ones too."""
        cases = training_cases_for(request.user)
        for name, values in (("status", TrainingCase.Status.values), ("result", TrainingCase.Result.values)):
            value = request.query_params.get(name, "")
            if value:
                if value not in values:
                    raise InvalidInput(f"{name} is one of {', '.join(values)}", details={"field": name})
                cases = cases.filter(**{name: value})
        return Response([_case_data(case, request.user) for case in cases])


class CaseUpdateIn(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False)
    situation = serializers.CharField(required=False, allow_blank=True)
    lessons_learnt = serializers.CharField(required=False, allow_blank=True)
    result = serializers.ChoiceField(choices=TrainingCase.Result.choices, required=False)
    arrears_reason = serializers.ChoiceField(choices=Visit.ArrearsReason.choices, required=False, allow_blank=True)


class CaseApi(APIView):
    @extend_schema(operation_id="training_case", responses={200: TrainingCaseOut, 404: ErrorOut})
    def get(self, request: Request, case_id: int) -> Response:
        return Response(_case_data(training_case_get(case_id=case_id, user=request.user), request.user))

    @extend_schema(operation_id="training_case_update", request=CaseUpdateIn,
                   responses={200: TrainingCaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
    def patch(self, request: Request, case_id: int) -> Response:
        """A reviewer's edits; the texts are anonymised again (a name typed back in goes away). A published
        case is withdrawn before it is edited (409)."""
        case = training_case_get(case_id=case_id, user=request.user)
        data = _validated(CaseUpdateIn, request.data)
        return Response(_case_data(case_update(case=case, by=request.user, **data), request.user))


class CaseFromVisitApi(APIView):
    @extend_schema(operation_id="training_case_from_visit", request=None,
                   responses={201: TrainingCaseOut, 200: TrainingCaseOut, 400: ErrorOut, 403: ErrorOut,
                              404: ErrorOut})
    def post(self, request: Request, visit_id: int) -> Response:
        """Turn a closed visit into a draft training case with personal data removed; the case already made
        from the visit is returned with 200."""
        if not user_may_curate_cases(request.user):
            raise NotPermitted("only supervisors, trainers and administrators curate training cases")
        visit = visits_for_user(user=request.user).filter(pk=visit_id).first()
        if visit is None:
            raise NotFound(f"no visit {visit_id}")
        existed = TrainingCase.objects.filter(source_visit=visit).exists()
        case = case_from_visit(visit=visit, by=request.user)
        return Response(_case_data(case, request.user),
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class CasePublishApi(APIView):
    @extend_schema(operation_id="training_case_publish", request=None,
                   responses={200: TrainingCaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
    def post(self, request: Request, case_id: int) -> Response:
        """Publish a reviewed case. Refused (400, `details.kinds`) while personal data of the source visit
        remains, or before the lessons learnt are written."""
        case = training_case_get(case_id=case_id, user=request.user)
        return Response(_case_data(case_publish(case=case, by=request.user), request.user))
