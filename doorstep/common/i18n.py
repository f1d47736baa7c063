"""The active language as the two-letter key of the bilingual fields (`title_zh` / `title_en`) and
of the texts the pure cores keep in both languages."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import get_language

Language = Literal["zh", "en"]


def active_language() -> Language:
    return "zh" if (get_language() or "").lower().startswith("zh") else "en"


def in_language(row: Any, name: str, language: Language | None = None) -> str:
    """`row.<name>_zh` or `row.<name>_en`, for the active language unless one is given."""
    return str(getattr(row, f"{name}_{language or active_language()}"))
