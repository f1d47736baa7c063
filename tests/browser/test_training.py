"""A new collector on a phone takes the law course, fails once, waits, passes, receives the field
certificate and becomes plannable (issue 6)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from doorstep.accounts.models import Role
from doorstep.planning.building import scenario_build
from doorstep.training.models import Attempt, Certificate, Choice, Course
from doorstep.training.selectors import standings
from doorstep.training.services import attempt_start, attempt_submit
from tests.browser.conftest import log_in
from tests.factories import BorrowerFactory, CaseFactory, TeamFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _right_answers(attempt: Attempt) -> dict[str, list[int]]:
    return {str(question): sorted(Choice.objects.filter(question_id=question, is_correct=True)
                                  .values_list("id", flat=True)) for question in attempt.question_ids}


@pytest.fixture
def newcomer(db: Any) -> Any:
    """A collector of a two-person team with no certificate, who has passed every required course
    but the law course; and a case in the team's territory to plan."""
    territory = TerritoryFactory(code="440304", center_lat=22.54, center_lon=114.05)
    newcomer = UserFactory(username="xiaoli", role=Role.COLLECTOR, certified=False)
    partner = UserFactory(username="laozhang", role=Role.COLLECTOR)
    TeamFactory(code="FT-NEW", territory=territory, members=[newcomer, partner])
    CaseFactory(borrower=BorrowerFactory(external_id="B-TRAIN", lat=22.53, lon=114.04), territory=territory,
                collectible_amount=Decimal("5000.00"))
    past = timezone.now() - timedelta(days=2)
    for course in Course.objects.filter(is_required=True, is_published=True).exclude(code="law"):
        attempt = attempt_start(user=newcomer, course=course, now=past)
        assert attempt_submit(attempt=attempt, user=newcomer, answers=_right_answers(attempt), now=past).is_passed
    return newcomer


def _planned(day: Any) -> set[str]:
    from doorstep.accounts.models import Territory

    built = scenario_build(territory=Territory.objects.get(code="440304"), day=day)
    return {name for team in built.scenario["teams"] for name in team["members"]}


def test_a_new_collector_fails_the_law_course_then_passes_and_becomes_plannable(
        phone: Any, live_server: Any, newcomer: Any) -> None:
    today = timezone.localdate()
    assert "xiaoli" not in _planned(today)
    assert not Certificate.objects.filter(user=newcomer).exists()

    log_in(phone, live_server.url, "xiaoli")
    phone.goto(f"{live_server.url}/training/")
    assert phone.locator("[data-test=certificate]").get_attribute("data-plannable") == "no"
    phone.click("[data-test=course][data-code=law] a")
    # The lesson shows the numbers the compliance engine enforces (CN-HOURS: 08:00–22:00).
    lessons = phone.locator("[data-test=lesson]").all_text_contents()
    assert any("22:00" in text and "08:00" in text for text in lessons)

    # First attempt: every question answered wrong.
    phone.click("[data-test=start]")
    attempt = Attempt.objects.get(user=newcomer, course__code="law", submitted_at__isnull=True)
    for question_id in attempt.question_ids:
        wrong = Choice.objects.filter(question_id=question_id, is_correct=False).values_list("id", flat=True)[0]
        phone.check(f"[data-choice='{wrong}']")
    phone.click("[data-test=submit]")
    result = phone.locator("[data-test=result]")
    assert result.get_attribute("data-passed") == "no"
    assert phone.locator("[data-test=marked][data-right=no]").count() == len(attempt.question_ids)
    assert phone.locator(".explanation").count() == len(attempt.question_ids)  # answers explained afterwards
    assert phone.locator("[data-test=locked]").is_visible()  # the waiting time after a failure
    assert not Certificate.objects.filter(user=newcomer).exists()

    # The wait passes (the failed attempt is moved back by the course's waiting time).
    wait = Course.objects.get(code="law").retry_wait_minutes
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timedelta(minutes=wait + 1))
    phone.reload()
    phone.click("[data-test=retry]")
    second = Attempt.objects.get(user=newcomer, course__code="law", submitted_at__isnull=True)
    for choices in _right_answers(second).values():
        for choice in choices:
            phone.check(f"[data-choice='{choice}']")
    phone.click("[data-test=submit]")
    assert phone.locator("[data-test=result]").get_attribute("data-passed") == "yes"
    certificate = Certificate.objects.get(user=newcomer)
    assert certificate.issued_on == today and certificate.revoked_at is None
    assert phone.locator(".messages").inner_text().count(certificate.number) == 1

    phone.goto(f"{live_server.url}/training/")
    card = phone.locator("[data-test=certificate]")
    assert card.get_attribute("data-plannable") == "yes" and certificate.number in card.inner_text()
    assert standings([newcomer.pk], today)[newcomer.pk].plannable
    assert "xiaoli" in _planned(today)
