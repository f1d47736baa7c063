"""The demo's training history, made through the real quiz services: every demo collector has
taken the required courses and holds a certificate, except
- `trainee`, a new collector of the Futian team with none: logging in as `trainee` shows the
  courses to take, and the Futian plan lists them as not planned;
- `collector-11`, certified eleven months ago: the certificate expires within the notice period,
  so they and the supervisors see a notice;
and a few collectors failed a course once before passing (as a first attempt often goes).

Idempotent: a collector who already holds a certificate, valid or not, is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.training.models import Attempt, Certificate, Choice, Course
from doorstep.training.services import attempt_start, attempt_submit, certificate_notices_send

UNCERTIFIED = frozenset({"trainee"})
EXPIRING = {"collector-11": 340}  # certified this many days ago
ZONE = ZoneInfo("Asia/Shanghai")


@dataclass
class TrainingReport:
    certified: int = 0
    failed_first: int = 0
    notices: int = 0


def _answers(attempt: Attempt, *, right: bool) -> dict[str, list[int]]:
    keys: dict[int, list[int]] = {}
    others: dict[int, list[int]] = {}
    for question_id, choice_id, correct in Choice.objects.filter(question_id__in=attempt.question_ids).values_list(
            "question_id", "id", "is_correct"):
        (keys if correct else others).setdefault(question_id, []).append(choice_id)
    if right:
        return {str(question): keys.get(question, []) for question in attempt.question_ids}
    # A failing sitting: every question answered with a wrong choice.
    return {str(question): others.get(question, [])[:1] for question in attempt.question_ids}


def _sit(user: Any, course: Course, at: datetime, *, right: bool) -> Attempt:
    attempt = attempt_start(user=user, course=course, now=at)
    return attempt_submit(attempt=attempt, user=user, answers=_answers(attempt, right=right),
                          now=at + timedelta(minutes=12))


def demo_training_ensure(*, users: dict[str, Any], today: date, seed: int) -> TrainingReport:
    report = TrainingReport()
    rng = random.Random(seed + 600)
    courses = list(Course.objects.filter(is_published=True, is_required=True).order_by("order", "code"))
    if not courses:
        return report
    certified = set(Certificate.objects.values_list("user__username", flat=True))
    for username in sorted(users):
        user = users[username]
        if user.role != Role.COLLECTOR or username in UNCERTIFIED or username in certified:
            continue
        days_ago = EXPIRING.get(username, rng.randint(20, 200))
        start = datetime.combine(today - timedelta(days=days_ago), time(10), tzinfo=ZONE)
        for number, course in enumerate(courses):
            at = start + timedelta(hours=number)
            if rng.random() < 0.2:  # failed first, passed after the wait
                _sit(user, course, at - timedelta(days=1), right=False)
                report.failed_first += 1
            _sit(user, course, at, right=True)
        report.certified += Certificate.objects.filter(user=user).exists()
    report.notices = certificate_notices_send(today=timezone.localdate())
    return report
