"""Quiz rules without a database: the draw, marking, the waiting time and lock-out, certificates."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorstep.training.core.quiz import (
    Pass,
    PastAttempt,
    QuizRules,
    TooFewQuestions,
    answer_correct,
    certificate_due,
    certificate_valid,
    draw,
    gate,
    mark,
    percent,
)

RULES = QuizRules(pass_mark=80, questions_per_attempt=5, max_attempts=3, retry_wait=timedelta(minutes=30),
                  lockout=timedelta(hours=24))
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=60, unique=True), st.integers(0, 2**32), st.data())
def test_a_draw_is_that_many_different_questions_from_the_bank(bank: list[int], seed: int, data: st.DataObject) -> None:
    count = data.draw(st.integers(1, len(bank)))
    drawn = draw(bank, count=count, rng=random.Random(seed))
    assert len(drawn) == count
    assert len(set(drawn)) == count
    assert set(drawn) <= set(bank)


def test_draws_differ_between_attempts_and_cover_the_bank() -> None:
    bank = list(range(1, 21))
    rng = random.Random(7)
    draws = [tuple(draw(bank, count=8, rng=rng)) for _ in range(50)]
    assert len(set(draws)) > 45
    assert {question for sitting in draws for question in sitting} == set(bank)


def test_a_bank_smaller_than_the_draw_is_refused() -> None:
    with pytest.raises(TooFewQuestions, match="3 active questions; an attempt draws 5"):
        draw([1, 2, 3], count=5, rng=random.Random(1))


def test_multiple_choice_needs_exactly_the_right_set() -> None:
    assert answer_correct({1, 2}, {1, 2})
    assert not answer_correct({1}, {1, 2})
    assert not answer_correct({1, 2, 3}, {1, 2})
    assert not answer_correct(set(), set())


def test_marking_counts_unanswered_as_wrong_and_rounds_down() -> None:
    keys = {1: {10}, 2: {20}, 3: {30, 31}, 4: {40}, 5: {50}}
    right, asked = mark({1: {10}, 2: {21}, 3: {30, 31}, 4: {40}}, keys)
    assert (right, asked) == (3, 5)
    assert percent(3, 5) == 60
    assert percent(79, 100) == 79
    assert percent(2, 3) == 66  # 66.7 rounded down: it does not pass a mark of 67


def test_a_first_attempt_is_allowed() -> None:
    assert gate([], RULES, T0).allowed


def test_after_a_failure_the_person_waits() -> None:
    history = [PastAttempt(T0, passed=False)]
    waiting = gate(history, RULES, T0 + timedelta(minutes=29))
    assert not waiting.allowed
    assert waiting.reason == "wait"
    assert waiting.next_at == T0 + timedelta(minutes=30)
    assert gate(history, RULES, T0 + timedelta(minutes=30)).allowed


def test_after_the_last_allowed_failure_the_course_locks_then_opens_a_new_round() -> None:
    history = [PastAttempt(T0 + timedelta(hours=n), passed=False) for n in range(3)]
    locked = gate(history, RULES, T0 + timedelta(hours=3))
    assert (locked.allowed, locked.reason, locked.failures_in_row) == (False, "lockout", 3)
    assert locked.next_at == T0 + timedelta(hours=2) + timedelta(hours=24)
    assert gate(history, RULES, T0 + timedelta(hours=26)).allowed
    # The fourth failure, after the lock-out, starts a new round: a wait, not another lock-out.
    history.append(PastAttempt(T0 + timedelta(hours=27), passed=False))
    again = gate(history, RULES, T0 + timedelta(hours=27, minutes=5))
    assert (again.reason, again.failures_in_row) == ("wait", 1)


def test_a_pass_resets_the_failures() -> None:
    history = [PastAttempt(T0, passed=False), PastAttempt(T0 + timedelta(hours=1), passed=False),
               PastAttempt(T0 + timedelta(hours=2), passed=True), PastAttempt(T0 + timedelta(hours=3), passed=False)]
    result = gate(history, RULES, T0 + timedelta(hours=3, minutes=10))
    assert (result.reason, result.failures_in_row) == ("wait", 1)


def test_a_certificate_needs_every_required_course_in_the_window() -> None:
    passes = [Pass("law", 1, 90, date(2026, 1, 5)), Pass("safety", 2, 80, date(2026, 2, 1))]
    assert certificate_due(["law", "safety", "communication"], passes, counts_from=date(2025, 12, 1)) is None
    earned = certificate_due(["law", "safety"], passes, counts_from=date(2025, 12, 1))
    assert earned is not None and [item.attempt_id for item in earned] == [1, 2]
    assert certificate_due(["law", "safety"], passes, counts_from=date(2026, 1, 10)) is None  # law too old
    assert certificate_due([], passes, counts_from=date(2025, 1, 1)) is None


def test_a_certificate_is_valid_from_issue_until_the_day_before_expiry() -> None:
    issued, expires = date(2026, 1, 1), date(2027, 1, 1)
    assert certificate_valid(issued, expires, False, date(2026, 1, 1))
    assert certificate_valid(issued, expires, False, date(2026, 12, 31))
    assert not certificate_valid(issued, expires, False, date(2027, 1, 1))
    assert not certificate_valid(issued, expires, False, date(2025, 12, 31))
    assert not certificate_valid(issued, expires, True, date(2026, 6, 1))
