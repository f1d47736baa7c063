"""Course 1: communication and listening at the door (the seed's sections 3.3, 3.4 and 4).

The lessons follow the field app's guided steps in their order: check-in and recording, work ID
and mandate, entry, who was met, reason for arrears, income and expenses, outcomes, check-out.
"""

from __future__ import annotations

from doorstep.training.core.content import BuiltinChoice, BuiltinCourse, BuiltinLesson, BuiltinQuestion

COURSE = BuiltinCourse(
    code="communication",
    title=("Communication and listening at the door", "上门沟通与倾听"),
    summary=(
        "How to open a field visit, introduce yourself with your work ID and mandate, listen for the real reason "
        "behind the arrears, agree on a plan the borrower can keep, and close with clear next steps.",
        "如何开启一次外访：表明身份并出示工作证和委托书；认真倾听，找到逾期的真正原因；"
        "与借款人商定能够履行的还款方案；最后以清楚的后续安排结束沟通。",
    ),
    order=1,
    lessons=(
        BuiltinLesson(
            key="opening",
            title=("Opening: who you are and why you came", "开场：表明身份与来意"),
            body=(
                "## The first minute decides the visit\n\n"
                "The borrower did not invite you. Most people who open the door to a collector feel embarrassed, "
                "worried or defensive before you have said a word. Your first task is not to talk about money but to "
                "make it possible to talk at all.\n\n"
                "## Follow the app’s order\n\n"
                "The field app walks you through the opening in a fixed order and does not let you skip ahead:\n\n"
                "- **Check in** at the door on your own phone, as does your partner, and start the recording. The "
                "visit starts only when the whole team has checked in.\n"
                "- **Work ID and mandate**: greet the person, give your name and your company, say which lender you "
                "act for, and show your work ID and the mandate. Type the mandate number into the app.\n"
                "- **Entry**: stay outside unless you are clearly invited in, and record “Stayed outside” or "
                "“Invited in”.\n"
                "- **Who was met**: be sure whom you are speaking to before you mention any debt.\n\n"
                "## Confirm identity before you say why\n\n"
                "Ask for the borrower by name, not by debt: “Good afternoon, is Mr Zhang at home? My name is Li, I "
                "work for … on behalf of …”. If the person at the door is a relative, a neighbour or a flatmate, do "
                "not mention the loan, the amount or the overdue status. Ask only when the borrower can be reached, "
                "and leave no note that reveals the debt.\n\n"
                "## A calm, plain opening\n\n"
                "Once you know you are speaking with the borrower (or a guarantor or co-borrower), say why you came "
                "in one or two sentences and ask whether you may go on: “We’re here about your loan with …, which is "
                "overdue. I’d like to understand your situation and see what we can work out together. Is now a good "
                "time?” If the answer is no, offer another time. A short, respectful opening usually earns more time "
                "than a long speech.",
                "## 开场一分钟决定整个外访\n\n"
                "借款人并没有邀请你来。大多数人开门看到催收员，还没等你开口，就已经感到难堪、担心或戒备。"
                "所以你要做的第一件事不是谈钱，而是让对方愿意和你谈下去。\n\n"
                "## 按外访 App 的顺序来\n\n"
                "外访 App 会按固定顺序引导你完成开场，不能跳步：\n\n"
                "- **签到**：到了门口，你和搭档各自用自己的手机签到，并开始录音录像。全组人员都签到后，"
                "外访才正式开始。\n"
                "- **工作证和委托书**：先打招呼，报上自己的姓名和公司，说明受哪家贷款机构委托，出示工作证和委托书，"
                "并在 App 中录入委托书编号。\n"
                "- **入户**：除非对方明确邀请，否则留在门外，并在 App 中选择“留在门外”或“受邀入户”。\n"
                "- **见到的对象**：在提到任何欠款之前，先弄清楚你面对的是谁。\n\n"
                "## 先核实身份，再说来意\n\n"
                "按姓名找人，而不是按欠款找人：“下午好，请问张先生在家吗？我姓李，是……公司的，受……委托过来。”"
                "如果开门的是家人、邻居或合租的人，不要提借款、金额或逾期情况，只问什么时候能联系上本人，"
                "也不要留下任何会透露债务的字条。\n\n"
                "## 平和、简短地说明来意\n\n"
                "确认对方是借款人本人（或担保人、共同借款人）之后，用一两句话说明来意，并问对方是否方便继续："
                "“我们是为您在……的那笔借款来的，现在已经逾期了。想先了解一下您的情况，看看能不能一起想个办法。"
                "您现在方便聊几分钟吗？”如果对方说不方便，就另约时间。简短而尊重的开场，"
                "往往比长篇大论换来更多的沟通时间。",
            ),
        ),
        BuiltinLesson(
            key="listening",
            title=("Listening and finding the reason for arrears", "倾听并找到逾期原因"),
            body=(
                "## Listen more than you talk\n\n"
                "A visit is worth the journey only if you learn what a phone call could not tell you: why this "
                "person stopped paying and what they can really do now. Aim to let the borrower do most of the "
                "talking.\n\n"
                "## Active listening\n\n"
                "- Give your full attention: put the phone down except to record a step, keep eye contact and an "
                "open posture.\n"
                "- Let them finish. A silence after a hard sentence is not a gap to fill with the amount owed.\n"
                "- Reflect back what you heard: “So the shop closed in March and since then you’ve been doing "
                "delivery work, is that right?”\n"
                "- Summarise before you move on, and let them correct you.\n\n"
                "## Open questions\n\n"
                "Closed questions (“Can you pay today?”) get a yes or a no, usually a no. Open questions get the "
                "story:\n\n"
                "- “What has changed since you took out the loan?”\n"
                "- “How are things at work at the moment?”\n"
                "- “What would make it possible for you to start paying again?”\n"
                "- “What other payments are you juggling right now?”\n\n"
                "Ask one question at a time, and don’t ask about things you don’t need, such as medical details or "
                "other people’s affairs.\n\n"
                "## Record the reason, then act on it\n\n"
                "In the **Reason for arrears** step choose the reason that fits best and add a short factual note. "
                "Each reason shows a hint for what to do next. Two reasons change the visit: if the borrower "
                "**disputes the debt**, or says the loan was **taken out in their name by someone else**, stop "
                "asking for payment on that part, record it as a dispute and tell them the case will be reviewed. "
                "Pressing on would be unfair and against our rules.\n\n"
                "Then, if the borrower is willing, fill in **Income and expenses**. If they would rather not say, "
                "choose “Not disclosed: skip”. Never insist.",
                "## 多听少说\n\n"
                "上门这一趟之所以值得，是因为你能了解到电话里问不出来的情况：这个人为什么不还了，现在实际能做到什么。"
                "尽量让借款人多说。\n\n"
                "## 积极倾听\n\n"
                "- 专心：除了在 App 里记录步骤，不要看手机；保持目光交流和放松、开放的姿态。\n"
                "- 让对方把话说完。对方说出一句难以启齿的话之后的沉默，不是让你接上欠款金额的时候。\n"
                "- 复述你听到的内容：“也就是说，店是三月份关的，之后您一直在跑外卖，对吧？”\n"
                "- 换话题之前先小结一下，让对方有机会纠正。\n\n"
                "## 开放式提问\n\n"
                "封闭式问题（“今天能还吗？”）只会得到“能”或“不能”，而且多半是“不能”。"
                "开放式问题才能让对方把情况讲出来：\n\n"
                "- “借款以后，您这边有什么变化？”\n"
                "- “最近工作怎么样？”\n"
                "- “怎样才能让您重新开始还款？”\n"
                "- “您现在还要同时应付哪些开支？”\n\n"
                "一次只问一个问题，不问与还款无关的事，比如病情细节或别人的私事。\n\n"
                "## 记录原因，并据此行动\n\n"
                "在**逾期原因**这一步，选择最符合的一项，并写一句客观的备注。每个原因都会提示下一步该怎么做。"
                "有两种原因会改变整个外访：如果借款人**对债务有异议**，或者说贷款是**被他人冒名办理**的，"
                "就不要再就这部分催促还款，按异议记录下来，并告诉对方案件会被复核。继续施压既不公平，"
                "也违反我们的规则。\n\n"
                "之后，如果借款人愿意，再填写**收入和支出**。如果对方不想说，就选择“未透露：跳过”，绝不强求。",
            ),
        ),
        BuiltinLesson(
            key="solutions",
            title=("Proposing a solution the borrower can keep", "提出借款人能够履行的方案"),
            body=(
                "## A plan that breaks is worth nothing\n\n"
                "A promise the borrower cannot keep leads to a broken promise, another visit and more stress on both "
                "sides. The goal is an arrangement that fits their real budget, even if it is smaller than you "
                "hoped.\n\n"
                "## Start from what they can afford\n\n"
                "Use the income and expenses the borrower shared. The app shows the monthly surplus, and when you "
                "propose a repayment plan it weighs each installment against that surplus. If the plan is too heavy, "
                "the app says so and suggests the smallest number of installments that would fit. If there is no "
                "surplus at all, talk about the lender’s hardship options instead of forcing a number.\n\n"
                "## Choose the right outcome\n\n"
                "In the **Outcomes** step you can record:\n\n"
                "- **Promise to pay**: one amount on one date. Use it for a short gap, such as a salary that arrives "
                "next week. A promise can run at most 90 days; anything longer should be a plan.\n"
                "- **Repayment plan**: a total, an optional down payment, a number of installments and an interval "
                "(monthly, fortnightly or weekly). A large plan waits for a supervisor’s approval before the "
                "borrower signs on your phone; the signed agreement can then be downloaded.\n"
                "- **Payment link**: a QR code from the lender’s payment gateway. This is the preferred way to pay.\n"
                "- **Dispute** or **Complaint**, when that is what the borrower raises.\n\n"
                "Never ask for more than the collectible amount in the brief. The app refuses it anyway: charges "
                "above the legal cap are not collectible.\n\n"
                "## Make an offer, don’t corner anyone\n\n"
                "Offer two or three realistic options and let the borrower choose: “Would a smaller amount every "
                "month work better, or would you rather pay a bit more now and finish sooner?” Never suggest "
                "borrowing from another platform, family or friends to pay, and never suggest selling belongings. "
                "Read the agreement back (amounts, dates, how to pay) and check that it was understood.",
                "## 履行不了的方案毫无意义\n\n"
                "借款人做不到的承诺，只会变成违约，带来下一次外访，双方的压力都更大。"
                "我们的目标是达成一个符合对方真实收支的安排，哪怕金额比你预想的小。\n\n"
                "## 从对方的还款能力出发\n\n"
                "以借款人提供的收入和支出为依据。App 会显示每月结余；你提出还款计划时，App "
                "会用这个结余来衡量每期还款额。如果计划负担过重，App 会提示，并给出能承受的最少期数。"
                "如果对方根本没有结余，就介绍贷款机构的困难帮扶方案，而不是硬压一个数字。\n\n"
                "## 选择合适的沟通结果\n\n"
                "在**沟通结果**这一步，可以记录：\n\n"
                "- **承诺还款**：一个金额、一个日期。适用于短期周转，比如下周发工资。承诺还款最长不超过 90 天，"
                "更长的应做成还款计划。\n"
                "- **还款计划**：总额、可选的首付款、期数和还款周期（每月、每两周或每周）。"
                "金额较大的计划须经主管审批，之后借款人在你的手机上签字，签好的协议可以下载。\n"
                "- **还款链接**：由贷款机构支付渠道生成的二维码，这是首选的还款方式。\n"
                "- **异议**或**投诉**：借款人提出时如实记录。\n\n"
                "所提金额绝不能超过案件简报中的可收取金额，App 也会拒绝：超出法定上限的费用不可收取。\n\n"
                "## 给出选择，不要把人逼到墙角\n\n"
                "提出两三个现实可行的方案，让借款人自己选：“每个月少还一点会不会更轻松？还是您更愿意现在多还一些，"
                "早点还完？”绝不要建议对方找其他平台、家人或朋友借钱来还，也不要建议变卖物品。最后把协议内容（金额、"
                "日期、还款方式）向对方复述一遍，确认对方听明白了。",
            ),
        ),
        BuiltinLesson(
            key="closing",
            title=("Closing the visit, and what never to say", "结束外访与禁忌用语"),
            body=(
                "## Closing well\n\n"
                "End every conversation with a short summary so nobody leaves confused:\n\n"
                "- what was agreed, or that nothing was agreed today and that this is fine;\n"
                "- the amount and date of the next payment, and that it is paid only through the payment link or the "
                "lender’s official channels;\n"
                "- what happens next: a reminder message, a supervisor approving the plan, a review of a dispute;\n"
                "- how to reach the lender’s customer service, and that they may complain if they are unhappy with "
                "the visit.\n\n"
                "Thank them for their time. Then **check out** on your phone, stop the recording, attach it in the "
                "**Recording** step and **close the visit** with the outcome that fits: met, nobody at home, refused "
                "to talk, or left for safety. Your notes and the recording are the next colleague’s starting point, "
                "so keep notes factual: what was said, not what you think of the person.\n\n"
                "## What never to say\n\n"
                "Some sentences break the law or our rules. The text filter blocks many of them in notes, but the "
                "recording hears everything:\n\n"
                "- threats of arrest, prison, police or court action that is not real: “The police will come for you”"
                ";\n"
                "- pretending to be from the police, a court or the government, or talking about an official "
                "“blacklist”;\n"
                "- insults, swearing, or remarks about the borrower’s family, job or appearance;\n"
                "- telling relatives, neighbours or colleagues about the debt, or threatening to;\n"
                "- “Borrow from someone and pay us”, “Sell your phone”, “Give me the cash, I’ll pass it on”;\n"
                "- amounts or fees that are not in the brief;\n"
                "- “We’ll keep coming until you pay” or “We’re not leaving”.\n\n"
                "## What to say instead\n\n"
                "- “I understand. Let’s look at what is realistic for you.”\n"
                "- “I can’t promise that, but I will make sure your request is passed on.”\n"
                "- “If you’d like us to leave, we’ll go now.”",
                "## 好好收尾\n\n"
                "每次沟通结束前做一个简短总结，让双方都清楚：\n\n"
                "- 达成了什么；如果今天什么也没谈成，也说明这没关系；\n"
                "- 下一笔还款的金额和日期，并说明只能通过还款链接或贷款机构的官方渠道还款；\n"
                "- 接下来会发生什么：提醒短信、主管审批还款计划、异议复核等；\n"
                "- 如何联系贷款机构的客服；如果对这次外访不满意，可以投诉。\n\n"
                "感谢对方抽出时间。然后在手机上**签退**，停止录音录像，在**录音录像**这一步上传文件，"
                "再选择相应的结果**结束外访**：已见到、无人在家、拒绝沟通或因安全原因离开。"
                "你的备注和录音录像是下一位同事的起点，所以备注要客观：写对方说了什么，而不是你对这个人的看法。\n\n"
                "## 绝对不能说的话\n\n"
                "有些话违反法律或公司规则。文本过滤会在备注中拦截其中很多说法，但录音录像会记下你说的每一句话：\n\n"
                "- 拿并不存在的抓人、坐牢、报警或起诉来威胁：“警察会来找你的”；\n"
                "- 冒充公安、法院或政府人员，或者提什么官方“黑名单”；\n"
                "- 辱骂、说脏话，或者议论借款人的家人、工作和外表；\n"
                "- 把欠款的事告诉亲属、邻居或同事，或以此相威胁；\n"
                "- “找别人借钱先还我们”“把手机卖了”“现金给我，我帮你交”；\n"
                "- 案件简报以外的金额或费用；\n"
                "- “你不还钱我们就天天来”“我们不走了”。\n\n"
                "## 可以这样说\n\n"
                "- “我理解。我们看看什么方案对您来说是现实可行的。”\n"
                "- “这个我没法答应您，但我一定会把您的要求反映上去。”\n"
                "- “如果您希望我们离开，我们现在就走。”",
            ),
        ),
    ),
    questions=(
        BuiltinQuestion(
            key="sister_at_door",
            text=(
                "A woman opens the door and says she is the borrower’s sister. What do you do?",
                "一位女士开门，说自己是借款人的姐姐。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=("Explain the overdue amount so that she can pass it on.", "告诉她逾期金额，请她转告。"),
                ),
                BuiltinChoice(
                    text=(
                        "Don’t mention the loan; ask only when the borrower can be reached.",
                        "不提借款的事，只询问什么时候能联系上借款人本人。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Ask her to pay on her brother’s behalf.", "请她代为还款。")),
                BuiltinChoice(
                    text=("Leave a note with the amount for the borrower.", "给借款人留一张写有欠款金额的字条。"),
                ),
            ),
            explanation=(
                "A relative owes nothing and must not learn about the debt. Record “Other person” as the party met "
                "and ask only how to reach the borrower.",
                "亲属没有还款义务，也不能让其知道欠款情况。在“见到的对象”中选择“其他人员”，只询问如何联系借款人。",
            ),
        ),
        BuiltinQuestion(
            key="guided_order",
            text=(
                "The app will not let you record the reason for arrears yet. What have you most likely not done?",
                "App 还不允许你记录逾期原因。最可能是哪一步还没完成？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Shown your work ID and mandate, and recorded whether you entered.",
                        "出示工作证和委托书，并记录是否入户。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Recorded the borrower’s income and expenses.", "记录借款人的收入和支出。")),
                BuiltinChoice(text=("Proposed a repayment plan.", "提出还款计划。")),
            ),
            explanation=(
                "The conversation steps open only after the team has checked in, the work ID and mandate were shown "
                "and entry was recorded. Income and expenses come after the reason.",
                "只有在全组签到、出示工作证和委托书并记录入户情况之后，沟通步骤才会开放。"
                "收入和支出是在逾期原因之后填写的。",
            ),
        ),
        BuiltinQuestion(
            key="open_questions",
            text=("Which of these are open questions?", "以下哪些是开放式问题？"),
            choices=(
                BuiltinChoice(
                    text=("“What has changed since you took out the loan?”", "“借款以后，您这边有什么变化？”"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "“What would make it possible for you to start paying again?”",
                        "“怎样才能让您重新开始还款？”",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("“Can you pay today?”", "“今天能还吗？”")),
                BuiltinChoice(text=("“You know you’re overdue, right?”", "“您知道自己已经逾期了吧？”")),
            ),
            explanation=(
                "Open questions invite the borrower to tell the story in their own words. Questions that can be "
                "answered with yes or no close the conversation down.",
                "开放式问题让借款人用自己的话把情况讲出来。能用“是”或“不是”回答的问题会让谈话很快中断。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="active_listening",
            text=("Which of these are signs of active listening?", "以下哪些属于积极倾听？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "Reflecting back what you heard and asking if it is right.",
                        "复述听到的内容，并问对方是否理解正确。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Summarising before moving on, and letting the borrower correct you.",
                        "换话题前先小结，并让借款人纠正。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Allowing a silence after the borrower says something difficult.",
                        "借款人说出难以启齿的话后，允许片刻沉默。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Interrupting to correct the amount as soon as it is mentioned.",
                        "对方一提到金额就打断并纠正。",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "Reading the next case on your phone while they talk.",
                        "对方说话时，在手机上看下一个案件。",
                    ),
                ),
            ),
            explanation=(
                "Reflecting, summarising and allowing silence show that you are paying attention. Interrupting and "
                "looking at your phone tell the borrower you are not listening.",
                "复述、小结和允许沉默都表明你在认真听。打断对方或看手机，等于告诉借款人你没在听。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="fraud_claim",
            text=(
                "The borrower says the loan was taken out in his name by someone else. What do you do?",
                "借款人说这笔贷款是别人冒用他的名义办的。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Record it as a dispute, stop asking for payment, and tell him the case will be reviewed.",
                        "按异议记录，停止催促还款，并告诉他案件会被复核。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Insist that he signed and must pay.", "坚持说是他本人签的，必须还。")),
                BuiltinChoice(
                    text=("Suggest he pays half now while the matter is checked.", "建议他在核实期间先还一半。"),
                ),
            ),
            explanation=(
                "A fraud claim is handled as a dispute: pressure to pay stops, the case goes to review, and the "
                "borrower is told how to report the fraud.",
                "冒名办理的说法按异议处理：停止催促还款，案件转入复核，并告知借款人如何举报冒名行为。",
            ),
        ),
        BuiltinQuestion(
            key="finances_refused",
            text=(
                "The borrower does not want to tell you her income. What do you do?",
                "借款人不愿意告诉你她的收入。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Choose “Not disclosed: skip” and carry on respectfully.",
                        "选择“未透露：跳过”，继续礼貌地沟通。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Insist, because the plan needs the figure.", "坚持要她说，因为做计划需要这个数字。"),
                ),
                BuiltinChoice(
                    text=("Estimate her income from the furniture in the flat.", "根据屋里的家具估算她的收入。"),
                ),
                BuiltinChoice(text=("End the visit because she is not cooperating.", "认为她不配合，结束外访。")),
            ),
            explanation=(
                "Sharing income and expenses is voluntary. Without the figures you can still agree a promise or a "
                "modest plan.",
                "是否提供收入和支出由借款人自愿决定。即使没有这些数字，仍然可以商定承诺还款或一个金额不大的计划。",
            ),
        ),
        BuiltinQuestion(
            key="plan_too_heavy",
            text=(
                "You propose a plan and the app says it does not fit what the borrower can afford. What next?",
                "你提出还款计划后，App 提示该计划超出借款人的承受能力。接下来怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Lower the installment, for example with the number of installments the app suggests, or "
                        "talk about hardship options.",
                        "降低每期金额，例如采用 App 建议的期数，或者介绍困难帮扶方案。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Record the plan anyway; the borrower agreed to it.",
                        "照样记录这个计划，反正借款人同意了。",
                    ),
                ),
                BuiltinChoice(
                    text=("Suggest the borrower borrows the difference from a friend.", "建议借款人找朋友借差额。"),
                ),
            ),
            explanation=(
                "A plan above the surplus is likely to break. The app suggests the smallest number of installments "
                "that fits; with no surplus at all, the hardship route is the answer.",
                "超出结余的计划很可能会违约。App 会建议能承受的最少期数；如果完全没有结余，就应走困难帮扶流程。",
            ),
        ),
        BuiltinQuestion(
            key="promise_or_plan",
            text=(
                "The borrower gets paid next Friday and can then pay the overdue installment in full. Which outcome "
                "fits best?",
                "借款人下周五发工资，届时可以把逾期的那期全部还上。哪种沟通结果最合适？",
            ),
            choices=(
                BuiltinChoice(
                    text=("A promise to pay, with that amount and that date.", "承诺还款，写明该金额和日期。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("A repayment plan with many small installments.", "分很多期、每期金额很小的还款计划。"),
                ),
                BuiltinChoice(
                    text=("Cash today, into your own account, to save time.", "今天把现金转到你个人账户，省得麻烦。"),
                ),
            ),
            explanation=(
                "A single amount on a near date is a promise to pay. Plans are for debts that need several "
                "installments.",
                "近期某一天还一笔钱，记为承诺还款即可。需要分多期偿还时才做还款计划。",
            ),
        ),
        BuiltinQuestion(
            key="long_promise",
            text=(
                "The borrower can only start paying in four months. What do you record?",
                "借款人要四个月后才能开始还款。你应该记录什么？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "A repayment plan with a later first due date: a promise may run at most 90 days.",
                        "首期还款日较晚的还款计划：承诺还款最长只能 90 天。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("A promise to pay four months from now.", "四个月后的承诺还款。")),
                BuiltinChoice(text=("Nothing, and plan another visit next week.", "什么都不记，下周再来一次。")),
            ),
            explanation=(
                "The app refuses promises longer than 90 days. A plan can start later and fit the borrower’s "
                "situation.",
                "App 不接受超过 90 天的承诺还款。还款计划可以推迟开始，更符合借款人的实际情况。",
            ),
        ),
        BuiltinQuestion(
            key="never_say",
            text=("Which of these must you never say?", "以下哪些话绝对不能说？"),
            choices=(
                BuiltinChoice(
                    text=("“The police will come for you if you don’t pay.”", "“不还钱，警察会来找你。”"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("“Borrow from your friends and pay us today.”", "“找朋友借点钱，今天先还我们。”"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("“We’ll tell your boss about this.”", "“我们会把这件事告诉你老板。”"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("“If you’d like us to leave, we’ll go now.”", "“如果您希望我们离开，我们现在就走。”"),
                ),
                BuiltinChoice(
                    text=("“Let’s look at what is realistic for you.”", "“我们看看什么方案对您来说是现实可行的。”"),
                ),
            ),
            explanation=(
                "Threats of police action, pressure to borrow and telling the employer are unlawful. Offering to "
                "leave and looking for a realistic solution are exactly what we want.",
                "以警察相威胁、逼人借钱还款、告诉雇主，都是违法的。主动提出离开、寻找现实可行的方案，"
                "正是我们提倡的做法。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="closing_summary",
            text=("What belongs in your closing summary?", "结束前的总结应包括哪些内容？"),
            choices=(
                BuiltinChoice(
                    text=("The amount and date of the next payment.", "下一笔还款的金额和日期。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "That payment goes only through the payment link or the lender’s official channels.",
                        "只能通过还款链接或贷款机构的官方渠道还款。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "What happens next, such as a supervisor approving the plan.",
                        "接下来会怎样，例如主管审批还款计划。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "How to reach customer service, and that the borrower may complain.",
                        "如何联系客服，以及借款人可以投诉。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Your personal WeChat, so the borrower can pay you directly.",
                        "你的个人微信，方便借款人直接转账给你。",
                    ),
                ),
            ),
            explanation=(
                "A clear summary prevents misunderstandings and broken promises. Payment never goes to a collector "
                "personally.",
                "清楚的总结能避免误解和违约。还款绝不能转给催收员个人。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="factual_note",
            text=("Which visit note is appropriate?", "以下哪条外访备注是恰当的？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "“Borrower says the shop closed in March; now does delivery work; offers 500 a month from "
                        "June.”",
                        "“借款人称店铺三月关门，现在跑外卖；提出从六月起每月还 500 元。”",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("“Lazy, obviously lying about his income.”", "“好吃懒做，收入明显在撒谎。”")),
                BuiltinChoice(text=("“Neighbours say he gambles.”", "“邻居说他赌博。”")),
            ),
            explanation=(
                "Notes record facts and what the borrower said. Opinions and gossip are unfair, useless to the next "
                "team, and may break privacy rules.",
                "备注只记录事实和借款人说的话。主观评价和道听途说既不公平，对下一组同事也没有用，还可能违反隐私规定。",
            ),
        ),
        BuiltinQuestion(
            key="cash_offer",
            text=(
                "The borrower wants to hand you cash without a receipt. What do you do?",
                "借款人想直接把现金交给你，不要收据。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Offer the payment link; take cash only if the lender allows it, against the next numbered "
                        "official receipt.",
                        "建议使用还款链接；只有在贷款机构允许时才收现金，并开具下一张编号的正式收据。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Take it and pay it in later.", "先收下，之后再交上去。")),
                BuiltinChoice(
                    text=("Ask for a transfer to your own WeChat instead.", "让对方改为转账到你的个人微信。"),
                ),
            ),
            explanation=(
                "Money goes only through the lender’s channels. The payment link is preferred; cash needs a numbered "
                "receipt and is deposited the same day.",
                "钱款只能走贷款机构指定的渠道。首选还款链接；收取现金必须开具编号收据，并于当天存入。",
            ),
        ),
        BuiltinQuestion(
            key="offer_options",
            text=("What is the best way to propose a repayment arrangement?", "提出还款安排的最好方式是什么？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "Offer two or three realistic options and let the borrower choose.",
                        "提出两三个现实可行的方案，让借款人自己选。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Present one plan and say it is take it or leave it.",
                        "只给一个方案，告诉对方要么接受要么拉倒。",
                    ),
                ),
                BuiltinChoice(text=("Say the whole balance is due today.", "告诉对方全部欠款今天必须还清。")),
            ),
            explanation=(
                "A choice gives the borrower some control and makes the agreement their own, which makes it more "
                "likely to be kept.",
                "给出选择能让借款人有掌控感，觉得协议是自己定的，因此更可能履行。",
            ),
        ),
        BuiltinQuestion(
            key="before_close",
            text=(
                "What must happen before the visit can be closed in the app?",
                "在 App 中结束外访之前，必须完成哪些事项？",
            ),
            choices=(
                BuiltinChoice(
                    text=("Every collector who checked in has checked out.", "所有签到的催收员都已签退。"),
                    correct=True,
                ),
                BuiltinChoice(text=("The recording is attached.", "已上传录音录像。"), correct=True),
                BuiltinChoice(
                    text=(
                        "An outcome is chosen, such as met or nobody at home.",
                        "选择了结果，例如已见到或无人在家。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("A notice is left on the door.", "在门上留下通知。")),
                BuiltinChoice(text=("A photo of the home is taken.", "拍下住所的照片。")),
            ),
            explanation=(
                "Check-out, the recording and the outcome complete the record. Notices on doors and photos of the "
                "home are never allowed.",
                "签退、录音录像和外访结果构成完整的记录。在门上留通知、拍摄住所都是不允许的。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="ask_permission",
            text=(
                "You have confirmed you are speaking with the borrower. How do you open?",
                "你已确认对面是借款人本人。应该如何开场？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Say briefly why you came and ask whether now is a good time.",
                        "简短说明来意，并问对方现在是否方便。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Start with the total amount and what happens if it is not paid.",
                        "一开口就说总欠款，以及不还会有什么后果。",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "Ask to come in straight away so the neighbours don’t hear.",
                        "马上要求进屋，免得邻居听到。",
                    ),
                ),
            ),
            explanation=(
                "A short, respectful opening earns time. Entering is the occupant’s choice, never your request to "
                "push.",
                "简短、尊重的开场能争取到更多时间。是否让你进屋由住户决定，你不能强求。",
            ),
        ),
    ),
)
