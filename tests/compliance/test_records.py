"""REC rules for a field visit's record (CN-VISIT-2P, -ID, -AV, -ENTRY; UK-VISIT; US-MA)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from doorstep.compliance.core.records import CheckIn, Recording, VisitRecord, visit_record_problems

START = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def complete(**changes) -> VisitRecord:
    values = {"jurisdiction": "CN", "checked_in": (CheckIn("c1", START), CheckIn("c2", START + timedelta(seconds=30))),
                  "checked_out_at": START + timedelta(minutes=40), "mandate_number": "WT-2026-001",
                  "id_shown_at": START + timedelta(minutes=1),
                  "recordings": (Recording(START, START + timedelta(minutes=20), "a" * 64),
                              Recording(START + timedelta(minutes=20, seconds=2), START + timedelta(minutes=41),
                                        "b" * 64))}
    values.update(changes)
    return VisitRecord(**values)


def rules(record: VisitRecord) -> list[str]:
    return [problem.rule_id for problem in visit_record_problems(record)]


def test_a_complete_cn_record_has_no_problems() -> None:
    assert rules(complete()) == []


def test_one_collector_checked_in_breaks_cn_visit_2p() -> None:
    assert rules(complete(checked_in=(CheckIn("c1", START), CheckIn("c1", START)))) == ["CN-VISIT-2P"]


def test_no_mandate_or_id_shown_breaks_cn_visit_id() -> None:
    assert rules(complete(mandate_number="")) == ["CN-VISIT-ID"]
    assert rules(complete(id_shown_at=None)) == ["CN-VISIT-ID"]


def test_a_gap_in_the_recording_breaks_cn_visit_av() -> None:
    gap = (Recording(START, START + timedelta(minutes=10), "a" * 64),
           Recording(START + timedelta(minutes=15), START + timedelta(minutes=40), "b" * 64))
    problems = visit_record_problems(complete(recordings=gap))
    assert [p.rule_id for p in problems] == ["CN-VISIT-AV"] and "300 s" in problems[0].text_en
    assert rules(complete(recordings=())) == ["CN-VISIT-AV"]
    assert rules(complete(checked_out_at=None)) == ["CN-VISIT-AV"]


def test_entering_without_recorded_consent_is_flagged_under_each_jurisdiction() -> None:
    assert rules(complete(entered_premises=True)) == ["CN-VISIT-ENTRY"]
    assert rules(complete(entered_premises=True, entry_consent_at=START)) == []
    assert rules(VisitRecord(jurisdiction="UK-ENG", checked_in=(), checked_out_at=None, entered_premises=True)) == [
        "UK-VISIT"]
    assert rules(VisitRecord(jurisdiction="US-MA", checked_in=(), checked_out_at=None, entered_premises=True)) == [
        "US-MA"]
    assert rules(VisitRecord(jurisdiction="US-NY", checked_in=(), checked_out_at=None, entered_premises=True)) == []


def test_a_party_without_a_role_breaks_cn_target() -> None:
    assert rules(complete(party_role="")) == ["CN-TARGET"]
