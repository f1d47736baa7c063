"""Trainers edit courses, lessons and questions in the console: who may, what is saved, what a
refused change shows (the service's message) and that it changes nothing; the markup preview."""

# factory-boy types a factory call as the factory, not the model it builds.
# mypy: disable-error-code="arg-type, attr-defined, return-value, misc"

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from doorstep.accounts.models import Role, User
from doorstep.common.models import AuditEntry
from doorstep.training.models import Attempt, Choice, Course, Lesson, Question
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def trainer() -> User:
    return UserFactory(username="trainer", role=Role.TRAINER)


def _course(code: str = "x-doors", *, questions: int = 0, published: bool = False, **fields: Any) -> Course:
    course = Course.objects.create(code=code, title_en=f"{code} course", title_zh=f"{code}课程",
                                   is_published=published, questions_per_attempt=2, **fields)
    for number in range(questions):
        question = Question.objects.create(course=course, key=f"q{number}", text_en=f"Question {number}?",
                                           text_zh=f"问题{number}？", explanation_en="Because.",
                                           explanation_zh="因为。")
        Choice.objects.create(question=question, order=1, text_en="Right", text_zh="对", is_correct=True)
        Choice.objects.create(question=question, order=2, text_en="Wrong", text_zh="错")
    return course


COURSE_POST = {"title_en": "Listening at the door", "title_zh": "门口的倾听", "summary_en": "", "summary_zh": "",
               "order": "5", "is_required": "on", "pass_mark": "80", "questions_per_attempt": "2",
               "max_attempts": "3", "retry_wait_minutes": "30", "lockout_hours": "24",
               "time_limit_minutes": "30"}


def _question_post(*, choices: list[tuple[str, str, bool]], rows: int = 5, **fields: str) -> dict[str, str]:
    data = {"text_en": "When may you visit?", "text_zh": "何时可以上门？", "explanation_en": "The rule says so.",
            "explanation_zh": "规则如此。", "is_active": "on", "choice-TOTAL_FORMS": str(rows),
            "choice-INITIAL_FORMS": "0", "choice-MIN_NUM_FORMS": "0", "choice-MAX_NUM_FORMS": "12", **fields}
    for index in range(rows):
        english, chinese, right = choices[index] if index < len(choices) else ("", "", False)
        data[f"choice-{index}-text_en"] = english
        data[f"choice-{index}-text_zh"] = chinese
        if right:
            data[f"choice-{index}-is_correct"] = "on"
    return data


# --- access --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.COLLECTOR, Role.SUPERVISOR, Role.COMPLIANCE, Role.ANALYST])
def test_only_trainers_and_admins_of_the_lender_reach_the_editor(role: str) -> None:
    course = _course(questions=1)
    question = course.questions.get()
    lesson = Lesson.objects.create(course=course, key="k", title_en="T", title_zh="题", body_en="a", body_zh="甲")
    client = _client(UserFactory(role=role))
    pages = ["/training/manage/", "/training/manage/new/", f"/training/manage/{course.code}/",
             f"/training/manage/{course.code}/lessons/new/", f"/training/manage/{course.code}/lessons/{lesson.pk}/",
             f"/training/manage/{course.code}/questions/new/",
             f"/training/manage/{course.code}/questions/{question.pk}/"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Not for your role" in response.text
    assert client.post("/training/manage/new/", {**COURSE_POST, "code": "sneaky"}).status_code == 403
    assert client.post(f"/training/manage/{course.code}/", {**COURSE_POST}).status_code == 403
    assert client.post(f"/training/manage/{course.code}/questions/{question.pk}/active/",
                       {"is_active": "0"}).status_code == 403
    assert client.post("/training/manage/preview/", {"body_en": "x", "body_zh": "y"}).status_code == 403
    assert client.post(f"/training/manage/{course.code}/lessons/{lesson.pk}/", {
        "order": "1", "title_en": "Changed", "title_zh": "改", "body_en": "b", "body_zh": "乙"}).status_code == 403
    assert Lesson.objects.get(pk=lesson.pk).title_en == "T"
    assert not Course.objects.filter(code="sneaky").exists()
    course.refresh_from_db()
    assert course.title_en == "x-doors course"
    assert Question.objects.get(pk=question.pk).is_active


def test_an_agency_trainer_may_not_edit_the_lenders_courses() -> None:
    client = _client(UserFactory(role=Role.TRAINER, agency=AgencyFactory()))
    assert client.get("/training/manage/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_log_in() -> None:
    response = Client().get("/training/manage/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_admin_may_edit(db: None) -> None:
    assert _client(UserFactory(role=Role.ADMIN)).get("/training/manage/").status_code == 200


# --- the course list and a course ----------------------------------------------------------------

def test_the_list_shows_each_course_with_its_counts_and_pass_rate(trainer: User) -> None:
    course = _course("x-law", questions=3, published=True, pass_mark=70, max_attempts=4, retry_wait_minutes=15,
                     lockout_hours=12)
    Lesson.objects.create(course=course, key="one", title_en="One", title_zh="一", body_en="a", body_zh="甲")
    course.questions.filter(key="q0").update(is_active=False)
    taker = UserFactory()
    for passed, minute in ((False, 1), (True, 2), (True, 3)):
        Attempt.objects.create(user=taker, course=course, started_at=f"2026-06-01T10:0{minute}:00Z",
                               submitted_at=f"2026-06-01T10:0{minute}:30Z", pass_mark=70, is_passed=passed)
    _course("x-draft")
    response = _client(trainer).get("/training/manage/")
    assert response.status_code == 200
    row = response.text.split('id="course-x-law"')[1].split("</tr>")[0]
    assert "x-law课程" in row and "x-law course" in row
    assert "70%" in row
    assert "4 · 15 min · 12 h" in row
    assert ">1</td>" in row  # one lesson
    assert ">2 <span" in row or ">2</td>" in row  # two active questions of three
    assert "67%" in row and "(2/3" in row  # passed of submitted attempts
    assert "small n" in row
    draft = response.text.split('id="course-x-draft"')[1].split("</tr>")[0]
    assert "draft" in draft and "none yet" in draft


def test_a_trainer_creates_a_course_unpublished_and_edits_it(trainer: User) -> None:
    client = _client(trainer)
    page = client.get("/training/manage/new/")
    assert page.status_code == 200
    assert 'name="is_published"' in page.text and 'name="is_published" checked' not in page.text
    created = client.post("/training/manage/new/", {**COURSE_POST, "code": "x-listening"})
    assert created.status_code == 302
    assert created["Location"] == "/training/manage/x-listening/"
    course = Course.objects.get(code="x-listening")
    assert (course.title_en, course.title_zh, course.order, course.is_required, course.is_published,
            course.pass_mark) == ("Listening at the door", "门口的倾听", 5, True, False, 80)
    edited = client.post("/training/manage/x-listening/", {**COURSE_POST, "title_en": "Listening well",
                                                        "pass_mark": "90", "lockout_hours": "48"})
    assert edited.status_code == 302
    course.refresh_from_db()
    assert (course.title_en, course.pass_mark, course.lockout_hours, course.is_required) == (
        "Listening well", 90, 48, True)
    assert AuditEntry.objects.filter(action="training.course_save").count() == 2
    assert "Course saved." in client.get("/training/manage/x-listening/").text


def test_publishing_without_enough_questions_shows_the_services_reason_and_changes_nothing(trainer: User) -> None:
    course = _course("x-thin", questions=1)
    response = _client(trainer).post("/training/manage/x-thin/", {
        **COURSE_POST, "title_en": "Renamed", "is_published": "on"})
    assert response.status_code == 400
    assert "a published course needs at least 2 active questions; it has 1" in response.text
    assert 'role="alert"' in response.text
    course.refresh_from_db()
    assert (course.title_en, course.is_published) == ("x-thin course", False)
    # The page header shows what is stored, not the refused title.
    assert "<h1>x-thin课程 · x-thin course" in response.text
    assert not AuditEntry.objects.filter(action="training.course_save").exists()


def test_a_taken_or_bad_code_and_a_bad_pass_mark_are_refused(trainer: User) -> None:
    _course("x-taken")
    client = _client(trainer)
    taken = client.post("/training/manage/new/", {**COURSE_POST, "code": "x-taken", "title_en": "Other"})
    assert taken.status_code == 400
    assert "is empty or taken" in taken.text
    assert Course.objects.get(code="x-taken").title_en == "x-taken course"
    reserved = client.post("/training/manage/new/", {**COURSE_POST, "code": "new"})
    assert reserved.status_code == 400
    assert "This code is reserved" in reserved.text
    mark = client.post("/training/manage/new/", {**COURSE_POST, "code": "x-fresh", "pass_mark": "150"})
    assert mark.status_code == 400
    assert "the pass mark is a percentage from 1 to 100" in mark.text
    untitled = client.post("/training/manage/new/", {**COURSE_POST, "code": "x-fresh", "title_zh": " "})
    assert "a course needs a title in English and in Chinese" in untitled.text
    assert not Course.objects.filter(code__in=["new", "x-fresh"]).exists()


def test_an_unknown_course_is_not_found(trainer: User) -> None:
    assert _client(trainer).get("/training/manage/nothing-here/").status_code == 404


# --- lessons and the preview ---------------------------------------------------------------------

def test_a_trainer_adds_and_edits_a_lesson(trainer: User) -> None:
    course = _course()
    client = _client(trainer)
    page = client.get("/training/manage/x-doors/lessons/new/")
    assert page.status_code == 200
    assert 'hx-post="/training/manage/preview/"' in page.text
    created = client.post("/training/manage/x-doors/lessons/new/", {
        "key": "knock", "order": "1", "title_en": "Knocking", "title_zh": "敲门",
        "body_en": "## Before\n\nVisit between [[param:day_starts_at]] and [[param:day_ends_at]].",
        "body_zh": "上门时间为 [[param:day_starts_at]] 至 [[param:day_ends_at]]。"})
    lesson = Lesson.objects.get(course=course, key="knock")
    assert created.status_code == 302
    assert created["Location"] == f"/training/manage/x-doors/lessons/{lesson.pk}/"
    assert lesson.body_en.startswith("## Before")
    shown = client.get(f"/training/manage/x-doors/lessons/{lesson.pk}/")
    assert "<h3>Before</h3>" in shown.text  # the stored text previewed on opening
    assert "Visit between 08:00 and 22:00." in shown.text
    edited = client.post(f"/training/manage/x-doors/lessons/{lesson.pk}/", {
        "order": "2", "title_en": "Knocking politely", "title_zh": "礼貌敲门", "body_en": "Knock twice.",
        "body_zh": "敲两下。"})
    assert edited.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title_en, lesson.order, lesson.body_zh) == ("Knocking politely", 2, "敲两下。")


def test_a_lesson_with_an_unknown_placeholder_is_refused_and_nothing_is_saved(trainer: User) -> None:
    _course()
    response = _client(trainer).post("/training/manage/x-doors/lessons/new/", {
        "key": "bad", "order": "1", "title_en": "Bad", "title_zh": "坏",
        "body_en": "See [[rule:NO-SUCH-RULE]].", "body_zh": "见规则。"})
    assert response.status_code == 400
    assert "body_en: unknown rule NO-SUCH-RULE" in response.text
    assert "⟦rule:NO-SUCH-RULE⟧" in response.text  # the preview still shows the rest, the bad part flagged
    assert not Lesson.objects.filter(key="bad").exists()


def test_a_lesson_without_chinese_text_is_refused_with_the_services_message(trainer: User) -> None:
    course = _course()
    lesson = Lesson.objects.create(course=course, key="k", title_en="T", title_zh="题", body_en="a", body_zh="甲")
    response = _client(trainer).post(f"/training/manage/x-doors/lessons/{lesson.pk}/", {
        "order": "1", "title_en": "New title", "title_zh": "题", "body_en": "b", "body_zh": "  "})
    assert response.status_code == 400
    assert "body_zh is empty: a lesson has a title and text in both languages" in response.text
    lesson.refresh_from_db()
    assert (lesson.title_en, lesson.body_en) == ("T", "a")


def test_the_preview_escapes_html_resolves_placeholders_and_lists_problems(trainer: User) -> None:
    response = _client(trainer).post("/training/manage/preview/", {
        "body_en": "<script>alert(1)</script> **Ends** at [[param:day_ends_at]]\n\n- [[rule:CN-HOURS]]\n- "
                   "[[param:nope]]",
        "body_zh": "<img src=x onerror=alert(2)> 晚上 [[param:day_ends_at|+60]] 之后"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.text
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "<strong>Ends</strong> at 22:00" in text
    assert "<li>No collection at night (22:00–08:00)</li>" in text
    assert "unknown rule parameter nope" in text
    assert "⟦param:nope⟧" in text
    assert "23:00" in text  # the offset applied in the Chinese preview
    assert "<html" not in text  # a fragment for HTMX


def test_the_preview_button_works_without_javascript_and_saves_nothing(trainer: User) -> None:
    _course()
    response = _client(trainer).post("/training/manage/x-doors/lessons/new/", {
        "key": "draft", "order": "1", "title_en": "Draft", "title_zh": "草稿", "body_en": "**Hello**",
        "body_zh": "你好", "action": "preview"})
    assert response.status_code == 200
    assert "<strong>Hello</strong>" in response.text
    assert not Lesson.objects.filter(key="draft").exists()


def test_the_help_box_lists_the_parameters_with_their_enforced_values(trainer: User) -> None:
    _course()
    text = _client(trainer).get("/training/manage/x-doors/lessons/new/").text
    assert "[[rule:ID]]" in text and "[[param:name]]" in text
    assert "<code>[[param:day_ends_at]]</code></td><td>22:00</td>" in text
    assert "<code>[[param:visit_min_team]]</code></td><td>2</td>" in text
    assert "<code>[[rule:CN-HOURS]]</code>" in text


# --- questions -----------------------------------------------------------------------------------

def test_a_trainer_adds_a_question_and_empty_answer_rows_are_ignored(trainer: User) -> None:
    course = _course()
    client = _client(trainer)
    page = client.get("/training/manage/x-doors/questions/new/")
    assert page.status_code == 200
    assert page.text.count('name="choice-') >= 15  # five rows of English, Chinese and "right"
    response = client.post("/training/manage/x-doors/questions/new/", _question_post(
        key="when", choices=[("Before 08:00", "八点前", False), ("From 08:00 to 22:00", "八点至二十二点", True),
                             ("", "", False), ("After 22:00", "二十二点后", False)]))
    question = Question.objects.get(course=course, key="when")
    assert response.status_code == 302
    assert response["Location"] == f"/training/manage/x-doors/questions/{question.pk}/"
    assert question.is_active and not question.is_multiple
    assert [(choice.text_en, choice.is_correct) for choice in question.choices.order_by("order")] == [
        ("Before 08:00", False), ("From 08:00 to 22:00", True), ("After 22:00", False)]
    shown = client.get(f"/training/manage/x-doors/questions/{question.pk}/")
    assert 'value="From 08:00 to 22:00"' in shown.text


@pytest.mark.parametrize(("choices", "fields", "message"), [
    ([("A", "甲", True), ("B", "乙", True)], {}, "a single-choice question needs exactly one right answer"),
    ([("A", "甲", True)], {}, "a question needs at least two answers"),
    ([("A", "甲", True), ("B", "", False)], {}, "every answer needs English and Chinese text"),
    ([("A", "甲", True), ("B", "乙", False)], {"explanation_en": "See [[param:nope]]"},
     "explanation_en: unknown rule parameter nope"),
    ([("A", "甲", True), ("B", "乙", True), ("C", "丙", True)], {"is_multiple": "on"},
     "a multiple-choice question needs at least two right answers and one wrong"),
])
def test_a_bad_question_shows_the_services_message_and_saves_nothing(
        trainer: User, choices: list[tuple[str, str, bool]], fields: dict[str, str], message: str) -> None:
    _course()
    response = _client(trainer).post("/training/manage/x-doors/questions/new/",
                                     _question_post(key="bad", choices=choices, **fields))
    assert response.status_code == 400
    assert message in response.text
    assert not Question.objects.filter(key="bad").exists()
    assert not Choice.objects.filter(question__course__code="x-doors").exists()


def test_an_answered_question_can_be_reworded_but_its_right_answer_cannot_move(trainer: User) -> None:
    course = _course(questions=1)
    question = course.questions.get()
    Attempt.objects.create(user=UserFactory(), course=course, started_at="2026-06-01T10:00:00Z",
                           question_ids=[question.pk], pass_mark=80)
    client = _client(trainer)
    url = f"/training/manage/x-doors/questions/{question.pk}/"
    moved = client.post(url, _question_post(choices=[("Right", "对", False), ("Wrong", "错", True)]))
    assert moved.status_code == 400
    assert "this question has been answered" in moved.text
    assert list(question.choices.order_by("order").values_list("is_correct", flat=True)) == [True, False]
    reworded = client.post(url, _question_post(choices=[("Right, of course", "当然对", True), ("Wrong", "错", False)]))
    assert reworded.status_code == 302
    assert list(question.choices.order_by("order").values_list("text_en", flat=True)) == ["Right, of course", "Wrong"]


def test_retiring_and_reactivating_a_question_with_htmx(trainer: User) -> None:
    course = _course(questions=2)
    question = course.questions.get(key="q0")
    client = _client(trainer)
    url = f"/training/manage/x-doors/questions/{question.pk}/active/"
    retired = client.post(url, {"is_active": "0"}, HTTP_HX_REQUEST="true")
    assert retired.status_code == 200
    assert f'id="question-{question.pk}"' in retired.text and "Put back in the bank" in retired.text
    question.refresh_from_db()
    assert not question.is_active
    assert list(question.choices.values_list("text_en", flat=True)) == ["Right", "Wrong"]  # choices untouched
    back = client.post(url, {"is_active": "1"})  # without HTMX: back to the course page
    assert back.status_code == 302 and back["Location"] == "/training/manage/x-doors/"
    question.refresh_from_db()
    assert question.is_active


def test_retiring_below_the_draw_size_of_a_published_course_is_refused(trainer: User) -> None:
    course = _course(questions=2, published=True)
    question = course.questions.get(key="q0")
    response = _client(trainer).post(f"/training/manage/x-doors/questions/{question.pk}/active/", {"is_active": "0"},
                                     HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "a published course needs at least 2 active questions; retiring this one would leave 1" in response.text
    question.refresh_from_db()
    assert question.is_active


def test_the_course_page_lists_lessons_and_the_question_bank(trainer: User) -> None:
    course = _course(questions=2)
    Lesson.objects.create(course=course, key="intro", title_en="Intro", title_zh="导言", body_en="a", body_zh="甲")
    course.questions.filter(key="q1").update(is_active=False)
    text = _client(trainer).get("/training/manage/x-doors/").text
    assert "导言 · Intro" in text
    assert "1 active; an attempt draws 2" in text
    assert text.count("Retire</button>") == 1 and text.count("Put back in the bank</button>") == 1
