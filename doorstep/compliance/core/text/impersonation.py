"""IMPERSONATION: claiming to be, act for or work with police, courts, prosecutors, government, lawyers,
bailiffs or a credit bureau; fake blacklists and registers; fake official notices (CN-NO-FAKE, US-DECEPT,
UK-MISREP)."""

from __future__ import annotations

from .build import GAP, NOT_END, Trigger, t
from .vocabulary import AUTH_EN, AUTH_ZH, SELF_EN, SELF_ZH

_AGENCY_ZH = (
    r"(?:公安(?:机关|部门|局)?|警方|派出所|法院|最高法|高院|中院|检察院|司法(?:机关|部门)|政府|执行局|经侦"
    r"|刑侦)"
)
_OFFICER_ZH = r"(?:法官|警察|民警|警官|检察官|法警|执行局|执行法官)"

TRIGGERS: tuple[Trigger, ...] = (
    t(
        # Self-claims: "我是…民警", "我们是…委托的", "这边是…执行庭".
        SELF_ZH + NOT_END + r"{0,12}?" + AUTH_ZH,
        # Working with, mandated or supervised by an authority.
        r"(?:联合|配合|协同|会同|联手|协助)(?:当地|各地)?(?:的)?" + _AGENCY_ZH,
        _AGENCY_ZH + NOT_END + r"{0,4}(?:委托|授权|指定|派驻|派来|指派|委派|特聘|监制|督办|备案的)",
        r"(?:公安局|公安|法院|检察院|派出所)(?:通知|通告|公告|协查|传唤)",
        r"(?:跟|和|与)(?:当地)?(?:公安|派出所|警察|警方|法院|检察院)" + NOT_END + r"{0,3}(?:熟|关系|合作|有人)",
        # An authority acting on the debtor, as the collector reports it.
        r"(?:司法|公安|检察|执法)(?:机关|部门)" + NOT_END
        + r"{0,8}(?:联系你|联系您|与你联系|与您联系|上门|介入|找你|找您)",
        _AGENCY_ZH + NOT_END + r"{0,6}(?:对你|对您|给你|给您)?(?:立案|受理|传唤|备案|介入)",
        _OFFICER_ZH + NOT_END + r"{0,6}(?:给你|联系你|找你|打电话|上门|来找)",
        _OFFICER_ZH + r"(?:的)?(?:同事|同志|人|工作人员)?" + NOT_END
        + r"{0,8}(?:跟|和|与)(?:我们|我)(?:一起|一同|一块)",
        r"(?:带|叫|请)(?:上)?" + NOT_END + r"{0,3}(?:警察|法警|民警|执行局的人|派出所的人)",
        r"(?:转到|转交|移交|交给|交到|送到|报到)(?:了)?" + NOT_END + r"{0,4}(?:公安|警方|派出所|检察院|经侦|刑侦)",
        # Fake blacklists and credit registers.
        r"黑名单|黑库|黑户|老赖名单|失信(?:人|被执行人)?(?:名单|系统|库|数据库)|不良(?:信用|记录|征信)?(?:名单|名录)",
        r"(?:纳入|列入|录入|拉入|上报到?|上了|加入|拉进)" + NOT_END + r"{0,8}(?:黑|不良|失信|违约|欺诈|老赖)" + NOT_END
        + r"{0,4}(?:名单|名录|系统|库)",
        # English self-claims, titles, registers and warrants.
        SELF_EN + r"\s+" + GAP + r"{0,6}?" + AUTH_EN,
        r"\b(?:bailiffs?|enforcement agents?|high court enforcement|sheriffs? officers?)\b",
        r"\b(?:fraud|financial crimes?|criminal) (?:investigations?|enforcement) (?:unit|division|department|team"
        r"|bureau)\b|\bofficers? of the (?:court|law)\b|\bsworn (?:officers?|agents?|investigators?)\b",
        r"\b(?:black ?list(?:ed|s)?|watch ?list(?:ed|s)?|(?:debtors?|defaulters?|deadbeats?|non-payers?)'?"
        r" (?:register|registry|database|list))\b",
        r"\b(?:arrest )?warrant (?:has been|was|is being|will be) issued\b|\bwarrant for your arrest\b",
    ),
    t(
        r"\b(?:Officer|Detective|Sergeant|Constable|Inspector|Sheriff|Deputy|Judge|Investigator|Agent|Marshal|Trooper"
        r"|Magistrate)\s+[A-Z][a-z]+",
        cased=True,
    ),
)
