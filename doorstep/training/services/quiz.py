"""Quiz attempts and the certificate they earn; notices about certificates that run out."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from doorstep.accounts.models import Role, User
from doorstep.common.audit import audit_append
from doorstep.common.errors import Conflict, InvalidInput, NotPermitted
from doorstep.training.core.quiz import Pass, TooFewQuestions, certificate_due, draw, mark, percent, shuffled
from doorstep.training.models import Attempt, Certificate, Choice, Course, Notice, Question
from doorstep.training.selectors import (
    attempt_gate,
    certificate_notice_days,
    certificate_valid_days,
    required_course_codes,
    user_oversees_training,
)

# Answers sent up to this long after the time limit still count: a slow network is not the person's fault.
SUBMIT_GRACE = timedelta(minutes=2)


class AttemptLocked(Conflict):
    """The next attempt may start only later: after a failure, or after the last allowed one."""

    def __init__(self, message: str, *, next_at: datetime, reason: str) -> None:
        super().__init__(message, details={"next_attempt_at": next_at.isoformat(), "reason": reason})
        self.next_at = next_at
        self.reason = reason


def attempt_start(*, user: Any, course: Course, now: datetime | None = None) -> Attempt:
    """Start a sitting, or return the one already open (a double tap, a reload, a retried request):
    the questions drawn for a sitting never change, so reloading cannot fish for easier ones."""
    now = now or timezone.now()
    if not user.is_active:
        raise NotPermitted("inactive accounts cannot take quizzes")
    if not course.is_published:
        raise InvalidInput(f"course {course.code} is not published")
    with transaction.atomic():
        open_attempt = Attempt.objects.filter(user=user, course=course, submitted_at__isnull=True).first()
        if open_attempt is not None and not _expired(open_attempt, now):
            return open_attempt
        if open_attempt is not None:
            attempt_expire(attempt=open_attempt, now=now)  # then the wait after a failure applies
        admission = attempt_gate(user=user, course=course, now=now)
        if not admission.allowed and admission.next_at is not None:
            if admission.reason == "lockout":
                message = (f"{admission.failures_in_row} failed attempts in a row: the course is locked until "
                           f"{timezone.localtime(admission.next_at):%Y-%m-%d %H:%M}")
            else:
                message = f"the next attempt may start at {timezone.localtime(admission.next_at):%Y-%m-%d %H:%M}"
            raise AttemptLocked(message, next_at=admission.next_at, reason=admission.reason)
        rng = random.Random(secrets.randbits(64))
        bank = list(Question.objects.filter(course=course, is_active=True).order_by("id").values_list("id", flat=True))
        try:
            drawn = draw(bank, count=course.questions_per_attempt, rng=rng)
        except TooFewQuestions as error:
            raise InvalidInput(f"course {course.code}: {error}") from error
        choices: dict[str, list[int]] = {}
        for question_id, choice_id in Choice.objects.filter(question_id__in=drawn).order_by("id").values_list(
                "question_id", "id"):
            choices.setdefault(str(question_id), []).append(choice_id)
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    user=user, course=course, started_at=now, question_ids=drawn, pass_mark=course.pass_mark,
                    expires_at=(now + timedelta(minutes=course.time_limit_minutes)
                                if course.time_limit_minutes else None),
                    choice_orders={key: shuffled(ids, rng=rng) for key, ids in choices.items()})
        except IntegrityError:  # a concurrent start won (attempt_one_open_per_course): that sitting it is
            return Attempt.objects.get(user=user, course=course, submitted_at__isnull=True)
        audit_append(actor=user, action="training.attempt_start", subject=attempt,
                     data={"course": course.code, "questions": drawn})
    return attempt


def _expired(attempt: Attempt, now: datetime) -> bool:
    return attempt.expires_at is not None and now > attempt.expires_at + SUBMIT_GRACE


def attempt_expire(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close a sitting whose time ran out as failed (at its expiry: the wait counts from then).
    Does nothing to a sitting still in time or already marked."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("course").get(pk=attempt.pk)
        if locked.submitted_at is not None or not _expired(locked, now):
            return locked
        assert locked.expires_at is not None
        locked.submitted_at = locked.expires_at
        locked.timed_out = True
        locked.is_passed = False
        locked.correct_count = locked.percent = 0
        locked.save(update_fields=["submitted_at", "timed_out", "is_passed", "correct_count", "percent"])
        audit_append(actor=locked.user, action="training.attempt_expire", subject=locked,
                     data={"course": locked.course.code})
    return locked


def _parsed_answers(attempt: Attempt, answers: Mapping[Any, Any]) -> dict[int, set[int]]:
    drawn = {int(question_id) for question_id in attempt.question_ids}
    multiple = dict(Question.objects.filter(pk__in=drawn).values_list("id", "is_multiple"))
    owner = dict(Choice.objects.filter(question_id__in=drawn).values_list("id", "question_id"))
    parsed: dict[int, set[int]] = {}
    for raw_question, raw_choices in answers.items():
        try:
            question_id = int(raw_question)
            chosen = {int(choice) for choice in (raw_choices if isinstance(raw_choices, list | tuple | set)
                                                  else [raw_choices])}
        except (TypeError, ValueError) as error:
            raise InvalidInput(f"answers: {raw_question!r} -> {raw_choices!r} is not a question and choice ids",
                               details={"field": "answers"}) from error
        if question_id not in drawn:
            raise InvalidInput(f"question {question_id} was not drawn for this attempt",
                               details={"field": "answers"})
        if any(owner.get(choice) != question_id for choice in chosen):
            raise InvalidInput(f"an answer to question {question_id} names a choice of another question",
                               details={"field": "answers"})
        if len(chosen) > 1 and not multiple[question_id]:
            raise InvalidInput(f"question {question_id} takes one answer", details={"field": "answers"})
        parsed[question_id] = chosen
    return parsed


def attempt_submit(*, attempt: Attempt, user: Any, answers: Mapping[Any, Any],
                   now: datetime | None = None) -> Attempt:
    """Mark a sitting. Sending the same answers again returns the stored result (a phone retry);
    other answers for a marked sitting are refused. Answers sent after the time limit (and its
    grace) are not marked: the sitting is closed as failed (`timed_out`). A pass may earn the
    certificate."""
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise NotPermitted("only the person taking the quiz submits it")
    parsed = _parsed_answers(attempt, answers)
    stored = {str(question): sorted(chosen) for question, chosen in parsed.items()}
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("course").get(pk=attempt.pk)
        if locked.submitted_at is not None:
            if locked.answers == stored or locked.timed_out:
                return locked
            raise Conflict("this attempt was already submitted with other answers")
        if _expired(locked, now):
            return attempt_expire(attempt=locked, now=now)
        keys: dict[int, set[int]] = {int(question_id): set() for question_id in locked.question_ids}
        for question_id, choice_id in Choice.objects.filter(question_id__in=keys, is_correct=True).values_list(
                "question_id", "id"):
            keys[question_id].add(choice_id)
        right, asked = mark(parsed, keys)
        locked.answers = stored
        locked.correct_count = right
        locked.percent = percent(right, asked)
        locked.is_passed = locked.percent >= locked.pass_mark
        locked.submitted_at = now
        locked.save(update_fields=["answers", "correct_count", "percent", "is_passed", "submitted_at"])
        audit_append(actor=user, action="training.attempt_submit", subject=locked,
                     data={"course": locked.course.code, "percent": locked.percent, "passed": locked.is_passed})
        if locked.is_passed:
            certificate_issue_if_due(user=user, today=timezone.localdate(now))
    return locked


def _certificate_number(today: date) -> str:
    return f"DS-{today:%Y%m%d}-{secrets.token_hex(3).upper()}"


def certificate_issue_if_due(*, user: Any, today: date) -> Certificate | None:
    """Issue the field certificate when every required course has a pass that no earlier
    certificate used (passes older than the validity period never count)."""
    required = required_course_codes()
    previous = Certificate.objects.filter(user=user).order_by("-issued_on", "-id").first()
    counts_from = today - timedelta(days=certificate_valid_days())
    used: set[int] = set()
    if previous is not None:
        used = {int(item["attempt_id"]) for item in previous.courses}
    passes = [Pass(code, attempt_id, score, timezone.localdate(submitted_at))
              for attempt_id, code, score, submitted_at in Attempt.objects.filter(
                  user=user, is_passed=True, course__code__in=required, pk__gt=max(used, default=0)).values_list(
                  "id", "course__code", "percent", "submitted_at")]
    earned = certificate_due(required, passes, counts_from=counts_from)
    if earned is None:
        return None
    with transaction.atomic():
        for _ in range(5):
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(
                        number=_certificate_number(today), user=user, issued_on=today,
                        expires_on=today + timedelta(days=certificate_valid_days()),
                        courses=[{"code": item.course, "attempt_id": item.attempt_id, "percent": item.percent,
                                  "passed_on": item.passed_on.isoformat()} for item in earned])
                break
            except IntegrityError:  # the random part of the number collided; draw again
                continue
        else:
            raise Conflict("could not number the certificate; try again")
        audit_append(actor=user, action="training.certificate_issue", subject=certificate,
                     data={"number": certificate.number, "expires_on": certificate.expires_on.isoformat(),
                           "courses": [item.course for item in earned]})
        Notice.objects.create(recipient=user, certificate=certificate, kind=Notice.Kind.ISSUED,
                              created_at=timezone.now())
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: Any, reason: str) -> Certificate:
    """Withdraw a certificate (misconduct, an upheld complaint): its holder leaves planning at once."""
    if not user_oversees_training(by) or (by.agency_id is not None and by.agency_id != certificate.user.agency_id):
        raise NotPermitted("only supervisors, trainers, compliance and administrators revoke certificates")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the certificate is revoked", details={"field": "reason"})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason[:300]
    locked.revoked_by = by
    locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    audit_append(actor=by, action="training.certificate_revoke", subject=locked, data={"reason": locked.revoked_reason})
    return locked


def _supervisors_of(holder: User) -> list[User]:
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    if holder.agency_id is None:
        return list(supervisors.filter(agency__isnull=True))
    return list(supervisors.filter(agency_id=holder.agency_id))


def certificate_notices_send(*, today: date | None = None) -> int:
    """Tell holders and their supervisors about certificates that expire within the notice period
    (30 days by default) or have expired, when no newer certificate replaces them. Runs daily; each
    notice is sent once (a unique constraint), so running twice sends nothing more."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=certificate_notice_days())
    sent = 0
    latest_ids: dict[int, int] = {}
    for certificate_id, user_id in Certificate.objects.filter(revoked_at__isnull=True).order_by(
            "user_id", "-issued_on", "-id").values_list("id", "user_id"):
        latest_ids.setdefault(user_id, certificate_id)
    for certificate in Certificate.objects.filter(pk__in=latest_ids.values(), expires_on__lte=horizon,
                                                  user__is_active=True).select_related("user"):
        kind = Notice.Kind.EXPIRED if certificate.expires_on <= today else Notice.Kind.EXPIRING
        for recipient in [certificate.user, *_supervisors_of(certificate.user)]:
            _, created = Notice.objects.get_or_create(recipient=recipient, certificate=certificate, kind=kind,
                                                      defaults={"created_at": timezone.now()})
            sent += created
    return sent


def notice_read(*, notice: Notice, by: Any) -> Notice:
    if notice.recipient_id != by.pk:
        raise NotPermitted("this notice is someone else's")
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
        notice.refresh_from_db()
    return notice
