"""NEW_BORROWING: pushing the debtor to borrow (apps, cards, people), pawn or sell assets, or cash out a
pension to pay (CN-PAY-CHANNEL, UK-FORBEAR). A product name alone is not a finding: it needs a verb of
borrowing or using it ("先借出来还", "找个网贷", "花呗也能先顶一下")."""

from __future__ import annotations

from .build import GAP, NOT_END, Trigger, t

_PRODUCT_ZH = (
    r"(?:借呗|花呗|微粒贷|白条|金条|网商贷|分付|美团借钱|有钱花|安逸花|任性付|360借条|度小满|信用卡|网贷|小额贷款"
    r"|小贷|高利贷|消费贷|信用贷|现金贷|口子|贷款(?:平台|公司|app)|借贷(?:平台|app)|典当行|当铺)"
)
_RELATIVE_ZH = (
    r"(?:表哥|表姐|表弟|表妹|堂哥|堂姐|舅舅|姨妈|阿姨|叔叔|伯伯|姑姑|亲戚|朋友|家人|家里人?|父母|爸妈|爸|妈|哥哥?|姐姐?|弟弟?|妹妹?|兄弟|姐妹|同事|亲朋好友|身边的人|别人"
    r"|他人|同学|老婆|老公|媳妇|男朋友|女朋友|对象|岳父|丈人|公婆|老板|领导|闺蜜|发小|哥们|室友)"
)
_GOODS_ZH = (
    r"(?:房子|房产|车子?|手机|首饰|金子|黄金|家当|房|手表|表|电脑|金项链|项链|戒指|包|家电|电视|摩托车?|电动车"
    r"|东西)"
)
_RELATIVE_NAMES_EN = (
    r"girlfriend|boyfriend|wife|husband|partner|parents?|mum|mom|dad|mother|father|brother|sister|family|friends?"
    r"|relatives?|boss|in-laws|uncle|aunt|grandparents?|son|daughter|mates?|folks"
)
_RELATIVE_EN = f"(?:{_RELATIVE_NAMES_EN})"

_HELP_EN = r"(?:cover|lend|spot|loan|front|chip in|bail you|help (?:you )?(?:out|pay)|pay (?:it|this|for))\b"

TRIGGERS: tuple[Trigger, ...] = (
    t(
        r"借新还旧|以贷养贷|拆东墙补西墙|口子",
        # Borrowing products used to pay.
        _PRODUCT_ZH + NOT_END + r"{0,8}(?:借(?!款|给)|刷|套现|套出|顶|额度|下款|周转|取现|提现|垫)",
        r"(?:找|去|上|用|刷|下载|申请|办|开通|走|借)(?:个|张|一个|一家|几个|点|些|一笔)?" + _PRODUCT_ZH,
        r"(?:别的|其他|其它|另外的?)(?:网贷|平台|app|贷款|小贷|借贷)" + NOT_END + r"{0,6}(?:借|贷|下款)",
        r"(?:办|刷|用|开)(?:张|个)?(?:信用卡|花呗|借呗|白条)" + NOT_END + r"{0,4}(?:套现|取现|还)|套现",
        # Borrowing from people.
        r"(?:找|向|跟|问|管|让|叫|求)(?:你的?)?" + _RELATIVE_ZH + NOT_END
        + r"{0,4}(?:借|周转|拆借|凑|要钱|垫|帮你还|替你还|出钱)",
        _RELATIVE_ZH + r"(?:那|那里|那儿|手上|手里|家)?" + NOT_END + r"{0,4}有钱",
        r"(?:找|向|跟|问)(?:你|您)(?:的)?" + NOT_END + r"{1,4}借(?!款|给|据)",
        r"(?:借|凑)(?:点|些|一笔|一点)(?:钱)?" + NOT_END + r"{0,4}还|借(?:一笔|点)?钱?来还",
        r"(?:帮|替|给)(?:你|他|她|忙)(?:先)?垫|周转一下",
        # Selling, pawning, cashing out.
        r"(?:卖|卖掉|变卖|抵押|典当|当掉)(?:了|掉)?(?:你的?)?" + _GOODS_ZH,
        r"把(?:你|您)?的?" + NOT_END + r"{0,6}(?:卖了|卖掉|拿去卖|当了|当掉|典当|抵押|押给|押了|拿去当|换成钱|换钱"
        r"|变现)"
        r"|拿去(?:当|卖)|(?:拿|放|挂)(?:去|到|在)" + NOT_END + r"{0,4}(?:闲鱼|二手|回收)",
        r"(?:公积金|养老金|退休金|社保|保险|理财|定期)" + NOT_END + r"{0,6}(?:提出来|取出来|提取|取出|套出|退保|取了"
        r"|提了)",
        # English: products.
        r"\bpayday loans?\b|\bcash advances?\b|\bremortgag\w*|\brefinanc\w*|\bpawn\w*|\bhock\w*|\bbalance transfer\b"
        r"|\b(?:title|logbook|pawn|quick|instant|fast|short-term|online|guarantor|bridging|emergency) loans?\b"
        r"|\b(?:online|payday|other|another|different|a second) lenders?\b|\b(?:klarna|afterpay|clearpay|affirm"
        r"|sezzle)\b|\bbuy now,? pay later\b|\bmax(?:ing|ed)? out\b",
        r"\btransfer(?:ring)? the balance to\b",
        r"\b(?:take|taking|took|get|getting|apply for|applying for|open|opening|sign up for"
        r"|signing up for)\s+(?:out\s+)?(?:a |an |another |a new "
        r"|one more |some )?(?:new |quick |small |personal |short-term )?(?:loan|credit card|overdraft"
        r"|cash advance)s?\b",
        r"\b(?:put|charge) it on (?:a|your|the) (?:credit )?card\b"
        r"|\b(?:use|using)\s+(?:a|your|the|another)\s+(?:new\s+)?(?:credit card|store card|overdraft|credit line"
        r"|line of credit)\b",
        r"\b(?:dip|dipping) into\b|\b(?:raid|cash (?:out|in)|withdraw from|borrow against|liquidate|tap into)\s+"
        r"(?:your\s+)?(?:\w+\s+)?(?:401\s?\(?k\)?|pension|retirement|ira|isa|superannuation)",
        # English: borrowing from people.
        r"\bborrow(?:ing|ed)?\s+" + GAP
        + r"{0,3}?from\b|\bborrow(?:ing)? (?:more|again|some money|the money|money)\b",
        r"\blend (?:you|it to you)\b|\bloan from (?:another|a different|other|your)\b",
        r"\b(?:your|a)\s+(?:\w+\s+)?" + _RELATIVE_EN + r"\s+(?:could|can|would|will|might|should|may)\s+"
        r"(?:probably |easily |surely |just )?" + _HELP_EN
        + r"|\b(?:can't|couldn't|can|could|won't|wouldn't|will|would)\s+your\s+" + _RELATIVE_EN + r"\s+" + _HELP_EN,
        r"\b(?:ask|asking)\s+(?:your\s+)?(?:someone|a friend|" + _RELATIVE_NAMES_EN + r")\s+(?:for (?:a loan|the money"
        r"|money|help)|to lend|to help pay|to pay)\b",
        # English: selling.
        r"\bsell(?:ing)?\s+(?:off\s+)?(?:your|the|some of your)\s+(?:car|house|home|flat|jewel\w*|belongings"
        r"|furniture|phone|possessions|property|stuff|things|shares|watch|tv|laptop)\b"
        r"|\bsell\b" + r"[^.;!?\n]{0,30}\bon (?:ebay|facebook marketplace|gumtree|craigslist)\b",
    ),
)
