"""A promise's status, computed from the payments inside its window."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorstep.field.core.promises import PromiseOutcome, PromiseStatus, promise_status

D = Decimal
MADE_ON = date(2026, 12, 1)
DUE_ON = date(2026, 12, 5)


def status(payments: list[tuple[date, Decimal]], *, today: date, amount: str = "500", grace_days: int = 0,
           made_on: date = MADE_ON, due_on: date = DUE_ON) -> PromiseOutcome:
    return promise_status(amount=D(amount), made_on=made_on, due_on=due_on, payments=payments, today=today,
                          grace_days=grace_days)


def test_a_promise_is_broken_when_nothing_paid_by_the_due_date() -> None:
    outcome = status([(DUE_ON, D("0"))], today=date(2026, 12, 6))
    assert outcome == PromiseOutcome(status=PromiseStatus.BROKEN, paid=D("0.00"), shortfall=D("500.00"),
                                     window_ends_on=DUE_ON)


def test_a_promise_is_pending_until_the_end_of_the_due_date() -> None:
    assert status([], today=MADE_ON).status is PromiseStatus.PENDING
    assert status([], today=DUE_ON).status is PromiseStatus.PENDING
    assert status([], today=DUE_ON + timedelta(days=1)).status is PromiseStatus.BROKEN


def test_paying_in_full_keeps_the_promise_at_once_even_before_the_due_date() -> None:
    outcome = status([(date(2026, 12, 2), D("500"))], today=date(2026, 12, 2))
    assert (outcome.status, outcome.paid, outcome.shortfall) == (PromiseStatus.KEPT, D("500.00"), D("0.00"))


def test_several_payments_add_up_to_keep_it() -> None:
    outcome = status([(date(2026, 12, 2), D("200")), (DUE_ON, D("300"))], today=date(2027, 1, 1))
    assert outcome.status is PromiseStatus.KEPT


def test_overpaying_is_kept_with_no_shortfall() -> None:
    outcome = status([(date(2026, 12, 3), D("650.50"))], today=date(2026, 12, 3))
    assert (outcome.status, outcome.paid, outcome.shortfall) == (PromiseStatus.KEPT, D("650.50"), D("0.00"))


def test_part_paid_is_pending_before_and_partly_kept_after_the_due_date() -> None:
    payments = [(date(2026, 12, 3), D("120.25"))]
    assert status(payments, today=DUE_ON).status is PromiseStatus.PENDING
    outcome = status(payments, today=date(2026, 12, 6))
    assert (outcome.status, outcome.paid, outcome.shortfall) == (PromiseStatus.PARTLY_KEPT, D("120.25"),
                                                                 D("379.75"))


def test_payments_before_the_promise_was_made_do_not_count() -> None:
    outcome = status([(MADE_ON - timedelta(days=1), D("500"))], today=date(2026, 12, 6))
    assert (outcome.status, outcome.paid) == (PromiseStatus.BROKEN, D("0.00"))


def test_payments_on_the_day_the_promise_is_made_count() -> None:
    assert status([(MADE_ON, D("500"))], today=MADE_ON).status is PromiseStatus.KEPT


def test_payments_after_the_window_do_not_unbreak_the_promise() -> None:
    outcome = status([(DUE_ON + timedelta(days=1), D("500"))], today=date(2026, 12, 10))
    assert (outcome.status, outcome.paid) == (PromiseStatus.BROKEN, D("0.00"))


def test_grace_days_extend_the_window() -> None:
    late = [(DUE_ON + timedelta(days=2), D("500"))]
    assert status(late, today=date(2026, 12, 10), grace_days=2).status is PromiseStatus.KEPT
    assert status(late, today=date(2026, 12, 10), grace_days=1).status is PromiseStatus.BROKEN
    outcome = status([], today=DUE_ON + timedelta(days=2), grace_days=2)
    assert (outcome.status, outcome.window_ends_on) == (PromiseStatus.PENDING, date(2026, 12, 7))
    assert status([], today=DUE_ON + timedelta(days=3), grace_days=2).status is PromiseStatus.BROKEN


def test_a_promise_due_the_day_it_is_made() -> None:
    assert status([], today=MADE_ON, due_on=MADE_ON).status is PromiseStatus.PENDING
    assert status([], today=DUE_ON, due_on=MADE_ON).status is PromiseStatus.BROKEN


def test_payments_may_be_any_iterable() -> None:
    payments = iter([(date(2026, 12, 2), D("250")), (date(2026, 12, 3), D("250"))])
    assert status(payments, today=DUE_ON).status is PromiseStatus.KEPT  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "message"), [
    ({"amount": D("0")}, "must be above 0"),
    ({"amount": D("-10")}, "must be above 0"),
    ({"amount": D("10.001")}, "at most two decimal places"),
    ({"amount": D("NaN")}, "finite"),
    ({"due_on": MADE_ON - timedelta(days=1)}, "before it was made"),
    ({"grace_days": -1}, "grace period"),
    ({"grace_days": 1.5}, "grace period"),
    ({"payments": [(DUE_ON, D("-5"))]}, "negative"),
    ({"payments": [(DUE_ON, D("5.005"))]}, "at most two decimal places"),
])
def test_bad_input_is_refused(changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"amount": D("500"), "made_on": MADE_ON, "due_on": DUE_ON, "payments": [],
                                    "today": DUE_ON}
    arguments.update(changes)
    with pytest.raises(ValueError, match=message):
        promise_status(**arguments)  # type: ignore[arg-type]


def test_a_float_amount_is_refused() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        promise_status(amount=500.0, made_on=MADE_ON, due_on=DUE_ON, payments=[],  # type: ignore[arg-type]
                       today=DUE_ON)


# Properties

AMOUNTS = st.integers(min_value=0, max_value=1_000_000).map(lambda cents: D(cents) / 100)
OFFSETS = st.integers(min_value=-30, max_value=60)  # days after the promise was made


@st.composite
def promises(draw: st.DrawFn) -> dict[str, object]:
    made_on = MADE_ON
    due_on = made_on + timedelta(days=draw(st.integers(min_value=0, max_value=30)))
    payments = draw(st.lists(st.tuples(OFFSETS.map(lambda days: made_on + timedelta(days=days)), AMOUNTS),
                             max_size=6))
    return {"amount": D(draw(st.integers(min_value=1, max_value=1_000_000))) / 100, "made_on": made_on,
            "due_on": due_on, "payments": payments, "today": made_on + timedelta(days=draw(OFFSETS)),
            "grace_days": draw(st.integers(min_value=0, max_value=5))}


def window(promise: dict[str, object]) -> st.SearchStrategy[date]:
    made_on, due_on, grace_days = promise["made_on"], promise["due_on"], promise["grace_days"]
    assert isinstance(made_on, date) and isinstance(due_on, date) and isinstance(grace_days, int)
    return st.dates(min_value=made_on, max_value=due_on + timedelta(days=grace_days))


@given(promises())
def test_paid_and_shortfall_follow_the_window(promise: dict[str, object]) -> None:
    outcome = promise_status(**promise)  # type: ignore[arg-type]
    payments = promise["payments"]
    amount = promise["amount"]
    today = promise["today"]
    assert isinstance(payments, list) and isinstance(amount, Decimal) and isinstance(today, date)
    expected = sum((paid for paid_on, paid in payments if promise["made_on"] <= paid_on <= outcome.window_ends_on),
                   D("0"))
    assert outcome.paid == expected
    assert outcome.shortfall == max(D("0"), amount - expected)
    assert (outcome.status is PromiseStatus.KEPT) == (outcome.paid >= amount) == (outcome.shortfall == 0)
    if outcome.status is PromiseStatus.PENDING:
        assert today <= outcome.window_ends_on
    if outcome.status is PromiseStatus.BROKEN:
        assert outcome.paid == 0


@given(st.data(), promises())
def test_adding_a_payment_in_the_window_never_unkeeps_a_kept_promise(data: st.DataObject,
                                                                     promise: dict[str, object]) -> None:
    before = promise_status(**promise)  # type: ignore[arg-type]
    extra = (data.draw(window(promise)), data.draw(AMOUNTS))
    payments = promise["payments"]
    assert isinstance(payments, list)
    after = promise_status(**{**promise, "payments": [*payments, extra]})  # type: ignore[arg-type]
    assert after.paid >= before.paid
    if before.status is PromiseStatus.KEPT:
        assert after.status is PromiseStatus.KEPT
    if before.status is PromiseStatus.PARTLY_KEPT:
        assert after.status in (PromiseStatus.PARTLY_KEPT, PromiseStatus.KEPT)


@given(promises(), st.lists(st.tuples(st.integers(min_value=1, max_value=100), AMOUNTS), max_size=4))
def test_payments_outside_the_window_change_nothing(promise: dict[str, object],
                                                   outside: list[tuple[int, Decimal]]) -> None:
    before = promise_status(**promise)  # type: ignore[arg-type]
    made_on = promise["made_on"]
    assert isinstance(made_on, date)
    extra = [(made_on - timedelta(days=days), paid) for days, paid in outside]
    extra += [(before.window_ends_on + timedelta(days=days), paid) for days, paid in outside]
    payments = promise["payments"]
    assert isinstance(payments, list)
    assert promise_status(**{**promise, "payments": [*payments, *extra]}) == before  # type: ignore[arg-type]


@given(promises(), st.randoms())
def test_the_order_of_payments_does_not_matter(promise: dict[str, object], random: object) -> None:
    payments = promise["payments"]
    assert isinstance(payments, list)
    shuffled = list(payments)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert promise_status(**{**promise, "payments": shuffled}) == promise_status(**promise)  # type: ignore[arg-type]


@given(promises(), st.integers(min_value=1, max_value=400))
def test_once_the_window_has_passed_the_status_is_final(promise: dict[str, object], days: int) -> None:
    settled = promise_status(**promise)  # type: ignore[arg-type]
    later = promise_status(**{**promise, "today": settled.window_ends_on + timedelta(days=days)})  # type: ignore[arg-type]
    if settled.status is not PromiseStatus.PENDING:
        assert later == settled
    assert later.status is not PromiseStatus.PENDING
