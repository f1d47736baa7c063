"""The words of a visit, in English and Simplified Chinese: why the debtor is behind, who was met,
and how tense the doorstep is, each with what the collector does next.

The hints encode conduct rules, not sales tips: a dispute or a fraud claim stops the pressure to
pay (the case goes to review), hardship points to a smaller plan, and a hostile doorstep ends the
visit. The codes are stored; the labels may be reworded freely.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    code: str
    en: str
    zh: str
    hint_en: str  # what the collector does next
    hint_zh: str


ARREARS_REASONS: tuple[Label, ...] = (
    Label("job_loss", "Lost job or income", "失业或收入中断",
          "Ask when income is expected again; consider a hardship plan and offer a smaller plan or a later "
          "first due date.",
          "询问预计何时恢复收入；考虑困难还款方案，提供金额更小的计划或推迟首期还款日。"),
    Label("illness", "Illness or injury", "疾病或受伤",
          "Do not press for payment today; consider a hardship plan and offer a smaller plan. Do not ask for "
          "medical details.",
          "今天不要催促还款；考虑困难还款方案，提供金额更小的计划。不要询问病情细节。"),
    Label("business_failure", "Business failed or struggling", "经营失败或困难",
          "Ask what income remains; offer a longer plan with smaller installments.",
          "了解目前仍有的收入；提供期数更多、每期金额更小的计划。"),
    Label("family_event", "Family event (death, birth, divorce)", "家庭变故（丧事、生育、离婚等）",
          "Express sympathy; offer to come back another time or to start the plan later.",
          "表示体谅；提出改日再来，或推迟还款计划的开始时间。"),
    Label("dispute", "Disputes the debt", "对债务有异议",
          "Stop collecting on the disputed part; record the dispute so the case is reviewed.",
          "停止催收有争议的部分；记录异议，以便对案件进行复核。"),
    Label("fraud_claim", "Says the loan was taken in their name by someone else", "称贷款被他人冒名办理",
          "Record it as a dispute and do not press for payment; tell them the case will be reviewed and how "
          "to report the fraud.",
          "按异议记录，不要催促还款；告知对方案件将被复核，以及如何举报冒名行为。"),
    Label("unwilling", "Able but unwilling to pay", "有能力但不愿还款",
          "Stay calm; explain the options and the lawful next steps factually, without threats; record the "
          "refusal.",
          "保持冷静；如实说明可选方案和依法的后续步骤，不得威胁；记录对方拒绝还款。"),
    Label("other", "Other reason", "其他原因",
          "Describe the reason in the note.",
          "在备注中说明原因。"),
)

PARTIES_MET: tuple[Label, ...] = (
    Label("debtor", "Debtor", "债务人",
          "Confirm their identity before discussing the debt.",
          "先核实对方身份，再谈债务事宜。"),
    Label("guarantor", "Guarantor", "担保人",
          "Discuss only what the guarantee covers; confirm their identity first.",
          "只谈担保责任范围内的事项；先核实对方身份。"),
    Label("co_obligor", "Co-borrower", "共同借款人",
          "Confirm their identity; they are liable for the debt as the debtor is.",
          "先核实对方身份；其与债务人共同承担还款责任。"),
    Label("contact", "Other person (family, neighbour, colleague)", "其他人员（家属、邻居、同事）",
          "Do not disclose the debt; ask only how to reach the debtor.",
          "不得透露债务情况；只询问如何联系债务人。"),
    Label("nobody", "Nobody met", "未见到任何人",
          "Leave nothing that reveals the debt; record the attempt.",
          "不得留下任何透露债务的信息；记录本次走访。"),
)


@dataclass(frozen=True)
class TensionLevel:
    level: int
    code: str
    en: str
    zh: str
    prompts_en: tuple[str, ...]
    prompts_zh: tuple[str, ...]


# Each prompt is short enough to read at a glance on a phone in the middle of a conversation.
TENSION_LEVELS: tuple[TensionLevel, ...] = (
    TensionLevel(0, "calm", "Calm", "平静",
                 ("Keep a friendly, even tone.", "Explain why you are here and what the options are."),
                 ("保持友好、平和的语气。", "说明来意和可选的方案。")),
    TensionLevel(1, "uneasy", "Uneasy", "不安",
                 ("Slow down and lower your voice.", "Acknowledge the worry: \"I understand this is stressful.\"",
                  "Keep a comfortable distance."),
                 ("放慢语速，压低声音。", "回应对方的担忧：“我理解这让您很有压力。”", "保持让对方舒适的距离。")),
    TensionLevel(2, "upset", "Upset", "不满",
                 ("Lower your voice and let them finish speaking.",
                  "Acknowledge their feelings before talking about the debt.",
                  "Offer to come back another time."),
                 ("压低声音，让对方把话说完。", "先回应对方的情绪，再谈欠款。", "提出改日再来。")),
    TensionLevel(3, "angry", "Angry", "愤怒",
                 ("Step back and keep your hands visible.", "Stop talking about money; acknowledge the anger.",
                  "Offer to end the visit and come back another time.", "Keep your way out clear."),
                 ("后退一步，双手放在对方看得见的地方。", "停止谈论钱款；承认对方的愤怒。",
                  "提出结束本次走访，改日再来。", "确保退路畅通。")),
    TensionLevel(4, "hostile", "Hostile", "敌对",
                 ("Leave now: the visit ends.", "Do not argue or answer back.",
                  "Call your supervisor once you are safe.", "Call the police if anyone is in danger."),
                 ("立即离开：本次走访结束。", "不要争辩或回嘴。", "到达安全地点后致电主管。",
                  "如有人身危险，立即报警。")),
)

# From "angry" on, the conversation about money stops; at "hostile" the collector leaves.
PAUSE_FROM_LEVEL = 3
LEAVE_FROM_LEVEL = 4


@dataclass(frozen=True)
class TensionGuidance:
    level: int
    code: str
    en: str
    zh: str
    prompts_en: tuple[str, ...]
    prompts_zh: tuple[str, ...]
    should_pause: bool  # stop talking about the debt and offer to come back
    should_leave: bool  # the visit ends now


def tension_prompts(level: int) -> TensionGuidance:
    """De-escalation prompts for a tension `level` from 0 (calm) to 4 (hostile)."""
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level < len(TENSION_LEVELS):
        raise ValueError(f"the tension level must be a whole number from 0 to {len(TENSION_LEVELS) - 1}, "
                         f"got {level!r}")
    entry = TENSION_LEVELS[level]
    return TensionGuidance(level=entry.level, code=entry.code, en=entry.en, zh=entry.zh,
                           prompts_en=entry.prompts_en, prompts_zh=entry.prompts_zh,
                           should_pause=level >= PAUSE_FROM_LEVEL, should_leave=level >= LEAVE_FROM_LEVEL)


def _find(labels: tuple[Label, ...], code: str, *, what: str) -> Label:
    for label in labels:
        if label.code == code:
            return label
    valid = ", ".join(label.code for label in labels)
    raise ValueError(f"unknown {what} {code!r}; valid codes: {valid}")


def reason_label(code: str) -> Label:
    """The label and next step for a reason for arrears."""
    return _find(ARREARS_REASONS, code, what="reason for arrears")


def party_label(code: str) -> Label:
    """The label and next step for the party met at the door."""
    return _find(PARTIES_MET, code, what="party met")
