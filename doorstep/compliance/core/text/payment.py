"""PERSONAL_ACCOUNT: paying a person rather than the lender's channel, cash to the collector, invented fees,
gift cards and crypto (CN-PAY-CHANNEL, US-AMT)."""

from __future__ import annotations

from .build import GAP, NOT_END, Trigger, t
from .vocabulary import CARD_NUMBER

_ME_ZH = r"(?:我|本人)(?!们|司|公司|行|方)"
_COLLECTOR_ZH = (
    r"(?:我|催收员|外访(?:员|人员)|上门人员|工作人员|业务员|司机|师傅|我们的?(?:人|同事|外访人员|上门人员"
    r"|业务员))"
)

TRIGGERS: tuple[Trigger, ...] = (
    t(
        r"(?:转|转账|汇|汇款|付|付款|交)(?:到|给|进|至)?" + _ME_ZH
        + r"(?:个人)?(?:的)?(?:微信|支付宝|账户|账号|银行卡|卡|手上|这里|这儿|这边)?",
        r"打(?:到|进)" + _ME_ZH + NOT_END + r"{0,3}(?:卡|账户|微信|支付宝)",
        r"(?:钱|款|现金|还款)" + NOT_END + r"{0,3}(?:直接)?(?:给|交给|转给|付给|递给|交|转)(?:给)?" + _ME_ZH,
        r"(?:给|交给|递给)" + _ME_ZH + r"就(?:行|好|可以)",
        r"(?:户主|收款人|户名)(?:是|为)?" + _ME_ZH + r"|直接(?:给|转给|交给|付给)" + _ME_ZH,
        r"(?:个人|私人)(?:的)?(?:账户|账号|微信|支付宝|银行卡|卡|收款码)|私下(?:转|给|付|交)",
        r"(?:我|我同事|同事|业务员|催收员|外访员)(?:的)?(?:微信|支付宝|卡上|卡里|银行卡|卡号|收款码|账户|账号)",
        r"(?:给|交给|交到|给到|递给|转给|付给|送到)" + NOT_END + r"{0,2}(?:催收员|外访(?:员|人员)|上门人员|业务员|司机"
        r"|师傅"
        r"|我们的?(?:人|同事|外访人员|上门人员|业务员))",
        r"扫(?:一下|一扫)?(?:我|本人)(?:的|这个|这)?(?:个)?(?:码|二维码|收款码)",
        r"收款码|现金" + NOT_END + r"{0,2}(?:交|给|付)(?:给)?" + _COLLECTOR_ZH
        + r"|准备(?:好)?现金|现金结算|现金支付|收(?:取)?现金|(?:付|交|给|递)现金",
        # Fees the collector invents.
        r"(?:催收|上门|外访|外勤|加急|处理|跑腿|车马|工本|辛苦|茶水|交通|出差|差旅|油|路|通道|解冻|代办|中介|结案|销账|销案|撤诉|停催)(?:服务|处理)?费",
        r"(?:另|额外|还要|另外)(?:再)?(?:收|交|付|缴|加)(?:取|纳)?" + NOT_END + r"{0,8}费",
        # English: paying a person.
        r"\b(?:my|our agent'?s|the agent'?s|personal|private)\s+(?:own\s+)?(?:personal\s+)?(?:bank\s+)?(?:account"
        r"|paypal|venmo|cash ?app|zelle|wechat|alipay|card|sort code)\b",
        r"\b(?:venmo|zelle|cash ?app|paypal|wechat|alipay|revolut|monzo|skrill)\b[^.;!?\n]{0,20}?(?:\bme\b|\bmy\b|@)"
        r"|\bmy\s+(?:own\s+)?(?:[\w-]+\s+)?(?:account|wallet)\b",
        r"\b(?:fee|charge)s? for (?:me |us |our |my |the )?(?:coming|visiting|visit|call(?:ing)?|time|trouble|travel"
        r"|trip|driving)",
        r"\b(?:pay|transfer|wire)\s+(?:it\s+|the money\s+|the payment\s+|that\s+|the balance\s+|the rest\s+"
        r"|cash\s+)?(?:directly\s+)?(?:to\s+)?me\b|\bsend\s+(?:it|the money|the payment|the balance"
        r"|cash)\s+(?:directly\s+)?to me\b",
        r"\b(?:pay|paying|give|giving|hand|handing|send|transfer)\s+(?:it\s+|the money\s+|the cash\s+|cash\s+)?"
        r"(?:to\s+)?(?:my|our) (?:colleague|partner|driver|guy|associate|mate|friend|brother|cousin|boss|rep"
        r"|representative|collector)\b",
        r"\b(?:pay|paying|hand|handing|give|giving)\s+" + GAP + r"{0,3}?(?:in\s+)?cash\b"
        r"|\bcash (?:to|with) (?:me|our agent|the agent|the collector|our collector|our field agent|the visitor)\b"
        r"|\bin cash to\b",
        # English: invented fees and untraceable channels.
        r"\b(?:collection|collections|processing|convenience|handling|agent|agent's|visit|call-out|callout|recovery"
        r"|field|admin|administration|administrative|service|travel|trip|mileage|doorstep|courier|tracing)(?: visit"
        r"| call)?"
        r" (?:fees?|charges?|surcharges?)\b",
        r"\bleave (?:the )?(?:cash|money|payment)\b|\bdirectly to (?:me|our agent|the agent|our collector"
        r"|the collector|our rep|my colleague)\b",
        r"\bgift cards?\b|\bitunes cards?\b|\bbitcoin\b|\bcrypto\w*|\bwallet address\b|\busdt\b|\bwestern union\b"
        r"|\bmoneygram\b",
    ),
    t(r"户名(?!单)", CARD_NUMBER, weak=True),
)
