"""Trigger construction: one compiled regex per trigger, gated so that a scan stays fast.

Python's re has no trie for alternations and rejects a branch cheaply only when it starts with a
literal, so ``t()`` hoists the English word boundary out of every English alternative and puts a
first-character lookahead in front of the others (Chinese, amounts, card numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NOT_END = r"[^，,。.!?！？；;：:\n]"  # a character that stays inside the clause
# A word between two English anchors: never a negation, and never "to"/"going" ("we're going to take this
# to court" is about suing, not a claim to be the court).
GAP = r"(?:(?!not\b|never\b|no\b|to\b|going\b|in\b|against\b|about\b|regarding\b)[\w'’.-]+\s+)"


@dataclass(frozen=True)
class Trigger:
    regex: re.Pattern[str]
    negatable: bool = True  # a negation cue before it in the clause drops it
    advisable: bool = True  # rights advice / scam warning in its sentence drops it
    weak: bool = False  # an official channel in its sentence drops it (account numbers)
    cased: bool = False  # matched on case-preserving text (titles before a capitalised name)
    third_party_only: bool = False


def _closing(source: str, index: int) -> int:
    """Index of the ")" that closes the group opened at source[index]."""
    depth, position = 0, index
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            position = _closing_class(source, position) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise ValueError(f"unbalanced pattern: {source!r}")


def _closing_class(source: str, index: int) -> int:
    position = index + 1
    while position < len(source):
        if source[position] == "\\":
            position += 2
            continue
        if source[position] == "]" and position > index + 1:
            return position
        position += 1
    raise ValueError(f"unbalanced class: {source!r}")


def _top_level_alternatives(source: str) -> list[str]:
    parts, depth, start, position = [], 0, 0, 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            position = _closing_class(source, position) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:position])
            start = position + 1
        position += 1
    parts.append(source[start:])
    return parts


def _first_characters(source: str) -> set[str] | None:
    """The characters a match of source can start with, or None when that is not simply known."""
    if not source:
        return None
    if source.startswith("(?<"):  # a lookbehind consumes nothing: look past it
        return _first_characters(source[_closing(source, 0) + 1 :])
    if source.startswith("(?:"):
        end = _closing(source, 0)
        if source[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        characters: set[str] = set()
        for alternative in _top_level_alternatives(source[3:end]):
            first = _first_characters(alternative)
            if first is None:
                return None
            characters |= first
        return characters
    if source.startswith("\\d"):
        return set("0123456789")
    if source[0] in "\\[(.^$" or source[1:2] in ("?", "*", "{"):
        return None
    return {source[0]}


def t(*alternatives: str, **options: bool) -> Trigger:
    """One regex per trigger. Python's re has no trie for alternations, so gates keep a scan fast:
    English alternatives share one leading word boundary, and the others (Chinese, amounts, card
    numbers) are only tried at a character one of them can start with."""
    # re rejects a branch cheaply only when it starts with a literal, so the shared boundary is hoisted out.
    parts = [part for alternative in alternatives for part in _top_level_alternatives(alternative)]
    words = [part[2:] for part in parts if part.startswith(r"\b")]
    others = [part for part in parts if not part.startswith(r"\b")]
    groups = []
    if words:
        groups.append(r"\b(?:" + "|".join(f"(?:{word})" for word in words) + ")")
    if others:
        firsts = [_first_characters(other) for other in others]
        gate = ""
        if all(first is not None for first in firsts):
            gate = "(?=[" + "".join(sorted(re.escape(char) for first in firsts if first for char in first)) + "])"
        groups.append(gate + "(?:" + "|".join(f"(?:{other})" for other in others) + ")")
    return Trigger(re.compile("|".join(groups)), **options)
