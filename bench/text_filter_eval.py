"""Evaluate the compliance text filter on the labelled set in tests/compliance/text_cases.py.

Prints, per category, support, TP, FP, FN, precision and recall, the micro-averaged overall row
(a sentence-category pair is the unit), every misclassified sentence, and the scan speed.

    .venv/bin/python bench/text_filter_eval.py            # CASES, HELD_OUT, DEV and a combined row
    .venv/bin/python bench/text_filter_eval.py --blind    # also BLIND, if tests/compliance/text_blind.py exists

The blind set is the final, honest measure: it is written independently of the filter and is only
read when --blind is given (it is imported lazily, so the default run never touches it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from doorstep.compliance.core.text import OVERALL, TextCategory, text_scan, text_scan_scores
from tests.compliance.text_cases import CASES, DEV, HELD_OUT, TextCase

# Every country pack, so that no category is dropped for want of a rule (the labels are jurisdiction-free).
JURISDICTIONS = ("CN", "US-CA", "UK-ENG")


def predict(case_text: str, audience: object, time_barred: bool) -> frozenset[TextCategory]:
    findings = text_scan(case_text, jurisdictions=JURISDICTIONS, audience=audience, time_barred=time_barred)  # type: ignore[arg-type]
    return frozenset(finding.category for finding in findings)


BLIND_FILE = Path(__file__).resolve().parent.parent / "tests" / "compliance" / "text_blind.py"


def report(title: str, cases: tuple[TextCase, ...], *, details: bool = True) -> None:
    predictions = [predict(case.text, case.audience, case.time_barred) for case in cases]
    scores = text_scan_scores(
        (case.expected_categories, predicted) for case, predicted in zip(cases, predictions, strict=True)
    )
    languages = {language: sum(case.language == language for case in cases) for language in ("zh", "en")}
    print(f"## {title}: {len(cases)} sentences ({languages['zh']} zh, {languages['en']} en); "
          f"clean sentences: {sum(not case.expected_categories for case in cases)}")
    print()
    print(f"| {'category':<18} | support |  TP |  FP |  FN | precision | recall |")
    print(f"|{'-' * 20}|---------|-----|-----|-----|-----------|--------|")
    for key in [*(category.value for category in TextCategory), OVERALL]:
        score = scores[key]
        print(f"| {key:<18} | {score.support:>7} | {score.true_positives:>3} | {score.false_positives:>3} | "
              f"{score.false_negatives:>3} | {score.precision:>9.3f} | {score.recall:>6.3f} |")
    print()
    misses = [(case, predicted) for case, predicted in zip(cases, predictions, strict=True)
              if predicted != case.expected_categories]
    print(f"Misclassified sentences: {len(misses)}")
    if not details:
        print()
        return
    for case, predicted in misses:
        missing = sorted(category.value for category in case.expected_categories - predicted)
        extra = sorted(category.value for category in predicted - case.expected_categories)
        flags = f"{case.language} {case.audience.value}{' time-barred' if case.time_barred else ''}"
        print(f"- [{flags}] {case.text}")
        print(f"    missed: {', '.join(missing) or '-'}; false alarm: {', '.join(extra) or '-'}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", action="store_true",
                        help="also evaluate BLIND from tests/compliance/text_blind.py, if that file exists")
    args = parser.parse_args(argv)
    report("Labelled set (CASES)", CASES)
    report("Held-out set (HELD_OUT, now used for development)", HELD_OUT)
    report("Development set (DEV: a batch written before the pattern changes, then two probe batches)", DEV)
    report("All development data (CASES + HELD_OUT + DEV)", CASES + HELD_OUT + DEV, details=False)
    if args.blind:
        if BLIND_FILE.exists():
            raw = importlib.import_module("tests.compliance.text_blind").BLIND
            blind: tuple[TextCase, ...] = tuple(TextCase(*row) for row in raw)
            report("Blind set (BLIND, never seen while tuning)", blind)
        else:
            print(f"No blind set: {BLIND_FILE} does not exist.")
            print()
    sentence = "尊敬的客户您好，您在本平台的借款已逾期，请通过官方App还款。If you need help, you may contact us. "
    note = (sentence * 6)[:500]
    repeats = 2000
    began = time.perf_counter()
    for _ in range(repeats):
        text_scan(note, jurisdictions=JURISDICTIONS)
    per_scan = (time.perf_counter() - began) / repeats
    print(f"Scan speed: {per_scan * 1e6:.0f} µs per 500-character note (mean of {repeats})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
