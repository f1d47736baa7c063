"""Every rule id of compliance-rules.md: a short title and where Doorstep enforces it.

`enforced` uses the table's codes: PLAN (the planner's windows, from `Engine.allowed_intervals`),
PRE (`Engine.decide` before any contact), REC (a required field or a record check), TXT (the text
filter). Codes the table names but this release leaves to other parts (UI, RET, AUD) are listed
in `elsewhere` with where they live or that they are still missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title_en: str
    title_zh: str
    enforced: frozenset[str]
    elsewhere: str = ""


def _rule(rule_id: str, en: str, zh: str, enforced: str, elsewhere: str = "") -> RuleInfo:
    return RuleInfo(rule_id, en, zh, frozenset(enforced.split()), elsewhere)


RULES: Mapping[str, RuleInfo] = MappingProxyType({rule.id: rule for rule in (
    _rule("CN-HOURS", "No collection at night (22:00–08:00)", "禁止夜间催收（22:00–08:00）", "PLAN PRE"),
    _rule("CN-CALL-CONNECT", "At most 3 connected calls per debtor per day", "每名债务人每日接通不超过 3 次", "PRE"),
    _rule("CN-CALL-ATTEMPT", "At most 6 dial attempts per number per day", "每个号码每日拨打不超过 6 次", "PRE"),
    _rule("CN-TARGET", "Collect only from obligors", "只向债务人、担保人、共同借款人催收", "PRE REC TXT",
          "field app: promises, plans, payment links and cash only after an obligor was met (doorstep.field)"),
    _rule("CN-CONTACT-TRIGGER", "Pre-agreed contacts only when the debtor is unreachable",
          "仅在失联时联系预留联系人", "PRE REC"),
    _rule("CN-CONTACT-SOURCE", "Contact data needs a lawful source", "联系人信息须有合法来源", "PRE REC",
          "REC at import: every contact has a source; address books are refused"),
    _rule("CN-NO-DISCLOSE", "Do not disclose the debt to others", "不得向他人披露债务", "PRE TXT"),
    _rule("CN-NO-FAKE", "No posing as police, courts or government", "不得冒充公检法或政府", "TXT"),
    _rule("CN-VISIT-ID", "Show work id, mandate and loan details on site", "上门出示工作证、委托书和贷款信息", "REC"),
    _rule("CN-VISIT-2P", "At least two collectors per visit", "上门至少两人", "PLAN PRE REC"),
    _rule("CN-VISIT-AV", "Record the whole visit", "上门全程录音录像", "REC"),
    _rule("CN-VISIT-ENTRY", "No entry without consent; no sit-ins", "未经同意不得进入，不得滞留", "PLAN PRE REC"),
    _rule("CN-PAY-CHANNEL", "Repayment only through the lender's channels", "只能通过指定渠道还款", "TXT",
          "field app: payment links from the lender's gateway adapter only; cash only against a numbered receipt"),
    _rule("CN-AGENCY", "Agencies need a contract, publication and yearly review", "委外机构须有合同、公示并年度评估",
          "PRE", "registry fields on Agency"),
    _rule("CN-RETAIN", "Keep collection records; delete when no longer needed", "保存催收记录，到期删除", "",
          "RET: retention jobs are not built yet"),
    _rule("CN-CAP", "Claim only the legally collectible amount", "只主张法定可收取金额", "",
          "AUD: the delinquency refresh computes the collectible amount and flags >24 % and >36 %"),
    _rule("CN-ILLEGAL-DEBT", "No collection of an illegal debt", "不得催收非法债务", "PRE",
          "UI: the case page shows the block"),
    _rule("CN-LIMITATION", "Do not present a time-barred claim as enforceable", "不得将过时效债务称为可强制执行",
          "PRE TXT"),
    _rule("US-HOURS", "No contact outside 8 am–9 pm local time", "当地时间 8:00–21:00 以外不得联系", "PLAN PRE"),
    _rule("US-WORK", "No contact at work when the employer forbids it", "雇主禁止时不得在工作场所联系", "PRE"),
    _rule("US-ATTY", "Deal with the consumer's attorney", "借款人有律师时与律师联系", "PRE"),
    _rule("US-7IN7", "At most 7 calls in 7 days; none within 7 days of a conversation",
          "7 天内不超过 7 次来电；通话后 7 天内不得再致电", "PRE"),
    _rule("US-MA", "Massachusetts call and visit limits", "马萨诸塞州来电与上门限制", "PLAN PRE REC"),
    _rule("US-3P", "Third parties: location only, once each", "第三方仅限寻人且每人一次", "PRE TXT"),
    _rule("US-CEASE", "A cease request stops contact", "停止联系请求生效后停止联系", "PRE"),
    _rule("US-VALID", "A dispute halts collection until verification", "争议期间暂停催收直至核实", "PRE"),
    _rule("US-DECEPT", "No false or misleading statements", "不得虚假或误导陈述", "TXT REC"),
    _rule("US-AMT", "Collect only amounts the agreement allows", "只收取合同或法律允许的金额", "TXT",
          "fee whitelist: not built yet"),
    _rule("US-SOL", "No suit or threat of suit on time-barred debt", "不得就过时效债务起诉或威胁起诉", "PRE TXT"),
    _rule("US-RET", "Keep records 3 years", "记录保存 3 年", "", "RET: retention jobs are not built yet"),
    _rule("UK-FORBEAR", "Forbearance for customers in arrears", "对逾期客户给予宽容", "PRE TXT"),
    _rule("UK-VULN", "No visits to vulnerable customers", "不得上门拜访弱势客户", "PRE"),
    _rule("UK-TIMES", "No contact at unreasonable times; honour requests", "不得在不合理时间联系", "PLAN PRE"),
    _rule("UK-VISIT", "Notice before a visit; consent to enter", "上门前须通知，进入须同意", "PLAN PRE REC"),
    _rule("UK-3P", "No unfair disclosure to third parties", "不得向第三方不当披露", "PRE TXT"),
    _rule("UK-MISREP", "Do not misstate authority or the legal position", "不得歪曲权限或法律地位", "TXT"),
    _rule("UK-SBD", "Statute-barred debt: do not mislead", "过时效债务不得误导", "PRE TXT"),
    _rule("UK-DEFAULT", "Default notice at least 14 days before enforcement", "强制执行前至少 14 天送达违约通知",
          "PRE"),
    _rule("UK-BSPACE", "Breathing space stops collection", "债务喘息期停止催收", "PRE"),
    _rule("DS-DECEASED", "No contact with a deceased debtor (policy)", "不得联系已故债务人（政策）", "PRE"),
    _rule("DS-COMPLAINT-PAUSE", "Visits pause after a complaint (policy)", "投诉后暂停上门（政策）", "PLAN PRE"),
    _rule("DS-VISIT-FREQ", "At most one visit in 30 days (policy default)", "30 天内最多上门一次（政策默认）",
          "PLAN PRE"),
)})


def rule_title(rule_id: str, language: str = "en") -> str:
    info = RULES.get(rule_id)
    if info is None:
        return rule_id
    return info.title_zh if language.lower().startswith("zh") else info.title_en
