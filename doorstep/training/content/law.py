"""Course 3: the law and our rules (the seed's sections 3.3 and 5.2), built from the CN rule pack.

Every number the compliance engine enforces appears as a [[param:...]] placeholder and every rule title as
[[rule:...]], so the course always shows the lender's own, possibly tightened, values. Wrong answers to number
questions are offsets of the same parameter in the direction that cannot meet the right answer: counts that
a lender may only lower get positive offsets, values that may only rise (team size, pause, failures) may also
get small negative ones, so that no choice can coincide with the right one or fall below zero.
"""

from __future__ import annotations

from doorstep.training.core.content import BuiltinChoice, BuiltinCourse, BuiltinLesson, BuiltinQuestion

COURSE = BuiltinCourse(
    code="law",
    title=("The law and our rules", "法律与公司规则"),
    summary=(
        "The rules every collection contact in China must follow, and how Doorstep enforces them: who may be "
        "contacted, what others may hear, who you say you are, how a field visit is carried out, when and how often, "
        "when collection stops, and what may be collected and how.",
        "在中国开展催收时每一次联系都必须遵守的规则，以及 Doorstep 如何落实这些规则：可以联系谁、不能向他人透露什么、"
        "如何表明身份、外访怎么做、何时联系及联系频率、何时停止催收，以及可以收什么、怎么收。",
    ),
    order=3,
    lessons=(
        BuiltinLesson(
            key="who",
            title=("Who may be contacted, and what others may hear", "可以联系谁，以及不能向他人透露什么"),
            body=(
                "## Only obligors are asked to pay\n\n"
                "**[[rule:CN-TARGET]].** Payment may be asked only of the **debtor**, a **guarantor** or a "
                "**co-borrower**, within what the law and the contract allow. Family members, neighbours, colleagues "
                "and employers owe nothing. In the field app, promises, plans, payment links and cash receipts open "
                "only after you have recorded meeting an obligor in the **Who was met** step; if you met anyone "
                "else, they stay closed.\n\n"
                "## Pre-agreed contacts: only to find the debtor\n\n"
                "**[[rule:CN-CONTACT-TRIGGER]].** A contact person the borrower named (预留联系人) may be reached "
                "only when the borrower is unreachable (失联), has died or cannot act for themselves, and only to "
                "restore contact, never to collect. For Doorstep a borrower is unreachable when the number is "
                "invalid or contact has failed on [[param:unreachable_failures]] consecutive days, with the evidence "
                "logged. Until then, calls to contacts are blocked. If a contact asks not to be called again, that "
                "is final.\n\n"
                "## Where contact data comes from\n\n"
                "**[[rule:CN-CONTACT-SOURCE]].** Every phone number and address needs a lawful source, which is "
                "recorded when the case is imported. Harvested phone address books are refused. Never collect "
                "numbers from the borrower’s social media, neighbours or colleagues, and never add them to the case "
                "yourself.\n\n"
                "## Keep the debt private\n\n"
                "**[[rule:CN-NO-DISCLOSE]].** With anyone who is not an obligor:\n\n"
                "- don’t mention the loan, the lender, the amount or the overdue status;\n"
                "- ask only how the borrower can be reached;\n"
                "- leave no letter, note or sticker that reveals the debt, and never post notices in public places;\n"
                "- never pass on the borrower’s ID number, address, employer or contacts.\n\n"
                "If a neighbour asks why you are there, a neutral answer is enough: “We’re looking for Mr Wang about "
                "a personal matter.” The text filter blocks debt wording in contacts with third parties, but the "
                "recording captures everything you say.",
                "## 只向负有还款义务的人催收\n\n"
                "**[[rule:CN-TARGET]]。**只能在法律和合同允许的范围内，向**债务人**、"
                "**担保人**或**共同借款人**要求还款。家人、邻居、同事和雇主都没有还款义务。在外访 App 中，"
                "只有在“见到的对象”这一步记录见到了负有还款义务的人之后，承诺还款、还款计划、"
                "还款链接和现金收据才会开放；见到的是其他人，这些功能就一直关闭。\n\n"
                "## 预留联系人：只为找到债务人\n\n"
                "**[[rule:CN-CONTACT-TRIGGER]]。**借款人留下的联系人，只有在借款人失联、"
                "死亡或丧失行为能力时才可以联系，而且只能用于恢复与借款人的联系，绝不能向其催收。在 Doorstep 中，"
                "号码无效，或连续 [[param:unreachable_failures]] 天联系失败并留有记录，才算失联。在此之前，"
                "系统会拦截对联系人的呼叫。联系人一旦表示不愿再被联系，就不得再联系。\n\n"
                "## 联系信息从哪里来\n\n"
                "**[[rule:CN-CONTACT-SOURCE]]。**每个电话号码和地址都必须有合法来源，导入案件时就会记录来源。"
                "抓取的手机通讯录会被拒绝导入。绝不要从借款人的社交媒体、邻居或同事那里搜集号码，"
                "也不要自行把号码加进案件。\n\n"
                "## 不得泄露债务信息\n\n"
                "**[[rule:CN-NO-DISCLOSE]]。**面对不负有还款义务的人时：\n\n"
                "- 不提借款、贷款机构、金额或逾期情况；\n"
                "- 只询问如何联系借款人；\n"
                "- 不留下任何会透露债务的信件、字条或贴纸，绝不在公共场所张贴通知；\n"
                "- 绝不透露借款人的身份证号、住址、工作单位或联系人。\n\n"
                "如果邻居问你们来做什么，给一个中性的回答就够了：“我们找王先生有点私事。”"
                "文本过滤会拦截与第三方沟通中涉及债务的措辞，但你说的每一句话都会被录下来。",
            ),
        ),
        BuiltinLesson(
            key="identity",
            title=("Honest about who you are", "如实表明身份"),
            body=(
                "## Never pose as an authority\n\n"
                "**[[rule:CN-NO-FAKE]].** You are a collector acting for a lender, nothing more. Never:\n\n"
                "- claim or suggest that you come from the police, a court, a procuratorate or the government, or "
                "wear anything that looks like their uniform;\n"
                "- talk about arrest, detention, prison or a “wanted” notice;\n"
                "- invent blacklists, credit databases or legal steps that nobody has decided on;\n"
                "- inflate the amount or the consequences;\n"
                "- present an agency as if it were the lender itself.\n\n"
                "The text filter rejects words such as 公安, 法院, 拘留 and 黑名单 in notes and messages. What you "
                "say aloud is on the recording, and recordings are reviewed.\n\n"
                "## Show who you are and whom you act for\n\n"
                "**[[rule:CN-VISIT-ID]].** On site, give your name and your employer, say which lender you act for, "
                "show your work ID (工作证) and the mandate (委托书), and be ready to show the loan details to the "
                "borrower. In the app, the **Work ID and mandate** step records the mandate number and the moment "
                "you showed them; the conversation steps stay locked until then. The one exception is a borrower who "
                "asks you to leave before you get that far: then you simply leave.\n\n"
                "## Agencies\n\n"
                "**[[rule:CN-AGENCY]].** If you work for a collection agency, the agency must have a written "
                "contract with the lender, appear on the lender’s published list of agencies, and have been reviewed "
                "by the lender within the last [[param:agency_review_days]] days. Doorstep blocks collection work "
                "for an agency whose review is overdue. Use only the phones and accounts the lender has approved, "
                "never a private phone without the lender’s consent, and keep case data inside the app. When the "
                "contract ends, access ends too.",
                "## 绝不冒充公权力机关\n\n"
                "**[[rule:CN-NO-FAKE]]。**你是受贷款机构委托的催收员，仅此而已。绝不能：\n\n"
                "- 声称或暗示自己来自公安、法院、检察院或政府部门，或者穿戴看起来像他们制服的衣物；\n"
                "- 提抓人、拘留、坐牢或“通缉”；\n"
                "- 编造黑名单、征信数据库或根本没有决定的法律措施；\n"
                "- 夸大金额或后果；\n"
                "- 把委外机构说成贷款机构本身。\n\n"
                "文本过滤会拦截备注和消息中的“公安”“法院”“拘留”“黑名单”等词。你当面说的话都在录音录像里，"
                "而录音录像是要被抽查的。\n\n"
                "## 表明你是谁、受谁委托\n\n"
                "**[[rule:CN-VISIT-ID]]。**到达现场后，要说明自己的姓名和所属单位、受哪家贷款机构委托，"
                "出示工作证和委托书，并随时可以向借款人出示贷款信息。在 App 中，“工作证和委托书”"
                "这一步会记录委托书编号和出示的时间；在此之前，沟通步骤一直是锁定的。唯一的例外是：还没来得及出示，"
                "借款人就要求你们离开，那就直接离开。\n\n"
                "## 委外机构\n\n"
                "**[[rule:CN-AGENCY]]。**如果你受雇于催收机构，该机构必须与贷款机构签有书面合同，"
                "列入贷款机构公示的合作机构名单，并且在最近 [[param:agency_review_days]] 天内接受过贷款机构的评估。"
                "评估逾期的机构，Doorstep 会拦截其催收作业。只能使用贷款机构批准的电话和账号，"
                "未经贷款机构同意不得使用私人手机，案件数据只能留在 App 内。合同终止，访问权限也随之终止。",
            ),
        ),
        BuiltinLesson(
            key="visit",
            title=("The rules of a field visit", "外访的规则"),
            body=(
                "## A team, never alone\n\n"
                "**[[rule:CN-VISIT-2P]].** For your lender that means at least [[param:visit_min_team]], each "
                "checking in on their own phone, with position and time. The visit starts only when enough of the "
                "team has checked in, so a collector on their own cannot start it. The rule has an upper side too: "
                "bring only the team that was planned. A crowd at the door (聚众、摆场) is intimidation.\n\n"
                "## Record the whole visit\n\n"
                "**[[rule:CN-VISIT-AV]].** Record sound or video from check-in to check-out, without gaps. The "
                "recording protects the borrower and you. The visit cannot close until every collector who checked "
                "in has checked out and the recording is attached with its SHA-256 fingerprint; gaps are flagged for "
                "review.\n\n"
                "## No entry without consent, no sit-ins\n\n"
                "**[[rule:CN-VISIT-ENTRY]].** Stay outside unless the occupant clearly invites you in, and record it "
                "in the **Entry** step; the app refuses “entered” without consent. Inside or outside:\n\n"
                "- no sitting in, blocking doors or refusing to leave;\n"
                "- no waiting outside for hours, following the borrower, or turning up at their workplace to "
                "embarrass them;\n"
                "- no photos of the home, the family or the neighbours.\n\n"
                "A planned visit lasts at most [[param:visit_max_minutes]] minutes: the planner does not schedule a "
                "longer one, and your supervisor is alerted when a team has not checked out in time. When anyone "
                "asks you to leave, the visit is over.\n\n"
                "## Why this is criminal law, not manners\n\n"
                "**[[rule:CN-ILLEGAL-DEBT]].** Article 293-1 of the Criminal Law makes it a crime to collect an "
                "illegal debt by violence, threats, confinement, intrusion into a home, stalking or harassment. "
                "Crowding, sit-ins and constant pressure (“soft violence”, 软暴力) are treated seriously in "
                "collection cases. The visit rules keep you far from that line.",
                "## 组队上门，绝不单独行动\n\n"
                "**[[rule:CN-VISIT-2P]]。**在你所在的贷款机构，这意味着至少 [[param:visit_min_team]] 名催收员，"
                "每个人都要用自己的手机签到，记录位置和时间。签到人数够了，外访才会开始，所以一个人是无法开始外访的。"
                "这条规则也有上限的一面：只去计划中的人员。一群人堵在门口（聚众、摆场）就是恐吓。\n\n"
                "## 全程录音录像\n\n"
                "**[[rule:CN-VISIT-AV]]。**从签到到签退全程录音或录像，不能中断。录音录像既保护借款人，也保护你。"
                "所有签到的催收员都签退，并上传带有 SHA-256 指纹的录音录像之后，外访才能结束；"
                "中断的部分会被标记出来复核。\n\n"
                "## 未经同意不得入户，不得滞留\n\n"
                "**[[rule:CN-VISIT-ENTRY]]。**除非住户明确邀请，否则留在门外，并在**入户**这一步如实记录；"
                "未经同意记录“已入户”，App 会拒绝。无论在屋里还是门外：\n\n"
                "- 不得滞留、堵门或拒不离开；\n"
                "- 不得在门外长时间守候、跟踪借款人，或跑到其工作单位让其难堪；\n"
                "- 不得拍摄住所、家人或邻居。\n\n"
                "计划中的外访最长 [[param:visit_max_minutes]] 分钟：排班系统不会安排更长的外访；到时间还没签退，"
                "系统会通知主管。任何人要求你们离开，外访即告结束。\n\n"
                "## 为什么这是刑法问题，而不只是礼貌问题\n\n"
                "**[[rule:CN-ILLEGAL-DEBT]]。**《刑法》第二百九十三条之一规定，使用暴力、胁迫、限制人身自由、"
                "侵入他人住宅、恐吓、跟踪、骚扰等方式催收非法债务的，构成犯罪。在催收案件中，聚众、"
                "滞留和持续施压（即“软暴力”）都会被严肃对待。遵守外访规则，就能让你远离这条红线。",
            ),
        ),
        BuiltinLesson(
            key="when",
            title=("When, how often, and when to stop", "何时联系、联系频率与何时停止"),
            body=(
                "## Hours\n\n"
                "**[[rule:CN-HOURS]].** In practice: calls, messages and visits happen only between "
                "[[param:day_starts_at]] and [[param:day_ends_at]], the borrower’s local time. For a visit the whole "
                "planned visit counts: arrival plus planned duration must fit inside that window. The only exception "
                "is another time the borrower has asked for, recorded as consent (who, when, recording reference) "
                "and approved. A collector cannot grant it to themselves.\n\n"
                "## Calls\n\n"
                "- **[[rule:CN-CALL-CONNECT]].** The count is per borrower and shared by the lender and **all** of "
                "its agencies, AI voice included: once the borrower has had [[param:connected_calls_per_day]] "
                "connected calls today, from anyone, nobody may call her again until tomorrow.\n"
                "- **[[rule:CN-CALL-ATTEMPT]].** Unanswered calls count too: after "
                "[[param:attempts_per_number_per_day]] attempts, that number rests until tomorrow.\n\n"
                "Doorstep keeps these counters itself and blocks a call before it is made. The figures in this "
                "course are the ones your lender uses: a lender may make them stricter, never looser.\n\n"
                "## Visits\n\n"
                "**[[rule:DS-VISIT-FREQ]].** Your lender’s cap is [[param:visits_per_30_days]] per borrower in any "
                "30 days. The planner will not plan another visit sooner, however close the borrower lives to your "
                "route.\n\n"
                "## When collection pauses or stops\n\n"
                "- **[[rule:DS-COMPLAINT-PAUSE]]**, for [[param:complaint_pause_days]] days while the complaint is "
                "handled. Record a complaint made at the door in the **Complaint** outcome, and never talk a "
                "borrower out of complaining.\n"
                "- A **dispute** about the debt, the amount, or a loan taken out in the borrower’s name by someone "
                "else stops pressure to pay on the disputed part until the case has been reviewed.\n"
                "- **[[rule:DS-DECEASED]].** When a borrower has died, contact stops. If you learn of a death at the "
                "door, offer your condolences, ask for nothing, leave, and record it so that the lender can handle "
                "the estate properly.",
                "## 联系时间\n\n"
                "**[[rule:CN-HOURS]]。**具体来说：打电话、发消息和上门，都只能在借款人当地时间 "
                "[[param:day_starts_at]] 至 [[param:day_ends_at]] 之间进行。上门时要把整个计划时长算进去："
                "到达时间加上计划时长，都必须落在这个时段内。唯一的例外是借款人主动要求的其他时间，"
                "且须作为同意记录在案（谁同意、何时同意、录音编号）并经审批。催收员不能自己给自己开这个口子。\n\n"
                "## 电话\n\n"
                "- **[[rule:CN-CALL-CONNECT]]。**按借款人计数，由贷款机构及其**所有**委外机构共享，AI 语音也算在内："
                "借款人当天已经接通 [[param:connected_calls_per_day]] 次电话后，无论是谁，当天都不能再给她打。\n"
                "- **[[rule:CN-CALL-ATTEMPT]]。**未接通的呼叫也算：拨满 [[param:attempts_per_number_per_day]] 次后，"
                "这个号码当天就不能再拨了。\n\n"
                "这些次数由 Doorstep 统一计数，超出的电话在拨出之前就会被拦截。"
                "本课程中的数字就是你所在贷款机构实际执行的标准：贷款机构可以定得更严，但不能放宽。\n\n"
                "## 上门频率\n\n"
                "**[[rule:DS-VISIT-FREQ]]。**你所在贷款机构的上限是：任意 30 天内，同一借款人最多外访 "
                "[[param:visits_per_30_days]] 次。即使借款人就住在你的路线旁边，排班系统也不会提前安排下一次外访。"
                "\n\n"
                "## 何时暂停或停止催收\n\n"
                "- **[[rule:DS-COMPLAINT-PAUSE]]**：暂停 [[param:complaint_pause_days]] 天，以便处理投诉。"
                "在门口收到的投诉，要在**投诉**这个沟通结果中记录下来，绝不能劝借款人不要投诉。\n"
                "- 借款人对债务、金额有**异议**，或称贷款被他人冒名办理的，在案件复核完成之前，"
                "不得就有争议的部分催促还款。\n"
                "- **[[rule:DS-DECEASED]]。**借款人已经去世的，停止联系。如果在门口得知借款人去世，要表示哀悼，"
                "不提任何要求，随即离开，并如实记录，以便贷款机构依法处理遗产相关事宜。",
            ),
        ),
        BuiltinLesson(
            key="money",
            title=("What may be collected, and how", "可以收什么，怎么收"),
            body=(
                "## Only the collectible amount\n\n"
                "**[[rule:CN-CAP]].** The borrower owes only what the law lets the lender claim. In private lending, "
                "interest above four times the one-year LPR at the contract date cannot be recovered; for licensed "
                "lenders, courts generally cut a total cost above 24 % a year; and the principal is the money "
                "actually paid out, with nothing deducted up front (砍头息). Doorstep computes the **collectible "
                "amount** of every case. The brief shows it, and the app refuses promises or plans above it. Never "
                "quote a higher figure, add “collection fees” or round up.\n\n"
                "## Illegal debts are not collected\n\n"
                "**[[rule:CN-ILLEGAL-DEBT]].** A loan flagged as illegal or far above the cap (for example above 36 "
                "% a year) is blocked for all collection. If a borrower tells you the loan is illegal or the charges "
                "unlawful, record it as a dispute and do not press.\n\n"
                "## Old debts\n\n"
                "**[[rule:CN-LIMITATION]].** The limitation period for a loan claim is three years, and a demand for "
                "payment interrupts it. Never tell a borrower that a time-barred debt can still be enforced through "
                "the courts. If you are not sure, say that the lender will confirm the position in writing.\n\n"
                "## Only the lender’s channels\n\n"
                "**[[rule:CN-PAY-CHANNEL]].** Money goes only through the channels the lender designates:\n\n"
                "- the **payment link** (a QR code) in the app, which comes from the lender’s payment gateway and is "
                "the preferred way;\n"
                "- cash only where the lender allows it, against the next numbered official receipt, handed over on "
                "the spot and deposited the same day.\n\n"
                "Never accept a transfer to your own or a colleague’s bank account, WeChat or Alipay; never charge a "
                "fee; never suggest new borrowing to repay (借新还旧) or selling belongings. The text filter blocks "
                "personal account numbers in notes, and a cash receipt number can be used only once.",
                "## 只收取法定可收取金额\n\n"
                "**[[rule:CN-CAP]]。**借款人只需偿还法律允许贷款机构主张的部分。民间借贷中，超过合同成立时一年期 LPR "
                "四倍的利息不受法律保护；对持牌机构，法院通常会调减年化综合成本超过 24% 的部分；"
                "本金按实际出借的金额计算，预先扣除的“砍头息”不算本金。Doorstep 会计算每个案件的**可收取金额**，"
                "案件简报中会显示这个数字，超过它的承诺还款或还款计划 App 都会拒绝。绝不要报出更高的数字，"
                "不要加收“催收费”，也不要凑整。\n\n"
                "## 非法债务不得催收\n\n"
                "**[[rule:CN-ILLEGAL-DEBT]]。**被标记为非法或远超上限（例如年化超过 36%）的贷款，系统会拦截一切催收。"
                "如果借款人说这笔贷款不合法、收费违法，按异议记录，不要施压。\n\n"
                "## 过了时效的旧债\n\n"
                "**[[rule:CN-LIMITATION]]。**借款纠纷的诉讼时效为三年，催收请求可以中断时效。"
                "绝不要对借款人说已过时效的债务仍然可以通过法院强制执行。拿不准时，"
                "就告诉对方贷款机构会以书面形式确认。\n\n"
                "## 只走贷款机构指定的渠道\n\n"
                "**[[rule:CN-PAY-CHANNEL]]。**钱款只能通过贷款机构指定的渠道支付：\n\n"
                "- App 中的**还款链接**（二维码），由贷款机构的支付渠道生成，这是首选方式；\n"
                "- 只有在贷款机构允许时才可收取现金，且必须当场开具下一张编号的正式收据，并于当天存入。\n\n"
                "绝不接受转入你本人或同事的银行账户、微信或支付宝；绝不收取任何费用；绝不建议借新还旧或变卖物品。"
                "文本过滤会拦截备注中的个人账号，现金收据编号也不能重复使用。",
            ),
        ),
    ),
    questions=(
        BuiltinQuestion(
            key="hours_window",
            text=(
                "Between which local times may a borrower be called, messaged or visited (without a recorded consent)?",
                "在没有记录在案的同意时，可以在借款人当地时间的哪个时段内致电、发消息或上门？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "From [[param:day_starts_at]] to [[param:day_ends_at]]",
                        "[[param:day_starts_at]] 至 [[param:day_ends_at]]",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "From [[param:day_starts_at|-60]] to [[param:day_ends_at|+60]]",
                        "[[param:day_starts_at|-60]] 至 [[param:day_ends_at|+60]]",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "From [[param:day_starts_at|+60]] to [[param:day_ends_at|-60]]",
                        "[[param:day_starts_at|+60]] 至 [[param:day_ends_at|-60]]",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "From [[param:day_starts_at|-120]] to [[param:day_ends_at|-120]]",
                        "[[param:day_starts_at|-120]] 至 [[param:day_ends_at|-120]]",
                    ),
                ),
            ),
            explanation=(
                "Calls, messages and visits happen only between [[param:day_starts_at]] and [[param:day_ends_at]], "
                "the borrower’s local time, unless the borrower’s consent to another time is recorded "
                "([[rule:CN-HOURS]]).",
                "打电话、发消息和上门只能在借款人当地时间 [[param:day_starts_at]] 至 [[param:day_ends_at]] 之间进行，"
                "除非借款人同意其他时间并已记录在案（[[rule:CN-HOURS]]）。",
            ),
        ),
        BuiltinQuestion(
            key="visit_span",
            text=(
                "Your team could arrive at [[param:day_ends_at|-30]] for a visit planned to last an hour. May the "
                "visit go ahead at that time?",
                "你们可以在 [[param:day_ends_at|-30]] 到达，计划外访时长为一小时。这个时间可以外访吗？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "No: the whole planned visit must end by [[param:day_ends_at]]; plan it earlier or at a time "
                        "the borrower asked for, with recorded consent.",
                        "不可以：整个计划中的外访必须在 [[param:day_ends_at]] 之前结束；应提前安排，"
                        "或按借款人要求的时间安排，并记录其同意。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Yes: the team arrives before [[param:day_ends_at]].",
                        "可以：团队在 [[param:day_ends_at]] 之前到达。",
                    ),
                ),
                BuiltinChoice(text=("Yes, as long as the team talks quickly.", "可以，只要团队说话快一点。")),
            ),
            explanation=(
                "For a visit the occupied span counts: arrival plus planned duration must fit inside "
                "[[param:day_starts_at]]–[[param:day_ends_at]].",
                "外访按实际占用的时段计算：到达时间加计划时长，必须落在 [[param:day_starts_at]] 至 "
                "[[param:day_ends_at]] 之内。",
            ),
        ),
        BuiltinQuestion(
            key="connected_calls",
            text=(
                "How many connected calls per borrower per day are allowed, counted across the lender and all its "
                "agencies?",
                "按贷款机构及其所有委外机构合并计算，每名借款人每天最多可以接通几次电话？",
            ),
            choices=(
                BuiltinChoice(
                    text=("[[param:connected_calls_per_day]]", "[[param:connected_calls_per_day]] 次"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("[[param:connected_calls_per_day|+1]]", "[[param:connected_calls_per_day|+1]] 次"),
                ),
                BuiltinChoice(
                    text=("[[param:connected_calls_per_day|+3]]", "[[param:connected_calls_per_day|+3]] 次"),
                ),
                BuiltinChoice(
                    text=("[[param:connected_calls_per_day|+7]]", "[[param:connected_calls_per_day|+7]] 次"),
                ),
            ),
            explanation=(
                "[[param:connected_calls_per_day]] connected calls per borrower per day, shared by the lender and "
                "every agency, AI voice included ([[rule:CN-CALL-CONNECT]]).",
                "每名借款人每天 [[param:connected_calls_per_day]] 次接通，由贷款机构和所有委外机构共享，AI "
                "语音也计算在内（[[rule:CN-CALL-CONNECT]]）。",
            ),
        ),
        BuiltinQuestion(
            key="dial_attempts",
            text=(
                "How many dial attempts to one phone number per day are allowed?",
                "每个电话号码每天最多可以拨打几次？",
            ),
            choices=(
                BuiltinChoice(
                    text=("[[param:attempts_per_number_per_day]]", "[[param:attempts_per_number_per_day]] 次"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("[[param:attempts_per_number_per_day|+2]]", "[[param:attempts_per_number_per_day|+2]] 次"),
                ),
                BuiltinChoice(
                    text=("[[param:attempts_per_number_per_day|+4]]", "[[param:attempts_per_number_per_day|+4]] 次"),
                ),
                BuiltinChoice(
                    text=("[[param:attempts_per_number_per_day|+14]]", "[[param:attempts_per_number_per_day|+14]] 次"),
                ),
            ),
            explanation=(
                "After [[param:attempts_per_number_per_day]] attempts, answered or not, Doorstep blocks further "
                "calls to that number for the day ([[rule:CN-CALL-ATTEMPT]]).",
                "无论是否接通，拨满 [[param:attempts_per_number_per_day]] 次后，Doorstep "
                "会拦截当天对该号码的继续呼叫（[[rule:CN-CALL-ATTEMPT]]）。",
            ),
        ),
        BuiltinQuestion(
            key="team_size",
            text=("How many collectors must a field visit have, at the least?", "外访至少需要几名催收员？"),
            choices=(
                BuiltinChoice(text=("At least [[param:visit_min_team|-1]]", "至少 [[param:visit_min_team|-1]] 名")),
                BuiltinChoice(
                    text=("At least [[param:visit_min_team]]", "至少 [[param:visit_min_team]] 名"),
                    correct=True,
                ),
                BuiltinChoice(text=("At least [[param:visit_min_team|+2]]", "至少 [[param:visit_min_team|+2]] 名")),
            ),
            explanation=(
                "The visit starts only when [[param:visit_min_team]] collectors have checked in, each on their own "
                "phone ([[rule:CN-VISIT-2P]]). More than planned is not better: crowding is intimidation.",
                "只有 [[param:visit_min_team]] 名催收员各自用自己的手机签到后，外访才会开始（[[rule:CN-VISIT-2P]]）。"
                "人并不是越多越好：聚众就是恐吓。",
            ),
        ),
        BuiltinQuestion(
            key="visit_length",
            text=("How long may a planned field visit last at most?", "计划中的外访最长可以持续多久？"),
            choices=(
                BuiltinChoice(
                    text=("[[param:visit_max_minutes]] minutes", "[[param:visit_max_minutes]] 分钟"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("[[param:visit_max_minutes|+30]] minutes", "[[param:visit_max_minutes|+30]] 分钟"),
                ),
                BuiltinChoice(
                    text=("[[param:visit_max_minutes|+60]] minutes", "[[param:visit_max_minutes|+60]] 分钟"),
                ),
                BuiltinChoice(
                    text=("[[param:visit_max_minutes|+120]] minutes", "[[param:visit_max_minutes|+120]] 分钟"),
                ),
            ),
            explanation=(
                "[[rule:CN-VISIT-ENTRY]] forbids sit-ins; the planner schedules no visit longer than "
                "[[param:visit_max_minutes]] minutes.",
                "[[rule:CN-VISIT-ENTRY]] 禁止滞留；排班系统不会安排超过 [[param:visit_max_minutes]] 分钟的外访。",
            ),
        ),
        BuiltinQuestion(
            key="visit_frequency",
            text=(
                "At most how many field visits may one borrower receive in any 30 days?",
                "任意 30 天内，同一借款人最多可以被外访几次？",
            ),
            choices=(
                BuiltinChoice(text=("[[param:visits_per_30_days]]", "[[param:visits_per_30_days]] 次"), correct=True),
                BuiltinChoice(text=("[[param:visits_per_30_days|+1]]", "[[param:visits_per_30_days|+1]] 次")),
                BuiltinChoice(text=("[[param:visits_per_30_days|+2]]", "[[param:visits_per_30_days|+2]] 次")),
                BuiltinChoice(text=("[[param:visits_per_30_days|+4]]", "[[param:visits_per_30_days|+4]] 次")),
            ),
            explanation=(
                "Your lender’s cap is [[param:visits_per_30_days]] in any 30 days, and the planner enforces it "
                "([[rule:DS-VISIT-FREQ]]).",
                "你所在贷款机构的上限是任意 30 天内 [[param:visits_per_30_days]] 次，"
                "由排班系统强制执行（[[rule:DS-VISIT-FREQ]]）。",
            ),
        ),
        BuiltinQuestion(
            key="complaint_pause",
            text=("After a borrower complains, for how long do field visits pause?", "借款人投诉后，外访暂停多久？"),
            choices=(
                BuiltinChoice(
                    text=("[[param:complaint_pause_days|-11]] days", "[[param:complaint_pause_days|-11]] 天"),
                ),
                BuiltinChoice(text=("[[param:complaint_pause_days|-7]] days", "[[param:complaint_pause_days|-7]] 天")),
                BuiltinChoice(
                    text=("[[param:complaint_pause_days]] days", "[[param:complaint_pause_days]] 天"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("[[param:complaint_pause_days|+16]] days", "[[param:complaint_pause_days|+16]] 天"),
                ),
            ),
            explanation=(
                "Visits pause for [[param:complaint_pause_days]] days while the complaint is handled "
                "([[rule:DS-COMPLAINT-PAUSE]]). Record complaints in the Complaint outcome.",
                "在处理投诉期间，外访暂停 [[param:complaint_pause_days]] 天（[[rule:DS-COMPLAINT-PAUSE]]）。"
                "投诉要在“投诉”这个沟通结果中记录。",
            ),
        ),
        BuiltinQuestion(
            key="unreachable",
            text=(
                "Apart from an invalid number, after how many consecutive days of failed contact is a borrower "
                "treated as unreachable, so that a pre-agreed contact may be called to restore contact?",
                "除号码无效外，连续联系失败多少天，借款人才算失联，从而可以为恢复联系而联系预留联系人？",
            ),
            choices=(
                BuiltinChoice(text=("[[param:unreachable_failures|-1]] days", "[[param:unreachable_failures|-1]] 天")),
                BuiltinChoice(
                    text=("[[param:unreachable_failures]] days", "[[param:unreachable_failures]] 天"),
                    correct=True,
                ),
                BuiltinChoice(text=("[[param:unreachable_failures|+2]] days", "[[param:unreachable_failures|+2]] 天")),
                BuiltinChoice(text=("[[param:unreachable_failures|+4]] days", "[[param:unreachable_failures|+4]] 天")),
            ),
            explanation=(
                "[[rule:CN-CONTACT-TRIGGER]]: only after [[param:unreachable_failures]] consecutive failed days (or "
                "an invalid number), with evidence logged, and only to find the borrower.",
                "[[rule:CN-CONTACT-TRIGGER]]：须连续 [[param:unreachable_failures]] 天联系失败（或号码无效）"
                "并留有记录，且只能用于寻找借款人。",
            ),
        ),
        BuiltinQuestion(
            key="agency_review",
            text=(
                "An agency may collect for the lender only if the lender has reviewed it within the last …",
                "委外机构要为贷款机构催收，须在最近多少天内接受过贷款机构的评估？",
            ),
            choices=(
                BuiltinChoice(
                    text=("[[param:agency_review_days]] days", "[[param:agency_review_days]] 天"),
                    correct=True,
                ),
                BuiltinChoice(text=("[[param:agency_review_days|+365]] days", "[[param:agency_review_days|+365]] 天")),
                BuiltinChoice(
                    text=("[[param:agency_review_days|+1095]] days", "[[param:agency_review_days|+1095]] 天"),
                ),
            ),
            explanation=(
                "[[rule:CN-AGENCY]]: a written contract, publication on the lender’s list, and a review within "
                "[[param:agency_review_days]] days; otherwise Doorstep blocks the agency’s work.",
                "[[rule:CN-AGENCY]]：须有书面合同、列入贷款机构公示名单，并在 [[param:agency_review_days]] "
                "天内接受过评估；否则 Doorstep 会拦截该机构的作业。",
            ),
        ),
        BuiltinQuestion(
            key="neighbour_asks",
            text=(
                "A neighbour asks why you are looking for the borrower. What do you answer?",
                "邻居问你们为什么找借款人。你应该怎么回答？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "A neutral answer that does not mention the loan, such as “a personal matter”.",
                        "给一个不提借款的中性回答，比如“有点私事”。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "The amount owed, so that the neighbour can persuade the borrower.",
                        "告诉邻居欠款金额，请他劝劝借款人。",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "Show the mandate and the loan details to prove you are genuine.",
                        "出示委托书和贷款信息，证明你们是正规的。",
                    ),
                ),
            ),
            explanation=(
                "[[rule:CN-NO-DISCLOSE]]: the debt, the lender and the amount stay private. Third parties hear only "
                "that you are looking for the borrower.",
                "[[rule:CN-NO-DISCLOSE]]：债务、贷款机构和金额都不能透露。第三方只能知道你们在找借款人。",
            ),
        ),
        BuiltinQuestion(
            key="who_pays",
            text=("From whom may you ask for payment?", "可以向谁要求还款？"),
            choices=(
                BuiltinChoice(text=("The debtor.", "债务人。"), correct=True),
                BuiltinChoice(text=("A guarantor, within the guarantee.", "担保人，在担保范围内。"), correct=True),
                BuiltinChoice(text=("A co-borrower.", "共同借款人。"), correct=True),
                BuiltinChoice(text=("The borrower’s parent who lives in the same flat.", "与借款人同住的父母。")),
                BuiltinChoice(text=("The borrower’s employer.", "借款人的雇主。")),
            ),
            explanation=(
                "[[rule:CN-TARGET]]: only obligors. The app opens promises, plans and payment links only after an "
                "obligor was recorded as met.",
                "[[rule:CN-TARGET]]：只能向负有还款义务的人催收。只有记录见到了负有还款义务的人，App "
                "才会开放承诺还款、还款计划和还款链接。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="no_fake",
            text=("Which of these statements break [[rule:CN-NO-FAKE]]?", "以下哪些说法违反了 [[rule:CN-NO-FAKE]]？"),
            choices=(
                BuiltinChoice(
                    text=("“We are working with the police on your case.”", "“我们正在和公安一起处理你的案子。”"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("“You will be put on the national blacklist.”", "“你会被列入全国黑名单。”"),
                    correct=True,
                ),
                BuiltinChoice(text=("“If you don’t pay, you will be detained.”", "“不还钱就拘留你。”"), correct=True),
                BuiltinChoice(
                    text=(
                        "“We act for the lender; here is our work ID and mandate.”",
                        "“我们受贷款机构委托，这是我们的工作证和委托书。”",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "“The lender will write to you about the account.”",
                        "“贷款机构会就这笔账户给您发书面通知。”",
                    ),
                ),
            ),
            explanation=(
                "Posing as or invoking the police, fake blacklists and invented legal consequences are forbidden. "
                "Stating whom you act for is required.",
                "冒充或搬出公安、虚构黑名单、编造法律后果都是禁止的。说明受谁委托则是必须的。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="visit_close",
            text=(
                "Which of these must be true before a visit can be closed in the app?",
                "在 App 中结束外访之前，以下哪些条件必须满足？",
            ),
            choices=(
                BuiltinChoice(
                    text=("Every collector who checked in has checked out.", "所有签到的催收员都已签退。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "The recording is attached with its SHA-256 fingerprint.",
                        "已上传录音录像及其 SHA-256 指纹。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "The work ID and mandate were shown, unless the borrower asked you to leave before that.",
                        "已出示工作证和委托书，除非借款人在此之前就要求你们离开。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("A promise to pay was recorded.", "已记录承诺还款。")),
                BuiltinChoice(text=("A photo of the home was taken.", "已拍摄住所照片。")),
            ),
            explanation=(
                "[[rule:CN-VISIT-AV]] and [[rule:CN-VISIT-ID]] are checked at closing. No outcome is required, and "
                "photos of the home are never allowed.",
                "结束外访时会检查 [[rule:CN-VISIT-AV]] 和 [[rule:CN-VISIT-ID]]。不要求必须有沟通结果，"
                "而拍摄住所是绝不允许的。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="payment_ways",
            text=(
                "Which of these are allowed ways for a borrower to pay at the door?",
                "以下哪些是借款人在现场还款的合规方式？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "The payment link (QR code) from the lender’s payment gateway.",
                        "由贷款机构支付渠道生成的还款链接（二维码）。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Cash, where the lender allows it, against the next numbered official receipt, deposited the "
                        "same day.",
                        "在贷款机构允许时支付现金，开具下一张编号的正式收据，并于当天存入。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("A transfer to the collector’s WeChat.", "转账到催收员的微信。")),
                BuiltinChoice(
                    text=("Cash for a “collection fee” on top of the debt.", "在欠款之外另付现金“催收费”。"),
                ),
                BuiltinChoice(
                    text=(
                        "A new loan from another app, paid straight to us.",
                        "在其他 App 上新借一笔钱直接还给我们。",
                    ),
                ),
            ),
            explanation=(
                "[[rule:CN-PAY-CHANNEL]]: only the lender’s channels; no personal accounts, no fees, no new "
                "borrowing to repay.",
                "[[rule:CN-PAY-CHANNEL]]：只能走贷款机构指定的渠道；不得使用个人账户，不得收取费用，不得借新还旧。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="limitation",
            text=(
                "The last payment and the last demand on a loan were made more than three years ago. What may you "
                "tell the borrower?",
                "某笔贷款最近的还款和催收都已是三年多以前的事了。你可以对借款人怎么说？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Nothing that presents the debt as enforceable; say the lender will confirm the position in "
                        "writing.",
                        "不能说这笔债务可以强制执行；告诉对方贷款机构会以书面形式确认。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "That a court will enforce it if they don’t pay this month.",
                        "如果这个月不还，法院就会强制执行。",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "That today’s visit restarts the clock, so the debt is enforceable again.",
                        "今天上门就让时效重新计算，所以债务又可以强制执行了。",
                    ),
                ),
            ),
            explanation=(
                "[[rule:CN-LIMITATION]]: the period is three years and a demand interrupts it, but a collector must "
                "never present a possibly time-barred claim as enforceable.",
                "[[rule:CN-LIMITATION]]：诉讼时效为三年，催收请求可以中断时效，"
                "但催收员绝不能把可能已过时效的债务说成可以强制执行。",
            ),
        ),
        BuiltinQuestion(
            key="hours_consent",
            text=(
                "A borrower who works late asks you to come at [[param:day_ends_at|+60]]. What is the rule?",
                "一位下班很晚的借款人请你们 [[param:day_ends_at|+60]] 上门。规则是什么？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Only with the borrower’s consent recorded (who, when, recording reference) and approved; "
                        "otherwise plan the visit within the allowed hours.",
                        "只有记录了借款人的同意（谁、何时、录音编号）并经审批才可以；否则须在允许的时段内安排外访。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("It is never possible, whatever the borrower says.", "无论借款人怎么说，都绝不可以。"),
                ),
                BuiltinChoice(
                    text=(
                        "A verbal request at the door is enough; no record is needed.",
                        "借款人在门口口头说一句就行，无需记录。",
                    ),
                ),
            ),
            explanation=(
                "[[rule:CN-HOURS]] allows another time only on the borrower’s recorded consent; a collector cannot "
                "grant the exception to themselves.",
                "[[rule:CN-HOURS]] 只有在借款人的同意被记录在案时才允许其他时间；催收员不能自行开这个口子。",
            ),
        ),
        BuiltinQuestion(
            key="deceased",
            text=(
                "At the door, the borrower’s husband tells you she died last month. What do you do?",
                "在门口，借款人的丈夫告诉你她上个月去世了。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Offer condolences, ask for nothing, leave, and record it.",
                        "表示哀悼，不提任何要求，随即离开，并如实记录。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Ask him to pay now as her heir.", "要求他作为继承人现在还款。")),
                BuiltinChoice(text=("Ask to see the death certificate before you leave.", "要求看到死亡证明再离开。")),
            ),
            explanation=(
                "[[rule:DS-DECEASED]]: contact stops. The lender deals with the estate through its own process, not "
                "at the door.",
                "[[rule:DS-DECEASED]]：停止联系。遗产相关事宜由贷款机构按自身流程处理，而不是在门口处理。",
            ),
        ),
    ),
)
