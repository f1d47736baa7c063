"""The built-in courses as data: complete in both languages, well-formed quizzes, and a law course whose
numbers come from the CN rule pack rather than from the text (so a lender's tightening shows everywhere)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pytest

from doorstep.compliance.core.catalogue import RULES
from doorstep.compliance.core.packs import CN, Pack, packs_for_policy
from doorstep.training.content import BUILTIN_COURSES
from doorstep.training.core.content import BuiltinCourse, Text

CODES = ("communication", "deescalation", "law", "safety")
COURSES = {course.code: course for course in BUILTIN_COURSES}
LAW = COURSES["law"]

PLACEHOLDER = re.compile(r"\[\[(?P<kind>rule|param):(?P<name>[^\]|]+)(?:\|(?P<offset>[+-]\d+))?\]\]")
CJK = re.compile(r"[\u4e00-\u9fff]")
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
MINUTES_OF_DAY = frozenset({"day_starts_at", "day_ends_at"})

# Rules and parameters the law course must teach (the brief's list).
LAW_RULES = frozenset(
    {
        "CN-TARGET",
        "CN-CONTACT-TRIGGER",
        "CN-CONTACT-SOURCE",
        "CN-NO-DISCLOSE",
        "CN-NO-FAKE",
        "CN-VISIT-ID",
        "CN-VISIT-2P",
        "CN-VISIT-AV",
        "CN-VISIT-ENTRY",
        "CN-HOURS",
        "CN-PAY-CHANNEL",
        "CN-ILLEGAL-DEBT",
        "CN-CAP",
        "CN-LIMITATION",
        "DS-COMPLAINT-PAUSE",
        "DS-DECEASED",
    }
)
LAW_PARAMS = frozenset(
    {
        "day_starts_at",
        "day_ends_at",
        "connected_calls_per_day",
        "attempts_per_number_per_day",
        "visit_min_team",
        "visit_max_minutes",
        "visits_per_30_days",
        "complaint_pause_days",
        "unreachable_failures",
        "agency_review_days",
    }
)

# A lender that tightened every number, to show that wrong answers stay wrong and sensible.
TIGHTENED = packs_for_policy(
    {
        "CN.day_starts_at": 9 * 60,
        "CN.day_ends_at": 21 * 60,
        "CN.connected_calls_per_day": 1,
        "CN.attempts_per_number_per_day": 1,
        "CN.visit_min_team": 3,
        "CN.visit_max_minutes": 60,
        "CN.visits_per_30_days": 1,
        "CN.complaint_pause_days": 30,
        "CN.unreachable_failures": 5,
        "CN.agency_review_days": 180,
    }
)["CN"]


def texts(course: BuiltinCourse) -> Iterator[tuple[str, Text]]:
    """Every text pair of a course with where it sits."""
    yield f"{course.code}.title", course.title
    yield f"{course.code}.summary", course.summary
    for lesson in course.lessons:
        yield f"{course.code}.{lesson.key}.title", lesson.title
        yield f"{course.code}.{lesson.key}.body", lesson.body
    for question in course.questions:
        yield f"{course.code}.{question.key}.text", question.text
        for number, choice in enumerate(question.choices):
            yield f"{course.code}.{question.key}.choice{number}", choice.text
        yield f"{course.code}.{question.key}.explanation", question.explanation


def all_texts() -> Iterator[tuple[str, Text]]:
    for course in BUILTIN_COURSES:
        yield from texts(course)


def placeholders(text: str) -> list[tuple[str, str, str]]:
    return [(m["kind"], m["name"], m["offset"] or "") for m in PLACEHOLDER.finditer(text)]


def render(text: str, values: Mapping[str, int], seen: list[tuple[str, int]] | None = None) -> str:
    """The text with placeholders filled in the way the markup does: minutes of the day as HH:MM."""

    def fill(match: re.Match[str]) -> str:
        if match["kind"] == "rule":
            return RULES[match["name"]].title_en
        value = values[match["name"]] + int(match["offset"] or 0)
        if seen is not None and match["offset"]:
            seen.append((match["name"], value))
        if match["name"] in MINUTES_OF_DAY:
            hours, minutes = divmod(value, 60)
            return f"{hours:02d}:{minutes:02d}"
        return str(value)

    return PLACEHOLDER.sub(fill, text)


def values_of(pack: Pack) -> dict[str, int]:
    return {name: param.value for name, param in pack.params.items() if not isinstance(param.value, bool)}


# --- the set of courses -------------------------------------------------------------------------


def test_four_courses_in_order() -> None:
    assert tuple(course.code for course in BUILTIN_COURSES) == CODES
    assert [course.order for course in BUILTIN_COURSES] == [1, 2, 3, 4]
    for course in BUILTIN_COURSES:
        assert course.pass_mark == 80
        assert course.questions_per_attempt == 8
        assert course.required is True


@pytest.mark.parametrize("course", BUILTIN_COURSES, ids=CODES)
def test_course_shape(course: BuiltinCourse) -> None:
    assert 3 <= len(course.lessons) <= 5
    assert 14 <= len(course.questions) <= 18
    assert len(course.questions) >= course.questions_per_attempt
    assert sum(question.multiple for question in course.questions) >= 4
    for lesson in course.lessons:
        words = len(PLACEHOLDER.sub("x", lesson.body[0]).replace("**", "").split())
        assert 150 <= words <= 400, f"{course.code}.{lesson.key}: {words} English words"


def test_fits_the_database_columns() -> None:
    """The lengths of doorstep.training.models: code 40, keys 60, titles 200, choices 500."""
    for course in BUILTIN_COURSES:
        assert len(course.code) <= 40
        assert all(len(side) <= 200 for side in course.title)
        for lesson in course.lessons:
            assert len(lesson.key) <= 60 and all(len(side) <= 200 for side in lesson.title), lesson.key
        for question in course.questions:
            assert len(question.key) <= 60, question.key
            assert all(len(side) <= 500 for choice in question.choices for side in choice.text), question.key


# --- texts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("where", "text"), list(all_texts()), ids=[where for where, _ in all_texts()])
def test_text_pair_complete(where: str, text: Text) -> None:
    assert isinstance(text, tuple) and len(text) == 2, where
    english, chinese = text
    assert english.strip() and chinese.strip(), where
    assert CJK.search(chinese), f"{where}: the Chinese side has no Chinese characters"
    # The same values in both languages: identical placeholders, in any order.
    assert sorted(placeholders(english)) == sorted(placeholders(chinese)), where


def test_placeholders_well_formed_and_known() -> None:
    for where, text in all_texts():
        for side in text:
            rest = PLACEHOLDER.sub("", side)
            assert "[[" not in rest and "]]" not in rest, f"{where}: malformed placeholder in {side!r}"
            for kind, name, offset in placeholders(side):
                if kind == "rule":
                    assert name in RULES, f"{where}: unknown rule {name}"
                    assert not offset, f"{where}: a rule takes no offset"
                else:
                    assert name in CN.params, f"{where}: {name} is not a CN parameter"
                    assert not isinstance(CN.value(name), bool), f"{where}: {name} is not a number"


def test_keys_unique_slugs() -> None:
    for course in BUILTIN_COURSES:
        lesson_keys = [lesson.key for lesson in course.lessons]
        question_keys = [question.key for question in course.questions]
        assert len(set(lesson_keys)) == len(lesson_keys), course.code
        assert len(set(question_keys)) == len(question_keys), course.code
        assert all(SLUG.match(key) for key in lesson_keys + question_keys), course.code


# --- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("course", BUILTIN_COURSES, ids=CODES)
def test_choices(course: BuiltinCourse) -> None:
    for question in course.questions:
        right = sum(choice.correct for choice in question.choices)
        wrong = len(question.choices) - right
        if question.multiple:
            assert 4 <= len(question.choices) <= 5, question.key
            assert right >= 2 and wrong >= 1, question.key
        else:
            assert 3 <= len(question.choices) <= 4, question.key
            assert right == 1, question.key
        for language in (0, 1):
            shown = [choice.text[language] for choice in question.choices]
            assert len(set(shown)) == len(shown), f"{question.key}: two choices read the same"


@pytest.mark.parametrize("pack", [CN, TIGHTENED], ids=["default", "tightened"])
def test_number_choices_stay_distinct_and_sensible(pack: Pack) -> None:
    """Rendered with the pack's values, no offset choice equals another choice, and offsets give sensible numbers."""
    values = values_of(pack)
    for course in BUILTIN_COURSES:
        for question in course.questions:
            for language in (0, 1):
                seen: list[tuple[str, int]] = []
                shown = [render(choice.text[language], values, seen) for choice in question.choices]
                assert len(set(shown)) == len(shown), f"{course.code}.{question.key}: {shown}"
                render(question.text[language], values, seen)
                render(question.explanation[language], values, seen)
                for name, value in seen:
                    if name in MINUTES_OF_DAY:
                        assert 0 <= value < 24 * 60, f"{question.key}: {name} renders outside the day"
                    else:
                        assert value >= 1, f"{question.key}: {name} renders as {value}"


def test_number_questions_answer_with_the_parameter() -> None:
    """Where a choice shows an offset, the right choice shows the parameter itself, and only it."""
    for question in LAW.questions:
        offsets = [placeholders(choice.text[0]) for choice in question.choices]
        if not any(offset for entry in offsets for _kind, _name, offset in entry):
            continue
        for choice, entry in zip(question.choices, offsets, strict=True):
            plain = all(not offset for _kind, _name, offset in entry)
            assert plain == choice.correct, f"{question.key}: {choice.text[0]}"


# --- the law course is built from the rule pack --------------------------------------------------

EN_WORDS = {
    1: "one|a single",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
    13: "thirteen",
    14: "fourteen",
    15: "fifteen",
    20: "twenty",
    30: "thirty",
    45: "forty-five",
    60: "sixty",
    90: "ninety",
    120: "(?:a|one) hundred and twenty",
    180: "(?:a|one) hundred and eighty",
    365: "three hundred and sixty-five",
}
# How a count of each parameter would be written in words: (English unit, Chinese unit).
UNITS = {
    "connected_calls_per_day": (r"(?:connected\s+)?calls?", "次|通"),
    "attempts_per_number_per_day": (r"(?:dial\s+)?(?:attempts?|dials?)", "次"),
    "visit_min_team": (r"collectors?|people|persons?|members?", "人|名|位"),
    "visit_max_minutes": (r"minutes?|mins?", "分钟"),
    "visit_default_minutes": (r"minutes?|mins?", "分钟"),
    "agency_review_days": (r"days?", "天|日"),
    "complaint_pause_days": (r"days?", "天|日"),
    "unreachable_failures": (r"(?:consecutive\s+)?(?:failed\s+)?(?:days?|attempts?|failures?|times?)", "次|天|日"),
    "visits_per_30_days": (r"(?:field\s+)?(?:visits?|times?)", "次"),
}
ZH_DIGITS = "零一二三四五六七八九"


def chinese_numerals(value: int) -> list[str]:
    """Ways to write a whole number below 1000 in Chinese characters (两 for a leading 2)."""
    if value >= 1000:
        return []
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    text = ""
    if hundreds:
        text += ZH_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            text += "零"
    if tens:
        text += ("" if tens == 1 and not hundreds else ZH_DIGITS[tens]) + "十"
    if units or not text:
        text += ZH_DIGITS[units]
    forms = [text]
    if text.startswith("二"):
        forms.append("两" + text[1:])
    return forms


def forbidden_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The CN pack's values as they would appear if written into the text instead of a placeholder."""
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for name, param in CN.params.items():
        value = param.value
        if isinstance(value, bool):
            continue
        if name in MINUTES_OF_DAY:
            hours, minutes = divmod(value, 60)
            twelve = hours % 12 or 12
            half = "am" if hours < 12 else "pm"
            spoken = "|".join(chinese_numerals(hours) + chinese_numerals(twelve) + [str(hours), str(twelve)])
            forms = (
                rf"{hours:02d}:{minutes:02d}",
                rf"{hours}:{minutes:02d}",
                rf"(?:{spoken})\s*[点时]",  # 22点, 晚上10点, 八点
                rf"{twelve}(?::{minutes:02d})?\s*(?:{half}|{half[0]}\.m\.)",  # 10 pm, 8 a.m.
            )
            for form in forms:
                pattern = re.compile(rf"(?<![\d:一二三四五六七八九十百两]){form}", re.IGNORECASE)
                patterns.append((f"{name} as {form}", pattern))
            continue
        en_unit, zh_unit = UNITS.get(name, ("", ""))
        if en_unit and value in EN_WORDS:
            pattern = re.compile(rf"\b(?:{EN_WORDS[value]})[\s-]+(?:{en_unit})\b", re.IGNORECASE)
            patterns.append((f"{name} in words", pattern))
        if zh_unit:
            # 每一次, 最后一次, 第一次 … are "each", "last", "first", not a count.
            numerals = "|".join(chinese_numerals(value))
            pattern = re.compile(rf"(?<![一二三四五六七八九十百两每第最这那上下再])(?:{numerals})\s*个?(?:{zh_unit})")
            patterns.append((f"{name} in Chinese numerals", pattern))
    return patterns


NUMBER = re.compile(r"\d+(?:[.:\-/]\d+)*")


def test_forbidden_patterns_catch_literals() -> None:
    """The check below would notice the obvious ways of writing a number into the text."""
    samples = (
        "Contact ends at 22:00.",
        "晚上10点以后",
        "早上八点",
        "visits pause for fourteen days",
        "两名催收员",
        "三次失败",
        "after 8 am",
        "至少两人",
        "at most 120 minutes",
        "14 天",
        "three connected calls",
    )
    patterns = forbidden_patterns()
    for sample in samples:
        text = PLACEHOLDER.sub(" ", sample)
        numbers = set(NUMBER.findall(text))
        caught = any(pattern.search(text) for _, pattern in patterns) or bool(
            numbers & {str(value) for value in values_of(CN).values()}
        )
        assert caught, sample


def test_law_course_has_no_literal_pack_values() -> None:
    numbers = {str(value) for value in values_of(CN).values()}
    patterns = forbidden_patterns()
    problems = []
    for where, text in texts(LAW):
        for side in text:
            bare = PLACEHOLDER.sub(" ", side)
            for token in NUMBER.findall(bare):
                if token in numbers:
                    problems.append(f"{where}: the number {token} in {bare!r}")
            for label, pattern in patterns:
                if match := pattern.search(bare):
                    problems.append(f"{where}: {label} {match.group(0)!r}")
    assert not problems, "\n".join(problems)


def test_law_course_covers_the_rules_and_parameters() -> None:
    rules = {name for _, text in texts(LAW) for side in text for kind, name, _ in placeholders(side) if kind == "rule"}
    params = {
        name for _, text in texts(LAW) for side in text for kind, name, _ in placeholders(side) if kind == "param"
    }
    assert rules >= LAW_RULES, sorted(LAW_RULES - rules)
    assert params >= LAW_PARAMS, sorted(LAW_PARAMS - params)
    assert rules <= set(CN.rules), sorted(rules - set(CN.rules))
    asked = {
        name
        for question in LAW.questions
        for choice in question.choices
        for kind, name, _ in placeholders(choice.text[0])
        if kind == "param"
    }
    assert asked >= LAW_PARAMS, f"no quiz question on {sorted(LAW_PARAMS - asked)}"
