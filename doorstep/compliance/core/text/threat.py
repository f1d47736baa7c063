"""THREAT: arrest, jail and criminal accusations, violence, harm to family, harassment, surveillance, seizure,
shaming, and veiled menace (CN-NO-FAKE, US-DECEPT, UK-MISREP). Lawful legal action (suing) is not a threat."""

from __future__ import annotations

from .build import NOT_END, Trigger, t

_FAMILY_NAMES = r"家人|孩子|子女|儿子|女儿|老婆|老公|父母|爸妈|家里人|爸|妈"
_FAMILY_ZH = f"(?:{_FAMILY_NAMES})"
_POLICE_ZH = r"(?:警察|警方|公安|派出所|民警|经侦|刑警)"
_CLAUSE = r"[^.;!?\n]"

TRIGGERS: tuple[Trigger, ...] = (
    t(
        # Criminal law: jail, arrest, prosecution, "this is fraud".
        r"坐牢|牢饭|看守所|监狱|局子|号子|劳改|铁窗|蹲监狱|进监狱|坐监|拘留|逮捕|通缉|判刑|刑拘|抓(?:你|人|起来|进去|走)|送你进去|进去蹲|进局子|蹲号子"
        r"|刑事|犯罪(?!调查)|诈骗(?!电话|短信|分子|团伙)|骗贷|恶意透支|涉嫌|立案侦查|够立案|报警(?:抓|处理|了)|移交公安",
        _POLICE_ZH + NOT_END + r"{0,6}(?:找你|上门|抓|来找|来你|到你|立案|介入|处理你|在找)",
        # Restrictions dressed up as consequences of being overdue.
        r"限(?:制)?高消费|限高|(?:坐不了|不能坐|禁止乘坐|买不了)(?:飞机|高铁|机票|火车票)",
        # Violence and veiled menace.
        r"打断|弄死|砍(?:你|死)|揍你|收拾你|废了你|小心(?:点|一点|些|你的)|(?:走路|出门|晚上|夜路)" + NOT_END
        + r"{0,3}小心",
        r"(?:让|叫)你(?:好看|后悔|吃不了兜着走|身败名裂|社死|丢人|丢脸|家破人亡|混不下去)|后悔|后果自负|看着办|等着瞧"
        r"|(?:别怪|对你)(?:我们|我)?不客气|(?:这么|那么|再)客气|(?:就|可就|就要)不客气|不会放过你|饶不了你|老赖"
        r"|抬不起头|身败名裂|社死|颜面扫地|无地自容|别想(?:安生|好过|过好|清净|安宁|消停)|休想安宁|有你好(?:受|看)的"
        r"|日子(?:不会|不)?好过|(?:待|呆|混|活)不下去|下场(?!雨)|后果(?:很|会很|将会?|非常|十分)?严重|闹大|掂量"
        r"|想想(?:你的?)?" + _FAMILY_ZH + r"|为(?:你的?)" + _FAMILY_ZH + r"想想",
        _FAMILY_ZH + NOT_END + r"{0,4}安全",
        r"(?:孩子|子女|儿子|女儿)" + NOT_END + r"{0,6}(?:上学|学校|考公|当兵|政审)",
        # The job.
        r"(?:工作|饭碗)(?:都|也)?(?:保不住|丢了|没了|不保)|丢(?:掉)?(?:工作|饭碗)|(?:让|叫)你(?:失业|丢工作|被开除|被辞退)"
        r"|开除你",
        # Harassment, surveillance, sit-ins.
        r"(?:天天|每天|24小时|二十四小时|轮番|一直)" + NOT_END
        + r"{0,8}(?:上门|打电话|给你打|打你|找你|骚扰|去你|等你|堵你|蹲你|守着你|跟着你)|跟踪你",
        r"打到你(?:接|还|回)|(?:几十|上百|几百|无数)(?:个|通)电话|电话轰炸|短信轰炸|呼死你|爆你(?:电话|手机)|堵你"
        r"|围堵|(?:住|睡|待|呆|坐|守)(?:在|到)(?:你|您)(?:家|公司|单位)",
        r"(?:楼下|门口)" + NOT_END + r"{0,3}(?:蹲|等着|守着|等你|堵你)|蹲守",
        r"(?:住几楼|家住|行踪|每天几点|几点下班|几点上班|几点放学)" + NOT_END
        + r"{0,6}(?:清楚|知道|查到|摸清|掌握)|一清二楚|了如指掌",
        r"(?:去|到|在)你家(?:附近|楼下|门口|周围|小区)|被(?:公司|单位)?(?:开除|辞退|解雇)|等着(?:被|吃|坐|进|瞧)|知道厉害|尝尝厉害|好果子吃|吃苦头|有你受的|躲得了初一|跑得了和尚|躲不掉|跑不掉|躲到哪",
        r"(?:知道|查到|摸清|掌握)(?:了)?(?:你|您)(?:的)?(?:每天|几点|行踪|老家|住址|住在|家在|孩子|上下班)",
        r"(?:地址|住址|行踪)" + NOT_END + r"{0,6}(?:查到|摸清|找到|掌握)",
        r"(?:去|(?<![寄送发])到|上|看看|看望|拜访|问候)(?:一下)?(?:你|您)(?:的|们)?(?:老家|" + _FAMILY_NAMES + ")",
        # Seizure.
        r"(?:冻结|查封|扣押|拍卖)(?:你|您)?(?:的|名下的?)?(?:财产|房子|房产|车|银行卡|工资|账户)",
        r"(?:财产|房子|房产|车子?|银行卡|工资|账户)" + NOT_END + r"{0,4}(?:冻结|查封|扣押|拍卖)",
        # English: criminal law and police.
        r"\barrest(?:ed|ing)?\b|\bjail(?:ed)?\b|\bprison\b|\blocked up\b|\bbehind bars\b|\bwarrants?\b",
        r"\bcriminal\b|\bcrimes?\b(?! unit| division| squad| department)|\bprosecut\w*|\bcharged (?:with|for)\b"
        r"|\bfraud\b(?! (?:watch|list|register|database|prevention|team|department))|\btheft\b|\bdeport\w*",
        r"\b(?:police|law enforcement|authorities|cops)\b" + _CLAUSE + r"{0,25}\b(?:notified|informed|involved"
        r"|called|contacted|alerted|looking for you|on (?:their|the) way)\b"
        r"|\b(?:notify|inform|alert|involve|contact|get) (?:the )?(?:police|law enforcement|cops)\b",
        r"\bpick you up\b|\b(?:report you to|call|get|send) the police\b"
        r"|\bpolice (?:will|are going to|to) (?:come|arrest|pick)\b|\bhumiliat\w*|\bshame you\b",
        # English: harm and veiled menace.
        r"\b(?:get|be|been) hurt\b|\bhurt (?:you|your)\b|\bharm (?:you|your family|your kids|your children)\b"
        r"|\bbreak your\b|\bwatch your back\b|\bwe know (?:where|what time|when) (?:you|your)\b",
        r"\byou(?:'ll| will) regret\b|\bregret (?:it|this|ignoring)\b|\bsee what happens\b|\bor else\b"
        r"|\bmake (?:things|life|your life|it|this) (?:very |really |extremely )?(?:uncomfortable|difficult|hard|hell"
        r"|miserable|a misery|unpleasant|awkward|painful)\b"
        r"|\bthings (?:get|will get|could get|are going to get) (?:ugly|nasty|messy)\b",
        r"\b(?:shame|pity) if\b|\bthe hard way\b|\b(?:i'd|i would|we'd|we would) hate for\b"
        r"|\bsomething (?:bad |terrible |nasty )?(?:to |might |could |would |will )?happens? to\b"
        r"|\bdon't make (?:us|me)\b|\b(?:make|force) (?:us|me) (?:to )?(?:come|do|take|get)\b"
        r"|\b(?:we have|we've got|we got|i have|i've got) (?:people|guys|someone|friends|men) (?:in|near|around"
        r"|outside|watching)\b",
        r"\b(?:lose|losing|cost you) (?:your|his|her) (?:job|jobs|home|house|kids|children)\b"
        r"|\b(?:get|getting|be|being) fired\b",
        r"\b(?:in|behind|into) (?:a )?(?:cell|jail|prison|custody|handcuffs)\b|\bhandcuff\w*|\blocked away\b",
        # English: harassment.
        r"\b(?:day and night|night and day|around the clock)\b|\buntil you (?:pick up|answer)\b"
        r"|\bkeep (?:on )?(?:calling|ringing|texting|messaging|coming|knocking|visiting)\b",
        r"\b(?:call|calling|ring|ringing|come|coming|visit|visiting|text|texting|knock\w*)\b" + _CLAUSE + r"{0,30}"
        r"\b(?:every|each) (?:single )?(?:day|morning|night|evening|hour)\b",
        r"\b(?:at|to|outside) your (?:door|home|house|work|office|workplace)\b" + _CLAUSE + r"{0,20}"
        r"\b(?:every|each) (?:single )?(?:day|morning|night|evening|hour)\b",
        r"\bwaiting (?:outside|for you)\b|\b(?:outside|parked outside) your (?:house|home|door|work|office)\b"
        + _CLAUSE + r"{0,20}\b(?:until|every)\b",
        r"\b(?:stop by|drop by|visit|come to|turn up at|show up at|swing by|pop by)\s+(?:your\s+)?(?:kid'?s'?"
        r"|children'?s|son'?s|daughter'?s)\s+school\b|\b(?:show|turn)(?:ing)? up at your\b",
        # English: seizure.
        r"\b(?:seize|take|repossess|freeze|confiscate)\s+(?:all\s+)?(?:of\s+)?(?:your|his|her)\s+(?:car|house|home"
        r"|property|belongings|furniture|goods|assets|possessions|tv|children|kids|wages|salary|bank account)\b",
        r"\b(?:your|his|her) (?:wages|salary|car|house|home|property|belongings|furniture|assets|possessions|tv"
        r"|bank accounts?|accounts?)\b" + _CLAUSE + r"{0,20}\b(?:seized|frozen|repossessed|confiscated|impounded"
        r"|taken away)\b",
    ),
    # "Your family won't be safe": the negation is the threat.
    t(r"\b(?:won't|will not|wouldn't|might not|may not|not) (?:be |stay |feel )?safe\b", negatable=False),
)
