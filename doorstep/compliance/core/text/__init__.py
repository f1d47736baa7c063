"""The compliance text filter: flags forbidden wording in scripts, SMS, letters and visit notes.

Pure standard library (no Django): a rule-based scanner over Simplified Chinese and English, in one
pass over text that may mix them. It is a lint for the TXT enforcement points of
/work/shared/compliance-rules.md (CN-NO-FAKE, CN-NO-DISCLOSE, CN-TARGET, CN-PAY-CHANNEL,
CN-LIMITATION, US-DECEPT, US-3P, US-AMT, US-SOL, UK-MISREP, UK-3P, UK-FORBEAR, UK-SBD): it finds
candidate spans for a human or a template gate, not legal conclusions.

How a finding is decided, per category:
1. Trigger patterns (one module per category: impersonation, threat, disclosure, borrowing, payment,
   legal) run over a length-preserving normalisation of the text (full-width forms folded by NFKC,
   lower case), so that match offsets are offsets into the original text.
2. A trigger is dropped when a negation cue precedes it in the same clause, when its sentence gives
   rights advice or a scam warning, or when a category-specific context excuses it (context.py).
3. Conditions on paying ("if you don't pay", "不还就...") are not negations of what follows.
"""

from .model import CATEGORY_RULES, COUNTRIES, THIRD_PARTY_RULES, Audience, TextCategory, TextFinding
from .scan import text_scan
from .scores import OVERALL, CategoryScore, text_scan_scores

__all__ = [
    "CATEGORY_RULES",
    "COUNTRIES",
    "OVERALL",
    "THIRD_PARTY_RULES",
    "Audience",
    "CategoryScore",
    "TextCategory",
    "TextFinding",
    "text_scan",
    "text_scan_scores",
]
