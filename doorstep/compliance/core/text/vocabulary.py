"""Word classes shared by several categories' triggers: people around the debtor, authorities, self-claims."""

from __future__ import annotations

# People around the debtor (family, social circle, workplace, neighbourhood, online circles).
PEOPLE_ZH = (
    r"(?:家人|家里人|家属|父母|爸妈|爸爸|妈妈|老婆|老公|妻子|丈夫|媳妇|前妻|前夫|男朋友|女朋友|男友|女友|对象|儿子|女儿|闺女|子女"
    r"|孩子|哥哥|姐姐|弟弟|妹妹|兄弟|姐妹|亲戚|亲友|亲朋好友|朋友|好友|微信好友|同事|领导|上司|老板|单位|公司|人事(?:部门?)?"
    r"|hr|财务|前台|客户|合伙人|房东|室友|舍友|战友|发小|闺蜜|哥们|老同学|邻居|村里|全村|村委会?|居委会?|物业|业主|通讯录|联系人|同学|学校|老师|班主任|辅导员|所有人|大家|全公司|全单位|老乡)"
)
PEOPLE_EN = (
    r"(?:family(?: members?)?|wife|husband|spouse|partner|ex|girlfriend|boyfriend|parents?|mother|father|mum|mom|dad"
    r"|sister|brother|siblings?|son|daughter|in-laws|relatives?|friends?|colleagues?|co-?workers?|boss|employer"
    r"|line manager|manager|supervisor|hr(?: department)?|human resources|neighbou?rs?|contacts|emergency contacts?"
    r"|references|referees|pastor|priest|vicar|imam|rabbi|coach|teammates|classmates|room-?mates?|flatmates?|cousins?|uncle|aunt|grandparents?|clients?|customers?|everyone|everybody|church|congregation|gym|landlord|children|kids|teachers?|school"
    r"|workplace|followers|whole (?:street|town|village|office|family|neighbou?rhood|church))"
)
# Authorities a collector must not claim to be, act for or work with.
AUTH_ZH = (
    r"(?:公安|警察|警方|民警|警官|派出所|刑警|最高法|高院|中院|经侦|刑侦|网警|法院|法官|法庭|执行庭|检察院|检察官|律师|律所|政府|金融办|司法"
    r"|执行局|执法|银保监|银监|金融监管局|人民银行|央行|征信中心|国家机关|调查局|调查中心|稽查|纪委|侦查|法警|看守所)"
)
SELF_ZH = r"(?:我|我们|本人|这里|这边|本公司|本司|我司|我方|本机构|咱们)(?:就)?(?:是|来自|系|为|代表|隶属于?|属于)"
SELF_EN = (
    r"\b(?:this is|i am|i'm|im|we are|we're|calling (?:you )?from|(?:message|notice|letter|call) from|on behalf of"
    r"|acting (?:for|as)|(?:i|we) represent|representing|(?:i|we) work (?:for|with)|works? (?:hand in hand |directly "
    r"|closely )?(?:with|alongside)"
    r"|working (?:hand in hand |directly |closely )?(?:with|alongside)|as an?|in (?:partnership|cooperation"
    r"|conjunction) with|together with|issued by|sent by|authori[sz]ed by|approved by|instructed by"
    r"|on the instructions of|i'm with|we're with)"
)
AUTH_EN = (
    r"(?:police|law enforcement|sheriff'?s?|constable|detective|courts?|district attorney|attorney general"
    r"|prosecutor'?s?|irs|fbi|hmrc|government|federal|magistrates?|bailiffs?|enforcement|law firm|lawyers?|attorneys?"
    r"|solicitors?|department of justice|ministry of justice|doj)\b"
)
CARD_NUMBER = r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?:[ -]?\d{1,3})?(?!\d)"
