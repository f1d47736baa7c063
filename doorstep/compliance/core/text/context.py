"""Contexts that excuse a trigger: negation, rights advice, consent, official channels, false friends.

A trigger is dropped when a negation cue precedes it in the same clause ("我们不会联系您的家人",
"we will never ask you to ..."), when its sentence gives rights advice or a scam warning
("如需帮助可拨打110报警", "you may contact the court yourself"), or when a category-specific context
excuses it (consent for disclosure, an official account for a bank-card number). Conditions on paying
("if you don't pay", "不还就...") are not negations of what follows.
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[。！!？?\n]|\.(?=\s|$)")
CLAUSE_END = re.compile(r"[，,。！!？?；;：:\n]|\.(?=\s|$)")

# Negation cues. Excluded on purpose: bare 不 (不还就…, 不然), A-不-A questions (能不能, 会不会, 是不是),
# "don't pay" / "not paying" (a condition on paying, not a negation of the threat that follows),
# "why don't you" (a suggestion).
NEGATION = re.compile(
    r"(?<!会)不会(?!放过|饶|这么客气|那么客气|再客气|客气)|不得|绝不|决不|从不|从未|从没|(?<!是)不是(?![^，,。？！?!]{0,8}吗)|并非|并不|(?<!要)不要|请勿"
    r"|切勿|勿|禁止|严禁|没有(?!还|付|交)|无需|不用|不必|不需要|(?<!能)不能|(?<!可)不可|无权|不收取|不收|免收|不建议"
    r"|非(?!法|常)|杜绝|谨防|防止|放弃|不再|停止"
    r"|\b(?:(?<!why )not(?! paying| repaying| to pay)|never|no|nor|neither|without|cannot(?! your)|can't(?! your)|cant"
    r"|couldn't(?! your)|(?<!why )(?:don't|do not)(?! pay| repay| settle| make (?:us|me))|doesn't|does not(?! pay)"
    r"|won't|will not|isn't|aren't|wasn't|shouldn't|mustn't|too old|no longer)\b"
)
# Words that end a negation's scope: a new subject or consequence ("…不还，我们就…", "if you don't pay we will").
BREAKER = re.compile(r"就|但|否则|不然|要不|除非|才|将|会|还是|可是|然而|\b(?:will|shall|going to|gonna|but|however"
                      r"|otherwise|unless|until|then|or else|make us|so)\b|'ll\b")
NEGATION_REACH_ZH = 15
NEGATION_REACH_EN = 50

# Rights advice, complaint routes and scam warnings: the sentence informs the reader, it does not menace.
ADVICE = re.compile(
    r"如需帮助|(?:可|请)(?:拨打|致电)|拨打110|报警电话|(?:您|你)(?:可以|可|有权)(?:拨打|报警|联系|咨询|投诉|向|到|自行"
    r"|选择"
    r"|申请|要求|查询|请|在)|自行|投诉|如遇|如(?:果)?(?:您|你)(?:认为|觉得|发现)|冒充|谨防|警惕|不法分子"
    r"|\byou (?:may|can|might wish to|have the right to|are entitled to|are free to)\s+(?:contact|call|ask|check"
    r"|complain|speak|get|seek|report|consult|choose|request|dispute|go to|apply|also)\b|\byou have the right\b"
    r"|\byou(?:'re| are) entitled\b|\bif you (?:feel|believe|think|are worried)\b|\bif (?:anyone|someone)\b"
    r"|\banyone claiming\b|\bclaiming to be\b|\bscam|\bfraudsters?\b|\bimpersonat|\byourself\b"
    r"|\bindependent (?:legal )?advice\b|\bfree (?:debt )?advice\b|\breport it to\b"
    r"|\bif (?:a|any) (?:caller|person|visitor|collector)\b|\bnothing to (?:fear|worry about)\b|\babolished\b"
    r"|请放心|不用担心|无需担心|(?:诈骗|骗子)(?:电话|短信|团伙)"
)
# Consent, or contact that is limited to locating the person, excuses a disclosure-looking phrase.
CONSENT = re.compile(
    r"如(?:果)?您同意|经您(?:同意|授权)|您授权|您指定的|不会提及|不提及|\bwith your (?:permission|consent)\b"
    r"|authori[sz]"
    r"|^\s*(?:please\s+)?(?:talk|speak|chat) (?:to|with) your\b|\bonly to confirm\b|\bto confirm your (?:address"
    r"|location)\b|\b(?:will not|won't) mention\b"
)
OFFICIAL = re.compile(r"对公|官方|公众号|\bofficial\b|\bas shown in your agreement\b")
BORROWING_WARNING = re.compile(r"\bmake (?:things|it|matters|your situation) worse\b|加重[^，。]{0,4}负担|风险")

# Spans that look like triggers but are not: street names, sports courts, the limitation-period term.
FALSE_FRIENDS = re.compile(
    r"(?=[法诉])(?:法院(?:东|西|南|北|中)?(?:路|街|巷|大道|站|小区)|诉讼时效)"
    r"|\b(?:(?:food|basketball|tennis|squash|netball|badminton|volleyball|sports?) courts?\b"
    r"|court (?:road|rd|street|st|lane|avenue|ave|drive|house|apartments?)\b)"
)
