"""REC rules: what the record of a field visit must show before it may be closed.

The field app (a later issue) builds a `VisitRecord` from its check-ins, recordings and markers
and may close the visit only when `visit_record_problems` returns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from doorstep.compliance.core.packs import PACKS, pack_ids_for


@dataclass(frozen=True)
class CheckIn:
    collector_id: str
    at: datetime
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Recording:
    starts_at: datetime
    ends_at: datetime
    sha256: str  # hashed on upload (CN-VISIT-AV)


@dataclass(frozen=True)
class VisitRecord:
    jurisdiction: str
    checked_in: tuple[CheckIn, ...]
    checked_out_at: datetime | None
    mandate_number: str = ""  # the agency's or lender's 委托书 (CN-VISIT-ID)
    id_shown_at: datetime | None = None
    recordings: tuple[Recording, ...] = ()
    entered_premises: bool = False
    entry_consent_at: datetime | None = None
    party_role: str = "debtor"  # CN-TARGET: every party met carries a role


@dataclass(frozen=True)
class RecordProblem:
    rule_id: str
    text_en: str
    text_zh: str


# Gaps shorter than this between consecutive recordings are treated as a file boundary, not a gap.
ALLOWED_GAP = timedelta(seconds=5)


def _uncovered(record: VisitRecord, start: datetime, end: datetime) -> timedelta:
    """Longest stretch of [start, end] that no recording covers."""
    longest = timedelta(0)
    cursor = start
    for recording in sorted(record.recordings, key=lambda item: item.starts_at):
        if recording.ends_at <= cursor:
            continue
        if recording.starts_at > cursor:
            longest = max(longest, min(recording.starts_at, end) - cursor)
        cursor = max(cursor, recording.ends_at)
        if cursor >= end:
            break
    if cursor < end:
        longest = max(longest, end - cursor)
    return longest


def visit_record_problems(record: VisitRecord) -> tuple[RecordProblem, ...]:
    problems: list[RecordProblem] = []
    packs = pack_ids_for(record.jurisdiction)
    if not record.party_role:
        problems.append(RecordProblem("CN-TARGET", "record the role of the person met", "记录所接触人员的身份"))
    if "CN" in packs:
        minimum = PACKS["CN"].value("visit_min_team")
        collectors = {check_in.collector_id for check_in in record.checked_in}
        if len(collectors) < minimum:
            problems.append(RecordProblem("CN-VISIT-2P", f"{minimum} collectors must check in; {len(collectors)} did",
                                          f"须 {minimum} 名催收员签到，实际 {len(collectors)} 名"))
        if not record.mandate_number or record.id_shown_at is None:
            problems.append(RecordProblem("CN-VISIT-ID", "record the mandate number and when the work id was shown",
                                          "记录委托书编号及出示工作证的时间"))
        if record.checked_in and record.checked_out_at is not None:
            start = min(check_in.at for check_in in record.checked_in)
            gap = _uncovered(record, start, record.checked_out_at)
            if gap > ALLOWED_GAP:
                problems.append(RecordProblem(
                    "CN-VISIT-AV", f"the recording misses {int(gap.total_seconds())} s between check-in and check-out",
                    f"录音录像在签到与签退之间缺失 {int(gap.total_seconds())} 秒"))
        elif record.checked_out_at is None:
            problems.append(RecordProblem("CN-VISIT-AV", "check out before closing the visit", "结束前须签退"))
    entry_rules = {"CN": "CN-VISIT-ENTRY", "UK": "UK-VISIT", "US-MA": "US-MA"}
    if record.entered_premises and record.entry_consent_at is None:
        for pack_id in packs:
            if pack_id in entry_rules:
                problems.append(RecordProblem(entry_rules[pack_id], "premises were entered without a recorded consent",
                                              "进入住宅但未记录对方同意"))
    return tuple(problems)
