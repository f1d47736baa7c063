"""Length-preserving normalisation: full-width forms folded by NFKC, lower case, one code point per code point."""

from __future__ import annotations

import unicodedata


class _FoldTable(dict[int, str]):
    """str.translate table built lazily: one code point in, exactly one code point out.

    NFKC folds full-width letters, digits and punctuation (ＰＯＬＩＣＥ, ４００, ：) to ASCII; a code
    point whose fold is longer than one character (e.g. a ligature) is kept as it is, which keeps
    every offset into the normalised text valid for the original.
    """

    def __init__(self, *, lower: bool) -> None:
        super().__init__()
        self._lower = lower

    def __missing__(self, code_point: int) -> str:
        original = chr(code_point)
        folded = unicodedata.normalize("NFKC", original)
        if len(folded) != 1:
            folded = original
        if self._lower and len(folded.lower()) == 1:
            folded = folded.lower()
        if len(self) < 65536:  # bounded: arbitrary input must not grow the cache without limit
            self[code_point] = folded
        return folded


FOLD_LOWER = _FoldTable(lower=True)
FOLD_CASED = _FoldTable(lower=False)


def fold(text: str, *, lower: bool = True) -> str:
    return text.translate(FOLD_LOWER if lower else FOLD_CASED)
