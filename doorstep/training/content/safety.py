"""Course 4: field safety (the seed's sections 5.1 and 6.2).

Refers to what the field app and the supervisor's board actually do: safety flags and the safety banner in
the brief, team check-in, the overdue check-out alert, the tension rating ("hostile" raises an alert),
the SOS button (queued offline, with a text-message fallback), and the "left for safety" outcome.
"""

from __future__ import annotations

from doorstep.training.core.content import BuiltinChoice, BuiltinCourse, BuiltinLesson, BuiltinQuestion

COURSE = BuiltinCourse(
    code="safety",
    title=("Field safety", "外访安全"),
    summary=(
        "Planning a safe visit, reading the scene on arrival, dogs and exit routes, handling aggression without "
        "confrontation, the SOS button in the field app, and what to do and report after an incident.",
        "规划安全的外访，到达现场后观察环境，应对犬只、确认撤离路线，不与人正面冲突地应对攻击行为，使用外访 App 中的 "
        "SOS 求助按钮，以及事件发生后该做什么、如何报告。",
    ),
    order=4,
    lessons=(
        BuiltinLesson(
            key="planning",
            title=("Planning a safe visit", "规划安全的外访"),
            body=(
                "## Safety starts before you leave\n\n"
                "Read the route and every stop’s brief before you set out. Pay attention to the **safety flags** on "
                "the borrower and the address (earlier aggression, dogs, a remote location) and to the banner "
                "“Safety: read this before you go”. Notes from earlier visits tell you what the last team found.\n\n"
                "## Checklist\n\n"
                "- **Team**: you visit with at least [[param:visit_min_team]] collectors, as planned. Never go "
                "alone, not even “just to knock”.\n"
                "- **Phone**: charged, with a power bank, the field app open and today’s route loaded, so that it "
                "works without signal.\n"
                "- **Recorder**: charged and working; it runs from check-in to check-out.\n"
                "- **Documents**: your work ID and the mandate for each case.\n"
                "- **Route**: know where you will park, how you will leave, and where the nearest busy public place "
                "is.\n"
                "- **Supervisor**: knows your route; the board shows your team’s position as the app reports it.\n"
                "- **Valuables**: carry no more cash than you need, and nothing that looks like a uniform.\n\n"
                "## Stop and ask when\n\n"
                "- a flag says the borrower has threatened collectors before: ask your supervisor whether the visit "
                "should go ahead, and how, or not at all;\n"
                "- your partner is missing: the visit cannot start, so don’t try;\n"
                "- the time is too tight to finish calmly within the allowed hours.\n\n"
                "## The timer works for you\n\n"
                "Every visit has a planned duration. If you have not checked out some time after it, your supervisor "
                "receives an overdue alert and will call you. Check out promptly when you leave, so that the alert "
                "means something when it does fire.",
                "## 安全从出发前开始\n\n"
                "出发前看好路线和每一户的案件简报。留意借款人和地址上的**安全风险标记**（以前有过攻击行为、养狗、"
                "位置偏僻等），以及“安全提示：出发前请阅读”这条提示。以往外访的备注会告诉你上一组同事遇到了什么情况。"
                "\n\n"
                "## 出发前检查清单\n\n"
                "- **人员**：按计划至少 [[param:visit_min_team]] 名催收员一同上门。绝不单独行动，哪怕“只是去敲个门”。"
                "\n"
                "- **手机**：电量充足，带上充电宝；打开外访 App 并加载好当天的路线，这样没信号也能用。\n"
                "- **录音录像设备**：电量充足、运行正常；从签到一直录到签退。\n"
                "- **证件**：工作证以及每个案件的委托书。\n"
                "- **路线**：清楚在哪里停车、怎么离开，以及最近的人多的公共场所在哪里。\n"
                "- **主管**：知道你们的路线；主管的看板上会显示 App 上报的团队位置。\n"
                "- **贵重物品**：现金够用就行，不穿戴任何看起来像制服的衣物。\n\n"
                "## 遇到以下情况，先停下来请示\n\n"
                "- 标记显示借款人以前威胁过催收员：请示主管这次外访是否继续、怎么进行，还是干脆不去；\n"
                "- 搭档没到：外访无法开始，不要勉强；\n"
                "- 时间太紧，没法在允许的时段内从容完成。\n\n"
                "## 计时功能是在保护你\n\n"
                "每次外访都有计划时长。超过计划时长一段时间还没签退，主管会收到超时警报并给你打电话。离开时及时签退，"
                "这样警报真正响起时才有意义。",
            ),
        ),
        BuiltinLesson(
            key="scene",
            title=("Reading the scene: arrival, dogs and exit routes", "观察现场：到达、犬只与撤离路线"),
            body=(
                "## Look before you knock\n\n"
                "Park facing the way out and take a minute to look around:\n\n"
                "- Who is about? A group gathering, people drinking, a quarrel next door?\n"
                "- Signs of a dog: bowls, a chain, a warning sign, barking.\n"
                "- The layout: stairwells, lifts, long corridors, a courtyard with a single gate.\n"
                "- Your way out: note it before you go in, and keep it clear.\n\n"
                "If something feels wrong, trust that feeling. Leave and call your supervisor; a visit can always be "
                "rescheduled.\n\n"
                "## At the door\n\n"
                "- Knock, then step back, so that you are not in the doorway when it opens.\n"
                "- Stand slightly to one side, with your partner where they can see both you and the street.\n"
                "- Keep the exit behind you, never behind the borrower.\n"
                "- Don’t go into narrow spaces, back rooms or kitchens; stay where you can leave quickly.\n"
                "- If you are invited in, one of you keeps an eye on the door and the way out.\n\n"
                "## Dogs\n\n"
                "Ask the occupant to shut the dog away before you talk. If a dog comes at you, stand still with your "
                "arms by your sides, don’t stare at it and don’t run, then back away slowly. Put a bag or a folder "
                "between you and the dog if you need to. If you are bitten, leave, get medical help and report "
                "it.\n\n"
                "## Partners watch each other\n\n"
                "Before the visit, agree on a code word that means “we leave now”, with no discussion. One of you "
                "leads the conversation; the other watches the room, the street and the body language, and updates "
                "the tension rating in the app when it changes.",
                "## 敲门之前先观察\n\n"
                "把车头朝外停好，花一分钟看看周围：\n\n"
                "- 周围有什么人？有没有人聚集、有人喝酒，或者隔壁在吵架？\n"
                "- 有没有养狗的迹象：狗碗、狗链、警示牌、狗叫声。\n"
                "- 地形布局：楼梯间、电梯、长走廊、只有一个出口的院子。\n"
                "- 你的撤离路线：进去之前就要看好，并保持畅通。\n\n"
                "如果感觉不对劲，就相信自己的直觉。离开现场，给主管打电话；外访随时可以改期。\n\n"
                "## 在门口\n\n"
                "- 敲门后往后退一步，门打开时不要正好站在门口。\n"
                "- 稍微站到一侧，搭档站在既能看到你、也能看到外面的位置。\n"
                "- 出口始终在你身后，而不是在借款人身后。\n"
                "- 不要进入狭窄的空间、里屋或厨房；待在能迅速离开的地方。\n"
                "- 如果受邀入户，你们中要有一人始终留意门口和撤离路线。\n\n"
                "## 犬只\n\n"
                "谈话之前，先请住户把狗关好。如果狗冲过来，站着别动，双臂放在身体两侧，不要盯着它看，也不要跑，"
                "然后慢慢后退。必要时用包或文件夹挡在你和狗之间。如果被咬伤，立即离开，及时就医，并上报。\n\n"
                "## 搭档之间互相照应\n\n"
                "外访前约定一个暗号，意思是“马上走，不用商量”。一个人负责谈话，另一个人观察屋内、"
                "外面的动静和对方的肢体语言，气氛一有变化就在 App 中更新紧张程度评级。",
            ),
        ),
        BuiltinLesson(
            key="aggression",
            title=("Aggression, the SOS button and leaving safely", "应对攻击行为、SOS 求助与安全撤离"),
            body=(
                "## No confrontation\n\n"
                "Your job is never to win an argument or to hold your ground. When someone becomes aggressive, the "
                "only goal is that everyone leaves unhurt.\n\n"
                "- Don’t argue, answer back or touch anyone, not even to “calm them down”.\n"
                "- Don’t block a door or stop anyone from leaving, and don’t let anyone block yours.\n"
                "- Don’t try to take back a document, a phone or the recorder by force.\n"
                "- Step back, keep your hands visible, speak low and slowly, and say that you are leaving.\n\n"
                "## Rate it and go\n\n"
                "Rate the tension as **hostile** in the app and leave. The visit ends and your supervisor is alerted "
                "at once. Check out once you are safe, not before.\n\n"
                "## The SOS button\n\n"
                "The red **SOS** button at the top of every screen of the field app sends an alert with your "
                "position to your supervisor:\n\n"
                "- it works before check-in and outside a visit too;\n"
                "- without signal, the alert is saved and sent as soon as the network returns; where your company "
                "has set an SOS number, the app also offers to send it as a text message;\n"
                "- without a position fix, the alert carries the stop’s address.\n\n"
                "Press it when you or your partner are threatened, hurt, shut in or followed. If anyone is in "
                "immediate danger, **call the police (110)** as well: SOS does not replace that call. Once you are "
                "safe, stay on the phone with your supervisor.\n\n"
                "## The recording keeps running\n\n"
                "Keep recording while you leave. The recording is your evidence of what happened and of how you "
                "behaved. Never delete or cut a recording after an incident; attach it in full.",
                "## 不与人正面冲突\n\n"
                "你的任务从来不是吵赢或者寸步不让。有人出现攻击行为时，唯一的目标就是所有人都毫发无损地离开。\n\n"
                "- 不争辩、不回嘴、不碰任何人，哪怕是为了“让对方冷静下来”。\n"
                "- 不堵门，不阻止任何人离开，也不让别人堵住你的出路。\n"
                "- 不要用强力去抢回文件、手机或录音录像设备。\n"
                "- 后退一步，双手放在对方看得见的地方，低声、慢慢地说话，并告诉对方你们要走了。\n\n"
                "## 评级，然后离开\n\n"
                "在 App 中把紧张程度评为**敌对**，然后离开。外访随即结束，系统立即通知你的主管。"
                "到达安全地点后再签退，不要提前。\n\n"
                "## SOS 求助按钮\n\n"
                "外访 App 每个页面顶部都有红色的 **SOS** 按钮，按下后会把带有你位置的警报发送给主管：\n\n"
                "- 签到之前、外访之外也能使用；\n"
                "- 没有信号时，警报会先保存在手机上，网络恢复后立即发出；如果公司设置了 SOS 求助号码，App "
                "还会提示你通过短信发送；\n"
                "- 无法定位时，警报会附上该户的地址。\n\n"
                "你或搭档受到威胁、受伤、被关住或被跟踪时，就按下它。如果有人面临紧迫的危险，还要**报警（110）**："
                "SOS 不能代替报警。到达安全地点后，与主管保持通话。\n\n"
                "## 录音录像不要停\n\n"
                "离开的过程中继续录。录音录像是证明发生了什么、你是怎么做的证据。事件发生后，绝不删除或剪辑录音录像，"
                "要完整上传。",
            ),
        ),
        BuiltinLesson(
            key="after",
            title=("After an incident: reporting and support", "事件发生后：报告与支持"),
            body=(
                "## The first minutes\n\n"
                "- Get to a safe public place with your partner and check that you are both unhurt.\n"
                "- Get medical help for any injury, however small.\n"
                "- Call your supervisor, even if you already pressed SOS, and say where you are.\n"
                "- Don’t go back to the address to “sort it out”, today or alone.\n\n"
                "## Finish the record\n\n"
                "Once you are safe:\n\n"
                "- check out, attach the full recording in the **Recording** step, and close the visit with the "
                "outcome **Left for safety** (or with **Asked to leave**, if that is what happened);\n"
                "- write a short factual note: what happened, who did what, what was said, in order, without "
                "opinions or labels;\n"
                "- note any injuries, damage and witnesses.\n\n"
                "Your supervisor acknowledges the alert, escalates it if needed and resolves it with a note. The "
                "borrower or the address may then be flagged, so that later visits are planned differently or not at "
                "all.\n\n"
                "## If the police are involved\n\n"
                "Cooperate and tell the truth; give the recording reference when you are asked for it. In any later "
                "contact with the borrower, never suggest that the police are acting for the lender.\n\n"
                "## Afterwards\n\n"
                "Take time off the route if you need it. Ask for a debrief: what warning signs were there, and what "
                "should change next time? Incidents are reviewed to improve planning and training, not to find "
                "someone to blame. If you did something wrong, saying so early is always better than letting the "
                "recording say it for you.",
                "## 最初的几分钟\n\n"
                "- 和搭档一起到安全的公共场所，确认两人都没有受伤。\n"
                "- 只要受了伤，哪怕是小伤，都要及时就医。\n"
                "- 给主管打电话，即使已经按过 SOS，也要告诉主管你们在哪里。\n"
                "- 不要回到那个地址去“把事情了结”，当天不行，一个人更不行。\n\n"
                "## 补全记录\n\n"
                "到达安全地点后：\n\n"
                "- 签退，在**录音录像**这一步上传完整的录音录像，"
                "选择**因安全原因离开**结束外访（如果实际情况是被要求离开，就选**被要求离开**）；\n"
                "- 写一条简短、客观的备注：按顺序写清发生了什么、谁做了什么、说了什么，不写个人看法，不给人贴标签；\n"
                "- 记下受伤情况、财物损坏和目击者。\n\n"
                "主管会确认警报，必要时上报，处理完毕后附上说明关闭警报。之后可能会给该借款人或该地址加上标记，"
                "以后的外访会另作安排，或者不再上门。\n\n"
                "## 如果警方介入\n\n"
                "配合调查，如实陈述；被问到时提供录音录像编号。此后再与借款人联系时，绝不能暗示警方在替贷款机构办事。"
                "\n\n"
                "## 事后\n\n"
                "如有需要，可以暂停外访休息一段时间。要求做一次复盘：当时有哪些预警信号？下次应该怎么改？"
                "对事件进行复盘，是为了改进排班和培训，而不是为了追究谁的责任。如果你自己做错了什么，尽早说出来，"
                "总比让录音录像替你说出来要好。",
            ),
        ),
    ),
    questions=(
        BuiltinQuestion(
            key="partner_missing",
            text=(
                "Your partner is ill this morning and you are at the first address alone. What do you do?",
                "今天上午搭档生病了，你一个人到了第一户。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Don’t start: a visit needs at least [[param:visit_min_team]] collectors. Tell your "
                        "supervisor.",
                        "不开始外访：外访至少需要 [[param:visit_min_team]] 名催收员。告诉主管。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Knock just to have a short word with the borrower.", "只敲个门，和借款人简单说两句。"),
                ),
                BuiltinChoice(
                    text=("Ask a neighbour to stand with you as the second person.", "请邻居陪你站着，充当第二个人。"),
                ),
            ),
            explanation=(
                "The visit cannot start with fewer than [[param:visit_min_team]] collectors checked in "
                "([[rule:CN-VISIT-2P]]), and a neighbour must not learn about the debt.",
                "签到人数少于 [[param:visit_min_team]] 名，外访无法开始（[[rule:CN-VISIT-2P]]）；"
                "而且不能让邻居知道欠款的事。",
            ),
        ),
        BuiltinQuestion(
            key="checklist",
            text=(
                "What should you have with you before you leave for the route?",
                "出发跑路线之前，应该准备好哪些东西？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "A charged phone with today’s route loaded in the field app.",
                        "电量充足、已在外访 App 中加载当天路线的手机。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("A charged, working recorder.", "电量充足、运行正常的录音录像设备。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Your work ID and the mandate for each case.", "工作证以及每个案件的委托书。"),
                    correct=True,
                ),
                BuiltinChoice(text=("Plenty of cash, to give change to borrowers.", "大量现金，用来给借款人找零。")),
                BuiltinChoice(
                    text=(
                        "A jacket that looks like a police uniform, for authority.",
                        "一件看起来像警服的外套，显得有威严。",
                    ),
                ),
            ),
            explanation=(
                "Phone, recorder and documents make the visit safe and lawful. Extra cash is a risk, and anything "
                "that looks like a uniform breaks [[rule:CN-NO-FAKE]].",
                "手机、录音录像设备和证件能让外访既安全又合规。多带现金是风险，穿像制服的衣物则违反 "
                "[[rule:CN-NO-FAKE]]。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="threat_flag",
            text=(
                "The brief flags that this borrower threatened collectors before. What do you do?",
                "案件简报标记显示该借款人曾威胁过催收员。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Ask your supervisor whether the visit should go ahead, and how, or not at all.",
                        "请示主管这次外访是否继续、怎么进行，还是不去。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Go ahead as planned; flags are only advice.", "照原计划去，标记只是参考。")),
                BuiltinChoice(text=("Go alone, so as not to provoke him.", "一个人去，免得刺激他。")),
            ),
            explanation=(
                "A safety flag is a reason to stop and plan. Going alone is never allowed.",
                "安全风险标记意味着应该停下来重新规划。单独上门是绝不允许的。",
            ),
        ),
        BuiltinQuestion(
            key="overdue_alert",
            text=(
                "What happens if your team has not checked out some time after a visit’s planned duration?",
                "如果超过计划时长一段时间，你们团队仍未签退，会发生什么？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Your supervisor receives an overdue alert and calls you.",
                        "主管会收到超时警报，并给你打电话。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("The visit is closed automatically.", "外访自动结束。")),
                BuiltinChoice(text=("Nothing; the timer is only for statistics.", "不会怎样，计时只是用于统计。")),
            ),
            explanation=(
                "The overdue alert is a safety net: it fires when someone who checked in has not checked out in time.",
                "超时警报是一张安全网：有人签到后没有按时签退，就会触发警报。",
            ),
        ),
        BuiltinQuestion(
            key="before_knocking",
            text=("What should you note before you knock?", "敲门之前，应该留意哪些情况？"),
            choices=(
                BuiltinChoice(text=("Your way out.", "你的撤离路线。"), correct=True),
                BuiltinChoice(text=("Signs of a dog.", "有没有养狗的迹象。"), correct=True),
                BuiltinChoice(text=("People gathering or drinking nearby.", "附近有没有人聚集或喝酒。"), correct=True),
                BuiltinChoice(
                    text=(
                        "The brand of the borrower’s car, to judge how much he can pay.",
                        "借款人的车是什么牌子，以判断他能还多少钱。",
                    ),
                ),
                BuiltinChoice(text=("Photos of the neighbours’ doors, for the file.", "给邻居家门拍照，存档备用。")),
            ),
            explanation=(
                "Look for risks and your way out. Sizing up wealth is not your job, and photos of homes and "
                "neighbours are not allowed.",
                "要观察的是风险和撤离路线。估量对方的财力不是你的工作，拍摄住所和邻居也是不允许的。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="door_position",
            text=("Where do you stand after knocking?", "敲门后你应该站在哪里？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "A step back and slightly to one side, with the exit behind you.",
                        "后退一步，稍微站到一侧，出口在你身后。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("In the doorway, so that the door cannot be shut.", "站在门口，让门关不上。")),
                BuiltinChoice(text=("With a foot against the door.", "用脚抵住门。")),
            ),
            explanation=(
                "Stepping back gives everyone space and keeps your way out clear. Blocking a door is intimidation "
                "and can be unlawful.",
                "后退一步，给彼此留出空间，也让你的退路保持畅通。堵门属于恐吓，还可能违法。",
            ),
        ),
        BuiltinQuestion(
            key="dog",
            text=("A dog runs at you in the yard. What do you do?", "院子里一条狗冲你跑过来。你应该怎么做？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "Stand still, arms by your sides, don’t stare or run, then back away slowly.",
                        "站着别动，双臂放在身体两侧，不盯着它也不跑，然后慢慢后退。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Run back to the car.", "跑回车上。")),
                BuiltinChoice(text=("Shout and wave your arms to scare it off.", "大喊大叫、挥舞手臂把它吓跑。")),
            ),
            explanation=(
                "Running and waving trigger a chase. Keep still, calm and slowly increase the distance.",
                "奔跑和挥手会激起狗的追击本能。保持不动、冷静，再慢慢拉开距离。",
            ),
        ),
        BuiltinQuestion(
            key="code_word",
            text=("What is the code word agreed with your partner for?", "和搭档约定的暗号是做什么用的？"),
            choices=(
                BuiltinChoice(
                    text=("It means “we leave now”, with no discussion.", "意思是“马上走，不用商量”。"),
                    correct=True,
                ),
                BuiltinChoice(text=("It tells your partner to start the recording.", "提醒搭档开始录音录像。")),
                BuiltinChoice(text=("It signals that it is time to raise the pressure.", "示意该加大压力了。")),
            ),
            explanation=(
                "A code word lets either of you end the visit without arguing in front of the borrower. The "
                "recording runs from check-in anyway.",
                "有了暗号，你们任何一方都可以结束外访，不必当着借款人的面商量。录音录像本来就是从签到开始的。",
            ),
        ),
        BuiltinQuestion(
            key="no_confrontation",
            text=(
                "The borrower becomes aggressive. Which of these should you do?",
                "借款人出现了攻击行为。以下哪些是你应该做的？",
            ),
            choices=(
                BuiltinChoice(
                    text=("Step back and keep your hands visible.", "后退一步，双手放在对方看得见的地方。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Say that you are leaving, and leave.", "告诉对方你们要走了，然后离开。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Rate the tension as hostile in the app.", "在 App 中把紧张程度评为敌对。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Grab back the phone he took from your partner.", "把他从你搭档手里抢走的手机夺回来。"),
                ),
                BuiltinChoice(text=("Block the door until he calms down.", "堵住门，直到他冷静下来。")),
            ),
            explanation=(
                "The goal is that everyone leaves unhurt. Physical contact and blocking doors escalate the situation "
                "and can be unlawful.",
                "目标是所有人都毫发无损地离开。肢体接触和堵门会让局面升级，还可能违法。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="sos_button",
            text=(
                "Which of these are true of the SOS button in the field app?",
                "关于外访 App 中的 SOS 按钮，以下哪些说法是正确的？",
            ),
            choices=(
                BuiltinChoice(
                    text=("It sends your position to your supervisor.", "会把你的位置发送给主管。"),
                    correct=True,
                ),
                BuiltinChoice(text=("It also works before check-in.", "签到之前也能使用。"), correct=True),
                BuiltinChoice(
                    text=(
                        "Without signal, it is saved on the phone and sent as soon as the network returns.",
                        "没有信号时会先保存在手机上，网络恢复后立即发出。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("It calls the police automatically.", "会自动报警。")),
                BuiltinChoice(text=("It closes the visit.", "会结束外访。")),
            ),
            explanation=(
                "SOS alerts your supervisor, online or not. It does not call the police for you: in immediate "
                "danger, call 110 yourself.",
                "无论是否联网，SOS 都会通知主管。它不会替你报警：遇到紧迫的危险，要自己拨打 110。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="knife",
            text=(
                "Someone at the door threatens you with a knife. What do you do?",
                "门口有人拿刀威胁你。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=("Leave, press SOS and call the police (110).", "立即离开，按 SOS，并报警（110）。"),
                    correct=True,
                ),
                BuiltinChoice(text=("Press SOS and wait for your supervisor to arrive.", "按 SOS，然后等主管赶到。")),
                BuiltinChoice(
                    text=("Try to calm him down and finish the conversation.", "设法让他平静下来，把话谈完。"),
                ),
            ),
            explanation=(
                "Immediate danger: leave first, then SOS and 110. SOS does not replace calling the police.",
                "面临紧迫危险：先离开，再按 SOS 并拨打 110。SOS 不能代替报警。",
            ),
        ),
        BuiltinQuestion(
            key="recording_incident",
            text=(
                "After an incident you realise the recording shows you raising your voice. What do you do?",
                "事件发生后，你意识到录音录像里有你提高嗓门的内容。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Attach the recording in full and explain in your note.",
                        "完整上传录音录像，并在备注中说明。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Cut that part before attaching it.", "上传前把那一段剪掉。")),
                BuiltinChoice(text=("Don’t attach it at all.", "干脆不上传。")),
            ),
            explanation=(
                "The recording is only worth something if it is complete; gaps are flagged and cutting it would "
                "destroy its value as evidence. Honesty early is always better.",
                "录音录像只有完整才有价值；中断会被标记，剪辑则会让它失去证据价值。尽早坦诚永远是更好的选择。",
            ),
        ),
        BuiltinQuestion(
            key="after_incident",
            text=(
                "Which of these belong in the first steps after an incident?",
                "以下哪些属于事件发生后最初应做的事？",
            ),
            choices=(
                BuiltinChoice(
                    text=("Get to a safe public place with your partner.", "和搭档一起到安全的公共场所。"),
                    correct=True,
                ),
                BuiltinChoice(text=("Get medical help for any injury.", "只要受了伤就及时就医。"), correct=True),
                BuiltinChoice(
                    text=("Call your supervisor, even after pressing SOS.", "即使已经按过 SOS，也要给主管打电话。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Go back alone to apologise and smooth things over.", "一个人回去道歉，把事情摆平。"),
                ),
                BuiltinChoice(
                    text=("Close the visit as “met” to avoid questions.", "选择“已见到”结束外访，免得被问。"),
                ),
            ),
            explanation=(
                "Safety, care and reporting come first. Never go back alone, and record the outcome truthfully: "
                "“left for safety” or “asked to leave”.",
                "安全、就医和报告放在第一位。绝不一个人回去；外访结果要如实选择：“因安全原因离开”或“被要求离开”。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="incident_note",
            text=("Which incident note is best?", "以下哪条事件备注写得最好？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "“At the door the borrower shouted, then pushed my partner; we left and pressed SOS. A "
                        "neighbour saw it.”",
                        "“借款人在门口大声叫喊，随后推了我的搭档；我们离开并按了 SOS。一位邻居目睹了经过。”",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "“Crazy guy, totally unstable, should be reported.”",
                        "“这人是个疯子，情绪完全失控，应该举报他。”",
                    ),
                ),
                BuiltinChoice(text=("“Incident happened.”", "“发生了事件。”")),
            ),
            explanation=(
                "A good note says what happened, in order, and who saw it, without labels or opinions.",
                "好的备注按顺序写清发生了什么、谁看到了，不贴标签，不写个人看法。",
            ),
        ),
        BuiltinQuestion(
            key="hostile_rating",
            text=("What happens when you rate the tension as hostile?", "把紧张程度评为敌对之后会发生什么？"),
            choices=(
                BuiltinChoice(
                    text=("The visit ends and your supervisor is alerted.", "外访结束，系统通知主管。"),
                    correct=True,
                ),
                BuiltinChoice(text=("The borrower is blocked from paying.", "借款人将无法还款。")),
                BuiltinChoice(text=("The visit’s planned time is extended.", "外访的计划时长会被延长。")),
            ),
            explanation=(
                "“Hostile” means leave. The alert lets your supervisor follow up while you get to safety.",
                "“敌对”就意味着离开。警报让主管可以在你们撤离时跟进。",
            ),
        ),
        BuiltinQuestion(
            key="check_out_when",
            text=(
                "You had to leave a hostile doorstep in a hurry. When do you check out?",
                "你们不得不从一个充满敌意的现场匆忙撤离。什么时候签退？",
            ),
            choices=(
                BuiltinChoice(text=("Once you are safe.", "到达安全地点之后。"), correct=True),
                BuiltinChoice(text=("At the door, before leaving.", "离开之前，在门口签退。")),
                BuiltinChoice(text=("The next morning.", "第二天早上。")),
            ),
            explanation=(
                "Leave first; check out once you are safe. Checking out too late would set off the overdue alert for "
                "nothing.",
                "先离开，到达安全地点后再签退。拖得太晚才签退，会无端触发超时警报。",
            ),
        ),
    ),
)
