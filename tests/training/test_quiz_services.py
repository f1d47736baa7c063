"""Quiz attempts and certificates through the services: the draw, marking against the pass mark,
the waiting time and lock-out, the certificate and its expiry notices, revoking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from doorstep.accounts.models import Role
from doorstep.common.errors import Conflict, InvalidInput
from doorstep.training.models import Attempt, Certificate, Choice, Course, Notice, Question
from doorstep.training.selectors import standings
from doorstep.training.services import (
    attempt_start,
    attempt_submit,
    certificate_notices_send,
    certificate_revoke,
)
from doorstep.training.services.quiz import AttemptLocked
from tests.factories import UserFactory

T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def _course(code: str, *, bank: int = 10, draw: int = 5, multiple: int = 2, **options) -> Course:
    course = Course.objects.create(code=code, title_en=code, title_zh=code, questions_per_attempt=draw,
                                   pass_mark=options.pop("pass_mark", 80), **options)
    for number in range(bank):
        question = Question.objects.create(course=course, key=f"q{number}", is_multiple=number < multiple,
                                           text_en=f"Q{number}", text_zh=f"问{number}", explanation_en="because",
                                           explanation_zh="因为")
        right = 2 if question.is_multiple else 1
        Choice.objects.bulk_create([Choice(question=question, order=n, text_en=f"c{n}", text_zh=f"选{n}",
                                           is_correct=n < right) for n in range(4)])
    return course


@pytest.fixture
def courses(db):
    # Only these two are required here: the built-in courses stay but do not count.
    Course.objects.update(is_required=False)
    return [_course("alpha"), _course("beta")]


def _answers(attempt: Attempt, *, right: int) -> dict[str, list[int]]:
    """`right` questions answered right, the rest wrong."""
    answers = {}
    for index, question_id in enumerate(attempt.question_ids):
        choices = Choice.objects.filter(question_id=question_id)
        correct = sorted(choices.filter(is_correct=True).values_list("id", flat=True))
        wrong = sorted(choices.filter(is_correct=False).values_list("id", flat=True))[:1]
        answers[str(question_id)] = correct if index < right else wrong
    return answers


def test_each_attempt_draws_its_own_questions_and_a_reload_keeps_them(courses) -> None:
    alpha = courses[0]
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    first = attempt_start(user=user, course=alpha, now=T0)
    assert len(first.question_ids) == 5 and len(set(first.question_ids)) == 5
    assert attempt_start(user=user, course=alpha, now=T0 + timedelta(minutes=3)).pk == first.pk  # double tap
    draws = {tuple(first.question_ids)}
    attempt_submit(attempt=first, user=user, answers=_answers(first, right=5), now=T0 + timedelta(minutes=5))
    for _ in range(1, 8):
        other = attempt_start(user=UserFactory(role=Role.COLLECTOR, certified=False), course=alpha, now=T0)
        draws.add(tuple(other.question_ids))
    assert len(draws) >= 6  # 252 possible sets of 5 out of 10, in random order


def test_the_pass_mark_is_a_floor_and_multiple_choice_needs_the_exact_set(courses) -> None:
    alpha = courses[0]
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    attempt = attempt_start(user=user, course=alpha, now=T0)
    marked = attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=4), now=T0)
    assert (marked.correct_count, marked.percent, marked.is_passed) == (4, 80, True)

    # Every question drawn, so the multiple-choice ones are always in the sitting.
    whole = _course("whole-bank", bank=5, draw=5, multiple=2, is_required=False)
    other = UserFactory(role=Role.COLLECTOR, certified=False)
    attempt = attempt_start(user=other, course=whole, now=T0)
    answers = _answers(attempt, right=5)
    multiple = next(question for question in attempt.question_ids if Question.objects.get(pk=question).is_multiple)
    answers[str(multiple)] = answers[str(multiple)][:1]  # one of two right choices: wrong
    marked = attempt_submit(attempt=attempt, user=other, answers=answers, now=T0)
    assert (marked.correct_count, marked.percent, marked.is_passed) == (4, 80, True)


def test_resubmitting_is_idempotent_and_other_answers_are_refused(courses) -> None:
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    attempt = attempt_start(user=user, course=courses[0], now=T0)
    answers = _answers(attempt, right=2)
    first = attempt_submit(attempt=attempt, user=user, answers=answers, now=T0)
    again = attempt_submit(attempt=attempt, user=user, answers=answers, now=T0 + timedelta(minutes=1))
    assert again.submitted_at == first.submitted_at and again.percent == 40
    with pytest.raises(Conflict):
        attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=5), now=T0)
    assert Attempt.objects.get(pk=attempt.pk).percent == 40


def test_bad_answers_are_refused_and_change_nothing(courses) -> None:
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    attempt = attempt_start(user=user, course=courses[0], now=T0)
    single = next(question for question in attempt.question_ids if not Question.objects.get(pk=question).is_multiple)
    not_drawn = Question.objects.filter(course=courses[0]).exclude(pk__in=attempt.question_ids).first()
    foreign = Choice.objects.exclude(question_id=single).first()
    two = list(Choice.objects.filter(question_id=single).values_list("id", flat=True)[:2])
    for answers, message in (({str(not_drawn.pk): []}, "was not drawn"),
                             ({str(single): [foreign.pk]}, "choice of another question"),
                             ({str(single): two}, "takes one answer"),
                             ({"x": ["y"]}, "not a question and choice ids")):
        with pytest.raises(InvalidInput, match=message):
            attempt_submit(attempt=attempt, user=user, answers=answers, now=T0)
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_a_failure_means_a_wait_and_three_mean_a_lockout(courses) -> None:
    alpha = courses[0]
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    now = T0
    for number in range(3):
        attempt = attempt_start(user=user, course=alpha, now=now)
        attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=1), now=now)
        if number < 2:
            with pytest.raises(AttemptLocked) as waiting:
                attempt_start(user=user, course=alpha, now=now + timedelta(minutes=29))
            assert waiting.value.reason == "wait" and waiting.value.next_at == now + timedelta(minutes=30)
        now += timedelta(minutes=30)
    last = now - timedelta(minutes=30)
    with pytest.raises(AttemptLocked) as locked:
        attempt_start(user=user, course=alpha, now=now)
    assert locked.value.reason == "lockout" and locked.value.next_at == last + timedelta(hours=24)
    assert Attempt.objects.filter(user=user).count() == 3
    assert attempt_start(user=user, course=alpha, now=last + timedelta(hours=24)).submitted_at is None


def test_passing_every_required_course_gives_a_certificate_for_a_year(courses, settings) -> None:
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    alpha, beta = courses
    attempt = attempt_start(user=user, course=alpha, now=T0)
    attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=5), now=T0)
    assert not Certificate.objects.filter(user=user).exists()
    assert standings([user.pk], date(2026, 11, 30))[user.pk].reason == "no_certificate"
    attempt = attempt_start(user=user, course=beta, now=T0)
    attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=5), now=T0)
    certificate = Certificate.objects.get(user=user)
    assert certificate.issued_on == date(2026, 11, 30)
    assert certificate.expires_on == date(2026, 11, 30) + timedelta(days=settings.DOORSTEP_CERTIFICATE_VALID_DAYS)
    assert {item["code"] for item in certificate.courses} == {"alpha", "beta"}
    assert Notice.objects.filter(recipient=user, kind=Notice.Kind.ISSUED).count() == 1
    # Passing again on the same certificate's passes issues nothing more.
    attempt = attempt_start(user=user, course=alpha, now=T0 + timedelta(hours=1))
    attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=5), now=T0 + timedelta(hours=1))
    assert Certificate.objects.filter(user=user).count() == 1
    standing = standings([user.pk], certificate.expires_on - timedelta(days=1))[user.pk]
    assert standing.plannable
    assert standings([user.pk], certificate.expires_on)[user.pk].reason == "expired"


def test_expiry_is_announced_thirty_days_ahead_to_holder_and_supervisors_once(db) -> None:
    holder = UserFactory(role=Role.COLLECTOR, certified=False)
    supervisor = UserFactory(role=Role.SUPERVISOR)
    UserFactory(role=Role.SUPERVISOR, is_active=False)
    today = date(2026, 11, 30)
    certificate = Certificate.objects.create(number="N-1", user=holder, issued_on=today - timedelta(days=300),
                                             expires_on=today + timedelta(days=31))
    assert certificate_notices_send(today=today) == 0
    assert certificate_notices_send(today=today + timedelta(days=1)) == 2
    assert certificate_notices_send(today=today + timedelta(days=2)) == 0  # once
    assert set(Notice.objects.filter(kind=Notice.Kind.EXPIRING).values_list("recipient", flat=True)) == {
        holder.pk, supervisor.pk}
    assert certificate_notices_send(today=certificate.expires_on) == 2
    assert Notice.objects.filter(kind=Notice.Kind.EXPIRED, certificate=certificate).count() == 2
    # A renewed certificate replaces the old one: nothing more is announced about it.
    Certificate.objects.create(number="N-2", user=holder, issued_on=certificate.expires_on,
                               expires_on=certificate.expires_on + timedelta(days=365))
    assert certificate_notices_send(today=certificate.expires_on + timedelta(days=3)) == 0


def test_revoking_takes_the_collector_out_at_once_and_needs_a_reason(db) -> None:
    holder = UserFactory(role=Role.COLLECTOR)
    certificate = Certificate.objects.get(user=holder)
    with pytest.raises(InvalidInput, match="say why"):
        certificate_revoke(certificate=certificate, by=UserFactory(role=Role.SUPERVISOR), reason=" ")
    assert standings([holder.pk], date(2026, 11, 30))[holder.pk].plannable
    certificate_revoke(certificate=certificate, by=UserFactory(role=Role.SUPERVISOR), reason="upheld complaint")
    assert standings([holder.pk], date(2026, 11, 30))[holder.pk].reason == "revoked"


def test_an_attempt_sent_after_its_time_limit_counts_as_failed_and_starts_the_wait(courses) -> None:
    from doorstep.training.services import attempt_expire

    alpha = courses[0]
    Course.objects.filter(pk=alpha.pk).update(time_limit_minutes=20)
    alpha.refresh_from_db()
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    attempt = attempt_start(user=user, course=alpha, now=T0)
    assert attempt.expires_at == T0 + timedelta(minutes=20)
    # Within the limit and its grace the answers are marked.
    on_time = attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=5),
                             now=T0 + timedelta(minutes=21))
    assert on_time.is_passed and not on_time.timed_out

    other = UserFactory(role=Role.COLLECTOR, certified=False)
    late = attempt_start(user=other, course=alpha, now=T0)
    assert attempt_expire(attempt=late, now=T0 + timedelta(minutes=21)).submitted_at is None  # still in time
    marked = attempt_submit(attempt=late, user=other, answers=_answers(late, right=5), now=T0 + timedelta(minutes=23))
    assert (marked.timed_out, marked.is_passed, marked.percent, marked.submitted_at) == (
        True, False, 0, T0 + timedelta(minutes=20))
    assert marked.answers == {}
    assert not Certificate.objects.filter(user=other).exists()
    # A resend of the late answers returns the closed sitting; the wait counts from the expiry.
    assert attempt_submit(attempt=late, user=other, answers=_answers(late, right=5), now=T0 + timedelta(minutes=24)
                          ).timed_out
    with pytest.raises(AttemptLocked) as waiting:
        attempt_start(user=other, course=alpha, now=T0 + timedelta(minutes=40))
    assert waiting.value.next_at == T0 + timedelta(minutes=50)


def test_an_open_attempt_left_past_its_time_is_closed_when_a_new_one_starts(courses) -> None:
    alpha = courses[0]
    user = UserFactory(role=Role.COLLECTOR, certified=False)
    first = attempt_start(user=user, course=alpha, now=T0)
    assert first.expires_at == T0 + timedelta(minutes=alpha.time_limit_minutes)
    # Started again well after the limit and the wait: the old sitting closes as failed, a new one opens.
    second = attempt_start(user=user, course=alpha, now=T0 + timedelta(hours=2))
    assert second.pk != first.pk and second.submitted_at is None
    first.refresh_from_db()
    assert first.timed_out and not first.is_passed and first.submitted_at == first.expires_at
    # Right after expiry, though, the wait after a failure applies.
    third_user = UserFactory(role=Role.COLLECTOR, certified=False)
    attempt_start(user=third_user, course=alpha, now=T0)
    with pytest.raises(AttemptLocked):
        attempt_start(user=third_user, course=alpha, now=T0 + timedelta(minutes=alpha.time_limit_minutes + 5))
    Course.objects.filter(pk=alpha.pk).update(time_limit_minutes=0)
    alpha.refresh_from_db()
    assert attempt_start(user=UserFactory(role=Role.COLLECTOR, certified=False), course=alpha, now=T0
                         ).expires_at is None
