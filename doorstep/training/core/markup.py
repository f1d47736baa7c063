"""The lessons' small markup, rendered to safe HTML, with rule placeholders resolved.

Trainers write paragraphs (blank line between), `## ` headings, `- ` bullets and `**bold**`.
Everything else is text: it is escaped first, so a lesson can never carry script or markup of
its own. Placeholders (see `doorstep.training.core.content`) are resolved by a `Resolver` passed
in, so that a lesson shows the numbers the compliance engine enforces for this lender.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = re.compile(r"\[\[(rule|param):([A-Za-z0-9_-]+)(?:\|([+-]\d+))?\]\]")
BOLD = re.compile(r"\*\*(.+?)\*\*")
# Parameters holding a minute of the day, shown as HH:MM.
CLOCK_PARAMS = frozenset({"day_starts_at", "day_ends_at"})


class MarkupError(ValueError):
    pass


@dataclass(frozen=True)
class Resolver:
    """Rule titles by id and language, and the enforced parameter values by name."""

    rule_titles: Mapping[str, tuple[str, str]]  # id -> (English, Chinese)
    params: Mapping[str, Any]

    def rule(self, rule_id: str, language: str) -> str:
        titles = self.rule_titles.get(rule_id)
        if titles is None:
            raise MarkupError(f"unknown rule {rule_id}")
        return titles[1] if language == "zh" else titles[0]

    def param(self, name: str, offset: int, language: str) -> str:
        if name not in self.params:
            raise MarkupError(f"unknown rule parameter {name}")
        value = self.params[name]
        if isinstance(value, bool):
            if offset:
                raise MarkupError(f"{name} is yes/no: it takes no offset")
            return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
        if not isinstance(value, int):
            raise MarkupError(f"{name} is not a number")
        value += offset
        if name in CLOCK_PARAMS:
            value %= 24 * 60
            return f"{value // 60:02d}:{value % 60:02d}"
        return str(value)


def placeholders(text: str) -> list[tuple[str, str, int]]:
    """Every placeholder in `text`: (kind, name, offset)."""
    return [(kind, name, int(offset or 0)) for kind, name, offset in PLACEHOLDER.findall(text)]


def resolve(text: str, resolver: Resolver, language: str) -> str:
    """Placeholders replaced by their values; the rest unchanged (plain text)."""

    def replace(match: re.Match[str]) -> str:
        kind, name, offset = match.group(1), match.group(2), int(match.group(3) or 0)
        if kind == "rule":
            return resolver.rule(name, language)
        return resolver.param(name, offset, language)

    return PLACEHOLDER.sub(replace, text)


def _inline(text: str) -> str:
    return BOLD.sub(lambda match: f"<strong>{match.group(1)}</strong>", html.escape(text))


def _block(lines: list[str]) -> list[str]:
    """One block of lines as HTML elements: headings, bullet lists and paragraphs in order."""
    out: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []
    for line in [*lines, ""]:  # the empty sentinel flushes what is pending
        stripped = line.strip()
        is_item = stripped.startswith("- ")
        if paragraph and (not stripped or is_item or stripped.startswith("## ")):
            out.append("<p>" + "<br>".join(_inline(text) for text in paragraph) + "</p>")
            paragraph = []
        if items and not is_item:
            out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items = []
        if stripped.startswith("## "):
            out.append(f"<h3>{_inline(stripped[3:].strip())}</h3>")
        elif is_item:
            items.append(stripped[2:].strip())
        elif stripped:
            paragraph.append(stripped)
    return out


def render(text: str, resolver: Resolver, language: str) -> str:
    """Safe HTML for a lesson body or a question: placeholders resolved, then the markup applied."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", resolve(text, resolver, language).strip()):
        blocks += _block([line for line in block.splitlines() if line.strip()])
    return "\n".join(blocks)


def plain(text: str, resolver: Resolver, language: str) -> str:
    """The text with placeholders resolved and the markup signs removed (choices, explanations)."""
    return BOLD.sub(lambda match: match.group(1), resolve(text, resolver, language))


def check(text: str, resolver: Resolver) -> list[str]:
    """What is wrong with the placeholders in `text` (unknown rules or parameters), for editors."""
    problems = []
    for kind, name, offset in placeholders(text):
        try:
            if kind == "rule":
                resolver.rule(name, "en")
            else:
                resolver.param(name, offset, "en")
        except MarkupError as error:
            problems.append(str(error))
    return problems

