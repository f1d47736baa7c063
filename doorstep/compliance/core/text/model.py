"""Categories, audiences, findings, and the category → country → rule-id mapping of the text filter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class TextCategory(StrEnum):
    IMPERSONATION = "impersonation"
    THREAT = "threat"
    DISCLOSURE = "disclosure"
    NEW_BORROWING = "new_borrowing"
    PERSONAL_ACCOUNT = "personal_account"
    TIME_BARRED_LEGAL = "time_barred_legal"


class Audience(StrEnum):
    OBLIGOR = "obligor"  # debtor, guarantor, co-obligor
    THIRD_PARTY = "third_party"  # pre-agreed contact, employer, anyone else


_C = TextCategory
_RULES_BY_COUNTRY: dict[TextCategory, dict[str, tuple[str, ...]]] = {
    _C.IMPERSONATION: {"CN": ("CN-NO-FAKE",), "US": ("US-DECEPT",), "UK": ("UK-MISREP",)},
    _C.THREAT: {"CN": ("CN-NO-FAKE",), "US": ("US-DECEPT",), "UK": ("UK-MISREP",)},
    _C.DISCLOSURE: {"CN": ("CN-NO-DISCLOSE",), "US": ("US-3P",), "UK": ("UK-3P",)},
    _C.NEW_BORROWING: {"CN": ("CN-PAY-CHANNEL",), "UK": ("UK-FORBEAR",)},
    _C.PERSONAL_ACCOUNT: {"CN": ("CN-PAY-CHANNEL",), "US": ("US-AMT",)},
    _C.TIME_BARRED_LEGAL: {"CN": ("CN-LIMITATION",), "US": ("US-SOL",), "UK": ("UK-SBD",)},
}
CATEGORY_RULES: Mapping[TextCategory, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {category: MappingProxyType(by_country) for category, by_country in _RULES_BY_COUNTRY.items()}
)
"""Category → country pack → rule ids. A country without an entry has no rule for that category."""

THIRD_PARTY_RULES: Mapping[TextCategory, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {_C.DISCLOSURE: MappingProxyType({"CN": ("CN-TARGET",)})}
)
"""Extra rule ids when the message is addressed to a third party (CN-TARGET: never collect from contacts)."""

COUNTRIES = frozenset({"CN", "US", "UK"})


@dataclass(frozen=True)
class TextFinding:
    start: int
    end: int
    category: TextCategory
    rule_ids: tuple[str, ...]
    excerpt: str
