"""DISCLOSURE: telling, or threatening to tell, others about the debt, and public posting (CN-NO-DISCLOSE,
US-3P, UK-3P); to a third-party audience, any mention of the debt at all (CN-TARGET)."""

from __future__ import annotations

from .build import GAP, NOT_END, Trigger, t
from .vocabulary import PEOPLE_EN, PEOPLE_ZH

_YOUR_ZH = r"(?:你|您)(?:们)?(?:的)?"
_PUBLIC_ZH = (r"(?:朋友圈|微博|抖音|快手|视频号|小红书|贴吧|论坛|头条|网上|网络|公众号|[^，,。.!?！？；;：:\n]{0,4}群"
              r"|公告栏|宣传栏|布告栏|电梯|楼道|门上|门口|村口|大屏|热搜|新闻|电视|报纸)")
_SAY_EN = (r"(?:tell|telling|told|inform|informing|informed|notify|notifying|notified|contact|contacting|contacted"
           r"|call|calling|called|ring|text|texting|texted|e-?mail|e-?mailing|message|messaging|write to|writing to"
           r"|wrote to|speak to|spoke to|spoken to|speaking to|talk to|talked to|talking to|let|reach out to"
           r"|reaching out to|reached out to|get in touch with|getting in touch with|left a message with"
           r"|leave a message with|leaving a message with|explain to|explaining to|explained to)")
_KNOW_EN = (r"(?:find out|finds out|know|knows|see|sees|hear|hears|learn|learns|receive|get|gets|like to know|be told"
            r"|be notified|be informed|be contacted)")

TRIGGERS: tuple[Trigger, ...] = (
    t(
        # Telling people: "告诉你的家人", "联系你微信里的好友", "给你单位发一份催收函", "跟你们HR聊聊".
        r"(?:告诉|通知|告知|通报|知会|群发|发给|发到|打给|打电话给|联系|寄到|寄给|送到|寄去|送去)(?:了|过)?(?:给)?(?:你|您)?(?:们)?"
        r"(?:的)?(?:(?!我)" + NOT_END + r"){0,4}?" + PEOPLE_ZH,
        r"(?:给|跟|和|向)" + _YOUR_ZH + PEOPLE_ZH + NOT_END
        + r"{0,4}(?:打过电话|打了电话|打电话|说明|说了|讲了|反映|沟通过|聊过|聊聊|聊一聊|谈谈|说说|讲讲|发了|发一份"
        r"|寄了|寄一份"
        r"|发(?:了|过)?(?:短信|消息|信息))",
        # Public posting and shaming.
        r"(?:发到|发在|发布到|发布在|晒到|挂到|挂在|公布到|公布在|曝光到|曝光在|贴到|贴在|传到|出现在|登上"
        r"|上了)" + NOT_END
        + r"{0,8}" + _PUBLIC_ZH,
        r"(?:曝光|公开|公布)(?:你|您)|(?:在|到)" + NOT_END + r"{0,6}(?:朋友圈|微博|抖音|快手|网上|群里|群)" + NOT_END
        + r"{0,3}(?:曝光|公开|公布|发|贴|晒|挂)|爆(?:你的?|您的?)?通讯录|张贴|拉横幅|挂横幅|发传单|大字报",
        r"(?:去|到|上)" + _YOUR_ZH + r"(?:单位|公司|学校|老家|村里)" + NOT_END + r"{0,4}(?:找|闹|谈|问|讲|说)",
        r"(?:去|(?<![寄送发])到|上|看看|看望|拜访|问候)(?:一下)?" + _YOUR_ZH + r"(?:老家|父母|爸妈|家人|家里人|亲戚"
        r"|爸|妈|老婆|老公)",
        # Others will know: "让你全村人都知道", "你的老板今天会接到我们的电话".
        r"(?:让|叫)(?:" + NOT_END + r"){0,6}?" + PEOPLE_ZH + r"(?:人|们)?(?:都|也)?(?:知道|看看|看到|评评理|了解)",
        r"(?:让|叫)(?:你的?|您的?)?(?:全村|全家|身边的人)(?:人)?(?:都)?(?:知道|看看|看到|评评理)",
        PEOPLE_ZH + NOT_END + r"{0,6}?(?:已经|都|会|也会|将|陆续|马上|很快)" + NOT_END
        + r"{0,3}(?:知道|收到|接到|得知|看到|听说)",
        PEOPLE_ZH + NOT_END + r"{0,6}(?:我们|我)(?:也|都|就)?(?:会|将|要)?(?:联系|通知|告诉|打电话|找)",
        PEOPLE_ZH + r"(?:说|表示|答应)" + NOT_END + r"{0,8}(?:帮你|替你|会还|还)",
        PEOPLE_ZH + NOT_END + r"{0,6}被" + NOT_END + r"{0,3}(?:上门|打扰|骚扰|找)",
        # English: telling people, and others finding out.
        r"\b" + _SAY_EN + r"\s+" + GAP + r"{0,3}?" + PEOPLE_EN + r"\b",
        r"\bmention(?:ing|ed)?\s+(?:it|this|the debt|your debt|the arrears|the balance|the account|your account"
        r"|the loan)\s+to\s+" + GAP + r"{0,2}?" + PEOPLE_EN + r"\b"
        r"|\bdiscuss(?:ing|ed)?\s+(?:it|this|the debt|your debt|the arrears|your account)\s+with\s+" + GAP
        + r"{0,2}?" + PEOPLE_EN + r"\b|\bask(?:ing)? around\b",
        r"\b(?:post|posting|posted|publish|publishing|share|sharing|put|putting|plaster)\s+" + GAP
        + r"{0,5}?(?:on|to|across|all over|in)\s+(?:facebook|social media|instagram|twitter|x|tiktok|linkedin"
        r"|whatsapp|the internet|online|the web|your street|the (?:local )?(?:paper|newspaper|news))\b",
        r"\b(?:publish|publishing|post|posting|print|printing)\s+(?:your name|a list of (?:defaulters|debtors"
        r"|non-payers)|(?:the )?names)\b|\bname and shame\b|\bnaming and shaming\b|\bexpose you\b",
        r"\b(?:told|tell|telling|inform(?:ed)?|show(?:ed)?) (?:him|her|them)(?: all)? (?:how much|about (?:your"
        r"|the) (?:debt|arrears|loan|account)|that you|everything)\b|\blet (?:them|him|her) know (?:about|that you)\b",
        r"\b(?:your\s+)?" + PEOPLE_EN + r"(?:\s+(?:in|at|on|from|of|around)\s+(?:your|the)\s+[\w'-]+(?:\s+[\w'-]+)?)?"
        r"\s+(?:will|would|are going to|is going to|might|may|should|could)\s+(?:soon\s+)?" + _KNOW_EN + r"\b",
        r"\b(?:make sure|ensure|so that|so)\s+(?:that\s+)?(?:your\s+)?" + PEOPLE_EN
        + r"(?:\s+(?:in|at|on|from|of|around)\s+(?:your|the)\s+[\w'-]+){0,1}\s+(?:can |will |could )?"
        r"(?:knows?|finds? out|hears?|sees?|learns?|reads?)\b",
        r"\bput(?:ting)? up (?:flyers|posters|signs|notices|leaflets)\b|\b(?:flyers?|posters?|leaflets?)\b"
        r"[^.;!?\n]{0,30}\b(?:around|in|on|across) (?:your|the) (?:neighbou?rhood|street|building|estate|block|town"
        r"|village|workplace|office)\b",
        r"\bin front of (?:your|his|her) (?:\w+ )?" + PEOPLE_EN + r"\b",
        r"\b" + PEOPLE_EN + r"\s+(?:saw|see|seeing|watching|watch)\s+us\b",
    ),
    # CN-TARGET / US-3P: a message to a third party must not mention the debt at all, negated or not.
    t(
        r"欠款|欠钱|欠债|欠的|欠(?:我们|我司|了|下)" + NOT_END
        + r"{0,6}?(?:钱|元|块)|债务|逾期|还款|还钱|还清|还上|没还|不还|借了|借的"
        r"|(?:帮|替|代)(?:他|她)还|代还|垫付|借款|贷款|网贷|借钱|催收|催款|贷后|清收|追讨|账单|拖欠|赖账|老赖|本金"
        r"|利息|罚息|征信|款项|(?:我们|我司|本)平台|结清|¥\s?\d|\d+(?:\.\d+)?\s?(?:元|块|万元)"
        r"|[一二两三四五六七八九十百千万]+(?:块|元)",
        r"\b(?:debts?|owes?|owed|owing|overdue|arrears|past due|outstanding|balance|loans?|repay\w*|payments?"
        r"|collections?|collectors?|default(?:ed)?|delinquen\w*|financial obligations?|instal?lments?|borrow\w*"
        r"|lender|credit|recover(?:y|ies)|finance)\b|\bbehind (?:on|with)\b|[$£€¥]\s?\d",
        negatable=False,
        advisable=False,
        third_party_only=True,
    ),
)
