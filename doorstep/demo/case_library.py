"""Yesterday's field visits and the case library made from them, so the demo's training screens
have real material: two visits of the Futian team's route of yesterday, played step by step through
the field app's operation service (as the phones send them), then turned into training cases by the
demo supervisor through the case-library services, reviewed and published.

- a **success**: the borrower lost his job, explains it calmly and promises a small payment;
- a **failure**: the borrower is angry at the visit and asks the collectors to leave; they leave.

Every note says it is generated demo text (in Chinese, as collectors in Shenzhen would type it).
Idempotent: each operation has a fixed id (the operation ledger applies it once), and a visit that
already has a case is left alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from doorstep.common.errors import DomainError
from doorstep.field.models import Visit
from doorstep.field.services import operation_apply
from doorstep.planning.models import Plan, Stop
from doorstep.training.models import Lesson, TrainingCase
from doorstep.training.services import case_attach, case_from_visit, case_publish, case_update

ZONE = ZoneInfo("Asia/Shanghai")
DEMO = "（生成的演示文本）"


@dataclass(frozen=True)
class Script:
    key: str
    start_hour: int
    steps: tuple[tuple[int, str, dict[str, Any]], ...]  # (minute, kind, data) sent by the lead collector
    outcome: str
    lessons_learnt: str
    lesson_keys: tuple[tuple[str, int], ...]  # (course code, lesson order) to attach the case to


SCRIPTS = (
    Script(
        key="success", start_hour=10,
        steps=((3, "id_shown", {"mandate_number": "DEMO-WT-0001"}),
               (4, "entry", {"entered": False, "consent": False}),
               (5, "met", {"party": "debtor"}),
               (7, "reason", {"reason": "job_loss",
                              "note": f"十月电子厂倒闭后失业，正在找工作，妻子做兼职。{DEMO}"}),
               (9, "finances", {"monthly_income": "3200", "monthly_expenses": "2600"}),
               (11, "tension", {"level": 2, "note": f"有些焦虑，听我们耐心倾听后平静下来。{DEMO}"}),
               (14, "promise", {"amount": "300.00", "due_in_days": 7})),
        outcome="met",
        lessons_learnt=(f"先倾听，让借款人说清失业的情况；约定一个他能做到的小额还款，比要求一次还清全部欠款更有效。"
                        f"{DEMO}"),
        lesson_keys=(("communication", 2),)),
    Script(
        key="failure", start_hour=11,
        steps=((3, "id_shown", {"mandate_number": "DEMO-WT-0002"}),
               (4, "entry", {"entered": False, "consent": False}),
               (5, "met", {"party": "debtor"}),
               (6, "reason", {"reason": "unwilling",
                              "note": f"认为贷款费用不合理，表示不会还款。{DEMO}"}),
               (8, "tension", {"level": 4, "note": f"一提到欠款金额就提高了嗓门。{DEMO}"}),
               (9, "asked_to_leave", {})),
        outcome="asked_to_leave",
        lessons_learnt=(f"一开口就谈欠款金额，气氛立刻紧张。应先回应对方对费用的不满，告知异议渠道；"
                        f"被要求离开时立即离开并记录。{DEMO}"),
        lesson_keys=(("deescalation", 2),)),
)


def _moment(day: date, hour: int, minute: int) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).isoformat()


def _send(user: Any, key: str, kind: str, at: str, data: dict[str, Any]) -> dict[str, Any]:
    result = operation_apply(user=user, operation={"id": f"demo-{key}-{kind}-{user.pk}", "kind": kind, "at": at,
                                                   "data": data})
    if result.status not in ("applied", "replayed"):
        raise RuntimeError(f"demo visit {key}: {kind} was {result.status}: {result.body}")
    return result.body


def _play(script: Script, stop: Stop, collectors: list[Any], day: date) -> Visit:
    borrower = stop.case.borrower
    door = {"lat": borrower.lat, "lon": borrower.lon, "accuracy_m": 15.0, "mocked": False}
    key = f"{day.isoformat()}-{script.key}"
    for minute, collector in enumerate(collectors):
        _send(collector, key, "check_in", _moment(day, script.start_hour, minute), {"stop": stop.pk, **door})
    lead = collectors[0]
    for minute, kind, data in script.steps:
        if kind == "promise":
            data = {"amount": data["amount"], "due_on": (day + timedelta(days=data["due_in_days"])).isoformat()}
        _send(lead, key, kind, _moment(day, script.start_hour, minute), {"stop": stop.pk, **data})
    end = 12 if script.outcome == "asked_to_leave" else 30
    digest = hashlib.sha256(f"doorstep demo recording {key}".encode()).hexdigest()
    _send(lead, key, "recording_add", _moment(day, script.start_hour, end), {
        "stop": stop.pk, "reference": f"DEMO-CAM-{key}.mp4", "sha256": digest, "size_bytes": 1_000_000,
        "starts_at": _moment(day, script.start_hour, 0), "ends_at": _moment(day, script.start_hour, end + 1)})
    for collector in collectors:
        _send(collector, key, "check_out", _moment(day, script.start_hour, end + 1), {"stop": stop.pk, **door})
    _send(lead, key, "close", _moment(day, script.start_hour, end + 2), {"stop": stop.pk, "outcome": script.outcome})
    return Visit.objects.get(stop__route__plan__day=day, case=stop.case)


def demo_case_library_ensure(*, plan: Plan | None, supervisor: Any) -> int:
    """Play the two scripted visits on `plan` (yesterday's published Futian plan) and publish a
    training case from each. Returns the number of cases made now."""
    if plan is None:
        return 0
    route = plan.routes.select_related("team").order_by("team__code").first()
    if route is None:
        return 0
    stops = list(route.stops.select_related("case__borrower").order_by("sequence")[:len(SCRIPTS)])
    # The route's team as planned: only its certified members went out.
    planned = {name for team in plan.scenario.get("teams", []) if team.get("id") == route.team.code
               for name in team.get("members", [])}
    collectors = list(route.team.members.filter(username__in=planned).order_by("username"))
    if len(collectors) < 2 or len(stops) < len(SCRIPTS):
        return 0
    made = 0
    for script, stop in zip(SCRIPTS, stops, strict=False):
        existing = Visit.objects.filter(stop__route__plan__day=plan.day, case=stop.case).first()
        if existing is not None and TrainingCase.objects.filter(source_visit=existing).exists():
            continue
        visit = existing if existing is not None and existing.status == Visit.Status.CLOSED else _play(
            script, stop, collectors[:2], plan.day)
        case = case_from_visit(visit=visit, by=supervisor)
        case = case_update(case=case, by=supervisor, lessons_learnt=script.lessons_learnt)
        try:
            case = case_publish(case=case, by=supervisor)
        except DomainError:
            # The review found something personal left in the generated notes: the case stays a draft
            # for a person to edit, as in production; the demo goes on.
            made += 1
            continue
        for code, order in script.lesson_keys:
            lesson = Lesson.objects.filter(course__code=code, order=order).first()
            if lesson is not None:
                case_attach(case=case, by=supervisor, lesson=lesson)
        made += 1
    return made
