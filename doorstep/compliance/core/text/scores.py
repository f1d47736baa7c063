"""Precision and recall of the text filter on a labelled set; the unit is a (sentence, category) pair."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import TextCategory


@dataclass(frozen=True)
class CategoryScore:
    support: int  # labelled positives
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 1.0


OVERALL = "overall"


def text_scan_scores(
    pairs: Iterable[tuple[frozenset[TextCategory], frozenset[TextCategory]]],
) -> dict[str, CategoryScore]:
    """Per-category and micro-averaged ("overall") scores; the unit is a (sentence, category) pair.

    Each pair is (expected categories, predicted categories) for one sentence.
    """
    counts = {category: [0, 0, 0] for category in TextCategory}  # true positives, false positives, false negatives
    for expected, predicted in pairs:
        for category in TextCategory:
            if category in expected and category in predicted:
                counts[category][0] += 1
            elif category in predicted:
                counts[category][1] += 1
            elif category in expected:
                counts[category][2] += 1
    scores = {
        category.value: CategoryScore(support=tp + fn, true_positives=tp, false_positives=fp, false_negatives=fn)
        for category, (tp, fp, fn) in counts.items()
    }
    total = [sum(values[index] for values in counts.values()) for index in range(3)]
    scores[OVERALL] = CategoryScore(
        support=total[0] + total[2], true_positives=total[0], false_positives=total[1], false_negatives=total[2]
    )
    return scores
