"""A generated compliance history for the demo, written through the real compliance services:
calls and visits of the past days (some blocked by the rules, as a dialer would be), outcomes,
borrower states with their evidence, consent overrides and complaints.

Seeded: the same seed and day give the same history. Every note says it is generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from doorstep.compliance.core.model import Channel, State
from doorstep.compliance.models import ContactAttempt
from doorstep.compliance.services import (
    AttemptRequest,
    borrower_state_set,
    complaint_record,
    complaint_resolve,
    contact_attempt_finish,
    contact_attempt_start,
    override_decide,
    override_request,
)
from doorstep.portfolio.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
CASES = 60
DAYS = 5
NOTE = "（演示数据）"  # generated notes say so


@dataclass
class ComplianceSeedReport:
    attempts: int = 0
    blocked: int = 0
    states: int = 0
    overrides: int = 0
    complaints: int = 0


def _moment(day: date, rng: Random) -> datetime:
    # Mostly daytime; a few late or early dials that the engine must block (CN-HOURS).
    hour = rng.choice([7, 9, 10, 11, 14, 15, 16, 19, 20, 21, 22]) if rng.random() < 0.15 else rng.randint(9, 19)
    return datetime.combine(day, time(hour, rng.randint(0, 59)), tzinfo=SHANGHAI)


def demo_compliance_seed(*, as_of: date, seed: int, users: dict[str, Any]) -> ComplianceSeedReport:
    rng = Random(seed + 7)
    report = ComplianceSeedReport()
    cases = list(Case.objects.filter(status=Case.Status.OPEN, is_collection_blocked=False)
                 .filter(Q(team__isnull=False)).select_related("borrower", "team", "agency").order_by("id")[:400])
    rng.shuffle(cases)
    chosen = cases[:CASES]
    for index, case in enumerate(chosen):
        assert case.team is not None
        members = list(case.team.members.order_by("username"))
        if not members:
            continue
        unreachable = index % 10 == 0  # nobody answers on three separate days
        for offset in range(DAYS, 0, -1):
            day = as_of - timedelta(days=offset)
            calls = rng.choice([0, 1, 1, 2, 3, 5]) if not unreachable else 2
            moments = sorted(_moment(day, rng) for _ in range(calls))
            for number, moment in enumerate(moments):
                collector = rng.choice(members)
                attempt, _ = contact_attempt_start(
                    request=AttemptRequest(borrower=case.borrower, case=case, channel=Channel.CALL, at=moment),
                    by=collector, idempotency_key=f"demo-{case.pk}-{day.isoformat()}-{number}")
                report.attempts += 1
                if attempt.status == ContactAttempt.Status.BLOCKED:
                    report.blocked += 1
                    continue
                outcome = "no_answer" if unreachable or rng.random() < 0.45 else "connected"
                note = "" if outcome == "no_answer" else rng.choice([
                    "客户表示本月底前处理", "客户称近期收入减少，已告知可申请分期方案", "客户要求改天再联系"]) + NOTE
                contact_attempt_finish(attempt=attempt, outcome=outcome, by=collector, note=note,
                                       conversation=outcome == "connected")
        if unreachable:
            borrower_state_set(borrower=case.borrower, state=State.UNREACHABLE, by=members[0],
                               reason="三天无人接听" + NOTE)
            report.states += 1
        elif index % 10 == 3:
            borrower_state_set(borrower=case.borrower, state=State.HARDSHIP, by=members[0],
                               reason="客户失业，收入中断" + NOTE, evidence="通话记录" + NOTE)
            report.states += 1
    supervisor, compliance = users["supervisor"], users["compliance"]
    evening = as_of + timedelta(days=1)
    for number, case in enumerate(chosen[1:3]):
        override = override_request(
            borrower=case.borrower, case=case, rule_id="CN-HOURS",
            starts_at=datetime.combine(evening, time(21, 30), tzinfo=SHANGHAI),
            ends_at=datetime.combine(evening, time(23, 0), tzinfo=SHANGHAI),
            evidence="客户来电要求下班后晚间上门面谈" + NOTE, recording_reference=f"DEMO-REC-{case.pk}", by=supervisor)
        report.overrides += 1
        if number == 0:
            override_decide(override=override, approve=True, by=compliance, note="已核对录音" + NOTE)
    for number, case in enumerate(chosen[3:5]):
        received = min(datetime.combine(as_of - timedelta(days=2 - number), time(10, 15), tzinfo=SHANGHAI),
                       timezone.now() - timedelta(hours=1))  # a complaint is never received in the future
        complaint = complaint_record(case=case, summary="客户投诉催收员来电语气生硬" + NOTE, received_at=received,
                                     received_via="hotline", by=supervisor)
        report.complaints += 1
        if number == 0:
            complaint_resolve(complaint=complaint, outcome="partly_upheld", note="已回访客户并对催收员进行辅导" + NOTE,
                              by=compliance)
    return report
