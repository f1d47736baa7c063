"""The compliance text filter: flags forbidden wording in scripts, SMS, letters and visit notes.

Pure standard library (no Django): a rule-based scanner over Simplified Chinese and English, in one
pass over text that may mix them. It is a lint for the TXT enforcement points of
/work/shared/compliance-rules.md (CN-NO-FAKE, CN-NO-DISCLOSE, CN-TARGET, CN-PAY-CHANNEL,
CN-LIMITATION, US-DECEPT, US-3P, US-AMT, US-SOL, UK-MISREP, UK-3P, UK-FORBEAR, UK-SBD): it finds
candidate spans for a human or a template gate, not legal conclusions.

How a finding is decided, per category:
1. Trigger patterns run over a length-preserving normalisation of the text (full-width forms folded
   by NFKC, lower case), so that match offsets are offsets into the original text.
2. A trigger is dropped when a negation cue precedes it in the same clause ("我们不会联系您的家人",
   "we will never ask you to ..."), when its sentence gives rights advice or a scam warning
   ("如需帮助可拨打110报警", "you may contact the court yourself"), or when a category-specific
   context excuses it (consent for disclosure, an official account for a bank-card number).
3. Conditions on paying ("if you don't pay", "不还就...") are not negations of what follows.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class TextCategory(StrEnum):
    IMPERSONATION = "impersonation"
    THREAT = "threat"
    DISCLOSURE = "disclosure"
    NEW_BORROWING = "new_borrowing"
    PERSONAL_ACCOUNT = "personal_account"
    TIME_BARRED_LEGAL = "time_barred_legal"


class Audience(StrEnum):
    OBLIGOR = "obligor"  # debtor, guarantor, co-obligor
    THIRD_PARTY = "third_party"  # pre-agreed contact, employer, anyone else


_C = TextCategory
_RULES_BY_COUNTRY: dict[TextCategory, dict[str, tuple[str, ...]]] = {
    _C.IMPERSONATION: {"CN": ("CN-NO-FAKE",), "US": ("US-DECEPT",), "UK": ("UK-MISREP",)},
    _C.THREAT: {"CN": ("CN-NO-FAKE",), "US": ("US-DECEPT",), "UK": ("UK-MISREP",)},
    _C.DISCLOSURE: {"CN": ("CN-NO-DISCLOSE",), "US": ("US-3P",), "UK": ("UK-3P",)},
    _C.NEW_BORROWING: {"CN": ("CN-PAY-CHANNEL",), "UK": ("UK-FORBEAR",)},
    _C.PERSONAL_ACCOUNT: {"CN": ("CN-PAY-CHANNEL",), "US": ("US-AMT",)},
    _C.TIME_BARRED_LEGAL: {"CN": ("CN-LIMITATION",), "US": ("US-SOL",), "UK": ("UK-SBD",)},
}
CATEGORY_RULES: Mapping[TextCategory, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {category: MappingProxyType(by_country) for category, by_country in _RULES_BY_COUNTRY.items()}
)
"""Category → country pack → rule ids. A country without an entry has no rule for that category."""

THIRD_PARTY_RULES: Mapping[TextCategory, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {_C.DISCLOSURE: MappingProxyType({"CN": ("CN-TARGET",)})}
)
"""Extra rule ids when the message is addressed to a third party (CN-TARGET: never collect from contacts)."""

COUNTRIES = frozenset({"CN", "US", "UK"})


@dataclass(frozen=True)
class TextFinding:
    start: int
    end: int
    category: TextCategory
    rule_ids: tuple[str, ...]
    excerpt: str


# --------------------------------------------------------------------------- normalisation


class _FoldTable(dict[int, str]):
    """str.translate table built lazily: one code point in, exactly one code point out.

    NFKC folds full-width letters, digits and punctuation (ＰＯＬＩＣＥ, ４００, ：) to ASCII; a code
    point whose fold is longer than one character (e.g. a ligature) is kept as it is, which keeps
    every offset into the normalised text valid for the original.
    """

    def __init__(self, *, lower: bool) -> None:
        super().__init__()
        self._lower = lower

    def __missing__(self, code_point: int) -> str:
        original = chr(code_point)
        folded = unicodedata.normalize("NFKC", original)
        if len(folded) != 1:
            folded = original
        if self._lower and len(folded.lower()) == 1:
            folded = folded.lower()
        if len(self) < 65536:  # bounded: arbitrary input must not grow the cache without limit
            self[code_point] = folded
        return folded


_FOLD_LOWER = _FoldTable(lower=True)
_FOLD_CASED = _FoldTable(lower=False)


def _fold(text: str, *, lower: bool = True) -> str:
    return text.translate(_FOLD_LOWER if lower else _FOLD_CASED)


# --------------------------------------------------------------------------- patterns

_NOT_END = r"[^，,。.!?！？；;：:\n]"  # a character that stays inside the clause
# A word between two English anchors: never a negation, and never "to"/"going" ("we're going to take this
# to court" is about suing, not a claim to be the court).
_GAP = r"(?:(?!not\b|never\b|no\b|to\b|going\b)[\w'’.-]+\s+)"
_SENTENCE_END = re.compile(r"[。！!？?\n]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[，,。！!？?；;：:\n]|\.(?=\s|$)")

# Negation cues. Excluded on purpose: bare 不 (不还就…, 不然), A-不-A questions (能不能, 会不会, 是不是),
# "don't pay" / "not paying" (a condition on paying, not a negation of the threat that follows),
# "why don't you" (a suggestion).
_NEGATION = re.compile(
    r"(?<!会)不会(?!放过|饶)|不得|绝不|决不|从不|从未|从没|(?<!是)不是|并非|并不|不要|请勿|切勿|勿|禁止|严禁"
    r"|没有(?!还|付|交)"
    r"|无需|不用|不必|不需要|(?<!能)不能|(?<!可)不可|无权|不收取|不收|免收|不建议|非(?!法|常)|杜绝|谨防|防止"
    r"|\b(?:not(?! paying| repaying| to pay)|never|no|nor|neither|without|cannot|can't|cant"
    r"|(?<!why )(?:don't|do not)(?! pay| repay| settle)|doesn't|does not(?! pay)|won't|will not|isn't|aren't"
    r"|wasn't|shouldn't|mustn't|too old|no longer)\b"
)
# Words that end a negation's scope: a new subject or consequence ("…不还，我们就…", "if you don't pay we will").
_BREAKER = re.compile(r"就|但|否则|不然|要不|除非|才|将|会|还是|可是|然而|\b(?:will|shall|going to|gonna|but|however"
                      r"|otherwise|unless|until|then|or else|make us|so)\b|'ll\b")
_NEGATION_REACH_ZH = 15
_NEGATION_REACH_EN = 50

# Rights advice, complaint routes and scam warnings: the sentence informs the reader, it does not menace.
_ADVICE = re.compile(
    r"如需帮助|(?:可|请)(?:拨打|致电)|拨打110|报警电话|(?:您|你)(?:可以|可|有权)(?:拨打|报警|联系|咨询|投诉|向|到|自行"
    r"|选择"
    r"|申请|要求|查询|请|在)|自行|投诉|如遇|如(?:果)?(?:您|你)(?:认为|觉得|发现)|冒充|谨防|警惕|不法分子"
    r"|\byou (?:may|can|might wish to|have the right to|are entitled to|are free to)\s+(?:contact|call|ask|check"
    r"|complain|speak|get|seek|report|consult|choose|request|dispute|go to|apply|also)\b|\byou have the right\b"
    r"|\byou(?:'re| are) entitled\b|\bif you (?:feel|believe|think|are worried)\b|\bif (?:anyone|someone)\b"
    r"|\banyone claiming\b|\bclaiming to be\b|\bscam|\bfraudsters?\b|\bimpersonat|\byourself\b"
    r"|\bindependent (?:legal )?advice\b|\bfree (?:debt )?advice\b|\breport it to\b"
)
# Consent, or contact that is limited to locating the person, excuses a disclosure-looking phrase.
_CONSENT = re.compile(
    r"如(?:果)?您同意|经您(?:同意|授权)|您授权|您指定的|不会提及|不提及|\bwith your (?:permission|consent)\b"
    r"|authori[sz]"
    r"|\bonly to confirm\b|\bto confirm your (?:address|location)\b|\b(?:will not|won't) mention\b"
)
_OFFICIAL = re.compile(r"对公|官方|公众号|\bofficial\b|\bas shown in your agreement\b")
_BORROWING_WARNING = re.compile(r"\bmake (?:things|it|matters|your situation) worse\b|加重[^，。]{0,4}负担|风险")

# Spans that look like triggers but are not: street names, sports courts, the limitation-period term.
_FALSE_FRIENDS = re.compile(
    r"(?=[法诉])(?:法院(?:东|西|南|北|中)?(?:路|街|巷|大道|站|小区)|诉讼时效)"
    r"|\b(?:(?:food|basketball|tennis|squash|netball|badminton|volleyball|sports?) courts?\b"
    r"|court (?:road|rd|street|st|lane|avenue|ave|drive|house|apartments?)\b)"
)

_PEOPLE_ZH = (r"(?:家人|家里人|家属|父母|爸妈|爸爸|妈妈|老婆|老公|妻子|丈夫|媳妇|儿子|女儿|子女|亲戚|亲友|亲朋好友"
              r"|朋友|同事"
              r"|领导|上司|老板|单位|公司|邻居|村里|全村|村委会?|居委会?|物业|通讯录|联系人|同学|学校|所有人|大家"
              r"|全公司|全单位)")
_PEOPLE_EN = (r"(?:family(?: members?)?|wife|husband|spouse|partner|parents?|mother|father|mum|mom|dad|relatives?"
              r"|friends?|colleagues?|co-?workers?|boss|employer|line manager|hr|neighbou?rs?|contacts|everyone"
              r"|everybody|church|landlord|children|kids|workplace)")
_AUTH_ZH = (r"(?:公安|警察|警方|民警|警官|派出所|刑警|法院|法官|法庭|检察院|检察官|律师|律所|政府|金融办|司法|执行局"
            r"|执法"
            r"|银保监|银监|金融监管局|人民银行|央行|征信中心|国家机关)")
_SELF_ZH = r"(?:我|我们|本人|这里|这边|本公司|本司|我司|我方|本机构|咱们)(?:就)?(?:是|来自|系|为|代表|隶属于?|属于)"
_SELF_EN = (r"\b(?:this is|i am|i'm|im|we are|we're|calling (?:you )?from|(?:message|notice|letter|call) from"
            r"|on behalf of"
            r"|acting (?:for|as)|i work (?:for|with)|we work (?:for|with)|work(?:ing)? (?:directly |closely )?with"
            r"|as an?"
            r"|in partnership with|together with)")
_AUTH_EN = (r"(?:police|sheriff'?s?|constable|detective|courts?|district attorney|attorney general|prosecutor'?s?|irs"
            r"|fbi"
            r"|hmrc|government|federal|magistrates?|bailiffs?|enforcement|law firm|lawyers?|attorneys?|solicitors?)\b")
_CARD_NUMBER = r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?:[ -]?\d{1,3})?(?!\d)"


@dataclass(frozen=True)
class _Trigger:
    regex: re.Pattern[str]
    negatable: bool = True  # a negation cue before it in the clause drops it
    advisable: bool = True  # rights advice / scam warning in its sentence drops it
    weak: bool = False  # an official channel in its sentence drops it (account numbers)
    cased: bool = False  # matched on case-preserving text (titles before a capitalised name)
    third_party_only: bool = False


def _closing(source: str, index: int) -> int:
    """Index of the ")" that closes the group opened at source[index]."""
    depth, position = 0, index
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            position = _closing_class(source, position) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise ValueError(f"unbalanced pattern: {source!r}")


def _closing_class(source: str, index: int) -> int:
    position = index + 1
    while position < len(source):
        if source[position] == "\\":
            position += 2
            continue
        if source[position] == "]" and position > index + 1:
            return position
        position += 1
    raise ValueError(f"unbalanced class: {source!r}")


def _top_level_alternatives(source: str) -> list[str]:
    parts, depth, start, position = [], 0, 0, 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            position = _closing_class(source, position) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:position])
            start = position + 1
        position += 1
    parts.append(source[start:])
    return parts


def _first_characters(source: str) -> set[str] | None:
    """The characters a match of source can start with, or None when that is not simply known."""
    if not source:
        return None
    if source.startswith("(?<"):  # a lookbehind consumes nothing: look past it
        return _first_characters(source[_closing(source, 0) + 1 :])
    if source.startswith("(?:"):
        end = _closing(source, 0)
        if source[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        characters: set[str] = set()
        for alternative in _top_level_alternatives(source[3:end]):
            first = _first_characters(alternative)
            if first is None:
                return None
            characters |= first
        return characters
    if source.startswith("\\d"):
        return set("0123456789")
    if source[0] in "\\[(.^$" or source[1:2] in ("?", "*", "{"):
        return None
    return {source[0]}


def _t(*alternatives: str, **options: bool) -> _Trigger:
    """One regex per trigger. Python's re has no trie for alternations, so gates keep a scan fast:
    English alternatives share one leading word boundary, and the others (Chinese, amounts, card
    numbers) are only tried at a character one of them can start with."""
    # re rejects a branch cheaply only when it starts with a literal, so the shared boundary is hoisted out.
    parts = [part for alternative in alternatives for part in _top_level_alternatives(alternative)]
    words = [part[2:] for part in parts if part.startswith(r"\b")]
    others = [part for part in parts if not part.startswith(r"\b")]
    groups = []
    if words:
        groups.append(r"\b(?:" + "|".join(f"(?:{word})" for word in words) + ")")
    if others:
        firsts = [_first_characters(other) for other in others]
        gate = ""
        if all(first is not None for first in firsts):
            gate = "(?=[" + "".join(sorted(re.escape(char) for first in firsts if first for char in first)) + "])"
        groups.append(gate + "(?:" + "|".join(f"(?:{other})" for other in others) + ")")
    return _Trigger(re.compile("|".join(groups)), **options)


_TRIGGERS: dict[TextCategory, tuple[_Trigger, ...]] = {
    _C.IMPERSONATION: (
        _t(
            _SELF_ZH + _NOT_END + r"{0,12}?" + _AUTH_ZH,
            r"(?:联合|配合|协同|会同|联手|协助)(?:当地|各地)?(?:的)?(?:公安|警方|派出所|法院|检察院|司法机关|政府)",
            r"(?:公安|警方|派出所|法院|检察院|司法机关|政府)" + _NOT_END + r"{0,4}(?:委托|授权|指定)",
            r"(?:公安局|公安|法院|检察院|派出所)(?:通知|通告|公告|协查|传唤)",
            r"(?:跟|和|与)(?:当地)?(?:公安|派出所|警察|警方|法院|检察院)" + _NOT_END + r"{0,3}(?:熟|关系|合作|有人)",
            r"(?:司法|公安|检察|执法)(?:机关|部门)" + _NOT_END
            + r"{0,8}(?:联系你|联系您|与你联系|与您联系|上门|介入|找你|找您)",
            r"(?:法官|警察|民警|警官|检察官)" + _NOT_END + r"{0,6}(?:给你|联系你|找你|打电话|上门|来找)",
            r"黑名单|失信(?:被执行人)?名单|老赖名单",
            _SELF_EN + r"\s+" + _GAP + r"{0,5}?" + _AUTH_EN,
            r"\b(?:bailiffs?|enforcement agents?|high court enforcement|sheriffs? officers?)\b",
            r"\b(?:black ?list(?:ed|s)?|debtors?'? (?:register|database|list))\b",
            r"\b(?:arrest )?warrant (?:has been|was|is being) issued\b|\bwarrant for your arrest\b",
        ),
        _t(r"\b(?:Officer|Detective|Sergeant|Constable|Inspector|Sheriff|Deputy|Judge)\s+[A-Z][a-z]+", cased=True),
    ),
    _C.THREAT: (
        _t(
            r"坐牢|牢饭|蹲监狱|进监狱|坐监|拘留|逮捕|通缉|判刑|刑拘|抓(?:你|人|起来|进去|走)|送你进去|进去蹲|刑事责任"
            r"|刑事案件"
            r"|诈骗罪|涉嫌|立案侦查|报警(?:抓|处理|了)|移交公安|打断|弄死|砍(?:你|死)|揍你|收拾你|废了你",
            r"(?:让|叫)你(?:好看|后悔|吃不了兜着走|身败名裂|社死|丢人|丢脸|家破人亡|混不下去)|后悔|后果自负|看着办"
            r"|等着瞧"
            r"|(?:别怪|对你)(?:我们|我)?不客气|不会放过你|饶不了你|老赖",
            r"(?:家人|孩子|子女|老婆|老公|父母|爸妈|家里人)" + _NOT_END + r"{0,4}安全",
            r"(?:孩子|子女|儿子|女儿)" + _NOT_END + r"{0,6}(?:上学|学校|考公|当兵|政审)",
            r"(?:天天|每天|24小时|二十四小时|轮番|一直)" + _NOT_END
            + r"{0,4}(?:上门|打电话|给你打|打你|找你|骚扰|去你)",
            r"(?:楼下|门口)" + _NOT_END + r"{0,3}(?:蹲|等着|守着)|蹲守",
            r"(?:冻结|查封|扣押|拍卖)(?:你|您)?(?:的|名下的?)?(?:财产|房子|房产|车|银行卡|工资|账户)",
            r"(?:财产|房子|房产|车子?|银行卡|工资|账户)" + _NOT_END + r"{0,4}(?:冻结|查封|扣押|拍卖)",
            r"\barrest(?:ed|ing)?\b|\bjail(?:ed)?\b|\bprison\b|\blocked up\b|\bbehind bars\b",
            r"\bcriminal (?:charges?|case|record|prosecution|offen[cs]es?|proceedings)\b|\b(?:charged"
            r"|prosecuted) (?:with|for)\b"
            r"|\bfraud\b|\bdeport\w*",
            r"\b(?:get|be|been) hurt\b|\bhurt (?:you|your)\b|\bharm (?:you|your family|your kids|your children)\b"
            r"|\bbreak your\b|\bwatch your back\b|\bwe know where (?:you|your)\b",
            r"\byou(?:'ll| will) regret\b|\bregret (?:it|this|ignoring)\b|\bmake your life (?:hell|miserable|difficult"
            r"|a misery)\b"
            r"|\bthings (?:get|will get|could get|are going to get) (?:ugly|nasty|messy)\b|\bsee what happens\b"
            r"|\bor else\b",
            r"\b(?:day and night|night and day|around the clock)\b",
            r"\b(?:call|calling|ring|ringing|come|coming|visit|visiting|text|texting|knock\w*)\b[^.;!?\n]{0,30}"
            r"\b(?:every|each) (?:single )?(?:day|morning|night|evening|hour)\b",
            r"\b(?:at|to|outside) your (?:door|home|house|work|office|workplace)\b[^.;!?\n]{0,20}"
            r"\b(?:every|each) (?:single )?(?:day|morning|night|evening|hour)\b",
            r"\bwaiting (?:outside|for you)\b|\boutside your (?:house|home|door|work|office)\b[^.;!?\n]{0,12}\buntil\b",
            r"\b(?:seize|take|repossess|freeze|confiscate)\s+(?:all\s+)?(?:of\s+)?(?:your|his|her)\s+(?:car|house|home"
            r"|property|belongings|furniture|goods|assets|possessions|tv|children|kids)\b",
            r"\bpick you up\b|\b(?:report you to|call|get|send) the police\b"
            r"|\bpolice (?:will|are going to|to) (?:come|arrest|pick)\b|\bhumiliat\w*|\bshame you\b",
        ),
    ),
    _C.DISCLOSURE: (
        _t(
            r"(?:告诉|通知|告知|通报|知会|群发|发给|发到|打给|打电话给|联系)(?:给)?(?:你|您)?(?:们)?(?:的)?"
            r"(?:(?!我)" + _NOT_END + r"){0,4}?" + _PEOPLE_ZH,
            r"(?:发到|发在|发布到|发布在|晒到|挂到|挂在|公布到|公布在|曝光到|曝光在|贴到|贴在|传到)" + _NOT_END
            + r"{0,4}(?:朋友圈|微博|抖音|快手|网上|网络|群里|小红书|贴吧|公众号|微信群)",
            r"(?:曝光|公开|公布)(?:你|您)|爆(?:你的?|您的?)?通讯录|张贴|拉横幅|挂横幅|发传单|大字报",
            r"(?:去|到|上)(?:你|您)(?:的|们)?(?:单位|公司|学校|老家|村里)" + _NOT_END + r"{0,4}(?:找|闹|谈|问|讲|说)",
            r"(?:让|叫)(?:你的?|您的?)?(?:全村|全家|所有人|大家|同事|邻居|朋友|家人|亲戚|全公司|全单位"
            r"|身边的人)(?:人)?(?:都)?"
            r"(?:知道|看看|看到|评评理)",
            _PEOPLE_ZH + _NOT_END + r"{0,6}?(?:已经|都|会|也会|将|陆续|马上)"
            + _NOT_END + r"{0,3}(?:知道|收到|得知|看到)",
            r"(?:给|跟|和|向)(?:你|您)(?:的)?" + _PEOPLE_ZH + _NOT_END
            + r"{0,4}(?:打过电话|说明|说了|讲了|反映|沟通过|聊过)",
            _PEOPLE_ZH + r"(?:说|表示|答应)" + _NOT_END + r"{0,8}(?:帮你|替你|会还|还)",
            _PEOPLE_ZH + _NOT_END + r"{0,6}被" + _NOT_END + r"{0,3}(?:上门|打扰|骚扰|找)",
            r"\b(?:tell|telling|told|inform|informing|informed|notify|notifying|notified|contact|contacting|contacted"
            r"|call"
            r"|calling|called|ring|text|texting|texted|e-?mail|e-?mailing|message|messaging|write to|writing to"
            r"|wrote to"
            r"|speak to|spoke to|spoken to|speaking to|talk to|talked to|talking to|let)\s+" + _GAP + r"{0,3}?"
            + _PEOPLE_EN + r"\b",
            r"\b(?:post|posting|posted|publish|publishing|share|sharing|put|putting|plaster)\s+" + _GAP
            + r"{0,5}?(?:on|to|across|all over)\s+(?:facebook|social media|instagram|twitter|x|tiktok|linkedin|whatsapp"
            r"|the internet|online|the web|your street)\b",
            r"\b(?:told|tell|telling|inform(?:ed)?|show(?:ed)?) (?:him|her|them)(?: all)? (?:how much|about (?:your"
            r"|the)"
            r" (?:debt|arrears|loan|account)|that you|everything)\b",
            r"\b" + _PEOPLE_EN
            + r"\s+(?:will|would|are going to|is going to|might|may|should|could)\s+(?:soon\s+)?(?:find out|know"
            r"|see|hear|learn|receive|get|like to know|be told|be notified|be informed|be contacted)\b",
            r"\bin front of (?:your|his|her) (?:\w+ )?" + _PEOPLE_EN + r"\b",
            r"\b" + _PEOPLE_EN + r"\s+(?:saw|see|seeing|watching|watch)\s+us\b",
            r"\bso (?:hr|your boss|your employer|your colleagues|everyone|your family) (?:can|will|could) (?:see|know"
            r"|read)\b",
        ),
        # CN-TARGET / US-3P: a message to a third party must not mention the debt at all, negated or not.
        _t(
            r"欠款|欠钱|欠债|欠(?:我们|我司|了|下)" + _NOT_END
            + r"{0,6}?(?:钱|元|块)|债务|逾期|还款|还钱|还清|还上|没还|不还"
            r"|(?:帮|替|代)(?:他|她)还|代还|垫付|借款|贷款|网贷|借钱|催收|催款|账单|拖欠|赖账|老赖|本金|利息|罚息|征信"
            r"|款项"
            r"|(?:我们|我司|本)平台|结清|¥\s?\d|\d+(?:\.\d+)?\s?(?:元|块|万元)",
            r"\b(?:debts?|owes?|owed|owing|overdue|arrears|past due|outstanding|balance|loans?|repay\w*|payments?"
            r"|collections?|collectors?|default(?:ed)?|delinquen\w*|financial obligations?|instal?lments?|borrow\w*"
            r"|lender"
            r"|credit)\b|[$£€¥]\s?\d",
            negatable=False,
            advisable=False,
            third_party_only=True,
        ),
    ),
    _C.NEW_BORROWING: (
        _t(
            r"借新还旧|以贷养贷|拆东墙补西墙|撸口子|口子",
            r"(?:别的|其他|其它|另外的?)(?:网贷|平台|app|贷款|小贷|借贷)" + _NOT_END + r"{0,6}(?:借|贷|下款)",
            r"(?:找|向|跟|问|管)(?:你的?)?(?:亲戚|朋友|家人|家里|父母|爸妈|同事|亲朋好友|身边的人|别人|他人|同学|兄弟)"
            + _NOT_END + r"{0,4}(?:借|周转|拆借|凑|要|垫)",
            r"(?:借|凑)(?:点|些|一笔|一点)(?:钱)?" + _NOT_END + r"{0,4}还|借(?:一笔|点)?钱?来还",
            r"(?:办|刷|用|开)(?:张|个)?(?:信用卡|花呗|借呗|白条)" + _NOT_END + r"{0,4}(?:套现|取现|还)|套现",
            r"(?:卖|卖掉|变卖|抵押|典当|当掉)(?:了|掉)?(?:你的?)?(?:房子|房产|车子?|手机|首饰|金子|家当|房)",
            r"把(?:你的?)?(?:房子|房产|车子?|手机|首饰|房)" + _NOT_END + r"{0,3}(?:卖|抵押|当)|拿去当|周转一下",
            r"(?:帮你|帮忙)垫(?:上|付|一下)?",
            r"\bpayday loans?\b|\bcash advances?\b|\bremortgag\w*|\brefinanc\w*|\bpawn\w*",
            r"\b(?:take|taking|took|get|getting|apply for|applying for)\s+(?:out\s+)?(?:a |an |another |a new "
            r"|one more |some )?"
            r"(?:new |quick |small |personal |short-term )?(?:loan|credit card|overdraft|cash advance)s?\b",
            r"\bborrow(?:ing|ed)?\s+" + _GAP
            + r"{0,3}?from\b|\bborrow(?:ing)? (?:more|again|some money|the money|money)\b",
            r"\blend (?:you|it to you)\b|\bloan from (?:another|a different|other|your)\b"
            r"|\b(?:another|other|a different|a second) lender\b",
            r"\b(?:put|charge) it on (?:a|your|the) (?:credit )?card\b|\b(?:use|using) (?:a|your) credit card to pay\b",
            r"\bsell(?:ing)?\s+(?:off\s+)?(?:your|the|some of your)\s+(?:car|house|home|flat|jewel\w*|belongings"
            r"|furniture"
            r"|phone|possessions|property|stuff|things|shares)\b",
            r"\b(?:ask|asking)\s+(?:your\s+)?(?:family|friends|parents|relatives|someone|a friend|mum|mom|dad|partner"
            r"|boss)"
            r"\s+(?:for (?:a loan|the money|money|help)|to lend|to help pay|to pay)\b",
        ),
    ),
    _C.PERSONAL_ACCOUNT: (
        _t(
            r"(?:转|转账|汇|汇款|付|付款|交)(?:到|给|进|至)?(?:我|本人)(?!们|司|公司|行|方)"
            r"(?:个人)?(?:的)?(?:微信|支付宝|账户|账号|银行卡|卡|手上|这里|这儿)?",
            r"打(?:到|进)(?:我|本人)(?!们|司|公司|行|方)" + _NOT_END + r"{0,3}(?:卡|账户|微信|支付宝)",
            r"(?:个人|私人)(?:的)?(?:账户|账号|微信|支付宝|银行卡|卡|收款码)|私下(?:转|给|付|交)",
            r"(?:我|我同事|同事|业务员|催收员|外访员)(?:的)?(?:微信|支付宝|卡上|卡里|银行卡|收款码|账户|账号)",
            r"收款码|现金(?:交|给|付)(?:给)?(?:我|催收员|外访员|上门人员|工作人员|业务员)|准备(?:好)?现金|现金结算"
            r"|现金支付"
            r"|收(?:取)?现金",
            r"(?:催收|上门|外访|加急|处理|跑腿|车马|工本|辛苦|茶水)(?:服务|处理)?费",
            r"\b(?:my|our agent'?s|the agent'?s|personal|private)\s+(?:own\s+)?(?:personal\s+)?(?:bank\s+)?(?:account"
            r"|paypal"
            r"|venmo|cash ?app|zelle|wechat|alipay|card|sort code)\b",
            r"\b(?:venmo|zelle|cash ?app|paypal|wechat|alipay)\b[^.;!?\n]{0,20}?(?:\bme\b|\bmy\b|@)",
            r"\b(?:pay|transfer|wire)\s+(?:it\s+|the money\s+|the payment\s+|that\s+|the balance\s+|the rest\s+"
            r"|cash\s+)?"
            r"(?:directly\s+)?(?:to\s+)?me\b|\bsend\s+(?:it|the money|the payment|the balance"
            r"|cash)\s+(?:directly\s+)?to me\b",
            r"\b(?:pay|paying|hand|handing|give|giving)\s+" + _GAP + r"{0,3}?(?:in\s+)?cash\b"
            r"|\bcash (?:to|with) (?:me|our agent|the agent|the collector|our collector|our field agent|the visitor)\b"
            r"|\bin cash to\b",
            r"\b(?:collection|collections|processing|convenience|handling|agent|agent's|visit|call-out|callout|recovery"
            r"|field) (?:fees?|charges?)\b",
            r"\bgift cards?\b|\bitunes cards?\b|\bbitcoin\b",
        ),
        _t(r"户名", _CARD_NUMBER, weak=True),
    ),
    _C.TIME_BARRED_LEGAL: (
        _t(
            r"起诉|诉讼|打官司|法院|法庭|强制执行|立案|判决|传票|律师函|律师信|法律(?:程序|途径|手段|诉讼|行动)"
            r"|追究" + _NOT_END + r"{0,4}法律责任|仲裁|申请执行|司法程序",
            r"\b(?:will|to|may|shall|going to|could|would|can|might|intend to|plan to|we'll|i'll|we'd)\s+sue\b"
            r"|\bsue (?:you|him|her|them)\b|\bsued\b|\bsuing\b|\blawsuits?\b|\bcourts?\b"
            r"|\blegal (?:action|proceedings|steps|measures|process|route)\b|\bproceedings\b|\blitigat\w*"
            r"|\bjudge?ments?\b"
            r"|\bccjs?\b|\bsolicitors?\b|\battorneys?\b|\bgarnish\w*|\b(?:issue|file|lodge) a claim\b|\bsmall claims\b"
            r"|\bbailiffs?\b",
        ),
    ),
}

# Category-specific sentence contexts that excuse a trigger.
_EXCUSES: dict[TextCategory, re.Pattern[str]] = {
    _C.DISCLOSURE: _CONSENT,
    _C.NEW_BORROWING: _BORROWING_WARNING,
}
# Advice suppresses only where a reader being told their rights is plausible; nobody is "advised" to pay
# the collector personally or to borrow.
_ADVISABLE = frozenset({_C.IMPERSONATION, _C.THREAT, _C.DISCLOSURE, _C.TIME_BARRED_LEGAL})


# --------------------------------------------------------------------------- scanning


def _boundaries(pattern: re.Pattern[str], text: str) -> list[int]:
    """Start offsets of the segments (sentences or clauses) of text: 0 and each position after a delimiter."""
    return [0, *(match.end() for match in pattern.finditer(text))]


def _segment(starts: list[int], position: int, length: int) -> tuple[int, int]:
    index = bisect_right(starts, position) - 1
    end = starts[index + 1] if index + 1 < len(starts) else length
    return starts[index], end


def _negated(folded: str, clause_start: int, start: int, end: int) -> bool:
    """A negation cue inside the match, or shortly before it in the same clause with no scope breaker between."""
    last: re.Match[str] | None = None
    for cue in _NEGATION.finditer(folded, clause_start, end):
        if cue.start() >= start:
            return True
        last = cue
    if last is None:
        return False
    reach = _NEGATION_REACH_EN if last.group().isascii() else _NEGATION_REACH_ZH
    if start - last.end() > reach:
        return False
    return _BREAKER.search(folded, last.end(), start) is None


def _countries(jurisdictions: Iterable[str]) -> frozenset[str]:
    countries = set()
    for code in jurisdictions:
        country = code.strip().upper().split("-", 1)[0]
        if country not in COUNTRIES:
            raise ValueError(f"unknown jurisdiction {code!r}: expected a code starting with CN, US or UK")
        countries.add(country)
    return frozenset(countries)


def _rule_ids(category: TextCategory, countries: frozenset[str], audience: Audience) -> tuple[str, ...]:
    ids: set[str] = set()
    for country in countries:
        ids.update(CATEGORY_RULES[category].get(country, ()))
        if audience is Audience.THIRD_PARTY and category in THIRD_PARTY_RULES:
            ids.update(THIRD_PARTY_RULES[category].get(country, ()))
    return tuple(sorted(ids))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans of one category become one finding."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def text_scan(
    text: str,
    *,
    jurisdictions: Iterable[str] = ("CN",),
    audience: Audience = Audience.OBLIGOR,
    time_barred: bool = False,
) -> tuple[TextFinding, ...]:
    """Findings sorted by (start, end, category); empty tuple means clean."""
    countries = _countries(jurisdictions)
    folded = _FALSE_FRIENDS.sub(lambda match: "\x00" * len(match.group()), _fold(text))
    cased: str | None = None
    sentence_starts: list[int] = []  # computed on the first trigger match: most texts are clean
    clause_starts: list[int] = []
    findings: list[TextFinding] = []
    for category, triggers in _TRIGGERS.items():
        if category is _C.TIME_BARRED_LEGAL and not time_barred:
            continue
        rule_ids = _rule_ids(category, countries, audience)
        if not rule_ids:
            continue
        spans: list[tuple[int, int]] = []
        for trigger in triggers:
            if trigger.third_party_only and audience is not Audience.THIRD_PARTY:
                continue
            if trigger.cased and cased is None:
                cased = _fold(text, lower=False)
            haystack = cased if trigger.cased and cased is not None else folded
            for match in trigger.regex.finditer(haystack):
                start, end = match.span()
                if start == end:
                    continue
                if not sentence_starts:
                    sentence_starts = _boundaries(_SENTENCE_END, folded)
                    clause_starts = _boundaries(_CLAUSE_END, folded)
                sentence = folded[slice(*_segment(sentence_starts, start, len(folded)))]
                if trigger.negatable and _negated(folded, _segment(clause_starts, start, len(folded))[0], start, end):
                    continue
                if trigger.advisable and category in _ADVISABLE and _ADVICE.search(sentence):
                    continue
                excuse = _EXCUSES.get(category)
                if trigger.advisable and excuse is not None and excuse.search(sentence):
                    continue
                if trigger.weak and _OFFICIAL.search(sentence):
                    continue
                spans.append((start, end))
        findings.extend(
            TextFinding(start=start, end=end, category=category, rule_ids=rule_ids, excerpt=text[start:end])
            for start, end in _merge(spans)
        )
    return tuple(sorted(findings, key=lambda finding: (finding.start, finding.end, finding.category)))


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class CategoryScore:
    support: int  # labelled positives
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 1.0


OVERALL = "overall"


def text_scan_scores(
    pairs: Iterable[tuple[frozenset[TextCategory], frozenset[TextCategory]]],
) -> dict[str, CategoryScore]:
    """Per-category and micro-averaged ("overall") scores; the unit is a (sentence, category) pair.

    Each pair is (expected categories, predicted categories) for one sentence.
    """
    counts = {category: [0, 0, 0] for category in TextCategory}  # true positives, false positives, false negatives
    for expected, predicted in pairs:
        for category in TextCategory:
            if category in expected and category in predicted:
                counts[category][0] += 1
            elif category in predicted:
                counts[category][1] += 1
            elif category in expected:
                counts[category][2] += 1
    scores = {
        category.value: CategoryScore(support=tp + fn, true_positives=tp, false_positives=fp, false_negatives=fn)
        for category, (tp, fp, fn) in counts.items()
    }
    total = [sum(values[index] for values in counts.values()) for index in range(3)]
    scores[OVERALL] = CategoryScore(
        support=total[0] + total[2], true_positives=total[0], false_positives=total[1], false_negatives=total[2]
    )
    return scores
