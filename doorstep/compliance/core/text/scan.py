"""The scanner: runs each category's triggers over the folded text and drops the excused matches."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from . import borrowing, disclosure, impersonation, legal, payment, threat
from .build import Trigger
from .context import (
    ADVICE,
    BORROWING_WARNING,
    BREAKER,
    CLAUSE_END,
    CONSENT,
    FALSE_FRIENDS,
    NEGATION,
    NEGATION_REACH_EN,
    NEGATION_REACH_ZH,
    OFFICIAL,
    SENTENCE_END,
)
from .model import CATEGORY_RULES, COUNTRIES, THIRD_PARTY_RULES, Audience, TextCategory, TextFinding
from .normalise import fold

_C = TextCategory
TRIGGERS: dict[TextCategory, tuple[Trigger, ...]] = {
    _C.IMPERSONATION: impersonation.TRIGGERS,
    _C.THREAT: threat.TRIGGERS,
    _C.DISCLOSURE: disclosure.TRIGGERS,
    _C.NEW_BORROWING: borrowing.TRIGGERS,
    _C.PERSONAL_ACCOUNT: payment.TRIGGERS,
    _C.TIME_BARRED_LEGAL: legal.TRIGGERS,
}

# Category-specific sentence contexts that excuse a trigger.
_EXCUSES: dict[TextCategory, re.Pattern[str]] = {
    _C.DISCLOSURE: CONSENT,
    _C.NEW_BORROWING: BORROWING_WARNING,
}
# Advice suppresses only where a reader being told their rights is plausible; nobody is "advised" to pay
# the collector personally or to borrow.
_ADVISABLE = frozenset({_C.IMPERSONATION, _C.THREAT, _C.DISCLOSURE, _C.TIME_BARRED_LEGAL})


# --------------------------------------------------------------------------- scanning

_CUE_LOOKAHEAD = 12


def _boundaries(pattern: re.Pattern[str], text: str) -> list[int]:
    """Start offsets of the segments (sentences or clauses) of text: 0 and each position after a delimiter."""
    return [0, *(match.end() for match in pattern.finditer(text))]


def _segment(starts: list[int], position: int, length: int) -> tuple[int, int]:
    index = bisect_right(starts, position) - 1
    end = starts[index + 1] if index + 1 < len(starts) else length
    return starts[index], end


def _negated(folded: str, clause_start: int, start: int, end: int) -> bool:
    """A negation cue inside the match, or shortly before it in the same clause with no scope breaker between."""
    last: re.Match[str] | None = None
    # A little past the match, so that a cue's lookahead sees its context ("不是…吗" is no negation).
    for cue in NEGATION.finditer(folded, clause_start, end + _CUE_LOOKAHEAD):
        if cue.start() >= end:
            break
        if cue.start() >= start:
            return True
        last = cue
    if last is None:
        return False
    reach = NEGATION_REACH_EN if last.group().isascii() else NEGATION_REACH_ZH
    if start - last.end() > reach:
        return False
    return BREAKER.search(folded, last.end(), start) is None


def _countries(jurisdictions: Iterable[str]) -> frozenset[str]:
    countries = set()
    for code in jurisdictions:
        country = code.strip().upper().split("-", 1)[0]
        if country not in COUNTRIES:
            raise ValueError(f"unknown jurisdiction {code!r}: expected a code starting with CN, US or UK")
        countries.add(country)
    return frozenset(countries)


def _rule_ids(category: TextCategory, countries: frozenset[str], audience: Audience) -> tuple[str, ...]:
    ids: set[str] = set()
    for country in countries:
        ids.update(CATEGORY_RULES[category].get(country, ()))
        if audience is Audience.THIRD_PARTY and category in THIRD_PARTY_RULES:
            ids.update(THIRD_PARTY_RULES[category].get(country, ()))
    return tuple(sorted(ids))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans of one category become one finding."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def text_scan(
    text: str,
    *,
    jurisdictions: Iterable[str] = ("CN",),
    audience: Audience = Audience.OBLIGOR,
    time_barred: bool = False,
) -> tuple[TextFinding, ...]:
    """Findings sorted by (start, end, category); empty tuple means clean."""
    countries = _countries(jurisdictions)
    folded = FALSE_FRIENDS.sub(lambda match: "\x00" * len(match.group()), fold(text))
    cased: str | None = None
    sentence_starts: list[int] = []  # computed on the first trigger match: most texts are clean
    clause_starts: list[int] = []
    findings: list[TextFinding] = []
    for category, triggers in TRIGGERS.items():
        if category is _C.TIME_BARRED_LEGAL and not time_barred:
            continue
        rule_ids = _rule_ids(category, countries, audience)
        if not rule_ids:
            continue
        spans: list[tuple[int, int]] = []
        for trigger in triggers:
            if trigger.third_party_only and audience is not Audience.THIRD_PARTY:
                continue
            if trigger.cased and cased is None:
                cased = fold(text, lower=False)
            haystack = cased if trigger.cased and cased is not None else folded
            for match in trigger.regex.finditer(haystack):
                start, end = match.span()
                if start == end:
                    continue
                if not sentence_starts:
                    sentence_starts = _boundaries(SENTENCE_END, folded)
                    clause_starts = _boundaries(CLAUSE_END, folded)
                sentence = folded[slice(*_segment(sentence_starts, start, len(folded)))]
                if trigger.negatable and _negated(folded, _segment(clause_starts, start, len(folded))[0], start, end):
                    continue
                if trigger.advisable and category in _ADVISABLE and ADVICE.search(sentence):
                    continue
                excuse = _EXCUSES.get(category)
                if trigger.advisable and excuse is not None and excuse.search(sentence):
                    continue
                if trigger.weak and OFFICIAL.search(sentence):
                    continue
                spans.append((start, end))
        findings.extend(
            TextFinding(start=start, end=end, category=category, rule_ids=rule_ids, excerpt=text[start:end])
            for start, end in _merge(spans)
        )
    return tuple(sorted(findings, key=lambda finding: (finding.start, finding.end, finding.category)))
