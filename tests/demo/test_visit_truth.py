"""The demo's generated field visits and their documented true effect (doorstep.demo.behaviour, .truth)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest

from doorstep.compliance.models import ContactAttempt
from doorstep.demo.behaviour import SEGMENT_BY_NAME, VISIT_RESPONSE, Due, LoanWalk, visit_chance
from doorstep.demo.book import BorrowerHistory, book_generate, review_days
from doorstep.demo.services import VISIT_DISTRICTS, demo_seed
from doorstep.demo.truth import payment_chance, visit_uplift
from doorstep.scoring.features import case_features

AS_OF = date(2026, 12, 1)
DAY = date(2026, 6, 30)


def generated(seed: int = 11, borrowers: int = 600) -> dict[str, BorrowerHistory]:
    return book_generate(borrowers=borrowers, seed=seed, as_of=AS_OF, visit_districts=VISIT_DISTRICTS).histories


def test_the_documented_true_effect_per_segment() -> None:
    assert VISIT_RESPONSE == {"prime": 0.0, "steady": 0.15, "wobbly": 0.45, "strained": 0.40, "defaulted": 0.0}


def test_the_true_uplift_is_zero_for_prime_and_defaulted_and_largest_for_wobbly_and_strained() -> None:
    uplift: dict[str, list[float]] = defaultdict(list)
    for history in generated().values():
        for day in (DAY, DAY + timedelta(days=61)):
            uplift[history.segment].append(visit_uplift(history, day))
    assert set(uplift["prime"]) == {0.0} and set(uplift["defaulted"]) == {0.0}
    assert all(0.0 <= value <= VISIT_RESPONSE[segment] for segment, values in uplift.items() for value in values)

    def mean_when_positive(segment: str) -> float:
        positive = [value for value in uplift[segment] if value > 0]
        assert len(positive) >= 10, segment
        return sum(positive) / len(positive)

    assert mean_when_positive("wobbly") > 2 * mean_when_positive("steady")
    assert mean_when_positive("strained") > 2 * mean_when_positive("steady")


def _walk(segment: str, *, owed: int, due_in_days: int, landings: list[tuple[date, date]] | None = None) -> LoanWalk:
    walk = LoanWalk(
        segment, (Due(DAY - timedelta(days=20), 10_000), Due(DAY + timedelta(days=due_in_days), 10_000)), None
    )
    walk.owed_after.append((DAY - timedelta(days=20), owed))
    walk.landings.extend(landings or [])
    return walk


def test_the_true_uplift_is_the_response_times_the_chance_of_no_payment_by_hand() -> None:
    wobbly = SEGMENT_BY_NAME["wobbly"]
    # Behind, one installment due 10 days on, landing 9-22 days on: all inside the 30-day window.
    history = BorrowerHistory("DEMO-B1", "wobbly", [_walk("wobbly", owed=10_000, due_in_days=10)])
    nothing = (1 - wobbly.cure) * (1 - wobbly.pay - wobbly.partial)
    assert payment_chance(history, DAY, visited=False) == pytest.approx(1 - nothing)
    assert visit_uplift(history, DAY) == pytest.approx(VISIT_RESPONSE["wobbly"] * nothing)


def test_no_effect_when_current_or_when_a_payment_already_lands_in_the_window() -> None:
    current = BorrowerHistory("DEMO-B2", "wobbly", [_walk("wobbly", owed=0, due_in_days=10)])
    assert visit_uplift(current, DAY) == 0.0
    landing = [(DAY - timedelta(days=2), DAY + timedelta(days=3))]  # decided before the day, lands after it
    paying = BorrowerHistory("DEMO-B3", "strained", [_walk("strained", owed=10_000, due_in_days=10, landings=landing)])
    assert payment_chance(paying, DAY, visited=False) == 1.0
    assert visit_uplift(paying, DAY) == 0.0


def test_visits_are_seeded_reproducible_and_chosen_by_what_the_lender_sees() -> None:
    first = book_generate(borrowers=400, seed=5, as_of=AS_OF, visit_districts=VISIT_DISTRICTS)
    again = book_generate(borrowers=400, seed=5, as_of=AS_OF, visit_districts=VISIT_DISTRICTS)
    other = book_generate(borrowers=400, seed=6, as_of=AS_OF, visit_districts=VISIT_DISTRICTS)
    assert first.visits and first.visits == again.visits and first.rows == again.rows
    assert first.visits != other.visits
    assert not book_generate(borrowers=400, seed=5, as_of=AS_OF).visits  # no district with a team: no visits
    reviews = review_days(AS_OF)
    assert len(reviews) == 12 and reviews[-1] == date(2026, 11, 30)
    by_borrower: dict[str, list[date]] = defaultdict(list)
    for borrower_id, visit in first.visits:
        assert reviews[0] < visit.day < AS_OF
        by_borrower[borrower_id].append(visit.day)
    for days in by_borrower.values():
        assert all((later - earlier).days >= 31 for earlier, later in pairwise(days))
    # The lender's rule reads days past due and arrears, never the segment.
    assert visit_chance(dpd=75, arrears_cents=500_000) > visit_chance(dpd=75, arrears_cents=10_000)
    assert visit_chance(dpd=75, arrears_cents=10_000) > visit_chance(dpd=10, arrears_cents=10_000)


@pytest.mark.django_db
def test_seeded_visits_are_contact_attempts_the_features_count() -> None:
    report = demo_seed(borrowers=300, seed=7, as_of=AS_OF)
    attempts = ContactAttempt.objects.filter(channel="visit", idempotency_key__startswith="demo-visit-")
    assert report.visits > 0 and attempts.count() == report.visits
    assert set(attempts.values_list("outcome", flat=True)) <= {"met", "not_met"}
    last = attempts.order_by("-at").first()
    assert last is not None
    features = case_features(as_of=AS_OF - timedelta(days=1))
    column = features.matrix.names.index("visits_90d")
    assert features.matrix.values[:, column].sum() > 0
