"""The shape of a course that ships with the product, as plain data.

Every text is a pair (English, Simplified Chinese). Lesson bodies, question texts, choices and
explanations use the small markup of `doorstep.training.core.markup`:

- a blank line separates paragraphs; a line starting with `## ` is a heading; lines starting with
  `- ` make a bullet list; `**words**` is bold;
- `[[rule:CN-HOURS]]` is the rule's title in the reader's language, from the compliance catalogue;
- `[[param:day_ends_at]]` is the value the compliance engine enforces for this lender, tightening
  included (minutes of the day show as HH:MM); `[[param:day_ends_at|+60]]` adds an offset, which
  lets a wrong answer stay wrong whatever the lender has tightened.
"""

from __future__ import annotations

from dataclasses import dataclass

Text = tuple[str, str]  # (English, Simplified Chinese)


@dataclass(frozen=True)
class BuiltinChoice:
    text: Text
    correct: bool = False


@dataclass(frozen=True)
class BuiltinQuestion:
    key: str  # stable within the course: reinstalling updates the question instead of adding one
    text: Text
    choices: tuple[BuiltinChoice, ...]
    explanation: Text
    multiple: bool = False  # several choices may be right; the answer must pick exactly those


@dataclass(frozen=True)
class BuiltinLesson:
    key: str
    title: Text
    body: Text


@dataclass(frozen=True)
class BuiltinCourse:
    code: str
    title: Text
    summary: Text
    lessons: tuple[BuiltinLesson, ...]
    questions: tuple[BuiltinQuestion, ...]
    order: int
    pass_mark: int = 80  # percent of drawn questions answered right
    questions_per_attempt: int = 8
    required: bool = True  # needed for the field certificate
