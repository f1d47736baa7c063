"""TIME_BARRED_LEGAL: statements of legal action, flagged only on time-barred debts (CN-LIMITATION, US-SOL,
UK-SBD). Suing on a debt that is not time-barred is lawful and is not scanned for."""

from __future__ import annotations

from .build import NOT_END, Trigger, t

TRIGGERS: tuple[Trigger, ...] = (
    t(
        r"起诉|诉讼|诉状|诉前|开庭|庭审|出庭|应诉|打官司|吃官司|法院|法庭|法官|强制执行|立案|判决|传票|支付令|财产保全|律师函|律师信"
        r"|法律(?:程序|途径|手段|诉讼|行动|流程)|司法(?:途径|程序|手段|流程|解决)|走法律|追究" + NOT_END
        + r"{0,4}法律责任|仲裁|申请执行|申请冻结",
        r"\b(?:will|to|may|shall|going to|could|would|can|might|intend to|plan to|we'll|i'll|we'd)\s+sue\b"
        r"|\bsue (?:you|him|her|them)\b|\bsued\b|\bsuing\b|\blawsuits?\b|\bcourts?\b|\bjudges?\b|\bmagistrates?\b"
        r"|\blegal (?:action|proceedings|steps|measures|process|route)\b|\bproceedings\b|\blitigat\w*"
        r"|\bjudge?ments?\b|\bccjs?\b|\bsolicitors?\b|\battorneys?\b|\bgarnish\w*|\bsummons\b|\bwrit\b|\blevy\b"
        r"|\b(?:issue|file|filed|filing|lodge|bring|commence)\w* (?:a |an )?(?:suit|claim|action|case|complaint)\b"
        r"|\bsmall claims?\b|\battachment of earnings\b|\bcharging order\b|\bserved with\b",
    ),
)
