"""The training API: courses and lessons, quiz attempts (draw, marking, retries, waiting time and
lock-out), certificates and standing, notices, the case library, and who may do what — checked
against the database. Every test builds its own courses; the built-in ones are unpublished first,
since a certificate needs every published required course."""

# factory-boy 3.3 types a factory call as the factory, not the model it builds: as in the other
# test modules, those are not errors here.
# mypy: disable-error-code="arg-type, attr-defined, return-value, misc"

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from doorstep.accounts.models import Role, User
from doorstep.field.models import Visit
from doorstep.training.models import Attempt, Certificate, Choice, Course, Lesson, Notice, Question, TrainingCase
from doorstep.training.selectors import standings
from tests.factories import TeamFactory, UserFactory
from tests.field.world import field_world

API = "/api/v1/training/"


@pytest.fixture(autouse=True)
def _only_our_courses(db: None) -> None:
    Course.objects.update(is_published=False, is_required=False)


def client_for(user: User | None, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def make_course(
    code: str,
    *,
    questions: int = 4,
    draw: int = 3,
    multiple: int = 0,
    pass_mark: int = 80,
    max_attempts: int = 3,
    wait_minutes: int = 30,
    lockout_hours: int = 24,
    required: bool = True,
    published: bool = True,
) -> Course:
    """A course whose first `multiple` questions have two right answers out of four; the others one of three."""
    course = Course.objects.create(
        code=code,
        title_en=f"Course {code}",
        title_zh=f"课程 {code}",
        summary_en="About the door",
        summary_zh="关于上门",
        is_required=required,
        is_published=published,
        pass_mark=pass_mark,
        questions_per_attempt=draw,
        max_attempts=max_attempts,
        retry_wait_minutes=wait_minutes,
        lockout_hours=lockout_hours,
    )
    Lesson.objects.create(
        course=course,
        key="intro",
        order=1,
        title_en="Night visits",
        title_zh="夜间上门",
        body_en="## The rule\n\nVisits end at **[[param:day_ends_at]]**.\n\n- be polite\n- leave when asked\n\n"
        "<script>alert(1)</script>",
        body_zh="## 规则\n\n上门在 **[[param:day_ends_at]]** 结束。",
    )
    for number in range(questions):
        is_multiple = number < multiple
        question = Question.objects.create(
            course=course,
            key=f"q{number}",
            is_multiple=is_multiple,
            text_en=f"Question {number} of {code}?",
            text_zh=f"{code} 第 {number} 题？",
            explanation_en=f"Explained {code}-{number}.",
            explanation_zh=f"解释 {code}-{number}。",
        )
        count, right = (4, {0, 1}) if is_multiple else (3, {0})
        Choice.objects.bulk_create(
            [
                Choice(
                    question=question,
                    order=index,
                    text_en=f"Answer {index}",
                    text_zh=f"答案 {index}",
                    is_correct=index in right,
                )
                for index in range(count)
            ]
        )
    return course


def key_of(attempt_id: int) -> dict[str, list[int]]:
    """The right answers of an attempt's drawn questions, as the API takes them."""
    attempt = Attempt.objects.get(pk=attempt_id)
    answers: dict[str, list[int]] = {str(question_id): [] for question_id in attempt.question_ids}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=attempt.question_ids, is_correct=True
    ).values_list("question_id", "id"):
        answers[str(question_id)].append(choice_id)
    return answers


def a_wrong_choice(question_id: int) -> int:
    return (
        Choice.objects.filter(question_id=question_id, is_correct=False).order_by("id").values_list("id", flat=True)[0]
    )


def start(client: APIClient, code: str) -> Any:
    return client.post(f"{API}courses/{code}/attempts/")


def submit(client: APIClient, attempt_id: int, answers: dict[str, Any]) -> Any:
    return client.post(f"{API}attempts/{attempt_id}/submit/", {"answers": answers}, format="json")


def take(client: APIClient, code: str, *, passing: bool) -> dict[str, Any]:
    response = start(client, code)
    assert response.status_code == 201, response.content
    attempt_id = response.json()["id"]
    answers = key_of(attempt_id) if passing else {}
    marked = submit(client, attempt_id, answers)
    assert marked.status_code == 200, marked.content
    assert marked.json()["score"]["is_passed"] is passing
    return dict(marked.json())


def move_back(user: User, delta: timedelta) -> None:
    """As if the user's attempts had been submitted `delta` earlier."""
    Attempt.objects.filter(user=user, submitted_at__isnull=False).update(submitted_at=F("submitted_at") - delta)


# --- courses -------------------------------------------------------------------------------------


def test_course_list_shows_published_courses_with_the_users_progress(db: None) -> None:
    collector = UserFactory()
    make_course("t-door")
    make_course("t-draft", published=False)
    client = client_for(collector)

    body = client.get(f"{API}courses/").json()
    assert [course["code"] for course in body] == ["t-door"]
    assert body[0]["title"] == "Course t-door"
    assert body[0]["progress"] == {
        "passed_on": None,
        "attempts": 0,
        "open_attempt": None,
        "may_start": True,
        "next_attempt_at": None,
        "wait_reason": "",
        "failures_in_row": 0,
    }

    take(client, "t-door", passing=True)
    opened = start(client, "t-door").json()["id"]
    progress = client.get(f"{API}courses/").json()[0]["progress"]
    assert progress["attempts"] == 1
    assert progress["passed_on"] == timezone.localdate().isoformat()
    assert progress["open_attempt"] == opened
    assert client_for(collector, "zh-hans").get(f"{API}courses/").json()[0]["title"] == "课程 t-door"


def test_course_shows_lessons_rendered_in_the_users_language(db: None) -> None:
    make_course("t-door")
    collector = UserFactory()

    english = client_for(collector).get(f"{API}courses/t-door/").json()
    lesson = english["lessons"][0]
    assert lesson["title"] == "Night visits"
    assert lesson["html"].startswith("<h3>The rule</h3>")
    assert "<li>be polite</li>" in lesson["html"]
    assert "&lt;script&gt;" in lesson["html"] and "<script>" not in lesson["html"]
    assert "[[param" not in lesson["html"]  # the enforced value, as HH:MM
    assert "Visits end at <strong>" in lesson["html"] and ":00</strong>" in lesson["html"]

    chinese = client_for(collector, "zh-hans").get(f"{API}courses/t-door/").json()
    assert chinese["title"] == "课程 t-door"
    assert chinese["lessons"][0]["html"].startswith("<h3>规则</h3>")


def test_an_unpublished_course_is_not_found_by_collectors(db: None) -> None:
    make_course("t-draft", published=False)
    client = client_for(UserFactory())
    assert client.get(f"{API}courses/t-draft/").status_code == 404
    assert start(client, "t-draft").status_code == 404
    assert not Attempt.objects.exists()


# --- attempts ------------------------------------------------------------------------------------


def test_start_draws_the_course_size_and_leaks_no_answers_while_open(db: None) -> None:
    course = make_course("t-door", questions=6, draw=4, multiple=2)
    collector = UserFactory()
    client = client_for(collector)

    response = start(client, "t-door")
    assert response.status_code == 201
    body = response.json()
    attempt = Attempt.objects.get(pk=body["id"], user=collector, course=course, submitted_at__isnull=True)
    questions = body["questions"]
    assert len(questions) == 4 and len({question["id"] for question in questions}) == 4
    assert [question["id"] for question in questions] == attempt.question_ids
    assert {question["id"] for question in questions} <= set(course.questions.values_list("id", flat=True))
    for question in questions:
        assert [choice["id"] for choice in question["choices"]] == attempt.choice_orders[str(question["id"])]
        assert question["result"] is None
        assert set(question) == {"id", "is_multiple", "text_html", "choices", "case", "result"}
        assert all(set(choice) == {"id", "text"} for choice in question["choices"])
    assert body["status"] == "open" and body["score"] is None
    for text in (response.content.decode(), client.get(f"{API}attempts/{attempt.pk}/").content.decode()):
        assert "is_correct" not in text and "right_choices" not in text and "Explained" not in text

    again = start(client, "t-door")
    assert again.status_code == 200
    assert again.json() == body
    assert client.get(f"{API}attempts/{attempt.pk}/").json() == body
    assert Attempt.objects.filter(user=collector).count() == 1


def test_submit_marks_each_question_exactly(db: None) -> None:
    make_course("t-door", questions=3, draw=3, multiple=1, pass_mark=60)
    client = client_for(UserFactory())
    attempt_id = start(client, "t-door").json()["id"]
    key = key_of(attempt_id)
    multiple = Question.objects.get(course__code="t-door", is_multiple=True).pk
    singles = [int(question_id) for question_id in key if int(question_id) != multiple]
    answers = {
        str(multiple): key[str(multiple)][:1],  # one of the two right answers: no partial credit
        str(singles[0]): key[str(singles[0])],
        str(singles[1]): [a_wrong_choice(singles[1])],
    }

    response = submit(client, attempt_id, answers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["score"] == {"correct_count": 1, "asked": 3, "percent": 33, "is_passed": False}
    results = {question["id"]: question["result"] for question in body["questions"]}
    assert results[multiple]["is_right"] is False
    assert results[multiple]["chosen"] == key[str(multiple)][:1]
    assert results[multiple]["right_choices"] == sorted(key[str(multiple)])
    assert results[singles[0]]["is_right"] is True
    assert results[singles[1]]["is_right"] is False
    assert results[singles[1]]["right_choices"] == key[str(singles[1])]
    assert results[singles[0]]["explanation"].startswith("Explained t-door-")
    stored = Attempt.objects.get(pk=attempt_id)
    assert (stored.correct_count, stored.percent, stored.is_passed) == (1, 33, False)
    assert client.get(f"{API}attempts/{attempt_id}/").json() == body


def test_ticking_every_answer_of_a_multiple_choice_question_is_wrong_and_the_exact_set_is_right(db: None) -> None:
    make_course("t-door", questions=2, draw=2, multiple=2, pass_mark=50)
    client = client_for(UserFactory())
    attempt_id = start(client, "t-door").json()["id"]
    key = key_of(attempt_id)
    first, second = list(key)
    everything = list(Choice.objects.filter(question_id=int(first)).values_list("id", flat=True))

    body = submit(client, attempt_id, {first: everything, second: list(reversed(key[second]))}).json()
    results = {str(question["id"]): question["result"]["is_right"] for question in body["questions"]}
    assert results == {first: False, second: True}
    assert body["score"] == {"correct_count": 1, "asked": 2, "percent": 50, "is_passed": True}


def test_resubmitting_the_same_answers_returns_the_same_result_and_other_answers_conflict(db: None) -> None:
    make_course("t-door", questions=3, draw=3)
    client = client_for(UserFactory())
    attempt_id = start(client, "t-door").json()["id"]
    key = key_of(attempt_id)

    first = submit(client, attempt_id, key)
    retry = submit(client, attempt_id, key)
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()

    question = next(iter(key))
    other = {**key, question: [a_wrong_choice(int(question))]}
    conflict = submit(client, attempt_id, other)
    assert conflict.status_code == 409
    assert conflict.json()["error"] == "conflict"
    stored = Attempt.objects.get(pk=attempt_id)
    assert stored.answers == {question_id: sorted(choices) for question_id, choices in key.items()}
    assert stored.is_passed and stored.percent == 100


@pytest.mark.parametrize(
    "case", ["not drawn", "another question's choice", "not a number", "two for one", "no answers"]
)
def test_bad_answers_are_refused_naming_the_field(db: None, case: str) -> None:
    make_course("t-door", questions=3, draw=2)
    other = make_course("t-other", required=False)
    client = client_for(UserFactory())
    attempt_id = start(client, "t-door").json()["id"]
    drawn = [int(question_id) for question_id in Attempt.objects.get(pk=attempt_id).question_ids]
    key = key_of(attempt_id)
    foreign = other.questions.get(key="q0")
    answers: Any = {
        "not drawn": {str(foreign.pk): [a_wrong_choice(foreign.pk)]},
        "another question's choice": {str(drawn[0]): key[str(drawn[1])]},
        "not a number": {str(drawn[0]): ["x"]},
        "two for one": {str(drawn[0]): list(Choice.objects.filter(question_id=drawn[0]).values_list("id", flat=True))},
        "no answers": None,
    }[case]
    response = client.post(
        f"{API}attempts/{attempt_id}/submit/", {} if answers is None else {"answers": answers}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert "answers" in json.dumps(body["details"])
    assert Attempt.objects.get(pk=attempt_id).submitted_at is None


def test_a_failure_makes_the_user_wait_before_the_next_attempt(db: None) -> None:
    make_course("t-door", max_attempts=3, wait_minutes=30)
    collector = UserFactory()
    client = client_for(collector)
    failed = take(client, "t-door", passing=False)

    locked = start(client, "t-door")
    assert locked.status_code == 409
    details = locked.json()["details"]
    submitted_at = Attempt.objects.get(pk=failed["id"]).submitted_at
    assert submitted_at is not None
    assert details["reason"] == "wait"
    assert details["next_attempt_at"] == (submitted_at + timedelta(minutes=30)).isoformat()
    progress = client.get(f"{API}courses/").json()[0]["progress"]
    assert progress["may_start"] is False and progress["wait_reason"] == "wait"
    assert progress["failures_in_row"] == 1 and progress["next_attempt_at"] is not None
    assert Attempt.objects.filter(user=collector).count() == 1

    move_back(collector, timedelta(minutes=29))
    assert start(client, "t-door").status_code == 409
    move_back(collector, timedelta(minutes=2))
    assert start(client, "t-door").status_code == 201


def test_the_course_locks_after_the_last_allowed_failure_and_opens_after_the_lockout(db: None) -> None:
    make_course("t-door", max_attempts=2, wait_minutes=30, lockout_hours=24)
    collector = UserFactory()
    client = client_for(collector)
    take(client, "t-door", passing=False)
    move_back(collector, timedelta(minutes=31))
    last = take(client, "t-door", passing=False)

    locked = start(client, "t-door")
    assert locked.status_code == 409
    details = locked.json()["details"]
    assert details["reason"] == "lockout"
    last_at = Attempt.objects.get(pk=last["id"]).submitted_at
    assert last_at is not None
    assert details["next_attempt_at"] == (last_at + timedelta(hours=24)).isoformat()

    move_back(collector, timedelta(hours=23))  # well past the 30-minute wait, still inside the lock-out
    assert start(client, "t-door").json()["details"]["reason"] == "lockout"
    move_back(collector, timedelta(hours=1, minutes=1))
    assert start(client, "t-door").status_code == 201


# --- certificates --------------------------------------------------------------------------------


def test_passing_every_required_course_issues_the_certificate(db: None) -> None:
    make_course("t-door")
    make_course("t-law")
    make_course("t-optional", required=False)
    make_course("t-unpublished", published=False)
    collector = UserFactory(username="newbie", certified=False)
    client = client_for(collector)

    take(client, "t-door", passing=True)
    assert not Certificate.objects.filter(user=collector).exists()
    me = client.get(f"{API}certificates/me/").json()
    assert (me["plannable"], me["reason"], me["certificate_number"]) == (False, "no_certificate", None)
    assert me["passed_courses"] == ["t-door"] and me["missing_courses"] == ["t-law"]

    take(client, "t-law", passing=True)
    certificate = Certificate.objects.get(user=collector)
    today = timezone.localdate()
    assert certificate.issued_on == today
    assert certificate.expires_on == today + timedelta(days=settings.DOORSTEP_CERTIFICATE_VALID_DAYS)
    assert sorted(item["code"] for item in certificate.courses) == ["t-door", "t-law"]
    assert certificate.revoked_at is None

    me = client.get(f"{API}certificates/me/").json()
    assert me["plannable"] is True and me["reason"] == "certified"
    assert me["certificate_number"] == certificate.number
    assert me["expires_on"] == certificate.expires_on.isoformat()
    assert me["days_left"] == settings.DOORSTEP_CERTIFICATE_VALID_DAYS
    assert me["missing_courses"] == []
    assert [item["number"] for item in me["certificates"]] == [certificate.number]
    assert me["certificates"][0]["is_current"] is True

    notices = client.get(f"{API}notices/").json()
    assert [(notice["kind"], notice["certificate_number"]) for notice in notices] == [("issued", certificate.number)]
    read = client.post(f"{API}notices/{notices[0]['id']}/read/")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert Notice.objects.get(pk=notices[0]["id"]).read_at is not None
    assert client.get(f"{API}notices/").json() == []


def test_someone_elses_notice_cannot_be_read(db: None) -> None:
    make_course("t-door")
    owner = UserFactory(certified=False)
    take(client_for(owner), "t-door", passing=True)
    notice = Notice.objects.get(recipient=owner)
    assert client_for(UserFactory()).post(f"{API}notices/{notice.pk}/read/").status_code == 404
    assert Notice.objects.get(pk=notice.pk).read_at is None


@pytest.fixture
def crew(db: None) -> dict[str, User]:
    """A supervisor and collectors in every standing: certified, never certified, expired, to be revoked."""
    people = {
        "certified": UserFactory(username="a-certified"),
        "none": UserFactory(username="b-none", certified=False),
        "expired": UserFactory(username="c-expired", certified=False),
        "revoked": UserFactory(username="d-revoked", certified=False),
        "supervisor": UserFactory(username="boss", role=Role.SUPERVISOR),
    }
    Certificate.objects.create(
        number="OLD-1", user=people["expired"], issued_on=date(2020, 1, 1), expires_on=date(2021, 1, 1)
    )
    Certificate.objects.create(
        number="REV-1", user=people["revoked"], issued_on=date(2020, 1, 1), expires_on=date(2100, 1, 1)
    )
    TeamFactory(code="FT1", members=[people["certified"], people["none"]])
    TeamFactory(code="FT2", members=[people["certified"]])
    return people


def test_standing_shows_who_is_not_plannable_and_why(crew: dict[str, User]) -> None:
    supervisor = client_for(crew["supervisor"])
    revoke = Certificate.objects.get(number="REV-1")
    response = supervisor.post(f"{API}certificates/{revoke.pk}/revoke/", {"reason": "upheld complaint"}, format="json")
    assert response.status_code == 200
    assert response.json()["revoked_by"] == "boss" and response.json()["is_current"] is False
    revoke.refresh_from_db()
    assert revoke.revoked_at is not None and revoke.revoked_reason == "upheld complaint"

    make_course("t-door")
    take(client_for(crew["certified"]), "t-door", passing=True)

    body = supervisor.get(f"{API}standing/").json()
    assert body["day"] == timezone.localdate().isoformat() and body["required_courses"] == ["t-door"]
    rows = {row["username"]: row for row in body["collectors"]}
    assert list(rows) == ["a-certified", "b-none", "c-expired", "d-revoked"]  # collectors only, by username
    assert [(row["plannable"], row["reason"]) for row in rows.values()] == [
        (True, "certified"),
        (False, "no_certificate"),
        (False, "expired"),
        (False, "revoked"),
    ]
    assert rows["a-certified"]["teams"] == ["FT1", "FT2"]
    assert rows["a-certified"]["passed_courses"] == ["t-door"] and rows["a-certified"]["missing_courses"] == []
    assert rows["b-none"]["missing_courses"] == ["t-door"] and rows["b-none"]["certificate_number"] is None
    assert rows["c-expired"]["expires_on"] == "2021-01-01" and rows["c-expired"]["certificate_number"] == "OLD-1"

    back_then = supervisor.get(f"{API}standing/", {"day": "2020-06-01"}).json()
    reasons = {row["username"]: row["reason"] for row in back_then["collectors"]}
    assert reasons["c-expired"] == "certified"  # valid on that day
    assert reasons["d-revoked"] == "revoked"

    bad = supervisor.get(f"{API}standing/", {"day": "2026-02-30"})
    assert bad.status_code == 400 and bad.json()["details"] == {"field": "day"}


def test_a_course_passed_twice_is_listed_once(db: None) -> None:
    make_course("t-door")
    collector = UserFactory()
    client = client_for(collector)
    take(client, "t-door", passing=True)
    take(client, "t-door", passing=True)
    assert standings([collector.pk], timezone.localdate())[collector.pk].passed_courses == ["t-door"]
    assert client.get(f"{API}certificates/me/").json()["passed_courses"] == ["t-door"]


def test_a_certificate_is_revoked_only_with_a_reason(crew: dict[str, User]) -> None:
    certificate = Certificate.objects.get(user=crew["certified"])
    response = client_for(crew["supervisor"]).post(
        f"{API}certificates/{certificate.pk}/revoke/", {"reason": "  "}, format="json"
    )
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


# --- permissions ---------------------------------------------------------------------------------


def test_collectors_cannot_see_standing_or_revoke(crew: dict[str, User]) -> None:
    collector = client_for(crew["certified"])
    assert collector.get(f"{API}standing/").status_code == 403
    certificate = Certificate.objects.get(user=crew["certified"])
    response = collector.post(
        f"{API}certificates/{certificate.pk}/revoke/", {"reason": "I do not like them"}, format="json"
    )
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_attempt_is_its_takers_own(db: None) -> None:
    make_course("t-door")
    owner, other = UserFactory(), UserFactory()
    supervisor = UserFactory(role=Role.SUPERVISOR)
    attempt_id = start(client_for(owner), "t-door").json()["id"]

    assert client_for(other).get(f"{API}attempts/{attempt_id}/").status_code == 403
    assert submit(client_for(other), attempt_id, key_of(attempt_id)).status_code == 403
    assert client_for(supervisor).get(f"{API}attempts/{attempt_id}/").status_code == 200  # overseers read it
    assert submit(client_for(supervisor), attempt_id, key_of(attempt_id)).status_code == 403  # but never take it
    assert Attempt.objects.get(pk=attempt_id).submitted_at is None
    assert client_for(other).get(f"{API}attempts/999999/").status_code == 404
    assert client_for(None).get(f"{API}courses/").status_code in (401, 403)


# --- case library --------------------------------------------------------------------------------


@pytest.fixture
def closed_visit(db: None) -> Visit:
    world = field_world(date(2026, 5, 4))
    stop = world.stops[0]
    borrower = stop.case.borrower
    return Visit.objects.create(
        case=stop.case,
        borrower=borrower,
        stop=stop,
        team=world.team,
        day=world.day,
        status=Visit.Status.CLOSED,
        outcome=Visit.Outcome.MET,
        party_met="debtor",
        arrears_reason=Visit.ArrearsReason.JOB_LOSS,
        arrears_note=f"{borrower.name} lost the job in March",
        closed_at=timezone.now(),
    )


def test_a_supervisor_turns_a_visit_into_a_case_that_is_reviewed_and_published(closed_visit: Visit) -> None:
    supervisor = client_for(User.objects.get(username="fboss"))
    collector = client_for(User.objects.get(username="fc1"))
    name = closed_visit.borrower.name

    made = supervisor.post(f"{API}cases/from-visit/{closed_visit.pk}/")
    assert made.status_code == 201
    case = made.json()
    assert case["status"] == "draft" and case["source_visit"] == closed_visit.pk
    assert name not in case["situation"] and "lost the job" in case["situation"]
    again = supervisor.post(f"{API}cases/from-visit/{closed_visit.pk}/")
    assert again.status_code == 200 and again.json()["id"] == case["id"]
    assert TrainingCase.objects.count() == 1

    assert collector.post(f"{API}cases/from-visit/{closed_visit.pk}/").status_code == 403
    assert collector.get(f"{API}cases/").json() == []
    assert collector.get(f"{API}cases/{case['id']}/").status_code == 404
    assert [item["id"] for item in supervisor.get(f"{API}cases/").json()] == [case["id"]]

    no_lessons = supervisor.post(f"{API}cases/{case['id']}/publish/")
    assert no_lessons.status_code == 400 and no_lessons.json()["details"]["field"] == "lessons_learnt"
    edited = supervisor.patch(f"{API}cases/{case['id']}/", {"lessons_learnt": f"Listen to {name} first"}, format="json")
    assert edited.status_code == 200
    assert name not in edited.json()["lessons_learnt"] and "Listen to" in edited.json()["lessons_learnt"]

    # A name that slipped into the stored text (say, before an anonymiser fix) stops the publication.
    TrainingCase.objects.filter(pk=case["id"]).update(situation=f"Met {name} at home.")
    leaking = supervisor.post(f"{API}cases/{case['id']}/publish/")
    assert leaking.status_code == 400
    assert leaking.json()["details"]["kinds"] == ["borrower"]
    assert TrainingCase.objects.get(pk=case["id"]).status == TrainingCase.Status.DRAFT

    supervisor.patch(f"{API}cases/{case['id']}/", {"situation": "Met the borrower at home."}, format="json")
    published = supervisor.post(f"{API}cases/{case['id']}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert TrainingCase.objects.filter(pk=case["id"], reviewed_by__username="fboss").exists()

    seen = collector.get(f"{API}cases/").json()
    assert [item["id"] for item in seen] == [case["id"]]
    assert "source_visit" not in seen[0]
    assert collector.get(f"{API}cases/{case['id']}/").status_code == 200
    assert supervisor.patch(f"{API}cases/{case['id']}/", {"title": "New"}, format="json").status_code == 409
    assert collector.patch(f"{API}cases/{case['id']}/", {"title": "New"}, format="json").status_code == 403


def test_case_edits_are_validated(closed_visit: Visit) -> None:
    supervisor = client_for(User.objects.get(username="fboss"))
    case_id = supervisor.post(f"{API}cases/from-visit/{closed_visit.pk}/").json()["id"]
    response = supervisor.patch(f"{API}cases/{case_id}/", {"result": "maybe"}, format="json")
    assert response.status_code == 400 and "result" in response.json()["details"]
    assert supervisor.get(f"{API}cases/", {"status": "nonsense"}).status_code == 400
    assert supervisor.post(f"{API}cases/from-visit/999999/").status_code == 404
