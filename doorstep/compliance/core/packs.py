"""Rule packs as data: which rules apply in a jurisdiction and with which parameters.

The logic of each rule lives in `engine`; a pack only says which rules it holds and their numbers.
A lender may tighten a parameter (earlier end of day, lower caps, longer notice) but never loosen
one: `packs_for_policy` rejects that with `PolicyError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Stricter(StrEnum):
    HIGHER = "higher"  # e.g. the start of the allowed day, the minimum team size, a notice period
    LOWER = "lower"  # e.g. the end of the allowed day, a cap
    FALSE = "false"  # a permission: switching it off is stricter


@dataclass(frozen=True)
class Param:
    value: Any
    stricter: Stricter
    rule_id: str
    description: str


@dataclass(frozen=True)
class Pack:
    id: str
    rules: tuple[str, ...]
    params: Mapping[str, Param]

    def value(self, name: str) -> Any:
        return self.params[name].value


class PolicyError(ValueError):
    pass


def _params(**params: Param) -> Mapping[str, Param]:
    return MappingProxyType(params)


def _p(value: Any, stricter: Stricter, rule_id: str, description: str) -> Param:
    return Param(value, stricter, rule_id, description)


H, L, F = Stricter.HIGHER, Stricter.LOWER, Stricter.FALSE

# Minutes after local midnight. Hours apply to the occupied span of a visit (arrival + planned duration).
CN = Pack("CN", rules=(
    "CN-HOURS", "CN-CALL-CONNECT", "CN-CALL-ATTEMPT", "CN-TARGET", "CN-CONTACT-TRIGGER", "CN-CONTACT-SOURCE",
    "CN-NO-DISCLOSE", "CN-NO-FAKE", "CN-VISIT-ID", "CN-VISIT-2P", "CN-VISIT-AV", "CN-VISIT-ENTRY",
    "CN-PAY-CHANNEL", "CN-AGENCY", "CN-CAP", "CN-ILLEGAL-DEBT", "CN-LIMITATION",
    "DS-DECEASED", "DS-COMPLAINT-PAUSE", "DS-VISIT-FREQ",
), params=_params(
    day_starts_at=_p(8 * 60, H, "CN-HOURS", "first minute of the day contact is allowed"),
    day_ends_at=_p(22 * 60, L, "CN-HOURS", "minute of the day by which contact must end"),
    hours_consent=_p(True, F, "CN-HOURS", "the debtor may agree to another time"),
    connected_calls_per_day=_p(3, L, "CN-CALL-CONNECT", "connected calls per debtor per day, all agencies"),
    attempts_per_number_per_day=_p(6, L, "CN-CALL-ATTEMPT", "dial attempts per number per day"),
    visit_min_team=_p(2, H, "CN-VISIT-2P", "collectors on a field visit, at least"),
    visit_max_minutes=_p(120, L, "CN-VISIT-ENTRY", "longest planned visit (no sit-ins)"),
    visit_default_minutes=_p(45, H, "CN-VISIT-ENTRY", "planned visit length when none is given"),
    agency_review_days=_p(365, L, "CN-AGENCY", "days since the agency's last review, at most"),
    unreachable_failures=_p(3, H, "CN-CONTACT-TRIGGER", "consecutive failed days before unreachable"),
    visits_per_30_days=_p(1, L, "DS-VISIT-FREQ", "field visits per debtor in 30 days (policy)"),
    complaint_pause_days=_p(14, H, "DS-COMPLAINT-PAUSE", "days field visits pause after a complaint"),
))

US = Pack("US", rules=(
    "US-HOURS", "US-WORK", "US-ATTY", "US-7IN7", "US-3P", "US-CEASE", "US-VALID", "US-DECEPT", "US-AMT",
    "US-SOL", "DS-DECEASED", "DS-COMPLAINT-PAUSE",
), params=_params(
    day_starts_at=_p(8 * 60, H, "US-HOURS", "first minute of the day contact is allowed"),
    day_ends_at=_p(21 * 60, L, "US-HOURS", "minute of the day by which contact must end"),
    hours_consent=_p(True, F, "US-HOURS", "the consumer may agree to another time"),
    calls_per_7_days=_p(7, L, "US-7IN7", "calls to a person about a debt in 7 days"),
    days_after_conversation=_p(7, H, "US-7IN7", "days without calls after a phone conversation"),
    third_party_contacts=_p(1, L, "US-3P", "location contacts per third party"),
    visit_default_minutes=_p(45, H, "US-HOURS", "planned visit length when none is given"),
    complaint_pause_days=_p(14, H, "DS-COMPLAINT-PAUSE", "days field visits pause after a complaint"),
))

US_MA = Pack("US-MA", rules=("US-MA",), params=_params(
    calls_home_per_7_days=_p(2, L, "US-MA", "calls to home or cell in 7 days"),
    calls_other_per_30_days=_p(2, L, "US-MA", "calls to other numbers in 30 days"),
    visits_per_30_days=_p(1, L, "US-MA", "home visits per debt in 30 days"),
    workplace_visit_consent=_p(True, F, "US-MA", "a workplace visit the debtor asked for is allowed"),
))

UK = Pack("UK", rules=(
    "UK-FORBEAR", "UK-VULN", "UK-TIMES", "UK-VISIT", "UK-3P", "UK-MISREP", "UK-SBD", "UK-DEFAULT",
    "UK-BSPACE", "DS-DECEASED", "DS-COMPLAINT-PAUSE", "DS-VISIT-FREQ",
), params=_params(
    day_starts_at=_p(8 * 60, H, "UK-TIMES", "first minute of the day contact is allowed (policy)"),
    day_ends_at=_p(21 * 60, L, "UK-TIMES", "minute of the day by which contact must end (policy)"),
    hours_consent=_p(True, F, "UK-TIMES", "the customer may ask for another time"),
    visit_notice_days=_p(7, H, "UK-VISIT", "days between the visit notice and the first visit"),
    default_notice_days=_p(14, H, "UK-DEFAULT", "days between a default notice and enforcement"),
    visit_default_minutes=_p(45, H, "UK-VISIT", "planned visit length when none is given"),
    visits_per_30_days=_p(1, L, "DS-VISIT-FREQ", "field visits per debtor in 30 days (policy)"),
    complaint_pause_days=_p(14, H, "DS-COMPLAINT-PAUSE", "days field visits pause after a complaint"),
))

PACKS: Mapping[str, Pack] = MappingProxyType({pack.id: pack for pack in (CN, US, US_MA, UK)})

# Rules whose time restriction a recorded, approved consent may lift (and nothing else may).
CONSENT_RULES = frozenset({"CN-HOURS", "US-HOURS", "UK-TIMES", "US-MA", "UK-VISIT"})

# Every rule id of compliance-rules.md that the engine knows, with how it is enforced.
RULE_IDS = frozenset(rule for pack in PACKS.values() for rule in pack.rules) | {
    "CN-RETAIN", "US-RET", "US-DECEPT", "UK-MISREP"}


def pack_ids_for(jurisdiction: str) -> tuple[str, ...]:
    """CN -> CN; US-MA -> US then the MA overlay; US-<other> -> US; UK-<nation> -> UK."""
    code = jurisdiction.strip().upper()
    if code == "CN" or code.startswith("CN-"):
        return ("CN",)
    if code.startswith("US"):
        return ("US", "US-MA") if code == "US-MA" else ("US",)
    if code.startswith("UK") or code.startswith("GB"):
        return ("UK",)
    raise PolicyError(f"no rule pack for jurisdiction {jurisdiction!r}")


def packs_for_policy(tightening: Mapping[str, Any] | None = None) -> Mapping[str, Pack]:
    """The packs with a lender's tightening applied: keys are "PACK.param", e.g. "CN.day_ends_at".

    Raises PolicyError for an unknown key, a value of the wrong type, or any loosening.
    """
    if not tightening:
        return PACKS
    changed = {pack_id: dict(pack.params) for pack_id, pack in PACKS.items()}
    for key, value in tightening.items():
        pack_id, _, name = key.partition(".")
        if pack_id not in PACKS or name not in PACKS[pack_id].params:
            raise PolicyError(f"unknown policy parameter {key!r}")
        base = PACKS[pack_id].params[name]
        if isinstance(base.value, bool):
            if not isinstance(value, bool):
                raise PolicyError(f"{key} must be true or false")
            if value and not base.value:
                raise PolicyError(f"{key}: {base.rule_id} does not allow switching this on")
        else:
            if isinstance(value, bool) or not isinstance(value, int):
                raise PolicyError(f"{key} must be a whole number")
            if base.stricter is Stricter.HIGHER and value < base.value:
                raise PolicyError(f"{key}={value} loosens {base.rule_id}: it may only be {base.value} or more")
            if base.stricter is Stricter.LOWER and value > base.value:
                raise PolicyError(f"{key}={value} loosens {base.rule_id}: it may only be {base.value} or less")
            if value < 0:
                raise PolicyError(f"{key} must not be negative")
        changed[pack_id][name] = replace(base, value=value)
    for pack_id, params in changed.items():
        if "day_starts_at" in params and params["day_starts_at"].value >= params["day_ends_at"].value:
            raise PolicyError(f"{pack_id}: the allowed day must start before it ends")
        if params.get("day_ends_at") and params["day_ends_at"].value > 24 * 60:
            raise PolicyError(f"{pack_id}: the day ends at 24:00 at the latest")
    return MappingProxyType({pack_id: replace(PACKS[pack_id], params=MappingProxyType(params))
                             for pack_id, params in changed.items()})
