"""Blind labelled test set for the compliance text filter.

Written without reading the filter's patterns or the existing cases, from the
category definitions and /work/shared/compliance-rules.md (CN-NO-FAKE, CN-NO-DISCLOSE,
CN-TARGET, CN-PAY-CHANNEL, CN-LIMITATION, US-DECEPT, US-3P, US-SOL,
UK-FORBEAR, UK-3P, UK-MISREP, UK-SBD).

Each row: (text, language, audience, time_barred, expected categories).
An empty frozenset means the text is clean. Free-text visit/call notes are
given audience OBLIGOR (they are internal records); a note that records a
disclosure to a third party is still labelled DISCLOSURE.
"""

from doorstep.compliance.core.text import Audience, TextCategory

OB = Audience.OBLIGOR
TP = Audience.THIRD_PARTY

IMP = TextCategory.IMPERSONATION
THR = TextCategory.THREAT
DIS = TextCategory.DISCLOSURE
NB = TextCategory.NEW_BORROWING
PA = TextCategory.PERSONAL_ACCOUNT
TBL = TextCategory.TIME_BARRED_LEGAL

CLEAN: frozenset[TextCategory] = frozenset()


def _c(*cats: TextCategory) -> frozenset[TextCategory]:
    return frozenset(cats)


BLIND: tuple[tuple[str, str, Audience, bool, frozenset[TextCategory]], ...] = (
    # ------------------------------------------------------------------
    # Chinese — impersonation
    # ------------------------------------------------------------------
    ("我是市公安局经侦大队的，你的网贷案件已经移交我们处理，今天必须还清。", "zh", OB, False, _c(IMP)),
    ("您好，这里是朝阳区人民法院执行局，通知您的欠款案件已经立案，请尽快与我们联系。", "zh", OB, False, _c(IMP)),
    ("我们是受平台委托的律师事务所，这是律师函的最后一次通知。", "zh", OB, False, _c(IMP)),
    ("你已经被列入全国老赖名单了，再不还款高铁飞机都坐不了。", "zh", OB, False, _c(IMP)),
    ("我们跟征信中心是合作单位，一个电话就能让你的征信彻底花掉。", "zh", OB, False, _c(IMP)),
    ("这边是银保监会投诉处理中心，您的逾期已被监管部门登记在案。", "zh", OB, False, _c(IMP)),
    ("检察院那边我们有人，你自己掂量掂量要不要还。", "zh", OB, False, _c(IMP, THR)),
    ("我是派出所民警小王，你的网贷逾期了，需要来所里做个笔录。", "zh", OB, False, _c(IMP)),
    ("法院的工作人员明天会和我们一起上门给你送达传票。", "zh", OB, False, _c(IMP)),
    ("我们是区政府金融办委托的清欠专班，请你配合工作。", "zh", OB, False, _c(IMP)),
    ("我是XX law firm的李律师，your case 已经到我手上了，今天给个说法。", "zh", OB, False, _c(IMP)),
    ("您的信息已上传到互联网金融失信黑名单系统，所有平台都能查到。", "zh", OB, False, _c(IMP)),
    ("我们是公 安 部门委托的，别不当回事。", "zh", OB, False, _c(IMP)),
    # ------------------------------------------------------------------
    # Chinese — threat
    # ------------------------------------------------------------------
    ("再不还钱，小心你走夜路。", "zh", OB, False, _c(THR)),
    ("你这属于恶意逃债，信不信我们报案让你进去蹲几年？", "zh", OB, False, _c(THR)),
    ("我们兄弟几个今晚就在你家楼下等你，不见不散。", "zh", OB, False, _c(THR)),
    ("你孩子在哪个学校上学我们都清楚，自己想想后果。", "zh", OB, False, _c(THR)),
    ("不还款的话，从今天起每天给你打一百个电话，打到你还为止。", "zh", OB, False, _c(THR)),
    ("拖着不还就是诈骗，等着被拘留吧。", "zh", OB, False, _c(THR)),
    ("明天我们直接上门把你的车拖走抵债。", "zh", OB, False, _c(THR)),
    ("你爸妈年纪也大了，经不起折腾吧？", "zh", OB, False, _c(THR)),
    ("再装死，我们就把你的照片做成催债海报贴满你们小区。", "zh", OB, False, _c(THR, DIS)),
    ("你最好乖乖还钱，不然后果自负，到时候别怪我们不客气。", "zh", OB, False, _c(THR)),
    ("我们会派人24小时跟着你，你去哪我们就去哪。", "zh", OB, False, _c(THR)),
    ("今天不处理，我们外访组就在你单位门口蹲守，天天蹲。", "zh", OB, False, _c(THR)),
    ("不还钱就等着吃牢饭吧兄弟", "zh", OB, False, _c(THR)),
    ("已经报jc了，等着被带走吧。", "zh", OB, False, _c(THR)),
    # ------------------------------------------------------------------
    # Chinese — disclosure (incl. any debt mention to a third party)
    # ------------------------------------------------------------------
    ("如果今天还不还，我们就把你的欠款情况发到你们公司群里。", "zh", OB, False, _c(DIS)),
    ("你通讯录里的人我们会挨个打电话，告诉他们你欠钱不还。", "zh", OB, False, _c(DIS)),
    ("我们会联系你的领导，让单位直接从工资里扣。", "zh", OB, False, _c(DIS)),
    ("您好，请问是张伟的母亲吗？他在我们平台借的钱已经逾期三个月了。", "zh", TP, False, _c(DIS)),
    ("麻烦转告你同事李明，他欠的8000块今天必须还上。", "zh", TP, False, _c(DIS)),
    ("你是他老婆，这是夫妻共同债务，你也有义务帮他还款。", "zh", TP, False, _c(DIS)),
    ("您好，我是闪电贷的工作人员，想找一下王芳，请她给我们回个电话。", "zh", TP, False, _c(DIS)),
    ("再不还，我们就在朋友圈和抖音上曝光你，让所有人看看你是什么人。", "zh", OB, False, _c(DIS, THR)),
    ("债务人不在家，已向其邻居说明其欠款逾期情况，请邻居代为转告。", "zh", OB, False, _c(DIS)),
    ("他逾期了，你作为紧急联系人得帮他处理一下。", "zh", TP, False, _c(DIS)),
    ("我们会给你老家村委会寄催收函，让全村都知道。", "zh", OB, False, _c(DIS, THR)),
    ("叔叔您好，您侄子在我们这有一笔账一直没结清，麻烦您帮忙催一下。", "zh", TP, False, _c(DIS)),
    ("你就是个老赖，我们会把你的身份证照片挂到网上。", "zh", OB, False, _c(DIS, THR)),
    # ------------------------------------------------------------------
    # Chinese — new borrowing / selling assets
    # ------------------------------------------------------------------
    ("实在没钱就去别的平台借一笔，先把我们这边还上。", "zh", OB, False, _c(NB)),
    ("你可以刷信用卡套现先还上，下个月再说。", "zh", OB, False, _c(NB)),
    ("找你爸妈亲戚借一下不就行了，这点钱都凑不出来？", "zh", OB, False, _c(NB)),
    ("把车卖了也得把这笔钱还了。", "zh", OB, False, _c(NB)),
    ("我这边可以给你介绍个口子，当天放款，借新还旧很方便。", "zh", OB, False, _c(NB)),
    ("房子抵押一下，银行贷款下来正好够还。", "zh", OB, False, _c(NB)),
    ("借呗、微粒贷你都可以试试，额度够还我们的。", "zh", OB, False, _c(NB)),
    ("家里有什么值钱的先拿去当铺当了。", "zh", OB, False, _c(NB)),
    ("同事朋友之间周转一下，今天下午五点前凑齐。", "zh", OB, False, _c(NB)),
    ("你名下不是还有套房吗？卖了不就还上了。", "zh", OB, False, _c(NB)),
    ("下个口子下款了第一时间还我们啊。", "zh", OB, False, _c(NB)),
    ("你不还，我们就告诉你老婆，顺便让她回娘家借钱帮你还。", "zh", OB, False, _c(DIS, NB)),
    # ------------------------------------------------------------------
    # Chinese — personal account / cash / extra fees
    # ------------------------------------------------------------------
    ("今天直接转到我个人微信上，我帮你销账。", "zh", OB, False, _c(PA)),
    ("这是我的支付宝账号138xxxx1234，转过来我给你出结清证明。", "zh", OB, False, _c(PA)),
    ("公司账户在系统维护，先打到我的工商银行卡上：6222 0200 1234 5678。", "zh", OB, False, _c(PA)),
    ("上门服务费200元需要另外支付，现金给我就行。", "zh", OB, False, _c(PA)),
    ("你把现金交给我，我回去帮你入账。", "zh", OB, False, _c(PA)),
    ("另外要收取催收手续费500元，不交的话没法结清。", "zh", OB, False, _c(PA)),
    ("扫我这个二维码付款就行，是我个人的收款码。", "zh", OB, False, _c(PA)),
    ("转我微信，备注还款，别走App了，App到账慢。", "zh", OB, False, _c(PA)),
    ("减免可以，但是要给我个人1000块辛苦费。", "zh", OB, False, _c(PA)),
    ("外访费用由您承担，每次300元。", "zh", OB, False, _c(PA)),
    ("请转账至个人账户：６２１７　０００１　２３４５　６７８９。", "zh", OB, False, _c(PA)),
    ("直接转我ｖｘ：ｌｉｕ８８８，不用走公司流程。", "zh", OB, False, _c(PA)),
    ("老账了，给我个人转500就给你销了。", "zh", OB, True, _c(PA)),
    # ------------------------------------------------------------------
    # Chinese — legal action on time-barred debts
    # ------------------------------------------------------------------
    ("您这笔欠款我们已准备向法院提起诉讼。", "zh", OB, True, _c(TBL)),
    ("再不还款，我们将申请法院强制执行。", "zh", OB, True, _c(TBL)),
    ("法务部已经在准备起诉材料了。", "zh", OB, True, _c(TBL)),
    ("判决下来以后会冻结你的银行账户。", "zh", OB, True, _c(TBL)),
    ("这个月不还，下个月就会收到法院传票。", "zh", OB, True, _c(TBL)),
    ("我们会走法律程序追讨，诉讼费也由你承担。", "zh", OB, True, _c(TBL)),
    ("起诉之后你会上失信被执行人名单。", "zh", OB, True, _c(TBL)),
    ("This case 马上转诉讼了，别说没提醒你。", "zh", OB, True, _c(TBL)),
    ("案子已经立案了，下周开庭。", "zh", OB, True, _c(TBL)),
    ("不还钱就法院见。", "zh", OB, True, _c(TBL)),
    ("不还就起诉你，让法院把你抓起来。", "zh", OB, True, _c(TBL, THR)),
    ("我是法院的，把钱转到我个人账户就可以撤诉。", "zh", OB, True, _c(IMP, PA, TBL)),
    # ------------------------------------------------------------------
    # Chinese — clean, including hard negatives
    # ------------------------------------------------------------------
    ("您好，您的账单已逾期5天，请通过App内“我的账单”页面还款。", "zh", OB, False, CLEAN),
    ("我们不会联系您的家人或单位，请放心。", "zh", OB, False, CLEAN),
    ("如遇有人冒充公检法要求转账，请立即拨打110报警。", "zh", OB, False, CLEAN),
    ("请勿将款项转入任何个人账户，官方还款渠道仅为App和公司对公账户。", "zh", OB, False, CLEAN),
    ("如您近期有困难，可以申请分期还款，我们会根据您的情况协商方案。", "zh", OB, False, CLEAN),
    ("我们的外访人员不会收取任何现金或额外费用。", "zh", OB, False, CLEAN),
    ("如协商不成，我司将依法向人民法院提起诉讼。", "zh", OB, False, CLEAN),
    ("外访地址：法院路18号3单元502室，预计下午两点到达。", "zh", OB, False, CLEAN),
    ("债务人现住址为区人民法院东侧的幸福小区5栋。", "zh", OB, True, CLEAN),
    ("客户表示本月工资延迟发放，承诺25日前通过App还款，已记录。", "zh", OB, False, CLEAN),
    ("您好，请问王芳在吗？我们有事找她，麻烦请她回电400-800-1234。", "zh", TP, False, CLEAN),
    ("不方便透露具体事由，只需要请他本人和我们联系一下。", "zh", TP, False, CLEAN),
    ("我们不会建议您借新还旧，请量力而行。", "zh", OB, False, CLEAN),
    ("您无需卖房卖车，我们可以为您制定每月500元的还款计划。", "zh", OB, False, CLEAN),
    ("本次通话将被录音，我是小鹿金融委托的催收专员，工号A1023。", "zh", OB, False, CLEAN),
    ("如您对欠款金额有异议，可在30天内提出书面异议。", "zh", OB, False, CLEAN),
    ("债务人住在派出所对面的小区，已上门但无人应答，留下无催收字样的信封。", "zh", OB, False, CLEAN),
    ("我们理解您的困难，暂停催收30天，期间不会收取任何费用。", "zh", OB, False, CLEAN),
    ("今天是周末，我们不会上门打扰，请您方便时回电。", "zh", OB, False, CLEAN),
    ("您可以通过App、官方微信公众号或对公转账还款，请认准收款方为公司全称。", "zh", OB, False, CLEAN),
    ("请不要向亲友借钱还款，如有困难请联系我们调整方案。", "zh", OB, False, CLEAN),
    ("您这笔借款时间较久，我们希望与您友好协商，是否还款由您自愿决定。", "zh", OB, True, CLEAN),
    ("如您愿意，可以通过App查看历史账单明细。", "zh", OB, True, CLEAN),
    ("我们不是律师事务所，也不是法院，只是平台委托的催收机构。", "zh", OB, False, CLEAN),
    ("债务人称曾接到自称法院的电话要求转账，已提醒其核实并报警。", "zh", OB, False, CLEAN),
    ("客户情绪激动，我方保持礼貌，按客户要求结束通话。", "zh", OB, False, CLEAN),
    ("客户同意下周二上午十点在其单位附近的咖啡厅面谈，已确认不影响其工作。", "zh", OB, False, CLEAN),
    ("外访两人，已出示工作证和委托书，全程录音录像。", "zh", OB, False, CLEAN),
    ("您的还款已到账，感谢您的配合，结清证明将在3个工作日内发送至App。", "zh", OB, False, CLEAN),
    ("您好，我们是顺达信息服务公司，想确认一下这个号码是否还是刘强在使用？", "zh", TP, False, CLEAN),
    ("好的，打扰了，我们不会再拨打这个号码。", "zh", TP, False, CLEAN),
    ("关于您的逾期情况，按规定我们不得向第三方透露，请您本人处理。", "zh", OB, False, CLEAN),
    ("我们不会上门收取现金，也没有所谓的上门服务费。", "zh", OB, False, CLEAN),
    ("如需减免罚息，请在App内提交申请，审核结果以短信通知。", "zh", OB, False, CLEAN),
    ("这笔借款尚在诉讼时效内，如长期未还，公司可能依法起诉。", "zh", OB, False, CLEAN),
    ("您的bill已逾期，请在App里click“立即还款”完成payment。", "zh", OB, False, CLEAN),
    ("客户在市中级人民法院做保洁，白天不方便接电话，约定晚上七点回电。", "zh", OB, False, CLEAN),
    ("客户说想把车卖了还钱，我们告知不需要这样做，可以申请分期。", "zh", OB, False, CLEAN),
    ("您可以拨打官方客服热线核实我的身份。", "zh", OB, False, CLEAN),
    ("如您认为我们的催收行为不当，可向中国互联网金融协会或消费者权益保护部门投诉。", "zh", OB, False, CLEAN),
    ("根据规定，您有权要求我们出示授权委托书和工作证。", "zh", OB, False, CLEAN),
    ("已告知客户：任何要求转入个人微信或支付宝的都是诈骗，请勿相信。", "zh", OB, False, CLEAN),
    ("这笔欠款已超过诉讼时效，我们不会起诉您，是否还款完全自愿。", "zh", OB, True, CLEAN),
    # ------------------------------------------------------------------
    # English — impersonation
    # ------------------------------------------------------------------
    ("This is Officer Daniels from the county sheriff's office regarding your unpaid loan.", "en", OB, False, _c(IMP)),
    (
        "I'm calling on behalf of the district court; your case file is open and you need to settle today.",
        "en",
        OB,
        False,
        _c(IMP),
    ),
    (
        "This is the legal department of Harper & Cole Attorneys at Law. We represent your lender.",
        "en",
        OB,
        False,
        _c(IMP),
    ),
    ("You've been added to the national debtor blacklist, so no bank will touch you now.", "en", OB, False, _c(IMP)),
    ("We work closely with the credit bureau and can have your score wiped out by tonight.", "en", OB, False, _c(IMP)),
    (
        "I'm a certified enforcement agent, a bailiff, and I'm authorised to take goods from the property today.",
        "en",
        OB,
        False,
        _c(IMP, THR),
    ),
    (
        "This message is from the Department of Financial Enforcement regarding your delinquent account.",
        "en",
        OB,
        False,
        _c(IMP),
    ),
    (
        "Hello, this is the Financial Conduct Authority calling about your overdue credit card.",
        "en",
        OB,
        False,
        _c(IMP),
    ),
    ("this is the polise dept, ur loan is overdue, pay now or else", "en", OB, False, _c(IMP, THR)),
    ("I'm with the IRS debt recovery unit and we need payment today.", "en", OB, False, _c(IMP)),
    ("Your name is now on the Bad Debtors Register, which employers and landlords check.", "en", OB, False, _c(IMP)),
    ("Consider this a formal notice from the attorney general's office.", "en", OB, False, _c(IMP)),
    ("ATTN: Court Enforcement Division. Your file #4471 has been escalated.", "en", OB, False, _c(IMP)),
    # ------------------------------------------------------------------
    # English — threat
    # ------------------------------------------------------------------
    ("Pay by Friday or we'll have you arrested.", "en", OB, False, _c(THR)),
    ("You know what happens to people who don't pay, right? Think about your kids.", "en", OB, False, _c(THR)),
    ("We'll keep calling you day and night until this is sorted.", "en", OB, False, _c(THR)),
    ("Our guys will be waiting outside your house tonight.", "en", OB, False, _c(THR)),
    ("Non-payment is theft, and we will be pressing criminal charges.", "en", OB, False, _c(THR)),
    ("We're sending a team to take your TV and laptop tomorrow morning, no court needed.", "en", OB, False, _c(THR)),
    ("You could end up in jail over this, mate.", "en", OB, False, _c(THR)),
    ("It would be a shame if something happened to that nice car of yours.", "en", OB, False, _c(THR)),
    ("We'll make sure everyone on your street knows you don't pay your debts.", "en", OB, False, _c(THR, DIS)),
    ("Ignore us again and you'll regret it.", "en", OB, False, _c(THR)),
    ("We'll be at your workplace every single day until you pay.", "en", OB, False, _c(THR)),
    ("Keep dodging me and I'll show up at your mum's place.", "en", OB, False, _c(THR)),
    ("u better pay up b4 things get ugly", "en", OB, False, _c(THR)),
    # ------------------------------------------------------------------
    # English — disclosure
    # ------------------------------------------------------------------
    ("If we don't hear from you, we'll let your employer know about the debt.", "en", OB, False, _c(DIS)),
    ("We'll post about your unpaid balance on your Facebook page.", "en", OB, False, _c(DIS)),
    ("Hi, is this Mike's brother? He owes us $2,340 and he's three months behind.", "en", TP, False, _c(DIS)),
    ("Could you remind your husband that his loan repayment is overdue?", "en", TP, False, _c(DIS)),
    ("Hi, I'm calling from QuickCash Loans, trying to reach Sarah Jones.", "en", TP, False, _c(DIS)),
    ("Tell Kevin his account is in arrears and he needs to call us.", "en", TP, False, _c(DIS)),
    ("We'll contact your references and explain why we're chasing you.", "en", OB, False, _c(DIS)),
    (
        "Debtor not home; spoke to the neighbour and explained he has an outstanding debt with us.",
        "en",
        OB,
        False,
        _c(DIS),
    ),
    ("Your colleagues will be informed about the arrears if this isn't settled by Monday.", "en", OB, False, _c(DIS)),
    ("As his landlord, you might want to know he hasn't been paying his loans.", "en", TP, False, _c(DIS)),
    (
        "We'll send the demand to your parents' address in an envelope marked FINAL DEBT NOTICE.",
        "en",
        OB,
        False,
        _c(DIS),
    ),
    ("We're collecting a debt for your daughter. Can you pay it on her behalf?", "en", TP, False, _c(DIS)),
    ("We will share your overdue status with your WhatsApp contacts.", "en", OB, False, _c(DIS)),
    ("Borrow it from your boss, and if you don't, I'll tell him about it anyway.", "en", OB, False, _c(NB, DIS)),
    # ------------------------------------------------------------------
    # English — new borrowing / selling assets
    # ------------------------------------------------------------------
    ("Why not take out a payday loan and clear this today?", "en", OB, False, _c(NB)),
    ("Just put it on a credit card and you'll be sorted.", "en", OB, False, _c(NB)),
    ("Ask your family or friends to lend you the money.", "en", OB, False, _c(NB)),
    ("You should sell your car to pay this off.", "en", OB, False, _c(NB)),
    ("Remortgage the house; that's what most people in your position do.", "en", OB, False, _c(NB)),
    ("Get a new loan from another lender and pay us off with it.", "en", OB, False, _c(NB)),
    ("Surely you can borrow a few hundred from your parents by tonight?", "en", OB, False, _c(NB)),
    ("Sell some stuff on eBay or Gumtree and transfer the cash to us.", "en", OB, False, _c(NB)),
    ("Have you thought about a balance transfer card? Move the debt there and pay us.", "en", OB, False, _c(NB)),
    ("Pawn your jewellery if you have to, just get it paid.", "en", OB, False, _c(NB)),
    (
        "There's a lender I can refer you to who approves same-day, then you can settle with us.",
        "en",
        OB,
        False,
        _c(NB),
    ),
    # ------------------------------------------------------------------
    # English — personal account / cash / extra fees
    # ------------------------------------------------------------------
    ("Just Venmo me directly at @jake-collects and I'll mark it as paid.", "en", OB, False, _c(PA)),
    ("Send the payment to my personal PayPal, it's quicker.", "en", OB, False, _c(PA)),
    ("You can hand me the cash now and I'll give you a receipt later.", "en", OB, False, _c(PA)),
    ("There's a $75 visit fee on top of the balance for today's call-out.", "en", OB, False, _c(PA)),
    ("Transfer it to my own bank account: sort code 20-00-00, account 12345678.", "en", OB, False, _c(PA)),
    ("Pay a £50 collection fee and we'll freeze the interest.", "en", OB, False, _c(PA)),
    ("Zelle it to my cell number and we're done.", "en", OB, False, _c(PA)),
    ("The company portal is down, so use my CashApp $mikeP88.", "en", OB, False, _c(PA)),
    ("We add a $40 service charge for taking this payment over the phone.", "en", OB, False, _c(PA)),
    ("Give the money to me in an envelope, no need to go through the office.", "en", OB, False, _c(PA)),
    ("pls send to my 微信 wxid_tom88, faster than the app", "en", OB, False, _c(PA)),
    ("I'm from the sheriff's office. Pay me the cash now and this all goes away.", "en", OB, False, _c(IMP, PA)),
    ("Old account, I know, but pay me $200 on Venmo and I'll close it off.", "en", OB, True, _c(PA)),
    # ------------------------------------------------------------------
    # English — legal action on time-barred debts
    # ------------------------------------------------------------------
    ("We are preparing to file a lawsuit against you for this balance.", "en", OB, True, _c(TBL)),
    ("If you don't pay, we'll take you to court.", "en", OB, True, _c(TBL)),
    ("A judgment will be entered against you and your wages garnished.", "en", OB, True, _c(TBL)),
    ("Our legal team is ready to start proceedings next week.", "en", OB, True, _c(TBL)),
    ("This account has been approved for litigation.", "en", OB, True, _c(TBL)),
    ("You will be served with a summons if this isn't resolved.", "en", OB, True, _c(TBL)),
    ("We can get a CCJ against you and send enforcement round.", "en", OB, True, _c(TBL)),
    ("Pay now to avoid legal action.", "en", OB, True, _c(TBL)),
    ("We reserve the right to sue for the full amount plus costs.", "en", OB, True, _c(TBL)),
    ("Legal proceedings may be commenced without further notice.", "en", OB, True, _c(TBL)),
    ("Settle today or we'll see you in court.", "en", OB, True, _c(TBL)),
    (
        "This is the court enforcement office; an arrest warrant will be issued over this old debt.",
        "en",
        OB,
        True,
        _c(IMP, TBL, THR),
    ),
    # ------------------------------------------------------------------
    # English — clean, including hard negatives
    # ------------------------------------------------------------------
    (
        "Your payment of £120 is now 10 days overdue. Please pay through the app or call us to discuss options.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("We will not contact your family, friends or employer about this debt.", "en", OB, False, CLEAN),
    (
        "If anyone claiming to be the police asks you to pay a debt over the phone, hang up and call 911.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "Please only pay via the official app or the company bank account on your statement, never to an individual.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "If you're struggling, we can set up an affordable instalment plan based on your income and outgoings.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("Our field agents never accept cash and never charge visit fees.", "en", OB, False, CLEAN),
    ("If we cannot reach an agreement, we may file a lawsuit to recover the balance.", "en", OB, False, CLEAN),
    ("A county court claim was issued on 3 March; you can respond using the enclosed form.", "en", OB, False, CLEAN),
    (
        "Visit address: 14 Court Road, Flat 2. Arrived 10:15, no answer, left a sealed neutral letter.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "Debtor asked to meet at the food court in the shopping centre; meeting went well and a plan was agreed.",
        "en",
        OB,
        True,
        CLEAN,
    ),
    ("Customer coaches at the local tennis court on weekdays and prefers calls on Saturdays.", "en", OB, False, CLEAN),
    ("The property is opposite the Police Station on High Street; parking at the rear.", "en", OB, False, CLEAN),
    ("Hi, I'm trying to reach Laura Smith. Could you ask her to call Mark on 0800 123 456?", "en", TP, False, CLEAN),
    (
        "It's a personal matter, so I can't go into details, but I'd appreciate it if she could call back.",
        "en",
        TP,
        False,
        CLEAN,
    ),
    ("Thanks for letting me know she's moved. Do you have a current phone number for her?", "en", TP, False, CLEAN),
    ("No problem, we won't call this number again.", "en", TP, False, CLEAN),
    (
        "Please don't take out another loan to pay us; free advice is available from StepChange or National Debtline.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "You don't need to sell anything; we can pause payments for 30 days while you get advice.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "This is Anna from Doorstep Recoveries, a debt collector. This is an attempt to collect a debt.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "Missed payments may be reported to credit reference agencies, as set out in your agreement.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "You have the right to dispute this debt within 30 days of receiving our validation notice.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("Because of the age of your debt, we will not sue you for it.", "en", OB, True, CLEAN),
    (
        "Any payment you choose to make on this old account is voluntary and can be made through the app.",
        "en",
        OB,
        True,
        CLEAN,
    ),
    ("We are not lawyers and this is not a court document.", "en", OB, False, CLEAN),
    (
        "Customer reported a scam call from a fake bailiff; advised them to report it to Action Fraud.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("Customer was upset; agent stayed calm and ended the call at the customer's request.", "en", OB, False, CLEAN),
    ("We understand you've lost your job. We've frozen interest and charges for 60 days.", "en", OB, False, CLEAN),
    ("If you are in Breathing Space, please let us know and we'll pause all contact.", "en", OB, False, CLEAN),
    (
        "Your payment has been received, thank you. A settlement letter will follow in a plain envelope.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "You can pay by debit card in the app, by bank transfer to Doorstep Finance Ltd, or at any PayPoint.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("We will never ask you to pay into a personal Venmo, PayPal or Cash App account.", "en", OB, False, CLEAN),
    ("Our agent will show ID and the letter of authority when visiting.", "en", OB, False, CLEAN),
    (
        "Customer said he might borrow from his brother; agent advised against it and offered a payment plan instead.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    (
        "Our records show a judgment was entered in 2023; contact us to set up payments under it.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("If you'd prefer we contact you only by email, just reply EMAIL.", "en", OB, False, CLEAN),
    ("Can you confirm your date of birth before we discuss your account?", "en", OB, False, CLEAN),
    (
        "The customer works at the Police Federation office and asked us not to call during work hours.",
        "en",
        OB,
        False,
        CLEAN,
    ),
    ("Good afternoon, this is Doorstep Services. Does Tom Baker still live at this address?", "en", TP, False, CLEAN),
    ("Reminder: your instalment of $50 is due on the 15th. Pay in the app under Payments.", "en", OB, False, CLEAN),
    ("Hi, 您的 payment is due tomorrow; please use the official app only.", "en", OB, False, CLEAN),
    ("We won't call you at work or visit your workplace.", "en", OB, False, CLEAN),
)
