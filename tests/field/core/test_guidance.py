"""The visit's bilingual vocabulary: reasons for arrears, parties met, tension levels and prompts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorstep.field.core.guidance import (
    ARREARS_REASONS,
    PARTIES_MET,
    TENSION_LEVELS,
    Label,
    party_label,
    reason_label,
    tension_prompts,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_bilingual(english: str, chinese: str) -> None:
    assert english.strip() and english.isascii(), english
    assert CHINESE.search(chinese), chinese


def test_the_reasons_are_the_stored_codes_in_order() -> None:
    assert [label.code for label in ARREARS_REASONS] == [
        "job_loss", "illness", "business_failure", "family_event", "dispute", "fraud_claim", "unwilling", "other"]


def test_the_parties_are_the_stored_codes_in_order() -> None:
    assert [label.code for label in PARTIES_MET] == ["debtor", "guarantor", "co_obligor", "contact", "nobody"]


@pytest.mark.parametrize("label", ARREARS_REASONS + PARTIES_MET, ids=lambda label: label.code)
def test_every_label_and_hint_is_in_english_and_chinese(label: Label) -> None:
    assert_bilingual(label.en, label.zh)
    assert_bilingual(label.hint_en, label.hint_zh)


def test_a_dispute_stops_collection_and_is_reviewed() -> None:
    hint = reason_label("dispute").hint_en
    assert hint == "Stop collecting on the disputed part; record the dispute so the case is reviewed."


def test_a_fraud_claim_is_recorded_as_a_dispute_without_pressure() -> None:
    label = reason_label("fraud_claim")
    assert "dispute" in label.hint_en and "do not press for payment" in label.hint_en
    assert "异议" in label.hint_zh and "不要催促" in label.hint_zh


@pytest.mark.parametrize("code", ["job_loss", "illness"])
def test_hardship_reasons_point_to_a_smaller_plan(code: str) -> None:
    label = reason_label(code)
    assert "hardship plan" in label.hint_en and "smaller plan" in label.hint_en
    assert "困难还款方案" in label.hint_zh


def test_a_contact_is_not_told_about_the_debt() -> None:
    assert "Do not disclose the debt" in party_label("contact").hint_en


def test_an_unknown_reason_lists_the_valid_codes() -> None:
    with pytest.raises(ValueError, match="unknown reason for arrears 'broke'; valid codes: job_loss, illness, "
                                         "business_failure, family_event, dispute, fraud_claim, unwilling, other"):
        reason_label("broke")


def test_an_unknown_party_lists_the_valid_codes() -> None:
    with pytest.raises(ValueError, match="valid codes: debtor, guarantor, co_obligor, contact, nobody"):
        party_label("neighbour")


def test_the_tension_levels_run_from_calm_to_hostile() -> None:
    assert [(level.level, level.code) for level in TENSION_LEVELS] == [
        (0, "calm"), (1, "uneasy"), (2, "upset"), (3, "angry"), (4, "hostile")]


@pytest.mark.parametrize("level", range(5))
def test_each_tension_level_has_two_to_four_prompts_in_both_languages(level: int) -> None:
    guidance = tension_prompts(level)
    assert guidance.level == level
    assert_bilingual(guidance.en, guidance.zh)
    assert 2 <= len(guidance.prompts_en) <= 4
    assert len(guidance.prompts_zh) == len(guidance.prompts_en)
    for english, chinese in zip(guidance.prompts_en, guidance.prompts_zh, strict=True):
        assert_bilingual(english, chinese)
        assert len(english) <= 60  # read at a glance on a phone


@pytest.mark.parametrize(("level", "pause", "leave"), [
    (0, False, False), (1, False, False), (2, False, False), (3, True, False), (4, True, True)])
def test_angry_pauses_and_hostile_leaves(level: int, pause: bool, leave: bool) -> None:
    guidance = tension_prompts(level)
    assert (guidance.should_pause, guidance.should_leave) == (pause, leave)


def test_hostile_means_leave_now_and_call_the_supervisor() -> None:
    guidance = tension_prompts(4)
    assert guidance.prompts_en[0] == "Leave now: the visit ends."
    assert any("supervisor" in prompt for prompt in guidance.prompts_en)
    assert guidance.prompts_zh[0].startswith("立即离开")


def test_rising_tension_calms_before_it_leaves() -> None:
    assert any("lower your voice" in prompt.lower() for prompt in tension_prompts(2).prompts_en)
    assert any("come back another time" in prompt for prompt in tension_prompts(3).prompts_en)
    assert any("Step back" in prompt for prompt in tension_prompts(3).prompts_en)


@given(st.integers().filter(lambda level: not 0 <= level <= 4))
def test_a_level_outside_zero_to_four_is_refused(level: int) -> None:
    with pytest.raises(ValueError, match="from 0 to 4"):
        tension_prompts(level)


@pytest.mark.parametrize("level", [True, 2.0, "2", None])
def test_a_level_must_be_a_whole_number(level: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        tension_prompts(level)  # type: ignore[arg-type]
