"""Quiz rules, free of storage: drawing questions, marking answers, when the next attempt may
start, and whether someone's passes earn the field certificate.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class QuizRules:
    pass_mark: int  # percent
    questions_per_attempt: int
    max_attempts: int  # failed attempts in a row before a lock-out
    retry_wait: timedelta  # after a failed attempt
    lockout: timedelta  # after the last allowed failed attempt


@dataclass(frozen=True)
class PastAttempt:
    submitted_at: datetime
    passed: bool


@dataclass(frozen=True)
class Gate:
    """Whether an attempt may start now, and if not, from when and why."""

    allowed: bool
    next_at: datetime | None = None
    failures_in_row: int = 0
    reason: str = ""  # "wait" after a failure, "lockout" after the last allowed one


class TooFewQuestions(ValueError):
    pass


def draw(question_ids: Sequence[int], *, count: int, rng: random.Random) -> list[int]:
    """`count` different questions in random order; the bank must hold at least that many."""
    if len(set(question_ids)) != len(question_ids):
        raise ValueError("the bank lists a question twice")
    if len(question_ids) < count:
        raise TooFewQuestions(f"the bank has {len(question_ids)} active questions; an attempt draws {count}")
    return rng.sample(list(question_ids), count)


def shuffled(choice_ids: Sequence[int], *, rng: random.Random) -> list[int]:
    order = list(choice_ids)
    rng.shuffle(order)
    return order


def answer_correct(chosen: set[int], correct: set[int]) -> bool:
    """Right only when exactly the right choices are picked: a multiple-choice question gives no
    partial credit, and ticking everything is wrong."""
    return bool(correct) and chosen == correct


def mark(answers: Mapping[int, set[int]], keys: Mapping[int, set[int]]) -> tuple[int, int]:
    """(right, asked) over the drawn questions `keys` (question -> right choices); unanswered is wrong."""
    right = sum(answer_correct(answers.get(question, set()), correct) for question, correct in keys.items())
    return right, len(keys)


def percent(right: int, asked: int) -> int:
    """Rounded down: 79.9 % does not pass a mark of 80."""
    return (100 * right) // asked if asked else 0


def gate(history: Sequence[PastAttempt], rules: QuizRules, now: datetime) -> Gate:
    """May a new attempt start at `now`?

    After a failed attempt the person waits `retry_wait`. After `max_attempts` failures in a row
    the course locks for `lockout`, and then the count starts again. A pass resets the count.
    """
    failures = 0
    last_failure: datetime | None = None
    for attempt in sorted(history, key=lambda item: item.submitted_at):
        if attempt.passed:
            failures, last_failure = 0, None
            continue
        if last_failure is not None and failures >= rules.max_attempts \
                and attempt.submitted_at >= last_failure + rules.lockout:
            failures = 0  # a new round after a served lock-out
        failures += 1
        last_failure = attempt.submitted_at
    if last_failure is None:
        return Gate(True)
    if failures >= rules.max_attempts:
        free_at = last_failure + rules.lockout
        if now >= free_at:
            return Gate(True, failures_in_row=0)
        return Gate(False, free_at, failures, "lockout")
    free_at = last_failure + rules.retry_wait
    if now >= free_at:
        return Gate(True, failures_in_row=failures)
    return Gate(False, free_at, failures, "wait")


@dataclass(frozen=True)
class Pass:
    course: str
    attempt_id: int
    percent: int
    passed_on: date


def certificate_due(required: Sequence[str], passes: Sequence[Pass], *, counts_from: date) -> list[Pass] | None:
    """The passes that earn a certificate (the latest of each required course on or after
    `counts_from`), or None while a required course is missing. With no required course there is
    nothing to certify."""
    if not required:
        return None
    latest: dict[str, Pass] = {}
    for item in passes:
        if item.passed_on < counts_from:
            continue
        if item.course not in latest or item.passed_on >= latest[item.course].passed_on:
            latest[item.course] = item
    if any(code not in latest for code in required):
        return None
    return [latest[code] for code in required]


def certificate_valid(issued_on: date, expires_on: date, revoked: bool, day: date) -> bool:
    """Valid from the day of issue up to and including the day before expiry."""
    return not revoked and issued_on <= day < expires_on
