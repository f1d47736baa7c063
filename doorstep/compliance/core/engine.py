"""The one decision function: may this contact happen at this moment, and if not, when?

`decide` judges an attempt under every pack that applies to the borrower; any block wins
(the strictest rule). `allowed_intervals` answers the planner's question, "when on this day may a
visit start?", by cutting the day at every instant where some rule can change its answer and
judging each piece. Everything is pure: the caller passes the history, the states and the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import TypeVar
from zoneinfo import ZoneInfo

from doorstep.compliance.core.model import (
    Attempt,
    Channel,
    ContactEvent,
    NumberKind,
    Party,
    Place,
    Purpose,
    State,
    Subject,
)
from doorstep.compliance.core.packs import CONSENT_RULES, PACKS, Pack, pack_ids_for

# Rules that only restrict when a contact may happen; any other block has no next allowed moment.
TIME_RULES = frozenset({"CN-HOURS", "US-HOURS", "UK-TIMES"})
HORIZON_DAYS = 62
_T = TypeVar("_T")


@dataclass(frozen=True)
class Block:
    rule_id: str
    reason_en: str
    reason_zh: str
    temporal: bool = False  # time alone lifts it (hours, counters, waiting periods)


@dataclass(frozen=True)
class Requirement:
    """What the record of an allowed contact must show (REC) or how it must be conducted."""

    rule_id: str
    text_en: str
    text_zh: str


@dataclass(frozen=True)
class Decision:
    allowed: bool
    at: datetime
    blocks: tuple[Block, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    packs: tuple[str, ...] = ()
    next_allowed_at: datetime | None = None

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({block.rule_id for block in self.blocks}))

    @property
    def blocked_by_time_only(self) -> bool:
        return bool(self.blocks) and all(block.temporal for block in self.blocks)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: what the API answers, the command prints and an attempt keeps on record."""
        return {
            "allowed": self.allowed, "at": self.at.isoformat(), "rules": list(self.rules),
            "reason": self.reason("en"), "reason_zh": self.reason("zh"),
            "next_allowed_at": self.next_allowed_at.isoformat() if self.next_allowed_at else None,
            "packs": list(self.packs),
            "blocks": [{"rule": block.rule_id, "reason": block.reason_en, "reason_zh": block.reason_zh,
                        "temporal": block.temporal} for block in self.blocks],
            "requirements": [{"rule": item.rule_id, "text": item.text_en, "text_zh": item.text_zh}
                             for item in self.requirements],
        }

    def reason(self, language: str = "en") -> str:
        chinese = language.lower().startswith("zh")
        if self.allowed:
            return "允许" if chinese else "allowed"
        parts = [f"{block.rule_id}: {block.reason_zh if chinese else block.reason_en}" for block in self.blocks]
        return ("；" if chinese else "; ").join(parts)


@lru_cache(maxsize=1024)
def _requirement(rule_id: str, en: str, zh: str) -> Requirement:
    """One shared instance per text: a planner holding 100,000 decisions then holds a few dozen
    requirements rather than 300,000 (which the garbage collector would rescan)."""
    return Requirement(rule_id, en, zh)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _minutes(moment: datetime) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60 + moment.microsecond / 60_000_000


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(zone(timezone)).date()


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone(timezone))


@dataclass
class _Judge:
    """Collects blocks and requirements while one attempt is judged."""

    subject: Subject
    attempt: Attempt
    duration: timedelta
    blocks: list[Block] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)

    def block(self, rule_id: str, en: str, zh: str, *, temporal: bool = False) -> None:
        self.blocks.append(Block(rule_id, en, zh, temporal))

    def require(self, rule_id: str, en: str, zh: str) -> None:
        self.requirements.append(_requirement(rule_id, en, zh))

    @property
    def end_at(self) -> datetime:
        # In UTC: adding to an aware datetime works on its own wall clock, which a DST change would bend.
        return self.attempt.at.astimezone(UTC) + self.duration

    def consented(self, rule_id: str) -> bool:
        start, end = self.attempt.at, self.end_at
        return any(consent.rule_id == rule_id and consent.starts_at <= start and end <= consent.ends_at
                   for consent in self.subject.consents)

    # --- shared rule shapes ---------------------------------------------------------------------

    def hours(self, pack: Pack, rule_id: str, *, inconvenient: bool) -> None:
        if self.attempt.channel is Channel.LETTER:
            return
        if pack.value("hours_consent") and self.consented(rule_id):
            return
        first, last = pack.value("day_starts_at"), pack.value("day_ends_at")
        for timezone in self.subject.timezones:
            start = self.attempt.at.astimezone(zone(timezone))
            begins = _minutes(start)
            if self.duration:
                end = self.end_at.astimezone(zone(timezone))
                ends = _minutes(end) + 1440 * (end.date() - start.date()).days
                inside = begins >= first and ends <= last
            else:
                inside = first <= begins < last
            if not inside:
                self.block(rule_id, f"outside {_hhmm(first)}–{_hhmm(last)} local time ({timezone})",
                           f"不在当地时间 {_hhmm(first)}–{_hhmm(last)} 之内（{timezone}）", temporal=True)
                return
        if inconvenient and self.subject.inconvenient_times:
            home = self.subject.home_timezone
            start = self.attempt.at.astimezone(zone(home))
            begins = _minutes(start)
            ends = begins + self.duration.total_seconds() / 60
            for slot in self.subject.inconvenient_times:
                if start.weekday() not in slot.weekdays:
                    continue
                overlaps = (begins < slot.end_minute and ends > slot.start_minute) if self.duration else (
                    slot.start_minute <= begins < slot.end_minute)
                if overlaps:
                    span = f"{_hhmm(slot.start_minute)}–{_hhmm(slot.end_minute)}"
                    self.block(rule_id, f"the borrower said {span} is inconvenient", f"借款人表示 {span} 不方便",
                               temporal=True)
                    return

    def count_recent(self, days: int, cap: int, rule_id: str, events: Iterable[ContactEvent], en: str,
                     zh: str) -> None:
        """Block when `cap` events already fall within the rolling `days` before the attempt."""
        since = self.attempt.at.astimezone(UTC) - timedelta(days=days)  # exact days, whatever the zone of `at`
        recent = sum(1 for event in events if since < event.at <= self.attempt.at)
        if recent >= cap:
            self.block(rule_id, en.format(count=recent, cap=cap, days=days),
                       zh.format(count=recent, cap=cap, days=days), temporal=True)

    def count_today(self, cap: int, rule_id: str, events: Iterable[ContactEvent], en: str, zh: str) -> None:
        """A daily cap counts every event of the debtor's local day, also those logged with a later
        time: two collectors dialling at once must not both take the last slot."""
        home = self.subject.home_timezone
        today = _local_day(self.attempt.at, home)
        start, end = _midnight(today, home), _midnight(today + timedelta(days=1), home)
        done = sum(1 for event in events if start <= event.at < end)
        if done >= cap:
            self.block(rule_id, en.format(count=done, cap=cap), zh.format(count=done, cap=cap), temporal=True)

    def history(self, *channels: Channel, party: Party | None = None,
                person: str | None = None) -> list[ContactEvent]:
        return [event for event in self.subject.history if event.channel in channels
                and (party is None or event.party is party) and (person is None or event.person == person)]


def _third_party(judge: _Judge, rule_id: str) -> None:
    if not judge.attempt.party.is_obligor and judge.attempt.effective_purpose is not Purpose.LOCATE:
        judge.block(rule_id, "a third party may be contacted only to restore contact, never to collect",
                    "第三方只能用于恢复联系，不得向其催收")
    if not judge.attempt.party.is_obligor:
        judge.require(rule_id, "locate-only script: no amount, no overdue status, no lender details",
                      "仅用于寻人：不提金额、逾期情况或贷款机构")


def _visits_to_debtor(judge: _Judge) -> list[ContactEvent]:
    # Asked for every candidate visit of a day's plan: a plain filter rather than `history`'s general one.
    return [event for event in judge.subject.history if event.channel == Channel.VISIT and event.party is Party.DEBTOR]


def _judge_cn(judge: _Judge, pack: Pack) -> None:
    attempt, subject = judge.attempt, judge.subject
    purpose = attempt.effective_purpose
    if State.ILLEGAL_DEBT in subject.states:
        judge.block("CN-ILLEGAL-DEBT", "the loan is flagged illegal or above the legal cap: no collection",
                    "贷款被标记为非法或超过法定利率上限：禁止催收")
    judge.hours(pack, "CN-HOURS", inconvenient=False)
    _third_party(judge, "CN-TARGET")
    if attempt.party is Party.CONTACT:
        if not subject.states & {State.UNREACHABLE, State.DECEASED}:
            judge.block("CN-CONTACT-TRIGGER",
                        "a pre-agreed contact may be reached only when the debtor is unreachable (with evidence) "
                        "or deceased", "仅在借款人失联（有记录证据）或身故时才可联系预留联系人")
        if attempt.person in subject.refused_persons:
            judge.block("CN-CONTACT-TRIGGER", "this contact asked not to be contacted again", "该联系人已拒绝再被联系")
    if not attempt.party.is_obligor and attempt.channel in (Channel.SMS, Channel.LETTER):
        judge.block("CN-NO-DISCLOSE", "no written messages to third parties", "不得向第三方发送书面信息")
    if attempt.contact_source is not None and attempt.contact_source not in (
            "application", "borrower_update", "public_record"):
        judge.block("CN-CONTACT-SOURCE", f"the number or address has no lawful source ({attempt.contact_source!r})",
                    f"该号码或地址来源不合法（{attempt.contact_source!r}）")
    if attempt.channel is Channel.CALL and attempt.party is Party.DEBTOR:
        judge.count_today(pack.value("connected_calls_per_day"), "CN-CALL-CONNECT",
                          [e for e in judge.history(Channel.CALL, party=Party.DEBTOR) if e.reached],
                          "{count} connected calls to the debtor today (limit {cap}, all agencies)",
                          "今日已接通借款人 {count} 次（上限 {cap}，含所有机构）")
    if attempt.channel is Channel.CALL and attempt.number:
        judge.count_today(pack.value("attempts_per_number_per_day"), "CN-CALL-ATTEMPT",
                          [e for e in subject.history if e.channel is Channel.CALL and e.number == attempt.number],
                          "{count} calls to this number today (limit {cap})",
                          "今日已拨打该号码 {count} 次（上限 {cap}）")
    if attempt.channel is Channel.VISIT:
        minimum = pack.value("visit_min_team")
        if attempt.team_size is not None and attempt.team_size < minimum:
            judge.block("CN-VISIT-2P", f"a field visit needs at least {minimum} collectors",
                        f"上门催收至少需要 {minimum} 名催收员")
        elif attempt.team_size is None:
            judge.require("CN-VISIT-2P", f"at least {minimum} collectors, all checked in",
                          f"至少 {minimum} 名催收员并均已签到")
        longest = pack.value("visit_max_minutes")
        if judge.duration > timedelta(minutes=longest):
            judge.block("CN-VISIT-ENTRY", f"a visit may last at most {longest} minutes",
                        f"单次上门不得超过 {longest} 分钟")
        judge.require("CN-VISIT-ID", "show work id, mandate and loan details; record when",
                      "出示工作证、委托书和贷款信息并记录时间")
        judge.require("CN-VISIT-AV", "record audio or video from check-in to check-out", "从签到到签退全程录音录像")
        judge.require("CN-VISIT-ENTRY", "enter only with consent, and record it", "未经同意不得进入住宅，并记录同意")
    if purpose is Purpose.ENFORCE and subject.time_barred:
        judge.block("CN-LIMITATION", "the limitation period has run: do not present the claim as enforceable",
                    "已过诉讼时效：不得称债务可强制执行")
    agency = subject.agency
    if agency is not None:
        today = _local_day(attempt.at, subject.home_timezone)
        problems_en, problems_zh = [], []
        if not agency.contract_reference:
            problems_en.append("no written contract")
            problems_zh.append("无书面委托合同")
        if agency.contract_ends_on is not None and agency.contract_ends_on < today:
            problems_en.append("its contract has ended")
            problems_zh.append("合同已到期")
        if not agency.is_published:
            problems_en.append("it is not on the published list")
            problems_zh.append("未在公示名单中")
        if agency.last_reviewed_on is None or (today - agency.last_reviewed_on).days > pack.value("agency_review_days"):
            problems_en.append("it has not been reviewed within a year")
            problems_zh.append("一年内未经评估")
        if problems_en:
            judge.block("CN-AGENCY", f"agency {agency.code}: " + ", ".join(problems_en),
                        f"委外机构 {agency.code}：" + "、".join(problems_zh))
    _visit_frequency(judge, pack)


def _visit_frequency(judge: _Judge, pack: Pack) -> None:
    if judge.attempt.channel is Channel.VISIT and judge.attempt.party is Party.DEBTOR:
        judge.count_recent(30, pack.value("visits_per_30_days"), "DS-VISIT-FREQ", _visits_to_debtor(judge),
                           "{count} visit(s) in the last {days} days (policy: {cap})",
                           "近 {days} 天已上门 {count} 次（政策上限 {cap}）")


def _judge_common(judge: _Judge) -> None:
    attempt, subject = judge.attempt, judge.subject
    if State.DECEASED in subject.states and attempt.party is Party.DEBTOR:
        judge.block("DS-DECEASED", "the debtor is deceased", "借款人已身故")
    paused = subject.visits_paused_until
    if attempt.channel is Channel.VISIT and paused is not None and attempt.at < paused:
        judge.block("DS-COMPLAINT-PAUSE", f"field visits are paused after a complaint until {paused.isoformat()}",
                    f"因投诉暂停上门至 {paused.isoformat()}", temporal=True)


def _judge_us(judge: _Judge, pack: Pack) -> None:
    attempt, subject = judge.attempt, judge.subject
    purpose = attempt.effective_purpose
    judge.hours(pack, "US-HOURS", inconvenient=True)
    workplace = (attempt.place is Place.WORKPLACE and attempt.channel is Channel.VISIT) or (
        attempt.party is Party.EMPLOYER) or (attempt.channel is Channel.CALL and attempt.number_kind is NumberKind.WORK)
    if State.NO_WORKPLACE_CONTACT in subject.states and workplace:
        judge.block("US-WORK", "the employer does not allow contact at work", "雇主禁止在工作场所联系")
    if State.ATTORNEY in subject.states and attempt.party is Party.DEBTOR:
        judge.block("US-ATTY", "the consumer has an attorney for this debt: deal with the attorney",
                    "借款人已委托律师：请与律师联系")
    if State.CEASE_CONTACT in subject.states and attempt.party.is_obligor and purpose is not Purpose.NOTICE:
        judge.block("US-CEASE", "the consumer asked to stop contact", "借款人已书面要求停止联系")
    if State.DISPUTE in subject.states and purpose is not Purpose.NOTICE:
        judge.block("US-VALID", "the debt is disputed: collection halts until verification is sent",
                    "债务有争议：在发送核实材料前暂停催收")
    if attempt.channel is Channel.CALL:
        calls = judge.history(Channel.CALL, person=attempt.person)
        judge.count_recent(7, pack.value("calls_per_7_days"), "US-7IN7", calls,
                           "{count} calls to this person in the last {days} days (limit {cap})",
                           "近 {days} 天已致电此人 {count} 次（上限 {cap}）")
        gap = pack.value("days_after_conversation")
        since = attempt.at.astimezone(UTC) - timedelta(days=gap)
        if any(since < call.at <= attempt.at and call.conversation for call in calls):
            judge.block("US-7IN7", f"a phone conversation with this person took place in the last {gap} days",
                        f"近 {gap} 天内已与此人通话", temporal=True)
    if not attempt.party.is_obligor:
        _third_party(judge, "US-3P")
        reached = sum(1 for event in subject.history if event.person == attempt.person and event.reached)
        if reached >= pack.value("third_party_contacts") or attempt.person in subject.refused_persons:
            judge.block("US-3P", "this third party has already been contacted", "已联系过该第三方")
    if purpose is Purpose.ENFORCE and subject.time_barred:
        judge.block("US-SOL", "the debt is time-barred: no suit or threat of suit",
                    "债务已过诉讼时效：不得起诉或以起诉相威胁")
    if attempt.channel in (Channel.CALL, Channel.VISIT):
        judge.require("US-DECEPT", "say who you are and that you are a debt collector", "表明身份及催收人员身份")


def _judge_us_ma(judge: _Judge, pack: Pack) -> None:
    attempt = judge.attempt
    if attempt.party is not Party.DEBTOR:
        return
    if attempt.channel in (Channel.CALL, Channel.SMS):
        communications = [e for e in judge.history(Channel.CALL, Channel.SMS, party=Party.DEBTOR)
                          if e.reached or e.channel is Channel.SMS]
        if attempt.number_kind in (NumberKind.HOME, NumberKind.MOBILE):
            judge.count_recent(7, pack.value("calls_home_per_7_days"), "US-MA",
                               [e for e in communications if e.number_kind in (NumberKind.HOME, NumberKind.MOBILE)],
                               "{count} calls or texts to home or cell in {days} days (MA limit {cap})",
                               "{days} 天内已致电或发短信至住宅或手机 {count} 次（马萨诸塞州上限 {cap}）")
        else:
            judge.count_recent(30, pack.value("calls_other_per_30_days"), "US-MA",
                               [e for e in communications if e.number_kind in (NumberKind.WORK, NumberKind.OTHER)],
                               "{count} calls to other numbers in {days} days (MA limit {cap})",
                               "{days} 天内已致电其他号码 {count} 次（马萨诸塞州上限 {cap}）")
    if attempt.channel is Channel.VISIT:
        judge.count_recent(30, pack.value("visits_per_30_days"), "US-MA", _visits_to_debtor(judge),
                           "{count} visit(s) in the last {days} days (MA limit {cap})",
                           "近 {days} 天已上门 {count} 次（马萨诸塞州上限 {cap}）")
        if attempt.place is not Place.HOME and not (pack.value("workplace_visit_consent") and judge.consented("US-MA")):
            judge.block("US-MA", "no visits away from home unless the debtor asked for one",
                        "除非借款人要求，不得在住所以外上门")
        judge.require("US-MA", "stay outside unless invited in", "未经邀请不得进入")


def _judge_uk(judge: _Judge, pack: Pack, jurisdiction: str) -> None:
    attempt, subject = judge.attempt, judge.subject
    purpose = attempt.effective_purpose
    judge.hours(pack, "UK-TIMES", inconvenient=True)
    # A place is where a visit happens and a number kind what a call or text reaches; neither means more.
    if State.NO_WORKPLACE_CONTACT in subject.states and (
            (attempt.place is Place.WORKPLACE and attempt.channel is Channel.VISIT) or attempt.party is Party.EMPLOYER
            or (attempt.number_kind is NumberKind.WORK and attempt.channel in (Channel.CALL, Channel.SMS))):
        judge.block("UK-TIMES", "the customer asked not to be contacted at work", "客户要求不在工作场所联系")
    if State.BREATHING_SPACE in subject.states and purpose is not Purpose.NOTICE:
        judge.block("UK-BSPACE", "breathing space: no payment requests or enforcement",
                    "债务喘息期：不得催收或强制执行")
    if State.VULNERABLE in subject.states and attempt.channel is Channel.VISIT:
        judge.block("UK-VULN", "no visits to a customer known to be vulnerable", "已知为弱势客户：不得上门")
    if State.HARDSHIP in subject.states and (attempt.channel is Channel.VISIT or purpose is Purpose.ENFORCE):
        judge.block("UK-FORBEAR", "the customer is in hardship: forbearance, no escalation",
                    "客户处于困难期：应予宽容，不得升级催收")
    if attempt.channel is Channel.VISIT:
        sent = subject.visit_notice_sent_at
        days = pack.value("visit_notice_days")
        if sent is None:
            judge.block("UK-VISIT", "send notice of the visit and its purpose first", "须先发送上门通知并说明目的")
        elif attempt.at < sent + timedelta(days=days):
            judge.block("UK-VISIT", f"the visit notice needs {days} days", f"上门通知须提前 {days} 天", temporal=True)
        if attempt.place is not Place.HOME and not judge.consented("UK-VISIT"):
            judge.block("UK-VISIT", "a visit away from home needs the customer's express consent",
                        "在住所以外上门须经客户明确同意")
        judge.require("UK-VISIT", "enter only with consent, and record it", "未经同意不得进入，并记录同意")
    _third_party(judge, "UK-3P")
    if subject.time_barred and (purpose is Purpose.ENFORCE or (
            jurisdiction.upper() == "UK-SCT" and purpose is Purpose.COLLECT)):
        judge.block("UK-SBD", "the debt is statute-barred" + (" and extinguished in Scotland" if
                    jurisdiction.upper() == "UK-SCT" else ""), "债务已过诉讼时效")
    if purpose is Purpose.ENFORCE:
        served = subject.default_notice_served_on
        days = pack.value("default_notice_days")
        if served is None:
            judge.block("UK-DEFAULT", "serve a default notice before enforcing", "强制执行前须送达违约通知")
        elif _local_day(attempt.at, subject.home_timezone) < served + timedelta(days=days):
            judge.block("UK-DEFAULT", f"a default notice gives at least {days} days", f"违约通知须给予至少 {days} 天",
                        temporal=True)
    _visit_frequency(judge, pack)


class Engine:
    """Judges attempts under the rule packs, tightened by one lender's policy."""

    def __init__(self, packs: Mapping[str, Pack] | None = None) -> None:
        self.packs = packs or PACKS

    def pack_ids(self, subject: Subject) -> tuple[str, ...]:
        seen: list[str] = []
        for jurisdiction in subject.jurisdictions:
            for pack_id in pack_ids_for(jurisdiction):
                if pack_id not in seen:
                    seen.append(pack_id)
        return tuple(seen)

    def visit_minutes(self, subject: Subject, attempt: Attempt) -> int:
        if attempt.channel is not Channel.VISIT:
            return 0
        if attempt.duration_minutes > 0:
            return attempt.duration_minutes
        return max((self.packs[p].value("visit_default_minutes") for p in self.pack_ids(subject)
                    if "visit_default_minutes" in self.packs[p].params), default=45)

    def _judge(self, subject: Subject, attempt: Attempt) -> _Judge:
        # In UTC, so every comparison with a logged moment is by instant: two datetimes of one zone
        # compare by wall clock and would misorder the repeated hour when the clocks go back.
        attempt = replace(attempt, at=attempt.at.astimezone(UTC))
        judge = _Judge(subject, attempt, timedelta(minutes=self.visit_minutes(subject, attempt)))
        _judge_common(judge)
        for jurisdiction in subject.jurisdictions:
            for pack_id in pack_ids_for(jurisdiction):
                pack = self.packs[pack_id]
                if pack_id == "CN":
                    _judge_cn(judge, pack)
                elif pack_id == "US":
                    _judge_us(judge, pack)
                elif pack_id == "US-MA":
                    _judge_us_ma(judge, pack)
                else:
                    _judge_uk(judge, pack, jurisdiction)
        return judge

    def decide(self, subject: Subject, attempt: Attempt, *, find_next: bool = True) -> Decision:
        if attempt.at.tzinfo is None:
            raise ValueError("the moment of an attempt must carry its time zone")
        judge = self._judge(subject, attempt)
        blocks = _unique(judge.blocks)
        decision = Decision(allowed=not blocks, at=attempt.at, blocks=blocks,
                            requirements=_unique(judge.requirements), packs=self.pack_ids(subject))
        if blocks and find_next and decision.blocked_by_time_only:
            decision = replace(decision, next_allowed_at=self.next_allowed_at(subject, attempt))
        return decision

    def decide_many(self, pairs: Iterable[tuple[Subject, Attempt]], *, find_next: bool = False) -> list[Decision]:
        """Judge a batch (a day's candidate visits). Judging creates no reference cycles, so the
        cyclic garbage collector, which would rescan every decision built so far, is paused."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return [self.decide(subject, attempt, find_next=find_next) for subject, attempt in pairs]
        finally:
            if collecting:
                gc.enable()

    def allows(self, subject: Subject, attempt: Attempt) -> bool:
        return not self._judge(subject, attempt).blocks

    def allowed_intervals(self, subject: Subject, attempt: Attempt, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """Half-open [start, end) spans of the borrower's local `day` in which the attempt may start.

        Every moment inside a span is allowed; an allowed moment outside all spans can only be the
        closing instant of one (e.g. the last minute a visit may start).
        """
        home = subject.home_timezone
        day_start, day_end = _midnight(day, home), _midnight(day + timedelta(days=1), home)
        cuts = self._cuts(subject, attempt, day, day_start, day_end)
        spans: list[tuple[datetime, datetime]] = []
        for start, end in pairwise(cuts):
            middle = start + (end - start) / 2
            if self.allows(subject, replace(attempt, at=middle)):
                if spans and spans[-1][1] == start:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
        return tuple((start.astimezone(zone(home)), end.astimezone(zone(home))) for start, end in spans)

    def next_allowed_at(self, subject: Subject, attempt: Attempt) -> datetime | None:
        """The first moment from `attempt.at` on at which the attempt would be allowed (None: not within
        HORIZON_DAYS, or never by waiting)."""
        home = subject.home_timezone
        first_day = _local_day(attempt.at, home)
        at = attempt.at.astimezone(UTC)  # compare in UTC: one zone's datetimes compare by wall clock
        for offset in range(HORIZON_DAYS + 1):
            for start, end in self.allowed_intervals(subject, attempt, first_day + timedelta(days=offset)):
                if end.astimezone(UTC) <= at:
                    continue
                candidate = max(start.astimezone(UTC), at)
                if self.allows(subject, replace(attempt, at=candidate)):
                    return candidate.astimezone(zone(home))
        return None

    def _cuts(self, subject: Subject, attempt: Attempt, day: date, day_start: datetime,
              day_end: datetime) -> list[datetime]:
        """Every instant of the day at which some rule may change its answer."""
        duration = timedelta(minutes=self.visit_minutes(subject, attempt))
        points: set[datetime] = {day_start, day_end}
        nearby = (day - timedelta(days=1), day, day + timedelta(days=1))
        minutes: set[int] = {0}
        for pack_id in self.pack_ids(subject):
            params = self.packs[pack_id].params
            if "day_starts_at" in params:
                minutes.update((params["day_starts_at"].value, params["day_ends_at"].value))
        for slot in subject.inconvenient_times:
            minutes.update((slot.start_minute, slot.end_minute))
        for timezone in subject.timezones:
            for local_day in nearby:
                for minute in minutes:
                    # Wall-clock arithmetic: 08:00 local stays 08:00 on a day the clocks change.
                    wall = (datetime.combine(local_day, time(0)) + timedelta(minutes=minute)).replace(
                        tzinfo=zone(timezone))
                    points.update((wall, wall.astimezone(UTC) - duration))
        for consent in subject.consents:
            points.update((consent.starts_at, consent.ends_at, consent.ends_at.astimezone(UTC) - duration))
        for event in subject.history:
            for days in (0, 7, 30):
                points.add(event.at.astimezone(UTC) + timedelta(days=days))
        for moment in (subject.visits_paused_until, subject.visit_notice_sent_at):
            if moment is not None:
                points.add(moment)
        if subject.visit_notice_sent_at is not None:
            for pack_id in self.pack_ids(subject):
                if "visit_notice_days" in self.packs[pack_id].params:
                    points.add(subject.visit_notice_sent_at + timedelta(
                        days=self.packs[pack_id].value("visit_notice_days")))
        # In UTC: two datetimes of one zone compare and subtract by wall clock, wrong in a repeated hour.
        return sorted({point.astimezone(UTC) for point in points if day_start <= point <= day_end})


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


DEFAULT_ENGINE = Engine()


def decide(subject: Subject, attempt: Attempt, *, engine: Engine = DEFAULT_ENGINE, find_next: bool = True) -> Decision:
    return engine.decide(subject, attempt, find_next=find_next)


__all__ = ["CONSENT_RULES", "TIME_RULES", "Block", "Decision", "Engine", "Requirement", "decide"]
