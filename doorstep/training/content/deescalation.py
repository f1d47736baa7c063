"""Course 2: de-escalation and emotions (the seed's sections 5.3 and 6.2).

The tension scale and its prompts are those of doorstep.field.core.guidance: from "angry" on the talk
about money stops, at "hostile" the team leaves, and "asked to leave" ends the visit.
"""

from __future__ import annotations

from doorstep.training.core.content import BuiltinChoice, BuiltinCourse, BuiltinLesson, BuiltinQuestion

COURSE = BuiltinCourse(
    code="deescalation",
    title=("De-escalation and emotions", "情绪识别与冲突缓和"),
    summary=(
        "Reading how the borrower feels, staying calm, acknowledging feelings, defusing anger, knowing when to pause "
        "or leave, treating vulnerable borrowers and hardship with care, and looking after yourself after hard "
        "visits.",
        "识别借款人的情绪，保持冷静，回应对方的感受，化解愤怒；知道何时暂停、何时离开；"
        "妥善对待弱势借款人和经济困难的借款人；并在经历艰难的外访之后照顾好自己。",
    ),
    order=2,
    lessons=(
        BuiltinLesson(
            key="reading",
            title=("Reading emotions and rating the tension", "识别情绪与评定紧张程度"),
            body=(
                "## Feelings come first\n\n"
                "Arrears are rarely only about money. People in debt often feel shame, fear, anger or hopelessness, "
                "and a stranger at the door can set off all of these at once. Until those feelings have been dealt "
                "with, talk of repayment plans will not land.\n\n"
                "## What to watch for\n\n"
                "- **Voice**: rising volume or speed, a flat or shaky tone.\n"
                "- **Body**: crossed arms, clenched fists, pacing, blocking the doorway, avoiding your eyes, tears.\n"
                "- **Words**: “never” and “always”, blaming, “you people”, or going quiet.\n"
                "- **Surroundings**: other people arriving, alcohol, children watching.\n\n"
                "Changes matter more than any single sign. A borrower who was talking and suddenly falls silent, or "
                "whose voice keeps climbing, is telling you something.\n\n"
                "## The tension rating in the app\n\n"
                "Rate the doorstep whenever it changes. The app then shows short prompts you can read at a "
                "glance:\n\n"
                "- **Calm**: keep a friendly, even tone; explain why you are here and what the options are.\n"
                "- **Uneasy**: slow down, lower your voice, acknowledge the worry, keep a comfortable distance.\n"
                "- **Upset**: let them finish, acknowledge the feelings before talking about the debt, offer to come "
                "back another time.\n"
                "- **Angry**: step back, keep your hands visible, stop talking about money, offer to end the visit, "
                "keep your way out clear.\n"
                "- **Hostile**: leave now. The visit ends and your supervisor is alerted.\n\n"
                "From “angry” on, the conversation about money stops. An honest rating is not an admission of "
                "failure: it protects you, the borrower and the record. Each rating is saved with your note, so the "
                "next team knows what to expect at this door.",
                "## 情绪优先\n\n"
                "逾期很少只是钱的问题。欠债的人常常感到羞愧、害怕、愤怒或绝望，一个陌生人出现在门口，"
                "可能一下子把这些情绪全都勾起来。这些情绪没有得到处理之前，谈还款计划是谈不进去的。\n\n"
                "## 观察什么\n\n"
                "- **声音**：音量变大、语速加快，语气冷淡或发抖。\n"
                "- **肢体**：双臂交叉、握紧拳头、来回踱步、堵住门口、回避目光、流泪。\n"
                "- **言语**：“从来”“总是”这类绝对化的说法，指责，“你们这些人”，或者突然不说话。\n"
                "- **周围环境**：有其他人聚过来、有人喝了酒、孩子在旁边看着。\n\n"
                "变化比任何单一信号都更重要。借款人本来还在说话，突然沉默了，或者声音越来越高，都是在向你传递信息。"
                "\n\n"
                "## App 中的情绪紧张程度评级\n\n"
                "现场气氛一有变化就重新评级，App 会显示一眼就能看懂的简短提示：\n\n"
                "- **平静**：保持友好、平和的语气；说明来意和可选的方案。\n"
                "- **不安**：放慢语速、压低声音，回应对方的担忧，保持让对方舒适的距离。\n"
                "- **不满**：让对方把话说完，先回应情绪再谈欠款，提出改日再来。\n"
                "- **愤怒**：后退一步，双手放在对方看得见的地方，停止谈钱，提出结束本次外访，确保退路畅通。\n"
                "- **敌对**：立即离开。本次外访结束，系统会通知你的主管。\n\n"
                "从“愤怒”开始，关于钱的谈话就要停下来。如实评级并不等于承认失败：它保护你、保护借款人，"
                "也让记录真实可信。每次评级都会连同你的备注一起保存，下一组同事上门前就能心里有数。",
            ),
        ),
        BuiltinLesson(
            key="calm",
            title=("Staying calm, acknowledging feelings, defusing anger", "保持冷静、回应情绪、化解愤怒"),
            body=(
                "## Your calm is contagious\n\n"
                "People tend to match the tone of the person in front of them. If you speak slowly, quietly and "
                "without hurry, the borrower usually comes down too. If you argue, they go up.\n\n"
                "- Breathe out slowly before you answer a hard sentence.\n"
                "- Lower your voice instead of raising it.\n"
                "- Keep your hands visible and still, and don’t point.\n"
                "- Stand slightly at an angle rather than square on, at least an arm’s length away.\n"
                "- Don’t take insults personally: the anger is about the situation, not about you.\n\n"
                "## Acknowledge before you explain\n\n"
                "Naming a feeling does not mean agreeing with everything that is said. It shows that you heard:\n\n"
                "- “I can see this has been a very hard year.”\n"
                "- “It sounds like you feel nobody has listened to you.”\n"
                "- “I understand it’s upsetting to have us at your door.”\n\n"
                "Then pause, and give them room to answer before you say anything about the loan.\n\n"
                "## Defusing anger\n\n"
                "- **Stop** the topic that set it off, usually money.\n"
                "- **Listen** to the complaint in full, without interrupting or correcting.\n"
                "- **Acknowledge** the feeling and, where it is fair, the point: “You’re right, you should have been "
                "told about that earlier.”\n"
                "- **Offer a choice**: “Would you rather continue another day, or shall we look at smaller payments "
                "now?” A choice gives back a sense of control.\n"
                "- **Rate the tension again** in the app and follow its prompts.\n\n"
                "Never argue about who is right, never threaten, and never use the borrower’s family, job or "
                "reputation as leverage. If the anger is about a real mistake, such as a wrong amount or a rude "
                "earlier call, record it as a dispute or a complaint: that is what those outcomes are for.",
                "## 冷静是会传染的\n\n"
                "人往往会跟着对面那个人的语气走。你说话慢一点、轻一点、不慌不忙，借款人通常也会跟着平静下来；"
                "你一争辩，对方的火气就上来了。\n\n"
                "- 回应一句难听的话之前，先慢慢呼一口气。\n"
                "- 压低声音，而不是提高嗓门。\n"
                "- 双手放在对方看得见的地方，保持不动，不要用手指人。\n"
                "- 身体稍微侧一点，不要正面相对，距离至少一臂以上。\n"
                "- 不要把辱骂当成针对你个人：对方是在对处境发火，不是对你。\n\n"
                "## 先回应情绪，再解释\n\n"
                "说出对方的感受，并不等于认同对方说的每一句话，而是表明你听进去了：\n\n"
                "- “看得出来，这一年您过得很不容易。”\n"
                "- “听起来您觉得一直没人愿意听您说。”\n"
                "- “我理解，我们找上门来，您心里肯定不舒服。”\n\n"
                "然后停一停，给对方回应的空间，再谈借款的事。\n\n"
                "## 化解愤怒\n\n"
                "- **停下**引发情绪的话题，通常就是钱。\n"
                "- **听**对方把不满说完，不打断，不纠正。\n"
                "- **回应**对方的感受；如果对方说得有道理，也承认这一点：“您说得对，这件事应该早点告诉您。”\n"
                "- **给出选择**：“您看是改天再谈，还是我们现在看看每期少还一点的方案？”有选择，"
                "对方才会觉得事情还在自己掌控之中。\n"
                "- 在 App 中**重新评定紧张程度**，按提示去做。\n\n"
                "绝不争对错，绝不威胁，绝不拿借款人的家人、工作或名声来施压。如果对方的怒气是因为确实存在的差错，"
                "比如金额不对、之前的电话态度恶劣，就记录为异议或投诉：这两个沟通结果正是为此设置的。",
            ),
        ),
        BuiltinLesson(
            key="pause_leave",
            title=("When to pause, when to leave", "何时暂停，何时离开"),
            body=(
                "## Pausing is a professional choice\n\n"
                "Ending a visit early is not a failure. A borrower who felt respected today is more likely to talk "
                "next time; one who felt cornered may never open the door again, and may complain with good "
                "reason.\n\n"
                "## Pause and offer to come back when\n\n"
                "- the tension reaches **angry**: stop talking about money and offer to end the visit;\n"
                "- the borrower is in shock, crying hard, drunk or clearly unwell;\n"
                "- there is a family emergency: a funeral, a birth, a sick child;\n"
                "- the person you need is not there and only a relative is at home;\n"
                "- you notice that you yourself are getting irritated.\n\n"
                "Say it simply: “This isn’t a good moment. Let’s leave it here for today.” Note the reason with your "
                "tension rating.\n\n"
                "## Leave at once when\n\n"
                "- the borrower or anyone else at the home **asks you to leave**. Tap **Asked to leave** in the app: "
                "the visit ends, the outcomes close, and you check out, attach the recording and close. Don’t "
                "bargain for “five more minutes”.\n"
                "- the tension is **hostile**, anyone threatens violence, a weapon appears, or you feel unsafe. "
                "Leave first and check out once you are safe; the app alerts your supervisor. Press **SOS** if you "
                "are in danger.\n\n"
                "## Never stay to make a point\n\n"
                "Staying after being asked to leave, waiting outside the door, following the borrower or coming back "
                "the same evening turns a visit into harassment. It breaks our rules and can be a crime. Our rules "
                "also keep visits short and limit how often a borrower is visited, so there will be another, lawful "
                "chance to talk.",
                "## 暂停是一种专业判断\n\n"
                "提前结束外访不是失败。今天觉得被尊重的借款人，下次更愿意和你谈；觉得被逼到墙角的人，"
                "可能再也不会开门，而且很可能有理有据地投诉。\n\n"
                "## 出现以下情况时，暂停并提出改日再来\n\n"
                "- 紧张程度达到**愤怒**：停止谈钱，提出结束本次外访；\n"
                "- 借款人受了刺激、哭得很厉害、喝醉了或明显身体不适；\n"
                "- 家里有急事：办丧事、刚生孩子、孩子生病；\n"
                "- 要找的人不在，只有家属在家；\n"
                "- 你发现自己开始烦躁了。\n\n"
                "简单地说一句：“现在不太合适，今天我们就先到这里。”并在评定紧张程度时备注原因。\n\n"
                "## 出现以下情况时，立即离开\n\n"
                "- 借款人或家中任何人**要求你们离开**。在 App 中点**被要求离开**：外访结束，沟通结果不再开放，"
                "你们签退、上传录音录像并结束外访。不要讨价还价说“再给五分钟”。\n"
                "- 紧张程度达到**敌对**，有人威胁动手，出现凶器，或者你觉得不安全。先离开，到达安全地点后再签退；App "
                "会通知你的主管。有危险时按 **SOS 求助**。\n\n"
                "## 绝不为争一口气而留下\n\n"
                "被要求离开后还不走、在门外守着、跟踪借款人、当天晚上又找上门，都会让外访变成骚扰。这违反公司规则，"
                "还可能构成犯罪。公司规则也限制了每次外访的时长和上门的频率，所以一定还有下一次合法沟通的机会。",
            ),
        ),
        BuiltinLesson(
            key="vulnerable",
            title=("Vulnerable borrowers and hardship", "弱势借款人与经济困难"),
            body=(
                "## Who may be vulnerable\n\n"
                "Vulnerability describes a person’s situation, not a label. Signs include:\n\n"
                "- serious illness, disability or a recent stay in hospital;\n"
                "- mental health problems, confusion, memory loss, or great difficulty understanding what you say;\n"
                "- bereavement, divorce, violence at home;\n"
                "- old age and living alone, or caring alone for children or sick relatives;\n"
                "- very limited reading ability, or not speaking the language well;\n"
                "- job loss with no income at all.\n\n"
                "## What changes\n\n"
                "- **Slow down** and check understanding: ask the borrower to tell you in their own words what was "
                "agreed.\n"
                "- **Don’t press for payment today** when illness or a crisis is the reason. The app’s hint for "
                "illness says the same. Don’t ask for medical details.\n"
                "- **Offer smaller or later**: a smaller plan, a later first due date, or the lender’s hardship "
                "process.\n"
                "- **No agreement from someone who cannot understand it.** If the borrower cannot follow, end "
                "politely and say so in your note so that the case is reviewed.\n"
                "- **Suggest support**: next time they may have a trusted person with them.\n\n"
                "## Recording hardship\n\n"
                "Choose the reason that fits (lost job or income, illness, family event) and write a short factual "
                "note: “Borrower in hospital until May; spouse caring for two children; no income.” Avoid diagnoses "
                "and opinions. The note travels with the case; your supervisor and the next team rely on it to "
                "decide whether, and when, the case should be visited again.\n\n"
                "Kindness to a borrower in hardship is not weakness. It is the only approach that leads to payments "
                "people can actually keep.",
                "## 哪些人可能属于弱势群体\n\n"
                "“弱势”说的是一个人当下的处境，而不是给人贴标签。常见迹象包括：\n\n"
                "- 重病、残疾，或刚住过院；\n"
                "- 有心理健康问题、意识混乱、记忆力减退，或者很难听懂你在说什么；\n"
                "- 刚失去亲人、正在离婚、遭受家庭暴力；\n"
                "- 年纪大且独居，或者独自照顾孩子或生病的家人；\n"
                "- 识字很少，或者不太懂普通话；\n"
                "- 失业且完全没有收入。\n\n"
                "## 应该怎样调整\n\n"
                "- **放慢节奏**，确认对方听懂了：请借款人用自己的话说一遍达成了什么。\n"
                "- 因疾病或突发变故导致逾期时，**今天不要催促还款**。App 对“疾病或受伤”的提示也是这样。"
                "不要询问病情细节。\n"
                "- **提供金额更小或时间更晚的方案**：更小的还款计划、推迟首期还款日，或转入贷款机构的困难帮扶流程。\n"
                "- **对方理解不了，就不能让对方签协议。**如果借款人跟不上，礼貌地结束谈话，并在备注中写明，"
                "以便对案件进行复核。\n"
                "- **建议对方找人陪同**：下次可以请一位信任的人在场。\n\n"
                "## 如何记录经济困难\n\n"
                "选择相应的原因（失业或收入中断、疾病或受伤、家庭变故），写一句客观的备注：“借款人住院至五月；"
                "配偶在家照顾两个孩子；目前无收入。”不要下诊断，也不要写个人看法。备注会跟着案件走，"
                "主管和下一组同事要靠它来判断是否还应该上门、什么时候上门。\n\n"
                "善待经济困难的借款人并不是心软。只有这样，才能换来对方真正能坚持下去的还款。",
            ),
        ),
        BuiltinLesson(
            key="self_care",
            title=("Looking after yourself after hard visits", "艰难外访之后照顾好自己"),
            body=(
                "## Hard visits leave a mark\n\n"
                "Shouting, tears, stories of illness or loss, the occasional threat: field work exposes you to other "
                "people’s worst days. Stress builds up quietly and shows later as irritability, poor sleep, cynicism "
                "or dread before visits. It also makes the next visit harder, because a tense collector raises the "
                "tension at the door.\n\n"
                "## Right after a difficult visit\n\n"
                "- Get to a safe place, then check out and close the visit properly.\n"
                "- Talk it through with your partner for a few minutes: what happened, what went well, what you "
                "would do differently.\n"
                "- Take a short break before the next stop: some water, a short walk, a few slow breaths. The route "
                "can wait ten minutes.\n"
                "- If you were threatened, tell your supervisor the same day, even if “nothing happened”.\n\n"
                "## Over time\n\n"
                "- Leave work at work: don’t replay conversations at night or read case notes at home.\n"
                "- Watch for warning signs in yourself and your partner: snapping at borrowers, dreading the route, "
                "drinking more, feeling nothing at all.\n"
                "- Ask for a debrief after any incident, and use the support your company offers.\n"
                "- Remember what you control: your conduct and your notes. Whether someone pays is not in your "
                "hands.\n\n"
                "## Asking for help is part of the job\n\n"
                "A supervisor would much rather hear “that visit shook me” today than learn next week that a "
                "collector lost their temper at a door. Speaking up protects you, your partner and the borrowers you "
                "meet next.",
                "## 艰难的外访会留下痕迹\n\n"
                "被吼、看到对方流泪、听人讲生病或失去亲人的经历，偶尔还会被威胁：外访工作让你直面别人最难熬的日子。"
                "压力会悄悄累积，之后表现为易怒、睡不好、对什么都冷嘲热讽，或者一想到上门就发怵。"
                "它还会让下一次外访更难，因为紧绷的催收员会把门口的气氛也带得紧张起来。\n\n"
                "## 一次艰难的外访刚结束时\n\n"
                "- 先到安全的地方，再签退，按流程结束外访。\n"
                "- 和搭档花几分钟聊一聊：发生了什么，哪里做得好，下次会怎么做。\n"
                "- 去下一户之前稍微歇一下：喝点水，走几步，慢慢深呼吸几次。路线晚十分钟没关系。\n"
                "- 如果受到威胁，当天就告诉主管，即使“什么事也没发生”。\n\n"
                "## 长期来看\n\n"
                "- 下班就放下工作：不要夜里反复回想那些对话，也不要在家看案件备注。\n"
                "- 留意自己和搭档身上的警示信号：对借款人没好气、一想到今天的路线就发愁、喝酒比以前多、对什么都麻木。"
                "\n"
                "- 发生任何事件后，要求做一次复盘，并用好公司提供的支持。\n"
                "- 记住你能掌控的是什么：你的言行和你的记录。对方还不还钱，不在你的掌控之中。\n\n"
                "## 求助也是工作的一部分\n\n"
                "主管宁愿今天听你说一句“那次外访让我心里很不好受”，也不愿下周才得知有催收员在别人门口发了火。说出来，"
                "是在保护你自己、你的搭档，也是在保护你接下来要见的借款人。",
            ),
        ),
    ),
    questions=(
        BuiltinQuestion(
            key="first_priority",
            text=(
                "A borrower is very upset the moment she sees you. What comes first?",
                "借款人一看到你就非常激动。首先应该做什么？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Acknowledge how she feels and let her finish before talking about the debt.",
                        "先回应她的情绪，让她把话说完，再谈欠款。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Explain the legal consequences of not paying.", "讲清楚不还款的法律后果。")),
                BuiltinChoice(
                    text=(
                        "Repeat the amount owed, louder, so that she hears it.",
                        "提高声音再说一遍欠款金额，确保她听到。",
                    ),
                ),
            ),
            explanation=(
                "Until feelings are dealt with, nothing about money will land. Acknowledging them is the fastest way "
                "back to a real conversation.",
                "情绪没有处理好之前，谈钱是谈不进去的。回应情绪是回到正常沟通的最快途径。",
            ),
        ),
        BuiltinQuestion(
            key="tension_signs",
            text=("Which of these can be signs that tension is rising?", "以下哪些可能是紧张程度在上升的信号？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "The borrower’s voice keeps getting louder and faster.",
                        "借款人的声音越来越大、语速越来越快。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Clenched fists and pacing.", "握紧拳头、来回踱步。"), correct=True),
                BuiltinChoice(
                    text=("A borrower who was talking suddenly goes silent.", "本来在说话的借款人突然沉默了。"),
                    correct=True,
                ),
                BuiltinChoice(text=("Other people gather around the door.", "有其他人聚到门口。"), correct=True),
                BuiltinChoice(text=("The borrower sits down and offers you tea.", "借款人坐下来，给你倒了杯茶。")),
            ),
            explanation=(
                "Changes in voice, body and surroundings all matter, and sudden silence is easily missed. Sitting "
                "down and offering tea usually means the opposite.",
                "声音、肢体和周围环境的变化都很重要，突然的沉默尤其容易被忽略。坐下来倒茶通常意味着气氛在缓和。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="angry_level",
            text=(
                "You rate the tension as “angry”. What does the app expect you to do?",
                "你把紧张程度评为“愤怒”。App 希望你怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Step back, stop talking about money, offer to end the visit and keep your way out clear.",
                        "后退一步，停止谈钱，提出结束外访，并确保退路畅通。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Push for a promise to pay before things get worse.",
                        "趁情况还没更糟，赶紧让对方承诺还款。",
                    ),
                ),
                BuiltinChoice(
                    text=("Argue the facts until the borrower accepts them.", "就事实争辩，直到借款人接受为止。"),
                ),
            ),
            explanation=(
                "From “angry” on, the conversation about money stops. The prompts are built to bring the tension "
                "down and keep everyone safe.",
                "从“愤怒”开始，关于钱的谈话就要停止。这些提示的目的是让气氛降温，确保每个人的安全。",
            ),
        ),
        BuiltinQuestion(
            key="hostile_level",
            text=("What happens when you rate the tension as “hostile”?", "把紧张程度评为“敌对”后会怎样？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "You leave now: the visit ends and your supervisor is alerted.",
                        "立即离开：本次外访结束，系统通知主管。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("You finish the income and expenses step first, then leave.", "先填完收入和支出，再离开。"),
                ),
                BuiltinChoice(text=("You wait outside until the borrower calms down.", "在门外等借款人冷静下来。")),
            ),
            explanation=(
                "“Hostile” means leave. The app raises an alert to your supervisor; check out once you are safe.",
                "“敌对”就意味着离开。App 会向主管发出警报；到达安全地点后再签退。",
            ),
        ),
        BuiltinQuestion(
            key="asked_to_leave",
            text=(
                "The borrower says: “Get out of my house.” What do you do?",
                "借款人说：“从我家出去。”你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Tap “Asked to leave”, leave at once, then check out, attach the recording and close.",
                        "点“被要求离开”，立即离开，然后签退、上传录音录像并结束外访。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("Ask for five more minutes to finish the plan.", "请求再给五分钟把还款计划谈完。"),
                ),
                BuiltinChoice(
                    text=(
                        "Leave the flat but wait at the gate for a better moment.",
                        "离开屋子，但在楼下门口等更合适的时机。",
                    ),
                ),
            ),
            explanation=(
                "Being asked to leave ends the visit. Staying, bargaining or waiting outside is harassment.",
                "被要求离开，外访就此结束。赖着不走、讨价还价或在外面守着，都属于骚扰。",
            ),
        ),
        BuiltinQuestion(
            key="acknowledging",
            text=("Which of these acknowledge the borrower’s feelings?", "以下哪些话是在回应借款人的感受？"),
            choices=(
                BuiltinChoice(
                    text=("“I can see this has been a very hard year.”", "“看得出来，这一年您过得很不容易。”"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "“It sounds like you feel nobody has listened to you.”",
                        "“听起来您觉得一直没人愿意听您说。”",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "“I understand it’s upsetting to have us at your door.”",
                        "“我理解，我们找上门来，您心里肯定不舒服。”",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("“Calm down, you’re overreacting.”", "“冷静点，您反应太过了。”")),
                BuiltinChoice(text=("“Everyone has problems, that’s no excuse.”", "“谁没点难处，这不是理由。”")),
            ),
            explanation=(
                "Naming a feeling shows that you heard it, without agreeing to everything. Telling someone to calm "
                "down or dismissing their problems does the opposite.",
                "说出对方的感受，表明你听进去了，但并不等于全盘认同。叫人冷静或者轻视对方的困难，只会适得其反。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="body_language",
            text=("Which of these help to keep a doorstep calm?", "以下哪些做法有助于让现场保持平静？"),
            choices=(
                BuiltinChoice(
                    text=("Keeping your hands visible and still.", "双手放在对方看得见的地方，保持不动。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "Standing slightly at an angle, at least an arm’s length away.",
                        "身体稍微侧开，距离至少一臂以上。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Lowering your voice.", "压低声音。"), correct=True),
                BuiltinChoice(text=("Pointing at the documents to make your point.", "用手指着文件强调你的观点。")),
                BuiltinChoice(text=("Stepping closer to show confidence.", "往前靠近，以显示自信。")),
            ),
            explanation=(
                "Calm, open body language lowers tension. Pointing and closing the distance feel like pressure or a "
                "threat.",
                "平和、开放的肢体语言能降低紧张感。用手指人、逼近对方，会让人感到压迫甚至威胁。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="offer_choice",
            text=(
                "Why offer an angry borrower a choice, such as “today or another day”?",
                "为什么要给愤怒的借款人一个选择，比如“今天谈还是改天谈”？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "It gives back a sense of control, which lowers the tension.",
                        "让对方重新感到能掌控局面，从而降低紧张程度。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=(
                        "It is a technique to get a promise to pay more quickly.",
                        "这是一种更快拿到还款承诺的技巧。",
                    ),
                ),
                BuiltinChoice(
                    text=(
                        "It lets you end the visit without recording anything.",
                        "这样你就可以什么都不记录直接结束外访。",
                    ),
                ),
            ),
            explanation=(
                "Anger often comes from feeling powerless. A real choice gives some control back.",
                "愤怒往往来自无力感。给出真正的选择，能让对方重新获得一些掌控感。",
            ),
        ),
        BuiltinQuestion(
            key="when_to_pause",
            text=(
                "In which situations should you pause and offer to come back another time?",
                "以下哪些情况应该暂停，并提出改日再来？",
            ),
            choices=(
                BuiltinChoice(text=("The borrower is drunk.", "借款人喝醉了。"), correct=True),
                BuiltinChoice(
                    text=("The family is preparing a funeral today.", "这家人今天正在办丧事。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("You notice that you are getting irritated.", "你发现自己开始烦躁了。"),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("The borrower asks a question about the amount.", "借款人问了一个关于金额的问题。"),
                ),
                BuiltinChoice(
                    text=("The borrower is calm and says she cannot pay today.", "借款人很平静，说今天还不了。"),
                ),
            ),
            explanation=(
                "Pause when no useful or fair conversation is possible, including when you are the one losing your "
                "calm. A question, or a calm “not today”, is just part of the conversation.",
                "当无法进行有意义、公平的沟通时就应暂停，包括你自己控制不住情绪的时候。对方提问，"
                "或平静地说“今天还不了”，都只是正常沟通的一部分。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="illness",
            text=(
                "The borrower has just come out of hospital and has no income. What do you do?",
                "借款人刚出院，目前没有收入。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "Don’t press for payment; record illness; offer a smaller plan, a later start or the "
                        "hardship process.",
                        "不要催促还款；记录为疾病；提供更小的计划、推迟开始或转入困难帮扶流程。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Ask for the hospital discharge papers as proof.", "要求对方出示出院证明。")),
                BuiltinChoice(
                    text=(
                        "Ask for at least a small payment today to show good will.",
                        "要求今天至少还一点，以表诚意。",
                    ),
                ),
            ),
            explanation=(
                "Illness is a hardship reason: no pressure today, no medical questions, and an offer that fits a "
                "period without income.",
                "疾病属于经济困难的原因：今天不施压，不问病情，提供与无收入期相匹配的方案。",
            ),
        ),
        BuiltinQuestion(
            key="understanding",
            text=(
                "An elderly borrower seems confused and cannot follow what you explain. What do you do?",
                "一位年长的借款人神志不太清楚，听不懂你的解释。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "End politely, take no agreement, and note it so that the case is reviewed.",
                        "礼貌地结束谈话，不签任何协议，并在备注中写明，以便复核案件。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("Get a signature quickly while he is agreeable.", "趁他还好说话，赶紧让他签字。")),
                BuiltinChoice(text=("Ask a neighbour to explain the debt to him.", "请邻居向他解释欠款的事。")),
            ),
            explanation=(
                "An agreement from someone who cannot understand it is worthless and unfair. The neighbour must not "
                "learn about the debt at all.",
                "对方无法理解的协议既无效又不公平。而且邻居根本不能知道欠款的事。",
            ),
        ),
        BuiltinQuestion(
            key="vulnerability_signs",
            text=("Which of these may indicate that a borrower is vulnerable?", "以下哪些可能表明借款人处于弱势？"),
            choices=(
                BuiltinChoice(text=("A recent bereavement.", "最近失去了亲人。"), correct=True),
                BuiltinChoice(text=("Confusion or memory loss.", "意识混乱或记忆力减退。"), correct=True),
                BuiltinChoice(text=("Caring alone for a sick relative.", "独自照顾生病的家人。"), correct=True),
                BuiltinChoice(text=("Owning a new car.", "有一辆新车。")),
                BuiltinChoice(text=("Disagreeing with the amount.", "对金额有不同意见。")),
            ),
            explanation=(
                "Vulnerability is about the person’s situation and ability to cope. Disagreeing with the amount is a "
                "possible dispute, not a sign of vulnerability.",
                "弱势与一个人的处境和应对能力有关。对金额有不同意见可能是异议，而不是弱势的迹象。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="hardship_note",
            text=("Which note records hardship well?", "以下哪条备注对经济困难记录得最好？"),
            choices=(
                BuiltinChoice(
                    text=(
                        "“Borrower in hospital until May; spouse caring for two children; no income.”",
                        "“借款人住院至五月；配偶在家照顾两个孩子；目前无收入。”",
                    ),
                    correct=True,
                ),
                BuiltinChoice(
                    text=("“Probably depressed, seems mentally ill.”", "“可能有抑郁症，看起来精神有问题。”"),
                ),
                BuiltinChoice(text=("“Sad story, most likely made up.”", "“讲得挺惨，多半是编的。”")),
            ),
            explanation=(
                "Notes are factual and short. Diagnoses and opinions are unfair and do not help the next team.",
                "备注应客观、简短。自行下诊断、写个人看法既不公平，对下一组同事也没有帮助。",
            ),
        ),
        BuiltinQuestion(
            key="after_threat",
            text=(
                "A borrower threatened you, but nothing else happened. What do you do?",
                "借款人威胁了你，但没有发生别的事。你应该怎么做？",
            ),
            choices=(
                BuiltinChoice(text=("Tell your supervisor the same day.", "当天告诉主管。"), correct=True),
                BuiltinChoice(text=("Say nothing, since nothing happened.", "什么都不说，反正也没出事。")),
                BuiltinChoice(text=("Go back alone later to clear the air.", "之后一个人回去把话说开。")),
            ),
            explanation=(
                "Threats are reported even when nothing happened: they change how the case and the address are "
                "planned, and they matter for your own support.",
                "即使没有发生什么，受到威胁也要报告：这会影响对该案件和该地址的后续安排，也关系到你能得到的支持。",
            ),
        ),
        BuiltinQuestion(
            key="stress_signs",
            text=(
                "Which of these are warning signs of stress building up in a collector?",
                "以下哪些是催收员压力累积的警示信号？",
            ),
            choices=(
                BuiltinChoice(text=("Snapping at borrowers.", "对借款人没好气。"), correct=True),
                BuiltinChoice(text=("Dreading the day’s route.", "一想到当天的路线就发愁。"), correct=True),
                BuiltinChoice(text=("Sleeping badly after visits.", "外访后睡不好觉。"), correct=True),
                BuiltinChoice(text=("Taking a short break between stops.", "两户之间稍作休息。")),
                BuiltinChoice(text=("Talking a hard visit through with a partner.", "和搭档聊聊一次艰难的外访。")),
            ),
            explanation=(
                "Irritability, dread and poor sleep are common signs of stress. Short breaks and talking things "
                "through are how you keep it in check.",
                "易怒、发怵和睡眠不好都是常见的压力信号。适当休息、把事情说出来，正是控制压力的办法。",
            ),
            multiple=True,
        ),
        BuiltinQuestion(
            key="never_wait",
            text=(
                "Why must you never wait outside after being asked to leave?",
                "被要求离开后，为什么绝不能在门外守着？",
            ),
            choices=(
                BuiltinChoice(
                    text=(
                        "It turns the visit into harassment, breaks our rules and can be a crime.",
                        "这会让外访变成骚扰，违反公司规则，还可能构成犯罪。",
                    ),
                    correct=True,
                ),
                BuiltinChoice(text=("It is fine in a public corridor.", "在公共走廊里就没关系。")),
                BuiltinChoice(text=("It is fine for less than an hour.", "不超过一小时就没关系。")),
            ),
            explanation=(
                "Waiting, following and coming back the same day are forms of pressure the law treats seriously. "
                "There will be another, lawful chance to talk.",
                "守候、跟踪、当天再次上门，都是法律严肃对待的施压方式。一定还有下一次合法沟通的机会。",
            ),
        ),
    ),
)
