"""The anonymiser: known personal values go, recognisable identifiers go, amounts become bands."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from doorstep.training.core.anonymise import Person, amount_band, anonymise, leaks

BORROWER = Person("borrower", names=("欧阳小明",), numbers=("110101199003071234", "13800138000", "LN-0042"),
                  addresses=("广东省深圳市福田区莲花路1001号翠园小区3栋502室",))
GUARANTOR = Person("guarantor", names=("李四海",), numbers=("13912345678",))
COLLECTOR = Person("collector", names=("Zhang Wei", "zwei"))


def test_known_values_and_their_parts_are_replaced() -> None:
    text = ("欧阳小明 said 小明 lives at 莲花路1001号 in 翠园小区; his guarantor 李四海 (139-1234-5678) came. "
            "Zhang Wei showed his id. Phone 138 0013 8000, id 110101199003071234, loan LN-0042.")
    out = anonymise(text, [BORROWER, GUARANTOR, COLLECTOR])
    for value in ("欧阳小明", "小明", "莲花路", "翠园小区", "李四海", "5678", "Zhang", "Wei", "13800138000",
                  "138 0013 8000", "1101011990", "LN-0042"):
        assert value not in out, value
    assert "[borrower]" in out and "[guarantor]" in out and "[collector]" in out
    assert leaks([out], [BORROWER, GUARANTOR, COLLECTOR]) == []


def test_unregistered_identifiers_are_caught_by_pattern() -> None:
    out = anonymise("call 13712345678 or 0755-82345678, mail wang@example.com, card 6222 0212 3456 7890, "
                    "id 44030419851231002X", [])
    assert "[phone]" in out and "[e-mail]" in out and "[account]" in out and "[id number]" in out
    assert not any(char.isdigit() for char in out.replace("[", "").split("id")[0][-3:])
    assert "13712345678" not in out and "82345678" not in out and "44030419851231002X" not in out


def test_amounts_become_bands() -> None:
    out = anonymise("owes 12,345.67元, offered ¥800 now and 1.5万 later", [])
    assert out == "owes [amount 5,000–20,000], offered [amount <1,000] now and [amount 5,000–20,000] later"
    assert anonymise("欠款12,345.67元，还了¥800，约1.5万元", []) == (
        "欠款[amount 5,000–20,000]，还了[amount <1,000]，约[amount 5,000–20,000]")
    assert amount_band(Decimal("100000")) == ">100,000"


def test_leaks_finds_values_typed_back_in_with_other_spacing() -> None:
    assert "borrower: 13800138000" in leaks(["the number was 138-0013-8000"], [BORROWER])
    assert leaks(["met 欧阳小明 again"], [BORROWER])[0].startswith("borrower: 欧阳小明")


@given(st.text(alphabet="0123456789 -", min_size=11, max_size=40))
def test_no_eleven_digit_run_survives(text: str) -> None:
    out = anonymise(text, [])
    digits = "".join(char if char.isdigit() else " " for char in out)
    assert all(len(run) < 6 for run in digits.split())


def test_latin_names_and_usernames_count_as_whole_words_only() -> None:
    collector = Person("collector", names=("collector", "Wei Zhang"))
    out = anonymise("The collectors were asked to leave; collector said WEI ZHANG would call. [collector]", [collector])
    assert out == "The collectors were asked to leave; [collector] said [collector] would call. [collector]"
    assert leaks([out], [collector]) == []
    assert leaks(["the collector came back"], [collector]) == ["collector: collector"]
